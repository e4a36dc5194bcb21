//! The pipeline's functions, run in-process by the local engine: the same domain logic
//! the Lambda binaries in `handlers/` run, with the local table as their storage.

use super::sqs::Received;
use super::table;
use order_domain::log;
use order_domain::{
    decide, next_record, parse_high_value, parse_order, review, unwrap_envelope, Decision, HighValueMessage, Micros, Order, Receive, Rules,
};
use rusqlite::Connection;
use serde_json::Value;

/// What one record of a batch came to.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Done,
    /// Retry it: the message id goes into `batchItemFailures`.
    Failed(String),
}

/// A batch with its pure work done (parsing, deciding), ready to commit: preparing
/// happens outside the database's write lock, committing inside it. Each record keeps
/// its message id, for the log lines.
pub enum Prepared {
    OrderWorker(Vec<(String, Result<Decided, String>)>),
    HighValueWorker(Vec<(String, Result<HighValueMessage, String>)>),
}

/// A valid order, the rules' decision, and which receive of its message this is.
pub type Decided = (Order, Decision, Receive);

/// What a committed batch came to: an outcome per record, and the lines the function
/// logged (`order_domain::log`), as the Lambda binaries print them.
pub struct Committed {
    pub outcomes: Vec<Outcome>,
    pub lines: Vec<Value>,
}

/// `order-worker`, first half: parse each message and apply the rules. `max_receive` is
/// the queue's `maxReceiveCount`, as the deployed function knows it.
pub fn prepare_orders(records: &[Received], rules: &Rules, max_receive: Option<u32>) -> Prepared {
    Prepared::OrderWorker(
        records
            .iter()
            .map(|m| {
                let decided = match parse_order(unwrap_envelope(&m.body).as_bytes()) {
                    Ok(order) => {
                        let decision = decide(&order, rules);
                        Ok((order, decision, Receive { count: m.receive_count, max: max_receive }))
                    }
                    // Never dropped: the record fails, SQS retries it and then
                    // dead-letters it, and `dlq inspect` shows this same reason.
                    Err(invalid) => Err(invalid.to_string()),
                };
                (m.message_id.clone(), decided)
            })
            .collect(),
    )
}

/// `high-value-worker`, first half: parse each routed message.
pub fn prepare_reviews(records: &[Received]) -> Prepared {
    Prepared::HighValueWorker(
        records.iter().map(|m| (m.message_id.clone(), parse_high_value(m.body.as_bytes()).map_err(|e| e.to_string()))).collect(),
    )
}

/// Second half: the conditional writes, given what the table holds now.
pub fn commit(c: &Connection, prepared: &Prepared, threshold: f64, now: Micros) -> anyhow::Result<Committed> {
    let mut lines = Vec::new();
    let outcomes = match prepared {
        Prepared::OrderWorker(batch) => batch
            .iter()
            .map(|(message_id, item)| {
                let (order, decision, receive) = match item {
                    Ok(decided) => decided,
                    Err(reason) => {
                        lines.push(log::malformed("order", message_id, reason));
                        return Ok(Outcome::Failed(format!("malformed order: {reason}")));
                    }
                };
                let existing = table::get(c, &order.order_id)?;
                match next_record(existing.as_ref(), order, decision, threshold, *receive, now) {
                    Some(record) => {
                        table::put(c, &record, existing.as_ref(), now)?;
                        lines.push(log::worker_wrote(&record, message_id, *receive));
                    }
                    None => {
                        let status = existing.map_or(order_domain::Status::Completed, |r| r.status);
                        lines.push(log::duplicate(&order.order_id, message_id, status));
                    }
                }
                Ok(match decision {
                    Decision::TechnicalFailure(error) => Outcome::Failed(error.clone()),
                    _ => Outcome::Done,
                })
            })
            .collect::<anyhow::Result<Vec<_>>>()?,
        Prepared::HighValueWorker(batch) => batch
            .iter()
            .map(|(message_id, item)| {
                let msg = match item {
                    Ok(msg) => msg,
                    Err(reason) => {
                        lines.push(log::malformed("high-value message", message_id, reason));
                        return Ok(Outcome::Failed(format!("malformed high-value message: {reason}")));
                    }
                };
                let Some(existing) = table::get(c, &msg.order_id)? else {
                    lines.push(log::not_in_table(&msg.order_id, message_id));
                    return Ok(Outcome::Failed(format!("order `{}` is not in the table", msg.order_id)));
                };
                if existing.review.is_none() {
                    let mut reviewed = existing.clone();
                    let verdict = review(msg, now);
                    lines.push(log::reviewed(&msg.order_id, message_id, &verdict));
                    reviewed.review = Some(verdict);
                    table::put(c, &reviewed, Some(&existing), now)?;
                }
                Ok(Outcome::Done)
            })
            .collect::<anyhow::Result<Vec<_>>>()?,
    };
    Ok(Committed { outcomes, lines })
}

/// `order-worker` on a batch, both halves.
pub fn order_worker(
    c: &Connection,
    rules: &Rules,
    records: &[Received],
    max_receive: Option<u32>,
    now: Micros,
) -> anyhow::Result<Vec<Outcome>> {
    Ok(commit(c, &prepare_orders(records, rules, max_receive), rules.high_value_threshold, now)?.outcomes)
}

/// `high-value-worker` on a batch, both halves.
pub fn high_value_worker(c: &Connection, records: &[Received], now: Micros) -> anyhow::Result<Vec<Outcome>> {
    Ok(commit(c, &prepare_reviews(records), 0.0, now)?.outcomes)
}
