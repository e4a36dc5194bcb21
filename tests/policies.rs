//! The policies `up` writes, read back from the endpoint and evaluated by an
//! implementation of IAM's policy evaluation that is not orderctl's: cloud-copilot's
//! `iam-simulate` under Node.js (`tests/support/iam/`, installed by `tests/setup.sh`).
//! For each policy, the requests the pipeline makes must be allowed and their neighbours
//! (another topic, another queue, another account, another action) must not.
//!
//! No peer here enforces these policies: moto delivers SNS to SQS inside itself without
//! a check, and LocalStack 2026.3.0 delivered a publish from another topic to a queue whose
//! policy allows only the stack's. On AWS, SNS delivering to a subscribed queue is the
//! request `sqs:SendMessage` by the service principal `sns.amazonaws.com`, with
//! `aws:SourceArn` the publishing topic's ARN, and the queue's policy decides it
//! (<https://docs.aws.amazon.com/sns/latest/dg/subscribe-sqs-queue-to-sns-topic.html>;
//! the condition keys: <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-sourcearn>).
//! Lambda and Pipes assume a role as their service principal with `aws:SourceAccount`
//! (and Pipes `aws:SourceArn`) set, which the trust policies are evaluated against
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html>).

use crate::common;
use common::block_on;
use common::moto::{tiny_packages, Moto};
use serde_json::{json, Value};
use std::io::Write;
use std::process::{Command, Stdio};

const ACCOUNT: &str = "123456789012";
const OTHER_ACCOUNT: &str = "210987654321";
const STACK: &str = "pol";

/// The evaluator's answers to `cases`, in order: "Allowed", "ImplicitlyDenied",
/// "ExplicitlyDenied", or "error: …" for a case it would not evaluate.
fn evaluate(cases: &[Value]) -> Vec<String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/iam");
    assert!(
        dir.join("node_modules/@cloud-copilot/iam-simulate").is_dir(),
        "the policy evaluator is not installed in {}: run `sh tests/setup.sh` (it needs Node.js and npm)",
        dir.display()
    );
    let mut child = Command::new("node")
        .arg("evaluate.mjs")
        .current_dir(&dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("node runs (Node.js is needed by the policy tests: `sh tests/setup.sh` checks for it)");
    child.stdin.take().unwrap().write_all(serde_json::to_vec(cases).unwrap().as_slice()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "the evaluator failed: {}", String::from_utf8_lossy(&out.stderr));
    let answers: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(answers.len(), cases.len());
    answers
        .iter()
        .map(|a| match a["result"].as_str().unwrap() {
            "error" => format!("error: {}", a["errors"]),
            r => r.to_string(),
        })
        .collect()
}

/// One request against a resource policy (queue policy, trust policy) or an identity policy.
struct Case {
    name: String,
    request: Value,
    expect: &'static str,
}

fn arn(service: &str, resource: &str) -> String {
    format!("arn:aws:{service}:us-east-1:{ACCOUNT}:{resource}")
}

fn name(s: &str) -> String {
    format!("{STACK}-{s}")
}

#[derive(Default)]
struct Cases(Vec<Case>);

impl Cases {
    /// A request decided by a resource policy (the queue's, a role's trust); `request`
    /// is (principal, action, resource).
    fn resource(&mut self, what: &str, policy: &Value, request: (&str, &str, &str), context: Value, expect: &'static str) {
        let (principal, action, resource) = request;
        self.push(what.to_string(), principal, action, resource, json!({ "context": context, "resourcePolicy": policy }), expect);
    }

    /// A request by a role's session, decided by its inline policy.
    fn identity(&mut self, role: &str, policy: &Value, action: &str, resource: &str, expect: &'static str) {
        let principal = format!("arn:aws:sts::{ACCOUNT}:assumed-role/{role}/orderctl");
        let what = format!("{role}: {action} on {resource}");
        self.push(what, &principal, action, resource, json!({ "identityPolicy": policy }), expect);
    }

