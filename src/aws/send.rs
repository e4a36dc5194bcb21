//! A load on the `aws` target: orders published with SNS `PublishBatch` (10 per call,
//! per-entry failures retried and counted, bounded concurrency, the SDK's backoff on
//! throttling) on the same fixed schedule as locally; end-to-end latency gathered while
//! the run goes on by reading the orders back from the table in batches. Order ids are
//! `<run>-<n>`, so the run finds every order again from two bitsets, not a list of ids.

use crate::context::Context;
use crate::load::LoadPlan;
use crate::model::KindOutcome;
use crate::report::{self, buckets, latency_histogram, Latencies, LatencySummary, PerSecond, Scheduling, SendReport, WorkersView};
use crate::spec::Names;
use anyhow::{bail, Context as _, Result};
use aws_sdk_dynamodb::types::{AttributeValue, KeysAndAttributes};
use aws_sdk_sqs::types::QueueAttributeName;
use hdrhistogram::Histogram;
use indicatif::ProgressBar;
use load_publisher::publish::{Clock, Job, Progress, Published, Publisher, CONCURRENCY};
use load_publisher::schedule::Share;
use order_domain::{now_micros, rfc3339, Kind, Micros, OrderRecord, Status};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long a batch is tried again while the endpoint is away, throttles beyond the
/// SDK's own retries, or reports entries failed; then its orders count as not published
/// (`ORDERCTL_PUBLISH_GIVE_UP_SECONDS`, default 30).
pub fn give_up_after() -> Duration {
    Duration::from_secs(crate::aws::seconds_setting("ORDERCTL_PUBLISH_GIVE_UP_SECONDS", 30))
}

pub(super) struct Bits(Vec<u64>);

impl Bits {
    pub(super) fn new(n: u64) -> Bits {
        Bits(vec![0; (n as usize).div_ceil(64)])
    }
    pub(super) fn set(&mut self, i: u64) {
        self.0[(i / 64) as usize] |= 1 << (i % 64);
    }
    fn get(&self, i: u64) -> bool {
        self.0[(i / 64) as usize] & (1 << (i % 64)) != 0
    }
}

/// Which orders SNS accepted, as the publisher (or the workers' reports) told.
pub(super) struct Shared {
    pub(super) accepted: Bits,
    pub(super) accepted_by_kind: HashMap<Kind, u64>,
    /// Orders given up on so far, for the live view.
    pub(super) errors: u64,
}

fn kind_index(k: Kind) -> usize {
    Kind::ALL.iter().position(|x| *x == k).expect("every kind is in ALL")
}

/// The live view of a run published from this process, and the accepted orders for
/// the read-back.
struct Live {
    shared: Arc<Mutex<Shared>>,
    sent_upto: Arc<AtomicU64>,
    rb: Arc<tokio::sync::Mutex<Readback>>,
    bar: ProgressBar,
    peak_rate: f64,
    last_view: Mutex<Instant>,
}

/// The live line: the rate against the schedule's, errors, in flight, end to end so far.
/// `None` while the reader holds the read-back (the next tick shows it).
fn live_line(shared: &Mutex<Shared>, rb: &tokio::sync::Mutex<Readback>, peak_rate: f64, sent: u64, elapsed: Duration) -> Option<String> {
    let rb = rb.try_lock().ok()?;
    let errors = shared.lock().expect("publisher state").errors;
    Some(report::text::live_line(
        peak_rate,
        sent as f64 / elapsed.as_secs_f64().max(1e-9),
        Some(errors),
        sent.saturating_sub(rb.settled_count()),
        &rb.e2e,
    ))
}

impl Progress for Live {
    fn accepted(&self, n: u64, kind: Kind) {
        let mut s = self.shared.lock().expect("publisher state");
        s.accepted.set(n);
        *s.accepted_by_kind.entry(kind).or_default() += 1;
    }

    fn unpublished(&self, _n: u64) {
        self.shared.lock().expect("publisher state").errors += 1;
    }

    fn dispatched(&self, next: u64, elapsed: Duration) {
        self.sent_upto.store(next, Ordering::Relaxed);
        self.bar.set_position(next);
        let mut last = self.last_view.lock().expect("live view");
        if last.elapsed() < Duration::from_millis(500) {
            return;
        }
        *last = Instant::now();
        if let Some(line) = live_line(&self.shared, &self.rb, self.peak_rate, next, elapsed) {
            self.bar.set_message(line);
        }
    }
}

