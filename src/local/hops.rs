//! What the engine did with each order, hop by hop, kept so `orderctl trace` can tell
//! it: published (with SNS's message id and the queues it was delivered to),
//! dead-lettered, redriven, each write of the order (status before → after, its stream
//! sequence number), and the pipe's matches (with the message sent). The receives and
//! their results are the functions' own lines, in [`super::logs`]; a write the pipe read
//! without a match is told from its checkpoint. So a normal order costs three rows here
//! and in the logs together: published, written, and the worker's line.
//!
//! Written in the transaction of the hop itself, so a hop is recorded exactly when it
//! happened. Bounded like the table's stream on AWS: a day, and at most
//! [`MAX_HOPS`] rows.

use anyhow::Result;
use order_domain::Micros;
use rusqlite::{params, Connection};
use serde_json::Value;

/// How long hops are kept: DynamoDB Streams keeps a table's changes for 24 hours.
pub const KEEP: Micros = 24 * 3_600 * 1_000_000;

/// At most this many hops (two or three per order: over a million orders' worth).
pub const MAX_HOPS: i64 = 4_000_000;

pub fn record(c: &Connection, order_id: &str, at: Micros, step: &str, detail: &Value) -> Result<()> {
    record_text(c, order_id, at, step, &detail.to_string())
}

/// As [`record`], with the detail already written as JSON text (the hot paths write it
/// with `format!` rather than building a `Value`).
pub fn record_text(c: &Connection, order_id: &str, at: Micros, step: &str, detail: &str) -> Result<()> {
    c.prepare_cached("INSERT INTO hops(order_id, at, step, detail) VALUES (?1, ?2, ?3, ?4)")?
        .execute(params![order_id, at, step, detail])?;
    Ok(())
}

/// One recorded hop.
#[derive(Debug, Clone, PartialEq)]
pub struct Hop {
    pub at: Micros,
    pub step: String,
    pub detail: Value,
}

/// The order's hops, in the order they happened.
pub fn of(c: &Connection, order_id: &str) -> Result<Vec<Hop>> {
    let mut stmt = c.prepare_cached("SELECT at, step, detail FROM hops WHERE order_id = ?1 ORDER BY id")?;
    let hops = stmt
        .query_map([order_id], |r| {
            let detail: String = r.get(2)?;
            Ok(Hop { at: r.get(0)?, step: r.get(1)?, detail: serde_json::from_str(&detail).unwrap_or(Value::Null) })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(hops)
}

/// Drops up to `max` of the oldest rows of `table` (`hops` or `logs`) that are older
/// than `keep` or beyond the newest `max_rows`. Rows are appended in time order, so the
/// sweep stops at the first row it keeps: it reads what it drops and one row more.
pub fn trim(c: &Connection, table: &str, keep: Micros, max_rows: i64, max: usize, now: Micros) -> Result<usize> {
    let Some(newest) = c.query_row(&format!("SELECT MAX(id) FROM {table}"), [], |r| r.get::<_, Option<i64>>(0))? else {
        return Ok(0);
    };
    let mut oldest = c.prepare_cached(&format!("SELECT id, at FROM {table} ORDER BY id LIMIT ?1"))?;
    let mut rows = oldest.query([max as i64])?;
    let mut last = None;
    while let Some(row) = rows.next()? {
        let (id, at): (i64, Micros) = (row.get(0)?, row.get(1)?);
        if id > newest - max_rows && at >= now - keep {
            break;
        }
        last = Some(id);
    }
    drop(rows);
    match last {
        Some(upto) => Ok(c.prepare_cached(&format!("DELETE FROM {table} WHERE id <= ?1"))?.execute([upto])?),
        None => Ok(0),
    }
}
