//! Carrying out a plan on AWS: creates and updates step by step (each step needs only
//! earlier ones; a step's resources go concurrently), deletes in reverse. Every call
//! is idempotent in effect: a run interrupted anywhere converges when re-run, because
//! the next run observes what exists and plans only what is missing or different.

use super::desired::{self, step, API_PERMISSION, POLICY_NAME};
use super::observe::{self, Observed};
use super::Aws;
use crate::plan::{Action, Change, Plan};
use crate::spec::{Endpoint, Handler, Resource, TableIndex, STACK_TAG};
use anyhow::{anyhow, bail, Context as _, Result};
use aws_sdk_dynamodb::client::Waiters as _;
use aws_sdk_lambda::client::Waiters as _;
use aws_sdk_sqs::types::QueueAttributeName as Q;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The deployment zips of the handlers.
pub type Packages = HashMap<Handler, PathBuf>;

/// How long to wait for what AWS makes eventually consistent.
const ROLE_PROPAGATION: Duration = Duration::from_secs(90);
const QUEUE_NAME_REUSE: Duration = Duration::from_secs(75);
const FUNCTION_STATE: Duration = Duration::from_secs(300);
/// How long a new index may take to backfill from the table's items.
const INDEX_BACKFILL: Duration = Duration::from_secs(900);

pub struct Applier<'a> {
    pub aws: &'a Aws,
    pub stack: &'a str,
    pub packages: &'a Packages,
    /// Say what happens, on stderr.
    pub verbose: bool,
    /// Roles created or changed in this run: Lambda may not be able to assume them yet.
    fresh_roles: Mutex<HashSet<String>>,
}

impl<'a> Applier<'a> {
    pub fn new(aws: &'a Aws, stack: &'a str, packages: &'a Packages, verbose: bool) -> Self {
        Applier { aws, stack, packages, verbose, fresh_roles: Mutex::default() }
    }

    fn tag_map(&self) -> HashMap<String, String> {
        HashMap::from([(STACK_TAG.to_string(), self.stack.to_string())])
    }

