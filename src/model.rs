//! What both targets report, independent of how they found it out: order outcomes by
//! kind, queue depths, the alarm, order counts.

use order_domain::Kind;
use serde::Serialize;

/// Where the orders of one kind of a run are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct KindOutcome {
    /// `None` for the total over every kind.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<Kind>,
    pub sent: u64,
    pub completed: u64,
    pub failed_by_rule: u64,
    /// Of those failed by rule, how many the high-value worker has reviewed.
    pub reviewed: u64,
    pub awaiting_review: u64,
    pub dead_lettered: u64,
    /// Still in a queue or being retried.
    pub in_flight: u64,
    /// Sent, but nowhere to be found: must be zero.
    pub lost: u64,
}

impl KindOutcome {
    pub fn new(kind: Option<Kind>) -> Self {
        KindOutcome {
            kind,
            sent: 0,
            completed: 0,
            failed_by_rule: 0,
            reviewed: 0,
            awaiting_review: 0,
            dead_lettered: 0,
            in_flight: 0,
            lost: 0,
        }
    }

    /// Sent orders not yet in a final place (counting an unreviewed high-value order
    /// as not final).
    pub fn unsettled(&self) -> u64 {
        self.in_flight + self.awaiting_review + self.lost
    }

    pub fn add(&mut self, o: &KindOutcome) {
        self.sent += o.sent;
        self.completed += o.completed;
        self.failed_by_rule += o.failed_by_rule;
        self.reviewed += o.reviewed;
        self.awaiting_review += o.awaiting_review;
        self.dead_lettered += o.dead_lettered;
        self.in_flight += o.in_flight;
        self.lost += o.lost;
    }

    pub fn total(outcomes: &[KindOutcome]) -> KindOutcome {
        let mut total = KindOutcome::new(None);
        for o in outcomes {
            total.add(o);
        }
        total
    }
}

/// Orders in the table by status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderCounts {
    pub completed: u64,
    pub failed: u64,
    pub retrying: u64,
    pub reviewed: u64,
    pub total: u64,
}
