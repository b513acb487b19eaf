//! Where this crate is deliberately stricter than Starlette (docs/starlette.md).
#![allow(clippy::unwrap_used)]

use python_json::{Value, json};
use sign_core::FixedClock;
use sign_core::TimestampSigner;
use sign_starlette::{StarletteSessions, session_builder};

const T0: u64 = 1_700_000_000;

fn sessions() -> StarletteSessions {
    StarletteSessions::from_serializer(
        session_builder()
            .key("k")
            .clock(FixedClock(T0))
            .build()
            .unwrap(),
    )
}

/// A valid token over `payload` with Starlette's signer.
fn signed(payload: &str) -> String {
    let signer = TimestampSigner::from_signer(
        sign_core::Signer::builder()
            .key("k")
            .salt("itsdangerous.Signer")
            .build()
            .unwrap(),
    );
    String::from_utf8(signer.sign_at(payload, T0)).unwrap()
}

#[test]
fn base64_must_be_canonical_and_padded() {
    // `eyJhIjogMX0=` is {"a": 1}. Python's b64decode drops junk characters; it also takes a
    // non-zero last bit pattern. Both load in Starlette; here they are BadPayload.
    assert_eq!(
        Value::Object(sessions().loads(&signed("eyJhIjogMX0=")).unwrap()),
        json!({"a": 1})
    );
    for lenient in ["eyJhIjog!MX0=", "eyJhIjogMX1="] {
        assert!(
            sessions()
                .loads(&signed(lenient))
                .unwrap_err()
                .is_bad_payload(),
            "{lenient}"
        );
    }
}

#[test]
fn a_session_must_be_an_object() {
    // `W1siYSIsICJiIl1d` is [["a", "b"]]: Python's dict() makes {"a": "b"} of it.
    assert!(
        sessions()
            .loads(&signed("W1siYSIsICJiIl1d"))
            .unwrap_err()
            .is_bad_payload()
    );
}
