//! Property tests: round trips, tamper rejection, key/salt/algorithm separation, expiry
//! boundaries.

// Helpers shared by the tests are test code too.
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use proptest::prelude::*;
use python_json::Value;
use sign_core::ErrorKind;
use sign_core::FixedClock;
use sign_jws::{JwsAlgorithm, JwsSerializer, TimedJwsSerializer};

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        ".*".prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
            prop::collection::vec((".{0,6}", inner), 0..4)
                .prop_map(|entries| Value::Object(entries.into_iter().collect())),
        ]
    })
}

fn algorithm() -> impl Strategy<Value = JwsAlgorithm> {
    prop::sample::select(JwsAlgorithm::HMAC.to_vec())
}

fn serializer(key: &[u8], salt: Option<&[u8]>, algorithm: JwsAlgorithm) -> JwsSerializer {
    let mut builder = JwsSerializer::builder()
        .key(key)
        .allow_empty_key()
        .map_codec(|codec| codec.with_algorithm(algorithm));
    if let Some(salt) = salt {
        builder = builder.salt(salt);
    }
    builder.build().unwrap()
}

proptest! {
    #[test]
    fn round_trip(value in json_value(), key in prop::collection::vec(any::<u8>(), 0..40),
                  salt in prop::option::of(prop::collection::vec(any::<u8>(), 0..10)),
                  algorithm in algorithm()) {
        let s = serializer(&key, salt.as_deref(), algorithm);
        let token = s.dumps(&value).unwrap();
        prop_assert_eq!(s.loads::<Value>(&token).unwrap(), value);
        prop_assert_eq!(token.matches('.').count(), 2);
    }

    #[test]
    fn any_changed_byte_is_rejected(value in json_value(), index in any::<prop::sample::Index>(),
                                    replacement in any::<u8>(), algorithm in algorithm()) {
        let s = serializer(b"secret-key", None, algorithm);
        let mut token = s.dumps(&value).unwrap().into_bytes();
        let i = index.index(token.len());
        prop_assume!(token[i] != replacement);
        token[i] = replacement;
        let err = s.loads::<Value>(&token).unwrap_err();
        // Almost always the signature; a changed byte of a base64 field never verifies.
        prop_assert!(matches!(err.kind(), ErrorKind::BadSignature), "{:?}", err);
    }

    #[test]
    fn other_key_salt_or_algorithm_is_rejected(value in json_value(), algorithm in algorithm(),
                                               other in algorithm()) {
        let token = serializer(b"key-1", None, algorithm).dumps(&value).unwrap();
        prop_assert!(serializer(b"key-2", None, algorithm).loads::<Value>(&token).is_err());
        prop_assert!(serializer(b"key-1", Some(b"salt"), algorithm).loads::<Value>(&token).is_err());
        if other != algorithm {
            let err = serializer(b"key-1", None, other).loads::<Value>(&token).unwrap_err();
            prop_assert!(err.is_bad_signature());
        }
    }

    #[test]
    fn expiry_boundary(iat in 0u64..4_000_000_000, expires_in in 0u64..1_000_000, value in json_value()) {
        let at = |now| TimedJwsSerializer::builder()
            .key("secret-key")
            .map_codec(|codec| codec.with_expires_in(expires_in))
            .clock(FixedClock(now))
            .build()
            .unwrap();
        let token = at(iat).dumps(&value).unwrap();
        prop_assert_eq!(at(iat + expires_in).loads::<Value>(&token).unwrap(), value);
        let err = at(iat + expires_in + 1).loads::<Value>(&token).unwrap_err();
        prop_assert_eq!(err.kind(), ErrorKind::SignatureExpired);
        // iat is not checked: a token from the future loads.
        prop_assert!(at(iat.saturating_sub(1)).loads::<Value>(&token).is_ok());
    }

    #[test]
    fn arbitrary_tokens_never_panic(token in prop::collection::vec(any::<u8>(), 0..200)) {
        let s = serializer(b"secret-key", None, JwsAlgorithm::Hs512);
        prop_assert!(s.loads::<Value>(&token).is_err());
        let t = TimedJwsSerializer::new("secret-key").unwrap();
        prop_assert!(t.loads::<Value>(&token).is_err());
        let _ = sign_serde::dangerous::loads_unsafe::<Value, _, _>(&t, &token, None, None);
        let _ = sign_jws::dangerous::load_payload::<Value>(&token);
    }
}

#[test]
fn none_token_with_any_header_is_rejected_by_keyed_serializers() {
    // Python's J("secret-key", algorithm_name="none").dumps("value")
    let token = "eyJhbGciOiJub25lIn0.InZhbHVlIg.";
    for algorithm in JwsAlgorithm::HMAC {
        let err = serializer(b"secret-key", None, algorithm)
            .loads::<Value>(token)
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::BadSignature);
    }
}
