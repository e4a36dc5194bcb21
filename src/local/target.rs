//! [`LocalTarget`]: the [`Target`] operations on the local target, each one call into
//! the module that does it.

use super::engine::{Engine, Faults};
use super::{dlq, load, page, stack, LocalStack, Topology};
use crate::context::Context;
use crate::dlq::{InspectReport, PurgeReport, RedriveReport, Selection};
use crate::load::LoadPlan;
use crate::logs::{LogEvent, LogsQuery, LogsSummary};
use crate::report::orders::{OrdersQuery, OrdersReport};
use crate::report::stack::{DownReport, UpReport};
use crate::report::status::{DrainReport, StatusReport};
use crate::report::trace::TraceReport;
use crate::report::SendReport;
use crate::spec::Settings;
use crate::target::{Approve, Asked, Dashboard, OrderState, RedriveOptions, Running, Target, UpRequest, Watch};
use anyhow::Result;
use order_domain::OrderRecord;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The pipeline in an embedded database under `--state-dir`, run by the engine in
/// this process.
pub struct LocalTarget {
    ctx: Context,
    /// The stack the page holds open between refreshes (commands open it afresh).
    held: Mutex<Option<Arc<(LocalStack, Topology)>>>,
    /// Orders the page's form created (they belong to no load run).
    created: AtomicU64,
}

impl LocalTarget {
    pub fn new(ctx: &Context) -> LocalTarget {
        LocalTarget { ctx: ctx.clone(), held: Mutex::new(None), created: AtomicU64::new(0) }
    }

    /// The stack as it is now, with its topology (an error names the stack not up).
    fn open(&self) -> Result<(LocalStack, Topology)> {
        let stack = LocalStack::open(&self.ctx.state_dir, &self.ctx.stack)?;
        let topology = stack.topology()?;
        Ok((stack, topology))
    }

    /// The stack opened once and kept, for the page's frequent reads.
    fn held(&self) -> Result<Arc<(LocalStack, Topology)>> {
        let mut held = self.held.lock().expect("held stack");
        if let Some(open) = &*held {
            return Ok(open.clone());
        }
        let open = Arc::new(self.open()?);
        *held = Some(open.clone());
        Ok(open)
    }
}

impl Target for LocalTarget {
    fn name(&self) -> &'static str {
        "local"
    }

    fn context(&self) -> &Context {
        &self.ctx
    }

    fn default_settings(&self) -> Settings {
        Settings::local()
    }

    fn up(&self, request: &UpRequest, _approve: Approve) -> Result<Asked<UpReport>> {
        // Nothing here outlives `down`, so nothing needs asking.
        *self.held.lock().expect("held stack") = None;
        Ok(Asked::Done(stack::up(&self.ctx, request.settings.clone(), request.dry_run)?))
    }

    fn down(&self, approve: Approve) -> Result<Asked<DownReport>> {
        *self.held.lock().expect("held stack") = None;
        stack::down(&self.ctx, approve)
    }

    fn status(&self, _settings: &Settings) -> Result<StatusReport> {
        let (s, topology) = self.open()?;
        stack::status(&self.ctx, &s, &topology)
    }

    fn drain(&self, wait: Duration) -> Result<DrainReport> {
        let (s, topology) = self.open()?;
        stack::drain(&self.ctx, &s, &topology, wait)
    }

    fn load(&self, plan: &LoadPlan, _approve: Approve, stop: &AtomicBool) -> Result<SendReport> {
        if plan.workers.is_some() {
            anyhow::bail!("`--workers` publishes from Lambda functions: it needs `--target aws` (the local engine is one process)");
        }
        let (s, _) = self.open()?;
        load::send_local(&self.ctx, &s, plan, Faults::from_env()?, stop)
    }

    fn records(&self, order_ids: &[String]) -> Result<Vec<OrderRecord>> {
        let (s, _) = self.open()?;
        let mut conn = s.db.connect()?;
        conn.read(|tx| order_ids.iter().filter_map(|id| super::table::get(tx, id).transpose()).collect())
    }

    fn orders(&self, query: &OrdersQuery) -> Result<OrdersReport> {
        let (s, _) = self.open()?;
        Ok(OrdersReport {
            schema: "orderctl/orders/v1",
            stack: self.ctx.stack.clone(),
            target: "local",
            query: query.clone(),
            orders: super::orders::orders(&s, query)?,
            reads: None,
        })
    }

    fn trace(&self, order_id: &str) -> Result<TraceReport> {
        let (s, topology) = self.open()?;
        super::trace::trace(&s, &topology, &self.ctx.stack, order_id)
    }

    fn logs(&self, query: &LogsQuery, line: &mut dyn FnMut(&LogEvent) -> Result<()>, stop: &AtomicBool) -> Result<LogsSummary> {
        let (s, topology) = self.open()?;
        super::logs::logs(&s, &topology.names, query, line, stop)
    }

    fn dlq_inspect(&self, limit: usize, order_id: Option<&str>) -> Result<InspectReport> {
        let (s, topology) = self.open()?;
        dlq::inspect(&s, &topology, limit, order_id)
    }

    fn dlq_redrive(&self, selection: &Selection, options: &RedriveOptions, _stop: &AtomicBool) -> Result<RedriveReport> {
        let (s, topology) = self.open()?;
        dlq::redrive(&s, &topology, selection, options)
    }

    fn dlq_purge(&self, approve: Approve) -> Result<Asked<PurgeReport>> {
        let (s, topology) = self.open()?;
        dlq::purge(&s, &topology, approve)
    }

    fn run_pipeline(&self) -> Result<Running> {
        let open = self.held()?;
        let engine = Engine::start(&open.0, Faults::from_env()?)?;
        Ok(Running::until_dropped(move || {
            engine.stop();
        }))
    }

    fn order_url(&self) -> Option<String> {
        Some("/api/orders".into())
    }

    fn create_order(&self, body: &[u8]) -> (u16, serde_json::Value) {
        let open = match self.held() {
            Ok(open) => open,
            Err(e) => return (502, serde_json::json!({"error": format!("the order could not be published: {e:#}")})),
        };
        match page::create_order(&open.0, &open.1, body) {
            Ok(created) => {
                self.created.fetch_add(1, Ordering::Relaxed);
                created
            }
            Err(refused) => refused,
        }
    }

    fn order(&self, order_id: &str) -> Result<OrderState> {
        let open = self.held()?;
        page::order(&open.0, &open.1, order_id)
    }

    fn dashboard(&self, watch: &mut Watch) -> Result<Dashboard> {
        let open = self.held()?;
        page::dashboard(&self.ctx, &open.0, &open.1, self.created.load(Ordering::Relaxed), watch)
    }

    fn refresh_period(&self) -> Duration {
        Duration::from_secs(1)
    }
}
