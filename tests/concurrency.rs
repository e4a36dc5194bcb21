//! Concurrent use of one local stack: two `send`s at once, and `dlq inspect` or `status`
//! polled beside a `send`. No accepted order is lost or doubled, no order moves
//! backwards, the readers report only what exists and change nothing, and the
//! database stays intact.

use crate::common;

use common::{ok_json, text};
use orderctl::local::{query, LocalStack, Topology};
use orderctl::model::KindOutcome;
use rusqlite::Connection;
use serde_json::Value;
use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

/// How often the readers are run beside a `send`.
const POLL: Duration = Duration::from_millis(200);
/// The default mix: one order in ten of each of `high-value` and `fail`.
const MIX: &str = "normal=8,high-value=1,fail=1";

/// `orderctl ARGS` in `dir`, with nothing from the environment choosing another stack,
/// target or output.
fn command(dir: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(common::bin());
    cmd.args(args).current_dir(dir).env("AWS_EC2_METADATA_DISABLED", "true");
    for var in ["ORDERCTL_LOCAL_FAULTS", "ORDERCTL_STACK", "ORDERCTL_TARGET", "ORDERCTL_OUTPUT", "ORDERCTL_STATE_DIR"] {
        cmd.env_remove(var);
    }
    cmd
}

fn run(dir: &Path, args: &[&str]) -> Output {
    command(dir, args).output().expect("orderctl runs")
}

