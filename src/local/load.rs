//! A load run on the local target: the engine runs while the plan's orders are published
//! on their schedule, the live view reads what settled, and the report comes from one
//! last read of the stack after the engine has stopped.

use super::db::Conn;
use super::engine::{Engine, Faults};
use super::{alarm, query, LocalStack, Topology};
use crate::context::Context;
use crate::load::LoadPlan;
use crate::model::KindOutcome;
use crate::report::{
    self, buckets, latency_histogram, AlarmView, AlertView, Latencies, LatencySummary, PerSecond, Requested, Scheduling, SendReport,
};
use anyhow::Result;
use hdrhistogram::Histogram;
use indicatif::ProgressBar;
use order_domain::{now_micros, rfc3339, synthesize, Micros};
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::{Duration, Instant};

/// Most orders published in one transaction when the sender is catching up.
const MAX_BATCH: u64 = 1_000;
/// A send later than this after its due time counts as late.
const LATE: Duration = Duration::from_millis(10);
/// After Ctrl-C, how long to wait for what was sent to settle.
const GRACE: Duration = Duration::from_secs(5);

/// What the live view shows, refreshed while the run goes on.
struct Live {
    e2e: Histogram<u64>,
    settled: u64,
    seen_until: Micros,
    last: Instant,
}

impl Live {
    fn refresh(&mut self, conn: &mut Conn, run_id: &str) -> Result<()> {
        let since = self.seen_until;
        let (mut settled, mut until) = (0, since);
        let e2e = &mut self.e2e;
        conn.read(|tx| {
            query::settled_since(tx, run_id, since, |scheduled, at| {
                report::record(e2e, at - scheduled);
                settled += 1;
                until = until.max(at);
            })
        })?;
        self.settled += settled;
        self.seen_until = until;
        self.last = Instant::now();
        Ok(())
    }

    /// While sending. A local publish either commits or ends the run with an error,
    /// so there is no error count to show.
    fn message(&self, sent: u64, target: f64, elapsed: Duration) -> String {
        let achieved = if elapsed.as_secs_f64() > 0.0 { sent as f64 / elapsed.as_secs_f64() } else { 0.0 };
        report::text::live_line(target, achieved, None, sent.saturating_sub(self.settled), &self.e2e)
    }
}

