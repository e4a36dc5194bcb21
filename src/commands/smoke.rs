//! `orderctl smoke`: the CI step. Brings the stack up if needed, sends one order of
//! each kind and checks that each reaches the outcome the business rules promise: a
//! normal order completes; a high-value one fails by rule and is reviewed; a FAIL one
//! lands in the DLQ after exactly `maxReceiveCount` receives. The DLQ depth is read from
//! the queue itself (CloudWatch's SQS metrics lag); the alarm is reported, not checked.

use super::emit;
use crate::cli::SmokeArgs;
use crate::context::Context;
use crate::load::scenario::Thresholds;
use crate::load::{Limit, LoadPlan, Schedule};
use crate::model::KindOutcome;
use crate::report::{AlarmView, SendReport};
use crate::target::{Asked, Target};
use crate::Outcome;
use anyhow::Result;
use order_domain::{Kind, Mix, OrderRecord, Status};
use serde::Serialize;
use std::collections::HashMap;
use std::fmt::Write;
use std::time::Instant;

#[derive(Debug, Clone, Serialize)]
pub struct Check {
    pub name: String,
    pub passed: bool,
    pub detail: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SmokeReport {
    pub schema: &'static str,
    pub stack: String,
    pub target: &'static str,
    pub run_id: String,
    pub passed: bool,
    pub checks: Vec<Check>,
    pub dlq_depth: Option<u64>,
    /// Information only: CloudWatch evaluates SQS metrics minutes late.
    pub alarm: Option<AlarmView>,
    pub seconds: f64,
    pub torn_down: bool,
}

pub fn run(ctx: &Context, args: &SmokeArgs) -> Result<Outcome> {
    let start = Instant::now();
    let result = smoke(&*crate::targets::open(ctx), args, start);
    let torn_down = args.down && tear_down(ctx);
    let mut report = match result {
        Ok(r) => r,
        Err(e) if args.down => return Err(e.context(format!("smoke failed{}", if torn_down { "; the stack was torn down" } else { "" }))),
        Err(e) => return Err(e),
    };
    report.torn_down = torn_down;
    if args.down && !torn_down {
        report.passed = false;
        report.checks.push(Check {
            name: "`--down` tears the stack down".into(),
            passed: false,
            detail: "the teardown failed (see the warning)".into(),
        });
    }
    if let Some(path) = &args.junit {
        std::fs::write(path, junit(&report)).map_err(|e| anyhow::anyhow!("writing `{}`: {e}", path.display()))?;
    }
    emit(ctx, &report, || render(&report))?;
    Ok(if report.passed { Outcome::Success } else { Outcome::Negative })
}

/// `down` with consent given by `--down`; says so and carries on when it fails.
fn tear_down(ctx: &Context) -> bool {
    let consented = Context { yes: true, output: crate::cli::OutputFormat::Json, ..ctx.clone() };
    match super::down::remove(&*crate::targets::open(&consented)) {
        Ok(_) => true,
        Err(e) => {
            eprintln!("warning: `--down` could not tear the stack down: {e:#}");
            false
        }
    }
}

fn smoke(target: &dyn Target, args: &SmokeArgs, start: Instant) -> Result<SmokeReport> {
    let settings = target.settings(&args.deploy.settings)?;
    if let Asked::Declined = super::up::converge(target, &args.deploy, false)? {
        anyhow::bail!("the stack is not up as asked (the changes were not confirmed): nothing was sent");
    }
    let plan = LoadPlan {
        scenario: Some("smoke".into()),
        schedule: Schedule::new(10.0, Limit::Count(3)),
        mix: "normal=1,high-value=1,fail=1".parse::<Mix>().map_err(anyhow::Error::msg)?,
        wait: args.timeout,
        thresholds: Thresholds::default(),
        hdr_out: None,
        report_html: None,
        workers: None,
    };
    let ctx = target.context();
    let report = target.load(&plan, &|question| ctx.confirm(question), crate::live::interrupted())?;
    let ids: Vec<String> = (0..3).map(|n| format!("{}-{n}", report.run_id)).collect();
    let records = target.records(&ids)?;
    let checks = checks(&report, &records, settings.max_receive_count);
    Ok(SmokeReport {
        schema: "orderctl/smoke/v1",
        stack: target.context().stack.clone(),
        target: target.name(),
        run_id: report.run_id.clone(),
        passed: checks.iter().all(|c| c.passed),
        checks,
        dlq_depth: report.dlq_depth,
        alarm: report.alarm.clone(),
        seconds: start.elapsed().as_secs_f64(),
        torn_down: false,
    })
}

/// The expectations, each with what was seen.
pub fn checks(report: &SendReport, records: &[OrderRecord], max_receive_count: u32) -> Vec<Check> {
    let by_kind: HashMap<Kind, &KindOutcome> = report.outcomes.iter().filter_map(|o| o.kind.map(|k| (k, o))).collect();
    let outcome = |k: Kind| by_kind.get(&k).copied().copied().unwrap_or_else(|| KindOutcome::new(Some(k)));
    let record = |k: Kind| records.iter().find(|r| r.order.kind == Some(k));
    let seen = |k: Kind| match record(k) {
        Some(r) => format!(
            "status {}, {} receive(s){}{}",
            r.status.as_str(),
            r.attempts,
            r.failure_reason.as_deref().map(|f| format!(", {f}")).unwrap_or_default(),
            if r.review.is_some() { ", reviewed" } else { "" }
        ),
        None => "not in the table".to_string(),
    };
    let check = |name: &str, passed: bool, detail: String| Check { name: name.to_string(), passed, detail };
    let (normal, high, fail) = (outcome(Kind::Normal), outcome(Kind::HighValue), outcome(Kind::Fail));
    let fail_receives = record(Kind::Fail).map(|r| r.attempts);
    vec![
        check("a normal order completes", normal.sent == 1 && normal.completed == 1, seen(Kind::Normal)),
        check(
            "a high-value order fails by rule and is reviewed",
            high.sent == 1 && high.failed_by_rule == 1 && high.reviewed == 1,
            seen(Kind::HighValue),
        ),
        check(
            &format!("a FAIL order lands in the DLQ after exactly {max_receive_count} receives"),
            fail.sent == 1
                && fail.dead_lettered == 1
                && fail_receives == Some(max_receive_count)
                && record(Kind::Fail).is_some_and(|r| r.status == Status::DeadLettered),
            format!("{}{}", seen(Kind::Fail), if fail.dead_lettered == 1 { ", in the DLQ" } else { ", not in the DLQ" }),
        ),
        check(
            "the DLQ holds at least that order (read from the queue)",
            report.dlq_depth.is_some_and(|d| d >= 1),
            format!("DLQ depth {}", depth_text(report.dlq_depth)),
        ),
        check(
            "no order is lost",
            report.total.lost == 0 && report.total.sent == 3,
            format!("{} sent, {} lost", report.total.sent, report.total.lost),
        ),
    ]
}

pub fn render(r: &SmokeReport) -> String {
    let mut out = format!("smoke test of stack `{}` on the {} target (run {})\n", r.stack, r.target, r.run_id);
    for c in &r.checks {
        let _ = writeln!(out, "  {} {}: {}", if c.passed { "✓" } else { "✗" }, c.name, c.detail);
    }
    let alarm = r.alarm.as_ref().map_or("none".to_string(), |a| format!("`{}` {} ({})", a.name, a.state, a.reason));
    let _ = writeln!(out, "DLQ depth {}; alarm {alarm} (reported, not checked)", depth_text(r.dlq_depth));
    let failed = r.checks.iter().filter(|c| !c.passed).count();
    let verdict = if r.passed { "PASSED".to_string() } else { format!("FAILED ({failed} of {} checks)", r.checks.len()) };
    let _ = writeln!(out, "{verdict} in {:.1}s{}", r.seconds, if r.torn_down { "; the stack was torn down" } else { "" });
    out
}

fn xml(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&apos;")
}

/// The checks as JUnit XML: one test case each.
pub fn junit(r: &SmokeReport) -> String {
    let failures = r.checks.iter().filter(|c| !c.passed).count();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"orderctl smoke\" tests=\"{}\" failures=\"{failures}\" time=\"{:.3}\">",
        r.checks.len(),
        r.seconds
    );
    let _ = writeln!(
        out,
        "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failures}\" errors=\"0\" time=\"{:.3}\">",
        xml(&format!("orderctl smoke: stack {} on {}", r.stack, r.target)),
        r.checks.len(),
        r.seconds
    );
    for c in &r.checks {
        let _ = write!(out, "    <testcase classname=\"orderctl.smoke\" name=\"{}\"", xml(&c.name));
        if c.passed {
            let _ = writeln!(out, "><system-out>{}</system-out></testcase>", xml(&c.detail));
        } else {
            let _ = writeln!(out, "><failure message=\"{}\">{}</failure></testcase>", xml(&c.detail), xml(&c.detail));
        }
    }
    let alarm = r.alarm.as_ref().map_or("none".to_string(), |a| format!("{} {}: {}", a.name, a.state, a.reason));
    let _ = writeln!(
        out,
        "    <system-out>{}</system-out>",
        xml(&format!("run {}; DLQ depth {}; alarm {alarm}", r.run_id, depth_text(r.dlq_depth)))
    );
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}

/// A DLQ depth, or why there is none.
fn depth_text(depth: Option<u64>) -> String {
    depth.map_or("unknown".to_string(), |d| d.to_string())
}