    /// Applies `plan`; `desired` holds the resources it creates or updates, `observed`
    /// what it was computed from.
    pub async fn apply(&self, plan: &Plan, desired: &[Resource], observed: &[Observed], adopt: bool) -> Result<()> {
        let find = |c: &Change| desired.iter().find(|r| r.kind() == c.kind && r.name() == c.name);
        let seen = |c: &Change| observed.iter().find(|o| o.resource.kind() == c.kind && o.resource.name() == c.name);
        type Step<'x> = Vec<(&'x Change, &'x Resource, Option<&'x Observed>)>;
        let mut forward: BTreeMap<usize, Step> = BTreeMap::new();
        let mut backward: BTreeMap<usize, Vec<&Observed>> = BTreeMap::new();
        for c in &plan.changes {
            match &c.action {
                Action::Unchanged if !(adopt && seen(c).is_some_and(|o| !o.owned_by(self.stack))) => {}
                Action::Delete => {
                    let o = seen(c).context("a planned delete was not observed")?;
                    backward.entry(step(&o.resource)).or_default().push(o);
                }
                _ => {
                    let r = find(c).context("a planned resource is not desired")?;
                    forward.entry(step(r)).or_default().push((c, r, seen(c)));
                }
            }
        }
        for (_, changes) in forward {
            let results = futures::future::join_all(changes.into_iter().map(|(c, r, o)| async move {
                let start = Instant::now();
                let result = self.converge(&c.action, r, o, adopt).await;
                self.say(&c.action, r, start, &result);
                result.with_context(|| format!("{} {} `{}`", verb(&c.action), r.kind(), r.name()))
            }))
            .await;
            results.into_iter().collect::<Result<Vec<()>>>()?;
        }
        for (_, deletes) in backward.into_iter().rev() {
            let results = futures::future::join_all(deletes.into_iter().map(|o| async move {
                let start = Instant::now();
                let result = self.delete(o).await;
                self.say(&Action::Delete, &o.resource, start, &result);
                result.with_context(|| format!("deleting {} `{}`", o.resource.kind(), o.resource.name()))
            }))
            .await;
            results.into_iter().collect::<Result<Vec<()>>>()?;
        }
        Ok(())
    }

    fn say(&self, action: &Action, r: &Resource, start: Instant, result: &Result<()>) {
        if self.verbose {
            let outcome = if result.is_ok() { "done" } else { "FAILED" };
            eprintln!("  {} {} `{}`: {outcome} in {:.1}s", verb(action), r.kind(), r.name(), start.elapsed().as_secs_f64());
        }
    }

    async fn converge(&self, action: &Action, want: &Resource, have: Option<&Observed>, adopt: bool) -> Result<()> {
        if let Some(o) = have {
            if adopt && !o.owned_by(self.stack) {
                self.tag(o).await?;
            }
        }
        match (action, have) {
            (Action::Create, _) => self.create(want).await,
            (Action::Update(fields), Some(o)) => self.update(want, o, fields).await,
            (Action::Unchanged, _) => Ok(()),
            _ => bail!("nothing observed to update"),
        }
    }

    async fn create(&self, r: &Resource) -> Result<()> {
        let aws = self.aws;
        let env = &aws.env;
        match r {
            Resource::Table { name, partition_key, stream_view_type, indexes } => {
                use aws_sdk_dynamodb::types::*;
                aws.dynamodb
                    .create_table()
                    .table_name(name)
                    .set_attribute_definitions(Some(key_attributes(partition_key, indexes)?))
                    .key_schema(KeySchemaElement::builder().attribute_name(partition_key).key_type(KeyType::Hash).build()?)
                    .set_global_secondary_indexes(
                        Some(indexes.iter().map(global_index).collect::<Result<_>>()?).filter(|i: &Vec<_>| !i.is_empty()),
                    )
                    .billing_mode(BillingMode::PayPerRequest)
                    .stream_specification(
                        StreamSpecification::builder()
                            .stream_enabled(true)
                            .stream_view_type(StreamViewType::from(stream_view_type.as_str()))
                            .build()?,
                    )
                    .tags(Tag::builder().key(STACK_TAG).value(self.stack).build()?)
                    .send()
                    .await?;
                aws.dynamodb.wait_until_table_exists().table_name(name).wait(FUNCTION_STATE).await?;
            }
            Resource::Topic { name } => {
                aws.sns
                    .create_topic()
                    .name(name)
                    .tags(aws_sdk_sns::types::Tag::builder().key(STACK_TAG).value(self.stack).build()?)
                    .send()
                    .await?;
            }
            Resource::Queue { name, .. } => {
                let deadline = Instant::now() + QUEUE_NAME_REUSE;
                loop {
                    let sent = aws
                        .sqs
                        .create_queue()
                        .queue_name(name)
                        .set_attributes(Some(queue_attributes(env, r)))
                        .set_tags(Some(self.tag_map()))
                        .send()
                        .await;
                    match sent {
                        Ok(_) => break,
                        Err(e) if e.as_service_error().is_some_and(|e| e.is_queue_deleted_recently()) && Instant::now() < deadline => {
                            eprintln!("  queue `{name}` was deleted less than 60 s ago; SQS frees the name after 60 s: waiting");
                            tokio::time::sleep(Duration::from_secs(5)).await;
                        }
                        Err(e) => return Err(e.into()),
                    }
                }
            }
            Resource::Subscription { topic, endpoint, .. } => {
                let (protocol, to, raw) = match endpoint {
                    Endpoint::Sqs { queue, raw_delivery } => ("sqs", env.queue_arn(queue), *raw_delivery),
                    Endpoint::Email { address } => ("email", address.clone(), false),
                };
                let mut call =
                    aws.sns.subscribe().topic_arn(env.topic_arn(topic)).protocol(protocol).endpoint(to).return_subscription_arn(true);
                if raw {
                    call = call.attributes("RawMessageDelivery", "true");
                }
                call.send().await?;
            }
            Resource::Role { name, trust, policy } => {
                let tag = aws_sdk_iam::types::Tag::builder().key(STACK_TAG).value(self.stack).build()?;
                aws.iam
                    .create_role()
                    .role_name(name)
                    .assume_role_policy_document(trust.to_string())
                    .description(format!("orderctl stack `{}`", self.stack))
                    .tags(tag)
                    .send()
                    .await?;
                self.fresh_roles.lock().unwrap_or_else(|e| e.into_inner()).insert(name.clone());
                aws.iam.put_role_policy().role_name(name).policy_name(POLICY_NAME).policy_document(policy.to_string()).send().await?;
            }
            Resource::Function { name, handler, timeout_ms, memory_mb, environment, deployment } => {
                let d = deployment.as_ref().context("a function on aws needs a deployment")?;
                let zip = self.zip(*handler)?;
                self.retry_role(&d.role, || async {
                    aws.lambda
                        .create_function()
                        .function_name(name)
                        .runtime(aws_sdk_lambda::types::Runtime::from(d.runtime.as_str()))
                        .role(env.role_arn(&d.role))
                        .handler("bootstrap")
                        .code(aws_sdk_lambda::types::FunctionCode::builder().zip_file(zip.clone().into()).build())
                        .timeout((*timeout_ms / 1000) as i32)
                        .memory_size(*memory_mb as i32)
                        .environment(lambda_environment(environment))
                        .architectures(aws_sdk_lambda::types::Architecture::from(d.architecture.as_str()))
                        .set_tags(Some(self.tag_map()))
                        .send()
                        .await
                })
                .await?;
                aws.lambda.wait_until_function_active_v2().function_name(name).wait(FUNCTION_STATE).await?;
            }
            Resource::EventSourceMapping {
                queue,
                function,
                batch_size,
                batching_window_ms,
                max_concurrency,
                report_batch_item_failures,
                enabled,
                ..
            } => {
                aws.lambda
                    .create_event_source_mapping()
                    .function_name(function)
                    .event_source_arn(env.queue_arn(queue))
                    .batch_size(*batch_size as i32)
                    .maximum_batching_window_in_seconds((*batching_window_ms / 1000) as i32)
                    .scaling_config(scaling(*max_concurrency))
                    .set_function_response_types(Some(response_types(*report_batch_item_failures)))
                    .enabled(*enabled)
                    .set_tags(Some(self.tag_map()))
                    .send()
                    .await?;
            }
            Resource::Pipe { name, source_table, target_queue, filter, input_template, role } => {
                use aws_sdk_pipes::types::*;
                let stream = self.stream_arn(source_table).await?;
                let role = role.as_deref().context("a pipe on aws needs a role")?;
                self.retry_role(role, || async {
                    aws.pipes
                        .create_pipe()
                        .name(name)
                        .role_arn(env.role_arn(role))
                        .source(&stream)
                        .source_parameters(
                            PipeSourceParameters::builder()
                                .dynamo_db_stream_parameters(
                                    PipeSourceDynamoDbStreamParameters::builder()
                                        .starting_position(DynamoDbStreamStartPosition::Latest)
                                        .batch_size(10)
                                        .build()?,
                                )
                                .filter_criteria(filter_criteria(filter))
                                .build(),
                        )
                        .target(env.queue_arn(target_queue))
                        .target_parameters(target_parameters(input_template))
                        .desired_state(RequestedPipeState::Running)
                        .set_tags(Some(self.tag_map()))
                        .send()
                        .await
                        .map_err(anyhow::Error::from)
                })
                .await?;
            }
            Resource::Alarm { .. } => self.put_alarm(r, true).await?,
            Resource::LogGroup { name, retention_days } => {
                aws.logs.create_log_group().log_group_name(name).set_tags(Some(self.tag_map())).send().await?;
                aws.logs.put_retention_policy().log_group_name(name).retention_in_days(*retention_days as i32).send().await?;
            }
            Resource::HttpApi { name, cors_origins, .. } => {
                let api = aws
                    .apigateway
                    .create_api()
                    .name(name)
                    .protocol_type(aws_sdk_apigatewayv2::types::ProtocolType::Http)
                    .cors_configuration(cors(cors_origins))
                    .set_tags(Some(self.tag_map()))
                    .send()
                    .await?;
                self.complete_api(r, api.api_id().unwrap_or_default()).await?;
            }
        }
        Ok(())
    }

    /// Creates the indexes `have` lacks, one per `UpdateTable` (DynamoDB's rule), each
    /// waited for until it is `ACTIVE` (it backfills from the table's items first).
    async fn add_indexes(&self, table: &str, partition_key: &str, indexes: &[TableIndex], have: &Resource) -> Result<()> {
        use aws_sdk_dynamodb::types::{CreateGlobalSecondaryIndexAction, GlobalSecondaryIndexUpdate, IndexStatus};
        let existing: Vec<&str> = match have {
            Resource::Table { indexes, .. } => indexes.iter().map(|i| i.name.as_str()).collect(),
            _ => Vec::new(),
        };
        for index in indexes.iter().filter(|i| !existing.contains(&i.name.as_str())) {
            let gsi = global_index(index)?;
            let create = CreateGlobalSecondaryIndexAction::builder()
                .index_name(&index.name)
                .set_key_schema(Some(gsi.key_schema().to_vec()))
                .set_projection(gsi.projection().cloned())
                .build()?;
            self.aws
                .dynamodb
                .update_table()
                .table_name(table)
                .set_attribute_definitions(Some(key_attributes(partition_key, indexes)?))
                .global_secondary_index_updates(GlobalSecondaryIndexUpdate::builder().create(create).build())
                .send()
                .await
                .with_context(|| format!("adding index `{}` to table `{table}`", index.name))?;
            let deadline = std::time::Instant::now() + INDEX_BACKFILL;
            loop {
                let out = self.aws.dynamodb.describe_table().table_name(table).send().await?;
                let status = out
                    .table()
                    .and_then(|t| t.global_secondary_indexes().iter().find(|g| g.index_name() == Some(&index.name)))
                    .and_then(|g| g.index_status().cloned());
                if status.is_none() || status == Some(IndexStatus::Active) {
                    break;
                }
                anyhow::ensure!(
                    std::time::Instant::now() < deadline,
                    "index `{}` of table `{table}` is still {status:?} after {}s: run `orderctl up` again later",
                    index.name,
                    INDEX_BACKFILL.as_secs()
                );
                tokio::time::sleep(Duration::from_secs(2)).await;
            }
        }
        Ok(())
    }

    async fn update(&self, want: &Resource, have: &Observed, fields: &[String]) -> Result<()> {
        let aws = self.aws;
        let env = &aws.env;
        let differs = |f: &str| fields.iter().any(|x| x == f);
        match want {
            Resource::Table { name, partition_key, stream_view_type, indexes } => {
                if differs("partition_key") {
                    bail!("its partition key is not `{partition_key}`; a table's key cannot change: delete the table (and its data) to recreate it");
                }
                if differs("indexes") {
                    self.add_indexes(name, partition_key, indexes, &have.resource).await?;
                }
                if !differs("stream_view_type") {
                    return Ok(());
                }
                use aws_sdk_dynamodb::types::{StreamSpecification, StreamViewType};
                if let Resource::Table { stream_view_type: current, .. } = &have.resource {
                    if !current.is_empty() {
                        // A stream's view type cannot change in place: off, then on.
                        aws.dynamodb
                            .update_table()
                            .table_name(name)
                            .stream_specification(StreamSpecification::builder().stream_enabled(false).build()?)
                            .send()
                            .await?;
                        aws.dynamodb.wait_until_table_exists().table_name(name).wait(FUNCTION_STATE).await?;
                    }
                }
                aws.dynamodb
                    .update_table()
                    .table_name(name)
                    .stream_specification(
                        StreamSpecification::builder()
                            .stream_enabled(true)
                            .stream_view_type(StreamViewType::from(stream_view_type.as_str()))
                            .build()?,
                    )
                    .send()
                    .await?;
                aws.dynamodb.wait_until_table_exists().table_name(name).wait(FUNCTION_STATE).await?;
            }
            Resource::Queue { .. } => {
                let mut attributes = queue_attributes(env, want);
                // An attribute set to "" is removed.
                attributes.entry(Q::RedrivePolicy).or_default();
                attributes.entry(Q::Policy).or_default();
                aws.sqs.set_queue_attributes().queue_url(&have.handle).set_attributes(Some(attributes)).send().await?;
            }
            Resource::Subscription { endpoint: Endpoint::Sqs { raw_delivery, .. }, .. } => {
                aws.sns
                    .set_subscription_attributes()
                    .subscription_arn(&have.handle)
                    .attribute_name("RawMessageDelivery")
                    .attribute_value(raw_delivery.to_string())
                    .send()
                    .await?;
            }
            Resource::Role { name, trust, policy } => {
                if differs("trust") {
                    aws.iam.update_assume_role_policy().role_name(name).policy_document(trust.to_string()).send().await?;
                }
                if differs("policy") {
                    aws.iam.put_role_policy().role_name(name).policy_name(POLICY_NAME).policy_document(policy.to_string()).send().await?;
                }
                self.fresh_roles.lock().unwrap_or_else(|e| e.into_inner()).insert(name.clone());
            }
            Resource::Function { name, handler, timeout_ms, memory_mb, environment, deployment } => {
                let d = deployment.as_ref().context("a function on aws needs a deployment")?;
                if differs("code_sha256") || differs("architecture") {
                    aws.lambda
                        .update_function_code()
                        .function_name(name)
                        .zip_file(self.zip(*handler)?.into())
                        .architectures(aws_sdk_lambda::types::Architecture::from(d.architecture.as_str()))
                        .send()
                        .await?;
                    aws.lambda.wait_until_function_updated_v2().function_name(name).wait(FUNCTION_STATE).await?;
                }
                if fields.iter().any(|f| ["timeout_ms", "memory_mb", "environment", "runtime", "role"].contains(&f.as_str())) {
                    self.retry_role(&d.role, || async {
                        aws.lambda
                            .update_function_configuration()
                            .function_name(name)
                            .runtime(aws_sdk_lambda::types::Runtime::from(d.runtime.as_str()))
                            .role(env.role_arn(&d.role))
                            .timeout((*timeout_ms / 1000) as i32)
                            .memory_size(*memory_mb as i32)
                            .environment(lambda_environment(environment))
                            .send()
                            .await
                    })
                    .await?;
                    aws.lambda.wait_until_function_updated_v2().function_name(name).wait(FUNCTION_STATE).await?;
                }
            }
            Resource::EventSourceMapping {
                function,
                batch_size,
                batching_window_ms,
                max_concurrency,
                report_batch_item_failures,
                enabled,
                ..
            } => {
                if differs("queue") || differs("function") {
                    bail!("it maps another queue or function; delete it to recreate it");
                }
                aws.lambda
                    .update_event_source_mapping()
                    .uuid(&have.handle)
                    .function_name(function)
                    .batch_size(*batch_size as i32)
                    .maximum_batching_window_in_seconds((*batching_window_ms / 1000) as i32)
                    .scaling_config(scaling(*max_concurrency))
                    .set_function_response_types(Some(response_types(*report_batch_item_failures)))
                    .enabled(*enabled)
                    .send()
                    .await?;
            }
            Resource::Pipe { name, target_queue, filter, input_template, role, .. } => {
                use aws_sdk_pipes::types::*;
                if differs("source_table") {
                    // A pipe's source cannot change, and a pipe holds nothing but its
                    // place in the stream: recreated on the table's current stream.
                    self.delete(have).await?;
                    return self.create(want).await;
                }
                let role = role.as_deref().context("a pipe on aws needs a role")?;
                self.retry_role(role, || async {
                    aws.pipes
                        .update_pipe()
                        .name(name)
                        .role_arn(env.role_arn(role))
                        .source_parameters(UpdatePipeSourceParameters::builder().filter_criteria(filter_criteria(filter)).build())
                        .target(env.queue_arn(target_queue))
                        .target_parameters(target_parameters(input_template))
                        .desired_state(RequestedPipeState::Running)
                        .send()
                        .await
                        .map_err(anyhow::Error::from)
                })
                .await?;
            }
            Resource::Alarm { .. } => self.put_alarm(want, false).await?,
            Resource::LogGroup { name, retention_days } => {
                aws.logs.put_retention_policy().log_group_name(name).retention_in_days(*retention_days as i32).send().await?;
            }
            Resource::HttpApi { cors_origins, .. } => {
                if differs("cors_origins") {
                    aws.apigateway.update_api().api_id(&have.handle).cors_configuration(cors(cors_origins)).send().await?;
                }
                self.complete_api(want, &have.handle).await?;
            }
            Resource::Topic { .. } | Resource::Subscription { .. } => bail!("cannot update a {} in place", want.kind()),
        }
        Ok(())
    }

    /// Creates what an HTTP API lacks of its integration, route, stage and permission.
    async fn complete_api(&self, r: &Resource, api_id: &str) -> Result<()> {
        let Resource::HttpApi { route, function, stage, .. } = r else { bail!("not an HTTP API") };
        let aws = self.aws;
        let env = &aws.env;
        let parts = observe::api_parts(aws, api_id).await?;
        let integration = match parts.integration {
            Some((id, uri)) if uri == env.function_arn(function) => id,
            _ => aws
                .apigateway
                .create_integration()
                .api_id(api_id)
                .integration_type(aws_sdk_apigatewayv2::types::IntegrationType::AwsProxy)
                .integration_uri(env.function_arn(function))
                .payload_format_version("2.0")
                .send()
                .await?
                .integration_id()
                .unwrap_or_default()
                .to_string(),
        };
        let target = format!("integrations/{integration}");
        match parts.route {
            Some((_, key)) if key == *route => {}
            Some((id, _)) => {
                aws.apigateway.update_route().api_id(api_id).route_id(id).route_key(route).target(&target).send().await?;
            }
            None => {
                aws.apigateway.create_route().api_id(api_id).route_key(route).target(&target).send().await?;
            }
        }
        if !parts.stage {
            aws.apigateway.create_stage().api_id(api_id).stage_name(stage).auto_deploy(true).set_tags(Some(self.tag_map())).send().await?;
        }
        let granted = observe::api_permission(aws, function).await?;
        if granted.as_ref().is_some_and(|source| !source.contains(&format!(":{api_id}/"))) {
            // Granted to an API that is gone (or another one): replace it.
            aws.lambda.remove_permission().function_name(function).statement_id(API_PERMISSION).send().await?;
        }
        if !granted.is_some_and(|source| source.contains(&format!(":{api_id}/"))) {
            let (method, path) = route.split_once(' ').unwrap_or(("*", route));
            aws.lambda
                .add_permission()
                .function_name(function)
                .statement_id(API_PERMISSION)
                .action("lambda:InvokeFunction")
                .principal("apigateway.amazonaws.com")
                .source_arn(format!("arn:{}:execute-api:{}:{}:{api_id}/*/{method}{path}", env.partition, env.region, env.account))
                .send()
                .await?;
        }
        Ok(())
    }

    async fn put_alarm(&self, r: &Resource, create: bool) -> Result<()> {
        let Resource::Alarm {
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
        } = r
        else {
            bail!("not an alarm")
        };
        use aws_sdk_cloudwatch::types::*;
        let topic = self.aws.env.topic_arn(actions_topic);
        let mut call = self
            .aws
            .cloudwatch
            .put_metric_alarm()
            .alarm_name(name)
            .alarm_description(format!("orderctl stack `{}`: messages are waiting in the dead-letter queue `{queue}`", self.stack))
            .namespace("AWS/SQS")
            .metric_name(metric)
            .dimensions(Dimension::builder().name("QueueName").value(queue).build())
            .statistic(Statistic::from(statistic.as_str()))
            .period((*period_ms / 1000) as i32)
            .evaluation_periods(*evaluation_periods as i32)
            .threshold(*threshold)
            .comparison_operator(ComparisonOperator::from(comparison.as_str()))
            .treat_missing_data(treat_missing_data)
            .alarm_actions(&topic)
            .ok_actions(&topic);
        if create {
            call = call.tags(Tag::builder().key(STACK_TAG).value(self.stack).build());
        }
        call.send().await?;
        Ok(())
    }

    /// Deletes one resource; what is already gone counts as deleted.
    async fn delete(&self, o: &Observed) -> Result<()> {
        let aws = self.aws;
        match &o.resource {
            Resource::Table { name, .. } => match aws.dynamodb.delete_table().table_name(name).send().await {
                Ok(_) => aws.dynamodb.wait_until_table_not_exists().table_name(name).wait(FUNCTION_STATE).await.map(|_| ())?,
                Err(e) if e.as_service_error().is_some_and(|e| e.is_resource_not_found_exception()) => {}
                Err(e) => return Err(e.into()),
            },
            Resource::Topic { .. } => {
                aws.sns.delete_topic().topic_arn(&o.handle).send().await?;
            }
            Resource::Queue { .. } => match aws.sqs.delete_queue().queue_url(&o.handle).send().await {
                Ok(_) => {}
                Err(e) if e.as_service_error().is_some_and(|e| e.is_queue_does_not_exist()) => {}
                Err(e) => return Err(e.into()),
            },
            Resource::Subscription { .. } => {
                // A pending e-mail subscription has no ARN yet; it goes with its topic.
                if o.handle.starts_with("arn:") {
                    match aws.sns.unsubscribe().subscription_arn(&o.handle).send().await {
                        Ok(_) => {}
                        Err(e) if e.as_service_error().is_some_and(|e| e.is_not_found_exception()) => {}
                        Err(e) => return Err(e.into()),
                    }
                }
            }
            Resource::Role { name, .. } => {
                match aws.iam.delete_role_policy().role_name(name).policy_name(POLICY_NAME).send().await {
                    Ok(_) => {}
                    Err(e) if e.as_service_error().is_some_and(|e| e.is_no_such_entity_exception()) => {}
                    Err(e) => return Err(e.into()),
                }
                match aws.iam.delete_role().role_name(name).send().await {
                    Ok(_) => {}
                    Err(e) if e.as_service_error().is_some_and(|e| e.is_no_such_entity_exception()) => {}
                    Err(e) => return Err(e.into()),
                }
            }
            Resource::Function { name, .. } => match aws.lambda.delete_function().function_name(name).send().await {
                Ok(_) => {}
                Err(e) if e.as_service_error().is_some_and(|e| e.is_resource_not_found_exception()) => {}
                Err(e) => return Err(e.into()),
            },
            Resource::EventSourceMapping { .. } => match aws.lambda.delete_event_source_mapping().uuid(&o.handle).send().await {
                Ok(_) => {}
                Err(e) if e.as_service_error().is_some_and(|e| e.is_resource_not_found_exception()) => {}
                Err(e) => return Err(e.into()),
            },
            Resource::Pipe { name, .. } => match aws.pipes.delete_pipe().name(name).send().await {
                Ok(_) => observe::wait_pipe_gone(aws, name).await?,
                Err(e) if e.as_service_error().is_some_and(|e| e.is_not_found_exception()) => {}
                Err(e) => return Err(e.into()),
            },
            Resource::Alarm { name, .. } => {
                aws.cloudwatch.delete_alarms().alarm_names(name).send().await?;
            }
            Resource::LogGroup { name, .. } => match aws.logs.delete_log_group().log_group_name(name).send().await {
                Ok(_) => {}
                Err(e) if e.as_service_error().is_some_and(|e| e.is_resource_not_found_exception()) => {}
                Err(e) => return Err(e.into()),
            },
            Resource::HttpApi { function, .. } => {
                match aws.apigateway.delete_api().api_id(&o.handle).send().await {
                    Ok(_) => {}
                    Err(e) if e.as_service_error().is_some_and(|e| e.is_not_found_exception()) => {}
                    Err(e) => return Err(e.into()),
                }
                if !function.is_empty() && observe::api_permission(aws, function).await?.is_some() {
                    aws.lambda.remove_permission().function_name(function).statement_id(API_PERMISSION).send().await?;
                }
            }
        }
        Ok(())
    }

    /// Puts the stack's tag on a resource the user asked to adopt.
    async fn tag(&self, o: &Observed) -> Result<()> {
        let aws = self.aws;
        let (k, v) = (STACK_TAG, self.stack);
        match &o.resource {
            Resource::Table { name, .. } => {
                let arn = aws.env.table_arn(name);
                aws.dynamodb
                    .tag_resource()
                    .resource_arn(arn)
                    .tags(aws_sdk_dynamodb::types::Tag::builder().key(k).value(v).build()?)
                    .send()
                    .await?;
            }
            Resource::Topic { .. } => {
                aws.sns
                    .tag_resource()
                    .resource_arn(&o.handle)
                    .tags(aws_sdk_sns::types::Tag::builder().key(k).value(v).build()?)
                    .send()
                    .await?;
            }
            Resource::Queue { .. } => {
                aws.sqs.tag_queue().queue_url(&o.handle).tags(k, v).send().await?;
            }
            Resource::Role { name, .. } => {
                aws.iam.tag_role().role_name(name).tags(aws_sdk_iam::types::Tag::builder().key(k).value(v).build()?).send().await?;
            }
            Resource::Function { .. } | Resource::EventSourceMapping { .. } => {
                let arn = match &o.resource {
                    Resource::EventSourceMapping { .. } => {
                        format!("arn:{}:lambda:{}:{}:event-source-mapping:{}", aws.env.partition, aws.env.region, aws.env.account, o.handle)
                    }
                    _ => o.handle.clone(),
                };
                aws.lambda.tag_resource().resource(arn).tags(k, v).send().await?;
            }
            Resource::Pipe { .. } => {
                aws.pipes.tag_resource().resource_arn(&o.handle).tags(k, v).send().await?;
            }
            Resource::Alarm { .. } => {
                aws.cloudwatch
                    .tag_resource()
                    .resource_arn(&o.handle)
                    .tags(aws_sdk_cloudwatch::types::Tag::builder().key(k).value(v).build())
                    .send()
                    .await?;
            }
            Resource::LogGroup { .. } => {
                aws.logs.tag_resource().resource_arn(&o.handle).tags(k, v).send().await?;
            }
            Resource::HttpApi { .. } => {
                let arn = format!("arn:{}:apigateway:{}::/apis/{}", aws.env.partition, aws.env.region, o.handle);
                aws.apigateway.tag_resource().resource_arn(arn).tags(k, v).send().await?;
            }
            Resource::Subscription { .. } => {} // no tags: owned with its topic
        }
        Ok(())
    }

    fn zip(&self, handler: Handler) -> Result<Vec<u8>> {
        let path = self.packages.get(&handler).with_context(|| format!("no package for `{handler}`"))?;
        std::fs::read(path).with_context(|| format!("reading `{}`", path.display()))
    }

    async fn stream_arn(&self, table: &str) -> Result<String> {
        observe::current_stream(self.aws, table)
            .await?
            .with_context(|| format!("table `{table}` has no stream: the pipe reads the table's stream"))
    }

    /// Runs `call`, retrying while a role created or changed in this run may not be
    /// assumable yet (IAM is eventually consistent; Lambda and Pipes answer with a
    /// parameter error until it is).
    async fn retry_role<T, E, F, Fut>(&self, role: &str, call: F) -> Result<T>
    where
        F: Fn() -> Fut,
        Fut: std::future::Future<Output = Result<T, E>>,
        E: Into<anyhow::Error> + RoleNotReady,
    {
        let fresh = self.fresh_roles.lock().unwrap_or_else(|e| e.into_inner()).contains(role);
        let deadline = Instant::now() + ROLE_PROPAGATION;
        let mut delay = Duration::from_secs(1);
        loop {
            match call().await {
                Ok(v) => return Ok(v),
                Err(e) if fresh && e.role_not_ready() && Instant::now() < deadline => {
                    if self.verbose {
                        eprintln!("  role `{role}` is new and not assumable yet; retrying in {}s", delay.as_secs());
                    }
                    tokio::time::sleep(delay).await;
                    delay = (delay * 2).min(Duration::from_secs(10));
                }
                Err(e) => return Err(e.into()),
            }
        }
    }
}

