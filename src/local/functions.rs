//! The pipeline's functions, run in-process by the local engine: the same domain logic
//! the Lambda binaries in `handlers/` run, with the local table as their storage.

use super::sqs::Received;
use super::table;
use order_domain::{
    decide, next_record, parse_high_value, parse_order, review, unwrap_envelope, Decision, HighValueMessage, Micros, Order, Receive, Rules,
};
use rusqlite::Connection;

/// What one record of a batch came to.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Done,
    /// Retry it: the message id goes into `batchItemFailures`.
    Failed(String),
}

/// A batch with its pure work done (parsing, deciding), ready to commit: preparing
/// happens outside the database's write lock, committing inside it.
pub enum Prepared {
    OrderWorker(Vec<Result<(Order, Decision, Receive), String>>),
    HighValueWorker(Vec<Result<HighValueMessage, String>>),
}

/// `order-worker`, first half: parse each message and apply the rules. `max_receive` is
/// the queue's `maxReceiveCount`, as the deployed function knows it.
pub fn prepare_orders(records: &[Received], rules: &Rules, max_receive: Option<u32>) -> Prepared {
    Prepared::OrderWorker(
        records
            .iter()
            .map(|m| match parse_order(unwrap_envelope(&m.body).as_bytes()) {
                Ok(order) => {
                    let decision = decide(&order, rules);
                    Ok((order, decision, Receive { count: m.receive_count, max: max_receive }))
                }
                // Never dropped: the record fails, SQS retries it and then dead-letters
                // it, and `dlq inspect` shows this same reason.
                Err(invalid) => Err(format!("malformed order: {invalid}")),
            })
            .collect(),
    )
}

/// `high-value-worker`, first half: parse each routed message.
pub fn prepare_reviews(records: &[Received]) -> Prepared {
    Prepared::HighValueWorker(
        records.iter().map(|m| parse_high_value(m.body.as_bytes()).map_err(|e| format!("malformed high-value message: {e}"))).collect(),
    )
}

/// Second half: the conditional writes, given what the table holds now.
pub fn commit(c: &Connection, prepared: &Prepared, threshold: f64, now: Micros) -> anyhow::Result<Vec<Outcome>> {
    match prepared {
        Prepared::OrderWorker(batch) => batch
            .iter()
            .map(|item| {
                let (order, decision, receive) = match item {
                    Ok(decided) => decided,
                    Err(reason) => return Ok(Outcome::Failed(reason.clone())),
                };
                let existing = table::get(c, &order.order_id)?;
                if let Some(record) = next_record(existing.as_ref(), order, decision, threshold, *receive, now) {
                    table::put(c, &record, existing.as_ref(), now)?;
                }
                Ok(match decision {
                    Decision::TechnicalFailure(error) => Outcome::Failed(error.clone()),
                    _ => Outcome::Done,
                })
            })
            .collect(),
        Prepared::HighValueWorker(batch) => batch
            .iter()
            .map(|item| {
                let msg = match item {
                    Ok(msg) => msg,
                    Err(reason) => return Ok(Outcome::Failed(reason.clone())),
                };
                let Some(existing) = table::get(c, &msg.order_id)? else {
                    return Ok(Outcome::Failed(format!("order `{}` is not in the table", msg.order_id)));
                };
                if existing.review.is_none() {
                    let mut reviewed = existing.clone();
                    reviewed.review = Some(review(msg, now));
                    table::put(c, &reviewed, Some(&existing), now)?;
                }
                Ok(Outcome::Done)
            })
            .collect(),
    }
}

/// `order-worker` on a batch, both halves.
pub fn order_worker(
    c: &Connection,
    rules: &Rules,
    records: &[Received],
    max_receive: Option<u32>,
    now: Micros,
) -> anyhow::Result<Vec<Outcome>> {
    commit(c, &prepare_orders(records, rules, max_receive), rules.high_value_threshold, now)
}

/// `high-value-worker` on a batch, both halves.
pub fn high_value_worker(c: &Connection, records: &[Received], now: Micros) -> anyhow::Result<Vec<Outcome>> {
    commit(c, &prepare_reviews(records), 0.0, now)
}
