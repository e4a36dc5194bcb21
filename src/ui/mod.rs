//! `orderctl ui`: a page served on 127.0.0.1 with the order form and a live dashboard of
//! the stack. Its assets are embedded in the binary (no CDN: the page works offline);
//! the dashboard is fed by server-sent events, one snapshot per refresh.
//!
//! Routes: `/` and `/assets/…` (the page), `GET /api/config`, `POST /api/orders` (local:
//! the `create-order` logic; on aws the page posts to the stack's HTTP API),
//! `GET /api/orders/<id>`, `GET /api/trace/<id>` (the order's trace, as `orderctl trace`
//! reports it), `GET /api/events` (SSE), `POST /api/dlq/redrive`.

mod http;

use crate::context::Context;
use crate::target::{OrderState, PageLetter, Running, Target, Watch};
use anyhow::{anyhow, Result};
use http::{Request, Response};
use serde_json::{json, Value};
use std::collections::VecDeque;
use std::io::Write;
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Points of the throughput plot kept (and sent) at most.
const POINTS: usize = 300;

/// `/api/config`: stack, target and where the form posts.
fn config(target: &dyn Target) -> Value {
    json!({"stack": target.context().stack, "target": target.name(), "orderUrl": target.order_url(),
           "refreshSeconds": target.refresh_period().as_secs_f64()})
}

/// Extra `connect-src` origins the page may call: the stack's HTTP API, when orders go
/// to another server than this one.
fn connect_origins(target: &dyn Target) -> Vec<String> {
    // The API's origin: scheme and host of its endpoint.
    let url = target.order_url().filter(|u| u.starts_with("http://") || u.starts_with("https://"));
    url.iter().map(|u| u.splitn(4, '/').take(3).collect::<Vec<_>>().join("/")).collect()
}

/// `GET /api/orders/<id>`'s answer: the order's record as the page shows it (no record
/// yet: `PENDING`).
fn order_view(id: &str, order: &OrderState) -> Value {
    match &order.record {
        Some(r) => json!({
            "orderId": id, "status": r.status.as_str(), "failureReason": r.failure_reason, "lastError": r.last_error,
            "attempts": r.attempts, "reviewed": r.review.is_some(), "inDlq": order.in_dlq,
        }),
        None => json!({"orderId": id, "status": "PENDING", "failureReason": null, "lastError": null, "attempts": 0,
                       "reviewed": false, "inDlq": order.in_dlq}),
    }
}

/// The latency part of a snapshot.
fn latency_view(run: Option<&str>, hist: &hdrhistogram::Histogram<u64>) -> Value {
    let summary = crate::report::LatencySummary::of(hist);
    json!({"run": run, "count": hist.len(), "p50Ms": summary.as_ref().map(|s| s.p50_ms),
           "p99Ms": summary.as_ref().map(|s| s.p99_ms), "buckets": crate::report::buckets(hist)})
}

/// One DLQ message as the page lists it.
fn dead_letter_view(letter: &PageLetter) -> Value {
    let order = crate::dlq::order_of(&letter.body);
    json!({"messageId": letter.message_id, "orderId": order.as_ref().map(|o| o.order_id.clone()),
           "kind": order.as_ref().and_then(|o| o.kind).map(|k| k.to_string()), "reason": letter.reason,
           "receiveCount": letter.receive_count})
}

/// One dashboard refresh: the target reads on from `watch`.
fn snapshot(target: &dyn Target, watch: &Mutex<Watch>, window: &mut Window) -> Result<Value> {
    let mut watch = watch.lock().expect("watch");
    let d = target.dashboard(&mut watch)?;
    let t = order_domain::now_micros() as f64 / 1e6;
    let throughput = window.add(t, d.accepted, d.settled);
    let messages: Vec<Value> = watch.dead_letters.iter().map(dead_letter_view).collect();
    Ok(json!({"at": order_domain::rfc3339(order_domain::now_micros()), "status": serde_json::to_value(&d.status)?,
              "throughput": throughput, "latency": latency_view(watch.run.as_deref(), &watch.latency),
              "dlq": {"depth": watch.dlq_depth.unwrap_or(0), "messages": messages}}))
}

