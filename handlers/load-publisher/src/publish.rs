//! Publishing a share of a schedule to the stack's topic: orders dispatched in batches
//! of up to 10 (`PublishBatch`) when they are due, each batch a task of its own (at
//! most `concurrency` at once); per-entry failures and failed calls are retried with
//! jittered backoff on top of the SDK's own retries, for at most `give_up`. Every
//! acknowledged order's publish latency is recorded from its due time (corrected for
//! coordinated omission) and from its call (uncorrected), and every dispatch's
//! lateness against the schedule.

use crate::hist::{latency_histogram, record};
use crate::schedule::{Schedule, Share};
use aws_sdk_sns::types::PublishBatchRequestEntry;
use hdrhistogram::Histogram;
use order_domain::{synthesize, Kind, Micros, Mix, Rules};
use serde::{Deserialize, Serialize};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::Semaphore;

/// `PublishBatch` takes at most 10 entries.
pub const BATCH: usize = 10;
/// `PublishBatch` calls in flight at once, by default.
pub const CONCURRENCY: usize = 32;
/// The most orders given up on that a worker lists in its answer (Lambda's response
/// is at most 6 MB; each is about 8 bytes of JSON).
pub const UNPUBLISHED_LISTED: usize = 100_000;
/// A dispatch this much after its orders were due counts as late.
pub const LATE: Duration = Duration::from_millis(10);

/// What to publish: a run's share of a schedule.
#[derive(Debug, Clone)]
pub struct Job {
    pub run_id: String,
    pub schedule: Schedule,
    pub mix: Mix,
    pub rules: Rules,
    pub share: Share,
    /// The first order to dispatch (a fresh invocation resumes a share here).
    pub from: u64,
    /// The wall clock of the schedule's start: each order's `scheduledAt` is this plus
    /// its due time.
    pub started_wall: Micros,
}

/// Told of each order as it goes, for a live view (the CLI) or nothing (a worker).
pub trait Progress: Send + Sync {
    /// SNS accepted order `n`.
    fn accepted(&self, _n: u64, _kind: Kind) {}
    /// Order `n` was given up on.
    fn unpublished(&self, _n: u64) {}
    /// Every order before `next` of the share has been dispatched, `elapsed` after the
    /// start.
    fn dispatched(&self, _next: u64, _elapsed: Duration) {}
}

/// No live view.
pub struct Quiet;
impl Progress for Quiet {}

/// The topic and how to publish to it.
#[derive(Clone)]
pub struct Publisher {
    pub sns: aws_sdk_sns::Client,
    pub topic: String,
    pub concurrency: usize,
    /// How long a batch is tried again before its orders count as not published.
    pub give_up: Duration,
    /// How an error reads in the report.
    pub describe: fn(&anyhow::Error) -> String,
}

/// What publishing did: counts, the orders given up on, the histograms (µs; in JSON
/// HdrHistogram's V2 compressed encoding, base64), as a worker returns it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Published {
    /// The first order of the share not dispatched: the schedule's length when all
    /// were, else where a fresh invocation resumes.
    pub next: u64,
    pub dispatched: u64,
    pub accepted: u64,
    /// Accepted orders by kind, in `Kind::ALL`'s order.
    pub accepted_by_kind: [u64; 3],
    /// Orders given up on (tried for `give_up`, or refused as the sender's fault).
    pub unpublished: Vec<u64>,
    /// More orders were given up on than a worker's answer may list
    /// ([`UNPUBLISHED_LISTED`]): `unpublished` is then empty and which orders of the
    /// invocation were published is found by reading them back.
    #[serde(default)]
    pub unpublished_overflow: bool,
    /// Batches (or their failed entries) sent again by the publisher itself, on top of
    /// the SDK's own retries.
    pub resent: u64,
    pub last_error: Option<String>,
    pub late_sends: u64,
    #[serde(with = "crate::hist::in_base64")]
    pub lateness: Histogram<u64>,
    /// Acknowledged minus due, per order.
    #[serde(with = "crate::hist::in_base64")]
    pub publish: Histogram<u64>,
    /// The `PublishBatch` call's own time, per order.
    #[serde(with = "crate::hist::in_base64")]
    pub call: Histogram<u64>,
    /// When the first and the last batch were dispatched, after the start.
    pub first: Option<Duration>,
    pub last: Option<Duration>,
    /// From the start to the last dispatch's acknowledgement.
    pub seconds: f64,
    /// Orders accepted in each second after the start.
    pub sent_per_second: PerSecond,
}

