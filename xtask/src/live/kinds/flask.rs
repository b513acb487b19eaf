//! Random cases of `flask_session`: sessions built from every tagged type (tuples, bytes,
//! `Markup`, UUIDs, datetimes, escaped one-key dicts) around plain JSON, in tagged-JSON form.

use std::collections::BTreeMap;

use python_json::Value;
use tamperproof::flask::{HttpDate, Markup, SessionValue, TAG_KEYS, Uuid};
use tamperproof_vectors::vector_file::Params;

use super::{Draft, expect_at, key_list, maybe_rotate, plain_draft};
use crate::live::rng::Rng;
use crate::live::values::{clocks, json_value, text};

/// Flask's default `PERMANENT_SESSION_LIFETIME` (31 days).
const FLASK_MAX_AGE: i64 = 2_678_400;

/// `flask_session`: a random session in tagged-JSON form.
pub(super) fn draft(rng: &mut Rng, id: String) -> Draft {
    let mut params = Params::default();
    key_list(rng, &mut params);
    // Flask has no sessions without a SECRET_KEY; empty fallbacks are fine.
    if let Some(last) = params.secret_keys.last_mut()
        && last.is_empty()
    {
        *last = b"secret".to_vec();
    }
    let payload = session(rng).to_tagged_json();
    let mut draft = plain_draft(id, "flask_session", params, payload);
    let (timestamp, now, mut max_age) = clocks(rng);
    if rng.chance(40) {
        max_age = Some(FLASK_MAX_AGE);
    }
    draft.case.timestamp = Some(timestamp);
    draft.case.now = Some(now);
    draft.case.max_age = max_age;
    draft.case.expect = expect_at(timestamp, now, max_age);
    maybe_rotate(rng, &mut draft, |key| !key.is_empty());
    draft
}

/// A session: a dict, sometimes marked permanent.
fn session(rng: &mut Rng) -> SessionValue {
    let mut map = BTreeMap::new();
    if rng.chance(30) {
        map.insert("_permanent".to_owned(), SessionValue::Bool(true));
    }
    for _ in 0..rng.below(6) {
        map.insert(text(rng, 4), session_value(rng, 0));
    }
    SessionValue::Dict(map)
}

/// Any value Flask's tagged JSON carries.
fn session_value(rng: &mut Rng, depth: u32) -> SessionValue {
    let nested = depth < 2;
    match rng.below(14) {
        0 if nested => SessionValue::Tuple(
            (0..rng.below(5))
                .map(|_| session_value(rng, depth.saturating_add(1)))
                .collect(),
        ),
        1 if nested => SessionValue::List(
            (0..rng.below(5))
                .map(|_| session_value(rng, depth.saturating_add(1)))
                .collect(),
        ),
        2 if nested => SessionValue::Dict(
            (0..rng.below(4))
                .map(|_| (text(rng, 3), session_value(rng, depth.saturating_add(1))))
                .collect(),
        ),
        // A one-key dict whose key is a tag key: Flask escapes it with " di".
        3 if nested => {
            let key = rng.pick(&TAG_KEYS, " t").to_owned();
            let mut map = BTreeMap::new();
            map.insert(key, session_value(rng, depth.saturating_add(1)));
            SessionValue::Dict(map)
        }
        4 | 5 => SessionValue::Bytes(
            (0..rng.below(24))
                .map(|_| u8::try_from(rng.below(256)).unwrap_or(0))
                .collect(),
        ),
        6 => SessionValue::Markup(Markup::new(text(rng, 4))),
        7 => {
            let mut bytes = [0u8; 16];
            for byte in &mut bytes {
                *byte = u8::try_from(rng.below(256)).unwrap_or(0);
            }
            SessionValue::Uuid(Uuid::from_bytes(bytes))
        }
        8 | 9 => {
            // 1900 to 2100 (werkzeug reads years below 100 as 19xx/20xx), and a few edges.
            let seconds = match rng.below(4) {
                0 => rng.pick(
                    &[
                        0,
                        -1,
                        951_782_400,
                        1_308_874_145,
                        2_147_483_648,
                        4_102_444_799,
                    ],
                    0,
                ),
                _ => rng.range(0, 6_311_433_600).cast_signed() - 2_208_988_800,
            };
            HttpDate::from_unix_seconds(seconds).map_or(SessionValue::Null, SessionValue::DateTime)
        }
        _ => plain_session_value(json_value(rng, 2)),
    }
}

/// A plain JSON value as the session holds it (objects as dicts, never untagged).
fn plain_session_value(value: Value) -> SessionValue {
    match value {
        Value::Null => SessionValue::Null,
        Value::Bool(b) => SessionValue::Bool(b),
        Value::Number(n) => SessionValue::Number(n),
        Value::String(s) => SessionValue::String(s),
        Value::Array(items) => {
            SessionValue::List(items.into_iter().map(plain_session_value).collect())
        }
        Value::Object(map) => SessionValue::Dict(
            map.into_iter()
                .map(|(k, v)| (k, plain_session_value(v)))
                .collect(),
        ),
        _ => SessionValue::Null,
    }
}
