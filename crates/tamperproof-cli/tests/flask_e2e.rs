//! The `flask` and `audit` subcommands against cookies made and read by a real Flask 3.1 app
//! (the fixture app of sign-flask, driven through Flask's test client).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::print_stderr
)]

use std::path::PathBuf;

mod common;

use common::{json_lines, workspace_root};

use serde_json::{Value, json};

const T0: u64 = 1_308_874_145;

/// Sends requests to the fixture Flask app and returns its answers (none when the Python
/// tests are explicitly skipped).
fn flask(requests: &[Value]) -> Vec<Value> {
    let app = workspace_root().join("crates/sign-flask/tests/fixtures/flask_app.py");
    json_lines("main", &app, "Flask", requests, |line| {
        serde_json::from_str(line).unwrap()
    })
    .unwrap_or_default()
}

use common::tamperproof;

#[test]
fn cookie_made_by_flask_is_verified_and_its_key_found() {
    let answers =
        flask(&[json!({"op": "set", "secret_key": "hunter2", "fallbacks": [], "now": T0})]);
    let Some(answer) = answers.first() else {
        return;
    };
    let cookie = answer["cookie"].as_str().unwrap();
    // Flask signed it at T0: verify with a max age that covers today.
    let out = tamperproof(&[
        "flask",
        "verify",
        "--key",
        "hunter2",
        "--max-age",
        "4000000000",
        cookie,
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let session: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(session, answer["tagged"]);
    // With Flask's default 31 days it has long expired.
    let out = tamperproof(&["flask", "verify", "--key", "hunter2", cookie]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("SignatureExpired: "));
    // A fallback key list whose newest key is another one still verifies.
    let out = tamperproof(&[
        "flask",
        "verify",
        "--key",
        "hunter2",
        "--key",
        "new-key",
        "--max-age",
        "4000000000",
        cookie,
    ]);
    assert_eq!(out.status.code(), Some(0));
    // The audit finds the key.
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let list = dir.join(format!("flask-words-{}", std::process::id()));
    std::fs::write(&list, "admin\npassword\nCHANGE_ME\nhunter2\nsecret\n").unwrap();
    let out = tamperproof(&["audit", cookie, "--wordlist", list.to_str().unwrap()]);
    let _ = std::fs::remove_file(&list);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "found key: hunter2"
    );
}

#[test]
fn cookie_made_by_flask_sign_is_accepted_by_flask() {
    let session = r#"{"user_id": 42, "cart": {" t": [1, 2]}, "name": "José"}"#;
    let out = tamperproof(&["flask", "sign", "--key", "hunter2", session]);
    assert_eq!(out.status.code(), Some(0));
    let cookie = String::from_utf8(out.stdout).unwrap().trim().to_owned();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let answers = flask(&[
        json!({"op": "read", "secret_key": "hunter2", "fallbacks": [], "now": now, "cookie": cookie}),
        json!({"op": "read", "secret_key": "other", "fallbacks": [], "now": now, "cookie": cookie}),
    ]);
    let [accepted, rejected] = answers.as_slice() else {
        return;
    };
    assert_eq!(accepted["status"], 200);
    assert_eq!(
        accepted["tagged"],
        json!({"user_id": 42, "cart": {" t": [1, 2]}, "name": "José"})
    );
    // With another key Flask ignores the cookie: an empty session.
    assert_eq!(rejected["tagged"], json!({}));
}
