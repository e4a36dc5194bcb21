//! What both targets share to operate a dead-letter queue: which messages a redrive
//! selects, how it repairs them, and what became of the orders it moved.

use order_domain::{parse_order, unwrap_envelope, Kind, Order};
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
