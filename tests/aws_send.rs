//! `orderctl send --target aws` against moto: PublishBatch to the stack's topic, the
//! real `order-worker` behind emulated mappings, and every order read back from the
//! table while the run goes on.

mod common;

use common::moto::{create_pipeline, packages, Moto};
use serde_json::Value;
use std::process::{Command, Stdio};

#[tokio::test(flavor = "multi_thread")]
async fn send_on_the_aws_target_accounts_for_every_order() {
    let moto = Moto::start();
    let sdk = moto.sdk().await;
    create_pipeline(&sdk, "ld").await;
    let dir = tempfile::tempdir().unwrap();
    let with_moto = |cmd: &mut Command| {
        cmd.current_dir(dir.path()).env("AWS_ENDPOINT_URL", &moto.endpoint);
        for (k, v) in moto.handler_env() {
            cmd.env(k, v);
        }
    };
    let mut mappings = Command::new(common::bin());
    mappings.args(["--stack", "ld", "lambda", "mappings", "--idle", "10s", "--zips"]).arg(packages()["order-worker"].parent().unwrap());
    with_moto(&mut mappings);
    let mut mappings = mappings.stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();

    let mut send = Command::new(common::bin());
    send.args([
        "--target",
        "aws",
        "--stack",
        "ld",
        "send",
        "--mix",
        "normal=9,fail=1",
        "--count",
        "60",
        "--rate",
        "30",
        "--wait",
        "60s",
        "-o",
        "json",
    ]);
    with_moto(&mut send);
    let out = send.output().unwrap();
    let _ = mappings.kill();
    let _ = mappings.wait();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{}\n{stdout}", String::from_utf8_lossy(&out.stderr));
    let r: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(r["target"], "aws");
    let t = &r["total"];
    assert_eq!(
        [&t["sent"], &t["completed"], &t["deadLettered"], &t["inFlight"], &t["lost"]].map(|v| v.as_u64()),
        [60, 54, 6, 0, 0].map(Some),
        "{t}"
    );
    assert_eq!(r["dlqDepth"], 6);
    assert_eq!(r["latency"]["endToEnd"]["count"], 54, "latency of every settled order, read back from the table");
    assert_eq!(r["latency"]["publish"]["count"], 60);
}

#[test]
fn send_on_the_aws_target_without_the_stack_says_so() {
    let moto = Moto::start();
    let mut send = Command::new(common::bin());
    send.args(["--target", "aws", "--stack", "nothere", "send", "--count", "1"]).env("AWS_ENDPOINT_URL", &moto.endpoint);
    for (k, v) in moto.handler_env() {
        send.env(k, v);
    }
    let out = send.output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("topic `nothere-orders` not found"));
}
