//! The desired state on AWS: the stack's portable description ([`StackSpec`]) with
//! what only AWS has — one least-privilege role per function and one for the pipe, the
//! deployed code, the queue policy, SSE, and the HTTP API.

use super::Env;
use crate::spec::{Deployment, Handler, Resource, Settings, StackSpec};
use anyhow::{bail, Result};
use serde_json::{json, Value};
use std::collections::HashMap;

/// The inline policy every orderctl role carries.
pub const POLICY_NAME: &str = "orderctl";
/// The statement id of API Gateway's permission to invoke `create-order`.
pub const API_PERMISSION: &str = "orderctl-http-api";
pub const RUNTIME: &str = "provided.al2023";

/// The retentions CloudWatch Logs accepts (`PutRetentionPolicy`), in days.
pub const LOG_RETENTION_DAYS: [u32; 22] =
    [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

/// Settings AWS takes only in whole seconds or fixed steps.
pub fn check_settings(s: &Settings) -> Result<()> {
    let whole = |ms: u64, what: &str| -> Result<()> {
        if ms % 1000 != 0 {
            bail!("`{what}` must be whole seconds on the aws target");
        }
        Ok(())
    };
    whole(s.visibility_timeout_ms, "visibility-timeout")?;
    whole(s.function_timeout_ms, "function-timeout")?;
    whole(s.batching_window_ms, "batching-window")?;
    let p = s.alarm_period_ms;
    if !(p == 10_000 || p == 30_000 || (p >= 60_000 && p % 60_000 == 0)) {
        bail!("`alarm-period` must be 10s, 30s or a multiple of 1m on the aws target");
    }
    if !LOG_RETENTION_DAYS.contains(&s.log_retention_days) {
        bail!("`log-retention` must be one of CloudWatch Logs' retentions in days: {LOG_RETENTION_DAYS:?}, got {}", s.log_retention_days);
    }
    if s.max_concurrency < 2 {
        bail!("`concurrency` must be at least 2 on the aws target (an SQS mapping's MaximumConcurrency is 2–1000)");
    }
    Ok(())
}

/// The name of the role a function runs as.
pub fn function_role(function: &str) -> String {
    format!("{function}-role")
}

pub fn pipe_role(pipe: &str) -> String {
    format!("{pipe}-pipe-role")
}

fn trust(env: &Env, service: &str, source_arn: Option<String>) -> Value {
    let mut condition = json!({ "StringEquals": { "aws:SourceAccount": env.account } });
    if let Some(arn) = source_arn {
        condition["ArnLike"] = json!({ "aws:SourceArn": arn });
    }
    json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": { "Service": service },
            "Action": "sts:AssumeRole",
            "Condition": condition,
        }]
    })
}

fn statement(actions: &[&str], resources: &[String]) -> Value {
    json!({ "Effect": "Allow", "Action": actions, "Resource": resources })
}

fn policy(statements: Vec<Value>) -> Value {
    json!({ "Version": "2012-10-17", "Statement": statements })
}

/// What a function may do: write its own logs, and exactly what its handler calls.
fn function_policy(env: &Env, spec: &StackSpec, handler: Handler) -> Value {
    let n = spec.names();
    let function = n.function(handler);
    let group = env.log_group_arn(&function);
    let mut statements = vec![
        statement(&["logs:CreateLogGroup"], std::slice::from_ref(&group)),
        statement(&["logs:CreateLogStream", "logs:PutLogEvents"], &[format!("{group}:*")]),
    ];
    let consume = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"];
    let table = [env.table_arn(&n.table())];
    match handler {
        Handler::OrderWorker => {
            statements.push(statement(&consume, &[env.queue_arn(&n.orders_queue())]));
            statements.push(statement(&["dynamodb:GetItem", "dynamodb:PutItem"], &table));
        }
        Handler::HighValueWorker => {
            statements.push(statement(&consume, &[env.queue_arn(&n.high_value_queue())]));
            statements.push(statement(&["dynamodb:GetItem", "dynamodb:PutItem"], &table));
        }
        Handler::CreateOrder => statements.push(statement(&["sns:Publish"], &[env.topic_arn(&n.orders_topic())])),
        // `prepare` reads the topic's attributes to prove it can reach it.
        Handler::LoadGenerator => {
            statements.push(statement(&["sns:GetTopicAttributes", "sns:Publish"], &[env.topic_arn(&n.orders_topic())]))
        }
    }
    policy(statements)
}

