//! The local engine: the threads that make the stack move while an `orderctl` process
//! runs it — one poller per unit of each event source mapping's concurrency (receive a
//! batch, invoke the function in-process under its timeout, delete only the records
//! that succeeded), the pipe, and the housekeeping that samples the alarm's metric and
//! applies retention.
//!
//! Faults can be injected (`ORDERCTL_LOCAL_FAULTS`, e.g. `error=0.1,duplicate=0.05`)
//! to prove the pipeline's guarantees hold when functions fail, time out, panic or see
//! a message twice.

use super::alarm;
use super::db::Conn;
use super::functions::{self, Outcome};
use super::pipe;
use super::sqs::{self, Received};
use super::{LocalStack, Mapping, Topology};
pub use crate::model::StatsSnapshot;
use crate::spec::Handler;
use anyhow::{anyhow, Result};
use order_domain::{now_micros, Micros};
use std::io::Write;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::str::FromStr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

/// Probabilities of injected faults, per invocation (`duplicate`: per processed record).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Faults {
    /// The function returns an error: the whole batch is retried.
    pub error: f64,
    /// The function runs past its timeout: the whole batch is retried.
    pub timeout: f64,
    /// The function panics: the whole batch is retried.
    pub panic: f64,
    /// The delete after success is lost: the record is delivered again.
    pub duplicate: f64,
}

pub const FAULTS_ENV: &str = "ORDERCTL_LOCAL_FAULTS";

impl Faults {
    pub fn from_env() -> Result<Faults> {
        match std::env::var(FAULTS_ENV) {
            Ok(text) => text.parse().map_err(|e| anyhow!("`{FAULTS_ENV}`: {e}")),
            Err(_) => Ok(Faults::default()),
        }
    }
}

impl FromStr for Faults {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut f = Faults::default();
        for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (name, p) = part.split_once('=').ok_or_else(|| format!("`{part}` is not NAME=PROBABILITY"))?;
            let p: f64 =
                p.parse().ok().filter(|p| (0.0..=1.0).contains(p)).ok_or_else(|| format!("`{p}` is not a probability from 0 to 1"))?;
            match name {
                "error" => f.error = p,
                "timeout" => f.timeout = p,
                "panic" => f.panic = p,
                "duplicate" => f.duplicate = p,
                other => return Err(format!("unknown fault `{other}` (expected error, timeout, panic or duplicate)")),
            }
        }
        Ok(f)
    }
}

/// What the engine did, for reports and tests.
#[derive(Debug, Default)]
pub struct Stats {
    pub invocations: AtomicU64,
    pub records: AtomicU64,
    pub record_failures: AtomicU64,
    pub function_errors: AtomicU64,
    pub timeouts: AtomicU64,
    pub panics: AtomicU64,
    pub duplicates: AtomicU64,
    pub routed: AtomicU64,
    pub alarm_transitions: AtomicU64,
    pub storage_errors: AtomicU64,
    /// The most invocations of one mapping that were running at once.
    pub peak_concurrency: AtomicU64,
}

impl Stats {
    pub fn snapshot(&self) -> StatsSnapshot {
        let g = |a: &AtomicU64| a.load(Ordering::Relaxed);
        StatsSnapshot {
            invocations: g(&self.invocations),
            records: g(&self.records),
            record_failures: g(&self.record_failures),
            function_errors: g(&self.function_errors),
            timeouts: g(&self.timeouts),
            panics: g(&self.panics),
            duplicates: g(&self.duplicates),
            routed: g(&self.routed),
            alarm_transitions: g(&self.alarm_transitions),
            storage_errors: g(&self.storage_errors),
            peak_concurrency: g(&self.peak_concurrency),
        }
    }
}

/// A running engine; `stop` ends and joins every thread.
pub struct Engine {
    stop: Arc<AtomicBool>,
    threads: Vec<JoinHandle<()>>,
    stats: Arc<Stats>,
}

#[derive(Debug)]
struct FunctionTimeout;

impl std::fmt::Display for FunctionTimeout {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("task timed out")
    }
}

impl std::error::Error for FunctionTimeout {}

#[derive(Debug)]
struct FunctionPanic(String);

impl std::fmt::Display for FunctionPanic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "function panicked: {}", self.0)
    }
}

impl std::error::Error for FunctionPanic {}