/// How long the stack's queues stay empty, with orders unaccounted for, before the
/// read-back stops waiting for them.
const QUIET_FOR: Duration = Duration::from_secs(5);

/// DLQ messages the report looks through at most to tell dead-lettered from lost.
const DLQ_LOOKED_THROUGH: u64 = 1_000;

/// What reading the orders back found so far.
struct Readback {
    settled: Bits,
    outcomes: [KindOutcome; 3],
    /// Orders with a technical failure recorded: whether the worker recorded the last
    /// receive (`DEAD_LETTERED`) or SQS will deliver them again (`RETRYING`).
    unsettled: HashMap<u64, (Kind, Status)>,
    /// High-value orders failed by rule whose review is not recorded yet.
    awaiting_review: HashMap<u64, Kind>,
    e2e: Histogram<u64>,
    /// When the run started, and the orders settled in each second since.
    started: Micros,
    settled_per_second: PerSecond,
}

impl Readback {
    /// Whether order `n` has settled.
    fn is_settled(&self, n: u64) -> bool {
        self.settled.get(n)
    }

    /// Orders settled so far: completed or failed by rule.
    fn settled_count(&self) -> u64 {
        self.outcomes.iter().map(|o| o.completed + o.failed_by_rule).sum()
    }

    /// Left in the reader's place once the final read-back has taken what it found.
    fn empty() -> Readback {
        Readback {
            settled: Bits::new(0),
            outcomes: Kind::ALL.map(|k| KindOutcome::new(Some(k))),
            unsettled: HashMap::new(),
            awaiting_review: HashMap::new(),
            e2e: latency_histogram(),
            started: 0,
            settled_per_second: PerSecond::default(),
        }
    }
}

/// Reads back, in batches of 100, every accepted order not yet settled.
async fn read_back(ddb: &aws_sdk_dynamodb::Client, table: &str, run_id: &str, upto: u64, accepted: &Bits, rb: &mut Readback) -> Result<()> {
    let ids: Vec<u64> = (0..upto).filter(|i| accepted.get(*i) && !rb.settled.get(*i)).collect();
    for chunk in ids.chunks(100) {
        let keys: Vec<HashMap<String, AttributeValue>> =
            chunk.iter().map(|i| HashMap::from([("orderId".to_string(), AttributeValue::S(format!("{run_id}-{i}")))])).collect();
        let mut request =
            Some(HashMap::from([(table.to_string(), KeysAndAttributes::builder().set_keys(Some(keys)).consistent_read(true).build()?)]));
        while let Some(items) = request.take() {
            let out = ddb
                .batch_get_item()
                .set_request_items(Some(items))
                .send()
                .await
                .with_context(|| format!("reading orders back from `{table}`"))?;
            for item in out.responses().and_then(|r| r.get(table)).into_iter().flatten() {
                let record: OrderRecord = lambda_support::from_item(item)?;
                let Some(seq) = record.order.order_id.rsplit('-').next().and_then(|n| n.parse::<u64>().ok()) else { continue };
                let kind = record.order.kind.unwrap_or(Kind::Normal);
                let o = &mut rb.outcomes[kind_index(kind)];
                match record.status {
                    Status::Completed => o.completed += 1,
                    Status::Failed if record.review.is_some() => {
                        o.failed_by_rule += 1;
                        o.reviewed += 1;
                    }
                    Status::Failed if record.tier == order_domain::Tier::HighValue => {
                        // Settled, but the review has not been recorded yet: look again.
                        rb.unsettled.remove(&seq);
                        rb.awaiting_review.insert(seq, kind);
                        continue;
                    }
                    Status::Failed => o.failed_by_rule += 1,
                    Status::Retrying | Status::DeadLettered => {
                        rb.unsettled.insert(seq, (kind, record.status));
                        continue;
                    }
                }
                rb.unsettled.remove(&seq);
                rb.awaiting_review.remove(&seq);
                rb.settled.set(seq);
                if let (Some(at), Some(scheduled)) = (record.settled_at, record.order.scheduled_at) {
                    report::record(&mut rb.e2e, at - scheduled);
                    rb.settled_per_second.add(at - rb.started);
                }
            }
            request = out.unprocessed_keys().filter(|u| !u.is_empty()).cloned();
        }
    }
    Ok(())
}

