//! `orderctl send` (and `orderctl run` with a scenario): publish synthetic orders on a
//! fixed schedule, wait until every one has settled (or the wait runs out), and report
//! where each went. Ctrl-C stops sending, waits briefly and reports what happened.

use super::emit;
use crate::cli::{SendArgs, WorkerRunner, WorkersArgs};
use crate::context::Context;
use crate::load::workers::{Runner, Workers};
use crate::load::{Limit, LoadPlan, Schedule};
use crate::report;
use crate::Outcome;
use anyhow::{bail, Context as _, Result};
use order_domain::{Kind, Mix};

pub fn run(ctx: &Context, args: &SendArgs) -> Result<Outcome> {
    let limit = match (args.count, args.duration) {
        (_, Some(d)) => Limit::Duration(d),
        (Some(n), None) => Limit::Count(n),
        (None, None) => Limit::Count(100),
    };
    let plan = LoadPlan {
        scenario: None,
        schedule: Schedule::new(args.rate, limit),
        mix: mix_of(args),
        wait: args.wait,
        thresholds: ctx.thresholds.clone(),
        hdr_out: args.hdr_out.clone(),
        report_html: args.report_html.clone(),
        workers: workers_of(&args.workers)?,
    };
    execute(ctx, &plan)
}

/// Runs a plan on the stack and prints its report; exit 1 when anything is wrong.
pub fn execute(ctx: &Context, plan: &LoadPlan) -> Result<Outcome> {
    let report = crate::targets::open(ctx).load(plan, &|question| ctx.confirm(question), crate::live::interrupted())?;
    if let Some(path) = &plan.hdr_out {
        eprintln!("wrote the end-to-end latency distribution to `{}`", path.display());
    }
    if let Some(path) = &plan.report_html {
        std::fs::write(path, crate::ui::report_html(&report)?).with_context(|| format!("writing `{}`", path.display()))?;
        eprintln!("wrote the HTML report to `{}`", path.display());
    }
    emit(ctx, &report, || report::text::send_report(&report))?;
    Ok(if report.problems.is_empty() { Outcome::Success } else { Outcome::Negative })
}

/// The workers `--workers` asks for, checked against what Lambda accepts.
pub fn workers_of(args: &WorkersArgs) -> Result<Option<Workers>> {
    let Some(count) = args.workers else { return Ok(None) };
    let timeout = args.worker_timeout;
    if timeout.subsec_nanos() != 0 || !(3..=900).contains(&timeout.as_secs()) {
        bail!("`--worker-timeout` must be whole seconds from 3s to 15m (Lambda's limit), got {}", humantime::format_duration(timeout));
    }
    Ok(Some(Workers {
        count,
        runner: match args.worker_runner {
            WorkerRunner::Auto => Runner::Auto,
            WorkerRunner::Lambda => Runner::Lambda,
            WorkerRunner::Local => Runner::Local,
        },
        code: super::up::code_of(&args.zips, &args.source),
        arch: super::up::arch_of(args.arch),
        memory_mb: args.worker_memory,
        timeout,
        ready_timeout: args.ready_timeout,
    }))
}

fn mix_of(args: &SendArgs) -> Mix {
    let kind = match args.kind {
        Some(k) => Some(Kind::from(k)),
        None if args.normal => Some(Kind::Normal),
        None if args.high_value => Some(Kind::HighValue),
        None if args.fail => Some(Kind::Fail),
        None => None,
    };
    match (kind, &args.mix) {
        (Some(k), _) => Mix::only(k),
        (None, Some(m)) => m.clone(),
        (None, None) => Mix::default(),
    }
}
