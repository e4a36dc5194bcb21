//! `orderctl export cloudformation`: the stack's desired state on AWS
//! ([`desired::resources`]) written as a CloudFormation template, or in its SAM form.
//!
//! The template is made from the very resources `up` converges to, described for a
//! stack named `${StackName}` in account `${AWS::AccountId}`: every name, ARN and policy
//! that holds one of those becomes an `Fn::Sub`, so the template is the stack for any
//! stack name, account and region, and its names are the stack-prefixed ones `up`
//! uses. What CloudFormation cannot infer from those strings (the role a function runs
//! as exists first, …) is a `DependsOn`, from [`desired::needs`].

use super::desired;
use crate::model::Env;
use crate::package::Arch;
use crate::spec::{validate_stack_name, Endpoint, Handler, Resource, Settings, StackSpec, STACK_TAG};
use anyhow::{Context as _, Result};
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The template's forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Plain CloudFormation.
    CloudFormation,
    /// The AWS SAM form: the functions as `AWS::Serverless::Function` with their queue
    /// and HTTP events, the API as `AWS::Serverless::HttpApi`.
    Sam,
}

/// The parameter holding the stack's name.
pub const STACK_PARAMETER: &str = "StackName";
const PLACEHOLDER: &str = "${StackName}";

/// The zip each function's code is read from, in the code bucket: named by its
/// content, so that a changed handler is a changed key and CloudFormation redeploys it.
pub fn zip_key(handler: Handler, arch: Arch, code_sha256: &str) -> String {
    use base64::Engine;
    let hex: String = base64::engine::general_purpose::STANDARD
        .decode(code_sha256)
        .unwrap_or_default()
        .iter()
        .take(6)
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("{}-{}-{hex}.zip", handler_name(handler), arch.lambda_name())
}

