//! The aggregate rate of `send --workers N` with 1, 2 and 4 workers, side by side with
//! this process publishing alone, on one kept-alive endpoint: moto's app under
//! gunicorn (`benches/moto_wsgi.py`), a topic with no subscription, so a publish ends at
//! SNS. The workers are real `load-generator` processes under the local Lambda Runtime
//! API (moto runs no Lambda code), each publishing its share of one schedule.
//!
//! For each it reports the rate achieved against the rate asked for, the orders
//! published against the schedule's (the split's error: the union of the shares is
//! the schedule, so a shortfall is orders not sent in time, not orders lost by the
//! split), the lateness p99 of the sends, and the spread of the workers' own rates.
//!
//!     cargo bench --bench workers                 # 1,000 orders/s for 10 s
//!     cargo bench --bench workers -- 3000 20      # orders/s, seconds
//!
//! Needs moto and gunicorn in `.venv/` (the README's test command installs them) and
//! builds the handlers once (`orderctl package`, cached in `target/lambda-build`).

#[path = "support/moto.rs"]
#[allow(dead_code)] // this bench uses the kept-alive server only
mod moto;

use moto::{Moto, Server};
use serde_json::Value;
use std::path::PathBuf;
use std::process::Command;

fn main() {
    let numbers: Vec<f64> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let rate = numbers.first().copied().unwrap_or(1000.0);
    let seconds = numbers.get(1).copied().unwrap_or(10.0);
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let bin = env!("CARGO_BIN_EXE_orderctl");
    let zips = root.join("target/bench-lambda");
    eprintln!("packaging the handlers (a cached build after the first)…");
    let package = Command::new(bin).args(["package", "--arch", "x86_64", "--source"]).arg(&root).arg("--zips").arg(&zips).output().unwrap();
    assert!(package.status.success(), "orderctl package: {}", String::from_utf8_lossy(&package.stderr));
    let moto = Moto::start(&root.join(".venv/bin"), Server::KeepAlive);
    println!("endpoint: {}", Server::KeepAlive.describe());
    println!("schedule: {rate} orders/s for {seconds} s = {} orders, normal, publish only (`--wait 0s`)\n", (rate * seconds) as u64);
    println!(
        "{:<22} {:>9} {:>10} {:>10} {:>11} {:>12} {:>12} {:>16}",
        "publisher", "asked /s", "achieved/s", "rate err", "published", "split err", "late p99 ms", "worker /s (min–max)"
    );
    let dir = tempfile::tempdir().unwrap();
    for workers in [0u32, 1, 2, 4] {
        let mut cmd = Command::new(bin);
        cmd.current_dir(dir.path()).envs(moto.env()).env("AWS_EC2_METADATA_DISABLED", "true");
        cmd.args(["--target", "aws", "--stack", "bench", "--yes", "send", "--normal", "--wait", "0s", "-o", "json"]);
        cmd.args(["--rate", &rate.to_string(), "--duration", &format!("{seconds}s")]);
        if workers > 0 {
            cmd.args(["--workers", &workers.to_string(), "--zips"]).arg(&zips);
        }
        let out = cmd.output().unwrap();
        // `--wait 0s` reports the orders in flight (exit 1): expected here.
        assert!(out.status.code().is_some_and(|c| c <= 1), "send: {}", String::from_utf8_lossy(&out.stderr));
        let r: Value = serde_json::from_slice(&out.stdout).unwrap();
        let asked = r["requested"]["count"].as_f64().unwrap();
        let (sent, achieved) = (r["sent"].as_f64().unwrap(), r["achievedRate"].as_f64().unwrap());
        let late = r["scheduling"]["lateness"]["p99Ms"].as_f64().unwrap_or(f64::NAN);
        let spread = match r["workers"]["each"].as_array() {
            Some(each) => {
                let rates: Vec<f64> = each.iter().map(|w| w["achievedRate"].as_f64().unwrap()).collect();
                format!("{:.0}–{:.0}", rates.iter().copied().fold(f64::MAX, f64::min), rates.iter().copied().fold(0.0, f64::max))
            }
            None => "–".into(),
        };
        let who = if workers == 0 { "this process".to_string() } else { format!("{workers} workers (local)") };
        println!(
            "{who:<22} {rate:>9.0} {achieved:>10.1} {:>9.2}% {sent:>11.0} {:>11.3}% {late:>12.1} {spread:>16}",
            (achieved - rate) / rate * 100.0,
            (sent - asked) / asked * 100.0
        );
    }
}
