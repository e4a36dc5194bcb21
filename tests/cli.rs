//! The binary as a user runs it: separate commands on one local stack, bad input, and
//! exit codes.

use crate::common;

use common::{orderctl, text};
use order_domain::Status;
use orderctl::local::{query, table, LocalStack};
use serde_json::Value;
use std::process::Command;

use common::json;

#[test]
fn separate_commands_behave_as_one_session() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let up = orderctl(d, &["up"]);
    assert_eq!(up.status.code(), Some(0), "{:?}", text(&up));

    let send = orderctl(d, &["send", "--mix", "normal=8,high-value=1,fail=1", "--count", "200", "--rate", "400", "--output", "json"]);
    assert_eq!(send.status.code(), Some(0), "{}", text(&send).1);
    let r = json(&send);
    assert_eq!(r["schema"], "orderctl/send-report/v1");
    let t = &r["total"];
    assert_eq!(
        [&t["sent"], &t["completed"], &t["failedByRule"], &t["reviewed"], &t["deadLettered"], &t["inFlight"], &t["lost"]]
            .map(|v| v.as_u64()),
        [200, 160, 20, 20, 20, 0, 0].map(Some),
        "{t}"
    );
    assert_eq!(r["alarm"]["state"], "ALARM");
    assert!(r["alerts"].as_array().unwrap().iter().any(|a| a["to"] == "ALARM"), "an alert was raised: {}", r["alerts"]);
    assert!(r["latency"]["endToEnd"]["p99Ms"].as_f64().unwrap() > 0.0);
    assert_eq!(r["dlqDepth"], 20);
    let run_id = r["runId"].as_str().unwrap().to_string();

    let status = orderctl(d, &["status", "--output", "json"]);
    assert_eq!(status.status.code(), Some(0));
    let s = json(&status);
    assert_eq!(s["dlqDepth"], 20);
    assert_eq!(s["orders"]["completed"], 160);
    assert_eq!(s["alarm"]["state"], "ALARM");
    assert!(s["resources"].as_array().unwrap().iter().all(|r| r["state"] == "present"));
    let status_text = text(&orderctl(d, &["status"])).0;
    assert!(status_text.contains("t-orders-dlq") || status_text.contains("orderctl-orders-dlq"), "{status_text}");

    let inspect = orderctl(d, &["dlq", "inspect", "--output", "json"]);
    assert_eq!(inspect.status.code(), Some(0));
    let i = json(&inspect);
    let messages = i["messages"].as_array().unwrap();
    assert_eq!(messages.len(), 20);
    assert!(messages.iter().all(|m| m["receiveCount"] == 3 && m["kind"] == "fail"), "each FAIL order was received exactly 3 times");
    assert!(messages.iter().all(|m| m["reason"].as_str().unwrap().contains("FAIL")));
    assert_eq!(i["byReason"][0][1], 20);
    let again = json(&orderctl(d, &["dlq", "inspect", "--output", "json"]));
    assert_eq!(again["depth"], 20, "inspect leaves the DLQ as it was");

    // The table, read directly: every high-value order failed by rule and reviewed.
    {
        let stack = LocalStack::open(&d.join(".orderctl"), "orderctl").unwrap();
        let mut conn = stack.db.connect().unwrap();
        conn.read(|tx| {
            for n in 0..200u64 {
                let id = format!("{run_id}-{n}");
                let Some(rec) = table::get(tx, &id)? else { panic!("{id} is not in the table") };
                match rec.order.kind.unwrap() {
                    order_domain::Kind::Normal => assert_eq!(rec.status, Status::Completed),
                    order_domain::Kind::HighValue => {
                        assert_eq!(rec.status, Status::Failed);
                        assert!(rec.failure_reason.as_deref().unwrap().contains("threshold"));
                        assert!(rec.review.is_some(), "{id} carries the review");
                    }
                    order_domain::Kind::Fail => assert_eq!((rec.status, rec.attempts), (Status::DeadLettered, 3)),
                }
            }
            assert!(query::last_run(tx)?.is_some());
            Ok(())
        })
        .unwrap();
    }
    let alerts = std::fs::read_to_string(d.join(".orderctl/orderctl/alerts.log")).unwrap();
    assert!(alerts.contains("OK -> ALARM"), "{alerts}");

    let down = orderctl(d, &["down", "--yes"]);
    assert_eq!(down.status.code(), Some(0), "{:?}", text(&down));
    assert!(!d.join(".orderctl/orderctl").exists(), "nothing of the stack remains");
    let after = orderctl(d, &["status"]);
    assert_eq!(after.status.code(), Some(2));
    assert!(text(&after).1.contains("is not up"));
    assert_eq!(orderctl(d, &["down", "--yes"]).status.code(), Some(0), "a second down is a no-op");
}

