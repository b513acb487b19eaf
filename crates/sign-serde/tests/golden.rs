//! Golden tokens of `Serializer` and `TimedSerializer` (docs/compatibility.md, "JSON
//! dialects"), each produced by Python itsdangerous 2.2.0 (the Python call is in the
//! comment).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use python_json::{Value, json};
use sign_core::{DigestMethod, ErrorKind, Fallback, FixedClock, Signer};
use sign_serde::{Serializer, TimedSerializer};

const T0: u64 = 1_308_874_145;

fn parse(text: &str) -> Value {
    python_json::from_slice(text.as_bytes()).unwrap()
}

#[test]
fn serializer_dumps() {
    let s = Serializer::new("secret-key").unwrap();
    // Serializer("secret-key").dumps(...)
    let table = [
        (r#"{"id": 42}"#, r#"{"id": 42}.v7lG0DDzDHynAR2SoP49LkGoZC0"#),
        ("[1, 2, 3, 4]", "[1, 2, 3, 4].r7R9RhGgDPvvWl3iNzLuIIfELmo"),
        (
            r#"{"a": "é", "b": [1, 2.5, null, true]}"#,
            r#"{"a": "\u00e9", "b": [1, 2.5, null, true]}.pBQ0qOZWIwdP8EMiO6VNbbUJjMg"#,
        ),
        ("null", "null.7LqhIXjLAOP3hP6eS2jp3nVmwB8"),
        ("true", "true.QyLAbBCuSI-DVaLFWurdzTUUILM"),
        (r#""str""#, r#""str".Jl9TjmFDZcOQn6eQbvz5SAVatfE"#),
        ("1.5", "1.5.Te_HtrjFJkZr53K4_YiP7sinmK8"),
        (
            "100000000000000000000",
            "100000000000000000000.RjpLH6EUlpHPtOAYRD8finfHP_k",
        ),
        (r#""""#, r#""".E6Qy5IS27wePW31Y-a37VCzU7VA"#),
        ("[]", "[].gnhPakY-_XH1DoOuT1UxqK3Rmoc"),
        ("{}", "{}.HmAhyx9h56AKbkHMXgU7DL0n6IY"),
        (
            r#"{"b":1,"a":2}"#,
            r#"{"b": 1, "a": 2}.YXwQpXgPLeISEytuBLzqmPKdL5Q"#,
        ),
        (r#""😀""#, r#""\ud83d\ude00".bAUfzRcajWLF-FNu-_FT8AZul-Y"#),
    ];
    for (value, token) in table {
        let value = parse(value);
        assert_eq!(s.dumps(&value).unwrap(), token, "{value}");
        assert_eq!(s.loads::<Value>(token).unwrap(), value);
    }
}

#[test]
fn python_floats() {
    // Serializer("secret-key").dumps([1e16, -0.0, float("inf")]) writes Infinity, which is not
    // JSON: we refuse to write it (docs/compatibility.md) but keep the other floats exact.
    let s = Serializer::new("secret-key").unwrap();
    assert!(s.dumps(&[1e16, -0.0, f64::INFINITY]).is_err());
    let token = "[1e+16, -0.0, Infinity].rLs71GBQNEfPDdQvF2OMme9kMqk";
    let err = s.loads::<Value>(token).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::BadPayload);
}

#[test]
fn salts() {
    // Serializer("k", salt=None).dumps(1) == Serializer("k", salt="itsdangerous.Signer").dumps(1)
    let s = Serializer::builder()
        .key("k")
        .salt("itsdangerous.Signer")
        .build()
        .unwrap();
    assert_eq!(s.dumps(&1).unwrap(), "1.wpKX5u-MgW_Jo-uApTxmpWfENsg");
    // Serializer("secret-key").dumps(1, salt="other")
    let s = Serializer::new("secret-key").unwrap();
    assert_eq!(
        s.dumps_with_salt(&1, "other").unwrap(),
        "1.5wFvw2NMc7t4WmXa-eH4mOeSnbc"
    );
    let other = Serializer::builder()
        .key("secret-key")
        .salt("other")
        .build()
        .unwrap();
    assert_eq!(other.dumps(&1).unwrap(), "1.5wFvw2NMc7t4WmXa-eH4mOeSnbc");
}

#[test]
fn fallback_signers() {
    // Serializer("secret-key", signer_kwargs={"digest_method": sha512},
    //            fallback_signers=[{"digest_method": sha1}])
    let s = Serializer::builder()
        .key("secret-key")
        .digest(DigestMethod::Sha512)
        .fallback(Fallback::new().digest(DigestMethod::Sha1))
        .build()
        .unwrap();
    assert_eq!(
        s.dumps(&json!({"id": 42})).unwrap(),
        r#"{"id": 42}.nZiVFqxWkjFMoAXHe5h2QuQGKQWN5ZS_Lh0AR3Bao0sIDKcuJSlN9IgYIYCT-4LwTazF6T2gMieivd9Q4N7plQ"#
    );
    assert_eq!(
        s.loads::<Value>(r#"{"id": 42}.v7lG0DDzDHynAR2SoP49LkGoZC0"#)
            .unwrap(),
        json!({"id": 42})
    );
    let no_fallback = Serializer::builder()
        .key("secret-key")
        .digest(DigestMethod::Sha512)
        .build()
        .unwrap();
    let err = no_fallback
        .loads::<Value>(r#"{"id": 42}.v7lG0DDzDHynAR2SoP49LkGoZC0"#)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::BadSignature);
}

#[test]
fn load_payload_errors() {
    let s = Serializer::new("secret-key").unwrap();
    let signer = Signer::builder()
        .key("secret-key")
        .salt("itsdangerous")
        .build()
        .unwrap();
    for payload in [&b"not json"[..], b"", b"\xff\xfe"] {
        let err = s.loads::<Value>(signer.sign(payload)).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::BadPayload, "{payload:?}");
        assert!(std::error::Error::source(&err).is_some());
    }
}

#[test]
fn timed_serializer() {
    // TimedSerializer("secret-key").dumps({"id": 42}) at T0
    let s = TimedSerializer::builder()
        .key("secret-key")
        .clock(FixedClock(T0))
        .build()
        .unwrap();
    let token = s.dumps(&json!({"id": 42})).unwrap();
    assert_eq!(token, r#"{"id": 42}.TgPVoQ.DMY9eLKLIjzW4Jp_0oWkdQAihQE"#);
    let later = TimedSerializer::builder()
        .key("secret-key")
        .clock(FixedClock(T0 + 11))
        .build()
        .unwrap();
    let err = later.loads_max_age::<Value>(&token, 10).unwrap_err();
    assert_eq!(err.to_string(), "signature age 11 > 10 seconds");
    assert_eq!(
        sign_core::dangerous::unverified_payload(&err, token.as_bytes()),
        Some(&br#"{"id": 42}"#[..])
    );
    // A plain Serializer token loaded by a TimedSerializer: timestamp missing.
    let plain = Serializer::new("secret-key")
        .unwrap()
        .dumps(&json!({"id": 42}))
        .unwrap();
    let err = s.loads::<Value>(&plain).unwrap_err();
    assert_eq!(
        (err.kind(), err.message()),
        (ErrorKind::BadTimeSignature, "timestamp missing")
    );
}

#[test]
fn cross_class_acceptance() {
    // Serializer("secret-key").loads(TimedSerializer("secret-key").dumps([1])) -> BadPayload
    let timed = TimedSerializer::builder()
        .key("secret-key")
        .clock(FixedClock(T0))
        .build()
        .unwrap();
    let err = Serializer::new("secret-key")
        .unwrap()
        .loads::<Value>(timed.dumps(&[1]).unwrap())
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::BadPayload);
}

#[test]
fn serde_types_round_trip() {
    #[derive(serde::Serialize, serde::Deserialize, Debug, PartialEq)]
    struct User {
        id: u64,
        name: String,
        tags: Vec<String>,
    }
    let s = Serializer::new("secret-key").unwrap();
    let user = User {
        id: 1,
        name: "José".into(),
        tags: vec!["a".into()],
    };
    let token = s.dumps(&user).unwrap();
    // Python: Serializer("secret-key").dumps({"id": 1, "name": "José", "tags": ["a"]})
    assert!(
        token.starts_with(r#"{"id": 1, "name": "Jos\u00e9", "tags": ["a"]}."#),
        "{token}"
    );
    assert_eq!(s.loads::<User>(&token).unwrap(), user);
}

#[test]
fn lone_surrogate_is_bad_payload() {
    // Python: Serializer("secret-key").dumps("\ud800") == '"\\ud800".<sig>' and loads it back;
    // Rust strings cannot hold a lone surrogate, so loading is BadPayload (docs/compatibility.md).
    let signer = Signer::builder()
        .key("secret-key")
        .salt("itsdangerous")
        .build()
        .unwrap();
    let token = signer.sign(r#""\ud800""#);
    let err = Serializer::new("secret-key")
        .unwrap()
        .loads::<Value>(&token)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::BadPayload);
}

#[test]
fn a_fallback_salt_never_overrides_a_per_call_salt() {
    // Fallback::salt is an extension (Python raises TypeError for it). It must not let a token
    // made for one purpose pass as another: a per-call salt applies to every fallback.
    let s = Serializer::builder()
        .key("k")
        .fallback(Fallback::new().salt("itsdangerous"))
        .build()
        .unwrap();
    let default_context = s.dumps(&json!({"user": 1})).unwrap();
    let err = s
        .loads_with_salt::<Value>(&default_context, "password-reset")
        .unwrap_err();
    assert!(err.is_bad_signature());
    // Without a per-call salt the fallback's own salt is used.
    let other = Serializer::builder()
        .key("k")
        .salt("other")
        .build()
        .unwrap();
    let s = Serializer::builder()
        .key("k")
        .salt("other-new")
        .fallback(Fallback::new().salt("other"))
        .build()
        .unwrap();
    assert_eq!(
        s.loads::<Value>(other.dumps(&1).unwrap()).unwrap(),
        json!(1)
    );
}

/// Deviation 15 (docs/compatibility.md): a validly signed payload with a repeated key.
/// Python keeps the last value: `Serializer("secret-key").loads(t) == {"id": 2, "name": "a"}`
/// for `t = Serializer("secret-key").make_signer().sign(b'{"id": 1, "name": "a", "id": 2}')`.
/// `python_json::Value` (and maps) read it as Python does; a struct target refuses it, as
/// serde does everywhere (`BadPayload`, "duplicate field").
#[test]
fn repeated_keys() {
    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct User {
        id: u64,
        name: String,
    }
    let token = r#"{"id": 1, "name": "a", "id": 2}.S6iQpAAe3NdO3NJZe5-u5Gm3NcI"#;
    let s = Serializer::new("secret-key").unwrap();
    assert_eq!(
        s.loads::<Value>(token).unwrap(),
        json!({"id": 2, "name": "a"})
    );
    let map: std::collections::BTreeMap<String, Value> = s.loads(token).unwrap();
    assert_eq!(map["id"], json!(2));
    let err = s.loads::<User>(token).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::BadPayload);
    let cause = std::error::Error::source(&err).map(ToString::to_string);
    assert!(
        cause.is_some_and(|c| c.contains("duplicate field `id`")),
        "{err:?}"
    );
}
