//! Helpers shared by the integration tests.
#![allow(dead_code)]

pub mod browser;
pub mod localstack;
pub mod moto;
pub mod proxy;

use order_domain::{now_micros, synthesize, Kind, Order};
use orderctl::local::engine::{Engine, Faults, StatsSnapshot};
use orderctl::local::{query, LocalStack, Topology};
use orderctl::model::KindOutcome;
use orderctl::plan::Plan;
use orderctl::spec::{Settings, StackSpec};
use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};
use tempfile::TempDir;

/// A local stack named `t`, up, in a fresh temporary directory.
pub fn stack(settings: Settings) -> (TempDir, LocalStack) {
    let dir = tempfile::tempdir().unwrap();
    let spec = StackSpec::new("t", settings);
    let s = LocalStack::create(dir.path(), "t").unwrap();
    s.apply(&spec, &Plan::diff(&spec.resources, &[])).unwrap();
    (dir, s)
}

/// Short timings so tests finish quickly, still within AWS's rules.
pub fn fast() -> Settings {
    Settings { visibility_timeout_ms: 300, function_timeout_ms: 50, alarm_period_ms: 200, ..Settings::local() }
}

pub fn orders(kind: Kind, run: &str, range: std::ops::Range<u64>) -> Vec<Order> {
    range.map(|n| synthesize(kind, n, run, now_micros(), &Settings::local().rules())).collect()
}

pub fn publish(stack: &LocalStack, run: &str, orders: &[Order]) {
    let topology = stack.topology().unwrap();
    let mut conn = stack.db.connect().unwrap();
    conn.write(|tx| {
        tx.execute(
            "INSERT OR IGNORE INTO runs(run_id, started_at, description) VALUES (?1, ?2, 'test')",
            rusqlite::params![run, now_micros()],
        )?;
        topology.publish_orders(tx, run, orders, now_micros())
    })
    .unwrap();
}

pub fn outcomes(stack: &LocalStack, topology: &Topology, run: &str) -> KindOutcome {
    let mut conn = stack.db.connect().unwrap();
    KindOutcome::total(&conn.read(|tx| query::run_outcomes(tx, topology, run)).unwrap())
}

/// Runs the engine until the run has settled; panics after `max`.
pub fn settle(stack: &LocalStack, run: &str, faults: Faults, max: Duration) -> KindOutcome {
    settle_with_stats(stack, run, faults, max).0
}

/// `settle`, also returning what the engine did.
pub fn settle_with_stats(stack: &LocalStack, run: &str, faults: Faults, max: Duration) -> (KindOutcome, StatsSnapshot) {
    let topology = stack.topology().unwrap();
    let engine = Engine::start(stack, faults).unwrap();
    let start = Instant::now();
    loop {
        let total = outcomes(stack, &topology, run);
        if total.unsettled() == 0 {
            return (total, engine.stop());
        }
        assert!(start.elapsed() < max, "run `{run}` did not settle within {max:?}: {total:?}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Held by a test while it loads both cores for a while — a release build of the
/// handlers, a LocalStack — so that two such never overlap, whatever the number of
/// test threads: a panic while it is held does not stop the others.
pub fn heavy() -> std::sync::MutexGuard<'static, ()> {
    static HEAVY: std::sync::Mutex<()> = std::sync::Mutex::new(());
    HEAVY.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Runs `f` to its end on a runtime of its own (the tests' SDK calls).
pub fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(f)
}

/// `orderctl package --arch x86_64` of this workspace into `out`: the JSON report.
pub fn package_into(out: &Path) -> serde_json::Value {
    let _heavy = heavy();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let run = Command::new(bin())
        .args(["package", "--arch", "x86_64", "--source"])
        .arg(root)
        .arg("--zips")
        .arg(out)
        .args(["-o", "json"])
        .output()
        .unwrap();
    assert!(run.status.success(), "orderctl package failed: {}", String::from_utf8_lossy(&run.stderr));
    serde_json::from_slice(&run.stdout).unwrap()
}

/// The command's stdout as JSON; panics with both streams when it is not.
pub fn json(out: &Output) -> serde_json::Value {
    let (stdout, stderr) = text(out);
    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{stdout}\nstderr:\n{stderr}"))
}

/// `json`, after checking the command succeeded.
pub fn ok_json(out: &Output, what: &str) -> serde_json::Value {
    let (stdout, stderr) = text(out);
    assert!(out.status.success(), "{what} failed ({:?}):\n{stderr}\n{stdout}", out.status.code());
    json(out)
}

/// The environment a process needs to reach the AWS-compatible endpoint at `endpoint`
/// only: its URL, a region, test credentials, no instance metadata.
pub fn endpoint_env(endpoint: &str) -> Vec<(String, String)> {
    [
        ("AWS_ENDPOINT_URL", endpoint),
        ("AWS_REGION", "us-east-1"),
        ("AWS_ACCESS_KEY_ID", "test"),
        ("AWS_SECRET_ACCESS_KEY", "test"),
        ("AWS_EC2_METADATA_DISABLED", "true"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_orderctl")
}

/// Runs `orderctl` with `args` in `dir`, state under `dir/.orderctl`.
pub fn orderctl(dir: &Path, args: &[&str]) -> Output {
    // No instance-metadata lookups: the tests' traffic stays on 127.0.0.1.
    Command::new(bin())
        .args(args)
        .current_dir(dir)
        .env_remove("ORDERCTL_LOCAL_FAULTS")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .output()
        .expect("orderctl runs")
}

pub fn text(out: &Output) -> (String, String) {
    (String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
}

/// Validates `v` against the subset of JSON Schema the committed schema uses: `type`,
/// `properties`, `required`, `additionalProperties: false`, `items`, `enum`, `oneOf`.
pub fn validate(schema: &Value, v: &Value, path: &str, errors: &mut Vec<String>) {
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

/// The committed schema `schemas/<name>.schema.json`.
pub fn schema(name: &str) -> Value {
    let path = format!("{}/schemas/{name}.schema.json", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// What in `v` does not follow `schemas/<name>.schema.json`.
pub fn schema_errors(name: &str, v: &Value) -> Vec<String> {
    let mut errors = Vec::new();
    validate(&schema(name), v, "$", &mut errors);
    errors
}
