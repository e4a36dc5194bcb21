//! A local Lambda Runtime API (REFERENCE §7): runs a packaged `bootstrap` as a real
//! child process and serves it invocations — `GET /next` (long poll) with the request
//! id and deadline headers, `POST /{id}/response`, `POST /{id}/error`,
//! `POST /init/error` — the way Lambda's runtime does. An invocation that outlives its
//! timeout kills the process (the next invocation starts a fresh one: a cold start)
//! and counts as failed, as do a crash and an error report.

use anyhow::{anyhow, Context, Result};
use order_domain::now_micros;
use serde_json::Value;
use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};
use tiny_http::{Header, Method, Request, Response, Server};

const PREFIX: &str = "/2018-06-01/runtime";

/// How a function runs.
#[derive(Debug, Clone)]
pub struct FunctionSpec {
    pub name: String,
    /// The `bootstrap` executable (see [`extract_bootstrap`] for a deployment zip).
    pub bootstrap: PathBuf,
    pub timeout: Duration,
    pub memory_mb: u32,
    pub environment: Vec<(String, String)>,
    /// Where the process's stdout and stderr go (its "CloudWatch Logs"); `None`
    /// discards them.
    pub log: Option<PathBuf>,
}

/// Why an invocation failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum InvokeError {
    #[error("task timed out after {0:?}; the process was killed")]
    Timeout(Duration),
    #[error("function error {error_type}: {message}")]
    Function { error_type: String, message: String },
    #[error("the runtime process exited ({0}) during the invocation")]
    Crashed(String),
    #[error("the runtime failed to initialise: {0}")]
    Init(String),
}

type Outcome = Result<Value, InvokeError>;

struct Invocation {
    id: String,
    deadline_ms: i64,
    payload: String,
}

#[derive(Default)]
struct State {
    /// Invocations not yet handed to the process.
    pending: Vec<Invocation>,
    /// A `/next` long poll waiting for an invocation.
    waiting: Option<Request>,
    /// Where each in-flight invocation's outcome goes.
    results: HashMap<String, Sender<Outcome>>,
    init_error: Option<String>,
}

/// A function: its Runtime API endpoint and its process.
pub struct LocalFunction {
    spec: FunctionSpec,
    server: Arc<Server>,
    address: String,
    state: Arc<Mutex<State>>,
    serve: Option<JoinHandle<()>>,
    child: Option<Child>,
    /// How long the latest process took from spawn to its first `/next`.
    pub last_cold_start: Option<Duration>,
    ready: Receiver<()>,
}

impl LocalFunction {
    pub fn start(spec: FunctionSpec) -> Result<LocalFunction> {
        let server = Arc::new(Server::http("127.0.0.1:0").map_err(|e| anyhow!("starting the runtime API: {e}"))?);
        let address = server.server_addr().to_ip().context("the runtime API listens on an IP address")?.to_string();
        let state = Arc::new(Mutex::new(State::default()));
        let (ready_tx, ready) = channel();
        let serve = {
            let (server, state, name) = (server.clone(), state.clone(), spec.name.clone());
            thread::Builder::new().name(format!("runtime-api-{}", spec.name)).spawn(move || serve(&server, &state, &ready_tx, &name))?
        };
        Ok(LocalFunction { spec, server, address, state, serve: Some(serve), child: None, last_cold_start: None, ready })
    }

    /// `host:port` of the Runtime API, as `AWS_LAMBDA_RUNTIME_API` gives it.
    pub fn runtime_api(&self) -> &str {
        &self.address
    }

