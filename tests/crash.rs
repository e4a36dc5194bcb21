//! `orderctl` killed with SIGKILL at random moments of `send`, `dlq redrive` and `down`
//! (local, and `down` on moto): after each kill a re-run converges and no accepted order
//! or message is lost or doubled.
//!
//! The kill times come from a seeded generator; each test prints its seed, and
//! `ORDERCTL_TEST_SEED=<seed>` replays the same kill times.

use crate::common;

use common::moto::{leftovers, tiny_packages, Moto};
use common::{ok_json, orderctl, text};
use orderctl::local::{query, LocalStack};
use std::collections::{HashMap, HashSet};
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// Kills per test.
const ROUNDS: usize = 20;

/// Short timings, within AWS's rules, so FAIL orders reach the DLQ within a second.
const FAST: [&str; 4] = ["--visibility-timeout", "300ms", "--function-timeout", "50ms"];

/// The generator of a test's kill times, seeded from `ORDERCTL_TEST_SEED` or the clock.
fn kill_times(test: &str) -> (u64, fastrand::Rng) {
    let seed = match std::env::var("ORDERCTL_TEST_SEED") {
        Ok(s) => s.parse().unwrap_or_else(|_| panic!("ORDERCTL_TEST_SEED `{s}` is not an unsigned integer")),
        Err(_) => SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_nanos() as u64,
    };
    eprintln!("{test}: seed {seed} (ORDERCTL_TEST_SEED={seed} replays these kill times)");
    (seed, fastrand::Rng::with_seed(seed))
}

/// `ROUNDS` kill times over `from..to`: one at random in each of `ROUNDS` equal slices,
/// shuffled, so that every part of a run is hit whatever the seed.
fn spread(rng: &mut fastrand::Rng, from: Duration, to: Duration) -> Vec<Duration> {
    let (from, to) = (from.as_micros() as u64, to.as_micros() as u64);
    let slice = ((to - from) / ROUNDS as u64).max(1);
    let mut delays: Vec<Duration> = (0..ROUNDS as u64).map(|i| Duration::from_micros(from + i * slice + rng.u64(0..slice))).collect();
    rng.shuffle(&mut delays);
    delays
}

/// `orderctl` on the local target in `dir`, as `common::orderctl` runs it.
fn local(dir: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(common::bin());
    cmd.args(args).current_dir(dir).env_remove("ORDERCTL_LOCAL_FAULTS").env("AWS_EC2_METADATA_DISABLED", "true");
    cmd
}

/// Starts `cmd`, waits until `begun` sees it under way — a marker in the stack's
/// database, not a clock, so a slow start on a busy machine cannot move the kill out of
/// the run (`|| true`: from the start) — then SIGKILLs it `delay` later. True when the
/// kill landed; false when the process had exited by itself first.
fn kill_once_begun(cmd: &mut Command, mut begun: impl FnMut() -> bool, delay: Duration) -> bool {
    let mut child = cmd.stdout(Stdio::null()).stderr(Stdio::null()).spawn().expect("orderctl starts");
    let deadline = Instant::now() + Duration::from_secs(120);
    while !begun() {
        if child.try_wait().unwrap().is_some() {
            return false;
        }
        assert!(Instant::now() < deadline, "the command never got under way");
        std::thread::sleep(Duration::from_millis(1));
    }
    std::thread::sleep(delay);
    child.kill().unwrap(); // SIGKILL; an exited child is not reaped yet, so this cannot hit another process
    child.wait().unwrap().signal() == Some(libc::SIGKILL)
}

