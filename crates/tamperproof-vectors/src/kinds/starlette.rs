//! The kind `starlette_session`: Starlette's (and FastAPI's) `SessionMiddleware` cookie, run
//! through sign-starlette. `secret_key` is one key; it takes no other parameter.

use python_json::Value;
use sign_core::FixedClock;
use sign_starlette::{StarletteSessions, session_builder};

use super::fields::{
    cannot_build, max_age, not_text, only_params, required_now, required_timestamp, signing_failed,
};
use super::{Family, Kind, Payload};
use crate::outcome::{Outcome, Verified};
use crate::vector_file::Case;

pub(super) const KINDS: &[Kind] = &[Kind {
    name: "starlette_session",
    family: Family::Starlette,
    python_env: "django",
    payload: Payload::Json,
    timed: true,
    zlib: false,
    verify,
    sign,
}];

fn sessions(case: &Case, clock: u64) -> Result<StarletteSessions, String> {
    only_params(case, &[])?;
    let [key] = case.params.secret_keys.as_slice() else {
        return Err("`secret_key` must be one key".to_owned());
    };
    let builder = session_builder().key(key).clock(FixedClock(clock));
    let builder = match max_age(case) {
        Some(age) => builder.max_age(age),
        None => builder.no_max_age(),
    };
    let serializer = builder
        .build()
        .map_err(|e| cannot_build("serializer", &e))?;
    Ok(StarletteSessions::from_serializer(serializer))
}

fn verify(case: &Case) -> Result<Outcome, String> {
    let sessions = sessions(case, required_now(case)?)?;
    let Ok(token) = std::str::from_utf8(&case.token) else {
        return Ok(not_text());
    };
    Ok(Outcome::from_result(
        sessions
            .loads(token)
            .map(|session| Verified::Json(Value::Object(session))),
    ))
}

fn sign(case: &Case) -> Result<Vec<u8>, String> {
    let at = required_timestamp(case)?;
    let Value::Object(session) = &case.payload else {
        return Err("a Starlette session is a JSON object".to_owned());
    };
    sessions(case, at)?
        .dumps_at(session, at)
        .map(String::into_bytes)
        .map_err(|e| signing_failed(&e))
}
