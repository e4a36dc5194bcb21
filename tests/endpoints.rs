//! Service-specific endpoints, as the AWS CLI and SDKs take them: with
//! `AWS_ENDPOINT_URL` at one endpoint and `AWS_ENDPOINT_URL_<SERVICE>` at another, each
//! service goes where its own variable says — found by listing both endpoints, not
//! through orderctl — and `up` shows the split; `--endpoint-url` sends every service
//! to one place, as the CLI's flag does.

use crate::common;

use common::moto::{leftovers, tiny_packages, Moto};
use common::ok_json;
use std::process::Command;

/// The services sent to the second endpoint: everything the queues, topics, alarm and
/// functions need (moto's Lambda checks a mapping's queue and a function's role in its
/// own SQS and IAM).
const ELSEWHERE: [&str; 5] = ["SQS", "SNS", "CLOUDWATCH", "LAMBDA", "IAM"];

fn orderctl(a: &Moto, b: &Moto, stack: &str, args: &[&str]) -> std::process::Output {
    let mut cmd = Command::new(common::bin());
    cmd.args(["--target", "aws", "--stack", stack]).args(args).env_remove("AWS_PROFILE");
    for (k, v) in a.handler_env() {
        cmd.env(k, v);
    }
    for service in ELSEWHERE {
        cmd.env(format!("AWS_ENDPOINT_URL_{service}"), &b.endpoint);
    }
    cmd.output().expect("orderctl runs")
}

/// What one endpoint holds of `stack`, by kind: (queues, topics, alarms, functions,
/// roles, tables, log groups).
async fn holds(moto: &Moto, stack: &str) -> [usize; 7] {
    let sdk = moto.sdk().await;
    let prefix = format!("{stack}-");
    let queues = aws_sdk_sqs::Client::new(&sdk).list_queues().queue_name_prefix(&prefix).send().await.unwrap().queue_urls().len();
    let topics = aws_sdk_sns::Client::new(&sdk)
        .list_topics()
        .send()
        .await
        .unwrap()
        .topics()
        .iter()
        .filter(|t| t.topic_arn().unwrap_or_default().contains(&format!(":{prefix}")))
        .count();
    let alarms =
        aws_sdk_cloudwatch::Client::new(&sdk).describe_alarms().alarm_name_prefix(&prefix).send().await.unwrap().metric_alarms().len();
    let functions = aws_sdk_lambda::Client::new(&sdk)
        .list_functions()
        .send()
        .await
        .unwrap()
        .functions()
        .iter()
        .filter(|f| f.function_name().unwrap_or_default().starts_with(&prefix))
        .count();
    let roles = aws_sdk_iam::Client::new(&sdk)
        .list_roles()
        .send()
        .await
        .unwrap()
        .roles()
        .iter()
        .filter(|r| r.role_name().starts_with(&prefix))
        .count();
    let tables = aws_sdk_dynamodb::Client::new(&sdk)
        .list_tables()
        .send()
        .await
        .unwrap()
        .table_names()
        .iter()
        .filter(|t| t.starts_with(&prefix))
        .count();
    let groups = aws_sdk_cloudwatchlogs::Client::new(&sdk)
        .describe_log_groups()
        .log_group_name_prefix(format!("/aws/lambda/{prefix}"))
        .send()
        .await
        .unwrap()
        .log_groups()
        .len();
    [queues, topics, alarms, functions, roles, tables, groups]
}

#[test]
fn a_service_s_own_endpoint_variable_wins_for_that_service_and_the_flag_for_all() {
    let (a, b) = (Moto::start(), Moto::start());
    let zips = tiny_packages();
    let zips = zips.path().to_str().unwrap();
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();

    let up = orderctl(&a, &b, "sp", &["up", "--yes", "-o", "json", "--zips", zips, "--disable-mappings"]);
    let report = ok_json(&up, "up with split endpoints");
    let stderr = String::from_utf8_lossy(&up.stderr);
    assert!(
        stderr.contains(&format!("endpoint {} (cloudwatch, iam, lambda, sns, sqs → {})", a.endpoint, b.endpoint)),
        "up shows every endpoint in use: {stderr}"
    );
    assert_eq!(report["aws"]["endpoint"], a.endpoint.as_str());
    assert_eq!(report["aws"]["serviceEndpoints"]["sqs"], b.endpoint.as_str(), "{report}");
    assert_eq!(rt.block_on(holds(&a, "sp")), [0, 0, 0, 0, 0, 1, 3], "the table and log groups, and nothing else, on AWS_ENDPOINT_URL");
    assert_eq!(rt.block_on(holds(&b, "sp")), [3, 2, 1, 3, 4, 0, 0], "queues, topics, alarm, functions and roles on their own endpoint");

    let again = ok_json(&orderctl(&a, &b, "sp", &["up", "--yes", "-o", "json", "--zips", zips, "--disable-mappings"]), "second up");
    assert_eq!(again["apiCalls"]["mutating"], 0, "each service is read back where it was made: {again}");

    // The flag sends every service to one endpoint, the service variables
    // notwithstanding.
    let flag = ["--endpoint-url", a.endpoint.as_str(), "up", "--yes", "-o", "json", "--zips", zips, "--disable-mappings"];
    let report = ok_json(&orderctl(&a, &b, "fl", &flag), "up with --endpoint-url");
    assert!(report["aws"].get("serviceEndpoints").is_none(), "{report}");
    assert_eq!(rt.block_on(holds(&a, "fl")), [3, 2, 1, 3, 4, 1, 3]);
    assert_eq!(rt.block_on(holds(&b, "fl")), [0; 7]);

    for (stack, extra) in [("sp", vec![]), ("fl", vec!["--endpoint-url", a.endpoint.as_str()])] {
        let mut args = extra.clone();
        args.extend(["down", "--yes", "-o", "json"]);
        ok_json(&orderctl(&a, &b, stack, &args), "down");
        for moto in [&a, &b] {
            let left = rt.block_on(async { leftovers(&moto.sdk().await, stack).await });
            assert!(left.is_empty(), "{stack}: down left {left:?} at {}", moto.endpoint);
        }
    }
}
