//! The handlers' log lines: one JSON object per event worth a line, with `level`,
//! `message` and the ids a person searches by (`orderId`, `messageId`). The Lambda
//! functions print them on stderr, which CloudWatch Logs keeps; the local engine keeps
//! the same lines in the stack's database. So `orderctl logs` and `orderctl trace` read
//! the same words on both targets, from one place that writes them.

use crate::record::{OrderRecord, Receive, Status};
use crate::review::Review;
use serde_json::{json, Map, Value};

/// A log line: `level`, `message`, then `fields`.
pub fn line(level: &str, message: &str, fields: Value) -> Value {
    let mut line = Map::new();
    line.insert("level".into(), level.into());
    line.insert("message".into(), message.into());
    if let Value::Object(extra) = fields {
        line.extend(extra);
    }
    Value::Object(line)
}

/// What the worker's write of `record` for message `message_id` came to.
pub fn worker_wrote(record: &OrderRecord, message_id: &str, receive: Receive) -> Value {
    let mut fields = json!({
        "orderId": record.order.order_id,
        "messageId": message_id,
        "receiveCount": receive.count,
        "attempts": record.attempts,
    });
    let (level, message) = match record.status {
        Status::Completed => ("info", "completed"),
        Status::Failed => {
            fields["reason"] = record.failure_reason.clone().unwrap_or_default().into();
            ("info", "failed by rule")
        }
        Status::Retrying => {
            fields["error"] = record.last_error.clone().unwrap_or_default().into();
            ("warn", "technical failure: retried")
        }
        Status::DeadLettered => {
            fields["error"] = record.last_error.clone().unwrap_or_default().into();
            fields["maxReceiveCount"] = receive.max.into();
            ("error", "technical failure on the last receive: dead-lettered")
        }
    };
    line(level, message, fields)
}

/// A delivery of an order that has already settled: deleted, changing nothing.
pub fn duplicate(order_id: &str, message_id: &str, status: Status) -> Value {
    line("info", "duplicate delivery of a settled order: deleted", json!({"orderId": order_id, "messageId": message_id, "status": status}))
}

/// A message that is not a valid order (or high-value message): retried, then
/// dead-lettered, never dropped.
pub fn malformed(what: &str, message_id: &str, reason: &str) -> Value {
    line("error", &format!("malformed {what}: retried, then dead-lettered"), json!({"messageId": message_id, "reason": reason}))
}

/// The high-value worker's review of an order.
pub fn reviewed(order_id: &str, message_id: &str, review: &Review) -> Value {
    line("info", "reviewed", json!({"orderId": order_id, "messageId": message_id, "verdict": review.verdict, "score": review.score}))
}

/// A routed order the table does not hold (yet): retried.
pub fn not_in_table(order_id: &str, message_id: &str) -> Value {
    line("warn", "order not in the table yet: retried", json!({"orderId": order_id, "messageId": message_id}))
}

/// `create-order` accepted an order and published it.
pub fn created(order_id: &str, message_id: &str) -> Value {
    line("info", "order created", json!({"orderId": order_id, "messageId": message_id}))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{decide, Rules};
    use crate::synth::synthesize;
    use crate::{next_record, Kind};

    #[test]
    fn each_outcome_has_its_level_and_the_order_id() {
        let rules = Rules::default();
        let expect = [
            (Kind::Normal, 1, "info", "completed"),
            (Kind::HighValue, 1, "info", "failed by rule"),
            (Kind::Fail, 1, "warn", "technical failure: retried"),
            (Kind::Fail, 3, "error", "technical failure on the last receive: dead-lettered"),
        ];
        for (kind, count, level, message) in expect {
            let order = synthesize(kind, 1, "run", 0, &rules);
            let receive = Receive { count, max: Some(3) };
            let record = next_record(None, &order, &decide(&order, &rules), rules.high_value_threshold, receive, 1).unwrap();
            let l = worker_wrote(&record, "m-1", receive);
            assert_eq!((l["level"].as_str(), l["message"].as_str()), (Some(level), Some(message)), "{l}");
            assert_eq!(
                (l["orderId"].as_str(), l["messageId"].as_str(), &l["receiveCount"]),
                (Some(order.order_id.as_str()), Some("m-1"), &json!(count))
            );
        }
        assert_eq!(line("warn", "m", json!({"a": 1})), json!({"level": "warn", "message": "m", "a": 1}));
    }
}
