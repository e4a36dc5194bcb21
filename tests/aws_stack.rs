//! `up`, `down` and `status` on the `aws` target against moto: what `up` creates is
//! read back independently through the SDK; a second `up` sends no mutating call;
//! `down` leaves nothing; what the stack does not own survives both; and runs killed
//! after any number of mutating calls converge when re-run.

use crate::common;
use common::block_on;

use common::ok_json;

use common::moto::{leftovers, packages, tiny_packages, Moto};
use serde_json::Value;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Runs `orderctl --target aws --stack <stack> <args>` against `moto`.
fn orderctl(moto: &Moto, stack: &str, args: &[&str], crash_after: Option<u64>) -> Output {
    let mut cmd = Command::new(common::bin());
    cmd.args(["--target", "aws", "--stack", stack]).args(args).env("AWS_ENDPOINT_URL", &moto.endpoint).env_remove("AWS_PROFILE");
    for (k, v) in moto.handler_env() {
        cmd.env(k, v);
    }
    match crash_after {
        Some(n) => cmd.env("ORDERCTL_AWS_CRASH_AFTER", n.to_string()),
        None => cmd.env_remove("ORDERCTL_AWS_CRASH_AFTER"),
    };
    cmd.output().expect("orderctl runs")
}

fn package_dir() -> PathBuf {
    packages()["order-worker"].parent().unwrap().to_path_buf()
}

fn up_args(packages: &Path) -> Vec<String> {
    ["up", "--yes", "-o", "json", "--zips"].iter().map(|s| s.to_string()).chain([packages.display().to_string()]).collect()
}

fn run(moto: &Moto, stack: &str, args: &[String], crash_after: Option<u64>) -> Output {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    orderctl(moto, stack, &args, crash_after)
}

fn tagged(tags: &HashMap<String, String>, stack: &str) -> bool {
    tags.get("orderctl:stack").map(String::as_str) == Some(stack)
}

