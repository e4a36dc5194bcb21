//! The local engine's end-to-end throughput and latency on this machine: normal orders,
//! durable state, the whole pipeline (topic → queue → worker → table → stream → pipe).
//!
//!     cargo bench --bench local_engine            # all scenarios
//!     cargo bench --bench local_engine -- quick   # shorter runs
//!
//! Each scenario runs on a fresh stack in a temporary directory.

use order_domain::{Kind, Mix};
use orderctl::cli::{OutputFormat, TargetKind};
use orderctl::context::Context;
use orderctl::load::LoadPlan;
use orderctl::load::{Limit, Schedule};
use orderctl::local::engine::Faults;
use orderctl::local::load::send_local;
use orderctl::local::{query, LocalStack};
use orderctl::plan::Plan;
use orderctl::spec::{Settings, StackSpec};
use std::sync::atomic::AtomicBool;
use std::time::Duration;

fn fresh() -> (tempfile::TempDir, Context, LocalStack) {
    let dir = tempfile::tempdir().unwrap();
    let spec = StackSpec::new("bench", Settings::local());
    let stack = LocalStack::create(dir.path(), "bench").unwrap();
    stack.apply(&spec, &Plan::diff(&spec.resources, &[])).unwrap();
    let ctx = Context {
        stack: "bench".into(),
        target: TargetKind::Local,
        output: OutputFormat::Json,
        yes: true,
        state_dir: dir.path().to_path_buf(),
        endpoint_url: None,
        endpoint_url_from_env: false,
        region: None,
        profile: None,
        interactive: false,
        thresholds: Default::default(),
    };
    (dir, ctx, stack)
}

fn main() {
    let quick = std::env::args().any(|a| a == "quick");
    let secs = if quick { 5 } else { 20 };
    println!(
        "{:<34} {:>9} {:>11} {:>12} {:>9} {:>9} {:>9} {:>8}",
        "scenario", "orders", "sent/s", "settled/s", "p50 ms", "p99 ms", "max ms", "lost"
    );
    let mut scenarios: Vec<(String, f64, Limit)> = vec![
        (format!("steady 1,000/s for {secs}s"), 1_000.0, Limit::Duration(Duration::from_secs(secs))),
        (format!("steady 10,000/s for {secs}s"), 10_000.0, Limit::Duration(Duration::from_secs(secs))),
    ];
    let burst = if quick { 50_000 } else { 200_000 };
    scenarios.push((format!("saturate: {burst} as fast as possible"), 1_000_000.0, Limit::Count(burst)));
    for (name, rate, limit) in scenarios {
        let (_dir, ctx, stack) = fresh();
        let plan = LoadPlan {
            scenario: None,
            schedule: Schedule::new(rate, limit),
            mix: Mix::only(Kind::Normal),
            wait: Duration::from_secs(300),
            thresholds: Default::default(),
            hdr_out: None,
            report_html: None,
        };
        let report = send_local(&ctx, &stack, &plan, Faults::default(), &AtomicBool::new(false)).unwrap();
        // Settled throughput: orders over the span from the first scheduled send to the
        // last committed outcome.
        let mut conn = stack.db.connect().unwrap();
        let (first, last) = conn
            .read(|tx| {
                let mut span = (i64::MAX, i64::MIN);
                query::settled_times(tx, &report.run_id, |_, scheduled, settled| {
                    span.0 = span.0.min(scheduled);
                    span.1 = span.1.max(settled);
                })?;
                Ok(span)
            })
            .unwrap();
        let settled_rate = report.total.completed as f64 / ((last - first) as f64 / 1e6);
        let e2e = report.latency.end_to_end.clone().unwrap();
        println!(
            "{name:<34} {:>9} {:>11.0} {:>12.0} {:>9.2} {:>9.2} {:>9.1} {:>8}",
            report.sent, report.achieved_rate, settled_rate, e2e.p50_ms, e2e.p99_ms, e2e.max_ms, report.total.lost
        );
    }
}
