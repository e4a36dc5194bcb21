//! `orderctl down`: delete everything the stack owns, and only that.

use super::emit;
use crate::context::Context;
use crate::local::{query, LocalStack, DB_FILE};
use crate::Outcome;
use anyhow::Result;
use serde::Serialize;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct DownReport<'a> {
    schema: &'static str,
    stack: &'a str,
    target: &'static str,
    deleted: bool,
    resources: usize,
    messages: u64,
    orders: u64,
}

pub fn run(ctx: &Context) -> Result<Outcome> {
    ctx.require_local()?;
    let dir = LocalStack::dir_for(&ctx.state_dir, &ctx.stack);
    let mut report =
        DownReport { schema: "orderctl/down/v1", stack: &ctx.stack, target: "local", deleted: false, resources: 0, messages: 0, orders: 0 };
    if !dir.join(DB_FILE).exists() {
        if dir.exists() {
            // Left by an interrupted `down`: finish it.
            std::fs::remove_dir_all(&dir)?;
        }
        emit(ctx, &report, || format!("stack `{}` is not up on the local target: nothing to delete\n", ctx.stack))?;
        return Ok(Outcome::Success);
    }
    let stack = LocalStack::open(&ctx.state_dir, &ctx.stack)?;
    report.resources = stack.observed()?.len();
    let mut conn = stack.db.connect()?;
    (report.messages, report.orders) = conn.read(|tx| {
        let messages: u64 = tx.query_row("SELECT COUNT(*) FROM messages", [], |r| r.get(0))?;
        Ok((messages, query::order_counts(tx)?.total))
    })?;
    drop(conn);
    let question = format!(
        "delete local stack `{}`: {} resources, {} messages, {} orders in `{}`?",
        ctx.stack,
        report.resources,
        report.messages,
        report.orders,
        dir.display()
    );
    if !ctx.confirm(&question)? {
        eprintln!("nothing deleted");
        return Ok(Outcome::Negative);
    }
    stack.destroy()?;
    report.deleted = true;
    emit(ctx, &report, || {
        format!(
            "deleted local stack `{}`: {} resources, {} messages, {} orders; nothing of it remains\n",
            report.stack, report.resources, report.messages, report.orders
        )
    })?;
    Ok(Outcome::Success)
}
