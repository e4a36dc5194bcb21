//! `orderctl down`: delete everything the stack owns, and only that.

use super::show_asked;
use crate::context::Context;
use crate::report::stack::DownReport;
use crate::target::{Asked, Target};
use crate::Outcome;
use anyhow::Result;

pub fn run(ctx: &Context) -> Result<Outcome> {
    show_asked(ctx, remove(&*crate::targets::open(ctx))?, "nothing deleted", render)
}

/// `down` on `target`, asking at the terminal (or `--yes`).
pub fn remove(target: &dyn Target) -> Result<Asked<DownReport>> {
    let ctx = target.context();
    target.down(&|question| ctx.confirm(question))
}

fn render(report: &DownReport) -> String {
    match report {
        DownReport::Local(r) if !r.deleted => format!("stack `{}` is not up on the local target: nothing to delete\n", r.stack),
        DownReport::Local(r) => format!(
            "deleted local stack `{}`: {} resources, {} messages, {} orders; nothing of it remains\n",
            r.stack, r.resources, r.messages, r.orders
        ),
        DownReport::Aws(r) => {
            let mut out = if r.deleted {
                format!("deleted {} resources of stack `{}`; nothing of it remains\n", r.plan.changes.len(), r.stack)
            } else {
                format!("stack `{}` has no resources here: nothing to delete\n", r.stack)
            };
            for left in &r.left_alone {
                out.push_str(&format!("left alone (not tagged as this stack's): {left}\n"));
            }
            out.push_str(&format!("{} API calls ({} mutating) in {:.1}s\n", r.api_calls.total, r.api_calls.mutating, r.seconds));
            out
        }
    }
}