#[test]
fn a_send_killed_at_random_moments_loses_no_accepted_order() {
    // Each kill comes 0–2.35 s after the run's first accepted order; at 2,000 orders/s
    // the run would take 25 s, so every kill lands mid-run.
    const COUNT: u64 = 50_000;
    let (seed, mut rng) = kill_times("send");
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let up = orderctl(d, &[&["up"][..], &FAST].concat());
    assert_eq!(up.status.code(), Some(0), "{:?}", text(&up));
    let stack = LocalStack::open(&d.join(".orderctl"), "orderctl").unwrap();
    let topology = stack.topology().unwrap();
    let mut conn = stack.db.connect().unwrap();
    let (mut mid_run, mut checked, mut lost) = (0, 0, 0);
    let published = |conn: &mut orderctl::local::db::Conn| -> u64 {
        conn.read(|tx| Ok(tx.query_row("SELECT COALESCE(SUM(published), 0) FROM run_kinds", [], |r| r.get(0))?)).unwrap()
    };
    for (round, delay) in spread(&mut rng, Duration::ZERO, Duration::from_millis(2350)).into_iter().enumerate() {
        let send = ["send", "--mix", "normal=8,high-value=1,fail=1", "--count", "50000", "--rate", "2000"];
        let before = published(&mut conn);
        let killed = kill_once_begun(&mut local(d, &send), || published(&mut conn) > before, delay);
        assert!(killed, "round {round}: `send` of {COUNT} orders ended by itself within {delay:?} of its first order");
        let run = conn.read(|tx| query::last_run(tx)).unwrap().expect("the killed send's run");
        let drain = orderctl(d, &["drain", "--wait", "60s"]);
        assert_eq!(drain.status.code(), Some(0), "round {round}: {:?}", text(&drain));
        let accepted: u64 = conn
            .read(|tx| Ok(tx.query_row("SELECT COALESCE(SUM(published), 0) FROM run_kinds WHERE run_id = ?1", [&run], |r| r.get(0))?))
            .unwrap();
        assert!(accepted < COUNT, "round {round}: killed after {delay:?}, yet all {COUNT} orders were accepted");
        assert!(accepted > 0, "round {round}: the kill came after the first accepted order");
        mid_run += 1;

        let outcomes = conn.read(|tx| query::run_outcomes(tx, &topology, &run)).unwrap();
        let total = orderctl::model::KindOutcome::total(&outcomes);
        // `accepted` is the publisher's own count (`total.sent` is the same column): it
        // is checked against the orders themselves, every one settled, and below against
        // the order ids present in the table and the queues.
        assert_eq!((total.lost, total.in_flight, total.awaiting_review), (0, 0, 0), "round {round}: {total:?}");
        assert_eq!(total.completed + total.failed_by_rule + total.dead_lettered, accepted);
        // Orders are accepted in sequence: the run holds exactly orders 0..accepted.
        let (count, max_seq): (u64, Option<u64>) = conn
            .read(|tx| {
                Ok(tx.query_row(
                    "SELECT COUNT(*), MAX(CAST(substr(order_id, length(?1) + 2) AS INTEGER)) FROM
                       (SELECT order_id FROM items WHERE run_id = ?1 UNION SELECT order_id FROM messages WHERE run_id = ?1)",
                    [&run],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )?)
            })
            .unwrap();
        assert_eq!((count, max_seq.map_or(0, |m| m + 1)), (accepted, accepted), "round {round}: no gap in the accepted orders");
        checked += accepted;
        lost += total.lost;
    }
    assert_eq!(mid_run, ROUNDS, "every kill landed mid-run");
    eprintln!("send: {ROUNDS} rounds (seed {seed}), {mid_run} kills mid-run, {checked} accepted orders checked, {lost} lost");
}

/// Asserts that each of `ids` is in exactly one message, in `dlq` or `queue`, and that
/// no other message exists; returns how many are in `queue`.
fn placement(conn: &mut orderctl::local::db::Conn, ids: &HashSet<String>, dlq: &str, queue: &str, when: &str) -> u64 {
    let rows: Vec<(String, Option<String>)> = conn
        .read(|tx| {
            let mut stmt = tx.prepare("SELECT queue, order_id FROM messages")?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
            Ok(rows)
        })
        .unwrap();
    let mut copies: HashMap<String, u32> = HashMap::new();
    let mut in_queue = 0;
    for (q, order) in rows {
        assert!(q == dlq || q == queue, "{when}: a message of {order:?} is in `{q}`");
        in_queue += u64::from(q == queue);
        *copies.entry(order.unwrap_or_default()).or_default() += 1;
    }
    let lost: Vec<&String> = ids.iter().filter(|id| !copies.contains_key(*id)).collect();
    let doubled: Vec<(&String, &u32)> = copies.iter().filter(|(_, n)| **n > 1).collect();
    let unknown: Vec<&String> = copies.keys().filter(|id| !ids.contains(*id)).collect();
    assert!(lost.is_empty() && doubled.is_empty() && unknown.is_empty(), "{when}: lost {lost:?}, doubled {doubled:?}, unknown {unknown:?}");
    in_queue
}

