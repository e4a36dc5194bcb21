//! `orders` on the aws target: one `Query` of the table's `status-createdAt` index per
//! status asked for (newest first, `--since` as a key condition, `--kind` and `--run` as
//! filters), merged by `createdAt`. Never a `Scan`: a page costs what it reads, however
//! large the table.

use crate::report::orders::{OrderRow, OrdersQuery, Reads};
use crate::spec::STATUS_INDEX;
use anyhow::Result;
use aws_sdk_dynamodb::types::AttributeValue;
use order_domain::{rfc3339, Status};
use serde_json::Value;
use std::collections::HashMap;

/// Items a filtered query reads per request: enough that a selective filter does not
/// cost a request per matching row, few enough that an unfiltered page reads no more
/// than it shows.
const FILTERED_PAGE: i32 = 200;

pub async fn orders(ddb: &aws_sdk_dynamodb::Client, table: &str, query: &OrdersQuery) -> Result<(Vec<OrderRow>, Reads)> {
    let statuses = match query.status {
        Some(s) => vec![s],
        None => Status::ALL.to_vec(),
    };
    let mut reads = Reads { index: STATUS_INDEX.into(), ..Reads::default() };
    let mut rows = Vec::new();
    for status in statuses {
        rows.extend(newest(ddb, table, query, status, &mut reads).await?);
    }
    // Newest first across the statuses; ties by id, so the order is stable.
    rows.sort_by(|a: &OrderRow, b: &OrderRow| b.created_at.cmp(&a.created_at).then_with(|| b.order_id.cmp(&a.order_id)));
    rows.truncate(query.limit);
    Ok((rows, reads))
}

/// The newest `query.limit` orders of one status that pass the filters.
async fn newest(
    ddb: &aws_sdk_dynamodb::Client,
    table: &str,
    query: &OrdersQuery,
    status: Status,
    reads: &mut Reads,
) -> Result<Vec<OrderRow>> {
    let mut names = HashMap::from([("#s".to_string(), "status".to_string())]);
    let mut values = HashMap::from([(":s".to_string(), AttributeValue::S(status.as_str().into()))]);
    let mut key = "#s = :s".to_string();
    if let Some(since) = &query.since {
        names.insert("#c".into(), "createdAt".into());
        values.insert(":since".into(), AttributeValue::S(since.clone()));
        key.push_str(" AND #c >= :since");
    }
    let mut filters = Vec::new();
    if let Some(kind) = query.kind {
        names.insert("#k".into(), "kind".into());
        values.insert(":k".into(), AttributeValue::S(kind.as_str().into()));
        filters.push("#k = :k");
    }
    if let Some(run) = &query.run {
        names.insert("#r".into(), "runId".into());
        values.insert(":r".into(), AttributeValue::S(run.clone()));
        filters.push("#r = :r");
    }
    let page = if filters.is_empty() { query.limit.min(1000) as i32 } else { FILTERED_PAGE };
    let mut rows = Vec::new();
    let mut start = None;
    loop {
        let out = ddb
            .query()
            .table_name(table)
            .index_name(STATUS_INDEX)
            .key_condition_expression(&key)
            .set_filter_expression((!filters.is_empty()).then(|| filters.join(" AND ")))
            .set_expression_attribute_names(Some(names.clone()))
            .set_expression_attribute_values(Some(values.clone()))
            .scan_index_forward(false)
            .limit(page)
            .set_exclusive_start_key(start.take())
            .send()
            .await
            .map_err(|e| {
                use aws_sdk_dynamodb::error::ProvideErrorMetadata;
                // No table, or a table made before the index: DynamoDB answers the one with
                // ResourceNotFoundException and the other with ValidationException (moto
                // with ResourceNotFoundException for both). `up` makes or adds either.
                let missing =
                    e.as_service_error().is_some_and(|se| se.is_resource_not_found_exception() || se.code() == Some("ValidationException"));
                let hint = if missing { ": the stack is not up here, or predates the index: run `orderctl up --target aws`" } else { "" };
                anyhow::Error::new(e).context(format!("querying index `{STATUS_INDEX}` of `{table}`{hint}"))
            })?;
        reads.requests += 1;
        reads.items_read += out.scanned_count().max(0) as u64;
        rows.extend(out.items().iter().map(row));
        match out.last_evaluated_key() {
            Some(k) if rows.len() < query.limit && !k.is_empty() => start = Some(k.clone()),
            _ => break,
        }
    }
    rows.truncate(query.limit);
    Ok(rows)
}

/// A row from what the index holds (the keys and the projected attributes).
fn row(item: &HashMap<String, AttributeValue>) -> OrderRow {
    let get = |k: &str| item.get(k).map(lambda_support::from_attribute).unwrap_or(Value::Null);
    let text = |k: &str| get(k).as_str().map(String::from);
    let number = |k: &str| get(k).as_f64();
    OrderRow {
        order_id: text("orderId").unwrap_or_default(),
        kind: text("kind").and_then(|k| k.parse().ok()),
        status: serde_json::from_value(get("status")).unwrap_or(Status::Retrying),
        amount: number("amount").unwrap_or_default(),
        attempts: number("attempts").unwrap_or_default() as u32,
        failure_reason: text("failureReason"),
        review: get("review").get("verdict").and_then(Value::as_str).map(String::from),
        created_at: text("createdAt").unwrap_or_default(),
        settled_at: number("settledAt").map(|us| rfc3339(us as i64)),
        run_id: text("runId"),
    }
}
