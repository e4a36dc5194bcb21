//! The EventBridge Pipe: reads the table's stream after its checkpoint, keeps the
//! records its filter matches, reshapes them with the input template and sends them to
//! the target queue. It reads the stream, not the worker's queue, so it can never take
//! an order away from the worker.

use super::pattern::{matches, render_template};
use super::sqs::{self, QueueConfig};
use super::table;
use anyhow::Result;
use order_domain::Micros;
use rusqlite::{params, Connection, OptionalExtension};
use serde_json::Value;

#[derive(Debug, Clone, PartialEq)]
pub struct PipeConfig {
    pub name: String,
    pub source_table: String,
    pub filter: Value,
    pub input_template: String,
    pub target: QueueConfig,
}

fn checkpoint(c: &Connection, pipe: &str) -> Result<i64> {
    Ok(c.prepare_cached("SELECT position FROM checkpoints WHERE consumer = ?1")?.query_row([pipe], |r| r.get(0)).optional()?.unwrap_or(0))
}

/// Whether the stream holds records the pipe has not read yet (a cheap read).
pub fn has_work(c: &Connection, pipe: &str) -> Result<bool> {
    let last: i64 = c.prepare_cached("SELECT COALESCE(MAX(seq), 0) FROM stream")?.query_row([], |r| r.get(0))?;
    Ok(last > checkpoint(c, pipe)?)
}

/// What the pipe read from the stream and what it will send for it.
pub struct Routed {
    pub from: i64,
    pub to: i64,
    pub read: usize,
    pub messages: Vec<String>,
}

/// Reads up to `max` records after the checkpoint and filters and reshapes them: pure
/// work, done on a read snapshot so that the write lock is not held for it.
pub fn route(c: &Connection, pipe: &PipeConfig, max: usize) -> Result<Option<Routed>> {
    let from = checkpoint(c, &pipe.name)?;
    let changes = table::changes(c, from, max)?;
    let Some(last) = changes.last() else { return Ok(None) };
    let mut messages = Vec::new();
    for change in &changes {
        let record = change.to_record(&pipe.source_table)?;
        if matches(&pipe.filter, &record) {
            messages.push(render_template(&pipe.input_template, &record));
        }
    }
    Ok(Some(Routed { from, to: last.seq, read: changes.len(), messages }))
}

/// Sends what `route` produced and moves the checkpoint, in one transaction — unless
/// another process's pipe moved the checkpoint first, in which case nothing is sent
/// (returns false) and the records are routed again from the new checkpoint.
pub fn deliver(c: &Connection, pipe: &PipeConfig, routed: &Routed, now: Micros) -> Result<bool> {
    if checkpoint(c, &pipe.name)? != routed.from {
        return Ok(false);
    }
    sqs::send(c, &pipe.target, routed.messages.iter().map(String::as_str), now)?;
    c.prepare_cached("INSERT INTO checkpoints(consumer, position) VALUES (?1, ?2) ON CONFLICT(consumer) DO UPDATE SET position = ?2")?
        .execute(params![pipe.name, routed.to])?;
    Ok(true)
}

/// Routes and delivers up to `max` records in one transaction. Returns (records read,
/// messages sent).
pub fn step(c: &Connection, pipe: &PipeConfig, max: usize, now: Micros) -> Result<(usize, usize)> {
    match route(c, pipe, max)? {
        Some(routed) => {
            deliver(c, pipe, &routed, now)?;
            Ok((routed.read, routed.messages.len()))
        }
        None => Ok((0, 0)),
    }
}

/// Drops up to `max` stream records that every consumer has read and that are older
/// than `keep` (bounded, so one sweep never holds the database for long).
pub fn trim(c: &Connection, keep: Micros, max: usize, now: Micros) -> Result<usize> {
    let min_checkpoint: Option<i64> = c.query_row("SELECT MIN(position) FROM checkpoints", [], |r| r.get(0))?;
    let Some(upto) = min_checkpoint else { return Ok(0) };
    Ok(c.execute(
        "DELETE FROM stream WHERE seq IN (SELECT seq FROM stream WHERE seq <= ?1 AND created_at < ?2 ORDER BY seq LIMIT ?3)",
        params![upto, now - keep, max as i64],
    )?)
}