#[test]
fn a_second_up_changes_nothing_and_a_changed_setting_updates_what_uses_it() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    assert_eq!(json(&orderctl(d, &["up", "-o", "json"]))["applied"], true);
    let second = json(&orderctl(d, &["up", "-o", "json"]));
    assert_eq!(second["applied"], false);
    assert!(second["changes"].as_array().unwrap().iter().all(|c| c["action"] == "unchanged"));
    let plan = json(&orderctl(d, &["up", "--dry-run", "--max-receive-count", "5", "-o", "json"]));
    let updates: Vec<&Value> = plan["changes"].as_array().unwrap().iter().filter(|c| c["action"] == "update").collect();
    let updated: Vec<(&str, &Value)> = updates.iter().map(|c| (c["name"].as_str().unwrap(), &c["fields"])).collect();
    // The queue dead-letters after the new count; the worker records the last receive.
    assert_eq!(
        updated,
        [("orderctl-orders", &serde_json::json!(["redrive"])), ("orderctl-order-worker", &serde_json::json!(["environment"]))],
        "{plan}"
    );
    assert_eq!(plan["applied"], false);
    assert_eq!(json(&orderctl(d, &["up", "-o", "json"]))["applied"], false, "the dry run changed nothing");
}

#[test]
fn bad_input_gets_a_clear_error_and_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let cases: &[(&[&str], &str)] = &[
        (&["send", "--no-such-flag"], "--no-such-flag"),
        (&["send", "--mix", "normal=8,bogus=1"], "--mix"),
        (&["send", "--mix", "normal"], "--mix"),
        (&["send", "--rate", "0"], "--rate"),
        (&["send", "--rate", "-5"], "--rate"),
        (&["send", "--rate", "fast"], "--rate"),
        (&["send", "--count", "0"], "--count"),
        (&["send", "--duration", "soon"], "--duration"),
        (&["send", "--duration", "0s"], "--duration"),
        (&["send", "--kind", "fail", "--mix", "normal=1"], "--mix"),
        (&["send", "--count", "5", "--duration", "5s"], "--duration"),
        (&["--stack", "Bad Name", "status"], "--stack"),
        (&["up", "--visibility-timeout", "1s", "--function-timeout", "1s"], "visibility-timeout"),
        (&["up", "--max-receive-count", "0"], "max-receive-count"),
        (&["--target", "mars", "status"], "--target"),
        (&["send"], "is not up"),
        (&["status"], "is not up"),
        (&["dlq", "inspect"], "is not up"),
        (&["drain"], "is not up"),
    ];
    for (args, needle) in cases {
        let out = orderctl(d, args);
        let (_, stderr) = text(&out);
        assert_eq!(out.status.code(), Some(2), "{args:?} exits 2; stderr: {stderr}");
        assert!(stderr.contains(needle), "{args:?}: stderr names `{needle}`: {stderr}");
    }
}

#[test]
fn help_documents_the_exit_codes() {
    let out = Command::new(common::bin()).arg("--help").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let help = String::from_utf8(out.stdout).unwrap();
    assert!(help.contains("Exit codes:") && help.contains("2  usage"), "{help}");
}

#[test]
fn destructive_commands_refuse_without_a_terminal_or_yes() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    assert_eq!(orderctl(d, &["up"]).status.code(), Some(0));
    assert_eq!(orderctl(d, &["send", "--kind", "fail", "--count", "2", "--rate", "100"]).status.code(), Some(0));
    let purge = orderctl(d, &["dlq", "purge"]);
    assert_eq!(purge.status.code(), Some(2));
    assert!(text(&purge).1.contains("--yes"));
    assert_eq!(json(&orderctl(d, &["dlq", "inspect", "-o", "json"]))["depth"], 2, "nothing was purged");
    let down = orderctl(d, &["down"]);
    assert_eq!(down.status.code(), Some(2));
    assert!(d.join(".orderctl/orderctl/state.db").exists(), "nothing was deleted");
    assert_eq!(json(&orderctl(d, &["dlq", "purge", "--yes", "-o", "json"]))["deleted"], 2);
}

#[test]
fn redrive_moves_dead_letters_back_and_they_are_processed_again() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    assert_eq!(orderctl(d, &["up"]).status.code(), Some(0));
    assert_eq!(orderctl(d, &["send", "--kind", "fail", "--count", "3", "--rate", "100"]).status.code(), Some(0));
    let dry = json(&orderctl(d, &["dlq", "redrive", "--dry-run", "-o", "json"]));
    assert_eq!((dry["wouldMove"].as_array().map(Vec::len), dry["moved"].as_u64()), (Some(3), Some(0)));
    let moved = json(&orderctl(d, &["dlq", "redrive", "--limit", "2", "-o", "json"]));
    assert_eq!((moved["moved"].as_u64(), moved["dlqDepthAfter"].as_u64()), (Some(2), Some(1)));
    // Still FAIL orders: processed again, back in the DLQ after maxReceiveCount more receives.
    let drain = json(&orderctl(d, &["drain", "-o", "json"]));
    assert_eq!(drain["drained"], true);
    assert_eq!(drain["dlqDepth"], 3);
    assert!(drain["engine"]["records"].as_u64().unwrap() >= 6, "each redriven message was received 3 more times: {drain}");
}

