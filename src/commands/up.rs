//! `orderctl up`: desired state → observed state → plan → apply.

use super::emit;
use crate::cli::UpArgs;
use crate::context::Context;
use crate::local::{LocalStack, DB_FILE};
use crate::plan::{Action, Plan};
use crate::report::text::table;
use crate::spec::StackSpec;
use crate::Outcome;
use anyhow::Result;
use serde::Serialize;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct UpReport<'a> {
    schema: &'static str,
    stack: &'a str,
    target: &'static str,
    state: String,
    dry_run: bool,
    applied: bool,
    #[serde(flatten)]
    plan: &'a Plan,
}

pub fn run(ctx: &Context, args: &UpArgs) -> Result<Outcome> {
    ctx.require_local()?;
    let settings = ctx.settings(&args.settings)?;
    let spec = StackSpec::new(&ctx.stack, settings);
    let dir = LocalStack::dir_for(&ctx.state_dir, &ctx.stack);
    let observed = if dir.join(DB_FILE).exists() { LocalStack::open(&ctx.state_dir, &ctx.stack)?.observed()? } else { Vec::new() };
    let plan = Plan::diff(&spec.resources, &observed);
    if !ctx.json() {
        eprintln!("target: local (embedded, no AWS account) · stack `{}` · state in `{}`", ctx.stack, dir.display());
    }
    let apply = !args.dry_run && !plan.is_noop();
    if apply {
        LocalStack::create(&ctx.state_dir, &ctx.stack)?.apply(&spec, &plan)?;
    }
    let report = UpReport {
        schema: "orderctl/up/v1",
        stack: &ctx.stack,
        target: "local",
        state: dir.display().to_string(),
        dry_run: args.dry_run,
        applied: apply,
        plan: &plan,
    };
    emit(ctx, &report, || render(&plan, args.dry_run))?;
    Ok(Outcome::Success)
}

pub fn render(plan: &Plan, dry_run: bool) -> String {
    let mut t = table(&["action", "kind", "name", "fields"]);
    for c in &plan.changes {
        let (action, fields) = match &c.action {
            Action::Create => ("create", String::new()),
            Action::Update(f) => ("update", f.join(", ")),
            Action::Unchanged => ("unchanged", String::new()),
            Action::Delete => ("delete", String::new()),
        };
        t.add_row(vec![action.to_string(), c.kind.clone(), c.name.clone(), fields]);
    }
    let counts = format!(
        "{} to create, {} to update, {} unchanged, {} to delete",
        plan.count(|a| *a == Action::Create),
        plan.count(|a| matches!(a, Action::Update(_))),
        plan.count(|a| *a == Action::Unchanged),
        plan.count(|a| *a == Action::Delete),
    );
    let verdict = if dry_run {
        format!("plan (dry run, nothing changed): {counts}")
    } else if plan.is_noop() {
        "stack is up to date: nothing to do".to_string()
    } else {
        format!("applied: {counts}")
    };
    format!("{t}\n{verdict}\n")
}
