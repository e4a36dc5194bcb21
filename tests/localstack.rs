//! The `aws` target against LocalStack, the second AWS-compatible peer: where moto
//! answers `StartMessageMoveTask` with HTTP 500, LocalStack's SQS runs message move
//! tasks, so the native `dlq redrive` — the path a real account takes — runs here
//! through the real binary: with `--rate`, its progress read from
//! `ListMessageMoveTasks`, and Ctrl-C cancelling the task.
//!
//! Its CloudWatch evaluates alarms on real SQS metrics: the DLQ alarm as `up` makes it
//! goes to ALARM once SQS dead-letters a message, notifies `alerts`, and goes back to
//! OK after a purge.
//!
//! LocalStack runs no DynamoDB, Lambda or Pipes offline, so the stack's queues, topics,
//! subscription and alarm are provisioned by orderctl's own code (its desired state,
//! `observe` and the `Applier` that `up` runs), the subset LocalStack can hold.

use crate::common;

use common::json;
use common::localstack::LocalStack;
use orderctl::spec::{Resource, Settings, StackSpec};
use std::collections::HashMap;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Provisions `stack`'s queues, topics, subscription and alarm on `ls` as `up` does.
async fn provision(ls: &LocalStack, stack: &str, settings: Settings) -> orderctl::aws::Aws {
    let aws = orderctl::aws::Aws::from_sdk(ls.sdk().await).await.unwrap();
    let spec = StackSpec::new(stack, settings);
    let subset: Vec<Resource> = orderctl::aws::desired::resources(&spec, &aws.env, "x86_64", &HashMap::new())
        .unwrap()
        .into_iter()
        .filter(|r| matches!(r, Resource::Queue { .. } | Resource::Topic { .. } | Resource::Subscription { .. } | Resource::Alarm { .. }))
        .collect();
    assert_eq!(subset.len(), 7, "three queues, two topics, the subscription and the alarm");
    let observed = orderctl::aws::observe::observe(&aws, stack, &subset).await.unwrap();
    let have: Vec<Resource> = observed.iter().map(|o| o.resource.clone()).collect();
    let plan = orderctl::plan::Plan::diff(&subset, &have);
    orderctl::aws::apply::Applier::new(&aws, stack, &HashMap::new(), false).apply(&plan, &subset, &observed, false).await.unwrap();
    aws
}

async fn queue_url(aws: &orderctl::aws::Aws, name: &str) -> String {
    aws.sqs.get_queue_url().queue_name(name).send().await.unwrap().queue_url().unwrap().to_string()
}

/// Sends `n` order-shaped messages straight into the DLQ.
async fn dead_letter(aws: &orderctl::aws::Aws, dlq: &str, n: usize) {
    use aws_sdk_sqs::types::SendMessageBatchRequestEntry;
    for chunk in (0..n).collect::<Vec<_>>().chunks(10) {
        let entries = chunk
            .iter()
            .map(|i| {
                SendMessageBatchRequestEntry::builder()
                    .id(i.to_string())
                    .message_body(format!("{{\"orderId\":\"ls-{i:05}\"}}"))
                    .build()
                    .unwrap()
            })
            .collect();
        let out = aws.sqs.send_message_batch().queue_url(dlq).set_entries(Some(entries)).send().await.unwrap();
        assert!(out.failed().is_empty());
    }
}

/// Visible + in flight + delayed, once it has held still for a moment (the counts are
/// approximate).
async fn depth(aws: &orderctl::aws::Aws, url: &str) -> u64 {
    use aws_sdk_sqs::types::QueueAttributeName as Q;
    let mut last = None;
    loop {
        let a = aws.sqs.get_queue_attributes().queue_url(url).attribute_names(Q::All).send().await.unwrap();
        let attrs = a.attributes().unwrap();
        let n: u64 = [Q::ApproximateNumberOfMessages, Q::ApproximateNumberOfMessagesNotVisible, Q::ApproximateNumberOfMessagesDelayed]
            .iter()
            .map(|k| attrs.get(k).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0))
            .sum();
        if last == Some(n) {
            return n;
        }
        last = Some(n);
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
}

