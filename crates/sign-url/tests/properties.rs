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
use sign_url::{FixedClock, URLSafeSerializer, URLSafeTimedSerializer};

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
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

fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
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

proptest! {
    #[test]
    fn round_trip(value in json_value()) {
        let s = URLSafeSerializer::new("secret-key").unwrap();
        let token = s.dumps(&value).unwrap();
        prop_assert!(token.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b)));
        let loaded: Value = s.loads(&token).unwrap();
        prop_assert!(same(&loaded, &value), "{loaded} != {value}");
    }

    #[test]
    fn timed_round_trip(value in json_value(), ts in 0u64..(1 << 40)) {
        let s = URLSafeTimedSerializer::builder().key("k").clock(FixedClock(ts)).build().unwrap();
        let token = s.dumps(&value).unwrap();
        let loaded: Value = s.loads_max_age(&token, 0u64).unwrap();
        prop_assert!(same(&loaded, &value));
    }

    #[test]
    fn loads_never_panics(input in prop::collection::vec(any::<u8>(), 0..300)) {
        let s = URLSafeTimedSerializer::builder().key("k").clock(FixedClock(1)).build().unwrap();
        let _ = s.loads::<Value>(&input);
        let _ = sign_url::dangerous::decode_unverified(&input, b".", 1 << 16);
    }
}
