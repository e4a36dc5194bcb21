//! `dlq inspect`, `redrive` and `purge` on the local target: the DLQ is rows of the
//! stack's `messages` table, and a move back is one transaction per chunk.

use super::db::Conn;
use super::engine::{Engine, Faults};
use super::{query, sqs, table as items, LocalStack, Topology};
use crate::dlq::{dead_letter, inspect_report, order_of, secs, Followed, InspectReport, PurgeReport, RedriveReport, Selection};
use crate::target::{Approve, Asked, PageLetter, RedriveOptions};
use anyhow::Result;
use order_domain::{now_micros, Status};
use std::time::{Duration, Instant};

/// Every dead letter counts in the grouping by reason; `limit` only bounds the rows shown.
pub fn inspect(stack: &LocalStack, topology: &Topology, limit: usize, order_id: Option<&str>) -> Result<InspectReport> {
    let mut conn = stack.db.connect()?;
    let (depth, letters) =
        conn.read(|tx| Ok((query::dlq_total(tx, topology)?, query::dead_letters(tx, topology, order_id, usize::MAX)?)))?;
    let now = now_micros();
    let letters = letters
        .into_iter()
        .map(|(m, reason)| {
            let mut letter = dead_letter(m.message_id, &m.body, m.receive_count, secs(m.sent_at, now), reason);
            letter.in_dlq_seconds = m.dead_lettered_at.map(|t| secs(t, now));
            letter.source_queue = m.source_queue;
            letter
        })
        .collect();
    Ok(inspect_report(topology.names.dlq(), depth, letters, limit))
}

/// Moves the selected dead letters back to the orders queue (a dry run lists them).
pub fn redrive(stack: &LocalStack, topology: &Topology, selection: &Selection, o: &RedriveOptions) -> Result<RedriveReport> {
    let mut conn = stack.db.connect()?;
    let letters = conn.read(|tx| query::dead_letters(tx, topology, selection.order_id.as_deref(), usize::MAX))?;
    let chosen: Vec<(sqs::Peeked, String)> =
        letters.into_iter().filter(|(m, reason)| selection.matches(&m.body, reason)).take(selection.limit.unwrap_or(usize::MAX)).collect();
    let start = Instant::now();
    let mut report = RedriveReport::new("local", topology.names.dlq(), "transaction", o.dry_run);
    if o.dry_run {
        let now = now_micros();
        report.would_move = chosen
            .iter()
            .map(|(m, r)| dead_letter(m.message_id.clone(), &m.body, m.receive_count, secs(m.sent_at, now), r.clone()))
            .collect();
    } else {
        let ids: Vec<String> = chosen.iter().map(|(m, _)| m.message_id.clone()).collect();
        report.moved = move_local(&mut conn, topology, &ids, o.notes.as_deref(), o.rate)?;
        report.seconds = start.elapsed().as_secs_f64();
        if let Some(wait) = o.wait {
            let order_ids: Vec<String> = chosen.iter().filter_map(|(m, _)| order_of(&m.body)).map(|o| o.order_id).collect();
            let not_orders = chosen.len() as u64 - order_ids.len() as u64;
            report.followed = Some(follow_local(stack, topology, &order_ids, not_orders, wait)?);
        }
    }
    report.dlq_depth_after = conn.read(|tx| query::dlq_total(tx, topology))?;
    Ok(report)
}

/// Deletes every dead letter once `approve` says yes (an empty DLQ asks nothing).
pub fn purge(stack: &LocalStack, topology: &Topology, approve: Approve) -> Result<Asked<PurgeReport>> {
    let mut conn = stack.db.connect()?;
    let depth = conn.read(|tx| query::dlq_total(tx, topology))?;
    if depth > 0 && !approve(&format!("delete all {depth} messages in `{}`?", topology.names.dlq()))? {
        return Ok(Asked::Declined);
    }
    let deleted = conn.write(|tx| sqs::purge(tx, &topology.names.dlq()))?;
    Ok(Asked::Done(PurgeReport { schema: "orderctl/dlq-purge/v1", deleted: deleted as u64, queue: topology.names.dlq(), eventual: false }))
}

/// The first `max` dead letters, and how many there are, as the page lists them.
pub fn page_letters(conn: &mut Conn, topology: &Topology, max: usize) -> Result<(u64, Vec<PageLetter>)> {
    let (letters, depth) = conn.read(|tx| Ok((query::dead_letters(tx, topology, None, max)?, query::dlq_total(tx, topology)?)))?;
    let letters = letters
        .into_iter()
        .map(|(m, reason)| PageLetter { message_id: Some(m.message_id), body: m.body, reason, receive_count: m.receive_count })
        .collect();
    Ok((depth, letters))
}

/// Sleeps so that `done` messages take at least `done / rate` seconds from `start`.
fn pace(start: Instant, done: usize, rate: Option<u32>) {
    if let Some(rate) = rate {
        let due = start + Duration::from_secs_f64(done as f64 / rate as f64);
        std::thread::sleep(due.saturating_duration_since(Instant::now()));
    }
}

/// Moves the DLQ messages `ids` back to their source queue, in chunks (each one
/// transaction, short enough not to hold up a running engine), at most `rate` a second.
fn move_local(conn: &mut Conn, topology: &Topology, ids: &[String], notes: Option<&str>, rate: Option<u32>) -> Result<u64> {
    let (start, dlq, mut moved) = (Instant::now(), topology.names.dlq(), 0);
    for part in ids.chunks(rate.map_or(500, |r| (r as usize).clamp(1, 500))) {
        moved += conn.write(|tx| sqs::move_back(tx, &dlq, &topology.names.orders_queue(), part, notes, now_micros()))? as u64;
        pace(start, moved as usize, rate);
    }
    Ok(moved)
}

/// Runs the pipeline until the moved orders settled, or their queue is empty (the rest
/// failed again), or `wait` ran out.
fn follow_local(stack: &LocalStack, topology: &Topology, ids: &[String], not_orders: u64, wait: Duration) -> Result<Followed> {
    let engine = Engine::start(stack, Faults::from_env()?)?;
    let mut conn = stack.db.connect()?;
    let start = Instant::now();
    let source = topology.names.orders_queue();
    let followed = loop {
        let (statuses, queued) = conn.read(|tx| {
            let statuses = ids.iter().map(|id| Ok(items::get(tx, id)?.map(|r| r.status))).collect::<Result<Vec<_>>>()?;
            Ok((statuses, sqs::depth(tx, &source, now_micros())?.total()))
        })?;
        let settled = statuses.iter().filter(|s| s.is_some_and(|s| s.is_settled())).count();
        let done = settled == ids.len() || queued == 0;
        if done || start.elapsed() >= wait {
            let mut f = Followed { not_orders, ..Followed::default() };
            for s in statuses {
                match s {
                    Some(Status::Completed) => f.completed += 1,
                    Some(Status::Failed) => f.failed_by_rule += 1,
                    _ if queued == 0 => f.back_in_dlq += 1,
                    _ => f.processing += 1,
                }
            }
            break f;
        }
        std::thread::sleep(Duration::from_millis(25));
    };
    engine.stop();
    Ok(followed)
}