#[test]
fn up_creates_the_reference_pipeline_a_second_up_changes_nothing_and_down_removes_it() {
    let moto = Moto::start();
    let sdk = block_on(moto.sdk());
    let dir = package_dir();
    let fresh = ok_json(&run(&moto, "st", &up_args(&dir), None), "fresh up");
    assert_eq!(fresh["applied"], true);
    let changes = fresh["changes"].as_array().unwrap();
    assert!(changes.iter().all(|c| c["action"] == "create"), "{changes:?}");
    assert_eq!(changes.len(), 22, "19 resources and a log group per function");
    eprintln!(
        "fresh up: {} API calls ({} mutating) in {:.2}s",
        fresh["apiCalls"]["total"],
        fresh["apiCalls"]["mutating"],
        fresh["seconds"].as_f64().unwrap()
    );

    block_on(async {
        let account = "123456789012";
        let topic_arn = format!("arn:aws:sns:us-east-1:{account}:st-orders");
        let alerts_arn = format!("arn:aws:sns:us-east-1:{account}:st-alerts");
        // Queues: redrive, visibility, retention, SSE, the policy, tags.
        use aws_sdk_sqs::types::QueueAttributeName as Q;
        let sqs = aws_sdk_sqs::Client::new(&sdk);
        let mut queue = HashMap::new();
        for name in ["st-orders", "st-orders-dlq", "st-high-value"] {
            let url = sqs.get_queue_url().queue_name(name).send().await.unwrap().queue_url().unwrap().to_string();
            let attrs = sqs.get_queue_attributes().queue_url(&url).attribute_names(Q::All).send().await.unwrap();
            let attrs = attrs.attributes().unwrap().clone();
            assert_eq!(attrs[&Q::SqsManagedSseEnabled], "true", "{name}: SSE");
            assert_eq!(attrs[&Q::VisibilityTimeout], "180", "{name}: 6 × the 30 s function timeout");
            let tags = sqs.list_queue_tags().queue_url(&url).send().await.unwrap();
            assert!(tagged(tags.tags().unwrap(), "st"), "{name}: tags {tags:?}");
            queue.insert(name, attrs);
        }
        let redrive: Value = serde_json::from_str(&queue["st-orders"][&Q::RedrivePolicy]).unwrap();
        assert_eq!(redrive["deadLetterTargetArn"], format!("arn:aws:sqs:us-east-1:{account}:st-orders-dlq"));
        assert_eq!(redrive["maxReceiveCount"].to_string().trim_matches('"'), "3");
        assert_eq!(queue["st-orders-dlq"][&Q::MessageRetentionPeriod], "1209600", "14 days");
        let policy: Value = serde_json::from_str(&queue["st-orders"][&Q::Policy]).unwrap();
        let statement = &policy["Statement"][0];
        assert_eq!(statement["Condition"]["ArnEquals"]["aws:SourceArn"], topic_arn.as_str());
        assert_eq!(statement["Action"], "sqs:SendMessage");
        assert_eq!(statement["Principal"]["Service"], "sns.amazonaws.com");

        // The subscription delivers raw to the orders queue; the topics are tagged.
        let sns = aws_sdk_sns::Client::new(&sdk);
        let subs = sns.list_subscriptions_by_topic().topic_arn(&topic_arn).send().await.unwrap();
        let sub = subs.subscriptions().iter().find(|s| s.protocol() == Some("sqs")).expect("an sqs subscription");
        assert_eq!(sub.endpoint(), Some(format!("arn:aws:sqs:us-east-1:{account}:st-orders").as_str()));
        let attrs = sns.get_subscription_attributes().subscription_arn(sub.subscription_arn().unwrap()).send().await.unwrap();
        assert_eq!(attrs.attributes().unwrap()["RawMessageDelivery"], "true");
        for arn in [&topic_arn, &alerts_arn] {
            let tags = sns.list_tags_for_resource().resource_arn(arn).send().await.unwrap();
            assert!(tags.tags().iter().any(|t| t.key() == "orderctl:stack" && t.value() == "st"), "{arn}");
        }

        // The table: key, on-demand, stream with both images, tags.
        let ddb = aws_sdk_dynamodb::Client::new(&sdk);
        let table = ddb.describe_table().table_name("st-orders").send().await.unwrap();
        let table = table.table().unwrap();
        assert_eq!(table.key_schema()[0].attribute_name(), "orderId");
        let stream = table.stream_specification().unwrap();
        assert!(stream.stream_enabled());
        assert_eq!(stream.stream_view_type().unwrap().as_str(), "NEW_AND_OLD_IMAGES");
        assert_eq!(table.billing_mode_summary().and_then(|b| b.billing_mode()).map(|b| b.as_str()), Some("PAY_PER_REQUEST"));
        let tags = ddb.list_tags_of_resource().resource_arn(table.table_arn().unwrap()).send().await.unwrap();
        assert!(tags.tags().iter().any(|t| t.key() == "orderctl:stack" && t.value() == "st"));

        // Functions: runtime, role, the packaged code, tags; mappings: batch, partial
        // batch responses, concurrency, tags.
        let lambda = aws_sdk_lambda::Client::new(&sdk);
        for (handler, concurrency) in [("order-worker", Some(5)), ("high-value-worker", Some(3)), ("create-order", None)] {
            let f = lambda.get_function().function_name(format!("st-{handler}")).send().await.unwrap();
            let c = f.configuration().unwrap();
            assert_eq!(c.runtime().unwrap().as_str(), "provided.al2023");
            assert_eq!(c.role(), Some(format!("arn:aws:iam::{account}:role/st-{handler}-role").as_str()));
            assert_eq!(c.timeout(), Some(30));
            let zip = std::fs::read(dir.join(format!("{handler}-x86_64.zip"))).unwrap();
            assert_eq!(c.code_sha256(), Some(orderctl::package::code_sha256(&zip).as_str()), "{handler}: the packaged code");
            assert!(tagged(f.tags().unwrap(), "st"), "{handler}: tags");
            let mappings = lambda.list_event_source_mappings().function_name(format!("st-{handler}")).send().await.unwrap();
            match concurrency {
                None => assert!(mappings.event_source_mappings().is_empty()),
                Some(n) => {
                    let m = &mappings.event_source_mappings()[0];
                    assert_eq!(m.batch_size(), Some(10));
                    assert_eq!(m.function_response_types().iter().map(|t| t.as_str()).collect::<Vec<_>>(), ["ReportBatchItemFailures"]);
                    assert_eq!(m.scaling_config().and_then(|s| s.maximum_concurrency()), Some(n));
                    let tags = lambda.list_tags().resource(m.event_source_mapping_arn().unwrap()).send().await.unwrap();
                    assert!(tagged(tags.tags().unwrap(), "st"), "{handler}: mapping tags");
                }
            }
        }
        let env = lambda.get_function_configuration().function_name("st-create-order").send().await.unwrap();
        assert_eq!(env.environment().unwrap().variables().unwrap()["ORDERS_TOPIC_ARN"], topic_arn);

        // The pipe: from the table's stream to `high-value`, filtered on the tier string
        // (never on a number, which a stream record holds as a string), reshaped.
        let pipe = aws_sdk_pipes::Client::new(&sdk).describe_pipe().name("st-high-value").send().await.unwrap();
        assert!(pipe.source().unwrap().contains(":table/st-orders/stream/"), "{:?}", pipe.source());
        assert_eq!(pipe.target(), Some(format!("arn:aws:sqs:us-east-1:{account}:st-high-value").as_str()));
        let pattern = pipe.source_parameters().unwrap().filter_criteria().unwrap().filters()[0].pattern().unwrap();
        let pattern: Value = serde_json::from_str(pattern).unwrap();
        assert_eq!(pattern["dynamodb"]["NewImage"]["tier"]["S"][0], "high-value");
        assert!(!pattern.to_string().contains("numeric"), "no numeric filter on stream records: {pattern}");
        let template = pipe.target_parameters().unwrap().input_template().unwrap();
        assert!(template.contains("<$.dynamodb.NewImage.orderId.S>"), "{template}");
        assert_eq!(pipe.role_arn(), Some(format!("arn:aws:iam::{account}:role/st-high-value-pipe-role").as_str()));
        assert!(tagged(pipe.tags().unwrap(), "st"));

        // The alarm: DLQ depth, Maximum over 60 s, one datapoint ≥ 1, missing data not
        // breaching, alarm and OK actions to `alerts`.
        let cw = aws_sdk_cloudwatch::Client::new(&sdk);
        let alarms = cw.describe_alarms().alarm_names("st-dlq-not-empty").send().await.unwrap();
        let a = &alarms.metric_alarms()[0];
        assert_eq!((a.namespace(), a.metric_name()), (Some("AWS/SQS"), Some("ApproximateNumberOfMessagesVisible")));
        assert_eq!(a.dimensions()[0].value(), Some("st-orders-dlq"));
        assert_eq!(a.statistic().unwrap().as_str(), "Maximum");
        assert_eq!((a.period(), a.evaluation_periods(), a.threshold()), (Some(60), Some(1), Some(1.0)));
        assert_eq!(a.comparison_operator().unwrap().as_str(), "GreaterThanOrEqualToThreshold");
        assert_eq!(a.treat_missing_data(), Some("notBreaching"));
        assert_eq!(a.alarm_actions(), std::slice::from_ref(&alerts_arn));
        assert_eq!(a.ok_actions(), std::slice::from_ref(&alerts_arn));
        let tags = cw.list_tags_for_resource().resource_arn(a.alarm_arn().unwrap()).send().await.unwrap();
        assert!(tags.tags().iter().any(|t| t.key() == Some("orderctl:stack") && t.value() == Some("st")));

        // Roles: one per function and one for the pipe, trust scoped to the account,
        // inline policies without wildcard actions, `*` only for ListStreams.
        let iam = aws_sdk_iam::Client::new(&sdk);
        for role in ["st-order-worker-role", "st-high-value-worker-role", "st-create-order-role", "st-high-value-pipe-role"] {
            let r = iam.get_role().role_name(role).send().await.unwrap();
            let r = r.role().unwrap();
            assert!(r.tags().iter().any(|t| t.key() == "orderctl:stack" && t.value() == "st"), "{role}: tags");
            let trust = orderctl::aws::observe::decode_policy(r.assume_role_policy_document().unwrap());
            assert_eq!(trust["Statement"][0]["Condition"]["StringEquals"]["aws:SourceAccount"], account, "{role}");
            let attached = iam.list_attached_role_policies().role_name(role).send().await.unwrap();
            assert!(attached.attached_policies().is_empty(), "{role}: no managed policies such as *FullAccess");
            let doc = iam.get_role_policy().role_name(role).policy_name("orderctl").send().await.unwrap();
            let doc = orderctl::aws::observe::decode_policy(doc.policy_document());
            for s in doc["Statement"].as_array().unwrap() {
                let actions: Vec<&str> = s["Action"].as_array().unwrap().iter().map(|a| a.as_str().unwrap()).collect();
                assert!(actions.iter().all(|a| !a.contains('*')), "{role}: {actions:?}");
                for resource in s["Resource"].as_array().unwrap() {
                    assert!(resource != "*" || actions == ["dynamodb:ListStreams"], "{role}: `*` resource for {actions:?}");
                }
            }
        }

        // The HTTP API: POST /orders to create-order, stage prod, CORS, tags.
        let api = aws_sdk_apigatewayv2::Client::new(&sdk);
        let apis = api.get_apis().send().await.unwrap();
        let a = apis.items().iter().find(|a| a.name() == Some("st-orders-api")).expect("the HTTP API");
        assert!(tagged(a.tags().unwrap(), "st"));
        assert_eq!(a.cors_configuration().unwrap().allow_methods(), ["POST", "OPTIONS"]);
        let routes = api.get_routes().api_id(a.api_id().unwrap()).send().await.unwrap();
        assert_eq!(routes.items()[0].route_key(), Some("POST /orders"));
        let stages = api.get_stages().api_id(a.api_id().unwrap()).send().await.unwrap();
        assert_eq!(stages.items()[0].stage_name(), Some("prod"));
    });

    let again = ok_json(&run(&moto, "st", &up_args(&dir), None), "second up");
    assert_eq!(again["applied"], false);
    assert_eq!(again["apiCalls"]["mutating"], 0, "a second up sends no mutating call: {}", again["apiCalls"]);
    assert!(again["changes"].as_array().unwrap().iter().all(|c| c["action"] == "unchanged"));
    eprintln!("no-op up: {} API calls (0 mutating) in {:.2}s", again["apiCalls"]["total"], again["seconds"].as_f64().unwrap());

    let status = ok_json(&orderctl(&moto, "st", &["status", "-o", "json"], None), "status");
    assert!(status["resources"].as_array().unwrap().iter().all(|r| r["state"] == "present"), "{}", status["resources"]);
    assert_eq!(status["dlqDepth"], 0);
    assert_eq!(status["alarm"]["name"], "st-dlq-not-empty");

    let down = ok_json(&orderctl(&moto, "st", &["down", "--yes", "-o", "json"], None), "down");
    assert_eq!(down["deleted"], true);
    eprintln!(
        "down: {} API calls ({} mutating) in {:.2}s",
        down["apiCalls"]["total"],
        down["apiCalls"]["mutating"],
        down["seconds"].as_f64().unwrap()
    );
    assert_eq!(block_on(leftovers(&sdk, "st")), Vec::<String>::new());
    let again = ok_json(&orderctl(&moto, "st", &["down", "--yes", "-o", "json"], None), "second down");
    assert_eq!((again["deleted"].clone(), again["apiCalls"]["mutating"].clone()), (Value::Bool(false), Value::from(0)));
}

