//! `orderctl dlq inspect | redrive | purge` on both targets.

use super::{emit, show_asked};
use crate::cli::DlqCommand;
use crate::context::Context;
use crate::dlq::{DeadLetter, InspectReport, PurgeReport, RedriveReport, Selection};
use crate::report::text::table;
use crate::target::RedriveOptions;
use crate::Outcome;
use anyhow::Result;
use std::fmt::Write;

pub fn run(ctx: &Context, cmd: &DlqCommand) -> Result<Outcome> {
    let target = crate::targets::open(ctx);
    match cmd {
        DlqCommand::Inspect { limit, order_id } => show_inspect(ctx, &target.dlq_inspect(*limit, order_id.as_deref())?),
        DlqCommand::Redrive { limit, order_id, kind, filter, set_notes, rate, wait, dry_run } => {
            let selection = Selection { order_id: order_id.clone(), kind: kind.map(Into::into), reason: filter.clone(), limit: *limit };
            let options = RedriveOptions { notes: set_notes.clone(), rate: *rate, wait: *wait, dry_run: *dry_run, progress: true };
            // Ctrl-C stops the move (and cancels a move task); what moved stays moved.
            let report = target.dlq_redrive(&selection, &options, crate::live::interrupted())?;
            show_redrive(ctx, &report)
        }
        DlqCommand::Purge => show_asked(ctx, target.dlq_purge(&|question| ctx.confirm(question))?, "nothing deleted", purged),
    }
}

fn purged(r: &PurgeReport) -> String {
    match (r.eventual, r.deleted) {
        (false, n) => format!("deleted {n} messages from `{}`\n", r.queue),
        (true, 0) => format!("`{}` is empty: nothing purged\n", r.queue),
        (true, n) => format!("purged `{}`: {n} messages deleted (SQS takes up to 60 s to finish a purge)\n", r.queue),
    }
}

fn letters_table(letters: &[DeadLetter]) -> comfy_table::Table {
    let mut t = table(&["message id", "order id", "kind", "amount", "receives", "age", "in DLQ", "reason"]);
    for m in letters {
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
    t
}

fn show_inspect(ctx: &Context, report: &InspectReport) -> Result<Outcome> {
    emit(ctx, report, || {
        let mut out = format!("`{}` holds {} messages; showing {}\n", report.queue, report.depth, report.shown);
        if report.messages.is_empty() {
            return out;
        }
        let _ = writeln!(out, "{}", letters_table(&report.messages));
        let mut g = table(&["reason", "messages"]);
        for (reason, n) in &report.by_reason {
            g.add_row(vec![reason.clone(), n.to_string()]);
        }
        let _ = writeln!(out, "{g}");
        out
    })?;
    Ok(Outcome::Success)
}

fn show_redrive(ctx: &Context, report: &RedriveReport) -> Result<Outcome> {
    let dlq = &report.queue;
    emit(ctx, report, || {
        if report.dry_run {
            let mut out = format!(
                "would move {} messages from `{dlq}` back to their source queue (dry run, nothing moved)\n",
                report.would_move.len()
            );
            if !report.would_move.is_empty() {
                let _ = writeln!(out, "{}", letters_table(&report.would_move));
            }
            return out;
        }
        let rate = if report.seconds > 0.0 { report.moved as f64 / report.seconds } else { 0.0 };
        let mut out = format!(
            "moved {} messages from `{dlq}` back to their source queue ({}, {:.1}s, {rate:.0}/s); {} left in the DLQ\n",
            report.moved, report.method, report.seconds, report.dlq_depth_after
        );
        if report.failed > 0 {
            let _ = writeln!(out, "{} selected messages could not be sent and stay in the DLQ", report.failed);
        }
        if report.not_deleted > 0 {
            let _ = writeln!(
                out,
                "{} messages were sent but could not be deleted from the DLQ: they will be processed twice",
                report.not_deleted
            );
        }
        if report.interrupted {
            out.push_str("interrupted: the move stopped before it finished; run it again to move the rest\n");
        }
        match &report.followed {
            Some(f) => {
                let _ = writeln!(
                    out,
                    "afterwards: {} completed, {} failed by rule, {} back in the DLQ, {} still processing{}",
                    f.completed,
                    f.failed_by_rule,
                    f.back_in_dlq,
                    f.processing,
                    if f.not_orders > 0 { format!(", {} not orders", f.not_orders) } else { String::new() }
                );
            }
            None => out.push_str("pass `--wait 30s` to follow the moved orders\n"),
        }
        out
    })?;
    let problems =
        report.failed > 0 || report.interrupted || report.followed.as_ref().is_some_and(|f| f.back_in_dlq > 0 || f.processing > 0);
    Ok(if problems { Outcome::Negative } else { Outcome::Success })
}
