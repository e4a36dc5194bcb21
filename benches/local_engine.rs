//! The local engine's end-to-end throughput and latency on this machine: durable state,
//! the whole pipeline (topic → queue → worker → table → stream → pipe).
//!
//!     cargo bench --bench local_engine                 # every scenario (about 8 minutes)
//!     cargo bench --bench local_engine -- quick        # shorter runs (about 2 minutes)
//!     cargo bench --bench local_engine -- only 1m      # the scenarios whose key has `1m`
//!
//! Each scenario runs in a process of its own (this binary, run again), on a fresh stack
//! in a temporary directory, so its peak RSS is its own. `settled/s` is orders over the
//! span from the first scheduled send to the last committed outcome; latencies are end
//! to end, from each order's scheduled time; `state MB` is the stack's directory
//! (database, WAL) when the run has settled.

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
use std::process::Command;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

/// One scenario: a name, a rate (a huge one: as fast as possible), how much, which mix.
struct Scenario {
    key: &'static str,
    name: String,
    rate: f64,
    limit: Limit,
    mix: Mix,
}

fn scenarios(quick: bool) -> Vec<Scenario> {
    let short = if quick { 5 } else { 20 };
    let soak = if quick { 60 } else { 300 };
    let normal = || Mix::only(Kind::Normal);
    let saturate = |key, n: u64| Scenario {
        key,
        name: format!("saturate: {} as fast as possible", thousands(n)),
        rate: 10_000_000.0,
        limit: Limit::Count(n),
        mix: normal(),
    };
    let steady = |key, rate: f64, secs: u64| Scenario {
        key,
        name: format!("steady {}/s for {secs}s", thousands(rate as u64)),
        rate,
        limit: Limit::Duration(Duration::from_secs(secs)),
        mix: normal(),
    };
    let mut all = vec![
        steady("steady-1k", 1_000.0, short),
        steady("steady-10k", 10_000.0, short),
        steady("soak-10k", 10_000.0, soak),
        // The README's first command: its mix, rate and count.
        Scenario {
            key: "readme",
            name: "README mix: 1,000 at 200/s".into(),
            rate: 200.0,
            limit: Limit::Count(1_000),
            mix: "normal=8,high-value=1,fail=1".parse().expect("a valid mix"),
        },
        saturate("burst-50k", 50_000),
        saturate("burst-200k", 200_000),
    ];
    if !quick {
        all.push(saturate("burst-1m", 1_000_000));
    }
    all
}

fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn fresh(dir: &std::path::Path) -> (Context, LocalStack) {
    let spec = StackSpec::new("bench", Settings::local());
    let stack = LocalStack::create(dir, "bench").unwrap();
    stack.apply(&spec, &Plan::diff(&spec.resources, &[])).unwrap();
    let ctx = Context {
        stack: "bench".into(),
        target: TargetKind::Local,
        output: OutputFormat::Json,
        yes: true,
        state_dir: dir.to_path_buf(),
        endpoint_url: None,
        endpoint_url_from_env: false,
        region: None,
        profile: None,
        interactive: false,
        thresholds: Default::default(),
    };
    (ctx, stack)
}

fn dir_bytes(dir: &std::path::Path) -> u64 {
    let mut total = 0;
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let meta = entry.metadata().unwrap();
        total += if meta.is_dir() { dir_bytes(&entry.path()) } else { meta.len() };
    }
    total
}

/// `VmHWM` of this process, in MB.
fn peak_rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb = status.lines().find_map(|l| l.strip_prefix("VmHWM:")).and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok());
    kb.map_or(f64::NAN, |kb| kb / 1024.0)
}

/// Runs one scenario in this process; prints its row and, on the last line, its settled/s.
fn run(s: &Scenario) {
    let dir = tempfile::tempdir().unwrap();
    let (ctx, stack) = fresh(dir.path());
    let plan = LoadPlan {
        scenario: None,
        schedule: Schedule::new(s.rate, s.limit),
        mix: s.mix.clone(),
        wait: Duration::from_secs(900),
        thresholds: Default::default(),
        hdr_out: None,
        report_html: None,
        workers: None,
    };
    let report = send_local(&ctx, &stack, &plan, Faults::default(), &AtomicBool::new(false)).unwrap();
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
    let settled = report.total.completed + report.total.failed_by_rule + report.total.dead_lettered;
    let settled_rate = settled as f64 / ((last - first) as f64 / 1e6);
    let e2e = report.latency.end_to_end.clone().unwrap();
    let state_mb = dir_bytes(dir.path()) as f64 / 1e6;
    println!(
        "{:<36} {:>9} {:>10.0} {:>10.0} {:>8.2} {:>8.2} {:>9.1} {:>6} {:>8.1} {:>9.1}",
        s.name,
        report.sent,
        report.achieved_rate,
        settled_rate,
        e2e.p50_ms,
        e2e.p99_ms,
        e2e.max_ms,
        report.total.lost,
        peak_rss_mb(),
        state_mb
    );
    println!("settled/s {settled_rate}");
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let quick = args.iter().any(|a| a == "quick");
    let all = scenarios(quick);
    if let Some(i) = args.iter().position(|a| a == "--scenario") {
        let key = &args[i + 1];
        run(all.iter().find(|s| s.key == key).expect("a known scenario"));
        return;
    }
    let only = args.iter().position(|a| a == "only").and_then(|i| args.get(i + 1));
    println!(
        "{:<36} {:>9} {:>10} {:>10} {:>8} {:>8} {:>9} {:>6} {:>8} {:>9}",
        "scenario", "orders", "sent/s", "settled/s", "p50 ms", "p99 ms", "max ms", "lost", "RSS MB", "state MB"
    );
    let mut rates = Vec::new();
    for s in all.iter().filter(|s| only.is_none_or(|o| s.key.contains(o.as_str()))) {
        let mut cmd = Command::new(std::env::current_exe().unwrap());
        cmd.arg("--scenario").arg(s.key);
        if quick {
            cmd.arg("quick");
        }
        let out = cmd.output().unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        let mut lines = text.lines();
        match (lines.next(), lines.next().and_then(|l| l.strip_prefix("settled/s "))) {
            (Some(row), Some(rate)) if out.status.success() => {
                println!("{row}");
                rates.push((s.key, rate.parse::<f64>().unwrap_or(f64::NAN)));
            }
            _ => println!("{:<36} failed: {}\n{}", s.name, out.status, String::from_utf8_lossy(&out.stderr)),
        }
    }
    let rate = |key| rates.iter().find(|(k, _)| *k == key).map(|(_, r)| *r);
    if let (Some(small), Some(big)) = (rate("burst-50k"), rate("burst-1m").or(rate("burst-200k"))) {
        let which = if rate("burst-1m").is_some() { "1,000,000" } else { "200,000" };
        println!("saturated settled/s, {which} against 50,000: {:.2}×", big / small);
    }
}
