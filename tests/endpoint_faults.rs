//! The `aws` target when the endpoint misbehaves: it goes away in the middle of a `send`
//! and of an `up` and comes back (a proxy in front of moto, so the emulator keeps its
//! state), or stays away, or throttles, or hangs (takes requests and never answers). The publisher retries with backoff and reports what it could
//! not publish — nothing is silently lost — and an interrupted `up` converges when run
//! again.

use crate::common;
use common::block_on;

use common::moto::{create_pipeline, tiny_packages, Moto};
use common::proxy::Proxy;
use serde_json::Value;
use std::collections::HashSet;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn command(endpoint: &str, moto: &Moto, stack: &str, args: &[&str]) -> Command {
    let mut cmd = Command::new(common::bin());
    cmd.args(["--target", "aws", "--stack", stack]).args(args).env("AWS_ENDPOINT_URL", endpoint).env_remove("AWS_PROFILE");
    for (k, v) in moto.handler_env() {
        if k != "AWS_ENDPOINT_URL" {
            cmd.env(k, v);
        }
    }
    cmd.env_remove("ORDERCTL_AWS_CRASH_AFTER");
    cmd
}

/// The order ids of every message in the queue, each received once and kept hidden.
async fn order_ids_in(sdk: &aws_config::SdkConfig, url: &str) -> (usize, HashSet<String>) {
    let sqs = aws_sdk_sqs::Client::new(sdk);
    let (mut messages, mut ids) = (0, HashSet::new());
    let mut empty = 0;
    while empty < 3 {
        let out = sqs.receive_message().queue_url(url).max_number_of_messages(10).visibility_timeout(300).send().await.unwrap();
        if out.messages().is_empty() {
            empty += 1;
            continue;
        }
        empty = 0;
        for m in out.messages() {
            let body: Value = serde_json::from_str(m.body().unwrap()).unwrap();
            messages += 1;
            ids.insert(body["orderId"].as_str().unwrap().to_string());
        }
    }
    (messages, ids)
}

/// Publishes `count` orders at `rate` through `proxy`, calling `during` once the first
/// orders are out; returns the JSON report.
fn send_through(proxy: &Proxy, moto: &Moto, stack: &str, count: u64, rate: u64, during: impl FnOnce()) -> (Output, Value) {
    send_with(proxy, moto, stack, count, rate, &[], during)
}

/// `send_through` with more environment (`ORDERCTL_PUBLISH_GIVE_UP_SECONDS`, …).
fn send_with(
    proxy: &Proxy,
    moto: &Moto,
    stack: &str,
    count: u64,
    rate: u64,
    env: &[(&str, &str)],
    during: impl FnOnce(),
) -> (Output, Value) {
    let (count, rate) = (count.to_string(), rate.to_string());
    let child = command(
        &proxy.endpoint,
        moto,
        stack,
        &["send", "--kind", "normal", "--count", &count, "--rate", &rate, "--wait", "0s", "-o", "json"],
    )
    .envs(env.iter().copied())
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .spawn()
    .unwrap();
    during();
    let out = child.wait_with_output().unwrap();
    let report: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}\n{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)));
    (out, report)
}

/// Every accepted order is in the queue, nothing is there that was not sent, and orders
/// not published are a problem of the report.
fn accounted_for(report: &Value, count: u64, ids: &HashSet<String>) {
    let not_published = report["problems"].as_array().unwrap().iter().any(|p| p.as_str().unwrap().contains("could not be published"));
    assert_eq!(not_published, report["scheduling"]["publishErrors"].as_u64() > Some(0), "{report}");
    let (sent, errors) = (report["sent"].as_u64().unwrap(), report["scheduling"]["publishErrors"].as_u64().unwrap());
    assert_eq!(sent + errors + report["scheduling"]["unsent"].as_u64().unwrap(), count, "every order is sent or reported: {report}");
    // An order whose publish succeeded but whose answer was cut counts as an error and
    // may still have arrived.
    assert!(
        (sent..=sent + errors).contains(&(ids.len() as u64)),
        "{} distinct orders in the queue, {sent} accepted, {errors} reported failed",
        ids.len()
    );
    let run = report["runId"].as_str().unwrap();
    assert!(ids.iter().all(|id| id.starts_with(run)), "only this run's orders are in the queue");
}

