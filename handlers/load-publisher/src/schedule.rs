//! The load generator's schedule (open model): the n-th order is due at a time fixed in
//! advance by the stages — `start + n / rate` at a constant rate, the inverse of the
//! cumulative count on a ramp — whatever happened to the orders before it. Latency is
//! measured from that due time, so a stalled publisher shows up in the figures instead
//! of silently slowing the load down (coordinated omission).
//!
//! A [`Share`] is one worker's part of a schedule when several publish it: order `n`
//! is worker `n mod workers`'s, due when the whole schedule has it due, so the union of
//! the shares is the schedule, to the order and to the microsecond.

use serde::{Deserialize, Serialize};
use std::time::Duration;

/// One stage of a load.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Stage {
    /// `rate` orders per second for `duration`.
    Constant { rate: f64, duration: Duration },
    /// The rate changes linearly from `from` to `to` over `duration`.
    Ramp { from: f64, to: f64, duration: Duration },
    /// Nothing is sent for `duration`.
    Pause { duration: Duration },
}

/// Serialised as `{"kind": "ramp", "from": 10, "to": 100, "durationSeconds": 60}`.
impl Serialize for Stage {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = serializer.serialize_map(None)?;
        match *self {
            Stage::Constant { rate, .. } => {
                m.serialize_entry("kind", "constant")?;
                m.serialize_entry("rate", &rate)?;
            }
            Stage::Ramp { from, to, .. } => {
                m.serialize_entry("kind", "ramp")?;
                m.serialize_entry("from", &from)?;
                m.serialize_entry("to", &to)?;
            }
            Stage::Pause { .. } => m.serialize_entry("kind", "pause")?,
        }
        m.serialize_entry("durationSeconds", &self.duration().as_secs_f64())?;
        m.end()
    }
}

impl Stage {
    pub fn duration(&self) -> Duration {
        match *self {
            Stage::Constant { duration, .. } | Stage::Ramp { duration, .. } | Stage::Pause { duration } => duration,
        }
    }

    /// Orders sent in the first `t` seconds of the stage (real-valued).
    fn cumulative(&self, t: f64) -> f64 {
        match *self {
            Stage::Constant { rate, .. } => rate * t,
            Stage::Ramp { from, to, duration } => from * t + (to - from) * t * t / (2.0 * duration.as_secs_f64()),
            Stage::Pause { .. } => 0.0,
        }
    }

    /// How many orders the stage holds: those due strictly before its end.
    fn count(&self) -> u64 {
        let n = self.cumulative(self.duration().as_secs_f64());
        (n - 1e-9).ceil().max(0.0) as u64
    }

    /// When the k-th order of the stage is due, in seconds from its start: the `t`
    /// where the cumulative count reaches `k`.
    fn due(&self, k: u64) -> f64 {
        let k = k as f64;
        match *self {
            Stage::Constant { rate, .. } => k / rate,
            Stage::Ramp { from, to, duration } => {
                let d = duration.as_secs_f64();
                let slope = (to - from) / d;
                if slope.abs() < 1e-12 {
                    k / from
                } else {
                    // from·t + slope·t²/2 = k
                    (-from + (from * from + 2.0 * slope * k).max(0.0).sqrt()) / slope
                }
            }
            Stage::Pause { .. } => 0.0,
        }
    }