/// A queue's depth by state.
pub async fn queue_depth(sqs: &aws_sdk_sqs::Client, url: &str) -> Result<crate::model::Depth> {
    let out = sqs.get_queue_attributes().queue_url(url).attribute_names(QueueAttributeName::All).send().await?;
    let attrs = out.attributes().cloned().unwrap_or_default();
    let n = |a: QueueAttributeName| attrs.get(&a).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
    Ok(crate::model::Depth {
        visible: n(QueueAttributeName::ApproximateNumberOfMessages),
        in_flight: n(QueueAttributeName::ApproximateNumberOfMessagesNotVisible),
        delayed: n(QueueAttributeName::ApproximateNumberOfMessagesDelayed),
    })
}

/// The alarm's state as CloudWatch reports it (`None` when it does not exist).
pub async fn alarm_state(cw: &aws_sdk_cloudwatch::Client, name: &str) -> Result<Option<crate::model::AlarmState>> {
    let out = cw.describe_alarms().alarm_names(name).send().await.context("reading the alarm (cloudwatch:DescribeAlarms)")?;
    Ok(out.metric_alarms().iter().find(|a| a.alarm_name() == Some(name)).map(|a| crate::model::AlarmState {
        name: name.to_string(),
        state: a.state_value().map(|s| s.as_str().to_string()).unwrap_or_default(),
        reason: a.state_reason().unwrap_or_default().to_string(),
        changed_at: a.state_updated_timestamp().map(|t| t.secs() * 1_000_000 + t.subsec_nanos() as i64 / 1000).unwrap_or(0),
        evaluated_through: 0,
    }))
}

/// Orders in the table by status: a paginated scan of `status` and `review` only. No
/// table (a stack that is down, or half torn down) holds no orders.
pub async fn order_counts(ddb: &aws_sdk_dynamodb::Client, table: &str) -> Result<crate::model::OrderCounts> {
    let mut counts = crate::model::OrderCounts::default();
    let mut pages = ddb
        .scan()
        .table_name(table)
        .projection_expression("#s, review")
        .expression_attribute_names("#s", "status")
        .into_paginator()
        .items()
        .send();
    while let Some(item) = pages.next().await {
        let item = match item {
            Ok(item) => item,
            Err(e) if e.as_service_error().is_some_and(|e| e.is_resource_not_found_exception()) => break,
            Err(e) => return Err(e).with_context(|| format!("scanning table `{table}`")),
        };
        match item.get("status").and_then(|v| v.as_s().ok()).map(String::as_str) {
            Some("COMPLETED") => counts.completed += 1,
            Some("FAILED") => counts.failed += 1,
            Some("DEAD_LETTERED") => counts.dead_lettered += 1,
            _ => counts.retrying += 1,
        }
        if item.get("review").is_some_and(|v| !v.is_null()) {
            counts.reviewed += 1;
        }
        counts.total += 1;
    }
    Ok(counts)
}

/// A load run on the aws target: publish on the schedule while reading the orders back,
/// then read until they have settled (or the wait runs out), then report. With
/// `--workers`, `load-generator` workers publish ([`super::workers`]).
pub async fn send_aws(ctx: &Context, plan: &LoadPlan, approve: crate::target::Approve<'_>, stop: &AtomicBool) -> Result<SendReport> {
    if let Some(workers) = &plan.workers {
        return super::workers::send(ctx, plan, workers, approve, stop).await;
    }
    let run = Run::connect(ctx, plan, None).await?;
    // `--wait 0s`: publish only, read nothing back.
    let read = !plan.wait.is_zero();
    let reader = run.read_while_sending(read);
    let bar = crate::live::progress(ctx.json(), plan.schedule.len());
    let published = run.publish_schedule(plan, &bar).await;
    run.sending.store(false, Ordering::Relaxed);
    reader.await?;
    run.finish(ctx, plan, published, None, stop.load(Ordering::Relaxed), &bar).await
}

