//! Runs the `tamperproof` binary as a user would.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::{stderr, stdout, tamperproof, with_stdin, wordlist};

#[test]
fn sign_matches_python_and_unsign_verifies() {
    // Python: Signer("secret-key").sign("my string")
    let out = tamperproof(&["sign", "--key", "secret-key", "my string"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "my string.wh6tMHxLgJqB6oY1uT73iMlyrOA");
    let out = tamperproof(&[
        "unsign",
        "--key",
        "secret-key",
        "my string.wh6tMHxLgJqB6oY1uT73iMlyrOA",
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stdout(&out), "my string");
}

#[test]
fn verification_failure_exits_1_with_the_python_class() {
    let out = tamperproof(&[
        "unsign",
        "--key",
        "secret-key",
        "my string.wh6tMHxLgJqB6oY1uT73iMlyrOE",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).starts_with("BadSignature: "),
        "{}",
        stderr(&out)
    );
    // TimestampSigner("secret-key").sign("value") at 2011-06-24: long expired now.
    let out = tamperproof(&[
        "unsign",
        "--key",
        "secret-key",
        "--max-age",
        "10",
        "value.TgPVoQ.UuTmbd1hhGp7tyOFjT0H9ILwyfg",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).starts_with("SignatureExpired: signature age "),
        "{}",
        stderr(&out)
    );
    let out = tamperproof(&[
        "unsign",
        "--key",
        "secret-key",
        "--timed",
        "value.TgPVoQ.UuTmbd1hhGp7tyOFjT0H9ILwyfg",
    ]);
    assert_eq!(stdout(&out), "value");
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(tamperproof(&["sign", "value"]).status.code(), Some(2));
    assert_eq!(
        tamperproof(&["sign", "--key", "k", "--sep", "a", "value"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(tamperproof(&["no-such-command"]).status.code(), Some(2));
    assert_eq!(
        tamperproof(&["sign", "--key", "k", "--digest", "md5", "v"])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn standard_input_and_raw_keys() {
    let out = with_stdin(
        &["sign", "--key-hex", "7365637265742d6b6579", "-"],
        b"my string\n",
    );
    assert_eq!(stdout(&out), "my string.wh6tMHxLgJqB6oY1uT73iMlyrOA");
    let out = with_stdin(
        &["unsign", "--key-base64", "c2VjcmV0LWtleQ==", "-"],
        b"my string.wh6tMHxLgJqB6oY1uT73iMlyrOA",
    );
    assert_eq!(stdout(&out), "my string");
}

#[test]
fn dumps_and_loads_every_kind() {
    // Python: URLSafeSerializer("secret-key").dumps({"id": 42}); Serializer(...).dumps(...)
    let out = tamperproof(&[
        "dumps",
        "--kind",
        "url-safe",
        "--key",
        "secret-key",
        r#"{"id": 42}"#,
    ]);
    assert_eq!(stdout(&out), "eyJpZCI6NDJ9.Z-HaNt236Oj5pFDPW25MouYkrcA");
    let out = tamperproof(&[
        "dumps",
        "--kind",
        "serializer",
        "--key",
        "secret-key",
        r#"{"id": 42}"#,
    ]);
    assert_eq!(stdout(&out), r#"{"id": 42}.v7lG0DDzDHynAR2SoP49LkGoZC0"#);
    for kind in [
        "serializer",
        "timed-serializer",
        "url-safe",
        "url-safe-timed",
    ] {
        let token = stdout(&tamperproof(&[
            "dumps",
            "--kind",
            kind,
            "--key",
            "k",
            r#"{"a": [1, 2.5, "é"]}"#,
        ]));
        let out = tamperproof(&[
            "loads",
            "--kind",
            kind,
            "--key",
            "k",
            "--max-age",
            "100",
            &token,
        ]);
        assert!(out.status.success(), "{kind}: {}", stderr(&out));
        assert_eq!(stdout(&out), r#"{"a":[1,2.5,"é"]}"#, "{kind}");
        let out = tamperproof(&["loads", "--kind", kind, "--key", "other", &token]);
        assert_eq!(out.status.code(), Some(1), "{kind}");
    }
}

#[test]
fn json_output() {
    let out = tamperproof(&[
        "--json",
        "unsign",
        "--key",
        "secret-key",
        "--timed",
        "value.TgPVoQ.UuTmbd1hhGp7tyOFjT0H9ILwyfg",
    ]);
    let doc: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(doc["value"], "value");
    assert_eq!(doc["timestamp"], 1_308_874_145u64);
    assert_eq!(doc["signed_at"], "2011-06-24T00:09:05Z");
    let out = tamperproof(&[
        "--json",
        "unsign",
        "--timed",
        "--key",
        "wrong",
        "value.TgPVoQ.UuTmbd1hhGp7tyOFjT0H9ILwyfg",
    ]);
    let doc: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(doc["error"], "BadTimeSignature");
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn decode_needs_no_key_and_says_unverified() {
    // Python: URLSafeTimedSerializer("secret-key").dumps("a"*1000) at 2011-06-24T00:09:05Z
    let out = tamperproof(&[
        "decode",
        ".eJxTShwFo2AUDHugBAD6Fns8.TgPVoQ.fRXLPUYVblkvmE1sUMSzMUJ1o1Q",
    ]);
    let text = stdout(&out);
    assert!(text.starts_with("UNVERIFIED"), "{text}");
    assert!(text.contains(&"a".repeat(1000)));
    assert!(text.contains("2011-06-24T00:09:05Z"));
    let out = tamperproof(&[
        "--json",
        "decode",
        "eyJpZCI6NDJ9.Z-HaNt236Oj5pFDPW25MouYkrcA",
    ]);
    let doc: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(doc["verified"], false);
    assert_eq!(doc["payload"], serde_json::json!({"id": 42}));
}

#[test]
fn audit_finds_a_flask_key() {
    // Flask 3.1.3, app.secret_key = "secret", session {"a": 1}.
    let cookie = "eyJhIjoxfQ.TgPVoQ.Vlr_Jz1KAK-AL-4WaTlES0RX-6s";
    let list = wordlist(&[
        b"password",
        b"\xff\xfe not utf-8",
        br"b'\x02\x01thisismyscretkey'",
        b"changeme",
        b"secret",
        b"after",
    ]);
    let path = list.0.to_str().unwrap();
    let out = tamperproof(&["audit", cookie, "--wordlist", path, "--threads", "2"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), "found key: secret");
    assert!(stderr(&out).contains("keys/s"));
    let missing = wordlist(&[b"password", b"\xff\xfe", b"nope"]);
    let out = tamperproof(&["audit", cookie, "--wordlist", missing.0.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("no key matched (3 candidates)"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn audit_reads_python_bytes_literals() {
    // A key that is not valid UTF-8, signed the Flask way.
    let key = b"\x02\x01thisismyscretkey";
    let signer = tamperproof::Signer::builder()
        .key(key)
        .salt("cookie-session")
        .key_derivation(tamperproof::KeyDerivation::Hmac)
        .build()
        .unwrap();
    let token = String::from_utf8(signer.sign("eyJhIjoxfQ.TgPVoQ")).unwrap();
    let list = wordlist(&[b"x", br"b'\x02\x01thisismyscretkey'"]);
    let out = tamperproof(&[
        "--json",
        "audit",
        &token,
        "--wordlist",
        list.0.to_str().unwrap(),
    ]);
    let doc: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(doc["found"], true);
    assert_eq!(doc["key_hex"], "02017468697369736d7973637265746b6579");
}
