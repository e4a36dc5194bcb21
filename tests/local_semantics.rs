//! The behaviours of REFERENCE §4, proved on the local engine.

use crate::common;

use common::{fast, orders, outcomes, publish, settle, stack};
use order_domain::{now_micros, Kind, OrderRecord, Status};
use orderctl::local::engine::Faults;
use orderctl::local::{alarm, functions, pipe, query, sns, sqs, table, Topology};
use orderctl::spec::{Endpoint, Resource, Settings};
use rusqlite::OptionalExtension;
use std::time::Duration;

const S: i64 = 1_000_000;

fn queue(name: &str, vt_s: i64, redrive: Option<(&str, u32)>) -> sqs::QueueConfig {
    sqs::QueueConfig {
        name: name.into(),
        visibility_timeout: vt_s * S,
        retention: 3600 * S,
        delay: 0,
        redrive: redrive.map(|(q, n)| (q.to_string(), n)),
    }
}

#[test]
fn visibility_timeout_hides_a_received_message_until_it_expires() {
    let (_d, st) = stack(Settings::local());
    let mut c = st.db.connect().unwrap();
    let q = queue("t-orders", 30, None);
    c.write(|tx| {
        sqs::send(tx, &q, ["a"], 0)?;
        let first = sqs::receive(tx, &q, 10, 0)?;
        assert_eq!(first.len(), 1);
        assert_eq!(first[0].receive_count, 1);
        assert!(sqs::receive(tx, &q, 10, 29 * S)?.is_empty(), "hidden during the visibility timeout");
        assert_eq!(sqs::depth(tx, "t-orders", 29 * S)?, sqs::Depth { visible: 0, in_flight: 1, delayed: 0 });
        let again = sqs::receive(tx, &q, 10, 30 * S)?;
        assert_eq!(again.len(), 1, "visible again when it expires");
        assert_eq!(again[0].receive_count, 2);
        assert_eq!(again[0].message_id, first[0].message_id);
        assert_eq!(sqs::delete(tx, "t-orders", &[&first[0].receipt])?, 0, "a stale receipt handle no longer deletes");
        assert!(sqs::change_visibility(tx, "t-orders", &again[0].receipt, 0, 31 * S)?);
        let third = sqs::receive(tx, &q, 10, 31 * S)?;
        assert_eq!(third.len(), 1, "visibility changed to zero makes it visible at once");
        assert_eq!(sqs::delete(tx, "t-orders", &[&third[0].receipt])?, 1);
        assert_eq!(sqs::depth(tx, "t-orders", 31 * S)?.total(), 0);
        Ok(())
    })
    .unwrap();
}

#[test]
fn a_message_moves_to_the_dlq_when_a_receive_would_exceed_max_receive_count() {
    let (_d, st) = stack(Settings::local());
    let mut c = st.db.connect().unwrap();
    let q = queue("t-orders", 1, Some(("t-orders-dlq", 3)));
    c.write(|tx| {
        let ids = sqs::send(tx, &q, ["x"], 0)?;
        for n in 1..=3 {
            let got = sqs::receive(tx, &q, 10, n * 2 * S)?;
            assert_eq!(got.len(), 1, "receive {n} delivers");
            assert_eq!(got[0].receive_count, n as u32);
        }
        assert!(sqs::receive(tx, &q, 10, 10 * S)?.is_empty(), "the 4th receive delivers nothing");
        assert_eq!(sqs::queue_of(tx, &ids[0])?.as_deref(), Some("t-orders-dlq"));
        let dead = sqs::peek(tx, "t-orders-dlq", None, 10)?;
        assert_eq!(dead.len(), 1);
        assert_eq!((dead[0].receive_count, dead[0].sent_at), (3, 0), "count and SentTimestamp are kept");
        assert_eq!(dead[0].source_queue.as_deref(), Some("t-orders"));
        assert_eq!(dead[0].message_id, ids[0], "the message id is kept");
        Ok(())
    })
    .unwrap();
}

