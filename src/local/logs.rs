//! The functions' log lines on the local target: what the in-process handlers say (the
//! same `order_domain::log` lines the Lambda binaries print) goes to the stack's
//! database, bounded as CloudWatch Logs would be by a retention — here a day, and at
//! most [`MAX_LINES`] lines — instead of nowhere.

use crate::logs::{LogEvent, LogsQuery};
use anyhow::Result;
use order_domain::Micros;
use rusqlite::{params, Connection};
use serde_json::Value;

/// How long lines are kept.
pub const KEEP: Micros = 24 * 3_600 * 1_000_000;

/// At most this many lines (about one per receive).
pub const MAX_LINES: i64 = 2_000_000;

pub fn append(c: &Connection, function: &str, at: Micros, line: &Value) -> Result<()> {
    let text = |k: &str| line.get(k).and_then(Value::as_str);
    c.prepare_cached("INSERT INTO logs(at, function, level, order_id, line) VALUES (?1, ?2, ?3, ?4, ?5)")?.execute(params![
        at,
        function,
        text("level"),
        text("orderId"),
        line.to_string()
    ])?;
    Ok(())
}

/// The lines after row `after` (0: from the start) that `query` selects from
/// `functions` (the stack's names of the functions asked for), oldest first, at most
/// `max`; with the last row read, to continue from.
pub fn read(c: &Connection, functions: &[String], query: &LogsQuery, after: i64, max: usize) -> Result<(Vec<LogEvent>, i64)> {
    let since = query.since.unwrap_or(0);
    // `--order-id` walks the index on it; otherwise the lines since `--since`.
    let (sql, key) = match &query.order_id {
        Some(id) => {
            ("SELECT id, at, function, line FROM logs WHERE order_id = ?1 AND id > ?2 AND at >= ?3 ORDER BY id LIMIT ?4", id.clone())
        }
        None => ("SELECT id, at, function, line FROM logs WHERE ?1 = ?1 AND id > ?2 AND at >= ?3 ORDER BY id LIMIT ?4", String::new()),
    };
    let mut stmt = c.prepare_cached(sql)?;
    let mut rows = stmt.query(params![key, after, since, max as i64])?;
    let (mut out, mut last) = (Vec::new(), after);
    while let Some(r) = rows.next()? {
        last = r.get(0)?;
        let function: String = r.get(2)?;
        if !functions.contains(&function) {
            continue;
        }
        let event = LogEvent::parse(r.get(1)?, &function, &r.get::<_, String>(3)?);
        if query.matches(&event) {
            out.push(event);
        }
    }
    Ok((out, last))
}

/// `logs` on the local target: the lines `query` selects, oldest first, each handed to
/// `line`; with `follow`, then every new one until `stop`.
pub fn logs(
    stack: &super::LocalStack,
    names: &crate::spec::Names,
    query: &LogsQuery,
    line: &mut dyn FnMut(&LogEvent) -> Result<()>,
    stop: &std::sync::atomic::AtomicBool,
) -> Result<crate::logs::LogsSummary> {
    use crate::spec::Handler;
    let functions: Vec<String> = [Handler::OrderWorker, Handler::HighValueWorker, Handler::CreateOrder]
        .into_iter()
        .filter(|h| query.wants(*h))
        .map(|h| names.function(h))
        .collect();
    let mut conn = stack.db.connect()?;
    let (mut after, mut lines) = (0, 0);
    loop {
        let (events, last) = conn.read(|tx| read(tx, &functions, query, after, 1_000))?;
        for e in &events {
            line(e)?;
        }
        lines += events.len() as u64;
        let caught_up = last == after;
        after = last;
        if caught_up {
            if !query.follow || stop.load(std::sync::atomic::Ordering::Relaxed) {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(200));
        }
    }
    Ok(crate::logs::LogsSummary { lines, sources: functions, note: None })
}
