//! What the page (`orderctl ui`) reads and does on the local target: the form runs
//! `create-order`'s logic and publishes to the stack's topic; every dashboard refresh is
//! an exact read of the database, reading on from what the page saw last.

use super::{dlq, query, sns, table, LocalStack, Topology};
use crate::context::Context;
use crate::report;
use crate::target::{Dashboard, OrderState, Watch};
use anyhow::Result;
use order_domain::{accept_request, now_micros};
use serde_json::{json, Value};

/// DLQ messages a refresh lists at most.
const DLQ_SHOWN: usize = 50;

/// `POST /orders`: validates as `create-order` does and publishes the order.
pub fn create_order(stack: &LocalStack, topology: &Topology, body: &[u8]) -> Result<(u16, Value), (u16, Value)> {
    let order = accept_request(body, now_micros(), || uuid::Uuid::new_v4().to_string()).map_err(|refusal| (400, refusal.to_json()))?;
    let published = stack.db.connect().and_then(|mut conn| {
        conn.write(|tx| sns::publish(tx, topology, &topology.names.orders_topic(), None, &[&order.to_json()], now_micros()))
    });
    match published {
        Ok(_) => Ok((201, json!({"orderId": order.order_id, "status": "ACCEPTED"}))),
        Err(e) => Err((502, json!({"error": format!("the order could not be published: {e:#}")}))),
    }
}

pub fn order(stack: &LocalStack, topology: &Topology, id: &str) -> Result<OrderState> {
    let mut conn = stack.db.connect()?;
    let dlq = topology.names.dlq();
    conn.read(|tx| {
        let in_dlq: bool =
            tx.query_row("SELECT EXISTS(SELECT 1 FROM messages WHERE queue = ?1 AND order_id = ?2)", [&dlq, id], |r| r.get(0))?;
        Ok(OrderState { record: table::get(tx, id)?, in_dlq })
    })
}

/// One refresh: the status, the totals, the latest run's latency (adding what settled
/// since the last refresh) and the first dead letters. `created` counts the orders the
/// form made, which belong to no run.
pub fn dashboard(ctx: &Context, stack: &LocalStack, topology: &Topology, created: u64, watch: &mut Watch) -> Result<Dashboard> {
    let status = super::stack::status(ctx, stack, topology)?;
    let mut conn = stack.db.connect()?;
    let accepted: u64 = conn.read(|tx| Ok(tx.query_row("SELECT COALESCE(SUM(published), 0) FROM run_kinds", [], |r| r.get(0))?))?;
    (watch.dlq_depth, watch.dead_letters) = {
        let (depth, letters) = dlq::page_letters(&mut conn, topology, DLQ_SHOWN)?;
        (Some(depth), letters)
    };
    let last_run = status.last_run.as_deref();
    if watch.run.as_deref() != last_run {
        // A new run: its latency from its first order.
        watch.run = last_run.map(String::from);
        watch.since = 0;
        watch.latency.reset();
    }
    if let Some(run) = watch.run.clone() {
        let (mut since, mut fresh) = (watch.since, Vec::new());
        conn.read(|tx| {
            query::settled_since(tx, &run, since, |scheduled, settled| {
                fresh.push(settled - scheduled);
                since = since.max(settled);
            })
        })?;
        for us in fresh {
            report::record(&mut watch.latency, us);
        }
        watch.since = since;
    }
    Ok(Dashboard { accepted: accepted + created, settled: status.orders.completed + status.orders.failed, status })
}
