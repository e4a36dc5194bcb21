//! `up`, `down` and `status` on the aws target: desired state → observed state → plan
//! (a pure diff) → apply, touching only what the stack owns (its tag).

use super::apply::{self, Applier, Packages};
use super::{desired, observe, Aws};
use crate::package::{self, Arch, Build, Sources};
use crate::plan::{Action, Plan};
use crate::report::stack::{AwsDown, DownReport, UpReport};
use crate::report::status::{resource_states, AlertSubscription, ComponentState, QueueStatus, StatusReport};
use crate::report::text::plan_table;
use crate::spec::{Handler, Resource, Settings, StackSpec};
use crate::target::{Approve, Asked, Code, UpRequest};
use anyhow::{bail, Context as _, Result};
use std::collections::HashMap;
use std::path::Path;
use std::time::Instant;

/// Packages the handlers (or reads the packages), then converges the stack, asking
/// `approve` before any change.
pub async fn up(ctx: &crate::context::Context, request: &UpRequest, approve: Approve<'_>) -> Result<Asked<UpReport>> {
    let spec = StackSpec::new(&ctx.stack, request.settings.clone());
    let arch = request.arch;
    let packages = packages(&request.code, arch, !ctx.json())?;
    let code: HashMap<Handler, String> = packages
        .iter()
        .map(|(h, path)| Ok((*h, package::code_sha256(&std::fs::read(path).with_context(|| format!("reading `{}`", path.display()))?))))
        .collect::<Result<_>>()?;
    let start = Instant::now();
    let aws = Aws::connect(ctx).await?;
    eprintln!("{}", aws.describe(&ctx.stack));
    let desired = desired::resources(&spec, &aws.env, arch.lambda_name(), &code)?;
    let observed = observe::observe(&aws, &ctx.stack, &desired).await?;
    let have: Vec<Resource> = observed.iter().map(|o| o.resource.clone()).collect();
    let plan = Plan::diff(&desired, &have);
    let plan =
        Plan { changes: plan.changes.into_iter().filter(|c| c.action != Action::Delete || is_owned(&observed, c, &ctx.stack)).collect() };
    let ownership = apply::check_ownership(&ctx.stack, &desired, &observed, request.adopt);
    let adopting = request.adopt && observed.iter().any(|o| !o.owned_by(&ctx.stack) && o.owner.is_none());
    let apply = !request.dry_run && (!plan.is_noop() || adopting) && ownership.is_ok();
    if !ctx.json() && (request.dry_run || apply || ownership.is_err()) {
        eprint!("{}", plan_table(&plan));
    }
    ownership?;
    if apply {
        let question = format!("apply these changes to stack `{}` in account {} ({})?", ctx.stack, aws.env.account, aws.env.region);
        if !approve(&question)? {
            return Ok(Asked::Declined);
        }
        Applier::new(&aws, &ctx.stack, &packages, !ctx.json()).apply(&plan, &desired, &observed, request.adopt).await?;
    }
    Ok(Asked::Done(UpReport {
        schema: "orderctl/up/v1",
        stack: ctx.stack.clone(),
        target: "aws",
        state: None,
        aws: Some(aws.env.clone()),
        dry_run: request.dry_run,
        applied: apply,
        plan,
        api_calls: Some(aws.calls.snapshot()),
        seconds: Some(start.elapsed().as_secs_f64()),
    }))
}

