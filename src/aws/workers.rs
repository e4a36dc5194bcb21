//! `send --workers N` on the aws target: the run published by `load-generator` Lambda
//! workers instead of this process, when one machine is not enough.
//!
//! 1. The plan's cost is shown and `approve` asked; then the generator is deployed
//!    through the stack's own provisioning (`desired::generator` → observe → plan →
//!    apply: unchanged code is not uploaded again), owned by the stack, which `down`
//!    removes.
//! 2. Every worker is invoked with `prepare` and must answer within `--ready-timeout`;
//!    if one does not, the run refuses to start and nothing is sent.
//! 3. Every worker is invoked with `run`: its share of the schedule (every N-th order)
//!    and one start instant a little ahead. An invocation stops dispatching a margin
//!    before its timeout and answers with where it stopped; its share's rest goes to a
//!    fresh invocation, so a run may outlast Lambda's 15 minutes.
//! 4. The workers' reports are merged exactly (counts summed, histograms added) and the
//!    orders read back from the table as for a run from this process, while the live
//!    view shows what is due and what has settled.
//!
//! Where the endpoint has no real Lambda (an emulator: `--endpoint-url`), the workers run
//! on this machine as `load-generator` processes under the local Lambda Runtime API
//! (`crate::lambda`), N at once, publishing to the endpoint: the same code, a rehearsal.

use super::send::{give_up_after, Bits, Run};
use super::{desired, observe, Aws};
use crate::context::Context;
use crate::lambda::runtime::LocalFunction;
use crate::load::workers::{Cost, Runner, Workers};
use crate::load::LoadPlan;
use crate::plan::Plan;
use crate::report::{self, LatencySummary, SendReport, WorkerHistograms, WorkerRow, WorkersView};
use crate::spec::{Handler, Names};
use crate::target::Approve;
use anyhow::{anyhow, bail, Context as _, Result};
use load_publisher::hist::encode;
use load_publisher::publish::{Clock, Published, CONCURRENCY};
use load_publisher::schedule::Share;
use load_publisher::task::{Ready, RunTask, Task, WorkerReport};
use order_domain::{now_micros, Kind, Micros};
use serde_json::Value;
use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Where the workers run.
enum Pool {
    /// The deployed function, invoked through Lambda's API.
    Lambda { prepare: aws_sdk_lambda::Client, run: aws_sdk_lambda::Client, function: String },
    /// One process per worker under the local Lambda Runtime API.
    Local { functions: Vec<Arc<Mutex<LocalFunction>>>, _scratch: tempfile::TempDir },
}

impl Pool {
    fn runner(&self) -> &'static str {
        match self {
            Pool::Lambda { .. } => "lambda",
            Pool::Local { .. } => "local",
        }
    }

    /// Invokes worker `worker` with `task`, waiting at most `within`; the answer, or why
    /// there is none.
    async fn invoke(&self, worker: u32, task: &Task, within: Duration) -> Result<Value> {
        let payload = serde_json::to_value(task)?;
        match self {
            Pool::Lambda { prepare, run, function } => {
                let client = if matches!(task, Task::Prepare { .. }) { prepare } else { run };
                let call =
                    client.invoke().function_name(function).payload(aws_smithy_types::Blob::new(serde_json::to_vec(&payload)?)).send();
                let out = tokio::time::timeout(within, call)
                    .await
                    .map_err(|_| anyhow!("no answer within {}", humantime::format_duration(within)))?
                    .map_err(|e| {
                        let throttled = e.as_service_error().is_some_and(|s| s.is_too_many_requests_exception());
                        let sentence = crate::error_sentence(&anyhow::Error::from(e));
                        if throttled {
                            anyhow::Error::new(Throttled(sentence))
                        } else {
                            anyhow!("Invoke: {sentence}")
                        }
                    })?;
                let body: Value = out.payload().map(|p| serde_json::from_slice(p.as_ref())).transpose()?.unwrap_or(Value::Null);
                if let Some(kind) = out.function_error() {
                    bail!("{kind}: {}", body["errorMessage"].as_str().unwrap_or("the function failed"));
                }
                Ok(body)
            }
            Pool::Local { functions, .. } => {
                let f = functions[worker as usize].clone();
                let outcome = tokio::task::spawn_blocking(move || f.lock().expect("a worker's process").invoke_within(&payload, within))
                    .await
                    .context("a worker's invocation panicked")??;
                outcome.map_err(|e| anyhow!("{e}"))
            }
        }
    }
}

