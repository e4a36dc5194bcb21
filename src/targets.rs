//! Picks the [`Target`] that `--target` names: the one place that knows both.

use crate::cli::TargetKind;
use crate::context::Context;
use crate::target::Target;

pub fn open(ctx: &Context) -> Box<dyn Target> {
    match ctx.target {
        TargetKind::Local => Box::new(crate::local::LocalTarget::new(ctx)),
        TargetKind::Aws => Box::new(crate::aws::AwsTarget::new(ctx)),
    }
}

/// What to do about `e`, when a target knows this kind of error (for now: the aws
/// target's credentials, endpoint and permission errors).
pub fn explain(e: &anyhow::Error) -> Option<String> {
    crate::aws::explain(e)
}
