//! SNS topics: a publish fans out to every subscription — SQS queues with raw delivery
//! or the JSON envelope, and, for notification topics, the local notification log
//! (where e-mail would go on AWS).

use super::sqs::{self, QueueConfig};
use super::Topology;
use crate::spec::Endpoint;
use anyhow::{Context, Result};
use order_domain::{rfc3339, Micros};
use rusqlite::{params, Connection};
use serde_json::json;
use std::fmt::Write;

/// Publishes each body to `topic`; returns the number of deliveries made.
pub fn publish(c: &Connection, topology: &Topology, topic: &str, subject: Option<&str>, bodies: &[&str], now: Micros) -> Result<usize> {
    let subscriptions = topology.topics.get(topic).with_context(|| format!("topic `{topic}` does not exist in this stack"))?;
    // As SNS: a message over 256 KiB is refused at publish, before anyone sees it.
    if let Some(big) = bodies.iter().find(|b| b.len() > order_domain::MAX_MESSAGE_BYTES) {
        anyhow::bail!("InvalidParameter: the message is {} bytes, over SNS's {}-byte limit", big.len(), order_domain::MAX_MESSAGE_BYTES);
    }
    let mut deliveries = 0;
    let mut logged = false;
    // Each body's order id and deliveries to queues (`{"queue":…,"messageId":…}`), for
    // its `published` hop: written as text, not built as JSON values, on this hot path.
    let mut delivered: Vec<(Option<String>, String)> = vec![(None, String::new()); bodies.len()];
    for endpoint in subscriptions {
        match endpoint {
            Endpoint::Sqs { queue, raw_delivery } => {
                let q: &QueueConfig = topology.queue(queue)?;
                let sent = if *raw_delivery {
                    sqs::send_keyed(c, q, bodies.iter().copied(), now)?
                } else {
                    let envelopes: Vec<String> = bodies.iter().map(|b| envelope(topic, subject, b, now)).collect();
                    let mut sent =
                        sqs::send(c, q, envelopes.iter().map(String::as_str), now)?.into_iter().map(|id| (id, None)).collect::<Vec<_>>();
                    for ((_, order), body) in sent.iter_mut().zip(bodies) {
                        *order = sqs::order_id_of(body);
                    }
                    sent
                };
                for ((order, list), (id, order_id)) in delivered.iter_mut().zip(sent) {
                    if !list.is_empty() {
                        list.push(',');
                    }
                    // Queue names are the stack's (letters, digits, `-`), ids UUIDs: no escaping.
                    let _ = write!(list, r#"{{"queue":"{queue}","messageId":"{id}"}}"#);
                    if order.is_none() {
                        *order = order_id;
                    }
                }
                deliveries += bodies.len();
            }
            Endpoint::Email { address } => {
                log(c, topic, &format!("email:{address}"), subject, bodies, now)?;
                deliveries += bodies.len();
                logged = true;
            }
        }
    }
    if !logged && !subscriptions.iter().any(|e| matches!(e, Endpoint::Sqs { .. })) {
        // A notification topic with no one subscribed: keep what was said where the
        // user can read it (`orderctl status`, `alerts.log`).
        log(c, topic, "log", subject, bodies, now)?;
    }
    // One hop per order: published, and where SNS delivered it. (An order published to
    // a topic without queues is not traced.)
    for (order_id, list) in delivered {
        if let Some(order_id) = order_id {
            let detail = format!(r#"{{"topic":"{topic}","messageId":"{}","deliveries":[{list}]}}"#, sqs::new_message_id());
            super::hops::record_text(c, &order_id, now, "published", &detail)?;
        }
    }
    Ok(deliveries)
}

fn log(c: &Connection, topic: &str, endpoint: &str, subject: Option<&str>, bodies: &[&str], now: Micros) -> Result<()> {
    let mut stmt = c.prepare_cached("INSERT INTO notifications(topic, endpoint, at, subject, message) VALUES (?1, ?2, ?3, ?4, ?5)")?;
    for body in bodies {
        stmt.execute(params![topic, endpoint, now, subject, body])?;
    }
    Ok(())
}

/// The envelope SNS wraps a message in when raw delivery is off.
pub fn envelope(topic: &str, subject: Option<&str>, message: &str, now: Micros) -> String {
    json!({
        "Type": "Notification",
        "MessageId": sqs::new_message_id(),
        "TopicArn": format!("arn:aws:sns:local:000000000000:{topic}"),
        "Subject": subject,
        "Message": message,
        "Timestamp": rfc3339(now),
        "SignatureVersion": "1",
    })
    .to_string()
}