impl Default for Published {
    fn default() -> Self {
        Published {
            next: 0,
            dispatched: 0,
            accepted: 0,
            accepted_by_kind: [0; 3],
            unpublished: Vec::new(),
            unpublished_overflow: false,
            resent: 0,
            last_error: None,
            late_sends: 0,
            lateness: latency_histogram(),
            publish: latency_histogram(),
            call: latency_histogram(),
            first: None,
            last: None,
            seconds: 0.0,
            sent_per_second: PerSecond::default(),
        }
    }
}

impl Published {
    /// Adds another publisher's figures (a worker's, or a later invocation of the same
    /// share) to these, exactly: counts add, histograms add bucket by bucket, and the
    /// per-second counts line up because every worker measures from the same start.
    /// `next` becomes the later of the two.
    pub fn merge(&mut self, other: &Published) {
        self.next = self.next.max(other.next);
        self.dispatched += other.dispatched;
        self.accepted += other.accepted;
        for (a, b) in self.accepted_by_kind.iter_mut().zip(other.accepted_by_kind) {
            *a += b;
        }
        self.unpublished.extend_from_slice(&other.unpublished);
        self.unpublished_overflow |= other.unpublished_overflow;
        self.resent += other.resent;
        if other.last_error.is_some() {
            self.last_error.clone_from(&other.last_error);
        }
        self.late_sends += other.late_sends;
        for (mine, theirs) in [(&mut self.lateness, &other.lateness), (&mut self.publish, &other.publish), (&mut self.call, &other.call)] {
            mine.add(theirs).expect("histograms of one range");
        }
        self.first = match (self.first, other.first) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        self.last = self.last.max(other.last);
        self.seconds = self.seconds.max(other.seconds);
        self.sent_per_second.merge(&other.sent_per_second);
    }

    /// Orders that were dispatched and given up on, or never dispatched, are not
    /// published: the rest of `dispatched` was.
    pub fn errors(&self) -> u64 {
        self.unpublished.len() as u64
    }
}

/// Counts per second since a run started (in JSON, the list of counts).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PerSecond(pub Vec<u64>);

impl PerSecond {
    /// Counts one event `micros` after the start (events before it count in second 0).
    pub fn add(&mut self, micros: i64) {
        let second = (micros.max(0) / 1_000_000) as usize;
        if self.0.len() <= second {
            self.0.resize(second + 1, 0);
        }
        self.0[second] += 1;
    }

    /// Adds another's counts, second by second (both measured from the same start).
    pub fn merge(&mut self, other: &PerSecond) {
        if self.0.len() < other.0.len() {
            self.0.resize(other.0.len(), 0);
        }
        for (a, b) in self.0.iter_mut().zip(&other.0) {
            *a += b;
        }
    }
}

/// Time since a schedule's start, on this process's monotonic clock. A start that
/// came before the clock's own origin (a fresh Lambda environment resuming a share
/// 14 minutes in) is held as an offset, not an `Instant` that cannot exist.
#[derive(Debug, Clone, Copy)]
pub struct Clock {
    origin: Instant,
    /// Time already elapsed at `origin`.
    skew: Duration,
}

impl Clock {
    /// A schedule that starts now.
    pub fn starting_now() -> Clock {
        Clock { origin: Instant::now(), skew: Duration::ZERO }
    }

    /// A schedule that starts at `at` (µs since the epoch), past or future.
    pub fn from_wall(at: Micros) -> Clock {
        let now = order_domain::now_micros();
        if at >= now {
            Clock { origin: Instant::now() + Duration::from_micros((at - now) as u64), skew: Duration::ZERO }
        } else {
            Clock { origin: Instant::now(), skew: Duration::from_micros((now - at) as u64) }
        }
    }

    /// Time since the start; zero before it.
    pub fn elapsed(&self) -> Duration {
        self.origin.elapsed() + self.skew
    }

    /// How long until the start; zero once it has come.
    pub fn until_start(&self) -> Duration {
        self.origin.saturating_duration_since(Instant::now())
    }
}

fn kind_index(k: Kind) -> usize {
    Kind::ALL.iter().position(|x| *x == k).expect("every kind is in ALL")
}