/// The stack's log groups on the endpoint: name → (retention in days, owned by `stack`).
fn log_groups(sdk: &aws_config::SdkConfig, stack: &str) -> HashMap<String, (Option<i32>, bool)> {
    block_on(async {
        let logs = aws_sdk_cloudwatchlogs::Client::new(sdk);
        let groups = logs.describe_log_groups().log_group_name_prefix(format!("/aws/lambda/{stack}-")).send().await.unwrap();
        let mut out = HashMap::new();
        for g in groups.log_groups() {
            let arn = g.arn().unwrap().trim_end_matches(":*").to_string();
            let tags = logs.list_tags_for_resource().resource_arn(&arn).send().await.unwrap();
            let owned = tags.tags().is_some_and(|t| tagged(t, stack));
            out.insert(g.log_group_name().unwrap().to_string(), (g.retention_in_days(), owned));
        }
        out
    })
}

#[test]
fn the_functions_log_groups_are_the_stacks_made_by_up_kept_as_set_and_deleted_by_down() {
    let moto = Moto::start();
    let sdk = block_on(moto.sdk());
    let packages = tiny_packages();
    let up = ok_json(&run(&moto, "lg", &up_args(packages.path()), None), "up");
    let made: Vec<&Value> = up["changes"].as_array().unwrap().iter().filter(|c| c["kind"] == "log-group").collect();
    assert_eq!(made.len(), 3, "{made:?}");
    let groups = log_groups(&sdk, "lg");
    for f in ["order-worker", "high-value-worker", "create-order"] {
        assert_eq!(groups.get(&format!("/aws/lambda/lg-{f}")), Some(&(Some(14), true)), "{f}: 14 days, tagged: {groups:?}");
    }

    // A retention is a setting: `up` changes it in place, and `status` checks it.
    let mut longer = up_args(packages.path());
    longer.extend(["--log-retention".into(), "30".into()]);
    let asked = run(&moto, "lg", &["status".into(), "-o".into(), "json".into(), "--log-retention".into(), "30".into()], None);
    assert_eq!(asked.status.code(), Some(1), "drift is a negative outcome");
    let status = common::json(&asked);
    let drifted: Vec<&Value> = status["resources"].as_array().unwrap().iter().filter(|r| r["kind"] == "log-group").collect();
    assert_eq!(drifted.len(), 3, "{status}");
    assert!(drifted.iter().all(|r| r["state"] == "drifted" && r["differs"] == serde_json::json!(["retention_days"])), "{drifted:?}");
    let changed = ok_json(&run(&moto, "lg", &longer, None), "up --log-retention 30");
    let updates: Vec<&Value> = changed["changes"].as_array().unwrap().iter().filter(|c| c["action"] == "update").collect();
    assert_eq!(updates.len(), 3, "only the log groups change: {changed}");
    assert!(log_groups(&sdk, "lg").values().all(|g| *g == (Some(30), true)));
    let refused = run(&moto, "lg", &["up".into(), "--log-retention".into(), "10".into()], None);
    assert_eq!(refused.status.code(), Some(2), "10 days is no CloudWatch Logs retention");
    assert!(common::text(&refused).1.contains("log-retention"), "{}", common::text(&refused).1);

    // A group of the stack's name without its tag (as Lambda makes one when the stack's
    // is missing; moto keeps a deleted group's tags for its successor, so untag it).
    block_on(async {
        let logs = aws_sdk_cloudwatchlogs::Client::new(&sdk);
        let arn = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/lg-create-order";
        logs.untag_resource().resource_arn(arn).tag_keys("orderctl:stack").send().await.unwrap();
    });
    assert_eq!(log_groups(&sdk, "lg")["/aws/lambda/lg-create-order"], (Some(30), false), "untagged");
    let down = ok_json(&run(&moto, "lg", &["down".into(), "--yes".into(), "-o".into(), "json".into()], None), "down");
    assert_eq!(down["leftAlone"], serde_json::json!(["log-group `/aws/lambda/lg-create-order`"]), "{down}");
    let left = log_groups(&sdk, "lg");
    assert_eq!(left.keys().collect::<Vec<_>>(), vec!["/aws/lambda/lg-create-order"], "the stack's groups are gone, the other stays");
    assert_eq!(block_on(leftovers(&sdk, "lg")), vec!["log group Some(\"/aws/lambda/lg-create-order\")".to_string()]);
}

