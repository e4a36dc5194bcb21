//! The boundary between the commands and where the pipeline runs: [`Target`], the one
//! set of operations that `crate::local` and `crate::aws` each implement, and the values
//! that cross it. A command turns its validated settings into one call here and renders
//! what comes back; `crate::targets::open` picks the implementation from `--target`.
//!
//! A target writes progress to stderr only (through `crate::live`); results come back
//! as report values, and it asks nothing at a terminal itself: an operation that
//! destroys or changes things takes an `approve` callback and reports [`Asked::Declined`]
//! when the answer is no.

use crate::context::Context;
use crate::dlq::{InspectReport, PurgeReport, RedriveReport, Selection};
use crate::load::LoadPlan;
use crate::logs::{LogEvent, LogsQuery, LogsSummary};
use crate::package::Arch;
use crate::report::orders::{OrdersQuery, OrdersReport};
use crate::report::stack::{DownReport, UpReport};
use crate::report::status::{DrainReport, StatusReport};
use crate::report::trace::TraceReport;
use crate::report::SendReport;
use crate::spec::Settings;
use anyhow::Result;
use hdrhistogram::Histogram;
use order_domain::{Micros, OrderRecord};
use std::collections::HashMap;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

/// Asks the user a yes/no question (`Context::confirm` at a terminal, `--yes` in CI).
pub type Approve<'a> = &'a dyn Fn(&str) -> Result<bool>;

/// What an operation that asks first came to.
#[derive(Debug)]
pub enum Asked<T> {
    Done(T),
    /// The user said no: nothing was changed.
    Declined,
}

pub use crate::package::Code;

/// What `up` (and `smoke`) asks a target to converge to.
#[derive(Debug, Clone)]
pub struct UpRequest {
    pub settings: Settings,
    pub arch: Arch,
    pub code: Code,
    /// Take over resources with the stack's names that carry no stack tag.
    pub adopt: bool,
    pub dry_run: bool,
}

/// How a redrive moves, besides what it selects.
#[derive(Debug, Clone, Default)]
pub struct RedriveOptions {
    /// Set the orders' `notes` on the way back.
    pub notes: Option<String>,
    /// At most this many messages a second.
    pub rate: Option<u32>,
    /// Follow the moved orders for this long and report what became of them.
    pub wait: Option<Duration>,
    pub dry_run: bool,
    /// Show a progress bar and notes on stderr (the page's redrive shows none).
    pub progress: bool,
}

/// Keeps the pipeline running while it lives (the local engine; nothing on aws, where
/// Lambda runs it); dropping it stops what it started.
#[must_use = "the pipeline stops when this is dropped"]
pub struct Running(Option<Box<dyn FnOnce() + Send>>);

impl Running {
    /// Nothing to stop.
    pub fn nothing() -> Running {
        Running(None)
    }

    /// Runs `stop` when dropped.
    pub fn until_dropped(stop: impl FnOnce() + Send + 'static) -> Running {
        Running(Some(Box::new(stop)))
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(stop) = self.0.take() {
            stop();
        }
    }
}

/// One order as the page shows it: its record (none yet: still on its way) and whether
/// it is in the DLQ.
#[derive(Debug, Clone)]
pub struct OrderState {
    pub record: Option<OrderRecord>,
    pub in_dlq: bool,
}

/// One DLQ message as the page lists it.
#[derive(Debug, Clone)]
pub struct PageLetter {
    pub message_id: Option<String>,
    pub body: String,
    pub reason: String,
    /// Receives by the pipeline (a peek's own receive not counted).
    pub receive_count: u32,
}

/// What a dashboard has seen so far. The page keeps it between refreshes; each target
/// reads on from it, so a refresh costs what changed, not what exists.
pub struct Watch {
    /// The load run whose latency is shown (local: the stack's latest; aws: none, the
    /// orders settled since the page opened).
    pub run: Option<String>,
    /// Orders settled from this moment on are still to be counted.
    pub since: Micros,
    /// Orders already counted, with when they settled (aws: reads overlap, so dedupe).
    pub counted: HashMap<String, Micros>,
    /// End-to-end latency of what was counted.
    pub latency: Histogram<u64>,
    /// The DLQ depth when it was last listed, and what the listing found.
    pub dlq_depth: Option<u64>,
    pub dead_letters: Vec<PageLetter>,
}

impl Watch {
    pub fn new(since: Micros) -> Watch {
        Watch {
            run: None,
            since,
            counted: HashMap::new(),
            latency: crate::report::latency_histogram(),
            dlq_depth: None,
            dead_letters: Vec::new(),
        }
    }
}

