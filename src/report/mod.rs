//! The report of a run as one serialisable value, and its renderers: [`text`] for
//! people, JSON (serde, schema `orderctl/send-report/v1`) for machines.

pub mod hgrm;
pub mod orders;
pub mod stack;
pub mod status;
pub mod text;
pub mod trace;

use crate::model::KindOutcome;
use hdrhistogram::Histogram;
use serde::Serialize;

pub const SEND_REPORT_SCHEMA: &str = "orderctl/send-report/v1";

/// Latency histograms (µs, 1 µs to 1 hour): the load publisher's, so that a worker's
/// merge exactly with the CLI's.
pub use load_publisher::hist::{latency_histogram, record};

/// The rate the sends achieved: the intervals between the first send and the last,
/// `(n − 1) / (last − first)`, so that an exact schedule at rate r reports r (n sends
/// span n − 1 intervals; `n / elapsed` overstates it by n / (n − 1)). With fewer than
/// two sends, or all at one instant, there is no interval: `n / send_seconds`.
pub fn achieved_rate(sent: u64, first: Option<std::time::Duration>, last: Option<std::time::Duration>, send_seconds: f64) -> f64 {
    match (first, last) {
        (Some(first), Some(last)) if sent >= 2 && last > first => (sent - 1) as f64 / (last - first).as_secs_f64(),
        _ if send_seconds > 0.0 => sent as f64 / send_seconds,
        _ => 0.0,
    }
}

/// Percentiles of one latency histogram, in milliseconds.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LatencySummary {
    pub count: u64,
    pub min_ms: f64,
    pub mean_ms: f64,
    pub p50_ms: f64,
    pub p90_ms: f64,
    pub p99_ms: f64,
    pub p999_ms: f64,
    pub max_ms: f64,
}

impl LatencySummary {
    pub fn of(h: &Histogram<u64>) -> Option<LatencySummary> {
        if h.is_empty() {
            return None;
        }
        let ms = |us: u64| (us as f64 / 1000.0 * 1000.0).round() / 1000.0;
        Some(LatencySummary {
            count: h.len(),
            min_ms: ms(h.min()),
            mean_ms: (h.mean() / 1000.0 * 1000.0).round() / 1000.0,
            p50_ms: ms(h.value_at_quantile(0.50)),
            p90_ms: ms(h.value_at_quantile(0.90)),
            p99_ms: ms(h.value_at_quantile(0.99)),
            p999_ms: ms(h.value_at_quantile(0.999)),
            max_ms: ms(h.max()),
        })
    }
}

/// One bar of the terminal histogram: orders with a latency in `[from_ms, to_ms)`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Bucket {
    pub from_ms: f64,
    pub to_ms: f64,
    pub count: u64,
}

/// Buckets on a 1–1.5–2–3–5–7 scale (about six per decade) from the smallest to the
/// largest latency recorded.
pub fn buckets(h: &Histogram<u64>) -> Vec<Bucket> {
    if h.is_empty() {
        return Vec::new();
    }
    let mut edges: Vec<u64> = Vec::new();
    let mut decade = 10u64;
    'outer: loop {
        for step in [10, 15, 20, 30, 50, 70] {
            let e = decade * step / 10;
            edges.push(e);
            if e > h.max() {
                break 'outer;
            }
        }
        decade *= 10;
    }
    let first = edges.iter().rposition(|e| *e <= h.min()).unwrap_or(0);
    let edges = &edges[first..];
    let mut out: Vec<Bucket> =
        edges.windows(2).map(|w| Bucket { from_ms: w[0] as f64 / 1000.0, to_ms: w[1] as f64 / 1000.0, count: 0 }).collect();
    for v in h.iter_recorded() {
        // Each recorded value lands in exactly one bucket, by its median equivalent.
        let value = h.median_equivalent(v.value_iterated_to());
        let i = edges.windows(2).position(|w| value < w[1]).unwrap_or(out.len() - 1);
        out[i].count += v.count_at_value();
    }
    out
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Requested {
    /// The scenario file, when the run came from one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scenario: Option<String>,
    /// The highest rate of any stage, orders per second.
    pub rate: f64,
    /// Orders the schedule holds.
    pub count: u64,
    pub duration_seconds: f64,
    pub mix: String,
    pub stages: Vec<crate::load::Stage>,
}

impl Requested {
    /// What the report says `plan` asked for.
    pub fn of(plan: &crate::load::LoadPlan) -> Requested {
        Requested {
            scenario: plan.scenario.clone(),
            rate: plan.schedule.peak_rate(),
            count: plan.schedule.len(),
            duration_seconds: plan.schedule.duration().as_secs_f64(),
            mix: plan.mix.to_string(),
            stages: plan.schedule.stages(),
        }
    }
}

/// Orders sent and settled in one second of a run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimelinePoint {
    /// Seconds since the run started.
    pub second: u64,
    pub sent: u64,
    pub settled: u64,
}

/// Counts per second since a run started: the load publisher's, so a worker's add up.
pub use load_publisher::publish::PerSecond;