impl Publisher {
    /// Dispatches `job`'s orders when they are due, timed by `clock`, until all are
    /// dispatched, `stop` is set, or `until` comes (a worker's invocation nearing its
    /// timeout); then waits for the batches in flight and returns what happened.
    pub async fn run(
        &self,
        job: &Job,
        clock: Clock,
        until: Option<Instant>,
        stop: &'static AtomicBool,
        progress: Arc<dyn Progress>,
    ) -> Published {
        let schedule = &job.schedule;
        let period = job.mix.period();
        let state = Arc::new(Mutex::new(Published::default()));
        let permits = Arc::new(Semaphore::new(self.concurrency));
        let mut lateness = latency_histogram();
        let (mut late_sends, mut dispatched) = (0, 0);
        let (mut first, mut last) = (None, None);
        let mut next = job.share.first_from(job.from);
        // A start ahead (the workers' common instant): nothing is due before it.
        let ahead = clock.until_start();
        let ahead = until.map_or(ahead, |u| ahead.min(u.saturating_duration_since(Instant::now())));
        tokio::time::sleep(ahead).await;
        while schedule.includes(next) && !stop.load(Ordering::Relaxed) && until.is_none_or(|u| Instant::now() < u) {
            let (due, now) = (schedule.due(next), clock.elapsed());
            // One reading of the clock: a second one may already be past `due`.
            if due > now {
                let mut nap = (due - now).min(Duration::from_millis(100));
                if let Some(u) = until {
                    nap = nap.min(u.saturating_duration_since(Instant::now()));
                }
                tokio::time::sleep(nap).await;
                continue;
            }
            let orders = job.share.due_by(schedule, next, clock.elapsed(), BATCH);
            let permit = permits.clone().acquire_owned().await.expect("the semaphore is never closed");
            // Waiting for a permit may have taken it past `until`: the batch is left to
            // the next invocation, which must have time to be acknowledged in this one.
            if until.is_some_and(|u| Instant::now() >= u) {
                break;
            }
            let at = clock.elapsed();
            first.get_or_insert(at);
            last = Some(at);
            let mut batch = Vec::with_capacity(orders.len());
            for &n in &orders {
                let kind = period[(n % period.len() as u64) as usize];
                let due = schedule.due(n);
                let order = synthesize(kind, n, &job.run_id, job.started_wall + due.as_micros() as Micros, &job.rules);
                let late = at.saturating_sub(due);
                record(&mut lateness, late.as_micros() as i64);
                if late > LATE {
                    late_sends += 1;
                }
                batch.push(Entry { n, kind, body: order.to_json(), due });
            }
            dispatched += batch.len() as u64;
            let (publisher, state, told) = (self.clone(), state.clone(), progress.clone());
            tokio::spawn(async move {
                publisher.publish(batch, clock, &state, &*told, stop).await;
                drop(permit);
            });
            next = orders.last().expect("a due batch is not empty") + job.share.of as u64;
            progress.dispatched(next, clock.elapsed());
        }
        let _all = permits.acquire_many(self.concurrency as u32).await.expect("the semaphore is never closed");
        let mut out = std::mem::take(&mut *state.lock().expect("publisher state"));
        out.next = if schedule.includes(next) { next } else { schedule.len() };
        out.dispatched = dispatched;
        out.lateness = lateness;
        out.late_sends = late_sends;
        out.first = first;
        out.last = last;
        out.seconds = clock.elapsed().as_secs_f64();
        out
    }