#[test]
fn a_dlq_redrive_killed_at_random_moments_loses_and_doubles_no_message() {
    const N: u64 = 2_000;
    const RATE: u64 = 500;
    let (seed, mut rng) = kill_times("dlq redrive");
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // One receive: a FAIL order goes back to the DLQ at its second receive.
    ok_json(&orderctl(d, &[&["up", "-o", "json", "--max-receive-count", "1"][..], &FAST].concat()), "up");
    let n = N.to_string();
    let send = orderctl(d, &["send", "--kind", "fail", "--count", &n, "--rate", "100000", "--wait", "0s", "-o", "json"]);
    assert_eq!(common::json(&send)["total"]["sent"], N, "{:?}", text(&send));
    let drain = orderctl(d, &["drain", "--wait", "60s"]);
    assert_eq!(drain.status.code(), Some(0), "{:?}", text(&drain));

    let stack = LocalStack::open(&d.join(".orderctl"), "orderctl").unwrap();
    let names = stack.topology().unwrap().names;
    let (dlq, queue) = (names.dlq(), names.orders_queue());
    let mut conn = stack.db.connect().unwrap();
    let ids: HashSet<String> = conn
        .read(|tx| {
            let mut stmt = tx.prepare("SELECT order_id FROM messages WHERE queue = ?1")?;
            let ids = stmt.query_map([&dlq], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
            Ok(ids)
        })
        .unwrap();
    assert_eq!(ids.len() as u64, N, "every FAIL order is in the DLQ once");
    assert_eq!(placement(&mut conn, &ids, &dlq, &queue, "filled"), 0);

    // A redrive moves one chunk of RATE messages a second: the last of its N / RATE
    // chunks goes at least (N / RATE - 1) s after the first. Each kill comes 0–2.9 s after
    // the first chunk has left the DLQ, so it always lands while messages are moving.
    let span = Duration::from_millis((N / RATE - 1) * 1000 - 100);
    let (mut before_first_move, mut mid_run, mut after_end, mut moved, mut checks) = (0, 0, 0, 0, 1);
    let in_dlq = |conn: &mut orderctl::local::db::Conn| -> u64 {
        conn.read(|tx| Ok(tx.query_row("SELECT COUNT(*) FROM messages WHERE queue = ?1", [&dlq], |r| r.get(0))?)).unwrap()
    };
    for (round, delay) in spread(&mut rng, Duration::ZERO, span).into_iter().enumerate() {
        let redrive = ["dlq", "redrive", "--yes", "--rate", &RATE.to_string()];
        let killed = kill_once_begun(&mut local(d, &redrive), || in_dlq(&mut conn) < N, delay);
        moved = placement(&mut conn, &ids, &dlq, &queue, &format!("round {round}, killed after {delay:?}"));
        checks += 1;
        match (killed, moved) {
            (true, 0) => before_first_move += 1,
            (true, m) if m < N => mid_run += 1,
            _ => after_end += 1,
        }
        if round + 1 == ROUNDS {
            break; // the last kill's state is what the final redrive starts from
        }
        // The moved orders still say FAIL: the pipeline dead-letters them again, and the
        // next round starts from a full DLQ.
        let drain = orderctl(d, &["drain", "--wait", "60s"]);
        assert_eq!(drain.status.code(), Some(0), "round {round}: {:?}", text(&drain));
        assert_eq!(placement(&mut conn, &ids, &dlq, &queue, &format!("round {round}, drained")), 0);
        checks += 1;
    }
    assert_eq!((before_first_move, mid_run, after_end), (0, ROUNDS, 0), "every kill landed while messages were moving");

    let last = ok_json(&orderctl(d, &["dlq", "redrive", "--yes", "-o", "json"]), "the final redrive");
    assert_eq!(last["moved"].as_u64().unwrap() + moved, N, "{last}");
    assert_eq!(last["dlqDepthAfter"], 0);
    assert_eq!(placement(&mut conn, &ids, &dlq, &queue, "after the final redrive"), N, "every message is back in `{queue}`");
    checks += 1;
    eprintln!(
        "dlq redrive: {ROUNDS} rounds (seed {seed}) of {N} dead letters at {RATE}/s, {mid_run} kills mid-run \
         ({before_first_move} before the first move, {after_end} after the last); {checks} checks that each of the {N} \
         orders is in exactly one message (after every kill and drain, and the final redrive): 0 lost, 0 doubled"
    );
}

/// Copies the files of `from` into a fresh `to`.
fn copy_stack(from: &Path, to: &Path) {
    if to.exists() {
        std::fs::remove_dir_all(to).unwrap();
    }
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        assert!(entry.file_type().unwrap().is_file(), "a stack directory holds files only: {:?}", entry.path());
        std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
    }
}

