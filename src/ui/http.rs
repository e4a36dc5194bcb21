//! Just enough HTTP/1.1 for the page: one request per connection (every answer says
//! `Connection: close`), a thread per connection, bodies by `Content-Length`. The page
//! makes a handful of requests a second at most; closing each connection keeps the
//! server free of keep-alive bookkeeping (a stalled keep-alive connection in a general
//! library server once held up one of the page's scripts for good). What a browser
//! could be made to send ambiguously is refused rather than guessed at: two
//! `Content-Length`s that differ, a `Transfer-Encoding`, two `Host`s. At most
//! `MAX_CONNECTIONS` are served at once; past that a connection gets 503 at once, so a
//! local process cannot make the server start a thread per connection without bound.
//! (Why this and not hyper: ARCHITECTURE.md, "Hand-written or a crate".)

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// A request head larger than this is refused.
const MAX_HEAD: usize = 64 * 1024;

/// Connections served at once (each has a thread); an event stream is one.
pub const MAX_CONNECTIONS: usize = 64;

pub struct Request {
    pub method: String,
    /// The path, without the query.
    pub path: String,
    /// Header names in lower case.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Request {
    /// The value of header `name` (lower case), if present.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

/// An answer with a complete body.
pub struct Response {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn new(status: u16, content_type: &str, body: Vec<u8>) -> Response {
        Response { status, headers: vec![("Content-Type", content_type.to_string())], body }
    }

    pub fn header(mut self, name: &'static str, value: impl Into<String>) -> Response {
        self.headers.push((name, value.into()));
        self
    }

    pub fn write_to(&self, stream: &mut TcpStream) -> std::io::Result<()> {
        let mut head = format!("HTTP/1.1 {} {}\r\n", self.status, reason(self.status));
        for (name, value) in &self.headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str(&format!("Content-Length: {}\r\nConnection: close\r\n\r\n", self.body.len()));
        stream.write_all(head.as_bytes())?;
        stream.write_all(&self.body)?;
        stream.flush()
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        415 => "Unsupported Media Type",
        405 => "Method Not Allowed",
        413 => "Payload Too Large",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "",
    }
}

/// Reads one request; `Err` with the answer to give when it is not acceptable.
fn read_request(stream: &mut impl Read, max_body: usize) -> Result<Request, Response> {
    let bad = |status, msg: &str| Response::new(status, "text/plain; charset=utf-8", msg.as_bytes().to_vec());
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break end;
        }
        if buf.len() > MAX_HEAD {
            return Err(bad(400, "request head too large"));
        }
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => return Err(bad(400, "incomplete request")),
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.lines();
    let mut parts = lines.next().unwrap_or_default().split_whitespace();
    let (Some(method), Some(target)) = (parts.next(), parts.next()) else { return Err(bad(400, "no request line")) };
    let headers: Vec<(String, String)> =
        lines.filter_map(|l| l.split_once(':')).map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string())).collect();
    fn all<'a>(headers: &'a [(String, String)], name: &'a str) -> impl Iterator<Item = &'a str> {
        headers.iter().filter(move |(n, _)| n == name).map(|(_, v)| v.as_str())
    }
    if all(&headers, "host").count() > 1 {
        return Err(bad(400, "more than one Host header"));
    }
    if all(&headers, "transfer-encoding").next().is_some() {
        return Err(bad(501, "Transfer-Encoding is not accepted here: send the body with a Content-Length"));
    }
    let lengths: Vec<&str> = all(&headers, "content-length").collect();
    let length = match lengths.first() {
        None => 0,
        Some(first) if lengths.iter().all(|l| l == first) => {
            first.parse::<usize>().map_err(|_| bad(400, "a Content-Length that is not a length"))?
        }
        Some(_) => return Err(bad(400, "Content-Length headers that differ")),
    };
    if length > max_body {
        return Err(bad(413, "request body too large"));
    }
    let mut body = buf[head_end + 4..].to_vec();
    while body.len() < length {
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => return Err(bad(400, "incomplete request body")),
            Ok(n) => body.extend_from_slice(&chunk[..n]),
        }
    }
    body.truncate(length);
    Ok(Request { method: method.to_string(), path: target.split('?').next().unwrap_or("/").to_string(), headers, body })
}

