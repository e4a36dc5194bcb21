//! `trace` on the aws target, from what AWS keeps about an order: the item in the table;
//! its writes in the table's stream (24 hours, read from the trim horizon, nothing
//! consumed) with the deployed pipe's filter applied to each, as the pipe applies it;
//! the DLQ, peeked (each message held for a moment, then released); the functions' log
//! lines that mention the order (`FilterLogEvents`); and the DLQ alarm's history.

use super::emulate::pipe::order_history;
use crate::logs::LogsQuery;
use crate::pattern::matches;
use crate::report::trace::{log_step, Step, TraceReport, Whereabouts};
use crate::spec::Names;
use anyhow::{Context as _, Result};
use order_domain::Micros;
use serde_json::{json, Value};

/// `GetRecords` a trace reads at most (1,000 records each).
const STREAM_CALLS: usize = 200;

/// DLQ messages a trace looks through at most.
const DLQ_PEEK: usize = 100;

pub async fn trace(sdk: &aws_config::SdkConfig, stack: &str, order_id: &str) -> Result<TraceReport> {
    let names = Names::new(stack);
    let ddb = aws_sdk_dynamodb::Client::new(sdk);
    let sqs = aws_sdk_sqs::Client::new(sdk);
    let mut notes = Vec::new();
    let record = super::sqs::records(&ddb, &names.table(), &[order_id.to_string()]).await?.remove(order_id);
    let mut steps = Vec::new();
    if let Some(r) = &record {
        if let Some(at) = r.order.scheduled_at {
            steps.push(Step::new(at, "scheduled", "order", "the time the load run meant to send it".into(), Value::Null));
        }
    }

    // The table's stream: each write, and what the pipe made of it.
    let table = ddb.describe_table().table_name(names.table()).send().await;
    let stream_arn = table.ok().and_then(|t| t.table().and_then(|t| t.latest_stream_arn()).map(str::to_string));
    let pipe_filter = match super::emulate::deployed_pipe(sdk, &names.pipe(), "").await {
        Ok(p) => p.and_then(|p| p.filter),
        Err(e) => {
            notes.push(format!("the pipe could not be read ({e:#}): its matches are not shown"));
            None
        }
    };
    match &stream_arn {
        Some(arn) => {
            let streams = aws_sdk_dynamodbstreams::Client::new(sdk);
            let (events, complete) = order_history(&streams, arn, order_id, STREAM_CALLS).await?;
            if !complete {
                notes.push(format!("the stream was read only in part ({STREAM_CALLS} GetRecords): later writes may be missing"));
            }
            for e in &events {
                steps.extend(stream_steps(e, pipe_filter.as_ref(), &names));
            }
        }
        None => notes.push(format!("table `{}` has no stream: its writes are not shown", names.table())),
    }

    // The DLQ, peeked.
    let mut in_dlq = false;
    if let Ok(url) = super::queue_url(&sqs, &names.dlq()).await {
        for m in super::sqs::peek(&sqs, &url, DLQ_PEEK).await? {
            let body = m.body().unwrap_or_default();
            if crate::dlq::order_id_of(body).as_deref() == Some(order_id) {
                in_dlq = true;
                let count =
                    super::sqs::attribute(&m, aws_sdk_sqs::types::MessageSystemAttributeName::ApproximateReceiveCount).unwrap_or("?");
                let sent = super::sqs::attribute(&m, aws_sdk_sqs::types::MessageSystemAttributeName::SentTimestamp)
                    .and_then(|t| t.parse::<i64>().ok())
                    .map_or(0, |ms| ms * 1000);
                let detail = format!(
                    "message {} is in `{}` (received {count} times; sent at {})",
                    m.message_id().unwrap_or("?"),
                    names.dlq(),
                    order_domain::rfc3339(sent)
                );
                steps.push(Step::new(sent, "in the DLQ", "dlq", detail, Value::Null));
            }
        }
    }

    // The functions' log lines.
    let logs_client = aws_sdk_cloudwatchlogs::Client::new(sdk);
    let query = LogsQuery { order_id: Some(order_id.to_string()), ..LogsQuery::default() };
    let since_ms = record.as_ref().and_then(|r| r.order.scheduled_at).map_or(0, |at| at / 1000 - 60_000);
    let mut missing = Vec::new();
    let logs: Vec<_> = super::logs::read(&logs_client, &super::logs::groups(&names, &query), &query, since_ms, &mut missing)
        .await?
        .into_iter()
        .map(|(_, e)| e)
        .collect();
    if !missing.is_empty() {
        notes.push(format!("no log group {}", missing.join(", ")));
    }
    steps.extend(logs.iter().map(log_step));

    // The alarm, when the order went to the DLQ.
    let dead_at = steps
        .iter()
        .filter(|s| s.step == "in the DLQ" || (s.step == "written" && s.detail.contains("→ DEAD_LETTERED")) || is_dead_letter_line(s))
        .map(|s| s.at_micros)
        .min();
    if let Some(since) = dead_at {
        let cw = aws_sdk_cloudwatch::Client::new(sdk);
        let history = cw
            .describe_alarm_history()
            .alarm_name(names.alarm())
            .history_item_type(aws_sdk_cloudwatch::types::HistoryItemType::StateUpdate)
            .send()
            .await
            .context("reading the alarm's history (cloudwatch:DescribeAlarmHistory)");
        match history {
            Ok(h) => {
                let mut items: Vec<(Micros, String)> = h
                    .alarm_history_items()
                    .iter()
                    .filter_map(|i| {
                        let t = i.timestamp()?;
                        Some((t.secs() * 1_000_000 + t.subsec_nanos() as i64 / 1000, i.history_summary().unwrap_or_default().to_string()))
                    })
                    .filter(|(at, summary)| *at >= since - 1_000_000 && summary.contains("to ALARM"))
                    .collect();
                items.sort();
                if let Some((at, summary)) = items.into_iter().next() {
                    steps.push(Step::new(at, "alarm", "alarm", format!("`{}`: {summary}", names.alarm()), Value::Null));
                }
            }
            Err(e) => notes.push(format!("{e:#}")),
        }
    }

    let now = record.as_ref().map(|r| {
        let place = if in_dlq {
            format!("in the DLQ (`{}`)", names.dlq())
        } else if r.status.is_settled() {
            "settled".to_string()
        } else {
            format!("in queue `{}` or being retried", names.orders_queue())
        };
        Whereabouts::of(r, place)
    });
    let mut report = TraceReport::new(stack, "aws", order_id, steps, now, logs);
    report.notes = notes;
    if !report.found {
        report.nearest = nearest(&ddb, &names, order_id).await?;
    }
    Ok(report)
}

