//! The dead-letter queue on SQS: peek without consuming, move messages back (SQS's
//! own message move task, or a client-side move that sends before it deletes), purge,
//! and follow the moved orders in the table.

use crate::dlq::{order_of, with_notes, Followed, Selection};
use anyhow::{Context as _, Result};
use aws_sdk_dynamodb::types::{AttributeValue, KeysAndAttributes};
use aws_sdk_sqs::types::{
    ChangeMessageVisibilityBatchRequestEntry, DeleteMessageBatchRequestEntry, Message, MessageSystemAttributeName, QueueAttributeName,
    SendMessageBatchRequestEntry,
};
use order_domain::{OrderRecord, Status};
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// How long a peek or a client-side move keeps a message it holds invisible
/// (`ORDERCTL_SQS_HOLD_SECONDS`, default 120). Held messages are released (made
/// visible) as soon as the command is done with them; if it dies, SQS releases them
/// after this long.
fn hold_seconds() -> i32 {
    super::seconds_setting("ORDERCTL_SQS_HOLD_SECONDS", 120) as i32
}

/// The queues a redrive moves between.
#[derive(Debug, Clone)]
pub struct Queues {
    pub dlq_url: String,
    pub dlq_arn: String,
    /// Where messages go back to: the queue whose redrive policy names the DLQ.
    pub source_url: String,
    pub source_arn: String,
}

pub use super::queue_url;

pub async fn queues(sqs: &aws_sdk_sqs::Client, dlq: &str, fallback_source: &str) -> Result<Queues> {
    let dlq_url = queue_url(sqs, dlq).await?;
    let arn = |url: String| async move {
        let attrs = sqs.get_queue_attributes().queue_url(url).attribute_names(QueueAttributeName::QueueArn).send().await?;
        anyhow::Ok(attrs.attributes().and_then(|a| a.get(&QueueAttributeName::QueueArn)).cloned().unwrap_or_default())
    };
    let dlq_arn = arn(dlq_url.clone()).await?;
    // `ListDeadLetterSourceQueues` names the queues that feed the DLQ.
    let sources = sqs.list_dead_letter_source_queues().queue_url(&dlq_url).send().await?;
    let source_url = match sources.queue_urls() {
        [one] => one.clone(),
        _ => queue_url(sqs, fallback_source).await?,
    };
    let source_arn = arn(source_url.clone()).await?;
    Ok(Queues { dlq_url, dlq_arn, source_url, source_arn })
}

/// Messages in the queue (visible, in flight, delayed).
pub async fn depth(sqs: &aws_sdk_sqs::Client, url: &str) -> Result<u64> {
    Ok(super::send::queue_depth(sqs, url).await?.total())
}

/// Every message of the queue, read by receiving it once and releasing it at the end:
/// each receive count goes up by one, nothing is deleted. Stops at `max` messages.
pub async fn peek(sqs: &aws_sdk_sqs::Client, url: &str, max: usize) -> Result<Vec<Message>> {
    let mut seen = HashSet::new();
    let mut all = Vec::new();
    let result = async {
        while all.len() < max {
            // A long poll: a short one samples only some SQS servers and can come back
            // empty while messages wait.
            let batch = receive(sqs, url, 1).await?;
            let before = all.len();
            for m in batch {
                if seen.insert(m.message_id().unwrap_or_default().to_string()) {
                    all.push(m);
                }
            }
            if all.len() == before {
                break; // empty, or only messages already held (their hold ran out)
            }
        }
        anyhow::Ok(())
    }
    .await;
    release(sqs, url, &all).await?;
    result?;
    Ok(all)
}

async fn receive(sqs: &aws_sdk_sqs::Client, url: &str, wait_seconds: i32) -> Result<Vec<Message>> {
    let out = sqs
        .receive_message()
        .queue_url(url)
        .max_number_of_messages(10)
        .visibility_timeout(hold_seconds())
        .wait_time_seconds(wait_seconds)
        .message_system_attribute_names(MessageSystemAttributeName::All)
        .message_attribute_names("All")
        .send()
        .await
        .with_context(|| format!("receiving from `{url}`"))?;
    Ok(out.messages().to_vec())
}

