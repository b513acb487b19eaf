//! End-to-end: a real Flask 3 app (tests/fixtures/flask_app.py, driven through Flask's test
//! client) and this crate write and read each other's session cookies.
//!
//! Every cookie Flask produces here comes from running that app; nothing is hard-coded.
// Test helpers outside `#[test]` functions fail loudly on broken fixtures.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stderr
)]

use std::collections::BTreeMap;
use std::path::Path;

use python_json::{NUMBER_TOKEN, Value, json};
use sign_core::{ErrorKind, FixedClock, KeyRing};
use sign_flask::{
    HttpDate, Markup, Session, SessionSerializer, SessionValue, Uuid, session_builder,
};

const T0: u64 = 1_308_874_145;
const DAYS_31: u64 = 2_678_400;

#[path = "support/python.rs"]
mod support;

/// Sends requests to the fixture app; `None` when the Python tests are explicitly skipped
/// (see `support/python.rs`).
fn flask(requests: &[Value]) -> Option<Vec<Value>> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/flask_app.py");
    support::json_lines("main", &script, "Flask", requests, |line| {
        python_json::from_slice(line.as_bytes()).expect("json response")
    })
}

fn sessions(key: &str, now: u64) -> SessionSerializer {
    session_builder()
        .key(key)
        .clock(FixedClock(now))
        .build()
        .unwrap()
}

fn int(n: u64) -> SessionValue {
    n.into()
}

/// The session the fixture's `/set` route stores, built on the Rust side.
fn every_type() -> Session {
    let big: SessionValue = python_json::from_slice(b"1180591620717411303424").unwrap(); // 2**70
    Session::from([
        ("user_id".to_owned(), int(42)),
        ("big".to_owned(), big),
        ("ratio".to_owned(), SessionValue::from_f64(0.1).unwrap()),
        ("none".to_owned(), SessionValue::Null),
        ("flag".to_owned(), true.into()),
        ("name".to_owned(), "José 😀".into()),
        (
            "cart".to_owned(),
            SessionValue::Tuple(vec![int(1), "a".into(), SessionValue::Tuple(vec![int(2)])]),
        ),
        (
            "csrf".to_owned(),
            SessionValue::Bytes(b"\x00\xffhi".to_vec()),
        ),
        ("html".to_owned(), Markup::new("<b>x</b>").into()),
        (
            "id".to_owned(),
            Uuid::parse("12345678-1234-5678-1234-567812345678")
                .unwrap()
                .into(),
        ),
        (
            "when".to_owned(),
            // Flask drops the microseconds of datetime(2011, 6, 24, 0, 9, 5, 123456).
            HttpDate::from_unix_seconds(T0 as i64).unwrap().into(),
        ),
        (
            "looks_tagged".to_owned(),
            SessionValue::Dict(BTreeMap::from([(" t".to_owned(), int(5))])),
        ),
        (
            "looks_escaped".to_owned(),
            SessionValue::Dict(BTreeMap::from([(" di".to_owned(), "x".into())])),
        ),
        (
            "nested".to_owned(),
            SessionValue::Dict(BTreeMap::from([
                (
                    "z".to_owned(),
                    SessionValue::List(vec![
                        SessionValue::Tuple(vec![int(1), int(2)]),
                        SessionValue::Dict(BTreeMap::from([(
                            "b".to_owned(),
                            SessionValue::Bytes(b"a".to_vec()),
                        )])),
                    ]),
                ),
                ("a".to_owned(), "é".into()),
            ])),
        ),
        (
            "number_token".to_owned(),
            SessionValue::Dict(BTreeMap::from([(NUMBER_TOKEN.to_owned(), "5".into())])),
        ),
        (
            "number_token_first".to_owned(),
            SessionValue::List(vec![SessionValue::Dict(BTreeMap::from([
                (NUMBER_TOKEN.to_owned(), "12".into()),
                ("a".to_owned(), int(1)),
            ]))]),
        ),
        (
            "by_number".to_owned(),
            SessionValue::Dict(BTreeMap::from([
                ("1".to_owned(), "a".into()),
                ("20".to_owned(), "b".into()),
            ])),
        ),
        (
            "by_flag".to_owned(),
            SessionValue::Dict(BTreeMap::from([
                ("false".to_owned(), "n".into()),
                ("true".to_owned(), "y".into()),
            ])),
        ),
    ])
}

