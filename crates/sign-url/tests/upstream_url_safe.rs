//! Ports of upstream itsdangerous 2.2.0 `test_url_safe.py`: `TestSerializer` re-run as
//! `TestURLSafeSerializer` and `TestTimedSerializer` as `TestURLSafeTimedSerializer`, each
//! with the values `{"id": 42}` and `"a" * 1000` (the zlib path).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::time::{Duration, UNIX_EPOCH};

use python_json::{Value, json};
use sign_core::dangerous::unverified_payload;
use sign_core::{DigestMethod, ErrorKind, KeyDerivation};
use sign_core::{Fallback, FixedClock};
use sign_url::{UrlSafeSerializer, UrlSafeTimedSerializer};

const T0: u64 = 1_308_874_145;

fn values() -> [Value; 2] {
    [json!({"id": 42}), json!("a".repeat(1000))]
}

macro_rules! url_safe_suite {
    ($module:ident, $ty:ty) => {
        mod $module {
            use super::*;

            fn serializer() -> $ty {
                <$ty>::builder().key("secret-key").clock(FixedClock(T0)).build().unwrap()
            }

            #[test]
            fn test_serializer() {
                let s = serializer();
                for v in [json!(null), json!(true), json!("str"), json!("text"), json!([1, 2, 3]), json!({"id": 42}), json!("a".repeat(1000))] {
                    assert_eq!(s.loads::<Value>(s.dumps(&v).unwrap()).unwrap(), v);
                }
            }

            #[test]
            fn test_changed_value() {
                let s = serializer();
                for value in values() {
                    let signed = s.dumps(&value).unwrap();
                    assert_eq!(s.loads::<Value>(&signed).unwrap(), value);
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
            }

            #[test]
            fn test_bad_signature_exception() {
                let s = serializer();
                for value in values() {
                    let bad = s.dumps(&value).unwrap();
                    let err = s.loads::<Value>(&bad[..bad.len() - 1]).unwrap_err();
                    assert!(err.is_bad_signature());
                    assert_eq!(s.load_payload::<Value>(unverified_payload(&err, bad[..bad.len() - 1].as_bytes()).unwrap()).unwrap(), value);
                }
            }

            #[test]
            fn test_bad_payload_exception() {
                let s = serializer();
                for value in values() {
                    let payload = s.dump_payload(&value).unwrap();
                    let mut token = payload[..payload.len() - 1].to_vec();
                    let start = 0;
                    sign_core::SigningScheme::sign_appended(s.primary().unwrap(), &mut token, start, None);
                    let err = s.loads::<Value>(&token).unwrap_err();
                    assert_eq!(err.kind(), ErrorKind::BadPayload);
                    assert!(std::error::Error::source(&err).is_some());
                }
            }

            #[test]
            fn test_loads_unsafe() {
                let s = serializer();
                for value in values() {
                    let signed = s.dumps(&value).unwrap();
                    assert_eq!(sign_serde::dangerous::loads_unsafe::<Value, _, _>(&s, &signed, None, None).unwrap(), (true, Some(value.clone())));
                    let bad = &signed[..signed.len() - 1];
                    assert_eq!(sign_serde::dangerous::loads_unsafe::<Value, _, _>(&s, bad, None, None).unwrap(), (false, Some(value.clone())));
                    let payload = s.dump_payload(&value).unwrap();
                    let mut worse = payload[..payload.len() - 1].to_vec();
                    sign_core::SigningScheme::sign_appended(s.primary().unwrap(), &mut worse, 0, None);
                    worse.pop();
                    assert_eq!(sign_serde::dangerous::loads_unsafe::<Value, _, _>(&s, &worse, None, None).unwrap(), (false, None));
                }
            }

            #[test]
            fn test_alt_salt() {
                let s = serializer();
                for value in values() {
                    let signed = s.dumps_with_salt(&value, "other").unwrap();
                    assert!(s.loads::<Value>(&signed).unwrap_err().is_bad_signature());
                    assert_eq!(s.loads_with_salt::<Value>(&signed, "other").unwrap(), value);
                }
            }

            #[test]
            fn test_signer_kwargs() {
                let s = <$ty>::builder().key("secret-key").key_derivation(KeyDerivation::Hmac).clock(FixedClock(T0)).build().unwrap();
                for value in values() {
                    assert_eq!(s.loads::<Value>(s.dumps(&value).unwrap()).unwrap(), value);
                }
                assert_ne!(s.dumps(&"value").unwrap(), serializer().dumps(&"value").unwrap());
            }

            #[test]
            fn test_fallback_signers() {
                let old = <$ty>::builder().key("secret-key").digest(DigestMethod::Sha256).clock(FixedClock(T0)).build().unwrap();
                let s = <$ty>::builder()
                    .key("secret-key")
                    .fallback(Fallback::new().digest(DigestMethod::Sha256))
                    .clock(FixedClock(T0))
                    .build()
                    .unwrap();
                for value in values() {
                    assert_eq!(s.loads::<Value>(old.dumps(&value).unwrap()).unwrap(), value);
                }
            }
        }
    };
}

url_safe_suite!(plain, UrlSafeSerializer);
url_safe_suite!(timed, UrlSafeTimedSerializer);

fn timed_at(now: u64) -> UrlSafeTimedSerializer {
    UrlSafeTimedSerializer::builder()
        .key("secret-key")
        .clock(FixedClock(now))
        .build()
        .unwrap()
}

#[test]
fn timed_test_max_age() {
    for value in values() {
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
}

#[test]
fn timed_test_return_payload() {
    for value in values() {
        let signed = timed_at(T0).dumps(&value).unwrap();
        let (loaded, ts) = timed_at(T0)
            .loads_with_timestamp::<Value>(&signed, None, None)
            .unwrap();
        assert_eq!((loaded, ts), (value, UNIX_EPOCH + Duration::from_secs(T0)));
    }
}
