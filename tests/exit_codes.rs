//! The documented exit codes, command by command: 0 success, 1 the command ran but the
//! outcome is negative, 2 usage, configuration, AWS or I/O error. Also the text output
//! of `status` and `smoke` against committed snapshots (numbers, times and ids masked).

use crate::common;

use common::{orderctl, text};
use std::process::Command;

fn code(dir: &std::path::Path, args: &[&str]) -> i32 {
    let out = orderctl(dir, args);
    out.status.code().unwrap_or_else(|| panic!("{args:?} was killed: {:?}", text(&out)))
}

#[test]
fn every_command_exits_with_the_documented_code() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    const SMOKE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/smoke.toml");
    let cases: Vec<(&[&str], i32)> = vec![
        (&["status"], 2),                         // not up
        (&["up", "--max-receive-count", "0"], 2), // bad setting
        (&["up"], 0),
        (&["up", "--dry-run"], 0),
        (&["status"], 0),
        (&["send", "--count", "10", "--rate", "200"], 0),
        (&["send", "--fail", "--count", "2", "--rate", "200", "--wait", "0s"], 1), // unsettled when the wait ran out
        // Those two FAIL orders need three receives, a 1.5 s visibility timeout apart.
        (&["drain", "--wait", "1ms"], 1), // did not finish
        (&["send", "--rate", "-5"], 2),
        (&["run", SMOKE, "--time-scale", "0.1"], 0),
        (&["run", SMOKE, "--time-scale", "0.1", "--p99-ms", "0.0001"], 1), // threshold missed
        (&["run", "no-such.toml"], 2),
        (&["drain"], 0),
        (&["dlq", "inspect"], 0),
        (&["dlq", "redrive", "--dry-run"], 0),
        (&["dlq", "redrive", "--wait", "20s"], 1), // still FAIL orders: back in the DLQ
        (&["dlq", "redrive", "--rate", "501"], 2),
        (&["dlq", "purge"], 2), // no terminal, no --yes
        (&["dlq", "purge", "--yes"], 0),
        (&["config"], 0),
        (&["completions", "bash"], 0),
        (&["lambda", "invoke", "order-worker", "--event", "missing.json"], 2),
        (&["package", "--arch", "arm64", "--no-build"], 2),
        (&["smoke", "--threshold", "0"], 1),
        (&["smoke"], 0),
        (&["down"], 2), // no terminal, no --yes
        (&["down", "--yes"], 0),
        (&["down", "--yes"], 0), // nothing left: still fine
    ];
    for (args, want) in cases {
        assert_eq!(code(d, args), want, "orderctl {}", args.join(" "));
    }
}

/// Runs `orderctl args` in `dir` with its stdin and stderr on a terminal (a pty), and
/// types `answer` at it: the exit code and what the terminal showed.
fn at_a_terminal(dir: &std::path::Path, args: &[&str], answer: &str) -> (i32, String) {
    use std::io::{Read, Write};
    use std::os::fd::FromRawFd;
    let (mut master, mut slave) = (0, 0);
    let opened = unsafe { libc::openpty(&mut master, &mut slave, std::ptr::null_mut(), std::ptr::null(), std::ptr::null()) };
    assert_eq!(opened, 0, "openpty: {}", std::io::Error::last_os_error());
    let (mut master, slave) = unsafe { (std::fs::File::from_raw_fd(master), std::fs::File::from_raw_fd(slave)) };
    let mut child = Command::new(common::bin())
        .args(args)
        .current_dir(dir)
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .stdin(slave.try_clone().unwrap())
        .stderr(slave)
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Only the child holds the terminal now: its exit ends the reads below (EIO).
    master.write_all(answer.as_bytes()).unwrap();
    let mut shown = Vec::new();
    let mut buf = [0u8; 4096];
    while let Ok(n @ 1..) = master.read(&mut buf) {
        shown.extend_from_slice(&buf[..n]);
    }
    (child.wait().unwrap().code().expect("exited"), String::from_utf8_lossy(&shown).into_owned())
}