#[test]
fn a_pipe_left_on_an_old_stream_is_recreated_on_the_tables_current_one() {
    use aws_sdk_dynamodb::types::StreamSpecification;
    let moto = Moto::start();
    let sdk = block_on(moto.sdk());
    let packages = tiny_packages();
    ok_json(&run(&moto, "ps", &up_args(packages.path()), None), "up");
    let ddb = aws_sdk_dynamodb::Client::new(&sdk);
    let pipes = aws_sdk_pipes::Client::new(&sdk);
    let stream =
        || block_on(ddb.describe_table().table_name("ps-orders").send()).unwrap().table().unwrap().latest_stream_arn().unwrap().to_string();
    let pipe = || block_on(pipes.describe_pipe().name("ps-high-value").send()).unwrap();
    let current = stream();
    assert_eq!(pipe().source(), Some(current.as_str()));
    let drift = |what: &str| {
        // `status` exits 1 on drift.
        let out = orderctl(&moto, "ps", &["status", "-o", "json"], None);
        assert_eq!(out.status.code(), Some(1), "status with {what} or the pipe drifted");
        let status = common::json(&out);
        let of = |kind: &str| status["resources"].as_array().unwrap().iter().find(|r| r["kind"] == kind).unwrap().clone();
        (of("pipe"), of(what))
    };

    // The pipe on a stream the table had before its stream was turned off and on again
    // (which makes a new stream; moto cannot turn a stream on twice, so the pipe is
    // put back by hand on an older label of the same table's stream): it would never
    // see another order.
    let old = format!("{}/stream/2026-01-01T00:00:00.000", current.split("/stream/").next().unwrap());
    let p = pipe();
    block_on(pipes.delete_pipe().name("ps-high-value").send()).unwrap();
    block_on(
        pipes
            .create_pipe()
            .name("ps-high-value")
            .role_arn(p.role_arn().unwrap())
            .source(&old)
            .set_source_parameters(p.source_parameters().cloned())
            .target(p.target().unwrap())
            .set_target_parameters(p.target_parameters().cloned())
            .set_tags(Some(p.tags().unwrap().clone()))
            .send(),
    )
    .unwrap();
    let (status, _) = drift("table");
    assert_eq!(status["state"], "drifted", "{status}");
    assert_eq!(status["differs"], serde_json::json!(["source_table"]), "only its source differs: {status}");
    let up = ok_json(&run(&moto, "ps", &up_args(packages.path()), None), "up repairing the pipe");
    let change = up["changes"].as_array().unwrap().iter().find(|c| c["kind"] == "pipe").unwrap().clone();
    assert_eq!(change["action"], "update", "{change}");
    assert_eq!(pipe().source(), Some(current.as_str()), "the pipe reads the table's current stream");
    let again = ok_json(&run(&moto, "ps", &up_args(packages.path()), None), "up after the repair");
    assert_eq!(again["apiCalls"]["mutating"], 0, "converged: {}", again["changes"]);

    // The table's stream turned off: both the table and the pipe on it are drifted.
    block_on(
        ddb.update_table()
            .table_name("ps-orders")
            .stream_specification(StreamSpecification::builder().stream_enabled(false).build().unwrap())
            .send(),
    )
    .unwrap();
    let (pipe_status, table_status) = drift("table");
    assert_eq!(pipe_status["state"], "drifted", "{pipe_status}");
    assert_eq!(table_status["state"], "drifted", "{table_status}");
}