#[test]
fn delay_retention_batches_and_purge() {
    let (_d, st) = stack(Settings::local());
    let mut c = st.db.connect().unwrap();
    let delayed = sqs::QueueConfig { delay: 5 * S, ..queue("t-orders", 30, None) };
    c.write(|tx| {
        sqs::send(tx, &delayed, ["d"], 0)?;
        assert_eq!(sqs::depth(tx, "t-orders", S)?, sqs::Depth { visible: 0, in_flight: 0, delayed: 1 });
        assert!(sqs::receive(tx, &delayed, 10, 4 * S)?.is_empty());
        assert_eq!(sqs::receive(tx, &delayed, 10, 5 * S)?.len(), 1);

        let q = queue("t-high-value", 30, None);
        sqs::send(tx, &q, (0..25).map(|_| "m"), 0)?;
        let batch = sqs::receive(tx, &q, 10, 0)?;
        assert_eq!(batch.len(), 10, "a receive returns at most the batch size");
        let receipts: Vec<&str> = batch.iter().map(|m| m.receipt.as_str()).collect();
        assert_eq!(sqs::delete(tx, "t-high-value", &receipts)?, 10);
        let short = sqs::QueueConfig { retention: 60 * S, ..q.clone() };
        assert_eq!(sqs::expire(tx, &short, 100, 59 * S)?, 0);
        // Newer messages, and an older one dead-lettered into the queue after them:
        // retention counts from each message's own send, oldest first, at most `max`
        // a sweep.
        sqs::send(tx, &q, ["new"], 30 * S)?;
        tx.execute("UPDATE messages SET sent_at = 0 WHERE body = 'new'", [])?;
        sqs::send(tx, &q, ["newer"], 30 * S)?;
        assert_eq!(sqs::expire(tx, &short, 10, 61 * S)?, 10, "at most `max` a sweep");
        assert_eq!(sqs::expire(tx, &short, 10, 61 * S)?, 6, "messages older than the retention period go");
        assert_eq!(sqs::peek(tx, "t-high-value", None, 10)?.iter().map(|m| m.body.as_str()).collect::<Vec<_>>(), ["newer"]);
        assert_eq!(sqs::purge(tx, "t-high-value")?, 1);
        sqs::send(tx, &q, ["p", "q"], 0)?;
        assert_eq!(sqs::purge(tx, "t-high-value")?, 2);
        Ok(())
    })
    .unwrap();
}

#[test]
fn sns_delivers_raw_or_in_the_envelope_and_the_worker_reads_both() {
    let (_d, st) = stack(Settings::local());
    let mut topology = st.topology().unwrap();
    let order = orders(Kind::Normal, "env", 0..1).remove(0);
    let body = order.to_json();
    topology.topics.insert("t-orders".into(), vec![Endpoint::Sqs { queue: "t-high-value".into(), raw_delivery: false }]);
    let mut c = st.db.connect().unwrap();
    c.write(|tx| {
        sns::publish(tx, &topology, "t-orders", None, &[&body], 0)?;
        let got = sqs::receive(tx, topology.queue("t-high-value")?, 10, 0)?;
        let envelope: serde_json::Value = serde_json::from_str(&got[0].body)?;
        assert_eq!(envelope["Type"], "Notification");
        assert_eq!(envelope["Message"], body.as_str());
        let outcomes = functions::order_worker(tx, &Settings::local().rules(), &got, None, now_micros())?;
        assert_eq!(outcomes, vec![functions::Outcome::Done]);
        assert_eq!(table::get(tx, &order.order_id)?.unwrap().status, Status::Completed);
        Ok(())
    })
    .unwrap();
}

