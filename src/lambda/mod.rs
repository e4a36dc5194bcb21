//! Running a packaged Lambda handler without Lambda: a local Runtime API that runs its
//! `bootstrap` as a real process ([`runtime`]). `orderctl lambda invoke` runs one event
//! through it; the aws target's emulated event source mappings and pipe
//! (`crate::aws::emulate`) drive it for endpoints that cannot run Lambda code.

pub mod runtime;

use anyhow::Result;
use runtime::{extract_bootstrap, FunctionSpec, LocalFunction};
use std::path::Path;
use std::time::Duration;

/// The AWS_* variables of this process, for a function to reach the same endpoint
/// with the same credentials.
pub fn aws_environment() -> Vec<(String, String)> {
    std::env::vars().filter(|(k, _)| k.starts_with("AWS_") && !k.starts_with("AWS_LAMBDA_")).collect()
}

/// Starts the handler packaged in `zip` as function `name`, its files and log under `scratch`.
pub fn start(name: &str, zip: &Path, environment: Vec<(String, String)>, timeout: Duration, scratch: &Path) -> Result<LocalFunction> {
    let bootstrap = extract_bootstrap(zip, &scratch.join(name))?;
    LocalFunction::start(FunctionSpec {
        name: name.into(),
        bootstrap,
        timeout,
        memory_mb: 256,
        environment,
        log: Some(scratch.join(format!("{name}.log"))),
    })
}
