//! `orderctl trace` and `orderctl logs` on the local target, after the README's load:
//! a FAIL order's three receives, each error, the DLQ and the alarm; a high-value
//! order's pipe match and review; an unknown id's neighbours (exit 1); the functions'
//! lines by order, function and filter pattern; a redrive seen in the trace; and the
//! engine's records staying bounded.

use crate::common;

use common::{ok_json, orderctl};
use serde_json::Value;

fn steps<'a>(trace: &'a Value, step: &str) -> Vec<&'a Value> {
    trace["steps"].as_array().unwrap().iter().filter(|s| s["step"] == step).collect()
}

fn json_lines(out: &std::process::Output) -> Vec<Value> {
    assert_eq!(out.status.code(), Some(0), "{}", common::text(out).1);
    String::from_utf8_lossy(&out.stdout).lines().map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}"))).collect()
}

#[test]
fn trace_and_logs_tell_each_order_s_way_through_the_local_pipeline() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    assert_eq!(orderctl(d, &["up"]).status.code(), Some(0));
    let send =
        ok_json(&orderctl(d, &["send", "--mix", "normal=8,high-value=1,fail=1", "--count", "100", "--rate", "500", "-o", "json"]), "send");
    let run = send["runId"].as_str().unwrap().to_string();
    let first = |kind: &str| {
        let page = ok_json(&orderctl(d, &["orders", "--kind", kind, "--limit", "1", "-o", "json"]), kind);
        page["orders"][0]["orderId"].as_str().unwrap().to_string()
    };

    // A FAIL order: three receives, each an error, dead-lettered, the alarm.
    let fail = first("fail");
    let trace = ok_json(&orderctl(d, &["trace", &fail, "-o", "json"]), "trace of a FAIL order");
    assert_eq!((trace["schema"].as_str(), trace["found"].as_bool()), (Some("orderctl/trace/v1"), Some(true)));
    assert_eq!(common::schema_errors("trace", &trace), Vec::<String>::new());
    let times: Vec<&str> = trace["steps"].as_array().unwrap().iter().map(|s| s["at"].as_str().unwrap()).collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "in time order: {times:?}");
    assert!(trace["steps"].as_array().unwrap().iter().skip(1).all(|s| s["gapMs"].as_f64().is_some_and(|g| g >= 0.0)), "{trace}");
    assert_eq!(steps(&trace, "published").len(), 1, "{trace}");
    let receives: Vec<u64> = steps(&trace, "received").iter().map(|s| s["fields"]["receiveCount"].as_u64().unwrap()).collect();
    assert_eq!(receives, [1, 2, 3], "{trace}");
    let results: Vec<&str> = steps(&trace, "processed").iter().map(|s| s["detail"].as_str().unwrap()).collect();
    assert_eq!(results.len(), 3, "{results:?}");
    assert!(results.iter().all(|r| r.contains("FAIL")), "each receive's error: {results:?}");
    assert!(results[2].starts_with("technical failure on the last receive: dead-lettered"), "{results:?}");
    let written: Vec<&str> = steps(&trace, "written").iter().map(|s| s["detail"].as_str().unwrap()).collect();
    assert_eq!(
        written,
        ["INSERT: – → RETRYING, attempt 1", "MODIFY: RETRYING → RETRYING, attempt 2", "MODIFY: RETRYING → DEAD_LETTERED, attempt 3"]
    );
    assert_eq!(steps(&trace, "dead-lettered").len(), 1, "{trace}");
    assert_eq!(steps(&trace, "alarm").len(), 1, "the DLQ alarm: {trace}");
    assert!(steps(&trace, "pipe").iter().all(|s| s["detail"].as_str().unwrap().contains("did not match")));
    assert_eq!(trace["now"]["status"], "DEAD_LETTERED");
    assert!(trace["now"]["place"].as_str().unwrap().contains("in the DLQ"), "{}", trace["now"]);
    assert_eq!(trace["logs"].as_array().unwrap().len(), 3);
    let text = common::text(&orderctl(d, &["trace", &fail])).0;
    assert!(text.contains("now: DEAD_LETTERED, 3 attempt(s), in the DLQ") && text.contains("log lines that mention it (3)"), "{text}");

    // A high-value order: failed by rule, matched by the pipe, delivered, reviewed.
    let high = first("high-value");
    let trace = ok_json(&orderctl(d, &["trace", &high, "-o", "json"]), "trace of a high-value order");
    assert_eq!(common::schema_errors("trace", &trace), Vec::<String>::new());
    let matched = steps(&trace, "pipe").into_iter().filter(|s| s["fields"]["matched"] == true).count();
    assert_eq!(matched, 1, "the pipe matched the settling write only: {trace}");
    let delivered: Vec<&str> = steps(&trace, "delivered").iter().map(|s| s["fields"]["queue"].as_str().unwrap()).collect();
    assert_eq!(delivered, ["orderctl-orders", "orderctl-high-value"]);
    assert_eq!(steps(&trace, "reviewed").len(), 1, "{trace}");
    assert_eq!((trace["now"]["status"].as_str(), trace["now"]["place"].as_str()), (Some("FAILED"), Some("settled")));
    assert!(trace["now"]["review"].is_string());

    // An unknown id: exit 1, with its neighbours in the run.
    let unknown = orderctl(d, &["trace", &format!("{run}-100"), "-o", "json"]);
    assert_eq!(unknown.status.code(), Some(1));
    let unknown: Value = serde_json::from_slice(&unknown.stdout).unwrap();
    assert_eq!(unknown["found"], false);
    assert_eq!(common::schema_errors("trace", &unknown), Vec::<String>::new());
    assert_eq!(unknown["nearest"][0], format!("{run}-99"), "{unknown}");
    let text = common::text(&orderctl(d, &["trace", "nope"])).0;
    assert!(text.contains("order `nope` is unknown") && !text.contains("nearest"), "an id of no run has no neighbours: {text}");

    // logs: by order, by function, by filter pattern.
    let lines = json_lines(&orderctl(d, &["logs", "--order-id", &fail, "-o", "json"]));
    assert_eq!(lines.len(), 3, "{lines:?}");
    for l in &lines {
        assert_eq!(common::schema_errors("log-line", l), Vec::<String>::new());
    }
    assert!(lines.iter().all(|l| l["orderId"] == fail.as_str() && l["function"] == "orderctl-order-worker"));
    let reviews = json_lines(&orderctl(d, &["logs", "--function", "high-value-worker", "-o", "json"]));
    assert_eq!(reviews.len(), 10, "one review per high-value order");
    assert!(reviews.iter().all(|l| l["message"] == "reviewed"));
    let errors = json_lines(&orderctl(d, &["logs", "--filter", r#"{ $.level = "error" && $.receiveCount >= 3 }"#, "-o", "json"]));
    assert_eq!(errors.len(), 10, "one dead-lettering per FAIL order");
    let all = json_lines(&orderctl(d, &["logs", "--since", "1h", "-o", "json"]));
    assert_eq!(all.len(), 80 + 10 + 10 + 30, "a line per receive and per review: {}", all.len());
    assert!(all.windows(2).all(|w| w[0]["at"].as_str() <= w[1]["at"].as_str()), "interleaved by time");
    let none = json_lines(&orderctl(d, &["logs", "--filter", "FAIL -FAIL", "-o", "json"]));
    assert!(none.is_empty());
    let bad = orderctl(d, &["logs", "--filter", "{ $.level = "]);
    assert_eq!(bad.status.code(), Some(2), "{}", common::text(&bad).1);
    let text = common::text(&orderctl(d, &["logs", "--order-id", &high])).0;
    assert!(text.contains("order-worker") && text.contains("failed by rule") && text.contains("high-value-worker"), "{text}");

    // A redrive that repairs the order: the trace goes on to its completion.
    let redrive =
        ok_json(&orderctl(d, &["dlq", "redrive", "--order-id", &fail, "--set-notes", "fixed", "--wait", "30s", "-o", "json"]), "redrive");
    assert_eq!(redrive["followed"]["completed"], 1, "{redrive}");
    let trace = ok_json(&orderctl(d, &["trace", &fail, "-o", "json"]), "trace after the redrive");
    assert_eq!(steps(&trace, "redriven").len(), 1, "{trace}");
    let last_write = steps(&trace, "written").last().unwrap()["detail"].as_str().unwrap().to_string();
    assert_eq!(last_write, "MODIFY: DEAD_LETTERED → COMPLETED, attempt 4");
    assert_eq!((trace["now"]["status"].as_str(), trace["now"]["place"].as_str()), (Some("COMPLETED"), Some("settled")));
}

#[test]
fn the_engine_s_hops_and_log_lines_stay_bounded() {
    use orderctl::local::hops;
    let (_dir, stack) = common::stack(orderctl::spec::Settings::local());
    let mut conn = stack.db.connect().unwrap();
    let count = |conn: &mut orderctl::local::db::Conn, table: &str| -> i64 {
        conn.read(|tx| Ok(tx.query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0))?)).unwrap()
    };
    conn.write(|tx| {
        for i in 0..100 {
            hops::record(tx, &format!("o-{i}"), i * 1_000_000, "published", &serde_json::json!({}))?;
            orderctl::local::logs::append(tx, "f", i * 1_000_000, &serde_json::json!({"level": "info", "message": "m"}))?;
        }
        Ok(())
    })
    .unwrap();
    // At most 60 rows: the 40 oldest go, the rest stay.
    let dropped = conn.write(|tx| hops::trim(tx, "hops", i64::MAX / 2, 60, 1_000, 100_000_000)).unwrap();
    assert_eq!((dropped, count(&mut conn, "hops")), (40, 60));
    // Kept 30 s: rows stamped before 70 s go, at most 5 per sweep.
    let swept = conn.write(|tx| hops::trim(tx, "logs", 30_000_000, 1_000, 5, 100_000_000)).unwrap();
    assert_eq!((swept, count(&mut conn, "logs")), (5, 95));
    while conn.write(|tx| hops::trim(tx, "logs", 30_000_000, 1_000, 50, 100_000_000)).unwrap() > 0 {}
    assert_eq!(count(&mut conn, "logs"), 30, "the lines of the last 30 s");
    assert_eq!(conn.write(|tx| hops::trim(tx, "logs", 30_000_000, 1_000, 50, 100_000_000)).unwrap(), 0, "nothing more to drop");
}