    /// `policies` holds the case's policy (and context) keys; the resource's account is
    /// the ARN's, or this one for `*`.
    fn push(&mut self, name: String, principal: &str, action: &str, resource: &str, policies: Value, expect: &'static str) {
        let account = resource.split(':').nth(4).filter(|a| !a.is_empty()).unwrap_or(ACCOUNT);
        let mut request = json!({ "principal": principal, "action": action, "resource": resource, "accountId": account });
        request.as_object_mut().unwrap().extend(policies.as_object().unwrap().clone());
        self.0.push(Case { name, request, expect });
    }

    /// Evaluates every case and fails listing each one whose answer differs.
    fn check(self) {
        let answers = evaluate(&self.0.iter().map(|c| c.request.clone()).collect::<Vec<_>>());
        let mut wrong = Vec::new();
        for (case, answer) in self.0.iter().zip(&answers) {
            if answer != case.expect {
                wrong.push(format!("{}: expected {}, the evaluator says {answer}", case.name, case.expect));
            }
        }
        let allowed = answers.iter().filter(|a| *a == "Allowed").count();
        eprintln!("{} requests evaluated: {allowed} allowed, {} not", answers.len(), answers.len() - allowed);
        assert!(wrong.is_empty(), "{} of {} requests evaluated otherwise:\n{}", wrong.len(), answers.len(), wrong.join("\n"));
    }
}

const ALLOW: &str = "Allowed";
const DENY: &str = "ImplicitlyDenied";

