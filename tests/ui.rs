//! `orderctl ui` in headless Chromium, on the local target: the order form used by
//! keyboard (a normal order reaches COMPLETED, an invalid amount gets its field error, a
//! FAIL order raises the DLQ count and the alarm), the DLQ's messages and the redrive
//! button, the throughput plot gaining points while a `send` runs, a narrow window, and
//! no request leaving 127.0.0.1. Screenshots are kept in `target/ui-artifacts/`.
//! Also `send --report-html`: a self-contained report whose plots render offline.

use crate::common;

use common::browser::{artifact, Browser};
use common::{ok_json, orderctl};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

const TAB: &str = "\u{E004}";
const ENTER: &str = "\u{E007}";
const WAIT: Duration = Duration::from_secs(30);

/// A child process killed when the test ends, passed or not.
struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `orderctl ui --port 0` in `dir`: the child and the address it printed.
fn serve(dir: &std::path::Path) -> (Killed, String) {
    // The server's own log (`-v`: each request and its answer) is kept beside the
    // screenshots.
    let log = artifact("ui-server.log");
    std::fs::create_dir_all(log.parent().unwrap()).unwrap();
    let log = std::fs::File::create(log).unwrap();
    let mut child = Command::new(common::bin())
        .args(["ui", "--port", "0", "-v"])
        .current_dir(dir)
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env_remove("ORDERCTL_LOCAL_FAULTS")
        .stdout(Stdio::piped())
        .stderr(log)
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.as_mut().unwrap()).read_line(&mut line).unwrap();
    let url = line.split_whitespace().find(|w| w.starts_with("http://127.0.0.1:")).unwrap_or_else(|| panic!("no address in {line:?}"));
    (Killed(child), url.to_string())
}

fn number(b: &Browser, css: &str) -> u64 {
    b.text(css).trim().parse().unwrap_or(0)
}

/// Fills the form from its first field by keyboard only: Tab between fields, Enter to
/// submit.
fn submit_by_keyboard(b: &Browser, customer: &str, product: &str, quantity: &str, amount: &str, notes: &str) {
    for field in ["#customerName", "#product", "#quantity", "#amount", "#notes"] {
        b.clear(field);
    }
    b.type_into("#customerName", &[customer, TAB, product, TAB, quantity, TAB, amount, TAB, notes, ENTER].concat());
}

/// The order id the page answered with.
fn created(b: &Browser, before: &str) -> String {
    let result = b.wait_for("the order to be created", WAIT, |b| b.text("#order-result"), |t| t.contains("Order created:") && t != before);
    result.rsplit(' ').next().unwrap().trim().to_string()
}

