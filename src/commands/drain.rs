//! `orderctl drain`: run the local pipeline until nothing is left to do — every queue
//! but the DLQ empty, the pipe caught up, every high-value order reviewed — for example
//! after an `orderctl` was killed mid-run.

use super::emit;
use super::send::wait_for_alarm;
use crate::cli::DrainArgs;
use crate::context::Context;
use crate::local::engine::{Engine, Faults, StatsSnapshot};
use crate::local::{alarm, pipe, query, sqs::Depth};
use crate::model::OrderCounts;
use crate::Outcome;
use anyhow::Result;
use order_domain::now_micros;
use serde::Serialize;
use std::thread;
use std::time::{Duration, Instant};

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct DrainReport {
    schema: &'static str,
    stack: String,
    drained: bool,
    seconds: f64,
    remaining: Vec<(String, Depth)>,
    dlq_depth: u64,
    orders: OrderCounts,
    alarm_state: Option<String>,
    engine: StatsSnapshot,
}

pub fn run(ctx: &Context, args: &DrainArgs) -> Result<Outcome> {
    let stack = ctx.open_local()?;
    let topology = stack.topology()?;
    let engine = Engine::start(&stack, Faults::from_env()?)?;
    let mut conn = stack.db.connect()?;
    let start = Instant::now();
    let dlq = topology.names.dlq();
    let drained = loop {
        let busy = conn.read(|tx| {
            let now = now_micros();
            let queued: u64 = query::queue_depths(tx, &topology, now)?.iter().filter(|(q, _)| *q != dlq).map(|(_, d)| d.total()).sum();
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
        if start.elapsed() >= args.wait {
            break false;
        }
        thread::sleep(Duration::from_millis(25));
    };
    if drained {
        wait_for_alarm(&mut conn, &topology, now_micros(), Duration::from_secs(10))?;
    }
    let stats = engine.stop();
    let report = conn.read(|tx| {
        let now = now_micros();
        Ok(DrainReport {
            schema: "orderctl/drain/v1",
            stack: ctx.stack.clone(),
            drained,
            seconds: start.elapsed().as_secs_f64(),
            remaining: query::queue_depths(tx, &topology, now)?,
            dlq_depth: query::dlq_total(tx, &topology)?,
            orders: query::order_counts(tx)?,
            alarm_state: alarm::state(tx, &topology.names.alarm())?.map(|a| a.state),
            engine: stats,
        })
    })?;
    emit(ctx, &report, || {
        let o = &report.orders;
        format!(
            "{} in {:.1}s: {} records processed in {} invocations; DLQ depth {}; alarm {}\norders: {} completed, {} failed by rule ({} reviewed), {} retrying\n",
            if report.drained { "drained" } else { "NOT drained (wait ran out)" },
            report.seconds,
            report.engine.records,
            report.engine.invocations,
            report.dlq_depth,
            report.alarm_state.as_deref().unwrap_or("none"),
            o.completed,
            o.failed,
            o.reviewed,
            o.retrying
        )
    })?;
    Ok(if drained { Outcome::Success } else { Outcome::Negative })
}
