//! `trace` on the local target: the order's hops as the engine recorded them
//! ([`super::hops`]: published with its deliveries, each write, the pipe's matches, the
//! DLQ and redrives), its functions' log lines ([`super::logs`]: each receive they
//! processed and its result), the record in the table, where its messages are now, and
//! the DLQ alarm's transition after it was dead-lettered — all read on one snapshot. A
//! write the pipe read without a match is told from the pipe's checkpoint.

use super::{hops, LocalStack, Topology};
use crate::logs::LogsQuery;
use crate::report::trace::{log_step, nearest, Step, TraceReport, Whereabouts};
use anyhow::Result;
use order_domain::Micros;
use rusqlite::{params, OptionalExtension};
use serde_json::{json, Value};

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
        let hops = hops::of(tx, order_id)?;
        let pipe_checkpoint: i64 = topology
            .pipes
            .first()
            .map(|p| tx.query_row("SELECT COALESCE(MAX(position), 0) FROM checkpoints WHERE consumer = ?1", [&p.name], |r| r.get(0)))
            .transpose()?
            .unwrap_or(0);
        let matched_seqs: Vec<i64> =
            hops.iter().filter(|h| h.step == "pipe").filter_map(|h| h.detail["streamSeq"].as_i64()).collect();
        for hop in &hops {
            let d = &hop.detail;
            let s = |k: &str| d.get(k).and_then(Value::as_str).unwrap_or("?").to_string();
            match hop.step.as_str() {
                "published" => {
                    let detail = format!("to topic `{}`, SNS message id {}", s("topic"), s("messageId"));
                    steps.push(Step::new(hop.at, "published", "engine", detail, json!({"topic": d["topic"], "messageId": d["messageId"]})));
                    for delivery in d["deliveries"].as_array().into_iter().flatten() {
                        let q = delivery["queue"].as_str().unwrap_or("?");
                        let detail = format!("to queue `{q}` as message {}", delivery["messageId"].as_str().unwrap_or("?"));
                        steps.push(Step::new(hop.at, "delivered", "engine", detail, delivery.clone()));
                    }
                }
                "dead-lettered" => {
                    dead_lettered_at.get_or_insert(hop.at);
                    let detail = format!("moved from `{}` to `{}` after {} receives", s("from"), s("to"), d["receiveCount"]);
                    steps.push(Step::new(hop.at, "dead-lettered", "engine", detail, d.clone()));
                }
                "redriven" => {
                    let detail = format!("moved from `{}` back to `{}` as message {}", s("from"), s("to"), s("messageId"));
                    steps.push(Step::new(hop.at, "redriven", "engine", detail, d.clone()));
                }
                "written" => {
                    let detail = format!(
                        "{}: {} → {}, attempt {}{}",
                        s("event"),
                        d.get("before").and_then(Value::as_str).unwrap_or("–"),
                        s("after"),
                        d["attempts"],
                        if d["reviewed"] == true { ", reviewed" } else { "" }
                    );
                    steps.push(Step::new(hop.at, "written", "engine", detail, d.clone()));
                    // The pipe reads every write; one it read without a match left no hop.
                    let seq = d["streamSeq"].as_i64().unwrap_or(i64::MAX);
                    if let Some(pipe) = topology.pipes.first().filter(|_| seq <= pipe_checkpoint && !matched_seqs.contains(&seq)) {
                        let detail = format!("`{}` did not match the stream record", pipe.name);
                        steps.push(Step::new(hop.at, "pipe", "engine", detail, json!({"pipe": pipe.name, "streamSeq": seq, "matched": false})));
                    }
                }
                "pipe" => {
                    let detail = format!("`{}` matched the stream record: sent to `{}`", s("pipe"), s("target"));
                    steps.push(Step::new(hop.at, "pipe", "engine", detail, d.clone()));
                    let detail = format!("to queue `{}` as message {}", s("target"), s("messageId"));
                    steps.push(Step::new(hop.at, "delivered", "engine", detail, json!({"queue": d["target"], "messageId": d["messageId"]})));
                }
                _ => steps.push(Step::new(hop.at, &hop.step, "engine", d.to_string(), d.clone())),
            }
        }
        let all_functions: Vec<String> =
            crate::spec::Handler::ALL.into_iter()
                .map(|h| names.function(h))
                .collect();
        let query = LogsQuery { order_id: Some(order_id.to_string()), ..LogsQuery::default() };
        let (logs, _) = super::logs::read(tx, &all_functions, &query, 0, 10_000)?;
        for line in &logs {
            // Each receive the function processed: its line names the message (and, for
            // the worker, the receive count).
            if let Some(message_id) = line.fields.get("messageId").and_then(Value::as_str) {
                let queue = if line.function == names.function(crate::spec::Handler::HighValueWorker) {
                    names.high_value_queue()
                } else {
                    names.orders_queue()
                };
                let count = line.fields.get("receiveCount").cloned().unwrap_or(Value::Null);
                let detail = match &count {
                    Value::Null => format!("from `{queue}`: message {message_id}"),
                    n => format!("from `{queue}`: receive {n} of message {message_id}"),
                };
                let fields = json!({"queue": queue, "messageId": message_id, "receiveCount": count});
                // Received before the commit its line is stamped with.
                steps.push(Step::new(line.at - 1, "received", &line.function, detail, fields));
            }
            steps.push(log_step(line));
        }
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
    // Beside it in text order, but only ids of the same run: an id that names no run has
    // no neighbours worth naming.
    let Some((run, _)) = order_id.rsplit_once('-') else { return Ok(ids) };
    if ids.is_empty() {
        let prefix = format!("{run}-");
        ids = tx
            .prepare_cached(
                "SELECT order_id FROM (SELECT order_id FROM items WHERE order_id < ?1 ORDER BY order_id DESC LIMIT 3)
                 UNION ALL SELECT order_id FROM (SELECT order_id FROM items WHERE order_id > ?1 ORDER BY order_id LIMIT 3)",
            )?
            .query_map([order_id], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<String>>>()?
            .into_iter()
            .filter(|id| id.starts_with(&prefix))
            .collect();
    }
    Ok(nearest(order_id, ids, 5))
}
