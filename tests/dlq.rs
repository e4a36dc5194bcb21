//! Operating the dead-letter queue on both targets: FAIL orders fill the DLQ, `inspect`
//! leaves it as it was, a redrive that repairs their notes moves them back, they
//! complete, the DLQ is empty and no order is lost or doubled; a client-side redrive
//! killed midway leaves every message in one queue or the other.

use crate::common;
use common::block_on;

use common::ok_json;

use common::moto::{packages, Moto};
use common::orderctl;
use serde_json::Value;
use std::collections::HashSet;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

#[test]
fn local_redrive_that_repairs_the_orders_completes_them_once() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok_json(&orderctl(d, &["up", "-o", "json"]), "up");
    let sent = ok_json(&orderctl(d, &["send", "--mix", "normal=1,fail=1", "--count", "40", "--rate", "200", "-o", "json"]), "send");
    assert_eq!(sent["dlqDepth"], 20);
    let before = ok_json(&orderctl(d, &["dlq", "inspect", "-o", "json"]), "inspect");
    let after = ok_json(&orderctl(d, &["dlq", "inspect", "-o", "json"]), "inspect again");
    assert_eq!((before["depth"].as_u64(), after["depth"].as_u64()), (Some(20), Some(20)), "inspect changes nothing");
    let counts = |r: &Value| -> Vec<(String, u64)> {
        r["messages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| (m["messageId"].as_str().unwrap().into(), m["receiveCount"].as_u64().unwrap()))
            .collect()
    };
    assert_eq!(counts(&before), counts(&after), "not even a receive count");

    // Selective: one order by id, dry run first.
    let one = before["messages"][0]["orderId"].as_str().unwrap().to_string();
    let dry = ok_json(&orderctl(d, &["dlq", "redrive", "--order-id", &one, "--dry-run", "-o", "json"]), "dry run");
    assert_eq!(dry["wouldMove"].as_array().unwrap().len(), 1);
    assert_eq!(dry["wouldMove"][0]["orderId"], one.as_str());
    let redrive = ok_json(
        &orderctl(
            d,
            &["dlq", "redrive", "--filter", "FAIL", "--kind", "fail", "--set-notes", "repaired by ops", "--wait", "30s", "-o", "json"],
        ),
        "redrive",
    );
    assert_eq!(redrive["moved"], 20);
    assert_eq!(redrive["followed"]["completed"], 20, "{}", redrive["followed"]);
    assert_eq!(redrive["dlqDepthAfter"], 0);
    let status = ok_json(&orderctl(d, &["status", "-o", "json"]), "status");
    assert_eq!((status["orders"]["completed"].as_u64(), status["orders"]["total"].as_u64()), (Some(40), Some(40)), "no order doubled");
    assert_eq!(status["dlqDepth"], 0);
}

/// `orderctl --target aws` against `moto`.
/// A copy of a settled order in the DLQ (a duplicate delivery whose own receives failed,
/// which at-least-once delivery allows) is shown as stale, with the order's status —
/// not with an old error the order has since got past.
#[test]
fn a_stale_copy_of_a_settled_order_is_shown_with_its_status() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok_json(&orderctl(d, &["up", "-o", "json"]), "up");
    ok_json(&orderctl(d, &["send", "--normal", "--count", "1", "-o", "json"]), "send");
    let stack = orderctl::local::LocalStack::open(&d.join(".orderctl"), "orderctl").unwrap();
    let topology = stack.topology().unwrap();
    let mut conn = stack.db.connect().unwrap();
    let run = conn.read(|tx| orderctl::local::query::last_run(tx)).unwrap().unwrap();
    let copy = order_domain::synthesize(
        order_domain::Kind::Normal,
        0,
        &run,
        order_domain::now_micros(),
        &orderctl::spec::Settings::local().rules(),
    );
    conn.write(|tx| {
        let record = orderctl::local::table::get(tx, &copy.order_id)?.expect("the order sent");
        assert_eq!(record.status, order_domain::Status::Completed);
        // An error from an earlier attempt, which the order got past.
        let with_error = order_domain::OrderRecord { last_error: Some("injected function error".into()), ..record.clone() };
        orderctl::local::table::put(tx, &with_error, Some(&record), order_domain::now_micros())?;
        orderctl::local::sqs::send(tx, &topology.queues[&topology.names.dlq()], [copy.to_json().as_str()], order_domain::now_micros())
    })
    .unwrap();
    let inspect = ok_json(&orderctl(d, &["dlq", "inspect", "-o", "json"]), "inspect");
    let shown = &inspect["messages"][0];
    assert_eq!(shown["orderId"], copy.order_id.as_str(), "{inspect}");
    assert_eq!(shown["reason"], "a stale copy: the order is already COMPLETED", "{inspect}");
}

