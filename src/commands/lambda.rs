//! `orderctl lambda invoke | mappings`: the packaged handlers, run locally.

use super::emit;
use crate::cli::LambdaCommand;
use crate::context::Context;
use crate::lambda::esm::{self, MappingSpec, MappingStats};
use crate::lambda::runtime::{extract_bootstrap, FunctionSpec, LocalFunction};
use crate::spec::{Handler, Names};
use crate::Outcome;
use anyhow::{bail, Context as _, Result};
use serde_json::{json, Value};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

pub fn run(ctx: &Context, cmd: &LambdaCommand) -> Result<Outcome> {
    match cmd {
        LambdaCommand::Invoke { handler, event, zip, env, timeout } => invoke(ctx, handler, event, zip.as_deref(), env, *timeout),
        LambdaCommand::Mappings { zips, idle, timeout } => mappings(ctx, zips, *idle, *timeout),
    }
}

/// The AWS_* variables of this process, for a function to reach the same endpoint
/// with the same credentials.
fn aws_environment() -> Vec<(String, String)> {
    std::env::vars().filter(|(k, _)| k.starts_with("AWS_") && !k.starts_with("AWS_LAMBDA_")).collect()
}

fn start(name: &str, zip: &Path, environment: Vec<(String, String)>, timeout: Duration, scratch: &Path) -> Result<LocalFunction> {
    let bootstrap = extract_bootstrap(zip, &scratch.join(name))?;
    LocalFunction::start(FunctionSpec {
        name: name.into(),
        bootstrap,
        timeout,
        memory_mb: 256,
        environment,
        log: Some(scratch.join(format!("{name}.log"))),
    })
}

fn invoke(ctx: &Context, handler: &str, event: &Path, zip: Option<&Path>, env: &[String], timeout: Duration) -> Result<Outcome> {
    let zip = zip.map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from(format!("target/lambda/{handler}-x86_64.zip")));
    let mut text = String::new();
    if event == Path::new("-") {
        std::io::stdin().read_to_string(&mut text)?;
    } else {
        text = std::fs::read_to_string(event).with_context(|| format!("reading `{}`", event.display()))?;
    }
    let payload: Value = serde_json::from_str(&text).with_context(|| format!("`{}` is not JSON", event.display()))?;
    let mut environment = aws_environment();
    for pair in env {
        let Some((k, v)) = pair.split_once('=') else { bail!("`--env {pair}` is not NAME=VALUE") };
        environment.push((k.to_string(), v.to_string()));
    }
    let scratch = tempfile::tempdir()?;
    let mut function = start(handler, &zip, environment, timeout, scratch.path())?;
    let outcome = function.invoke(&payload)?;
    let log = std::fs::read_to_string(scratch.path().join(format!("{handler}.log"))).unwrap_or_default();
    let report = match &outcome {
        Ok(response) => {
            json!({"ok": true, "response": response, "coldStartMs": function.last_cold_start.map(|d| d.as_secs_f64() * 1000.0), "log": log})
        }
        Err(e) => json!({"ok": false, "error": e.to_string(), "log": log}),
    };
    emit(ctx, &report, || match &outcome {
        Ok(response) => format!("{log}{}\n", serde_json::to_string_pretty(response).unwrap_or_default()),
        Err(e) => format!("{log}invocation failed: {e}\n"),
    })?;
    Ok(if outcome.is_ok() { Outcome::Success } else { Outcome::Negative })
}

fn mappings(ctx: &Context, zips: &Path, idle: Option<Duration>, timeout: Duration) -> Result<Outcome> {
    let endpoint = ctx.endpoint_url.as_deref();
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(async {
        let sdk = crate::aws::sdk_config(ctx).await;
        let region = sdk.region().map(|r| r.to_string()).unwrap_or_else(|| "us-east-1".into());
        let sqs = aws_sdk_sqs::Client::new(&sdk);
        let names = Names::new(&ctx.stack);
        let topic_arn = crate::aws::find_topic(&sdk, &names.orders_topic()).await?;
        let stop = Arc::new(AtomicBool::new(false));
        {
            let stop = stop.clone();
            tokio::spawn(async move {
                if tokio::signal::ctrl_c().await.is_ok() {
                    stop.store(true, Ordering::SeqCst);
                }
            });
        }
        let scratch = tempfile::tempdir()?;
        let mut env = aws_environment();
        if let Some(url) = endpoint {
            env.push(("AWS_ENDPOINT_URL".into(), url.into()));
        }
        env.push(("AWS_REGION".into(), region.clone()));
        env.extend([
            ("ORDERS_TABLE".to_string(), names.table()),
            ("ORDERS_TOPIC_ARN".to_string(), topic_arn.unwrap_or_default()),
            ("HIGH_VALUE_THRESHOLD".to_string(), crate::spec::Settings::aws().high_value_threshold.to_string()),
        ]);
        let mut tasks = Vec::new();
        for (queue, handler) in [(names.orders_queue(), Handler::OrderWorker), (names.high_value_queue(), Handler::HighValueWorker)] {
            let url = sqs
                .get_queue_url()
                .queue_name(&queue)
                .send()
                .await
                .with_context(|| format!("finding queue `{queue}`: is the stack up?"))?;
            let queue_url = url.queue_url().unwrap_or_default().to_string();
            let attrs = sqs
                .get_queue_attributes()
                .queue_url(&queue_url)
                .attribute_names(aws_sdk_sqs::types::QueueAttributeName::QueueArn)
                .send()
                .await?;
            let queue_arn =
                attrs.attributes().and_then(|a| a.get(&aws_sdk_sqs::types::QueueAttributeName::QueueArn)).cloned().unwrap_or_default();
            let zip = zips.join(format!("{handler}-x86_64.zip"));
            let mut function = start(&names.function(handler), &zip, env.clone(), timeout, scratch.path())?;
            let spec = MappingSpec { queue_url, queue_arn, region: region.clone(), batch_size: 10 };
            let (sqs, stop) = (sqs.clone(), stop.clone());
            eprintln!("polling `{queue}` for `{}`", names.function(handler));
            tasks.push((queue, tokio::spawn(async move { esm::run(&sqs, &spec, &mut function, &stop, idle).await })));
        }
        let mut all: Vec<(String, MappingStats)> = Vec::new();
        for (queue, task) in tasks {
            all.push((queue, task.await??));
        }
        emit(ctx, &all, || {
            all.iter()
                .map(|(q, s)| {
                    format!(
                        "`{q}`: {} invocations, {} records, {} deleted, {} record failures, {} function errors, {} timeouts\n",
                        s.invocations, s.records, s.deleted, s.record_failures, s.function_errors, s.timeouts
                    )
                })
                .collect()
        })?;
        Ok(Outcome::Success)
    })
}
