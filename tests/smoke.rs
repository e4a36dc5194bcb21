//! `orderctl smoke`, the CI step: passes on a healthy pipeline on both targets, and
//! fails — exit 1, the broken expectation named in the output and the JUnit file — when
//! the pipeline is broken on purpose.

use crate::common;

use common::moto::{packages, Moto};
use common::{orderctl, text};
use serde_json::Value;
use std::process::{Command, Stdio};

#[test]
fn smoke_passes_on_a_healthy_local_pipeline() {
    let dir = tempfile::tempdir().unwrap();
    let junit = dir.path().join("smoke.xml");
    let out = orderctl(dir.path(), &["smoke", "-o", "json", "--junit", junit.to_str().unwrap()]);
    let r = common::json(&out);
    assert_eq!(out.status.code(), Some(0), "{r}");
    assert_eq!(r["passed"], true);
    let checks = r["checks"].as_array().unwrap();
    assert_eq!(checks.len(), 5);
    assert!(checks.iter().all(|c| c["passed"] == true), "{checks:?}");
    assert!(checks[2]["name"].as_str().unwrap().contains("exactly 3 receives"));
    assert!(r["dlqDepth"].as_u64().unwrap() >= 1);
    let xml = std::fs::read_to_string(&junit).unwrap();
    assert!(xml.contains("tests=\"5\" failures=\"0\""), "{xml}");
    assert!(!xml.contains("<failure"), "{xml}");
    // The stack stays up without `--down`.
    assert!(dir.path().join(".orderctl/orderctl/state.db").exists());
}

#[test]
fn a_broken_pipeline_fails_smoke_with_the_expectation_named() {
    let dir = tempfile::tempdir().unwrap();
    let junit = dir.path().join("smoke.xml");
    // A threshold of 0 fails every order by rule: the normal one cannot complete.
    let out = orderctl(dir.path(), &["smoke", "--threshold", "0", "--down", "--junit", junit.to_str().unwrap()]);
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1), "{stdout}\n{stderr}");
    assert!(stdout.contains("✗ a normal order completes: status FAILED"), "{stdout}");
    assert!(stdout.contains("FAILED (1 of 5 checks)"), "{stdout}");
    assert!(stdout.contains("the stack was torn down"), "{stdout}");
    let xml = std::fs::read_to_string(&junit).unwrap();
    assert!(xml.contains("tests=\"5\" failures=\"1\""), "{xml}");
    assert!(xml.contains("name=\"a normal order completes\"><failure message=\"status FAILED"), "{xml}");
    assert!(!dir.path().join(".orderctl/orderctl").exists(), "`--down` tore the stack down although a check failed");
}

#[test]
fn smoke_passes_on_moto_with_emulated_mappings_and_tears_down() {
    let moto = Moto::start();
    let dir = packages()["order-worker"].parent().unwrap().display().to_string();
    let settings = ["--disable-mappings", "--function-timeout", "1s", "--visibility-timeout", "6s", "--zips", &dir];
    let aws = |args: &[&str]| {
        let mut cmd = Command::new(common::bin());
        cmd.args(["--target", "aws", "--stack", "sm", "--yes"])
            .args(args)
            .env("AWS_ENDPOINT_URL", &moto.endpoint)
            .env_remove("AWS_PROFILE");
        for (k, v) in moto.handler_env() {
            cmd.env(k, v);
        }
        cmd
    };
    let mut up = vec!["up"];
    up.extend(settings);
    assert!(aws(&up).output().unwrap().status.success());
    let mut mappings =
        aws(&["lambda", "mappings", "--timeout", "10s", "--zips", &dir]).stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
    let mut smoke = vec!["smoke", "-o", "json", "--down", "--timeout", "90s"];
    smoke.extend(settings);
    let out = aws(&smoke).output().unwrap();
    mappings.kill().unwrap();
    let _ = mappings.wait();
    let r = common::json(&out);
    assert_eq!(out.status.code(), Some(0), "{r}\n{}", text(&out).1);
    assert_eq!((r["passed"].clone(), r["target"].clone(), r["tornDown"].clone()), (Value::Bool(true), "aws".into(), Value::Bool(true)));
    assert_eq!(r["alarm"]["name"], "sm-dlq-not-empty", "the alarm is reported");
    assert_eq!(common::schema_errors("smoke", &r), Vec::<String>::new());
}