/// The typed error a service answers while a new role is not assumable yet.
pub trait RoleNotReady {
    fn role_not_ready(&self) -> bool;
}

impl<R> RoleNotReady for aws_sdk_lambda::error::SdkError<aws_sdk_lambda::operation::create_function::CreateFunctionError, R> {
    fn role_not_ready(&self) -> bool {
        self.as_service_error().is_some_and(|e| e.is_invalid_parameter_value_exception())
    }
}

impl<R> RoleNotReady
    for aws_sdk_lambda::error::SdkError<aws_sdk_lambda::operation::update_function_configuration::UpdateFunctionConfigurationError, R>
{
    fn role_not_ready(&self) -> bool {
        self.as_service_error().is_some_and(|e| e.is_invalid_parameter_value_exception())
    }
}

impl RoleNotReady for anyhow::Error {
    /// Pipes answers a not-yet-assumable role with a validation error.
    fn role_not_ready(&self) -> bool {
        use aws_sdk_pipes::operation::{create_pipe::CreatePipeError, update_pipe::UpdatePipeError};
        type E<O> = aws_sdk_pipes::error::SdkError<O, aws_smithy_runtime_api::http::Response>;
        self.downcast_ref::<E<CreatePipeError>>().and_then(|e| e.as_service_error()).is_some_and(|e| e.is_validation_exception())
            || self.downcast_ref::<E<UpdatePipeError>>().and_then(|e| e.as_service_error()).is_some_and(|e| e.is_validation_exception())
    }
}

