//! The EventBridge Pipe: reads the table's stream after its checkpoint, keeps the
//! records its filter matches, reshapes them with the input template and sends them to
//! the target queue. It reads the stream, not the worker's queue, so it can never take
//! an order away from the worker.

use super::sqs::{self, QueueConfig};
use super::table;
use crate::pattern::{matches, render_template};
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
    /// Each record read: its order, its stream sequence number, and whether it matched.
    pub decisions: Vec<(String, i64, bool)>,
}

/// Reads up to `max` records after the checkpoint and filters and reshapes them: pure
/// work, done on a read snapshot so that the write lock is not held for it.
pub fn route(c: &Connection, pipe: &PipeConfig, max: usize) -> Result<Option<Routed>> {
    let from = checkpoint(c, &pipe.name)?;
    let changes = table::changes(c, from, max)?;
    let Some(last) = changes.last() else { return Ok(None) };
    let (mut messages, mut decisions) = (Vec::new(), Vec::with_capacity(changes.len()));
    for change in &changes {
        let record = change.to_record(&pipe.source_table)?;
        let matched = matches(&pipe.filter, &record);
        if matched {
            messages.push(render_template(&pipe.input_template, &record));
        }
        decisions.push((change.order_id.clone(), change.seq, matched));
    }
    Ok(Some(Routed { from, to: last.seq, read: changes.len(), messages, decisions }))
}

/// Sends what `route` produced and moves the checkpoint, in one transaction — unless
/// another process's pipe moved the checkpoint first, in which case nothing is sent
/// (returns false) and the records are routed again from the new checkpoint.
pub fn deliver(c: &Connection, pipe: &PipeConfig, routed: &Routed, now: Micros) -> Result<bool> {
    if checkpoint(c, &pipe.name)? != routed.from {
        return Ok(false);
    }
    let ids = sqs::send(c, &pipe.target, routed.messages.iter().map(String::as_str), now)?;
    // A hop for each record that matched, with the message it became; a record that did
    // not match is told by the trace from its write and the checkpoint.
    for ((order_id, seq, _), id) in routed.decisions.iter().filter(|(_, _, matched)| *matched).zip(ids) {
        let detail = serde_json::json!({"pipe": pipe.name, "streamSeq": seq, "matched": true, "target": pipe.target.name, "messageId": id});
        super::hops::record(c, order_id, now, "pipe", &detail)?;
    }
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

/// Drops up to `max` of the oldest stream records that every consumer has read and
/// that are older than `keep` (bounded, so one sweep never holds the database for
/// long). Records are appended in time order, so the sweep stops at the first one
/// still kept: it reads what it drops and one record more, however long the stream.
pub fn trim(c: &Connection, keep: Micros, max: usize, now: Micros) -> Result<usize> {
    let min_checkpoint: Option<i64> = c.query_row("SELECT MIN(position) FROM checkpoints", [], |r| r.get(0))?;
    let Some(upto) = min_checkpoint else { return Ok(0) };
    let mut oldest = c.prepare_cached("SELECT seq, created_at FROM stream WHERE seq <= ?1 ORDER BY seq LIMIT ?2")?;
    let mut rows = oldest.query(params![upto, max as i64])?;
    let mut last = None;
    while let Some(row) = rows.next()? {
        if row.get::<_, Micros>(1)? >= now - keep {
            break;
        }
        last = Some(row.get::<_, i64>(0)?);
    }
    drop(rows);
    let Some(last) = last else { return Ok(0) };
    Ok(c.prepare_cached("DELETE FROM stream WHERE seq <= ?1")?.execute([last])?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::local::db::Db;

    fn stream(c: &Connection, created: &[Micros]) {
        for at in created {
            c.execute("INSERT INTO stream(event_name, order_id, new_item, created_at) VALUES ('INSERT', 'o', '{}', ?1)", [at]).unwrap();
        }
    }

    fn seqs(c: &Connection) -> Vec<i64> {
        c.prepare("SELECT seq FROM stream ORDER BY seq").unwrap().query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
    }

    #[test]
    fn trim_drops_only_the_oldest_records_every_consumer_has_read() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("t.db"), true).unwrap();
        let mut conn = db.connect().unwrap();
        conn.write(|c| {
            // Nobody reads the stream yet: nothing is dropped.
            stream(c, &[10, 20, 30, 40, 50, 60]);
            assert_eq!(trim(c, 25, 100, 100)?, 0);
            // Two consumers, the slower at seq 5: records 1–5 are read by both and
            // older than 100 − 25, so they go; 6 is read by `a` only and stays.
            c.execute("INSERT INTO checkpoints(consumer, position) VALUES ('a', 6), ('b', 5)", [])?;
            assert_eq!(trim(c, 25, 100, 100)?, 5);
            assert_eq!(seqs(c), [6]);
            // Age decides: of 6–9 (at 60–90, all read) only those before 100 − 30 go.
            stream(c, &[70, 80, 90]);
            c.execute("UPDATE checkpoints SET position = 9", [])?;
            assert_eq!(trim(c, 30, 100, 100)?, 1);
            assert_eq!(seqs(c), [7, 8, 9]);
            // At most `max` per sweep, oldest first.
            assert_eq!(trim(c, 0, 2, 1_000)?, 2);
            assert_eq!(seqs(c), [9]);
            // A record out of time order stops the sweep; it is dropped on a later one.
            stream(c, &[500, 100]);
            c.execute("UPDATE checkpoints SET position = 11", [])?;
            assert_eq!(trim(c, 0, 100, 400)?, 1);
            assert_eq!(seqs(c), [10, 11]);
            assert_eq!(trim(c, 0, 100, 600)?, 2);
            assert!(seqs(c).is_empty());
            Ok(())
        })
        .unwrap();
    }
}
