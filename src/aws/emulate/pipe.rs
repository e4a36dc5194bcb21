//! An EventBridge Pipe from a DynamoDB stream to an SQS queue, emulated against any
//! endpoint that serves DynamoDB Streams (moto stores pipes but forwards nothing):
//! read each shard in order, build the record EventBridge sees, apply the pipe's
//! filter and input template — the same matcher and renderer the local engine uses —
//! and send what passes to the target.

use crate::pattern::{matches, render_template};
use anyhow::{Context, Result};
use aws_sdk_dynamodbstreams::types::{AttributeValue, Record, ShardIteratorType};
use serde::Serialize;
use serde_json::{json, Map, Value};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// The deployed pipe, as `DescribePipe` reports it.
#[derive(Debug, Clone)]
pub struct PipeSpec {
    pub name: String,
    pub stream_arn: String,
    pub filter: Option<Value>,
    pub input_template: Option<String>,
    pub target_queue_url: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PipeStats {
    pub records: u64,
    pub matched: u64,
    pub sent: u64,
}

/// A stream attribute value in DynamoDB JSON (`{"S": "x"}`, `{"N": "15000"}`, …).
pub fn attribute_json(v: &AttributeValue) -> Value {
    use base64::Engine as _;
    let b64 = |b: &aws_sdk_dynamodbstreams::primitives::Blob| base64::engine::general_purpose::STANDARD.encode(b.as_ref());
    match v {
        AttributeValue::S(s) => json!({ "S": s }),
        AttributeValue::N(n) => json!({ "N": n }),
        AttributeValue::B(b) => json!({ "B": b64(b) }),
        AttributeValue::Bool(b) => json!({ "BOOL": b }),
        AttributeValue::Null(_) => json!({ "NULL": true }),
        AttributeValue::Ss(s) => json!({ "SS": s }),
        AttributeValue::Ns(n) => json!({ "NS": n }),
        AttributeValue::Bs(bs) => json!({ "BS": bs.iter().map(b64).collect::<Vec<_>>() }),
        AttributeValue::L(l) => json!({ "L": l.iter().map(attribute_json).collect::<Vec<_>>() }),
        AttributeValue::M(m) => json!({ "M": image(m) }),
        _ => Value::Null,
    }
}

fn image(m: &HashMap<String, AttributeValue>) -> Value {
    Value::Object(m.iter().map(|(k, v)| (k.clone(), attribute_json(v))).collect())
}

/// The event a pipe's filter and template see for one stream record.
pub fn stream_event(r: &Record, stream_arn: &str) -> Value {
    let mut dynamodb = Map::new();
    if let Some(s) = r.dynamodb() {
        if let Some(t) = s.approximate_creation_date_time() {
            dynamodb.insert("ApproximateCreationDateTime".into(), json!(t.secs()));
        }
        if let Some(k) = s.keys() {
            dynamodb.insert("Keys".into(), image(k));
        }
        if let Some(n) = s.new_image() {
            dynamodb.insert("NewImage".into(), image(n));
        }
        if let Some(o) = s.old_image() {
            dynamodb.insert("OldImage".into(), image(o));
        }
        dynamodb.insert("SequenceNumber".into(), json!(s.sequence_number()));
        dynamodb.insert("SizeBytes".into(), json!(s.size_bytes()));
        dynamodb.insert("StreamViewType".into(), json!(s.stream_view_type().map(|v| v.as_str())));
    }
    json!({
        "eventID": r.event_id(),
        "eventName": r.event_name().map(|e| e.as_str()),
        "eventVersion": r.event_version(),
        "eventSource": r.event_source(),
        "awsRegion": r.aws_region(),
        "eventSourceARN": stream_arn,
        "dynamodb": Value::Object(dynamodb),
    })
}

/// The stream's shard ids. A stream lists its shards in pages (the SDK has no
/// paginator for `DescribeStream`): every page is read.
async fn shard_ids(streams: &aws_sdk_dynamodbstreams::Client, arn: &str) -> Result<Vec<String>> {
    let (mut ids, mut after) = (Vec::new(), None);
    loop {
        let page = streams.describe_stream().stream_arn(arn).set_exclusive_start_shard_id(after.take()).send().await?;
        let Some(description) = page.stream_description() else { break };
        ids.extend(description.shards().iter().filter_map(|s| s.shard_id().map(str::to_string)));
        match description.last_evaluated_shard_id() {
            Some(last) => after = Some(last.to_string()),
            None => break,
        }
    }
    Ok(ids)
}

/// Every record of the stream about `order_id`, as the pipe's filter sees it, read from
/// the trim horizon (24 hours back) with at most `max_calls` `GetRecords`; and whether
/// the read reached the end of every shard. A trace reads this; nothing is consumed.
pub async fn order_history(
    streams: &aws_sdk_dynamodbstreams::Client,
    stream_arn: &str,
    order_id: &str,
    max_calls: usize,
) -> Result<(Vec<Value>, bool)> {
    let (mut out, mut calls, mut complete) = (Vec::new(), 0, true);
    for id in shard_ids(streams, stream_arn).await.context("describing the table's stream")? {
        let it = streams
            .get_shard_iterator()
            .stream_arn(stream_arn)
            .shard_id(id)
            .shard_iterator_type(ShardIteratorType::TrimHorizon)
            .send()
            .await?;
        let mut iterator = it.shard_iterator().map(str::to_string);
        while let Some(it) = iterator.take() {
            if calls >= max_calls {
                complete = false;
                break;
            }
            calls += 1;
            let records = streams.get_records().shard_iterator(it).limit(1000).send().await.context("reading the table's stream")?;
            for r in records.records() {
                let event = stream_event(r, stream_arn);
                if event["dynamodb"]["Keys"]["orderId"]["S"] == order_id {
                    out.push(event);
                }
            }
            // An open shard read to its end answers with no records.
            if !records.records().is_empty() {
                iterator = records.next_shard_iterator().map(str::to_string);
            }
        }
    }
    Ok((out, complete))
}

/// The pipe's position in each shard of its stream.
pub struct Reader {
    spec: PipeSpec,
    iterators: HashMap<String, Option<String>>,
}

impl Reader {
    /// Starts at the end of every open shard, as a pipe starting at `LATEST` does:
    /// open the reader before anything writes the records it must see.
    pub async fn open(streams: &aws_sdk_dynamodbstreams::Client, spec: PipeSpec) -> Result<Reader> {
        let mut reader = Reader { spec, iterators: HashMap::new() };
        reader.discover(streams, ShardIteratorType::Latest).await?;
        Ok(reader)
    }

