//! Every keyless decoder of the workspace, as one uniform list for the measurements.

use serde_json::Value;
use sign_serde::dangerous::KeylessLimits;

use crate::shapes;

/// What a keyless call gave.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Outcome {
    /// A decoded value.
    Value,
    /// `(false, None)` or a rejected payload.
    Nothing,
}

/// Decodes one token.
pub type Run = Box<dyn Fn(&[u8]) -> Outcome>;

/// A keyless entry point: its name, the JSON size that keeps its token at most 4 KB, how
/// it makes its token from JSON, and the call.
pub struct Entry {
    /// The entry point.
    pub name: &'static str,
    /// JSON size that keeps the token at most 4 KB (compressed entry points: about 1 MiB).
    pub json_size: usize,
    /// Builds the unsigned token carrying a JSON text.
    pub token: fn(&[u8]) -> Vec<u8>,
    /// The call under measurement.
    pub run: Run,
}

fn outcome<T, E>(result: Result<Option<T>, E>) -> Outcome {
    match result {
        Ok(Some(_)) => Outcome::Value,
        _ => Outcome::Nothing,
    }
}

/// JSON text of about this size inflates from a zlib payload that fits a 4 KB token.
pub const COMPRESSED_JSON_SIZE: usize = 1_048_000;

/// Every keyless entry point, with default limits.
///
/// # Panics
/// Never: the serializers are built with a fixed non-empty key.
#[must_use]
#[allow(clippy::expect_used)]
pub fn entries() -> Vec<Entry> {
    let serializer = sign_serde::Serializer::new("k").expect("builds");
    let url_safe = sign_url::UrlSafeSerializer::new("k").expect("builds");
    let url_safe_timed = sign_url::UrlSafeTimedSerializer::new("k").expect("builds");
    let jws = sign_jws::TimedJwsSerializer::new("k").expect("builds");
    vec![
        Entry {
            name: "Serializer loads_unsafe",
            json_size: 4000,
            token: shapes::serializer_token,
            run: Box::new(move |t| {
                outcome(
                    sign_serde::dangerous::loads_unsafe::<Value, _, _>(&serializer, t, None, None)
                        .map(|(_, v)| v),
                )
            }),
        },
        Entry {
            name: "URLSafeSerializer loads_unsafe",
            json_size: COMPRESSED_JSON_SIZE,
            token: shapes::url_safe_token,
            run: Box::new(move |t| {
                outcome(
                    sign_serde::dangerous::loads_unsafe::<Value, _, _>(&url_safe, t, None, None)
                        .map(|(_, v)| v),
                )
            }),
        },
        Entry {
            name: "URLSafeTimedSerializer loads_unsafe",
            json_size: COMPRESSED_JSON_SIZE,
            token: shapes::url_safe_timed_token,
            run: Box::new(move |t| {
                outcome(
                    sign_serde::dangerous::loads_unsafe::<Value, _, _>(
                        &url_safe_timed,
                        t,
                        None,
                        None,
                    )
                    .map(|(_, v)| v),
                )
            }),
        },
        Entry {
            name: "TimedJws loads_unsafe",
            json_size: 2900,
            token: shapes::jws_token,
            run: Box::new(move |t| {
                outcome(
                    sign_serde::dangerous::loads_unsafe::<Value, _, _>(&jws, t, None, None)
                        .map(|(_, v)| v),
                )
            }),
        },
        Entry {
            name: "sign_url decode_unverified_json + parse",
            json_size: COMPRESSED_JSON_SIZE,
            token: shapes::url_safe_token,
            run: Box::new(|t| {
                outcome(
                    sign_url::dangerous::decode_unverified_json(t, b".", &KeylessLimits::new())
                        .map(|text| serde_json::from_slice::<Value>(&text).ok()),
                )
            }),
        },
        Entry {
            name: "Flask decode_unverified",
            json_size: COMPRESSED_JSON_SIZE,
            token: shapes::url_safe_timed_token,
            run: Box::new(|t| {
                outcome(
                    sign_flask::dangerous::decode_unverified(t, &KeylessLimits::new()).map(Some),
                )
            }),
        },
    ]
}