/// The run's timeline: one point per second until the last event.
pub fn timeline(sent: &PerSecond, settled: &PerSecond) -> Vec<TimelinePoint> {
    let at = |v: &PerSecond, i: usize| v.0.get(i).copied().unwrap_or(0);
    (0..sent.0.len().max(settled.0.len())).map(|i| TimelinePoint { second: i as u64, sent: at(sent, i), settled: at(settled, i) }).collect()
}

/// How well the sender kept to its schedule, and what the endpoint refused.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Scheduling {
    /// Lateness of each send against its due time.
    pub lateness: Option<LatencySummary>,
    /// Sends that went out more than 10 ms after they were due: the generator could
    /// not keep up (their latency still counts from the due time).
    pub late_sends: u64,
    /// Orders of the schedule never sent (the run was interrupted).
    pub unsent: u64,
    /// Orders the endpoint never accepted, every attempt failed (not counted as sent).
    pub publish_errors: u64,
    /// Requests sent again after a throttled, failed or timed-out attempt.
    pub retries: u64,
    /// The last error a publish saw, retried or not.
    pub last_error: Option<String>,
}

/// One threshold of a scenario, and how the run compares.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ThresholdResult {
    pub name: String,
    pub limit: String,
    pub actual: String,
    pub passed: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Latencies {
    /// From each order's scheduled send time to the commit of its outcome (completed
    /// or failed by rule).
    pub end_to_end: Option<LatencySummary>,
    /// From the scheduled send time to the publish's acknowledgement (corrected for
    /// coordinated omission).
    pub publish: Option<LatencySummary>,
    /// From the actual start of the publish call to its acknowledgement.
    pub publish_uncorrected: Option<LatencySummary>,
    pub end_to_end_histogram: Vec<Bucket>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AlarmView {
    pub name: String,
    pub state: String,
    pub reason: String,
    pub changed_at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AlertView {
    pub at: String,
    pub alarm: String,
    pub from: String,
    pub to: String,
    pub reason: String,
}

/// The report of one `send`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SendReport {
    pub schema: &'static str,
    pub stack: String,
    pub target: String,
    pub run_id: String,
    pub started_at: String,
    pub finished_at: String,
    pub requested: Requested,
    pub sent: u64,
    pub send_seconds: f64,
    pub achieved_rate: f64,
    pub scheduling: Scheduling,
    /// Whether Ctrl-C stopped the run early.
    pub interrupted: bool,
    pub outcomes: Vec<KindOutcome>,
    pub total: KindOutcome,
    pub latency: Latencies,
    /// Messages in the DLQ at the end; null when the queue could not be read then (the
    /// report's problems say why).
    pub dlq_depth: Option<u64>,
    pub alarm: Option<AlarmView>,
    /// Alarm state changes during the run, each one notified on `alerts`; null on `aws`,
    /// where CloudWatch sends them and the run does not read them back.
    pub alerts: Option<Vec<AlertView>>,
    /// What the local engine did during the run (null on `aws`): invocations, records,
    /// and the faults `ORDERCTL_LOCAL_FAULTS` injected.
    pub engine: Option<crate::model::StatsSnapshot>,
    /// Orders sent and settled in each second of the run.
    pub timeline: Vec<TimelinePoint>,
    /// Whether every order settled before the wait ran out.
    pub settled: bool,
    pub wait_seconds: f64,
    pub thresholds: Vec<ThresholdResult>,
    /// What makes the outcome negative (exit 1); empty when all is well.
    pub problems: Vec<String>,
    /// The `load-generator` workers that published the run (`--workers`), each with
    /// its own figures; absent when this process published.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub workers: Option<WorkersView>,
}

/// The workers of a run and what each did; the report's other figures are theirs
/// merged (counts summed, histograms added bucket by bucket).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WorkersView {
    pub count: u32,
    /// Where they ran: `lambda`, or `local` (processes under this machine's Lambda
    /// Runtime API, for an endpoint without Lambda).
    pub runner: String,
    /// Invocations made, `prepare` included.
    pub invocations: u64,
    pub cold_starts: u64,
    /// What the plan was estimated to cost on AWS before the run.
    pub cost: crate::load::workers::Cost,
    pub each: Vec<WorkerRow>,
}

/// One worker's figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WorkerRow {
    pub worker: u32,
    /// Orders of its share.
    pub share: u64,
    pub sent: u64,
    pub achieved_rate: f64,
    pub lateness_p99_ms: Option<f64>,
    pub errors: u64,
    pub retries: u64,
    /// Invocations of its share (a share longer than one timeout is handed on).
    pub invocations: u64,
    /// The `prepare` invocation's cold start, when it was one.
    pub cold_start_ms: Option<f64>,
    /// How late its first invocation began publishing, after the common start.
    pub began_late_ms: f64,
    /// Its histograms in HdrHistogram's V2 compressed encoding (base64), µs: what the
    /// report's merged figures add up.
    pub histograms: WorkerHistograms,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WorkerHistograms {
    pub lateness: String,
    pub publish: String,
    pub publish_uncorrected: String,
}

