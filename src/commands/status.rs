//! `orderctl status`: resources against the desired state, queue depths, the alarm,
//! order counts and recent alerts, from one consistent read; `--watch` refreshes it.

use super::emit;
use crate::cli::StatusArgs;
use crate::context::Context;
use crate::report::status::StatusReport;
use crate::report::text::{numeric_row, table};
use crate::Outcome;
use anyhow::Result;
use order_domain::rfc3339;
use std::fmt::Write;

pub fn run(ctx: &Context, args: &StatusArgs) -> Result<Outcome> {
    let target = crate::targets::open(ctx);
    let settings = target.settings(&args.settings)?;
    let Some(every) = args.watch else {
        let report = target.status(&settings)?;
        emit(ctx, &report, || render(&report))?;
        return Ok(verdict(&report));
    };
    // In place at a terminal; otherwise one full report (one JSON line) per refresh.
    let in_place = ctx.interactive && !ctx.json();
    let stop = crate::live::interrupted();
    loop {
        let report = target.status(&settings)?;
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
        "orders: {} in the table: {} completed, {} failed by rule ({} reviewed), {} retrying, {} in the DLQ",
        o.total, o.completed, o.failed, o.reviewed, o.retrying, o.dead_lettered
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
