//! The high-value review: what `high-value-worker` decides about an order the pipe
//! routed to it, from the message the pipe's input template produced.

use crate::order::{parse_object, Invalid};
use crate::time::{rfc3339, Micros};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The pipe's output: a DynamoDB stream record reshaped by its input template, so
/// numbers may arrive as strings (DynamoDB's `N` type is a string on the wire).
#[derive(Debug, Clone, PartialEq)]
pub struct HighValueMessage {
    pub order_id: String,
    pub amount: f64,
    pub quantity: u64,
    pub customer_name: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// Legitimate and valuable: fast-track it.
    Priority,
    /// A person has to look at it.
    ManualReview,
    /// Too risky to fulfil.
    Reject,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Review {
    pub verdict: Verdict,
    /// Fraud risk, 0–100.
    pub score: u32,
    pub reasons: Vec<String>,
    pub reviewed_at: String,
}

pub fn parse_high_value(body: &[u8]) -> Result<HighValueMessage, Invalid> {
    let map = parse_object(body)?;
    let field = |name: &'static str| map.get(name).ok_or(Invalid::Field { field: name, problem: "is missing".into() });
    let number = |name: &'static str| -> Result<f64, Invalid> {
        let bad = |v: &Value| Invalid::Field { field: name, problem: format!("must be a number or a numeric string, got {v}") };
        match field(name)? {
            Value::Number(n) => n.as_f64().ok_or_else(|| bad(&Value::Number(n.clone()))),
            Value::String(s) => s.trim().parse::<f64>().ok().filter(|f| f.is_finite()).ok_or_else(|| bad(&Value::String(s.clone()))),
            other => Err(bad(other)),
        }
    };
    let string = |name: &'static str| -> Result<String, Invalid> {
        match field(name)? {
            Value::String(s) if !s.is_empty() => Ok(s.clone()),
            other => Err(Invalid::Field { field: name, problem: format!("must be a non-empty string, got {other}") }),
        }
    };
    let quantity = number("quantity")?;
    if quantity < 1.0 || quantity.fract() != 0.0 {
        return Err(Invalid::Field { field: "quantity", problem: format!("must be a whole number of at least 1, got {quantity}") });
    }
    Ok(HighValueMessage {
        order_id: string("orderId")?,
        amount: number("amount")?,
        quantity: quantity as u64,
        customer_name: string("customerName")?,
    })
}

/// Scores an order's risk from its size and shape; deterministic, so a redelivered
/// message gets the same verdict.
pub fn review(msg: &HighValueMessage, now: Micros) -> Review {
    let mut score = 10u32;
    let mut reasons = Vec::new();
    if msg.amount > 50_000.0 {
        score += 60;
        reasons.push(format!("amount {:.2} is above 50,000", msg.amount));
    } else if msg.amount > 25_000.0 {
        score += 35;
        reasons.push(format!("amount {:.2} is above 25,000", msg.amount));
    } else {
        reasons.push(format!("amount {:.2} is within the usual high-value range", msg.amount));
    }
    if msg.quantity >= 10 {
        score += 25;
        reasons.push(format!("bulk quantity {}", msg.quantity));
    }
    let verdict = match score {
        0..=39 => Verdict::Priority,
        40..=79 => Verdict::ManualReview,
        _ => Verdict::Reject,
    };
    Review { verdict, score: score.min(100), reasons, reviewed_at: rfc3339(now) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_pipe_shape_with_string_numbers() {
        let body = br#"{"orderId":"r-1","amount":"15000","quantity":"2","customerName":"Ada"}"#;
        let m = parse_high_value(body).unwrap();
        assert_eq!((m.amount, m.quantity), (15000.0, 2));
        assert_eq!(review(&m, 0).verdict, Verdict::Priority);
        let big = HighValueMessage { amount: 60_000.0, quantity: 12, ..m };
        let r = review(&big, 0);
        assert_eq!((r.verdict, r.score), (Verdict::Reject, 95));
    }

    #[test]
    fn names_the_bad_field() {
        let err = parse_high_value(br#"{"orderId":"r-1","amount":"lots","quantity":1,"customerName":"A"}"#).unwrap_err();
        assert_eq!(err.field(), Some("amount"));
    }
}