impl SendReport {
    /// Compares the report with `t`, recording each threshold's result and a problem
    /// for each one broken.
    pub fn check(&mut self, t: &crate::load::scenario::Thresholds) {
        let e2e = self.latency.end_to_end.as_ref();
        let mut results = Vec::new();
        let mut ms = |name: &str, limit: Option<f64>, actual: Option<f64>| {
            if let Some(limit) = limit {
                let passed = actual.is_some_and(|a| a <= limit);
                results.push(ThresholdResult {
                    name: name.into(),
                    limit: format!("≤ {limit} ms"),
                    actual: actual.map_or("no data".into(), |a| format!("{a} ms")),
                    passed,
                });
            }
        };
        ms("p99 end-to-end", t.p99_end_to_end_ms, e2e.map(|l| l.p99_ms));
        ms("p50 end-to-end", t.p50_end_to_end_ms, e2e.map(|l| l.p50_ms));
        // A count that could not be read (`None`) meets no limit.
        let mut count = |name: &str, limit: Option<u64>, actual: Option<u64>| {
            if let Some(limit) = limit {
                results.push(ThresholdResult {
                    name: name.into(),
                    limit: format!("≤ {limit}"),
                    actual: actual.map_or("unknown".to_string(), |a| a.to_string()),
                    passed: actual.is_some_and(|a| a <= limit),
                });
            }
        };
        count("lost orders", t.max_lost, Some(self.total.lost));
        count("in flight at the end", t.max_in_flight, Some(self.total.in_flight + self.total.awaiting_review));
        count("DLQ depth", t.max_dlq_depth, self.dlq_depth);
        count("late sends", t.max_late_sends, Some(self.scheduling.late_sends));
        if let Some(want) = &t.alarm {
            let actual = self.alarm.as_ref().map_or("none".to_string(), |a| a.state.clone());
            results.push(ThresholdResult { name: "alarm state".into(), limit: want.clone(), passed: &actual == want, actual });
        }
        for r in results.iter().filter(|r| !r.passed) {
            self.problems.push(format!("threshold broken: {} is {}, limit {}", r.name, r.actual, r.limit));
        }
        self.thresholds = results;
    }

    pub fn problems_of(total: &KindOutcome) -> Vec<String> {
        let mut problems = Vec::new();
        if total.lost > 0 {
            problems.push(format!("{} orders are lost: sent, but in no queue and not in the table", total.lost));
        }
        if total.in_flight > 0 {
            problems.push(format!("{} orders were still in flight when the wait ran out", total.in_flight));
        }
        if total.awaiting_review > 0 {
            problems.push(format!("{} high-value orders were not reviewed when the wait ran out", total.awaiting_review));
        }
        problems
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_exact_schedule_achieves_exactly_its_rate() {
        use crate::load::{Limit, Schedule};
        for (rate, count) in [(200.0, 100), (200.0, 1000), (10_000.0, 50_000), (3.0, 2)] {
            let s = Schedule::new(rate, Limit::Count(count));
            // Every order sent exactly when due: the controlled clock is the schedule.
            let (first, last) = (s.due(0), s.due(count - 1));
            let achieved = achieved_rate(count, Some(first), Some(last), last.as_secs_f64());
            assert!((achieved - rate).abs() < rate * 1e-9, "{count} at {rate}/s: {achieved}");
            // What the report said before: n / elapsed, n / (n − 1) too high.
            assert!(count as f64 / last.as_secs_f64() > rate * 1.0001 || count > 10_000);
        }
        assert_eq!(achieved_rate(1, Some(std::time::Duration::ZERO), Some(std::time::Duration::ZERO), 0.5), 2.0);
        assert_eq!(achieved_rate(0, None, None, 0.0), 0.0);
    }

    use super::*;

    #[test]
    fn buckets_cover_every_recorded_value_once() {
        let mut h = latency_histogram();
        for v in [800, 1_500, 1_900, 4_000, 12_000, 150_000] {
            record(&mut h, v);
        }
        let b = buckets(&h);
        assert_eq!(b.iter().map(|b| b.count).sum::<u64>(), 6);
        assert_eq!(b.first().unwrap().from_ms, 0.7);
        assert!(b.last().unwrap().to_ms >= 150.0);
        let s = LatencySummary::of(&h).unwrap();
        assert_eq!(s.count, 6);
        assert!((s.max_ms - 150.0).abs() < 0.2, "{s:?}");
    }

    #[test]
    fn histograms_merge_across_workers() {
        let (mut a, mut b) = (latency_histogram(), latency_histogram());
        (1..=500).for_each(|v| record(&mut a, v * 10));
        (501..=1000).for_each(|v| record(&mut b, v * 10));
        a.add(&b).unwrap();
        let s = LatencySummary::of(&a).unwrap();
        assert_eq!(s.count, 1000);
        assert!((s.p50_ms - 5.0).abs() < 0.01, "{s:?}");
    }
}
