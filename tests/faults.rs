//! Conservation under injected faults on the local target: 10,000 mixed orders sent
//! while the engine makes functions fail, time out and panic at random and delivers
//! records twice. Every order ends in exactly one of completed / failed by rule / the
//! DLQ, and the table never moves an order backwards.

use crate::common;

use common::{ok_json, orderctl};
use order_domain::{OrderRecord, Status};
use orderctl::local::LocalStack;
use std::collections::HashMap;
use std::process::Command;

const ORDERS: u64 = 10_000;
const FAULTS: &str = "error=0.1,timeout=0.02,panic=0.02,duplicate=0.05";

/// A record may follow `before` only if it does not undo anything: a settled order
/// stays settled with the same status, a review is never withdrawn, attempts only grow.
fn moves_forward(before: &OrderRecord, after: &OrderRecord) -> bool {
    let status_ok = match (before.status, after.status) {
        // A redrive makes a dead-lettered order retryable again.
        (Status::Retrying | Status::DeadLettered, _) => true,
        (b, a) => b == a,
    };
    status_ok && (before.review.is_none() || after.review.is_some()) && after.attempts >= before.attempts
}

#[test]
fn ten_thousand_orders_under_injected_faults_are_each_in_exactly_one_place() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok_json(&orderctl(d, &["up", "-o", "json"]), "up");
    let count = ORDERS.to_string();
    let send = Command::new(common::bin())
        .args(["send", "--count", &count, "--rate", "2000", "--mix", "normal=8,high-value=1,fail=1", "--wait", "300s", "-o", "json"])
        .current_dir(d)
        .env("ORDERCTL_LOCAL_FAULTS", FAULTS)
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .output()
        .unwrap();
    let report = ok_json(&send, "send with injected faults");
    let (t, e) = (&report["total"], &report["engine"]);
    let n = |v: &serde_json::Value, k: &str| v[k].as_u64().unwrap_or_else(|| panic!("`{k}` in {v}"));
    assert_eq!((n(t, "sent"), n(t, "lost"), n(t, "inFlight"), n(t, "awaitingReview")), (ORDERS, 0, 0, 0), "{t}");
    assert_eq!(n(t, "completed") + n(t, "failedByRule") + n(t, "deadLettered"), ORDERS, "{t}");
    for fault in ["functionErrors", "timeouts", "panics", "duplicates"] {
        assert!(n(e, fault) > 0, "`{fault}` were injected: {e}");
    }
    // Let every copy still queued (undeleted duplicates) be processed too.
    assert_eq!(orderctl(d, &["drain", "--wait", "120s"]).status.code(), Some(0));

    let stack = LocalStack::open(&d.join(".orderctl"), "orderctl").unwrap();
    let dlq = stack.topology().unwrap().names.dlq();
    let run = report["runId"].as_str().unwrap().to_string();
    let mut conn = stack.db.connect().unwrap();
    let (places, history, kinds) = conn
        .read(|tx| {
            // Where each order is: its settled status in the table, and the DLQ if a copy
            // of it is there.
            let mut places: HashMap<String, Vec<&'static str>> = HashMap::new();
            let mut kinds: HashMap<String, String> = HashMap::new();
            let mut items = tx.prepare("SELECT order_id, status, kind FROM items WHERE run_id = ?1")?;
            let mut rows = items.query([&run])?;
            while let Some(r) = rows.next()? {
                let (id, status, kind): (String, String, String) = (r.get(0)?, r.get(1)?, r.get(2)?);
                match status.as_str() {
                    "COMPLETED" => places.entry(id.clone()).or_default().push("completed"),
                    "FAILED" => places.entry(id.clone()).or_default().push("failed by rule"),
                    _ => {}
                }
                kinds.insert(id, kind);
            }
            let mut dead = tx.prepare("SELECT DISTINCT order_id, kind FROM messages WHERE run_id = ?1 AND queue = ?2")?;
            let mut rows = dead.query([&run, &dlq])?;
            while let Some(r) = rows.next()? {
                let (id, kind): (String, String) = (r.get(0)?, r.get(1)?);
                places.entry(id.clone()).or_default().push("dlq");
                kinds.insert(id, kind);
            }
            let live: i64 = tx.query_row("SELECT COUNT(*) FROM messages WHERE run_id = ?1 AND queue <> ?2", [&run, &dlq], |r| r.get(0))?;
            assert_eq!(live, 0, "drained: no copy of the run's orders is left outside the DLQ");
            // Every version the table held of each order, in commit order.
            let mut history: HashMap<String, Vec<OrderRecord>> = HashMap::new();
            let mut stream = tx.prepare("SELECT order_id, new_item FROM stream WHERE order_id LIKE ?1 || '-%' ORDER BY seq")?;
            let mut rows = stream.query([&run])?;
            while let Some(r) = rows.next()? {
                let (id, item): (String, Option<String>) = (r.get(0)?, r.get(1)?);
                let record = OrderRecord::from_json(&item.expect("the run's orders are never removed")).expect("a record");
                history.entry(id).or_default().push(record);
            }
            Ok((places, history, kinds))
        })
        .unwrap();

    let mut by_place: HashMap<&str, u64> = HashMap::new();
    // A settled order may leave a stale copy in the DLQ: a duplicate delivery (its
    // delete lost) whose retries were then faulted `maxReceiveCount` times. Its outcome
    // is the table's; only duplicates can cause it.
    let mut stale_copies = 0u64;
    for seq in 0..ORDERS {
        let id = format!("{run}-{seq}");
        let found = places.get(&id).unwrap_or_else(|| panic!("{id} is nowhere: lost"));
        let place: &[&str] = match found.as_slice() {
            [one] => std::slice::from_ref(one),
            [settled @ ("completed" | "failed by rule"), "dlq"] => {
                stale_copies += 1;
                std::slice::from_ref(settled)
            }
            other => panic!("{id} is in {other:?}"),
        };
        *by_place.entry(place[0]).or_default() += 1;
        // The business rules hold whatever the faults: FAIL notes never complete, high
        // value fails by rule and is reviewed. Any order whose batch was faulted
        // `maxReceiveCount` times is dead-lettered instead, as on AWS.
        match (kinds[&id].as_str(), place[0]) {
            (_, "dlq") => {}
            ("fail", p) => panic!("{id}: a FAIL order ends in the DLQ, not {p}"),
            ("high-value", p) => {
                assert_eq!(p, "failed by rule", "{id}");
                assert!(history[&id].last().unwrap().review.is_some(), "{id} was reviewed");
            }
            (_, p) => assert_eq!(p, "completed", "{id}"),
        }
        if let Some(versions) = history.get(&id) {
            for w in versions.windows(2) {
                assert!(moves_forward(&w[0], &w[1]), "{id} moved backwards: {:?} → {:?}", w[0], w[1]);
            }
        }
    }
    assert_eq!(places.len() as u64, ORDERS, "no order of the run appears that was not sent");
    assert!(stale_copies <= n(e, "duplicates"), "{stale_copies} settled orders with a copy in the DLQ, more than the duplicates injected");
    let writes: usize = history.values().map(Vec::len).sum();
    eprintln!(
        "{ORDERS} orders under faults {FAULTS}: {} invocations, {} function errors, {} timeouts, {} panics, {} duplicate deliveries; \
         {} completed, {} failed by rule, {} in the DLQ, 0 lost ({stale_copies} settled orders also left a stale duplicate in the DLQ); \
         {writes} table writes checked, none backwards",
        n(e, "invocations"),
        n(e, "functionErrors"),
        n(e, "timeouts"),
        n(e, "panics"),
        n(e, "duplicates"),
        by_place.get("completed").unwrap_or(&0),
        by_place.get("failed by rule").unwrap_or(&0),
        by_place.get("dlq").unwrap_or(&0),
    );
}