fn read_request(key: &str, fallbacks: &[&str], now: u64, lifetime: u64, cookie: &str) -> Value {
    json!({"op": "read", "secret_key": key, "fallbacks": fallbacks, "now": now,
           "lifetime": lifetime, "cookie": cookie})
}

#[test]
fn flask_cookie_with_every_tagged_type_decodes_in_rust() {
    let Some(out) = flask(&[json!({"op": "set", "secret_key": "secret", "now": T0})]) else {
        return;
    };
    assert_eq!(out[0]["status"], 200);
    let cookie = out[0]["cookie"].as_str().unwrap();

    let session: Session = sessions("secret", T0).loads(cookie).unwrap();
    assert_eq!(session, every_type());
    // The tagged JSON Flask reports is what Rust produces for the same values.
    assert_eq!(
        SessionValue::Dict(session.clone()).to_tagged_json(),
        out[0]["tagged"]
    );
    // Rust re-signs the same session to a cookie Flask accepts (compressed bytes may differ
    // from Python's zlib, so compare the content, not the token).
    let ours = sessions("secret", T0).dumps(&session).unwrap();
    let Some(back) = flask(&[read_request("secret", &[], T0, DAYS_31, &ours)]) else {
        return;
    };
    assert_eq!(back[0]["tagged"], out[0]["tagged"]);
}

/// A Rust struct reads Flask's cookie with its int and bool keys as number and bool maps
/// (and skips the fields it does not name).
#[test]
fn flask_int_and_bool_keys_read_into_typed_maps() {
    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct Keyed {
        by_number: BTreeMap<u32, String>,
        by_flag: BTreeMap<bool, String>,
    }
    let Some(out) = flask(&[json!({"op": "set", "secret_key": "secret", "now": T0})]) else {
        return;
    };
    let cookie = out[0]["cookie"].as_str().unwrap();
    let keyed: Keyed = sessions("secret", T0).loads(cookie).unwrap();
    assert_eq!(
        keyed,
        Keyed {
            by_number: BTreeMap::from([(1, "a".to_owned()), (20, "b".to_owned())]),
            by_flag: BTreeMap::from([(false, "n".to_owned()), (true, "y".to_owned())]),
        }
    );
}

#[test]
fn rust_cookie_is_read_by_flask() {
    let session = every_type();
    let cookie = sessions("secret", T0).dumps(&session).unwrap();
    let Some(out) = flask(&[read_request("secret", &[], T0 + 10, DAYS_31, &cookie)]) else {
        return;
    };
    assert_eq!(out[0]["status"], 200);
    assert_eq!(
        out[0]["tagged"],
        SessionValue::Dict(session).to_tagged_json()
    );
}

#[test]
fn typed_rust_struct_round_trips_through_flask() {
    #[derive(serde::Serialize, serde::Deserialize, Debug, PartialEq)]
    struct Login {
        user_id: u64,
        cart: (u32, String),
        html: Markup,
        when: HttpDate,
        id: Uuid,
        tags: Vec<String>,
    }
    let login = Login {
        user_id: 7,
        cart: (3, "x".to_owned()),
        html: Markup::new("<i>hi</i>"),
        when: HttpDate::from_unix_seconds(0).unwrap(),
        id: Uuid::from_bytes([0xab; 16]),
        tags: vec!["a".to_owned()],
    };
    let cookie = sessions("secret", T0).dumps(&login).unwrap();
    let Some(out) = flask(&[read_request("secret", &[], T0, DAYS_31, &cookie)]) else {
        return;
    };
    assert_eq!(
        out[0]["tagged"],
        json!({"cart": {" t": [3, "x"]}, "html": {" m": "<i>hi</i>"},
               "id": {" u": "abababababababababababababababab"}, "tags": ["a"],
               "user_id": 7, "when": {" d": "Thu, 01 Jan 1970 00:00:00 GMT"}})
    );
    assert_eq!(
        sessions("secret", T0).loads::<Login>(&cookie).unwrap(),
        login
    );
}