#[test]
fn what_the_stack_does_not_own_survives_up_and_down_unless_adopted() {
    let moto = Moto::start();
    let sdk = block_on(moto.sdk());
    let sqs = aws_sdk_sqs::Client::new(&sdk);
    // Decoys with the stack's names but not its tag, one per service.
    let decoy = block_on(sqs.create_queue().queue_name("dc-high-value").send()).unwrap().queue_url().unwrap().to_string();
    block_on(common::moto::create_table(&sdk, "dc-orders"));
    let sns = aws_sdk_sns::Client::new(&sdk);
    block_on(sns.create_topic().name("dc-alerts").send()).unwrap();
    let iam = aws_sdk_iam::Client::new(&sdk);
    let trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
    block_on(iam.create_role().role_name("dc-order-worker-role").assume_role_policy_document(trust).send()).unwrap();
    let decoys = ["queue `dc-high-value`", "table `dc-orders`", "topic `dc-alerts`", "role `dc-order-worker-role`"];
    let survive = |when: &str| {
        assert!(block_on(sqs.get_queue_url().queue_name("dc-high-value").send()).is_ok(), "the decoy queue survives {when}");
        let ddb = aws_sdk_dynamodb::Client::new(&sdk);
        assert!(block_on(ddb.describe_table().table_name("dc-orders").send()).is_ok(), "the decoy table survives {when}");
        let topics = block_on(sns.list_topics().send()).unwrap();
        assert!(topics.topics().iter().any(|t| t.topic_arn().unwrap().ends_with(":dc-alerts")), "the decoy topic survives {when}");
        let role = block_on(iam.get_role().role_name("dc-order-worker-role").send()).unwrap();
        let doc = orderctl::aws::observe::decode_policy(role.role().unwrap().assume_role_policy_document().unwrap());
        assert_eq!(doc["Statement"][0]["Principal"]["Service"], "ec2.amazonaws.com", "the decoy role is untouched after {when}");
    };
    let packages = tiny_packages();

    let up = run(&moto, "dc", &up_args(packages.path()), None);
    let (_, stderr) = common::text(&up);
    assert_eq!(up.status.code(), Some(2), "{stderr}");
    for d in decoys {
        assert!(stderr.contains(d), "up names {d}: {stderr}");
    }
    assert!(stderr.contains("--adopt"), "{stderr}");
    let left = block_on(leftovers(&sdk, "dc"));
    assert!(
        left.iter().all(|r| ["dc-high-value", "dc-orders", "dc-alerts", "dc-order-worker-role"].iter().any(|d| r.contains(d))),
        "up refused before creating anything: {left:?}"
    );
    survive("a refused up");

    let down = ok_json(&orderctl(&moto, "dc", &["down", "--yes", "-o", "json"], None), "down");
    let mut alone: Vec<&str> = down["leftAlone"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    alone.sort();
    let mut expected = decoys.to_vec();
    expected.sort();
    assert_eq!(alone, expected);
    survive("down");

    // Taken over explicitly, it becomes the stack's: tagged, configured, then deleted.
    let mut adopt = up_args(packages.path());
    adopt.push("--adopt".into());
    ok_json(&run(&moto, "dc", &adopt, None), "up --adopt");
    let tags = block_on(sqs.list_queue_tags().queue_url(&decoy).send()).unwrap();
    assert!(tagged(tags.tags().unwrap(), "dc"));
    ok_json(&orderctl(&moto, "dc", &["down", "--yes", "-o", "json"], None), "down after adopting");
    assert_eq!(block_on(leftovers(&sdk, "dc")), Vec::<String>::new());
}

/// Kills `up` (then `down`) just before its n-th mutating call, for every n, and checks
/// that a re-run converges: to the whole stack (a further `up` has nothing to do), or
/// to nothing.
#[test]
fn up_and_down_interrupted_after_every_mutating_call_converge() {
    let moto = Moto::start();
    let sdk = block_on(moto.sdk());
    let packages = tiny_packages();
    let args = up_args(packages.path());
    let full = ok_json(&run(&moto, "ir", &args, None), "up");
    let up_calls = full["apiCalls"]["mutating"].as_u64().unwrap();
    let down = ok_json(&orderctl(&moto, "ir", &["down", "--yes", "-o", "json"], None), "down");
    let down_calls = down["apiCalls"]["mutating"].as_u64().unwrap();
    assert!(up_calls >= 19 && down_calls >= 19, "{up_calls} / {down_calls}");

    for n in 0..up_calls {
        moto.reset();
        let crashed = run(&moto, "ir", &args, Some(n));
        assert_eq!(crashed.status.code(), Some(86), "up stops before mutating call {}: {}", n + 1, common::text(&crashed).1);
        ok_json(&run(&moto, "ir", &args, None), &format!("up after a crash before call {}", n + 1));
        let check = ok_json(&run(&moto, "ir", &args, None), "a further up");
        assert_eq!(check["apiCalls"]["mutating"], 0, "crash before call {}: the re-run did not converge: {}", n + 1, check["changes"]);
    }
    for n in 0..down_calls {
        moto.reset();
        ok_json(&run(&moto, "ir", &args, None), "up");
        let crashed = orderctl(&moto, "ir", &["down", "--yes", "-o", "json"], Some(n));
        assert_eq!(crashed.status.code(), Some(86), "down stops before mutating call {}: {}", n + 1, common::text(&crashed).1);
        ok_json(&orderctl(&moto, "ir", &["down", "--yes", "-o", "json"], None), &format!("down after a crash before call {}", n + 1));
        assert_eq!(block_on(leftovers(&sdk, "ir")), Vec::<String>::new(), "crash before call {}", n + 1);
    }
    eprintln!("interrupted {up_calls} ups and {down_calls} downs; every re-run converged");
}

/// The whole job against moto: `up`, load with `send` while `lambda mappings` runs the
/// real handlers behind emulated mappings and forwards the stream through the pipe,
/// `status`, `down`.
#[test]
fn up_send_status_down_end_to_end() {
    let moto = Moto::start();
    let sdk = block_on(moto.sdk());
    let dir = package_dir();
    let settings = ["--disable-mappings", "--function-timeout", "1s", "--visibility-timeout", "6s"];
    let mut up = up_args(&dir);
    up.extend(settings.iter().map(|s| s.to_string()));
    ok_json(&run(&moto, "ee", &up, None), "up");

    let mut mappings = Command::new(common::bin());
    mappings
        .args(["--target", "aws", "--stack", "ee", "lambda", "mappings", "--idle", "12s", "--timeout", "10s", "-o", "json", "--zips"])
        .arg(&dir)
        .env("AWS_ENDPOINT_URL", &moto.endpoint)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null());
    for (k, v) in moto.handler_env() {
        mappings.env(k, v);
    }
    let mappings = mappings.spawn().unwrap();
    let send = orderctl(
        &moto,
        "ee",
        &["send", "--mix", "normal=8,high-value=1,fail=1", "--count", "60", "--rate", "30", "--wait", "120s", "-o", "json"],
        None,
    );
    let report = ok_json(&send, "send");
    assert_eq!(common::schema_errors("send-report", &report), Vec::<String>::new(), "the aws report follows the committed schema");
    assert!(report["alerts"].is_null(), "on aws the alarm's notifications are CloudWatch's: {}", report["alerts"]);
    let total = &report["total"];
    assert_eq!(
        (total["sent"].as_u64(), total["completed"].as_u64(), total["failedByRule"].as_u64(), total["reviewed"].as_u64()),
        (Some(60), Some(48), Some(6), Some(6)),
        "{total}"
    );
    assert_eq!((total["deadLettered"].as_u64(), total["lost"].as_u64(), total["inFlight"].as_u64()), (Some(6), Some(0), Some(0)));
    assert_eq!(report["dlqDepth"], 6);
    // moto never evaluates alarms; the report still says which alarm and its state.
    assert_eq!(report["alarm"]["name"], "ee-dlq-not-empty", "{}", report["alarm"]);

    let stats = mappings.wait_with_output().unwrap();
    let stats: Value = serde_json::from_slice(&stats.stdout).unwrap();
    assert_eq!(stats["pipe"]["sent"], 6, "the pipe forwarded each high-value order once: {stats}");

    let mut status = vec!["status", "-o", "json"];
    status.extend(settings);
    let status = ok_json(&orderctl(&moto, "ee", &status, None), "status");
    assert_eq!(status["dlqDepth"], 6);
    assert_eq!((status["orders"]["completed"].as_u64(), status["orders"]["failed"].as_u64()), (Some(48), Some(6)));
    assert_eq!(status["orders"]["reviewed"], 6);
    assert_eq!(common::schema_errors("status", &status), Vec::<String>::new());
    let states: Vec<&str> = status["components"].as_array().unwrap().iter().map(|c| c["state"].as_str().unwrap()).collect();
    assert_eq!(states.len(), 3, "two mappings and the pipe: {states:?}");

    // A high-value order's trace on the stack `up` made: its writes from the table's
    // stream, the deployed pipe's filter matching the settling one, and the review.
    let high = ok_json(&orderctl(&moto, "ee", &["orders", "--kind", "high-value", "--limit", "1", "-o", "json"], None), "orders");
    let high = high["orders"][0]["orderId"].as_str().unwrap().to_string();
    let trace = ok_json(&orderctl(&moto, "ee", &["trace", &high, "-o", "json"], None), "trace of a high-value order");
    assert_eq!(common::schema_errors("trace", &trace), Vec::<String>::new());
    let details = |step: &str| -> Vec<String> {
        trace["steps"].as_array().unwrap().iter().filter(|s| s["step"] == step).map(|s| s["detail"].as_str().unwrap().to_string()).collect()
    };
    assert_eq!(details("written"), ["INSERT: – → FAILED, attempt 1", "MODIFY: FAILED → FAILED, attempt 1, reviewed"], "{trace}");
    let pipe = details("pipe");
    assert!(pipe[0].contains("matches") && pipe[1].contains("does not match"), "the filter on each write: {pipe:?}");
    assert_eq!(details("reviewed").len(), 1, "the high-value worker's line: {trace}");
    assert_eq!((trace["now"]["status"].as_str(), trace["now"]["place"].as_str()), (Some("FAILED"), Some("settled")));
    assert!(trace["notes"].as_array().unwrap().is_empty(), "every source was read: {}", trace["notes"]);

    ok_json(&orderctl(&moto, "ee", &["down", "--yes", "-o", "json"], None), "down");
    assert_eq!(block_on(leftovers(&sdk, "ee")), Vec::<String>::new());
}