fn handler_name(h: Handler) -> String {
    serde_json::to_value(h).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

/// The template for a stack named `stack` (the `StackName` parameter's default), with
/// `settings`, its functions for `arch` with the code `code` (each handler's
/// `CodeSha256`).
pub fn template(stack: &str, settings: &Settings, arch: Arch, code: &HashMap<Handler, String>, format: Format) -> Result<Value> {
    let env = placeholder_env();
    let mut settings = settings.clone();
    let email = settings.alert_email.clone().unwrap_or_default();
    // The e-mail is a parameter: the subscription is there when it is given.
    settings.alert_email = Some("${AlertEmail}".into());
    let spec = StackSpec::new(PLACEHOLDER, settings);
    let resources = desired::resources(&spec, &env, arch.lambda_name(), code)?;
    let ids: HashMap<(String, String), String> =
        resources.iter().map(|r| ((r.kind().to_string(), r.name().to_string()), logical_id(r))).collect();
    let mut out = Map::new();
    for r in &resources {
        if format == Format::Sam && matches!(r, Resource::EventSourceMapping { .. }) {
            continue; // an event of its function
        }
        for (id, mut resource) in describe(r, arch, code, format, &resources)? {
            let refs = references(&resource);
            let mut needs = desired::needs(r);
            if format == Format::Sam {
                // A function's queue event is its mapping: what the mapping needs.
                for m in &resources {
                    if matches!(m, Resource::EventSourceMapping { function, .. } if function == r.name()) {
                        needs.extend(desired::needs(m));
                    }
                }
            }
            let needs: BTreeSet<String> = needs
                .into_iter()
                .filter_map(|(kind, name)| ids.get(&(kind.to_string(), name)).cloned())
                .filter(|dep| !refs.contains(dep) && *dep != id)
                .filter(|dep| format != Format::Sam || !dep.ends_with("Mapping"))
                .collect();
            if !needs.is_empty() {
                resource["DependsOn"] = json!(needs);
            }
            out.insert(id, resource);
        }
    }
    let mut template = Map::new();
    template.insert("AWSTemplateFormatVersion".into(), json!("2010-09-09"));
    if format == Format::Sam {
        template.insert("Transform".into(), json!("AWS::Serverless-2016-10-31"));
    }
    template.insert(
        "Description".into(),
        json!(format!("orderctl {} pipeline: SNS → SQS (with a DLQ) → Lambda → DynamoDB, an EventBridge Pipe for high-value orders, and an alarm on the DLQ", env!("CARGO_PKG_VERSION"))),
    );
    validate_stack_name(stack).map_err(anyhow::Error::msg)?;
    template.insert(
        "Parameters".into(),
        json!({
            STACK_PARAMETER: {
                "Type": "String",
                "Default": stack,
                "Description": "The orderctl stack: every resource's name starts with it (`orderctl --stack`).",
                "AllowedPattern": "^[A-Za-z][A-Za-z0-9-]{0,31}$",
                "ConstraintDescription": "1–32 letters, digits or -, starting with a letter",
            },
            "CodeBucket": {
                "Type": "String",
                "Description": "The S3 bucket holding the handler zips written beside this template (same region).",
            },
            "CodePrefix": {
                "Type": "String",
                "Default": "",
                "Description": "The key prefix of the zips in the code bucket, e.g. `orderctl/`.",
            },
            "AlertEmail": {
                "Type": "String",
                "Default": email,
                "Description": "Where the DLQ alarm's notifications go by e-mail; empty for none.",
            },
        }),
    );
    template.insert("Conditions".into(), json!({ "HasAlertEmail": { "Fn::Not": [{ "Fn::Equals": [{ "Ref": "AlertEmail" }, ""] }] } }));
    template.insert("Resources".into(), Value::Object(out));
    let mut outputs = Map::new();
    for (id, what, value) in [
        ("OrdersTopicArn", "The topic orders are published to", json!({ "Ref": "OrdersTopic" })),
        ("OrdersQueueUrl", "The orders queue", json!({ "Ref": "OrdersQueue" })),
        ("DeadLetterQueueUrl", "The dead-letter queue", json!({ "Ref": "OrdersDlqQueue" })),
        ("OrdersTableName", "The orders table", json!({ "Ref": "OrdersTable" })),
        (
            "OrdersApiUrl",
            "POST /orders",
            json!({ "Fn::Sub": "https://${OrdersApiHttpApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}/prod/orders" }),
        ),
    ] {
        outputs.insert(id.into(), json!({ "Description": what, "Value": value }));
    }
    template.insert("Outputs".into(), Value::Object(outputs));
    Ok(subs(Value::Object(template)))
}

/// Where the template's stack is: CloudFormation's pseudo parameters, to be `Fn::Sub`ed.
fn placeholder_env() -> Env {
    Env {
        account: "${AWS::AccountId}".into(),
        region: "${AWS::Region}".into(),
        partition: "${AWS::Partition}".into(),
        endpoint: None,
        service_endpoints: Default::default(),
    }
}

/// `OrdersQueue`, `OrderWorkerFunction`, …: the name without the stack, in CamelCase,
/// then the kind.
pub fn logical_id(r: &Resource) -> String {
    let name = r.name();
    let base = match r {
        Resource::LogGroup { name, .. } => name.rsplit('/').next().unwrap_or(name),
        Resource::Subscription { endpoint: Endpoint::Email { .. }, .. } => "alerts-email",
        Resource::Subscription { topic, .. } => topic.as_str(),
        Resource::EventSourceMapping { function, .. } => function.as_str(),
        _ => name,
    };
    let base = base.strip_prefix(PLACEHOLDER).map(|b| b.trim_start_matches('-')).unwrap_or(base);
    let base = if matches!(r, Resource::Role { .. }) { base.strip_suffix("-role").unwrap_or(base) } else { base };
    let camel: String = base
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            c.next().map(|f| f.to_ascii_uppercase().to_string() + c.as_str()).unwrap_or_default()
        })
        .collect();
    let kind: String = r
        .kind()
        .split('-')
        .map(|w| {
            let mut c = w.chars();
            c.next().map(|f| f.to_ascii_uppercase().to_string() + c.as_str()).unwrap_or_default()
        })
        .collect();
    let kind = match r {
        Resource::EventSourceMapping { .. } => "Mapping".to_string(),
        Resource::Subscription { .. } => "Subscription".to_string(),
        _ => kind,
    };
    format!("{camel}{kind}")
}

fn tags_list() -> Value {
    json!([{ "Key": STACK_TAG, "Value": PLACEHOLDER }])
}

fn tags_map() -> Value {
    json!({ STACK_TAG: PLACEHOLDER })
}

fn resource(kind: &str, properties: Value) -> Value {
    json!({ "Type": kind, "Properties": properties })
}

