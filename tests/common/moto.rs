//! A moto server for a test: started on a free loopback port, stopped on drop. `.ci/run`
//! installs moto into `.venv/`; `ORDERCTL_MOTO_SERVER` may point at another
//! `moto_server`. No moto is a test failure, never a silent skip.

use aws_sdk_dynamodb::types::{AttributeDefinition, BillingMode, KeySchemaElement, KeyType, ScalarAttributeType};
use serde_json::json;
use std::collections::HashMap;
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

pub struct Moto {
    child: Child,
    pub endpoint: String,
}

fn server_binary() -> PathBuf {
    if let Some(p) = std::env::var_os("ORDERCTL_MOTO_SERVER") {
        return PathBuf::from(p);
    }
    let venv = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(".venv/bin/moto_server");
    if venv.exists() {
        return venv;
    }
    PathBuf::from("moto_server")
}

impl Moto {
    pub fn start() -> Moto {
        Moto::start_with(&[])
    }

    /// moto with these variables set, for example `INITIAL_NO_AUTH_ACTION_COUNT=0` (it then
    /// checks every request's credentials, as AWS does, and knows none).
    pub fn start_with(env: &[(&str, &str)]) -> Moto {
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let binary = server_binary();
        let child = Command::new(&binary)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .envs(env.iter().copied())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("starting `{}` ({e}): run the README's test command, which makes `.venv/`", binary.display()));
        let start = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(start.elapsed() < Duration::from_secs(30), "moto did not start listening on port {port}");
            std::thread::sleep(Duration::from_millis(50));
        }
        Moto { child, endpoint: format!("http://127.0.0.1:{port}") }
    }

    /// Clears every resource (`POST /moto-api/reset`).
    pub fn reset(&self) {
        use std::io::{Read, Write};
        let mut s = TcpStream::connect(self.endpoint.trim_start_matches("http://")).expect("moto listens");
        s.write_all(b"POST /moto-api/reset HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n").unwrap();
        let mut answer = String::new();
        s.read_to_string(&mut answer).unwrap();
        assert!(answer.starts_with("HTTP/1.1 200") || answer.starts_with("HTTP/1.0 200"), "moto reset: {answer}");
    }

    /// An SDK configuration that talks to this moto only.
    pub async fn sdk(&self) -> aws_config::SdkConfig {
        aws_config::defaults(aws_config::BehaviorVersion::latest())
            .endpoint_url(&self.endpoint)
            .region(aws_config::Region::new("us-east-1"))
            .credentials_provider(aws_sdk_sqs::config::Credentials::new("test", "test", None, None, "moto"))
            .load()
            .await
    }

    /// `orderctl lambda mappings` for stack `stack` in the background, run from `dir`:
    /// the real handlers behind emulated event source mappings, until the queues have
    /// been empty for `idle`.
    pub fn mappings(&self, dir: &std::path::Path, stack: &str, idle: &str) -> Child {
        Command::new(super::bin())
            .current_dir(dir)
            .envs(self.handler_env())
            .args(["--stack", stack, "lambda", "mappings", "--idle", idle, "--zips"])
            .arg(packages()["order-worker"].parent().unwrap())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    }

    /// The environment a handler process needs to reach this moto.
    pub fn handler_env(&self) -> Vec<(String, String)> {
        super::endpoint_env(&self.endpoint)
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Deployment zips holding a tiny `bootstrap`: moto stores code and never runs it, and
/// the interruption tests upload them hundreds of times.
pub fn tiny_packages() -> tempfile::TempDir {
    tiny_packages_of("")
}

/// `tiny_packages` whose code differs by `version`: other bytes, another CodeSha256.
pub fn tiny_packages_of(version: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for handler in ["order-worker", "high-value-worker", "create-order"] {
        let file = std::fs::File::create(dir.path().join(format!("{handler}-x86_64.zip"))).unwrap();
        let mut zip = zip::ZipWriter::new(file);
        zip.start_file("bootstrap", zip::write::SimpleFileOptions::default().unix_permissions(0o755)).unwrap();
        std::io::Write::write_all(&mut zip, format!("#!/bin/sh\n# {handler}{version}\n").as_bytes()).unwrap();
        zip.finish().unwrap();
    }
    dir
}

/// Everything on the endpoint whose name starts with `<stack>-`, by kind: what `down`
/// must leave empty. Found by listing each service, not through orderctl.
pub async fn leftovers(sdk: &aws_config::SdkConfig, stack: &str) -> Vec<String> {
    let prefix = format!("{stack}-");
    let mut left = Vec::new();
    let sqs = aws_sdk_sqs::Client::new(sdk);
    for url in sqs.list_queues().queue_name_prefix(&prefix).send().await.unwrap().queue_urls() {
        left.push(format!("queue {url}"));
    }
    for t in aws_sdk_sns::Client::new(sdk).list_topics().send().await.unwrap().topics() {
        if t.topic_arn().unwrap().contains(&format!(":{prefix}")) {
            left.push(format!("topic {:?}", t.topic_arn()));
        }
    }
    for t in aws_sdk_dynamodb::Client::new(sdk).list_tables().send().await.unwrap().table_names() {
        if t.starts_with(&prefix) {
            left.push(format!("table {t}"));
        }
    }
    let lambda = aws_sdk_lambda::Client::new(sdk);
    for f in lambda.list_functions().send().await.unwrap().functions() {
        if f.function_name().unwrap().starts_with(&prefix) {
            left.push(format!("function {:?}", f.function_name()));
        }
    }
    for m in lambda.list_event_source_mappings().send().await.unwrap().event_source_mappings() {
        if m.event_source_arn().is_some_and(|a| a.contains(&format!(":{prefix}"))) {
            left.push(format!("event source mapping {:?}", m.uuid()));
        }
    }
    for r in aws_sdk_iam::Client::new(sdk).list_roles().send().await.unwrap().roles() {
        if r.role_name().starts_with(&prefix) {
            left.push(format!("role {}", r.role_name()));
        }
    }
    for p in aws_sdk_pipes::Client::new(sdk).list_pipes().send().await.unwrap().pipes() {
        if p.name().unwrap_or_default().starts_with(&prefix) {
            left.push(format!("pipe {:?}", p.name()));
        }
    }
    let alarms = aws_sdk_cloudwatch::Client::new(sdk).describe_alarms().alarm_name_prefix(&prefix).send().await.unwrap();
    for a in alarms.metric_alarms() {
        left.push(format!("alarm {:?}", a.alarm_name()));
    }
    let logs = aws_sdk_cloudwatchlogs::Client::new(sdk);
    let groups = logs.describe_log_groups().log_group_name_prefix(format!("/aws/lambda/{prefix}")).send().await.unwrap();
    for g in groups.log_groups() {
        left.push(format!("log group {:?}", g.log_group_name()));
    }
    for a in aws_sdk_apigatewayv2::Client::new(sdk).get_apis().send().await.unwrap().items() {
        if a.name().unwrap_or_default().starts_with(&prefix) {
            left.push(format!("http api {:?}", a.name()));
        }
    }
    left
}

/// Packages the handlers once per test run (`orderctl package`); handler → zip.
pub fn packages() -> &'static HashMap<String, PathBuf> {
    static PACKAGES: OnceLock<HashMap<String, PathBuf>> = OnceLock::new();
    PACKAGES.get_or_init(|| {
        let report = super::package_into(&PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/test-lambda"));
        report["packages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| (p["handler"].as_str().unwrap().to_string(), PathBuf::from(p["zip"].as_str().unwrap())))
            .collect()
    })
}

pub async fn create_table(sdk: &aws_config::SdkConfig, name: &str) -> aws_sdk_dynamodb::Client {
    let ddb = aws_sdk_dynamodb::Client::new(sdk);
    ddb.create_table()
        .table_name(name)
        .attribute_definitions(
            AttributeDefinition::builder().attribute_name("orderId").attribute_type(ScalarAttributeType::S).build().unwrap(),
        )
        .key_schema(KeySchemaElement::builder().attribute_name("orderId").key_type(KeyType::Hash).build().unwrap())
        .billing_mode(BillingMode::PayPerRequest)
        .send()
        .await
        .unwrap();
    ddb
}

/// The queues, topic and table of stack `stack` on moto, made directly with a 1 s
/// visibility timeout — shorter than `up` allows (≥ 6 × a whole-second function
/// timeout) — so FAIL orders reach the DLQ within seconds: returns (topic ARN, orders
/// queue URL, DLQ URL).
pub async fn create_pipeline(sdk: &aws_config::SdkConfig, stack: &str) -> (String, String, String) {
    use aws_sdk_sqs::types::QueueAttributeName as Q;
    create_table(sdk, &format!("{stack}-orders")).await;
    let (sns, sqs) = (aws_sdk_sns::Client::new(sdk), aws_sdk_sqs::Client::new(sdk));
    let topic = sns.create_topic().name(format!("{stack}-orders")).send().await.unwrap().topic_arn().unwrap().to_string();
    let arn_of = |url: String| {
        let sqs = sqs.clone();
        async move {
            sqs.get_queue_attributes().queue_url(&url).attribute_names(Q::QueueArn).send().await.unwrap().attributes().unwrap()
                [&Q::QueueArn]
                .clone()
        }
    };
    let dlq = sqs.create_queue().queue_name(format!("{stack}-orders-dlq")).send().await.unwrap().queue_url().unwrap().to_string();
    let redrive = json!({"deadLetterTargetArn": arn_of(dlq.clone()).await, "maxReceiveCount": "3"}).to_string();
    let queue = sqs
        .create_queue()
        .queue_name(format!("{stack}-orders"))
        .attributes(Q::VisibilityTimeout, "1")
        .attributes(Q::RedrivePolicy, redrive)
        .send()
        .await
        .unwrap()
        .queue_url()
        .unwrap()
        .to_string();
    sqs.create_queue().queue_name(format!("{stack}-high-value")).send().await.unwrap();
    let sub = sns.subscribe().topic_arn(&topic).protocol("sqs").endpoint(arn_of(queue.clone()).await).send().await.unwrap();
    sns.set_subscription_attributes()
        .subscription_arn(sub.subscription_arn().unwrap())
        .attribute_name("RawMessageDelivery")
        .attribute_value("true")
        .send()
        .await
        .unwrap();
    (topic, queue, dlq)
}
