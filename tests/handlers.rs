//! The packaged handler binaries, run as real processes under the local Lambda runtime
//! with AWS-documented sample events, against moto started by the test.

use crate::common;

use common::moto::{create_pipeline, create_table, packages, Moto};
use order_domain::{synthesize, Kind, Rules};
use orderctl::aws::emulate::esm::{self, MappingSpec};
use orderctl::lambda::runtime::{extract_bootstrap, FunctionSpec, InvokeError, LocalFunction};
use serde_json::{json, Value};
use std::sync::atomic::AtomicBool;
use std::time::Duration;

fn function(moto: &Moto, handler: &str, dir: &tempfile::TempDir, extra: &[(&str, &str)], timeout: Duration) -> LocalFunction {
    let bootstrap = extract_bootstrap(&packages()[handler], &dir.path().join(handler)).unwrap();
    let mut environment = moto.handler_env();
    environment.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    LocalFunction::start(FunctionSpec {
        name: handler.into(),
        bootstrap,
        timeout,
        memory_mb: 256,
        environment,
        log: Some(dir.path().join(format!("{handler}.log"))),
    })
    .unwrap()
}

async fn item(ddb: &aws_sdk_dynamodb::Client, table: &str, id: &str) -> Option<order_domain::OrderRecord> {
    let out = ddb
        .get_item()
        .table_name(table)
        .key("orderId", aws_sdk_dynamodb::types::AttributeValue::S(id.into()))
        .consistent_read(true)
        .send()
        .await
        .unwrap();
    out.item().map(|i| lambda_support::from_item(i).unwrap())
}

/// AWS's documented SQS event sample, with our bodies.
fn sqs_sample(bodies: &[(&str, String)]) -> Value {
    let records: Vec<Value> = bodies
        .iter()
        .map(|(id, body)| {
            json!({
                "messageId": id,
                "receiptHandle": "AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a...",
                "body": body,
                "attributes": {"ApproximateReceiveCount": "1", "SentTimestamp": "1545082649183", "SenderId": "AIDAIENQZJOLO23YVJ4VO", "ApproximateFirstReceiveTimestamp": "1545082649185"},
                "messageAttributes": {},
                "md5OfBody": "098f6bcd4621d373cade4e832627b4f6",
                "eventSource": "aws:sqs",
                "eventSourceARN": "arn:aws:sqs:us-east-2:123456789012:my-queue",
                "awsRegion": "us-east-2"
            })
        })
        .collect();
    json!({ "Records": records })
}

fn failures(response: &Value) -> Vec<String> {
    let mut ids: Vec<String> =
        response["batchItemFailures"].as_array().unwrap().iter().map(|f| f["itemIdentifier"].as_str().unwrap().to_string()).collect();
    ids.sort();
    ids
}