impl Engine {
    pub fn start(stack: &LocalStack, faults: Faults) -> Result<Engine> {
        let topology = Arc::new(stack.topology()?);
        let stop = Arc::new(AtomicBool::new(false));
        let stats = Arc::new(Stats::default());
        let mut threads = Vec::new();
        for mapping in &topology.mappings {
            // How many of this mapping's invocations are running.
            let running = Arc::new(AtomicU64::new(0));
            for unit in 0..mapping.concurrency {
                let (conn, topo, stop, stats, mapping, running) =
                    (stack.db.connect()?, topology.clone(), stop.clone(), stats.clone(), mapping.clone(), running.clone());
                threads.push(
                    thread::Builder::new()
                        .name(format!("esm-{}-{unit}", mapping.function))
                        .spawn(move || poll_mapping(conn, &topo, &mapping, faults, &stop, &stats, &running))?,
                );
            }
        }
        for p in &topology.pipes {
            let (conn, stop, stats, p) = (stack.db.connect()?, stop.clone(), stats.clone(), p.clone());
            threads.push(thread::Builder::new().name(format!("pipe-{}", p.name)).spawn(move || run_pipe(conn, &p, &stop, &stats))?);
        }
        let (db, conn, topo, stop2, stats2, log) =
            (stack.db.clone(), stack.db.connect()?, topology.clone(), stop.clone(), stats.clone(), stack.alerts_log());
        threads
            .push(thread::Builder::new().name("housekeeping".into()).spawn(move || housekeeping(&db, conn, &topo, &log, &stop2, &stats2))?);
        Ok(Engine { stop, threads, stats })
    }

    pub fn stats(&self) -> StatsSnapshot {
        self.stats.snapshot()
    }

    pub fn stop(mut self) -> StatsSnapshot {
        self.shutdown();
        self.stats.snapshot()
    }

    fn shutdown(&mut self) {
        if self.threads.is_empty() {
            return;
        }
        self.stop.store(true, Ordering::SeqCst);
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
    }
}

impl Drop for Engine {
    fn drop(&mut self) {
        self.shutdown();
    }
}

/// Sleeps that grow while there is nothing to do and reset when there is.
struct Idle(Duration);

impl Idle {
    const MIN: Duration = Duration::from_millis(1);
    const MAX: Duration = Duration::from_millis(10);

    fn new() -> Self {
        Idle(Self::MIN)
    }
    fn busy(&mut self) {
        self.0 = Self::MIN;
    }
    fn wait(&mut self) {
        thread::sleep(self.0);
        self.0 = (self.0 * 2).min(Self::MAX);
    }
}

fn storage_error(stats: &Stats, what: &str, e: &anyhow::Error) {
    stats.storage_errors.fetch_add(1, Ordering::Relaxed);
    eprintln!("warning: local engine: {what}: {e:#}");
    thread::sleep(Duration::from_millis(50));
}

fn poll_mapping(mut conn: Conn, topology: &Topology, m: &Mapping, faults: Faults, stop: &AtomicBool, stats: &Stats, running: &AtomicU64) {
    let mut idle = Idle::new();
    // The group received in the last group's transaction, while there is a backlog.
    let mut next = Vec::new();
    while !stop.load(Ordering::Relaxed) || !next.is_empty() {
        let group = if next.is_empty() {
            match receive_group(&mut conn, m, faults, stop) {
                Ok(group) => group,
                Err(e) => {
                    storage_error(stats, &format!("receiving from `{}`", m.queue.name), &e);
                    continue;
                }
            }
        } else {
            std::mem::take(&mut next)
        };
        if group.is_empty() {
            idle.wait();
            continue;
        }
        idle.busy();
        stats.invocations.fetch_add(group.len() as u64, Ordering::Relaxed);
        stats.records.fetch_add(group.iter().map(|i| i.batch.len() as u64).sum(), Ordering::Relaxed);
        stats.peak_concurrency.fetch_max(running.fetch_add(1, Ordering::Relaxed) + 1, Ordering::Relaxed);
        let prefetch = is_full(&group, m) && !stop.load(Ordering::Relaxed);
        let (invoked, following) = invoke_group(&mut conn, topology, m, &group, faults, prefetch);
        next = following;
        running.fetch_sub(1, Ordering::Relaxed);
        for (invocation, result) in group.iter().zip(invoked) {
            match result {
                Ok(done) => {
                    let failed = invocation.batch.len() - done.deleted - done.duplicates;
                    stats.record_failures.fetch_add(failed as u64, Ordering::Relaxed);
                    stats.duplicates.fetch_add(done.duplicates as u64, Ordering::Relaxed);
                }
                Err(e) if e.is::<FunctionTimeout>() => {
                    stats.timeouts.fetch_add(1, Ordering::Relaxed);
                }
                Err(e) if e.is::<FunctionPanic>() => {
                    stats.panics.fetch_add(1, Ordering::Relaxed);
                }
                Err(_) => {
                    stats.function_errors.fetch_add(1, Ordering::Relaxed);
                }
            }
        }
    }
}

