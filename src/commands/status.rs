//! `orderctl status`: resources against the desired state, queue depths, the alarm,
//! order counts and recent alerts, from one consistent read.

use super::emit;
use crate::aws::{observe, Aws, Env};
use crate::cli::{StatusArgs, TargetKind};
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
    /// aws: where the stack is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub aws: Option<Env>,
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

pub fn run(ctx: &Context, args: &StatusArgs) -> Result<Outcome> {
    let Some(every) = args.watch else {
        let report = report(ctx, args)?;
        emit(ctx, &report, || render(&report))?;
        return Ok(verdict(&report));
    };
    // In place at a terminal; otherwise one full report (one JSON line) per refresh.
    let in_place = ctx.interactive && !ctx.json();
    let stop = super::send::interrupted();
    loop {
        let report = report(ctx, args)?;
        if in_place {
            println!("\x1b[2J\x1b[H{}(every {}; Ctrl-C to stop)", render(&report), humantime::format_duration(every));
            std::io::Write::flush(&mut std::io::stdout())?;
        } else if ctx.json() {
            println!("{}", serde_json::to_string(&report)?);
        } else {
            println!("{}", render(&report));
        }
        let until = std::time::Instant::now() + every;
        while std::time::Instant::now() < until {
            if stop.load(std::sync::atomic::Ordering::Relaxed) {
                return Ok(verdict(&report));
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
    }
}

/// Exit 1 when a resource is not as desired.
fn verdict(report: &StatusReport) -> Outcome {
    if report.resources.iter().any(|r| r.state != "present") {
        Outcome::Negative
    } else {
        Outcome::Success
    }
}

/// The stack's status, as `status` reports it.
pub fn report(ctx: &Context, args: &StatusArgs) -> Result<StatusReport> {
    if ctx.target == TargetKind::Aws {
        return status_aws(ctx, args);
    }
    let stack = ctx.open_local()?;
    report_local(ctx, &stack, &stack.topology()?)
}

/// The status of a local stack already open (the page reads it every second).
pub fn report_local(ctx: &Context, stack: &crate::local::LocalStack, topology: &crate::local::Topology) -> Result<StatusReport> {
    let observed = stack.observed()?;
    let desired = StackSpec::new(&ctx.stack, topology.settings.clone());
    let resources = resource_states(&desired.resources, &observed);
    let mut conn = stack.db.connect()?;
    let report = conn.read(|tx| {
        let now = now_micros();
        let queues = query::queue_depths(tx, topology, now)?.into_iter().map(|(name, depth)| QueueStatus { name, depth }).collect();
        Ok(StatusReport {
            schema: "orderctl/status/v1",
            stack: ctx.stack.clone(),
            target: "local",
            resources,
            queues,
            dlq_depth: query::dlq_total(tx, topology)?,
            alarm: alarm::state(tx, &topology.names.alarm())?,
            orders: query::order_counts(tx)?,
            recent_alerts: query::recent_notifications(tx, 5)?
                .into_iter()
                .map(|n| Notification { at: rfc3339(n.at), topic: n.topic, endpoint: n.endpoint, subject: n.subject })
                .collect(),
            last_run: query::last_run(tx)?,
            aws: None,
            components: Vec::new(),
            alert_subscriptions: Vec::new(),
        })
    })?;
    Ok(report)
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
    match &r.aws {
        Some(env) => {
            let _ = writeln!(out, "stack `{}` on the aws target: account {}, region {}", r.stack, env.account, env.region);
        }
        None => {
            let _ = writeln!(out, "stack `{}` on the {} target", r.stack, r.target);
        }
    }
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
        let through =
            if a.evaluated_through > 0 { format!(" (evaluated through {})", rfc3339(a.evaluated_through)) } else { String::new() };
        let _ = writeln!(out, "alarm `{}`: {} since {}{through}\n  {}", a.name, a.state, rfc3339(a.changed_at), a.reason);
    }
    for c in &r.components {
        let _ = writeln!(out, "{} `{}`: {}", c.kind, c.name, c.state);
    }
    for a in &r.alert_subscriptions {
        let pending = if a.pending_confirmation { " — pending confirmation: the address must click the link AWS sent" } else { "" };
        let _ = writeln!(out, "alerts → {} {}{pending}", a.protocol, a.endpoint);
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

fn status_aws(ctx: &Context, args: &StatusArgs) -> Result<StatusReport> {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    runtime.block_on(async { report_aws(ctx, &Aws::connect(ctx).await?, args).await })
}

/// The status of an aws stack through clients already connected (the page reads it
/// every few seconds).
pub async fn report_aws(ctx: &Context, aws: &Aws, args: &StatusArgs) -> Result<StatusReport> {
    let settings = ctx.settings(&args.settings)?;
    let desired = crate::aws::desired::every_resource(&ctx.stack, &aws.env, settings)?;
    let observed = observe::observe(aws, &ctx.stack, &desired).await?;
    let have: Vec<Resource> = observed.iter().map(|o| o.resource.clone()).collect();
    let mut resources = resource_states(&desired, &have);
    for r in resources.iter_mut() {
        // The deployed code and architecture are what `up` shipped; without the
        // packages at hand there is nothing to compare them with.
        r.differs.retain(|f| f != "code_sha256" && f != "architecture");
        if r.state == "drifted" && r.differs.is_empty() {
            r.state = "present".into();
        }
        if let Some(o) = observed.iter().find(|o| o.resource.kind() == r.kind && o.resource.name() == r.name) {
            if !o.owned_by(&ctx.stack) {
                r.state = format!("not owned ({})", o.owner.as_deref().map_or("no stack tag".to_string(), |s| format!("stack `{s}`")));
            }
        }
    }
    let names = crate::spec::Names::new(&ctx.stack);
    let mut queues = Vec::new();
    for o in &observed {
        if let Resource::Queue { name, .. } = &o.resource {
            queues.push(QueueStatus { name: name.clone(), depth: crate::aws::send::queue_depth(&aws.sqs, &o.handle).await? });
        }
    }
    queues.sort_by(|a, b| a.name.cmp(&b.name));
    let dlq_depth = queues.iter().find(|q| q.name == names.dlq()).map_or(0, |q| q.depth.total());
    let mut components = Vec::new();
    for o in &observed {
        match &o.resource {
            Resource::EventSourceMapping { name, .. } => {
                let m = aws.lambda.get_event_source_mapping().uuid(&o.handle).send().await?;
                let state = m.state().unwrap_or("unknown").to_string();
                let last = m.last_processing_result().map(|r| format!(" (last result: {r})")).unwrap_or_default();
                components.push(ComponentState { kind: "event-source-mapping".into(), name: name.clone(), state: state + &last });
            }
            Resource::Pipe { name, .. } => {
                let p = aws.pipes.describe_pipe().name(name).send().await?;
                let state = p.current_state().map(|s| s.as_str().to_string()).unwrap_or_else(|| "unknown".into());
                let reason = p.state_reason().map(|r| format!(" ({r})")).unwrap_or_default();
                components.push(ComponentState { kind: "pipe".into(), name: name.clone(), state: state + &reason });
            }
            _ => {}
        }
    }
    let report = StatusReport {
        schema: "orderctl/status/v1",
        stack: ctx.stack.clone(),
        target: "aws",
        resources,
        queues,
        dlq_depth,
        alarm: crate::aws::send::alarm_state(&aws.cloudwatch, &names.alarm()).await?,
        orders: crate::aws::send::order_counts(&aws.dynamodb, &names.table()).await?,
        recent_alerts: Vec::new(),
        last_run: None,
        aws: Some(aws.env.clone()),
        components,
        alert_subscriptions: alert_subscriptions(aws, &names.alerts_topic()).await?,
    };
    Ok(report)
}

/// The subscriptions of the `alerts` topic; an unconfirmed one has no ARN yet.
async fn alert_subscriptions(aws: &Aws, topic: &str) -> Result<Vec<AlertSubscription>> {
    let mut out = Vec::new();
    let mut pages = aws.sns.list_subscriptions_by_topic().topic_arn(aws.env.topic_arn(topic)).into_paginator().send();
    while let Some(page) = pages.next().await {
        let Ok(page) = page else { break }; // no topic: nothing subscribed
        for s in page.subscriptions() {
            out.push(AlertSubscription {
                protocol: s.protocol().unwrap_or_default().into(),
                endpoint: s.endpoint().unwrap_or_default().into(),
                pending_confirmation: s.subscription_arn() == Some("PendingConfirmation"),
            });
        }
    }
    Ok(out)
}
