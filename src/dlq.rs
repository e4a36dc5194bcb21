//! What both targets share to operate a dead-letter queue: which messages a redrive
//! selects, how it repairs them, what became of the orders it moved, and the reports
//! of `dlq inspect`, `redrive` and `purge`.

use order_domain::{parse_order, unwrap_envelope, Kind, Micros, Order};
use serde::Serialize;
use serde_json::Value;

/// Which dead letters a redrive moves. Empty: all of them.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub order_id: Option<String>,
    pub kind: Option<Kind>,
    /// Text the failure reason must contain.
    pub reason: Option<String>,
    pub limit: Option<usize>,
}

impl Selection {
    /// Whether it picks messages out (and so needs a client-side move on SQS).
    pub fn is_selective(&self) -> bool {
        self.order_id.is_some() || self.kind.is_some() || self.reason.is_some() || self.limit.is_some()
    }

    /// Whether the message with this body and failure reason is selected (the limit
    /// aside).
    pub fn matches(&self, body: &str, reason: &str) -> bool {
        let order = order_of(body);
        self.order_id.as_ref().is_none_or(|id| order.as_ref().is_some_and(|o| &o.order_id == id))
            && self.kind.is_none_or(|k| order.as_ref().is_some_and(|o| o.kind == Some(k)))
            && self.reason.as_ref().is_none_or(|text| reason.contains(text.as_str()))
    }
}

/// The order a message holds, raw or in an SNS envelope; `None` for a malformed one.
pub fn order_of(body: &str) -> Option<Order> {
    parse_order(unwrap_envelope(body).as_bytes()).ok()
}

/// The body with the order's `notes` set to `notes` (a redrive that repairs what made
/// the orders fail); `None` when the body is not an order object.
pub fn with_notes(body: &str, notes: &str) -> Option<String> {
    let unwrapped = unwrap_envelope(body);
    let mut value: Value = serde_json::from_str(&unwrapped).ok()?;
    value.as_object_mut()?.insert("notes".into(), Value::String(notes.to_string()));
    Some(value.to_string())
}

/// What became of the orders a redrive moved, once the pipeline had them again.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Followed {
    pub completed: u64,
    pub failed_by_rule: u64,
    /// Failed again and are back in the DLQ (or on their way there).
    pub back_in_dlq: u64,
    /// Still being processed when the wait ran out.
    pub processing: u64,
    /// Moved messages that hold no valid order, so cannot be followed.
    pub not_orders: u64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use order_domain::{synthesize, Rules};

    #[test]
    fn selection_and_repair() {
        let order = synthesize(Kind::Fail, 7, "run", 0, &Rules::default());
        let body = order.to_json();
        assert!(Selection::default().matches(&body, "anything"));
        assert!(!Selection::default().is_selective());
        let by_kind = Selection { kind: Some(Kind::Fail), ..Selection::default() };
        assert!(by_kind.matches(&body, "x") && by_kind.is_selective());
        assert!(!Selection { kind: Some(Kind::Normal), ..Selection::default() }.matches(&body, "x"));
        assert!(Selection { reason: Some("FAIL".into()), ..Selection::default() }.matches(&body, "notes contain `FAIL`"));
        assert!(!Selection { order_id: Some("other".into()), ..Selection::default() }.matches(&body, ""));
        assert!(!by_kind.matches("not json", ""), "a malformed message has no kind");

        let repaired = with_notes(&body, "fixed").unwrap();
        let back = order_of(&repaired).unwrap();
        assert_eq!((back.order_id, back.notes.as_str()), (order.order_id, "fixed"));
        assert_eq!(with_notes("[1]", "x"), None);
    }
}

/// One dead letter as `dlq inspect` lists it.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DeadLetter {
    pub message_id: String,
    pub order_id: Option<String>,
    pub kind: Option<String>,
    pub amount: Option<f64>,
    pub receive_count: u32,
    pub age_seconds: f64,
    pub in_dlq_seconds: Option<f64>,
    pub source_queue: Option<String>,
    pub reason: String,
}

/// What `dlq inspect` found.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InspectReport {
    pub schema: &'static str,
    pub queue: String,
    pub depth: u64,
    pub shown: usize,
    pub by_reason: Vec<(String, usize)>,
    pub messages: Vec<DeadLetter>,
}

/// What `dlq redrive` moved (or, in a dry run, would move).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RedriveReport {
    pub schema: &'static str,
    pub target: &'static str,
    /// The DLQ's name.
    #[serde(skip)]
    pub queue: String,
    /// `transaction` (local), `message-move-task` or `client-side` (SQS).
    pub method: String,
    pub dry_run: bool,
    /// What a dry run would move.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub would_move: Vec<DeadLetter>,
    pub moved: u64,
    /// Selected, but the send failed: still in the DLQ.
    pub failed: u64,
    /// Sent, but the delete from the DLQ failed: these will be processed twice.
    pub not_deleted: u64,
    /// Ctrl-C stopped the move before it finished.
    pub interrupted: bool,
    pub dlq_depth_after: u64,
    pub seconds: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub followed: Option<Followed>,
}

impl RedriveReport {
    pub fn new(target: &'static str, queue: String, method: &str, dry_run: bool) -> Self {
        RedriveReport {
            schema: "orderctl/dlq-redrive/v1",
            target,
            queue,
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

/// What `dlq purge` deleted.
#[derive(Debug, Serialize)]
pub struct PurgeReport {
    pub schema: &'static str,
    pub deleted: u64,
    /// The DLQ's name.
    #[serde(skip)]
    pub queue: String,
    /// SQS finishes a purge in the background (up to 60 s); local deletes at once.
    #[serde(skip)]
    pub eventual: bool,
}

/// Seconds from `from` to `to`, to a tenth.
pub fn secs(from: Micros, to: Micros) -> f64 {
    ((to - from).max(0) as f64 / 1e6 * 10.0).round() / 10.0
}

/// A dead letter from its message: the order's fields when the body holds one.
pub fn dead_letter(message_id: String, body: &str, receive_count: u32, age_seconds: f64, reason: String) -> DeadLetter {
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

/// The inspect report of `letters`: all of them grouped by reason, `limit` listed.
pub fn inspect_report(queue: String, depth: u64, mut letters: Vec<DeadLetter>, limit: usize) -> InspectReport {
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

/// The `orderId` of a message body (raw, or in SNS's envelope), even when the order is
/// not valid.
pub fn order_id_of(body: &str) -> Option<String> {
    let v: serde_json::Value = serde_json::from_str(order_domain::unwrap_envelope(body).as_ref()).ok()?;
    v.get("orderId")?.as_str().map(str::to_string)
}
