//! What exists on AWS, read back into the same [`Resource`] values the desired state
//! is made of, so that the plan is a pure diff. Each resource is found by its name
//! (the tagging API does not list pipes, roles, HTTP APIs or event source mappings),
//! and carries whether the stack owns it: the tag `orderctl:stack=<stack>`.

use super::desired::{API_PERMISSION, POLICY_NAME};
use super::Aws;
use crate::spec::{Deployment, Endpoint, Handler, Names, Redrive, Resource, TableIndex, STACK_TAG};
use anyhow::{Context as _, Result};
use aws_sdk_dynamodb::client::Waiters as _;
use aws_sdk_sqs::types::QueueAttributeName as Q;
use serde_json::Value;
use std::collections::HashMap;
use std::time::Duration;

/// One resource that exists, and who owns it.
#[derive(Debug, Clone, PartialEq)]
pub struct Observed {
    pub resource: Resource,
    /// The value of its `orderctl:stack` tag, if it has one.
    pub owner: Option<String>,
    /// What the API needs to change or delete it: queue URL, subscription ARN, mapping
    /// UUID, API id, alarm ARN.
    pub handle: String,
}

impl Observed {
    pub fn owned_by(&self, stack: &str) -> bool {
        self.owner.as_deref() == Some(stack)
    }
}

fn owner(tags: Option<&HashMap<String, String>>) -> Option<String> {
    tags.and_then(|t| t.get(STACK_TAG)).cloned()
}

/// A policy document as IAM returns it: URL-encoded JSON.
pub fn decode_policy(text: &str) -> Value {
    let decoded = percent_encoding::percent_decode_str(text).decode_utf8_lossy();
    serde_json::from_str(&decoded).unwrap_or(Value::String(decoded.into_owned()))
}

/// The last `/`- or `:`-separated part of an ARN.
fn arn_name(arn: &str) -> String {
    arn.rsplit([':', '/']).next().unwrap_or_default().to_string()
}

/// Everything of `desired` that exists, plus the e-mail subscriptions of the stack's
/// topics (so one no longer wanted is deleted). Reads run concurrently.
pub async fn observe(aws: &Aws, stack: &str, desired: &[Resource]) -> Result<Vec<Observed>> {
    let found = futures::future::try_join_all(desired.iter().map(|r| observe_one(aws, r))).await?;
    let mut out: Vec<Observed> = found.into_iter().flatten().collect();
    let names = Names::new(stack);
    for topic in [names.orders_topic(), names.alerts_topic()] {
        for (sub_arn, address) in email_subscriptions(aws, &aws.env.topic_arn(&topic)).await? {
            let resource =
                Resource::Subscription { name: format!("{topic}->{address}"), topic: topic.clone(), endpoint: Endpoint::Email { address } };
            if !out.iter().any(|o| o.resource.id() == resource.id()) {
                out.push(Observed { resource, owner: None, handle: sub_arn });
            }
        }
    }
    // Subscriptions, mappings and the API's parts have no tags of their own here:
    // they belong to whoever owns the topic or function they hang on.
    let owners: HashMap<String, Option<String>> = out.iter().map(|o| (o.resource.id(), o.owner.clone())).collect();
    for o in out.iter_mut() {
        let parent = match &o.resource {
            Resource::Subscription { topic, .. } => Some(format!("topic/{topic}")),
            Resource::EventSourceMapping { function, .. } if o.owner.is_none() => Some(format!("function/{function}")),
            _ => None,
        };
        if let Some(parent) = parent {
            o.owner = owners.get(&parent).cloned().flatten();
        }
    }
    Ok(out)
}

async fn observe_one(aws: &Aws, r: &Resource) -> Result<Option<Observed>> {
    let what = || format!("reading {} `{}`", r.kind(), r.name());
    match r {
        Resource::Table { name, .. } => table(aws, name).await,
        Resource::Topic { name } => topic(aws, name).await,
        Resource::Queue { name, .. } => queue(aws, name).await,
        Resource::Subscription { name, topic, endpoint: Endpoint::Sqs { queue, .. } } => subscription(aws, name, topic, queue).await,
        Resource::Subscription { .. } => Ok(None), // found with the topic's e-mail subscriptions
        Resource::Function { name, handler, .. } => function(aws, name, *handler).await,
        Resource::EventSourceMapping { name, queue, function, .. } => mapping(aws, name, queue, function).await,
        Resource::Pipe { name, .. } => pipe(aws, name).await,
        Resource::Alarm { name, .. } => alarm(aws, name).await,
        Resource::Role { name, .. } => role(aws, name).await,
        Resource::LogGroup { name, .. } => log_group(aws, name).await,
        Resource::HttpApi { name, .. } => http_api(aws, name).await,
    }
    .with_context(what)
}

