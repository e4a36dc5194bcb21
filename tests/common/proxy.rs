//! An HTTP proxy on its own loopback port in front of an emulator, for endpoint faults:
//! it can go away (the port refuses connections and open ones are cut) and come back on
//! the same port, with the emulator's state intact — moto keeps its state in memory, so
//! stopping moto itself would lose the stack — it can answer every n-th request of
//! one operation with a throttling error instead of forwarding it, and it can hang:
//! take each request and never answer.

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
    matching: u64,
    seen: Vec<Seen>,
    open: Vec<TcpStream>,
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

    /// Requests are answered again.
    pub fn answer(&self) {
        self.state.lock().unwrap().hang = false;
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.state.lock().unwrap().seen.clone()
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
    let operation = operation_of(&text);
    let first_entry = field(&text, "PublishBatchRequestEntries.member.1.Id=");
    let throttled = {
        let mut s = state.lock().unwrap();
        let throttled = match s.throttle.clone() {
            Some((op, every)) if op == operation => {
                s.matching += 1;
                s.matching % every == 0
            }
            _ => false,
        };
        s.seen.push(Seen { at: Instant::now(), operation, first_entry, throttled });
        throttled
    };
    while state.lock().unwrap().hang {
        std::thread::sleep(Duration::from_millis(20));
    }
    if throttled {
        let body = "<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error>\
                    <RequestId>00000000-0000-0000-0000-000000000000</RequestId></ErrorResponse>";
        let head =
            format!("HTTP/1.1 400 Bad Request\r\nContent-Type: text/xml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len());
        client.write_all(head.as_bytes())?;
        client.write_all(body.as_bytes())?;
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

fn operation_of(request: &str) -> String {
    if let Some(action) = field(request, "Action=") {
        return action;
    }
    request
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase().starts_with("x-amz-target:").then(|| l[13..].trim().rsplit('.').next().unwrap_or("").to_string())
        })
        .unwrap_or_default()
}

/// The value after `key` in a form-encoded body.
fn field(request: &str, key: &str) -> Option<String> {
    let body = request.split("\r\n\r\n").nth(1)?;
    let start = body.find(key)? + key.len();
    Some(body[start..].split('&').next()?.to_string())
}