/// Makes held messages visible again.
async fn release(sqs: &aws_sdk_sqs::Client, url: &str, messages: &[Message]) -> Result<()> {
    for chunk in messages.chunks(10) {
        let entries: Vec<ChangeMessageVisibilityBatchRequestEntry> = chunk
            .iter()
            .enumerate()
            .filter_map(|(i, m)| {
                ChangeMessageVisibilityBatchRequestEntry::builder()
                    .id(i.to_string())
                    .set_receipt_handle(m.receipt_handle().map(str::to_string))
                    .visibility_timeout(0)
                    .build()
                    .ok()
            })
            .collect();
        sqs.change_message_visibility_batch().queue_url(url).set_entries(Some(entries)).send().await?;
    }
    Ok(())
}

/// The orders of `ids` as the table holds them.
pub async fn records(ddb: &aws_sdk_dynamodb::Client, table: &str, ids: &[String]) -> Result<HashMap<String, OrderRecord>> {
    let mut out = HashMap::new();
    let unique: Vec<&String> = ids.iter().collect::<HashSet<_>>().into_iter().collect();
    for chunk in unique.chunks(100) {
        let keys = chunk.iter().map(|id| HashMap::from([("orderId".to_string(), AttributeValue::S(id.to_string()))])).collect();
        let mut request =
            Some(HashMap::from([(table.to_string(), KeysAndAttributes::builder().set_keys(Some(keys)).consistent_read(true).build()?)]));
        while let Some(items) = request.take() {
            let res = ddb.batch_get_item().set_request_items(Some(items)).send().await.with_context(|| format!("reading `{table}`"))?;
            for item in res.responses().and_then(|r| r.get(table)).into_iter().flatten() {
                let record: OrderRecord = lambda_support::from_item(item)?;
                out.insert(record.order.order_id.clone(), record);
            }
            request = res.unprocessed_keys().filter(|u| !u.is_empty()).cloned();
        }
    }
    Ok(out)
}

/// Why each message failed: the last error the worker recorded on its order (or that
/// the order settled since: a stale copy).
pub fn reason(body: &str, records: &HashMap<String, OrderRecord>) -> String {
    match order_of(body) {
        None => match order_domain::parse_order(order_domain::unwrap_envelope(body).as_bytes()) {
            Err(invalid) => format!("malformed order: {invalid}"),
            Ok(_) => "malformed order".into(),
        },
        Some(order) => crate::model::dead_letter_reason(records.get(&order.order_id)),
    }
}

pub fn attribute(m: &Message, name: MessageSystemAttributeName) -> Option<&str> {
    m.attributes().and_then(|a| a.get(&name)).map(String::as_str)
}

/// What a move did.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Moved {
    /// `message-move-task` or `client-side`.
    pub method: String,
    pub moved: u64,
    /// Selected but not moved: the send failed (the message stays in the DLQ).
    pub failed: u64,
    /// Sent to the source queue, but the delete from the DLQ failed: a duplicate.
    pub not_deleted: u64,
    /// Order ids of what moved (client-side only; a move task does not say).
    #[serde(skip)]
    pub order_ids: Vec<String>,
    pub not_orders: u64,
}

