//! `orderctl down`: delete everything the stack owns, and only that.

use super::emit;
use crate::aws::apply::{self, Applier};
use crate::aws::calls::CallCounts;
use crate::aws::{desired, observe, Aws, Env};
use crate::cli::TargetKind;
use crate::context::Context;
use crate::local::{query, LocalStack, DB_FILE};
use crate::plan::Plan;
use crate::spec::{Resource, Settings};
use crate::Outcome;
use anyhow::{bail, Result};
use serde::Serialize;
use std::collections::HashMap;
use std::time::Instant;

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
    remove(ctx, true)
}

/// `down` without its report on stdout (for `smoke --down`).
pub fn run_quiet(ctx: &Context) -> Result<Outcome> {
    remove(ctx, false)
}

fn remove(ctx: &Context, show: bool) -> Result<Outcome> {
    if ctx.target == TargetKind::Aws {
        return run_aws(ctx, show);
    }
    let dir = LocalStack::dir_for(&ctx.state_dir, &ctx.stack);
    let mut report =
        DownReport { schema: "orderctl/down/v1", stack: &ctx.stack, target: "local", deleted: false, resources: 0, messages: 0, orders: 0 };
    if !dir.join(DB_FILE).exists() {
        if dir.exists() {
            // Left by an interrupted `down`: finish it.
            std::fs::remove_dir_all(&dir)?;
        }
        if show {
            emit(ctx, &report, || format!("stack `{}` is not up on the local target: nothing to delete\n", ctx.stack))?;
        }
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
    if !show {
        return Ok(Outcome::Success);
    }
    emit(ctx, &report, || {
        format!(
            "deleted local stack `{}`: {} resources, {} messages, {} orders; nothing of it remains\n",
            report.stack, report.resources, report.messages, report.orders
        )
    })?;
    Ok(Outcome::Success)
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AwsDownReport<'a> {
    schema: &'static str,
    stack: &'a str,
    target: &'static str,
    aws: &'a Env,
    #[serde(flatten)]
    plan: &'a Plan,
    /// Resources with the stack's names that it does not own: never touched.
    left_alone: Vec<String>,
    deleted: bool,
    api_calls: CallCounts,
    seconds: f64,
}

fn run_aws(ctx: &Context, show: bool) -> Result<Outcome> {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    runtime.block_on(async {
        let start = Instant::now();
        let aws = Aws::connect(ctx).await?;
        eprintln!("{}", aws.describe(&ctx.stack));
        let names = desired::every_resource(&ctx.stack, &aws.env, Settings::aws())?;
        let observed = observe::observe(&aws, &ctx.stack, &names).await?;
        let owned = apply::owned(&ctx.stack, &observed);
        let left_alone = apply::not_owned(&ctx.stack, &observed);
        let have: Vec<Resource> = owned.iter().map(|o| o.resource.clone()).collect();
        let plan = Plan::diff(&[], &have);
        let mut deleted = false;
        if !owned.is_empty() {
            if !ctx.json() {
                eprint!("{}", super::up::plan_table(&plan));
            }
            let question = format!(
                "delete {} resources of stack `{}` in account {} ({}), with their data?",
                owned.len(),
                ctx.stack,
                aws.env.account,
                aws.env.region
            );
            if !ctx.confirm(&question)? {
                eprintln!("nothing deleted");
                return Ok(Outcome::Negative);
            }
            Applier::new(&aws, &ctx.stack, &HashMap::new(), !ctx.json()).apply(&plan, &[], &owned, false).await?;
            let remaining = apply::owned(&ctx.stack, &observe::observe(&aws, &ctx.stack, &names).await?);
            if !remaining.is_empty() {
                let list: Vec<String> = remaining.iter().map(|o| format!("{} `{}`", o.resource.kind(), o.resource.name())).collect();
                bail!("`down` finished but these remain: {}; run `orderctl down` again", list.join(", "));
            }
            deleted = true;
        }
        if !show {
            return Ok(Outcome::Success);
        }
        let report = AwsDownReport {
            schema: "orderctl/down/v1",
            stack: &ctx.stack,
            target: "aws",
            aws: &aws.env,
            plan: &plan,
            left_alone,
            deleted,
            api_calls: aws.calls.snapshot(),
            seconds: start.elapsed().as_secs_f64(),
        };
        emit(ctx, &report, || {
            let mut out = if deleted {
                format!("deleted {} resources of stack `{}`; nothing of it remains\n", plan.changes.len(), ctx.stack)
            } else {
                format!("stack `{}` has no resources here: nothing to delete\n", ctx.stack)
            };
            for r in &report.left_alone {
                out.push_str(&format!("left alone (not tagged as this stack's): {r}\n"));
            }
            out.push_str(&format!(
                "{} API calls ({} mutating) in {:.1}s\n",
                report.api_calls.total, report.api_calls.mutating, report.seconds
            ));
            out
        })?;
        Ok(Outcome::Success)
    })
}