/// The CloudFormation resources (logical id, resource) for one of the stack's.
fn describe(r: &Resource, arch: Arch, code: &HashMap<Handler, String>, format: Format, all: &[Resource]) -> Result<Vec<(String, Value)>> {
    let env = placeholder_env();
    let id = logical_id(r);
    let one = |v: Value| Ok(vec![(id.clone(), v)]);
    match r {
        Resource::Table { name, partition_key, stream_view_type, indexes } => {
            let mut keys = vec![partition_key.clone()];
            for i in indexes {
                for k in [&i.partition_key, &i.sort_key] {
                    if !keys.contains(k) {
                        keys.push(k.clone());
                    }
                }
            }
            let indexes: Vec<Value> = indexes
                .iter()
                .map(|i| {
                    json!({
                        "IndexName": i.name,
                        "KeySchema": [
                            { "AttributeName": i.partition_key, "KeyType": "HASH" },
                            { "AttributeName": i.sort_key, "KeyType": "RANGE" },
                        ],
                        "Projection": { "ProjectionType": "INCLUDE", "NonKeyAttributes": i.projected },
                    })
                })
                .collect();
            let mut p = json!({
                "TableName": name,
                "AttributeDefinitions": keys.iter().map(|k| json!({ "AttributeName": k, "AttributeType": "S" })).collect::<Vec<_>>(),
                "KeySchema": [{ "AttributeName": partition_key, "KeyType": "HASH" }],
                "BillingMode": "PAY_PER_REQUEST",
                "StreamSpecification": { "StreamViewType": stream_view_type },
                "Tags": tags_list(),
            });
            if !indexes.is_empty() {
                p["GlobalSecondaryIndexes"] = json!(indexes);
            }
            let mut t = resource("AWS::DynamoDB::Table", p);
            // `down` deletes the stack's data with it; so does deleting the stack.
            t["DeletionPolicy"] = json!("Delete");
            t["UpdateReplacePolicy"] = json!("Delete");
            one(t)
        }
        Resource::Topic { name } => one(resource("AWS::SNS::Topic", json!({ "TopicName": name, "Tags": tags_list() }))),
        Resource::Queue { name, visibility_timeout_ms, retention_ms, delay_ms, redrive, policy, sse } => {
            let mut p = json!({
                "QueueName": name,
                "VisibilityTimeout": visibility_timeout_ms / 1000,
                "MessageRetentionPeriod": retention_ms / 1000,
                "DelaySeconds": delay_ms / 1000,
                "Tags": tags_list(),
            });
            if let Some(redrive) = redrive {
                p["RedrivePolicy"] = json!({ "deadLetterTargetArn": env.queue_arn(&redrive.dead_letter_queue), "maxReceiveCount": redrive.max_receive_count });
            }
            if let Some(sse) = sse {
                p["SqsManagedSseEnabled"] = json!(sse);
            }
            let mut out = vec![(id.clone(), resource("AWS::SQS::Queue", p))];
            if let Some(policy) = policy {
                out.push((
                    format!("{id}Policy"),
                    resource("AWS::SQS::QueuePolicy", json!({ "Queues": [{ "Ref": id }], "PolicyDocument": policy })),
                ));
            }
            Ok(out)
        }
        Resource::Subscription { topic, endpoint, .. } => {
            let mut p = json!({ "TopicArn": env.topic_arn(topic) });
            match endpoint {
                Endpoint::Sqs { queue, raw_delivery } => {
                    p["Protocol"] = json!("sqs");
                    p["Endpoint"] = json!(env.queue_arn(queue));
                    p["RawMessageDelivery"] = json!(raw_delivery);
                }
                Endpoint::Email { .. } => {
                    p["Protocol"] = json!("email");
                    p["Endpoint"] = json!({ "Ref": "AlertEmail" });
                }
            }
            let mut s = resource("AWS::SNS::Subscription", p);
            if matches!(endpoint, Endpoint::Email { .. }) {
                s["Condition"] = json!("HasAlertEmail");
            }
            one(s)
        }
        Resource::Role { name, trust, policy } => one(resource(
            "AWS::IAM::Role",
            json!({
                "RoleName": name,
                "Description": format!("orderctl stack `{PLACEHOLDER}`"),
                "AssumeRolePolicyDocument": trust,
                "Policies": [{ "PolicyName": desired::POLICY_NAME, "PolicyDocument": policy }],
                "Tags": tags_list(),
            }),
        )),
        Resource::LogGroup { name, retention_days } => {
            let mut g =
                resource("AWS::Logs::LogGroup", json!({ "LogGroupName": name, "RetentionInDays": retention_days, "Tags": tags_list() }));
            g["DeletionPolicy"] = json!("Delete");
            g["UpdateReplacePolicy"] = json!("Delete");
            one(g)
        }
        Resource::Function { name, handler, timeout_ms, memory_mb, environment, deployment } => {
            let d = deployment.as_ref().context("a function on aws has a deployment")?;
            let key = zip_key(*handler, arch, code.get(handler).map(String::as_str).unwrap_or_default());
            let variables: Map<String, Value> = environment.iter().map(|(k, v)| (k.clone(), json!(v))).collect();
            let mut p = json!({
                "FunctionName": name,
                "Runtime": d.runtime,
                "Handler": "bootstrap",
                "Role": env.role_arn(&d.role),
                "Timeout": timeout_ms / 1000,
                "MemorySize": memory_mb,
                "Environment": { "Variables": variables },
                "Architectures": [d.architecture],
            });
            if format == Format::Sam {
                p["CodeUri"] = json!({ "Bucket": { "Ref": "CodeBucket" }, "Key": format!("${{CodePrefix}}{key}") });
                p["Tags"] = tags_map();
                let mut events = Map::new();
                for m in all {
                    if matches!(m, Resource::EventSourceMapping { function, .. } if function == name) {
                        events.insert("Queue".into(), json!({ "Type": "SQS", "Properties": mapping_properties(&env, m, format) }));
                    }
                    if let Resource::HttpApi { function, route, .. } = m {
                        if function == name {
                            let (method, path) = route.split_once(' ').unwrap_or(("POST", route));
                            let api = all.iter().find(|a| matches!(a, Resource::HttpApi { .. })).map(logical_id).unwrap_or_default();
                            events.insert(
                                "Api".into(),
                                json!({ "Type": "HttpApi", "Properties": { "ApiId": { "Ref": api }, "Method": method, "Path": path, "PayloadFormatVersion": "2.0" } }),
                            );
                        }
                    }
                }
                if !events.is_empty() {
                    p["Events"] = Value::Object(events);
                }
                return one(resource("AWS::Serverless::Function", p));
            }
            p["Code"] = json!({ "S3Bucket": { "Ref": "CodeBucket" }, "S3Key": format!("${{CodePrefix}}{key}") });
            p["Tags"] = tags_list();
            one(resource("AWS::Lambda::Function", p))
        }
        Resource::EventSourceMapping { function, .. } => {
            let mut p = mapping_properties(&env, r, format);
            p["FunctionName"] = json!(function);
            p["Tags"] = tags_list();
            one(resource("AWS::Lambda::EventSourceMapping", p))
        }
        Resource::Pipe { name, source_table, target_queue, filter, input_template, role } => {
            let table =
                all.iter().find(|t| matches!(t, Resource::Table { name, .. } if name == source_table)).map(logical_id).unwrap_or_default();
            one(resource(
                "AWS::Pipes::Pipe",
                json!({
                    "Name": name,
                    "RoleArn": env.role_arn(role.as_deref().context("a pipe on aws has a role")?),
                    "Source": { "Fn::GetAtt": [table, "StreamArn"] },
                    "SourceParameters": {
                        "DynamoDBStreamParameters": { "StartingPosition": "LATEST", "BatchSize": 10 },
                        "FilterCriteria": { "Filters": [{ "Pattern": filter.to_string() }] },
                    },
                    "Target": env.queue_arn(target_queue),
                    "TargetParameters": { "InputTemplate": input_template },
                    "DesiredState": "RUNNING",
                    "Tags": tags_map(),
                }),
            ))
        }
        Resource::Alarm {
            name,
            queue,
            metric,
            statistic,
            period_ms,
            evaluation_periods,
            threshold,
            comparison,
            treat_missing_data,
            actions_topic,
        } => {
            let topic = env.topic_arn(actions_topic);
            one(resource(
                "AWS::CloudWatch::Alarm",
                json!({
                    "AlarmName": name,
                    "AlarmDescription": format!("orderctl stack `{PLACEHOLDER}`: messages are waiting in the dead-letter queue `{queue}`"),
                    "Namespace": "AWS/SQS",
                    "MetricName": metric,
                    "Dimensions": [{ "Name": "QueueName", "Value": queue }],
                    "Statistic": statistic,
                    "Period": period_ms / 1000,
                    "EvaluationPeriods": evaluation_periods,
                    "Threshold": threshold,
                    "ComparisonOperator": comparison,
                    "TreatMissingData": treat_missing_data,
                    "AlarmActions": [topic],
                    "OKActions": [topic],
                    "Tags": tags_list(),
                }),
            ))
        }
        Resource::HttpApi { name, route, function, stage, cors_origins, .. } => {
            let cors = json!({ "AllowOrigins": cors_origins, "AllowMethods": ["POST", "OPTIONS"], "AllowHeaders": ["content-type"], "MaxAge": 300 });
            if format == Format::Sam {
                return one(resource(
                    "AWS::Serverless::HttpApi",
                    json!({ "Name": name, "StageName": stage, "CorsConfiguration": cors, "Tags": tags_map() }),
                ));
            }
            let (method, path) = route.split_once(' ').unwrap_or(("*", route));
            Ok(vec![
                (
                    id.clone(),
                    resource(
                        "AWS::ApiGatewayV2::Api",
                        json!({ "Name": name, "ProtocolType": "HTTP", "CorsConfiguration": cors, "Tags": tags_map() }),
                    ),
                ),
                (
                    format!("{id}Integration"),
                    resource(
                        "AWS::ApiGatewayV2::Integration",
                        json!({ "ApiId": { "Ref": id }, "IntegrationType": "AWS_PROXY", "IntegrationUri": env.function_arn(function), "PayloadFormatVersion": "2.0" }),
                    ),
                ),
                (
                    format!("{id}Route"),
                    resource(
                        "AWS::ApiGatewayV2::Route",
                        json!({ "ApiId": { "Ref": id }, "RouteKey": route, "Target": format!("integrations/${{{id}Integration}}") }),
                    ),
                ),
                (
                    format!("{id}Stage"),
                    resource(
                        "AWS::ApiGatewayV2::Stage",
                        json!({ "ApiId": { "Ref": id }, "StageName": stage, "AutoDeploy": true, "Tags": tags_map() }),
                    ),
                ),
                (
                    format!("{id}Permission"),
                    resource(
                        "AWS::Lambda::Permission",
                        json!({
                            "Action": "lambda:InvokeFunction",
                            "FunctionName": function,
                            "Principal": "apigateway.amazonaws.com",
                            "SourceArn": format!("arn:${{AWS::Partition}}:execute-api:${{AWS::Region}}:${{AWS::AccountId}}:${{{id}}}/*/{method}{path}"),
                        }),
                    ),
                ),
            ])
        }
    }
}

