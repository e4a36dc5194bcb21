//! `orderctl dlq inspect | redrive | purge` on both targets.

use super::emit;
use crate::aws::dlq as sqs_dlq;
use crate::cli::{DlqCommand, TargetKind};
use crate::context::Context;
use crate::dlq::{order_of, Followed, Selection};
use crate::local::engine::{Engine, Faults};
use crate::local::{query, sqs, table as items};
use crate::report::text::table;
use crate::spec::Names;
use crate::Outcome;
use anyhow::Result;
use aws_sdk_sqs::types::MessageSystemAttributeName as A;
use order_domain::{now_micros, Micros, Status};
use serde::Serialize;
use std::fmt::Write;
use std::time::{Duration, Instant};

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct DeadLetter {
    message_id: String,
    order_id: Option<String>,
    kind: Option<String>,
    amount: Option<f64>,
    receive_count: u32,
    age_seconds: f64,
    in_dlq_seconds: Option<f64>,
    source_queue: Option<String>,
    reason: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct InspectReport {
    schema: &'static str,
    queue: String,
    depth: u64,
    shown: usize,
    by_reason: Vec<(String, usize)>,
    messages: Vec<DeadLetter>,
}

/// How a redrive moves, besides what it selects.
struct Options<'a> {
    notes: Option<&'a str>,
    rate: Option<u32>,
    wait: Option<Duration>,
    dry_run: bool,
}

pub fn run(ctx: &Context, cmd: &DlqCommand) -> Result<Outcome> {
    let aws = ctx.target == TargetKind::Aws;
    match cmd {
        DlqCommand::Inspect { limit, order_id } if aws => inspect_aws(ctx, *limit, order_id.as_deref()),
        DlqCommand::Inspect { limit, order_id } => inspect(ctx, *limit, order_id.as_deref()),
        DlqCommand::Redrive { limit, order_id, kind, filter, set_notes, rate, wait, dry_run } => {
            let selection = Selection { order_id: order_id.clone(), kind: kind.map(Into::into), reason: filter.clone(), limit: *limit };
            let options = Options { notes: set_notes.as_deref(), rate: *rate, wait: *wait, dry_run: *dry_run };
            if aws {
                redrive_aws(ctx, &selection, &options)
            } else {
                redrive(ctx, &selection, &options)
            }
        }
        DlqCommand::Purge if aws => purge_aws(ctx),
        DlqCommand::Purge => purge(ctx),
    }
}

fn secs(from: Micros, to: Micros) -> f64 {
    ((to - from).max(0) as f64 / 1e6 * 10.0).round() / 10.0
}

fn inspect(ctx: &Context, limit: usize, order_id: Option<&str>) -> Result<Outcome> {
    let stack = ctx.open_local()?;
    let topology = stack.topology()?;
    let mut conn = stack.db.connect()?;
    // Every dead letter counts in the grouping by reason; `limit` only bounds the rows shown.
    let (depth, letters) =
        conn.read(|tx| Ok((query::dlq_total(tx, &topology)?, query::dead_letters(tx, &topology, order_id, usize::MAX)?)))?;
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
    show_inspect(ctx, inspect_report(topology.names.dlq(), depth, letters, limit))
}

fn dead_letter(message_id: String, body: &str, receive_count: u32, age_seconds: f64, reason: String) -> DeadLetter {
    let value: Option<serde_json::Value> = serde_json::from_str(&order_domain::unwrap_envelope(body)).ok();
    let field = |k: &str| value.as_ref().and_then(|b| b.get(k)).cloned();
    DeadLetter {
        message_id,
        order_id: order_of(body).map(|o| o.order_id).or_else(|| field("orderId").and_then(|v| v.as_str().map(str::to_string))),
        kind: field("kind").and_then(|v| v.as_str().map(str::to_string)),
        amount: field("amount").and_then(|v| v.as_f64()),
        receive_count,
        age_seconds,
        in_dlq_seconds: None,
        source_queue: None,
        reason,
    }
}

