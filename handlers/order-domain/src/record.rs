//! The record the worker keeps in the `orders` table, and the only transitions it may
//! make. Delivery is at least once, so a transition is computed from what the table
//! holds: a settled order is never written again, and the write that settles it is
//! conditional on the record not being settled yet.

use crate::order::Order;
use crate::review::Review;
use crate::rules::Decision;
use crate::time::{rfc3339, Micros};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Status {
    /// A technical failure was recorded; SQS will retry (or dead-letter) the message.
    Retrying,
    Completed,
    /// Failed by a business rule.
    Failed,
}

impl Status {
    pub fn is_settled(self) -> bool {
        matches!(self, Status::Completed | Status::Failed)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Retrying => "RETRYING",
            Status::Completed => "COMPLETED",
            Status::Failed => "FAILED",
        }
    }
}

/// The string attribute the pipe routes on: EventBridge numeric filters cannot match
/// the string-typed numbers of a DynamoDB stream record, so the worker writes the tier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Tier {
    Standard,
    HighValue,
}

/// One item of the `orders` table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderRecord {
    #[serde(flatten)]
    pub order: Order,
    pub status: Status,
    pub tier: Tier,
    /// Times the worker has processed this order (duplicates included).
    pub attempts: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_error: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_attempt_at: Option<Micros>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure_reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completed_at: Option<String>,
    /// When the worker committed the final outcome (µs since the epoch).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settled_at: Option<Micros>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review: Option<Review>,
}

impl OrderRecord {
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a record always serialises")
    }

    pub fn from_json(s: &str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(s)
    }
}

/// The record to write after the worker decided `decision` for `order`, given what the
/// table holds; `None` when the write must not happen (the order already settled: a
/// duplicate delivery never moves an order backwards or settles it twice).
pub fn next_record(existing: Option<&OrderRecord>, order: &Order, decision: &Decision, threshold: f64, now: Micros) -> Option<OrderRecord> {
    if existing.is_some_and(|r| r.status.is_settled()) {
        return None;
    }
    let attempts = existing.map_or(0, |r| r.attempts) + 1;
    let tier = if order.amount > threshold { Tier::HighValue } else { Tier::Standard };
    let mut record = OrderRecord {
        order: order.clone(),
        status: Status::Retrying,
        tier,
        attempts,
        last_error: existing.and_then(|r| r.last_error.clone()),
        last_attempt_at: Some(now),
        failure_reason: None,
        completed_at: None,
        settled_at: None,
        review: None,
    };
    match decision {
        Decision::TechnicalFailure(error) => record.last_error = Some(error.clone()),
        Decision::RejectedByRule(reason) => {
            record.status = Status::Failed;
            record.failure_reason = Some(reason.clone());
            record.settled_at = Some(now);
        }
        Decision::Complete => {
            record.status = Status::Completed;
            record.completed_at = Some(rfc3339(now));
            record.settled_at = Some(now);
        }
    }
    Some(record)
}

/// Whether a record may be replaced by the worker: the condition of its write.
pub fn may_replace(existing: Option<&OrderRecord>) -> bool {
    !existing.is_some_and(|r| r.status.is_settled())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{decide, Rules};
    use crate::synth::synthesize;
    use crate::Kind;

    #[test]
    fn technical_failures_count_attempts_then_settle_once() {
        let rules = Rules::default();
        let mut order = synthesize(Kind::Fail, 7, "run", 0, &rules);
        let d = decide(&order, &rules);
        let first = next_record(None, &order, &d, rules.high_value_threshold, 10).unwrap();
        let second = next_record(Some(&first), &order, &d, rules.high_value_threshold, 20).unwrap();
        assert_eq!((second.status, second.attempts), (Status::Retrying, 2));
        assert!(second.last_error.as_deref().unwrap().contains("FAIL"));

        order.notes.clear(); // repaired, then redriven
        let done = next_record(Some(&second), &order, &decide(&order, &rules), rules.high_value_threshold, 30).unwrap();
        assert_eq!((done.status, done.attempts, done.settled_at), (Status::Completed, 3, Some(30)));
        assert_eq!(done.last_error, second.last_error, "the history of the failure is kept");
    }

    #[test]
    fn a_duplicate_never_moves_a_settled_order() {
        let rules = Rules::default();
        let order = synthesize(Kind::HighValue, 1, "run", 0, &rules);
        let settled = next_record(None, &order, &decide(&order, &rules), rules.high_value_threshold, 10).unwrap();
        assert_eq!((settled.status, settled.tier), (Status::Failed, Tier::HighValue));
        for d in [Decision::Complete, Decision::TechnicalFailure("x".into()), decide(&order, &rules)] {
            assert_eq!(next_record(Some(&settled), &order, &d, rules.high_value_threshold, 99), None);
        }
        assert!(!may_replace(Some(&settled)));
        assert!(may_replace(None));
    }

    #[test]
    fn record_json_round_trips_with_the_order_fields_flat() {
        let rules = Rules::default();
        let order = synthesize(Kind::Normal, 3, "run", 5, &rules);
        let r = next_record(None, &order, &decide(&order, &rules), rules.high_value_threshold, 10).unwrap();
        let json: serde_json::Value = serde_json::from_str(&r.to_json()).unwrap();
        assert_eq!(json["orderId"], order.order_id.as_str());
        assert_eq!(json["status"], "COMPLETED");
        assert_eq!(json["tier"], "standard");
        assert_eq!(OrderRecord::from_json(&r.to_json()).unwrap(), r);
    }
}