#[test]
fn a_send_rides_out_the_endpoint_going_away_and_coming_back() {
    let moto = Moto::start();
    let proxy = Proxy::start(&moto.endpoint);
    let sdk = block_on(moto.sdk());
    let (_, queue, _) = block_on(create_pipeline(&sdk, "ef"));
    let count = 600;
    let (out, report) = send_through(&proxy, &moto, "ef", count, 100, || {
        // Away once publishing is under way (not during the lookups before it).
        let start = std::time::Instant::now();
        while proxy.seen().iter().filter(|s| s.operation == "PublishBatch").count() < 10 {
            assert!(start.elapsed() < Duration::from_secs(60), "the send never started publishing");
            std::thread::sleep(Duration::from_millis(20));
        }
        proxy.stop();
        std::thread::sleep(Duration::from_secs(3));
        proxy.resume();
    });
    let (messages, ids) = block_on(order_ids_in(&sdk, &queue));
    let sc = &report["scheduling"];
    eprintln!(
        "endpoint away 3 s mid-send: exit {:?}, {} of {count} accepted, {} publish errors, {} retried requests, last error: {}; {messages} messages ({} distinct orders) in the queue",
        out.status.code(),
        report["sent"],
        sc["publishErrors"],
        sc["retries"],
        sc["lastError"],
        ids.len()
    );
    assert!(sc["retries"].as_u64().unwrap() > 0, "the publisher retried while the endpoint was away: {sc}");
    assert!(sc["lastError"].as_str().is_some_and(|e| !e.is_empty()), "the error is reported: {sc}");
    accounted_for(&report, count, &ids);
    // 3 s away is well inside the 30 s a batch is retried for: nothing may be given up.
    assert_eq!((report["sent"].as_u64(), sc["publishErrors"].as_u64()), (Some(count), Some(0)), "{sc}");
    assert_eq!(out.status.code(), Some(1), "`--wait 0s` reports the orders in flight: {report}");
}

#[test]
fn throttled_publishes_are_retried_with_backoff_and_all_arrive() {
    let moto = Moto::start();
    let proxy = Proxy::start(&moto.endpoint);
    let sdk = block_on(moto.sdk());
    let (_, queue, _) = block_on(create_pipeline(&sdk, "th"));
    proxy.throttle("PublishBatch", 3);
    let count = 300;
    let (_, report) = send_through(&proxy, &moto, "th", count, 100, || {});
    let (messages, ids) = block_on(order_ids_in(&sdk, &queue));
    accounted_for(&report, count, &ids);
    assert_eq!((report["sent"].as_u64(), messages as u64), (Some(count), count), "each order published once");

    // Each throttled batch was sent again (its first entry's id repeats), after a pause.
    let seen = proxy.seen();
    let throttled: Vec<_> = seen.iter().filter(|s| s.throttled).collect();
    let mut pauses: Vec<Duration> = throttled
        .iter()
        .map(|t| {
            let retry = seen
                .iter()
                .find(|s| s.at > t.at && s.first_entry == t.first_entry && s.operation == "PublishBatch")
                .unwrap_or_else(|| panic!("throttled batch {:?} was never sent again", t.first_entry));
            retry.at - t.at
        })
        .collect();
    pauses.sort();
    let retries = report["scheduling"]["retries"].as_u64().unwrap();
    eprintln!(
        "throttling every 3rd PublishBatch: {} throttled, {retries} retried requests, pause before a retry min {:?} / median {:?} / max {:?}; {count} of {count} orders in the queue",
        throttled.len(),
        pauses[0],
        pauses[pauses.len() / 2],
        pauses[pauses.len() - 1]
    );
    assert!(throttled.len() >= 5, "{} requests throttled", throttled.len());
    assert!(retries >= throttled.len() as u64, "the report counts every retry: {retries} < {}", throttled.len());
    // The SDK's standard retry waits a jittered exponential backoff (up to 1 s first).
    assert!(pauses[pauses.len() / 2] >= Duration::from_millis(50), "retries back off: {pauses:?}");
}

