//! The load generator's schedule (open model): the n-th order is due at
//! `start + n / rate`, whatever happened to the ones before it, and latency is measured
//! from that due time, so a stalled publisher shows up in the figures instead of
//! silently slowing the load down (coordinated omission).

use std::time::Duration;

/// When each order of a run is due.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Schedule {
    rate: f64,
    limit: Limit,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Limit {
    Count(u64),
    Duration(Duration),
}

impl Schedule {
    pub fn new(rate: f64, limit: Limit) -> Schedule {
        assert!(rate > 0.0 && rate.is_finite(), "rate must be positive");
        Schedule { rate, limit }
    }

    pub fn limit(&self) -> Limit {
        self.limit
    }

    pub fn rate(&self) -> f64 {
        self.rate
    }

    /// How long after the start order `n` is due.
    pub fn due(&self, n: u64) -> Duration {
        Duration::from_nanos(((n as f64) * 1e9 / self.rate).round() as u64)
    }

    /// Whether order `n` belongs to the run.
    pub fn includes(&self, n: u64) -> bool {
        match self.limit {
            Limit::Count(count) => n < count,
            Limit::Duration(d) => self.due(n) < d,
        }
    }

    /// How many orders the run holds.
    pub fn len(&self) -> u64 {
        match self.limit {
            Limit::Count(count) => count,
            Limit::Duration(d) => (d.as_secs_f64() * self.rate).ceil() as u64,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
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

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!((0..10).filter(|n| slow.includes(*n)).count(), 2);
    }
}
