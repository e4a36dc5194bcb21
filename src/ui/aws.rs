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

/// Orders settled this long before the newest one seen are read again: a write stamped
/// earlier can become visible later (concurrent batches, eventually consistent scans).
const OVERLAP: Micros = 60_000_000;

struct Seen {
    /// Settled orders are read from this moment on (less the overlap).
    since: Micros,
    /// Orders already counted, with when they settled (pruned below the overlap).
    counted: std::collections::HashMap<String, Micros>,
    hist: Histogram<u64>,
    /// The DLQ depth last peeked at, and what the peek found.
    dlq_depth: Option<u64>,
    dlq_messages: Vec<Value>,
}

pub struct AwsBackend {
    ctx: Context,
    names: Names,
    runtime: tokio::runtime::Runtime,
    /// Connected once: every refresh reuses the clients (and the account found).
    aws: crate::aws::Aws,
    /// `POST /orders` of the stack's HTTP API.
    order_url: Option<String>,
    /// The orders queue's `maxReceiveCount`: an order retried that often is in the DLQ.
    max_receive: Option<u32>,
    seen: Mutex<Seen>,
}

impl AwsBackend {
    pub fn open(ctx: &Context) -> Result<AwsBackend> {
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
        let names = Names::new(&ctx.stack);
        let (aws, order_url, max_receive) = runtime.block_on(async {
            let aws = crate::aws::Aws::connect(ctx).await?;
            let api = crate::aws::observe::find_api(&aws, &names.http_api()).await.context("looking for the stack's HTTP API")?;
            let order_url = api.and_then(|a| a.api_endpoint().map(|e| format!("{}/prod/orders", e.trim_end_matches('/'))));
            let url = crate::aws::queue_url(&aws.sqs, &names.orders_queue()).await?;
            let (_, max_receive) = crate::aws::send::depth_and_max_receive(&aws.sqs, &url).await?;
            anyhow::Ok((aws, order_url, max_receive))
        })?;
        Ok(AwsBackend {
            ctx: ctx.clone(),
            names,
            runtime,
            aws,
            order_url,
            max_receive,
            seen: Mutex::new(Seen {
                since: now_micros(),
                counted: Default::default(),
                hist: latency_histogram(),
                dlq_depth: None,
                dlq_messages: Vec::new(),
            }),
        })
    }

    /// The orders settled since `since` less the overlap: (order id, scheduled, settled).
    async fn settled_since(&self, since: Micros) -> Result<Vec<(String, Micros, Micros)>> {
        let mut settled = Vec::new();
        let mut pages = self
            .aws
            .dynamodb
            .scan()
            .table_name(self.names.table())
            .consistent_read(true)
            .filter_expression("settledAt > :since AND attribute_exists(scheduledAt)")
            .projection_expression("orderId, scheduledAt, settledAt")
            .expression_attribute_values(":since", AttributeValue::N((since - OVERLAP).to_string()))
            .into_paginator()
            .items()
            .send();
        while let Some(item) = pages.next().await {
            let item = item.context("scanning for settled orders")?;
            let number = |k: &str| item.get(k).and_then(|v| v.as_n().ok()).and_then(|n| n.parse::<i64>().ok());
            let id = item.get("orderId").and_then(|v| v.as_s().ok()).cloned();
            if let (Some(id), Some(scheduled), Some(at)) = (id, number("scheduledAt"), number("settledAt")) {
                settled.push((id, scheduled, at));
            }
        }
        Ok(settled)
    }

    async fn peek_dlq(&self) -> Result<Vec<Value>> {
        let url = sqs_dlq::queue_url(&self.aws.sqs, &self.names.dlq()).await?;
        let messages = sqs_dlq::peek(&self.aws.sqs, &url, DLQ_SHOWN).await?;
        let ids: Vec<String> =
            messages.iter().filter_map(|m| crate::dlq::order_of(m.body().unwrap_or_default())).map(|o| o.order_id).collect();
        let records = sqs_dlq::records(&self.aws.dynamodb, &self.names.table(), &ids).await?;
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
            let records = sqs_dlq::records(&self.aws.dynamodb, &self.names.table(), &[id.to_string()]).await?;
            let record = records.get(id);
            let in_dlq =
                record.is_some_and(|r| r.status == order_domain::Status::Retrying && self.max_receive.is_some_and(|m| r.attempts >= m));
            Ok(super::order_view(id, record, in_dlq))
        })
    }

    fn snapshot(&self) -> Result<Snapshot> {
        let status = self.runtime.block_on(crate::commands::status::report_aws(&self.ctx, &self.aws, &StatusArgs::default()))?;
        let since = self.seen.lock().expect("seen").since;
        let settled = self.runtime.block_on(self.settled_since(since))?;
        let depth = status.dlq_depth;
        let peek = self.seen.lock().expect("seen").dlq_depth != Some(depth);
        let peeked = if peek && depth > 0 { Some(self.runtime.block_on(self.peek_dlq())?) } else { None };
        let mut seen = self.seen.lock().expect("seen");
        for (id, scheduled, at) in settled {
            if seen.counted.insert(id, at).is_none() {
                report::record(&mut seen.hist, at - scheduled);
                seen.since = seen.since.max(at);
            }
        }
        let keep_from = seen.since - OVERLAP;
        seen.counted.retain(|_, at| *at > keep_from);
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
            let q = sqs_dlq::queues(&self.aws.sqs, &self.names.dlq(), &self.names.orders_queue()).await?;
            let moved = match sqs_dlq::move_task(&self.aws.sqs, &q, None, &stop, |_, _| {}).await? {
                Some(moved) => moved,
                None => {
                    let all = crate::dlq::Selection::default();
                    sqs_dlq::move_client_side(&self.aws.sqs, &self.aws.dynamodb, &self.names.table(), &q, &all, None, None, &stop, |_| {})
                        .await?
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