#[test]
fn an_up_cut_off_by_the_endpoint_converges_when_run_again() {
    let moto = Moto::start();
    let proxy = Proxy::start(&moto.endpoint);
    let packages = tiny_packages();
    let pkg = packages.path().display().to_string();
    let up = ["up", "--yes", "-o", "json", "--zips", pkg.as_str()];
    let mut outcomes = Vec::new();
    // Cut on the n-th request of the up (a full `up` makes 67), never on a clock: early,
    // while it reads what exists, and late, while it creates.
    for (round, cut_at) in [8usize, 45].into_iter().enumerate() {
        let stack = format!("eu{round}");
        let started = Instant::now();
        let seen_before = proxy.seen().len();
        let mut child = command(&proxy.endpoint, &moto, &stack, &up).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
        while proxy.seen().len() - seen_before < cut_at {
            assert!(child.try_wait().unwrap().is_none(), "the up ended before its {cut_at}th request");
            assert!(started.elapsed() < Duration::from_secs(120), "the up never reached its {cut_at}th request");
            std::thread::sleep(Duration::from_millis(1));
        }
        proxy.stop();
        let before = proxy.seen().len() - seen_before;
        assert!(child.try_wait().unwrap().is_none(), "the cut landed while the up ran");
        assert!(before < 67, "the cut landed mid-run: {before} of a full up's 67 requests");
        let cut_after_ms = started.elapsed().as_millis();
        std::thread::sleep(Duration::from_secs(2));
        proxy.resume();
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        let said = stderr.lines().find(|l| l.contains("error")).unwrap_or("").to_string();
        outcomes.push(format!(
            "cut after {cut_after_ms} ms ({before} requests in): exit {:?} in {:.1}s {said}",
            out.status.code(),
            started.elapsed().as_secs_f64()
        ));
        match out.status.code() {
            // Rode it out on the SDK's retries.
            Some(0) => {}
            Some(2) => assert!(stderr.contains("error"), "a failed up says why: {stderr}"),
            other => panic!("up cut off: exit {other:?}\n{stderr}"),
        }
        // Run again: it converges, and a third run changes nothing.
        let again = command(&proxy.endpoint, &moto, &stack, &up).output().unwrap();
        let again = common::ok_json(&again, "up after the endpoint came back");
        assert_eq!(again["stack"], stack.as_str());
        let third = common::ok_json(&command(&proxy.endpoint, &moto, &stack, &up).output().unwrap(), "third up");
        assert_eq!(third["apiCalls"]["mutating"], 0, "converged: {}", third["apiCalls"]);
        let status = common::ok_json(&command(&proxy.endpoint, &moto, &stack, &["status", "-o", "json"]).output().unwrap(), "status");
        let resources = status["resources"].as_array().unwrap();
        assert!(resources.iter().all(|r| r["state"] == "present"), "every resource present: {resources:?}");
    }
    eprintln!("up with the endpoint away for 2 s: {}", outcomes.join("; "));
}

