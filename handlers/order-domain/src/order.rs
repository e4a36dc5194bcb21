//! The order message producers publish, and its validation. A message that fails
//! validation gets an [`Invalid`] naming the field at fault, so a handler can answer
//! 400 with it and `dlq inspect` can show it as the reason.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::fmt;
use std::str::FromStr;

/// SQS and SNS refuse messages larger than 256 KiB.
pub const MAX_MESSAGE_BYTES: usize = 262_144;
const MAX_TEXT: usize = 1_000;
const MAX_ID: usize = 128;
const MAX_QUANTITY: u64 = 100_000;
const MAX_AMOUNT: f64 = 1e12;

/// What a synthetic order is meant to exercise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// Completes.
    Normal,
    /// Above the threshold: failed by rule, then reviewed.
    HighValue,
    /// `notes` contain `FAIL`: a technical failure that ends in the DLQ.
    Fail,
}

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::Normal, Kind::HighValue, Kind::Fail];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Normal => "normal",
            Kind::HighValue => "high-value",
            Kind::Fail => "fail",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Kind {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "normal" => Ok(Kind::Normal),
            "high-value" | "high_value" | "highvalue" => Ok(Kind::HighValue),
            "fail" => Ok(Kind::Fail),
            other => Err(format!("unknown order kind `{other}` (expected normal, high-value or fail)")),
        }
    }
}

/// An order as published to the `orders` topic.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Order {
    pub order_id: String,
    pub customer_name: String,
    pub product: String,
    pub quantity: u64,
    pub amount: f64,
    #[serde(default)]
    pub notes: String,
    pub created_at: String,
    /// The load run that produced the order, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub run_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<Kind>,
    /// When the order was meant to be sent (µs since the epoch): end-to-end latency
    /// is measured from here, so a late send counts against the pipeline.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheduled_at: Option<i64>,
}

impl Order {
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("an order always serialises")
    }
}

/// Why a message is not a valid order.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Invalid {
    #[error("message is {size} bytes, over the {MAX_MESSAGE_BYTES}-byte limit")]
    TooLarge { size: usize },
    #[error("message is not valid UTF-8 (bad byte at offset {offset})")]
    NotUtf8 { offset: usize },
    #[error("message is not JSON: {0}")]
    NotJson(String),
    #[error("message is not a JSON object")]
    NotObject,
    #[error("`{field}` {problem}")]
    Field { field: &'static str, problem: String },
}

impl Invalid {
    /// The field at fault, when there is one.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            Invalid::Field { field, .. } => Some(field),
            _ => None,
        }
    }

    fn field_err(field: &'static str, problem: impl Into<String>) -> Self {
        Invalid::Field { field, problem: problem.into() }
    }
}

/// The message inside an SNS envelope (what a subscription without raw delivery
/// receives); any other body as it is.
pub fn unwrap_envelope(body: &str) -> std::borrow::Cow<'_, str> {
    if body.contains("\"TopicArn\"") {
        if let Ok(Value::Object(map)) = serde_json::from_str::<Value>(body) {
            if map.get("Type").and_then(Value::as_str) == Some("Notification") {
                if let Some(Value::String(inner)) = map.get("Message") {
                    return std::borrow::Cow::Owned(inner.clone());
                }
            }
        }
    }
    std::borrow::Cow::Borrowed(body)
}

/// Why `POST /orders` refused a request: the message, and the field at fault if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub error: String,
    pub field: Option<&'static str>,
}

impl Refusal {
    /// The 400 answer's body: `{"error": …, "field": …}`.
    pub fn to_json(&self) -> Value {
        serde_json::json!({"error": self.error, "field": self.field})
    }
}

/// What `POST /orders` does with a request body, in `create-order` and in `orderctl ui`
/// alike: an empty body is refused, anything else must be a valid new order.
pub fn accept_request(body: &[u8], now: crate::Micros, new_id: impl FnOnce() -> String) -> Result<Order, Refusal> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(Refusal { error: "the request has no body".into(), field: None });
    }
    accept_new(body, now, new_id).map_err(|invalid| Refusal { error: invalid.to_string(), field: invalid.field() })
}

