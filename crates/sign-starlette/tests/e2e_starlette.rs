//! End-to-end: a real Starlette app with `SessionMiddleware`
//! (tests/fixtures/starlette_app.py, driven through Starlette's TestClient) and this crate
//! accept each other's session cookies, including across a key rotation on the Rust side.
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
use sign_starlette::{Session, StarletteSessions, session_builder};

fn starlette(requests: &[Value]) -> Option<Vec<Value>> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/starlette_app.py");
    support::json_lines("django", &script, "Starlette", requests, |line| {
        python_json::from_slice(line.as_bytes()).expect("json response")
    })
}

#[test]
fn sessions_both_ways_with_rotation() {
    let data = json!({"user": 42, "name": "Jos\u{e9} \u{1F600}", "roles": ["a", "b"], "f": 1.5, "n": null});
    let session: Session = data.as_object().unwrap().clone();
    let rust_new = StarletteSessions::new("new-key").unwrap();
    let rust_old = StarletteSessions::new("old-key").unwrap();
    let rust_rotated = StarletteSessions::from_serializer(
        session_builder()
            .keys(["old-key", "new-key"])
            .build()
            .unwrap(),
    );
    let from_rust = rust_new.dumps(&session).unwrap();
    let from_rust_old = rust_old.dumps(&session).unwrap();
    let Some(r) = starlette(&[
        json!({"op": "get", "key": "new-key", "cookie": from_rust}),
        json!({"op": "get", "key": "new-key", "cookie": from_rust_old}),
        json!({"op": "set", "key": "new-key", "data": data}),
        json!({"op": "set", "key": "old-key", "data": {"old": true}}),
    ]) else {
        return;
    };
    eprintln!("Starlette answered: {r:?}");
    assert_eq!(r[0]["session"], data, "Starlette reads a Rust session");
    assert_eq!(r[1]["session"], json!({}), "another key: an empty session");

    let from_app = r[2]["cookie"].as_str().unwrap();
    let from_app_old = r[3]["cookie"].as_str().unwrap();
    assert_eq!(
        from_app,
        rust_new.dumps_at(&session, timestamp_of(from_app)).unwrap(),
        "byte-identical"
    );
    assert_eq!(Value::Object(rust_new.loads(from_app).unwrap()), data);
    assert_eq!(
        Value::Object(rust_rotated.loads(from_app_old).unwrap()),
        json!({"old": true})
    );
    assert!(rust_new.loads(from_app_old).unwrap_err().is_bad_signature());
}

/// The signing time of a cookie, from its timestamp field (big-endian bytes in base64url).
fn timestamp_of(cookie: &str) -> u64 {
    use base64::Engine as _;
    let field = cookie.split('.').nth(1).unwrap();
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(field)
        .unwrap();
    bytes.iter().fold(0, |n, b| (n << 8) | u64::from(*b))
}