async fn table(aws: &Aws, name: &str) -> Result<Option<Observed>> {
    let out = match aws.dynamodb.describe_table().table_name(name).send().await {
        Ok(out) => out,
        Err(e) if e.as_service_error().is_some_and(|e| e.is_resource_not_found_exception()) => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    let Some(t) = out.table() else { return Ok(None) };
    if t.table_status() == Some(&aws_sdk_dynamodb::types::TableStatus::Deleting) {
        // A `down` moments ago: the name is free once the table is gone.
        aws.dynamodb.wait_until_table_not_exists().table_name(name).wait(Duration::from_secs(300)).await?;
        return Ok(None);
    }
    let arn = t.table_arn().unwrap_or_default().to_string();
    let tags = aws.dynamodb.list_tags_of_resource().resource_arn(&arn).send().await?;
    let tags: HashMap<String, String> = tags.tags().iter().map(|t| (t.key().to_string(), t.value().to_string())).collect();
    let partition_key = t
        .key_schema()
        .iter()
        .find(|k| k.key_type() == &aws_sdk_dynamodb::types::KeyType::Hash)
        .map(|k| k.attribute_name().to_string())
        .unwrap_or_default();
    let stream_view_type = t
        .stream_specification()
        .filter(|s| s.stream_enabled())
        .and_then(|s| s.stream_view_type())
        .map(|v| v.as_str().to_string())
        .unwrap_or_default();
    let key = |g: &aws_sdk_dynamodb::types::GlobalSecondaryIndexDescription, kind: aws_sdk_dynamodb::types::KeyType| {
        g.key_schema().iter().find(|k| k.key_type() == &kind).map(|k| k.attribute_name().to_string()).unwrap_or_default()
    };
    let indexes = t
        .global_secondary_indexes()
        .iter()
        .map(|g| {
            let mut projected: Vec<String> = g.projection().map(|p| p.non_key_attributes().to_vec()).unwrap_or_default();
            projected.sort();
            TableIndex {
                name: g.index_name().unwrap_or_default().to_string(),
                partition_key: key(g, aws_sdk_dynamodb::types::KeyType::Hash),
                sort_key: key(g, aws_sdk_dynamodb::types::KeyType::Range),
                projected,
            }
        })
        .collect();
    Ok(Some(Observed {
        resource: Resource::Table { name: name.into(), partition_key, stream_view_type, indexes },
        owner: owner(Some(&tags)),
        handle: t.latest_stream_arn().unwrap_or_default().to_string(),
    }))
}

async fn topic(aws: &Aws, name: &str) -> Result<Option<Observed>> {
    let arn = aws.env.topic_arn(name);
    match aws.sns.get_topic_attributes().topic_arn(&arn).send().await {
        Ok(_) => {}
        Err(e) if e.as_service_error().is_some_and(|e| e.is_not_found_exception()) => return Ok(None),
        Err(e) => return Err(e.into()),
    }
    let tags = aws.sns.list_tags_for_resource().resource_arn(&arn).send().await?;
    let tags: HashMap<String, String> = tags.tags().iter().map(|t| (t.key().to_string(), t.value().to_string())).collect();
    Ok(Some(Observed { resource: Resource::Topic { name: name.into() }, owner: owner(Some(&tags)), handle: arn }))
}

/// A log group by its exact name; its handle is its ARN (without the `:*` of streams).
async fn log_group(aws: &Aws, name: &str) -> Result<Option<Observed>> {
    let mut pages = aws.logs.describe_log_groups().log_group_name_prefix(name).into_paginator().send();
    let mut found = None;
    while let Some(page) = pages.next().await {
        if let Some(g) = page?.log_groups().iter().find(|g| g.log_group_name() == Some(name)) {
            found = Some(g.clone());
            break;
        }
    }
    let Some(group) = found else { return Ok(None) };
    let arn = match (group.log_group_arn(), group.arn()) {
        (Some(arn), _) => arn.to_string(),
        (None, Some(arn)) => arn.trim_end_matches(":*").to_string(),
        (None, None) => aws.env.arn("logs", &format!("log-group:{name}")),
    };
    let tags = aws.logs.list_tags_for_resource().resource_arn(&arn).send().await?;
    Ok(Some(Observed {
        // No retention policy: events are kept for ever (0 here, never a valid setting).
        resource: Resource::LogGroup { name: name.into(), retention_days: group.retention_in_days().unwrap_or(0).max(0) as u32 },
        owner: owner(tags.tags()),
        handle: arn,
    }))
}

async fn queue(aws: &Aws, name: &str) -> Result<Option<Observed>> {
    let url = match aws.sqs.get_queue_url().queue_name(name).send().await {
        Ok(out) => out.queue_url().unwrap_or_default().to_string(),
        Err(e) if e.as_service_error().is_some_and(|e| e.is_queue_does_not_exist()) => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    let attrs = aws.sqs.get_queue_attributes().queue_url(&url).attribute_names(Q::All).send().await?;
    let empty = HashMap::new();
    let a = attrs.attributes().unwrap_or(&empty);
    let seconds = |k: Q| a.get(&k).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0) * 1000;
    let redrive = a.get(&Q::RedrivePolicy).and_then(|p| serde_json::from_str::<Value>(p).ok()).map(|p| Redrive {
        dead_letter_queue: arn_name(p["deadLetterTargetArn"].as_str().unwrap_or_default()),
        max_receive_count: super::max_receive_count(&p).unwrap_or(0),
    });
    let tags = aws.sqs.list_queue_tags().queue_url(&url).send().await?;
    Ok(Some(Observed {
        resource: Resource::Queue {
            name: name.into(),
            visibility_timeout_ms: seconds(Q::VisibilityTimeout),
            retention_ms: seconds(Q::MessageRetentionPeriod),
            delay_ms: seconds(Q::DelaySeconds),
            redrive,
            policy: a.get(&Q::Policy).filter(|p| !p.is_empty()).map(|p| serde_json::from_str(p).unwrap_or(Value::String(p.clone()))),
            sse: Some(a.get(&Q::SqsManagedSseEnabled).is_some_and(|v| v == "true")),
        },
        owner: owner(tags.tags()),
        handle: url,
    }))
}

/// The subscriptions of a topic (none when the topic does not exist).
async fn subscriptions(aws: &Aws, topic_arn: &str) -> Result<Vec<aws_sdk_sns::types::Subscription>> {
    let mut all = Vec::new();
    let mut pages = aws.sns.list_subscriptions_by_topic().topic_arn(topic_arn).into_paginator().send();
    while let Some(page) = pages.next().await {
        match page {
            Ok(p) => all.extend(p.subscriptions().iter().cloned()),
            Err(e) if e.as_service_error().is_some_and(|e| e.is_not_found_exception()) => return Ok(Vec::new()),
            Err(e) => return Err(e.into()),
        }
    }
    Ok(all)
}

async fn email_subscriptions(aws: &Aws, topic_arn: &str) -> Result<Vec<(String, String)>> {
    Ok(subscriptions(aws, topic_arn)
        .await?
        .into_iter()
        .filter(|s| s.protocol() == Some("email"))
        .map(|s| (s.subscription_arn().unwrap_or_default().to_string(), s.endpoint().unwrap_or_default().to_string()))
        .collect())
}

async fn subscription(aws: &Aws, name: &str, topic: &str, queue: &str) -> Result<Option<Observed>> {
    let queue_arn = aws.env.queue_arn(queue);
    let subs = subscriptions(aws, &aws.env.topic_arn(topic)).await?;
    let Some(sub) = subs.iter().find(|s| s.protocol() == Some("sqs") && s.endpoint() == Some(queue_arn.as_str())) else {
        return Ok(None);
    };
    let arn = sub.subscription_arn().unwrap_or_default().to_string();
    let attrs = aws.sns.get_subscription_attributes().subscription_arn(&arn).send().await?;
    let raw = attrs.attributes().and_then(|a| a.get("RawMessageDelivery")).is_some_and(|v| v == "true");
    Ok(Some(Observed {
        resource: Resource::Subscription {
            name: name.into(),
            topic: topic.into(),
            endpoint: Endpoint::Sqs { queue: queue.into(), raw_delivery: raw },
        },
        owner: None,
        handle: arn,
    }))
}

async fn function(aws: &Aws, name: &str, handler: Handler) -> Result<Option<Observed>> {
    let out = match aws.lambda.get_function().function_name(name).send().await {
        Ok(out) => out,
        Err(e) if e.as_service_error().is_some_and(|e| e.is_resource_not_found_exception()) => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    let Some(c) = out.configuration() else { return Ok(None) };
    let mut environment: Vec<(String, String)> =
        c.environment().and_then(|e| e.variables()).map(|v| v.iter().map(|(k, v)| (k.clone(), v.clone())).collect()).unwrap_or_default();
    environment.sort();
    Ok(Some(Observed {
        resource: Resource::Function {
            name: name.into(),
            handler,
            timeout_ms: c.timeout().unwrap_or(0) as u64 * 1000,
            memory_mb: c.memory_size().unwrap_or(0) as u32,
            environment,
            deployment: Some(Deployment {
                runtime: c.runtime().map(|r| r.as_str().to_string()).unwrap_or_default(),
                architecture: c.architectures().first().map(|a| a.as_str().to_string()).unwrap_or_else(|| "x86_64".into()),
                role: arn_name(c.role().unwrap_or_default()),
                code_sha256: c.code_sha256().unwrap_or_default().to_string(),
            }),
        },
        owner: owner(out.tags()),
        handle: c.function_arn().unwrap_or_default().to_string(),
    }))
}

async fn mapping(aws: &Aws, name: &str, queue: &str, function: &str) -> Result<Option<Observed>> {
    let mut pages = aws
        .lambda
        .list_event_source_mappings()
        .function_name(function)
        .event_source_arn(aws.env.queue_arn(queue))
        .into_paginator()
        .items()
        .send();
    let m = match pages.next().await {
        None => return Ok(None),
        Some(Ok(m)) => m,
        Some(Err(e)) if e.as_service_error().is_some_and(|e| e.is_resource_not_found_exception()) => return Ok(None),
        Some(Err(e)) => return Err(e.into()),
    };
    let arn = m.event_source_mapping_arn().unwrap_or_default().to_string();
    let tags = if arn.is_empty() { None } else { aws.lambda.list_tags().resource(&arn).send().await.ok() };
    let state = m.state().unwrap_or_default();
    Ok(Some(Observed {
        resource: Resource::EventSourceMapping {
            name: name.into(),
            queue: queue.into(),
            function: function.into(),
            batch_size: m.batch_size().unwrap_or(0) as u32,
            batching_window_ms: m.maximum_batching_window_in_seconds().unwrap_or(0) as u64 * 1000,
            max_concurrency: m.scaling_config().and_then(|s| s.maximum_concurrency()).unwrap_or(0) as u32,
            report_batch_item_failures: m
                .function_response_types()
                .contains(&aws_sdk_lambda::types::FunctionResponseType::ReportBatchItemFailures),
            enabled: !matches!(state, "Disabled" | "Disabling"),
        },
        owner: owner(tags.as_ref().and_then(|t| t.tags())),
        handle: m.uuid().unwrap_or_default().to_string(),
    }))
}

/// Waits until the pipe named `name` no longer exists (a deleted pipe is `DELETING`
/// for a while, and its name is not free until it is gone).
pub async fn wait_pipe_gone(aws: &Aws, name: &str) -> Result<()> {
    let deadline = std::time::Instant::now() + Duration::from_secs(300);
    loop {
        match aws.pipes.describe_pipe().name(name).send().await {
            Err(e) if e.as_service_error().is_some_and(|e| e.is_not_found_exception()) => return Ok(()),
            Err(e) => return Err(e.into()),
            Ok(_) if std::time::Instant::now() >= deadline => anyhow::bail!("pipe `{name}` is still being deleted after 5 minutes"),
            Ok(_) => tokio::time::sleep(Duration::from_secs(2)).await,
        }
    }
}

/// The ARN of the table's stream while it is on; `None` without a table or a stream.
pub async fn current_stream(aws: &Aws, table: &str) -> Result<Option<String>> {
    let out = match aws.dynamodb.describe_table().table_name(table).send().await {
        Ok(out) => out,
        Err(e) if e.as_service_error().is_some_and(|e| e.is_resource_not_found_exception()) => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    Ok(out
        .table()
        .filter(|t| t.stream_specification().is_some_and(|s| s.stream_enabled()))
        .and_then(|t| t.latest_stream_arn())
        .map(str::to_string))
}

async fn pipe(aws: &Aws, name: &str) -> Result<Option<Observed>> {
    let p = match aws.pipes.describe_pipe().name(name).send().await {
        Ok(p) => p,
        Err(e) if e.as_service_error().is_some_and(|e| e.is_not_found_exception()) => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    if p.current_state() == Some(&aws_sdk_pipes::types::PipeState::Deleting) {
        // A `down` moments ago: once it is gone, it is missing.
        wait_pipe_gone(aws, name).await?;
        return Ok(None);
    }
    // `arn:aws:dynamodb:<region>:<account>:table/<name>/stream/<label>`
    let source = p.source().unwrap_or_default();
    let table = source.split("table/").nth(1).and_then(|s| s.split('/').next()).unwrap_or_default();
    // A pipe reads one stream for good: once the table's stream is turned off (and on
    // again, which makes a new stream), the pipe reads nothing until it is recreated.
    let source_table = if current_stream(aws, table).await?.as_deref() == Some(source) {
        table.to_string()
    } else {
        format!("{table} (a stream the table no longer has)")
    };
    let filter = p
        .source_parameters()
        .and_then(|s| s.filter_criteria())
        .and_then(|f| f.filters().first())
        .and_then(|f| f.pattern())
        .map(|text| serde_json::from_str(text).unwrap_or(Value::String(text.to_string())))
        .unwrap_or(Value::Null);
    Ok(Some(Observed {
        resource: Resource::Pipe {
            name: name.into(),
            source_table,
            target_queue: arn_name(p.target().unwrap_or_default()),
            filter,
            input_template: p.target_parameters().and_then(|t| t.input_template()).unwrap_or_default().to_string(),
            role: p.role_arn().map(arn_name),
        },
        owner: owner(p.tags()),
        handle: p.arn().unwrap_or_default().to_string(),
    }))
}

async fn alarm(aws: &Aws, name: &str) -> Result<Option<Observed>> {
    let out = aws.cloudwatch.describe_alarms().alarm_names(name).send().await?;
    let Some(a) = out.metric_alarms().iter().find(|a| a.alarm_name() == Some(name)) else { return Ok(None) };
    let arn = a.alarm_arn().unwrap_or_default().to_string();
    let tags = aws.cloudwatch.list_tags_for_resource().resource_arn(&arn).send().await?;
    let tags: HashMap<String, String> =
        tags.tags().iter().map(|t| (t.key().unwrap_or_default().to_string(), t.value().unwrap_or_default().to_string())).collect();
    let topic = |arns: &[String]| arns.first().map(|a| arn_name(a)).unwrap_or_default();
    let (alarm_topic, ok_topic) = (topic(a.alarm_actions()), topic(a.ok_actions()));
    let queue = a.dimensions().iter().find(|d| d.name() == Some("QueueName")).and_then(|d| d.value()).unwrap_or_default();
    Ok(Some(Observed {
        resource: Resource::Alarm {
            name: name.into(),
            // The namespace is part of the metric's identity.
            queue: if a.namespace() == Some("AWS/SQS") { queue.into() } else { String::new() },
            metric: a.metric_name().unwrap_or_default().into(),
            statistic: a.statistic().map(|s| s.as_str().to_string()).unwrap_or_default(),
            period_ms: a.period().unwrap_or(0) as u64 * 1000,
            evaluation_periods: a.evaluation_periods().unwrap_or(0) as u32,
            threshold: a.threshold().unwrap_or(f64::NAN),
            comparison: a.comparison_operator().map(|c| c.as_str().to_string()).unwrap_or_default(),
            treat_missing_data: a.treat_missing_data().unwrap_or("missing").into(),
            actions_topic: if alarm_topic == ok_topic { alarm_topic } else { format!("{alarm_topic} (OK: {ok_topic})") },
        },
        owner: owner(Some(&tags)),
        handle: arn,
    }))
}

async fn role(aws: &Aws, name: &str) -> Result<Option<Observed>> {
    let out = match aws.iam.get_role().role_name(name).send().await {
        Ok(out) => out,
        Err(e) if e.as_service_error().is_some_and(|e| e.is_no_such_entity_exception()) => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    let Some(r) = out.role() else { return Ok(None) };
    let policy = match aws.iam.get_role_policy().role_name(name).policy_name(POLICY_NAME).send().await {
        Ok(p) => decode_policy(p.policy_document()),
        Err(e) if e.as_service_error().is_some_and(|e| e.is_no_such_entity_exception()) => Value::Null,
        Err(e) => return Err(e.into()),
    };
    let tags: HashMap<String, String> = r.tags().iter().map(|t| (t.key().to_string(), t.value().to_string())).collect();
    Ok(Some(Observed {
        resource: Resource::Role {
            name: name.into(),
            trust: r.assume_role_policy_document().map(decode_policy).unwrap_or(Value::Null),
            policy,
        },
        owner: owner(Some(&tags)),
        handle: r.arn().to_string(),
    }))
}

async fn http_api(aws: &Aws, name: &str) -> Result<Option<Observed>> {
    let Some(api) = find_api(aws, name).await? else { return Ok(None) };
    let id = api.api_id().unwrap_or_default().to_string();
    let parts = api_parts(aws, &id).await?;
    let function = parts.integration.as_ref().map(|(_, uri)| arn_name(uri)).unwrap_or_default();
    let invoke_permission =
        !function.is_empty() && api_permission(aws, &function).await?.is_some_and(|source| source.contains(&format!(":{id}/")));
    Ok(Some(Observed {
        resource: Resource::HttpApi {
            name: name.into(),
            route: parts.route.map(|(_, key)| key).unwrap_or_default(),
            function,
            stage: if parts.stage { "prod".into() } else { String::new() },
            cors_origins: api.cors_configuration().map(|c| c.allow_origins().to_vec()).unwrap_or_default(),
            invoke_permission,
        },
        owner: owner(api.tags()),
        handle: id,
    }))
}

pub async fn find_api(aws: &Aws, name: &str) -> Result<Option<aws_sdk_apigatewayv2::types::Api>> {
    let mut token: Option<String> = None;
    loop {
        let page = aws.apigateway.get_apis().set_next_token(token.take()).send().await?;
        if let Some(api) = page.items().iter().find(|a| a.name() == Some(name)) {
            return Ok(Some(api.clone()));
        }
        match page.next_token() {
            Some(t) if !t.is_empty() => token = Some(t.to_string()),
            _ => return Ok(None),
        }
    }
}

/// The parts of an HTTP API orderctl makes: its Lambda integration (id, function
/// ARN), the route to it (id, route key) and whether the `prod` stage exists.
#[derive(Debug, Default)]
pub struct ApiParts {
    pub integration: Option<(String, String)>,
    pub route: Option<(String, String)>,
    pub stage: bool,
}

pub async fn api_parts(aws: &Aws, api_id: &str) -> Result<ApiParts> {
    let integrations = aws.apigateway.get_integrations().api_id(api_id).send().await?;
    let integration = integrations
        .items()
        .iter()
        .find(|i| i.integration_uri().is_some_and(|u| u.contains(":function:")))
        .map(|i| (i.integration_id().unwrap_or_default().to_string(), i.integration_uri().unwrap_or_default().to_string()));
    let routes = aws.apigateway.get_routes().api_id(api_id).send().await?;
    let route = integration.as_ref().and_then(|(id, _)| {
        let target = format!("integrations/{id}");
        routes
            .items()
            .iter()
            .find(|r| r.target() == Some(target.as_str()))
            .map(|r| (r.route_id().unwrap_or_default().to_string(), r.route_key().unwrap_or_default().to_string()))
    });
    let stages = aws.apigateway.get_stages().api_id(api_id).send().await?;
    Ok(ApiParts { integration, route, stage: stages.items().iter().any(|s| s.stage_name() == Some("prod")) })
}

/// The source ARN of the function's permission for API Gateway (`""` when the
/// statement names none); `None` when there is no such permission. The ARN holds the
/// id of the API it was granted for.
pub async fn api_permission(aws: &Aws, function: &str) -> Result<Option<String>> {
    match aws.lambda.get_policy().function_name(function).send().await {
        Ok(p) => {
            let doc: Value = p.policy().and_then(|t| serde_json::from_str(t).ok()).unwrap_or(Value::Null);
            let statement = doc["Statement"].as_array().and_then(|s| s.iter().find(|s| s["Sid"] == API_PERMISSION).cloned());
            Ok(statement.map(|s| s["Condition"]["ArnLike"]["AWS:SourceArn"].as_str().unwrap_or_default().to_string()))
        }
        Err(e) if e.as_service_error().is_some_and(|e| e.is_resource_not_found_exception()) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iam_documents_and_arns_read_back() {
        let doc = decode_policy("%7B%22Version%22%3A%222012-10-17%22%7D");
        assert_eq!(doc["Version"], "2012-10-17");
        assert_eq!(arn_name("arn:aws:sqs:us-east-1:123456789012:demo-orders-dlq"), "demo-orders-dlq");
        assert_eq!(arn_name("arn:aws:iam::123456789012:role/demo-order-worker-role"), "demo-order-worker-role");
        assert_eq!(arn_name("arn:aws:lambda:us-east-1:123456789012:function:demo-create-order"), "demo-create-order");
    }
}
