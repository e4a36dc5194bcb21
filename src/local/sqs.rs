//! SQS standard queues over the stack database: at-least-once delivery, delay,
//! visibility timeout, `ApproximateReceiveCount`, the move to the dead-letter queue when
//! a receive would exceed `maxReceiveCount`, batch receive and delete, change of
//! visibility, purge and retention.

pub use crate::model::Depth;
use anyhow::Result;
use order_domain::Micros;
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use serde_json::json;

/// What the engine needs to know of a queue.
#[derive(Debug, Clone, PartialEq)]
pub struct QueueConfig {
    pub name: String,
    pub visibility_timeout: Micros,
    pub retention: Micros,
    pub delay: Micros,
    /// Dead-letter queue and `maxReceiveCount`.
    pub redrive: Option<(String, u32)>,
}

/// A message handed to a consumer by `receive`.
#[derive(Debug, Clone, PartialEq)]
pub struct Received {
    pub message_id: String,
    pub body: String,
    pub receipt: String,
    /// `ApproximateReceiveCount`, this receive included.
    pub receive_count: u32,
    pub sent_at: Micros,
    pub first_receive_at: Micros,
}

/// A message as `dlq inspect` shows it; reading it changes nothing.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Peeked {
    pub message_id: String,
    pub body: String,
    pub receive_count: u32,
    pub sent_at: Micros,
    pub dead_lettered_at: Option<Micros>,
    pub source_queue: Option<String>,
    pub order_id: Option<String>,
}

const INSERT: &str = "INSERT INTO messages(queue, message_id, body, sent_at, visible_at, order_id, run_id, kind)
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";

/// The fields of an order message that accounting looks messages up by.
#[derive(Default, serde::Deserialize)]
struct Keys<'a> {
    #[serde(rename = "orderId", borrow, default)]
    order_id: Option<std::borrow::Cow<'a, str>>,
    #[serde(rename = "runId", borrow, default)]
    run_id: Option<std::borrow::Cow<'a, str>>,
    #[serde(borrow, default)]
    kind: Option<std::borrow::Cow<'a, str>>,
}

fn keys(body: &str) -> Keys<'_> {
    serde_json::from_str(body).unwrap_or_default()
}

/// The `orderId` of a JSON message body, if it has one.
pub fn order_id_of(body: &str) -> Option<String> {
    keys(body).order_id.map(|id| id.into_owned())
}

/// A version-4 UUID from the thread's fast generator: message ids need to be unique,
/// not unpredictable, and this costs no system call (three are made per order
/// published, inside the database's write lock).
pub fn new_message_id() -> String {
    uuid::Builder::from_random_bytes(fastrand::u128(..).to_le_bytes()).into_uuid().to_string()
}

/// Sends each body as one message; returns their message ids.
pub fn send<'a>(c: &Connection, queue: &QueueConfig, bodies: impl IntoIterator<Item = &'a str>, now: Micros) -> Result<Vec<String>> {
    Ok(send_keyed(c, queue, bodies, now)?.into_iter().map(|(id, _)| id).collect())
}

/// As [`send`], with each message's `orderId` when its body has one (read once, for the
/// accounting columns and the caller's hops alike).
pub fn send_keyed<'a>(
    c: &Connection,
    queue: &QueueConfig,
    bodies: impl IntoIterator<Item = &'a str>,
    now: Micros,
) -> Result<Vec<(String, Option<String>)>> {
    let mut stmt = c.prepare_cached(INSERT)?;
    let mut sent = Vec::new();
    for body in bodies {
        let id = new_message_id();
        let k = keys(body);
        stmt.execute(params![queue.name, id, body, now, now + queue.delay, k.order_id, k.run_id, k.kind])?;
        sent.push((id, k.order_id.map(|o| o.into_owned())));
    }
    Ok(sent)
}

/// A visible message as `receive` reads it: seq, id, body, receive count, sent and
/// first-receive times, order id.
type Ready = (i64, String, String, u32, Micros, Option<Micros>, Option<String>);

