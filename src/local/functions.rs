//! The pipeline's functions, run in-process by the local engine: the same domain logic
//! the Lambda binaries in `handlers/` run, with the local table as their storage.

use super::sqs::Received;
use super::table;
use order_domain::{decide, next_record, parse_high_value, parse_order, review, Micros, Order, Rules};
use rusqlite::Connection;
use serde_json::Value;

/// What one record of a batch came to.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Done,
    /// Retry it: the message id goes into `batchItemFailures`.
    Failed(String),
}

/// `order-worker`: applies the rules to each order of the batch and writes the outcome.
pub fn order_worker(c: &Connection, table_name: &str, rules: &Rules, records: &[Received], now: Micros) -> anyhow::Result<Vec<Outcome>> {
    records
        .iter()
        .map(|m| {
            let order = match parse_order(unwrap_envelope(&m.body).as_bytes()) {
                Ok(order) => order,
                // Never dropped: the record fails, SQS retries it and then dead-letters
                // it, and `dlq inspect` shows this same reason.
                Err(invalid) => return Ok(Outcome::Failed(format!("malformed order: {invalid}"))),
            };
            process(c, table_name, rules, &order, now)
        })
        .collect()
}

fn process(c: &Connection, table_name: &str, rules: &Rules, order: &Order, now: Micros) -> anyhow::Result<Outcome> {
    let decision = decide(order, rules);
    let existing = table::get(c, &order.order_id)?;
    if let Some(record) = next_record(existing.as_ref(), order, &decision, rules.high_value_threshold, now) {
        table::put(c, table_name, &record, existing.as_ref(), now)?;
    }
    Ok(match decision {
        order_domain::Decision::TechnicalFailure(error) => Outcome::Failed(error),
        _ => Outcome::Done,
    })
}

/// `high-value-worker`: reviews each routed order and records the review once.
pub fn high_value_worker(c: &Connection, table_name: &str, records: &[Received], now: Micros) -> anyhow::Result<Vec<Outcome>> {
    records
        .iter()
        .map(|m| {
            let msg = match parse_high_value(m.body.as_bytes()) {
                Ok(msg) => msg,
                Err(invalid) => return Ok(Outcome::Failed(format!("malformed high-value message: {invalid}"))),
            };
            let Some(existing) = table::get(c, &msg.order_id)? else {
                return Ok(Outcome::Failed(format!("order `{}` is not in the table", msg.order_id)));
            };
            if existing.review.is_none() {
                let mut reviewed = existing.clone();
                reviewed.review = Some(review(&msg, now));
                table::put(c, table_name, &reviewed, Some(&existing), now)?;
            }
            Ok(Outcome::Done)
        })
        .collect()
}

/// The order inside an SNS envelope, when raw delivery is off.
pub fn unwrap_envelope(body: &str) -> std::borrow::Cow<'_, str> {
    if body.contains("\"Type\"") && body.contains("\"TopicArn\"") {
        if let Ok(Value::Object(map)) = serde_json::from_str::<Value>(body) {
            if map.get("Type").and_then(Value::as_str) == Some("Notification") {
                if let Some(Value::String(inner)) = map.get("Message") {
                    return std::borrow::Cow::Owned(inner.clone());
                }
            }
        }
    }
    std::borrow::Cow::Borrowed(body)
}