#[test]
fn secret_key_fallbacks_both_ways() {
    // Python side: an app that still signs with the old key.
    let Some(out) = flask(&[json!({"op": "set", "secret_key": "old", "now": T0})]) else {
        return;
    };
    let old_cookie = out[0]["cookie"].as_str().unwrap();

    let rotated = session_builder()
        .key_ring(KeyRing::secret_key_with_fallbacks("new", ["older", "old"]))
        .clock(FixedClock(T0))
        .build()
        .unwrap();
    // The old key verifies.
    assert_eq!(rotated.loads::<Session>(old_cookie).unwrap(), every_type());
    // Without the fallback it does not.
    let err = sessions("new", T0)
        .loads::<Session>(old_cookie)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::BadTimeSignature);

    // The new key signs: Flask with SECRET_KEY="new" reads it; Flask still on "old" does not.
    let session = Session::from([("a".to_owned(), int(1))]);
    let new_cookie = rotated.dumps(&session).unwrap();
    assert_eq!(
        new_cookie,
        sessions("new", T0).dumps(&session).unwrap(),
        "fallbacks never sign"
    );
    let Some(out) = flask(&[
        read_request("new", &["old"], T0, DAYS_31, &new_cookie),
        read_request("old", &[], T0, DAYS_31, &new_cookie),
        // Flask with fallbacks reads a Rust cookie signed with the old key.
        read_request(
            "new",
            &["old"],
            T0,
            DAYS_31,
            &sessions("old", T0).dumps(&session).unwrap(),
        ),
    ]) else {
        return;
    };
    assert_eq!(out[0]["tagged"], json!({"a": 1}));
    assert_eq!(
        out[1]["tagged"],
        json!({}),
        "Flask without the new key ignores it"
    );
    assert_eq!(out[2]["tagged"], json!({"a": 1}));
}

#[test]
fn expiry_both_ways() {
    let Some(out) = flask(&[json!({"op": "set", "secret_key": "secret", "now": T0})]) else {
        return;
    };
    let flask_cookie = out[0]["cookie"].as_str().unwrap();
    // Flask's 31 days: exactly 31 days old still loads, one second more is expired.
    assert!(
        sessions("secret", T0 + DAYS_31)
            .loads::<Session>(flask_cookie)
            .is_ok()
    );
    let err = sessions("secret", T0 + DAYS_31 + 1)
        .loads::<Session>(flask_cookie)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::SignatureExpired);
    assert!(
        sessions("secret", T0 + DAYS_31 + 1)
            .loads_or_default::<Session>(flask_cookie)
            .unwrap()
            .is_empty()
    );
    // A shorter lifetime on the Rust side.
    let short = session_builder()
        .key("secret")
        .max_age(60_u64)
        .clock(FixedClock(T0 + 61))
        .build()
        .unwrap();
    assert_eq!(
        short.loads::<Session>(flask_cookie).unwrap_err().kind(),
        ErrorKind::SignatureExpired
    );

    // Rust-made cookie, read by Flask whose clock or lifetime says it expired.
    let session = Session::from([("a".to_owned(), int(1))]);
    let cookie = sessions("secret", T0).dumps(&session).unwrap();
    let Some(out) = flask(&[
        read_request("secret", &[], T0 + DAYS_31, DAYS_31, &cookie),
        read_request("secret", &[], T0 + DAYS_31 + 1, DAYS_31, &cookie),
        read_request("secret", &[], T0 + 60, 60, &cookie),
        read_request("secret", &[], T0 + 61, 60, &cookie),
    ]) else {
        return;
    };
    assert_eq!(out[0]["tagged"], json!({"a": 1}));
    assert_eq!(out[1]["tagged"], json!({}));
    assert_eq!(out[2]["tagged"], json!({"a": 1}));
    assert_eq!(out[3]["tagged"], json!({}));
}

#[test]
fn validly_signed_garbage_is_500_in_flask_and_an_error_here() {
    let sessions = sessions("secret", T0);
    // A correctly signed payload that is not JSON ("not json" in base64url).
    let signer = sessions.primary().unwrap();
    let cookie = String::from_utf8(signer.sign(b"bm90IGpzb24")).unwrap();
    let Some(out) = flask(&[
        read_request("secret", &[], T0, DAYS_31, &cookie),
        read_request("secret", &[], T0, DAYS_31, "garbage.cookie.value"),
    ]) else {
        return;
    };
    assert_eq!(out[0]["status"], 500);
    assert_eq!(out[1]["status"], 200);
    assert_eq!(out[1]["tagged"], json!({}));
    let err = sessions.loads_or_default::<Session>(&cookie).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::BadPayload);
    assert!(
        sessions
            .loads_or_default::<Session>("garbage.cookie.value")
            .unwrap()
            .is_empty()
    );
}
