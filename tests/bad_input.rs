//! Bad input: malformed messages on the topic end in the DLQ with a reason `dlq inspect`
//! shows, without crashing a handler or holding up the good orders beside them; and
//! every bad flag or flag combination exits 2 with a message naming the flag.

use crate::common;

use common::{ok_json, orderctl};
use order_domain::{now_micros, synthesize, Kind, Rules, MAX_MESSAGE_BYTES};
use orderctl::local::{sns, sqs, LocalStack};

#[test]
fn malformed_messages_reach_the_dlq_with_their_reason_and_never_crash_a_handler() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok_json(&orderctl(d, &["up", "-o", "json"]), "up");
    let good: Vec<String> = (0..3).map(|n| synthesize(Kind::Normal, n, "bi", now_micros(), &Rules::default()).to_json()).collect();
    let valid = serde_json::from_str::<serde_json::Value>(&good[0]).unwrap();
    let with = |field: &str, value: serde_json::Value| {
        let mut v = valid.clone();
        v["orderId"] = format!("bad-{field}").into();
        v[field] = value;
        v.to_string()
    };
    let without = |field: &str| {
        let mut v = valid.clone();
        v["orderId"] = format!("bad-no-{field}").into();
        v.as_object_mut().unwrap().remove(field);
        v.to_string()
    };
    // (body, what `dlq inspect` must say about it)
    let bad: Vec<(String, &str)> = vec![
        ("not json at all".into(), "not JSON"),
        ("[1, 2, 3]".into(), "not a JSON object"),
        ("{}".into(), "`orderId` is missing"),
        (without("amount"), "`amount` is missing"),
        (without("customerName"), "`customerName` is missing"),
        (with("quantity", "two".into()), "`quantity` must be a number"),
        (with("amount", "12.50".into()), "`amount` must be a JSON number"),
        (with("amount", (-5).into()), "`amount` must not be negative"),
        (with("createdAt", "yesterday".into()), "`createdAt` must be an RFC 3339 timestamp"),
        // A lone surrogate: the nearest an SQS message (always valid Unicode) comes to
        // invalid UTF-8; bytes that are not UTF-8 are refused by create-order itself.
        (r#"{"orderId": "\ud800"}"#.into(), "not JSON"),
    ];
    let oversized = format!("{{\"orderId\": \"bad-huge\", \"pad\": \"{}\"}}", "x".repeat(MAX_MESSAGE_BYTES));

    let stack = LocalStack::open(&d.join(".orderctl"), "orderctl").unwrap();
    let topology = stack.topology().unwrap();
    let topic = topology.names.orders_topic();
    let mut conn = stack.db.connect().unwrap();
    // As SNS does, the local topic refuses a message over 256 KiB at publish.
    let refused = conn.write(|tx| sns::publish(tx, &topology, &topic, None, &[oversized.as_str()], now_micros())).unwrap_err();
    assert!(format!("{refused:#}").contains("262144-byte limit"), "{refused:#}");
    // The bad bodies, the good orders interleaved, one publish; the oversized body
    // straight into the queue, as a sender bypassing SNS could.
    let mut bodies: Vec<&str> = bad.iter().map(|(b, _)| b.as_str()).collect();
    for (i, g) in good.iter().enumerate() {
        bodies.insert(i * 4, g);
    }
    conn.write(|tx| {
        sns::publish(tx, &topology, &topic, None, &bodies, now_micros())?;
        sqs::send(tx, topology.queue(&topology.names.orders_queue())?, [oversized.as_str()], now_micros())?;
        Ok(())
    })
    .unwrap();

    let drain = ok_json(&orderctl(d, &["drain", "--wait", "60s", "-o", "json"]), "drain");
    let engine = &drain["engine"];
    assert_eq!((engine["panics"].as_u64(), engine["functionErrors"].as_u64()), (Some(0), Some(0)), "no handler crashed: {engine}");
    let malformed = bad.len() as u64 + 1;
    assert_eq!(engine["recordFailures"].as_u64(), Some(malformed * 3), "each bad message failed alone, maxReceiveCount times: {engine}");
    assert_eq!(drain["orders"]["completed"].as_u64(), Some(3), "the good orders beside them completed: {}", drain["orders"]);
    assert_eq!(drain["orders"]["total"].as_u64(), Some(3), "nothing malformed was written to the table: {}", drain["orders"]);

    let inspect = ok_json(&orderctl(d, &["dlq", "inspect", "-o", "json"]), "dlq inspect");
    assert_eq!(inspect["depth"].as_u64(), Some(malformed), "none silently dropped: {inspect}");
    let reasons: Vec<&str> = inspect["messages"].as_array().unwrap().iter().map(|m| m["reason"].as_str().unwrap()).collect();
    for (body, said) in &bad {
        assert!(reasons.iter().any(|r| r.contains(said)), "`{said}` for {body:.60} is among the reasons {reasons:#?}");
    }
    assert!(reasons.iter().any(|r| r.contains("over the 262144-byte limit")), "{reasons:#?}");
    assert!(reasons.iter().all(|r| r.starts_with("malformed order")), "{reasons:#?}");
    eprintln!("{malformed} malformed messages (+3 good beside them): all in the DLQ with their reason, 0 panics, 0 function errors, good orders completed");
}

