//! End-to-end over real HTTP on 127.0.0.1: real Django 5.2.19 and Starlette 1.10.0 apps
//! (tests/fixtures/django_starlette_apps.py, run by `target/venv/django`'s Python) and axum
//! services with this crate's [`Django`] and [`Starlette`] formats share one session cookie.
//!
//! Without that Python the test FAILS with the set-up steps, unless `TAMPERPROOF_NO_PYTHON=1`
//! is set. Run with `--nocapture` to see what each side saw.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout,
    clippy::print_stderr,
    clippy::indexing_slicing
)]

mod support;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use serde_json::{Value, json};
use sign_core::FixedClock;
use support::{
    Browser, PythonApps, assert_same_attributes, assert_same_reaction, axum_app, get_raw, now,
    serve,
};
use tamperproof_axum::{
    Django, DjangoConfig, RejectionKind, SessionEvent, SessionFormat, SessionLayer, Starlette,
    StarletteConfig,
};

type Events = Arc<Mutex<Vec<SessionEvent>>>;

/// The layer with a hook recording its events.
fn recorded<F: SessionFormat>(layer: SessionLayer<F>) -> (SessionLayer<F>, Events) {
    let events: Events = Arc::default();
    let seen = Arc::clone(&events);
    (
        layer.on_event(move |e| seen.lock().unwrap().push(e.clone())),
        events,
    )
}