/// An event source mapping's settings, as `AWS::Lambda::EventSourceMapping` and SAM's
/// `SQS` event both spell them.
fn mapping_properties(env: &Env, mapping: &Resource, format: Format) -> Value {
    let Resource::EventSourceMapping {
        queue, batch_size, batching_window_ms, max_concurrency, report_batch_item_failures, enabled, ..
    } = mapping
    else {
        return Value::Null;
    };
    let arn_key = if format == Format::Sam { "Queue" } else { "EventSourceArn" };
    let mut p = json!({
        arn_key: env.queue_arn(queue),
        "BatchSize": batch_size,
        "MaximumBatchingWindowInSeconds": batching_window_ms / 1000,
        "ScalingConfig": { "MaximumConcurrency": max_concurrency },
        "Enabled": enabled,
    });
    if *report_batch_item_failures {
        p["FunctionResponseTypes"] = json!(["ReportBatchItemFailures"]);
    }
    p
}

/// The logical ids a resource names through `Ref`, `Fn::GetAtt` or `Fn::Sub`.
fn references(v: &Value) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    fn walk(v: &Value, out: &mut BTreeSet<String>) {
        match v {
            Value::Object(m) => {
                for (k, v) in m {
                    match (k.as_str(), v) {
                        ("Ref", Value::String(id)) => {
                            out.insert(id.clone());
                        }
                        ("Fn::GetAtt", Value::Array(a)) => {
                            if let Some(Value::String(id)) = a.first() {
                                out.insert(id.clone());
                            }
                        }
                        _ => walk(v, out),
                    }
                }
            }
            Value::Array(a) => a.iter().for_each(|v| walk(v, out)),
            Value::String(s) => {
                for part in s.split("${").skip(1) {
                    if let Some(id) = part.split('}').next() {
                        if !id.contains("::") {
                            out.insert(id.split('.').next().unwrap_or(id).to_string());
                        }
                    }
                }
            }
            _ => {}
        }
    }
    walk(v, &mut out);
    out
}

