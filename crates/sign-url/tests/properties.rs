//! Property tests: arbitrary JSON (including highly compressible values) round-trips through
//! both URL-safe serializers; tokens stay URL-safe.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use proptest::prelude::*;
use python_json::{Value, json};
use sign_core::FixedClock;
use sign_url::{UrlSafeSerializer, UrlSafeTimedSerializer};

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        // Integers beyond 2^53 (and beyond 64 bits), where a float comparison is blind.
        any::<u64>().prop_map(|n| json!(n)),
        any::<i128>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(|f| json!(f)),
        ".*".prop_map(Value::String),
        (1usize..3000, "[a-c]").prop_map(|(n, s)| Value::String(s.repeat(n))),
    ];
    leaf.prop_recursive(3, 40, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec(("[a-z\u{e9}\u{1F600}]{0,6}", inner), 0..6)
                .prop_map(|entries| Value::Object(entries.into_iter().collect())),
        ]
    })
}

/// An integer literal (no fraction, no exponent).
fn is_integer(n: &python_json::Number) -> bool {
    !n.to_string().contains(['.', 'e', 'E'])
}

/// Equal values; integers compare exactly (their decimal text is canonical), floats by
/// their `f64` value (the writer may spell a float differently than serde_json does).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) if is_integer(x) || is_integer(y) => {
            x.to_string() == y.to_string()
        }
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|((ka, va), (kb, vb))| ka == kb && same(va, vb))
        }
        _ => a == b,
    }
}

#[test]
fn integer_comparison_is_exact() {
    let a = json!(9_007_199_254_740_993_u64); // 2^53 + 1
    let b = json!(9_007_199_254_740_992_u64); // 2^53: the same f64
    assert!(!same(&a, &b));
    assert!(same(&a, &a.clone()));
    assert!(same(&json!(0.1), &json!(0.1)));
}

proptest! {
    #[test]
    fn round_trip(value in json_value()) {
        let s = UrlSafeSerializer::new("secret-key").unwrap();
        let token = s.dumps(&value).unwrap();
        prop_assert!(token.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b)));
        let loaded: Value = s.loads(&token).unwrap();
        prop_assert!(same(&loaded, &value), "{loaded} != {value}");
    }

    #[test]
    fn timed_round_trip(value in json_value(), ts in 0u64..(1 << 40)) {
        let s = UrlSafeTimedSerializer::builder().key("k").clock(FixedClock(ts)).build().unwrap();
        let token = s.dumps(&value).unwrap();
        let loaded: Value = s.loads_max_age(&token, 0u64).unwrap();
        prop_assert!(same(&loaded, &value));
    }

    #[test]
    fn loads_never_panics(input in prop::collection::vec(any::<u8>(), 0..300)) {
        let s = UrlSafeTimedSerializer::builder().key("k").clock(FixedClock(1)).build().unwrap();
        let _ = s.loads::<Value>(&input);
        let _ = sign_url::dangerous::decode_unverified(&input, b".", 1 << 16);
    }
}
