//! `orderctl send`: publish synthetic orders on a fixed schedule at a total rate, wait
//! until every one has settled (or the wait runs out), and report where each went.

use super::emit;
use crate::cli::{KindArg, SendArgs};
use crate::context::Context;
use crate::load::{Limit, Schedule};
use crate::local::engine::{Engine, Faults};
use crate::local::{alarm, db::Conn, query, LocalStack, Topology};
use crate::model::KindOutcome;
use crate::report::{self, buckets, latency_histogram, AlarmView, AlertView, Latencies, LatencySummary, Requested, SendReport};
use crate::Outcome;
use anyhow::Result;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use order_domain::{now_micros, rfc3339, synthesize, Kind, Micros, Mix};
use std::thread;
use std::time::{Duration, Instant};

/// Most orders published in one transaction when the sender is catching up.
const MAX_BATCH: u64 = 1_000;

pub fn run(ctx: &Context, args: &SendArgs) -> Result<Outcome> {
    let mix = mix_of(args);
    let limit = match (args.count, args.duration) {
        (_, Some(d)) => Limit::Duration(d),
        (Some(n), None) => Limit::Count(n),
        (None, None) => Limit::Count(100),
    };
    let schedule = Schedule::new(args.rate, limit);
    let stack = ctx.open_local()?;
    let report = send_local(ctx, &stack, &schedule, &mix, args.wait, Faults::from_env()?)?;
    emit(ctx, &report, || report::text::send_report(&report))?;
    Ok(if report.problems.is_empty() { Outcome::Success } else { Outcome::Negative })
}

fn mix_of(args: &SendArgs) -> Mix {
    let kind = match args.kind {
        Some(KindArg::Normal) => Some(Kind::Normal),
        Some(KindArg::HighValue) => Some(Kind::HighValue),
        Some(KindArg::Fail) => Some(Kind::Fail),
        None if args.normal => Some(Kind::Normal),
        None if args.high_value => Some(Kind::HighValue),
        None if args.fail => Some(Kind::Fail),
        None => None,
    };
    match (kind, &args.mix) {
        (Some(k), _) => Mix::only(k),
        (None, Some(m)) => m.clone(),
        (None, None) => Mix::default(),
    }
}

fn progress(ctx: &Context, len: u64) -> ProgressBar {
    let target = if ctx.json() { ProgressDrawTarget::hidden() } else { ProgressDrawTarget::stderr() };
    let bar = ProgressBar::with_draw_target(Some(len), target);
    bar.set_style(
        ProgressStyle::with_template("{spinner} {msg:10} [{bar:30}] {pos}/{len} {per_sec} eta {eta}")
            .expect("valid template")
            .progress_chars("=> "),
    );
    bar
}