/// Lambda refused the invocation before running it (`TooManyRequestsException`): safe
/// to try again.
#[derive(Debug, thiserror::Error)]
#[error("throttled: {0}")]
struct Throttled(String);

/// What one worker did: its `prepare` answer and each `run` invocation's report.
struct WorkerRun {
    ready: Ready,
    reports: Vec<WorkerReport>,
    /// Stretches of its share (from, to) whose report does not list what it gave up
    /// on: which of them were published is found by reading them back.
    unlisted: Vec<(u64, u64)>,
    /// Where the invocation that failed began: its share from there was never
    /// reported, and counts as sent only where the read-back found it settled.
    failed_from: Option<u64>,
    /// Why its share stopped short, when it did.
    error: Option<String>,
}

/// The run, published by `workers.count` workers.
pub async fn send(ctx: &Context, plan: &LoadPlan, workers: &Workers, approve: Approve<'_>, stop: &AtomicBool) -> Result<SendReport> {
    let n = workers.count;
    let schedule = &plan.schedule;
    let lead = Duration::from_secs(2) + Duration::from_millis(10) * n;
    let cost = workers.cost(schedule, lead);
    let aws = Aws::connect(ctx).await?;
    let names = Names::new(&ctx.stack);
    let Some(topic) = super::find_topic(&aws.sdk, &names.orders_topic()).await? else {
        bail!("topic `{}` not found on this endpoint/account: is stack `{}` up there?", names.orders_topic(), ctx.stack);
    };
    let local = match workers.runner {
        Runner::Auto => super::service_endpoint(&aws.sdk, "Lambda").is_some(),
        Runner::Lambda => false,
        Runner::Local => true,
    };
    eprintln!("{}", cost.describe());
    match (local, workers.runner) {
        (true, Runner::Auto) => {
            eprintln!("the Lambda endpoint is not AWS's: the workers run on this machine, under a local Lambda Runtime API")
        }
        (true, _) => eprintln!("the workers run on this machine, under a local Lambda Runtime API"),
        (false, _) => {}
    }
    let question = format!(
        "deploy the load generator to stack `{}` in account {} ({}) and start {n} workers?",
        ctx.stack, aws.env.account, aws.env.region
    );
    if !approve(&question)? {
        bail!("not started: nothing was deployed or sent");
    }
    let zip = super::stack::generator_package(&workers.code, workers.arch, !ctx.json())?;
    deploy(ctx, &aws, &zip, workers).await?;
    let pool = pool(ctx, &aws, &zip, workers, local).await?;

    // Every worker ready, or nothing is sent.
    let bar = crate::live::progress(ctx.json(), schedule.len());
    bar.set_message(format!("waiting for {n} workers to report ready"));
    let readies = prepare(&pool, &topic, n, workers.ready_timeout).await;
    let mut not_ready = Vec::new();
    let mut ready = Vec::new();
    for (i, r) in readies.into_iter().enumerate() {
        match r {
            Ok(r) => ready.push(r),
            Err(e) => not_ready.push(format!("worker {i}: {}", crate::error_sentence(&e))),
        }
    }
    if !not_ready.is_empty() {
        bar.finish_and_clear();
        bail!(
            "{} of {n} workers did not report ready within {}, so the run did not start and nothing was sent ({})",
            not_ready.len(),
            humantime::format_duration(workers.ready_timeout),
            not_ready.join("; ")
        );
    }

    let start_at: Micros = now_micros() + lead.as_micros() as Micros;
    let clock = Clock::from_wall(start_at);
    let mut run = Run::connect(ctx, plan, Some(start_at)).await?;
    // A batch's last try ends well inside the margin an invocation keeps before its
    // deadline, after its last dispatch.
    let give_up = Duration::from_millis(give_up_after().min(workers.margin() / 3).as_millis() as u64);
    run.give_up = give_up;
    let reader = run.read_while_sending(!plan.wait.is_zero());
    let base = RunTask {
        run_id: run.run_id.clone(),
        topic_arn: topic.clone(),
        stages: schedule.wire(),
        mix: plan.mix.to_string(),
        high_value_threshold: crate::spec::Settings::aws().rules().high_value_threshold,
        worker: 0,
        workers: n,
        from: 0,
        start_at,
        margin_ms: workers.margin().as_millis() as u64,
        give_up_ms: give_up.as_millis() as u64,
        concurrency: CONCURRENCY,
    };
    let drive = futures::future::join_all((0..n).zip(ready).map(|(i, ready)| drive(&pool, &base, clock, i, ready, workers, stop)));
    let live = watch(&run, plan, clock, &bar);
    let runs = tokio::select! {
        runs = drive => runs,
        _ = live => unreachable!("the live view runs until the workers are done"),
    };
    run.sending.store(false, Ordering::Relaxed);
    reader.await?;

    let (published, view, problems) = merge(&run, plan, &pool, cost, runs).await?;
    let interrupted = stop.load(Ordering::Relaxed);
    let mut report = run.finish(ctx, plan, published, Some(view), interrupted, &bar).await?;
    report.problems.extend(problems);
    Ok(report)
}