#[test]
fn a_declined_confirmation_exits_1_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(code(dir.path(), &["up"]), 0);
    orderctl(dir.path(), &["send", "--fail", "--count", "3", "--rate", "200"]); // three orders for the DLQ
    let (purge, shown) = at_a_terminal(dir.path(), &["dlq", "purge"], "n\n");
    assert!(shown.contains("[y/N]"), "it asked: {shown}");
    assert_eq!(purge, 1, "a declined purge: {shown}");
    let (down, shown) = at_a_terminal(dir.path(), &["down"], "no\n");
    assert!(shown.contains("[y/N]"), "it asked: {shown}");
    assert_eq!(down, 1, "a declined down: {shown}");
    let status = common::ok_json(&orderctl(dir.path(), &["status", "-o", "json"]), "status after both were declined");
    assert_eq!(status["dlqDepth"], 3, "the DLQ was not purged: {status}");
    let (yes, shown) = at_a_terminal(dir.path(), &["dlq", "purge"], "y\n");
    assert_eq!(yes, 0, "a confirmed purge: {shown}");
}

#[test]
fn status_watch_refreshes_until_ctrl_c() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(code(dir.path(), &["up"]), 0);
    let mut child = Command::new(common::bin())
        .args(["status", "--watch", "200ms", "-o", "json"])
        .current_dir(dir.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Ctrl-C once three refreshes are out, however long a busy machine takes for them.
    use std::io::BufRead;
    let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let mut reports: Vec<serde_json::Value> = Vec::new();
    let start = std::time::Instant::now();
    while reports.len() < 3 {
        assert!(start.elapsed() < std::time::Duration::from_secs(120), "three refreshes within 120 s: {}", reports.len());
        let line = lines.next().expect("a refresh, not the end of the output").unwrap();
        reports.push(serde_json::from_str(&line).unwrap());
    }
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    reports.extend(lines.map(|l| serde_json::from_str(&l.unwrap()).unwrap()));
    assert_eq!(child.wait().unwrap().code(), Some(0), "Ctrl-C ends the watch with exit 0");
    assert!(reports.iter().all(|r| r["schema"] == "orderctl/status/v1"));
}

/// Masks what changes from run to run: times, run and message ids, numbers.
fn mask(text: &str) -> String {
    let mut out = String::new();
    for word in text.split_inclusive(|c: char| c.is_whitespace() || "│┆(),`[]\"".contains(c)) {
        let (body, tail) = word.split_at(word.trim_end_matches(|c: char| c.is_whitespace() || "│┆(),`[]\"".contains(c)).len());
        let masked = if body.len() == 11 && body.starts_with('r') && body[1..].chars().all(|c| c.is_ascii_hexdigit()) {
            "<run>".to_string()
        } else if body.contains('T') && body.ends_with('Z') && body.starts_with(|c: char| c.is_ascii_digit()) {
            "<time>".to_string()
        } else if body.chars().any(|c| c.is_ascii_digit()) && !body.chars().any(|c| c.is_alphabetic() && !"smµ.%".contains(c)) {
            "N".to_string()
        } else {
            body.to_string()
        };
        out.push_str(&masked);
        out.push_str(tail);
    }
    out
}

fn snapshot(name: &str, text: &str) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots").join(name);
    let masked = mask(text);
    if std::env::var_os("ORDERCTL_UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, &masked).unwrap();
    }
    let want = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        want == masked,
        "`{}` differs; if the change is meant, run `ORDERCTL_UPDATE_SNAPSHOTS=1 cargo test --test suite exit_codes::` and commit:\n--- want\n{want}\n--- got\n{masked}",
        path.display()
    );
}

#[test]
fn status_and_smoke_text_match_their_snapshots() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let smoke = orderctl(d, &["smoke", "--threshold", "0"]);
    assert_eq!(smoke.status.code(), Some(1));
    // The alarm line depends on when the alarm was last evaluated.
    let without_alarm: String = text(&smoke).0.lines().filter(|l| !l.starts_with("DLQ depth")).map(|l| format!("{l}\n")).collect();
    snapshot("smoke.txt", &without_alarm);
    let status = orderctl(d, &["status"]);
    assert_eq!(status.status.code(), Some(0));
    let (stdout, _) = text(&status);
    // The alarm's reason and the alerts log carry times the mask cannot see whole.
    let stable: String = stdout
        .lines()
        .filter(|l| !l.starts_with("  ") && !l.starts_with("alarm") && !l.starts_with("recent alerts"))
        .map(|l| format!("{l}\n"))
        .collect();
    snapshot("status.txt", &stable);
}

