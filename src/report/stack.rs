//! What `up` and `down` report, on either target.

use crate::model::{CallCounts, Env};
use crate::plan::Plan;
use serde::Serialize;

/// What `up` planned and did.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UpReport {
    pub schema: &'static str,
    pub stack: String,
    pub target: &'static str,
    /// local: the stack's directory.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub aws: Option<Env>,
    pub dry_run: bool,
    pub applied: bool,
    #[serde(flatten)]
    pub plan: Plan,
    /// aws: the requests `up` made (it has shown the plan on stderr already).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub api_calls: Option<CallCounts>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seconds: Option<f64>,
}

/// What `down` deleted: a local stack's database, or an aws stack's resources.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum DownReport {
    Local(LocalDown),
    Aws(AwsDown),
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LocalDown {
    pub schema: &'static str,
    pub stack: String,
    pub target: &'static str,
    pub deleted: bool,
    pub resources: usize,
    pub messages: u64,
    pub orders: u64,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AwsDown {
    pub schema: &'static str,
    pub stack: String,
    pub target: &'static str,
    pub aws: Env,
    #[serde(flatten)]
    pub plan: Plan,
    /// Resources with the stack's names that it does not own: never touched.
    pub left_alone: Vec<String>,
    pub deleted: bool,
    pub api_calls: CallCounts,
    pub seconds: f64,
}
