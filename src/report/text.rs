//! Text renderings for people: comfy-table tables and a bar histogram.

use super::{Bucket, LatencySummary, SendReport, WorkersView};
use crate::model::KindOutcome;
use crate::plan::{Action, Plan};
use comfy_table::{presets, Cell, CellAlignment, ContentArrangement, Row, Table};
use std::fmt::Write;

/// A table in the house style: header row, light borders, numbers right-aligned.
pub fn table(header: &[&str]) -> Table {
    let mut t = Table::new();
    t.load_style(presets::UTF8_FULL_CONDENSED).set_content_arrangement(ContentArrangement::Dynamic).set_header(header.to_vec());
    t
}

/// A row whose cells after the first are right-aligned (numbers).
pub fn numeric_row(label: &str, values: impl IntoIterator<Item = String>) -> Row {
    let mut row = Row::new();
    row.add_cell(Cell::new(label));
    for v in values {
        row.add_cell(Cell::new(v).set_alignment(CellAlignment::Right));
    }
    row
}

pub fn outcome_table(outcomes: &[KindOutcome], total: &KindOutcome) -> Table {
    let mut t = table(&["kind", "sent", "completed", "failed by rule", "reviewed", "in DLQ", "in flight", "lost"]);
    for o in outcomes.iter().chain(std::iter::once(total)) {
        let label = o.kind.map_or("total".to_string(), |k| k.to_string());
        t.add_row(numeric_row(
            &label,
            [o.sent, o.completed, o.failed_by_rule, o.reviewed, o.dead_lettered, o.in_flight, o.lost].map(|n| n.to_string()),
        ));
    }
    t
}

/// One row per `load-generator` worker of a run.
pub fn workers_table(w: &WorkersView) -> Table {
    let mut t = table(&["worker", "share", "sent", "rate /s", "late p99 ms", "errors", "retries", "invocations", "cold start ms"]);
    for r in &w.each {
        t.add_row(numeric_row(
            &r.worker.to_string(),
            [
                r.share.to_string(),
                r.sent.to_string(),
                format!("{:.1}", r.achieved_rate),
                r.lateness_p99_ms.map_or("–".into(), ms),
                r.errors.to_string(),
                r.retries.to_string(),
                r.invocations.to_string(),
                r.cold_start_ms.map_or("warm".into(), |c| format!("{c:.0}")),
            ],
        ));
    }
    t
}

pub fn latency_table(rows: &[(&str, &Option<LatencySummary>)]) -> Table {
    let mut t = table(&["latency (ms)", "count", "p50", "p90", "p99", "p99.9", "max"]);
    for (label, summary) in rows {
        match summary {
            Some(s) => {
                t.add_row(numeric_row(label, [s.count.to_string(), ms(s.p50_ms), ms(s.p90_ms), ms(s.p99_ms), ms(s.p999_ms), ms(s.max_ms)]))
            }
            None => t.add_row(numeric_row(label, ["0".to_string(), "–".into(), "–".into(), "–".into(), "–".into(), "–".into()])),
        };
    }
    t
}

fn ms(v: f64) -> String {
    if v >= 100.0 {
        format!("{v:.0}")
    } else if v >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    }
}

/// Horizontal bars, one per bucket, scaled to `width` characters.
pub fn histogram(buckets: &[Bucket], width: usize) -> String {
    let max = buckets.iter().map(|b| b.count).max().unwrap_or(0).max(1);
    let total: u64 = buckets.iter().map(|b| b.count).sum::<u64>().max(1);
    let mut out = String::new();
    for b in buckets {
        let bar = ((b.count as f64 / max as f64) * width as f64).ceil() as usize;
        let label = format!("{}–{} ms", trim(b.from_ms), trim(b.to_ms));
        let _ = writeln!(
            out,
            "  {label:>16} │{:<width$} {:>7} {:>5.1}%",
            "█".repeat(bar.min(width)),
            b.count,
            b.count as f64 * 100.0 / total as f64
        );
    }
    out
}

fn trim(v: f64) -> String {
    let s = format!("{v}");
    s.strip_suffix(".0").map(str::to_string).unwrap_or(s)
}

/// The live view's line while sending: rates, errors (where a publish can fail without
/// ending the run), orders in flight, and the end-to-end percentiles so far.
pub fn live_line(target: f64, achieved: f64, errors: Option<u64>, in_flight: u64, e2e: &hdrhistogram::Histogram<u64>) -> String {
    let errors = errors.map_or(String::new(), |e| format!(" · errors {e}"));
    format!("target {target:.0}/s · achieved {achieved:.0}/s{errors} · in flight {in_flight} · {}", e2e_so_far(e2e))
}

/// `e2e p50 … p99 … ms` of what has settled so far.
pub fn e2e_so_far(e2e: &hdrhistogram::Histogram<u64>) -> String {
    if e2e.is_empty() {
        return "e2e –".into();
    }
    let p = |q: f64| e2e.value_at_quantile(q) as f64 / 1000.0;
    format!("e2e p50 {:.1} p99 {:.1} ms", p(0.5), p(0.99))
}

