//! [`AwsTarget`]: the [`Target`] operations on the aws target, each one call into the
//! module that does it, on a tokio runtime of its own.

use super::page::{self, PageConnection};
use super::{dlq, send, stack, Aws};
use crate::context::Context;
use crate::dlq::{InspectReport, PurgeReport, RedriveReport, Selection};
use crate::load::LoadPlan;
use crate::logs::{LogEvent, LogsQuery, LogsSummary};
use crate::report::orders::{OrdersQuery, OrdersReport};
use crate::report::stack::{DownReport, UpReport};
use crate::report::status::{DrainReport, StatusReport};
use crate::report::trace::TraceReport;
use crate::report::SendReport;
use crate::spec::{Names, Settings};
use crate::target::{Approve, Asked, Dashboard, OrderState, RedriveOptions, Running, Target, UpRequest, Watch};
use anyhow::{bail, Result};
use order_domain::OrderRecord;
use serde_json::json;
use std::future::Future;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Real AWS, or an AWS-compatible endpoint, through the SDK.
pub struct AwsTarget {
    ctx: Context,
    /// The page's connection, made when it opens and reused by every refresh, on a
    /// runtime of two threads (the page's requests and its refreshes overlap).
    page: Mutex<Option<Arc<(tokio::runtime::Runtime, PageConnection)>>>,
}

impl AwsTarget {
    pub fn new(ctx: &Context) -> AwsTarget {
        AwsTarget { ctx: ctx.clone(), page: Mutex::new(None) }
    }

    /// Runs one operation to its end. One thread drives every request: the work is
    /// waiting on the network, and a single thread spends less CPU per order than a
    /// work-stealing pool.
    fn block_on<T>(&self, operation: impl Future<Output = Result<T>>) -> Result<T> {
        tokio::runtime::Builder::new_current_thread().enable_all().build()?.block_on(operation)
    }

    fn page(&self) -> Result<Arc<(tokio::runtime::Runtime, PageConnection)>> {
        let mut page = self.page.lock().expect("page connection");
        if let Some(p) = &*page {
            return Ok(p.clone());
        }
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
        let connection = runtime.block_on(page::connect(&self.ctx))?;
        let p = Arc::new((runtime, connection));
        *page = Some(p.clone());
        Ok(p)
    }
}

impl Target for AwsTarget {
    fn name(&self) -> &'static str {
        "aws"
    }

    fn context(&self) -> &Context {
        &self.ctx
    }

    fn default_settings(&self) -> Settings {
        Settings::aws()
    }

    fn check_settings(&self, settings: &Settings) -> Result<()> {
        super::desired::check_settings(settings)
    }

    fn up(&self, request: &UpRequest, approve: Approve) -> Result<Asked<UpReport>> {
        self.block_on(stack::up(&self.ctx, request, approve))
    }

    fn down(&self, approve: Approve) -> Result<Asked<DownReport>> {
        self.block_on(stack::down(&self.ctx, approve))
    }

    fn status(&self, settings: &Settings) -> Result<StatusReport> {
        self.block_on(async { stack::status(&self.ctx, &Aws::connect(&self.ctx).await?, settings).await })
    }

    fn drain(&self, _wait: Duration) -> Result<DrainReport> {
        bail!(
            "`drain` runs the local pipeline, which only runs while an `orderctl` asks it to; on the aws target Lambda runs \
             the pipeline all the time: `orderctl status --watch 5s` shows its queues empty out"
        )
    }

    fn load(&self, plan: &LoadPlan, approve: Approve, stop: &AtomicBool) -> Result<SendReport> {
        self.block_on(send::send_aws(&self.ctx, plan, approve, stop))
    }

    fn records(&self, order_ids: &[String]) -> Result<Vec<OrderRecord>> {
        self.block_on(async {
            let sdk = super::sdk_config(&self.ctx).await;
            let table = Names::new(&self.ctx.stack).table();
            let records = super::sqs::records(&aws_sdk_dynamodb::Client::new(&sdk), &table, order_ids).await?;
            Ok(records.into_values().collect())
        })
    }

    fn trace(&self, order_id: &str) -> Result<TraceReport> {
        self.block_on(async {
            let sdk = super::sdk_config(&self.ctx).await;
            super::trace::trace(&sdk, &self.ctx.stack, order_id).await
        })
    }

    fn logs(&self, query: &LogsQuery, line: &mut dyn FnMut(&LogEvent) -> Result<()>, stop: &AtomicBool) -> Result<LogsSummary> {
        self.block_on(async {
            let sdk = super::sdk_config(&self.ctx).await;
            let client = aws_sdk_cloudwatchlogs::Client::new(&sdk);
            let custom = super::service_endpoint(&sdk, "CloudWatch Logs").is_some();
            super::logs::logs(&client, custom, &Names::new(&self.ctx.stack), query, line, stop).await
        })
    }

    fn orders(&self, query: &OrdersQuery) -> Result<OrdersReport> {
        self.block_on(async {
            let sdk = super::sdk_config(&self.ctx).await;
            let table = Names::new(&self.ctx.stack).table();
            let (orders, reads) = super::orders::orders(&aws_sdk_dynamodb::Client::new(&sdk), &table, query).await?;
            Ok(OrdersReport {
                schema: "orderctl/orders/v1",
                stack: self.ctx.stack.clone(),
                target: "aws",
                query: query.clone(),
                orders,
                reads: Some(reads),
            })
        })
    }

    fn dlq_inspect(&self, limit: usize, order_id: Option<&str>) -> Result<InspectReport> {
        self.block_on(dlq::inspect(&self.ctx, limit, order_id))
    }

    fn dlq_redrive(&self, selection: &Selection, options: &RedriveOptions, stop: &AtomicBool) -> Result<RedriveReport> {
        self.block_on(dlq::redrive(&self.ctx, selection, options, stop))
    }

    fn dlq_purge(&self, approve: Approve) -> Result<Asked<PurgeReport>> {
        self.block_on(dlq::purge(&self.ctx, approve))
    }

    fn run_pipeline(&self) -> Result<Running> {
        // Lambda runs it; connecting now makes a page without credentials or a stack
        // fail at once instead of at its first refresh.
        self.page()?;
        Ok(Running::nothing())
    }

    fn order_url(&self) -> Option<String> {
        self.page().ok().and_then(|p| p.1.order_url.clone())
    }

    fn create_order(&self, _body: &[u8]) -> (u16, serde_json::Value) {
        let error = match self.order_url() {
            Some(url) => format!("on the aws target the page posts to the stack's API: {url}"),
            None => {
                format!("the stack's HTTP API `{}` was not found: run `orderctl up --target aws`", Names::new(&self.ctx.stack).http_api())
            }
        };
        (404, json!({"error": error}))
    }

    fn order(&self, order_id: &str) -> Result<OrderState> {
        let p = self.page()?;
        p.0.block_on(page::order(&p.1, &Names::new(&self.ctx.stack), order_id))
    }

    fn dashboard(&self, watch: &mut Watch) -> Result<Dashboard> {
        let p = self.page()?;
        p.0.block_on(page::dashboard(&self.ctx, &p.1, watch))
    }

    fn refresh_period(&self) -> Duration {
        Duration::from_secs(5)
    }
}