/// A stream record as steps: the write (status before → after), and the pipe's match.
fn stream_steps(e: &Value, filter: Option<&Value>, names: &Names) -> Vec<Step> {
    let d = &e["dynamodb"];
    let status = |image: &str| d[image]["status"]["S"].as_str().map(str::to_string);
    let micros = |image: &str, field: &str| d[image][field]["N"].as_str().and_then(|n| n.parse::<i64>().ok());
    // The stream's own time has whole seconds; the record's times have microseconds.
    let at = micros("NewImage", "lastAttemptAt")
        .into_iter()
        .chain(micros("NewImage", "settledAt"))
        .chain(
            d["NewImage"]["review"]["M"]["reviewedAt"]["S"]
                .as_str()
                .and_then(|t| humantime::parse_rfc3339(t).ok())
                .map(|t| t.duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_micros() as i64)),
        )
        .max()
        .or_else(|| d["ApproximateCreationDateTime"].as_i64().map(|s| s * 1_000_000))
        .unwrap_or(0);
    let event = e["eventName"].as_str().unwrap_or("?");
    let attempts = d["NewImage"]["attempts"]["N"].as_str().unwrap_or("?");
    let reviewed = !d["NewImage"]["review"].is_null();
    let detail = format!(
        "{event}: {} → {}, attempt {attempts}{}",
        status("OldImage").unwrap_or_else(|| "–".into()),
        status("NewImage").unwrap_or_else(|| "–".into()),
        if reviewed { ", reviewed" } else { "" }
    );
    let mut steps = vec![Step::new(at, "written", "stream", detail, json!({"sequenceNumber": d["SequenceNumber"]}))];
    if let Some(f) = filter {
        let detail = if matches(f, e) {
            format!("`{}` matches the stream record: sent to `{}`", names.pipe(), names.high_value_queue())
        } else {
            format!("`{}` does not match the stream record", names.pipe())
        };
        steps.push(Step::new(at, "pipe", "pipe filter", detail, Value::Null));
    }
    steps
}

/// Ids near an unknown `<run>-<n>`: its neighbours that exist (one `BatchGetItem`).
async fn nearest(ddb: &aws_sdk_dynamodb::Client, names: &Names, order_id: &str) -> Result<Vec<String>> {
    let Some((run, n)) = order_id.rsplit_once('-').and_then(|(run, n)| Some((run, n.parse::<i64>().ok()?))) else {
        return Ok(Vec::new());
    };
    let candidates: Vec<String> = (n - 6..=n + 6).filter(|c| *c >= 0 && *c != n).map(|c| format!("{run}-{c}")).collect();
    let found = super::sqs::records(ddb, &names.table(), &candidates).await?;
    Ok(crate::report::trace::nearest(order_id, found.into_keys(), 5))
}

/// The worker's line for the receive that dead-lettered the order.
fn is_dead_letter_line(s: &Step) -> bool {
    s.step == "processed" && s.detail.starts_with("technical failure on the last receive")
}
