//! An HTTP proxy on its own loopback port in front of an emulator, for endpoint faults:
//! it can go away (the port refuses connections and open ones are cut) and come back on
//! the same port, with the emulator's state intact — moto keeps its state in memory, so
//! stopping moto itself would lose the stack — it can answer every n-th request of
//! one operation with a throttling error instead of forwarding it, and it can hang:
//! take each request and never answer.
//!
//! It can run Lambda's `Invoke` of one function for real (`Proxy::run_function`): the
//! function's `bootstrap` under orderctl's local Runtime API, which moto cannot.
//!
//! It can also play AWS where moto does not (`Proxy::realism`): the eventual
//! consistency and throttling a real account shows, each with AWS's own error shape —
//! see [`Realism`] for the behaviours and the documentation of each.

use orderctl::lambda::runtime::{FunctionSpec, LocalFunction};
use std::collections::{BTreeMap, HashMap};
use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// One request the proxy saw.
#[derive(Debug, Clone)]
pub struct Seen {
    pub at: Instant,
    /// The query-protocol action or the JSON protocol's target operation.
    pub operation: String,
    /// For `PublishBatch`, the id of its first entry (a retry repeats it).
    pub first_entry: Option<String>,
    pub throttled: bool,
}

#[derive(Default)]
struct State {
    /// Answer every n-th request of this operation with `Throttling`.
    throttle: Option<(String, u64)>,
    /// Take requests and answer none.
    hang: bool,
    /// Take the n-th request of this operation and never answer it (until `answer`).
    hang_one: Option<(String, u64)>,
    hang_one_seen: u64,
    released: bool,
    matching: u64,
    seen: Vec<Seen>,
    open: Vec<TcpStream>,
    realism: Option<Realism>,
    /// What AWS would still be doing, by name: when it was set off.
    deleted_queues: HashMap<String, Instant>,
    created_roles: HashMap<String, Instant>,
    created_functions: HashMap<String, Instant>,
    updated_functions: HashMap<String, Instant>,
    /// A function whose `Invoke` the proxy runs itself.
    functions: Option<Arc<Functions>>,
    /// Requests seen since realism began, for its throttling.
    counted: u64,
    injected: BTreeMap<&'static str, u64>,
}

/// A function the proxy runs `Invoke` for ([`Proxy::run_function`]).
pub struct Functions {
    spec: FunctionSpec,
    idle: Mutex<Vec<LocalFunction>>,
    /// Invocations run so far.
    pub invocations: std::sync::atomic::AtomicU64,
    _scratch: tempfile::TempDir,
}

