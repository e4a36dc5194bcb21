//! The JSON report's shape is a contract: `schemas/send-report.schema.json` describes it
//! and this test holds every report to it — no field missing, none undocumented.

mod common;

use common::{orderctl, text};
use serde_json::Value;

/// Validates `v` against the subset of JSON Schema the committed schema uses: `type`,
/// `properties`, `required`, `additionalProperties: false`, `items`, `enum`, `oneOf`.
fn validate(schema: &Value, v: &Value, path: &str, errors: &mut Vec<String>) {
    if let Some(alternatives) = schema["oneOf"].as_array() {
        let matching = alternatives
            .iter()
            .filter(|alt| {
                let mut e = Vec::new();
                validate(alt, v, path, &mut e);
                e.is_empty()
            })
            .count();
        if matching != 1 {
            errors.push(format!("{path}: matches {matching} of the `oneOf` alternatives: {v}"));
        }
        return;
    }
    if let Some(t) = schema["type"].as_str() {
        let ok = match t {
            "object" => v.is_object(),
            "array" => v.is_array(),
            "string" => v.is_string(),
            "integer" => v.is_u64() || v.is_i64(),
            "number" => v.is_number(),
            "boolean" => v.is_boolean(),
            "null" => v.is_null(),
            other => panic!("the schema uses type `{other}`, which this validator does not know"),
        };
        if !ok {
            errors.push(format!("{path}: expected {t}, got {v}"));
            return;
        }
    }
    if let Some(allowed) = schema["enum"].as_array() {
        if !allowed.contains(v) {
            errors.push(format!("{path}: {v} is not one of {allowed:?}"));
        }
    }
    if let Some(obj) = v.as_object() {
        let props = schema["properties"].as_object().cloned().unwrap_or_default();
        for req in schema["required"].as_array().into_iter().flatten() {
            if !obj.contains_key(req.as_str().unwrap()) {
                errors.push(format!("{path}: `{}` is missing", req.as_str().unwrap()));
            }
        }
        for (k, val) in obj {
            match props.get(k) {
                Some(sub) => validate(sub, val, &format!("{path}.{k}"), errors),
                None if schema["additionalProperties"] == Value::Bool(false) => errors.push(format!("{path}: `{k}` is not in the schema")),
                None => {}
            }
        }
    }
    if let (Some(items), Some(arr)) = (schema.get("items"), v.as_array()) {
        for (i, item) in arr.iter().enumerate() {
            validate(items, item, &format!("{path}[{i}]"), errors);
        }
    }
}

fn schema() -> Value {
    serde_json::from_str(&std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/schemas/send-report.schema.json")).unwrap())
        .unwrap()
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