fn orderctl(ls: &LocalStack, stack: &str, args: &[&str]) -> Command {
    let mut cmd = Command::new(common::bin());
    cmd.args(["--target", "aws", "--stack", stack]).args(args).env_remove("AWS_PROFILE");
    for (k, v) in ls.env() {
        cmd.env(k, v);
    }
    cmd
}

#[test]
fn the_native_redrive_moves_the_dlq_with_a_message_move_task_at_its_rate_and_ctrl_c_cancels_it() {
    // One LocalStack at a time, and never beside a build: two at once on two cores
    // starve each other's schedulers (metrics, alarm evaluation) into minutes.
    let _heavy = common::heavy();
    let ls = LocalStack::start();
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    let aws = rt.block_on(provision(&ls, "ls", Settings::aws()));
    let (dlq, orders) = rt.block_on(async { (queue_url(&aws, "ls-orders-dlq").await, queue_url(&aws, "ls-orders").await) });

    // 300 at 100/s: the move task, not the client-side fallback, and at its rate.
    rt.block_on(dead_letter(&aws, &dlq, 300));
    let start = Instant::now();
    let out = orderctl(&ls, "ls", &["dlq", "redrive", "--rate", "100", "-o", "json"]).output().unwrap();
    let took = start.elapsed();
    let report = json(&out);
    assert!(out.status.success(), "{report}\n{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(report["method"], "message-move-task", "{report}");
    assert!(!String::from_utf8_lossy(&out.stderr).contains("moving client-side"), "the fallback was never taken");
    assert_eq!(report["moved"], 300, "{report}");
    assert_eq!(report["dlqDepthAfter"], 0, "{report}");
    assert_eq!(rt.block_on(depth(&aws, &orders)), 300, "every message is back on its source queue");
    assert!(took >= Duration::from_millis(2500), "300 at 100/s take about 3 s, not {took:?}: the rate reached the task");
    eprintln!("native redrive: 300 messages in {took:?} ({:.0}/s at --rate 100)", 300.0 / took.as_secs_f64());

    // Ctrl-C while a slow move runs: the task is cancelled, nothing is lost.
    rt.block_on(async {
        aws.sqs.purge_queue().queue_url(&orders).send().await.unwrap();
        tokio::time::sleep(Duration::from_secs(1)).await;
        dead_letter(&aws, &dlq, 200).await;
    });
    let child = orderctl(&ls, "ls", &["dlq", "redrive", "--rate", "5", "-o", "json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let dlq_arn = "arn:aws:sqs:us-east-1:000000000000:ls-orders-dlq";
    // Interrupt once the task is running and has moved some.
    let deadline = Instant::now() + Duration::from_secs(60);
    rt.block_on(async {
        loop {
            assert!(Instant::now() < deadline, "the move task never got going");
            let tasks = aws.sqs.list_message_move_tasks().source_arn(dlq_arn).max_results(1).send().await.unwrap();
            if tasks.results().first().is_some_and(|t| t.status() == Some("RUNNING") && t.approximate_number_of_messages_moved() >= 5) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    });
    unsafe {
        libc::kill(child.id() as i32, libc::SIGINT);
    }
    let out = child.wait_with_output().unwrap();
    let report = json(&out);
    assert_eq!(report["interrupted"], true, "{report}");
    let moved = report["moved"].as_u64().unwrap();
    assert!(moved > 0 && moved < 200, "stopped part of the way: {report}");
    rt.block_on(async {
        let tasks = aws.sqs.list_message_move_tasks().source_arn(dlq_arn).max_results(1).send().await.unwrap();
        assert_eq!(tasks.results()[0].status(), Some("CANCELLED"), "Ctrl-C cancels the task");
        tokio::time::sleep(Duration::from_secs(2)).await;
        let (left, back) = (depth(&aws, &dlq).await, depth(&aws, &orders).await);
        assert_eq!(left + back, 200, "nothing lost: {left} in the DLQ, {back} moved back");
        eprintln!("cancelled after {back} of 200 at --rate 5");
    });
}

async fn alarm_state(aws: &orderctl::aws::Aws, name: &str) -> String {
    let alarms = aws.cloudwatch.describe_alarms().alarm_names(name).send().await.unwrap();
    alarms.metric_alarms().first().and_then(|a| a.state_value()).map(|s| s.as_str().to_string()).unwrap_or_default()
}

/// Waits until the alarm is in `state`; how long that took.
async fn until_state(aws: &orderctl::aws::Aws, name: &str, state: &str, within: Duration) -> Duration {
    let start = Instant::now();
    loop {
        if alarm_state(aws, name).await == state {
            return start.elapsed();
        }
        assert!(start.elapsed() < within, "alarm `{name}` not {state} within {within:?}: {}", alarm_state(aws, name).await);
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

/// The notifications that reached the probe queue: (new state, alarm name).
async fn notifications(aws: &orderctl::aws::Aws, probe: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    loop {
        let got = aws.sqs.receive_message().queue_url(probe).max_number_of_messages(10).wait_time_seconds(1).send().await.unwrap();
        if got.messages().is_empty() {
            return out;
        }
        for m in got.messages() {
            let envelope: serde_json::Value = serde_json::from_str(m.body().unwrap()).unwrap();
            let alarm: serde_json::Value = serde_json::from_str(envelope["Message"].as_str().unwrap()).unwrap();
            out.push((alarm["NewStateValue"].as_str().unwrap().to_string(), alarm["AlarmName"].as_str().unwrap().to_string()));
            aws.sqs.delete_message().queue_url(probe).receipt_handle(m.receipt_handle().unwrap()).send().await.unwrap();
        }
    }
}

/// `orderctl args` on stack `la` with SQS, SNS and CloudWatch on `ls` and everything
/// else on `moto`.
fn split(ls: &LocalStack, moto: &common::moto::Moto, args: &[&str]) -> std::process::Output {
    let mut cmd = Command::new(common::bin());
    cmd.args(["--target", "aws", "--stack", "la"]).args(args).env_remove("AWS_PROFILE");
    for (k, v) in moto.handler_env() {
        cmd.env(k, v);
    }
    for service in ["SQS", "SNS", "CLOUDWATCH"] {
        cmd.env(format!("AWS_ENDPOINT_URL_{service}"), &ls.endpoint);
    }
    cmd.output().unwrap()
}

#[test]
fn the_dlq_alarm_goes_to_alarm_when_sqs_dead_letters_an_order_notifies_alerts_and_clears_after_a_purge() {
    // One LocalStack at a time, and never beside a build: two at once on two cores
    // starve each other's schedulers (metrics, alarm evaluation) into minutes.
    let _heavy = common::heavy();
    let ls = LocalStack::start();
    let moto = common::moto::Moto::start();
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    let settings = Settings { alarm_period_ms: 10_000, ..Settings::aws() };
    let aws = rt.block_on(provision(&ls, "la", settings));
    rt.block_on(async {
        let (orders, dlq) = (queue_url(&aws, "la-orders").await, queue_url(&aws, "la-orders-dlq").await);
        // A probe on `alerts`, as an operator's subscription would be.
        let probe = aws.sqs.create_queue().queue_name("la-probe").send().await.unwrap().queue_url().unwrap().to_string();
        let alerts = orderctl::aws::find_topic(&aws.sdk, "la-alerts").await.unwrap().expect("the alerts topic");
        aws.sns
            .subscribe()
            .topic_arn(&alerts)
            .protocol("sqs")
            .endpoint("arn:aws:sqs:us-east-1:000000000000:la-probe")
            .send()
            .await
            .unwrap();
        let first = until_state(&aws, "la-dlq-not-empty", "OK", Duration::from_secs(60)).await;
        notifications(&aws, &probe).await;

        // SQS itself dead-letters the order: received max-receive-count times, never
        // deleted.
        aws.sqs.send_message().queue_url(&orders).message_body(r#"{"orderId":"la-1"}"#).send().await.unwrap();
        let mut receives = 0;
        while depth(&aws, &dlq).await == 0 {
            let got = aws.sqs.receive_message().queue_url(&orders).visibility_timeout(0).wait_time_seconds(1).send().await.unwrap();
            receives += got.messages().len();
            assert!(receives <= 10, "SQS never dead-lettered the order after {receives} receives");
        }
        assert_eq!(receives, 3, "dead-lettered after max-receive-count (3) receives");
        let to_alarm = until_state(&aws, "la-dlq-not-empty", "ALARM", Duration::from_secs(180)).await;

        let reason = aws.cloudwatch.describe_alarms().alarm_names("la-dlq-not-empty").send().await.unwrap().metric_alarms()[0]
            .state_reason()
            .unwrap_or_default()
            .to_string();
        // `status`, with SQS, SNS and CloudWatch sent to LocalStack and the rest to an
        // empty moto: the table, functions and pipe are missing (drift, exit 1), and the
        // alarm's state, reason and the DLQ's depth are LocalStack's.
        let status = split(&ls, &moto, &["status", "--alarm-period", "10s", "-o", "json"]);
        assert_eq!(status.status.code(), Some(1), "drift: the rest of the stack is not there: {:?}", common::text(&status));
        let report = json(&status);
        assert_eq!(report["alarm"]["name"], "la-dlq-not-empty", "{report}");
        assert_eq!(report["alarm"]["state"], "ALARM", "{report}");
        assert_eq!(report["alarm"]["reason"], reason.as_str(), "the reason is CloudWatch's own: {report}");
        assert_eq!(report["dlqDepth"], 1, "{report}");
        assert_eq!(common::schema_errors("status", &report), Vec::<String>::new());
        let text = String::from_utf8_lossy(&split(&ls, &moto, &["status", "--alarm-period", "10s"]).stdout).into_owned();
        assert!(text.contains("ALARM"), "the text report shows the state: {text}");
        // A `send` on the same split (its table on moto): the orders wait in LocalStack's
        // queue, with no function to take them (exit 1: unsettled), and the report has
        // the alarm as CloudWatch has it.
        common::moto::create_table(&moto.sdk().await, "la-orders").await;
        let sent = split(&ls, &moto, &["send", "--count", "3", "--rate", "50", "--wait", "0s", "-o", "json"]);
        assert_eq!(sent.status.code(), Some(1), "unsettled: {:?}", common::text(&sent));
        let report = json(&sent);
        assert_eq!(report["total"]["sent"], 3, "{report}");
        assert_eq!(report["alarm"]["state"], "ALARM", "{report}");
        assert_eq!(report["alarm"]["reason"], reason.as_str(), "{report}");
        assert_eq!(common::schema_errors("send-report", &report), Vec::<String>::new());
        // The three orders wait in the queue, not dead-lettered: the DLQ holds the one.
        assert_eq!(report["dlqDepth"], 1, "{report}");
        aws.sqs.purge_queue().queue_url(&orders).send().await.unwrap();
        let mut said = Vec::new();
        let deadline = Instant::now() + Duration::from_secs(30);
        while !said.iter().any(|(state, _): &(String, String)| state == "ALARM") {
            assert!(Instant::now() < deadline, "no ALARM notification reached `alerts`: {said:?}");
            said.extend(notifications(&aws, &probe).await);
        }
        assert!(said.iter().all(|(_, name)| name == "la-dlq-not-empty"), "{said:?}");

        aws.sqs.purge_queue().queue_url(&dlq).send().await.unwrap();
        let to_ok = until_state(&aws, "la-dlq-not-empty", "OK", Duration::from_secs(180)).await;
        let deadline = Instant::now() + Duration::from_secs(30);
        let mut back = Vec::new();
        while !back.iter().any(|(state, _): &(String, String)| state == "OK") {
            assert!(Instant::now() < deadline, "no OK notification reached `alerts`: {back:?}");
            back.extend(notifications(&aws, &probe).await);
        }
        eprintln!("alarm: OK after {first:?}; ALARM {to_alarm:?} after the dead-lettering ({reason}); OK {to_ok:?} after the purge");
    });
}