    fn spawn(&mut self) -> Result<()> {
        while self.ready.try_recv().is_ok() {}
        let mut cmd = Command::new(&self.spec.bootstrap);
        cmd.env_clear()
            .env("PATH", "/usr/local/bin:/usr/bin:/bin")
            .env("AWS_LAMBDA_RUNTIME_API", &self.address)
            .env("AWS_LAMBDA_FUNCTION_NAME", &self.spec.name)
            .env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", self.spec.memory_mb.to_string())
            .env("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
            .env("AWS_LAMBDA_LOG_GROUP_NAME", format!("/aws/lambda/{}", self.spec.name))
            .env("AWS_LAMBDA_LOG_STREAM_NAME", "local")
            .env("LAMBDA_TASK_ROOT", self.spec.bootstrap.parent().unwrap_or(Path::new("/")))
            .envs(self.spec.environment.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::null());
        match &self.spec.log {
            Some(path) => {
                let file = std::fs::OpenOptions::new().create(true).append(true).open(path)?;
                cmd.stdout(file.try_clone()?).stderr(file);
            }
            None => {
                cmd.stdout(Stdio::null()).stderr(Stdio::null());
            }
        }
        let started = Instant::now();
        let child = cmd.spawn().with_context(|| format!("starting `{}`", self.spec.bootstrap.display()))?;
        self.child = Some(child);
        // The process is warm once it asks for its first invocation.
        loop {
            match self.ready.recv_timeout(Duration::from_millis(20)) {
                Ok(()) => break,
                Err(RecvTimeoutError::Timeout) => {
                    let init_error = self.state.lock().expect("runtime state").init_error.take();
                    if let Some(e) = init_error {
                        self.kill();
                        return Err(InvokeError::Init(e).into());
                    }
                    if let Some(status) = self.child.as_mut().and_then(|c| c.try_wait().ok().flatten()) {
                        self.child = None;
                        return Err(InvokeError::Init(format!("the process exited ({status}) before asking for an invocation")).into());
                    }
                    if started.elapsed() > Duration::from_secs(10) {
                        self.kill();
                        return Err(InvokeError::Init("the process did not ask for an invocation within 10s".into()).into());
                    }
                }
                Err(RecvTimeoutError::Disconnected) => {
                    self.kill();
                    return Err(anyhow!("the runtime API of `{}` stopped", self.spec.name));
                }
            }
        }
        self.last_cold_start = Some(started.elapsed());
        Ok(())
    }

    fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
        let mut state = self.state.lock().expect("runtime state");
        state.waiting = None; // that process's long poll died with it
        state.pending.clear();
        state.results.clear();
    }

    /// Invokes the function with `payload` and waits for its answer, at most its
    /// timeout. Starts the process first if it is not running (a cold start).
    pub fn invoke(&mut self, payload: &Value) -> Result<Outcome> {
        self.invoke_within(payload, self.spec.timeout)
    }

    /// [`LocalFunction::invoke`], waiting at most `within` (no longer than the
    /// timeout): past it the process is killed and the invocation timed out, as
    /// Lambda would at the timeout. The function still sees its full timeout's deadline.
    pub fn invoke_within(&mut self, payload: &Value, within: Duration) -> Result<Outcome> {
        let within = within.min(self.spec.timeout);
        let alive = self.child.as_mut().is_some_and(|c| c.try_wait().ok().flatten().is_none());
        if !alive {
            self.child = None;
            if let Err(e) = self.spawn() {
                return match e.downcast::<InvokeError>() {
                    Ok(init) => Ok(Err(init)),
                    Err(other) => Err(other),
                };
            }
        }
        let id = uuid::Uuid::new_v4().to_string();
        let deadline = Instant::now() + within;
        let invocation = Invocation {
            id: id.clone(),
            deadline_ms: now_micros() / 1000 + self.spec.timeout.as_millis() as i64,
            payload: payload.to_string(),
        };
        let (tx, rx) = channel();
        {
            let mut state = self.state.lock().expect("runtime state");
            state.results.insert(id.clone(), tx);
            match state.waiting.take() {
                Some(request) => hand_over(request, &invocation, &self.spec.name),
                None => state.pending.push(invocation),
            }
        }
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match rx.recv_timeout(left.min(Duration::from_millis(50))) {
                Ok(outcome) => return Ok(outcome),
                Err(RecvTimeoutError::Timeout) if left.is_zero() => {
                    self.kill();
                    return Ok(Err(InvokeError::Timeout(within)));
                }
                Err(_) => {
                    if let Some(status) = self.child.as_mut().and_then(|c| c.try_wait().ok().flatten()) {
                        self.child = None;
                        self.kill();
                        return Ok(Err(InvokeError::Crashed(status.to_string())));
                    }
                }
            }
        }
    }

    /// The process id of the running process, if any.
    pub fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(Child::id)
    }
}

impl Drop for LocalFunction {
    fn drop(&mut self) {
        self.kill();
        self.server.unblock();
        if let Some(t) = self.serve.take() {
            let _ = t.join();
        }
    }
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("valid header")
}

