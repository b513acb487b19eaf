//! The harness the end-to-end tests share: Python apps on free ports of 127.0.0.1, the axum
//! twin of their routes, and a small HTTP/1.1 client with a cookie jar playing the browser.
// Each test binary uses part of it; failing loudly on a broken fixture is the point.
#![allow(
    dead_code,
    unreachable_pub,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout,
    clippy::print_stderr,
    clippy::indexing_slicing
)]

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::routing::get;
use http::Uri;
use serde_json::{Value, json};
use tamperproof_axum::{Session, SessionFormat, SessionLayer};

const TIMEOUT: Duration = Duration::from_secs(10);

// ---------------------------------------------------------------- Python side

/// How the end-to-end tests of every crate find the pinned Pythons (and their opt-out): the
/// Python of `target/venv/<venv>` (`cargo xtask venv`, pinned packages; for `main`,
/// `$TAMPERPROOF_PYTHON` when `cargo xtask test` sets it). No other Python is used: a system
/// one may have other versions of the frameworks. `None` when `TAMPERPROOF_NO_PYTHON=1`.
#[path = "../../../sign-flask/tests/support/python.rs"]
mod pythons;

use pythons::python;

/// Python apps (a fixture script serving one app per config on free ports of 127.0.0.1);
/// stopped (stdin closed, then killed) on drop.
pub struct PythonApps {
    child: Child,
    stdin: Option<ChildStdin>,
    ports: Vec<u16>,
}

impl PythonApps {
    /// Runs `tests/fixtures/<script>` with the Python of `target/venv/<venv>`, one app per
    /// entry of `configs`. `None` only when `TAMPERPROOF_NO_PYTHON=1`; a missing venv fails
    /// the test with the set-up steps.
    pub fn start(venv: &str, script: &str, configs: &Value) -> Option<Self> {
        let python = python(venv)?;
        let script = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(script);
        let mut child = Command::new(python)
            .arg(script)
            .arg(configs.to_string())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn the Python apps");
        let stdin = child.stdin.take();
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("the Python apps' ports");
        let first: Value = serde_json::from_str(&line).expect("ports and versions as JSON");
        let ports: Vec<u16> = serde_json::from_value(first["ports"].clone()).expect("ports");
        println!(
            "Python apps on ports {ports:?}, packages {}",
            first["versions"]
        );
        Some(Self {
            child,
            stdin,
            ports,
        })
    }

    /// The address of the app of `configs[index]`.
    pub fn addr(&self, index: usize) -> SocketAddr {
        SocketAddr::from(([127, 0, 0, 1], self.ports[index]))
    }
}

impl Drop for PythonApps {
    fn drop(&mut self) {
        drop(self.stdin.take());
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

// ---------------------------------------------------------------- axum side

/// The axum twin of the fixtures' Python apps: `/login?user=U[&permanent=1]`, `/whoami`
/// (`{"session": ..., "source": ...}`), `/set?key=K&value=V`, `/logout`, `/untouched`.
/// `flask` stores `session.permanent` on login, as the Flask fixture does.
pub fn axum_app<F: SessionFormat>(layer: SessionLayer<F>, flask: bool) -> Router {
    fn query(uri: &Uri) -> BTreeMap<String, String> {
        uri.query()
            .unwrap_or_default()
            .split('&')
            .filter_map(|pair| pair.split_once('='))
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect()
    }
    Router::new()
        .route(
            "/login",
            get(move |session: Session<F>, uri: Uri| async move {
                let q = query(&uri);
                session.insert("user", &q["user"]).unwrap();
                if flask {
                    let permanent = q.get("permanent").is_some_and(|p| p == "1");
                    session
                        .insert(tamperproof_axum::PERMANENT_KEY, &permanent)
                        .unwrap();
                }
                "logged in"
            }),
        )
        .route(
            "/whoami",
            get(|session: Session<F>| async move {
                let seen: Value = session.load().unwrap();
                json!({"session": seen, "source": format!("{:?}", session.source())}).to_string()
            }),
        )
        .route(
            "/set",
            get(|session: Session<F>, uri: Uri| async move {
                let q = query(&uri);
                session.insert(&q["key"], &q["value"]).unwrap();
                "set"
            }),
        )
        .route(
            "/logout",
            get(|session: Session<F>| async move {
                session.clear();
                "logged out"
            }),
        )
        .route("/untouched", get(|| async { "untouched" }))
        .layer(layer)
}

/// Serves `app` on a free port of 127.0.0.1 in a background runtime for the test's life.
pub fn serve(app: Router) -> SocketAddr {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            tx.send(listener.local_addr().unwrap()).unwrap();
            // Ends with the test process; bounded by the test's own time.
            axum::serve(listener, app).await.unwrap();
        });
    });
    rx.recv_timeout(TIMEOUT).expect("axum server address")
}

// ---------------------------------------------------------------- the browser

#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn set_cookies(&self) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case("set-cookie"))
            .map(|(_, v)| v.as_str())
            .collect()
    }

    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).expect("JSON body")
    }
}