#[tokio::test(flavor = "multi_thread")]
async fn order_worker_reports_only_failed_records_and_writes_idempotently() {
    let moto = Moto::start();
    let sdk = moto.sdk().await;
    let ddb = create_table(&sdk, "t-orders").await;
    let dir = tempfile::tempdir().unwrap();
    let mut worker = function(&moto, "order-worker", &dir, &[("ORDERS_TABLE", "t-orders")], Duration::from_secs(10));
    let rules = Rules::default();
    let (normal, high, fail) = (
        synthesize(Kind::Normal, 1, "hw", 0, &rules),
        synthesize(Kind::HighValue, 2, "hw", 0, &rules),
        synthesize(Kind::Fail, 3, "hw", 0, &rules),
    );
    let mut wrong_type: Value = serde_json::from_str(&normal.to_json()).unwrap();
    wrong_type["orderId"] = json!("hw-wrong");
    wrong_type["quantity"] = json!("two");
    let event = sqs_sample(&[
        ("m-normal", normal.to_json()),
        ("m-high", high.to_json()),
        ("m-fail", fail.to_json()),
        ("m-notjson", "not json at all".into()),
        ("m-types", wrong_type.to_string()),
        ("m-huge", format!("{{\"pad\": \"{}\"}}", "x".repeat(300_000))),
    ]);
    let response = worker.invoke(&event).unwrap().unwrap();
    eprintln!("order-worker cold start to first /next: {:?}", worker.last_cold_start.unwrap());
    let first_pid = worker.pid().expect("the worker runs after its first batch");
    assert_eq!(failures(&response), ["m-fail", "m-huge", "m-notjson", "m-types"]);

    let n = item(&ddb, "t-orders", &normal.order_id).await.unwrap();
    assert_eq!((n.status, n.attempts), (order_domain::Status::Completed, 1));
    let h = item(&ddb, "t-orders", &high.order_id).await.unwrap();
    assert_eq!(h.status, order_domain::Status::Failed);
    assert!(h.failure_reason.unwrap().contains("threshold"));
    let f = item(&ddb, "t-orders", &fail.order_id).await.unwrap();
    assert_eq!((f.status, f.attempts), (order_domain::Status::Retrying, 1));
    assert!(f.last_error.unwrap().contains("FAIL"));
    assert!(item(&ddb, "t-orders", "hw-wrong").await.is_none(), "a malformed order is not written");

    // The same batch again: a duplicate delivery. Settled orders do not move; the
    // technical failure counts its second attempt.
    let again = worker.invoke(&event).unwrap().unwrap();
    assert_eq!(failures(&again), ["m-fail", "m-huge", "m-notjson", "m-types"]);
    assert_eq!(item(&ddb, "t-orders", &normal.order_id).await.unwrap(), n);
    assert_eq!(item(&ddb, "t-orders", &fail.order_id).await.unwrap().attempts, 2);
    assert_eq!(worker.pid(), Some(first_pid), "the same process served both batches: no crash and restart on bad input");
    let log = std::fs::read_to_string(dir.path().join("order-worker.log")).unwrap();
    assert!(log.contains("malformed order"), "the reason is logged: {log}");
}

#[tokio::test(flavor = "multi_thread")]
async fn high_value_worker_records_its_review_once() {
    let moto = Moto::start();
    let sdk = moto.sdk().await;
    let ddb = create_table(&sdk, "t-orders").await;
    let dir = tempfile::tempdir().unwrap();
    let mut worker = function(&moto, "order-worker", &dir, &[("ORDERS_TABLE", "t-orders")], Duration::from_secs(10));
    let high = synthesize(Kind::HighValue, 9, "hv", 0, &Rules::default());
    worker.invoke(&sqs_sample(&[("w", high.to_json())])).unwrap().unwrap();

    let mut reviewer = function(&moto, "high-value-worker", &dir, &[("ORDERS_TABLE", "t-orders")], Duration::from_secs(10));
    // The pipe's output shape: numbers arrive as strings.
    let body = json!({"orderId": high.order_id, "amount": high.amount.to_string(), "quantity": "2", "customerName": high.customer_name, "status": "FAILED"});
    let event = sqs_sample(&[("r1", body.to_string()), ("r-bad", json!({"orderId": "x", "amount": "lots"}).to_string())]);
    let response = reviewer.invoke(&event).unwrap().unwrap();
    eprintln!("high-value-worker cold start to first /next: {:?}", reviewer.last_cold_start.unwrap());
    assert_eq!(failures(&response), ["r-bad"]);
    let reviewed = item(&ddb, "t-orders", &high.order_id).await.unwrap();
    let review = reviewed.review.clone().expect("the review is recorded");
    assert_eq!(reviewed.status, order_domain::Status::Failed, "the review does not change the outcome");
    let again = reviewer.invoke(&sqs_sample(&[("r2", body.to_string())])).unwrap().unwrap();
    assert!(failures(&again).is_empty());
    assert_eq!(item(&ddb, "t-orders", &high.order_id).await.unwrap().review, Some(review), "reviewed once");
}

fn http_sample(method: &str, body: &str) -> Value {
    json!({
        "version": "2.0", "routeKey": "POST /orders", "rawPath": "/prod/orders", "rawQueryString": "",
        "headers": {"content-type": "application/json", "origin": "http://localhost:8080"},
        "requestContext": {"accountId": "123456789012", "apiId": "api-id", "domainName": "id.execute-api.us-east-1.amazonaws.com",
            "domainPrefix": "id", "http": {"method": method, "path": "/prod/orders", "protocol": "HTTP/1.1", "sourceIp": "192.0.2.1", "userAgent": "agent"},
            "requestId": "id", "routeKey": "POST /orders", "stage": "prod", "time": "12/Mar/2020:19:03:58 +0000", "timeEpoch": 1583348638390u64},
        "body": body, "isBase64Encoded": false
    })
}