/// Deploys the generator as the stack's: nothing is changed when it is up to date.
async fn deploy(ctx: &Context, aws: &Aws, zip: &Path, workers: &Workers) -> Result<()> {
    let sha = crate::package::code_sha256(&std::fs::read(zip).with_context(|| format!("reading `{}`", zip.display()))?);
    let timeout_ms = workers.timeout.as_millis() as u64;
    let desired = desired::generator(&ctx.stack, &aws.env, workers.arch.lambda_name(), &sha, workers.memory_mb, timeout_ms);
    let observed = observe::observe(aws, &ctx.stack, &desired).await?;
    super::apply::check_ownership(&ctx.stack, &desired, &observed, false)?;
    let have: Vec<_> = observed.iter().map(|o| o.resource.clone()).collect();
    let plan = Plan::diff(&desired, &have);
    let function = Names::new(&ctx.stack).function(Handler::LoadGenerator);
    if plan.is_noop() {
        eprintln!("load generator `{function}`: up to date");
        return Ok(());
    }
    let packages = HashMap::from([(Handler::LoadGenerator, zip.to_path_buf())]);
    super::apply::Applier::new(aws, &ctx.stack, &packages, !ctx.json()).apply(&plan, &desired, &observed, false).await?;
    eprintln!("load generator `{function}`: deployed");
    Ok(())
}

/// The workers' pool: Lambda's API, or local processes.
async fn pool(ctx: &Context, aws: &Aws, zip: &Path, workers: &Workers, local: bool) -> Result<Pool> {
    let function = Names::new(&ctx.stack).function(Handler::LoadGenerator);
    if local {
        let scratch = tempfile::tempdir()?;
        let region = aws.env.region.clone();
        let environment = super::emulate::handler_environment(ctx, &region);
        let mut functions = Vec::new();
        for i in 0..workers.count {
            let bootstrap = crate::lambda::runtime::extract_bootstrap(zip, &scratch.path().join(format!("worker-{i}")))?;
            functions.push(Arc::new(Mutex::new(LocalFunction::start(crate::lambda::runtime::FunctionSpec {
                name: function.clone(),
                bootstrap,
                timeout: workers.timeout,
                memory_mb: workers.memory_mb,
                environment: environment.clone(),
                log: Some(scratch.path().join(format!("worker-{i}.log"))),
            })?)));
        }
        return Ok(Pool::Local { functions, _scratch: scratch });
    }
    // An invocation answers when its segment ends: up to the function's timeout. A
    // `run` is not retried by the SDK (a retry would publish its share twice).
    let long = |attempts: u32| {
        let timeouts = aws_config::timeout::TimeoutConfig::builder()
            .operation_attempt_timeout(workers.timeout + Duration::from_secs(30))
            .read_timeout(workers.timeout + Duration::from_secs(30))
            .build();
        aws_sdk_lambda::Client::from_conf(
            aws_sdk_lambda::config::Builder::from(&aws.sdk)
                .timeout_config(timeouts)
                .retry_config(aws_config::retry::RetryConfig::standard().with_max_attempts(attempts))
                .build(),
        )
    };
    Ok(Pool::Lambda { prepare: long(5), run: long(1), function })
}

