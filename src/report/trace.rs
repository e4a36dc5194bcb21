//! The report of `orderctl trace ORDER_ID`: one order's steps through the pipeline in
//! time order, with the gap from each step to the one before; where the order is now;
//! and the log lines of every function that mention it. Both targets build it from
//! their own sources and hand it the steps in any order.

use crate::logs::LogEvent;
use order_domain::{rfc3339, Micros, OrderRecord, Status};
use serde::Serialize;
use serde_json::Value;

pub const TRACE_SCHEMA: &str = "orderctl/trace/v1";

/// One step of an order's way.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Step {
    pub at: String,
    #[serde(skip)]
    pub at_micros: Micros,
    /// Milliseconds since the step before (`None` for the first).
    pub gap_ms: Option<f64>,
    /// `scheduled`, `published`, `delivered`, `received`, `processed`, `dead-lettered`,
    /// `redriven`, `written`, `pipe`, `reviewed`, `alarm`.
    pub step: String,
    /// Where the step was seen: `engine`, `table`, `stream`, `dlq`, `logs`, `alarm`, or
    /// a function's name for its log line.
    pub source: String,
    pub detail: String,
    #[serde(skip_serializing_if = "Value::is_null")]
    pub fields: Value,
}

impl Step {
    pub fn new(at: Micros, step: &str, source: &str, detail: String, fields: Value) -> Step {
        Step { at: rfc3339(at), at_micros: at, gap_ms: None, step: step.into(), source: source.into(), detail, fields }
    }
}

/// Where the order is now.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Whereabouts {
    pub status: Status,
    pub attempts: u32,
    /// In plain words: "settled", "in the DLQ (`q`)", "in queue `q`", …
    pub place: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failure_reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub review: Option<String>,
}

impl Whereabouts {
    pub fn of(record: &OrderRecord, place: String) -> Whereabouts {
        Whereabouts {
            status: record.status,
            attempts: record.attempts,
            place,
            failure_reason: record.failure_reason.clone(),
            last_error: record.last_error.clone(),
            review: record.review.as_ref().map(|r| {
                let verdict = serde_json::to_value(r.verdict).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default();
                format!("{verdict} (score {})", r.score)
            }),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TraceReport {
    pub schema: &'static str,
    pub stack: String,
    pub target: &'static str,
    pub order_id: String,
    pub found: bool,
    pub steps: Vec<Step>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub now: Option<Whereabouts>,
    pub logs: Vec<LogEvent>,
    /// For an unknown order: the ids nearest to it in the same run.
    pub nearest: Vec<String>,
    /// What the trace could not see (a source missing, read only in part).
    pub notes: Vec<String>,
}

impl TraceReport {
    /// The report of what was found: steps sorted by time (stable, so steps of one
    /// instant keep the order they were recorded in), gaps filled in.
    pub fn new(
        stack: &str,
        target: &'static str,
        order_id: &str,
        mut steps: Vec<Step>,
        now: Option<Whereabouts>,
        logs: Vec<LogEvent>,
    ) -> Self {
        steps.sort_by_key(|s| s.at_micros);
        let mut previous = None;
        for s in &mut steps {
            s.gap_ms = previous.map(|p: Micros| (s.at_micros - p) as f64 / 1000.0);
            previous = Some(s.at_micros);
        }
        let found = now.is_some() || !steps.is_empty() || !logs.is_empty();
        TraceReport {
            schema: TRACE_SCHEMA,
            stack: stack.into(),
            target,
            order_id: order_id.into(),
            found,
            steps,
            now,
            logs,
            nearest: Vec::new(),
            notes: Vec::new(),
        }
    }
}

/// A log line as a step: the worker's result or error, the review.
pub fn log_step(e: &LogEvent) -> Step {
    let step = match e.message.as_str() {
        "reviewed" => "reviewed",
        m if m.starts_with("order created") => "created",
        _ => "processed",
    };
    let mut detail = e.message.clone();
    for key in ["receiveCount", "attempts", "error", "reason", "verdict", "score", "status"] {
        if let Some(v) = e.fields.get(key) {
            let v = v.as_str().map_or_else(|| v.to_string(), str::to_string);
            detail.push_str(&format!(", {key} {v}"));
        }
    }
    Step::new(e.at, step, &e.function, detail, Value::Null)
}

/// The ids nearest to `wanted` among `ids` (`<run>-<n>` ids by `n`, others by text).
pub fn nearest(wanted: &str, ids: impl IntoIterator<Item = String>, n: usize) -> Vec<String> {
    let number = |id: &str| id.rsplit_once('-').and_then(|(_, n)| n.parse::<i64>().ok());
    let want = number(wanted);
    let mut ids: Vec<String> = ids.into_iter().filter(|id| id != wanted).collect();
    ids.sort_by_key(|id| match (want, number(id)) {
        (Some(w), Some(n)) => ((w - n).unsigned_abs(), id.clone()),
        _ => (u64::MAX, id.clone()),
    });
    ids.truncate(n);
    ids
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_come_in_time_order_with_the_gap_from_the_one_before() {
        let steps = vec![
            Step::new(3_000, "received", "engine", "b".into(), Value::Null),
            Step::new(1_000, "published", "engine", "a".into(), Value::Null),
            Step::new(3_000, "written", "engine", "c".into(), Value::Null),
        ];
        let r = TraceReport::new("s", "local", "r-1", steps, None, Vec::new());
        let got: Vec<(&str, Option<f64>)> = r.steps.iter().map(|s| (s.detail.as_str(), s.gap_ms)).collect();
        assert_eq!(got, [("a", None), ("b", Some(2.0)), ("c", Some(0.0))]);
        assert!(r.found);
        assert!(!TraceReport::new("s", "local", "r-1", Vec::new(), None, Vec::new()).found);
    }

    #[test]
    fn the_nearest_ids_are_the_neighbours_in_the_run() {
        let ids = ["r1-1", "r1-10", "r1-11", "r1-13", "r1-200", "other"].map(String::from);
        assert_eq!(nearest("r1-12", ids, 3), ["r1-11", "r1-13", "r1-10"]);
    }
}