/// One load run's clients and state, shared by the publisher's tasks and the reader.
pub(super) struct Run {
    pub(super) names: Names,
    pub(super) sdk: aws_config::SdkConfig,
    pub(super) sns: aws_sdk_sns::Client,
    ddb: aws_sdk_dynamodb::Client,
    sqs: aws_sdk_sqs::Client,
    /// Counts the publisher's retried requests, for the report.
    calls: super::calls::Calls,
    pub(super) topic: String,
    orders_url: String,
    dlq_url: String,
    pub(super) run_id: String,
    pub(super) started_wall: Micros,
    pub(super) shared: Arc<Mutex<Shared>>,
    /// Orders are read back while the run goes on, for the live view and the report.
    rb: Arc<tokio::sync::Mutex<Readback>>,
    pub(super) sending: Arc<AtomicBool>,
    /// Orders before this one may have been published: the read-back looks no further.
    pub(super) sent_upto: Arc<AtomicU64>,
    /// How long a publisher tried a batch before giving its orders up, for the report.
    pub(super) give_up: Duration,
}

impl Run {
    /// The run's clients and state, its schedule starting at `started_wall` (µs since
    /// the epoch: each order's `scheduledAt` is that plus its due time), or once the
    /// clients are ready.
    pub(super) async fn connect(ctx: &Context, plan: &LoadPlan, started_wall: Option<Micros>) -> Result<Run> {
        // Each publish streams one small body: the stalled-stream watchdog (a timer per
        // request) costs CPU and guards against nothing here.
        let sdk = super::sdk_config(ctx)
            .await
            .into_builder()
            .stalled_stream_protection(aws_config::stalled_stream_protection::StalledStreamProtectionConfig::disabled())
            .build();
        let names = Names::new(&ctx.stack);
        let Some(topic) = super::find_topic(&sdk, &names.orders_topic()).await? else {
            bail!("topic `{}` not found on this endpoint/account: is stack `{}` up there?", names.orders_topic(), ctx.stack);
        };
        let calls = super::calls::Calls::new();
        let sns = aws_sdk_sns::Client::from_conf(aws_sdk_sns::config::Builder::from(&sdk).interceptor(calls.clone()).build());
        let (ddb, sqs) = (aws_sdk_dynamodb::Client::new(&sdk), aws_sdk_sqs::Client::new(&sdk));
        let (orders_url, dlq_url) = (super::queue_url(&sqs, &names.orders_queue()).await?, super::queue_url(&sqs, &names.dlq()).await?);
        let len = plan.schedule.len();
        let started_wall = started_wall.unwrap_or_else(now_micros);
        Ok(Run {
            names,
            sdk,
            sns,
            ddb,
            sqs,
            calls,
            topic,
            orders_url,
            dlq_url,
            run_id: format!("r{}", &uuid::Uuid::new_v4().simple().to_string()[..10]),
            started_wall,
            shared: Arc::new(Mutex::new(Shared { accepted: Bits::new(len), accepted_by_kind: HashMap::new(), errors: 0 })),
            rb: Arc::new(tokio::sync::Mutex::new(Readback {
                settled: Bits::new(len),
                outcomes: Kind::ALL.map(|k| KindOutcome::new(Some(k))),
                unsettled: HashMap::new(),
                awaiting_review: HashMap::new(),
                e2e: latency_histogram(),
                started: started_wall,
                settled_per_second: PerSecond::default(),
            })),
            sending: Arc::new(AtomicBool::new(false)),
            sent_upto: Arc::new(AtomicU64::new(0)),
            give_up: give_up_after(),
        })
    }

    /// Reads the orders back once a second while the publisher sends (when `read`).
    pub(super) fn read_while_sending(&self, read: bool) -> tokio::task::JoinHandle<()> {
        self.sending.store(read, Ordering::Relaxed);
        let (ddb, table, run_id, shared, rb, sending, sent_upto) = (
            self.ddb.clone(),
            self.names.table(),
            self.run_id.clone(),
            self.shared.clone(),
            self.rb.clone(),
            self.sending.clone(),
            self.sent_upto.clone(),
        );
        tokio::spawn(async move {
            while sending.load(Ordering::Relaxed) {
                tokio::time::sleep(Duration::from_secs(1)).await;
                let accepted = Bits(shared.lock().expect("publisher state").accepted.0.clone());
                let upto = sent_upto.load(Ordering::Relaxed);
                // A read that fails (the endpoint is away) is tried again at the next
                // tick; the final read-back reads whatever is still unsettled.
                let _ = read_back(&ddb, &table, &run_id, upto, &accepted, &mut *rb.lock().await).await;
            }
        })
    }