    fn validate(&self) -> Result<(), String> {
        let ok = |r: f64| r.is_finite() && (0.0..=1_000_000.0).contains(&r);
        match *self {
            Stage::Constant { rate, duration } if !(ok(rate) && rate > 0.0) || duration.is_zero() => {
                Err(format!("a constant stage needs a rate above 0 (at most 1000000/s) and a duration, got {rate}/s for {duration:?}"))
            }
            Stage::Ramp { from, to, duration } if !ok(from) || !ok(to) || from + to <= 0.0 || duration.is_zero() => {
                Err(format!("a ramp needs rates from 0 to 1000000/s, not both 0, and a duration, got {from}→{to}/s for {duration:?}"))
            }
            Stage::Pause { duration } if duration.is_zero() => Err("a pause needs a duration".into()),
            _ => Ok(()),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
struct Placed {
    stage: Stage,
    start: Duration,
    first: u64,
    count: u64,
}

/// When each order of a run is due.
#[derive(Debug, Clone, PartialEq)]
pub struct Schedule {
    placed: Vec<Placed>,
    total: u64,
}

/// How a single-rate run ends.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Limit {
    Count(u64),
    Duration(Duration),
}

impl Schedule {
    /// One constant rate, for a count or a duration.
    pub fn new(rate: f64, limit: Limit) -> Schedule {
        assert!(rate > 0.0 && rate.is_finite(), "rate must be positive");
        match limit {
            Limit::Duration(duration) => Schedule::staged(&[Stage::Constant { rate, duration }]).expect("a valid constant stage"),
            Limit::Count(count) => {
                let stage = Stage::Constant { rate, duration: Duration::from_secs_f64(count as f64 / rate) };
                Schedule { placed: vec![Placed { stage, start: Duration::ZERO, first: 0, count }], total: count }
            }
        }
    }

    /// Stages one after the other.
    pub fn staged(stages: &[Stage]) -> Result<Schedule, String> {
        if stages.is_empty() {
            return Err("a load needs at least one stage".into());
        }
        let (mut start, mut first, mut placed) = (Duration::ZERO, 0u64, Vec::new());
        for (i, s) in stages.iter().enumerate() {
            s.validate().map_err(|e| format!("stage {}: {e}", i + 1))?;
            let count = s.count();
            placed.push(Placed { stage: *s, start, first, count });
            start += s.duration();
            first += count;
        }
        Ok(Schedule { placed, total: first })
    }

    /// The highest rate any stage asks for.
    pub fn peak_rate(&self) -> f64 {
        self.placed
            .iter()
            .map(|p| match p.stage {
                Stage::Constant { rate, .. } => rate,
                Stage::Ramp { from, to, .. } => from.max(to),
                Stage::Pause { .. } => 0.0,
            })
            .fold(0.0, f64::max)
    }

    /// How long the schedule runs.
    pub fn duration(&self) -> Duration {
        self.placed.last().map_or(Duration::ZERO, |p| p.start + p.stage.duration())
    }

    pub fn stages(&self) -> Vec<Stage> {
        self.placed.iter().map(|p| p.stage).collect()
    }

    /// How long after the start order `n` is due.
    pub fn due(&self, n: u64) -> Duration {
        let i = self.placed.partition_point(|p| p.first + p.count <= n).min(self.placed.len() - 1);
        let p = &self.placed[i];
        p.start + Duration::from_secs_f64(p.stage.due(n - p.first))
    }

    /// Whether order `n` belongs to the run.
    pub fn includes(&self, n: u64) -> bool {
        n < self.total
    }

    /// How many orders the run holds.
    pub fn len(&self) -> u64 {
        self.total
    }

    pub fn is_empty(&self) -> bool {
        self.total == 0
    }

    /// The orders from `next` that are due by `elapsed`, at most `max` of them: the
    /// half-open range a sender publishes now.
    pub fn due_by(&self, next: u64, elapsed: Duration, max: u64) -> std::ops::Range<u64> {
        let mut end = next;
        while end - next < max && self.includes(end) && self.due(end) <= elapsed {
            end += 1;
        }
        next..end
    }
}

impl Schedule {
    /// The schedule as a worker receives it: every stage with its exact count and
    /// its duration in nanoseconds, so the worker's schedule is this one, not one
    /// recomputed from rounded figures.
    pub fn wire(&self) -> Vec<WireStage> {
        self.placed
            .iter()
            .map(|p| {
                let (kind, from, to) = match p.stage {
                    Stage::Constant { rate, .. } => ("constant", rate, rate),
                    Stage::Ramp { from, to, .. } => ("ramp", from, to),
                    Stage::Pause { .. } => ("pause", 0.0, 0.0),
                };
                WireStage { kind: kind.into(), from, to, duration_nanos: p.stage.duration().as_nanos() as u64, count: p.count }
            })
            .collect()
    }

    /// The schedule [`Schedule::wire`] describes.
    pub fn from_wire(stages: &[WireStage]) -> Result<Schedule, String> {
        let (mut start, mut first, mut placed) = (Duration::ZERO, 0u64, Vec::new());
        for (i, w) in stages.iter().enumerate() {
            let duration = Duration::from_nanos(w.duration_nanos);
            let stage = match w.kind.as_str() {
                "constant" => Stage::Constant { rate: w.from, duration },
                "ramp" => Stage::Ramp { from: w.from, to: w.to, duration },
                "pause" => Stage::Pause { duration },
                other => return Err(format!("stage {}: unknown kind `{other}`", i + 1)),
            };
            stage.validate().map_err(|e| format!("stage {}: {e}", i + 1))?;
            placed.push(Placed { stage, start, first, count: w.count });
            start += duration;
            first += w.count;
        }
        if placed.is_empty() {
            return Err("a load needs at least one stage".into());
        }
        Ok(Schedule { placed, total: first })
    }
}

/// One stage as [`Schedule::wire`] sends it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WireStage {
    pub kind: String,
    /// The rate (constant), or the rates a ramp goes from and to; 0 for a pause.
    pub from: f64,
    pub to: f64,
    pub duration_nanos: u64,
    /// Orders the stage holds.
    pub count: u64,
}

/// One worker's part of a schedule: the orders `n` with `n mod of == index`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Share {
    pub index: u32,
    pub of: u32,
}

