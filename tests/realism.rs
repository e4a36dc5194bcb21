//! The `aws` target against AWS's documented behaviours that moto lacks, reproduced by
//! the test proxy in front of it (`common::proxy::Realism`, which cites the
//! documentation of each): a deleted queue's name is not free for a while
//! (`QueueDeletedRecently`); a new role is not assumable at once (Lambda's
//! `InvalidParameterValueException`, Pipes' `ValidationException`); a new function is
//! `Pending`, an updated one `InProgress`, and another update meanwhile is a
//! `ResourceConflictException`; and control-plane calls are throttled in each service's
//! own shape. Through all of it `up` converges, a second `up` changes nothing, an update
//! of code and configuration waits between the two, `down` and then at once `up`
//! converges, and `down` leaves nothing. Each behaviour is counted, so a run that did
//! not meet one does not pass for having ridden it out.

use crate::common;

use common::moto::{leftovers, tiny_packages, tiny_packages_of, Moto};
use common::ok_json;
use common::proxy::{Proxy, Realism};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

fn orderctl(proxy: &Proxy, moto: &Moto, args: &[&str]) -> Output {
    let mut cmd = Command::new(common::bin());
    cmd.args(["--target", "aws", "--stack", "rl"]).args(args).env_remove("AWS_PROFILE");
    for (k, v) in moto.handler_env() {
        cmd.env(k, v);
    }
    cmd.env("AWS_ENDPOINT_URL", &proxy.endpoint).env_remove("ORDERCTL_AWS_CRASH_AFTER").output().unwrap()
}

fn all_present(proxy: &Proxy, moto: &Moto, when: &str, settings: &[&str]) {
    let status = ok_json(&orderctl(proxy, moto, &[&["status", "-o", "json"][..], settings].concat()), &format!("status {when}"));
    let resources = status["resources"].as_array().unwrap();
    assert!(resources.iter().all(|r| r["state"] == "present"), "{when}: every resource present: {resources:?}");
}

#[test]
fn up_and_down_converge_through_aws_eventual_consistency_and_throttling() {
    let moto = Moto::start();
    let proxy = Proxy::start(&moto.endpoint);
    let realism = Realism {
        queue_deleted_recently: Duration::from_secs(8),
        role_propagation: Duration::from_secs(4),
        function_settling: Duration::from_secs(2),
        throttle_every: 9,
    };
    proxy.realism(realism.clone());
    let (v1, v2) = (tiny_packages(), tiny_packages_of(" v2"));
    let (v1, v2) = (v1.path().display().to_string(), v2.path().display().to_string());
    let mut log = Vec::new();
    let mut step = |what: &str, args: &[&str]| -> serde_json::Value {
        let started = Instant::now();
        let before = proxy.injected();
        let out = ok_json(&orderctl(&proxy, &moto, args), what);
        let after = proxy.injected();
        let met: Vec<String> = after
            .iter()
            .map(|(k, n)| (k, n - before.get(k).unwrap_or(&0)))
            .filter(|(_, n)| *n > 0)
            .map(|(k, n)| format!("{k} ×{n}"))
            .collect();
        log.push(format!("{what}: {:.1}s, met {}", started.elapsed().as_secs_f64(), met.join(", ")));
        out
    };

    let first = step("first up", &["up", "--yes", "-o", "json", "--zips", &v1]);
    assert_eq!(first["applied"], true, "{first}");
    all_present(&proxy, &moto, "after the first up", &[]);
    let met = proxy.injected();
    for behaviour in ["role not assumable yet (Lambda)", "role not assumable yet (Pipes)", "function Pending", "throttled"] {
        assert!(met.get(behaviour).is_some_and(|n| *n > 0), "the first up met `{behaviour}`: {met:?}");
    }

    let second = step("second up", &["up", "--yes", "-o", "json", "--zips", &v1]);
    assert_eq!(second["apiCalls"]["mutating"], 0, "the second up changes nothing: {}", second["apiCalls"]);

    // New code and a new timeout: two updates of each function, the second only once
    // the first has finished (`InProgress` until then).
    let third = step("up with new code and timeout", &["up", "--yes", "-o", "json", "--zips", &v2, "--function-timeout", "4s"]);
    assert_eq!(third["applied"], true, "{third}");
    let met = proxy.injected();
    assert!(met.get("update InProgress").is_some_and(|n| *n > 0), "the updates were seen in progress: {met:?}");
    assert_eq!(met.get("ResourceConflictException (function not settled)"), None, "nothing was sent to a function not settled: {met:?}");
    all_present(&proxy, &moto, "after the update", &["--function-timeout", "4s"]);
    let settled = step("up again", &["up", "--yes", "-o", "json", "--zips", &v2, "--function-timeout", "4s"]);
    assert_eq!(settled["apiCalls"]["mutating"], 0, "converged: {}", settled["apiCalls"]);

    let down = step("down", &["down", "--yes", "-o", "json"]);
    assert_eq!(down["stack"], "rl", "{down}");
    // At once up again: the queues' names are not free yet.
    let deleted_recently = proxy.injected().get("QueueDeletedRecently").copied().unwrap_or(0);
    step("up right after down", &["up", "--yes", "-o", "json", "--zips", &v1]);
    let met = proxy.injected();
    assert!(met.get("QueueDeletedRecently").copied().unwrap_or(0) > deleted_recently, "the names were refused for a while: {met:?}");
    all_present(&proxy, &moto, "after up right after down", &[]);
    step("last down", &["down", "--yes", "-o", "json"]);

    let left = common::block_on(async { leftovers(&moto.sdk().await, "rl").await });
    assert!(left.is_empty(), "down leaves nothing: {left:?}");
    eprintln!("realism ({realism:?}):\n  {}\n  in all: {:?}", log.join("\n  "), proxy.injected());
}