#[test]
fn the_page_takes_orders_and_shows_the_pipeline_live() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok_json(&orderctl(d, &["up", "-o", "json"]), "up");
    let (_ui, url) = serve(d);
    let b = Browser::start(1280, 800);
    b.goto(&url);
    b.wait_for("the first snapshot", WAIT, |b| b.script("return window.__lastSnapshot ? 1 : 0").as_i64(), |v| *v == Some(1));
    assert!(b.text("body").contains("orderctl"), "the page names the stack");
    assert_eq!(
        (b.text("#stack"), b.text("#target")),
        ("orderctl".to_string(), "local".to_string()),
        "the header, while the dashboard is live"
    );

    // A normal order, by keyboard: created, then COMPLETED in "my orders" and counted.
    submit_by_keyboard(&b, "Ada", "Desk", "1", "250.5", "");
    let normal = created(&b, "");
    let status = format!("tr[data-order-id=\"{normal}\"] .status");
    b.wait_for("the normal order to complete", WAIT, |b| b.text(&status), |s| s == "COMPLETED");
    b.wait_for("the dashboard to count it", WAIT, |b| number(b, "#orders-completed"), |n| *n >= 1);
    b.screenshot(&artifact("ui-order-completed-1280x800.png"));

    // An invalid amount: the field's own error, the field marked invalid.
    submit_by_keyboard(&b, "Ada", "Desk", "1", "-5", "");
    let error = b.wait_for("the amount's error", WAIT, |b| b.text("#amount-error"), |t| !t.is_empty());
    assert!(error.contains("negative"), "{error}");
    assert_eq!(b.attribute("#amount", "aria-invalid").as_deref(), Some("true"));
    b.screenshot(&artifact("ui-invalid-amount.png"));

    // A FAIL order: the DLQ count rises, the alarm goes to ALARM and raises an alert,
    // and the message is listed with its reason.
    let before = b.text("#order-result");
    submit_by_keyboard(&b, "Bo", "Lamp", "2", "30", "FAIL please");
    let failing = created(&b, &before);
    assert_ne!(failing, normal);
    b.wait_for("the DLQ count to rise", WAIT, |b| number(b, "#dlq-depth"), |n| *n >= 1);
    b.wait_for("the alarm", WAIT, |b| b.text("#alarm-state"), |s| s == "ALARM");
    b.wait_for("an alert about it", WAIT, |b| b.text("#alerts"), |t| t.contains("ALARM"));
    let dlq = b.wait_for("the DLQ message", WAIT, |b| b.text("#dlq-messages"), |t| t.contains(&failing));
    assert!(dlq.contains("FAIL"), "the reason is shown: {dlq}");
    let failing_status = format!("tr[data-order-id=\"{failing}\"]");
    b.wait_for("my orders to say it is in the DLQ", WAIT, |b| b.text(&failing_status), |t| t.contains("DLQ"));
    b.screenshot(&artifact("ui-dlq-alarm.png"));

    // The DLQ list links the order to its trace: three receives, the DLQ, the alarm.
    b.click(&format!("#dlq-messages a[data-order-id=\"{failing}\"]"));
    b.wait_for("the trace to open", WAIT, |b| b.text("#trace-now"), |t| t.starts_with("Now: DEAD_LETTERED, 3 attempts, in the DLQ"));
    assert_eq!(b.text("#trace-order"), failing);
    let rows = |b: &Browser, step: &str| {
        b.script(&format!("return document.querySelectorAll('#trace-steps tr[data-step=\"{step}\"]').length")).as_i64()
    };
    assert_eq!((rows(&b, "received"), rows(&b, "processed"), rows(&b, "dead-lettered")), (Some(3), Some(3), Some(1)));
    b.wait_for("the alarm in the trace", WAIT, |b| b.text("#trace-steps"), |t| t.contains("ALARM"));
    assert!(b.script("return location.hash").as_str().is_some_and(|h| h.starts_with("#trace=")), "a link others can open");
    b.screenshot(&artifact("ui-trace-dlq.png"));
    // And "my orders" links to the normal order's: published, processed, completed.
    b.click(&format!("#my-orders a[data-order-id=\"{normal}\"]"));
    b.wait_for("the normal order's trace", WAIT, |b| b.text("#trace-now"), |t| t.starts_with("Now: COMPLETED, 1 attempt, settled"));
    assert!(b.text("#trace-steps").contains("completed"), "{}", b.text("#trace-steps"));
    b.click("#trace-close");
    assert_eq!(b.script("return document.getElementById('trace').hidden").as_bool(), Some(true));

    // Redrive, with confirmation: the message moves back.
    b.click("#redrive");
    b.wait_for("the confirmation", WAIT, |b| b.attribute("#redrive-dialog", "open"), Option::is_some);
    b.click("#redrive-confirm");
    b.wait_for("the redrive's answer", WAIT, |b| b.text("#redrive-result"), |t| t.contains("Moved 1 message"));
    b.wait_for("the DLQ to empty", WAIT, |b| b.text("#dlq-depth"), |t| t == "0");

    // A short `send` beside the page: the throughput plot gains points, the latency
    // histogram fills.
    let points = |b: &Browser| b.attribute("#throughput-chart", "data-points").and_then(|p| p.parse::<u64>().ok()).unwrap_or(0);
    let start = points(&b);
    let send = Killed(
        Command::new(common::bin())
            .args(["send", "--kind", "normal", "--count", "400", "--rate", "100", "-o", "json"])
            .current_dir(d)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    b.wait_for("the throughput plot to gain points", WAIT, points, |n| *n >= start + 3);
    let peak =
        |b: &Browser| b.script("return Math.max(0, ...window.__lastSnapshot.throughput.map(p => p.settled))").as_f64().unwrap_or(0.0);
    b.wait_for("the plot to show the send's orders settling", WAIT, peak, |r| *r >= 20.0);
    let buckets = |b: &Browser| b.attribute("#latency-chart", "data-buckets").and_then(|p| p.parse::<u64>().ok()).unwrap_or(0);
    b.wait_for("the latency histogram", WAIT, buckets, |n| *n > 0);
    eprintln!("throughput plot: {} points, peak settled {:.0}/s while `send` ran at 100/s", points(&b), peak(&b));
    b.screenshot(&artifact("ui-throughput-1280x800.png"));
    drop(send);

    // Narrow: one column, nothing wider than the window.
    b.resize(400, 800);
    std::thread::sleep(Duration::from_millis(300));
    let overflow = b.script("return document.documentElement.scrollWidth - window.innerWidth").as_i64().unwrap();
    assert!(overflow <= 0, "the page is {overflow} px wider than a 400 px window");
    b.screenshot(&artifact("ui-narrow-400.png"));

    // Every request the page made stayed on 127.0.0.1.
    let urls = b.requested_urls();
    assert!(urls.len() > 5, "the performance log saw the page's requests: {urls:?}");
    let away: Vec<&String> = urls.iter().filter(|u| !u.starts_with(&url) && !u.starts_with("data:")).collect();
    assert!(away.is_empty(), "requests leaving 127.0.0.1: {away:?}");
    eprintln!("{} requests, all to {url}", urls.len());
}

