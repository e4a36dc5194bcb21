//! Read-only questions about a local stack: where a run's orders are, their latencies,
//! queue depths, order counts, the DLQ's messages. Each runs on one snapshot.

use super::sqs::{self, Depth, Peeked};
use super::Topology;
use crate::model::{KindOutcome, OrderCounts};
use anyhow::Result;
use order_domain::{Kind, Micros};
use rusqlite::{params, Connection, OptionalExtension};

pub fn begin_run(c: &Connection, run_id: &str, description: &str, now: Micros) -> Result<()> {
    c.execute("INSERT INTO runs(run_id, started_at, description) VALUES (?1, ?2, ?3)", params![run_id, now, description])?;
    Ok(())
}

/// The most recent run, if any.
pub fn last_run(c: &Connection) -> Result<Option<String>> {
    Ok(c.query_row("SELECT run_id FROM runs ORDER BY started_at DESC LIMIT 1", [], |r| r.get(0)).optional()?)
}

/// Every accepted order of the run, by kind, placed in exactly one of: completed,
/// failed by rule, dead-lettered, in flight — or lost, if it is nowhere.
pub fn run_outcomes(c: &Connection, topology: &Topology, run_id: &str) -> Result<Vec<KindOutcome>> {
    let dlq = topology.names.dlq();
    let mut out: Vec<KindOutcome> = Vec::new();
    fn entry(out: &mut Vec<KindOutcome>, kind: &str) -> Option<usize> {
        let kind: Kind = kind.parse().ok()?;
        Some(match out.iter().position(|o| o.kind == Some(kind)) {
            Some(i) => i,
            None => {
                out.push(KindOutcome::new(Some(kind)));
                out.len() - 1
            }
        })
    }
    let mut rows: Vec<(String, &'static str, u64, u64)> = Vec::new();
    for (kind, n) in c
        .prepare_cached("SELECT kind, published FROM run_kinds WHERE run_id = ?1")?
        .query_map([run_id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, u64>(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?
    {
        rows.push((kind, "sent", n, 0));
    }
    for (kind, status, n, reviewed) in c
        .prepare_cached(
            "SELECT kind, status, COUNT(*), SUM(reviewed) FROM items WHERE run_id = ?1 AND status IN ('COMPLETED', 'FAILED') GROUP BY kind, status",
        )?
        .query_map([run_id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, u64>(2)?, r.get::<_, u64>(3)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?
    {
        rows.push((kind, if status == "COMPLETED" { "completed" } else { "failed" }, n, reviewed));
    }
    // An order not settled in the table is in flight while any copy of it is in a
    // queue other than the DLQ, and dead-lettered when its only copies are in the DLQ.
    for (kind, live, n) in c
        .prepare_cached(
            "SELECT kind, live, COUNT(*) FROM (
                 SELECT m.kind AS kind, MAX(m.queue <> ?2) AS live FROM messages m
                 WHERE m.run_id = ?1
                   AND NOT EXISTS (SELECT 1 FROM items i WHERE i.order_id = m.order_id AND i.status IN ('COMPLETED', 'FAILED'))
                 GROUP BY m.order_id)
             GROUP BY kind, live",
        )?
        .query_map(params![run_id, dlq], |r| Ok((r.get::<_, String>(0)?, r.get::<_, bool>(1)?, r.get::<_, u64>(2)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?
    {
        rows.push((kind, if live { "in-flight" } else { "dlq" }, n, 0));
    }
    for (kind, what, n, reviewed) in rows {
        let Some(i) = entry(&mut out, &kind) else { continue };
        let o = &mut out[i];
        match what {
            "sent" => o.sent = n,
            "completed" => o.completed += n,
            "failed" => {
                o.failed_by_rule += n;
                o.reviewed += reviewed;
            }
            "in-flight" => o.in_flight += n,
            _ => o.dead_lettered += n,
        }
    }
    for o in &mut out {
        // Orders routed for review are high-value by amount, whatever their kind.
        o.awaiting_review = 0;
        let placed = o.completed + o.failed_by_rule + o.dead_lettered + o.in_flight;
        o.lost = o.sent.saturating_sub(placed);
    }
    let awaiting: Vec<(String, u64)> = c
        .prepare_cached(
            "SELECT kind, COUNT(*) FROM items WHERE run_id = ?1 AND status = 'FAILED' AND tier = 'high-value' AND reviewed = 0 GROUP BY kind",
        )?
        .query_map([run_id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (kind, n) in awaiting {
        if let Some(i) = entry(&mut out, &kind) {
            out[i].awaiting_review = n;
        }
    }
    out.sort_by_key(|o| o.kind);
    Ok(out)
}

/// Calls `f(kind, scheduled_at, settled_at)` for every settled order of the run,
/// streaming: memory does not grow with the run.
pub fn settled_times(c: &Connection, run_id: &str, mut f: impl FnMut(Option<Kind>, Micros, Micros)) -> Result<()> {
    let mut stmt = c.prepare_cached(
        "SELECT kind, scheduled_at, settled_at FROM items WHERE run_id = ?1 AND settled_at IS NOT NULL AND scheduled_at IS NOT NULL",
    )?;
    let mut rows = stmt.query([run_id])?;
    while let Some(r) = rows.next()? {
        let kind: Option<String> = r.get(0)?;
        f(kind.and_then(|k| k.parse().ok()), r.get(1)?, r.get(2)?);
    }
    Ok(())
}

/// Settled orders of the run whose outcome was committed after `since`.
pub fn settled_since(c: &Connection, run_id: &str, since: Micros, mut f: impl FnMut(Micros, Micros)) -> Result<()> {
    let mut stmt =
        c.prepare_cached("SELECT scheduled_at, settled_at FROM items WHERE run_id = ?1 AND settled_at > ?2 AND scheduled_at IS NOT NULL")?;
    let mut rows = stmt.query(params![run_id, since])?;
    while let Some(r) = rows.next()? {
        f(r.get(0)?, r.get(1)?);
    }
    Ok(())
}

pub fn order_counts(c: &Connection) -> Result<OrderCounts> {
    let mut counts = OrderCounts::default();
    let mut stmt = c.prepare_cached("SELECT status, COUNT(*), SUM(reviewed) FROM items GROUP BY status")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, Option<String>>(0)?, r.get::<_, u64>(1)?, r.get::<_, u64>(2)?)))?;
    for row in rows {
        let (status, n, reviewed) = row?;
        match status.as_deref() {
            Some("COMPLETED") => counts.completed += n,
            Some("FAILED") => counts.failed += n,
            Some("DEAD_LETTERED") => counts.dead_lettered += n,
            _ => counts.retrying += n,
        }
        counts.reviewed += reviewed;
        counts.total += n;
    }
    Ok(counts)
}

/// Every queue's depth, in a stable order.
pub fn queue_depths(c: &Connection, topology: &Topology, now: Micros) -> Result<Vec<(String, Depth)>> {
    let mut names: Vec<&String> = topology.queues.keys().collect();
    names.sort();
    names.into_iter().map(|q| Ok((q.clone(), sqs::depth(c, q, now)?))).collect()
}

/// The dead-letter queue's messages with the reason each failed: the last error the
/// worker recorded on the order, or why the message is not a valid order.
pub fn dead_letters(c: &Connection, topology: &Topology, order_id: Option<&str>, limit: usize) -> Result<Vec<(Peeked, String)>> {
    let messages = sqs::peek(c, &topology.names.dlq(), order_id, limit)?;
    messages
        .into_iter()
        .map(|m| {
            let reason = match order_domain::parse_order(order_domain::unwrap_envelope(&m.body).as_bytes()) {
                Err(invalid) => format!("malformed order: {invalid}"),
                Ok(order) => crate::model::dead_letter_reason(super::table::get(c, &order.order_id)?.as_ref()),
            };
            Ok((m, reason))
        })
        .collect()
}

pub fn dlq_total(c: &Connection, topology: &Topology) -> Result<u64> {
    Ok(c.query_row("SELECT COUNT(*) FROM messages WHERE queue = ?1", [topology.names.dlq()], |r| r.get(0))?)
}

/// A message delivered to a notification endpoint (or the local log).
#[derive(Debug, Clone, PartialEq)]
pub struct Notification {
    pub at: Micros,
    pub topic: String,
    pub endpoint: String,
    pub subject: Option<String>,
}

/// The most recent notifications, newest last.
pub fn recent_notifications(c: &Connection, limit: usize) -> Result<Vec<Notification>> {
    let mut stmt =
        c.prepare_cached("SELECT at, topic, endpoint, subject FROM (SELECT * FROM notifications ORDER BY id DESC LIMIT ?1) ORDER BY id")?;
    let rows = stmt
        .query_map([limit as i64], |r| Ok(Notification { at: r.get(0)?, topic: r.get(1)?, endpoint: r.get(2)?, subject: r.get(3)? }))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}
