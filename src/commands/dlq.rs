//! `orderctl dlq inspect | redrive | purge` on the local target.

use super::emit;
use crate::cli::DlqCommand;
use crate::context::Context;
use crate::local::{query, sqs};
use crate::report::text::table;
use crate::Outcome;
use anyhow::Result;
use order_domain::{now_micros, Micros};
use serde::Serialize;
use std::fmt::Write;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct DeadLetter {
    message_id: String,
    order_id: Option<String>,
    kind: Option<String>,
    amount: Option<f64>,
    receive_count: u32,
    age_seconds: f64,
    in_dlq_seconds: Option<f64>,
    source_queue: Option<String>,
    reason: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct InspectReport {
    schema: &'static str,
    queue: String,
    depth: u64,
    shown: usize,
    by_reason: Vec<(String, usize)>,
    messages: Vec<DeadLetter>,
}

pub fn run(ctx: &Context, cmd: &DlqCommand) -> Result<Outcome> {
    match cmd {
        DlqCommand::Inspect { limit, order_id } => inspect(ctx, *limit, order_id.as_deref()),
        DlqCommand::Redrive { limit, dry_run } => redrive(ctx, *limit, *dry_run),
        DlqCommand::Purge => purge(ctx),
    }
}

fn secs(from: Micros, to: Micros) -> f64 {
    ((to - from).max(0) as f64 / 1e6 * 10.0).round() / 10.0
}

fn inspect(ctx: &Context, limit: usize, order_id: Option<&str>) -> Result<Outcome> {
    let stack = ctx.open_local()?;
    let topology = stack.topology()?;
    let mut conn = stack.db.connect()?;
    // Every dead letter counts in the grouping by reason; `limit` only bounds the rows shown.
    let (depth, mut letters) =
        conn.read(|tx| Ok((query::dlq_total(tx, &topology)?, query::dead_letters(tx, &topology, order_id, usize::MAX)?)))?;
    let mut by_reason: Vec<(String, usize)> = Vec::new();
    for (_, reason) in &letters {
        match by_reason.iter_mut().find(|(r, _)| r == reason) {
            Some((_, n)) => *n += 1,
            None => by_reason.push((reason.clone(), 1)),
        }
    }
    by_reason.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
    letters.truncate(limit);
    let now = now_micros();
    let messages: Vec<DeadLetter> = letters
        .into_iter()
        .map(|(m, reason)| {
            let body: Option<serde_json::Value> = serde_json::from_str(&m.body).ok();
            let field = |k: &str| body.as_ref().and_then(|b| b.get(k)).cloned();
            DeadLetter {
                message_id: m.message_id,
                order_id: m.order_id,
                kind: field("kind").and_then(|v| v.as_str().map(str::to_string)),
                amount: field("amount").and_then(|v| v.as_f64()),
                receive_count: m.receive_count,
                age_seconds: secs(m.sent_at, now),
                in_dlq_seconds: m.dead_lettered_at.map(|t| secs(t, now)),
                source_queue: m.source_queue,
                reason,
            }
        })
        .collect();
    let report =
        InspectReport { schema: "orderctl/dlq-inspect/v1", queue: topology.names.dlq(), depth, shown: messages.len(), by_reason, messages };
    emit(ctx, &report, || {
        let mut out = format!("`{}` holds {} messages; showing {}\n", report.queue, report.depth, report.shown);
        if report.messages.is_empty() {
            return out;
        }
        let mut t = table(&["message id", "order id", "kind", "amount", "receives", "age", "in DLQ", "reason"]);
        for m in &report.messages {
            t.add_row(vec![
                m.message_id.clone(),
                m.order_id.clone().unwrap_or_else(|| "–".into()),
                m.kind.clone().unwrap_or_else(|| "–".into()),
                m.amount.map_or("–".into(), |a| format!("{a:.2}")),
                m.receive_count.to_string(),
                format!("{}s", m.age_seconds),
                m.in_dlq_seconds.map_or("–".into(), |s| format!("{s}s")),
                m.reason.clone(),
            ]);
        }
        let _ = writeln!(out, "{t}");
        let mut g = table(&["reason", "messages"]);
        for (reason, n) in &report.by_reason {
            g.add_row(vec![reason.clone(), n.to_string()]);
        }
        let _ = writeln!(out, "{g}");
        out
    })?;
    Ok(Outcome::Success)
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RedriveReport {
    schema: &'static str,
    dry_run: bool,
    moved: usize,
    would_move: usize,
    dlq_depth_after: u64,
}

fn redrive(ctx: &Context, limit: Option<usize>, dry_run: bool) -> Result<Outcome> {
    let stack = ctx.open_local()?;
    let topology = stack.topology()?;
    let mut conn = stack.db.connect()?;
    let depth = conn.read(|tx| query::dlq_total(tx, &topology))?;
    let want = limit.map_or(depth as usize, |l| l.min(depth as usize));
    let mut moved = 0;
    if !dry_run {
        // Chunks keep each transaction short, so a running engine is not held up.
        while moved < want {
            let n = conn.write(|tx| {
                sqs::redrive(tx, &topology.names.dlq(), &topology.names.orders_queue(), (want - moved).min(500), now_micros())
            })?;
            if n == 0 {
                break;
            }
            moved += n;
        }
    }
    let after = conn.read(|tx| query::dlq_total(tx, &topology))?;
    let report = RedriveReport { schema: "orderctl/dlq-redrive/v1", dry_run, moved, would_move: want, dlq_depth_after: after };
    emit(ctx, &report, || {
        if dry_run {
            format!("would move {want} messages from `{}` back to their source queue (dry run, nothing moved)\n", topology.names.dlq())
        } else {
            format!(
                "moved {moved} messages from `{}` back to their source queue; {after} left in the DLQ\nrun `orderctl drain` (or a `send`) to process them\n",
                topology.names.dlq()
            )
        }
    })?;
    Ok(Outcome::Success)
}

fn purge(ctx: &Context) -> Result<Outcome> {
    let stack = ctx.open_local()?;
    let topology = stack.topology()?;
    let mut conn = stack.db.connect()?;
    let depth = conn.read(|tx| query::dlq_total(tx, &topology))?;
    if depth > 0 && !ctx.confirm(&format!("delete all {depth} messages in `{}`?", topology.names.dlq()))? {
        eprintln!("nothing deleted");
        return Ok(Outcome::Negative);
    }
    let deleted = conn.write(|tx| sqs::purge(tx, &topology.names.dlq()))?;
    emit(ctx, &serde_json::json!({"schema": "orderctl/dlq-purge/v1", "deleted": deleted}), || {
        format!("deleted {deleted} messages from `{}`\n", topology.names.dlq())
    })?;
    Ok(Outcome::Success)
}