/// The most rows one retention transaction removes from each queue, the hops, the log
/// lines and the stream: a sweep runs such slices one after another, letting go of the
/// writer between them, until nothing is left to remove or [`SWEEP_SLICES`] have run.
/// One transaction of 5,000 rows a table held the writer 100–630 ms once the hops and
/// log lines reached their bounds (3 hops and a log line an order: 40,000 rows/s to
/// remove at 10,000 orders/s), and every order waited behind it.
const SWEEP_ROWS: usize = 500;
const SWEEP_SLICES: usize = 40;

/// The most records one unit of a mapping's concurrency takes into one group of
/// invocations (see [`receive_group`]).
const GROUP_RECORDS: usize = 1000;

/// One invocation of a group: its batch, and the roll of the dice that decides its
/// injected fault, made when it is received.
struct Invocation {
    batch: Vec<Received>,
    roll: f64,
}

impl Invocation {
    fn times_out(&self, faults: Faults) -> bool {
        let hangs_from = faults.error + faults.panic;
        self.roll >= hangs_from && self.roll < hangs_from + faults.timeout
    }
}

/// Receives the invocations this unit of concurrency runs next, one after another: a
/// batch (up to the batch size, waiting up to the batching window to fill it) and,
/// while batches come full, the batches after it ([`extend_group`]), in one
/// transaction.
fn receive_group(conn: &mut Conn, m: &Mapping, faults: Faults, stop: &AtomicBool) -> Result<Vec<Invocation>> {
    let size = m.batch_size as usize;
    let windowed = !m.batching_window.is_zero();
    let mut group = conn.write(|tx| {
        let now = now_micros();
        let first = sqs::receive(tx, &m.queue, size, now)?;
        if first.is_empty() {
            return Ok(Vec::new());
        }
        let mut group = vec![Invocation { batch: first, roll: fastrand::f64() }];
        extend_group(tx, m, faults, &mut group, !windowed, now)?;
        Ok(group)
    })?;
    if group.len() != 1 || group[0].batch.len() >= size || !windowed {
        return Ok(group);
    }
    let first = &mut group[0].batch;
    let until = Instant::now() + m.batching_window;
    while first.len() < size && Instant::now() < until && !stop.load(Ordering::Relaxed) {
        thread::sleep(Duration::from_millis(2).min(until.saturating_duration_since(Instant::now())));
        let more = conn.write(|tx| sqs::receive(tx, &m.queue, size - first.len(), now_micros()))?;
        first.extend(more);
    }
    Ok(group)
}

/// Receives batches into `group` while they come full — up to [`GROUP_RECORDS`]
/// records. A group is what the mapping's poller would run back to back with a
/// backlog; taking it at once lets the database commit its invocations together (see
/// [`invoke_group`]). A batch short of the batch size is taken only if `partial` (and
/// ends the group): with a batching window, the window would have waited to fill it.
/// An invocation that will run past its timeout ends the group, so no batch of it
/// waits hidden longer than a function timeout (at most a sixth of the visibility
/// timeout) before its invocation starts.
fn extend_group(
    tx: &rusqlite::Connection,
    m: &Mapping,
    faults: Faults,
    group: &mut Vec<Invocation>,
    partial: bool,
    now: Micros,
) -> Result<()> {
    let size = m.batch_size as usize;
    while !is_full(group, m) && group.last().is_none_or(|i| i.batch.len() == size && !i.times_out(faults)) {
        tx.execute_batch("SAVEPOINT batch")?;
        let batch = sqs::receive(tx, &m.queue, size, now)?;
        if batch.is_empty() || (!partial && batch.len() < size) {
            tx.execute_batch("ROLLBACK TO batch; RELEASE batch")?;
            break;
        }
        tx.execute_batch("RELEASE batch")?;
        group.push(Invocation { batch, roll: fastrand::f64() });
    }
    Ok(())
}

/// Whether a group holds as many records as one may: there is a backlog.
fn is_full(group: &[Invocation], m: &Mapping) -> bool {
    let size = m.batch_size as usize;
    group.iter().map(|i| i.batch.len()).sum::<usize>() + size > GROUP_RECORDS.max(size)
}

/// What an invocation that returned came to.
struct Invoked {
    deleted: usize,
    duplicates: usize,
}

