//! Diagnostics on stderr for `-v` (orderctl's own: every AWS request and its attempt),
//! `-vv` (the AWS SDK's too) and `-vvv` (everything, HTTP included), or `RUST_LOG`.
//!
//! Whatever the verbosity, no secret reaches the output: the AWS secret key and session
//! token — from the environment, or from whichever provider the SDK resolved them
//! with (`crate::aws` registers them) — are replaced by `<redacted>` in every line written.

use std::io::Write;
use std::sync::RwLock;
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::EnvFilter;

static SECRETS: RwLock<Vec<String>> = RwLock::new(Vec::new());

/// Shorter values are not worth hiding and would mangle ordinary words.
const MIN_SECRET: usize = 8;

/// Never show `secret` in a log line.
pub fn register(secret: &str) {
    if secret.len() < MIN_SECRET {
        return;
    }
    let mut secrets = SECRETS.write().unwrap_or_else(|e| e.into_inner());
    if !secrets.iter().any(|s| s == secret) {
        secrets.push(secret.to_string());
    }
}

/// `text` with every registered secret replaced.
pub fn redact(text: &str) -> String {
    let secrets = SECRETS.read().unwrap_or_else(|e| e.into_inner());
    secrets.iter().fold(text.to_string(), |t, s| t.replace(s.as_str(), "<redacted>"))
}

/// Starts logging at `verbosity` (the count of `-v`); `RUST_LOG`, when set, decides
/// instead. Without either, nothing is logged.
pub fn init(verbosity: u8) {
    for var in ["AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"] {
        if let Ok(v) = std::env::var(var) {
            register(&v);
        }
    }
    let filter = match (std::env::var("RUST_LOG"), verbosity) {
        (Ok(spec), _) => EnvFilter::new(spec),
        (Err(_), 0) => return,
        (Err(_), 1) => EnvFilter::new("orderctl=debug"),
        (Err(_), 2) => EnvFilter::new("orderctl=trace,aws_config=debug,aws_smithy_runtime=debug,aws_sigv4=debug"),
        (Err(_), _) => EnvFilter::new("trace"),
    };
    let _ = tracing_subscriber::fmt().with_env_filter(filter).with_writer(Redacting).with_ansi(false).try_init();
}

/// Writes each log line to stderr after redaction.
struct Redacting;

impl<'a> MakeWriter<'a> for Redacting {
    type Writer = Line;

    fn make_writer(&'a self) -> Line {
        Line(Vec::new())
    }
}

/// One event, buffered so that a secret split across writes is still found.
struct Line(Vec<u8>);

impl Write for Line {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Drop for Line {
    fn drop(&mut self) {
        let _ = std::io::stderr().write_all(redact(&String::from_utf8_lossy(&self.0)).as_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registered_secrets_never_pass() {
        register("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
        register("short");
        let line = "x-amz-security-token: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY; a short word";
        assert_eq!(redact(line), "x-amz-security-token: <redacted>; a short word");
    }
}