/// Waits for `until` publishes to have gone through the proxy.
fn after_publishes(proxy: &Proxy, until: usize) {
    let start = Instant::now();
    while proxy.seen().iter().filter(|s| s.operation == "PublishBatch").count() < until {
        assert!(start.elapsed() < Duration::from_secs(60), "the send never started publishing");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_send_whose_endpoint_stays_away_gives_up_and_reports_every_order_it_could_not_publish() {
    let moto = Moto::start();
    let proxy = Proxy::start(&moto.endpoint);
    let sdk = block_on(moto.sdk());
    let (_, queue, _) = block_on(create_pipeline(&sdk, "eg"));
    let count = 600;
    let started = Instant::now();
    let (out, report) = send_with(&proxy, &moto, "eg", count, 100, &[("ORDERCTL_PUBLISH_GIVE_UP_SECONDS", "3")], || {
        after_publishes(&proxy, 10);
        proxy.stop(); // and it never comes back
    });
    let took = started.elapsed();
    proxy.resume();
    let (_, ids) = block_on(order_ids_in(&sdk, &queue));
    let sc = &report["scheduling"];
    eprintln!(
        "endpoint gone for good after 10 batches: exit {:?} in {took:?}, {} accepted, {} not published, last error: {}",
        out.status.code(),
        report["sent"],
        sc["publishErrors"],
        sc["lastError"]
    );
    let errors = sc["publishErrors"].as_u64().unwrap();
    assert!(errors > 0 && report["sent"].as_u64().unwrap() > 0, "some accepted, the rest given up: {report}");
    assert!(!sc["lastError"].as_str().unwrap().contains("DispatchFailure {"), "the error reads as a sentence, not a Debug dump: {sc}");
    let problem = report["problems"].as_array().unwrap().iter().find_map(|p| p.as_str().filter(|p| p.contains("could not be published")));
    assert!(problem.is_some_and(|p| p.contains(&format!("{errors} orders")) && p.contains("tried for 3s")), "{report}");
    accounted_for(&report, count, &ids);
    assert_eq!(out.status.code(), Some(1), "orders not published are a negative outcome: {report}");
}

#[test]
fn a_hung_endpoint_times_each_attempt_out_and_no_command_hangs() {
    let moto = Moto::start();
    let proxy = Proxy::start(&moto.endpoint);
    let sdk = block_on(moto.sdk());
    let (_, queue, _) = block_on(create_pipeline(&sdk, "eh"));
    let env = [("ORDERCTL_AWS_ATTEMPT_TIMEOUT_SECONDS", "1"), ("ORDERCTL_PUBLISH_GIVE_UP_SECONDS", "3")];
    let count = 300;
    let started = Instant::now();
    let (out, report) = send_with(&proxy, &moto, "eh", count, 100, &env, || {
        after_publishes(&proxy, 10);
        proxy.hang();
    });
    let took = started.elapsed();
    let hung: Vec<_> = proxy.seen().into_iter().filter(|s| s.operation == "PublishBatch").collect();
    let sc = report["scheduling"].clone();
    eprintln!(
        "send into a hung endpoint: exit {:?} in {took:?}, {} accepted, {} not published, last error: {}",
        out.status.code(),
        report["sent"],
        sc["publishErrors"],
        sc["lastError"]
    );
    assert!(sc["publishErrors"].as_u64().unwrap() > 0, "{report}");
    assert!(sc["lastError"].as_str().unwrap_or_default().contains("timeout"), "the attempts timed out: {sc}");
    assert!(hung.len() > 10, "requests reached the hung proxy: {}", hung.len());
    proxy.answer();
    let (_, ids) = block_on(order_ids_in(&sdk, &queue));
    accounted_for(&report, count, &ids);

    // A command against the hung endpoint ends, with an error that says so.
    proxy.hang();
    let started = Instant::now();
    let mut child =
        command(&proxy.endpoint, &moto, "eh", &["status"]).envs(env).stdout(Stdio::null()).stderr(Stdio::piped()).spawn().unwrap();
    let code = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status.code();
        }
        if started.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            panic!("`status` against a hung endpoint still runs after 120 s");
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let mut stderr = String::new();
    std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut stderr).unwrap();
    eprintln!("status against a hung endpoint: exit {code:?} in {:?}: {}", started.elapsed(), stderr.trim());
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("timed out") || stderr.contains("timeout"), "{stderr}");
}