/// What the pipe may do: read the table's stream, send to the `high-value` queue.
/// `dynamodb:ListStreams` is the one action with `*`: it has no resource-level
/// permissions (the Service Authorization Reference lists no resource type for it).
fn pipe_policy(env: &Env, spec: &StackSpec) -> Value {
    let n = spec.names();
    policy(vec![
        statement(
            &["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"],
            &[format!("{}/stream/*", env.table_arn(&n.table()))],
        ),
        statement(&["dynamodb:ListStreams"], &["*".to_string()]),
        statement(&["sqs:SendMessage"], &[env.queue_arn(&n.high_value_queue())]),
    ])
}

/// The `orders` queue's policy: only the `orders` topic may send.
pub fn queue_policy(env: &Env, queue: &str, topic: &str) -> Value {
    json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "orders-topic-only",
            "Effect": "Allow",
            "Principal": { "Service": "sns.amazonaws.com" },
            "Action": "sqs:SendMessage",
            "Resource": env.queue_arn(queue),
            "Condition": { "ArnEquals": { "aws:SourceArn": env.topic_arn(topic) } }
        }]
    })
}

/// Every resource of the stack on AWS, dependencies first. `code` holds each
/// handler's `CodeSha256`.
pub fn resources(spec: &StackSpec, env: &Env, architecture: &str, code: &HashMap<Handler, String>) -> Result<Vec<Resource>> {
    let n = spec.names();
    let mut out = Vec::new();
    for handler in Handler::ALL {
        let function = n.function(handler);
        out.push(Resource::Role {
            name: function_role(&function),
            trust: trust(env, "lambda.amazonaws.com", None),
            policy: function_policy(env, spec, handler),
        });
    }
    for handler in Handler::ALL {
        out.push(Resource::LogGroup { name: n.log_group(&n.function(handler)), retention_days: spec.settings.log_retention_days });
    }
    out.push(Resource::Role {
        name: pipe_role(&n.pipe()),
        trust: trust(env, "pipes.amazonaws.com", Some(env.pipe_arn(&n.pipe()))),
        policy: pipe_policy(env, spec),
    });
    for r in &spec.resources {
        let mut r = r.clone();
        match &mut r {
            Resource::Table { indexes, .. } => *indexes = vec![crate::spec::status_index()],
            Resource::Queue { name, policy, sse, .. } => {
                *sse = Some(true);
                if *name == n.orders_queue() {
                    *policy = Some(queue_policy(env, name, &n.orders_topic()));
                }
            }
            Resource::Function { name, handler, environment, deployment, .. } => {
                let sha = code.get(handler).cloned().unwrap_or_default();
                if *handler == Handler::CreateOrder {
                    environment.push(("ORDERS_TOPIC_ARN".into(), env.topic_arn(&n.orders_topic())));
                    environment.sort();
                }
                *deployment = Some(Deployment {
                    runtime: RUNTIME.into(),
                    architecture: architecture.into(),
                    role: function_role(name),
                    code_sha256: sha,
                });
            }
            Resource::EventSourceMapping { max_concurrency, .. } => *max_concurrency = (*max_concurrency).max(2),
            Resource::Pipe { role, .. } => *role = Some(pipe_role(&n.pipe())),
            _ => {}
        }
        out.push(r);
    }
    out.push(Resource::HttpApi {
        name: crate::spec::Names::new(&spec.stack).http_api(),
        route: "POST /orders".into(),
        function: n.function(Handler::CreateOrder),
        stage: "prod".into(),
        cors_origins: vec!["*".into()],
        invoke_permission: true,
    });
    Ok(out)
}