/// One framework's side of the scenarios.
struct Sides {
    cookie_name: &'static str,
    python: SocketAddr,
    /// The Python app with the new key (Django: and the old one as a fallback).
    python_rotated: SocketAddr,
    /// Whether `python_rotated` still reads cookies of the old key.
    python_has_fallbacks: bool,
    axum: SocketAddr,
    axum_events: Events,
    /// axum with the new key and the old one as a fallback.
    axum_rotated: SocketAddr,
    axum_rotated_events: Events,
    /// (what, cookie value, expected rejection) signed outside both apps.
    bad_cookies: Vec<(&'static str, String, RejectionKind)>,
}

fn session_of(reply: &support::Reply) -> Value {
    reply.json()["session"].clone()
}

/// The scenarios both frameworks share.
fn shared_session_scenarios(side: &str, s: &Sides) {
    let name = s.cookie_name;
    println!("\n== [{side}] log in on {side}, read the user on axum");
    let mut browser = Browser::default();
    let login = browser.get(side, s.python, "/login?user=alice");
    let python_login = login.set_cookies()[0].to_owned();
    let who = browser.get("axum", s.axum, "/whoami");
    assert_eq!(session_of(&who), json!({"user": "alice"}));
    assert_eq!(who.json()["source"], "Cookie");
    assert_eq!(who.header("vary"), Some("Cookie"));

    println!("\n== [{side}] change the session on axum, see it on {side}");
    let set = browser.get("axum", s.axum, "/set?key=theme&value=dark");
    assert_eq!(set.set_cookies().len(), 1);
    let who = browser.get(side, s.python, "/whoami");
    assert_eq!(who.json(), json!({"theme": "dark", "user": "alice"}));

    println!("\n== [{side}] an untouched session: neither side writes or varies");
    let p = browser.get(side, s.python, "/untouched");
    let a = browser.get("axum", s.axum, "/untouched");
    assert!(p.set_cookies().is_empty() && a.set_cookies().is_empty());
    assert_eq!((p.header("vary"), a.header("vary")), (None, None));

    println!("\n== [{side}] a read, unchanged session: no Set-Cookie, Vary: Cookie on both");
    let p = browser.get(side, s.python, "/whoami");
    let a = browser.get("axum", s.axum, "/whoami");
    assert!(p.set_cookies().is_empty() && a.set_cookies().is_empty());
    assert_eq!(p.header("vary"), a.header("vary"));

    println!("\n== [{side}] Set-Cookie of a login, field by field");
    let mut fresh = Browser::default();
    let axum_login = fresh.get("axum", s.axum, "/login?user=alice");
    assert_same_attributes(&python_login, axum_login.set_cookies()[0]);

    println!("\n== [{side}] log out on both: the same deletion");
    let mut python_browser = Browser::default();
    python_browser.get(side, s.python, "/login?user=bob");
    let p = python_browser.get(side, s.python, "/logout");
    let a = browser.get("axum", s.axum, "/logout");
    assert_eq!(
        p.set_cookies(),
        a.set_cookies(),
        "identical deletion headers"
    );
    assert!(!browser.jar.contains_key(name));
    let who = browser.get(side, s.python, "/whoami");
    assert_eq!(who.json(), json!({}));

    println!("\n== [{side}] expired, forged, wrong-key and malformed cookies: empty on both");
    let mut forged = Browser::default();
    forged.get(side, s.python, "/login?user=eve");
    let mut forged = forged.cookie(name).into_bytes();
    let at = forged.len() - 5;
    forged[at] = if forged[at] == b'A' { b'B' } else { b'A' };
    let forged = String::from_utf8(forged).unwrap();
    let mut bad = s.bad_cookies.clone();
    bad.push(("forged", forged, RejectionKind::BadSignature));
    bad.push((
        "malformed",
        "not-a-cookie".to_owned(),
        RejectionKind::BadSignature,
    ));
    for (what, cookie, kind) in bad {
        let header = format!("{name}={cookie}");
        let p = get_raw(s.python, "/whoami", Some(&header));
        let a = get_raw(s.axum, "/whoami", Some(&header));
        println!(
            "[both ] {what}: {side} saw {} (Set-Cookie {:?}), axum saw {} (Set-Cookie {:?})",
            p.body.trim(),
            p.set_cookies(),
            a.body.trim(),
            a.set_cookies()
        );
        assert_eq!(p.json(), json!({}), "{what} on {side}");
        assert_eq!(session_of(&a), json!({}), "{what} on axum");
        assert_same_reaction(&p.set_cookies(), &a.set_cookies(), what);
        match s.axum_events.lock().unwrap().last() {
            Some(SessionEvent::Rejected(r)) => {
                println!("        axum hook: {r}");
                assert_eq!(r.kind(), kind, "{what}");
            }
            other => panic!("{what}: no rejection event, got {other:?}"),
        }
    }

    println!("\n== [{side}] key rotation: a cookie of the old key is accepted and re-issued");
    let mut browser = Browser::default();
    browser.get(side, s.python, "/login?user=carol");
    let old_cookie = browser.cookie(name);
    if s.python_has_fallbacks {
        let p = browser.get(side, s.python_rotated, "/whoami");
        assert_eq!(p.json()["user"], "carol", "{side} accepts its fallback key");
    }
    let a = browser.get("axum", s.axum_rotated, "/whoami");
    assert_eq!(session_of(&a)["user"], "carol");
    assert_eq!(a.json()["source"], "FallbackKey");
    assert_eq!(
        s.axum_rotated_events.lock().unwrap().as_slice(),
        [SessionEvent::Reissued]
    );
    let new_cookie = browser.cookie(name);
    assert_ne!(new_cookie, old_cookie, "re-issued");
    let header = format!("{name}={new_cookie}");
    let on_old = get_raw(s.python, "/whoami", Some(&header));
    let on_new = get_raw(s.python_rotated, "/whoami", Some(&header));
    println!(
        "[{side}] re-issued cookie on the old-key app: {}; on the new-key app: {}",
        on_old.body.trim(),
        on_new.body.trim()
    );
    assert_eq!(on_old.json(), json!({}), "the old key does not verify it");
    assert_eq!(on_new.json()["user"], "carol", "the new key does");
}

/// The session a forger would like to have.
fn mallory() -> tamperproof_axum::SessionMap<python_json::Value> {
    [("user".to_owned(), python_json::Value::from("mallory"))].into()
}

/// Serves both axum layers and makes the cookies signed outside both apps: one by
/// `old_key` but too old (`max_age` seconds and one), one by a key nobody has. `format`
/// builds a format with a key and a clock.
fn sides<F: SessionFormat<Value = python_json::Value>>(
    python: &PythonApps,
    cookie_name: &'static str,
    python_has_fallbacks: bool,
    layers: (SessionLayer<F>, SessionLayer<F>),
    (old_key, max_age): (&str, u64),
    format: impl Fn(&str, u64) -> F,
) -> Sides {
    let (main, axum_events) = recorded(layers.0);
    let (rotated, axum_rotated_events) = recorded(layers.1);
    let expired = format(old_key, now() - max_age - 1)
        .save(&mallory())
        .unwrap();
    let wrong_key = format("not-the-key", now()).save(&mallory()).unwrap();
    Sides {
        cookie_name,
        python: python.addr(0),
        python_rotated: python.addr(1),
        python_has_fallbacks,
        axum: serve(axum_app(main, false)),
        axum_events,
        axum_rotated: serve(axum_app(rotated, false)),
        axum_rotated_events,
        bad_cookies: vec![
            ("expired", expired, RejectionKind::Expired),
            ("wrong key", wrong_key, RejectionKind::BadSignature),
        ],
    }
}

#[test]
fn django_and_axum_share_one_session() {
    let attributes = json!({"SESSION_COOKIE_SECURE": true, "SESSION_COOKIE_DOMAIN": "127.0.0.1"});
    let mut old = attributes.clone();
    old["SECRET_KEY"] = json!("dj-secret");
    let mut rotated = attributes;
    rotated["SECRET_KEY"] = json!("dj-new-secret");
    rotated["SECRET_KEY_FALLBACKS"] = json!(["dj-secret"]);
    let Some(python) = PythonApps::start(
        "django",
        "django_starlette_apps.py",
        &json!({"django": [old, rotated]}),
    ) else {
        return;
    };
    let config = |key: &str| {
        DjangoConfig::new()
            .secret_key(key)
            .session_cookie_secure(true)
            .session_cookie_domain("127.0.0.1")
    };
    let layers = (
        config("dj-secret").layer().unwrap(),
        config("dj-new-secret")
            .secret_key_fallbacks(["dj-secret"])
            .layer()
            .unwrap(),
    );
    let format = |key: &str, at: u64| {
        let config = Django::config().secret_key(key).clock(FixedClock(at));
        config.build().unwrap()
    };
    let sides = sides(
        &python,
        "sessionid",
        true,
        layers,
        ("dj-secret", 1_209_600),
        format,
    );
    println!("Django on {} and {}", sides.python, sides.python_rotated);
    shared_session_scenarios("django", &sides);
}

#[test]
fn starlette_and_axum_share_one_session() {
    let attributes = json!({"https_only": true, "domain": "127.0.0.1", "same_site": "strict"});
    let mut old = attributes.clone();
    old["secret_key"] = json!("st-secret");
    let mut rotated = attributes;
    rotated["secret_key"] = json!("st-new-secret");
    let Some(python) = PythonApps::start(
        "django",
        "django_starlette_apps.py",
        &json!({"starlette": [old, rotated]}),
    ) else {
        return;
    };
    let config = |key: &str| {
        StarletteConfig::new()
            .secret_key(key)
            .https_only(true)
            .domain("127.0.0.1")
            .same_site(tamperproof_axum::SameSite::Strict)
    };
    let layers = (
        config("st-secret").layer().unwrap(),
        config("st-new-secret")
            .fallback_secret_keys(["st-secret"])
            .layer()
            .unwrap(),
    );
    let format = |key: &str, at: u64| {
        let config = Starlette::config().secret_key(key).clock(FixedClock(at));
        config.build().unwrap()
    };
    // Starlette has one key: only the axum side rotates.
    let sides = sides(
        &python,
        "session",
        false,
        layers,
        ("st-secret", 1_209_600),
        format,
    );
    println!("Starlette on {} and {}", sides.python, sides.python_rotated);
    shared_session_scenarios("starlette", &sides);
}
