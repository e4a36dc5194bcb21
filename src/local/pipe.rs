//! The EventBridge Pipe: reads the table's stream after its checkpoint, keeps the
//! records its filter matches, reshapes them with the input template and sends them to
//! the target queue. It reads the stream, not the worker's queue, so it can never take
//! an order away from the worker.

use super::pattern::{matches, render_template};
use super::sqs::{self, QueueConfig};
use anyhow::Result;
use order_domain::Micros;
use rusqlite::{params, Connection, OptionalExtension};
use serde_json::Value;

#[derive(Debug, Clone, PartialEq)]
pub struct PipeConfig {
    pub name: String,
    pub filter: Value,
    pub input_template: String,
    pub target: QueueConfig,
}

fn checkpoint(c: &Connection, pipe: &str) -> Result<i64> {
    Ok(c.query_row("SELECT position FROM checkpoints WHERE consumer = ?1", [pipe], |r| r.get(0)).optional()?.unwrap_or(0))
}

/// Whether the stream holds records the pipe has not read yet (a cheap read).
pub fn has_work(c: &Connection, pipe: &str) -> Result<bool> {
    let last: i64 = c.query_row("SELECT COALESCE(MAX(seq), 0) FROM stream", [], |r| r.get(0))?;
    Ok(last > checkpoint(c, pipe)?)
}

/// Processes up to `max` stream records in one transaction: the sends and the new
/// checkpoint commit together. Returns (records read, messages sent).
pub fn step(c: &Connection, pipe: &PipeConfig, max: usize, now: Micros) -> Result<(usize, usize)> {
    let from = checkpoint(c, &pipe.name)?;
    let rows: Vec<(i64, String)> = c
        .prepare_cached("SELECT seq, record FROM stream WHERE seq > ?1 ORDER BY seq LIMIT ?2")?
        .query_map(params![from, max as i64], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let Some((last, _)) = rows.last() else { return Ok((0, 0)) };
    let mut out = Vec::new();
    for (seq, text) in &rows {
        let mut record: Value = serde_json::from_str(text)?;
        record["dynamodb"]["SequenceNumber"] = Value::String(format!("{seq:021}"));
        if matches(&pipe.filter, &record) {
            out.push(render_template(&pipe.input_template, &record));
        }
    }
    sqs::send(c, &pipe.target, out.iter().map(String::as_str), now)?;
    c.execute(
        "INSERT INTO checkpoints(consumer, position) VALUES (?1, ?2) ON CONFLICT(consumer) DO UPDATE SET position = ?2",
        params![pipe.name, last],
    )?;
    Ok((rows.len(), out.len()))
}

/// Drops stream records every consumer has read and that are older than `keep`.
pub fn trim(c: &Connection, keep: Micros, now: Micros) -> Result<usize> {
    let min_checkpoint: Option<i64> = c.query_row("SELECT MIN(position) FROM checkpoints", [], |r| r.get(0))?;
    let Some(upto) = min_checkpoint else { return Ok(0) };
    Ok(c.execute("DELETE FROM stream WHERE seq <= ?1 AND created_at < ?2", params![upto, now - keep])?)
}
