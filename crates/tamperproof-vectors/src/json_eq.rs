//! JSON equality as Python's `==` sees the values `json.loads` returns.
//!
//! Numbers compare numerically: integers exactly, however long; floats by their `f64` value;
//! an integer equals a float when they are the same number (`1 == 1.0`, as in Python).
//! Objects compare as maps (key order ignored), arrays element by element. `true` and `1`
//! are different here (Python says equal; a vector that relies on it is suspicious).

use python_json::{Number, Value};

/// Whether `a` and `b` are the same JSON value in the sense above.
#[must_use]
pub fn json_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Null, Value::Null) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::String(x), Value::String(y)) => x == y,
        (Value::Number(x), Value::Number(y)) => number_eq(x, y),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| json_eq(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(key, x)| y.get(key).is_some_and(|y| json_eq(x, y)))
        }
        _ => false,
    }
}

/// A number as Python holds it after `json.loads`.
#[derive(Debug, PartialEq)]
enum PyNumber {
    /// Canonical decimal text of an integer.
    Int(String),
    Float(f64),
}

fn classify(n: &Number) -> PyNumber {
    match n.integer_text() {
        Some(text) => PyNumber::Int(text),
        None => PyNumber::Float(n.as_f64().unwrap_or(f64::NAN)),
    }
}

/// The exact integer value of an integral, finite float, as canonical text.
fn float_as_int(f: f64) -> Option<String> {
    if !f.is_finite() || f.fract() != 0.0 {
        return None;
    }
    // `{:.0}` prints the exact decimal value of an integral f64; `-0` is `0`.
    let text = format!("{f:.0}");
    Some(if text == "-0" { "0".to_owned() } else { text })
}

fn number_eq(a: &Number, b: &Number) -> bool {
    match (classify(a), classify(b)) {
        (PyNumber::Float(x), PyNumber::Float(y)) => x == y,
        (PyNumber::Int(int), PyNumber::Float(f)) | (PyNumber::Float(f), PyNumber::Int(int)) => {
            float_as_int(f).is_some_and(|f| f == int)
        }
        (x, y) => x == y,
    }
}

#[cfg(test)]
mod tests {
    use super::json_eq;
    use python_json::Value;

    fn eq(a: &str, b: &str) -> bool {
        let a: Value = python_json::from_slice(a.as_bytes()).unwrap();
        let b: Value = python_json::from_slice(b.as_bytes()).unwrap();
        json_eq(&a, &b)
    }

    #[test]
    fn numbers() {
        assert!(eq("1", "1.0"));
        assert!(eq("-0", "0"));
        assert!(eq("-0.0", "0"));
        assert!(eq("1e16", "10000000000000000"));
        assert!(eq("1E+16", "1e16"));
        assert!(eq(
            "123456789012345678901234567890",
            "123456789012345678901234567890"
        ));
        assert!(!eq(
            "123456789012345678901234567890",
            "123456789012345678901234567891"
        ));
        assert!(!eq("9007199254740993", "9007199254740992.0"));
        assert!(eq("9007199254740992", "9007199254740992.0"));
        assert!(eq("0.1", "0.10000000000000000555"));
        assert!(!eq("1.5", "1"));
        assert!(!eq("true", "1"));
    }

    #[test]
    fn containers() {
        assert!(eq(
            r#"{"a": 1, "b": [1, 2.0]}"#,
            r#"{"b": [1.0, 2], "a": 1}"#
        ));
        assert!(!eq(r#"{"a": 1}"#, r#"{"a": 1, "b": 2}"#));
        assert!(!eq("[1, 2]", "[2, 1]"));
        assert!(!eq("null", "[]"));
    }
}