    /// Publishes one batch, retrying the entries SNS reports as failed and whole calls
    /// that failed after the SDK's retries, with jittered exponential backoff, for at
    /// most `give_up`.
    async fn publish(&self, batch: Vec<Entry>, clock: Clock, state: &Mutex<Published>, progress: &dyn Progress, stop: &AtomicBool) {
        let mut pending: Vec<usize> = (0..batch.len()).collect();
        let first = Instant::now();
        let mut backoff = Duration::from_millis(100);
        let mut refused = Vec::new();
        for attempt in 0.. {
            // Ctrl-C: what is not accepted yet is reported, not waited for.
            if pending.is_empty() || (attempt > 0 && (first.elapsed() >= self.give_up || stop.load(Ordering::Relaxed))) {
                break;
            }
            if attempt > 0 {
                tokio::time::sleep(backoff.mul_f64(0.5 + fastrand::f64() / 2.0)).await;
                backoff = (backoff * 2).min(Duration::from_secs(2));
                state.lock().expect("publisher state").resent += 1;
            }
            let entries: Vec<PublishBatchRequestEntry> = pending
                .iter()
                .filter_map(|&i| PublishBatchRequestEntry::builder().id(batch[i].n.to_string()).message(&batch[i].body).build().ok())
                .collect();
            let call = Instant::now();
            // One attempt may not outlast what is left of `give_up`.
            let request = self.sns.publish_batch().topic_arn(&self.topic).set_publish_batch_request_entries(Some(entries)).send();
            let left = self.give_up.saturating_sub(first.elapsed()).max(Duration::from_millis(100));
            let out = match tokio::time::timeout(left, request).await {
                Ok(Ok(out)) => out,
                Err(_) => {
                    let error = format!("PublishBatch: attempt timeout, no answer within {} ms", left.as_millis());
                    state.lock().expect("publisher state").last_error = Some(error);
                    continue;
                }
                Ok(Err(e)) => {
                    // The SDK already retried throttling and refused connections with
                    // backoff; try the whole batch again, later.
                    let error = format!("PublishBatch: {}", (self.describe)(&anyhow::Error::from(e)));
                    state.lock().expect("publisher state").last_error = Some(error);
                    continue;
                }
            };
            let acked = clock.elapsed();
            let call_us = call.elapsed().as_micros() as i64;
            let mut s = state.lock().expect("publisher state");
            let index = |id: &str| id.parse::<u64>().ok().and_then(|seq| batch.iter().position(|b| b.n == seq));
            for ok in out.successful() {
                let Some(i) = ok.id().and_then(index) else { continue };
                let e = &batch[i];
                s.accepted += 1;
                s.accepted_by_kind[kind_index(e.kind)] += 1;
                record(&mut s.publish, acked.saturating_sub(e.due).as_micros() as i64);
                record(&mut s.call, call_us);
                s.sent_per_second.add(acked.as_micros() as i64);
                progress.accepted(e.n, e.kind);
            }
            // Per-entry failures arrive with HTTP 200: retry those the service may
            // accept later; an entry refused as the sender's fault cannot succeed.
            let mut retry = Vec::new();
            for f in out.failed() {
                let Some(i) = index(f.id()) else { continue };
                s.last_error = Some(format!("PublishBatch entry: {} {}", f.code(), f.message().unwrap_or_default()));
                if f.sender_fault() {
                    refused.push(batch[i].n);
                } else {
                    retry.push(i);
                }
            }
            pending = retry;
        }
        let given_up: Vec<u64> = refused.into_iter().chain(pending.iter().map(|&i| batch[i].n)).collect();
        for &n in &given_up {
            progress.unpublished(n);
        }
        state.lock().expect("publisher state").unpublished.extend(given_up);
    }
}

struct Entry {
    n: u64,
    kind: Kind,
    body: String,
    due: Duration,
}

/// An error's causes, each once, joined: the default [`Publisher::describe`].
pub fn causes(e: &anyhow::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    for cause in e.chain() {
        let text = cause.to_string();
        if !text.is_empty() && !parts.last().is_some_and(|p| p.contains(&text)) {
            parts.push(text);
        }
    }
    parts.join(": ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_start_before_this_process_began_is_held_as_an_offset() {
        let twenty_minutes = 20 * 60 * 1_000_000;
        let past = Clock::from_wall(order_domain::now_micros() - twenty_minutes);
        let e = past.elapsed().as_secs_f64();
        assert!((1199.0..1202.0).contains(&e), "{e}");
        assert_eq!(past.until_start(), Duration::ZERO);
        let ahead = Clock::from_wall(order_domain::now_micros() + 2_000_000);
        assert_eq!(ahead.elapsed(), Duration::ZERO);
        assert!(ahead.until_start() > Duration::from_millis(1900));
    }

    #[test]
    fn merged_figures_are_those_of_one_publisher_that_saw_every_sample() {
        // Two workers with different distributions: the merged p99 is the p99 of every
        // sample together, not the mean of theirs.
        let (mut a, mut b, mut all) = (Published::default(), Published::default(), latency_histogram());
        for i in 0..9_900u64 {
            record(&mut a.publish, 1_000 + (i % 100) as i64);
            record(&mut all, 1_000 + (i % 100) as i64);
        }
        for i in 0..100u64 {
            record(&mut b.publish, 500_000 + i as i64 * 1_000);
            record(&mut all, 500_000 + i as i64 * 1_000);
        }
        a.accepted = 9_900;
        b.accepted = 100;
        a.sent_per_second = PerSecond(vec![5, 5]);
        b.sent_per_second = PerSecond(vec![1, 1, 1]);
        b.unpublished = vec![7];
        let mean = (a.publish.value_at_quantile(0.99) + b.publish.value_at_quantile(0.99)) / 2;
        let mut merged = Published::default();
        merged.merge(&a);
        merged.merge(&b);
        assert_eq!(merged.publish.value_at_quantile(0.99), all.value_at_quantile(0.99));
        assert_eq!(merged.publish.len(), 10_000);
        assert_ne!(merged.publish.value_at_quantile(0.99), mean, "an average of percentiles is another number");
        assert_eq!((merged.accepted, merged.errors()), (10_000, 1));
        assert_eq!(merged.sent_per_second, PerSecond(vec![6, 6, 1]));
    }
}
