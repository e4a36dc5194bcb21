//! `orderctl drain`: run the local pipeline until nothing is left to do — every queue
//! but the DLQ empty, the pipe caught up, every high-value order reviewed — for example
//! after an `orderctl` was killed mid-run.

use super::emit;
use crate::cli::DrainArgs;
use crate::context::Context;
use crate::Outcome;
use anyhow::Result;

pub fn run(ctx: &Context, args: &DrainArgs) -> Result<Outcome> {
    let report = crate::targets::open(ctx).drain(args.wait)?;
    emit(ctx, &report, || {
        let o = &report.orders;
        format!(
            "{} in {:.1}s: {} records processed in {} invocations; DLQ depth {}; alarm {}\norders: {} completed, {} failed by rule ({} reviewed), {} retrying, {} in the DLQ\n",
            if report.drained { "drained" } else { "NOT drained (wait ran out)" },
            report.seconds,
            report.engine.records,
            report.engine.invocations,
            report.dlq_depth,
            report.alarm_state.as_deref().unwrap_or("none"),
            o.completed,
            o.failed,
            o.reviewed,
            o.retrying,
            o.dead_lettered
        )
    })?;
    Ok(if report.drained { Outcome::Success } else { Outcome::Negative })
}