fn verb(a: &Action) -> &'static str {
    match a {
        Action::Create => "creating",
        Action::Update(_) => "updating",
        Action::Unchanged => "adopting",
        Action::Delete => "deleting",
    }
}

fn cors(origins: &[String]) -> aws_sdk_apigatewayv2::types::Cors {
    aws_sdk_apigatewayv2::types::Cors::builder()
        .set_allow_origins(Some(origins.to_vec()))
        .allow_methods("POST")
        .allow_methods("OPTIONS")
        .allow_headers("content-type")
        .max_age(300)
        .build()
}

fn scaling(max_concurrency: u32) -> aws_sdk_lambda::types::ScalingConfig {
    aws_sdk_lambda::types::ScalingConfig::builder().maximum_concurrency(max_concurrency as i32).build()
}

fn response_types(report_batch_item_failures: bool) -> Vec<aws_sdk_lambda::types::FunctionResponseType> {
    report_batch_item_failures.then_some(aws_sdk_lambda::types::FunctionResponseType::ReportBatchItemFailures).into_iter().collect()
}

fn filter_criteria(filter: &serde_json::Value) -> aws_sdk_pipes::types::FilterCriteria {
    use aws_sdk_pipes::types::{Filter, FilterCriteria};
    FilterCriteria::builder().filters(Filter::builder().pattern(filter.to_string()).build()).build()
}