/// Throughput over time from successive totals; rates over a monotonic clock, so a
/// step of the wall clock makes no spike.
#[derive(Default)]
struct Window {
    last: Option<(std::time::Instant, u64, u64)>,
    points: VecDeque<Value>,
}

impl Window {
    fn add(&mut self, t: f64, accepted: u64, settled: u64) -> Value {
        let now = std::time::Instant::now();
        if let Some((t0, a0, s0)) = self.last {
            let dt = now.duration_since(t0).as_secs_f64().max(1e-3);
            let rate = |now: u64, before: u64| now.saturating_sub(before) as f64 / dt;
            self.points.push_back(json!({"t": t, "accepted": rate(accepted, a0), "settled": rate(settled, s0)}));
            while self.points.len() > POINTS {
                self.points.pop_front();
            }
        }
        self.last = Some((now, accepted, settled));
        Value::Array(self.points.iter().cloned().collect())
    }
}

/// The page's assets, embedded.
fn asset(path: &str) -> Option<(&'static [u8], &'static str)> {
    Some(match path {
        "/" | "/index.html" => (include_bytes!("assets/index.html"), "text/html; charset=utf-8"),
        "/assets/app.js" => (include_bytes!("assets/app.js"), "text/javascript; charset=utf-8"),
        "/assets/app.css" => (include_bytes!("assets/app.css"), "text/css; charset=utf-8"),
        "/assets/charts.js" => (include_bytes!("assets/charts.js"), "text/javascript; charset=utf-8"),
        "/assets/vendor/uPlot.iife.min.js" => (include_bytes!("assets/vendor/uPlot.iife.min.js"), "text/javascript; charset=utf-8"),
        "/assets/vendor/uPlot.min.css" => (include_bytes!("assets/vendor/uPlot.min.css"), "text/css; charset=utf-8"),
        _ => return None,
    })
}

fn json_response(status: u16, body: &Value) -> Response {
    Response::new(status, "application/json", body.to_string().into_bytes()).header("Cache-Control", "no-store")
}

/// Subscribers of the event stream, each fed every snapshot.
#[derive(Default)]
struct Hub {
    subscribers: Mutex<Vec<SyncSender<String>>>,
    latest: Mutex<Option<String>>,
}

/// Snapshots a subscriber may fall behind by before it is dropped.
const BEHIND: usize = 4;

impl Hub {
    /// Hands `event` to every subscriber; one that is gone or too far behind (a page
    /// that stopped reading) is dropped, so memory does not grow with it.
    fn publish(&self, event: String) {
        self.subscribers.lock().expect("hub").retain(|s| s.try_send(event.clone()).is_ok());
        *self.latest.lock().expect("hub") = Some(event);
    }

    /// Ends every stream.
    fn close(&self) {
        self.subscribers.lock().expect("hub").clear();
    }

    fn subscribe(&self) -> Receiver<String> {
        let (tx, rx) = sync_channel(BEHIND);
        if let Some(latest) = self.latest.lock().expect("hub").clone() {
            let _ = tx.send(latest);
        }
        self.subscribers.lock().expect("hub").push(tx);
        rx
    }
}

/// A running server; `stop` ends it.
pub struct Ui {
    pub url: String,
    stop: Arc<AtomicBool>,
    hub: Arc<Hub>,
    threads: Vec<std::thread::JoinHandle<()>>,
}

impl Ui {
    /// Serves the page of `target` on 127.0.0.1:`port` (0: any free port).
    pub fn start(target: Arc<dyn Target>, port: u16) -> Result<Ui> {
        let listener = TcpListener::bind(("127.0.0.1", port)).map_err(|e| anyhow!("cannot listen on 127.0.0.1:{port}: {e}"))?;
        let url = format!("http://127.0.0.1:{}", listener.local_addr()?.port());
        let stop = Arc::new(AtomicBool::new(false));
        let hub = Arc::new(Hub::default());
        let watch = Arc::new(Mutex::new(Watch::new(order_domain::now_micros())));
        let sampler = {
            let (target, hub, stop, watch) = (target.clone(), hub.clone(), stop.clone(), watch.clone());
            std::thread::spawn(move || sample(&*target, &watch, &hub, &stop))
        };
        let listener = {
            let (stop, url, hub) = (stop.clone(), url.clone(), hub.clone());
            let handle: Arc<dyn Fn(Request, TcpStream) + Send + Sync> =
                Arc::new(move |request, stream| route(request, stream, &*target, &watch, &hub, &url));
            std::thread::spawn(move || http::serve(listener, stop, order_domain::MAX_MESSAGE_BYTES, handle))
        };
        Ok(Ui { url, stop, hub, threads: vec![sampler, listener] })
    }