/// Deletes every resource the stack owns once `approve` says yes, and checks that none
/// remains.
pub async fn down(ctx: &crate::context::Context, approve: Approve<'_>) -> Result<Asked<DownReport>> {
    let start = Instant::now();
    let aws = Aws::connect(ctx).await?;
    eprintln!("{}", aws.describe(&ctx.stack));
    let mut names = desired::every_resource(&ctx.stack, &aws.env, Settings::aws())?;
    names.extend(desired::generator(&ctx.stack, &aws.env, "x86_64", "", 0, 0));
    let observed = observe::observe(&aws, &ctx.stack, &names).await?;
    let owned = apply::owned(&ctx.stack, &observed);
    let left_alone = apply::not_owned(&ctx.stack, &observed);
    let have: Vec<Resource> = owned.iter().map(|o| o.resource.clone()).collect();
    let plan = Plan::diff(&[], &have);
    let mut deleted = false;
    if !owned.is_empty() {
        if !ctx.json() {
            eprint!("{}", plan_table(&plan));
        }
        let question = format!(
            "delete {} resources of stack `{}` in account {} ({}), with their data?",
            owned.len(),
            ctx.stack,
            aws.env.account,
            aws.env.region
        );
        if !approve(&question)? {
            return Ok(Asked::Declined);
        }
        Applier::new(&aws, &ctx.stack, &HashMap::new(), !ctx.json()).apply(&plan, &[], &owned, false).await?;
        let remaining = apply::owned(&ctx.stack, &observe::observe(&aws, &ctx.stack, &names).await?);
        if !remaining.is_empty() {
            let list: Vec<String> = remaining.iter().map(|o| format!("{} `{}`", o.resource.kind(), o.resource.name())).collect();
            bail!("`down` finished but these remain: {}; run `orderctl down` again", list.join(", "));
        }
        deleted = true;
    }
    Ok(Asked::Done(DownReport::Aws(AwsDown {
        schema: "orderctl/down/v1",
        stack: ctx.stack.clone(),
        target: "aws",
        aws: aws.env.clone(),
        plan,
        left_alone,
        deleted,
        api_calls: aws.calls.snapshot(),
        seconds: start.elapsed().as_secs_f64(),
    })))
}

/// The status of an aws stack through clients already connected (the page reads it
/// every few seconds).
pub async fn status(ctx: &crate::context::Context, aws: &Aws, settings: &Settings) -> Result<StatusReport> {
    let settings = settings.clone();
    let mut desired = desired::every_resource(&ctx.stack, &aws.env, settings)?;
    let mut observed = observe::observe(aws, &ctx.stack, &desired).await?;
    // The load generator, when `send --workers` has deployed it.
    let generator = desired::generator(&ctx.stack, &aws.env, "x86_64", "", 0, 0);
    for o in observe::observe(aws, &ctx.stack, &generator).await? {
        desired.extend(generator.iter().filter(|g| g.kind() == o.resource.kind() && g.name() == o.resource.name()).cloned());
        observed.push(o);
    }
    let have: Vec<Resource> = observed.iter().map(|o| o.resource.clone()).collect();
    let mut resources = resource_states(&desired, &have);
    for r in resources.iter_mut() {
        // The deployed code and architecture are what `up` shipped; without the
        // packages at hand there is nothing to compare them with.
        r.differs.retain(|f| f != "code_sha256" && f != "architecture");
        // The generator's settings are each run's (`--worker-memory`, `--worker-timeout`).
        if generator.iter().any(|g| g.kind() == r.kind && g.name() == r.name) {
            r.differs.clear();
        }
        if r.state == "drifted" && r.differs.is_empty() {
            r.state = "present".into();
        }
        if let Some(o) = observed.iter().find(|o| o.resource.kind() == r.kind && o.resource.name() == r.name) {
            if !o.owned_by(&ctx.stack) {
                r.state = format!("not owned ({})", o.owner.as_deref().map_or("no stack tag".to_string(), |s| format!("stack `{s}`")));
            }
        }
    }
    let names = crate::spec::Names::new(&ctx.stack);
    let mut queues = Vec::new();
    for o in &observed {
        if let Resource::Queue { name, .. } = &o.resource {
            queues.push(QueueStatus { name: name.clone(), depth: super::send::queue_depth(&aws.sqs, &o.handle).await? });
        }
    }
    queues.sort_by(|a, b| a.name.cmp(&b.name));
    let dlq_depth = queues.iter().find(|q| q.name == names.dlq()).map_or(0, |q| q.depth.total());
    let mut components = Vec::new();
    for o in &observed {
        match &o.resource {
            Resource::EventSourceMapping { name, .. } => {
                let m = aws.lambda.get_event_source_mapping().uuid(&o.handle).send().await?;
                let state = m.state().unwrap_or("unknown").to_string();
                let last = m.last_processing_result().map(|r| format!(" (last result: {r})")).unwrap_or_default();
                components.push(ComponentState { kind: "event-source-mapping".into(), name: name.clone(), state: state + &last });
            }
            Resource::Pipe { name, .. } => {
                let p = aws.pipes.describe_pipe().name(name).send().await?;
                let state = p.current_state().map(|s| s.as_str().to_string()).unwrap_or_else(|| "unknown".into());
                let reason = p.state_reason().map(|r| format!(" ({r})")).unwrap_or_default();
                components.push(ComponentState { kind: "pipe".into(), name: name.clone(), state: state + &reason });
            }
            _ => {}
        }
    }
    let report = StatusReport {
        schema: "orderctl/status/v1",
        stack: ctx.stack.clone(),
        target: "aws",
        resources,
        queues,
        dlq_depth,
        alarm: super::send::alarm_state(&aws.cloudwatch, &names.alarm()).await?,
        orders: super::send::order_counts(&aws.dynamodb, &names.table()).await?,
        recent_alerts: Vec::new(),
        last_run: None,
        aws: Some(aws.env.clone()),
        components,
        alert_subscriptions: alert_subscriptions(aws, &names.alerts_topic()).await?,
    };
    Ok(report)
}