/// Accepts connections until `stop`, handing each request and its stream to `handle`
/// on a thread of its own.
pub fn serve(listener: TcpListener, stop: Arc<AtomicBool>, max_body: usize, handle: Arc<dyn Fn(Request, TcpStream) + Send + Sync>) {
    listener.set_nonblocking(true).expect("a listening socket");
    let active = Arc::new(AtomicUsize::new(0));
    while !stop.load(Ordering::Relaxed) {
        match listener.accept() {
            Ok((mut stream, _)) if active.load(Ordering::SeqCst) >= MAX_CONNECTIONS => {
                let _ = stream.set_nonblocking(false);
                let _ = stream.set_write_timeout(Some(Duration::from_secs(1)));
                let busy = Response::new(503, "text/plain; charset=utf-8", b"too many connections at once".to_vec());
                let _ = busy.header("Retry-After", "1").write_to(&mut stream);
            }
            Ok((mut stream, _)) => {
                let (handle, active) = (handle.clone(), Open::count(&active));
                std::thread::spawn(move || {
                    let _active = active;
                    let _ = stream.set_nonblocking(false);
                    let _ = stream.set_read_timeout(Some(Duration::from_secs(30)));
                    // A reader that stops reading (an event stream left open) cannot
                    // hold a thread for ever.
                    let _ = stream.set_write_timeout(Some(Duration::from_secs(10)));
                    match read_request(&mut stream, max_body) {
                        Ok(request) => handle(request, stream),
                        Err(refusal) => {
                            let _ = refusal.write_to(&mut stream);
                        }
                    }
                });
            }
            Err(_) => std::thread::sleep(Duration::from_millis(10)),
        }
    }
}

/// One connection being served; counted while it lives.
struct Open(Arc<AtomicUsize>);

impl Open {
    fn count(active: &Arc<AtomicUsize>) -> Open {
        active.fetch_add(1, Ordering::SeqCst);
        Open(active.clone())
    }
}

impl Drop for Open {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(raw: &str) -> Result<Request, Response> {
        read_request(&mut raw.as_bytes(), 1024)
    }

    fn refused(raw: &str) -> u16 {
        read(raw).err().map(|r| r.status).unwrap_or(0)
    }

    #[test]
    fn a_request_is_read_with_its_body() {
        let r = read("POST /api/orders?x=1 HTTP/1.1\r\nHost: 127.0.0.1:1\r\nContent-Length: 2\r\n\r\n{}").ok().unwrap();
        assert_eq!((r.method.as_str(), r.path.as_str(), r.body.as_slice()), ("POST", "/api/orders", b"{}".as_slice()));
        assert_eq!(r.header("host"), Some("127.0.0.1:1"));
        let same = "POST / HTTP/1.1\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\n{}";
        assert_eq!(read(same).ok().unwrap().body, b"{}");
    }

    #[test]
    fn ambiguous_requests_are_refused_not_guessed_at() {
        assert_eq!(refused("POST / HTTP/1.1\r\nContent-Length: 2\r\nContent-Length: 5\r\n\r\n{}xyz"), 400);
        assert_eq!(refused("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n"), 501);
        assert_eq!(refused("GET / HTTP/1.1\r\nHost: 127.0.0.1:1\r\nHost: evil.example\r\n\r\n"), 400);
        assert_eq!(refused("POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n"), 400);
        assert_eq!(refused("POST / HTTP/1.1\r\nContent-Length: 2048\r\n\r\n"), 413);
        assert_eq!(refused("POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\n{}"), 400);
        assert_eq!(refused(&format!("GET /{} HTTP/1.1\r\n", "a".repeat(MAX_HEAD + 10))), 400);
    }

    #[test]
    fn connections_past_the_limit_get_503_at_once() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let stop = Arc::new(AtomicBool::new(false));
        // A handler that holds every connection until the test ends.
        let (hold_tx, hold_rx) = std::sync::mpsc::channel::<()>();
        let hold = Arc::new(std::sync::Mutex::new(hold_rx));
        let handle: Arc<dyn Fn(Request, TcpStream) + Send + Sync> = Arc::new(move |_, _| {
            let _ = hold.lock().unwrap().recv_timeout(Duration::from_secs(20));
        });
        let server = {
            let stop = stop.clone();
            std::thread::spawn(move || serve(listener, stop, 1024, handle))
        };
        let ask = || {
            let mut s = TcpStream::connect(addr).unwrap();
            s.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
            s
        };
        let held: Vec<TcpStream> = (0..MAX_CONNECTIONS).map(|_| ask()).collect();
        std::thread::sleep(Duration::from_millis(300));
        let mut extra = ask();
        extra.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        let mut answer = String::new();
        let _ = extra.read_to_string(&mut answer);
        assert!(answer.starts_with("HTTP/1.1 503"), "the connection past the limit: {answer:?}");
        drop(hold_tx);
        drop(held);
        stop.store(true, Ordering::Relaxed);
        server.join().unwrap();
    }
}
