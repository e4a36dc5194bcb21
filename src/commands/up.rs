//! `orderctl up`: desired state → observed state → plan → apply.

use super::emit;
use crate::aws::apply::{self, Applier, Packages};
use crate::aws::calls::CallCounts;
use crate::aws::{desired, observe, Aws, Env};
use crate::cli::{FunctionArch, TargetKind, UpArgs};
use crate::context::Context;
use crate::local::{LocalStack, DB_FILE};
use crate::package::{self, Arch, HANDLERS};
use crate::plan::{Action, Plan};
use crate::report::text::table;
use crate::spec::{Handler, Resource, StackSpec};
use crate::Outcome;
use anyhow::{Context as _, Result};
use serde::Serialize;
use std::collections::HashMap;
use std::path::Path;
use std::time::Instant;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct UpReport<'a> {
    schema: &'static str,
    stack: &'a str,
    target: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    state: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    aws: Option<&'a Env>,
    dry_run: bool,
    applied: bool,
    #[serde(flatten)]
    plan: &'a Plan,
    #[serde(skip_serializing_if = "Option::is_none")]
    api_calls: Option<CallCounts>,
    #[serde(skip_serializing_if = "Option::is_none")]
    seconds: Option<f64>,
}

pub fn run(ctx: &Context, args: &UpArgs) -> Result<Outcome> {
    converge(ctx, args, true)
}

/// `up`; `show` prints its report on stdout (`smoke` does not).
pub fn converge(ctx: &Context, args: &UpArgs, show: bool) -> Result<Outcome> {
    if ctx.target == TargetKind::Aws {
        return run_aws(ctx, args, show);
    }
    let settings = ctx.settings(&args.deploy.settings)?;
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
        state: Some(dir.display().to_string()),
        aws: None,
        dry_run: args.dry_run,
        applied: apply,
        plan: &plan,
        api_calls: None,
        seconds: None,
    };
    if show {
        emit(ctx, &report, || render(&plan, args.dry_run))?;
    }
    Ok(Outcome::Success)
}

fn changes(plan: &Plan) -> comfy_table::Table {
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
    t
}

/// The plan as a table, with its counts.
pub fn plan_table(plan: &Plan) -> String {
    format!("{}\nplan: {}\n", changes(plan), counts(plan))
}

pub fn render(plan: &Plan, dry_run: bool) -> String {
    let counts = counts(plan);
    let verdict = if dry_run {
        format!("plan (dry run, nothing changed): {counts}")
    } else if plan.is_noop() {
        "stack is up to date: nothing to do".to_string()
    } else {
        format!("applied: {counts}")
    };
    format!("{}\n{verdict}\n", changes(plan))
}

