//! `orderctl up`: converge the stack to the desired state (the target plans and
//! applies), then show the plan and what was done.

use super::show_asked;
use crate::cli::{DeployArgs, FunctionArch, UpArgs};
use crate::context::Context;
use crate::package::{Arch, Sources};
use crate::plan::Plan;
use crate::report::stack::UpReport;
use crate::report::text::{plan_changes, plan_counts};
use crate::target::{Asked, Code, Target, UpRequest};
use crate::Outcome;
use anyhow::Result;

pub fn run(ctx: &Context, args: &UpArgs) -> Result<Outcome> {
    let target = crate::targets::open(ctx);
    show_asked(ctx, converge(&*target, &args.deploy, args.dry_run)?, "nothing changed", render)
}

/// `up` on `target` with the deploy flags, asking at the terminal (or `--yes`).
pub fn converge(target: &dyn Target, deploy: &DeployArgs, dry_run: bool) -> Result<Asked<UpReport>> {
    let request =
        UpRequest { settings: target.settings(&deploy.settings)?, arch: arch(deploy), code: code(deploy), adopt: deploy.adopt, dry_run };
    let ctx = target.context();
    target.up(&request, &|question| ctx.confirm(question))
}

/// The functions' architecture the deploy flags ask for.
pub fn arch(deploy: &DeployArgs) -> Arch {
    arch_of(deploy.arch)
}

pub fn arch_of(arch: FunctionArch) -> Arch {
    match arch {
        FunctionArch::X86_64 => Arch::X86_64,
        FunctionArch::Arm64 => Arch::Arm64,
    }
}

/// The code the deploy flags ask for: `--zips DIR`, else the handlers of `--source DIR`,
/// else the ones this binary carries.
pub fn code(deploy: &DeployArgs) -> Code {
    code_of(&deploy.zips, &deploy.source)
}

/// `--zips DIR`, else `--source DIR`, else the handlers this binary carries.
pub fn code_of(zips: &Option<std::path::PathBuf>, source: &Option<std::path::PathBuf>) -> Code {
    match (zips, source) {
        (Some(dir), _) => Code::Packages { dir: dir.clone() },
        (None, Some(dir)) => Code::Build { sources: Sources::Checkout(dir.clone()) },
        (None, None) => Code::Build { sources: Sources::Embedded },
    }
}

fn render(report: &UpReport) -> String {
    match &report.api_calls {
        // The plan went to stderr before anything was applied: the verdict and its cost.
        Some(calls) => {
            let verdict = if report.dry_run {
                "plan (dry run, nothing changed)".to_string()
            } else if report.applied {
                format!("applied: {}", plan_counts(&report.plan))
            } else {
                "stack is up to date: nothing to do".to_string()
            };
            format!("{verdict} · {} API calls ({} mutating) in {:.1}s\n", calls.total, calls.mutating, report.seconds.unwrap_or_default())
        }
        None => render_plan(&report.plan, report.dry_run),
    }
}

/// The plan's changes and the verdict.
fn render_plan(plan: &Plan, dry_run: bool) -> String {
    let counts = plan_counts(plan);
    let verdict = if dry_run {
        format!("plan (dry run, nothing changed): {counts}")
    } else if plan.is_noop() {
        "stack is up to date: nothing to do".to_string()
    } else {
        format!("applied: {counts}")
    };
    format!("{}\n{verdict}\n", plan_changes(plan))
}