fn target_parameters(input_template: &str) -> aws_sdk_pipes::types::PipeTargetParameters {
    aws_sdk_pipes::types::PipeTargetParameters::builder().input_template(input_template).build()
}

fn lambda_environment(vars: &[(String, String)]) -> aws_sdk_lambda::types::Environment {
    aws_sdk_lambda::types::Environment::builder().set_variables(Some(vars.iter().cloned().collect())).build()
}

fn queue_attributes(env: &super::Env, r: &Resource) -> HashMap<Q, String> {
    let mut a = HashMap::new();
    if let Resource::Queue { visibility_timeout_ms, retention_ms, delay_ms, redrive, policy, sse, .. } = r {
        a.insert(Q::VisibilityTimeout, (visibility_timeout_ms / 1000).to_string());
        a.insert(Q::MessageRetentionPeriod, (retention_ms / 1000).to_string());
        a.insert(Q::DelaySeconds, (delay_ms / 1000).to_string());
        if let Some(r) = redrive {
            let policy =
                serde_json::json!({ "deadLetterTargetArn": env.queue_arn(&r.dead_letter_queue), "maxReceiveCount": r.max_receive_count });
            a.insert(Q::RedrivePolicy, policy.to_string());
        }
        if let Some(p) = policy {
            a.insert(Q::Policy, p.to_string());
        }
        if let Some(sse) = sse {
            a.insert(Q::SqsManagedSseEnabled, sse.to_string());
        }
    }
    a
}

