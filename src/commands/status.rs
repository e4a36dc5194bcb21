//! `orderctl status`: resources against the desired state, queue depths, the alarm,
//! order counts and recent alerts, from one consistent read.

use super::emit;
use crate::context::Context;
use crate::local::{alarm, query, sqs::Depth};
use crate::model::OrderCounts;
use crate::plan::{Action, Plan};
use crate::report::text::{numeric_row, table};
use crate::spec::{Resource, StackSpec};
use crate::Outcome;
use anyhow::Result;
use order_domain::{now_micros, rfc3339};
use serde::Serialize;
use std::fmt::Write;

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
    pub alarm: Option<alarm::AlarmState>,
    pub orders: OrderCounts,
    pub recent_alerts: Vec<Notification>,
    pub last_run: Option<String>,
}

pub fn run(ctx: &Context) -> Result<Outcome> {
    let stack = ctx.open_local()?;
    let topology = stack.topology()?;
    let observed = stack.observed()?;
    let desired = StackSpec::new(&ctx.stack, topology.settings.clone());
    let resources = resource_states(&desired.resources, &observed);
    let mut conn = stack.db.connect()?;
    let report = conn.read(|tx| {
        let now = now_micros();
        let queues = query::queue_depths(tx, &topology, now)?.into_iter().map(|(name, depth)| QueueStatus { name, depth }).collect();
        Ok(StatusReport {
            schema: "orderctl/status/v1",
            stack: ctx.stack.clone(),
            target: "local",
            resources,
            queues,
            dlq_depth: query::dlq_total(tx, &topology)?,
            alarm: alarm::state(tx, &topology.names.alarm())?,
            orders: query::order_counts(tx)?,
            recent_alerts: query::recent_notifications(tx, 5)?
                .into_iter()
                .map(|n| Notification { at: rfc3339(n.at), topic: n.topic, endpoint: n.endpoint, subject: n.subject })
                .collect(),
            last_run: query::last_run(tx)?,
        })
    })?;
    emit(ctx, &report, || render(&report))?;
    let drifted = report.resources.iter().any(|r| r.state != "present");
    Ok(if drifted { Outcome::Negative } else { Outcome::Success })
}

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

pub fn render(r: &StatusReport) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "stack `{}` on the {} target", r.stack, r.target);
    let mut t = table(&["kind", "name", "state"]);
    for res in &r.resources {
        let state = if res.differs.is_empty() { res.state.clone() } else { format!("{} ({})", res.state, res.differs.join(", ")) };
        t.add_row(vec![res.kind.clone(), res.name.clone(), state]);
    }
    let _ = writeln!(out, "\n{t}");
    let mut q = table(&["queue", "visible", "in flight", "delayed"]);
    for queue in &r.queues {
        q.add_row(numeric_row(&queue.name, [queue.depth.visible, queue.depth.in_flight, queue.depth.delayed].map(|n| n.to_string())));
    }
    let _ = writeln!(out, "\n{q}");
    let _ = writeln!(out, "\nDLQ depth: {}", r.dlq_depth);
    if let Some(a) = &r.alarm {
        let _ = writeln!(
            out,
            "alarm `{}`: {} since {} (evaluated through {})\n  {}",
            a.name,
            a.state,
            rfc3339(a.changed_at),
            rfc3339(a.evaluated_through),
            a.reason
        );
    }
    let o = &r.orders;
    let _ = writeln!(
        out,
        "orders: {} in the table: {} completed, {} failed by rule ({} reviewed), {} retrying",
        o.total, o.completed, o.failed, o.reviewed, o.retrying
    );
    if !r.recent_alerts.is_empty() {
        let _ = writeln!(out, "recent alerts:");
        for n in &r.recent_alerts {
            let _ = writeln!(out, "  {}  {} → {}: {}", n.at, n.topic, n.endpoint, n.subject.as_deref().unwrap_or(""));
        }
    }
    if let Some(run) = &r.last_run {
        let _ = writeln!(out, "last run: {run}");
    }
    out
}
