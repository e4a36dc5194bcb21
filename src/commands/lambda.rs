//! `orderctl lambda invoke | mappings`: the packaged handlers, run locally.

use super::emit;
use crate::cli::LambdaCommand;
use crate::context::Context;
use crate::lambda::esm::{self, MappingSpec, MappingStats};
use crate::lambda::pipe::{self, PipeSpec, PipeStats};
use crate::lambda::runtime::{extract_bootstrap, FunctionSpec, LocalFunction};
use crate::spec::{Handler, Names};
use crate::Outcome;
use anyhow::{bail, Context as _, Result};
use serde::Serialize;
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
        let lambda = aws_sdk_lambda::Client::new(&sdk);
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
        let mut base = aws_environment();
        if let Some(url) = endpoint {
            base.push(("AWS_ENDPOINT_URL".into(), url.into()));
        }
        base.push(("AWS_REGION".into(), region.clone()));
        let queue_url = |queue: String| {
            let sqs = sqs.clone();
            async move { crate::aws::queue_url(&sqs, &queue).await }
        };
        // The pipe first: it starts at the stream's end, before a worker writes.
        let pipe = match deployed_pipe(&sdk, &names.pipe(), &queue_url(names.high_value_queue()).await?).await? {
            Some(spec) => {
                eprintln!("forwarding the table's stream through pipe `{}`", spec.name);
                let streams = aws_sdk_dynamodbstreams::Client::new(&sdk);
                let reader = pipe::Reader::open(&streams, spec).await?;
                let (sqs, stop) = (sqs.clone(), stop.clone());
                Some(tokio::spawn(async move { reader.run(&streams, &sqs, &stop, idle).await }))
            }
            None => None,
        };
        let mut tasks = Vec::new();
        for (queue, handler) in [(names.orders_queue(), Handler::OrderWorker), (names.high_value_queue(), Handler::HighValueWorker)] {
            let function_name = names.function(handler);
            // The handler runs with the deployed function's variables when there is one.
            let mut env = base.clone();
            match lambda.get_function_configuration().function_name(&function_name).send().await {
                Ok(f) => env.extend(f.environment().and_then(|e| e.variables()).into_iter().flatten().map(|(k, v)| (k.clone(), v.clone()))),
                Err(_) => env.extend([
                    ("ORDERS_TABLE".to_string(), names.table()),
                    ("ORDERS_TOPIC_ARN".to_string(), topic_arn.clone().unwrap_or_default()),
                    ("HIGH_VALUE_THRESHOLD".to_string(), crate::spec::Settings::aws().high_value_threshold.to_string()),
                ]),
            }
            let queue_url = queue_url(queue.clone()).await?;
            let attrs = sqs
                .get_queue_attributes()
                .queue_url(&queue_url)
                .attribute_names(aws_sdk_sqs::types::QueueAttributeName::QueueArn)
                .send()
                .await?;
            let queue_arn =
                attrs.attributes().and_then(|a| a.get(&aws_sdk_sqs::types::QueueAttributeName::QueueArn)).cloned().unwrap_or_default();
            let zip = zips.join(format!("{handler}-x86_64.zip"));
            let mut function = start(&function_name, &zip, env, timeout, scratch.path())?;
            let spec = MappingSpec { queue_url, queue_arn, region: region.clone(), batch_size: 10 };
            let (sqs, stop) = (sqs.clone(), stop.clone());
            eprintln!("polling `{queue}` for `{function_name}`");
            tasks.push((queue, tokio::spawn(async move { esm::run(&sqs, &spec, &mut function, &stop, idle).await })));
        }
        let mut report = MappingsReport { mappings: Vec::new(), pipe: None };
        for (queue, task) in tasks {
            report.mappings.push((queue, task.await??));
        }
        if let Some(task) = pipe {
            report.pipe = Some(task.await??);
        }
        emit(ctx, &report, || {
            let mut out: String = report
                .mappings
                .iter()
                .map(|(q, s)| {
                    format!(
                        "`{q}`: {} invocations, {} records, {} deleted, {} record failures, {} function errors, {} timeouts\n",
                        s.invocations, s.records, s.deleted, s.record_failures, s.function_errors, s.timeouts
                    )
                })
                .collect();
            if let Some(p) = &report.pipe {
                out.push_str(&format!("pipe: {} stream records, {} matched the filter, {} sent\n", p.records, p.matched, p.sent));
            }
            out
        })?;
        Ok(Outcome::Success)
    })
}

#[derive(Serialize)]
struct MappingsReport {
    mappings: Vec<(String, MappingStats)>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pipe: Option<PipeStats>,
}

/// The stack's pipe as deployed, when it reads a DynamoDB stream into `target_url`'s
/// queue; `None` when there is no such pipe.
async fn deployed_pipe(sdk: &aws_config::SdkConfig, name: &str, target_url: &str) -> Result<Option<PipeSpec>> {
    let pipes = aws_sdk_pipes::Client::new(sdk);
    let p = match pipes.describe_pipe().name(name).send().await {
        Ok(p) => p,
        Err(e) if e.as_service_error().is_some_and(|e| e.is_not_found_exception()) => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    let Some(stream_arn) = p.source().filter(|s| s.contains(":dynamodb:") && s.contains("/stream/")) else { return Ok(None) };
    let filter = p
        .source_parameters()
        .and_then(|s| s.filter_criteria())
        .and_then(|f| f.filters().first())
        .and_then(|f| f.pattern())
        .map(serde_json::from_str)
        .transpose()
        .context("the pipe's filter pattern is not JSON")?;
    Ok(Some(PipeSpec {
        name: name.to_string(),
        stream_arn: stream_arn.to_string(),
        filter,
        input_template: p.target_parameters().and_then(|t| t.input_template()).map(str::to_string),
        target_queue_url: target_url.to_string(),
    }))
}