/// Moves the selected messages client-side: send to the source queue, then delete from
/// the DLQ, at most `rate` a second. Unselected messages are held while it runs and
/// released at the end; an interruption leaves every message in one queue or both.
#[allow(clippy::too_many_arguments)]
pub async fn move_client_side(
    sqs: &aws_sdk_sqs::Client,
    ddb: &aws_sdk_dynamodb::Client,
    table: &str,
    q: &Queues,
    selection: &Selection,
    notes: Option<&str>,
    rate: Option<u32>,
    stop: &AtomicBool,
    progress: impl Fn(u64),
) -> Result<Moved> {
    let mut moved = Moved { method: "client-side".into(), ..Moved::default() };
    let mut held: Vec<Message> = Vec::new();
    let start = Instant::now();
    let result = async {
        loop {
            let want = selection.limit.map_or(usize::MAX, |l| l.saturating_sub(moved.moved as usize + moved.failed as usize));
            if want == 0 || stop.load(Ordering::Relaxed) {
                break;
            }
            let batch = receive(sqs, &q.dlq_url, 1).await?;
            if batch.is_empty() || batch.iter().all(|m| held.iter().any(|h| h.message_id() == m.message_id())) {
                break;
            }
            let needs_reason = selection.reason.is_some();
            let ids: Vec<String> = batch.iter().filter_map(|m| order_of(m.body().unwrap_or_default())).map(|o| o.order_id).collect();
            let recs = if needs_reason { records(ddb, table, &ids).await? } else { HashMap::new() };
            let (mut chosen, mut skipped): (Vec<Message>, Vec<Message>) = (Vec::new(), Vec::new());
            for m in batch {
                let body = m.body().unwrap_or_default();
                if chosen.len() < want && selection.matches(body, &reason(body, &recs)) {
                    chosen.push(m);
                } else {
                    skipped.push(m);
                }
            }
            held.extend(skipped);
            if chosen.is_empty() {
                continue;
            }
            if let Some(rate) = rate {
                // Paced from the start: message n leaves no earlier than n / rate.
                let due = start + Duration::from_secs_f64((moved.moved + chosen.len() as u64) as f64 / rate as f64);
                tokio::time::sleep_until(due.into()).await;
            }
            let entries: Vec<SendMessageBatchRequestEntry> = chosen
                .iter()
                .enumerate()
                .map(|(i, m)| {
                    let body = m.body().unwrap_or_default();
                    let body = notes.and_then(|n| with_notes(body, n)).unwrap_or_else(|| body.to_string());
                    SendMessageBatchRequestEntry::builder()
                        .id(i.to_string())
                        .message_body(body)
                        .set_message_attributes(m.message_attributes().cloned())
                        .build()
                })
                .collect::<Result<_, _>>()?;
            let sent = sqs.send_message_batch().queue_url(&q.source_url).set_entries(Some(entries)).send().await?;
            // Per-entry failures come back with HTTP 200: only what was sent is deleted.
            let ok: HashSet<usize> = sent.successful().iter().filter_map(|e| e.id().parse().ok()).collect();
            let mut delete = Vec::new();
            for (i, m) in chosen.into_iter().enumerate() {
                if ok.contains(&i) {
                    match order_of(m.body().unwrap_or_default()) {
                        Some(o) => moved.order_ids.push(o.order_id),
                        None => moved.not_orders += 1,
                    }
                    delete.push(
                        DeleteMessageBatchRequestEntry::builder()
                            .id(i.to_string())
                            .set_receipt_handle(m.receipt_handle().map(str::to_string))
                            .build()?,
                    );
                    moved.moved += 1;
                } else {
                    moved.failed += 1;
                    held.push(m);
                }
            }
            if !delete.is_empty() {
                let deleted = sqs.delete_message_batch().queue_url(&q.dlq_url).set_entries(Some(delete)).send().await?;
                // Sent but still in the DLQ: it will be processed twice, never lost.
                moved.not_deleted += deleted.failed().len() as u64;
            }
            progress(moved.moved);
        }
        anyhow::Ok(())
    }
    .await;
    release(sqs, &q.dlq_url, &held).await?;
    result?;
    Ok(moved)
}

/// Whether an endpoint answered `StartMessageMoveTask` as one that does not have it.
fn lacks_move_tasks(
    e: &aws_sdk_sqs::error::SdkError<
        aws_sdk_sqs::operation::start_message_move_task::StartMessageMoveTaskError,
        aws_smithy_runtime_api::http::Response,
    >,
) -> bool {
    // moto answers HTTP 500 (after the SDK's retries); others 404 or 501.
    let status = e.raw_response().map(|r| r.status().as_u16());
    e.as_service_error().is_some_and(|e| e.is_unsupported_operation()) || matches!(status, Some(404 | 500 | 501))
}