#[tokio::test(flavor = "multi_thread")]
async fn create_order_validates_publishes_and_answers_with_cors() {
    let moto = Moto::start();
    let sdk = moto.sdk().await;
    let sns = aws_sdk_sns::Client::new(&sdk);
    let sqs = aws_sdk_sqs::Client::new(&sdk);
    let topic = sns.create_topic().name("t-orders").send().await.unwrap().topic_arn().unwrap().to_string();
    let queue = sqs.create_queue().queue_name("t-orders").send().await.unwrap().queue_url().unwrap().to_string();
    let queue_arn = "arn:aws:sqs:us-east-1:123456789012:t-orders";
    let sub = sns.subscribe().topic_arn(&topic).protocol("sqs").endpoint(queue_arn).send().await.unwrap();
    sns.set_subscription_attributes()
        .subscription_arn(sub.subscription_arn().unwrap())
        .attribute_name("RawMessageDelivery")
        .attribute_value("true")
        .send()
        .await
        .unwrap();

    let dir = tempfile::tempdir().unwrap();
    let mut api =
        function(&moto, "create-order", &dir, &[("ORDERS_TABLE", "t-orders"), ("ORDERS_TOPIC_ARN", &topic)], Duration::from_secs(10));
    let good = json!({"customerName": "Ada", "product": "Desk", "quantity": 1, "amount": 250.5, "notes": ""}).to_string();
    let created = api.invoke(&http_sample("POST", &good)).unwrap().unwrap();
    eprintln!("create-order cold start to first /next: {:?}", api.last_cold_start.unwrap());
    assert_eq!(created["statusCode"], 201, "{created}");
    assert_eq!(created["headers"]["access-control-allow-origin"], "*");
    let body: Value = serde_json::from_str(created["body"].as_str().unwrap()).unwrap();
    let order_id = body["orderId"].as_str().unwrap().to_string();

    let got = sqs.receive_message().queue_url(&queue).wait_time_seconds(2).send().await.unwrap();
    let published: Value = serde_json::from_str(got.messages()[0].body().unwrap()).unwrap();
    assert_eq!(published["orderId"], order_id.as_str());
    assert_eq!(published["amount"], 250.5);

    let bad = api.invoke(&http_sample("POST", r#"{"customerName":"Ada","product":"Desk","quantity":1,"amount":-3}"#)).unwrap().unwrap();
    assert_eq!(bad["statusCode"], 400);
    let error: Value = serde_json::from_str(bad["body"].as_str().unwrap()).unwrap();
    assert_eq!(error["field"], "amount", "{error}");
    assert_eq!(bad["headers"]["access-control-allow-origin"], "*");
    let not_json = api.invoke(&http_sample("POST", "{oops")).unwrap().unwrap();
    assert_eq!(not_json["statusCode"], 400);
    let preflight = api.invoke(&http_sample("OPTIONS", "")).unwrap().unwrap();
    assert_eq!(preflight["statusCode"], 204);
    assert_eq!(preflight["headers"]["access-control-allow-methods"], "POST, OPTIONS");
    let get = api.invoke(&http_sample("GET", "")).unwrap().unwrap();
    assert_eq!(get["statusCode"], 405);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_function_past_its_timeout_is_killed_counted_and_its_batch_comes_back() {
    let moto = Moto::start();
    let sdk = moto.sdk().await;
    let sqs = aws_sdk_sqs::Client::new(&sdk);
    let queue = sqs
        .create_queue()
        .queue_name("slow")
        .attributes(aws_sdk_sqs::types::QueueAttributeName::VisibilityTimeout, "1")
        .send()
        .await
        .unwrap()
        .queue_url()
        .unwrap()
        .to_string();
    sqs.send_message().queue_url(&queue).message_body("{}").send().await.unwrap();

    // A runtime that takes its invocation and never answers.
    let dir = tempfile::tempdir().unwrap();
    let bootstrap = dir.path().join("bootstrap");
    std::fs::write(
        &bootstrap,
        // Each start appends a line to `starts`: the marker the test stops on.
        "#!/usr/bin/env python3\nimport os, time, urllib.request\nopen(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'starts'), 'a').write('started\\n')\napi = os.environ['AWS_LAMBDA_RUNTIME_API']\nurllib.request.urlopen(f'http://{api}/2018-06-01/runtime/invocation/next').read()\ntime.sleep(60)\n",
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&bootstrap, std::fs::Permissions::from_mode(0o755)).unwrap();
    let mut slow = LocalFunction::start(FunctionSpec {
        name: "slow".into(),
        bootstrap,
        timeout: Duration::from_millis(500),
        memory_mb: 128,
        environment: vec![],
        log: None,
    })
    .unwrap();

    let spec = MappingSpec {
        queue_url: queue.clone(),
        queue_arn: "arn:aws:sqs:us-east-1:123456789012:slow".into(),
        region: "us-east-1".into(),
        batch_size: 10,
    };
    // The message is never deleted, so the mapping would go on forever: stop it once a
    // third process has started. A process starts only after the one before it timed
    // out and was killed, so by then two attempts have timed out, however slow the
    // machine (a minute is a broken runtime, not a slow one).
    let starts = dir.path().join("starts");
    let stop = std::sync::Arc::new(AtomicBool::new(false));
    let stopper = stop.clone();
    std::thread::spawn(move || {
        let deadline = std::time::Instant::now() + Duration::from_secs(60);
        while std::fs::read_to_string(&starts).map_or(0, |s| s.lines().count()) < 3 && std::time::Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
        stopper.store(true, std::sync::atomic::Ordering::SeqCst);
    });
    let stats = esm::run(&sqs, &spec, &mut slow, &stop, None).await.unwrap();
    let started = std::fs::read_to_string(dir.path().join("starts")).map_or(0, |s| s.lines().count());
    assert!(started >= 3, "three processes started within a minute: {started}, {stats:?}");
    assert!(stats.timeouts >= 2, "each attempt timed out: {stats:?}");
    assert_eq!((stats.crashes, stats.function_errors), (0, 0), "a timeout is counted as one, not as a crash: {stats:?}");
    assert_eq!(stats.deleted, 0);
    let first_pid_gone = slow.pid().is_none();
    assert!(first_pid_gone, "the timed-out process was killed");
    let attrs =
        sqs.get_queue_attributes().queue_url(&queue).attribute_names(aws_sdk_sqs::types::QueueAttributeName::All).send().await.unwrap();
    let visible_or_not: u64 = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]
        .iter()
        .map(|a| attrs.attributes().unwrap()[&aws_sdk_sqs::types::QueueAttributeName::from(*a)].parse::<u64>().unwrap())
        .sum();
    assert_eq!(visible_or_not, 1, "the message is still there, to be received again");
    let again = slow.invoke(&json!({})).unwrap();
    assert_eq!(again, Err(InvokeError::Timeout(Duration::from_millis(500))), "a fresh process (cold start), timed out again");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_pipeline_runs_end_to_end_on_moto_with_the_real_order_worker() {
    use aws_sdk_sqs::types::QueueAttributeName as Q;
    let moto = Moto::start();
    let sdk = moto.sdk().await;
    let (topic, _queue, dlq) = create_pipeline(&sdk, "e2e").await;
    let (sns, sqs) = (aws_sdk_sns::Client::new(&sdk), aws_sdk_sqs::Client::new(&sdk));
    let ddb = aws_sdk_dynamodb::Client::new(&sdk);

    // 24 orders of all three kinds, published to the topic.
    let rules = Rules::default();
    let mut kinds = order_domain::Mix::default().cycle();
    let orders: Vec<_> = (0..24).map(|n| synthesize(kinds.next().unwrap(), n, "e2e", order_domain::now_micros(), &rules)).collect();
    for o in &orders {
        sns.publish().topic_arn(&topic).message(o.to_json()).send().await.unwrap();
    }

    // `orderctl lambda mappings`: the real handler binaries behind emulated mappings,
    // until the queues have been quiet for a while.
    let mut cli = tokio::process::Command::new(common::bin());
    cli.args(["--stack", "e2e", "lambda", "mappings", "--idle", "4s", "--timeout", "10s", "-o", "json", "--zips"])
        .arg(packages()["order-worker"].parent().unwrap())
        .env("AWS_ENDPOINT_URL", &moto.endpoint);
    for (k, v) in moto.handler_env() {
        cli.env(k, v);
    }
    let out = cli.output().await.unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stats: Value = serde_json::from_slice(&out.stdout).unwrap();
    eprintln!("emulated mappings on moto: {stats}");

    let fails: Vec<&order_domain::Order> = orders.iter().filter(|o| o.kind == Some(Kind::Fail)).collect();
    let mut completed = 0;
    for o in &orders {
        let record = item(&ddb, "e2e-orders", &o.order_id).await.unwrap_or_else(|| panic!("{} is in the table", o.order_id));
        match o.kind.unwrap() {
            Kind::Normal => {
                assert_eq!(record.status, order_domain::Status::Completed);
                completed += 1;
            }
            Kind::HighValue => assert_eq!(record.status, order_domain::Status::Failed),
            Kind::Fail => {
                let dead = (order_domain::Status::DeadLettered, 3);
                assert_eq!((record.status, record.attempts), dead, "received exactly maxReceiveCount times, then dead-lettered")
            }
        }
    }
    let normals = orders.iter().filter(|o| o.kind == Some(Kind::Normal)).count();
    assert_eq!(completed, normals);
    let depth: usize = sqs
        .get_queue_attributes()
        .queue_url(&dlq)
        .attribute_names(Q::ApproximateNumberOfMessages)
        .send()
        .await
        .unwrap()
        .attributes()
        .unwrap()[&Q::ApproximateNumberOfMessages]
        .parse()
        .unwrap();
    assert_eq!(depth, fails.len());

    // The emulated runtime delivered each invocation's lines to the function's log
    // group, as Lambda does: `logs` and `trace` read them through the SDK.
    assert_eq!(stats["logLines"].as_u64().map(|n| n >= orders.len() as u64), Some(true), "{stats}");
    let orderctl = |args: &[&str]| {
        let mut cmd = std::process::Command::new(common::bin());
        cmd.args(["--target", "aws", "--stack", "e2e"]).args(args).env("AWS_ENDPOINT_URL", &moto.endpoint).env_remove("AWS_PROFILE");
        for (k, v) in moto.handler_env() {
            cmd.env(k, v);
        }
        cmd.output().unwrap()
    };
    let fail = &fails[0].order_id;
    let out = orderctl(&["logs", "--order-id", fail, "--since", "1h", "-o", "json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let lines: Vec<Value> = String::from_utf8_lossy(&out.stdout).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let messages: Vec<&str> = lines.iter().map(|l| l["message"].as_str().unwrap()).collect();
    assert_eq!(
        messages,
        ["technical failure: retried", "technical failure: retried", "technical failure on the last receive: dead-lettered"],
        "{lines:?}"
    );
    assert!(lines.iter().all(|l| l["function"] == "e2e-order-worker" && l["orderId"] == fail.as_str()));
    let out = orderctl(&["logs", "--filter", r#"{ $.message = "completed" }"#, "--since", "1h", "-o", "json"]);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).lines().count(),
        normals,
        "CloudWatch's own filter: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = orderctl(&["trace", fail, "-o", "json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let trace: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(common::schema_errors("trace", &trace), Vec::<String>::new());
    let processed = trace["steps"].as_array().unwrap().iter().filter(|s| s["step"] == "processed").count();
    assert_eq!(processed, 3, "each receive's result, from the log group: {trace}");
    assert_eq!(trace["now"]["status"], "DEAD_LETTERED");
    assert!(trace["now"]["place"].as_str().unwrap().contains("in the DLQ"), "the DLQ peeked: {trace}");
    assert!(trace["steps"].as_array().unwrap().iter().any(|s| s["step"] == "in the DLQ"), "{trace}");
    let unknown = orderctl(&["trace", &format!("{}x", fail)]);
    assert_eq!(unknown.status.code(), Some(1));

    // `logs --follow`: the lines so far, each once although the live tail brings them
    // again (moto's `StartLiveTail` replays the groups' lines in one update, then ends the
    // session), a note that it polls from then on, and Ctrl-C ends it with exit 0.
    let mut follow = std::process::Command::new(common::bin());
    follow
        .args(["--target", "aws", "--stack", "e2e", "logs", "--follow", "--order-id", fail, "--since", "1h", "-o", "json"])
        .env("AWS_ENDPOINT_URL", &moto.endpoint)
        .env_remove("AWS_PROFILE")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    for (k, v) in moto.handler_env() {
        follow.env(k, v);
    }
    let mut child = follow.spawn().unwrap();
    let mut stdout = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut followed = Vec::new();
    for _ in 0..3 {
        let mut l = String::new();
        std::io::BufRead::read_line(&mut stdout, &mut l).unwrap();
        followed.push(serde_json::from_str::<Value>(&l).unwrap()["message"].as_str().unwrap().to_string());
    }
    assert_eq!(followed, messages, "the same lines as without --follow");
    let mut stderr = std::io::BufReader::new(child.stderr.take().unwrap());
    let mut note = String::new();
    std::io::BufRead::read_line(&mut stderr, &mut note).unwrap();
    assert!(note.contains("the live tail ended; following by polling FilterLogEvents"), "StartLiveTail reached moto: {note}");
    eprintln!("logs --follow on moto: {}", note.trim());
    std::thread::sleep(std::time::Duration::from_millis(2500)); // at least one poll
                                                                // SAFETY: kill(2) on the child's own pid.
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    let status = child.wait().unwrap();
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stdout, &mut rest).unwrap();
    assert_eq!(rest, "", "no line twice after a poll");
    assert_eq!(status.code(), Some(0), "Ctrl-C ends a follow");

    let moved = sqs.receive_message().queue_url(&dlq).max_number_of_messages(10).send().await.unwrap();
    let mut in_dlq: Vec<String> = moved
        .messages()
        .iter()
        .map(|m| serde_json::from_str::<Value>(m.body().unwrap()).unwrap()["orderId"].as_str().unwrap().to_string())
        .collect();
    in_dlq.sort();
    let mut expected: Vec<String> = fails.iter().map(|o| o.order_id.clone()).collect();
    expected.sort();
    assert_eq!(in_dlq, expected, "exactly the FAIL orders were dead-lettered, by moto's own redrive");
}

#[tokio::test(flavor = "multi_thread")]
async fn invocation_errors_come_back_with_their_shape() {
    let moto = Moto::start();
    let dir = tempfile::tempdir().unwrap();
    let event = dir.path().join("event.json");
    // A record without a messageId cannot be reported alone: the handler errors.
    std::fs::write(&event, json!({"Records": [{"body": "{}"}]}).to_string()).unwrap();
    let zip = packages()["order-worker"].clone();
    let run = |env: &[&str]| {
        let mut cmd = std::process::Command::new(common::bin());
        cmd.args(["lambda", "invoke", "order-worker", "-o", "json", "--event"]).arg(&event).arg("--zip").arg(&zip);
        for e in env {
            cmd.args(["--env", e]);
        }
        for (k, v) in moto.handler_env() {
            cmd.env(k, v);
        }
        let out = cmd.output().unwrap();
        (out.status.code(), serde_json::from_slice::<Value>(&out.stdout).unwrap())
    };
    let (code, report) = run(&["ORDERS_TABLE=t-orders"]);
    assert_eq!(code, Some(1));
    assert!(report["error"].as_str().unwrap().contains("no messageId"), "{report}");
    // Without its configuration the process exits before serving: an init failure.
    let (code, report) = run(&[]);
    assert_eq!(code, Some(1));
    assert!(report["error"].as_str().unwrap().contains("failed to initialise"), "{report}");
    assert!(report["log"].as_str().unwrap().contains("ORDERS_TABLE"), "the reason is in the function's log: {report}");
}
