//! `orderctl run <scenario.toml>`: a load from a scenario file; flags override it.

use super::send::execute;
use crate::cli::RunArgs;
use crate::context::Context;
use crate::load::scenario::Scenario;
use crate::load::LoadPlan;
use crate::Outcome;
use anyhow::{anyhow, Result};

pub fn run(ctx: &Context, args: &RunArgs) -> Result<Outcome> {
    let scenario = Scenario::load(&args.scenario)?;
    let schedule = scenario.schedule(args.time_scale, args.rate_scale).map_err(|e| anyhow!("`{}`: {e}", args.scenario.display()))?;
    let mut thresholds = scenario.thresholds.or(&ctx.thresholds);
    if let Some(ms) = args.p99_ms {
        thresholds.p99_end_to_end_ms = Some(ms);
    }
    if !ctx.json() {
        let d = scenario.description.as_deref().unwrap_or("");
        eprintln!("scenario `{}`: {d} ({} orders over {:.1}s)", scenario.name, schedule.len(), schedule.duration().as_secs_f64());
    }
    let plan = LoadPlan {
        scenario: Some(scenario.name.clone()),
        schedule,
        mix: args.mix.clone().unwrap_or(scenario.mix),
        wait: args.wait.unwrap_or(scenario.wait),
        thresholds,
        hdr_out: args.hdr_out.clone(),
        report_html: args.report_html.clone(),
        workers: super::send::workers_of(&args.workers)?,
    };
    execute(ctx, &plan)
}
