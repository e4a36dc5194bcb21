//! `logs` on the aws target: `FilterLogEvents` (the SDK's paginator) on each function's
//! log group `/aws/lambda/<function>`, merged by time. The filter pattern goes to
//! CloudWatch unchanged; `--order-id` alone becomes the quoted term `"<id>"` (server
//! side), and with a pattern it is checked here. `--follow` then opens a live tail
//! (`StartLiveTail`: CloudWatch pushes each new line) and, where the endpoint has none or
//! the session ends, polls — every 2 s from the newest timestamp seen, less 5 s for lines
//! ingested late — saying so once. A line is printed once, whichever call brought it.

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

/// Every line of `group` since `since_ms` that the query selects, with its key.
async fn read_group(
    client: &aws_sdk_cloudwatchlogs::Client,
    group: &str,
    function: &str,
    query: &LogsQuery,
    since_ms: i64,
    missing: &mut Vec<String>,
) -> Result<Vec<(LineKey, LogEvent)>> {
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
                out.push(((e.timestamp().unwrap_or(0), e.log_stream_name().unwrap_or_default().to_string(), event.raw.clone()), event));
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
) -> Result<Vec<(LineKey, LogEvent)>> {
    let mut all = Vec::new();
    for (group, function) in groups {
        all.extend(read_group(client, group, function, query, since_ms, missing).await?);
    }
    // Interleaved by time; a stable sort keeps each group's own order within an instant.
    all.sort_by_key(|(_, e)| e.at);
    Ok(all)
}

/// What makes a line one line, whichever call delivered it: `FilterLogEvents` and the
/// live tail both give the stream, the timestamp and the message.
type LineKey = (i64, String, String);

pub async fn logs(
    client: &aws_sdk_cloudwatchlogs::Client,
    custom_endpoint: bool,
    names: &Names,
    query: &LogsQuery,
    line: &mut dyn FnMut(&LogEvent) -> Result<()>,
    stop: &AtomicBool,
) -> Result<LogsSummary> {
    let groups = groups(names, query);
    let mut since_ms = query.since.map_or(0, |s| s / 1000);
    let mut seen: HashSet<LineKey> = HashSet::new();
    let mut lines = 0;
    let mut missing = Vec::new();
    let mut note = None;
    let mut emit = |key: LineKey, e: &LogEvent, lines: &mut u64| -> Result<()> {
        if seen.insert(key) {
            line(e)?;
            *lines += 1;
        }
        if seen.len() > 200_000 {
            seen.clear();
        }
        Ok(())
    };
    let mut live_tried = false;
    loop {
        missing.clear();
        for (key, e) in read(client, &groups, query, since_ms, &mut missing).await? {
            since_ms = since_ms.max(e.at / 1000 - LATE);
            emit(key, &e, &mut lines)?;
        }
        if !query.follow || stop.load(Ordering::Relaxed) {
            break;
        }
        if !live_tried {
            live_tried = true;
            // Said once, when it happens (the summary comes only after Ctrl-C).
            match live_tail(client, custom_endpoint, &groups, query, &mut |key, e| emit(key, e, &mut lines), stop).await {
                Ok(()) if stop.load(Ordering::Relaxed) => break,
                Ok(()) => eprintln!("the live tail ended; following by polling FilterLogEvents every 2 s"),
                Err(e) => eprintln!("no live tail here ({e:#}); following by polling FilterLogEvents every 2 s"),
            }
        }
        for _ in 0..20 {
            if stop.load(Ordering::Relaxed) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
    if !missing.is_empty() {
        note = Some(format!("no log group {} (the function has not run yet, or the stack is down)", missing.join(", ")));
    }
    Ok(LogsSummary { lines, sources: groups.into_iter().map(|(g, _)| g).collect(), note })
}

/// Follows the groups through `StartLiveTail` (CloudWatch pushes new lines as they are
/// ingested) until `stop`; `Ok` when the session ends by itself, `Err` when the endpoint
/// has no live tail. `--order-id` without a pattern is the same quoted term as above.
async fn live_tail(
    client: &aws_sdk_cloudwatchlogs::Client,
    custom_endpoint: bool,
    groups: &[(String, String)],
    query: &LogsQuery,
    emit: &mut dyn FnMut(LineKey, &LogEvent) -> Result<()>,
    stop: &AtomicBool,
) -> Result<()> {
    use aws_sdk_cloudwatchlogs::types::StartLiveTailResponseStream as Stream;
    // The live tail wants the groups' ARNs (without the `:*` of `arn`).
    let mut functions = std::collections::HashMap::new();
    for (group, function) in groups {
        let out = client.describe_log_groups().log_group_name_prefix(group).send().await.context("logs:DescribeLogGroups")?;
        if let Some(g) = out.log_groups().iter().find(|g| g.log_group_name() == Some(group.as_str())) {
            let arn = g.log_group_arn().map(str::to_string).or_else(|| g.arn().map(|a| a.trim_end_matches(":*").to_string()));
            if let Some(arn) = arn {
                functions.insert(arn, function.clone());
            }
        }
    }
    anyhow::ensure!(!functions.is_empty(), "none of the log groups exists yet");
    let mut request = client.start_live_tail().set_log_group_identifiers(Some(functions.keys().cloned().collect()));
    match (&query.filter, &query.order_id) {
        (Some(f), _) => request = request.log_event_filter_pattern(&f.text),
        (None, Some(id)) => request = request.log_event_filter_pattern(format!("\"{id}\"")),
        (None, None) => {}
    }
    let mut session = request.customize().interceptor(NoHostPrefix(custom_endpoint)).send().await.map_err(anyhow::Error::new)?;
    loop {
        let next = tokio::select! {
            next = session.response_stream.recv() => next,
            _ = async { while !stop.load(Ordering::Relaxed) { tokio::time::sleep(Duration::from_millis(100)).await } } => return Ok(()),
        };
        match next.context("reading the live tail")? {
            Some(Stream::SessionUpdate(update)) => {
                for e in update.session_results() {
                    let function =
                        e.log_group_identifier().and_then(|g| functions.get(g.trim_end_matches(":*"))).cloned().unwrap_or_default();
                    let at = e.timestamp().unwrap_or(0);
                    let event = LogEvent::parse(at * 1000, &function, e.message().unwrap_or(""));
                    if query.matches(&event) {
                        emit((at, e.log_stream_name().unwrap_or_default().to_string(), event.raw.clone()), &event)?;
                    }
                }
            }
            Some(_) => {}
            None => return Ok(()),
        }
    }
}

/// With a custom endpoint (`true`), keeps `StartLiveTail` on it as given. The SDK sends it to a `stream-` host
/// prefix (`stream-logs.<region>.amazonaws.com` on AWS), which for an endpoint such as
/// `http://127.0.0.1:5000` names a host that does not exist.
#[derive(Debug)]
struct NoHostPrefix(bool);

impl aws_smithy_runtime_api::client::interceptors::Intercept for NoHostPrefix {
    fn name(&self) -> &'static str {
        "NoHostPrefix"
    }

    fn modify_before_retry_loop(
        &self,
        _context: &mut aws_smithy_runtime_api::client::interceptors::context::BeforeTransmitInterceptorContextMut<'_>,
        _components: &aws_smithy_runtime_api::client::runtime_components::RuntimeComponents,
        cfg: &mut aws_smithy_types::config_bag::ConfigBag,
    ) -> Result<(), aws_smithy_runtime_api::box_error::BoxError> {
        if self.0 {
            cfg.interceptor_state().unset::<aws_smithy_runtime_api::client::endpoint::EndpointPrefix>();
        }
        Ok(())
    }
}