fn hand_over(request: Request, inv: &Invocation, function: &str) {
    let response = Response::from_string(inv.payload.clone())
        .with_header(header("Content-Type", "application/json"))
        .with_header(header("Lambda-Runtime-Aws-Request-Id", &inv.id))
        .with_header(header("Lambda-Runtime-Deadline-Ms", &inv.deadline_ms.to_string()))
        .with_header(header("Lambda-Runtime-Invoked-Function-Arn", &format!("arn:aws:lambda:local:000000000000:function:{function}")))
        .with_header(header(
            "Lambda-Runtime-Trace-Id",
            &format!("Root=1-{:08x}-{}", now_micros() / 1_000_000, &inv.id.replace('-', "")[..24]),
        ));
    let _ = request.respond(response);
}

fn accepted(request: Request) {
    let _ = request
        .respond(Response::from_string(r#"{"status":"OK"}"#).with_status_code(202).with_header(header("Content-Type", "application/json")));
}

fn serve(server: &Server, state: &Mutex<State>, ready: &Sender<()>, function: &str) {
    for mut request in server.incoming_requests() {
        let url = request.url().to_string();
        let Some(path) = url.strip_prefix(PREFIX) else {
            let _ = request.respond(Response::from_string("not found").with_status_code(404));
            continue;
        };
        match (request.method().clone(), path) {
            (Method::Get, "/invocation/next") => {
                let _ = ready.send(());
                let mut s = state.lock().expect("runtime state");
                if s.pending.is_empty() {
                    s.waiting = Some(request);
                } else {
                    let inv = s.pending.remove(0);
                    hand_over(request, &inv, function);
                }
            }
            (Method::Post, "/init/error") => {
                let mut body = String::new();
                let _ = request.as_reader().read_to_string(&mut body);
                state.lock().expect("runtime state").init_error = Some(error_message(&body));
                accepted(request);
            }
            (Method::Post, p) if p.starts_with("/invocation/") => {
                let rest = &p["/invocation/".len()..];
                let (id, what) = rest.split_once('/').unwrap_or((rest, ""));
                let mut body = String::new();
                let _ = request.as_reader().read_to_string(&mut body);
                let error_type =
                    request.headers().iter().find(|h| h.field.equiv("Lambda-Runtime-Function-Error-Type")).map(|h| h.value.to_string());
                let outcome = match what {
                    "response" => Ok(serde_json::from_str(&body).unwrap_or(Value::String(body))),
                    "error" => {
                        let parsed: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
                        Err(InvokeError::Function {
                            error_type: parsed["errorType"]
                                .as_str()
                                .map(str::to_string)
                                .or(error_type)
                                .unwrap_or_else(|| "Unhandled".into()),
                            message: parsed["errorMessage"].as_str().map(str::to_string).unwrap_or(body),
                        })
                    }
                    _ => {
                        let _ = request.respond(Response::from_string("not found").with_status_code(404));
                        continue;
                    }
                };
                match state.lock().expect("runtime state").results.remove(id) {
                    Some(tx) => {
                        let _ = tx.send(outcome);
                        accepted(request);
                    }
                    None => {
                        let _ = request.respond(
                            Response::from_string(r#"{"errorMessage":"unknown or expired request id","errorType":"InvalidRequestID"}"#)
                                .with_status_code(400),
                        );
                    }
                }
            }
            _ => {
                let _ = request.respond(Response::from_string("not found").with_status_code(404));
            }
        }
    }
}

fn error_message(body: &str) -> String {
    serde_json::from_str::<Value>(body)
        .ok()
        .and_then(|v| v["errorMessage"].as_str().map(str::to_string))
        .unwrap_or_else(|| body.to_string())
}

/// Writes the `bootstrap` of a deployment zip into `dir`, executable; returns its path.
pub fn extract_bootstrap(zip_path: &Path, dir: &Path) -> Result<PathBuf> {
    let file = std::fs::File::open(zip_path).with_context(|| format!("opening `{}`", zip_path.display()))?;
    let mut archive = zip::ZipArchive::new(file).with_context(|| format!("reading `{}`", zip_path.display()))?;
    let mut entry = archive.by_name("bootstrap").with_context(|| format!("`{}` holds no `bootstrap`", zip_path.display()))?;
    let mut bytes = Vec::new();
    entry.read_to_end(&mut bytes)?;
    std::fs::create_dir_all(dir)?;
    let path = dir.join("bootstrap");
    std::fs::write(&path, &bytes)?;
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755))?;
    Ok(path)
}
