//! `orderctl send --workers N` against moto: the real `load-generator` workers run as
//! processes under the local Lambda Runtime API (moto runs no Lambda code), each
//! publishing its share to moto; the real `order-worker` behind emulated mappings
//! settles the orders; the CLI merges the workers' reports and reads every order back.

use crate::common;

use common::moto::{create_pipeline, leftovers, packages, Moto};
use common::proxy::Proxy;
use hdrhistogram::Histogram;
use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};
use std::time::Duration;

fn zips() -> &'static Path {
    packages()["load-generator"].parent().unwrap()
}

/// `orderctl --target aws --stack STACK --yes ARGS`, the words of `args` split at
/// spaces, against `endpoint`.
fn orderctl_at(endpoint: &str, dir: &Path, stack: &str, args: &str) -> Output {
    let mut cmd = Command::new(common::bin());
    cmd.current_dir(dir).envs(common::endpoint_env(endpoint)).args(["--target", "aws", "--stack", stack, "--yes"]);
    cmd.args(args.split(' ')).output().unwrap()
}

/// Every sample of every worker's histogram, recorded again one by one into a single
/// histogram: the figure a single publisher would have measured.
fn one_histogram_of_every_sample(workers: &[Value], which: &str) -> Histogram<u64> {
    let mut all = orderctl::report::latency_histogram();
    for w in workers {
        let h = load_publisher::hist::decode(w["histograms"][which].as_str().unwrap()).unwrap();
        for v in h.iter_recorded() {
            for _ in 0..v.count_at_value() {
                all.record(v.value_iterated_to()).unwrap();
            }
        }
    }
    all
}

