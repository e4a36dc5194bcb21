//! The page on the local target: the form runs `create-order`'s logic and publishes to
//! the stack's topic; the engine runs while the page is served, so what is submitted
//! (or redriven) is processed; every snapshot is an exact read of the database.

use super::{Backend, Snapshot};
use crate::context::Context;
use crate::local::engine::{Engine, Faults};
use crate::local::{query, sns, table, LocalStack, Topology};
use crate::report::{self, latency_histogram};
use anyhow::Result;
use hdrhistogram::Histogram;
use order_domain::{accept_request, now_micros, Micros};
use serde_json::{json, Value};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;

/// DLQ messages a snapshot lists at most.
const DLQ_SHOWN: usize = 50;

/// End-to-end latency of the stack's latest run, gathered as its orders settle.
struct RunLatency {
    run: Option<String>,
    since: Micros,
    hist: Histogram<u64>,
}

pub struct LocalBackend {
    ctx: Context,
    stack: LocalStack,
    topology: Topology,
    engine: Mutex<Option<Engine>>,
    /// Orders the form created (they belong to no load run).
    created: AtomicU64,
    latency: Mutex<RunLatency>,
}

impl LocalBackend {
    /// Opens the stack and starts its engine (faults from `ORDERCTL_LOCAL_FAULTS`).
    pub fn open(ctx: &Context) -> Result<LocalBackend> {
        let stack = ctx.open_local()?;
        let topology = stack.topology()?;
        let engine = Engine::start(&stack, Faults::from_env()?)?;
        Ok(LocalBackend {
            ctx: ctx.clone(),
            stack,
            topology,
            engine: Mutex::new(Some(engine)),
            created: AtomicU64::new(0),
            latency: Mutex::new(RunLatency { run: None, since: 0, hist: latency_histogram() }),
        })
    }

    /// The latest run's latency so far, adding what settled since the last call.
    fn latency(&self, conn: &mut crate::local::db::Conn, last_run: Option<&str>) -> Result<Value> {
        let mut l = self.latency.lock().expect("latency");
        if l.run.as_deref() != last_run {
            *l = RunLatency { run: last_run.map(String::from), since: 0, hist: latency_histogram() };
        }
        if let Some(run) = l.run.clone() {
            let (mut since, mut fresh) = (l.since, Vec::new());
            conn.read(|tx| {
                query::settled_since(tx, &run, since, |scheduled, settled| {
                    fresh.push(settled - scheduled);
                    since = since.max(settled);
                })
            })?;
            for us in fresh {
                report::record(&mut l.hist, us);
            }
            l.since = since;
        }
        Ok(super::latency_view(l.run.as_deref(), &l.hist))
    }
}

impl Drop for LocalBackend {
    fn drop(&mut self) {
        self.shutdown();
    }
}

impl Backend for LocalBackend {
    fn config(&self) -> Value {
        json!({"stack": self.ctx.stack, "target": "local", "orderUrl": "/api/orders", "refreshSeconds": self.period().as_secs_f64()})
    }

    fn create_order(&self, body: &[u8]) -> (u16, Value) {
        let order = match accept_request(body, now_micros(), || uuid::Uuid::new_v4().to_string()) {
            Ok(order) => order,
            Err(refusal) => return (400, refusal.to_json()),
        };
        let published = self.stack.db.connect().and_then(|mut conn| {
            conn.write(|tx| sns::publish(tx, &self.topology, &self.topology.names.orders_topic(), None, &[&order.to_json()], now_micros()))
        });
        match published {
            Ok(_) => {
                self.created.fetch_add(1, Ordering::Relaxed);
                (201, json!({"orderId": order.order_id, "status": "ACCEPTED"}))
            }
            Err(e) => (502, json!({"error": format!("the order could not be published: {e:#}")})),
        }
    }

    fn order(&self, id: &str) -> Result<Value> {
        let mut conn = self.stack.db.connect()?;
        let dlq = self.topology.names.dlq();
        conn.read(|tx| {
            let in_dlq: bool =
                tx.query_row("SELECT EXISTS(SELECT 1 FROM messages WHERE queue = ?1 AND order_id = ?2)", [&dlq, id], |r| r.get(0))?;
            Ok(super::order_view(id, table::get(tx, id)?.as_ref(), in_dlq))
        })
    }

    fn snapshot(&self) -> Result<Snapshot> {
        let status = crate::commands::status::report_local(&self.ctx, &self.stack, &self.topology)?;
        let mut conn = self.stack.db.connect()?;
        let (accepted, letters, depth) = conn.read(|tx| {
            let accepted: u64 = tx.query_row("SELECT COALESCE(SUM(published), 0) FROM run_kinds", [], |r| r.get(0))?;
            Ok((accepted, query::dead_letters(tx, &self.topology, None, DLQ_SHOWN)?, query::dlq_total(tx, &self.topology)?))
        })?;
        let latency = self.latency(&mut conn, status.last_run.as_deref())?;
        let messages: Vec<Value> =
            letters.iter().map(|(m, reason)| super::dead_letter_view(Some(&m.message_id), &m.body, reason, m.receive_count)).collect();
        Ok(Snapshot {
            accepted: accepted + self.created.load(Ordering::Relaxed),
            settled: status.orders.completed + status.orders.failed,
            status: serde_json::to_value(&status)?,
            latency,
            dlq: json!({"depth": depth, "messages": messages}),
        })
    }

    fn redrive(&self) -> Result<u64> {
        crate::commands::dlq::redrive_all_local(&self.stack, &self.topology)
    }

    fn period(&self) -> Duration {
        Duration::from_secs(1)
    }

    fn shutdown(&self) {
        if let Some(engine) = self.engine.lock().expect("engine").take() {
            engine.stop();
        }
    }
}
