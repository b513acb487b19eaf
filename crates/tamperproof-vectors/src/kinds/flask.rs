//! The kind `flask_session`: Flask's `SecureCookieSessionInterface` serializer. `secret_key`
//! as a list is `SECRET_KEY_FALLBACKS` followed by `SECRET_KEY`; the payload is the session
//! in its tagged-JSON form. It takes no other parameter.

use sign_core::{FixedClock, KeyRing, MaxAge};
use sign_flask::{SessionSerializer, SessionValue};

use super::fields::{cannot_build, only_params, required_now, required_timestamp, signing_failed};
use super::{Family, Kind, Payload};
use crate::outcome::{Outcome, Verified};
use crate::vector_file::Case;

pub(super) const KINDS: &[Kind] = &[Kind {
    name: "flask_session",
    family: Family::Flask,
    python_env: "main",
    payload: Payload::Json,
    timed: true,
    zlib: true,
    verify,
    sign,
}];

fn sessions(case: &Case, clock: u64, max_age: Option<i64>) -> Result<SessionSerializer, String> {
    only_params(case, &[])?;
    let (secret_key, fallbacks) = case
        .params
        .secret_keys
        .split_last()
        .ok_or("`secret_key` is an empty list")?;
    let mut ring = KeyRing::secret_key_with_fallbacks(secret_key, fallbacks);
    if fallbacks.iter().any(Vec::is_empty) {
        ring = ring.allow_empty_older_keys();
    }
    let mut builder = sign_flask::session_builder()
        .key_ring(ring)
        .clock(FixedClock(clock));
    builder = match max_age {
        Some(max_age) => builder.max_age(MaxAge::from_secs(max_age)),
        None => builder.no_max_age(),
    };
    builder
        .build()
        .map_err(|e| cannot_build("session serializer", &e))
}

fn verify(case: &Case) -> Result<Outcome, String> {
    let sessions = sessions(case, required_now(case)?, case.max_age)?;
    Ok(Outcome::from_result(
        sessions
            .loads::<SessionValue>(&case.token)
            .map(|value| Verified::Json(value.to_tagged_json())),
    ))
}

fn sign(case: &Case) -> Result<Vec<u8>, String> {
    let timestamp = required_timestamp(case)?;
    let value = SessionValue::from_tagged_json(case.payload.clone())
        .map_err(|e| format!("the payload is not a tagged session: {e}"))?;
    sessions(case, timestamp, None)?
        .dumps_at(&value, timestamp)
        .map(String::into_bytes)
        .map_err(|e| signing_failed(&e))
}