/// Refuses to touch what the stack does not own: a resource with one of its names and
/// no `orderctl:stack=<stack>` tag. `adopt` takes untagged ones over; one tagged for
/// another stack is never taken.
pub fn check_ownership(stack: &str, desired: &[Resource], observed: &[Observed], adopt: bool) -> Result<()> {
    let mut foreign = Vec::new();
    for o in observed {
        if o.owned_by(stack) || !desired.iter().any(|r| r.id() == o.resource.id()) {
            continue;
        }
        match &o.owner {
            Some(other) => foreign.push(format!("{} `{}` belongs to stack `{other}`", o.resource.kind(), o.resource.name())),
            None if !adopt => {
                foreign.push(format!("{} `{}` exists without the tag {STACK_TAG}={stack}", o.resource.kind(), o.resource.name()))
            }
            None => {}
        }
    }
    if foreign.is_empty() {
        return Ok(());
    }
    Err(anyhow!(
        "refusing to touch resources this stack does not own:\n  {}\norderctl never changes or deletes what it did not create. Delete or rename them, \
         choose another `--stack`, or pass `--adopt` to take untagged ones over",
        foreign.join("\n  ")
    ))
}

/// Everything of the stack's that exists and that it owns, dependencies first.
pub fn owned(stack: &str, observed: &[Observed]) -> Vec<Observed> {
    observed.iter().filter(|o| o.owned_by(stack)).cloned().collect()
}