fn run_aws(ctx: &Context, args: &UpArgs, show: bool) -> Result<Outcome> {
    let settings = ctx.settings(&args.deploy.settings)?;
    let spec = StackSpec::new(&ctx.stack, settings);
    let arch = match args.deploy.arch {
        FunctionArch::X86_64 => Arch::X86_64,
        FunctionArch::Arm64 => Arch::Arm64,
    };
    let packages = match &args.deploy.packages {
        Some(dir) => read_packages(dir, arch)?,
        None => build_packages(&args.deploy.source, arch, !ctx.json())?,
    };
    let code: HashMap<Handler, String> = packages
        .iter()
        .map(|(h, path)| Ok((*h, package::code_sha256(&std::fs::read(path).with_context(|| format!("reading `{}`", path.display()))?))))
        .collect::<Result<_>>()?;
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    runtime.block_on(async {
        let start = Instant::now();
        let aws = Aws::connect(ctx).await?;
        eprintln!("{}", aws.describe(&ctx.stack));
        let desired = desired::resources(&spec, &aws.env, arch.lambda_name(), &code)?;
        let observed = observe::observe(&aws, &ctx.stack, &desired).await?;
        let have: Vec<Resource> = observed.iter().map(|o| o.resource.clone()).collect();
        let plan = Plan::diff(&desired, &have);
        let plan = Plan {
            changes: plan.changes.into_iter().filter(|c| c.action != Action::Delete || is_owned(&observed, c, &ctx.stack)).collect(),
        };
        let ownership = apply::check_ownership(&ctx.stack, &desired, &observed, args.deploy.adopt);
        let adopting = args.deploy.adopt && observed.iter().any(|o| !o.owned_by(&ctx.stack) && o.owner.is_none());
        let apply = !args.dry_run && (!plan.is_noop() || adopting) && ownership.is_ok();
        if !ctx.json() && (args.dry_run || apply || ownership.is_err()) {
            eprint!("{}", plan_table(&plan));
        }
        ownership?;
        if apply {
            let question = format!("apply these changes to stack `{}` in account {} ({})?", ctx.stack, aws.env.account, aws.env.region);
            if !ctx.confirm(&question)? {
                eprintln!("nothing changed");
                return Ok(Outcome::Negative);
            }
            Applier::new(&aws, &ctx.stack, &packages, !ctx.json()).apply(&plan, &desired, &observed, args.deploy.adopt).await?;
        }
        let report = UpReport {
            schema: "orderctl/up/v1",
            stack: &ctx.stack,
            target: "aws",
            state: None,
            aws: Some(&aws.env),
            dry_run: args.dry_run,
            applied: apply,
            plan: &plan,
            api_calls: Some(aws.calls.snapshot()),
            seconds: Some(start.elapsed().as_secs_f64()),
        };
        if !show {
            return Ok(Outcome::Success);
        }
        emit(ctx, &report, || {
            let calls = aws.calls.snapshot();
            let verdict = if args.dry_run {
                "plan (dry run, nothing changed)".to_string()
            } else if apply {
                format!("applied: {}", counts(&plan))
            } else {
                "stack is up to date: nothing to do".to_string()
            };
            format!("{verdict} · {} API calls ({} mutating) in {:.1}s\n", calls.total, calls.mutating, start.elapsed().as_secs_f64())
        })?;
        Ok(Outcome::Success)
    })
}

fn is_owned(observed: &[observe::Observed], c: &crate::plan::Change, stack: &str) -> bool {
    observed.iter().any(|o| o.resource.kind() == c.kind && o.resource.name() == c.name && o.owned_by(stack))
}

fn handler_of(name: &str) -> Option<Handler> {
    [Handler::OrderWorker, Handler::HighValueWorker, Handler::CreateOrder].into_iter().find(|h| h.to_string() == name)
}

/// The zips `orderctl package --out DIR` wrote.
fn read_packages(dir: &Path, arch: Arch) -> Result<Packages> {
    HANDLERS
        .iter()
        .map(|name| {
            let zip = dir.join(format!("{name}-{}.zip", arch.lambda_name()));
            anyhow::ensure!(zip.is_file(), "`{}` does not exist: run `orderctl package --out {}` first", zip.display(), dir.display());
            Ok((handler_of(name).context("unknown handler")?, zip))
        })
        .collect()
}

/// Builds and packages the handlers from the workspace at `source`.
fn build_packages(source: &Path, arch: Arch, verbose: bool) -> Result<Packages> {
    anyhow::ensure!(
        source.join("handlers").is_dir(),
        "`{}` holds no `handlers/` directory: run `up` in the orderctl workspace, or pass `--source DIR` or `--packages DIR`",
        source.display()
    );
    anyhow::ensure!(arch.installed(), "cannot build for {}: the Rust target `{}` is not installed", arch.lambda_name(), arch.triple());
    if verbose {
        eprintln!("building the handlers for {} (cargo, profile `lambda`)…", arch.lambda_name());
    }
    package::build(source, arch)?;
    let out = source.join("target").join("lambda");
    package::package_arch(source, &out, arch)?;
    read_packages(&out, arch)
}

fn counts(plan: &Plan) -> String {
    format!(
        "{} to create, {} to update, {} unchanged, {} to delete",
        plan.count(|a| *a == Action::Create),
        plan.count(|a| matches!(a, Action::Update(_))),
        plan.count(|a| *a == Action::Unchanged),
        plan.count(|a| *a == Action::Delete),
    )
}
