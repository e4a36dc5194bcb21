//! Client CPU per order of `orderctl send --target aws` against the reference boto3
//! publisher (`../shared/peers/boto3_publisher.py`: threads + `publish_batch`), both
//! sending the same number of orders to the same topic on the same moto server, one
//! after the other in one run. CPU is the children's user + system time
//! (`getrusage(RUSAGE_CHILDREN)`), so moto's own work is not counted.
//!
//!     cargo bench --bench publisher_cpu            # 10,000 orders each
//!     cargo bench --bench publisher_cpu -- 2000    # another count
//!
//! Needs moto and boto3 in `.venv/` (the README's test command installs them).

use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn children_cpu() -> Duration {
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: getrusage writes into the struct we own.
    unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) };
    let tv = |t: libc::timeval| Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64);
    tv(usage.ru_utime) + tv(usage.ru_stime)
}

fn measure(what: &str, cmd: &mut Command) -> (Duration, Duration) {
    let (cpu0, t0) = (children_cpu(), Instant::now());
    let out = cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).output().unwrap();
    let (cpu, wall) = (children_cpu() - cpu0, t0.elapsed());
    // `orderctl send --wait 0s` reports the orders as in flight (exit 1): expected here.
    assert!(out.status.code().is_some_and(|c| c <= 1), "{what} failed: {}", String::from_utf8_lossy(&out.stderr));
    (cpu, wall)
}

fn main() {
    let count: u64 = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(10_000);
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let venv = root.join(".venv/bin");
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut moto = Command::new(venv.join("moto_server"))
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("moto in .venv/ (the README's test command makes it)");
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        std::thread::sleep(Duration::from_millis(50));
    }
    let endpoint = format!("http://127.0.0.1:{port}");
    let env = [
        ("AWS_ENDPOINT_URL", endpoint.as_str()),
        ("AWS_REGION", "us-east-1"),
        ("AWS_DEFAULT_REGION", "us-east-1"),
        ("AWS_ACCESS_KEY_ID", "test"),
        ("AWS_SECRET_ACCESS_KEY", "test"),
    ];
    let py = |code: &str| {
        let out = Command::new(venv.join("python")).args(["-c", code]).envs(env).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap().trim().to_string()
    };
    let topic = py("import boto3; print(boto3.client('sns').create_topic(Name='bench-orders')['TopicArn'])");
    py("import boto3; s = boto3.client('sqs'); [s.create_queue(QueueName=n) for n in ('bench-orders', 'bench-orders-dlq')]");

    let orderctl = env!("CARGO_BIN_EXE_orderctl");
    let (ours, ours_wall) = measure(
        "orderctl",
        Command::new(orderctl)
            .args([
                "--target",
                "aws",
                "--stack",
                "bench",
                "send",
                "--count",
                &count.to_string(),
                "--rate",
                "1000000",
                "--wait",
                "0s",
                "-o",
                "json",
            ])
            .envs(env),
    );
    let peer = root.join("../shared/peers/boto3_publisher.py");
    let (theirs, theirs_wall) = measure(
        "boto3_publisher.py",
        Command::new(venv.join("python"))
            .arg(&peer)
            .args(["--topic-arn", &topic, "--count", &count.to_string(), "--endpoint-url", &endpoint])
            .envs(env),
    );
    let _ = moto.kill();
    let _ = moto.wait();
    let per = |cpu: Duration| cpu.as_secs_f64() * 1e6 / count as f64;
    println!("{count} orders each to one topic on one moto server");
    println!("{:<22} {:>12} {:>14} {:>10}", "publisher", "CPU (s)", "CPU/order (µs)", "wall (s)");
    println!("{:<22} {:>12.3} {:>14.1} {:>10.2}", "orderctl", ours.as_secs_f64(), per(ours), ours_wall.as_secs_f64());
    println!("{:<22} {:>12.3} {:>14.1} {:>10.2}", "boto3_publisher.py", theirs.as_secs_f64(), per(theirs), theirs_wall.as_secs_f64());
    println!("orderctl uses {:.3}× the boto3 publisher's CPU per order (goal: at most 0.2)", ours.as_secs_f64() / theirs.as_secs_f64());
}