/// Every string holding a `${…}` becomes an `Fn::Sub` of it; policy documents are
/// walked too, so their ARNs are the stack's in any account.
fn subs(v: Value) -> Value {
    match v {
        Value::String(s) if s == PLACEHOLDER => json!({ "Ref": STACK_PARAMETER }),
        Value::String(s) if s.contains("${") => json!({ "Fn::Sub": s }),
        Value::Array(a) => Value::Array(a.into_iter().map(subs).collect()),
        Value::Object(m) => {
            // An intrinsic's own arguments are left as they are.
            if m.len() == 1 && m.keys().next().is_some_and(|k| k == "Fn::Sub" || k == "Ref" || k == "Fn::GetAtt") {
                return Value::Object(m);
            }
            Value::Object(m.into_iter().map(|(k, v)| (k, subs(v))).collect())
        }
        v => v,
    }
}

/// A template as block-style YAML: every string double-quoted (a JSON string is a YAML
/// one), keys bare where they are plain words, the sections in the order people read
/// them and each resource's `Type` first.
pub fn yaml(v: &Value) -> String {
    const SECTIONS: [&str; 7] =
        ["AWSTemplateFormatVersion", "Transform", "Description", "Parameters", "Conditions", "Resources", "Outputs"];
    let Value::Object(m) = v else {
        let mut out = String::new();
        emit(v, 0, &mut out);
        return out;
    };
    let mut ordered: Vec<(&String, &Value)> = m.iter().collect();
    ordered.sort_by_key(|(k, _)| SECTIONS.iter().position(|s| s == k).unwrap_or(SECTIONS.len()));
    let mut out = String::new();
    for (k, v) in ordered {
        let mut one = Map::new();
        one.insert(k.clone(), v.clone());
        emit(&Value::Object(one), 0, &mut out);
    }
    out
}

fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::Null => Some("null".into()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::String(s) => Some(serde_json::to_string(s).unwrap_or_default()),
        Value::Array(a) if a.is_empty() => Some("[]".into()),
        Value::Object(m) if m.is_empty() => Some("{}".into()),
        _ => None,
    }
}

fn key(k: &str) -> String {
    if !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == ':' || c == '_') && !k.ends_with(':') {
        k.to_string()
    } else {
        serde_json::to_string(k).unwrap_or_default()
    }
}

fn emit(v: &Value, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    match v {
        Value::Object(m) if !m.is_empty() => {
            let mut fields: Vec<(&String, &Value)> = m.iter().collect();
            fields.sort_by_key(|(k, _)| *k != "Type");
            for (k, v) in fields {
                match scalar(v) {
                    Some(s) => out.push_str(&format!("{pad}{}: {s}\n", key(k))),
                    None => {
                        out.push_str(&format!("{pad}{}:\n", key(k)));
                        emit(v, indent + 2, out);
                    }
                }
            }
        }
        Value::Array(a) if !a.is_empty() => {
            for item in a {
                match scalar(item) {
                    Some(s) => out.push_str(&format!("{pad}- {s}\n")),
                    None => {
                        // The item's first line goes after the dash.
                        let mut inner = String::new();
                        emit(item, indent + 2, &mut inner);
                        out.push_str(&format!("{pad}- {}", &inner[indent + 2..]));
                    }
                }
            }
        }
        v => out.push_str(&format!("{pad}{}\n", scalar(v).unwrap_or_default())),
    }
}

