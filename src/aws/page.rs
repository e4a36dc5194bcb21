//! What the page (`orderctl ui`) reads on the aws target: the form posts straight to the
//! stack's HTTP API (`POST /orders` → `create-order`, CORS allows it); a dashboard
//! refresh is `status`, the end-to-end latency of the orders settled since the page
//! opened (a filtered scan of the table, read with overlap and deduplicated), and the
//! DLQ peeked when its depth changes.

use super::sqs as sqs_dlq;
use super::Aws;
use crate::context::Context;
use crate::report;
use crate::spec::{Names, Settings};
use crate::target::{Dashboard, OrderState, PageLetter, Watch};
use anyhow::{Context as _, Result};
use aws_sdk_dynamodb::types::AttributeValue;
use order_domain::Micros;

/// DLQ messages peeked at most (each peek is one receive per message).
const DLQ_SHOWN: usize = 20;

/// Orders settled this long before the newest one seen are read again: a write stamped
/// earlier can become visible later (concurrent batches, eventually consistent scans).
const OVERLAP: Micros = 60_000_000;

/// Connected once when the page opens: every refresh reuses the clients.
pub struct PageConnection {
    pub aws: Aws,
    /// `POST /orders` of the stack's HTTP API.
    pub order_url: Option<String>,
}

pub async fn connect(ctx: &Context) -> Result<PageConnection> {
    let names = Names::new(&ctx.stack);
    let aws = Aws::connect(ctx).await?;
    let api = super::observe::find_api(&aws, &names.http_api()).await.context("looking for the stack's HTTP API")?;
    let order_url = api.and_then(|a| a.api_endpoint().map(|e| format!("{}/prod/orders", e.trim_end_matches('/'))));
    Ok(PageConnection { aws, order_url })
}

pub async fn order(c: &PageConnection, names: &Names, id: &str) -> Result<OrderState> {
    let records = sqs_dlq::records(&c.aws.dynamodb, &names.table(), &[id.to_string()]).await?;
    let record = records.get(id).cloned();
    // The worker records the receive that sends the message to the DLQ.
    let in_dlq = record.as_ref().is_some_and(|r| r.status == order_domain::Status::DeadLettered);
    Ok(OrderState { record, in_dlq })
}

pub async fn dashboard(ctx: &Context, c: &PageConnection, watch: &mut Watch) -> Result<Dashboard> {
    let names = Names::new(&ctx.stack);
    let status = super::stack::status(ctx, &c.aws, &Settings::aws()).await?;
    let settled = settled_since(&c.aws, &names, watch.since).await?;
    let depth = status.dlq_depth;
    if watch.dlq_depth != Some(depth) {
        watch.dead_letters = if depth > 0 { peek_dlq(&c.aws, &names).await? } else { Vec::new() };
        watch.dlq_depth = Some(depth);
    }
    for (id, scheduled, at) in settled {
        if watch.counted.insert(id, at).is_none() {
            report::record(&mut watch.latency, at - scheduled);
            watch.since = watch.since.max(at);
        }
    }
    let keep_from = watch.since - OVERLAP;
    watch.counted.retain(|_, at| *at > keep_from);
    Ok(Dashboard { accepted: status.orders.total, settled: status.orders.completed + status.orders.failed, status })
}

/// The orders settled since `since` less the overlap: (order id, scheduled, settled).
async fn settled_since(aws: &Aws, names: &Names, since: Micros) -> Result<Vec<(String, Micros, Micros)>> {
    let mut settled = Vec::new();
    let mut pages = aws
        .dynamodb
        .scan()
        .table_name(names.table())
        .consistent_read(true)
        .filter_expression("settledAt > :since AND attribute_exists(scheduledAt)")
        .projection_expression("orderId, scheduledAt, settledAt")
        .expression_attribute_values(":since", AttributeValue::N((since - OVERLAP).to_string()))
        .into_paginator()
        .items()
        .send();
    while let Some(item) = pages.next().await {
        let item = item.context("scanning for settled orders")?;
        let number = |k: &str| item.get(k).and_then(|v| v.as_n().ok()).and_then(|n| n.parse::<i64>().ok());
        let id = item.get("orderId").and_then(|v| v.as_s().ok()).cloned();
        if let (Some(id), Some(scheduled), Some(at)) = (id, number("scheduledAt"), number("settledAt")) {
            settled.push((id, scheduled, at));
        }
    }
    Ok(settled)
}

async fn peek_dlq(aws: &Aws, names: &Names) -> Result<Vec<PageLetter>> {
    let url = sqs_dlq::queue_url(&aws.sqs, &names.dlq()).await?;
    let messages = sqs_dlq::peek(&aws.sqs, &url, DLQ_SHOWN).await?;
    let ids: Vec<String> = messages.iter().filter_map(|m| crate::dlq::order_of(m.body().unwrap_or_default())).map(|o| o.order_id).collect();
    let records = sqs_dlq::records(&aws.dynamodb, &names.table(), &ids).await?;
    Ok(messages
        .iter()
        .map(|m| {
            let body = m.body().unwrap_or_default();
            // The peek itself was one receive.
            let receives = sqs_dlq::attribute(m, aws_sdk_sqs::types::MessageSystemAttributeName::ApproximateReceiveCount)
                .and_then(|v| v.parse::<u32>().ok())
                .map_or(0, |n| n.saturating_sub(1));
            PageLetter {
                message_id: m.message_id().map(String::from),
                body: body.to_string(),
                reason: sqs_dlq::reason(body, &records),
                receive_count: receives,
            }
        })
        .collect())
}
