//! The floor under the local engine: what SQLite, with the stack's own schema and the
//! engine's own storage code, costs per order on this machine when nothing else runs.
//!
//!     cargo bench --bench store_floor                   # every variant (about 3 minutes)
//!     cargo bench --bench store_floor -- 200000         # orders per variant (default 1,000,000)
//!
//! One thread does, in groups of 1,000 orders, exactly the writes the engine does for a
//! normal order and nothing else: the publisher's transaction (`publish_orders`: the
//! topic's fan-out to the queue, the order's hop, its run's count), then the worker's
//! (`sqs::receive` hiding the messages, the rules, `functions::commit` writing the items,
//! their stream records and hops, the log lines, `sqs::delete`). No pollers, no pipe, no
//! housekeeping, no waiting: so the rate it prints is an upper bound on what the engine
//! can settle with one writer, and the variants say what a different design would buy:
//!
//! - `engine's writes`: the above, durable (WAL, `synchronous = NORMAL`), on disk.
//! - `no hops, no log lines`: the same with the inserts into `hops` and `logs` ignored
//!   (a trigger drops them): what `trace` and `logs` cost.
//! - `in memory (tmpfs)`: the stack's file on `/dev/shm`: what the file I/O costs.
//! - `two shards, two threads`: two stacks, one writer each, at once: what sharding the
//!   store (one database per queue, say) would buy on this machine's cores.
//!
//! Each variant also prints the rate of its first and last 50,000 orders, so whether
//! the cost per order grows with the state shows in the same table.

use order_domain::{now_micros, synthesize, Kind};
use orderctl::local::functions::{self, Prepared};
use orderctl::local::sqs::{self, Received};
use orderctl::local::{logs, LocalStack, Topology};
use orderctl::plan::Plan;
use orderctl::spec::{Settings, StackSpec};
use std::path::Path;
use std::time::{Duration, Instant};

const GROUP: usize = 1_000;
const WINDOW: usize = 50_000;

fn fresh(dir: &Path) -> (LocalStack, Topology) {
    let spec = StackSpec::new("floor", Settings::local());
    let stack = LocalStack::create(dir, "floor").unwrap();
    stack.apply(&spec, &Plan::diff(&spec.resources, &[])).unwrap();
    let topology = stack.topology().unwrap();
    (stack, topology)
}

/// Rates of one run: over all of it, its first and its last [`WINDOW`] orders; and the
/// time the writer was held, per order.
struct Rates {
    all: f64,
    first: f64,
    last: f64,
    held_us: f64,
}

/// Pushes `orders` through the engine's writes on `stack`, in groups, pipelined as the
/// engine's pollers do it: one transaction publishes a group; the next commits the
/// group before it (its items, stream records, hops, log lines and deletes) and
/// receives this one; the rules run on the received group outside the writer.
fn drive(stack: &LocalStack, topology: &Topology, orders: usize) -> Rates {
    let mut conn = stack.db.connect().unwrap();
    let rules = topology.settings.rules();
    let queue = topology.queue(&topology.names.orders_queue()).unwrap().clone();
    let worker = topology.mappings.iter().find(|m| m.queue.name == queue.name).expect("the orders queue's mapping").clone();
    let max_receive = queue.redrive.as_ref().map(|(_, max)| *max);
    let run_id = "floor-run";
    let start = Instant::now();
    let mut held = Duration::ZERO;
    let mut marks = Vec::with_capacity(orders / GROUP + 1);
    let (mut published, mut settled) = (0, 0);
    let mut pending: Option<(Vec<Received>, Prepared)> = None;
    loop {
        let n = GROUP.min(orders - published);
        if n > 0 {
            let now = now_micros();
            let batch: Vec<_> = (published..published + n).map(|i| synthesize(Kind::Normal, i as u64 + 1, run_id, now, &rules)).collect();
            let writing = Instant::now();
            conn.write(|tx| topology.publish_orders(tx, run_id, &batch, now)).unwrap();
            held += writing.elapsed();
            published += n;
        }
        if n == 0 && pending.is_none() {
            break;
        }
        let writing = Instant::now();
        let (committed, received) = conn
            .write(|tx| {
                let now = now_micros();
                let mut deleted = 0;
                if let Some((batch, prepared)) = &pending {
                    let committed = functions::commit(tx, prepared, rules.high_value_threshold, now)?;
                    for line in &committed.lines {
                        logs::append(tx, &worker.function, now, line)?;
                    }
                    let receipts: Vec<&str> = batch.iter().map(|m| m.receipt.as_str()).collect();
                    deleted = sqs::delete(tx, &queue.name, &receipts)?;
                }
                Ok((deleted, sqs::receive(tx, &queue, n, now)?))
            })
            .unwrap();
        held += writing.elapsed();
        if let Some((batch, _)) = &pending {
            assert_eq!(committed, batch.len(), "every order of the group settles");
            settled += committed;
            marks.push((settled, start.elapsed().as_secs_f64()));
        }
        pending = (!received.is_empty()).then(|| {
            let prepared = functions::prepare_orders(&received, &rules, max_receive);
            (received, prepared)
        });
    }
    assert_eq!(settled, orders);
    let at = |count: usize| marks.iter().find(|(d, _)| *d >= count).map_or(0.0, |(_, t)| *t);
    let total = marks.last().map_or(0.0, |(_, t)| *t);
    let window = WINDOW.min(orders);
    Rates {
        all: orders as f64 / total,
        first: window as f64 / at(window),
        last: window as f64 / (total - at(orders - window)),
        held_us: held.as_secs_f64() * 1e6 / orders as f64,
    }
}

