//! `orderctl` killed with SIGKILL in the middle of a `send`: after a restart no
//! accepted order is lost and the pipeline drains.

mod common;

use common::{orderctl, text};
use orderctl::local::{query, LocalStack};
use std::process::{Command, Stdio};
use std::time::Duration;

#[test]
fn a_send_killed_mid_run_loses_no_accepted_order() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    assert_eq!(orderctl(d, &["up"]).status.code(), Some(0));
    for (round, kill_after_ms) in [700u64, 1300, 2100].into_iter().enumerate() {
        let mut child = Command::new(common::bin())
            .args(["send", "--mix", "normal=8,high-value=1,fail=1", "--count", "50000", "--rate", "2000"])
            .current_dir(d)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(kill_after_ms));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();

        let stack = LocalStack::open(&d.join(".orderctl"), "orderctl").unwrap();
        let topology = stack.topology().unwrap();
        let mut conn = stack.db.connect().unwrap();
        let (run, accepted) = conn
            .read(|tx| {
                let run = query::last_run(tx)?.expect("the killed send began a run");
                let accepted: u64 =
                    tx.query_row("SELECT COALESCE(SUM(published), 0) FROM run_kinds WHERE run_id = ?1", [&run], |r| r.get(0))?;
                Ok((run, accepted))
            })
            .unwrap();
        assert!(accepted > 0 && accepted < 50_000, "round {round}: killed mid-run after {accepted} orders");

        let drain = orderctl(d, &["drain", "--wait", "60s"]);
        assert_eq!(drain.status.code(), Some(0), "round {round}: {:?}", text(&drain));

        let outcomes = conn.read(|tx| query::run_outcomes(tx, &topology, &run)).unwrap();
        let total = orderctl::model::KindOutcome::total(&outcomes);
        assert_eq!(total.sent, accepted);
        assert_eq!((total.lost, total.in_flight, total.awaiting_review), (0, 0, 0), "round {round}: {total:?}");
        assert_eq!(total.completed + total.failed_by_rule + total.dead_lettered, accepted);
        // Orders are accepted in sequence: the run holds exactly orders 0..accepted.
        let (count, max_seq): (u64, u64) = conn
            .read(|tx| {
                Ok(tx.query_row(
                    "SELECT COUNT(*), MAX(CAST(substr(order_id, length(?1) + 2) AS INTEGER)) FROM
                       (SELECT order_id FROM items WHERE run_id = ?1 UNION SELECT order_id FROM messages WHERE run_id = ?1)",
                    [&run],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )?)
            })
            .unwrap();
        assert_eq!((count, max_seq + 1), (accepted, accepted), "round {round}: no gap in the accepted orders");
    }
}
