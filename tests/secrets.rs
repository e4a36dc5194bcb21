//! No credential or secret appears in any output or log, at any verbosity: every command
//! of a whole `up` → `send` → `status` → `dlq` → `down` cycle on the `aws` target (moto)
//! and on the local target, quiet, `-v`, `-vv`, `-vvv` and `RUST_LOG=trace`, with a
//! secret key and a session token in the environment.

use crate::common;

use common::moto::{tiny_packages, Moto};
use std::process::{Command, Output};

const SECRET: &str = "ordSECRETkey0123456789abcdefghijABCDEFGH";
const TOKEN: &str = "ordSESSIONtoken0123456789abcdefghijABCDEFGHIJKLMN";

/// The first piece of `secret` — any 12 characters in a row, wherever they start — that
/// is in `text`: a truncated, wrapped or partly masked copy counts as a leak.
fn piece_of<'a>(secret: &'a str, text: &str) -> Option<&'a str> {
    (0..=secret.len() - 12).map(|i| &secret[i..i + 12]).find(|piece| text.contains(piece))
}

#[test]
fn a_piece_of_a_secret_is_found_wherever_it_starts() {
    assert_eq!(piece_of(SECRET, "…key0123456789ab…"), Some("key012345678"));
    assert_eq!(piece_of(SECRET, &format!("x{}y", &TOKEN[20..40])), Some("56789abcdefg"));
    assert_eq!(piece_of(SECRET, "ordSECRETke"), None, "11 characters are not a piece");
    assert_eq!(piece_of(TOKEN, SECRET), Some(&TOKEN[15..27]), "the two share their tail");
}

fn run(dir: &std::path::Path, moto: &Moto, level: &str, args: &[&str]) -> Output {
    let mut cmd = Command::new(common::bin());
    cmd.current_dir(dir)
        .args(args)
        .env("AWS_ENDPOINT_URL", &moto.endpoint)
        .env("AWS_REGION", "us-east-1")
        .env("AWS_ACCESS_KEY_ID", "AKIAORDERCTLTEST0001")
        .env("AWS_SECRET_ACCESS_KEY", SECRET)
        .env("AWS_SESSION_TOKEN", TOKEN)
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env_remove("AWS_PROFILE")
        .env_remove("ORDERCTL_LOCAL_FAULTS");
    match level {
        "RUST_LOG=trace" => cmd.env("RUST_LOG", "trace"),
        "" => cmd.env_remove("RUST_LOG"),
        flag => cmd.arg(flag).env_remove("RUST_LOG"),
    };
    cmd.output().unwrap()
}

#[test]
fn no_secret_in_any_output_at_any_verbosity() {
    let moto = Moto::start();
    let packages = tiny_packages();
    let pkg = packages.path().display().to_string();
    let dir = tempfile::tempdir().unwrap();
    let aws: Vec<Vec<&str>> = vec![
        vec!["--target", "aws", "up", "--yes", "--zips", &pkg],
        vec!["--target", "aws", "status"],
        vec!["--target", "aws", "send", "--count", "20", "--rate", "50", "--wait", "0s"],
        vec!["--target", "aws", "dlq", "inspect"],
        vec!["--target", "aws", "config"],
        vec!["--target", "aws", "down", "--yes"],
        vec!["--target", "aws", "--endpoint-url", "http://127.0.0.1:9", "status"],
    ];
    let local: Vec<Vec<&str>> = vec![
        vec!["up"],
        vec!["send", "--count", "30", "--mix", "normal=1,fail=1"],
        vec!["dlq", "inspect"],
        vec!["status"],
        vec!["down", "--yes"],
    ];
    let (mut outputs, mut bytes, mut lines_logged) = (0, 0, 0);
    for level in ["", "-v", "-vv", "-vvv", "RUST_LOG=trace"] {
        let mut logged = String::new();
        for args in aws.iter().chain(&local) {
            let out = run(dir.path(), &moto, level, args);
            let (stdout, stderr) = common::text(&out);
            for (stream, text) in [("stdout", &stdout), ("stderr", &stderr)] {
                assert!(!text.contains(SECRET), "the secret key is in the {stream} of `{level} {args:?}`");
                assert!(!text.contains(TOKEN), "the session token is in the {stream} of `{level} {args:?}`");
                // Nor a long enough piece of either (a truncated or wrapped copy).
                for secret in [SECRET, TOKEN] {
                    if let Some(piece) = piece_of(secret, text) {
                        panic!("`{piece}` of a secret is in the {stream} of `{level} {args:?}`");
                    }
                }
            }
            outputs += 2;
            bytes += stdout.len() + stderr.len();
            logged.push_str(&stderr);
        }
        lines_logged += logged.lines().count();
        // The logs are there to look into: a verbosity that logs nothing proves nothing.
        match level {
            "" => assert!(!logged.contains(" DEBUG "), "quiet by default"),
            "-v" => assert!(logged.contains("SNS:PublishBatch attempt 1"), "`-v` logs each AWS request"),
            _ => assert!(logged.contains("aws_smithy_runtime"), "`{level}` logs the SDK's steps"),
        }
    }
    eprintln!("{outputs} outputs of 12 commands × 5 verbosities checked ({bytes} bytes, {lines_logged} lines on stderr): no secret key, no session token");
}

