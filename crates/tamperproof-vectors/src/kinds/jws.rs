//! The itsdangerous 2.0.1 kinds `jws` and `timed_jws` (`JSONWebSignatureSerializer`,
//! `TimedJSONWebSignatureSerializer`). Tokens carry no extra header fields; a timed token's
//! `iat` is the case's `timestamp`. Their own parameters: `algorithm_name` and, for
//! `timed_jws`, `expires_in`.

use python_json::Value;
use sign_core::FixedClock;
use sign_jws::dangerous::algorithm_from_name;
use sign_jws::{JwsSerializer, TimedJwsSerializer};

use super::fields::{
    cannot_build, has_empty_key, integer_param, only_params, required_now, required_timestamp,
    signing_failed, text_param,
};
use super::{Family, Kind, Payload};
use crate::apply_keys;
use crate::outcome::{Outcome, Verified};
use crate::vector_file::{Case, Params};

pub(super) const KINDS: &[Kind] = &[
    Kind {
        name: "jws",
        family: Family::Jws,
        python_env: "jws",
        payload: Payload::Json,
        timed: false,
        zlib: false,
        verify: verify_untimed,
        sign: sign_untimed,
    },
    Kind {
        name: "timed_jws",
        family: Family::Jws,
        python_env: "jws",
        payload: Payload::Json,
        timed: true,
        zlib: false,
        verify: verify_timed,
        sign: sign_timed,
    },
];

/// The `algorithm_name` parameter, when set.
fn algorithm_name(params: &Params) -> Result<Option<&str>, String> {
    text_param(params, "algorithm_name")
}

/// Keys, salt and algorithm: what both serializers take. A macro, because the two builders
/// are different types with the same methods.
macro_rules! configured {
    ($builder:expr, $case:expr) => {{
        let case: &Case = $case;
        let p = &case.params;
        if case.max_age.is_some() {
            return Err(format!("`max_age` does not apply to kind {}", case.kind));
        }
        let mut builder = apply_keys!($builder, &p.secret_keys, has_empty_key(p));
        if let Some(salt) = &p.signer.salt {
            builder = builder.salt(salt);
        }
        if let Some(name) = algorithm_name(p)? {
            let algorithm = algorithm_from_name(name)
                .map_err(|e| format!("unsupported algorithm_name {name:?}: {e}"))?;
            builder = builder.map_codec(|codec| codec.with_algorithm(algorithm));
        }
        builder
    }};
}

fn untimed(case: &Case) -> Result<JwsSerializer, String> {
    only_params(case, &["salt", "algorithm_name"])?;
    configured!(JwsSerializer::builder(), case)
        .build()
        .map_err(|e| cannot_build("serializer", &e))
}

fn timed(case: &Case, clock: u64) -> Result<TimedJwsSerializer, String> {
    only_params(case, &["salt", "algorithm_name", "expires_in"])?;
    let mut builder = configured!(TimedJwsSerializer::builder(), case).clock(FixedClock(clock));
    if let Some(expires_in) = integer_param(&case.params, "expires_in")? {
        let expires_in = u64::try_from(expires_in)
            .map_err(|_| format!("unsupported expires_in {expires_in}: negative"))?;
        builder = builder.map_codec(|codec| codec.with_expires_in(expires_in));
    }
    builder.build().map_err(|e| cannot_build("serializer", &e))
}

fn verify_untimed(case: &Case) -> Result<Outcome, String> {
    let loaded = untimed(case)?.loads::<Value>(&case.token);
    Ok(Outcome::from_result(loaded.map(Verified::Json)))
}

fn sign_untimed(case: &Case) -> Result<Vec<u8>, String> {
    untimed(case)?
        .dumps(&case.payload)
        .map(String::into_bytes)
        .map_err(|e| signing_failed(&e))
}

fn verify_timed(case: &Case) -> Result<Outcome, String> {
    let loaded = timed(case, required_now(case)?)?.loads::<Value>(&case.token);
    Ok(Outcome::from_result(loaded.map(Verified::Json)))
}

fn sign_timed(case: &Case) -> Result<Vec<u8>, String> {
    timed(case, required_timestamp(case)?)?
        .dumps(&case.payload)
        .map(String::into_bytes)
        .map_err(|e| signing_failed(&e))
}