/// The invocations of a group, one after another, each under its timeout and followed
/// by the mapping's delete of the records that succeeded. Their pure work (parsing,
/// deciding) is done first, outside the database's write lock; then each one's writes
/// and deletes run in a savepoint of one transaction for the whole group, so an
/// invocation that fails, times out or panics leaves nothing behind while the others'
/// work commits. A function's writes commit only if it finishes in time, as a killed
/// Lambda's would not; they commit together with the delete, so a crash in between
/// cannot happen here — the lost-delete case (a duplicate delivery) is what the
/// `duplicate` fault injects instead. Nothing of the group is acknowledged before its
/// commit: a crash before it leaves every record of the group to be delivered again.
///
/// The timeout counts each function's own work, not the wait for the database's single
/// writer: on AWS no other process holds up a function's writes that way, and counting
/// it would time functions out because another `orderctl` is busy.
///
/// With `prefetch` (a backlog), the same transaction receives the next group, of full
/// batches only; it is returned beside each invocation's result. If the group's commit
/// fails, every invocation fails with it and nothing is received.
fn invoke_group(
    conn: &mut Conn,
    topology: &Topology,
    m: &Mapping,
    group: &[Invocation],
    faults: Faults,
    prefetch: bool,
) -> (Vec<Result<Invoked>>, Vec<Invocation>) {
    let rules = topology.settings.rules();
    let prepared: Vec<(Duration, Result<functions::Prepared>)> = group
        .iter()
        .map(|invocation| {
            let work = Instant::now();
            if invocation.times_out(faults) {
                // Run past the deadline before touching the database, so the write
                // gate is not held while "hanging".
                thread::sleep(m.timeout + Duration::from_millis(1));
            }
            let prepared = caught(m, || match m.handler {
                Handler::OrderWorker => {
                    Ok(functions::prepare_orders(&invocation.batch, &rules, m.queue.redrive.as_ref().map(|(_, max)| *max)))
                }
                Handler::HighValueWorker => Ok(functions::prepare_reviews(&invocation.batch)),
                Handler::CreateOrder | Handler::LoadGenerator => Err(anyhow!("`{}` is not an SQS consumer", m.handler)),
            });
            (work.elapsed(), prepared)
        })
        .collect();
    let committed = conn.write(|tx| {
        let mut results = Vec::with_capacity(group.len());
        for (invocation, (before_writing, prepared)) in group.iter().zip(prepared) {
            tx.execute_batch("SAVEPOINT invocation")?;
            let result = prepared.and_then(|prepared| {
                caught(m, || write_invocation(tx, m, invocation, &prepared, before_writing, faults, rules.high_value_threshold))
            });
            tx.execute_batch(if result.is_ok() { "RELEASE invocation" } else { "ROLLBACK TO invocation; RELEASE invocation" })?;
            results.push(result);
        }
        let mut next = Vec::new();
        if prefetch {
            extend_group(tx, m, faults, &mut next, false, now_micros())?;
        }
        Ok((results, next))
    });
    match committed {
        Ok(done) => done,
        Err(e) => (group.iter().map(|_| Err(anyhow!("committing the invocations: {e:#}"))).collect(), Vec::new()),
    }
}

/// Runs `f`, turning a panic into a [`FunctionPanic`] of the mapping's function.
fn caught<T>(m: &Mapping, f: impl FnOnce() -> Result<T>) -> Result<T> {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|payload| {
        let what = payload.downcast_ref::<&str>().copied().or_else(|| payload.downcast_ref::<String>().map(String::as_str)).unwrap_or("?");
        Err(FunctionPanic(format!("`{}`: {what}", m.function)).into())
    })
}

/// One invocation's writes and deletes, inside the group's transaction.
fn write_invocation(
    tx: &rusqlite::Connection,
    m: &Mapping,
    invocation: &Invocation,
    prepared: &functions::Prepared,
    before_writing: Duration,
    faults: Faults,
    threshold: f64,
) -> Result<Invoked> {
    let writing = Instant::now();
    if invocation.roll < faults.error {
        return Err(anyhow!("injected function error"));
    }
    if invocation.roll < faults.error + faults.panic {
        // resume_unwind skips the panic hook: an injected panic prints nothing.
        std::panic::resume_unwind(Box::new("injected panic"));
    }
    let now = now_micros();
    let functions::Committed { outcomes, lines } = functions::commit(tx, prepared, threshold, now)?;
    for line in &lines {
        super::logs::append(tx, &m.function, now, line)?;
    }
    if before_writing + writing.elapsed() > m.timeout {
        return Err(FunctionTimeout.into());
    }
    let mut duplicates = 0;
    let mut done = Vec::with_capacity(invocation.batch.len());
    for (msg, outcome) in invocation.batch.iter().zip(&outcomes) {
        if *outcome == Outcome::Done {
            if faults.duplicate > 0.0 && fastrand::f64() < faults.duplicate {
                duplicates += 1;
            } else {
                done.push(msg.receipt.as_str());
            }
        }
    }
    let deleted = sqs::delete(tx, &m.queue.name, &done)?;
    Ok(Invoked { deleted, duplicates })
}