/// A local `down` stopped by the crash hook right after the one step that takes the
/// stack away — the rename of its directory — and then with that renamed copy whole,
/// partly deleted (as a kill during the deletion leaves it) or met by another stopped
/// `down`: the stack is gone from that step on (not half a database), `up` makes a fresh
/// stack, and `down` run again leaves nothing.
#[test]
fn a_local_down_stopped_after_its_rename_converges_when_run_again() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let stack_dir = d.join(".orderctl/orderctl");
    let tomb = orderctl::local::tombstone(&stack_dir);
    let template = d.join("template");
    // One stack with thousands of settled orders, kept aside: every round starts from a copy.
    ok_json(&orderctl(d, &[&["up", "-o", "json"][..], &FAST].concat()), "up");
    let sent = ok_json(&orderctl(d, &["send", "--count", "3000", "--rate", "3000", "--wait", "60s", "-o", "json"]), "send");
    assert_eq!(sent["total"]["sent"], 3000);
    copy_stack(&stack_dir, &template);
    let stopped_down = || {
        copy_stack(&template, &stack_dir);
        let down = local(d, &["down", "--yes"]).env(orderctl::local::CRASH_AFTER_RENAME, "1").output().unwrap();
        assert_eq!(down.status.code(), Some(86), "the hook stopped the down: {:?}", text(&down));
        assert!(!stack_dir.exists() && tomb.join(orderctl::local::DB_FILE).exists(), "the stack was moved away whole, in one step");
        let status = orderctl(d, &["status", "-o", "json"]);
        assert_eq!(status.status.code(), Some(2), "the stack is not up: {:?}", text(&status));
    };
    let converges = |case: &str| {
        let up = ok_json(&orderctl(d, &["up", "-o", "json"]), &format!("{case}: up"));
        assert!(up["changes"].as_array().unwrap().iter().all(|c| c["action"] == "create"), "{case}: a fresh stack: {up}");
        let status = ok_json(&orderctl(d, &["status", "-o", "json"]), "status");
        assert_eq!((status["orders"]["total"].as_u64(), status["dlqDepth"].as_u64()), (Some(0), Some(0)), "{case}");
        let down = orderctl(d, &["down", "--yes"]);
        assert_eq!(down.status.code(), Some(0), "{case}: {:?}", text(&down));
        assert!(!stack_dir.exists() && !tomb.exists(), "{case}: nothing left");
    };

    stopped_down();
    let again = orderctl(d, &["down", "--yes"]);
    assert_eq!(again.status.code(), Some(0), "{:?}", text(&again));
    assert!(!tomb.exists(), "the second down removed the moved copy");
    converges("moved copy whole");

    stopped_down();
    std::fs::remove_file(tomb.join(orderctl::local::DB_FILE)).unwrap();
    converges("moved copy partly deleted");

    stopped_down();
    stopped_down(); // the first one's copy is in the way of the second's rename
    converges("two stopped downs");
    eprintln!("down (local): stopped after its rename 4 times, on a stack of 3000 orders; each left it gone, up and down then converged");
}