/// Every resource type the template uses, with how many: for the export's summary.
pub fn resource_types(template: &Value) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for r in template["Resources"].as_object().into_iter().flat_map(|m| m.values()) {
        *out.entry(r["Type"].as_str().unwrap_or_default().to_string()).or_default() += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code() -> HashMap<Handler, String> {
        Handler::ALL.map(|h| (h, "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=".to_string())).into()
    }

    #[test]
    fn every_resource_is_named_from_the_stack_parameter_and_tagged() {
        let t = template("demo", &Settings::aws(), Arch::X86_64, &code(), Format::CloudFormation).unwrap();
        let text = serde_json::to_string(&t).unwrap();
        assert!(!text.contains("demo-"), "no name is fixed to the default stack");
        assert_eq!(t["Parameters"]["StackName"]["Default"], "demo");
        let resources = t["Resources"].as_object().unwrap();
        assert_eq!(resources["OrdersQueue"]["Properties"]["QueueName"], json!({ "Fn::Sub": "${StackName}-orders" }));
        assert_eq!(
            resources["OrdersQueue"]["Properties"]["RedrivePolicy"]["deadLetterTargetArn"],
            json!({ "Fn::Sub": "arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:${StackName}-orders-dlq" })
        );
        assert_eq!(
            resources["OrderWorkerFunction"]["Properties"]["Code"]["S3Key"],
            json!({ "Fn::Sub": "${CodePrefix}order-worker-x86_64-e3b0c44298fc.zip" })
        );
        assert_eq!(resources["OrderWorkerFunction"]["DependsOn"], json!(["OrderWorkerLogGroup", "OrderWorkerRole"]));
        assert_eq!(resources["OrdersTopic"]["Properties"]["Tags"], json!([{ "Key": STACK_TAG, "Value": { "Ref": "StackName" } }]));
        assert!(resources.contains_key("HighValuePipeRole"));
        assert_eq!(resources["AlertsEmailSubscription"]["Condition"], "HasAlertEmail");
        assert_eq!(resources["HighValuePipe"]["Properties"]["Source"], json!({ "Fn::GetAtt": ["OrdersTable", "StreamArn"] }));
        assert!(
            resources["HighValuePipe"].get("DependsOn").is_some_and(|d| !d.to_string().contains("OrdersTable")),
            "the GetAtt already orders it"
        );
        for (id, r) in resources {
            let tagged = r["Properties"]["Tags"].to_string().contains(STACK_TAG);
            let untaggable = [
                "AWS::SNS::Subscription",
                "AWS::SQS::QueuePolicy",
                "AWS::ApiGatewayV2::Integration",
                "AWS::ApiGatewayV2::Route",
                "AWS::Lambda::Permission",
            ];
            assert!(tagged || untaggable.contains(&r["Type"].as_str().unwrap()), "{id} carries the stack's tag");
        }
        assert_eq!(resource_types(&t).values().sum::<usize>(), resources.len());
    }

    #[test]
    fn the_sam_form_makes_the_mappings_and_the_route_events_of_their_functions() {
        let t = template("demo", &Settings::aws(), Arch::X86_64, &code(), Format::Sam).unwrap();
        assert_eq!(t["Transform"], "AWS::Serverless-2016-10-31");
        let resources = t["Resources"].as_object().unwrap();
        assert!(!resources.keys().any(|k| k.ends_with("Mapping")));
        let worker = &resources["OrderWorkerFunction"];
        assert_eq!(worker["Type"], "AWS::Serverless::Function");
        assert_eq!(worker["Properties"]["Events"]["Queue"]["Type"], "SQS");
        assert_eq!(resources["CreateOrderFunction"]["Properties"]["Events"]["Api"]["Properties"]["Path"], "/orders");
        assert_eq!(resources["OrdersApiHttpApi"]["Type"], "AWS::Serverless::HttpApi");
        assert_eq!(worker["DependsOn"], json!(["OrderWorkerLogGroup", "OrderWorkerRole", "OrdersQueue"]), "its queue is made first");
    }

    #[test]
    fn the_yaml_is_block_style_with_json_strings() {
        let v = json!({ "A": { "Fn::Sub": "x-${Y}" }, "L": [1, { "K": "v", "M": [true, null] }, []], "odd key": "q\"uote\n", "E": {} });
        let text = yaml(&v);
        assert!(text.contains("Fn::Sub: \"x-${Y}\""), "{text}");
        assert!(text.contains("  - K: \"v\"\n    M:\n      - true\n"), "{text}");
        // Every line is `key: value`, `key:` or `- value` at an even indent.
        for line in text.lines() {
            let indent = line.len() - line.trim_start().len();
            assert_eq!(indent % 2, 0, "{line:?}");
        }
    }
}
