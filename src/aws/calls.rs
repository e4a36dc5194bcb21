//! Every request the SDK sends, counted by operation: how `up` proves a second run
//! changes nothing (zero mutating calls), and where a test makes `orderctl` crash just
//! before its n-th mutating call (`ORDERCTL_AWS_CRASH_AFTER=n`).

pub use crate::model::CallCounts;
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::context::BeforeTransmitInterceptorContextRef;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::orchestrator::Metadata;
use aws_smithy_runtime_api::client::retries::RequestAttempts;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

/// The environment variable of the crash hook, for tests of interrupted runs.
pub const CRASH_AFTER: &str = "ORDERCTL_AWS_CRASH_AFTER";

/// Whether an operation only reads.
pub fn is_read_only(operation: &str) -> bool {
    ["Get", "List", "Describe", "Head"].iter().any(|p| operation.starts_with(p))
}

#[derive(Debug, Default)]
struct Counts {
    /// `service:operation` → requests sent (each retry is a request).
    by_operation: BTreeMap<String, u64>,
    mutating: u64,
    /// Requests that were a retry of an earlier attempt (throttled, timed out, refused).
    retries: u64,
}

/// Counts requests; shared by every client of one command.
#[derive(Debug, Clone, Default)]
pub struct Calls {
    counts: Arc<Mutex<Counts>>,
    crash_after: Option<u64>,
}

impl Calls {
    pub fn new() -> Calls {
        let crash_after = std::env::var(CRASH_AFTER).ok().and_then(|v| v.parse().ok());
        Calls { counts: Arc::default(), crash_after }
    }

    pub fn snapshot(&self) -> CallCounts {
        let c = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        CallCounts { total: c.by_operation.values().sum(), mutating: c.mutating, retries: c.retries, by_operation: c.by_operation.clone() }
    }

    fn record(&self, service: &str, operation: &str, attempt: u32) {
        let mut c = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        if attempt > 1 {
            c.retries += 1;
        }
        let mutating = !is_read_only(operation);
        if mutating {
            if self.crash_after == Some(c.mutating) {
                // The test hook: die as a SIGKILL would, before this call leaves.
                eprintln!("{CRASH_AFTER}: stopping before mutating call {} ({service}:{operation})", c.mutating + 1);
                std::process::exit(86);
            }
            c.mutating += 1;
        }
        *c.by_operation.entry(format!("{service}:{operation}")).or_default() += 1;
    }
}

impl Intercept for Calls {
    fn name(&self) -> &'static str {
        "orderctl::Calls"
    }

    fn read_before_transmit(
        &self,
        _context: &BeforeTransmitInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let attempt = cfg.load::<RequestAttempts>().map_or(1, RequestAttempts::attempts);
        if let Some(m) = cfg.load::<Metadata>() {
            tracing::debug!("{}:{} attempt {attempt}", m.service(), m.name());
            self.record(m.service(), m.name(), attempt);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_and_writes_are_told_apart() {
        for op in ["GetQueueAttributes", "ListTagsOfResource", "DescribeTable", "GetFunction"] {
            assert!(is_read_only(op), "{op}");
        }
        for op in ["CreateQueue", "SetQueueAttributes", "PutRolePolicy", "TagResource", "UpdateFunctionCode", "Subscribe"] {
            assert!(!is_read_only(op), "{op}");
        }
        let calls = Calls::default();
        calls.record("sqs", "CreateQueue", 1);
        calls.record("sqs", "GetQueueUrl", 1);
        calls.record("sqs", "GetQueueUrl", 2);
        let s = calls.snapshot();
        assert_eq!((s.total, s.mutating, s.retries), (3, 1, 1));
        assert_eq!(s.by_operation["sqs:GetQueueUrl"], 2);
    }
}
