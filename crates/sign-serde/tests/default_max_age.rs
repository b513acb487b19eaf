//! The engine's default maximum age: none unless set, applied by every load without an age
//! of its own, replaced by a per-call age, removable only when building.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::{Duration, UNIX_EPOCH};

use python_json::{Map, Value, json};
use sign_core::{ErrorKind, FixedClock, MaxAge};
use sign_serde::{PayloadCodec, Serializer, SerializerBuilder, TimedSerializer, dangerous};

const T0: u64 = 1_700_000_000;

fn builder(now: u64) -> SerializerBuilder<sign_serde::JsonCodec, sign_core::TimestampSigner> {
    TimedSerializer::builder()
        .key("secret_key")
        .clock(FixedClock(now))
}

fn token() -> String {
    builder(T0)
        .build()
        .unwrap()
        .dumps(&json!({"id": 42}))
        .unwrap()
}

#[test]
fn itsdangerous_has_no_default() {
    let s = builder(T0 + 1_000_000).build().unwrap();
    assert_eq!(s.max_age(), None);
    assert_eq!(s.loads::<Value>(token()).unwrap(), json!({"id": 42}));
    let plain = Serializer::new("secret_key").unwrap();
    assert_eq!(plain.max_age(), None);
}

#[test]
fn the_default_applies_to_every_load_without_an_age() {
    let token = token();
    let within = builder(T0 + 10).max_age(10).build().unwrap();
    assert_eq!(within.max_age(), Some(MaxAge::from_secs(10)));
    assert_eq!(within.loads::<Value>(&token).unwrap(), json!({"id": 42}));

    let late = builder(T0 + 11)
        .max_age(Duration::from_secs(10))
        .build()
        .unwrap();
    let err = late.loads::<Value>(&token).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::SignatureExpired);
    assert_eq!(
        err.date_signed(),
        Some(UNIX_EPOCH + Duration::from_secs(T0))
    );
    let err = late
        .loads_with_timestamp::<Value>(&token, None, None)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::SignatureExpired);
    let err = late
        .loads_decoded(&token, None, |codec, payload| {
            codec.decode::<Value>(payload)
        })
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::SignatureExpired);
    // loads_unsafe: an expired token is (false, value), as with an explicit age.
    assert_eq!(
        dangerous::loads_unsafe::<Value, _, _>(&late, &token, None, None).unwrap(),
        (false, Some(json!({"id": 42})))
    );
    // The per-call salt path checks it too.
    let salted = builder(T0).build().unwrap();
    let salted_token = salted.dumps_with_salt(&1, "other").unwrap();
    let err = late
        .loads_with_salt::<Value>(&salted_token, "other")
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::SignatureExpired);
}

#[test]
fn a_token_from_the_future_is_rejected_under_the_default() {
    // itsdangerous rejects a future timestamp whenever a max_age is given.
    let early = builder(T0 - 5).max_age(3600).build().unwrap();
    let err = early.loads::<Value>(token()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::SignatureExpired);
    // Without a default, Python accepts it.
    let early = builder(T0 - 5).build().unwrap();
    assert!(early.loads::<Value>(token()).is_ok());
}

#[test]
fn a_per_call_age_replaces_the_default() {
    let token = token();
    let s = builder(T0 + 50).max_age(10).build().unwrap();
    // Longer than the default: accepted.
    assert_eq!(
        s.loads_max_age::<Value>(&token, 100).unwrap(),
        json!({"id": 42})
    );
    let (_, at) = s
        .loads_with_timestamp::<Value>(&token, Some(100.into()), None)
        .unwrap();
    assert_eq!(at, UNIX_EPOCH + Duration::from_secs(T0));
    // Shorter than the default: rejected although the default would accept it.
    let s = builder(T0 + 8).max_age(10).build().unwrap();
    assert!(s.loads::<Value>(&token).is_ok());
    let err = s.loads_max_age::<Value>(&token, 5).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::SignatureExpired);
    assert_eq!(
        dangerous::loads_unsafe::<Value, _, _>(&s, &token, Some(5.into()), None).unwrap(),
        (false, Some(json!({"id": 42})))
    );
}

#[test]
fn no_max_age_removes_a_default() {
    let s = builder(T0 + 1_000_000)
        .max_age(10)
        .no_max_age()
        .build()
        .unwrap();
    assert_eq!(s.max_age(), None);
    assert!(s.loads::<Value>(token()).is_ok());
}

#[test]
fn the_default_survives_a_signer_variant() {
    let s = builder(T0 + 11).max_age(10).build().unwrap();
    let salted = s.with_signer_config(|config| config.salt("x")).unwrap();
    assert_eq!(salted.max_age(), Some(MaxAge::from_secs(10)));
}

#[test]
fn loads_or_default_empties_bad_and_expired_tokens_only() {
    let token = builder(T0)
        .build()
        .unwrap()
        .dumps(&json!({"a": 1}))
        .unwrap();
    let s = builder(T0 + 11).max_age(10).build().unwrap();
    assert_eq!(s.loads_or_default::<Map>(&token).unwrap(), Map::new());
    let fresh = builder(T0).max_age(10).build().unwrap();
    assert_eq!(
        Value::Object(fresh.loads_or_default::<Map>(&token).unwrap()),
        json!({"a": 1})
    );
    assert_eq!(
        fresh.loads_or_default::<Map>("garbage").unwrap(),
        Map::new()
    );
    // A validly signed payload that is not a map is an error, not an empty session.
    let list = builder(T0).build().unwrap().dumps(&[1, 2]).unwrap();
    assert_eq!(
        fresh.loads_or_default::<Map>(&list).unwrap_err().kind(),
        ErrorKind::BadPayload
    );
}

#[test]
fn make_signer_is_the_primary_signer_for_a_salt() {
    let s = builder(T0).build().unwrap();
    let token = s.dumps_with_salt(&1, "other").unwrap();
    let signer = s.make_signer(Some(b"other")).unwrap();
    assert!(signer.unsign(&token).is_ok());
    assert_eq!(
        s.make_signer(None).unwrap().signer().salt(),
        b"itsdangerous"
    );
}