pub fn send_report(r: &SendReport) -> String {
    let mut out = String::new();
    let q = &r.requested;
    let plan = match &q.scenario {
        Some(name) => format!(
            "scenario `{name}`: {} orders over {:.1}s in {} stage{}",
            q.count,
            q.duration_seconds,
            q.stages.len(),
            if q.stages.len() == 1 { "" } else { "s" }
        ),
        None => format!("{} orders over {:.1}s", q.count, q.duration_seconds),
    };
    let _ = writeln!(
        out,
        "run {} on stack `{}` ({}): {} sent in {:.2}s, {:.1}/s achieved of {}/s requested ({plan}, mix {})",
        r.run_id, r.stack, r.target, r.sent, r.send_seconds, r.achieved_rate, q.rate, q.mix
    );
    if let Some(l) = &r.scheduling.lateness {
        let _ = writeln!(
            out,
            "schedule kept: sends {} ms late at p50, {} ms at p99; {} sends more than 10 ms late{}",
            ms(l.p50_ms),
            ms(l.p99_ms),
            r.scheduling.late_sends,
            if r.scheduling.unsent > 0 { format!("; {} never sent", r.scheduling.unsent) } else { String::new() }
        );
    }
    let sc = &r.scheduling;
    if sc.publish_errors > 0 || sc.retries > 0 {
        let _ = writeln!(
            out,
            "endpoint: {} requests retried, {} orders never accepted{}",
            sc.retries,
            sc.publish_errors,
            sc.last_error.as_ref().map(|e| format!(" (last error: {e})")).unwrap_or_default()
        );
    }
    let _ = writeln!(out, "\n{}", outcome_table(&r.outcomes, &r.total));
    if let Some(w) = &r.workers {
        let _ = writeln!(
            out,
            "\npublished by {} load-generator workers ({}): {} invocations, {} cold starts; figures below merged from all of them\n{}",
            w.count,
            w.runner,
            w.invocations,
            w.cold_starts,
            workers_table(w)
        );
    }
    let _ = writeln!(
        out,
        "\n{}",
        latency_table(&[
            ("end-to-end", &r.latency.end_to_end),
            ("publish (from schedule)", &r.latency.publish),
            ("publish (call only)", &r.latency.publish_uncorrected),
        ])
    );
    if !r.latency.end_to_end_histogram.is_empty() {
        let _ = writeln!(out, "\nend-to-end latency (completed and failed by rule)\n{}", histogram(&r.latency.end_to_end_histogram, 40));
    }
    let _ = writeln!(out, "DLQ depth: {}", r.dlq_depth.map_or("unknown (the queue could not be read)".to_string(), |d| d.to_string()));
    match &r.alarm {
        Some(a) => {
            let _ = writeln!(out, "alarm `{}`: {} since {} ({})", a.name, a.state, a.changed_at, a.reason);
        }
        None => {
            let _ = writeln!(out, "alarm: none");
        }
    }
    if let Some(alerts) = &r.alerts {
        let count = if alerts.is_empty() { "none".to_string() } else { alerts.len().to_string() };
        let _ = writeln!(out, "alarm notifications to the alerts topic: {count}");
        for a in alerts {
            let _ = writeln!(out, "  {}  `{}` {} → {}", a.at, a.alarm, a.from, a.to);
        }
    }
    if let Some(e) = r.engine.filter(|e| e.function_errors + e.timeouts + e.panics + e.duplicates > 0) {
        let _ = writeln!(
            out,
            "functions: {} invocations, {} errors, {} timeouts, {} panics; {} duplicate deliveries",
            e.invocations, e.function_errors, e.timeouts, e.panics, e.duplicates
        );
    }
    if !r.thresholds.is_empty() {
        let mut t = table(&["threshold", "limit", "actual", "result"]);
        for th in &r.thresholds {
            t.add_row(vec![th.name.clone(), th.limit.clone(), th.actual.clone(), if th.passed { "pass".into() } else { "FAIL".into() }]);
        }
        let _ = writeln!(out, "\n{t}");
    }
    if r.problems.is_empty() {
        let _ = writeln!(out, "\nresult: ok, every order accounted for ({:.1}s waiting to settle)", r.wait_seconds);
    } else {
        let _ = writeln!(out, "\nresult: FAILED");
        for p in &r.problems {
            let _ = writeln!(out, "  - {p}");
        }
    }
    out
}

/// The plan's changes, one row each.
pub fn plan_changes(plan: &Plan) -> comfy_table::Table {
    let mut t = table(&["action", "kind", "name", "fields"]);
    for c in &plan.changes {
        let (action, fields) = match &c.action {
            Action::Create => ("create", String::new()),
            Action::Update(f) => ("update", f.join(", ")),
            Action::Unchanged => ("unchanged", String::new()),
            Action::Delete => ("delete", String::new()),
        };
        t.add_row(vec![action.to_string(), c.kind.clone(), c.name.clone(), fields]);
    }
    t
}

/// The plan as a table, with its counts.
pub fn plan_table(plan: &Plan) -> String {
    format!("{}\nplan: {}\n", plan_changes(plan), plan_counts(plan))
}

/// How many resources the plan creates, updates, leaves and deletes.
pub fn plan_counts(plan: &Plan) -> String {
    format!(
        "{} to create, {} to update, {} unchanged, {} to delete",
        plan.count(|a| *a == Action::Create),
        plan.count(|a| matches!(a, Action::Update(_))),
        plan.count(|a| *a == Action::Unchanged),
        plan.count(|a| *a == Action::Delete),
    )
}
