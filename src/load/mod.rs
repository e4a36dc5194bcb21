//! A load run: the schedule (open model, from the `load-publisher` crate the
//! `load-generator` Lambda function shares), scenarios, and [`LoadPlan`]: the schedule
//! with the rest of what a run needs.

pub mod scenario;
pub mod workers;

pub use load_publisher::schedule::{Limit, Schedule, Share, Stage};

use order_domain::Mix;
use std::path::PathBuf;
use std::time::Duration;

/// Everything a load run needs besides the stack: what `send` and `run` hand a target.
pub struct LoadPlan {
    pub scenario: Option<String>,
    pub schedule: Schedule,
    pub mix: Mix,
    pub wait: Duration,
    pub thresholds: scenario::Thresholds,
    /// Where to write the end-to-end latency distribution (HdrHistogram's
    /// percentile-distribution format).
    pub hdr_out: Option<PathBuf>,
    /// Where to write the report as a self-contained HTML page.
    pub report_html: Option<PathBuf>,
    /// Publish from this many `load-generator` workers instead of this process (aws).
    pub workers: Option<workers::Workers>,
}