#[test]
fn the_html_report_is_self_contained_and_plots_offline() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok_json(&orderctl(d, &["up", "-o", "json"]), "up");
    let report = d.join("report.html");
    let out = orderctl(d, &["send", "--count", "300", "--rate", "150", "--report-html", report.to_str().unwrap(), "-o", "json"]);
    let r = ok_json(&out, "send --report-html");
    let html = std::fs::read_to_string(&report).unwrap();
    for outside in ["src=\"http", "href=\"http", "src='http", "href='http", "@import", "url(http"] {
        assert!(!html.contains(outside), "the report loads nothing from elsewhere: found `{outside}`");
    }
    assert!(html.contains(r["runId"].as_str().unwrap()));

    let b = Browser::start(1280, 800);
    b.goto(&format!("file://{}", report.display()));
    let points = b.wait_for(
        "the throughput plot",
        WAIT,
        |b| b.attribute("#throughput-chart", "data-points").and_then(|p| p.parse::<u64>().ok()).unwrap_or(0),
        |n| *n > 0,
    );
    assert_eq!(points, r["timeline"].as_array().unwrap().len() as u64, "one point per second of the run");
    let buckets = b.attribute("#latency-chart", "data-buckets").and_then(|p| p.parse::<u64>().ok()).unwrap_or(0);
    assert_eq!(buckets, r["latency"]["endToEndHistogram"].as_array().unwrap().len() as u64);
    let sent: u64 = r["timeline"].as_array().unwrap().iter().map(|p| p["sent"].as_u64().unwrap()).sum();
    assert_eq!(sent, 300, "the timeline counts every order sent");
    let urls = b.requested_urls();
    assert!(urls.iter().all(|u| u.starts_with("file://") || u.starts_with("data:")), "the report fetched {urls:?}");
    b.screenshot(&artifact("report-html-1280x800.png"));
}

/// Sends `request` (a whole HTTP request) to the server at `server` (`http://IP:PORT`):
/// the answer's head and up to `max` bytes of its body, or its first event if it is a
/// stream.
fn exchange(server: &str, request: &str, max: usize) -> (String, String) {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(server.trim_start_matches("http://")).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    s.write_all(request.as_bytes()).unwrap();
    let mut buf = vec![0u8; max];
    let mut got = 0;
    while got < max {
        match s.read(&mut buf[got..]) {
            Ok(0) | Err(_) => break,
            Ok(n) => got += n,
        }
        if String::from_utf8_lossy(&buf[..got]).contains("\n\ndata: ") && String::from_utf8_lossy(&buf[..got]).ends_with("\n\n") {
            break; // one whole event of a stream
        }
    }
    let text = String::from_utf8_lossy(&buf[..got]).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    (head.to_string(), body.to_string())
}

