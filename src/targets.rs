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