/// Receives up to `max` visible messages and hides them for the visibility timeout. A
/// message whose next receive would exceed `maxReceiveCount` moves to the dead-letter
/// queue instead, keeping its id, body, receive count and `SentTimestamp`.
pub fn receive(c: &Connection, queue: &QueueConfig, max: usize, now: Micros) -> Result<Vec<Received>> {
    let mut out = Vec::with_capacity(max);
    let mut select = c.prepare_cached(
        "SELECT seq, message_id, body, receive_count, sent_at, first_receive_at, order_id FROM messages
         WHERE queue = ?1 AND visible_at <= ?2 ORDER BY visible_at, seq LIMIT ?3",
    )?;
    let mut hide =
        c.prepare_cached("UPDATE messages SET receive_count = ?2, visible_at = ?3, receipt = ?4, first_receive_at = ?5 WHERE seq = ?1")?;
    let mut dead_letter = c.prepare_cached(
        "UPDATE messages SET queue = ?2, visible_at = ?3, dead_lettered_at = ?3, source_queue = ?4, receipt = NULL WHERE seq = ?1",
    )?;
    while out.len() < max {
        let want = max - out.len();
        let rows: Vec<Ready> = select
            .query_map(params![queue.name, now, want as i64], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        if rows.is_empty() {
            break;
        }
        for (seq, message_id, body, count, sent_at, first, order_id) in rows {
            if let Some((dlq, max_receives)) = &queue.redrive {
                if count >= *max_receives {
                    dead_letter.execute(params![seq, dlq, now, queue.name])?;
                    if let Some(order_id) = &order_id {
                        let detail = json!({"from": queue.name, "to": dlq, "messageId": message_id, "receiveCount": count});
                        super::hops::record(c, order_id, now, "dead-lettered", &detail)?;
                    }
                    continue;
                }
            }
            let receive_count = count + 1;
            let receipt = format!("{seq}:{receive_count}:{:08x}", fastrand::u32(..));
            let first_receive_at = first.unwrap_or(now);
            hide.execute(params![seq, receive_count, now + queue.visibility_timeout, receipt, first_receive_at])?;
            out.push(Received { message_id, body, receipt, receive_count, sent_at, first_receive_at });
        }
    }
    Ok(out)
}

fn seq_of(receipt: &str) -> Option<i64> {
    receipt.split(':').next()?.parse().ok()
}

/// Deletes the messages of these receipt handles; a handle from an older receive no
/// longer deletes (the message was received again since). Returns how many went.
pub fn delete(c: &Connection, queue: &str, receipts: &[&str]) -> Result<usize> {
    let mut stmt = c.prepare_cached("DELETE FROM messages WHERE seq = ?1 AND queue = ?2 AND receipt = ?3")?;
    let mut deleted = 0;
    for receipt in receipts {
        if let Some(seq) = seq_of(receipt) {
            deleted += stmt.execute(params![seq, queue, receipt])?;
        }
    }
    Ok(deleted)
}

/// `ChangeMessageVisibility`: the message becomes visible `timeout` from now.
pub fn change_visibility(c: &Connection, queue: &str, receipt: &str, timeout: Micros, now: Micros) -> Result<bool> {
    let Some(seq) = seq_of(receipt) else { return Ok(false) };
    let n = c.execute(
        "UPDATE messages SET visible_at = ?4 WHERE seq = ?1 AND queue = ?2 AND receipt = ?3",
        params![seq, queue, receipt, now + timeout],
    )?;
    Ok(n == 1)
}

/// Deletes every message of the queue.
pub fn purge(c: &Connection, queue: &str) -> Result<usize> {
    Ok(c.execute("DELETE FROM messages WHERE queue = ?1", [queue])?)
}

/// Deletes up to `max` of the messages older than the queue's retention period, oldest
/// first: through the index on their age, it reads only what it deletes.
pub fn expire(c: &Connection, queue: &QueueConfig, max: usize, now: Micros) -> Result<usize> {
    Ok(c.prepare_cached(
        "DELETE FROM messages WHERE seq IN
             (SELECT seq FROM messages INDEXED BY messages_age WHERE queue = ?1 AND sent_at < ?2 ORDER BY sent_at LIMIT ?3)",
    )?
    .execute(params![queue.name, now - queue.retention, max as i64])?)
}

pub fn depth(c: &Connection, queue: &str, now: Micros) -> Result<Depth> {
    let row = c
        .prepare_cached(
            "SELECT COALESCE(SUM(visible_at <= ?2), 0),
                    COALESCE(SUM(visible_at > ?2 AND receive_count > 0 AND receipt IS NOT NULL), 0),
                    COALESCE(SUM(visible_at > ?2 AND (receive_count = 0 OR receipt IS NULL)), 0)
             FROM messages WHERE queue = ?1",
        )?
        .query_row(params![queue, now], |r| Ok(Depth { visible: r.get(0)?, in_flight: r.get(1)?, delayed: r.get(2)? }))?;
    Ok(row)
}

/// `ApproximateNumberOfMessagesVisible`, cheaply.
pub fn visible(c: &Connection, queue: &str, now: Micros) -> Result<u64> {
    Ok(c.prepare_cached("SELECT COUNT(*) FROM messages WHERE queue = ?1 AND visible_at <= ?2")?
        .query_row(params![queue, now], |r| r.get(0))?)
}

/// Reads messages without receiving them: no receive count, no visibility change.
pub fn peek(c: &Connection, queue: &str, order_id: Option<&str>, limit: usize) -> Result<Vec<Peeked>> {
    let mut stmt = c.prepare_cached(
        "SELECT message_id, body, receive_count, sent_at, dead_lettered_at, source_queue, order_id FROM messages
         WHERE queue = ?1 AND (?2 IS NULL OR order_id = ?2) ORDER BY visible_at, seq LIMIT ?3",
    )?;
    let rows = stmt
        .query_map(params![queue, order_id, limit as i64], |r| {
            Ok(Peeked {
                message_id: r.get(0)?,
                body: r.get(1)?,
                receive_count: r.get(2)?,
                sent_at: r.get(3)?,
                dead_lettered_at: r.get(4)?,
                source_queue: r.get(5)?,
                order_id: r.get(6)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// Moves the dead letters with these message ids back to their source queues (or
/// `fallback`) as new messages, with `notes` set on each order when given, in one
/// transaction. Returns how many moved (ids no longer in the DLQ are skipped).
pub fn move_back(c: &Connection, dlq: &str, fallback: &str, message_ids: &[String], notes: Option<&str>, now: Micros) -> Result<usize> {
    let mut find = c.prepare_cached("SELECT seq, body, source_queue FROM messages WHERE queue = ?1 AND message_id = ?2")?;
    let mut insert = c.prepare_cached(INSERT)?;
    let mut remove = c.prepare_cached("DELETE FROM messages WHERE seq = ?1")?;
    let mut moved = 0;
    for id in message_ids {
        let row: Option<(i64, String, Option<String>)> =
            find.query_row(params![dlq, id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).optional()?;
        let Some((seq, body, source)) = row else { continue };
        let body = notes.and_then(|n| crate::dlq::with_notes(&body, n)).unwrap_or(body);
        let k = keys(&body);
        let (to, new_id) = (source.as_deref().unwrap_or(fallback), new_message_id());
        insert.execute(params![to, new_id, body, now, now, k.order_id, k.run_id, k.kind])?;
        remove.execute([seq])?;
        if let Some(order_id) = &k.order_id {
            let detail = json!({"from": dlq, "to": to, "messageId": new_id, "deadLetterId": id, "notes": notes});
            super::hops::record(c, order_id, now, "redriven", &detail)?;
        }
        moved += 1;
    }
    Ok(moved)
}

/// The message's queue, if it still exists (for tests and accounting).
pub fn queue_of(c: &Connection, message_id: &str) -> Result<Option<String>> {
    Ok(c.query_row("SELECT queue FROM messages WHERE message_id = ?1", [message_id], |r| r.get(0)).optional()?)
}
