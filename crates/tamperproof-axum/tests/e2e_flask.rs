//! End-to-end over real HTTP on 127.0.0.1: real Flask 3.1.3 apps (tests/fixtures/flask_apps.py,
//! run by the workspace venv's Python) and an axum service with this crate share one session
//! cookie. A small blocking HTTP/1.1 client with a cookie jar plays the browser.
//!
//! Without Python and Flask the test FAILS with the set-up steps, unless
//! `TAMPERPROOF_SKIP_E2E=1` is set. Run with `--nocapture` to see what each side saw.
// Test code: failing loudly on a broken fixture is the point, and printing is the report.
#![allow(
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
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::routing::get;
use http::Uri;
use serde_json::{Value, json};
use sign_flask::{FixedClock, Session as FlaskSession, SessionSerializer};
use tamperproof_axum::{FlaskConfig, RejectionKind, SameSite, Session, SessionEvent, SessionLayer};

const TIMEOUT: Duration = Duration::from_secs(10);

// ---------------------------------------------------------------- Python side

/// The venv's Python (`cargo xtask venv`), else `python3` when it has Flask.
fn python() -> Option<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .ok()?;
    let venv = root.join("target/venv/main/bin/python");
    if venv.exists() {
        return Some(venv);
    }
    let ok = Command::new("python3")
        .args(["-c", "import flask"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    ok.then(|| PathBuf::from("python3"))
}

/// The Flask apps, one per config; stopped (stdin closed, then killed) on drop.
struct FlaskApps {
    child: Child,
    stdin: Option<ChildStdin>,
    ports: Vec<u16>,
}

impl FlaskApps {
    fn start(configs: &Value) -> Option<Self> {
        let Some(python) = python() else {
            if std::env::var_os("TAMPERPROOF_SKIP_E2E").is_some_and(|v| v == "1") {
                eprintln!("SKIPPED (TAMPERPROOF_SKIP_E2E=1): no Python with Flask");
                return None;
            }
            panic!(
                "no Python with Flask 3.1.3 for the end-to-end test.\n\
                 Set it up with `cargo xtask venv` (creates target/venv/main from \
                 xtask/python/requirements.txt; needs python3 with venv and access to PyPI),\n\
                 or opt out with TAMPERPROOF_SKIP_E2E=1."
            );
        };
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/flask_apps.py");
        let mut child = Command::new(python)
            .arg(script)
            .arg(configs.to_string())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn the Flask apps");
        let stdin = child.stdin.take();
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("Flask apps' ports");
        let ports: Vec<u16> = serde_json::from_str(&line).expect("ports as JSON");
        Some(Self {
            child,
            stdin,
            ports,
        })
    }

    fn addr(&self, index: usize) -> SocketAddr {
        SocketAddr::from(([127, 0, 0, 1], self.ports[index]))
    }
}

impl Drop for FlaskApps {
    fn drop(&mut self) {
        drop(self.stdin.take());
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

// ---------------------------------------------------------------- axum side

/// The axum twin of the fixture's Flask app.
fn axum_app(layer: SessionLayer<tamperproof_axum::Flask>) -> Router {
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
            get(|session: Session, uri: Uri| async move {
                let q = query(&uri);
                session.insert("user", &q["user"]).unwrap();
                session.set_permanent(q.get("permanent").is_some_and(|p| p == "1"));
                "logged in"
            }),
        )
        .route(
            "/whoami",
            get(|session: Session| async move {
                let seen: Value = session.load().unwrap();
                json!({"session": seen, "source": format!("{:?}", session.source())}).to_string()
            }),
        )
        .route(
            "/set",
            get(|session: Session, uri: Uri| async move {
                let q = query(&uri);
                session.insert(&q["key"], &q["value"]).unwrap();
                "set"
            }),
        )
        .route(
            "/logout",
            get(|session: Session| async move {
                session.clear();
                "logged out"
            }),
        )
        .route("/untouched", get(|| async { "untouched" }))
        .layer(layer)
}

/// Serves `app` on a free port of 127.0.0.1 in a background runtime for the test's life.
fn serve(app: Router) -> SocketAddr {
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
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn set_cookies(&self) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case("set-cookie"))
            .map(|(_, v)| v.as_str())
            .collect()
    }

    fn json(&self) -> Value {
        serde_json::from_str(&self.body).expect("JSON body")
    }
}

