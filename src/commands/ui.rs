//! `orderctl ui`: the order form and the live dashboard, served on 127.0.0.1 until
//! Ctrl-C (see `crate::ui`).

use crate::cli::UiArgs;
use crate::context::Context;
use crate::Outcome;
use anyhow::Result;
use std::sync::Arc;

pub fn run(ctx: &Context, args: &UiArgs) -> Result<Outcome> {
    crate::ui::serve(ctx, Arc::from(crate::targets::open(ctx)), args.port)?;
    Ok(Outcome::Success)
}