/// Every worker's `prepare`, at once, each within `within`.
async fn prepare(pool: &Pool, topic: &str, n: u32, within: Duration) -> Vec<Result<Ready>> {
    let one = |i: u32| async move {
        let task = Task::Prepare { topic_arn: topic.to_string(), worker: i };
        let started = Instant::now();
        let answer = pool.invoke(i, &task, within).await?;
        let mut ready: Ready = serde_json::from_value(answer).context("a worker's `prepare` answer")?;
        // A cold start takes as long as the whole call, seen from here.
        if ready.cold {
            ready.init_ms = Some(started.elapsed().as_secs_f64() * 1000.0);
        }
        Ok(ready)
    };
    futures::future::join_all((0..n).map(one)).await
}

/// One worker's share, invocation after invocation, until it is all dispatched (or an
/// invocation fails, or Ctrl-C). Each invocation is made shortly before the share's
/// next order is due, so a quiet stretch (a pause, a slow rate) costs no invocation.
async fn drive(pool: &Pool, base: &RunTask, clock: Clock, worker: u32, ready: Ready, workers: &Workers, stop: &AtomicBool) -> WorkerRun {
    let schedule = load_publisher::schedule::Schedule::from_wire(&base.stages).expect("the run's own schedule");
    let share = Share::new(worker, base.workers).expect("a worker of the run");
    let mut out = WorkerRun { ready, reports: Vec::new(), unlisted: Vec::new(), failed_from: None, error: None };
    let mut from = share.first_from(0);
    let mut throttled = 0u32;
    while schedule.includes(from) && !stop.load(Ordering::Relaxed) {
        let wake = schedule.due(from).saturating_sub(Duration::from_secs(2));
        let now = clock.elapsed();
        if now < wake {
            tokio::time::sleep((wake - now).min(Duration::from_millis(500))).await;
            continue;
        }
        let task = Task::Run(RunTask { worker, from, ..base.clone() });
        let answer = pool.invoke(worker, &task, workers.timeout + Duration::from_secs(30)).await;
        match answer.and_then(|v| serde_json::from_value::<WorkerReport>(v).context("a worker's report")) {
            // Lambda ran nothing: try again, a little later each time.
            Err(e) if e.downcast_ref::<Throttled>().is_some() && throttled < 8 => {
                throttled += 1;
                tokio::time::sleep(Duration::from_millis(250) * 2u32.pow(throttled.min(5))).await;
            }
            Ok(r) if r.published.next <= from && schedule.includes(r.published.next) => {
                // Nothing dispatched although its next order came due well inside it.
                if clock.elapsed() >= schedule.due(from) + workers.margin() {
                    out.error =
                        Some(format!("an invocation dispatched nothing from order {from}, due {:?} into the run", schedule.due(from)));
                    out.reports.push(r);
                    break;
                }
                out.reports.push(r);
            }
            Ok(r) => {
                if r.published.unpublished_overflow {
                    out.unlisted.push((from, r.published.next));
                }
                from = r.published.next;
                throttled = 0;
                out.reports.push(r);
            }
            Err(e) => {
                out.error = Some(format!("its invocation from order {from} failed: {}", crate::error_sentence(&e)));
                out.failed_from = Some(from);
                break;
            }
        }
    }
    out
}

/// The live view while the workers publish: what is due by now (the read-back looks
/// that far), and what has settled. Runs until dropped.
async fn watch(run: &Run, plan: &LoadPlan, clock: Clock, bar: &indicatif::ProgressBar) {
    let schedule = &plan.schedule;
    let mut due = 0u64;
    loop {
        tokio::time::sleep(Duration::from_millis(500)).await;
        let ahead = clock.until_start();
        let now = clock.elapsed();
        if !ahead.is_zero() {
            bar.set_message(format!("starting in {:.1}s", ahead.as_secs_f64()));
            continue;
        }
        let from = due;
        while schedule.includes(due) && schedule.due(due) <= now {
            due += 1;
        }
        {
            // Taken as sent until the workers report: what SNS refused is not found.
            let mut shared = run.shared.lock().expect("publisher state");
            for n in from..due {
                shared.accepted.set(n);
            }
        }
        run.sent_upto.store(due, Ordering::Relaxed);
        bar.set_position(due);
        if let Some(line) = run.live_line(schedule.peak_rate(), due, now) {
            bar.set_message(format!("due {due} · {line}"));
        }
    }
}