/// One `GET` over a fresh connection, with `cookie` (a `name=value`) if given.
fn get_raw(addr: SocketAddr, path: &str, cookie: Option<&str>) -> Reply {
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
struct Browser {
    jar: BTreeMap<String, String>,
}

impl Browser {
    fn get(&mut self, side: &str, addr: SocketAddr, path: &str) -> Reply {
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
            if attrs.iter().any(|(k, v)| k == "Max-Age" && v == "0") || value.is_empty() {
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

    fn session_cookie(&self) -> String {
        self.jar["session"].clone()
    }
}

/// `name=value; Attr=x; Flag` as (name, value) pairs, in order.
fn parse_set_cookie(header: &str) -> Vec<(String, String)> {
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

fn http_date_secs(date: &str) -> i64 {
    sign_flask::HttpDate::parse(date).unwrap().unix_seconds()
}

/// Compares two `Set-Cookie` headers attribute by attribute: same names in the same order,
/// same values, except the signed value and `Expires`, which may be a second or two apart.
fn assert_same_attributes(flask: &str, axum: &str) {
    let (f, a) = (parse_set_cookie(flask), parse_set_cookie(axum));
    println!("        compare Flask: {f:?}\n        compare axum:  {a:?}");
    assert_eq!(f.len(), a.len(), "attribute count: {flask} vs {axum}");
    for (i, ((fk, fv), (ak, av))) in f.iter().zip(&a).enumerate() {
        assert_eq!(fk, ak, "attribute {i}: {flask} vs {axum}");
        if i == 0 {
            assert_eq!(fv.is_empty(), av.is_empty(), "value presence");
        } else if fk == "Expires" {
            let gap = (http_date_secs(fv) - http_date_secs(av)).abs();
            assert!(gap <= 2, "Expires {fv} vs {av}");
        } else {
            assert_eq!(fv, av, "attribute {fk}");
        }
    }
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

// ---------------------------------------------------------------- the scenarios

#[test]
fn flask_and_axum_share_one_session() {
    let flask_config = json!([
        // 0: the main app, with non-default attributes to compare.
        {"SECRET_KEY": "e2e-secret", "SESSION_COOKIE_SAMESITE": "Lax",
         "SESSION_COOKIE_SECURE": true, "SESSION_COOKIE_PARTITIONED": true,
         "SESSION_COOKIE_DOMAIN": "127.0.0.1", "PERMANENT_SESSION_LIFETIME": 3600},
        // 1: the same app after a key rotation.
        {"SECRET_KEY": "e2e-new-secret", "SECRET_KEY_FALLBACKS": ["e2e-secret"],
         "SESSION_COOKIE_SAMESITE": "Lax", "SESSION_COOKIE_SECURE": true,
         "SESSION_COOKIE_PARTITIONED": true, "SESSION_COOKIE_DOMAIN": "127.0.0.1",
         "PERMANENT_SESSION_LIFETIME": 3600},
    ]);
    let Some(flask) = FlaskApps::start(&flask_config) else {
        return;
    };
    let config = |key: &str| {
        FlaskConfig::new()
            .secret_key(key)
            .session_cookie_samesite(Some(SameSite::Lax))
            .session_cookie_secure(true)
            .session_cookie_partitioned(true)
            .session_cookie_domain("127.0.0.1")
            .permanent_session_lifetime(Duration::from_secs(3600))
    };
    let events: Arc<Mutex<Vec<SessionEvent>>> = Arc::default();
    let seen = Arc::clone(&events);
    let axum_main = serve(axum_app(
        config("e2e-secret")
            .layer()
            .unwrap()
            .on_event(move |e| seen.lock().unwrap().push(e.clone())),
    ));
    let rotated_events: Arc<Mutex<Vec<SessionEvent>>> = Arc::default();
    let seen = Arc::clone(&rotated_events);
    let axum_rotated = serve(axum_app(
        config("e2e-new-secret")
            .secret_key_fallbacks(["e2e-secret"])
            .layer()
            .unwrap()
            .on_event(move |e| seen.lock().unwrap().push(e.clone())),
    ));
    let flask_main = flask.addr(0);
    let flask_rotated = flask.addr(1);
    println!(
        "Flask 3.1.3 on {flask_main} and {flask_rotated}; axum on {axum_main} and {axum_rotated}"
    );

    println!("\n== log in on Flask, read the user on axum");
    let mut browser = Browser::default();
    let login = browser.get("flask", flask_main, "/login?user=alice");
    let flask_login_cookie = login.set_cookies()[0].to_owned();
    let who = browser.get("axum", axum_main, "/whoami");
    assert_eq!(
        who.json()["session"],
        json!({"_permanent": false, "user": "alice"})
    );
    assert_eq!(who.json()["source"], "Cookie");
    assert_eq!(who.header("vary"), Some("Cookie"));

    println!("\n== change the session on axum, see it on Flask");
    let set = browser.get("axum", axum_main, "/set?key=theme&value=dark");
    assert_eq!(set.set_cookies().len(), 1);
    let who = browser.get("flask", flask_main, "/whoami");
    assert_eq!(
        who.json(),
        json!({"_permanent": false, "theme": "dark", "user": "alice"})
    );

    println!("\n== an untouched, non-permanent session: neither side writes or varies");
    let f = browser.get("flask", flask_main, "/untouched");
    let a = browser.get("axum", axum_main, "/untouched");
    assert!(f.set_cookies().is_empty() && a.set_cookies().is_empty());
    assert_eq!((f.header("vary"), a.header("vary")), (None, None));

    println!("\n== Set-Cookie of a login, field by field");
    let mut fresh = Browser::default();
    let axum_login = fresh.get("axum", axum_main, "/login?user=alice");
    assert_same_attributes(&flask_login_cookie, axum_login.set_cookies()[0]);

    println!("\n== permanent sessions: Expires, and refresh on an untouched request");
    let mut flask_browser = Browser::default();
    let mut axum_browser = Browser::default();
    let f = flask_browser.get("flask", flask_main, "/login?user=bob&permanent=1");
    let a = axum_browser.get("axum", axum_main, "/login?user=bob&permanent=1");
    assert_same_attributes(f.set_cookies()[0], a.set_cookies()[0]);
    let expires = parse_set_cookie(a.set_cookies()[0])
        .into_iter()
        .find(|(k, _)| k == "Expires")
        .unwrap()
        .1;
    assert!((http_date_secs(&expires) - (now() as i64 + 3600)).abs() <= 2);
    let f = flask_browser.get("flask", flask_main, "/untouched");
    let a = axum_browser.get("axum", axum_main, "/untouched");
    assert_same_attributes(f.set_cookies()[0], a.set_cookies()[0]);
    assert_eq!(f.header("vary"), a.header("vary"));
    // Each side reads the other's permanent cookie.
    let bob_on_flask = get_raw(
        flask_main,
        "/whoami",
        Some(&format!("session={}", axum_browser.session_cookie())),
    );
    assert_eq!(bob_on_flask.json()["user"], "bob");

    println!("\n== log out on axum: the cookie is deleted, field by field as Flask deletes it");
    let f = flask_browser.get("flask", flask_main, "/logout");
    let a = browser.get("axum", axum_main, "/logout");
    assert_eq!(
        f.set_cookies(),
        a.set_cookies(),
        "identical deletion headers"
    );
    assert!(!browser.jar.contains_key("session"));
    let who = browser.get("flask", flask_main, "/whoami");
    assert_eq!(who.json(), json!({}));

    println!("\n== expired and forged cookies give empty sessions on both");
    let old = SessionSerializer::builder()
        .secret_key("e2e-secret")
        .clock(FixedClock(now() - 7200))
        .build()
        .unwrap()
        .dumps(&FlaskSession::from([("user".to_owned(), "mallory".into())]))
        .unwrap();
    // Change a character inside the signature (not the last one: its spare low bits are
    // ignored by Python's base64, so Flask would still accept that cookie).
    let mut forged = browser_cookie_of(&mut Browser::default(), flask_main).into_bytes();
    let at = forged.len() - 5;
    forged[at] = if forged[at] == b'A' { b'B' } else { b'A' };
    let forged = String::from_utf8(forged).unwrap();
    let wrong_key = SessionSerializer::new("not-the-key")
        .unwrap()
        .dumps(&FlaskSession::from([("user".to_owned(), "mallory".into())]))
        .unwrap();
    for (what, cookie, kind) in [
        ("expired", old, RejectionKind::Expired),
        ("forged", forged, RejectionKind::BadSignature),
        ("wrong key", wrong_key, RejectionKind::BadSignature),
        (
            "malformed",
            "not-a-cookie".to_owned(),
            RejectionKind::BadSignature,
        ),
    ] {
        let header = format!("session={cookie}");
        let f = get_raw(flask_main, "/whoami", Some(&header));
        let a = get_raw(axum_main, "/whoami", Some(&header));
        println!(
            "[both ] {what}: Flask saw {}, axum saw {}",
            f.body.trim(),
            a.body.trim()
        );
        assert_eq!(f.json(), json!({}), "{what} on Flask");
        assert_eq!(a.json()["session"], json!({}), "{what} on axum");
        assert!(f.set_cookies().is_empty() && a.set_cookies().is_empty());
        let last = events.lock().unwrap().last().cloned();
        match last {
            Some(SessionEvent::Rejected(r)) => {
                println!("        axum hook: {r}");
                assert_eq!(r.kind(), kind, "{what}");
            }
            other => panic!("{what}: no rejection event, got {other:?}"),
        }
        assert!(a.json()["source"].as_str().unwrap().starts_with("Rejected"));
    }

    println!("\n== key rotation: a cookie of the old key is accepted and re-issued");
    let mut browser = Browser::default();
    browser.get("flask", flask_main, "/login?user=carol");
    let old_cookie = browser.session_cookie();
    let f = browser.get("flask", flask_rotated, "/whoami");
    assert_eq!(f.json()["user"], "carol", "Flask accepts its fallback key");
    let a = browser.get("axum", axum_rotated, "/whoami");
    assert_eq!(a.json()["session"]["user"], "carol");
    assert_eq!(a.json()["source"], "FallbackKey");
    assert_eq!(
        rotated_events.lock().unwrap().as_slice(),
        [SessionEvent::Reissued]
    );
    let new_cookie = browser.session_cookie();
    assert_ne!(new_cookie, old_cookie, "re-issued");
    let on_old = get_raw(
        flask_main,
        "/whoami",
        Some(&format!("session={new_cookie}")),
    );
    assert_eq!(
        on_old.json(),
        json!({}),
        "the old key does not verify the new cookie"
    );
    let on_new = get_raw(
        flask_rotated,
        "/whoami",
        Some(&format!("session={new_cookie}")),
    );
    assert_eq!(
        on_new.json()["user"],
        "carol",
        "Flask with the new key reads it"
    );
    println!(
        "[flask] new cookie on the old-key app: {}; on the rotated app: {}",
        on_old.body.trim(),
        on_new.body.trim()
    );
    let again = browser.get("axum", axum_rotated, "/whoami");
    assert!(
        again.set_cookies().is_empty(),
        "signed with the current key now"
    );
    assert_eq!(again.json()["source"], "Cookie");

    println!("\n== a validly signed cookie that does not decode: 500 on both");
    let sessions = SessionSerializer::new("e2e-secret").unwrap();
    // A string, and a tuple (1, 2), whose tagged form {" t": [1, 2]} is a JSON object.
    for (what, cookie) in [
        ("string", sessions.dumps("not a dict").unwrap()),
        ("tuple", sessions.dumps(&(1, 2)).unwrap()),
    ] {
        let header = format!("session={cookie}");
        let f = get_raw(flask_main, "/whoami", Some(&header));
        let a = get_raw(axum_main, "/whoami", Some(&header));
        println!(
            "[both ] signed {what} {cookie}: Flask {} axum {}",
            f.status, a.status
        );
        assert_eq!((f.status, a.status), (500, 500), "{what}");
        assert!(matches!(
            events.lock().unwrap().last(),
            Some(SessionEvent::Rejected(r)) if r.kind() == RejectionKind::BadPayload
        ));
    }
    drop(flask);
}

/// A fresh login's cookie from Flask.
fn browser_cookie_of(browser: &mut Browser, flask: SocketAddr) -> String {
    browser.get("flask", flask, "/login?user=eve");
    browser.session_cookie()
}