    /// Adds the shards not seen yet, positioned by `kind`.
    async fn discover(&mut self, streams: &aws_sdk_dynamodbstreams::Client, kind: ShardIteratorType) -> Result<()> {
        let arn = &self.spec.stream_arn;
        for id in shard_ids(streams, arn).await.context("describing the pipe's stream")? {
            if self.iterators.contains_key(&id) {
                continue;
            }
            let it = streams.get_shard_iterator().stream_arn(arn).shard_id(&id).shard_iterator_type(kind.clone()).send().await?;
            self.iterators.insert(id, it.shard_iterator().map(str::to_string));
        }
        Ok(())
    }

    /// Forwards until `stop` is set, or until no record has come for `idle`. Shards
    /// that appear after `open` are read from their start.
    pub async fn run(
        mut self,
        streams: &aws_sdk_dynamodbstreams::Client,
        sqs: &aws_sdk_sqs::Client,
        stop: &AtomicBool,
        idle: Option<Duration>,
    ) -> Result<PipeStats> {
        let mut stats = PipeStats::default();
        let mut last_work = Instant::now();
        while !stop.load(Ordering::Relaxed) {
            self.discover(streams, ShardIteratorType::TrimHorizon).await?;
            let spec = &self.spec;
            let mut got = 0;
            for iterator in self.iterators.values_mut() {
                let Some(it) = iterator.clone() else { continue };
                let out = streams.get_records().shard_iterator(it).limit(100).send().await.context("reading the pipe's stream")?;
                *iterator = out.next_shard_iterator().map(str::to_string);
                for record in out.records() {
                    got += 1;
                    stats.records += 1;
                    let event = stream_event(record, &spec.stream_arn);
                    if spec.filter.as_ref().is_some_and(|f| !matches(f, &event)) {
                        continue;
                    }
                    stats.matched += 1;
                    let body = match &spec.input_template {
                        Some(t) => render_template(t, &event),
                        None => event.to_string(),
                    };
                    sqs.send_message()
                        .queue_url(&spec.target_queue_url)
                        .message_body(body)
                        .send()
                        .await
                        .context("sending to the pipe's target")?;
                    stats.sent += 1;
                }
            }
            if got > 0 {
                last_work = Instant::now();
            } else if idle.is_some_and(|i| last_work.elapsed() >= i) {
                break;
            } else {
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        }
        Ok(stats)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_dynamodbstreams::types::{OperationType, StreamRecord};

    #[test]
    fn a_stream_record_reads_as_eventbridge_sees_it_and_the_filter_applies() {
        let new = HashMap::from([
            ("orderId".to_string(), AttributeValue::S("r-1".into())),
            ("amount".to_string(), AttributeValue::N("15000".into())),
            ("tier".to_string(), AttributeValue::S("high-value".into())),
            ("status".to_string(), AttributeValue::S("FAILED".into())),
        ]);
        let record = Record::builder()
            .event_name(OperationType::Insert)
            .dynamodb(StreamRecord::builder().set_new_image(Some(new)).sequence_number("1").build())
            .build();
        let event = stream_event(&record, "arn:aws:dynamodb:us-east-1:1:table/t/stream/x");
        assert_eq!(event["dynamodb"]["NewImage"]["amount"], json!({"N": "15000"}));
        assert!(matches(&crate::spec::pipe_filter(), &event));
        assert!(!matches(&json!({"dynamodb": {"NewImage": {"amount": {"N": [{"numeric": [">", 10000]}]}}}}), &event));
        let body: Value = serde_json::from_str(&render_template(&crate::spec::pipe_input_template(), &event)).unwrap();
        assert_eq!((body["orderId"].as_str(), body["amount"].as_str()), (Some("r-1"), Some("15000")));
    }
}
