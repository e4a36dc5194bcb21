//! What both targets report, independent of how they found it out: order outcomes by
//! kind, queue depths, the alarm, order counts, the engine's and the API's counters,
//! and where an aws stack is.

use order_domain::{Kind, Micros};
use serde::Serialize;
use std::collections::BTreeMap;

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
    /// A technical failure recorded; the message will be delivered again.
    pub retrying: u64,
    /// Failed on the receive that exhausted `maxReceiveCount`: in the DLQ, until redriven.
    pub dead_lettered: u64,
    pub reviewed: u64,
    pub total: u64,
}

/// `ApproximateNumberOfMessages*` of one queue.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Depth {
    pub visible: u64,
    pub in_flight: u64,
    pub delayed: u64,
}

impl Depth {
    pub fn total(&self) -> u64 {
        self.visible + self.in_flight + self.delayed
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AlarmState {
    pub name: String,
    pub state: String,
    pub reason: String,
    pub changed_at: Micros,
    /// The end of the last period evaluated.
    pub evaluated_through: Micros,
}

/// What the local engine did during a command.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StatsSnapshot {
    pub invocations: u64,
    pub records: u64,
    pub record_failures: u64,
    pub function_errors: u64,
    pub timeouts: u64,
    pub panics: u64,
    pub duplicates: u64,
    pub routed: u64,
    pub alarm_transitions: u64,
    pub storage_errors: u64,
    /// The most invocations of one mapping that were running at once (at most its
    /// concurrency).
    pub peak_concurrency: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CallCounts {
    pub total: u64,
    pub mutating: u64,
    pub retries: u64,
    pub by_operation: BTreeMap<String, u64>,
}

/// Where the commands act: account, region, partition, endpoint.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Env {
    pub account: String,
    pub region: String,
    pub partition: String,
    /// The endpoint every service uses unless it has its own.
    pub endpoint: Option<String>,
    /// The services with an endpoint of their own (`AWS_ENDPOINT_URL_SQS`, …), by short
    /// name (`sqs`).
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub service_endpoints: std::collections::BTreeMap<String, String>,
}

impl Env {
    pub fn arn(&self, service: &str, resource: &str) -> String {
        format!("arn:{}:{service}:{}:{}:{resource}", self.partition, self.region, self.account)
    }
    pub fn queue_arn(&self, name: &str) -> String {
        self.arn("sqs", name)
    }
    pub fn topic_arn(&self, name: &str) -> String {
        self.arn("sns", name)
    }
    pub fn table_arn(&self, name: &str) -> String {
        self.arn("dynamodb", &format!("table/{name}"))
    }
    pub fn function_arn(&self, name: &str) -> String {
        self.arn("lambda", &format!("function:{name}"))
    }
    pub fn role_arn(&self, name: &str) -> String {
        format!("arn:{}:iam::{}:role/{name}", self.partition, self.account)
    }
    pub fn pipe_arn(&self, name: &str) -> String {
        self.arn("pipes", &format!("pipe/{name}"))
    }
    pub fn log_group_arn(&self, function: &str) -> String {
        self.arn("logs", &format!("log-group:/aws/lambda/{function}"))
    }
}

/// Why a message is in the DLQ, from its order's record: the last error the worker
/// recorded — unless the order has settled since, which makes the message a stale copy
/// (a duplicate delivery whose own receives then failed), shown with that status.
pub fn dead_letter_reason(record: Option<&order_domain::OrderRecord>) -> String {
    match record {
        None => "no attempt recorded on the order".into(),
        Some(r) if r.status.is_settled() => format!("a stale copy: the order is already {}", r.status.as_str()),
        Some(r) => r.last_error.clone().unwrap_or_else(|| format!("order is {} with no error recorded", r.status.as_str())),
    }
}
