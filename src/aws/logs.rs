//! `logs` on the aws target: `FilterLogEvents` (the SDK's paginator) on each function's
//! log group `/aws/lambda/<function>`, merged by time. The filter pattern goes to
//! CloudWatch unchanged; `--order-id` alone becomes the quoted term `"<id>"` (server
//! side), and with a pattern it is checked here. `--follow` polls: every 2 s it asks
//! again from the newest timestamp seen (less 5 s, for lines ingested late), skipping
//! event ids already printed. (`StartLiveTail` would push lines instead; it needs an
//! event-stream endpoint that moto lacks, and polling works on every endpoint.)

use crate::logs::{LogEvent, LogsQuery, LogsSummary};
use crate::spec::{Handler, Names};
use anyhow::{Context as _, Result};
use order_domain::Micros;
use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// Lines ingested this long after their timestamp are still found when following.
const LATE: i64 = 5_000;

/// The log group of each function the query asks for.
pub fn groups(names: &Names, query: &LogsQuery) -> Vec<(String, String)> {
    [Handler::OrderWorker, Handler::HighValueWorker, Handler::CreateOrder]
        .into_iter()
        .filter(|h| query.wants(*h))
        .map(|h| {
            let function = names.function(h);
            (names.log_group(&function), function)
        })
        .collect()
}

/// Every line of `group` since `since_ms` that the query selects, with its event id.
async fn read_group(
    client: &aws_sdk_cloudwatchlogs::Client,
    group: &str,
    function: &str,
    query: &LogsQuery,
    since_ms: i64,
    missing: &mut Vec<String>,
) -> Result<Vec<(String, LogEvent)>> {
    let mut request = client.filter_log_events().log_group_name(group).start_time(since_ms);
    match (&query.filter, &query.order_id) {
        (Some(f), _) => request = request.filter_pattern(&f.text),
        (None, Some(id)) => request = request.filter_pattern(format!("\"{id}\"")),
        (None, None) => {}
    }
    let mut pages = request.into_paginator().send();
    let mut out = Vec::new();
    while let Some(page) = pages.next().await {
        let page = match page {
            Ok(page) => page,
            Err(e) if e.as_service_error().is_some_and(|e| e.is_resource_not_found_exception()) => {
                missing.push(group.to_string());
                break;
            }
            Err(e) => return Err(e).with_context(|| format!("reading log group `{group}` (logs:FilterLogEvents)")),
        };
        for e in page.events() {
            let at = e.timestamp().unwrap_or(0) * 1000;
            let event = LogEvent::parse(at as Micros, function, e.message().unwrap_or(""));
            if query.matches(&event) {
                out.push((e.event_id().unwrap_or_default().to_string(), event));
            }
        }
    }
    Ok(out)
}

/// One pass over every group: the lines since `since_ms`, oldest first.
pub async fn read(
    client: &aws_sdk_cloudwatchlogs::Client,
    groups: &[(String, String)],
    query: &LogsQuery,
    since_ms: i64,
    missing: &mut Vec<String>,
) -> Result<Vec<(String, LogEvent)>> {
    let mut all = Vec::new();
    for (group, function) in groups {
        all.extend(read_group(client, group, function, query, since_ms, missing).await?);
    }
    // Interleaved by time; a stable sort keeps each group's own order within an instant.
    all.sort_by_key(|(_, e)| e.at);
    Ok(all)
}

pub async fn logs(
    client: &aws_sdk_cloudwatchlogs::Client,
    names: &Names,
    query: &LogsQuery,
    line: &mut dyn FnMut(&LogEvent) -> Result<()>,
    stop: &AtomicBool,
) -> Result<LogsSummary> {
    let groups = groups(names, query);
    let mut since_ms = query.since.map_or(0, |s| s / 1000);
    let mut seen: HashSet<String> = HashSet::new();
    let mut lines = 0;
    let mut missing = Vec::new();
    let mut note = None;
    loop {
        missing.clear();
        let events = read(client, &groups, query, since_ms, &mut missing).await?;
        for (id, e) in &events {
            if seen.insert(id.clone()) {
                line(e)?;
                lines += 1;
            }
            since_ms = since_ms.max(e.at / 1000 - LATE);
        }
        if !query.follow || stop.load(Ordering::Relaxed) {
            break;
        }
        if note.is_none() {
            let n = "following by polling FilterLogEvents every 2 s".to_string();
            eprintln!("{n}");
            note = Some(n);
        }
        // Forget what is older than the window asked again.
        if seen.len() > 100_000 {
            seen.clear();
        }
        for _ in 0..20 {
            if stop.load(Ordering::Relaxed) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
    if !missing.is_empty() && note.is_none() {
        note = Some(format!("no log group {} (the function has not run yet, or the stack is down)", missing.join(", ")));
    }
    Ok(LogsSummary { lines, sources: groups.into_iter().map(|(g, _)| g).collect(), note })
}
