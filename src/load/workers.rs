//! A load published by `load-generator` workers (`send --workers N`): how the run is
//! cut into invocations and what it costs on AWS, computed from the plan before
//! anything is deployed or sent. Pure: the aws target runs the plan
//! (`crate::aws::workers`).

use super::Schedule;
use crate::package::{Arch, Code};
use serde::Serialize;
use std::time::Duration;

/// The most workers one run may have: Lambda's default concurrency quota per account
/// and region is 1,000, shared with the stack's own functions.
pub const MAX_WORKERS: u32 = 500;

/// Where the workers run (`--worker-runner`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Runner {
    /// Lambda's API on AWS; this machine when the Lambda endpoint is not AWS's.
    Auto,
    /// Lambda's API, whatever the endpoint (one that runs Lambda code).
    Lambda,
    /// Processes on this machine under the local Lambda Runtime API.
    Local,
}

/// What `--workers` asks for.
#[derive(Debug, Clone)]
pub struct Workers {
    pub count: u32,
    pub runner: Runner,
    /// Where the `load-generator` package comes from.
    pub code: Code,
    pub arch: Arch,
    /// The function's memory: Lambda gives CPU in proportion (1,769 MB is one vCPU).
    pub memory_mb: u32,
    /// The function's timeout: each invocation publishes until shortly before it, then
    /// hands the rest of its share to a fresh one.
    pub timeout: Duration,
    /// How long every worker has to report ready before the run refuses to start.
    pub ready_timeout: Duration,
}

/// Lambda's list prices in us-east-1 (aws.amazon.com/lambda/pricing), for the estimate.
const PER_GB_SECOND_X86: f64 = 0.000_016_666_7;
const PER_GB_SECOND_ARM: f64 = 0.000_013_333_4;
const PER_MILLION_REQUESTS: f64 = 0.20;
/// SNS: $0.50 per million publishes (each entry of a batch is one), as without workers.
const SNS_PER_MILLION: f64 = 0.50;

impl Workers {
    /// How long before its timeout an invocation stops dispatching, so that its last
    /// batches are acknowledged and its report returned in time.
    pub fn margin(&self) -> Duration {
        (self.timeout / 4).min(Duration::from_secs(60))
    }

    /// How long one invocation publishes at most.
    pub fn segment(&self) -> Duration {
        self.timeout - self.margin()
    }

    /// The plan's invocations and compute, for `schedule` starting `lead` after the
    /// workers report ready.
    pub fn cost(&self, schedule: &Schedule, lead: Duration) -> Cost {
        let span = lead + schedule.duration();
        let segments = (span.as_secs_f64() / self.segment().as_secs_f64()).ceil().max(1.0) as u64;
        let n = self.count as u64;
        // One prepare invocation each (about a second), then each segment's; each
        // worker runs from its start through the span, plus a second to drain.
        let invocations = n + n * segments;
        let gb = self.memory_mb as f64 / 1024.0;
        let gb_seconds = n as f64 * gb * (1.0 + span.as_secs_f64() + segments as f64);
        let per_gb_second = match self.arch {
            Arch::X86_64 => PER_GB_SECOND_X86,
            Arch::Arm64 => PER_GB_SECOND_ARM,
        };
        let lambda_usd = gb_seconds * per_gb_second + invocations as f64 * PER_MILLION_REQUESTS / 1e6;
        Cost {
            workers: self.count,
            invocations,
            segments_per_worker: segments,
            gb_seconds,
            lambda_usd,
            sns_usd: schedule.len() as f64 * SNS_PER_MILLION / 1e6,
            rate_per_worker: schedule.peak_rate() / self.count as f64,
        }
    }
}

/// What a run with workers costs on AWS, at list prices.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Cost {
    pub workers: u32,
    pub invocations: u64,
    pub segments_per_worker: u64,
    pub gb_seconds: f64,
    pub lambda_usd: f64,
    /// The publishes themselves, the same with or without workers.
    pub sns_usd: f64,
    /// The peak rate each worker publishes.
    pub rate_per_worker: f64,
}

impl Cost {
    /// One paragraph for the terminal, before the run asks to go.
    pub fn describe(&self) -> String {
        format!(
            "{} workers at up to {:.0} orders/s each: {} Lambda invocations ({} per worker of at most one timeout each, plus one to get ready), \
             {:.0} GB-seconds ≈ ${:.4} of Lambda, plus ${:.4} of SNS publishes (us-east-1 list prices)",
            self.workers,
            self.rate_per_worker,
            self.invocations,
            self.segments_per_worker,
            self.gb_seconds,
            self.lambda_usd,
            self.sns_usd
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::Limit;
    use crate::package::Sources;

    fn workers(count: u32, timeout: Duration) -> Workers {
        Workers {
            count,
            runner: Runner::Auto,
            code: Code::Build { sources: Sources::Embedded },
            arch: Arch::X86_64,
            memory_mb: 1024,
            timeout,
            ready_timeout: Duration::from_secs(60),
        }
    }

    #[test]
    fn a_run_longer_than_one_invocation_is_cut_into_segments_and_costed() {
        // 30 minutes at 10,000/s from 20 workers of 1 GB, 15-minute timeout: each
        // invocation publishes for 14 minutes, so 3 segments each.
        let w = workers(20, Duration::from_secs(900));
        assert_eq!(w.margin(), Duration::from_secs(60));
        assert_eq!(w.segment(), Duration::from_secs(840));
        let c = w.cost(&Schedule::new(10_000.0, Limit::Duration(Duration::from_secs(1800))), Duration::from_secs(2));
        assert_eq!((c.invocations, c.segments_per_worker), (20 + 60, 3));
        // 20 × 1 GB × (1 + 1802 + 3) s
        assert!((c.gb_seconds - 36_120.0).abs() < 1e-6, "{}", c.gb_seconds);
        assert!((c.lambda_usd - (36_120.0 * 0.000_016_666_7 + 80.0 * 0.2e-6)).abs() < 1e-9);
        assert!((c.sns_usd - 9.0).abs() < 1e-9, "18 M publishes");
        assert_eq!(c.rate_per_worker, 500.0);
        assert!(c.describe().contains("80 Lambda invocations"), "{}", c.describe());
        // A short timeout (a rehearsal) keeps a quarter of it in hand.
        let short = workers(4, Duration::from_secs(8));
        assert_eq!((short.margin(), short.segment()), (Duration::from_secs(2), Duration::from_secs(6)));
        assert_eq!(short.cost(&Schedule::new(400.0, Limit::Count(4000)), Duration::from_secs(2)).segments_per_worker, 2);
    }
}
