//! The JSON report's shape is a contract: `schemas/send-report.schema.json` describes it
//! and this test holds every report to it — no field missing, none undocumented.

use crate::common;

use common::{orderctl, text, validate};
use serde_json::Value;

fn schema() -> Value {
    common::schema("send-report")
}

#[test]
fn send_and_run_reports_follow_the_committed_schema() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    assert_eq!(orderctl(d, &["up"]).status.code(), Some(0));
    let smoke = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/smoke.toml");
    for args in [
        vec!["send", "--count", "30", "--rate", "300", "-o", "json"],
        vec!["run", smoke, "--time-scale", "0.2", "-o", "json"],
        vec!["run", smoke, "--time-scale", "0.2", "--p99-ms", "0.001", "-o", "json"],
    ] {
        let out = orderctl(d, &args);
        let report: Value = serde_json::from_str(&text(&out).0).unwrap();
        let mut errors = Vec::new();
        validate(&schema(), &report, "$", &mut errors);
        assert!(errors.is_empty(), "{args:?}: {errors:#?}");
    }
}

#[test]
fn status_and_smoke_reports_follow_their_committed_schemas() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let smoke = common::json(&orderctl(d, &["smoke", "-o", "json"]));
    assert_eq!(common::schema_errors("smoke", &smoke), Vec::<String>::new());
    let status = common::json(&orderctl(d, &["status", "-o", "json"]));
    assert_eq!(common::schema_errors("status", &status), Vec::<String>::new());
    assert!(status["alarm"].is_object() && !status["recentAlerts"].as_array().unwrap().is_empty(), "{status}");
    let mut bad = status.clone();
    bad["queues"][0]["depth"] = Value::from(1);
    assert!(!common::schema_errors("status", &bad).is_empty(), "an undocumented field is caught");
}

#[test]
fn the_validator_catches_a_missing_an_extra_and_a_mistyped_field() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    assert_eq!(orderctl(d, &["up"]).status.code(), Some(0));
    let good: Value = serde_json::from_str(&text(&orderctl(d, &["send", "--count", "5", "--rate", "100", "-o", "json"])).0).unwrap();
    for (what, mutate) in [
        ("missing", Box::new(|r: &mut Value| drop(r.as_object_mut().unwrap().remove("dlqDepth"))) as Box<dyn Fn(&mut Value)>),
        ("extra", Box::new(|r: &mut Value| r["total"]["surprise"] = Value::from(1))),
        ("mistyped", Box::new(|r: &mut Value| r["sent"] = Value::from("five"))),
    ] {
        let mut bad = good.clone();
        mutate(&mut bad);
        let mut errors = Vec::new();
        validate(&schema(), &bad, "$", &mut errors);
        assert!(!errors.is_empty(), "a {what} field went unnoticed");
    }
}