impl Functions {
    /// Runs one invocation with `body` as its event: Invoke's answer.
    fn invoke(&self, body: &str) -> Vec<u8> {
        self.invocations.fetch_add(1, Ordering::SeqCst);
        let payload: serde_json::Value = serde_json::from_str(body).unwrap_or(serde_json::Value::Null);
        let taken = self.idle.lock().unwrap().pop();
        let mut function = match taken.map_or_else(|| LocalFunction::start(self.spec.clone()), Ok) {
            Ok(f) => f,
            Err(e) => {
                return answer("500 Internal Server Error", &[], "application/json", &format!(r#"{{"Type":"Service","message":"{e}"}}"#))
            }
        };
        let outcome = function.invoke(&payload);
        self.idle.lock().unwrap().push(function);
        let version = [("X-Amz-Executed-Version", "$LATEST")];
        match outcome {
            Ok(Ok(value)) => answer("200 OK", &version, "application/json", &value.to_string()),
            Ok(Err(e)) => {
                let error = serde_json::json!({"errorType": "Unhandled", "errorMessage": e.to_string()}).to_string();
                answer("200 OK", &[version[0], ("X-Amz-Function-Error", "Unhandled")], "application/json", &error)
            }
            Err(e) => answer("500 Internal Server Error", &[], "application/json", &format!(r#"{{"Type":"Service","message":"{e}"}}"#)),
        }
    }
}

/// AWS behaviours moto lacks, reproduced for the requests that pass, with AWS's status
/// codes and error shapes. The windows are settings: on AWS they are minutes at worst.
#[derive(Debug, Clone)]
pub struct Realism {
    /// SQS keeps a deleted queue's name for 60 s: a `CreateQueue` of it in that time is
    /// refused with `QueueDeletedRecently` ("You must wait 60 seconds after deleting a
    /// queue before you can create another with the same name": SQS API Reference,
    /// CreateQueue, Errors).
    pub queue_deleted_recently: Duration,
    /// A new IAM role is not assumable at once (IAM is eventually consistent: IAM User
    /// Guide, "Troubleshooting IAM", "Changes that I make are not always immediately
    /// visible"): Lambda's `CreateFunction`/`UpdateFunctionConfiguration` answer
    /// `InvalidParameterValueException` "The role defined for the function cannot be
    /// assumed by Lambda." and Pipes' `CreatePipe`/`UpdatePipe` a `ValidationException`.
    pub role_propagation: Duration,
    /// A function is `Pending` after `CreateFunction`, and its `LastUpdateStatus` is
    /// `InProgress` after an update; meanwhile another update is refused with
    /// `ResourceConflictException` (409) (Lambda Developer Guide, "Lambda function
    /// states": "While the function is pending, any invocations or other API actions
    /// that operate on the function will fail"; "Function updates").
    pub function_settling: Duration,
    /// One request in this many is throttled, in its service's own shape: `Throttling`
    /// (query protocol: IAM, SNS, STS), `TooManyRequestsException` (Lambda, API
    /// Gateway, 429), `ThrottlingException` (Pipes 429, DynamoDB, CloudWatch Logs),
    /// `RequestThrottled` (SQS) (each service's API Reference, Common Errors).
    pub throttle_every: u64,
}

pub struct Proxy {
    pub endpoint: String,
    up: Arc<AtomicBool>,
    done: Arc<AtomicBool>,
    state: Arc<Mutex<State>>,
    thread: Option<JoinHandle<()>>,
}

impl Proxy {
    /// A proxy to `upstream` (`http://127.0.0.1:PORT`), listening.
    pub fn start(upstream: &str) -> Proxy {
        let upstream: SocketAddr = upstream.trim_start_matches("http://").parse().expect("an http://IP:PORT endpoint");
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let (up, done, state) = (Arc::new(AtomicBool::new(true)), Arc::new(AtomicBool::new(false)), Arc::<Mutex<State>>::default());
        let thread = {
            let (up, done, state) = (up.clone(), done.clone(), state.clone());
            std::thread::spawn(move || accept_loop(listener, port, upstream, up, done, state))
        };
        Proxy { endpoint: format!("http://127.0.0.1:{port}"), up, done, state, thread: Some(thread) }
    }

    /// The endpoint goes away: new connections are refused, open ones cut.
    pub fn stop(&self) {
        self.up.store(false, Ordering::SeqCst);
        for s in self.state.lock().unwrap().open.drain(..) {
            let _ = s.shutdown(Shutdown::Both);
        }
    }

    /// The endpoint is back, on the same port.
    pub fn resume(&self) {
        self.up.store(true, Ordering::SeqCst);
    }

    /// From now on, every `every`-th request of `operation` is throttled.
    pub fn throttle(&self, operation: &str, every: u64) {
        let mut s = self.state.lock().unwrap();
        s.throttle = Some((operation.to_string(), every));
        s.matching = 0;
    }

    /// From now on, each request is read and never answered (the connection stays open
    /// until the client gives up, the proxy is dropped or `answer` is called).
    pub fn hang(&self) {
        self.state.lock().unwrap().hang = true;
    }

    /// From now on, the `nth` request of `operation` (counting from 1) is read and
    /// never answered, until `answer` is called or the proxy dropped; the others pass.
    pub fn hang_one(&self, operation: &str, nth: u64) {
        let mut s = self.state.lock().unwrap();
        s.hang_one = Some((operation.to_string(), nth));
        s.hang_one_seen = 0;
        s.released = false;
    }

    /// From now on, Lambda's `Invoke` of function `name` is run for real, as Lambda
    /// would and moto cannot: `zip`'s `bootstrap` under orderctl's local Runtime API,
    /// one process per invocation in flight (Lambda's execution environments, reused
    /// when idle), with `environment` and `timeout`; answered in Invoke's own shape
    /// (the payload; `X-Amz-Function-Error: Unhandled` and the error for a failed one:
    /// Lambda API Reference, Invoke). Every other request goes to the upstream.
    pub fn run_function(&self, name: &str, zip: &std::path::Path, environment: Vec<(String, String)>, timeout: Duration) -> Arc<Functions> {
        let scratch = tempfile::tempdir().unwrap();
        let bootstrap = orderctl::lambda::runtime::extract_bootstrap(zip, scratch.path()).unwrap();
        let spec = FunctionSpec { name: name.into(), bootstrap, timeout, memory_mb: 1024, environment, log: None };
        let functions = Arc::new(Functions { spec, idle: Mutex::default(), invocations: Default::default(), _scratch: scratch });
        self.state.lock().unwrap().functions = Some(functions.clone());
        functions
    }

    /// Requests are answered again.
    pub fn answer(&self) {
        let mut s = self.state.lock().unwrap();
        s.hang = false;
        s.released = true;
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.state.lock().unwrap().seen.clone()
    }

    /// From now on, AWS's behaviours of `realism` apply.
    pub fn realism(&self, realism: Realism) {
        let mut s = self.state.lock().unwrap();
        s.realism = Some(realism);
        s.counted = 0;
    }

    /// How many times each behaviour has answered for AWS so far.
    pub fn injected(&self) -> BTreeMap<&'static str, u64> {
        self.state.lock().unwrap().injected.clone()
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.answer();
        self.done.store(true, Ordering::SeqCst);
        self.stop();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn accept_loop(
    listener: TcpListener,
    port: u16,
    upstream: SocketAddr,
    up: Arc<AtomicBool>,
    done: Arc<AtomicBool>,
    state: Arc<Mutex<State>>,
) {
    let mut listener = Some(listener);
    while !done.load(Ordering::SeqCst) {
        match (&listener, up.load(Ordering::SeqCst)) {
            (Some(_), false) => listener = None, // closed: connections are refused
            (None, true) => {
                // Rebinding can fail briefly while the old socket closes.
                listener = TcpListener::bind(("127.0.0.1", port)).ok();
                if listener.is_none() {
                    std::thread::sleep(Duration::from_millis(10));
                }
            }
            (Some(l), true) => {
                l.set_nonblocking(true).unwrap();
                match l.accept() {
                    Ok((client, _)) => {
                        let state = state.clone();
                        std::thread::spawn(move || {
                            let _ = serve(client, upstream, &state);
                        });
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(2)),
                }
            }
            (None, false) => std::thread::sleep(Duration::from_millis(5)),
        }
    }
}

/// One request and its answer, then the connection closes (as moto's do).
fn serve(mut client: TcpStream, upstream: SocketAddr, state: &Mutex<State>) -> std::io::Result<()> {
    client.set_nonblocking(false)?;
    client.set_read_timeout(Some(Duration::from_secs(30)))?;
    state.lock().unwrap().open.push(client.try_clone()?);
    let request = read_request(&mut client)?;
    let text = String::from_utf8_lossy(&request);
    let call = Call::of(&text);
    let operation = call.operation.clone();
    let first_entry = form_field(&call.body, "PublishBatchRequestEntries.member.1.Id=");
    let throttled = {
        let mut s = state.lock().unwrap();
        let throttled = match s.throttle.clone() {
            Some((op, every)) if op == operation => {
                s.matching += 1;
                s.matching % every == 0
            }
            _ => false,
        };
        let hung = match s.hang_one.clone() {
            Some((op, nth)) if op == operation => {
                s.hang_one_seen += 1;
                s.hang_one_seen == nth
            }
            _ => false,
        };
        s.seen.push(Seen { at: Instant::now(), operation, first_entry, throttled });
        (throttled, hung)
    };
    let (throttled, hung) = throttled;
    let run =
        state.lock().unwrap().functions.clone().filter(|f| call.operation == "Invoke" && call.resource.as_deref() == Some(&f.spec.name));
    if let Some(f) = run {
        client.write_all(&f.invoke(&call.body))?;
        return client.shutdown(Shutdown::Both);
    }
    while state.lock().unwrap().hang || (hung && !state.lock().unwrap().released) {
        std::thread::sleep(Duration::from_millis(20));
    }
    let realistic = state.lock().unwrap().realism.clone();
    if let Some(realism) = realistic {
        if let Some(answer) = refusal(&call, &realism, &mut state.lock().unwrap()) {
            client.write_all(&answer)?;
            return client.shutdown(Shutdown::Both);
        }
        let mut server = TcpStream::connect(upstream)?;
        server.write_all(&request)?;
        let mut answer = Vec::new();
        server.read_to_end(&mut answer)?;
        let answer = after(&call, &realism, &mut state.lock().unwrap(), answer);
        client.write_all(&answer)?;
        return client.shutdown(Shutdown::Both);
    }
    if throttled {
        client.write_all(&answer("400 Bad Request", &[], "text/xml", THROTTLING))?;
    } else {
        let mut server = TcpStream::connect(upstream)?;
        server.write_all(&request)?;
        let mut answer = Vec::new();
        server.read_to_end(&mut answer)?;
        client.write_all(&answer)?;
    }
    client.shutdown(Shutdown::Both)
}

/// The head and a `Content-Length` body.
fn read_request(s: &mut TcpStream) -> std::io::Result<Vec<u8>> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 16 * 1024];
    loop {
        let n = s.read(&mut chunk)?;
        if n == 0 {
            return Ok(buf);
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
            let length: usize =
                head.lines().find_map(|l| l.strip_prefix("content-length:")).and_then(|v| v.trim().parse().ok()).unwrap_or(0);
            while buf.len() < end + 4 + length {
                let n = s.read(&mut chunk)?;
                if n == 0 {
                    break;
                }
                buf.extend_from_slice(&chunk[..n]);
            }
            return Ok(close_after(&buf, end));
        }
    }
}

/// The request with `Connection: close`: the answer ends when the upstream closes.
fn close_after(request: &[u8], head_end: usize) -> Vec<u8> {
    let head = String::from_utf8_lossy(&request[..head_end]);
    let mut out: Vec<u8> = head
        .split("\r\n")
        .filter(|l| !l.to_ascii_lowercase().starts_with("connection:"))
        .flat_map(|l| [l.as_bytes(), b"\r\n"].concat())
        .collect();
    out.extend_from_slice(b"Connection: close\r\n\r\n");
    out.extend_from_slice(&request[head_end + 4..]);
    out
}

/// The value after `key` in a form-encoded body.
fn form_field(body: &str, key: &str) -> Option<String> {
    let start = body.find(key)? + key.len();
    Some(body[start..].split('&').next()?.to_string())
}

/// The query protocol's throttling error (IAM, SNS, STS).
const THROTTLING: &str = "<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error>\
                          <RequestId>00000000-0000-0000-0000-000000000000</RequestId></ErrorResponse>";

/// What a request is, as far as realism needs: its service's protocol, its operation and
/// the names it acts on.
#[derive(Debug)]
struct Call {
    method: String,
    protocol: Protocol,
    operation: String,
    /// The resource named in the path (Lambda's function, Pipes' pipe).
    resource: Option<String>,
    body: String,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Protocol {
    /// Form-encoded `Action=`: IAM, SNS, STS.
    Query,
    /// `X-Amz-Target` with this prefix (`AmazonSQS`, `DynamoDB_20120810`, `Logs_20140328`).
    Json(&'static str),
    /// Lambda's REST-JSON, under `/2015-03-31/`.
    Lambda,
    /// Pipes' REST-JSON, under `/v1/pipes`.
    Pipes,
    /// API Gateway v2's REST-JSON, under `/v2/`.
    ApiGateway,
    /// Anything else (CloudWatch's CBOR): passed through untouched.
    Other,
}

impl Call {
    fn of(request: &str) -> Call {
        let first = request.lines().next().unwrap_or("");
        let mut words = first.split_whitespace();
        let (method, path) = (words.next().unwrap_or(""), words.next().unwrap_or("").split('?').next().unwrap_or(""));
        let body = request.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default();
        let target = request
            .lines()
            .find_map(|l| l.to_ascii_lowercase().starts_with("x-amz-target:").then(|| l["x-amz-target:".len()..].trim().to_string()));
        let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
        let (protocol, operation, resource) = if let Some(action) = form_field(&body, "Action=") {
            (Protocol::Query, action, None)
        } else if let Some(target) = target {
            let (prefix, op) = target.split_once('.').unwrap_or((&target, ""));
            let prefix = ["AmazonSQS", "DynamoDB_20120810", "Logs_20140328"].into_iter().find(|p| *p == prefix).unwrap_or("other");
            (Protocol::Json(prefix), op.to_string(), None)
        } else if segments.first() == Some(&"2015-03-31") && segments.get(1) == Some(&"functions") {
            let name = segments.get(2).map(|n| n.to_string());
            let op = match (method, segments.get(3).copied(), name.is_some()) {
                ("POST", _, false) => "CreateFunction",
                ("GET", None, true) => "GetFunction",
                ("GET", Some("configuration"), _) => "GetFunctionConfiguration",
                ("PUT", Some("code"), _) => "UpdateFunctionCode",
                ("PUT", Some("configuration"), _) => "UpdateFunctionConfiguration",
                ("DELETE", None, true) => "DeleteFunction",
                ("POST", Some("invocations"), true) => "Invoke",
                _ => "OtherLambda",
            };
            (Protocol::Lambda, op.to_string(), name)
        } else if segments.first() == Some(&"2015-03-31") || segments.first() == Some(&"2017-03-31") {
            (Protocol::Lambda, "OtherLambda".into(), None)
        } else if segments.first() == Some(&"v1") && segments.get(1) == Some(&"pipes") {
            let op = match method {
                "POST" => "CreatePipe",
                "PUT" => "UpdatePipe",
                _ => "OtherPipes",
            };
            (Protocol::Pipes, op.to_string(), segments.get(2).map(|n| n.to_string()))
        } else if segments.first() == Some(&"v2") {
            (Protocol::ApiGateway, format!("{method} {path}"), None)
        } else {
            (Protocol::Other, String::new(), None)
        };
        Call { method: method.to_string(), protocol, operation, resource, body }
    }

    /// A string field of the JSON body.
    fn json(&self, key: &str) -> Option<String> {
        serde_json::from_str::<serde_json::Value>(&self.body).ok()?.get(key)?.as_str().map(str::to_string)
    }
}

/// An HTTP answer.
fn answer(status: &str, headers: &[(&str, &str)], content_type: &str, body: &str) -> Vec<u8> {
    let mut head = format!("HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n", body.len());
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("x-amzn-RequestId: 00000000-0000-0000-0000-000000000000\r\nConnection: close\r\n\r\n");
    [head.as_bytes(), body.as_bytes()].concat()
}

fn within(when: Option<&Instant>, window: Duration) -> bool {
    when.is_some_and(|t| t.elapsed() < window)
}

/// The name at the end of an ARN or queue URL.
fn last_name(s: &str) -> String {
    s.rsplit(['/', ':']).next().unwrap_or(s).to_string()
}

/// AWS's refusal of `call`, if AWS would refuse it now: the behaviour is counted.
fn refusal(call: &Call, realism: &Realism, s: &mut State) -> Option<Vec<u8>> {
    s.counted += 1;
    let injected = |s: &mut State, what: &'static str| *s.injected.entry(what).or_default() += 1;
    // Throttling, in each service's shape; never the identity check every command
    // starts with (it is retried like any other, but says nothing of the stack).
    if realism.throttle_every > 0 && s.counted % realism.throttle_every == 0 && call.operation != "GetCallerIdentity" {
        let throttled = match call.protocol {
            Protocol::Query => Some(answer("400 Bad Request", &[], "text/xml", THROTTLING)),
            Protocol::Json("AmazonSQS") => Some(answer(
                "400 Bad Request",
                &[("x-amzn-query-error", "RequestThrottled;Sender")],
                "application/x-amz-json-1.0",
                r#"{"__type":"com.amazonaws.sqs#RequestThrottled","message":"Request is throttled."}"#,
            )),
            Protocol::Json("DynamoDB_20120810") => Some(answer(
                "400 Bad Request",
                &[],
                "application/x-amz-json-1.0",
                r#"{"__type":"com.amazonaws.dynamodb.v20120810#ThrottlingException","message":"Rate of requests exceeds the allowed throughput."}"#,
            )),
            Protocol::Json("Logs_20140328") => Some(answer(
                "400 Bad Request",
                &[],
                "application/x-amz-json-1.1",
                r#"{"__type":"ThrottlingException","message":"Rate exceeded"}"#,
            )),
            Protocol::Lambda | Protocol::ApiGateway => Some(answer(
                "429 Too Many Requests",
                &[("x-amzn-ErrorType", "TooManyRequestsException")],
                "application/json",
                r#"{"Type":"User","message":"Rate exceeded","Reason":"CallerRateLimitExceeded"}"#,
            )),
            Protocol::Pipes => Some(answer(
                "429 Too Many Requests",
                &[("x-amzn-ErrorType", "ThrottlingException")],
                "application/json",
                r#"{"message":"Rate exceeded"}"#,
            )),
            _ => None,
        };
        if throttled.is_some() {
            injected(s, "throttled");
            return throttled;
        }
    }
    match (call.protocol, call.operation.as_str()) {
        (Protocol::Json("AmazonSQS"), "CreateQueue") => {
            let name = call.json("QueueName")?;
            within(s.deleted_queues.get(&name), realism.queue_deleted_recently).then(|| {
                injected(s, "QueueDeletedRecently");
                answer(
                    "400 Bad Request",
                    &[("x-amzn-query-error", "AWS.SimpleQueueService.QueueDeletedRecently;Sender")],
                    "application/x-amz-json-1.0",
                    r#"{"__type":"com.amazonaws.sqs#QueueDeletedRecently","message":"You must wait 60 seconds after deleting a queue before you can create another with the same name."}"#,
                )
            })
        }
        // A role too new to assume, named in the body (Lambda's `Role`, Pipes' `RoleArn`).
        (Protocol::Lambda, "CreateFunction" | "UpdateFunctionConfiguration") | (Protocol::Pipes, "CreatePipe" | "UpdatePipe")
            if call
                .json(if call.protocol == Protocol::Pipes { "RoleArn" } else { "Role" })
                .is_some_and(|r| within(s.created_roles.get(&last_name(&r)), realism.role_propagation)) =>
        {
            let (what, code, message) = if call.protocol == Protocol::Pipes {
                (
                    "role not assumable yet (Pipes)",
                    "ValidationException",
                    r#"{"message":"Pipes cannot assume the role you provided. Check that the role exists and trusts pipes.amazonaws.com."}"#,
                )
            } else {
                (
                    "role not assumable yet (Lambda)",
                    "InvalidParameterValueException",
                    r#"{"Type":"User","message":"The role defined for the function cannot be assumed by Lambda."}"#,
                )
            };
            injected(s, what);
            Some(answer("400 Bad Request", &[("x-amzn-ErrorType", code)], "application/json", message))
        }
        // Anything but a read or a delete, on a function still Pending or updating
        // (its name in the path, or a mapping's `FunctionName`).
        (Protocol::Lambda, op) if op != "CreateFunction" && call.method != "GET" && call.method != "DELETE" => {
            let name = call.resource.clone().or_else(|| call.json("FunctionName").map(|f| last_name(&f)))?;
            let busy = within(s.created_functions.get(&name), realism.function_settling)
                || within(s.updated_functions.get(&name), realism.function_settling);
            busy.then(|| {
                injected(s, "ResourceConflictException (function not settled)");
                answer(
                    "409 Conflict",
                    &[("x-amzn-ErrorType", "ResourceConflictException")],
                    "application/json",
                    &format!(
                        r#"{{"Type":"User","message":"The operation cannot be performed at this time. The function is being created or updated: arn:aws:lambda:us-east-1:123456789012:function:{name}"}}"#
                    ),
                )
            })
        }
        _ => None,
    }
}

/// Records what a forwarded `call` set off on AWS, and makes moto's `answer` say what
/// AWS would say meanwhile (a function `Pending`, an update `InProgress`).
fn after(call: &Call, realism: &Realism, s: &mut State, answer: Vec<u8>) -> Vec<u8> {
    let ok = answer.starts_with(b"HTTP/1.1 2") || answer.starts_with(b"HTTP/1.0 2");
    let now = Instant::now();
    match (call.protocol, call.operation.as_str()) {
        (Protocol::Json("AmazonSQS"), "DeleteQueue") if ok => {
            if let Some(url) = call.json("QueueUrl") {
                s.deleted_queues.insert(last_name(&url), now);
            }
        }
        (Protocol::Query, "CreateRole") if ok => {
            if let Some(name) = form_field(&call.body, "RoleName=") {
                s.created_roles.insert(name, now);
            }
        }
        (Protocol::Lambda, "CreateFunction") if ok => {
            if let Some(name) = call.json("FunctionName") {
                s.created_functions.insert(name, now);
            }
        }
        (Protocol::Lambda, "UpdateFunctionCode" | "UpdateFunctionConfiguration") if ok => {
            if let Some(name) = &call.resource {
                s.updated_functions.insert(name.clone(), now);
            }
        }
        (Protocol::Lambda, "GetFunction" | "GetFunctionConfiguration") if ok => {
            let name = call.resource.clone().unwrap_or_default();
            let (pending, in_progress) = (
                within(s.created_functions.get(&name), realism.function_settling),
                within(s.updated_functions.get(&name), realism.function_settling),
            );
            let rewritten = rewrite_body(&answer, |body| {
                let mut b = body.to_string();
                if pending {
                    b = b.replace(r#""State": "Active""#, r#""State": "Pending""#).replace(r#""State":"Active""#, r#""State":"Pending""#);
                }
                if in_progress {
                    b = b
                        .replace(r#""LastUpdateStatus": "Successful""#, r#""LastUpdateStatus": "InProgress""#)
                        .replace(r#""LastUpdateStatus":"Successful""#, r#""LastUpdateStatus":"InProgress""#);
                }
                b
            });
            if rewritten != answer {
                let what = if pending { "function Pending" } else { "update InProgress" };
                *s.injected.entry(what).or_default() += 1;
            }
            return rewritten;
        }
        _ => {}
    }
    answer
}

/// `answer` with its body passed through `edit`, and its `Content-Length` to match.
fn rewrite_body(answer: &[u8], edit: impl Fn(&str) -> String) -> Vec<u8> {
    let Some(end) = answer.windows(4).position(|w| w == b"\r\n\r\n") else { return answer.to_vec() };
    let head = String::from_utf8_lossy(&answer[..end]);
    let body = String::from_utf8_lossy(&answer[end + 4..]);
    let edited = edit(&body);
    if edited == body {
        return answer.to_vec();
    }
    let head: String = head
        .split("\r\n")
        .map(|l| {
            if l.to_ascii_lowercase().starts_with("content-length:") {
                format!("Content-Length: {}", edited.len())
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\r\n");
    [head.as_bytes(), b"\r\n\r\n", edited.as_bytes()].concat()
}