/// Credentials from a provider rather than the environment (the container endpoint, on
/// loopback): the secrets it hands out are redacted from every log line too.
#[test]
fn secrets_from_a_credentials_provider_never_reach_the_log() {
    use std::io::{Read, Write};
    const PROVIDED_SECRET: &str = "provSECRETkey9876543210zyxwvutsrqZYXWVUTS";
    const PROVIDED_TOKEN: &str = "provSESSIONtoken9876543210zyxwvutsrqZYXWVUTSRQPO";
    let moto = Moto::start();
    let server = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let uri = format!("http://{}/credentials", server.local_addr().unwrap());
    let asked = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
    {
        let asked = asked.clone();
        std::thread::spawn(move || {
            for mut s in server.incoming().flatten() {
                let mut buf = [0u8; 4096];
                let _ = s.read(&mut buf);
                asked.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                let body = format!(
                    r#"{{"AccessKeyId":"AKIAPROVIDED00001","SecretAccessKey":"{PROVIDED_SECRET}","Token":"{PROVIDED_TOKEN}","Expiration":"2099-01-01T00:00:00Z"}}"#
                );
                let _ = write!(
                    s,
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
            }
        });
    }
    let home = tempfile::tempdir().unwrap();
    let out = Command::new(common::bin())
        .current_dir(home.path())
        .args(["--target", "aws", "status", "-vvv"])
        .env("HOME", home.path())
        .env("AWS_ENDPOINT_URL", &moto.endpoint)
        .env("AWS_REGION", "us-east-1")
        .env("AWS_CONTAINER_CREDENTIALS_FULL_URI", &uri)
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .env_remove("AWS_SESSION_TOKEN")
        .env_remove("AWS_PROFILE")
        .env_remove("RUST_LOG")
        .output()
        .unwrap();
    let (stdout, stderr) = common::text(&out);
    assert!(asked.load(std::sync::atomic::Ordering::SeqCst) > 0, "the credentials came from the provider: {stderr}");
    assert!(stdout.contains("xx-") || stdout.contains("orderctl-"), "status ran with them: {stdout}\n{stderr}");
    for secret in [PROVIDED_SECRET, PROVIDED_TOKEN] {
        if let Some(piece) = piece_of(secret, &stdout).or_else(|| piece_of(secret, &stderr)) {
            panic!("`{piece}` of a provided secret is in the output");
        }
    }
    eprintln!(
        "credentials from the container provider: {} lines logged at -vvv, no secret; {} redactions by orderctl",
        stderr.lines().count(),
        stderr.matches("<redacted>").count()
    );
}
