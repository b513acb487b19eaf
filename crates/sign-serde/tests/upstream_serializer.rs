//! Ports of upstream itsdangerous 2.2.0 `test_serializer.py::TestSerializer` (JSON variant),
//! `test_digests`, and `test_timed.py::TestTimedSerializer`.
//!
//! The suite is instantiated for `Serializer` and `TimedSerializer` through a macro, as
//! upstream re-collects `TestSerializer` for the timed class.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::time::{Duration, UNIX_EPOCH};

use python_json::{Value, json};
use sign_core::dangerous::unverified_payload;
use sign_core::{DigestMethod, ErrorKind, KeyDerivation, Signer};
use sign_core::{Fallback, FixedClock};
use sign_serde::{Serializer, TimedSerializer, dangerous};

const T0: u64 = 1_308_874_145;

macro_rules! serializer_suite {
    ($module:ident, $ty:ty, $scheme:expr) => {
        mod $module {
            use super::*;

            fn serializer() -> $ty {
                <$ty>::builder().key("secret_key").clock(FixedClock(T0)).build().unwrap()
            }

            fn value() -> Value {
                json!({"id": 42})
            }

            /// Python's `make_signer()`: the serializer's own signing scheme.
            fn sign_with_own_signer(payload: &[u8]) -> Vec<u8> {
                let scheme = serializer().primary().unwrap().clone();
                #[allow(clippy::redundant_closure_call)]
                ($scheme)(&scheme, payload)
            }

            #[test]
            fn test_serializer() {
                let s = serializer();
                for v in [json!(null), json!(true), json!("str"), json!("text"), json!([1, 2, 3]), value()] {
                    assert_eq!(s.loads::<Value>(s.dumps(&v).unwrap()).unwrap(), v);
                }
            }

            #[test]
            fn test_changed_value() {
                let s = serializer();
                let signed = s.dumps(&value()).unwrap();
                assert_eq!(s.loads::<Value>(&signed).unwrap(), value());
                let transforms: [fn(&str) -> String; 4] = [
                    |t| t.to_uppercase(),
                    |t| format!("{t}a"),
                    |t| format!("a{}", &t[1..]),
                    |t| t.replace('.', ""),
                ];
                for transform in transforms {
                    let err = s.loads::<Value>(transform(&signed)).unwrap_err();
                    assert!(err.is_bad_signature(), "{err:?}");
                }
            }

            #[test]
            fn test_bad_signature_exception() {
                let s = serializer();
                let bad = s.dumps(&value()).unwrap();
                let err = s.loads::<Value>(&bad[..bad.len() - 1]).unwrap_err();
                assert!(err.is_bad_signature());
                let payload = unverified_payload(&err, bad[..bad.len() - 1].as_bytes()).unwrap();
                assert_eq!(s.load_payload::<Value>(payload).unwrap(), value());
            }

            #[test]
            fn test_bad_payload_exception() {
                let s = serializer();
                let original = s.dumps(&value()).unwrap();
                let payload = s.dump_payload(&value()).unwrap();
                assert!(original.starts_with(std::str::from_utf8(&payload).unwrap()));
                let bad = sign_with_own_signer(&payload[..payload.len() - 1]);
                let err = s.loads::<Value>(&bad).unwrap_err();
                assert_eq!(err.kind(), ErrorKind::BadPayload);
                assert!(std::error::Error::source(&err).is_some());
            }

            #[test]
            fn test_loads_unsafe() {
                let s = serializer();
                let signed = s.dumps(&value()).unwrap();
                assert_eq!(
                    dangerous::loads_unsafe::<Value, _, _>(&s, &signed, None, None).unwrap(),
                    (true, Some(value()))
                );
                let bad = &signed[..signed.len() - 1];
                assert_eq!(
                    dangerous::loads_unsafe::<Value, _, _>(&s, bad, None, None).unwrap(),
                    (false, Some(value()))
                );
                let payload = s.dump_payload(&value()).unwrap();
                let worse = sign_with_own_signer(&payload[..payload.len() - 1]);
                let worse = &worse[..worse.len() - 1];
                assert_eq!(
                    dangerous::loads_unsafe::<Value, _, _>(&s, worse, None, None).unwrap(),
                    (false, None)
                );
            }

            #[test]
            fn test_alt_salt() {
                let s = serializer();
                let signed = s.dumps_with_salt(&value(), "other").unwrap();
                assert!(s.loads::<Value>(&signed).unwrap_err().is_bad_signature());
                assert_eq!(s.loads_with_salt::<Value>(&signed, "other").unwrap(), value());
            }

            #[test]
            fn test_signer_kwargs_and_cls() {
                // test_signer_cls and test_signer_kwargs: an hmac-derivation signer.
                let s = <$ty>::builder()
                    .key("secret_key")
                    .key_derivation(KeyDerivation::Hmac)
                    .clock(FixedClock(T0))
                    .build()
                    .unwrap();
                assert_eq!(s.loads::<Value>(s.dumps(&value()).unwrap()).unwrap(), value());
                assert_ne!(s.dumps(&"value").unwrap(), serializer().dumps(&"value").unwrap());
            }

            #[test]
            fn test_fallback_signers() {
                let old = <$ty>::builder()
                    .key("secret_key")
                    .digest(DigestMethod::Sha256)
                    .clock(FixedClock(T0))
                    .build()
                    .unwrap();
                let signed = old.dumps(&value()).unwrap();
                let s = <$ty>::builder()
                    .key("secret_key")
                    .fallback(Fallback::new().digest(DigestMethod::Sha256))
                    .clock(FixedClock(T0))
                    .build()
                    .unwrap();
                assert_eq!(s.loads::<Value>(&signed).unwrap(), value());
                // Fallbacks verify but never sign.
                assert_eq!(s.dumps(&value()).unwrap(), serializer().dumps(&value()).unwrap());
            }

            #[test]
            fn test_iter_unsigners() {
                // The primary signer keeps the configured digest; fallbacks take theirs.
                let s = <$ty>::builder()
                    .key("secret_key")
                    .fallback(Fallback::new().digest(DigestMethod::Sha256))
                    .fallback(Fallback::new().key_derivation(KeyDerivation::Hmac))
                    .build()
                    .unwrap();
                assert_eq!(s.signer_config().build().unwrap().digest_method(), DigestMethod::Sha1);
            }
        }
    };
}