/// Each bad flag or combination: exit 2 and a message naming the flag.
#[test]
fn every_bad_flag_exits_2_naming_the_flag() {
    let dir = tempfile::tempdir().unwrap();
    let cases: &[(&[&str], &str)] = &[
        (&["send", "--kind", "normal", "--mix", "normal=1"], "--kind"),
        (&["send", "--count", "10", "--duration", "5s"], "--duration"),
        (&["send", "--fail", "--high-value"], "--high-value"),
        (&["send", "--kind", "normal", "--normal"], "--normal"),
        (&["send", "--rate", "0"], "--rate"),
        (&["send", "--rate", "abc"], "--rate"),
        (&["send", "--rate", "2000000"], "--rate"),
        (&["send", "--count", "0"], "--count"),
        (&["send", "--count", "-1"], "--count"),
        (&["send", "--mix", "normal=0"], "--mix"),
        (&["send", "--mix", "bogus=1"], "--mix"),
        (&["send", "--wait", "forever"], "--wait"),
        (&["send", "--wait", "-1s"], "--wait"),
        (&["send", "--duration", "0s"], "--duration"),
        (&["send", "--hdr-out"], "--hdr-out"),
        (&["run", "--time-scale", "0", "x.toml"], "--time-scale"),
        (&["run", "--rate-scale", "-1", "x.toml"], "--rate-scale"),
        (&["run", "--p99-ms", "-5", "x.toml"], "--p99-ms"),
        (&["run"], "<SCENARIO>"),
        (&["up", "--visibility-timeout", "1s", "--function-timeout", "1s"], "visibility-timeout"),
        (&["up", "--function-timeout", "16m"], "function-timeout"),
        (&["up", "--visibility-timeout", "13h"], "visibility-timeout"),
        (&["up", "--batching-window", "301s"], "batching-window"),
        (&["up", "--batch-size", "0"], "batch-size"),
        (&["up", "--batch-size", "100000"], "batch-size"),
        (&["up", "--batch-size", "20"], "batching-window"),
        (&["up", "--max-receive-count", "1001"], "max-receive-count"),
        (&["up", "--threshold", "-5"], "threshold"),
        (&["up", "--threshold", "nan"], "threshold"),
        (&["up", "--alert-email", "notanemail"], "--alert-email"),
        (&["up", "--arch", "sparc"], "--arch"),
        (&["--target", "aws", "up", "--concurrency", "1", "--region", "us-east-1", "--endpoint-url", "http://127.0.0.1:9"], "concurrency"),
        (
            &["--target", "aws", "up", "--alarm-period", "5s", "--region", "us-east-1", "--endpoint-url", "http://127.0.0.1:9"],
            "alarm-period",
        ),
        (&["dlq", "redrive", "--rate", "0"], "--rate"),
        (&["dlq", "redrive", "--rate", "501"], "--rate"),
        (&["dlq", "redrive", "--limit", "0"], "--limit"),
        (&["dlq", "redrive", "--kind", "bogus"], "--kind"),
        (&["dlq", "redrive", "--wait", "x"], "--wait"),
        (&["dlq", "redrive", "--order-id", ""], "--order-id"),
        (&["dlq", "inspect", "--limit", "-1"], "--limit"),
        (&["status", "--watch", "0s"], "--watch"),
        (&["smoke", "--timeout", "0s"], "--timeout"),
        (&["smoke", "--junit"], "--junit"),
        (&["--output", "yaml", "status"], "--output"),
        (&["--target", "gcp", "status"], "--target"),
        (&["--stack", "", "status"], "--stack"),
        (&["--stack", "bad name!", "up"], "--stack"),
        (&["package", "--arch", "mips"], "--arch"),
        (&["lambda", "invoke", "order-worker"], "--event"),
        (&["completions", "tcsh"], "<SHELL>"),
        (&["send", "--no-such-flag"], "--no-such-flag"),
    ];
    for (args, flag) in cases {
        let out = orderctl(dir.path(), args);
        let (stdout, stderr) = common::text(&out);
        assert_eq!(out.status.code(), Some(2), "`orderctl {}` exits 2:\n{stderr}{stdout}", args.join(" "));
        assert!(stderr.contains(flag), "`orderctl {}` names `{flag}`:\n{stderr}", args.join(" "));
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
    assert!(!dir.path().join(".orderctl").exists(), "no bad command created a stack");
    eprintln!("{} bad flags and combinations: each exit 2, naming the flag", cases.len());
}