#[test]
fn an_aws_down_killed_at_random_moments_converges_when_run_again() {
    let (seed, mut rng) = kill_times("down (aws, moto)");
    let moto = Moto::start();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let sdk = runtime.block_on(moto.sdk());
    let left = || runtime.block_on(leftovers(&sdk, "kd"));
    let packages = tiny_packages();
    let aws = |args: &[&str]| {
        let mut cmd = Command::new(common::bin());
        cmd.args(["--target", "aws", "--stack", "kd", "--endpoint-url", &moto.endpoint]).args(args).env_remove("AWS_PROFILE");
        for (k, v) in moto.handler_env() {
            cmd.env(k, v);
        }
        cmd.env_remove("ORDERCTL_AWS_CRASH_AFTER");
        cmd
    };
    let up_args = ["up", "--yes", "-o", "json", "--disable-mappings", "--zips", packages.path().to_str().unwrap()];
    let up = |what: &str| ok_json(&aws(&up_args).output().unwrap(), what);
    let down = |what: &str| ok_json(&aws(&["down", "--yes", "-o", "json"]).output().unwrap(), what);

    // How long an uninterrupted `down` takes, from start to exit; moto's first calls are slow.
    up("warm-up up");
    down("warm-up down");
    let (mut took, mut up_took) = (Duration::ZERO, Duration::ZERO);
    let mut resources = 0;
    for _ in 0..3 {
        let start = Instant::now();
        up("up");
        up_took = up_took.max(start.elapsed());
        resources = left().len();
        let start = Instant::now();
        down("down");
        took = took.max(start.elapsed());
        assert_eq!(left(), Vec::<String>::new());
    }
    assert!(resources >= 15, "up made the stack: {resources} resources");

    let start = Instant::now();
    let (mut landed, mut untouched, mut mid_run, mut emptied) = (0, 0, 0, 0);
    for (round, delay) in spread(&mut rng, Duration::ZERO, took).into_iter().enumerate() {
        up(&format!("round {round}: up"));
        if kill_once_begun(&mut aws(&["down", "--yes"]), || true, delay) {
            landed += 1;
            match left().len() {
                0 => emptied += 1,
                n if n >= resources => untouched += 1,
                _ => mid_run += 1,
            }
        }
        let again = aws(&["down", "--yes", "-o", "json"]).output().unwrap();
        assert_eq!(again.status.code(), Some(0), "round {round}, killed after {delay:?}: {:?}", text(&again));
        assert_eq!(left(), Vec::<String>::new(), "round {round}, killed after {delay:?}: nothing is left");
    }
    // And one kill that lands mid-run by construction, not by the clock: watch the
    // stack's resources and kill `down` once it has deleted some but not all of them.
    for attempt in 0.. {
        assert!(attempt < 5, "`down` was never seen between its first and last deletion");
        up(&format!("watched round {attempt}: up"));
        let mut child = aws(&["down", "--yes"]).stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
        let seen_mid_run = loop {
            let n = left().len();
            if n > 0 && n < resources {
                child.kill().unwrap();
                break child.wait().unwrap().signal() == Some(libc::SIGKILL);
            }
            if child.try_wait().unwrap().is_some() {
                break false;
            }
        };
        let again = aws(&["down", "--yes", "-o", "json"]).output().unwrap();
        assert_eq!(again.status.code(), Some(0), "watched round {attempt}: {:?}", text(&again));
        assert_eq!(left(), Vec::<String>::new(), "watched round {attempt}: nothing is left");
        if seen_mid_run {
            landed += 1;
            mid_run += 1;
            break;
        }
    }
    assert!(mid_run > 0, "no kill landed while `down` was deleting");
    eprintln!(
        "down (aws, moto): {ROUNDS} rounds (seed {seed}) in {:.0} s (up ≤ {:.2} s, uninterrupted down ≤ {:.2} s), \
         {landed} kills landed before `down` exited: {mid_run} mid-run with some of the {resources} listed resources deleted, \
         {untouched} before the first deletion, {emptied} after the last; every re-run exit 0, nothing left",
        start.elapsed().as_secs_f64(),
        up_took.as_secs_f64(),
        took.as_secs_f64()
    );
}
