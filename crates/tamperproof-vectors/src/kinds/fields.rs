//! Reading what a kind needs from a case: the times, the payload as bytes, and the
//! parameters only some kinds take (checked against the kind's list).

use python_json::Value;

use crate::outcome::Outcome;
use crate::vector_file::{Case, Params, bytes_from_json};

/// Fails on any parameter the case's kind does not take (Python would raise `TypeError`).
/// `secret_key` is always taken.
pub(super) fn only_params(case: &Case, allowed: &[&str]) -> Result<(), String> {
    match case.params.names().find(|name| !allowed.contains(name)) {
        Some(name) => Err(format!(
            "unsupported parameter `{name}` for kind {}",
            case.kind
        )),
        None => Ok(()),
    }
}

/// Whether any of the keys is empty (the builders refuse those unless told otherwise).
pub(super) fn has_empty_key(params: &Params) -> bool {
    params.secret_keys.iter().any(Vec::is_empty)
}

/// A string parameter of [`Params::other`].
pub(super) fn text_param<'a>(params: &'a Params, name: &str) -> Result<Option<&'a str>, String> {
    match params.other.get(name) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(format!("`{name}` is not a string")),
    }
}

/// An integer parameter of [`Params::other`].
pub(super) fn integer_param(params: &Params, name: &str) -> Result<Option<i64>, String> {
    params
        .other
        .get(name)
        .map(|value| {
            value
                .as_i64()
                .ok_or_else(|| format!("`{name}` is not an integer in range"))
        })
        .transpose()
}

pub(super) fn payload_bytes(case: &Case) -> Result<Vec<u8>, String> {
    bytes_from_json(&case.payload).map_err(|e| format!("`payload`: {e}"))
}

pub(super) fn required_now(case: &Case) -> Result<u64, String> {
    case.now
        .ok_or_else(|| format!("kind {} needs `now`", case.kind))
}

pub(super) fn required_timestamp(case: &Case) -> Result<u64, String> {
    case.timestamp
        .ok_or_else(|| format!("kind {} needs `timestamp` to sign", case.kind))
}

/// A signing failure, with the Python class.
pub(super) fn signing_failed(error: &sign_core::Error) -> String {
    format!("signing failed: {} ({error})", error.class_name())
}

/// A configuration the crate refuses to build.
pub(super) fn cannot_build(what: &str, error: &impl std::fmt::Display) -> String {
    format!("cannot build the {what}: {error}")
}

/// A boolean parameter of [`Params::other`].
pub(super) fn bool_param(params: &Params, name: &str) -> Result<Option<bool>, String> {
    params
        .other
        .get(name)
        .map(|value| {
            value
                .as_bool()
                .ok_or_else(|| format!("`{name}` is not a boolean"))
        })
        .transpose()
}

/// Bytes that must be text (a salt, a separator, a cookie value).
pub(super) fn text(name: &str, bytes: &[u8]) -> Result<String, String> {
    String::from_utf8(bytes.to_vec()).map_err(|_| format!("`{name}` is not text"))
}

/// The maximum age of a case.
pub(super) fn max_age(case: &Case) -> Option<sign_core::MaxAge> {
    case.max_age.map(sign_core::MaxAge::from_secs)
}

/// The outcome for a rejected token that is not text (a cookie is text).
pub(super) fn not_text() -> Outcome {
    Outcome::from_result(Err(sign_core::Error::bad_signature(
        "the cookie is not text",
    )))
}