/// `orderctl --target aws ARGS` with no credentials of this machine's anywhere (and
/// instance metadata off), plus `env`.
fn aws_without_credentials(dir: &std::path::Path, args: &[&str], env: &[(&str, &str)]) -> std::process::Output {
    Command::new(common::bin())
        .args(["--target", "aws", "--region", "us-east-1"])
        .args(args)
        .current_dir(dir)
        .env("HOME", dir)
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .env_remove("AWS_SESSION_TOKEN")
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_ENDPOINT_URL")
        .env_remove("AWS_WEB_IDENTITY_TOKEN_FILE")
        .env_remove("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")
        .env_remove("AWS_CONTAINER_CREDENTIALS_FULL_URI")
        .envs(env.iter().copied())
        .output()
        .unwrap()
}

/// An AWS error a person can read: each cause once, in a line or two, with what to do
/// next — no credentials, an endpoint nobody listens on, credentials AWS refuses — and
/// the SDK's debug dump only with `-v`.
#[test]
fn aws_errors_read_as_sentences_with_what_to_do_next() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let free_port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let nobody = format!("http://127.0.0.1:{free_port}");
    let keys = [("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"), ("AWS_SECRET_ACCESS_KEY", "not-a-real-secret")];
    // moto checking credentials as AWS does, from the first request: it knows none.
    let strict = common::moto::Moto::start_with(&[("INITIAL_NO_AUTH_ACTION_COUNT", "0")]);
    type Case<'a> = (&'a str, Vec<&'a str>, Vec<(&'a str, &'a str)>);
    let cases: Vec<Case> = vec![
        ("no credentials, `orders`", vec!["--endpoint-url", &nobody, "orders"], vec![]),
        ("no credentials, `status`", vec!["--endpoint-url", &nobody, "status"], vec![]),
        ("nobody listens, `trace`", vec!["--endpoint-url", &nobody, "trace", "r-1"], keys.to_vec()),
        ("refused credentials, `status`", vec!["--endpoint-url", &strict.endpoint, "status"], keys.to_vec()),
        ("refused credentials, `logs`", vec!["--endpoint-url", &strict.endpoint, "logs"], keys.to_vec()),
    ];
    let mut shown = String::new();
    for (what, args, env) in cases {
        let out = aws_without_credentials(d, &args, &env);
        let (_, stderr) = text(&out);
        assert_eq!(out.status.code(), Some(2), "{what}: {stderr}");
        assert!(stderr.lines().count() <= 2 && !stderr.contains("DispatchFailure") && !stderr.contains("{ "), "{what}: {stderr}");
        shown.push_str(&format!(
            "{what}:\n{}",
            stderr.replace(&nobody, "http://127.0.0.1:<port>").replace(&strict.endpoint, "http://127.0.0.1:<moto>")
        ));
    }
    snapshot("aws-errors.txt", &shown);
    let verbose = aws_without_credentials(d, &["-v", "--endpoint-url", &nobody, "trace", "r-1"], &keys);
    assert!(text(&verbose).1.contains("details (-v):"), "the whole chain with -v: {}", text(&verbose).1);
}

#[test]
fn without_credentials_the_aws_target_says_so_and_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(common::bin())
        .args(["--target", "aws", "--region", "us-east-1", "--endpoint-url", "http://127.0.0.1:9", "status"])
        .current_dir(dir.path())
        .env("HOME", dir.path())
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .env_remove("AWS_SESSION_TOKEN")
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_WEB_IDENTITY_TOKEN_FILE")
        .env_remove("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")
        .env_remove("AWS_CONTAINER_CREDENTIALS_FULL_URI")
        .output()
        .unwrap();
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("no AWS credentials found") && stderr.contains("--profile"), "{stderr}");
}