/// A new order as a client submits it (the `create-order` API): the JSON body of the
/// request, validated; `orderId` and `createdAt` are filled in when absent.
pub fn accept_new(body: &[u8], now: crate::Micros, new_id: impl FnOnce() -> String) -> Result<Order, Invalid> {
    let mut map = parse_object(body)?;
    if map.get("orderId").is_none_or(Value::is_null) {
        map.insert("orderId".into(), Value::String(new_id()));
    }
    if map.get("createdAt").is_none_or(Value::is_null) {
        map.insert("createdAt".into(), Value::String(crate::time::rfc3339(now)));
    }
    validate(&map)
}

/// Parses and validates an order message body.
pub fn parse_order(body: &[u8]) -> Result<Order, Invalid> {
    let value = parse_object(body)?;
    validate(&value)
}

/// Parses a message body into a JSON object, checking size and encoding first.
pub fn parse_object(body: &[u8]) -> Result<Map<String, Value>, Invalid> {
    if body.len() > MAX_MESSAGE_BYTES {
        return Err(Invalid::TooLarge { size: body.len() });
    }
    let text = std::str::from_utf8(body).map_err(|e| Invalid::NotUtf8 { offset: e.valid_up_to() })?;
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(Invalid::NotObject),
        Err(e) => Err(Invalid::NotJson(e.to_string())),
    }
}

/// Validates a JSON object as an order, naming the first field at fault.
pub fn validate(map: &Map<String, Value>) -> Result<Order, Invalid> {
    let order_id = text(map, "orderId", MAX_ID, true)?;
    if !order_id.chars().all(|c| c.is_ascii_alphanumeric() || "-_:.#".contains(c)) {
        return Err(Invalid::field_err("orderId", "may hold only letters, digits and - _ : . #"));
    }
    let customer_name = text(map, "customerName", MAX_TEXT, true)?;
    let product = text(map, "product", MAX_TEXT, true)?;
    let quantity = match map.get("quantity") {
        None | Some(Value::Null) => return Err(Invalid::field_err("quantity", "is missing")),
        Some(Value::Number(n)) => match n.as_u64() {
            Some(q) if (1..=MAX_QUANTITY).contains(&q) => q,
            _ => return Err(Invalid::field_err("quantity", format!("must be a whole number from 1 to {MAX_QUANTITY}, got {n}"))),
        },
        Some(other) => return Err(Invalid::field_err("quantity", format!("must be a number, got {}", type_name(other)))),
    };
    let amount = match map.get("amount") {
        None | Some(Value::Null) => return Err(Invalid::field_err("amount", "is missing")),
        Some(Value::Number(n)) => match n.as_f64() {
            Some(a) if a.is_finite() && a < 0.0 => return Err(Invalid::field_err("amount", format!("must not be negative, got {n}"))),
            Some(a) if a.is_finite() && a <= MAX_AMOUNT => a,
            _ => return Err(Invalid::field_err("amount", format!("must be at most {MAX_AMOUNT}, got {n}"))),
        },
        Some(other) => return Err(Invalid::field_err("amount", format!("must be a JSON number, got {}", type_name(other)))),
    };
    let notes = match map.get("notes") {
        None | Some(Value::Null) => String::new(),
        Some(_) => text(map, "notes", MAX_TEXT, false)?,
    };
    let created_at = text(map, "createdAt", 64, true)?;
    if !crate::time::is_rfc3339(&created_at) {
        return Err(Invalid::field_err("createdAt", format!("must be an RFC 3339 timestamp, got `{created_at}`")));
    }
    let run_id = match map.get("runId") {
        None | Some(Value::Null) => None,
        Some(_) => Some(text(map, "runId", MAX_ID, true)?),
    };
    let kind = match map.get("kind") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.parse::<Kind>().map_err(|e| Invalid::field_err("kind", e))?),
        Some(other) => return Err(Invalid::field_err("kind", format!("must be a string, got {}", type_name(other)))),
    };
    let scheduled_at = match map.get("scheduledAt") {
        None | Some(Value::Null) => None,
        Some(Value::Number(n)) if n.as_i64().is_some_and(|v| v >= 0) => n.as_i64(),
        Some(other) => return Err(Invalid::field_err("scheduledAt", format!("must be microseconds since the epoch, got {other}"))),
    };
    Ok(Order { order_id, customer_name, product, quantity, amount, notes, created_at, run_id, kind, scheduled_at })
}