/// One `GET` over a fresh connection, with `cookie` (a `name=value`) if given.
pub fn get_raw(addr: SocketAddr, path: &str, cookie: Option<&str>) -> Reply {
    let mut stream = TcpStream::connect_timeout(&addr, TIMEOUT).unwrap();
    stream.set_read_timeout(Some(TIMEOUT)).unwrap();
    stream.set_write_timeout(Some(TIMEOUT)).unwrap();
    let mut request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    if let Some(cookie) = cookie {
        request.push_str(&format!("Cookie: {cookie}\r\n"));
    }
    request.push_str("\r\n");
    stream.write_all(request.as_bytes()).unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8(raw).unwrap();
    let (head, body) = text.split_once("\r\n\r\n").unwrap();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers = lines
        .map(|l| {
            let (n, v) = l.split_once(':').unwrap();
            (n.trim().to_owned(), v.trim().to_owned())
        })
        .collect();
    Reply {
        status,
        headers,
        body: body.to_owned(),
    }
}

/// A browser with one cookie jar for the shared host (both apps are on 127.0.0.1, so the
/// cookie is shared across ports, as a browser shares it).
#[derive(Default)]
pub struct Browser {
    pub jar: BTreeMap<String, String>,
}

impl Browser {
    pub fn get(&mut self, side: &str, addr: SocketAddr, path: &str) -> Reply {
        let cookie = self
            .jar
            .iter()
            .map(|(n, v)| format!("{n}={v}"))
            .collect::<Vec<_>>()
            .join("; ");
        let reply = get_raw(addr, path, (!cookie.is_empty()).then_some(cookie.as_str()));
        for set_cookie in reply.set_cookies() {
            let attrs = parse_set_cookie(set_cookie);
            let (name, value) = attrs[0].clone();
            // Removed as a browser removes it: Max-Age=0, or Expires in the past.
            let gone = attrs.iter().skip(1).any(|(k, v)| {
                (k.eq_ignore_ascii_case("max-age") && v == "0")
                    || (k.eq_ignore_ascii_case("expires") && http_date_secs(v) <= now() as i64)
            });
            if gone || value.is_empty() {
                self.jar.remove(&name);
            } else {
                self.jar.insert(name, value);
            }
        }
        println!(
            "[{side:5}] GET {path} -> {} {}\n        Set-Cookie: {:?}\n        Vary: {:?}",
            reply.status,
            reply.body.trim(),
            reply.set_cookies(),
            reply.header("vary"),
        );
        reply
    }

    /// The jar's value of cookie `name`.
    pub fn cookie(&self, name: &str) -> String {
        self.jar[name].clone()
    }
}

/// `name=value; Attr=x; Flag` as (name, value) pairs, in order.
pub fn parse_set_cookie(header: &str) -> Vec<(String, String)> {
    header
        .split(';')
        .map(|part| {
            let part = part.trim();
            match part.split_once('=') {
                Some((k, v)) => (k.to_owned(), v.to_owned()),
                None => (part.to_owned(), String::new()),
            }
        })
        .collect()
}

pub fn http_date_secs(date: &str) -> i64 {
    sign_flask::HttpDate::parse(date).unwrap().unix_seconds()
}

/// Compares two `Set-Cookie` headers (the Python app's, then ours) attribute by attribute: same names in the same order,
/// same values, except the signed value and `Expires`, which may be a few seconds apart (the two
/// responses are made one after the other, and a loaded CI machine can take seconds between
/// them; a wrong lifetime is off by far more: the shortest lifetime the tests use is an hour).
pub fn assert_same_attributes(python: &str, axum: &str) {
    let (f, a) = (parse_set_cookie(python), parse_set_cookie(axum));
    println!("        compare Python: {f:?}\n        compare axum:   {a:?}");
    assert_eq!(f.len(), a.len(), "attribute count: {python} vs {axum}");
    for (i, ((fk, fv), (ak, av))) in f.iter().zip(&a).enumerate() {
        assert_eq!(fk, ak, "attribute {i}: {python} vs {axum}");
        if i == 0 {
            assert_eq!(fv.is_empty(), av.is_empty(), "value presence");
        } else if fk.eq_ignore_ascii_case("Expires") {
            let gap = (http_date_secs(fv) - http_date_secs(av)).abs();
            assert!(gap <= 10, "Expires {fv} vs {av}");
        } else {
            assert_eq!(fv, av, "attribute {fk}");
        }
    }
}

/// Compares the `Set-Cookie` headers two apps sent in reaction to the same request: the same
/// headers attribute by attribute ([`assert_same_attributes`]), and each new value carrying the
/// same payload (the part before the first `:` or `.`; the signing time and signature may
/// differ when the two responses fall in different seconds).
pub fn assert_same_reaction(python: &[&str], axum: &[&str], what: &str) {
    assert_eq!(python.len(), axum.len(), "{what}: {python:?} vs {axum:?}");
    for (p, a) in python.iter().zip(axum) {
        assert_same_attributes(p, a);
        let payload = |header: &str| {
            let value = parse_set_cookie(header).swap_remove(0).1;
            value
                .split([':', '.'])
                .next()
                .unwrap_or_default()
                .to_owned()
        };
        assert_eq!(payload(p), payload(a), "{what}: {p} vs {a}");
    }
}

pub fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}
