//! Nesting depth: reading accepts what Python 3.11's `json.loads` accepts and refuses deeper
//! input with an error, writing refuses values deeper than that; neither can exhaust the stack
//! of a 2 MiB thread, whatever the input or the value.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use python_json::{Dialect, MAX_DEPTH, ReadError, Value, WriteError};
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

/// Runs `f` on a thread with a 2 MiB stack (Rust's default for spawned threads, and the
/// smallest common one) and returns its result; a stack overflow would abort the test binary.
fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(f)
        .unwrap()
        .join()
        .unwrap()
}

fn nested_lists(depth: usize) -> String {
    format!("{}{}", "[".repeat(depth), "]".repeat(depth))
}

fn nested_dicts(depth: usize) -> String {
    format!("{}1{}", r#"{"a": "#.repeat(depth), "}".repeat(depth))
}

/// `depth` lists nested in one another, produced while serializing: no tree is built, so the
/// value can be as deep as we like without its own drop or construction touching the stack.
struct Deep(usize);

impl Serialize for Deep {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.0 == 0 {
            return serializer.serialize_unit();
        }
        if self.0.is_multiple_of(2) {
            let mut seq = serializer.serialize_seq(Some(1))?;
            seq.serialize_element(&Deep(self.0 - 1))?;
            seq.end()
        } else {
            let mut map = serializer.serialize_map(Some(1))?;
            map.serialize_entry("k", &Deep(self.0 - 1))?;
            map.end()
        }
    }
}

#[test]
fn python_depth_loads_and_dumps_back() {
    // Python 3.11.7, from a script's top level: json.loads accepts 994 nested lists or dicts
    // and raises RecursionError at 995; we stop at MAX_DEPTH (a documented deviation).
    on_small_stack(|| {
        for text in [nested_lists(MAX_DEPTH), nested_dicts(MAX_DEPTH)] {
            let value: Value = python_json::from_slice(text.as_bytes()).unwrap();
            for dialect in [Dialect::PYTHON, Dialect::COMPACT, Dialect::FLASK] {
                let back = python_json::to_vec(&value, dialect).unwrap();
                let reread: Value = python_json::from_slice(&back).unwrap();
                assert_eq!(reread, value);
            }
            assert_eq!(
                python_json::to_vec(&value, Dialect::PYTHON).unwrap(),
                text.as_bytes()
            );
            // Typed targets too: serde_json's own value type, at the same depth.
            let typed: serde_json::Value = python_json::from_slice(text.as_bytes()).unwrap();
            assert!(typed.is_array() || typed.is_object());
            // Values nested this deep drop without help.
            drop(value);
        }
    });
}

#[test]
fn one_level_deeper_is_an_error() {
    assert_eq!(MAX_DEPTH, 256);
    on_small_stack(|| {
        for text in [nested_lists(MAX_DEPTH + 1), nested_dicts(MAX_DEPTH + 1)] {
            let err: ReadError = python_json::from_slice::<Value>(text.as_bytes()).unwrap_err();
            assert!(err.message().contains("nesting"), "{err}");
            assert!(python_json::from_slice::<serde_json::Value>(text.as_bytes()).is_err());
            assert!(python_json::from_slice::<serde::de::IgnoredAny>(text.as_bytes()).is_err());
        }
    });
}

#[test]
fn hostile_depth_is_an_error_not_a_stack_overflow() {
    on_small_stack(|| {
        for text in [
            nested_lists(100_000),
            nested_dicts(100_000),
            "[".repeat(1_000_000),
            r#"{"a":"#.repeat(500_000),
        ] {
            assert!(python_json::from_slice::<Value>(text.as_bytes()).is_err());
            assert!(python_json::from_slice::<serde_json::Value>(text.as_bytes()).is_err());
        }
    });
}

#[test]
fn dumps_of_any_depth_is_an_error_not_a_stack_overflow() {
    on_small_stack(|| {
        for dialect in [Dialect::PYTHON, Dialect::COMPACT, Dialect::FLASK] {
            assert!(python_json::to_vec(&Deep(MAX_DEPTH), dialect).is_ok());
            assert_eq!(
                python_json::to_vec(&Deep(MAX_DEPTH + 1), dialect),
                Err(WriteError::TooDeep)
            );
            assert_eq!(
                python_json::to_vec(&Deep(100_000), dialect),
                Err(WriteError::TooDeep)
            );
        }
    });
}