fn text(map: &Map<String, Value>, field: &'static str, max: usize, required: bool) -> Result<String, Invalid> {
    match map.get(field) {
        None | Some(Value::Null) => Err(Invalid::field_err(field, "is missing")),
        Some(Value::String(s)) if required && s.trim().is_empty() => Err(Invalid::field_err(field, "must not be empty")),
        Some(Value::String(s)) if s.chars().count() > max => Err(Invalid::field_err(field, format!("must be at most {max} characters"))),
        Some(Value::String(s)) => Ok(s.clone()),
        Some(other) => Err(Invalid::field_err(field, format!("must be a string, got {}", type_name(other)))),
    }
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn good() -> Value {
        json!({"orderId": "o-1", "customerName": "Ada", "product": "Headphones", "quantity": 2,
               "amount": 149.5, "notes": "", "createdAt": "2026-11-22T10:00:00Z"})
    }

    fn check(v: Value) -> Result<Order, Invalid> {
        parse_order(v.to_string().as_bytes())
    }

    #[test]
    fn accepts_a_valid_order_and_round_trips() {
        let o = check(good()).unwrap();
        assert_eq!(o.quantity, 2);
        assert_eq!(parse_order(o.to_json().as_bytes()).unwrap(), o);
    }

    #[test]
    fn names_the_field_at_fault() {
        let cases: &[(&str, Value, &str)] = &[
            ("orderId", Value::Null, "orderId"),
            ("amount", json!("12"), "amount"),
            ("amount", json!(-1), "amount"),
            ("quantity", json!(0), "quantity"),
            ("quantity", json!(1.5), "quantity"),
            ("customerName", json!("  "), "customerName"),
            ("createdAt", json!("tomorrow"), "createdAt"),
            ("kind", json!("huge"), "kind"),
            ("notes", json!(7), "notes"),
        ];
        for (field, value, expected) in cases {
            let mut v = good();
            if value.is_null() {
                v.as_object_mut().unwrap().remove(*field);
            } else {
                v[*field] = value.clone();
            }
            let err = check(v).unwrap_err();
            assert_eq!(err.field(), Some(*expected), "{field}: {err}");
        }
    }

    #[test]
    fn a_new_order_gets_an_id_and_a_time() {
        let body = br#"{"customerName":"Ada","product":"Desk","quantity":1,"amount":250}"#;
        let o = accept_new(body, 1_700_000_000_000_000, || "new-1".into()).unwrap();
        assert_eq!((o.order_id.as_str(), o.created_at.as_str()), ("new-1", "2023-11-14T22:13:20.000Z"));
        let bad = accept_new(br#"{"customerName":"Ada","product":"Desk","quantity":1,"amount":"250"}"#, 0, || "x".into());
        assert_eq!(bad.unwrap_err().field(), Some("amount"));
    }

    #[test]
    fn envelopes_are_unwrapped_and_other_bodies_kept() {
        let inner = r#"{"orderId":"o-1"}"#;
        let envelope = serde_json::json!({"Type": "Notification", "TopicArn": "arn:x", "Message": inner}).to_string();
        assert_eq!(unwrap_envelope(&envelope), inner);
        assert_eq!(unwrap_envelope(inner), inner);
        assert_eq!(unwrap_envelope("not json \"TopicArn\""), "not json \"TopicArn\"");
    }

    #[test]
    fn rejects_bodies_that_are_not_orders() {
        assert!(matches!(parse_order(b"not json"), Err(Invalid::NotJson(_))));
        assert_eq!(parse_order(b"[1,2]"), Err(Invalid::NotObject));
        assert!(matches!(parse_order(&[0x7b, 0xff, 0x7d]), Err(Invalid::NotUtf8 { offset: 1 })));
        let big = vec![b' '; MAX_MESSAGE_BYTES + 1];
        assert!(matches!(parse_order(&big), Err(Invalid::TooLarge { .. })));
    }
}