impl Share {
    /// The whole schedule, for a single publisher.
    pub const ALL: Share = Share { index: 0, of: 1 };

    pub fn new(index: u32, of: u32) -> Result<Share, String> {
        if of == 0 || index >= of {
            return Err(format!("worker {index} of {of} does not exist"));
        }
        Ok(Share { index, of })
    }

    /// Whether order `n` is this share's.
    pub fn holds(&self, n: u64) -> bool {
        n % self.of as u64 == self.index as u64
    }

    /// This share's first order at or after `n`.
    pub fn first_from(&self, n: u64) -> u64 {
        let (of, index) = (self.of as u64, self.index as u64);
        let base = n - n % of;
        if base + index >= n {
            base + index
        } else {
            base + of + index
        }
    }

    /// How many of the schedule's orders are this share's.
    pub fn len(&self, schedule: &Schedule) -> u64 {
        let (of, index) = (self.of as u64, self.index as u64);
        (schedule.len() + of - 1 - index) / of
    }

    pub fn is_empty(&self, schedule: &Schedule) -> bool {
        self.len(schedule) == 0
    }

    /// The share's orders from `next` (one of its own) that are due by `elapsed`, at
    /// most `max`: what its publisher sends now. Empty when none is due yet.
    pub fn due_by(&self, schedule: &Schedule, next: u64, elapsed: Duration, max: usize) -> Vec<u64> {
        let mut due = Vec::new();
        let mut n = next;
        while due.len() < max && schedule.includes(n) && schedule.due(n) <= elapsed {
            due.push(n);
            n += self.of as u64;
        }
        due
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secs(s: f64) -> Duration {
        Duration::from_secs_f64(s)
    }

    #[test]
    fn the_nth_send_is_due_at_n_over_rate() {
        let s = Schedule::new(200.0, Limit::Count(1000));
        assert_eq!(s.due(0), Duration::ZERO);
        assert_eq!(s.due(1), Duration::from_millis(5));
        assert_eq!(s.due(999), Duration::from_millis(4995));
        assert!(s.includes(999) && !s.includes(1000));
        assert_eq!(s.len(), 1000);
    }

    #[test]
    fn a_stalled_sender_catches_up_in_one_batch_and_never_beyond_the_run() {
        let s = Schedule::new(1000.0, Limit::Count(50));
        // Stalled for 20 ms: the 21 orders due by then go at once.
        assert_eq!(s.due_by(0, Duration::from_millis(20), 1000), 0..21);
        assert_eq!(s.due_by(21, Duration::from_millis(20), 1000), 21..21);
        assert_eq!(s.due_by(0, Duration::from_secs(10), 10), 0..10, "batches are bounded");
        assert_eq!(s.due_by(45, Duration::from_secs(10), 1000), 45..50, "the run ends at its count");
    }

    #[test]
    fn a_duration_limit_holds_rate_times_duration_orders() {
        let s = Schedule::new(10_000.0, Limit::Duration(Duration::from_secs(30)));
        assert_eq!(s.len(), 300_000);
        assert!(s.includes(299_999) && !s.includes(300_000));
        let slow = Schedule::new(0.5, Limit::Duration(Duration::from_secs(3)));
        assert_eq!(slow.len(), 2, "due at 0s and 2s, both before 3s");
    }

    #[test]
    fn a_ramp_follows_its_formula() {
        // 0 → 100/s over 10 s: N(t) = 5 t², 500 orders; the k-th is due at sqrt(k/5).
        let s = Schedule::staged(&[Stage::Ramp { from: 0.0, to: 100.0, duration: secs(10.0) }]).unwrap();
        assert_eq!(s.len(), 500);
        for k in [1u64, 20, 125, 499] {
            let want = (k as f64 / 5.0).sqrt();
            assert!((s.due(k).as_secs_f64() - want).abs() < 1e-6, "k={k}: {:?} vs {want}", s.due(k));
        }
        // 100 → 50/s over 4 s: N(t) = 100 t − 6.25 t², 300 orders.
        let down = Schedule::staged(&[Stage::Ramp { from: 100.0, to: 50.0, duration: secs(4.0) }]).unwrap();
        assert_eq!(down.len(), 300);
        let t = down.due(200).as_secs_f64();
        assert!((100.0 * t - 6.25 * t * t - 200.0).abs() < 1e-6);
    }

    #[test]
    fn stages_follow_one_another_and_a_pause_sends_nothing() {
        let s = Schedule::staged(&[
            Stage::Constant { rate: 10.0, duration: secs(1.0) },
            Stage::Pause { duration: secs(2.0) },
            Stage::Constant { rate: 100.0, duration: secs(1.0) },
        ])
        .unwrap();
        assert_eq!(s.len(), 110);
        assert_eq!(s.due(9), secs(0.9));
        assert_eq!(s.due(10), secs(3.0), "the first order after the pause");
        assert_eq!(s.due(11), secs(3.01));
        assert_eq!(s.duration(), secs(4.0));
        assert_eq!(s.peak_rate(), 100.0);
        assert!(Schedule::staged(&[Stage::Constant { rate: 0.0, duration: secs(1.0) }]).unwrap_err().contains("stage 1"));
        assert!(Schedule::staged(&[]).is_err());
    }

    /// Every worker's sends, as its publisher takes them while time passes (in steps
    /// of `step`, and from `resume` on for a resumed worker): (order, due time).
    fn sends(s: &Schedule, share: Share, step: Duration, resume: Option<u64>) -> Vec<(u64, Duration)> {
        let mut out = Vec::new();
        let mut next = share.first_from(resume.unwrap_or(0));
        let mut elapsed = Duration::ZERO;
        while s.includes(next) {
            let batch = share.due_by(s, next, elapsed, 10);
            match batch.last() {
                Some(&last) => {
                    out.extend(batch.iter().map(|&n| (n, s.due(n))));
                    next = last + share.of as u64;
                }
                None => elapsed += step,
            }
        }
        out
    }

    #[test]
    fn the_workers_shares_are_the_schedule_to_the_order() {
        let schedules = [
            Schedule::new(400.0, Limit::Count(4000)),
            Schedule::new(333.3, Limit::Duration(secs(2.5))),
            Schedule::staged(&[Stage::Ramp { from: 0.0, to: 900.0, duration: secs(3.0) }]).unwrap(),
            Schedule::staged(&[
                Stage::Constant { rate: 50.0, duration: secs(1.0) },
                Stage::Pause { duration: secs(2.0) },
                Stage::Ramp { from: 300.0, to: 10.0, duration: secs(2.0) },
                Stage::Constant { rate: 7.0, duration: secs(1.3) },
            ])
            .unwrap(),
        ];
        for s in &schedules {
            // The schedule a worker is sent is this one.
            let wire = serde_json::to_string(&s.wire()).unwrap();
            let theirs = Schedule::from_wire(&serde_json::from_str::<Vec<WireStage>>(&wire).unwrap()).unwrap();
            assert_eq!(&theirs, s);
            let single: Vec<(u64, Duration)> = sends(s, Share::ALL, Duration::from_millis(7), None);
            assert_eq!(single, (0..s.len()).map(|n| (n, s.due(n))).collect::<Vec<_>>(), "one publisher sends the schedule");
            for of in [1u32, 2, 3, 4, 7, 64] {
                let mut union: Vec<(u64, Duration)> = Vec::new();
                for index in 0..of {
                    let share = Share::new(index, of).unwrap();
                    let mine = sends(&theirs, share, Duration::from_millis(3), None);
                    assert_eq!(mine.len() as u64, share.len(s), "worker {index} of {of}");
                    assert!(mine.iter().all(|(n, _)| share.holds(*n)));
                    // A worker handed on to a fresh invocation part-way sends the rest.
                    if let Some(&(cut, _)) = mine.get(mine.len() / 3) {
                        let resumed = sends(&theirs, share, Duration::from_millis(5), Some(cut));
                        assert_eq!(resumed, mine[mine.len() / 3..].to_vec(), "worker {index} of {of} resumed at {cut}");
                    }
                    union.extend(mine);
                }
                union.sort_by_key(|(n, _)| *n);
                assert_eq!(union, single, "{of} workers send the single-process schedule");
            }
        }
        assert!(Share::new(4, 4).is_err() && Share::new(0, 0).is_err());
        assert_eq!(Share::new(2, 4).unwrap().first_from(3), 6);
        assert_eq!(Share::new(2, 4).unwrap().first_from(2), 2);
    }
}