    /// Which of `orders` the read-back has found settled (all read once the reader has
    /// stopped).
    pub(super) async fn found_settled(&self, orders: &[u64]) -> Vec<u64> {
        let rb = self.rb.lock().await;
        orders.iter().copied().filter(|&n| rb.is_settled(n)).collect()
    }

    /// The live line once `sent` orders have gone out, `elapsed` into the run.
    pub(super) fn live_line(&self, peak_rate: f64, sent: u64, elapsed: Duration) -> Option<String> {
        live_line(&self.shared, &self.rb, peak_rate, sent, elapsed)
    }

    /// Publishes the schedule from this process, with the live view on `bar`, until
    /// done or Ctrl-C.
    async fn publish_schedule(&self, plan: &LoadPlan, bar: &ProgressBar) -> Published {
        let publisher = Publisher {
            sns: self.sns.clone(),
            topic: self.topic.clone(),
            concurrency: CONCURRENCY,
            give_up: self.give_up,
            describe: crate::error_sentence,
        };
        let job = Job {
            run_id: self.run_id.clone(),
            schedule: plan.schedule.clone(),
            mix: plan.mix.clone(),
            rules: crate::spec::Settings::aws().rules(),
            share: Share::ALL,
            from: 0,
            started_wall: self.started_wall,
        };
        let live = Arc::new(Live {
            shared: self.shared.clone(),
            sent_upto: self.sent_upto.clone(),
            rb: self.rb.clone(),
            bar: bar.clone(),
            peak_rate: plan.schedule.peak_rate(),
            last_view: Mutex::new(Instant::now()),
        });
        publisher.run(&job, Clock::starting_now(), None, crate::live::interrupted(), live).await
    }

    /// After the publishing: read the orders back until they settle (or the wait runs
    /// out, or briefly after Ctrl-C), then report.
    pub(super) async fn finish(
        &self,
        ctx: &Context,
        plan: &LoadPlan,
        published: Published,
        workers: Option<WorkersView>,
        interrupted: bool,
        bar: &ProgressBar,
    ) -> Result<SendReport> {
        bar.set_message("reading the orders back");
        let read = !plan.wait.is_zero();
        let settle_start = Instant::now();
        let wait = if interrupted { Duration::from_secs(5) } else { plan.wait };
        let rb = self.settle(published.next, wait, read || interrupted).await?;
        bar.finish_and_clear();
        let wait_seconds = settle_start.elapsed().as_secs_f64();
        self.report(ctx, plan, published, workers, rb, interrupted, wait_seconds).await
    }