fn run_pipe(mut conn: Conn, p: &pipe::PipeConfig, stop: &AtomicBool, stats: &Stats) {
    let mut idle = Idle::new();
    while !stop.load(Ordering::Relaxed) {
        let routed = match conn.read(|tx| pipe::route(tx, p, 500)) {
            Ok(Some(routed)) => routed,
            Ok(None) => {
                idle.wait();
                continue;
            }
            Err(e) => {
                storage_error(stats, &format!("pipe `{}`", p.name), &e);
                continue;
            }
        };
        idle.busy();
        match conn.write(|tx| pipe::deliver(tx, p, &routed, now_micros())) {
            Ok(true) => {
                stats.routed.fetch_add(routed.messages.len() as u64, Ordering::Relaxed);
            }
            Ok(false) => {}
            Err(e) => storage_error(stats, &format!("pipe `{}`", p.name), &e),
        }
    }
}

/// How long consumed stream records are kept.
const STREAM_KEEP: i64 = 300 * 1_000_000;

fn housekeeping(db: &super::db::Db, mut conn: Conn, topology: &Topology, log: &std::path::Path, stop: &AtomicBool, stats: &Stats) {
    let mut last_restart = Instant::now();
    let tick = topology.alarms.iter().map(|a| Duration::from_micros(a.period as u64 / 10)).min().unwrap_or(Duration::from_millis(100));
    let tick = tick.clamp(Duration::from_millis(10), Duration::from_millis(200));
    let mut last_sweep = Instant::now();
    // This thread checkpoints: a passive checkpoint each tick on its own connection
    // (the writes go on), a restart each second.
    if let Err(e) = db.checkpoint_on_commit(false) {
        storage_error(stats, "checkpoint", &e);
    }
    while !stop.load(Ordering::Relaxed) {
        for a in &topology.alarms {
            let result = conn.write(|tx| {
                let now = now_micros();
                let depth = sqs::visible(tx, &a.queue, now)?;
                alarm::sample(tx, topology, a, depth, now)
            });
            match result {
                Ok(transitions) => {
                    for t in transitions {
                        stats.alarm_transitions.fetch_add(1, Ordering::Relaxed);
                        append_alert(log, &t);
                    }
                }
                Err(e) => storage_error(stats, &format!("alarm `{}`", a.name), &e),
            }
        }
        if let Err(e) = conn.checkpoint() {
            storage_error(stats, "checkpoint", &e);
        }
        if last_restart.elapsed() >= Duration::from_secs(1) {
            last_restart = Instant::now();
            if let Err(e) = db.restart_wal() {
                storage_error(stats, "checkpoint", &e);
            }
        }
        if last_sweep.elapsed() >= Duration::from_millis(250) {
            last_sweep = Instant::now();
            for _ in 0..SWEEP_SLICES {
                let swept = conn.write(|tx| {
                    let now = now_micros();
                    let mut removed = 0;
                    for q in topology.queues.values() {
                        removed += sqs::expire(tx, q, SWEEP_ROWS, now)?;
                    }
                    removed += super::hops::trim(tx, "hops", super::hops::KEEP, super::hops::MAX_HOPS, SWEEP_ROWS, now)?;
                    removed += super::hops::trim(tx, "logs", super::logs::KEEP, super::logs::MAX_LINES, SWEEP_ROWS, now)?;
                    Ok(removed + pipe::trim(tx, STREAM_KEEP, SWEEP_ROWS, now)?)
                });
                match swept {
                    Ok(0) => break,
                    Ok(_) => {}
                    Err(e) => {
                        storage_error(stats, "retention", &e);
                        break;
                    }
                }
            }
        }
        thread::sleep(tick);
    }
    if let Err(e) = db.checkpoint_on_commit(true) {
        storage_error(stats, "checkpoint", &e);
    }
}

fn append_alert(path: &std::path::Path, t: &alarm::Transition) {
    let line = format!("{} {} {} -> {}: {}\n", order_domain::rfc3339(t.at), t.alarm, t.old_state, t.new_state, t.reason);
    let written = std::fs::OpenOptions::new().create(true).append(true).open(path).and_then(|mut f| f.write_all(line.as_bytes()));
    if let Err(e) = written {
        eprintln!("warning: could not append to `{}`: {e}", path.display());
    }
}
