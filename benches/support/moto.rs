//! A moto server for the benchmarks, on a free loopback port, with the `bench` stack's
//! topic and queues (no subscription: a publish goes no further than SNS), under
//! `moto_server` or gunicorn.

use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

#[derive(Clone, Copy)]
pub enum Server {
    /// `moto_server`: a new connection for every request.
    Werkzeug,
    /// moto under gunicorn: connections kept open.
    KeepAlive,
}

impl Server {
    pub fn describe(self) -> &'static str {
        match self {
            Server::Werkzeug => "moto_server (werkzeug: Connection: close after every response)",
            Server::KeepAlive => "moto under gunicorn (connections kept open, as AWS does)",
        }
    }
}

/// A moto server on a free loopback port, with the stack's topic and queues.
pub struct Moto {
    child: Child,
    pub endpoint: String,
    pub topic: String,
}

impl Moto {
    pub fn start(venv: &Path, server: Server) -> Moto {
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let mut cmd =
            match server {
                Server::Werkzeug => {
                    let mut cmd = Command::new(venv.join("moto_server"));
                    cmd.args(["-H", "127.0.0.1", "-p", &port.to_string()]);
                    cmd
                }
                Server::KeepAlive => {
                    let mut cmd = Command::new(venv.join("gunicorn"));
                    let bind = format!("127.0.0.1:{port}");
                    cmd.args(["-k", "gthread", "-w", "1", "--threads", "8", "--keep-alive", "30", "--no-control-socket", "-b", &bind])
                        .args(["--chdir", concat!(env!("CARGO_MANIFEST_DIR"), "/benches"), "moto_wsgi:app"]);
                    cmd
                }
            };
        let child = cmd
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("moto and gunicorn in .venv/ (the README's test command makes it)");
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            std::thread::sleep(Duration::from_millis(50));
        }
        let mut moto = Moto { child, endpoint: format!("http://127.0.0.1:{port}"), topic: String::new() };
        let py = |code: &str| {
            let out = Command::new(venv.join("python")).args(["-c", code]).envs(moto.env()).output().unwrap();
            assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
            String::from_utf8(out.stdout).unwrap().trim().to_string()
        };
        let topic = py("import boto3; print(boto3.client('sns').create_topic(Name='bench-orders')['TopicArn'])");
        py("import boto3; s = boto3.client('sqs'); [s.create_queue(QueueName=n) for n in ('bench-orders', 'bench-orders-dlq', 'bench-high-value')]");
        moto.topic = topic;
        moto
    }

    pub fn env(&self) -> [(&'static str, &str); 5] {
        [
            ("AWS_ENDPOINT_URL", self.endpoint.as_str()),
            ("AWS_REGION", "us-east-1"),
            ("AWS_DEFAULT_REGION", "us-east-1"),
            ("AWS_ACCESS_KEY_ID", "test"),
            ("AWS_SECRET_ACCESS_KEY", "test"),
        ]
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