#[tokio::test(flavor = "multi_thread")]
async fn four_workers_publish_the_schedule_and_their_figures_merge_exactly() {
    let moto = Moto::start();
    let sdk = moto.sdk().await;
    create_pipeline(&sdk, "wk").await;
    let dir = tempfile::tempdir().unwrap();
    let mut mappings = moto.mappings(dir.path(), "wk", "20s");

    // moto takes about 30 ms for a batch of 10 on an empty queue here, and longer as
    // the queue grows: 40 orders/s is what it keeps up with while the mappings read.
    // A 5 s function timeout: each worker's 10 s share is handed on to fresh
    // invocations, as a run longer than Lambda's 15 minutes is.
    let zips = zips().display();
    let send = format!("send --normal --count 400 --rate 40 --wait 120s --workers 4 --worker-timeout 5s --zips {zips} -o json");
    let out = orderctl_at(&moto.endpoint, dir.path(), "wk", &send);
    let _ = mappings.kill();
    let _ = mappings.wait();
    let (stdout, stderr) = common::text(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}\n{stdout}");
    let r: Value = serde_json::from_str(&stdout).unwrap();
    let t = &r["total"];
    assert_eq!([&t["sent"], &t["completed"], &t["lost"], &t["inFlight"]].map(|v| v.as_u64()), [400, 400, 0, 0].map(Some), "{t}");
    assert_eq!(r["latency"]["endToEnd"]["count"], 400, "every order read back from the table");

    assert_eq!(common::schema_errors("send-report", &r), Vec::<String>::new(), "the report with workers follows the committed schema");
    let w = &r["workers"];
    assert_eq!((w["count"].as_u64(), w["runner"].as_str()), (Some(4), Some("local")), "{w}");
    let each = w["each"].as_array().unwrap();
    assert_eq!(each.len(), 4);
    let sum = |field: &str| each.iter().map(|e| e[field].as_u64().unwrap()).sum::<u64>();
    assert_eq!(sum("sent"), t["sent"].as_u64().unwrap(), "merged counts are the sum of the workers'");
    assert_eq!(sum("share"), 400);
    for e in each {
        assert_eq!((e["share"].as_u64(), e["sent"].as_u64()), (Some(100), Some(100)), "{e}");
        assert!(e["invocations"].as_u64().unwrap() >= 3, "a 10 s share in segments of 3.75 s is handed on: {e}");
    }
    // The merged percentiles are those of every sample together, not an average.
    for (which, figure) in [("publish", &r["latency"]["publish"]), ("lateness", &r["scheduling"]["lateness"])] {
        let all = one_histogram_of_every_sample(each, which);
        assert_eq!(figure["count"].as_u64(), Some(all.len()), "{which}");
        let single = orderctl::report::LatencySummary::of(&all).unwrap();
        assert_eq!(figure["p99Ms"].as_f64(), Some(single.p99_ms), "{which}: the merged p99 is one histogram's");
        assert_eq!(figure["maxMs"].as_f64(), Some(single.max_ms), "{which}");
    }
    assert_eq!(r["latency"]["publish"]["count"], 400);
    assert!(stderr.contains("Lambda invocations") && stderr.contains("GB-seconds"), "the cost is shown before the run: {stderr}");

    // The generator is the stack's: a second run with the same settings deploys
    // nothing, `down` removes it.
    let again = format!("send --count 8 --rate 8 --wait 0s --workers 2 --worker-timeout 5s --zips {zips} -o json");
    let again = orderctl_at(&moto.endpoint, dir.path(), "wk", &again);
    let (again_out, again_err) = common::text(&again);
    // Published only (`--wait 0s`): the orders are reported in flight, exit 1.
    assert_eq!(again.status.code(), Some(1), "{again_err}");
    let again: Value = serde_json::from_str(&again_out).unwrap();
    assert_eq!((again["sent"].as_u64(), again["workers"]["count"].as_u64()), (Some(8), Some(2)), "{again_err}");
    assert!(again_err.contains("load generator `wk-load-generator`: up to date"), "{again_err}");
    let status = orderctl_at(&moto.endpoint, dir.path(), "wk", "status -o json");
    let status: Value = serde_json::from_slice(&status.stdout).unwrap();
    let generator: Vec<&Value> =
        status["resources"].as_array().unwrap().iter().filter(|r| r["name"].as_str().unwrap().contains("load-generator")).collect();
    assert_eq!(generator.len(), 3, "`status` lists the generator's role, log group and function: {generator:?}");
    assert!(generator.iter().all(|r| r["state"] == "present"), "{generator:?}");
    let down = orderctl_at(&moto.endpoint, dir.path(), "wk", "down -o json");
    assert_eq!(down.status.code(), Some(0), "{}", common::text(&down).1);
    let left: Vec<String> = leftovers(&sdk, "wk").await.into_iter().filter(|l| l.contains("load-generator")).collect();
    assert!(left.is_empty(), "`down` leaves nothing of the generator: {left:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_worker_that_never_reports_ready_stops_the_run_before_anything_is_sent() {
    let moto = Moto::start();
    let sdk = moto.sdk().await;
    let (_, queue, _) = create_pipeline(&sdk, "nr").await;
    // Worker k's `prepare` reaches the topic through a path that takes its request and
    // never answers: it cannot report ready.
    let proxy = Proxy::start(&moto.endpoint);
    proxy.hang_one("GetTopicAttributes", 3);
    let dir = tempfile::tempdir().unwrap();
    let send = format!("send --count 400 --rate 400 --workers 4 --ready-timeout 5s --zips {}", zips().display());
    let out = orderctl_at(&proxy.endpoint, dir.path(), "nr", &send);
    let (stdout, stderr) = common::text(&out);
    assert_eq!(out.status.code(), Some(2), "{stderr}\n{stdout}");
    assert!(stderr.contains("1 of 4 workers did not report ready within 5s") && stderr.contains("nothing was sent"), "{stderr}");
    let publishes = proxy.seen().iter().filter(|s| s.operation == "PublishBatch" || s.operation == "Publish").count();
    assert_eq!(publishes, 0, "no worker published");
    let sqs = aws_sdk_sqs::Client::new(&sdk);
    let attrs = sqs
        .get_queue_attributes()
        .queue_url(&queue)
        .attribute_names(aws_sdk_sqs::types::QueueAttributeName::ApproximateNumberOfMessages)
        .send()
        .await
        .unwrap();
    assert_eq!(attrs.attributes().unwrap()[&aws_sdk_sqs::types::QueueAttributeName::ApproximateNumberOfMessages], "0");
    let items = aws_sdk_dynamodb::Client::new(&sdk).scan().table_name("nr-orders").send().await.unwrap();
    assert_eq!(items.count(), 0, "no order reached the table");
}

#[tokio::test(flavor = "multi_thread")]
async fn workers_invoked_through_lambda_s_api_hand_their_shares_on() {
    let moto = Moto::start();
    let sdk = moto.sdk().await;
    create_pipeline(&sdk, "li").await;
    // Lambda's `Invoke` run for real in front of moto (which stores functions and runs
    // none): the deployed generator's code, a process per invocation in flight.
    let proxy = Proxy::start(&moto.endpoint);
    let functions = proxy.run_function(
        "li-load-generator",
        &packages()["load-generator"],
        common::endpoint_env(&moto.endpoint),
        Duration::from_secs(4),
    );
    let dir = tempfile::tempdir().unwrap();
    let send = format!(
        "send --normal --count 160 --rate 40 --wait 0s --workers 4 --worker-runner lambda --worker-timeout 4s --zips {} -o json",
        zips().display()
    );
    let out = orderctl_at(&proxy.endpoint, dir.path(), "li", &send);
    let (stdout, stderr) = common::text(&out);
    // Published only (`--wait 0s`): the orders are reported in flight, exit 1.
    assert_eq!(out.status.code(), Some(1), "{stderr}\n{stdout}");
    let r: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!((r["sent"].as_u64(), r["workers"]["runner"].as_str()), (Some(160), Some("lambda")), "{stderr}");
    for e in r["workers"]["each"].as_array().unwrap() {
        assert_eq!(e["sent"], 40, "{e}");
        assert!(e["invocations"].as_u64().unwrap() >= 2, "a 6 s share in segments of 3 s is handed on through Invoke: {e}");
    }
    let invoked = functions.invocations.load(std::sync::atomic::Ordering::SeqCst);
    assert_eq!(r["workers"]["invocations"].as_u64(), Some(invoked), "every invocation went through Lambda's API: prepare and each segment");
}

#[test]
fn workers_need_the_aws_target() {
    let dir = tempfile::tempdir().unwrap();
    let out = common::orderctl(dir.path(), &["send", "--count", "10", "--workers", "2"]);
    let (_, stderr) = common::text(&out);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("`--workers` publishes from Lambda functions: it needs `--target aws`"), "{stderr}");
    let out = common::orderctl(dir.path(), &["--target", "aws", "send", "--workers", "2", "--worker-timeout", "20m"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(common::text(&out).1.contains("whole seconds from 3s to 15m"), "{}", common::text(&out).1);
}