/// Every resource a stack may have on AWS, by name (code unknown): what `down` and
/// `status` look for. The load generator's are apart ([`generator`]).
pub fn every_resource(stack: &str, env: &Env, settings: Settings) -> Result<Vec<Resource>> {
    resources(&StackSpec::new(stack, settings), env, "x86_64", &HashMap::new())
}

/// What the load generator needs (`send --workers`): its role (publish to the
/// `orders` topic, write its logs), its log group and the function, deployed on demand
/// and owned by the stack like the rest; `down` removes them.
pub fn generator(stack: &str, env: &Env, architecture: &str, code_sha256: &str, memory_mb: u32, timeout_ms: u64) -> Vec<Resource> {
    let spec = StackSpec::new(stack, Settings::aws());
    let n = spec.names();
    let function = n.function(Handler::LoadGenerator);
    vec![
        Resource::Role {
            name: function_role(&function),
            trust: trust(env, "lambda.amazonaws.com", None),
            policy: function_policy(env, &spec, Handler::LoadGenerator),
        },
        Resource::LogGroup { name: n.log_group(&function), retention_days: spec.settings.log_retention_days },
        Resource::Function {
            name: function.clone(),
            handler: Handler::LoadGenerator,
            timeout_ms,
            memory_mb,
            environment: vec![("ORDERS_TOPIC_ARN".into(), env.topic_arn(&n.orders_topic()))],
            deployment: Some(Deployment {
                runtime: RUNTIME.into(),
                architecture: architecture.into(),
                role: function_role(&function),
                code_sha256: code_sha256.into(),
            }),
        },
    ]
}

/// The order resources are created in: each step needs only earlier ones. Resources
/// within a step are independent and created concurrently; `down` runs the steps in
/// reverse.
pub fn step(r: &Resource) -> usize {
    match r {
        Resource::Table { .. } | Resource::Topic { .. } | Resource::Role { .. } | Resource::LogGroup { .. } => 0,
        Resource::Queue { redrive: None, .. } => 0,
        Resource::Queue { .. } => 1,
        Resource::Subscription { .. } | Resource::Function { .. } | Resource::Pipe { .. } | Resource::Alarm { .. } => 2,
        Resource::EventSourceMapping { .. } | Resource::HttpApi { .. } => 3,
    }
}

/// What `r` names that must exist first: (kind, name) pairs.
pub fn needs(r: &Resource) -> Vec<(&'static str, String)> {
    match r {
        Resource::Queue { redrive: Some(redrive), .. } => vec![("queue", redrive.dead_letter_queue.clone())],
        Resource::Subscription { topic, endpoint: crate::spec::Endpoint::Sqs { queue, .. }, .. } => {
            vec![("topic", topic.clone()), ("queue", queue.clone())]
        }
        Resource::Subscription { topic, .. } => vec![("topic", topic.clone())],
        Resource::Function { name, deployment, .. } => {
            let mut v = vec![("log-group", crate::spec::Names::new("").log_group(name))];
            v.extend(deployment.iter().map(|d| ("role", d.role.clone())));
            v
        }
        Resource::EventSourceMapping { queue, function, .. } => vec![("queue", queue.clone()), ("function", function.clone())],
        Resource::Pipe { source_table, target_queue, role, .. } => {
            let mut v = vec![("table", source_table.clone()), ("queue", target_queue.clone())];
            v.extend(role.iter().map(|r| ("role", r.clone())));
            v
        }
        Resource::Alarm { queue, actions_topic, .. } => vec![("queue", queue.clone()), ("topic", actions_topic.clone())],
        Resource::HttpApi { function, .. } => vec![("function", function.clone())],
        _ => Vec::new(),
    }
}