#[test]
fn partial_batch_failure_retries_only_the_failed_records() {
    let (_d, st) = stack(fast());
    let mut batch = orders(Kind::Normal, "pb", 0..9);
    batch.extend(orders(Kind::Fail, "pb", 9..10));
    publish(&st, "pb", &batch);
    let total = settle(&st, "pb", Faults::default(), Duration::from_secs(20));
    assert_eq!((total.completed, total.dead_lettered, total.lost), (9, 1, 0));
    let mut c = st.db.connect().unwrap();
    c.read(|tx| {
        for o in &batch[..9] {
            let r = table::get(tx, &o.order_id)?.unwrap();
            assert_eq!((r.status, r.attempts), (Status::Completed, 1), "{} was processed once", o.order_id);
        }
        let failed = table::get(tx, &batch[9].order_id)?.unwrap();
        assert_eq!(
            (failed.status, failed.attempts),
            (Status::DeadLettered, 3),
            "received exactly maxReceiveCount times, then dead-lettered"
        );
        assert!(failed.last_error.unwrap().contains("FAIL"));
        Ok(())
    })
    .unwrap();
}

#[test]
fn function_errors_and_timeouts_return_the_whole_batch_and_commit_nothing() {
    for faults in [
        Faults { error: 1.0, ..Faults::default() },
        Faults { timeout: 1.0, ..Faults::default() },
        Faults { panic: 1.0, ..Faults::default() },
    ] {
        let (_d, st) = stack(fast());
        publish(&st, "fe", &orders(Kind::Normal, "fe", 0..5));
        let total = settle(&st, "fe", faults, Duration::from_secs(20));
        assert_eq!((total.dead_lettered, total.completed, total.lost), (5, 0, 0), "{faults:?}");
        let mut c = st.db.connect().unwrap();
        let items: i64 = c.read(|tx| Ok(tx.query_row("SELECT COUNT(*) FROM items", [], |r| r.get(0))?)).unwrap();
        assert_eq!(items, 0, "a failed invocation's writes never commit ({faults:?})");
    }
}

