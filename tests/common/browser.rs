//! Headless Chromium for a test, driven through ChromeDriver's WebDriver protocol on a
//! free loopback port (plain HTTP/1.1 over a socket: no client library needed).
//! `tests/setup.sh` installs Debian's `chromium` and `chromium-driver`;
//! `ORDERCTL_CHROMEDRIVER` / `ORDERCTL_CHROMIUM` may point elsewhere. No browser is a
//! test failure, never a silent skip.

use base64::Engine as _;
use serde_json::{json, Value};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Browser {
    driver: Child,
    port: u16,
    session: String,
    _profile: tempfile::TempDir,
}

fn program(var: &str, default: &str) -> PathBuf {
    std::env::var_os(var).map(PathBuf::from).unwrap_or_else(|| PathBuf::from(default))
}

/// One WebDriver request: `(status, JSON body)`.
fn request(port: u16, method: &str, path: &str, body: Option<&Value>) -> (u16, Value) {
    let body = body.map(Value::to_string).unwrap_or_default();
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("chromedriver listens");
    s.set_read_timeout(Some(Duration::from_secs(120))).unwrap();
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    s.write_all(head.as_bytes()).unwrap();
    s.write_all(body.as_bytes()).unwrap();
    // ChromeDriver may keep the connection open: read the head, then exactly the body.
    let mut answer = Vec::new();
    let mut chunk = [0u8; 64 * 1024];
    let (head, body) = loop {
        let n = s.read(&mut chunk).unwrap_or_else(|e| panic!("{method} {path}: no answer from chromedriver ({e})"));
        answer.extend_from_slice(&chunk[..n]);
        let text = String::from_utf8_lossy(&answer).into_owned();
        if let Some((head, body)) = text.split_once("\r\n\r\n") {
            let lower = head.to_ascii_lowercase();
            let length = lower.lines().find_map(|l| l.strip_prefix("content-length:")).and_then(|v| v.trim().parse::<usize>().ok());
            let complete = match length {
                Some(len) => body.len() >= len,
                None if lower.contains("transfer-encoding: chunked") => body.ends_with("0\r\n\r\n"),
                None => n == 0,
            };
            if complete || n == 0 {
                let body = if length.is_none() && lower.contains("transfer-encoding: chunked") { dechunk(body) } else { body.to_string() };
                break (head.to_string(), body);
            }
        } else if n == 0 {
            break (text, String::new());
        }
    };
    let status = head.split_whitespace().nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    (status, serde_json::from_str(&body).unwrap_or(Value::Null))
}

fn dechunk(mut body: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = body.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 || rest.len() < n {
            break;
        }
        out.push_str(&rest[..n]);
        body = rest[n..].trim_start_matches("\r\n");
    }
    out
}

