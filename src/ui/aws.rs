//! The page on the `aws` target: the form posts straight to the stack's HTTP API
//! (`POST /orders` → `create-order`, CORS allows it); the dashboard is `orderctl status`
//! every five seconds, the end-to-end latency of the orders that settled since the page
//! opened (a filtered scan of the table), and the DLQ peeked when its depth changes.

use super::{Backend, Snapshot};
use crate::aws::dlq as sqs_dlq;
use crate::cli::StatusArgs;
use crate::context::Context;
use crate::report::{self, latency_histogram};
use crate::spec::Names;
use anyhow::{Context as _, Result};
use aws_sdk_dynamodb::types::AttributeValue;
use hdrhistogram::Histogram;
use order_domain::{now_micros, Micros};
use serde_json::{json, Value};
use std::sync::atomic::AtomicBool;
use std::sync::Mutex;
use std::time::Duration;

/// DLQ messages peeked at most (each peek is one receive per message).
const DLQ_SHOWN: usize = 20;

struct Seen {
    /// Settled orders are read from this moment on.
    since: Micros,
    hist: Histogram<u64>,
    /// The DLQ depth last peeked at, and what the peek found.
    dlq_depth: Option<u64>,
    dlq_messages: Vec<Value>,
}

pub struct AwsBackend {
    ctx: Context,
    names: Names,
    runtime: tokio::runtime::Runtime,
    sqs: aws_sdk_sqs::Client,
    ddb: aws_sdk_dynamodb::Client,
    /// `POST /orders` of the stack's HTTP API.
    order_url: Option<String>,
    seen: Mutex<Seen>,
}

impl AwsBackend {
    pub fn open(ctx: &Context) -> Result<AwsBackend> {
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
        let names = Names::new(&ctx.stack);
        let (sqs, ddb, order_url) = runtime.block_on(async {
            let aws = crate::aws::Aws::connect(ctx).await?;
            let api = crate::aws::observe::find_api(&aws, &names.http_api()).await.context("looking for the stack's HTTP API")?;
            let order_url = api.and_then(|a| a.api_endpoint().map(|e| format!("{}/prod/orders", e.trim_end_matches('/'))));
            anyhow::Ok((aws.sqs, aws.dynamodb, order_url))
        })?;
        Ok(AwsBackend {
            ctx: ctx.clone(),
            names,
            runtime,
            sqs,
            ddb,
            order_url,
            seen: Mutex::new(Seen { since: now_micros(), hist: latency_histogram(), dlq_depth: None, dlq_messages: Vec::new() }),
        })
    }

    /// Adds the orders settled since the last look to the latency histogram.
    async fn settled_since(&self, since: Micros) -> Result<(Vec<i64>, Micros)> {
        let (mut fresh, mut last) = (Vec::new(), since);
        let mut pages = self
            .ddb
            .scan()
            .table_name(self.names.table())
            .filter_expression("settledAt > :since AND attribute_exists(scheduledAt)")
            .projection_expression("scheduledAt, settledAt")
            .expression_attribute_values(":since", AttributeValue::N(since.to_string()))
            .into_paginator()
            .items()
            .send();
        while let Some(item) = pages.next().await {
            let item = item.context("scanning for settled orders")?;
            let number = |k: &str| item.get(k).and_then(|v| v.as_n().ok()).and_then(|n| n.parse::<i64>().ok());
            if let (Some(scheduled), Some(settled)) = (number("scheduledAt"), number("settledAt")) {
                fresh.push(settled - scheduled);
                last = last.max(settled);
            }
        }
        Ok((fresh, last))
    }

    async fn peek_dlq(&self) -> Result<Vec<Value>> {
        let url = sqs_dlq::queue_url(&self.sqs, &self.names.dlq()).await?;
        let messages = sqs_dlq::peek(&self.sqs, &url, DLQ_SHOWN).await?;
        let ids: Vec<String> =
            messages.iter().filter_map(|m| crate::dlq::order_of(m.body().unwrap_or_default())).map(|o| o.order_id).collect();
        let records = sqs_dlq::records(&self.ddb, &self.names.table(), &ids).await?;
        Ok(messages
            .iter()
            .map(|m| {
                let body = m.body().unwrap_or_default();
                // The peek itself was one receive.
                let receives = sqs_dlq::attribute(m, aws_sdk_sqs::types::MessageSystemAttributeName::ApproximateReceiveCount)
                    .and_then(|v| v.parse::<u32>().ok())
                    .map_or(0, |n| n.saturating_sub(1));
                super::dead_letter_view(m.message_id(), body, &sqs_dlq::reason(body, &records), receives)
            })
            .collect())
    }
}

impl Backend for AwsBackend {
    fn config(&self) -> Value {
        json!({"stack": self.ctx.stack, "target": "aws", "orderUrl": self.order_url, "refreshSeconds": self.period().as_secs_f64()})
    }

    fn connect_origins(&self) -> Vec<String> {
        // The API's origin: scheme and host of its endpoint.
        self.order_url.iter().map(|u| u.splitn(4, '/').take(3).collect::<Vec<_>>().join("/")).collect()
    }

    fn create_order(&self, _body: &[u8]) -> (u16, Value) {
        let error = match &self.order_url {
            Some(url) => format!("on the aws target the page posts to the stack's API: {url}"),
            None => format!("the stack's HTTP API `{}` was not found: run `orderctl up --target aws`", self.names.http_api()),
        };
        (404, json!({"error": error}))
    }

    fn order(&self, id: &str) -> Result<Value> {
        self.runtime.block_on(async {
            let records = sqs_dlq::records(&self.ddb, &self.names.table(), &[id.to_string()]).await?;
            Ok(super::order_view(id, records.get(id), false))
        })
    }

    fn snapshot(&self) -> Result<Snapshot> {
        let status = crate::commands::status::report(&self.ctx, &StatusArgs::default())?;
        let since = self.seen.lock().expect("seen").since;
        let (fresh, last) = self.runtime.block_on(self.settled_since(since))?;
        let depth = status.dlq_depth;
        let peek = self.seen.lock().expect("seen").dlq_depth != Some(depth);
        let peeked = if peek && depth > 0 { Some(self.runtime.block_on(self.peek_dlq())?) } else { None };
        let mut seen = self.seen.lock().expect("seen");
        for us in fresh {
            report::record(&mut seen.hist, us);
        }
        seen.since = last;
        if peek {
            seen.dlq_depth = Some(depth);
            seen.dlq_messages = peeked.unwrap_or_default();
        }
        Ok(Snapshot {
            accepted: status.orders.total,
            settled: status.orders.completed + status.orders.failed,
            latency: super::latency_view(None, &seen.hist),
            dlq: json!({"depth": depth, "messages": seen.dlq_messages}),
            status: serde_json::to_value(&status)?,
        })
    }

    fn redrive(&self) -> Result<u64> {
        let stop = AtomicBool::new(false);
        self.runtime.block_on(async {
            let q = sqs_dlq::queues(&self.sqs, &self.names.dlq(), &self.names.orders_queue()).await?;
            let moved = match sqs_dlq::move_task(&self.sqs, &q, None, &stop, |_, _| {}).await? {
                Some(moved) => moved,
                None => {
                    let all = crate::dlq::Selection::default();
                    sqs_dlq::move_client_side(&self.sqs, &self.ddb, &self.names.table(), &q, &all, None, None, &stop, |_| {}).await?
                }
            };
            self.seen.lock().expect("seen").dlq_depth = None; // peek again
            Ok(moved.moved)
        })
    }

    fn period(&self) -> Duration {
        Duration::from_secs(5)
    }
}
