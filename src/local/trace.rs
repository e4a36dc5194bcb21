//! `trace` on the local target: the order's hops as the engine recorded them
//! ([`super::hops`]), its functions' log lines ([`super::logs`]), the record in the
//! table, where its messages are now, and the DLQ alarm's transition after it was
//! dead-lettered — all read on one snapshot.

use super::{hops, LocalStack, Topology};
use crate::logs::LogsQuery;
use crate::report::trace::{log_step, nearest, Step, TraceReport, Whereabouts};
use anyhow::Result;
use order_domain::Micros;
use rusqlite::{params, OptionalExtension};
use serde_json::Value;

pub fn trace(stack: &LocalStack, topology: &Topology, stack_name: &str, order_id: &str) -> Result<TraceReport> {
    let names = &topology.names;
    let mut conn = stack.db.connect()?;
    conn.read(|tx| {
        let record = super::table::get(tx, order_id)?;
        let mut steps = Vec::new();
        if let Some(at) = record.as_ref().and_then(|r| r.order.scheduled_at) {
            steps.push(Step::new(at, "scheduled", "order", "the time the load run meant to send it".into(), Value::Null));
        }
        let mut dead_lettered_at: Option<Micros> = None;
        for hop in hops::of(tx, order_id)? {
            let d = &hop.detail;
            let s = |k: &str| d.get(k).and_then(Value::as_str).unwrap_or("?").to_string();
            let detail = match hop.step.as_str() {
                "published" => format!("to topic `{}`, SNS message id {}", s("topic"), s("messageId")),
                "delivered" => format!("to queue `{}` as message {}", s("queue"), s("messageId")),
                "received" => format!("from `{}`: receive {} of message {}", s("queue"), d["receiveCount"], s("messageId")),
                "dead-lettered" => {
                    dead_lettered_at.get_or_insert(hop.at);
                    format!("moved from `{}` to `{}` after {} receives", s("from"), s("to"), d["receiveCount"])
                }
                "redriven" => format!("moved from `{}` back to `{}` as message {}", s("from"), s("to"), s("messageId")),
                "written" => format!(
                    "{}: {} → {}, attempt {}{}",
                    s("event"),
                    d.get("before").and_then(Value::as_str).unwrap_or("–"),
                    s("after"),
                    d["attempts"],
                    if d["reviewed"] == true { ", reviewed" } else { "" }
                ),
                "pipe" if d["matched"] == true => format!("`{}` matched the stream record: sent to `{}`", s("pipe"), s("target")),
                "pipe" => format!("`{}` did not match the stream record", s("pipe")),
                _ => d.to_string(),
            };
            steps.push(Step::new(hop.at, &hop.step, "engine", detail, hop.detail.clone()));
        }
        let all_functions: Vec<String> = [crate::spec::Handler::OrderWorker, crate::spec::Handler::HighValueWorker, crate::spec::Handler::CreateOrder]
            .into_iter()
            .map(|h| names.function(h))
            .collect();
        let query = LogsQuery { order_id: Some(order_id.to_string()), ..LogsQuery::default() };
        let (logs, _) = super::logs::read(tx, &all_functions, &query, 0, 10_000)?;
        steps.extend(logs.iter().map(log_step));
        if let Some(since) = dead_lettered_at {
            let transition = |sql: &str| {
                tx.query_row(sql, params![since], |r| Ok((r.get::<_, Micros>(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))
                    .optional()
            };
            let before: Option<(Micros, String, String, String, String)> =
                transition("SELECT at, alarm, old_state, new_state, reason FROM alarm_history WHERE at <= ?1 ORDER BY id DESC LIMIT 1")?;
            let after: Option<(Micros, String, String, String, String)> = transition(
                "SELECT at, alarm, old_state, new_state, reason FROM alarm_history WHERE at > ?1 AND new_state = 'ALARM' ORDER BY id LIMIT 1",
            )?;
            match (before, after) {
                (Some((at, name, _, new, _)), _) if new == "ALARM" => {
                    let detail = format!("`{name}` was already in ALARM (since {}): the DLQ was not empty", order_domain::rfc3339(at));
                    steps.push(Step::new(since, "alarm", "alarm", detail, Value::Null));
                }
                (_, Some((at, name, old, new, reason))) => {
                    steps.push(Step::new(at, "alarm", "alarm", format!("`{name}` {old} → {new}: {reason}"), Value::Null));
                }
                _ => {}
            }
        }
        let places: Vec<(String, i64)> = tx
            .prepare_cached("SELECT queue, visible_at FROM messages WHERE order_id = ?1")?
            .query_map([order_id], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let now = record.as_ref().map(|r| {
            let place = if let Some((q, _)) = places.iter().find(|(q, _)| *q == names.dlq()) {
                format!("in the DLQ (`{q}`)")
            } else if let Some((q, _)) = places.first() {
                format!("in queue `{q}`")
            } else if r.status.is_settled() {
                "settled".to_string()
            } else {
                "in no queue".to_string()
            };
            Whereabouts::of(r, place)
        });
        let mut report = TraceReport::new(stack_name, "local", order_id, steps, now, logs);
        if !report.found {
            report.nearest = nearest_ids(tx, order_id)?;
        }
        Ok(report)
    })
}

/// Ids near an unknown one: its neighbours in its run when it names one (`<run>-<n>`),
/// else the ids beside it in text order. Reads a dozen rows, however large the table.
fn nearest_ids(tx: &rusqlite::Connection, order_id: &str) -> Result<Vec<String>> {
    let mut ids = Vec::new();
    if let Some((run, n)) = order_id.rsplit_once('-').and_then(|(run, n)| Some((run, n.parse::<i64>().ok()?))) {
        let mut exists = tx.prepare_cached("SELECT 1 FROM items WHERE order_id = ?1")?;
        for candidate in (n - 6..=n + 6).filter(|c| *c >= 0).map(|c| format!("{run}-{c}")) {
            if exists.exists([&candidate])? {
                ids.push(candidate);
            }
        }
    }
    if ids.is_empty() {
        ids = tx
            .prepare_cached(
                "SELECT order_id FROM (SELECT order_id FROM items WHERE order_id < ?1 ORDER BY order_id DESC LIMIT 3)
                 UNION ALL SELECT order_id FROM (SELECT order_id FROM items WHERE order_id > ?1 ORDER BY order_id LIMIT 3)",
            )?
            .query_map([order_id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
    }
    Ok(nearest(order_id, ids, 5))
}