    /// Reads the orders back until all have settled (or are dead-lettered), or the wait
    /// runs out.
    async fn settle(&self, next: u64, wait: Duration, read: bool) -> Result<Readback> {
        let mut rb = std::mem::replace(&mut *self.rb.lock().await, Readback::empty());
        let deadline = Instant::now() + wait;
        let accepted_total = self.shared.lock().expect("publisher state").accepted_by_kind.values().sum::<u64>();
        if !read {
            return Ok(rb);
        }
        let high_value_url = super::queue_url(&self.sqs, &self.names.high_value_queue()).await?;
        let mut quiet_since: Option<Instant> = None;
        loop {
            let accepted = Bits(self.shared.lock().expect("publisher state").accepted.0.clone());
            let reading = async {
                read_back(&self.ddb, &self.names.table(), &self.run_id, next, &accepted, &mut rb).await?;
                let orders = queue_depth(&self.sqs, &self.orders_url).await?;
                let high_value = queue_depth(&self.sqs, &high_value_url).await?;
                anyhow::Ok((orders, high_value))
            };
            let (depth, high_value_depth) = match reading.await {
                Ok(read) => read,
                // The endpoint is away: try again until the wait runs out.
                Err(_) if Instant::now() < deadline => {
                    tokio::time::sleep(Duration::from_millis(500)).await;
                    continue;
                }
                Err(e) => return Err(e.context("reading the orders back")),
            };
            let settled: u64 = rb.outcomes.iter().map(|o| o.completed + o.failed_by_rule).sum();
            let depth = depth.total();
            if settled == accepted_total || Instant::now() >= deadline {
                break;
            }
            // Orders dead-lettered, with the queue empty, are in the DLQ: done too.
            let dead = rb.unsettled.values().filter(|(_, status)| *status == Status::DeadLettered).count() as u64;
            if depth == 0 && settled + dead == accepted_total {
                break;
            }
            // Nothing left in the stack's queues and no review pending, for a while (SNS
            // may take seconds to deliver): what is not found by now is lost, and waiting
            // longer changes nothing.
            if depth == 0 && high_value_depth.total() == 0 && rb.awaiting_review.is_empty() {
                if quiet_since.get_or_insert_with(Instant::now).elapsed() >= QUIET_FOR {
                    break;
                }
            } else {
                quiet_since = None;
            }
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
        Ok(rb)
    }

    /// Where each kind's orders are: settled as read back; then, once the stack's queues
    /// are empty (`quiet`: the run's orders found in the DLQ, by kind), dead-lettered if in
    /// the DLQ and lost if nowhere; while a queue holds messages, dead-lettered when the
    /// worker recorded the last receive and in flight otherwise (loss is not measured).
    /// `orders_depth`: the `orders` queue's messages at the end, `None` when unread.
    fn outcomes(&self, rb: &Readback, orders_depth: Option<u64>, quiet: Option<&HashMap<Kind, u64>>) -> Vec<KindOutcome> {
        let accepted_by_kind = self.shared.lock().expect("publisher state").accepted_by_kind.clone();
        let mut outcomes: Vec<KindOutcome> = Vec::new();
        for kind in Kind::ALL {
            let mut o = rb.outcomes[kind_index(kind)];
            o.sent = accepted_by_kind.get(&kind).copied().unwrap_or(0);
            let dead = rb.unsettled.values().filter(|(k, status)| *k == kind && *status == Status::DeadLettered).count() as u64;
            // Failed by rule already; only the review is missing.
            o.awaiting_review = rb.awaiting_review.values().filter(|k| **k == kind).count() as u64;
            o.failed_by_rule += o.awaiting_review;
            match quiet {
                Some(in_dlq) => {
                    o.dead_lettered = in_dlq.get(&kind).copied().unwrap_or(0);
                    o.lost = o.sent.saturating_sub(o.completed + o.failed_by_rule + o.dead_lettered);
                }
                None => {
                    // Recorded on the last receive; in the DLQ once the queue has let it go.
                    o.dead_lettered = if orders_depth == Some(0) { dead } else { 0 };
                    o.in_flight = o.sent.saturating_sub(o.completed + o.failed_by_rule + o.dead_lettered);
                }
            }
            if o.sent > 0 {
                outcomes.push(o);
            }
        }
        outcomes
    }

    /// This run's orders in the DLQ, by kind, peeked (each message held for a moment and
    /// released, as `dlq inspect` does).
    async fn run_in_dlq(&self, depth: u64) -> Result<HashMap<Kind, u64>> {
        let mut by_kind = HashMap::new();
        if depth == 0 {
            return Ok(by_kind);
        }
        let prefix = format!("{}-", self.run_id);
        for m in super::sqs::peek(&self.sqs, &self.dlq_url, depth as usize).await? {
            let body = m.body().unwrap_or_default();
            if !crate::dlq::order_id_of(body).is_some_and(|id| id.starts_with(&prefix)) {
                continue;
            }
            let kind = serde_json::from_str::<serde_json::Value>(order_domain::unwrap_envelope(body).as_ref())
                .ok()
                .and_then(|v| v["kind"].as_str().and_then(|k| k.parse::<Kind>().ok()))
                .unwrap_or(Kind::Normal);
            *by_kind.entry(kind).or_insert(0) += 1;
        }
        Ok(by_kind)
    }

    #[allow(clippy::too_many_arguments)]
    async fn report(
        &self,
        ctx: &Context,
        plan: &LoadPlan,
        published: Published,
        workers: Option<WorkersView>,
        rb: Readback,
        interrupted: bool,
        wait_seconds: f64,
    ) -> Result<SendReport> {
        let mut notes = Vec::new();
        // The queues as the run ends. An endpoint gone by then costs the report its
        // depths and the loss measure, not the report: what was published and what was
        // not is still told.
        let depths = async {
            let orders = queue_depth(&self.sqs, &self.orders_url).await?.total();
            let dlq = queue_depth(&self.sqs, &self.dlq_url).await?.total();
            let high_value_url = super::queue_url(&self.sqs, &self.names.high_value_queue()).await?;
            let high_value = queue_depth(&self.sqs, &high_value_url).await?.total();
            anyhow::Ok((orders, dlq, high_value))
        };
        let depths = match depths.await {
            Ok(depths) => Some(depths),
            Err(e) => {
                notes.push(format!(
                    "the queues could not be read after the run ({}): DLQ depth and loss not measured",
                    crate::error_sentence(&e)
                ));
                None
            }
        };
        let (orders_depth, dlq_depth) = (depths.map(|(o, _, _)| o), depths.map(|(_, d, _)| d));
        // Loss is measurable once nothing is left to deliver: an order then is in the
        // table, in the DLQ, or nowhere.
        let quiet = match depths {
            None => None,
            Some((orders, _, high_value)) if orders + high_value > 0 => None,
            Some((_, dlq, _)) if dlq > DLQ_LOOKED_THROUGH => {
                notes.push(format!("loss not measured: the DLQ holds {dlq} messages, more than the {DLQ_LOOKED_THROUGH} looked through"));
                None
            }
            Some((_, dlq, _)) => Some(self.run_in_dlq(dlq).await?),
        };
        let outcomes = self.outcomes(&rb, orders_depth, quiet.as_ref());
        let total = KindOutcome::total(&outcomes);
        let mut problems = SendReport::problems_of(&total);
        problems.extend(notes);
        if published.errors() > 0 {
            problems.push(format!(
                "{} orders could not be published, tried for {} each (last error: {})",
                published.errors(),
                humantime::format_duration(self.give_up),
                published.last_error.as_deref().unwrap_or("none recorded")
            ));
        }
        if interrupted {
            problems.insert(0, format!("interrupted: {} of {} orders were sent", total.sent, plan.schedule.len()));
        }
        let send_seconds = published.seconds;
        let mut report = SendReport {
            schema: report::SEND_REPORT_SCHEMA,
            stack: ctx.stack.clone(),
            target: "aws".into(),
            run_id: self.run_id.clone(),
            started_at: rfc3339(self.started_wall),
            finished_at: rfc3339(now_micros()),
            requested: crate::report::Requested::of(plan),
            sent: total.sent,
            send_seconds,
            achieved_rate: report::achieved_rate(total.sent, published.first, published.last, send_seconds),
            scheduling: Scheduling {
                lateness: LatencySummary::of(&published.lateness),
                late_sends: published.late_sends,
                unsent: plan.schedule.len().saturating_sub(published.dispatched),
                publish_errors: published.errors(),
                retries: self.calls.snapshot().retries + published.resent,
                last_error: published.last_error.clone(),
            },
            interrupted,
            problems,
            outcomes,
            total,
            latency: Latencies {
                end_to_end: LatencySummary::of(&rb.e2e),
                publish: LatencySummary::of(&published.publish),
                publish_uncorrected: LatencySummary::of(&published.call),
                end_to_end_histogram: buckets(&rb.e2e),
            },
            dlq_depth,
            alarm: match alarm_state(&aws_sdk_cloudwatch::Client::new(&self.sdk), &self.names.alarm()).await {
                Ok(a) => a.map(|a| crate::report::AlarmView {
                    name: a.name,
                    state: a.state,
                    reason: a.reason,
                    changed_at: if a.changed_at > 0 { rfc3339(a.changed_at) } else { String::new() },
                }),
                Err(e) => {
                    eprintln!("warning: the report has no alarm state: {e:#}");
                    None
                }
            },
            alerts: None,
            engine: None,
            timeline: report::timeline(&published.sent_per_second, &rb.settled_per_second),
            settled: total.unsettled() == 0,
            wait_seconds,
            thresholds: Vec::new(),
            workers,
        };
        if let Some(path) = &plan.hdr_out {
            std::fs::write(path, report::hgrm::percentile_distribution(&rb.e2e, 1000.0))
                .with_context(|| format!("writing `{}`", path.display()))?;
        }
        report.check(&plan.thresholds);
        Ok(report)
    }
}
