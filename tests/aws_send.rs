//! `orderctl send --target aws` against moto: PublishBatch to the stack's topic, the
//! real `order-worker` behind emulated mappings, and every order read back from the
//! table while the run goes on.

use crate::common;

use common::moto::{create_pipeline, Moto};
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
    let mut mappings = moto.mappings(dir.path(), "ld", "10s");

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

/// Loss on the aws target can be seen: orders whose messages are taken out of the queue
/// behind the pipeline's back (no worker runs) are, once every queue reads empty, in
/// neither the table nor the DLQ — reported lost, with exit 1. (Before, an order not
/// found was always "in flight", and `lost` could not be anything but 0 on aws.)
#[tokio::test(flavor = "multi_thread")]
async fn orders_taken_from_the_queue_behind_the_pipeline_s_back_are_reported_lost() {
    let moto = Moto::start();
    let sdk = moto.sdk().await;
    let (_, queue, _) = create_pipeline(&sdk, "lo").await;
    let sqs = aws_sdk_sqs::Client::new(&sdk);
    let dir = tempfile::tempdir().unwrap();
    let mut send = Command::new(common::bin());
    send.args([
        "--target", "aws", "--stack", "lo", "send", "--kind", "normal", "--count", "5", "--rate", "50", "--wait", "120s", "-o", "json",
    ])
    .current_dir(dir.path())
    .env("AWS_ENDPOINT_URL", &moto.endpoint)
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    for (k, v) in moto.handler_env() {
        send.env(k, v);
    }
    let send = send.spawn().unwrap();
    // Take every message as it arrives, and delete it: no worker ever sees one.
    let mut taken = 0;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while taken < 5 {
        assert!(std::time::Instant::now() < deadline, "only {taken} of 5 messages arrived");
        let got = sqs.receive_message().queue_url(&queue).max_number_of_messages(10).wait_time_seconds(1).send().await.unwrap();
        for m in got.messages() {
            sqs.delete_message().queue_url(&queue).receipt_handle(m.receipt_handle().unwrap()).send().await.unwrap();
            taken += 1;
        }
    }
    let started = std::time::Instant::now();
    let out = send.wait_with_output().unwrap();
    let r: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    let t = &r["total"];
    assert_eq!([&t["sent"], &t["completed"], &t["inFlight"], &t["lost"]].map(|v| v.as_u64()), [5, 0, 0, 5].map(Some), "{t}");
    assert!(r["problems"].as_array().unwrap().iter().any(|p| p.as_str().unwrap().contains("5 orders are lost")), "{}", r["problems"]);
    assert_eq!(out.status.code(), Some(1), "a lost order fails the run");
    assert!(started.elapsed() < std::time::Duration::from_secs(60), "it stops waiting once the queues stay empty, not at --wait 120s");
}