/// The subscriptions of the `alerts` topic; an unconfirmed one has no ARN yet.
async fn alert_subscriptions(aws: &Aws, topic: &str) -> Result<Vec<AlertSubscription>> {
    let mut out = Vec::new();
    let mut pages = aws.sns.list_subscriptions_by_topic().topic_arn(aws.env.topic_arn(topic)).into_paginator().send();
    while let Some(page) = pages.next().await {
        let Ok(page) = page else { break }; // no topic: nothing subscribed
        for s in page.subscriptions() {
            out.push(AlertSubscription {
                protocol: s.protocol().unwrap_or_default().into(),
                endpoint: s.endpoint().unwrap_or_default().into(),
                pending_confirmation: s.subscription_arn() == Some("PendingConfirmation"),
            });
        }
    }
    Ok(out)
}

fn is_owned(observed: &[observe::Observed], c: &crate::plan::Change, stack: &str) -> bool {
    observed.iter().any(|o| o.resource.kind() == c.kind && o.resource.name() == c.name && o.owned_by(stack))
}

/// The handlers' zips for `arch`: the ones in a directory, or built.
pub fn packages(code: &Code, arch: Arch, verbose: bool) -> Result<Packages> {
    match code {
        Code::Packages { dir } => read_packages(dir, arch),
        Code::Build { sources } => build_packages(sources, arch, verbose),
    }
}

/// The zips of the pipeline's handlers that `orderctl package --zips DIR` wrote.
fn read_packages(dir: &Path, arch: Arch) -> Result<Packages> {
    Handler::ALL.into_iter().map(|handler| Ok((handler, package_zip(dir, handler, arch)?))).collect()
}

/// One handler's zip in `dir`.
fn package_zip(dir: &Path, handler: Handler, arch: Arch) -> Result<std::path::PathBuf> {
    let zip = dir.join(format!("{handler}-{}.zip", arch.lambda_name()));
    anyhow::ensure!(zip.is_file(), "`{}` does not exist: run `orderctl package --zips {}` first", zip.display(), dir.display());
    Ok(zip)
}

/// The `load-generator`'s zip for `arch`: the one in a directory, or built (with the
/// other handlers: one build).
pub fn generator_package(code: &Code, arch: Arch, verbose: bool) -> Result<std::path::PathBuf> {
    let dir = match code {
        Code::Packages { dir } => dir.clone(),
        Code::Build { sources } => {
            build_packages(sources, arch, verbose)?;
            Path::new(package::DEFAULT_ZIPS).to_path_buf()
        }
    };
    package_zip(&dir, Handler::LoadGenerator, arch)
}

/// Builds and packages the handlers of `sources` into the zips' default directory.
fn build_packages(sources: &Sources, arch: Arch, verbose: bool) -> Result<Packages> {
    anyhow::ensure!(arch.installed(), "cannot build for {}: the Rust target `{}` is not installed", arch.lambda_name(), arch.triple());
    let build = Build::locate(sources)?;
    build.run(arch, verbose)?;
    let out = Path::new(package::DEFAULT_ZIPS);
    package::package_arch(&build, out, arch)?;
    read_packages(out, arch)
}