/// One refresh of the dashboard (the latency and DLQ listing are in the [`Watch`]).
pub struct Dashboard {
    pub status: StatusReport,
    /// Orders accepted and settled so far (totals; the page plots their rates).
    pub accepted: u64,
    pub settled: u64,
}

/// The operations both targets offer. Object safe: commands and the page hold a
/// `Box<dyn Target>` / `Arc<dyn Target>` chosen at run time.
pub trait Target: Send + Sync {
    /// `local` or `aws`, as reports name the target.
    fn name(&self) -> &'static str;

    /// The command's settings (the stack, where it is, the output).
    fn context(&self) -> &Context;

    /// This target's pipeline settings before any flag (timeouts, batch sizes, …).
    fn default_settings(&self) -> Settings;

    /// Refuses settings this target cannot deploy (AWS's own limits on aws).
    fn check_settings(&self, _settings: &Settings) -> Result<()> {
        Ok(())
    }

    /// The defaults with `args` applied, validated for this target.
    fn settings(&self, args: &crate::cli::SettingsArgs) -> Result<Settings> {
        let settings = self.context().apply_settings(self.default_settings(), args)?;
        self.check_settings(&settings)?;
        Ok(settings)
    }

    // ---- the stack

    /// `up`: desired state → observed state → plan (a pure diff) → apply. `approve` is
    /// asked before a change a user could not undo by running `up` again.
    fn up(&self, request: &UpRequest, approve: Approve) -> Result<Asked<UpReport>>;

    /// `down`: deletes what the stack owns, and only that, once `approve` says yes.
    fn down(&self, approve: Approve) -> Result<Asked<DownReport>>;

    /// `status`: resources against the desired state (`settings` on aws; the stack's
    /// own on local), queue depths, the alarm and the orders, from one read.
    fn status(&self, settings: &Settings) -> Result<StatusReport>;

    /// `drain`: runs the pipeline until nothing is left to do, or `wait` runs out.
    fn drain(&self, wait: Duration) -> Result<DrainReport>;

    // ---- loads

    /// `send`, `run` and `smoke`: publishes `plan`, waits for its orders to settle (or
    /// the wait to run out, or `stop`), and reports where each went.
    /// `approve` is asked before workers are deployed and started (`--workers`).
    fn load(&self, plan: &LoadPlan, approve: Approve, stop: &AtomicBool) -> Result<SendReport>;

    /// The table's records of these orders (those it has).
    fn records(&self, order_ids: &[String]) -> Result<Vec<OrderRecord>>;

    // ---- looking inside

    /// `orders`: a page of the table's orders, newest first, as `query` filters them —
    /// read through an index, never a scan of the whole table.
    fn orders(&self, query: &OrdersQuery) -> Result<OrdersReport>;

    /// `trace`: one order through every hop, in time order, where it is now and the log
    /// lines that mention it; `found: false` with the nearest ids when it is unknown.
    fn trace(&self, order_id: &str) -> Result<TraceReport>;

    /// `logs`: the functions' lines `query` selects, oldest first, each handed to
    /// `line` as it is read; with `query.follow`, then the new ones until `stop`.
    fn logs(&self, query: &LogsQuery, line: &mut dyn FnMut(&LogEvent) -> Result<()>, stop: &AtomicBool) -> Result<LogsSummary>;

    // ---- the DLQ

    /// `dlq inspect`: every dead letter grouped by reason; `limit` bounds the rows.
    fn dlq_inspect(&self, limit: usize, order_id: Option<&str>) -> Result<InspectReport>;

    /// `dlq redrive`: moves the selected dead letters back to their source queue.
    fn dlq_redrive(&self, selection: &Selection, options: &RedriveOptions, stop: &AtomicBool) -> Result<RedriveReport>;

    /// `dlq purge`: deletes every dead letter once `approve` says yes.
    fn dlq_purge(&self, approve: Approve) -> Result<Asked<PurgeReport>>;

    // ---- the page (`orderctl ui`)

    /// Keeps the pipeline running while the page is served.
    fn run_pipeline(&self) -> Result<Running>;

    /// Where the page posts a new order: its own `/api/orders` (local, answered by
    /// [`Target::create_order`]), the stack's HTTP API (aws), or nowhere when the stack
    /// has none.
    fn order_url(&self) -> Option<String>;

    /// `POST /orders` answered as `create-order` answers: status code and body.
    fn create_order(&self, body: &[u8]) -> (u16, serde_json::Value);

    /// Where one order is.
    fn order(&self, order_id: &str) -> Result<OrderState>;

    /// One refresh of the dashboard, reading on from `watch`.
    fn dashboard(&self, watch: &mut Watch) -> Result<Dashboard>;

    /// How often the dashboard refreshes.
    fn refresh_period(&self) -> Duration;
}