#[test]
fn the_policies_up_writes_allow_what_the_pipeline_does_and_nothing_beside_it() {
    let moto = Moto::start();
    let sdk = block_on(moto.sdk());
    let packages = tiny_packages();
    let out = Command::new(common::bin())
        .args(["--target", "aws", "--stack", STACK, "up", "--yes", "-o", "json", "--zips"])
        .arg(packages.path())
        .env_remove("AWS_PROFILE")
        .envs(moto.handler_env())
        .output()
        .unwrap();
    common::ok_json(&out, "up");

    // Everything evaluated below is what the endpoint holds, not what orderctl meant to write.
    let (queue_policy, roles, stream) = block_on(async {
        use aws_sdk_sqs::types::QueueAttributeName as Q;
        let sqs = aws_sdk_sqs::Client::new(&sdk);
        let url = sqs.get_queue_url().queue_name(name("orders")).send().await.unwrap().queue_url().unwrap().to_string();
        let attrs = sqs.get_queue_attributes().queue_url(&url).attribute_names(Q::Policy).send().await.unwrap();
        let queue_policy: Value = serde_json::from_str(&attrs.attributes().unwrap()[&Q::Policy]).unwrap();
        let iam = aws_sdk_iam::Client::new(&sdk);
        let mut roles = std::collections::HashMap::new();
        for role in ["order-worker-role", "high-value-worker-role", "create-order-role", "high-value-pipe-role"] {
            let r = iam.get_role().role_name(name(role)).send().await.unwrap();
            let trust = orderctl::aws::observe::decode_policy(r.role().unwrap().assume_role_policy_document().unwrap());
            let doc = iam.get_role_policy().role_name(name(role)).policy_name("orderctl").send().await.unwrap();
            roles.insert(role, (trust, orderctl::aws::observe::decode_policy(doc.policy_document())));
        }
        let ddb = aws_sdk_dynamodb::Client::new(&sdk);
        let table = ddb.describe_table().table_name(name("orders")).send().await.unwrap();
        (queue_policy, roles, table.table().unwrap().latest_stream_arn().unwrap().to_string())
    });

    let orders_queue = arn("sqs", &name("orders"));
    let dlq = arn("sqs", &name("orders-dlq"));
    let high_value_queue = arn("sqs", &name("high-value"));
    let orders_topic = arn("sns", &name("orders"));
    let alerts_topic = arn("sns", &name("alerts"));
    let table = arn("dynamodb", &format!("table/{}", name("orders")));
    let mut cases = Cases::default();

    // The `orders` queue: SNS delivering from the stack's topic, and nothing else.
    let sns = "sns.amazonaws.com";
    let send = "sqs:SendMessage";
    let from = |topic: &str| json!({ "aws:SourceArn": topic });
    cases.resource("queue: SNS delivers from the orders topic", &queue_policy, (sns, send, &orders_queue), from(&orders_topic), ALLOW);
    cases.resource("queue: SNS delivers from the alerts topic", &queue_policy, (sns, send, &orders_queue), from(&alerts_topic), DENY);
    let foreign = format!("arn:aws:sns:us-east-1:{OTHER_ACCOUNT}:{}", name("orders"));
    cases.resource(
        "queue: SNS delivers from a same-named topic of another account",
        &queue_policy,
        (sns, send, &orders_queue),
        from(&foreign),
        DENY,
    );
    cases.resource("queue: SNS delivers with no source", &queue_policy, (sns, send, &orders_queue), json!({}), DENY);
    cases.resource("queue: SNS receives", &queue_policy, (sns, "sqs:ReceiveMessage", &orders_queue), from(&orders_topic), DENY);
    cases.resource(
        "queue: EventBridge sends from the topic's ARN",
        &queue_policy,
        ("events.amazonaws.com", send, &orders_queue),
        from(&orders_topic),
        DENY,
    );
    let user = format!("arn:aws:iam::{OTHER_ACCOUNT}:user/someone");
    cases.resource("queue: a user of another account sends", &queue_policy, (&user, send, &orders_queue), json!({}), DENY);

    // The trust policies: the service that runs as the role, from this account only.
    let from_account = |account: &str| json!({ "aws:SourceAccount": account });
    for role in ["order-worker-role", "high-value-worker-role", "create-order-role"] {
        let (trust, _) = &roles[role];
        let role_arn = format!("arn:aws:iam::{ACCOUNT}:role/{}", name(role));
        let lambda = "lambda.amazonaws.com";
        let assume = "sts:AssumeRole";
        cases.resource(
            &format!("{role}: Lambda of this account assumes it"),
            trust,
            (lambda, assume, &role_arn),
            from_account(ACCOUNT),
            ALLOW,
        );
        cases.resource(
            &format!("{role}: Lambda of another account"),
            trust,
            (lambda, assume, &role_arn),
            from_account(OTHER_ACCOUNT),
            DENY,
        );
        cases.resource(&format!("{role}: Pipes"), trust, ("pipes.amazonaws.com", assume, &role_arn), from_account(ACCOUNT), DENY);
    }
    let (pipe_trust, pipe_policy) = &roles["high-value-pipe-role"];
    let pipe_role = format!("arn:aws:iam::{ACCOUNT}:role/{}", name("high-value-pipe-role"));
    let pipe = |arn: String| json!({ "aws:SourceAccount": ACCOUNT, "aws:SourceArn": arn });
    let pipes = "pipes.amazonaws.com";
    let assume = "sts:AssumeRole";
    cases.resource(
        "pipe role: the stack's pipe assumes it",
        pipe_trust,
        (pipes, assume, &pipe_role),
        pipe(arn("pipes", &format!("pipe/{}", name("high-value")))),
        ALLOW,
    );
    cases.resource("pipe role: another pipe", pipe_trust, (pipes, assume, &pipe_role), pipe(arn("pipes", "pipe/another")), DENY);
    cases.resource("pipe role: Lambda", pipe_trust, ("lambda.amazonaws.com", assume, &pipe_role), from_account(ACCOUNT), DENY);

    // What each function may do: its own queue and table calls, its own logs.
    let consume = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"];
    let log_stream =
        |function: &str| arn("logs", &format!("log-group:/aws/lambda/{}:log-stream:2026/12/02/[$LATEST]0123abcd", name(function)));
    for (function, own_queue, other_queue) in
        [("order-worker", &orders_queue, &high_value_queue), ("high-value-worker", &high_value_queue, &orders_queue)]
    {
        let role = name(&format!("{function}-role"));
        let (_, policy) = &roles[format!("{function}-role").as_str()];
        for action in consume {
            cases.identity(&role, policy, action, own_queue, ALLOW);
            cases.identity(&role, policy, action, other_queue, DENY);
            cases.identity(&role, policy, action, &dlq, DENY);
        }
        cases.identity(&role, policy, send, own_queue, DENY);
        for action in ["dynamodb:GetItem", "dynamodb:PutItem"] {
            cases.identity(&role, policy, action, &table, ALLOW);
            cases.identity(&role, policy, action, &arn("dynamodb", "table/another"), DENY);
            cases.identity(&role, policy, action, &format!("arn:aws:dynamodb:us-east-1:{OTHER_ACCOUNT}:table/{}", name("orders")), DENY);
        }
        cases.identity(&role, policy, "dynamodb:DeleteItem", &table, DENY);
        cases.identity(&role, policy, "dynamodb:Scan", &table, DENY);
        cases.identity(&role, policy, "logs:PutLogEvents", &log_stream(function), ALLOW);
        cases.identity(&role, policy, "logs:PutLogEvents", &log_stream("create-order"), DENY);
        cases.identity(&role, policy, "sns:Publish", &orders_topic, DENY);
    }
    let role = name("create-order-role");
    let (_, policy) = &roles["create-order-role"];
    cases.identity(&role, policy, "sns:Publish", &orders_topic, ALLOW);
    cases.identity(&role, policy, "sns:Publish", &alerts_topic, DENY);
    cases.identity(&role, policy, "sns:Subscribe", &orders_topic, DENY);
    cases.identity(&role, policy, send, &orders_queue, DENY);
    cases.identity(&role, policy, "dynamodb:PutItem", &table, DENY);
    cases.identity(&role, policy, "logs:PutLogEvents", &log_stream("create-order"), ALLOW);

    // What the pipe may do: read the table's stream, send to the high-value queue.
    let role = name("high-value-pipe-role");
    for action in ["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"] {
        cases.identity(&role, pipe_policy, action, &stream, ALLOW);
        cases.identity(&role, pipe_policy, action, &arn("dynamodb", "table/another/stream/2026-12-02T00:00:00.000"), DENY);
    }
    cases.identity(&role, pipe_policy, "dynamodb:ListStreams", "*", ALLOW);
    cases.identity(&role, pipe_policy, send, &high_value_queue, ALLOW);
    cases.identity(&role, pipe_policy, send, &orders_queue, DENY);
    cases.identity(&role, pipe_policy, send, &dlq, DENY);
    cases.identity(&role, pipe_policy, "dynamodb:GetItem", &table, DENY);
    cases.identity(&role, pipe_policy, "dynamodb:PutItem", &table, DENY);

    cases.check();
}

/// The evaluator itself tells the queue policy `up` writes from the one a careless
/// hand would write (no condition): if it allowed both, the test above could not fail.
#[test]
fn the_evaluator_refuses_another_topic_only_because_of_the_source_condition() {
    let queue = arn("sqs", &name("orders"));
    let env = orderctl::aws::Env {
        account: ACCOUNT.to_string(),
        region: "us-east-1".to_string(),
        partition: "aws".to_string(),
        endpoint: None,
        service_endpoints: Default::default(),
    };
    let written = orderctl::aws::desired::queue_policy(&env, &name("orders"), &name("orders"));
    let mut careless = written.clone();
    careless["Statement"][0].as_object_mut().unwrap().remove("Condition");
    let mut cases = Cases::default();
    let other = json!({ "aws:SourceArn": arn("sns", "another") });
    cases.resource("written policy, another topic", &written, ("sns.amazonaws.com", "sqs:SendMessage", &queue), other.clone(), DENY);
    cases.resource(
        "policy without the condition, another topic",
        &careless,
        ("sns.amazonaws.com", "sqs:SendMessage", &queue),
        other,
        ALLOW,
    );
    cases.check();
}