fn aws(moto: &Moto, stack: &str, args: &[&str], env: &[(&str, &str)]) -> Command {
    let mut cmd = Command::new(common::bin());
    cmd.args(["--target", "aws", "--stack", stack]).args(args).env("AWS_ENDPOINT_URL", &moto.endpoint).env_remove("AWS_PROFILE");
    for (k, v) in moto.handler_env() {
        cmd.env(k, v);
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd
}

fn run(moto: &Moto, stack: &str, args: &[&str]) -> Output {
    aws(moto, stack, args, &[]).output().unwrap()
}

fn mappings(moto: &Moto, stack: &str, idle: &str) -> std::process::Child {
    let dir = packages()["order-worker"].parent().unwrap().display().to_string();
    aws(moto, stack, &["lambda", "mappings", "--idle", idle, "--timeout", "10s", "--zips", &dir], &[])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

fn up(moto: &Moto, stack: &str) {
    let dir = packages()["order-worker"].parent().unwrap().display().to_string();
    let args =
        ["up", "--yes", "-o", "json", "--zips", &dir, "--disable-mappings", "--function-timeout", "1s", "--visibility-timeout", "6s"];
    ok_json(&run(moto, stack, &args), "up");
}

/// Visible messages only.
fn visible(sdk: &aws_config::SdkConfig, queue: &str) -> u64 {
    use aws_sdk_sqs::types::QueueAttributeName as Q;
    block_on(async {
        let sqs = aws_sdk_sqs::Client::new(sdk);
        let url = sqs.get_queue_url().queue_name(queue).send().await.unwrap().queue_url().unwrap().to_string();
        let a = sqs.get_queue_attributes().queue_url(url).attribute_names(Q::ApproximateNumberOfMessages).send().await.unwrap();
        a.attributes().unwrap()[&Q::ApproximateNumberOfMessages].parse::<u64>().unwrap()
    })
}

fn depth(sdk: &aws_config::SdkConfig, queue: &str) -> u64 {
    use aws_sdk_sqs::types::QueueAttributeName as Q;
    block_on(async {
        let sqs = aws_sdk_sqs::Client::new(sdk);
        let url = sqs.get_queue_url().queue_name(queue).send().await.unwrap().queue_url().unwrap().to_string();
        let a = sqs.get_queue_attributes().queue_url(url).attribute_names(Q::All).send().await.unwrap();
        let a = a.attributes().unwrap();
        [Q::ApproximateNumberOfMessages, Q::ApproximateNumberOfMessagesNotVisible, Q::ApproximateNumberOfMessagesDelayed]
            .iter()
            .map(|k| a[k].parse::<u64>().unwrap())
            .sum()
    })
}

#[test]
fn on_moto_inspect_changes_no_count_and_a_repairing_redrive_completes_every_order() {
    let moto = Moto::start();
    let sdk = block_on(moto.sdk());
    up(&moto, "dq");
    let worker = mappings(&moto, "dq", "8s");
    let sent = ok_json(
        &run(&moto, "dq", &["send", "--mix", "normal=1,fail=1", "--count", "20", "--rate", "20", "--wait", "90s", "-o", "json"]),
        "send",
    );
    assert_eq!(sent["total"]["deadLettered"], 10, "{}", sent["total"]);
    assert_eq!(depth(&sdk, "dq-orders-dlq"), 10);

    let inspect = ok_json(&run(&moto, "dq", &["dlq", "inspect", "-o", "json"]), "inspect");
    assert_eq!(inspect["depth"], 10);
    let messages = inspect["messages"].as_array().unwrap();
    assert_eq!(messages.len(), 10);
    assert!(messages.iter().all(|m| m["reason"].as_str().unwrap().contains("FAIL") && m["kind"] == "fail"), "{messages:?}");
    assert!(messages.iter().all(|m| m["receiveCount"].as_u64() >= Some(3)), "{messages:?}");
    assert_eq!(depth(&sdk, "dq-orders-dlq"), 10, "inspect leaves the DLQ's message count unchanged");
    let visible = block_on(async {
        let sqs = aws_sdk_sqs::Client::new(&sdk);
        let url = sqs.get_queue_url().queue_name("dq-orders-dlq").send().await.unwrap().queue_url().unwrap().to_string();
        let a =
            sqs.get_queue_attributes().queue_url(url).attribute_names(aws_sdk_sqs::types::QueueAttributeName::All).send().await.unwrap();
        a.attributes().unwrap()[&aws_sdk_sqs::types::QueueAttributeName::ApproximateNumberOfMessages].clone()
    });
    assert_eq!(visible, "10", "and visible again at once");

    let _ = worker.wait_with_output();
    let mut worker = mappings(&moto, "dq", "10s");
    let redrive = ok_json(&run(&moto, "dq", &["dlq", "redrive", "--set-notes", "repaired", "--wait", "60s", "-o", "json"]), "redrive");
    assert_eq!(redrive["method"], "client-side", "a rewriting redrive moves client-side");
    assert_eq!((redrive["moved"].as_u64(), redrive["failed"].as_u64()), (Some(10), Some(0)));
    assert_eq!(redrive["followed"]["completed"], 10, "{}", redrive["followed"]);
    assert_eq!(redrive["dlqDepthAfter"], 0);
    worker.kill().unwrap();
    let _ = worker.wait();
    let status = ok_json(
        &run(&moto, "dq", &["status", "-o", "json", "--disable-mappings", "--function-timeout", "1s", "--visibility-timeout", "6s"]),
        "status",
    );
    assert_eq!(
        (status["orders"]["completed"].as_u64(), status["orders"]["total"].as_u64()),
        (Some(20), Some(20)),
        "no order lost or doubled"
    );
    assert_eq!(status["dlqDepth"], 0);
}

#[test]
fn on_moto_a_killed_client_side_redrive_loses_no_message() {
    let moto = Moto::start();
    let sdk = block_on(moto.sdk());
    up(&moto, "dk");
    let n = 300;
    let ids: HashSet<String> = (0..n).map(|i| format!("kill-{i}")).collect();
    block_on(async {
        let sqs = aws_sdk_sqs::Client::new(&sdk);
        let url = sqs.get_queue_url().queue_name("dk-orders-dlq").send().await.unwrap().queue_url().unwrap().to_string();
        let rules = order_domain::Rules::default();
        for chunk in (0..n).collect::<Vec<_>>().chunks(10) {
            let entries = chunk
                .iter()
                .map(|i| {
                    let mut o = order_domain::synthesize(order_domain::Kind::Fail, *i, "kill", 0, &rules);
                    o.order_id = format!("kill-{i}");
                    aws_sdk_sqs::types::SendMessageBatchRequestEntry::builder().id(i.to_string()).message_body(o.to_json()).build().unwrap()
                })
                .collect();
            sqs.send_message_batch().queue_url(&url).set_entries(Some(entries)).send().await.unwrap();
        }
    });
    assert_eq!(depth(&sdk, "dk-orders-dlq"), n);

    // Held messages come back after 3 s, so the check can read every one.
    let start = Instant::now();
    let mut redrive = aws(&moto, "dk", &["dlq", "redrive", "--rate", "60", "-o", "json"], &[("ORDERCTL_SQS_HOLD_SECONDS", "3")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Killed once a tenth has moved: at 60/s the rest takes seconds more, and a slow
    // machine only makes the move slower, so the kill lands midway.
    while depth(&sdk, "dk-orders") < n / 10 {
        assert!(start.elapsed() < Duration::from_secs(120), "the redrive never got going");
        std::thread::sleep(Duration::from_millis(20));
    }
    redrive.kill().unwrap(); // SIGKILL
    redrive.wait().unwrap();
    let in_source = depth(&sdk, "dk-orders");
    assert!(in_source > 0 && in_source < n, "killed midway: {in_source} of {n} moved");
    // What the killed process held comes back once its hold (3 s) is over.
    let back = Instant::now();
    while visible(&sdk, "dk-orders-dlq") + visible(&sdk, "dk-orders") < n {
        assert!(back.elapsed() < Duration::from_secs(120), "held messages never came back");
        std::thread::sleep(Duration::from_millis(100));
    }

    let mut found = HashSet::new();
    let mut total = 0;
    block_on(async {
        let sqs = aws_sdk_sqs::Client::new(&sdk);
        for queue in ["dk-orders-dlq", "dk-orders"] {
            let url = sqs.get_queue_url().queue_name(queue).send().await.unwrap().queue_url().unwrap().to_string();
            loop {
                let out = sqs.receive_message().queue_url(&url).max_number_of_messages(10).visibility_timeout(60).send().await.unwrap();
                if out.messages().is_empty() {
                    break;
                }
                for m in out.messages() {
                    total += 1;
                    let v: Value = serde_json::from_str(m.body().unwrap()).unwrap();
                    found.insert(v["orderId"].as_str().unwrap().to_string());
                }
            }
        }
    });
    let lost: Vec<&String> = ids.difference(&found).collect();
    assert!(lost.is_empty(), "lost after the kill: {lost:?}");
    assert!(total - n as usize <= 10, "at most the batch in flight is doubled: {total} messages for {n} orders");
    eprintln!("killed after {:.1}s with {in_source} of {n} moved: {total} messages hold all {n} orders", start.elapsed().as_secs_f64());
}