/// `orderctl send --count COUNT --rate RATE --mix MIX -o json`, started now; a thread of
/// its own collects the output, so neither pipe can fill and stall it.
fn spawn_send(dir: &Path, count: u64, rate: u64) -> JoinHandle<Output> {
    let (count, rate) = (count.to_string(), rate.to_string());
    let child = command(dir, &["send", "--count", &count, "--rate", &rate, "--mix", MIX, "-o", "json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("orderctl send starts");
    thread::spawn(move || child.wait_with_output().expect("orderctl send runs"))
}

/// The local stack `orderctl` under `dir`, as the commands see it.
fn open(dir: &Path) -> (LocalStack, Topology) {
    let stack = LocalStack::open(&dir.join(".orderctl"), "orderctl").unwrap();
    let topology = stack.topology().unwrap();
    (stack, topology)
}

/// Checks a `send` report: exit 0, no problem, settled, every order of `count` placed,
/// each kind where its rule sends it (FAIL orders in the DLQ), and no storage error.
/// Returns the report.
fn check_send(out: &Output, count: u64) -> Value {
    let report = ok_json(out, "send");
    let (_, stderr) = text(out);
    assert!(!stderr.contains("warning: local engine"), "the engine hit storage errors:\n{stderr}");
    assert_eq!(report["problems"], Value::Array(Vec::new()), "{}", report["problems"]);
    assert_eq!((report["settled"].as_bool(), report["interrupted"].as_bool()), (Some(true), Some(false)));
    let total = &report["total"];
    let n = |v: &Value, k: &str| v[k].as_u64().unwrap_or_else(|| panic!("`{k}` is not a count: {v}"));
    assert_eq!((n(&report, "sent"), n(total, "sent")), (count, count), "{total}");
    assert_eq!((n(total, "lost"), n(total, "inFlight"), n(total, "awaitingReview")), (0, 0, 0), "{total}");
    assert_eq!(n(total, "completed") + n(total, "failedByRule") + n(total, "deadLettered"), count, "{total}");
    for o in report["outcomes"].as_array().unwrap() {
        let sent = n(o, "sent");
        let expected = if o["kind"] == "normal" { count * 8 / 10 } else { count / 10 };
        assert_eq!(sent, expected, "the mix's share of {}: {o}", o["kind"]);
        let placed = match o["kind"].as_str().unwrap() {
            "normal" => n(o, "completed"),
            "high-value" => n(o, "failedByRule").min(n(o, "reviewed")),
            "fail" => n(o, "deadLettered"),
            other => panic!("unexpected kind `{other}`"),
        };
        assert_eq!(placed, sent, "each order of kind {} where its rule sends it: {o}", o["kind"]);
    }
    report
}

/// Checks, in the database, that the run's `sent` orders are all accounted for and each
/// has exactly one item, with the ids `<run>-0` to `<run>-<sent - 1>`. Returns the totals.
fn check_run(stack: &LocalStack, topology: &Topology, run: &str, sent: u64) -> KindOutcome {
    let mut conn = stack.db.connect().unwrap();
    let total = KindOutcome::total(&conn.read(|tx| query::run_outcomes(tx, topology, run)).unwrap());
    assert_eq!(total.sent, sent, "run `{run}`: {total:?}");
    assert_eq!((total.lost, total.in_flight, total.awaiting_review), (0, 0, 0), "run `{run}`: {total:?}");
    assert_eq!(total.completed + total.failed_by_rule + total.dead_lettered, sent, "run `{run}`: {total:?}");
    let (items, own, max_seq): (u64, u64, u64) = conn
        .read(|tx| {
            Ok(tx.query_row(
                "SELECT COUNT(*), COALESCE(SUM(substr(order_id, 1, length(?1) + 1) = ?1 || '-'), 0),
                        COALESCE(MAX(CAST(substr(order_id, length(?1) + 2) AS INTEGER)), 0)
                 FROM items WHERE run_id = ?1",
                [run],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )?)
        })
        .unwrap();
    assert_eq!((items, own, max_seq + 1), (sent, sent, sent), "run `{run}`: one item for each of its orders, ids 0..{sent}");
    total
}

/// What the whole database holds after the runs, checked.
struct Database {
    items: u64,
    stream_records: u64,
    dead_letters: u64,
}

/// Checks the whole database: no order id twice among the items or among the messages,
/// every order's stream records form one chain (each old image the previous new image)
/// that never leaves COMPLETED or FAILED and ends at the item, the alarm's transitions
/// chain too, and `PRAGMA integrity_check` says ok.
fn check_database(stack: &LocalStack, topology: &Topology) -> Database {
    let mut conn = stack.db.connect().unwrap();
    conn.read(|tx| {
        let (items, distinct): (u64, u64) =
            tx.query_row("SELECT COUNT(*), COUNT(DISTINCT order_id) FROM items", [], |r| Ok((r.get(0)?, r.get(1)?)))?;
        assert_eq!(items, distinct, "an order id appears twice in the items table");
        let doubled: Vec<(String, u64)> = tx
            .prepare("SELECT order_id, COUNT(*) FROM messages WHERE order_id IS NOT NULL GROUP BY order_id HAVING COUNT(*) > 1 LIMIT 5")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        assert!(doubled.is_empty(), "orders with more than one message left: {doubled:?}");
        let dead_letters = query::dlq_total(tx, topology)?;

        let status = |image: Option<String>| -> Option<String> {
            let v: Value = serde_json::from_str(image.as_deref()?).expect("a stream image is JSON");
            Some(v["status"].as_str().expect("an image has a status").to_string())
        };
        let mut latest: HashMap<String, String> = HashMap::new();
        let mut wrong: Vec<String> = Vec::new();
        let mut stream_records = 0u64;
        let mut stmt = tx.prepare("SELECT seq, event_name, order_id, old_item, new_item FROM stream ORDER BY seq")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            stream_records += 1;
            let (seq, event, order): (i64, String, String) = (r.get(0)?, r.get(1)?, r.get(2)?);
            let (old, new) = (status(r.get(3)?), status(r.get(4)?).expect("every record has a new image"));
            let ok = match latest.get(&order) {
                None => event == "INSERT" && old.is_none(),
                Some(prev) => {
                    let settled = prev == "COMPLETED" || prev == "FAILED";
                    event == "MODIFY" && old.as_ref() == Some(prev) && (!settled || new == *prev)
                }
            };
            if !ok {
                wrong.push(format!("#{seq} {event} `{order}`: {:?} -> {old:?} -> {new}", latest.get(&order)));
            }
            latest.insert(order, new);
        }
        assert!(
            wrong.is_empty(),
            "{} stream records break an order's chain or move it backwards, e.g. {:?}",
            wrong.len(),
            &wrong[..wrong.len().min(5)]
        );
        let mut items_now = tx.prepare("SELECT order_id, status FROM items")?;
        let ends: Vec<(String, String)> = items_now.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
        assert_eq!(ends.len(), latest.len(), "every item has stream records, and every stream record an item");
        for (order, s) in ends {
            assert_eq!(latest.get(&order), Some(&s), "`{order}`: the stream ends where the item is");
        }

        let transitions: Vec<(String, String)> = tx
            .prepare("SELECT old_state, new_state FROM alarm_history ORDER BY id")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        for pair in transitions.windows(2) {
            assert_eq!(pair[0].1, pair[1].0, "the alarm's transitions chain: {transitions:?}");
            assert_ne!(pair[1].0, pair[1].1, "a transition changes the state: {transitions:?}");
        }
        let integrity: Vec<String> = tx.prepare("PRAGMA integrity_check")?.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
        assert_eq!(integrity, ["ok"], "PRAGMA integrity_check");
        Ok(Database { items, stream_records, dead_letters })
    })
    .unwrap()
}

/// How many orders of kind `fail` are accepted so far, and how many messages the DLQ
/// holds, from one snapshot.
fn accepted_fails_and_dlq(stack: &LocalStack, topology: &Topology) -> (u64, u64) {
    let mut conn = stack.db.connect().unwrap();
    conn.read(|tx| {
        let fails = tx.query_row("SELECT COALESCE(SUM(published), 0) FROM run_kinds WHERE kind = 'fail'", [], |r| r.get(0))?;
        Ok((fails, query::dlq_total(tx, topology)?))
    })
    .unwrap()
}

#[test]
fn two_sends_at_once_on_one_local_stack_lose_and_double_no_order() {
    let start = Instant::now();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok_json(&run(d, &["up", "-o", "json"]), "up");
    let count = 3000;
    let sends = [spawn_send(d, count, 1000), spawn_send(d, count, 1000)];
    let reports: Vec<Value> = sends.into_iter().map(|s| check_send(&s.join().unwrap(), count)).collect();
    let runs: Vec<&str> = reports.iter().map(|r| r["runId"].as_str().unwrap()).collect();
    assert_ne!(runs[0], runs[1], "each send has a run of its own");

    let (stack, topology) = open(d);
    let mut totals = KindOutcome::new(None);
    for (run, report) in runs.iter().zip(&reports) {
        let total = check_run(&stack, &topology, run, count);
        let n = |k: &str| report["total"][k].as_u64().unwrap();
        assert_eq!(
            (total.completed, total.failed_by_rule, total.dead_lettered),
            (n("completed"), n("failedByRule"), n("deadLettered")),
            "run `{run}`: the database says what the report says"
        );
        totals.add(&total);
    }
    // The two runs overlapped: each began before the other's last order settled.
    let mut conn = stack.db.connect().unwrap();
    let spans: Vec<(i64, i64)> = runs
        .iter()
        .map(|run| {
            conn.read(|tx| {
                Ok(tx.query_row(
                    "SELECT started_at, (SELECT MAX(settled_at) FROM items WHERE run_id = ?1) FROM runs WHERE run_id = ?1",
                    [run],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )?)
            })
            .unwrap()
        })
        .collect();
    assert!(spans[0].0 < spans[1].1 && spans[1].0 < spans[0].1, "the two sends ran at the same time: {spans:?}");

    let db = check_database(&stack, &topology);
    assert_eq!(db.items, 2 * count, "one item per accepted order, no more");
    assert_eq!(db.dead_letters, 2 * count / 10, "one dead letter per FAIL order");
    eprintln!(
        "concurrency: 2 `send` processes at once on one local stack, {} orders ({} completed, {} failed by rule, {} dead-lettered), \
         distinct run ids, {} items (none doubled), {} stream records (none backwards), integrity ok, lost 0, in flight 0, {:.1}s",
        totals.sent,
        totals.completed,
        totals.failed_by_rule,
        totals.dead_lettered,
        db.items,
        db.stream_records,
        start.elapsed().as_secs_f64()
    );
}

/// Every message of the DLQ as stored: (receive count, visible at, dead-lettered at,
/// receipt), by message id.
type Letters = HashMap<String, (u32, i64, Option<i64>, Option<String>)>;

fn dead_letters_stored(stack: &LocalStack, topology: &Topology) -> Letters {
    let mut conn = stack.db.connect().unwrap();
    conn.read(|tx| {
        let mut stmt =
            tx.prepare("SELECT message_id, receive_count, visible_at, dead_lettered_at, receipt FROM messages WHERE queue = ?1")?;
        let rows = stmt.query_map([topology.names.dlq()], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    })
    .unwrap()
}

/// Every row of every table, in a stable order: equal before and after means unchanged.
fn dump(path: &Path) -> Vec<String> {
    let c = Connection::open(path).unwrap();
    let tables: Vec<String> = c
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    let mut out = Vec::new();
    for t in tables {
        let mut stmt = c.prepare(&format!("SELECT * FROM \"{t}\" ORDER BY rowid")).unwrap();
        let columns = stmt.column_count();
        let mut rows = stmt.query([]).unwrap();
        while let Some(r) = rows.next().unwrap() {
            let values: Vec<String> = (0..columns).map(|i| format!("{:?}", r.get_ref(i).unwrap())).collect();
            out.push(format!("{t}: {}", values.join(" | ")));
        }
    }
    out
}

/// Checks one `dlq inspect -o json` taken while the DLQ held from `before` to `after`
/// messages: its counts within those, consistent with each other, every message a
/// FAIL order that has used its receives, and each still stored exactly as dead-lettered
/// (`stored`, read after the inspect): not received, by the inspect or anyone.
fn check_inspect(report: &Value, before: u64, after: u64, max_receives: u64, stored: &Letters) -> u64 {
    assert_eq!(report["schema"], "orderctl/dlq-inspect/v1");
    let depth = report["depth"].as_u64().unwrap();
    assert!(before <= depth && depth <= after, "inspect says {depth} dead letters while the DLQ held {before} to {after}");
    let messages = report["messages"].as_array().unwrap();
    assert_eq!((report["shown"].as_u64(), messages.len() as u64), (Some(depth), depth), "every dead letter shown");
    let by_reason: u64 = report["byReason"].as_array().unwrap().iter().map(|g| g[1].as_u64().unwrap()).sum();
    assert_eq!(by_reason, depth, "the grouping by reason counts each dead letter once: {}", report["byReason"]);
    let mut ids = HashSet::new();
    let mut orders = HashSet::new();
    for m in messages {
        let id = m["messageId"].as_str().unwrap();
        assert!(ids.insert(id), "message `{id}` shown twice");
        assert!(orders.insert(m["orderId"].as_str().unwrap()), "order shown twice: {m}");
        assert!(m["kind"] == "fail" && m["reason"].as_str().unwrap().contains("FAIL"), "only FAIL orders are dead-lettered: {m}");
        let receives = m["receiveCount"].as_u64().unwrap();
        assert_eq!(receives, max_receives, "dead-lettered after {max_receives} receives: {m}");
        let (count, visible_at, dead_lettered_at, receipt) =
            stored.get(id).unwrap_or_else(|| panic!("`{id}` left the DLQ, and nothing here removes dead letters"));
        assert_eq!(u64::from(*count), receives, "`{id}`: the receive count is as inspected");
        assert!(Some(*visible_at) == *dead_lettered_at && receipt.is_none(), "`{id}` was received in the DLQ");
    }
    depth
}

#[test]
fn dlq_inspect_beside_a_send_is_an_exact_read_that_changes_nothing() {
    let start = Instant::now();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok_json(&run(d, &["up", "-o", "json"]), "up");
    let (stack, topology) = open(d);
    let max_receives = u64::from(topology.settings.max_receive_count);
    let count = 3000;
    let fails = count / 10;
    let send = spawn_send(d, count, 1000);

    let mut depths = Vec::new();
    while !send.is_finished() {
        let (_, before) = accepted_fails_and_dlq(&stack, &topology);
        let out = run(d, &["dlq", "inspect", "--limit", "1000000", "-o", "json"]);
        let report = ok_json(&out, "dlq inspect beside a send");
        let stored = dead_letters_stored(&stack, &topology);
        let (accepted, after) = accepted_fails_and_dlq(&stack, &topology);
        let depth = check_inspect(&report, before, after, max_receives, &stored);
        assert!(depth <= accepted && depth <= fails, "{depth} dead letters, of {accepted} FAIL orders accepted ({fails} to send)");
        if let Some(last) = depths.last() {
            assert!(depth >= *last, "the DLQ shrank from {last} to {depth} with nothing taking from it");
        }
        depths.push(depth);
        thread::sleep(POLL);
    }
    let report = check_send(&send.join().unwrap(), count);
    assert!(depths.iter().any(|&n| 0 < n && n < fails), "some inspect ran while the DLQ was filling (DLQ depths seen: {depths:?})");

    let run_id = report["runId"].as_str().unwrap();
    let total = check_run(&stack, &topology, run_id, count);
    assert_eq!(total.dead_lettered, fails);
    check_database(&stack, &topology);
    // With the send done nothing else writes: an inspect must leave every row as it was,
    // and commit nothing at all (`data_version` moves on any other connection's commit).
    let path = stack.db.path().to_path_buf();
    let watcher = Connection::open(&path).unwrap();
    let version = |c: &Connection| -> i64 { c.query_row("PRAGMA data_version", [], |r| r.get(0)).unwrap() };
    let (rows, v0) = (dump(&path), version(&watcher));
    let stored = dead_letters_stored(&stack, &topology);
    let last = ok_json(&run(d, &["dlq", "inspect", "--limit", "1000000", "-o", "json"]), "final dlq inspect");
    assert_eq!(check_inspect(&last, fails, fails, max_receives, &stored), fails, "the final DLQ holds every FAIL order sent");
    assert_eq!(last["depth"], report["dlqDepth"], "as the send reported");
    assert_eq!(version(&watcher), v0, "`dlq inspect` committed a write");
    assert!(dump(&path) == rows, "`dlq inspect` changed a row of the database");
    eprintln!(
        "concurrency: 1 `send` of {count} orders with {} `dlq inspect` processes beside it (all exit 0, valid JSON, \
         none above the DLQ's count, no dead letter received); final DLQ {} = FAIL orders sent; inspect commits nothing; lost 0, {:.1}s",
        depths.len(),
        last["depth"],
        start.elapsed().as_secs_f64()
    );
}

#[test]
fn status_beside_a_send_reads_one_consistent_snapshot() {
    let start = Instant::now();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok_json(&run(d, &["up", "-o", "json"]), "up");
    let (stack, topology) = open(d);
    let count = 2000;
    let send = spawn_send(d, count, 1000);

    let n = |v: &Value, k: &str| v[k].as_u64().unwrap_or_else(|| panic!("`{k}` is not a count: {v}"));
    let mut seen: Vec<(u64, u64, u64, u64)> = Vec::new(); // total, completed, failed, DLQ
    while !send.is_finished() {
        let out = run(d, &["status", "-o", "json"]);
        let status = ok_json(&out, "status beside a send");
        let (accepted_fails, dlq_after) = accepted_fails_and_dlq(&stack, &topology);
        let accepted: u64 = {
            let mut conn = stack.db.connect().unwrap();
            conn.read(|tx| Ok(tx.query_row("SELECT COALESCE(SUM(published), 0) FROM run_kinds", [], |r| r.get(0))?)).unwrap()
        };
        assert!(status["resources"].as_array().unwrap().iter().all(|r| r["state"] == "present"), "{}", status["resources"]);
        let orders = &status["orders"];
        let (total, completed, failed) = (n(orders, "total"), n(orders, "completed"), n(orders, "failed"));
        assert_eq!(completed + failed + n(orders, "retrying") + n(orders, "deadLettered"), total, "one snapshot: {orders}");
        assert!(n(orders, "reviewed") <= failed, "{orders}");
        assert!(total <= accepted, "status shows {total} orders of {accepted} accepted");
        let dlq = n(&status, "dlqDepth");
        let queue = status["queues"].as_array().unwrap().iter().find(|q| q["name"] == topology.names.dlq()).expect("the DLQ is listed");
        assert_eq!(n(queue, "visible") + n(queue, "inFlight") + n(queue, "delayed"), dlq, "one snapshot: {queue}");
        assert!(dlq <= accepted_fails && dlq <= dlq_after, "DLQ {dlq}, of {accepted_fails} FAIL orders accepted");
        if let Some(&(t, c, f, q)) = seen.last() {
            assert!(total >= t && completed >= c && failed >= f && dlq >= q, "went backwards: {:?} then {orders}, DLQ {dlq}", seen.last());
        }
        seen.push((total, completed, failed, dlq));
        thread::sleep(POLL);
    }
    let report = check_send(&send.join().unwrap(), count);
    assert!(seen.iter().any(|s| 0 < s.0 && s.0 < count), "some status ran mid-run (order totals seen: {seen:?})");
    check_run(&stack, &topology, report["runId"].as_str().unwrap(), count);
    check_database(&stack, &topology);
    let last = ok_json(&run(d, &["status", "-o", "json"]), "final status");
    let orders = &last["orders"];
    assert_eq!(
        (
            n(orders, "total"),
            n(orders, "completed"),
            n(orders, "failed"),
            n(orders, "reviewed"),
            n(orders, "retrying"),
            n(orders, "deadLettered")
        ),
        (count, count * 8 / 10, count / 10, count / 10, 0, count / 10),
        "FAIL orders end DEAD_LETTERED in the table, none RETRYING: {orders}"
    );
    assert_eq!((n(&last, "dlqDepth"), last["lastRun"].as_str()), (count / 10, report["runId"].as_str()));
    eprintln!(
        "concurrency: 1 `send` of {count} orders with {} `status` processes beside it (all exit 0, valid JSON, one snapshot each, \
         counts never backwards or above what was accepted); lost 0, {:.1}s",
        seen.len(),
        start.elapsed().as_secs_f64()
    );
}