/// Every policy document the stack's roles carry, for checks.
pub fn policies(resources: &[Resource]) -> Vec<(&str, &Value, &Value)> {
    resources
        .iter()
        .filter_map(|r| match r {
            Resource::Role { name, trust, policy } => Some((name.as_str(), trust, policy)),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env() -> Env {
        Env {
            account: "123456789012".into(),
            region: "eu-west-1".into(),
            partition: "aws".into(),
            endpoint: None,
            service_endpoints: Default::default(),
        }
    }

    fn all() -> Vec<Resource> {
        let spec = StackSpec::new("demo", Settings::aws());
        let code = Handler::ALL.map(|h| (h, "c2hh".to_string())).into();
        resources(&spec, &env(), "x86_64", &code).unwrap()
    }

    #[test]
    fn policies_are_least_privilege() {
        let resources = all();
        let policies = policies(&resources);
        assert_eq!(policies.len(), 4, "one role per function and one for the pipe");
        for (role, trust, policy) in policies {
            for s in trust["Statement"].as_array().unwrap() {
                assert_eq!(s["Condition"]["StringEquals"]["aws:SourceAccount"], "123456789012", "{role}: trust scoped to the account");
                assert!(s["Principal"]["Service"].as_str().unwrap().ends_with(".amazonaws.com"));
            }
            for s in policy["Statement"].as_array().unwrap() {
                let actions: Vec<&str> = s["Action"].as_array().unwrap().iter().map(|a| a.as_str().unwrap()).collect();
                for a in &actions {
                    assert!(!a.contains('*'), "{role}: wildcard action {a}");
                }
                for r in s["Resource"].as_array().unwrap().iter().map(|r| r.as_str().unwrap()) {
                    if r == "*" {
                        assert_eq!(actions, ["dynamodb:ListStreams"], "{role}: `*` resource only where AWS has no narrower one");
                    } else {
                        assert!(r.starts_with("arn:aws:") && r.contains("demo-"), "{role}: {r} is not one of the stack's resources");
                    }
                }
            }
        }
    }

    #[test]
    fn the_load_generator_may_only_publish_to_the_orders_topic() {
        let resources = generator("demo", &env(), "x86_64", "c2hh", 1024, 900_000);
        let policies = policies(&resources);
        assert_eq!(policies.len(), 1);
        let text = serde_json::to_string(policies[0].2).unwrap();
        assert!(text.contains(r#"["sns:GetTopicAttributes","sns:Publish"]"#), "{text}");
        assert!(text.contains("arn:aws:sns:eu-west-1:123456789012:demo-orders\""), "{text}");
        assert!(!text.contains("dynamodb:") && !text.contains("sqs:") && !text.contains(r#""*""#), "{text}");
        for r in &resources {
            for (kind, name) in needs(r) {
                assert!(resources.iter().any(|d| d.kind() == kind && d.name() == name && step(d) < step(r)), "{kind} {name}");
            }
        }
    }

    #[test]
    fn the_worker_may_not_publish_and_create_order_may_not_write_the_table() {
        let resources = all();
        let text = |role: &str| serde_json::to_string(policies(&resources).iter().find(|p| p.0 == role).unwrap().2).unwrap();
        assert!(!text("demo-order-worker-role").contains("sns:"));
        assert!(!text("demo-create-order-role").contains("dynamodb:"));
        assert!(text("demo-high-value-pipe-role").contains("arn:aws:dynamodb:eu-west-1:123456789012:table/demo-orders/stream/*"));
    }

    #[test]
    fn every_resource_comes_after_what_it_needs() {
        let resources = all();
        let mut pairs = 0;
        for r in &resources {
            for (kind, name) in needs(r) {
                let dep = resources
                    .iter()
                    .find(|d| d.kind() == kind && d.name() == name)
                    .unwrap_or_else(|| panic!("{} `{}` needs {kind} `{name}`, which the stack lacks", r.kind(), r.name()));
                assert!(step(dep) < step(r), "{} `{}` (step {}) needs {kind} `{name}` (step {})", r.kind(), r.name(), step(r), step(dep));
                pairs += 1;
            }
        }
        assert!(pairs >= 18, "the dependencies were found: {pairs}");
        assert!(check_settings(&Settings::aws()).is_ok());
        assert!(check_settings(&Settings::local()).is_err(), "local timings are not whole seconds");
    }
}