#[test]
fn two_sends_at_once_on_one_stack_each_account_for_their_orders() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    assert_eq!(orderctl(d, &["up"]).status.code(), Some(0));
    let spawn = || {
        Command::new(common::bin())
            .args(["send", "--mix", "normal=8,high-value=1,fail=1", "--count", "1000", "--rate", "500", "-o", "json"])
            .current_dir(d)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (a, b) = (spawn(), spawn());
    for child in [a, b] {
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", text(&out).1);
        let r = json(&out);
        let t = &r["total"];
        assert_eq!([&t["sent"], &t["completed"], &t["deadLettered"], &t["lost"]].map(|v| v.as_u64()), [1000, 800, 100, 0].map(Some), "{t}");
    }
    let s = json(&orderctl(d, &["status", "-o", "json"]));
    assert_eq!(s["orders"]["total"], 2000);
    assert_eq!(s["dlqDepth"], 200);
}

#[test]
fn ctrl_c_stops_sending_and_prints_the_partial_report() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    assert_eq!(orderctl(d, &["up"]).status.code(), Some(0));
    let child = Command::new(common::bin())
        .args(["send", "--kind", "normal", "--count", "100000", "--rate", "1000", "-o", "json"])
        .current_dir(d)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1500));
    assert!(Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap().success());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1), "an interrupted run is not a success: {}", text(&out).1);
    let r = json(&out);
    assert_eq!(r["interrupted"], true);
    let sent = r["sent"].as_u64().unwrap();
    assert!(sent > 0 && sent < 100_000, "stopped partway: {sent}");
    assert_eq!(r["scheduling"]["unsent"].as_u64(), Some(100_000 - sent));
    assert_eq!(r["total"]["lost"], 0, "what was sent is accounted for");
    assert_eq!(r["total"]["completed"].as_u64(), Some(sent), "and settled in the grace period");
    assert!(r["problems"][0].as_str().unwrap().starts_with("interrupted"));
}

#[test]
fn a_stalled_publisher_shows_the_stall_in_the_corrected_latency() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    assert_eq!(orderctl(d, &["up"]).status.code(), Some(0));
    let child = Command::new(common::bin())
        .args(["send", "--kind", "normal", "--count", "400", "--rate", "200", "-o", "json"])
        .current_dir(d)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Another process holds the database's write lock for 600 ms mid-run: the
    // publisher stalls, and the ~120 orders due meanwhile go out late, at once. Mid-run
    // is a condition, not a clock: once 40 orders are accepted (the schedule's clock is
    // running, and 360 are still to come).
    let db = rusqlite::Connection::open(d.join(".orderctl/orderctl/state.db")).unwrap();
    db.busy_timeout(std::time::Duration::from_secs(30)).unwrap();
    let start = std::time::Instant::now();
    loop {
        let published: i64 = db.query_row("SELECT COALESCE(SUM(published), 0) FROM run_kinds", [], |r| r.get(0)).unwrap_or(0);
        if published >= 40 {
            break;
        }
        assert!(start.elapsed() < std::time::Duration::from_secs(120), "the send never got going");
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    db.execute_batch("BEGIN IMMEDIATE").unwrap();
    std::thread::sleep(std::time::Duration::from_millis(600));
    db.execute_batch("COMMIT").unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out).1);
    let r = json(&out);
    let (corrected, call_only) = (&r["latency"]["publish"], &r["latency"]["publishUncorrected"]);
    assert!(corrected["p90Ms"].as_f64().unwrap() > 100.0, "the stall is in the corrected latency: {corrected}");
    assert!(corrected["maxMs"].as_f64().unwrap() > 450.0, "{corrected}");
    // Not a wall-clock cap on the calls (a busy machine slows them): the stall is what
    // separates the corrected latency from the calls' own.
    let (p90, call_p90) = (corrected["p90Ms"].as_f64().unwrap(), call_only["p90Ms"].as_f64().unwrap());
    assert!(p90 > call_p90 + 100.0, "the stall is in the corrected latency, not the calls': {corrected} vs {call_only}");
    assert!(r["scheduling"]["lateSends"].as_u64().unwrap() >= 80, "the late sends are counted: {}", r["scheduling"]);
    assert_eq!(r["sent"], 400, "nothing was skipped: the sender caught up");
}