fn inspect_report(queue: String, depth: u64, mut letters: Vec<DeadLetter>, limit: usize) -> InspectReport {
    let mut by_reason: Vec<(String, usize)> = Vec::new();
    for l in &letters {
        match by_reason.iter_mut().find(|(r, _)| *r == l.reason) {
            Some((_, n)) => *n += 1,
            None => by_reason.push((l.reason.clone(), 1)),
        }
    }
    by_reason.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
    letters.truncate(limit);
    InspectReport { schema: "orderctl/dlq-inspect/v1", queue, depth, shown: letters.len(), by_reason, messages: letters }
}

fn letters_table(letters: &[DeadLetter]) -> comfy_table::Table {
    let mut t = table(&["message id", "order id", "kind", "amount", "receives", "age", "in DLQ", "reason"]);
    for m in letters {
        t.add_row(vec![
            m.message_id.clone(),
            m.order_id.clone().unwrap_or_else(|| "–".into()),
            m.kind.clone().unwrap_or_else(|| "–".into()),
            m.amount.map_or("–".into(), |a| format!("{a:.2}")),
            m.receive_count.to_string(),
            format!("{}s", m.age_seconds),
            m.in_dlq_seconds.map_or("–".into(), |s| format!("{s}s")),
            m.reason.clone(),
        ]);
    }
    t
}

fn show_inspect(ctx: &Context, report: InspectReport) -> Result<Outcome> {
    emit(ctx, &report, || {
        let mut out = format!("`{}` holds {} messages; showing {}\n", report.queue, report.depth, report.shown);
        if report.messages.is_empty() {
            return out;
        }
        let _ = writeln!(out, "{}", letters_table(&report.messages));
        let mut g = table(&["reason", "messages"]);
        for (reason, n) in &report.by_reason {
            g.add_row(vec![reason.clone(), n.to_string()]);
        }
        let _ = writeln!(out, "{g}");
        out
    })?;
    Ok(Outcome::Success)
}

fn runtime() -> Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_current_thread().enable_all().build()?)
}

