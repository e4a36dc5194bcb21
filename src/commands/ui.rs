//! `orderctl ui`: the order form and the live dashboard, served on 127.0.0.1 until
//! Ctrl-C (see `crate::ui`).

use crate::cli::{TargetKind, UiArgs};
use crate::context::Context;
use crate::ui::{AwsBackend, Backend, LocalBackend};
use crate::Outcome;
use anyhow::Result;
use std::sync::Arc;

pub fn run(ctx: &Context, args: &UiArgs) -> Result<Outcome> {
    let backend: Arc<dyn Backend> = match ctx.target {
        TargetKind::Local => Arc::new(LocalBackend::open(ctx)?),
        TargetKind::Aws => Arc::new(AwsBackend::open(ctx)?),
    };
    crate::ui::serve(ctx, backend, args.port)?;
    Ok(Outcome::Success)
}
