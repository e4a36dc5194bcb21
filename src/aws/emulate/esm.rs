//! An SQS event source mapping, emulated against any SQS endpoint (moto runs no Lambda
//! code): receive a batch, invoke the function through the local runtime with the
//! event Lambda would send, then delete only the records that succeeded — everything
//! when the response lists no `batchItemFailures`, nothing when the invocation failed
//! or timed out (the batch becomes visible again after the visibility timeout).

use crate::lambda::runtime::{InvokeError, LocalFunction};
use anyhow::{Context, Result};
use aws_sdk_sqs::types::{DeleteMessageBatchRequestEntry, Message, MessageSystemAttributeName};
use serde::Serialize;
use serde_json::{json, Map, Value};
use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

#[derive(Debug, Clone)]
pub struct MappingSpec {
    pub queue_url: String,
    pub queue_arn: String,
    pub region: String,
    /// 1–10: one receive's worth.
    pub batch_size: i32,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MappingStats {
    pub invocations: u64,
    pub records: u64,
    pub deleted: u64,
    pub record_failures: u64,
    pub function_errors: u64,
    pub timeouts: u64,
    pub crashes: u64,
    pub delete_failures: u64,
}

/// The event Lambda sends for a batch of SQS messages.
pub fn sqs_event(messages: &[Message], spec: &MappingSpec) -> Value {
    let records: Vec<Value> = messages
        .iter()
        .map(|m| {
            let attributes: Map<String, Value> = m
                .attributes()
                .map(|a| a.iter().map(|(k, v)| (k.as_str().to_string(), Value::String(v.clone()))).collect())
                .unwrap_or_default();
            json!({
                "messageId": m.message_id(),
                "receiptHandle": m.receipt_handle(),
                "body": m.body().unwrap_or(""),
                "attributes": attributes,
                "messageAttributes": {},
                "md5OfBody": m.md5_of_body(),
                "eventSource": "aws:sqs",
                "eventSourceARN": spec.queue_arn,
                "awsRegion": spec.region,
            })
        })
        .collect();
    json!({ "Records": records })
}

/// The message ids a response reports as failed; `None` when the response is not a
/// valid partial batch response, which fails the whole batch.
pub fn failed_ids(response: &Value, batch: &[Message]) -> Option<HashSet<String>> {
    let ids: HashSet<&str> = batch.iter().filter_map(|m| m.message_id()).collect();
    match response {
        Value::Null => Some(HashSet::new()),
        Value::Object(map) => match map.get("batchItemFailures") {
            None | Some(Value::Null) => Some(HashSet::new()),
            Some(Value::Array(items)) => items
                .iter()
                .map(|i| i.get("itemIdentifier").and_then(Value::as_str).filter(|id| ids.contains(id)).map(str::to_string))
                .collect(),
            Some(_) => None,
        },
        _ => None,
    }
}

/// Polls the queue and feeds `function` until `stop` is set, or until the queue has
/// been empty for `idle` when given.
pub async fn run(
    sqs: &aws_sdk_sqs::Client,
    spec: &MappingSpec,
    function: &mut LocalFunction,
    stop: &AtomicBool,
    idle: Option<Duration>,
) -> Result<MappingStats> {
    let mut stats = MappingStats::default();
    let mut last_work = Instant::now();
    while !stop.load(Ordering::Relaxed) {
        let received = sqs
            .receive_message()
            .queue_url(&spec.queue_url)
            .max_number_of_messages(spec.batch_size.clamp(1, 10))
            .wait_time_seconds(1)
            .message_system_attribute_names(MessageSystemAttributeName::All)
            .message_attribute_names("All")
            .send()
            .await
            .with_context(|| format!("receiving from `{}`", spec.queue_url))?;
        let batch = received.messages();
        if batch.is_empty() {
            if idle.is_some_and(|i| last_work.elapsed() >= i) {
                break;
            }
            continue;
        }
        last_work = Instant::now();
        stats.invocations += 1;
        stats.records += batch.len() as u64;
        let event = sqs_event(batch, spec);
        // The runtime blocks: run it off the async executor's threads.
        let outcome = tokio::task::block_in_place(|| function.invoke(&event))?;
        let failed = match &outcome {
            Ok(response) => failed_ids(response, batch),
            Err(InvokeError::Timeout(_)) => {
                stats.timeouts += 1;
                None
            }
            Err(InvokeError::Crashed(_)) => {
                stats.crashes += 1;
                None
            }
            Err(_) => {
                stats.function_errors += 1;
                None
            }
        };
        let Some(failed) = failed else { continue };
        stats.record_failures += failed.len() as u64;
        let entries: Vec<DeleteMessageBatchRequestEntry> = batch
            .iter()
            .enumerate()
            .filter(|(_, m)| m.message_id().is_some_and(|id| !failed.contains(id)))
            .filter_map(|(i, m)| {
                DeleteMessageBatchRequestEntry::builder()
                    .id(i.to_string())
                    .set_receipt_handle(m.receipt_handle().map(str::to_string))
                    .build()
                    .ok()
            })
            .collect();
        if entries.is_empty() {
            continue;
        }
        let out = sqs
            .delete_message_batch()
            .queue_url(&spec.queue_url)
            .set_entries(Some(entries))
            .send()
            .await
            .with_context(|| format!("deleting from `{}`", spec.queue_url))?;
        // Per-entry failures come back with HTTP 200: count them; those messages are
        // delivered again, which the handlers tolerate.
        stats.deleted += out.successful().len() as u64;
        stats.delete_failures += out.failed().len() as u64;
    }
    Ok(stats)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg(id: &str) -> Message {
        Message::builder().message_id(id).receipt_handle(format!("rh-{id}")).body("{}").build()
    }

    #[test]
    fn partial_batch_responses_are_read_as_lambda_reads_them() {
        let batch = [msg("a"), msg("b")];
        assert_eq!(failed_ids(&Value::Null, &batch), Some(HashSet::new()));
        assert_eq!(failed_ids(&json!({"batchItemFailures": []}), &batch), Some(HashSet::new()));
        assert_eq!(failed_ids(&json!({"batchItemFailures": [{"itemIdentifier": "b"}]}), &batch), Some(HashSet::from(["b".to_string()])));
        assert_eq!(failed_ids(&json!({"batchItemFailures": [{"itemIdentifier": "zz"}]}), &batch), None, "an unknown id fails the batch");
        assert_eq!(failed_ids(&json!({"batchItemFailures": "b"}), &batch), None);
        assert_eq!(failed_ids(&json!("ok"), &batch), None);
    }

    #[test]
    fn the_event_has_lambdas_shape() {
        let spec = MappingSpec {
            queue_url: "u".into(),
            queue_arn: "arn:aws:sqs:us-east-1:123:q".into(),
            region: "us-east-1".into(),
            batch_size: 10,
        };
        let e = sqs_event(&[msg("a")], &spec);
        let r = &e["Records"][0];
        assert_eq!((r["messageId"].as_str(), r["eventSource"].as_str()), (Some("a"), Some("aws:sqs")));
        assert_eq!(r["eventSourceARN"], "arn:aws:sqs:us-east-1:123:q");
        assert_eq!(r["receiptHandle"], "rh-a");
    }
}