/// A GET on 127.0.0.1: the head and up to `max` bytes of the body.
fn get(url: &str, max: usize) -> (String, String) {
    let rest = url.trim_start_matches("http://");
    let (host, path) = rest.split_once('/').map(|(h, p)| (h, format!("/{p}"))).unwrap_or((rest, "/".into()));
    exchange(host, &format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"), max)
}

/// The page posts its orders to `orderUrl` from `/api/config` whatever the target (the
/// browser test above posts through it on the local target). On aws that is the
/// stack's HTTP API, which moto does not serve: this checks the page is given that URL
/// and allowed to call it, and that the status stream comes from the aws target.
#[test]
fn on_the_aws_target_the_page_is_given_the_stacks_api_and_streams_its_status() {
    let moto = common::moto::Moto::start();
    let packages = common::moto::tiny_packages();
    let dir = tempfile::tempdir().unwrap();
    let aws = |args: &[&str]| {
        let mut cmd = Command::new(common::bin());
        cmd.args(["--target", "aws", "--stack", "pg"]).args(args).current_dir(dir.path()).env_remove("AWS_PROFILE");
        for (k, v) in moto.handler_env() {
            cmd.env(k, v);
        }
        cmd
    };
    let pkg = packages.path().to_str().unwrap().to_string();
    ok_json(&aws(&["up", "--yes", "-o", "json", "--zips", &pkg]).output().unwrap(), "up");
    let mut ui = Killed(aws(&["ui", "--port", "0"]).stdout(Stdio::piped()).stderr(Stdio::null()).spawn().unwrap());
    let mut line = String::new();
    BufReader::new(ui.0.stdout.as_mut().unwrap()).read_line(&mut line).unwrap();
    let url = line.split_whitespace().find(|w| w.starts_with("http://127.0.0.1:")).unwrap_or_else(|| panic!("{line:?}")).to_string();

    let (_, config) = get(&format!("{url}/api/config"), 1 << 16);
    let config: serde_json::Value = serde_json::from_str(&config).unwrap();
    assert_eq!((config["target"].as_str(), config["stack"].as_str()), (Some("aws"), Some("pg")));
    let order_url = config["orderUrl"].as_str().expect("the stack's API").to_string();
    assert!(order_url.ends_with("/prod/orders"), "{order_url}");
    let (head, _) = get(&format!("{url}/"), 1 << 20);
    let origin = order_url.trim_end_matches("/prod/orders");
    assert!(head.contains(&format!("connect-src 'self' {origin}")), "the page may call the API and nothing else: {head}");

    let (_, stream) = get(&format!("{url}/api/events"), 1 << 20);
    let event = stream.lines().find_map(|l| l.strip_prefix("data: ")).expect("one event");
    let snapshot: serde_json::Value = serde_json::from_str(event).unwrap();
    assert!(snapshot.get("error").is_none(), "{snapshot}");
    assert_eq!(snapshot["status"]["target"], "aws");
    assert!(snapshot["status"]["resources"].as_array().unwrap().iter().all(|r| r["state"] == "present"), "{}", snapshot["status"]);
    assert_eq!(snapshot["dlq"]["depth"], 0);
    assert_eq!(snapshot["status"]["stack"], "pg", "the header's stack comes with every snapshot");

    // The page's trace of an order the stack never saw, through the aws target.
    let (_, trace) = get(&format!("{url}/api/trace/pg-run-7"), 1 << 20);
    let trace: serde_json::Value = serde_json::from_str(&trace).unwrap();
    assert_eq!((trace["found"].as_bool(), trace["target"].as_str()), (Some(false), Some("aws")), "{trace}");
    assert_eq!(common::schema_errors("trace", &trace), Vec::<String>::new());
}

/// Sends `request` to the server at `url`: the answer's status code.
fn raw_status(url: &str, request: &str) -> u16 {
    let (head, _) = exchange(url, request, 1 << 16);
    head.split_whitespace().nth(1).and_then(|c| c.parse().ok()).unwrap_or(0)
}

#[test]
fn other_sites_pages_cannot_use_the_server() {
    let dir = tempfile::tempdir().unwrap();
    ok_json(&orderctl(dir.path(), &["up", "-o", "json"]), "up");
    let (_ui, url) = serve(dir.path());
    let host = url.trim_start_matches("http://");
    let post = |path: &str, origin: Option<&str>, kind: &str, body: &str| {
        let origin = origin.map(|o| format!("Origin: {o}\r\n")).unwrap_or_default();
        raw_status(
            &url,
            &format!(
                "POST {path} HTTP/1.1\r\nHost: {host}\r\n{origin}Content-Type: {kind}\r\nContent-Length: {}\r\n\r\n{body}",
                body.len()
            ),
        )
    };
    let order = r#"{"customerName":"Eve","product":"Desk","quantity":1,"amount":10}"#;
    // Another site's page: refused, whatever it asks.
    assert_eq!(post("/api/dlq/redrive", Some("http://evil.example"), "application/json", "{}"), 403);
    assert_eq!(post("/api/orders", Some("http://evil.example"), "application/json", order), 403);
    // A form can post text/plain without the browser asking first: refused.
    assert_eq!(post("/api/orders", None, "text/plain", order), 415);
    // DNS rebinding: the page's own requests, under another name.
    let rebound = format!("GET /api/config HTTP/1.1\r\nHost: evil.example:{}\r\n\r\n", host.rsplit(':').next().unwrap());
    assert_eq!(raw_status(&url, &rebound), 403);
    // The page itself, and a client without an Origin (curl): served.
    assert_eq!(post("/api/orders", Some(&url), "application/json", order), 201);
    assert_eq!(post("/api/orders", None, "application/json", order), 201);
    assert_eq!(raw_status(&url, &format!("GET /api/config HTTP/1.1\r\nHost: {host}\r\n\r\n")), 200);
}
