//! A LocalStack for a test: `localstack-core` without Docker (its SQS with message move
//! tasks, SNS, CloudWatch with SQS metrics and alarm evaluation, and STS), started on a
//! free loopback port, stopped on drop. `tests/setup.sh` installs it into
//! `.venv-localstack/` with a Python ≥ 3.12; `ORDERCTL_LOCALSTACK_PYTHON` may point at
//! another. No LocalStack is a test failure, never a silent skip.

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

pub struct LocalStack {
    child: Child,
    pub endpoint: String,
    _data: tempfile::TempDir,
}

fn python() -> PathBuf {
    if let Some(p) = std::env::var_os("ORDERCTL_LOCALSTACK_PYTHON") {
        return PathBuf::from(p);
    }
    let venv = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(".venv-localstack/bin/python");
    assert!(venv.exists(), "`{}` is missing: run the README's test command, which installs LocalStack (tests/setup.sh)", venv.display());
    venv
}

impl LocalStack {
    pub fn start() -> LocalStack {
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let data = tempfile::tempdir().unwrap();
        let mut child = Command::new(python())
            .args(["-m", "localstack.runtime.main"])
            .env("OVERRIDE_IN_DOCKER", "0")
            .env("SERVICES", "sqs,sns,cloudwatch,sts")
            .env("GATEWAY_LISTEN", format!("127.0.0.1:{port}"))
            .env("LOCALSTACK_VOLUME_DIR", data.path())
            .env("SKIP_SSL_CERT_DOWNLOAD", "1")
            .env("DISABLE_EVENTS", "1")
            // SQS reports its queue metrics to CloudWatch every 5 s (AWS: every
            // minute), so an alarm test takes seconds, not minutes.
            .env("SQS_CLOUDWATCH_METRICS_REPORT_INTERVAL", "5")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .unwrap_or_else(|e| panic!("starting LocalStack ({e})"));
        // It says `Ready.` once it serves; its output is drained for as long as it runs.
        let (ready, said) = mpsc::channel();
        let out = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                if line.trim() == "Ready." {
                    let _ = ready.send(());
                }
            }
        });
        if said.recv_timeout(Duration::from_secs(90)).is_err() {
            let _ = child.kill();
            panic!("LocalStack did not say `Ready.` within 90 s on port {port}");
        }
        LocalStack { child, endpoint: format!("http://127.0.0.1:{port}"), _data: data }
    }

    /// The environment a process needs to reach this LocalStack only.
    pub fn env(&self) -> Vec<(String, String)> {
        super::endpoint_env(&self.endpoint)
    }

    pub async fn sdk(&self) -> aws_config::SdkConfig {
        aws_config::defaults(aws_config::BehaviorVersion::latest())
            .endpoint_url(&self.endpoint)
            .region(aws_config::Region::new("us-east-1"))
            .credentials_provider(aws_sdk_sqs::config::Credentials::new("test", "test", None, None, "localstack"))
            .load()
            .await
    }
}

impl Drop for LocalStack {
    fn drop(&mut self) {
        // The whole process group: LocalStack's own children too.
        unsafe {
            libc::kill(-(self.child.id() as i32), libc::SIGTERM);
        }
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while std::time::Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        unsafe {
            libc::kill(-(self.child.id() as i32), libc::SIGKILL);
        }
        let _ = self.child.wait();
    }
}
