//! `up`, `down`, `status` and `drain` on the local target: the stack is a directory
//! holding one database, whose resources table is the observed state.

use super::engine::{Engine, Faults};
use super::load::wait_for_alarm;
use super::{alarm, pipe, query, LocalStack, Topology, DB_FILE};
use crate::context::Context;
use crate::plan::Plan;
use crate::report::stack::{DownReport, LocalDown, UpReport};
use crate::report::status::{resource_states, DrainReport, Notification, QueueStatus, StatusReport};
use crate::spec::{Settings, StackSpec};
use crate::target::{Approve, Asked};
use anyhow::Result;
use order_domain::{now_micros, rfc3339};
use std::thread;
use std::time::{Duration, Instant};

/// Converges the stack's directory to `settings`; a dry run only plans.
pub fn up(ctx: &Context, settings: Settings, dry_run: bool) -> Result<UpReport> {
    let spec = StackSpec::new(&ctx.stack, settings);
    let dir = LocalStack::dir_for(&ctx.state_dir, &ctx.stack);
    let observed = if dir.join(DB_FILE).exists() { LocalStack::open(&ctx.state_dir, &ctx.stack)?.observed()? } else { Vec::new() };
    let plan = Plan::diff(&spec.resources, &observed);
    if !ctx.json() {
        eprintln!("target: local (embedded, no AWS account) · stack `{}` · state in `{}`", ctx.stack, dir.display());
    }
    let apply = !dry_run && !plan.is_noop();
    if apply {
        LocalStack::create(&ctx.state_dir, &ctx.stack)?.apply(&spec, &plan)?;
    }
    Ok(UpReport {
        schema: "orderctl/up/v1",
        stack: ctx.stack.clone(),
        target: "local",
        state: Some(dir.display().to_string()),
        aws: None,
        dry_run,
        applied: apply,
        plan,
        api_calls: None,
        seconds: None,
    })
}

/// Deletes the stack's directory once `approve` says yes.
pub fn down(ctx: &Context, approve: Approve) -> Result<Asked<DownReport>> {
    let dir = LocalStack::dir_for(&ctx.state_dir, &ctx.stack);
    let mut report = LocalDown {
        schema: "orderctl/down/v1",
        stack: ctx.stack.clone(),
        target: "local",
        deleted: false,
        resources: 0,
        messages: 0,
        orders: 0,
    };
    if !dir.join(DB_FILE).exists() {
        // What an interrupted `down` left: finish it.
        super::remove_if_there(&dir)?;
        super::remove_if_there(&super::tombstone(&dir))?;
        return Ok(Asked::Done(DownReport::Local(report)));
    }
    let stack = LocalStack::open(&ctx.state_dir, &ctx.stack)?;
    report.resources = stack.observed()?.len();
    let mut conn = stack.db.connect()?;
    (report.messages, report.orders) = conn.read(|tx| {
        let messages: u64 = tx.query_row("SELECT COUNT(*) FROM messages", [], |r| r.get(0))?;
        Ok((messages, query::order_counts(tx)?.total))
    })?;
    drop(conn);
    let question = format!(
        "delete local stack `{}`: {} resources, {} messages, {} orders in `{}`?",
        ctx.stack,
        report.resources,
        report.messages,
        report.orders,
        dir.display()
    );
    if !approve(&question)? {
        return Ok(Asked::Declined);
    }
    stack.destroy()?;
    report.deleted = true;
    Ok(Asked::Done(DownReport::Local(report)))
}

/// The status of a stack already open (the page reads it every second).
pub fn status(ctx: &Context, stack: &LocalStack, topology: &Topology) -> Result<StatusReport> {
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

/// Runs the engine until every queue but the DLQ is empty, the pipe has caught up and
/// every high-value order is reviewed — or `wait` runs out.
pub fn drain(ctx: &Context, stack: &LocalStack, topology: &Topology, wait: Duration) -> Result<DrainReport> {
    let engine = Engine::start(stack, Faults::from_env()?)?;
    let mut conn = stack.db.connect()?;
    let start = Instant::now();
    let dlq = topology.names.dlq();
    let drained = loop {
        let busy = conn.read(|tx| {
            let now = now_micros();
            let queued: u64 = query::queue_depths(tx, topology, now)?.iter().filter(|(q, _)| *q != dlq).map(|(_, d)| d.total()).sum();
            let piping = topology.pipes.iter().map(|p| pipe::has_work(tx, &p.name)).collect::<Result<Vec<_>>>()?.into_iter().any(|b| b);
            let unreviewed: u64 =
                tx.query_row("SELECT COUNT(*) FROM items WHERE status = 'FAILED' AND tier = 'high-value' AND reviewed = 0", [], |r| {
                    r.get(0)
                })?;
            Ok(queued > 0 || piping || unreviewed > 0)
        })?;
        if !busy {
            break true;
        }
        if start.elapsed() >= wait {
            break false;
        }
        thread::sleep(Duration::from_millis(25));
    };
    if drained {
        wait_for_alarm(&mut conn, topology, now_micros(), Duration::from_secs(10))?;
    }
    let stats = engine.stop();
    conn.read(|tx| {
        let now = now_micros();
        Ok(DrainReport {
            schema: "orderctl/drain/v1",
            stack: ctx.stack.clone(),
            drained,
            seconds: start.elapsed().as_secs_f64(),
            remaining: query::queue_depths(tx, topology, now)?,
            dlq_depth: query::dlq_total(tx, topology)?,
            orders: query::order_counts(tx)?,
            alarm_state: alarm::state(tx, &topology.names.alarm())?.map(|a| a.state),
            engine: stats,
        })
    })
}