/// Sends the run on the local target with the engine running, then waits and reports.
pub fn send_local(ctx: &Context, stack: &LocalStack, schedule: &Schedule, mix: &Mix, wait: Duration, faults: Faults) -> Result<SendReport> {
    let topology = stack.topology()?;
    let rules = topology.settings.rules();
    let engine = Engine::start(stack, faults)?;
    let mut conn = stack.db.connect()?;
    let run_id = format!("r{}", &uuid::Uuid::new_v4().simple().to_string()[..10]);
    let started_wall = now_micros();
    conn.write(|tx| query::begin_run(tx, &run_id, &format!("send rate={} mix={mix}", schedule.rate()), started_wall))?;

    let bar = progress(ctx, schedule.len());
    bar.set_message("sending");
    let (mut publish, mut publish_call) = (latency_histogram(), latency_histogram());
    let mut kinds = mix.cycle();
    let start = Instant::now();
    let mut next = 0u64;
    while schedule.includes(next) {
        let due = schedule.due(next);
        let elapsed = start.elapsed();
        if due > elapsed {
            thread::sleep(due - elapsed);
        }
        let range = schedule.due_by(next, start.elapsed(), MAX_BATCH);
        let orders: Vec<_> = range
            .clone()
            .map(|n| {
                let scheduled = started_wall + schedule.due(n).as_micros() as Micros;
                synthesize(kinds.next().expect("the mix cycles forever"), n, &run_id, scheduled, &rules)
            })
            .collect();
        let call = Instant::now();
        conn.write(|tx| topology.publish_orders(tx, &run_id, &orders, now_micros()))?;
        let acked = start.elapsed();
        let call_us = call.elapsed().as_micros() as i64;
        for n in range.clone() {
            report::record(&mut publish, (acked.saturating_sub(schedule.due(n))).as_micros() as i64);
            report::record(&mut publish_call, call_us);
        }
        next = range.end;
        bar.set_position(next);
    }
    let send_seconds = start.elapsed().as_secs_f64();
    bar.set_message("settling");

    let settle_start = Instant::now();
    let mut outcomes = wait_for_run(&mut conn, &topology, &run_id, wait, &bar)?;
    let total = KindOutcome::total(&outcomes);
    if total.unsettled() == 0 {
        wait_for_alarm(&mut conn, &topology, now_micros(), Duration::from_secs(10))?;
    }
    let wait_seconds = settle_start.elapsed().as_secs_f64();
    engine.stop();
    bar.finish_and_clear();

    // Final figures from one last read, after the engine has stopped.
    outcomes = conn.read(|tx| query::run_outcomes(tx, &topology, &run_id))?;
    let total = KindOutcome::total(&outcomes);
    let mut e2e = latency_histogram();
    conn.read(|tx| query::settled_times(tx, &run_id, |_, scheduled, settled| report::record(&mut e2e, settled - scheduled)))?;
    let (dlq_depth, alarm_state, history) = conn.read(|tx| {
        Ok((
            query::dlq_total(tx, &topology)?,
            alarm::state(tx, &topology.names.alarm())?,
            alarm::history(tx, &topology.names.alarm(), started_wall)?,
        ))
    })?;
    let sent = total.sent;
    Ok(SendReport {
        schema: report::SEND_REPORT_SCHEMA,
        stack: stack.name.clone(),
        target: "local".into(),
        run_id,
        started_at: rfc3339(started_wall),
        finished_at: rfc3339(now_micros()),
        requested: Requested {
            rate: schedule.rate(),
            count: match schedule.limit() {
                Limit::Count(n) => Some(n),
                Limit::Duration(_) => None,
            },
            duration_seconds: match schedule.limit() {
                Limit::Duration(d) => Some(d.as_secs_f64()),
                Limit::Count(_) => None,
            },
            mix: mix.to_string(),
        },
        sent,
        send_seconds,
        achieved_rate: if send_seconds > 0.0 { sent as f64 / send_seconds } else { 0.0 },
        problems: SendReport::problems_of(&total),
        outcomes,
        total,
        latency: Latencies {
            end_to_end: LatencySummary::of(&e2e),
            publish: LatencySummary::of(&publish),
            publish_uncorrected: LatencySummary::of(&publish_call),
            end_to_end_histogram: buckets(&e2e),
        },
        dlq_depth,
        alarm: alarm_state.map(|a| AlarmView { name: a.name, state: a.state, reason: a.reason, changed_at: rfc3339(a.changed_at) }),
        alerts: history
            .into_iter()
            .map(|t| AlertView { at: rfc3339(t.at), alarm: t.alarm, from: t.old_state, to: t.new_state, reason: t.reason })
            .collect(),
        settled: total.unsettled() == 0,
        wait_seconds,
    })
}

/// Polls the run's outcomes until every order has settled or `wait` runs out.
pub fn wait_for_run(conn: &mut Conn, topology: &Topology, run_id: &str, wait: Duration, bar: &ProgressBar) -> Result<Vec<KindOutcome>> {
    let deadline = Instant::now() + wait;
    loop {
        let outcomes = conn.read(|tx| query::run_outcomes(tx, topology, run_id))?;
        let total = KindOutcome::total(&outcomes);
        bar.set_message(format!("settling: {} in flight, {} to review", total.in_flight, total.awaiting_review));
        if total.unsettled() == 0 || Instant::now() >= deadline {
            return Ok(outcomes);
        }
        thread::sleep(Duration::from_millis(25));
    }
}

/// Waits until the alarm has evaluated a period that ends after `moment`, so the state
/// reported reflects the DLQ as the run left it.
pub fn wait_for_alarm(conn: &mut Conn, topology: &Topology, moment: Micros, max: Duration) -> Result<()> {
    let deadline = Instant::now() + max;
    for a in &topology.alarms {
        while Instant::now() < deadline {
            let through = conn.read(|tx| Ok(alarm::state(tx, &a.name)?.map_or(i64::MAX, |s| s.evaluated_through)))?;
            if through >= moment {
                break;
            }
            thread::sleep(Duration::from_millis(20));
        }
    }
    Ok(())
}
