//! Client CPU per order of `orderctl send --target aws` against the reference boto3
//! publisher (`../shared/peers/boto3_publisher.py`: threads + `publish_batch`), both
//! sending the same number of orders to the same topic on the same moto server. CPU is
//! the children's user + system time (`getrusage(RUSAGE_CHILDREN)`), so moto's own work
//! is not counted.
//!
//! Two kinds of endpoint, both moto: `moto_server` itself (werkzeug's development
//! server, which closes the connection after every response, so every request pays
//! for a new TCP connection on both sides), and moto's app under gunicorn
//! (`benches/moto_wsgi.py`), which keeps connections open as AWS does.
//!
//! One round is one fresh server and both publishers, one after the other; rounds
//! alternate which goes first (moto slows a little as it keeps what it was sent), and the
//! ratio is reported per round, as the median of the rounds and pooled over all of them.
//! A single round is too noisy to decide anything on a 2-core machine shared with moto.
//!
//!     cargo bench --bench publisher_cpu                 # 20,000 orders each, 5 rounds
//!     cargo bench --bench publisher_cpu -- 10000 3      # orders per publisher, rounds
//!
//! Needs moto, boto3 and gunicorn in `.venv/` (the README's test command installs them).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[path = "support/moto.rs"]
mod moto;
use moto::{Moto, Server};

fn children_cpu() -> Duration {
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: getrusage writes into the struct we own.
    unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) };
    let tv = |t: libc::timeval| Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64);
    tv(usage.ru_utime) + tv(usage.ru_stime)
}

/// CPU and wall time of one publisher run to completion.
fn measure(what: &str, cmd: &mut Command) -> (Duration, Duration) {
    let (cpu0, t0) = (children_cpu(), Instant::now());
    let out = cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).output().unwrap();
    let (cpu, wall) = (children_cpu() - cpu0, t0.elapsed());
    // `orderctl send --wait 0s` reports the orders as in flight (exit 1): expected here.
    assert!(out.status.code().is_some_and(|c| c <= 1), "{what} failed: {}", String::from_utf8_lossy(&out.stderr));
    (cpu, wall)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

fn main() {
    let numbers: Vec<u64> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let count = numbers.first().copied().unwrap_or(20_000);
    let rounds = numbers.get(1).copied().unwrap_or(5).max(1);
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let venv = root.join(".venv/bin");
    let peer = root.join("../shared/peers/boto3_publisher.py");
    for server in [Server::Werkzeug, Server::KeepAlive] {
        rounds_on(server, count, rounds, &venv, &peer);
    }
}

/// `rounds` rounds on fresh servers of one kind; prints each and the summary.
fn rounds_on(server: Server, count: u64, rounds: u64, venv: &Path, peer: &Path) {
    let n = count.to_string();
    let per = |cpu: Duration| cpu.as_secs_f64() * 1e6 / count as f64;
    println!("\n{}: {count} orders per publisher per round, a fresh server each round", server.describe());
    println!("{:<6} {:>18} {:>10} {:>18} {:>10} {:>7}", "round", "orderctl µs/order", "wall (s)", "boto3 µs/order", "wall (s)", "ratio");
    let (mut ratios, mut ours_total, mut theirs_total) = (Vec::new(), Duration::ZERO, Duration::ZERO);
    for round in 1..=rounds {
        let moto = Moto::start(venv, server);
        let ours = || {
            measure(
                "orderctl",
                Command::new(env!("CARGO_BIN_EXE_orderctl"))
                    .args(["--target", "aws", "--stack", "bench", "send", "--count", &n, "--rate", "1000000", "--wait", "0s", "-o", "json"])
                    .envs(moto.env()),
            )
        };
        let theirs = || {
            measure(
                "boto3_publisher.py",
                Command::new(venv.join("python"))
                    .arg(peer)
                    .args(["--topic-arn", &moto.topic, "--count", &n, "--endpoint-url", &moto.endpoint])
                    .envs(moto.env()),
            )
        };
        let ((o, o_wall), (t, t_wall)) = if round % 2 == 1 {
            let o = ours();
            (o, theirs())
        } else {
            let t = theirs();
            (ours(), t)
        };
        let ratio = o.as_secs_f64() / t.as_secs_f64();
        println!("{round:<6} {:>18.1} {:>10.2} {:>18.1} {:>10.2} {ratio:>7.3}", per(o), o_wall.as_secs_f64(), per(t), t_wall.as_secs_f64());
        ratios.push(ratio);
        ours_total += o;
        theirs_total += t;
    }
    let (lo, hi) = ratios.iter().fold((f64::MAX, f64::MIN), |(lo, hi), r| (lo.min(*r), hi.max(*r)));
    let median = median(ratios);
    println!(
        "orderctl uses {median:.3}× the boto3 publisher's CPU per order (median of {rounds} rounds; range {lo:.3}–{hi:.3}; pooled {:.3}); goal: at most 0.2 — {}",
        ours_total.as_secs_f64() / theirs_total.as_secs_f64(),
        if median <= 0.2 { "met" } else { "not met" }
    );
}