fn dir_bytes(dir: &Path) -> u64 {
    let entries = std::fs::read_dir(dir).unwrap().flatten();
    entries.map(|e| if e.path().is_dir() { dir_bytes(&e.path()) } else { e.metadata().map_or(0, |m| m.len()) }).sum()
}

/// Prints a variant's row; `state` is its stacks' directories (database and WAL).
fn row(name: &str, orders: usize, rates: &Rates, state: &[&Path]) {
    let bytes: u64 = state.iter().map(|d| dir_bytes(d)).sum();
    println!(
        "{name:<30} {orders:>9} {:>10.0} {:>10.0} {:>10.0} {:>11.1} {:>9.1}",
        rates.all,
        rates.first,
        rates.last,
        rates.held_us,
        bytes as f64 / 1e6
    );
}

fn main() {
    let orders: usize = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(1_000_000);
    println!(
        "{:<30} {:>9} {:>10} {:>10} {:>10} {:>11} {:>9}",
        "variant", "orders", "orders/s", "first 50k", "last 50k", "writer µs/o", "state MB"
    );

    let dir = tempfile::tempdir().unwrap();
    let (stack, topology) = fresh(dir.path());
    row("engine's writes", orders, &drive(&stack, &topology, orders), &[dir.path()]);
    drop((stack, dir));

    let dir = tempfile::tempdir().unwrap();
    let (stack, topology) = fresh(dir.path());
    stack
        .db
        .connect()
        .unwrap()
        .write(|tx| {
            Ok(tx.execute_batch(
                "CREATE TRIGGER floor_no_hops BEFORE INSERT ON hops BEGIN SELECT RAISE(IGNORE); END;
                 CREATE TRIGGER floor_no_logs BEFORE INSERT ON logs BEGIN SELECT RAISE(IGNORE); END;",
            )?)
        })
        .unwrap();
    row("no hops, no log lines", orders, &drive(&stack, &topology, orders), &[dir.path()]);
    drop((stack, dir));

    if Path::new("/dev/shm").is_dir() {
        let dir = tempfile::tempdir_in("/dev/shm").unwrap();
        let (stack, topology) = fresh(dir.path());
        row("in memory (tmpfs)", orders, &drive(&stack, &topology, orders), &[dir.path()]);
        drop((stack, dir));
    }

    let dirs = [tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap()];
    let start = Instant::now();
    let rates: Vec<Rates> = std::thread::scope(|s| {
        let runs: Vec<_> = dirs
            .iter()
            .map(|d| {
                s.spawn(move || {
                    let (stack, topology) = fresh(d.path());
                    drive(&stack, &topology, orders / 2)
                })
            })
            .collect();
        runs.into_iter().map(|r| r.join().unwrap()).collect()
    });
    let both = Rates {
        all: orders as f64 / start.elapsed().as_secs_f64(),
        first: rates.iter().map(|r| r.first).sum(),
        last: rates.iter().map(|r| r.last).sum(),
        held_us: rates.iter().map(|r| r.held_us).sum::<f64>() / 2.0,
    };
    row("two shards, two threads", orders, &both, &[dirs[0].path(), dirs[1].path()]);
}
