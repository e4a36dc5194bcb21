//! What `status` and `drain` report, on either target.

use crate::model::{Depth, OrderCounts, StatsSnapshot};
use crate::plan::{Action, Plan};
use crate::spec::Resource;
use serde::Serialize;

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ResourceStatus {
    pub kind: String,
    pub name: String,
    /// `present`, `missing`, `drifted` or `unexpected`.
    pub state: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub differs: Vec<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct QueueStatus {
    pub name: String,
    #[serde(flatten)]
    pub depth: Depth,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Notification {
    pub at: String,
    pub topic: String,
    pub endpoint: String,
    pub subject: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StatusReport {
    pub schema: &'static str,
    pub stack: String,
    pub target: &'static str,
    pub resources: Vec<ResourceStatus>,
    pub queues: Vec<QueueStatus>,
    pub dlq_depth: u64,
    pub alarm: Option<crate::model::AlarmState>,
    pub orders: OrderCounts,
    pub recent_alerts: Vec<Notification>,
    pub last_run: Option<String>,
    /// aws: where the stack is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub aws: Option<crate::model::Env>,
    /// aws: the state of each event source mapping and pipe.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub components: Vec<ComponentState>,
    /// aws: who the `alerts` topic notifies, and whether they have confirmed.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub alert_subscriptions: Vec<AlertSubscription>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AlertSubscription {
    pub protocol: String,
    pub endpoint: String,
    pub pending_confirmation: bool,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ComponentState {
    pub kind: String,
    pub name: String,
    pub state: String,
}

/// Each resource's state: what the plan from `observed` to `desired` would do to it.
pub fn resource_states(desired: &[Resource], observed: &[Resource]) -> Vec<ResourceStatus> {
    Plan::diff(desired, observed)
        .changes
        .into_iter()
        .map(|c| {
            let (state, differs) = match c.action {
                Action::Unchanged => ("present", Vec::new()),
                Action::Create => ("missing", Vec::new()),
                Action::Update(fields) => ("drifted", fields),
                Action::Delete => ("unexpected", Vec::new()),
            };
            ResourceStatus { kind: c.kind, name: c.name, state: state.into(), differs }
        })
        .collect()
}

/// What `drain` did.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DrainReport {
    pub schema: &'static str,
    pub stack: String,
    pub drained: bool,
    pub seconds: f64,
    pub remaining: Vec<(String, Depth)>,
    pub dlq_depth: u64,
    pub orders: OrderCounts,
    pub alarm_state: Option<String>,
    pub engine: StatsSnapshot,
}
