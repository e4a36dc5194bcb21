//! The worker's business rules (REFERENCE §3), as a pure decision over one order.

use crate::order::Order;
use serde::{Deserialize, Serialize};

/// The rules' settings.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Rules {
    /// Orders with an amount strictly above this fail by rule and go to review.
    pub high_value_threshold: f64,
}

impl Default for Rules {
    fn default() -> Self {
        Rules { high_value_threshold: 10_000.0 }
    }
}

/// What the worker does with one order.
#[derive(Debug, Clone, PartialEq)]
pub enum Decision {
    /// A transient, technical failure: the record fails and SQS retries it.
    TechnicalFailure(String),
    /// A business-rule failure: final, never retried.
    RejectedByRule(String),
    Complete,
}

pub fn decide(order: &Order, rules: &Rules) -> Decision {
    if order.notes.contains("FAIL") {
        return Decision::TechnicalFailure("order notes contain `FAIL`: simulated technical failure in order-worker".into());
    }
    if order.amount > rules.high_value_threshold {
        return Decision::RejectedByRule(format!(
            "amount {:.2} exceeds the high-value threshold {:.2}: held for review",
            order.amount, rules.high_value_threshold
        ));
    }
    Decision::Complete
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::synth::synthesize;
    use crate::Kind;

    #[test]
    fn fail_notes_win_over_amount_and_threshold_is_strict() {
        let rules = Rules::default();
        let mut o = synthesize(Kind::HighValue, 1, "r", 0, &rules);
        o.notes = "please FAIL".into();
        assert!(matches!(decide(&o, &rules), Decision::TechnicalFailure(_)));
        o.notes.clear();
        assert!(matches!(decide(&o, &rules), Decision::RejectedByRule(_)));
        o.amount = 10_000.0;
        assert_eq!(decide(&o, &rules), Decision::Complete);
        o.amount = 10_000.01;
        assert!(matches!(decide(&o, &rules), Decision::RejectedByRule(_)));
        o.notes = "fail in lower case is not a failure".into();
        assert!(matches!(decide(&o, &rules), Decision::RejectedByRule(_)));
    }
}