/// The workers' figures merged, the accepted orders as they reported them, one row per
/// worker, and what went wrong. Orders whose report is missing (a failed invocation) or
/// does not list what it gave up on count as published when the read-back found them
/// settled, and as unsent otherwise.
async fn merge(run: &Run, plan: &LoadPlan, pool: &Pool, cost: Cost, runs: Vec<WorkerRun>) -> Result<(Published, WorkersView, Vec<String>)> {
    let schedule = &plan.schedule;
    let period = plan.mix.period();
    let of = runs.len() as u32;
    // Which orders of the unreported stretches the read-back found settled.
    let mut unknown = Vec::new();
    for (i, w) in runs.iter().enumerate() {
        let share = Share::new(i as u32, of).expect("a worker of the run");
        for (from, to) in w.unlisted.iter().copied().chain(w.failed_from.map(|f| (f, schedule.len()))) {
            let mut n = share.first_from(from);
            while n < to && schedule.includes(n) {
                unknown.push(n);
                n += of as u64;
            }
        }
    }
    let found: std::collections::HashSet<u64> = run.found_settled(&unknown).await.into_iter().collect();
    let unknown: std::collections::HashSet<u64> = unknown.into_iter().collect();
    let mut all = Published::default();
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    let mut shared = run.shared.lock().expect("publisher state");
    shared.accepted = Bits::new(schedule.len());
    shared.accepted_by_kind.clear();
    let mut invocations = 0;
    for (i, w) in runs.iter().enumerate() {
        let share = Share::new(i as u32, of).expect("a worker of the run");
        let mut mine = Published::default();
        for r in &w.reports {
            mine.merge(&r.published);
        }
        // Every order it dispatched, less those it gave up on; where that is not known,
        // those found settled.
        let given_up: std::collections::HashSet<u64> = mine.unpublished.iter().copied().collect();
        let end = if w.failed_from.is_some() { schedule.len() } else { w.reports.last().map_or(0, |r| r.published.next) };
        let mut n = share.first_from(0);
        let mut recovered = 0;
        while n < end && schedule.includes(n) {
            let published = if unknown.contains(&n) { found.contains(&n) } else { !given_up.contains(&n) };
            if published {
                shared.accepted.set(n);
            }
            // Counted here: the report of a failed invocation never arrived.
            if found.contains(&n) && w.failed_from.is_some_and(|f| n >= f) {
                recovered += 1;
                mine.accepted += 1;
                mine.dispatched += 1;
                let kind = period[(n % period.len() as u64) as usize];
                mine.accepted_by_kind[Kind::ALL.iter().position(|k| *k == kind).expect("every kind is in ALL")] += 1;
            }
            n += of as u64;
        }
        if let Some(e) = &w.error {
            problems.push(format!(
                "worker {i} stopped before the end of its share: {e}; {recovered} orders of the stretch it did not report were found settled and count as sent, the rest as unsent"
            ));
        }
        invocations += 1 + w.reports.len() as u64 + u64::from(w.error.is_some());
        rows.push(WorkerRow {
            worker: i as u32,
            share: share.len(schedule),
            sent: mine.accepted,
            achieved_rate: report::achieved_rate(mine.accepted, mine.first, mine.last, mine.seconds),
            lateness_p99_ms: LatencySummary::of(&mine.lateness).map(|l| l.p99_ms),
            errors: mine.errors(),
            retries: mine.resent,
            invocations: w.reports.len() as u64 + u64::from(w.error.is_some()),
            cold_start_ms: w.ready.init_ms,
            began_late_ms: w.reports.first().map_or(0.0, |r| r.began_late_ms),
            histograms: WorkerHistograms {
                lateness: encode(&mine.lateness),
                publish: encode(&mine.publish),
                publish_uncorrected: encode(&mine.call),
            },
        });
        all.merge(&mine);
    }
    for (k, count) in Kind::ALL.iter().zip(all.accepted_by_kind) {
        if count > 0 {
            shared.accepted_by_kind.insert(*k, count);
        }
    }
    shared.errors = all.errors();
    // The read-back looks at every order of the schedule the workers dispatched.
    all.next = schedule.len();
    let view = WorkersView {
        count: of,
        runner: pool.runner().into(),
        invocations,
        cold_starts: runs.iter().filter(|w| w.ready.cold).count() as u64,
        cost,
        each: rows,
    };
    Ok((all, view, problems))
}
