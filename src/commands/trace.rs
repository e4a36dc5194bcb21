//! `orderctl trace ORDER_ID`: one order through every hop, in time order, with the gap
//! from each step to the one before; where it is now; the log lines that mention it.
//! Exit 1 when the order is unknown, naming the nearest ids.

use super::emit;
use crate::cli::TraceArgs;
use crate::context::Context;
use crate::report::text::table;
use crate::report::trace::TraceReport;
use crate::Outcome;
use anyhow::Result;
use std::fmt::Write;

pub fn run(ctx: &Context, args: &TraceArgs) -> Result<Outcome> {
    let report = crate::targets::open(ctx).trace(&args.order_id)?;
    emit(ctx, &report, || render(&report, &format!("{}-", ctx.stack)))?;
    Ok(if report.found { Outcome::Success } else { Outcome::Negative })
}

pub fn render(r: &TraceReport, stack_prefix: &str) -> String {
    let mut out = String::new();
    if !r.found {
        let _ = writeln!(out, "order `{}` is unknown in stack `{}` ({} target)", r.order_id, r.stack, r.target);
        if !r.nearest.is_empty() {
            let _ = writeln!(out, "nearest ids: {}", r.nearest.join(", "));
        }
        for n in &r.notes {
            let _ = writeln!(out, "note: {n}");
        }
        return out;
    }
    let _ = writeln!(out, "trace of order `{}` in stack `{}` ({} target)", r.order_id, r.stack, r.target);
    let mut t = table(&["time", "+gap", "step", "seen in", "detail"]);
    for s in &r.steps {
        let gap =
            s.gap_ms.map_or_else(|| "–".to_string(), |g| if g >= 1000.0 { format!("{:.2} s", g / 1000.0) } else { format!("{g:.1} ms") });
        let source = s.source.strip_prefix(stack_prefix).unwrap_or(&s.source);
        t.add_row(vec![s.at.clone(), gap, s.step.clone(), source.to_string(), s.detail.clone()]);
    }
    let _ = writeln!(out, "{t}");
    if let Some(now) = &r.now {
        let mut line = format!("now: {}, {} attempt(s), {}", now.status.as_str(), now.attempts, now.place);
        for (what, v) in [("failure", &now.failure_reason), ("last error", &now.last_error), ("review", &now.review)] {
            if let Some(v) = v {
                let _ = write!(line, "; {what}: {v}");
            }
        }
        let _ = writeln!(out, "{line}");
    } else {
        let _ = writeln!(out, "now: not in the table");
    }
    let _ = writeln!(out, "log lines that mention it ({}):", r.logs.len());
    for e in &r.logs {
        let _ = writeln!(out, "  {}", super::logs::render(e, stack_prefix, false));
    }
    for n in &r.notes {
        let _ = writeln!(out, "note: {n}");
    }
    out
}