fn inspect_aws(ctx: &Context, limit: usize, order_id: Option<&str>) -> Result<Outcome> {
    runtime()?.block_on(async {
        let sdk = crate::aws::sdk_config(ctx).await;
        let (sqs, ddb) = (aws_sdk_sqs::Client::new(&sdk), aws_sdk_dynamodb::Client::new(&sdk));
        let names = Names::new(&ctx.stack);
        let url = sqs_dlq::queue_url(&sqs, &names.dlq()).await?;
        let messages = sqs_dlq::peek(&sqs, &url, 100_000).await?;
        let depth = sqs_dlq::depth(&sqs, &url).await?;
        let ids: Vec<String> = messages.iter().filter_map(|m| order_of(m.body().unwrap_or_default())).map(|o| o.order_id).collect();
        let records = sqs_dlq::records(&ddb, &names.table(), &ids).await?;
        let now = now_micros();
        let letters = messages
            .iter()
            .map(|m| {
                let body = m.body().unwrap_or_default();
                let number = |a| sqs_dlq::attribute(m, a).and_then(|v| v.parse::<i64>().ok());
                // What this peek added is not the pipeline's doing.
                let receives = number(A::ApproximateReceiveCount).unwrap_or(1).saturating_sub(1) as u32;
                let sent = number(A::SentTimestamp).map_or(now, |ms| ms * 1000);
                let mut l = dead_letter(
                    m.message_id().unwrap_or_default().into(),
                    body,
                    receives,
                    secs(sent, now),
                    sqs_dlq::reason(body, &records),
                );
                // SQS keeps no time of the move; the order's last failed attempt is
                // when it was last seen failing, shortly before the move.
                l.in_dlq_seconds =
                    order_of(body).and_then(|o| records.get(&o.order_id)).and_then(|r| r.last_attempt_at).map(|t| secs(t, now));
                l.source_queue = sqs_dlq::attribute(m, A::DeadLetterQueueSourceArn).map(|a| a.rsplit(':').next().unwrap_or(a).to_string());
                l
            })
            .filter(|l| order_id.is_none_or(|id| l.order_id.as_deref() == Some(id)))
            .collect();
        show_inspect(ctx, inspect_report(names.dlq(), depth, letters, limit))
    })
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RedriveReport {
    schema: &'static str,
    target: &'static str,
    /// `transaction` (local), `message-move-task` or `client-side` (SQS).
    method: String,
    dry_run: bool,
    /// What a dry run would move.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    would_move: Vec<DeadLetter>,
    moved: u64,
    /// Selected, but the send failed: still in the DLQ.
    failed: u64,
    /// Sent, but the delete from the DLQ failed: these will be processed twice.
    not_deleted: u64,
    /// Ctrl-C stopped the move before it finished.
    interrupted: bool,
    dlq_depth_after: u64,
    seconds: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    followed: Option<Followed>,
}

impl RedriveReport {
    fn new(target: &'static str, method: &str, dry_run: bool) -> Self {
        RedriveReport {
            schema: "orderctl/dlq-redrive/v1",
            target,
            method: method.into(),
            dry_run,
            would_move: Vec::new(),
            moved: 0,
            failed: 0,
            not_deleted: 0,
            interrupted: false,
            dlq_depth_after: 0,
            seconds: 0.0,
            followed: None,
        }
    }
}

fn show_redrive(ctx: &Context, dlq: &str, report: &RedriveReport) -> Result<Outcome> {
    emit(ctx, report, || {
        if report.dry_run {
            let mut out = format!(
                "would move {} messages from `{dlq}` back to their source queue (dry run, nothing moved)\n",
                report.would_move.len()
            );
            if !report.would_move.is_empty() {
                let _ = writeln!(out, "{}", letters_table(&report.would_move));
            }
            return out;
        }
        let rate = if report.seconds > 0.0 { report.moved as f64 / report.seconds } else { 0.0 };
        let mut out = format!(
            "moved {} messages from `{dlq}` back to their source queue ({}, {:.1}s, {rate:.0}/s); {} left in the DLQ\n",
            report.moved, report.method, report.seconds, report.dlq_depth_after
        );
        if report.failed > 0 {
            let _ = writeln!(out, "{} selected messages could not be sent and stay in the DLQ", report.failed);
        }
        if report.not_deleted > 0 {
            let _ = writeln!(
                out,
                "{} messages were sent but could not be deleted from the DLQ: they will be processed twice",
                report.not_deleted
            );
        }
        if report.interrupted {
            out.push_str("interrupted: the move stopped before it finished; run it again to move the rest\n");
        }
        match &report.followed {
            Some(f) => {
                let _ = writeln!(
                    out,
                    "afterwards: {} completed, {} failed by rule, {} back in the DLQ, {} still processing{}",
                    f.completed,
                    f.failed_by_rule,
                    f.back_in_dlq,
                    f.processing,
                    if f.not_orders > 0 { format!(", {} not orders", f.not_orders) } else { String::new() }
                );
            }
            None => out.push_str("pass `--wait 30s` to follow the moved orders\n"),
        }
        out
    })?;
    let problems =
        report.failed > 0 || report.interrupted || report.followed.as_ref().is_some_and(|f| f.back_in_dlq > 0 || f.processing > 0);
    Ok(if problems { Outcome::Negative } else { Outcome::Success })
}

/// Sleeps so that `done` messages take at least `done / rate` seconds from `start`.
fn pace(start: Instant, done: usize, rate: Option<u32>) {
    if let Some(rate) = rate {
        let due = start + Duration::from_secs_f64(done as f64 / rate as f64);
        std::thread::sleep(due.saturating_duration_since(Instant::now()));
    }
}

fn redrive(ctx: &Context, selection: &Selection, o: &Options) -> Result<Outcome> {
    let stack = ctx.open_local()?;
    let topology = stack.topology()?;
    let mut conn = stack.db.connect()?;
    let letters = conn.read(|tx| query::dead_letters(tx, &topology, selection.order_id.as_deref(), usize::MAX))?;
    let chosen: Vec<(sqs::Peeked, String)> =
        letters.into_iter().filter(|(m, reason)| selection.matches(&m.body, reason)).take(selection.limit.unwrap_or(usize::MAX)).collect();
    let dlq = topology.names.dlq();
    let start = Instant::now();
    let mut report = RedriveReport::new("local", "transaction", o.dry_run);
    if o.dry_run {
        let now = now_micros();
        report.would_move = chosen
            .iter()
            .map(|(m, r)| dead_letter(m.message_id.clone(), &m.body, m.receive_count, secs(m.sent_at, now), r.clone()))
            .collect();
    } else {
        let ids: Vec<String> = chosen.iter().map(|(m, _)| m.message_id.clone()).collect();
        report.moved = move_local(&mut conn, &topology, &ids, o.notes, o.rate)?;
        report.seconds = start.elapsed().as_secs_f64();
        if let Some(wait) = o.wait {
            let order_ids: Vec<String> = chosen.iter().filter_map(|(m, _)| order_of(&m.body)).map(|o| o.order_id).collect();
            let not_orders = chosen.len() as u64 - order_ids.len() as u64;
            report.followed = Some(follow_local(&stack, &topology, &order_ids, not_orders, wait)?);
        }
    }
    report.dlq_depth_after = conn.read(|tx| query::dlq_total(tx, &topology))?;
    show_redrive(ctx, &dlq, &report)
}

/// Moves the DLQ messages `ids` back to their source queue, in chunks (each one
/// transaction, short enough not to hold up a running engine), at most `rate` a second.
fn move_local(
    conn: &mut crate::local::db::Conn,
    topology: &crate::local::Topology,
    ids: &[String],
    notes: Option<&str>,
    rate: Option<u32>,
) -> Result<u64> {
    let (start, dlq, mut moved) = (Instant::now(), topology.names.dlq(), 0);
    for part in ids.chunks(rate.map_or(500, |r| (r as usize).clamp(1, 500))) {
        moved += conn.write(|tx| sqs::move_back(tx, &dlq, &topology.names.orders_queue(), part, notes, now_micros()))? as u64;
        pace(start, moved as usize, rate);
    }
    Ok(moved)
}

/// Moves every message of the local DLQ back (the page's redrive button).
pub fn redrive_all_local(stack: &crate::local::LocalStack, topology: &crate::local::Topology) -> Result<u64> {
    let mut conn = stack.db.connect()?;
    let ids: Vec<String> =
        conn.read(|tx| query::dead_letters(tx, topology, None, usize::MAX))?.into_iter().map(|(m, _)| m.message_id).collect();
    move_local(&mut conn, topology, &ids, None, None)
}

/// Runs the pipeline until the moved orders settled, or their queue is empty (the rest
/// failed again), or `wait` ran out.
fn follow_local(
    stack: &crate::local::LocalStack,
    topology: &crate::local::Topology,
    ids: &[String],
    not_orders: u64,
    wait: Duration,
) -> Result<Followed> {
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

fn redrive_aws(ctx: &Context, selection: &Selection, o: &Options) -> Result<Outcome> {
    // Ctrl-C stops the move (and cancels a move task); what moved stays moved.
    let stop = super::send::interrupted();
    runtime()?.block_on(async {
        let sdk = crate::aws::sdk_config(ctx).await;
        let (sqs, ddb) = (aws_sdk_sqs::Client::new(&sdk), aws_sdk_dynamodb::Client::new(&sdk));
        let names = Names::new(&ctx.stack);
        let q = sqs_dlq::queues(&sqs, &names.dlq(), &names.orders_queue()).await?;
        let start = Instant::now();
        let mut report = RedriveReport::new("aws", "client-side", o.dry_run);
        if o.dry_run {
            let messages = sqs_dlq::peek(&sqs, &q.dlq_url, 100_000).await?;
            let ids: Vec<String> = messages.iter().filter_map(|m| order_of(m.body().unwrap_or_default())).map(|o| o.order_id).collect();
            let records = sqs_dlq::records(&ddb, &names.table(), &ids).await?;
            let now = now_micros();
            report.would_move = messages
                .iter()
                .map(|m| (m, sqs_dlq::reason(m.body().unwrap_or_default(), &records)))
                .filter(|(m, reason)| selection.matches(m.body().unwrap_or_default(), reason))
                .take(selection.limit.unwrap_or(usize::MAX))
                .map(|(m, reason)| {
                    let receives = sqs_dlq::attribute(m, A::ApproximateReceiveCount).and_then(|v| v.parse::<u32>().ok()).unwrap_or(1);
                    let sent = sqs_dlq::attribute(m, A::SentTimestamp).and_then(|v| v.parse::<i64>().ok()).map_or(now, |ms| ms * 1000);
                    dead_letter(
                        m.message_id().unwrap_or_default().into(),
                        m.body().unwrap_or_default(),
                        receives - 1,
                        secs(sent, now),
                        reason,
                    )
                })
                .collect();
            report.dlq_depth_after = sqs_dlq::depth(&sqs, &q.dlq_url).await?;
            return show_redrive(ctx, &names.dlq(), &report);
        }
        let total = sqs_dlq::depth(&sqs, &q.dlq_url).await?;
        let bar = super::send::progress(ctx, total);
        let mut moved = None;
        if !selection.is_selective() && o.notes.is_none() && o.wait.is_none() {
            moved = sqs_dlq::move_task(&sqs, &q, o.rate, stop, |done, of| {
                bar.set_length(of.max(done));
                bar.set_position(done);
            })
            .await?;
            if moved.is_none() && !ctx.json() {
                eprintln!("this endpoint has no message move tasks: moving client-side (send, then delete)");
            }
        }
        let moved = match moved {
            Some(m) => m,
            None => {
                sqs_dlq::move_client_side(&sqs, &ddb, &names.table(), &q, selection, o.notes, o.rate, stop, |n| bar.set_position(n)).await?
            }
        };
        bar.finish_and_clear();
        report.seconds = start.elapsed().as_secs_f64();
        report.method = moved.method.clone();
        (report.moved, report.failed, report.not_deleted) = (moved.moved, moved.failed, moved.not_deleted);
        report.interrupted = stop.load(std::sync::atomic::Ordering::Relaxed);
        if let Some(wait) = o.wait {
            report.followed = Some(sqs_dlq::follow(&sqs, &ddb, &names.table(), &q.source_url, &moved, wait).await?);
        }
        report.dlq_depth_after = sqs_dlq::depth(&sqs, &q.dlq_url).await?;
        show_redrive(ctx, &names.dlq(), &report)
    })
}

fn purge(ctx: &Context) -> Result<Outcome> {
    let stack = ctx.open_local()?;
    let topology = stack.topology()?;
    let mut conn = stack.db.connect()?;
    let depth = conn.read(|tx| query::dlq_total(tx, &topology))?;
    if depth > 0 && !ctx.confirm(&format!("delete all {depth} messages in `{}`?", topology.names.dlq()))? {
        eprintln!("nothing deleted");
        return Ok(Outcome::Negative);
    }
    let deleted = conn.write(|tx| sqs::purge(tx, &topology.names.dlq()))?;
    emit(ctx, &serde_json::json!({"schema": "orderctl/dlq-purge/v1", "deleted": deleted}), || {
        format!("deleted {deleted} messages from `{}`\n", topology.names.dlq())
    })?;
    Ok(Outcome::Success)
}

fn purge_aws(ctx: &Context) -> Result<Outcome> {
    runtime()?.block_on(async {
        let sdk = crate::aws::sdk_config(ctx).await;
        let sqs = aws_sdk_sqs::Client::new(&sdk);
        let dlq = Names::new(&ctx.stack).dlq();
        let url = sqs_dlq::queue_url(&sqs, &dlq).await?;
        let depth = sqs_dlq::depth(&sqs, &url).await?;
        if depth == 0 {
            // Nothing to ask about, and nothing to purge: a purge would also take what
            // arrives in the next 60 s, unasked.
            emit(ctx, &serde_json::json!({"schema": "orderctl/dlq-purge/v1", "deleted": 0}), || {
                format!("`{dlq}` is empty: nothing purged\n")
            })?;
            return Ok(Outcome::Success);
        }
        if !ctx.confirm(&format!("delete all {depth} messages in `{dlq}` (SQS, {url})?"))? {
            eprintln!("nothing deleted");
            return Ok(Outcome::Negative);
        }
        match sqs.purge_queue().queue_url(&url).send().await {
            Ok(_) => {}
            Err(e) if e.as_service_error().is_some_and(|e| e.is_purge_queue_in_progress()) => {
                anyhow::bail!("`{dlq}` is already being purged: SQS allows one purge a minute; try again shortly")
            }
            Err(e) => return Err(e.into()),
        }
        emit(ctx, &serde_json::json!({"schema": "orderctl/dlq-purge/v1", "deleted": depth}), || {
            format!("purged `{dlq}`: {depth} messages deleted (SQS takes up to 60 s to finish a purge)\n")
        })?;
        Ok(Outcome::Success)
    })
}
