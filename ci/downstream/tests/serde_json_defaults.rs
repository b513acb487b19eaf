//! The application's serde_json must behave as serde_json's documented defaults, whatever
//! tamperproof depends on: no `arbitrary_precision`, no `preserve_order`.

use serde::Deserialize;
use serde_json::Value;

/// `arbitrary_precision` turns numbers into maps inside untagged enums, so `F(f64)` no longer
/// matches `1.5`.
#[test]
fn untagged_enum_reads_a_float() {
    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(untagged)]
    enum Num {
        F(f64),
        S(String),
    }
    let parsed: Result<Num, _> = serde_json::from_str("1.5");
    assert_eq!(parsed.ok(), Some(Num::F(1.5)));
    assert_eq!(
        serde_json::from_str::<Num>("\"x\"").ok(),
        Some(Num::S("x".to_owned()))
    );
}

/// `preserve_order` keeps insertion order; the default map is sorted.
#[test]
fn json_macro_sorts_keys() {
    assert_eq!(
        serde_json::json!({"b": 1, "a": 2}).to_string(),
        r#"{"a":2,"b":1}"#
    );
}

/// `arbitrary_precision` accepts `1e400` as a number; by default it is out of range.
#[test]
fn out_of_range_float_is_rejected() {
    assert!(serde_json::from_str::<Value>("1e400").is_err());
}

/// The facade is really in the build (a default-features dependency, used).
#[test]
fn facade_signs() {
    let signer = tamperproof::Signer::new("secret-key").expect("signer");
    assert_eq!(
        signer.sign("my string"),
        b"my string.wh6tMHxLgJqB6oY1uT73iMlyrOA".to_vec()
    );
}