/// Sends the plan on the local target with the engine running, then waits and reports.
pub fn send_local(ctx: &Context, stack: &LocalStack, plan: &LoadPlan, faults: Faults, stop: &AtomicBool) -> Result<SendReport> {
    let schedule = &plan.schedule;
    let topology = stack.topology()?;
    let rules = topology.settings.rules();
    let engine = Engine::start(stack, faults)?;
    let mut conn = stack.db.connect()?;
    let run_id = format!("r{}", &uuid::Uuid::new_v4().simple().to_string()[..10]);
    let started_wall = now_micros();
    let description = format!("{} peak={}/s mix={}", plan.scenario.as_deref().unwrap_or("send"), schedule.peak_rate(), plan.mix);
    conn.write(|tx| query::begin_run(tx, &run_id, &description, started_wall))?;

    let bar = crate::live::progress(ctx.json(), schedule.len());
    let (mut publish, mut publish_call, mut lateness) = (latency_histogram(), latency_histogram(), latency_histogram());
    let mut live = Live { e2e: latency_histogram(), settled: 0, seen_until: 0, last: Instant::now() };
    let mut late_sends = 0u64;
    let (mut sent_per_second, mut settled_per_second) = (PerSecond::default(), PerSecond::default());
    let mut kinds = plan.mix.cycle();
    let (mut first_send, mut last_send) = (None, None);
    let start = Instant::now();
    let mut next = 0u64;
    while schedule.includes(next) && !stop.load(Ordering::Relaxed) {
        let due = schedule.due(next);
        let elapsed = start.elapsed();
        if due > elapsed {
            // Sleep in slices, so Ctrl-C and the live view stay responsive in a pause.
            thread::sleep((due - elapsed).min(Duration::from_millis(100)));
            if schedule.due(next) > start.elapsed() {
                continue;
            }
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
        let called_at = start.elapsed();
        first_send.get_or_insert(called_at);
        last_send = Some(called_at);
        conn.write(|tx| topology.publish_orders(tx, &run_id, &orders, now_micros()))?;
        let acked = start.elapsed();
        let call_us = call.elapsed().as_micros() as i64;
        for n in range.clone() {
            let late = called_at.saturating_sub(schedule.due(n));
            report::record(&mut lateness, late.as_micros() as i64);
            if late > LATE {
                late_sends += 1;
            }
            report::record(&mut publish, acked.saturating_sub(schedule.due(n)).as_micros() as i64);
            report::record(&mut publish_call, call_us);
            sent_per_second.add(acked.as_micros() as i64);
        }
        next = range.end;
        bar.set_position(next);
        if live.last.elapsed() >= Duration::from_millis(500) {
            live.refresh(&mut conn, &run_id)?;
            bar.set_message(live.message(next, schedule.peak_rate(), start.elapsed()));
        }
    }
    let send_seconds = start.elapsed().as_secs_f64();
    let interrupted = stop.load(Ordering::Relaxed);
    let wait = if interrupted { GRACE } else { plan.wait };

    let settle_start = Instant::now();
    wait_for_run(&mut conn, &topology, &run_id, wait, &bar, &mut live, stop_again(stop, interrupted))?;
    let outcomes = conn.read(|tx| query::run_outcomes(tx, &topology, &run_id))?;
    if KindOutcome::total(&outcomes).unsettled() == 0 {
        wait_for_alarm(&mut conn, &topology, now_micros(), Duration::from_secs(10))?;
    }
    let wait_seconds = settle_start.elapsed().as_secs_f64();
    let engine = engine.stop();
    bar.finish_and_clear();

    // Final figures from one last read, after the engine has stopped.
    let outcomes = conn.read(|tx| query::run_outcomes(tx, &topology, &run_id))?;
    let total = KindOutcome::total(&outcomes);
    let mut e2e = latency_histogram();
    conn.read(|tx| {
        query::settled_times(tx, &run_id, |_, scheduled, settled| {
            report::record(&mut e2e, settled - scheduled);
            settled_per_second.add(settled - started_wall);
        })
    })?;
    if let Some(path) = &plan.hdr_out {
        std::fs::write(path, report::hgrm::percentile_distribution(&e2e, 1000.0))
            .map_err(|e| anyhow::anyhow!("writing `{}`: {e}", path.display()))?;
    }
    let (dlq_depth, alarm_state, history) = conn.read(|tx| {
        Ok((
            query::dlq_total(tx, &topology)?,
            alarm::state(tx, &topology.names.alarm())?,
            alarm::history(tx, &topology.names.alarm(), started_wall)?,
        ))
    })?;
    let sent = total.sent;
    let mut problems = SendReport::problems_of(&total);
    if interrupted {
        problems.insert(0, format!("interrupted: {} of {} orders were sent", sent, schedule.len()));
    }
    let mut report = SendReport {
        schema: report::SEND_REPORT_SCHEMA,
        stack: stack.name.clone(),
        target: "local".into(),
        run_id,
        started_at: rfc3339(started_wall),
        finished_at: rfc3339(now_micros()),
        requested: Requested::of(plan),
        sent,
        send_seconds,
        achieved_rate: report::achieved_rate(sent, first_send, last_send, send_seconds),
        scheduling: Scheduling {
            lateness: LatencySummary::of(&lateness),
            late_sends,
            unsent: schedule.len().saturating_sub(sent),
            ..Scheduling::default()
        },
        interrupted,
        problems,
        outcomes,
        total,
        latency: Latencies {
            end_to_end: LatencySummary::of(&e2e),
            publish: LatencySummary::of(&publish),
            publish_uncorrected: LatencySummary::of(&publish_call),
            end_to_end_histogram: buckets(&e2e),
        },
        dlq_depth: Some(dlq_depth),
        alarm: alarm_state.map(|a| AlarmView { name: a.name, state: a.state, reason: a.reason, changed_at: rfc3339(a.changed_at) }),
        alerts: Some(
            history
                .into_iter()
                .map(|t| AlertView { at: rfc3339(t.at), alarm: t.alarm, from: t.old_state, to: t.new_state, reason: t.reason })
                .collect(),
        ),
        engine: Some(engine),
        timeline: report::timeline(&sent_per_second, &settled_per_second),
        settled: total.unsettled() == 0,
        wait_seconds,
        thresholds: Vec::new(),
        workers: None,
    };
    report.check(&plan.thresholds);
    Ok(report)
}

/// During the grace wait after a first Ctrl-C, nothing else stops the wait; otherwise
/// a Ctrl-C during the wait ends it.
fn stop_again(stop: &AtomicBool, already: bool) -> Option<&AtomicBool> {
    if already {
        None
    } else {
        Some(stop)
    }
}

/// Polls the run's outcomes until every order has settled, `wait` runs out, or `stop`.
fn wait_for_run(
    conn: &mut Conn,
    topology: &Topology,
    run_id: &str,
    wait: Duration,
    bar: &ProgressBar,
    live: &mut Live,
    stop: Option<&AtomicBool>,
) -> Result<()> {
    let deadline = Instant::now() + wait;
    let dlq = topology.names.dlq();
    loop {
        live.refresh(conn, run_id)?;
        // A cheap look first — whether any of the run's messages is still in a queue
        // other than the DLQ (one probe of the index per queue), and its high-value
        // orders not yet reviewed (a partial index holds only those) — so a poll costs
        // the same however long the run; the full accounting, which reads every order,
        // only once both are zero.
        let (queued, unreviewed): (bool, u64) = conn.read(|tx| {
            let mut probe = tx.prepare_cached("SELECT EXISTS(SELECT 1 FROM messages WHERE run_id = ?1 AND queue = ?2)")?;
            let mut queued = false;
            for queue in topology.queues.keys().filter(|q| **q != dlq) {
                queued |= probe.query_row(rusqlite::params![run_id, queue], |r| r.get::<_, bool>(0))?;
            }
            let unreviewed = tx
                .prepare_cached(
                    "SELECT COUNT(*) FROM items WHERE run_id = ?1 AND status = 'FAILED' AND tier = 'high-value' AND reviewed = 0",
                )?
                .query_row([run_id], |r| r.get(0))?;
            Ok((queued, unreviewed))
        })?;
        bar.set_message(format!("settling: {} settled, {unreviewed} to review · {}", live.settled, report::text::e2e_so_far(&live.e2e)));
        let stopped = stop.is_some_and(|s| s.load(Ordering::Relaxed));
        if !queued && unreviewed == 0 {
            let total = KindOutcome::total(&conn.read(|tx| query::run_outcomes(tx, topology, run_id))?);
            if total.unsettled() == 0 {
                return Ok(());
            }
        }
        if Instant::now() >= deadline || stopped {
            return Ok(());
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