impl Browser {
    /// Chromium, headless, in a window of `width` × `height`, logging every network
    /// request so a test can see where the page went.
    pub fn start(width: u32, height: u32) -> Browser {
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let driver_bin = program("ORDERCTL_CHROMEDRIVER", "/usr/bin/chromedriver");
        let mut driver = Command::new(&driver_bin);
        driver.arg(format!("--port={port}"));
        if let Some(log) = std::env::var_os("ORDERCTL_CHROMEDRIVER_LOG") {
            driver.arg("--verbose").arg(format!("--log-path={}", log.to_string_lossy()));
        }
        let driver = driver
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("starting `{}` ({e}): run `sh tests/setup.sh`, which installs Chromium", driver_bin.display()));
        let start = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(start.elapsed() < Duration::from_secs(30), "chromedriver did not listen on {port}");
            std::thread::sleep(Duration::from_millis(50));
        }
        let profile = tempfile::tempdir().unwrap();
        let args = [
            "--headless=new".to_string(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--disable-dev-shm-usage".into(),
            "--disable-quic".into(),
            "--no-first-run".into(),
            "--disable-background-networking".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            "--disable-default-apps".into(),
            "--disable-extensions".into(),
            format!("--user-data-dir={}", profile.path().display()),
            format!("--window-size={width},{height}"),
        ];
        let capabilities = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": program("ORDERCTL_CHROMIUM", "/usr/bin/chromium"), "args": args},
            "goog:loggingPrefs": {"performance": "ALL"},
        }}});
        let (status, answer) = request(port, "POST", "/session", Some(&capabilities));
        assert_eq!(status, 200, "a Chromium session: {answer}");
        let session = answer["value"]["sessionId"].as_str().expect("a session id").to_string();
        let browser = Browser { driver, port, session, _profile: profile };
        browser.requested_urls(); // what the browser did on its own before any page
        browser
    }

    /// A WebDriver command of this session; panics on a WebDriver error.
    pub fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        // A POST always carries a JSON object, if only an empty one.
        let body = if method == "POST" { Some(body.unwrap_or_else(|| json!({}))) } else { body };
        let (status, answer) = request(self.port, method, &format!("/session/{}{path}", self.session), body.as_ref());
        assert_eq!(status, 200, "{method} {path}: {answer}");
        answer["value"].clone()
    }

    pub fn goto(&self, url: &str) {
        self.call("POST", "/url", Some(json!({"url": url})));
    }

    pub fn resize(&self, width: u32, height: u32) {
        self.call("POST", "/window/rect", Some(json!({"width": width, "height": height})));
    }

    /// The element matching the CSS selector, if there is one now.
    pub fn try_find(&self, css: &str) -> Option<String> {
        let (status, answer) = request(
            self.port,
            "POST",
            &format!("/session/{}/element", self.session),
            Some(&json!({"using": "css selector", "value": css})),
        );
        (status == 200).then(|| answer["value"].as_object().and_then(|o| o.values().next()).and_then(Value::as_str).map(String::from))?
    }

    pub fn find(&self, css: &str) -> String {
        self.try_find(css).unwrap_or_else(|| panic!("no element `{css}` on the page"))
    }

    /// The visible text of the element, or "" when there is none.
    pub fn text(&self, css: &str) -> String {
        match self.try_find(css) {
            Some(el) => self.call("GET", &format!("/element/{el}/text"), None).as_str().unwrap_or_default().to_string(),
            None => String::new(),
        }
    }

    pub fn attribute(&self, css: &str, name: &str) -> Option<String> {
        let el = self.try_find(css)?;
        self.call("GET", &format!("/element/{el}/attribute/{name}"), None).as_str().map(String::from)
    }

    pub fn click(&self, css: &str) {
        let el = self.find(css);
        self.call("POST", &format!("/element/{el}/click"), None);
    }

    pub fn clear(&self, css: &str) {
        let el = self.find(css);
        self.call("POST", &format!("/element/{el}/clear"), None);
    }

    /// Types `keys` as a keyboard would, starting in the element (`\u{E004}` is Tab,
    /// `\u{E007}` Enter: focus moves with them, as for a person).
    pub fn type_into(&self, css: &str, keys: &str) {
        let el = self.find(css);
        self.call("POST", &format!("/element/{el}/value"), Some(json!({"text": keys})));
    }

    pub fn script(&self, js: &str) -> Value {
        self.call("POST", "/execute/sync", Some(json!({"script": js, "args": []})))
    }

    /// Waits until `check` holds, up to `max`; panics naming `what` with the last value.
    pub fn wait_for<T: std::fmt::Debug>(
        &self,
        what: &str,
        max: Duration,
        mut probe: impl FnMut(&Browser) -> T,
        check: impl Fn(&T) -> bool,
    ) -> T {
        let start = Instant::now();
        loop {
            let value = probe(self);
            if check(&value) {
                return value;
            }
            assert!(start.elapsed() < max, "waited {max:?} for {what}; last seen: {value:?}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Saves a PNG of the window to `path`.
    pub fn screenshot(&self, path: &Path) {
        let png = self.call("GET", "/screenshot", None);
        let bytes = base64::engine::general_purpose::STANDARD.decode(png.as_str().unwrap()).unwrap();
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).unwrap();
        }
        std::fs::write(path, bytes).unwrap();
    }

    /// Every URL the browser requested since the last call (its performance log),
    /// but for its own `chrome://` pages.
    pub fn requested_urls(&self) -> Vec<String> {
        let entries = self.call("POST", "/se/log", Some(json!({"type": "performance"})));
        entries
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|e| serde_json::from_str::<Value>(e["message"].as_str()?).ok())
            .filter(|m| m["message"]["method"] == "Network.requestWillBeSent")
            .filter_map(|m| m["message"]["params"]["request"]["url"].as_str().map(String::from))
            .filter(|u| !u.starts_with("chrome://"))
            .collect()
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = request(self.port, "DELETE", &format!("/session/{}", self.session), None);
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// Where the suite keeps its screenshots (a test artifact): `target/ui-artifacts/`.
pub fn artifact(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/ui-artifacts").join(name)
}