    /// Stops serving: no new requests, every event stream ended.
    pub fn stop(self) {
        self.stop.store(true, Ordering::Relaxed);
        for t in self.threads {
            let _ = t.join();
        }
        self.hub.close();
    }
}

/// Takes a snapshot every period and hands it to every subscriber.
fn sample(target: &dyn Target, watch: &Mutex<Watch>, hub: &Hub, stop: &AtomicBool) {
    let mut window = Window::default();
    while !stop.load(Ordering::Relaxed) {
        let started = std::time::Instant::now();
        let event = snapshot(target, watch, &mut window)
            .unwrap_or_else(|e| json!({"at": order_domain::rfc3339(order_domain::now_micros()), "error": format!("{e:#}")}));
        hub.publish(event.to_string());
        while started.elapsed() < target.refresh_period() && !stop.load(Ordering::Relaxed) {
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// Why a request is refused before it is routed: another site's page (its `Origin`),
/// a name that is not this server's (`Host`: DNS rebinding), or a POST a form could
/// send without the browser asking first (not `application/json`).
fn refusal(request: &Request, own: &str) -> Option<Response> {
    let port = own.rsplit(':').next().unwrap_or_default();
    let host = request.header("host").unwrap_or_default();
    if host != format!("127.0.0.1:{port}") && host != format!("localhost:{port}") {
        return Some(json_response(403, &json!({"error": format!("this server answers to 127.0.0.1:{port} only, not `{host}`")})));
    }
    if request.method == "POST" {
        if let Some(origin) = request.header("origin") {
            if origin != own && origin != format!("http://localhost:{port}") {
                return Some(json_response(403, &json!({"error": format!("requests from `{origin}` are not accepted")})));
            }
        }
        if !request.header("content-type").is_some_and(|t| t.starts_with("application/json")) {
            return Some(json_response(415, &json!({"error": "send JSON (`Content-Type: application/json`)"})));
        }
    }
    None
}

fn route(request: Request, mut stream: TcpStream, target: &dyn Target, watch: &Mutex<Watch>, hub: &Hub, own: &str) {
    let (method, path) = (request.method.as_str(), request.path.as_str());
    tracing::debug!("{method} {path}");
    if let Some(refused) = refusal(&request, own) {
        tracing::debug!("{method} {path}: refused ({})", refused.status);
        let _ = refused.write_to(&mut stream);
        return;
    }
    let response = match (method, path) {
        ("GET", "/api/events") => return events(stream, hub),
        ("GET", "/api/config") => json_response(200, &config(target)),
        ("POST", "/api/orders") => {
            let (status, answer) = target.create_order(&request.body);
            json_response(status, &answer)
        }
        ("GET", p) if p.starts_with("/api/orders/") => {
            let id = percent_encoding::percent_decode_str(&p["/api/orders/".len()..]).decode_utf8_lossy().into_owned();
            match target.order(&id) {
                Ok(order) => json_response(200, &order_view(&id, &order)),
                Err(e) => json_response(500, &json!({"error": format!("{e:#}")})),
            }
        }
        ("GET", p) if p.starts_with("/api/trace/") => {
            let id = percent_encoding::percent_decode_str(&p["/api/trace/".len()..]).decode_utf8_lossy().into_owned();
            match target.trace(&id) {
                Ok(report) => json_response(200, &serde_json::to_value(&report).unwrap_or_default()),
                Err(e) => json_response(500, &json!({"error": format!("{e:#}")})),
            }
        }
        ("POST", "/api/dlq/redrive") => match redrive(target, watch) {
            Ok(moved) => json_response(200, &json!({"moved": moved})),
            Err(e) => json_response(500, &json!({"error": format!("{e:#}")})),
        },
        ("GET", p) => match asset(p) {
            Some((bytes, kind)) => {
                let mut r = Response::new(200, kind, bytes.to_vec());
                if kind.starts_with("text/html") {
                    // The page may talk to this server (and on aws the stack's API) only.
                    let connect = std::iter::once("'self'".to_string()).chain(connect_origins(target)).collect::<Vec<_>>().join(" ");
                    let csp = format!(
                        "default-src 'self'; connect-src {connect}; img-src 'self' data:; style-src 'self' 'unsafe-inline'; \
                         script-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
                    );
                    r = r.header("Content-Security-Policy", csp);
                }
                r.header("X-Content-Type-Options", "nosniff")
            }
            None => json_response(404, &json!({"error": format!("no such page: {p}")})),
        },
        _ => json_response(405, &json!({"error": format!("{method} {path} is not served here ({own})")})),
    };
    let answered = response.write_to(&mut stream);
    tracing::debug!("{method} {path}: {} {answered:?}", response.status);
}

/// `GET /api/events`: one `data:` line per snapshot until the page goes away.
fn events(mut w: TcpStream, hub: &Hub) {
    let rx = hub.subscribe();
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n";
    if w.write_all(head.as_bytes()).and_then(|_| w.write_all(b"retry: 1000\n\n")).and_then(|_| w.flush()).is_err() {
        return;
    }
    loop {
        let line = match rx.recv_timeout(Duration::from_secs(15)) {
            Ok(event) => format!("data: {event}\n\n"),
            // A comment keeps proxies and the browser from timing the stream out.
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => ": keep-alive\n\n".into(),
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => return,
        };
        if w.write_all(line.as_bytes()).and_then(|_| w.flush()).is_err() {
            return; // the page went away
        }
    }
}

/// The self-contained HTML report of a finished run (`send --report-html`): the
/// report template with the charting code, styles and the JSON report inlined.
pub fn report_html(report: &crate::report::SendReport) -> Result<String> {
    // Inside <script>, no `<`, `>` or `&` at all: nothing in the data can end the
    // element or start a comment (`<` appears only within JSON strings).
    let json = serde_json::to_string(report)?.replace('<', "\\u003c").replace('>', "\\u003e").replace('&', "\\u0026");
    let text = |bytes: &'static [u8]| std::str::from_utf8(bytes).expect("the assets are UTF-8");
    Ok(text(include_bytes!("assets/report.html"))
        .replace("/*UPLOT_CSS*/", text(include_bytes!("assets/vendor/uPlot.min.css")))
        .replace("/*APP_CSS*/", text(include_bytes!("assets/app.css")))
        .replace("/*UPLOT_JS*/", text(include_bytes!("assets/vendor/uPlot.iife.min.js")))
        .replace("/*CHARTS_JS*/", text(include_bytes!("assets/charts.js")))
        .replace("/*REPORT_JSON*/", &json))
}

/// `POST /api/dlq/redrive`: every DLQ message back to its source queue; how many moved.
fn redrive(target: &dyn Target, watch: &Mutex<Watch>) -> Result<u64> {
    let report = target.dlq_redrive(&crate::dlq::Selection::default(), &Default::default(), &AtomicBool::new(false))?;
    watch.lock().expect("watch").dlq_depth = None; // list it again
    Ok(report.moved)
}

/// Runs the page of `target` until Ctrl-C, with its pipeline running.
pub fn serve(ctx: &Context, target: Arc<dyn Target>, port: u16) -> Result<()> {
    let running: Running = target.run_pipeline()?;
    let ui = Ui::start(target.clone(), port)?;
    println!("orderctl ui: {} (stack `{}`, {} target; Ctrl-C to stop)", ui.url, ctx.stack, target.name());
    std::io::stdout().flush()?;
    let stop = crate::live::interrupted();
    while !stop.load(Ordering::Relaxed) {
        std::thread::sleep(Duration::from_millis(100));
    }
    ui.stop();
    drop(running);
    Ok(())
}
