//! What an AWS-compatible endpoint may lack, done from this machine with the same SDK:
//! event source mappings that poll SQS and invoke the packaged handlers ([`esm`]), and
//! the stack's pipe reading a DynamoDB stream into the `high-value` queue ([`pipe`]).
//! `orderctl lambda mappings` runs both ([`mappings`]).

pub mod esm;
pub mod logs;
pub mod pipe;

use crate::context::Context;
use crate::spec::{Handler, Names};
use anyhow::{Context as _, Result};
use esm::{MappingSpec, MappingStats};
use pipe::{PipeSpec, PipeStats};
use serde::Serialize;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// Runs the stack's event source mappings and pipe from this machine until every queue
/// stays empty for `idle` (or Ctrl-C): each mapping invokes its packaged handler from
/// `zips`, with the deployed function's environment when there is one.
pub fn mappings(ctx: &Context, zips: &Path, idle: Option<Duration>, timeout: Duration) -> Result<MappingsReport> {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(async {
        let sdk = super::sdk_config(ctx).await;
        let region = sdk.region().map(|r| r.to_string()).unwrap_or_else(|| "us-east-1".into());
        let sqs = aws_sdk_sqs::Client::new(&sdk);
        let lambda = aws_sdk_lambda::Client::new(&sdk);
        let names = Names::new(&ctx.stack);
        let topic_arn = super::find_topic(&sdk, &names.orders_topic()).await?;
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
        let base = handler_environment(ctx, &region);
        let queue_url = |queue: String| {
            let sqs = sqs.clone();
            async move { super::queue_url(&sqs, &queue).await }
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
        // Each function's lines go to its log group, as Lambda sends them.
        let (cw_logs, shipped, mut shippers) = (aws_sdk_cloudwatchlogs::Client::new(&sdk), Arc::new(AtomicBool::new(false)), Vec::new());
        for (queue, handler) in [(names.orders_queue(), Handler::OrderWorker), (names.high_value_queue(), Handler::HighValueWorker)] {
            let function_name = names.function(handler);
            use aws_sdk_sqs::types::QueueAttributeName as Q;
            let queue_url = queue_url(queue.clone()).await?;
            let attrs = sqs
                .get_queue_attributes()
                .queue_url(&queue_url)
                .attribute_names(Q::QueueArn)
                .attribute_names(Q::RedrivePolicy)
                .send()
                .await?;
            let attr = |a: Q| attrs.attributes().and_then(|m| m.get(&a)).cloned();
            let queue_arn = attr(Q::QueueArn).unwrap_or_default();
            // The handler runs with the deployed function's variables when there is one;
            // otherwise with what `up` would give it, from the queue as it is.
            let mut env = base.clone();
            match lambda.get_function_configuration().function_name(&function_name).send().await {
                Ok(f) => env.extend(f.environment().and_then(|e| e.variables()).into_iter().flatten().map(|(k, v)| (k.clone(), v.clone()))),
                Err(_) => {
                    let max_receive =
                        attr(Q::RedrivePolicy).and_then(|p| serde_json::from_str(&p).ok()).and_then(|p| super::max_receive_count(&p));
                    env.extend([
                        ("ORDERS_TABLE".to_string(), names.table()),
                        ("ORDERS_TOPIC_ARN".to_string(), topic_arn.clone().unwrap_or_default()),
                        ("HIGH_VALUE_THRESHOLD".to_string(), crate::spec::Settings::aws().high_value_threshold.to_string()),
                    ]);
                    env.extend(max_receive.map(|m| ("MAX_RECEIVE_COUNT".to_string(), m.to_string())));
                }
            }
            let zip = zips.join(format!("{handler}-x86_64.zip"));
            let mut function = crate::lambda::start(&function_name, &zip, env, timeout, scratch.path())?;
            let log_file = scratch.path().join(format!("{function_name}.log"));
            shippers.push(tokio::spawn(logs::ship(cw_logs.clone(), function_name.clone(), log_file, shipped.clone())));
            let spec = MappingSpec { queue_url, queue_arn, region: region.clone(), batch_size: 10 };
            let (sqs, stop) = (sqs.clone(), stop.clone());
            eprintln!("polling `{queue}` for `{function_name}`");
            tasks.push((queue, tokio::spawn(async move { esm::run(&sqs, &spec, &mut function, &stop, idle).await })));
        }
        let mut report = MappingsReport { mappings: Vec::new(), pipe: None, log_lines: 0 };
        for (queue, task) in tasks {
            report.mappings.push((queue, task.await??));
        }
        if let Some(task) = pipe {
            report.pipe = Some(task.await??);
        }
        shipped.store(true, Ordering::SeqCst);
        for task in shippers {
            report.log_lines += task.await??;
        }
        Ok(report)
    })
}

/// The environment of a handler run from this machine: this process's `AWS_*`
/// variables, so it resolves its endpoints and credentials as this process does (every
/// service at `--endpoint-url` when the command line gave one), its profile and region.
pub fn handler_environment(ctx: &Context, region: &str) -> Vec<(String, String)> {
    let mut env = crate::lambda::aws_environment();
    if let Some(url) = ctx.endpoint_url.as_deref().filter(|_| !ctx.endpoint_url_from_env) {
        env.retain(|(k, _)| !k.starts_with("AWS_ENDPOINT_URL"));
        env.push(("AWS_ENDPOINT_URL".into(), url.into()));
    }
    if let Some(profile) = &ctx.profile {
        env.retain(|(k, _)| k != "AWS_PROFILE");
        env.push(("AWS_PROFILE".into(), profile.clone()));
    }
    env.retain(|(k, _)| k != "AWS_REGION");
    env.push(("AWS_REGION".into(), region.into()));
    env
}

/// What each emulated mapping and the pipe did.
#[derive(Debug, Serialize)]
pub struct MappingsReport {
    pub mappings: Vec<(String, MappingStats)>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pipe: Option<PipeStats>,
    /// Lines the handlers wrote, sent to their log groups.
    #[serde(rename = "logLines")]
    pub log_lines: u64,
}

/// The stack's pipe as deployed, when it reads a DynamoDB stream into `target_url`'s
/// queue; `None` when there is no such pipe.
pub async fn deployed_pipe(sdk: &aws_config::SdkConfig, name: &str, target_url: &str) -> Result<Option<PipeSpec>> {
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