#[test]
fn duplicate_delivery_never_moves_an_order_backwards() {
    let (_d, st) = stack(fast());
    let batch = orders(Kind::Normal, "dup", 0..40);
    publish(&st, "dup", &batch);
    let faults = Faults { duplicate: 0.4, ..Faults::default() };
    let (total, first) = common::settle_with_stats(&st, "dup", faults, Duration::from_secs(30));
    assert_eq!((total.completed, total.lost), (40, 0));
    assert!(first.duplicates > 0, "duplicates were injected: {first:?}");
    // Let the undeleted copies come back and be processed again.
    let topology = st.topology().unwrap();
    let engine = orderctl::local::engine::Engine::start(&st, Faults::default()).unwrap();
    let start = std::time::Instant::now();
    loop {
        let mut c = st.db.connect().unwrap();
        let left = c.read(|tx| Ok(sqs::depth(tx, "t-orders", now_micros())?.total())).unwrap();
        if left == 0 {
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(20), "duplicates were not drained");
        std::thread::sleep(Duration::from_millis(20));
    }
    let stats = engine.stop();
    let mut c = st.db.connect().unwrap();
    c.read(|tx| {
        // Each order was written exactly once: one stream record, and that one settles it.
        for o in &batch {
            let records: Vec<String> = tx
                .prepare("SELECT event_name FROM stream WHERE order_id = ?1")?
                .query_map([&o.order_id], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            assert_eq!(records.len(), 1, "{} written {} times", o.order_id, records.len());
            let r = table::get(tx, &o.order_id)?.unwrap();
            assert_eq!((r.status, r.attempts), (Status::Completed, 1));
        }
        Ok(())
    })
    .unwrap();
    assert_eq!(outcomes(&st, &topology, "dup").completed, 40);
    // Every duplicate was delivered again, by whichever engine: the first may still be
    // running when an undeleted copy's visibility timeout (300 ms) runs out.
    assert!(first.records + stats.records >= 40 + first.duplicates, "every duplicate was delivered again: first {first:?}, then {stats:?}");
}

#[test]
fn a_late_duplicate_of_a_settled_order_changes_nothing() {
    let (_d, st) = stack(Settings::local());
    let order = orders(Kind::HighValue, "late", 0..1).remove(0);
    let rules = Settings::local().rules();
    let mut c = st.db.connect().unwrap();
    c.write(|tx| {
        let q = sqs::QueueConfig { ..queue("t-orders", 30, None) };
        sqs::send(tx, &q, [order.to_json().as_str(), order.to_json().as_str()], 0)?;
        let got = sqs::receive(tx, &q, 10, 0)?;
        functions::order_worker(tx, &rules, &got[..1], None, 100)?;
        let settled: OrderRecord = table::get(tx, &order.order_id)?.unwrap();
        functions::order_worker(tx, &rules, &got[1..], None, 200)?;
        assert_eq!(table::get(tx, &order.order_id)?.unwrap(), settled, "the duplicate left the order as it was");
        let n: i64 = tx.query_row("SELECT COUNT(*) FROM stream", [], |r| r.get(0))?;
        assert_eq!(n, 1);
        Ok(())
    })
    .unwrap();
}

#[test]
fn the_pipe_never_takes_an_order_away_from_the_worker() {
    let (_d, st) = stack(fast());
    let mut batch = orders(Kind::Normal, "pipe", 0..60);
    batch.extend(orders(Kind::HighValue, "pipe", 60..80));
    publish(&st, "pipe", &batch);
    let total = settle(&st, "pipe", Faults::default(), Duration::from_secs(20));
    assert_eq!((total.completed, total.failed_by_rule, total.reviewed, total.lost), (60, 20, 20, 0));
    // The pipe reads the table's stream, not the worker's queue; it routed exactly
    // the high-value orders, once each.
    let topology = st.topology().unwrap();
    let spec_pipe = st.observed().unwrap().into_iter().find(|r| matches!(r, Resource::Pipe { .. })).unwrap();
    let Resource::Pipe { source_table, .. } = spec_pipe else { unreachable!() };
    assert_eq!(source_table, topology.names.table());
    let mut c = st.db.connect().unwrap();
    let reviews: i64 =
        c.read(|tx| Ok(tx.query_row("SELECT COUNT(*) FROM items WHERE reviewed = 1 AND kind = 'high-value'", [], |r| r.get(0))?)).unwrap();
    assert_eq!(reviews, 20);
    let normal_reviewed: i64 =
        c.read(|tx| Ok(tx.query_row("SELECT COUNT(*) FROM items WHERE reviewed = 1 AND kind = 'normal'", [], |r| r.get(0))?)).unwrap();
    assert_eq!(normal_reviewed, 0);
}

#[test]
fn a_numeric_filter_on_stream_numbers_routes_nothing() {
    let (_d, st) = stack(Settings::local());
    let mut topology: Topology = st.topology().unwrap();
    // The write-up's filter: looks right, never matches a stream record.
    topology.pipes[0].filter = serde_json::json!({"dynamodb": {"NewImage": {"amount": {"N": [{"numeric": [">", 10000]}]}}}});
    let batch = orders(Kind::HighValue, "trap", 0..5);
    let mut c = st.db.connect().unwrap();
    c.write(|tx| {
        let q = topology.queue("t-orders")?.clone();
        let bodies: Vec<String> = batch.iter().map(|o| o.to_json()).collect();
        sqs::send(tx, &q, bodies.iter().map(String::as_str), 0)?;
        let got = sqs::receive(tx, &q, 10, 0)?;
        functions::order_worker(tx, &Settings::local().rules(), &got, None, 1)?;
        assert_eq!(pipe::step(tx, &topology.pipes[0], 100, 2)?, (5, 0), "5 records read, none routed");
        Ok(())
    })
    .unwrap();
    // The stack's own filter, on the `tier` string, routes all five.
    let good = st.topology().unwrap();
    c.write(|tx| {
        tx.execute("DELETE FROM checkpoints", [])?;
        assert_eq!(pipe::step(tx, &good.pipes[0], 100, 3)?, (5, 5));
        Ok(())
    })
    .unwrap();
}

#[test]
fn the_stream_holds_old_and_new_images_in_commit_order() {
    let (_d, st) = stack(Settings::local());
    let mut batch = orders(Kind::Fail, "str", 0..1);
    let rules = Settings::local().rules();
    let mut c = st.db.connect().unwrap();
    c.write(|tx| {
        let q = queue("t-orders", 0, None);
        sqs::send(tx, &q, [batch[0].to_json().as_str()], 0)?;
        let got = sqs::receive(tx, &q, 1, 0)?;
        functions::order_worker(tx, &rules, &got, None, 10)?;
        batch[0].notes.clear();
        sqs::send(tx, &q, [batch[0].to_json().as_str()], 20)?;
        let got = sqs::receive(tx, &q, 10, 20)?;
        let repaired: Vec<_> = got.into_iter().filter(|m| !m.body.contains("FAIL")).collect();
        functions::order_worker(tx, &rules, &repaired, None, 30)?;
        let changes = table::changes(tx, 0, 10)?;
        assert_eq!(changes.iter().map(|c| c.event_name.as_str()).collect::<Vec<_>>(), ["INSERT", "MODIFY"]);
        assert!(changes[0].seq < changes[1].seq);
        let modify = changes[1].to_record("t-orders")?;
        assert_eq!(modify["dynamodb"]["OldImage"]["status"]["S"], "RETRYING");
        assert_eq!(modify["dynamodb"]["NewImage"]["status"]["S"], "COMPLETED");
        assert!(modify["dynamodb"]["NewImage"]["amount"]["N"].is_string(), "numbers are strings in a stream record");
        Ok(())
    })
    .unwrap();
}

/// A fresh stack's DLQ alarm fed `samples` — (period index from the first period start
/// after `up`, DLQ depth) — in turn, and every transition they caused; with the start
/// of that first period, and the stack (its database holds the notifications).
fn alarm_fed(samples: &[(f64, u64)]) -> (Vec<alarm::Transition>, i64, (tempfile::TempDir, orderctl::local::LocalStack)) {
    let (d, st) = stack(Settings::local());
    let topology = st.topology().unwrap();
    let a = topology.alarms[0].clone();
    let t0 = (now_micros() / a.period + 1) * a.period;
    let mut c = st.db.connect().unwrap();
    let mut transitions = Vec::new();
    for (periods, depth) in samples {
        let at = t0 + (periods * a.period as f64) as i64;
        transitions.extend(c.write(|tx| alarm::sample(tx, &topology, &a, *depth, at)).unwrap());
    }
    (transitions, t0, (d, st))
}

#[test]
fn the_alarm_goes_ok_alarm_ok_with_one_notification_per_transition() {
    // (periods after the first, DLQ depth): a quiet period, two breaching periods, quiet again.
    let (transitions, _, (_d, st)) = alarm_fed(&[(0.0, 0), (1.0, 2), (1.5, 5), (2.0, 1), (3.0, 0), (4.0, 0), (5.0, 0)]);
    let transitions: Vec<(String, String)> = transitions.into_iter().map(|t| (t.old_state, t.new_state)).collect();
    let a = st.topology().unwrap().alarms[0].clone();
    let mut c = st.db.connect().unwrap();
    let expected = [("INSUFFICIENT_DATA", "OK"), ("OK", "ALARM"), ("ALARM", "OK")];
    assert_eq!(transitions, expected.map(|(a, b)| (a.to_string(), b.to_string())));
    let notes: Vec<(String, String)> = c
        .read(|tx| {
            Ok(tx
                .prepare("SELECT subject, message FROM notifications WHERE topic = 't-alerts' ORDER BY id")?
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?)
        })
        .unwrap();
    assert_eq!(notes.len(), 3, "one notification per transition");
    assert!(notes[1].0.starts_with("ALARM: \"t-dlq-not-empty\""));
    let message: serde_json::Value = serde_json::from_str(&notes[1].1).unwrap();
    assert_eq!((message["OldStateValue"].as_str(), message["NewStateValue"].as_str()), (Some("OK"), Some("ALARM")));
    let state = c.read(|tx| alarm::state(tx, &a.name)).unwrap().unwrap();
    assert_eq!(state.state, "OK");
    assert_eq!(c.read(|tx| alarm::history(tx, &a.name, 0)).unwrap().len(), 3);
}

/// A mapping with a batching window waits, up to the window, for its batch to fill: a
/// lone order waits the whole window and the orders that arrive meanwhile join its
/// batch; a full batch is invoked at once.
#[test]
fn the_batching_window_fills_a_batch_before_invoking() {
    const WINDOW: Duration = Duration::from_secs(5);
    // One poller, and messages that stay received for longer than the window.
    let settings = Settings { batching_window_ms: WINDOW.as_millis() as u64, max_concurrency: 1, visibility_timeout_ms: 60_000, ..fast() };
    let (_d, st) = stack(settings);
    let topology = st.topology().unwrap();
    let engine = orderctl::local::engine::Engine::start(&st, Faults::default()).unwrap();
    let started = std::time::Instant::now();
    publish(&st, "bw", &orders(Kind::Normal, "bw", 0..1));
    // Once the lone order is received, the window is open: three more join it.
    let mut c = st.db.connect().unwrap();
    let received = |c: &mut orderctl::local::db::Conn| -> i64 {
        c.read(|tx| Ok(tx.query_row("SELECT COUNT(*) FROM messages WHERE queue = 't-orders' AND receive_count > 0", [], |r| r.get(0))?))
            .unwrap()
    };
    while received(&mut c) == 0 && outcomes(&st, &topology, "bw").unsettled() > 0 {
        assert!(started.elapsed() < Duration::from_secs(60), "the order was never received");
        std::thread::sleep(Duration::from_millis(5));
    }
    publish(&st, "bw", &orders(Kind::Normal, "bw", 1..4));
    while outcomes(&st, &topology, "bw").unsettled() > 0 {
        assert!(started.elapsed() < Duration::from_secs(60), "the batch never settled");
        std::thread::sleep(Duration::from_millis(5));
    }
    let waited = started.elapsed();
    let stats = engine.stats();
    assert_eq!((stats.invocations, stats.records), (1, 4), "one batch of four: {stats:?}");
    assert!(waited >= WINDOW, "the lone order waited out the window: settled after {waited:?}");

    // Ten at once fill a batch: invoked without waiting for the window.
    let full = std::time::Instant::now();
    publish(&st, "bw2", &orders(Kind::Normal, "bw2", 0..10));
    while outcomes(&st, &topology, "bw2").unsettled() > 0 {
        assert!(full.elapsed() < Duration::from_secs(60), "the full batch never settled");
        std::thread::sleep(Duration::from_millis(5));
    }
    let stats = engine.stop();
    assert_eq!((stats.invocations, stats.records), (2, 14), "one more batch, of ten: {stats:?}");
    assert!(full.elapsed() < WINDOW, "a full batch does not wait for the window: {:?}", full.elapsed());
}

/// At most `concurrency` invocations of the orders mapping run at once, and a backlog
/// keeps that many busy.
#[test]
fn the_mapping_runs_at_most_its_concurrency_at_once() {
    for concurrency in [1, 3] {
        let (_d, st) = stack(Settings { max_concurrency: concurrency, batch_size: 2, ..fast() });
        publish(&st, "mc", &orders(Kind::Normal, "mc", 0..40));
        // Timed-out invocations hold their batch for the whole function timeout.
        let (total, stats) = common::settle_with_stats(&st, "mc", Faults { timeout: 1.0, ..Faults::default() }, Duration::from_secs(120));
        assert_eq!((total.dead_lettered, total.lost), (40, 0), "{total:?}");
        assert_eq!(stats.peak_concurrency, concurrency as u64, "concurrency {concurrency}: {stats:?}");
    }
}

/// Periods with no datapoint at all (no engine ran to sample the DLQ): the latest
/// closed period is missing data, which is not breaching — the alarm is OK from then,
/// not ALARM until the next sample's period closes.
#[test]
fn the_alarm_treats_periods_without_datapoints_as_not_breaching() {
    // A quiet period, a breaching one, then nothing for three periods.
    let (transitions, t0, (_d, st)) = alarm_fed(&[(0.0, 0), (1.0, 3), (5.0, 0), (6.0, 0)]);
    let p = st.topology().unwrap().alarms[0].period;
    let mut c = st.db.connect().unwrap();
    let states: Vec<(&str, &str)> = transitions.iter().map(|t| (t.old_state.as_str(), t.new_state.as_str())).collect();
    assert_eq!(states, [("INSUFFICIENT_DATA", "OK"), ("OK", "ALARM"), ("ALARM", "OK")]);
    let (alarmed, back) = (&transitions[1], &transitions[2]);
    assert!(alarmed.reason.contains("[3.0 ("), "the breaching period's datapoint: {}", alarmed.reason);
    assert_eq!(back.at, t0 + 5 * p, "OK as soon as the empty periods are seen, not a period later");
    assert!(back.reason.contains("missing data is treated as not breaching"), "{}", back.reason);
    let notes: i64 =
        c.read(|tx| Ok(tx.query_row("SELECT COUNT(*) FROM notifications WHERE topic = 't-alerts'", [], |r| r.get(0))?)).unwrap();
    assert_eq!(notes, 3, "each transition notified, both of the two seen at once");
}

#[test]
fn malformed_messages_end_in_the_dlq_with_their_reason() {
    let (_d, st) = stack(fast());
    let topology = st.topology().unwrap();
    let bad = ["not json", "{\"orderId\": 7}", "[1,2]", "{\"orderId\":\"m-1\",\"customerName\":\"A\",\"product\":\"P\",\"quantity\":1,\"amount\":-5,\"createdAt\":\"2026-01-01T00:00:00Z\"}"];
    let mut c = st.db.connect().unwrap();
    c.write(|tx| {
        sns::publish(tx, &topology, "t-orders", None, &bad, now_micros())?;
        Ok(())
    })
    .unwrap();
    let engine = orderctl::local::engine::Engine::start(&st, Faults::default()).unwrap();
    let start = std::time::Instant::now();
    while c.read(|tx| query::dlq_total(tx, &topology)).unwrap() < 4 {
        assert!(start.elapsed() < Duration::from_secs(20), "malformed messages did not reach the DLQ");
        std::thread::sleep(Duration::from_millis(20));
    }
    engine.stop();
    let letters = c.read(|tx| query::dead_letters(tx, &topology, None, 10)).unwrap();
    let reasons: Vec<&str> = letters.iter().map(|(_, r)| r.as_str()).collect();
    assert!(reasons.iter().any(|r| r.contains("not JSON")), "{reasons:?}");
    assert!(reasons.iter().any(|r| r.contains("`orderId` must be a string")), "{reasons:?}");
    assert!(reasons.iter().any(|r| r.contains("not a JSON object")), "{reasons:?}");
    assert!(reasons.iter().any(|r| r.contains("`amount` must not be negative")), "{reasons:?}");
    assert!(letters.iter().all(|(m, _)| m.receive_count == 3));
    let unknown: Option<String> =
        c.read(|tx| Ok(tx.query_row("SELECT order_id FROM items LIMIT 1", [], |r| r.get(0)).optional()?)).unwrap();
    assert_eq!(unknown, None, "nothing malformed was written to the table");
}
