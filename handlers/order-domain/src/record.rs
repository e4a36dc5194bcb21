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
    /// A technical failure was recorded; SQS will deliver the message again.
    Retrying,
    Completed,
    /// Failed by a business rule.
    Failed,
    /// A technical failure on the receive that exhausted the queue's `maxReceiveCount`:
    /// the message goes to the DLQ and nothing retries it until it is redriven. Not
    /// settled: the redriven message is processed like any other.
    DeadLettered,
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
            Status::DeadLettered => "DEAD_LETTERED",
        }
    }

    pub const ALL: [Status; 4] = [Status::Completed, Status::Failed, Status::Retrying, Status::DeadLettered];
}

/// Which receive of its message the worker is processing, against the queue's
/// `maxReceiveCount` (`None`: no redrive policy, or not known). A technical failure on
/// the receive that reaches it sends the message to the DLQ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Receive {
    /// `ApproximateReceiveCount`, this receive included.
    pub count: u32,
    pub max: Option<u32>,
}

impl Receive {
    pub fn is_last(self) -> bool {
        self.max.is_some_and(|max| self.count >= max)
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
/// duplicate delivery never moves an order backwards or settles it twice). A technical
/// failure on the last `receive` records the order as dead-lettered.
pub fn next_record(
    existing: Option<&OrderRecord>,
    order: &Order,
    decision: &Decision,
    threshold: f64,
    receive: Receive,
    now: Micros,
) -> Option<OrderRecord> {
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
        Decision::TechnicalFailure(error) => {
            record.last_error = Some(error.clone());
            if receive.is_last() {
                record.status = Status::DeadLettered;
            }
        }
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

    const FIRST: Receive = Receive { count: 1, max: Some(3) };

    #[test]
    fn only_a_technical_failure_on_the_last_receive_dead_letters() {
        let rules = Rules::default();
        let fail = synthesize(Kind::Fail, 1, "run", 0, &rules);
        let d = decide(&fail, &rules);
        let status = |count, max| next_record(None, &fail, &d, rules.high_value_threshold, Receive { count, max }, 1).unwrap().status;
        assert_eq!(status(2, Some(3)), Status::Retrying);
        assert_eq!(status(3, Some(3)), Status::DeadLettered);
        assert_eq!(status(4, Some(3)), Status::DeadLettered, "an approximate count past the maximum is last too");
        assert_eq!(status(50, None), Status::Retrying, "without a redrive policy SQS retries until retention");
        let normal = synthesize(Kind::Normal, 2, "run", 0, &rules);
        let last = Receive { count: 3, max: Some(3) };
        let done = next_record(None, &normal, &decide(&normal, &rules), rules.high_value_threshold, last, 1).unwrap();
        assert_eq!(done.status, Status::Completed, "success on the last receive is success");
        assert_eq!(serde_json::to_value(Status::DeadLettered).unwrap(), "DEAD_LETTERED");
    }

    #[test]
    fn technical_failures_count_attempts_then_settle_once() {
        let rules = Rules::default();
        let mut order = synthesize(Kind::Fail, 7, "run", 0, &rules);
        let d = decide(&order, &rules);
        let receive = |count| Receive { count, max: Some(2) };
        let first = next_record(None, &order, &d, rules.high_value_threshold, receive(1), 10).unwrap();
        assert_eq!((first.status, first.attempts), (Status::Retrying, 1));
        let second = next_record(Some(&first), &order, &d, rules.high_value_threshold, receive(2), 20).unwrap();
        assert_eq!((second.status, second.attempts), (Status::DeadLettered, 2), "the receive that exhausts maxReceiveCount");
        assert!(second.last_error.as_deref().unwrap().contains("FAIL"));
        assert!(!second.status.is_settled(), "a redrive can still settle it");

        // Redriven: the count starts again, and the order is retried like any other.
        let third = next_record(Some(&second), &order, &d, rules.high_value_threshold, receive(1), 25).unwrap();
        assert_eq!((third.status, third.attempts), (Status::Retrying, 3));
        order.notes.clear(); // repaired, then redriven
        let done = next_record(Some(&second), &order, &decide(&order, &rules), rules.high_value_threshold, receive(1), 30).unwrap();
        assert_eq!((done.status, done.attempts, done.settled_at), (Status::Completed, 3, Some(30)));
        assert_eq!(done.last_error, second.last_error, "the history of the failure is kept");
    }

    #[test]
    fn a_duplicate_never_moves_a_settled_order() {
        let rules = Rules::default();
        let order = synthesize(Kind::HighValue, 1, "run", 0, &rules);
        let settled = next_record(None, &order, &decide(&order, &rules), rules.high_value_threshold, FIRST, 10).unwrap();
        assert_eq!((settled.status, settled.tier), (Status::Failed, Tier::HighValue));
        for d in [Decision::Complete, Decision::TechnicalFailure("x".into()), decide(&order, &rules)] {
            let last = Receive { count: 3, max: Some(3) };
            assert_eq!(next_record(Some(&settled), &order, &d, rules.high_value_threshold, last, 99), None);
        }
        assert!(!may_replace(Some(&settled)));
        assert!(may_replace(None));
    }

    #[test]
    fn record_json_round_trips_with_the_order_fields_flat() {
        let rules = Rules::default();
        let order = synthesize(Kind::Normal, 3, "run", 5, &rules);
        let r = next_record(None, &order, &decide(&order, &rules), rules.high_value_threshold, FIRST, 10).unwrap();
        let json: serde_json::Value = serde_json::from_str(&r.to_json()).unwrap();
        assert_eq!(json["orderId"], order.order_id.as_str());
        assert_eq!(json["status"], "COMPLETED");
        assert_eq!(json["tier"], "standard");
        assert_eq!(OrderRecord::from_json(&r.to_json()).unwrap(), r);
    }
}