/// SQS's own move task, back to the source queue: `None` when the endpoint has no
/// move tasks. Progress from `ListMessageMoveTasks`; `stop` cancels the task.
pub async fn move_task(
    sqs: &aws_sdk_sqs::Client,
    q: &Queues,
    rate: Option<u32>,
    stop: &AtomicBool,
    progress: impl Fn(u64, u64),
) -> Result<Option<Moved>> {
    let started = sqs
        .start_message_move_task()
        .source_arn(&q.dlq_arn)
        // Named, not left to "each message's original source": that is known only for
        // messages SQS itself dead-lettered, and LocalStack fails the whole task on one
        // that was sent to the DLQ (`tests/localstack.rs`). The DLQ has one source.
        .destination_arn(&q.source_arn)
        .set_max_number_of_messages_per_second(rate.map(|r| r as i32))
        .customize()
        // Asked once: an endpoint without move tasks answers 500, which is not worth
        // the SDK's retries; the client-side move is the fallback either way.
        .config_override(
            aws_sdk_sqs::config::Builder::default().retry_config(aws_config::retry::RetryConfig::standard().with_max_attempts(1)),
        )
        .send()
        .await;
    let handle = match started {
        Ok(out) => out.task_handle().unwrap_or_default().to_string(),
        Err(e) if lacks_move_tasks(&e) => return Ok(None),
        Err(e) => return Err(anyhow::Error::from(e).context("starting the message move task")),
    };
    let mut cancelled = false;
    loop {
        tokio::time::sleep(Duration::from_millis(500)).await;
        if stop.load(Ordering::Relaxed) && !cancelled {
            sqs.cancel_message_move_task().task_handle(&handle).send().await.context("cancelling the message move task")?;
            cancelled = true;
        }
        let tasks = sqs.list_message_move_tasks().source_arn(&q.dlq_arn).max_results(1).send().await?;
        let Some(task) = tasks.results().first() else { continue };
        let moved = task.approximate_number_of_messages_moved().max(0) as u64;
        progress(moved, task.approximate_number_of_messages_to_move().unwrap_or(0).max(0) as u64);
        match task.status() {
            Some("COMPLETED") | Some("CANCELLED") => {
                return Ok(Some(Moved { method: "message-move-task".into(), moved, ..Moved::default() }))
            }
            Some("FAILED") => anyhow::bail!("the message move task failed: {}", task.failure_reason().unwrap_or("no reason given")),
            _ => {}
        }
    }
}

/// Follows the moved orders in the table until each settled, or the source queue has
/// been empty for a while (the rest failed again, back to the DLQ), or `wait` ran out.
pub async fn follow(
    sqs: &aws_sdk_sqs::Client,
    ddb: &aws_sdk_dynamodb::Client,
    table: &str,
    source_url: &str,
    moved: &Moved,
    wait: Duration,
) -> Result<Followed> {
    let deadline = Instant::now() + wait;
    let mut quiet = 0;
    loop {
        let recs = records(ddb, table, &moved.order_ids).await?;
        let settled = moved.order_ids.iter().filter(|id| recs.get(*id).is_some_and(|r| r.status.is_settled())).count();
        quiet = if depth(sqs, source_url).await? == 0 { quiet + 1 } else { 0 };
        if settled == moved.order_ids.len() || quiet >= 3 || Instant::now() >= deadline {
            let mut f = Followed { not_orders: moved.not_orders, ..Followed::default() };
            for id in &moved.order_ids {
                match recs.get(id).map(|r| r.status) {
                    Some(Status::Completed) => f.completed += 1,
                    Some(Status::Failed) => f.failed_by_rule += 1,
                    // Not settled with its source queue empty: it failed again.
                    _ if quiet >= 3 => f.back_in_dlq += 1,
                    _ => f.processing += 1,
                }
            }
            return Ok(f);
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}