serializer_suite!(plain, Serializer, |s: &Signer, p: &[u8]| s.sign(p));
serializer_suite!(
    timed,
    TimedSerializer,
    |s: &sign_core::TimestampSigner, p: &[u8]| s.sign(p)
);

#[test]
fn test_digests() {
    let default = Serializer::builder()
        .key("dev key")
        .salt("dev salt")
        .build()
        .unwrap();
    let sha1 = Serializer::builder()
        .key("dev key")
        .salt("dev salt")
        .digest(DigestMethod::Sha1)
        .build()
        .unwrap();
    let sha512 = Serializer::builder()
        .key("dev key")
        .salt("dev salt")
        .digest(DigestMethod::Sha512)
        .build()
        .unwrap();
    assert_eq!(default.dumps(&[42]).unwrap(), sha1.dumps(&[42]).unwrap());
    assert_eq!(
        default.dumps(&[42]).unwrap(),
        "[42].-9cNi0CxsSB3hZPNCe9a2eEs1ZM"
    );
    assert_eq!(
        sha512.dumps(&[42]).unwrap(),
        "[42].MKCz_0nXQqv7wKpfHZcRtJRmpT2T5uvs9YQsJEhJimqxc9bCLxG31QzS5uC8OVBI1i6jyOLAFNoKaF5ckO9L5Q"
    );
}

// --- TestTimedSerializer ---------------------------------------------------------------------

fn timed_at(now: u64) -> TimedSerializer {
    TimedSerializer::builder()
        .key("secret_key")
        .clock(FixedClock(now))
        .build()
        .unwrap()
}

#[test]
fn timed_test_max_age() {
    let value = json!({"id": 42});
    let signed = timed_at(T0).dumps(&value).unwrap();
    assert_eq!(
        timed_at(T0 + 1)
            .loads_max_age::<Value>(&signed, 10)
            .unwrap(),
        value
    );
    let s = timed_at(T0 + 11);
    let err = s.loads_max_age::<Value>(&signed, 10).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::SignatureExpired);
    assert_eq!(
        err.date_signed(),
        Some(UNIX_EPOCH + Duration::from_secs(T0))
    );
    assert_eq!(
        s.load_payload::<Value>(unverified_payload(&err, signed.as_bytes()).unwrap())
            .unwrap(),
        value
    );
}

#[test]
fn timed_test_return_payload() {
    let value = json!({"id": 42});
    let signed = timed_at(T0).dumps(&value).unwrap();
    let (loaded, ts) = timed_at(T0)
        .loads_with_timestamp::<Value>(&signed, None, None)
        .unwrap();
    assert_eq!((loaded, ts), (value, UNIX_EPOCH + Duration::from_secs(T0)));
}

#[test]
fn timed_expired_short_circuits_fallbacks_and_loads_unsafe_decodes() {
    let value = json!({"id": 42});
    let signed = timed_at(T0).dumps(&value).unwrap();
    let s = TimedSerializer::builder()
        .key("secret_key")
        .fallback(Fallback::new().digest(DigestMethod::Sha256))
        .clock(FixedClock(T0 + 100))
        .build()
        .unwrap();
    let err = s.loads_max_age::<Value>(&signed, 10).unwrap_err();
    assert!(err.is_expired());
    // Expired: (False, obj), the payload is still decoded.
    assert_eq!(
        dangerous::loads_unsafe::<Value, _, _>(&s, &signed, Some(10.into()), None).unwrap(),
        (false, Some(value))
    );
}