/// The resources `down` leaves because the stack does not own them.
pub fn not_owned(stack: &str, observed: &[Observed]) -> Vec<String> {
    observed.iter().filter(|o| !o.owned_by(stack)).map(|o| format!("{} `{}`", o.resource.kind(), o.resource.name())).collect()
}

pub use desired::resources as desired_resources;

/// The table's key attributes and its indexes', declared once each (all strings).
fn key_attributes(partition_key: &str, indexes: &[TableIndex]) -> Result<Vec<aws_sdk_dynamodb::types::AttributeDefinition>> {
    use aws_sdk_dynamodb::types::{AttributeDefinition, ScalarAttributeType};
    let mut names = vec![partition_key];
    for i in indexes {
        for key in [i.partition_key.as_str(), i.sort_key.as_str()] {
            if !names.contains(&key) {
                names.push(key);
            }
        }
    }
    names
        .into_iter()
        .map(|n| Ok(AttributeDefinition::builder().attribute_name(n).attribute_type(ScalarAttributeType::S).build()?))
        .collect()
}

fn global_index(i: &TableIndex) -> Result<aws_sdk_dynamodb::types::GlobalSecondaryIndex> {
    use aws_sdk_dynamodb::types::{GlobalSecondaryIndex, KeySchemaElement, KeyType, Projection, ProjectionType};
    Ok(GlobalSecondaryIndex::builder()
        .index_name(&i.name)
        .key_schema(KeySchemaElement::builder().attribute_name(&i.partition_key).key_type(KeyType::Hash).build()?)
        .key_schema(KeySchemaElement::builder().attribute_name(&i.sort_key).key_type(KeyType::Range).build()?)
        .projection(
            Projection::builder().projection_type(ProjectionType::Include).set_non_key_attributes(Some(i.projected.clone())).build(),
        )
        .build()?)
}
