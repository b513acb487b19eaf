//! End-to-end: a real Django 5.2 app (tests/fixtures/django_app.py, driven through Django's
//! test client, settings configured there) and this crate accept each other's signed
//! cookies and signed-cookie sessions, including with a rotated key.
//!
//! Needs `target/venv/django` (`cargo xtask venv`). Without it the test fails with how to set
//! it up, unless `TAMPERPROOF_NO_PYTHON=1` is set.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stderr
)]

use std::path::Path;

#[path = "../../sign-flask/tests/support/python.rs"]
mod support;

use python_json::{Value, json};
use sign_django::{DjangoSessions, Session, SignedCookie};

/// Sends requests to the fixture app; `None` only when the opt-out is set.
fn django(requests: &[Value]) -> Option<Vec<Value>> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/django_app.py");
    support::json_lines("django", &script, "Django", requests, |line| {
        python_json::from_slice(line.as_bytes()).expect("json response")
    })
}

fn session(value: &Value) -> Session {
    value.as_object().unwrap().clone()
}

#[test]
fn signed_cookies_both_ways_with_rotation_and_salts() {
    let rust_new = SignedCookie::new(["new-key"], "theme", "").unwrap();
    let rust_old = SignedCookie::new(["old-key"], "theme", "").unwrap();
    let rust_rotated = SignedCookie::new(["old-key", "new-key"], "theme", "").unwrap();
    let rust_salted = SignedCookie::new(["new-key"], "prefs", "sa\u{ef}t").unwrap();
    let from_rust = rust_new.sign("dark \u{e9}");
    let from_rust_old = rust_old.sign("light");
    let from_rust_salted = rust_salted.sign("compact");
    let Some(r) = django(&[
        json!({"op": "get_cookie", "keys": ["new-key"], "name": "theme", "cookie": from_rust, "max_age": 60}),
        json!({"op": "get_cookie", "keys": ["old-key", "new-key"], "name": "theme", "cookie": from_rust_old}),
        json!({"op": "get_cookie", "keys": ["new-key"], "name": "theme", "cookie": from_rust_old}),
        json!({"op": "get_cookie", "keys": ["new-key"], "name": "prefs", "salt": "sa\u{ef}t", "cookie": from_rust_salted}),
        json!({"op": "get_cookie", "keys": ["new-key"], "name": "other", "salt": "sa\u{ef}t", "cookie": from_rust_salted}),
        json!({"op": "set_cookie", "keys": ["new-key"], "name": "theme", "value": "dark"}),
        json!({"op": "set_cookie", "keys": ["old-key"], "name": "theme", "value": "old \u{e9}"}),
        json!({"op": "set_cookie", "keys": ["new-key"], "name": "prefs", "salt": "sa\u{ef}t", "value": "s"}),
    ]) else {
        return;
    };
    eprintln!("Django answered: {r:?}");
    assert_eq!(r[0]["value"], "dark \u{e9}", "Django reads a Rust cookie");
    assert_eq!(
        r[1]["value"], "light",
        "Django's fallback key reads an old Rust cookie"
    );
    assert_eq!(
        r[2]["value"],
        Value::Null,
        "without the fallback Django rejects it"
    );
    assert_eq!(r[3]["value"], "compact", "salted cookie");
    assert_eq!(r[4]["value"], Value::Null, "bound to the cookie name");

    let django_new = r[5]["cookie"].as_str().unwrap();
    let django_old = r[6]["cookie"].as_str().unwrap();
    let django_salted = r[7]["cookie"].as_str().unwrap();
    assert_eq!(
        rust_new.unsign(django_new, Some(60u64.into())).unwrap(),
        "dark"
    );
    assert_eq!(rust_rotated.unsign(django_old, None).unwrap(), "old \u{e9}");
    assert!(
        rust_new
            .unsign(django_old, None)
            .unwrap_err()
            .is_bad_signature()
    );
    assert_eq!(rust_salted.unsign(django_salted, None).unwrap(), "s");
    assert!(rust_new.unsign(django_salted, None).is_err());
}

#[test]
fn signed_cookie_sessions_both_ways_with_rotation() {
    let logged_in = json!({
        "_auth_user_id": "42",
        "_auth_user_backend": "django.contrib.auth.backends.ModelBackend",
        "_auth_user_hash": "5f0c1e4b8f3c2a7d9e6b1a0c3d2e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e",
        "cart": [1, 2, 3],
        "name": "Jos\u{e9} \u{1F600}",
        "big": "x".repeat(300),
    });
    let rust_new = DjangoSessions::new(["new-key"]).unwrap();
    let rust_old = DjangoSessions::new(["old-key"]).unwrap();
    let rust_rotated = DjangoSessions::new(["old-key", "new-key"]).unwrap();
    let from_rust = rust_new.dumps(&session(&logged_in)).unwrap();
    let from_rust_old = rust_old.dumps(&session(&json!({"n": 1}))).unwrap();
    assert!(
        from_rust.starts_with('.'),
        "compressed, as Django does for this session"
    );
    let Some(r) = django(&[
        json!({"op": "session_get", "keys": ["new-key"], "cookie": from_rust}),
        json!({"op": "session_get", "keys": ["old-key", "new-key"], "cookie": from_rust_old}),
        json!({"op": "session_get", "keys": ["new-key"], "cookie": from_rust_old}),
        json!({"op": "session_set", "keys": ["new-key"], "data": logged_in}),
        json!({"op": "session_set", "keys": ["old-key"], "data": {"n": 2}}),
    ]) else {
        return;
    };
    eprintln!("Django answered: {r:?}");
    assert_eq!(r[0]["session"], logged_in, "Django loads a Rust session");
    assert_eq!(
        r[1]["session"],
        json!({"n": 1}),
        "through SECRET_KEY_FALLBACKS"
    );
    assert_eq!(
        r[2]["session"],
        json!({}),
        "an unknown key gives an empty session"
    );

    let django_session = r[3]["cookie"].as_str().unwrap();
    let django_old = r[4]["cookie"].as_str().unwrap();
    assert_eq!(
        Value::Object(rust_new.loads(django_session).unwrap()),
        logged_in
    );
    assert_eq!(
        Value::Object(rust_rotated.loads(django_old).unwrap()),
        json!({"n": 2})
    );
    assert!(rust_new.loads(django_old).unwrap_err().is_bad_signature());
}
