//! The Django 5.2 kinds: `django_signer`, `django_timestamp_signer` (`signing.Signer` /
//! `TimestampSigner`), `django_signing` (`signing.dumps` / `loads`), `django_signed_cookie`
//! (`set_signed_cookie` / `get_signed_cookie`) and `django_session` (the `signed_cookies`
//! session backend), run through sign-django.
//!
//! Parameters: `salt` and `sep` (signers, `salt` for `signing` and cookies), `algorithm`
//! (signers: the digest of key derivation and HMAC), `compress` (`django_signing`),
//! `cookie_name` and `legacy_salt_fallback` (`django_signed_cookie`).

use python_json::Value;
use sign_core::{DigestMethod, Error, FixedClock, Signer};
use sign_django::{
    DjangoSigningSerializer, DjangoTimestampSigner, SIGNER_SALT, SignedCookie,
    TIMESTAMP_SIGNER_SALT, build_signer, session_builder, signer_builder, signing_builder,
    timestamp_signer_builder,
};

use super::fields::{
    bool_param, cannot_build, max_age, not_text, only_params, payload_bytes, required_now,
    required_timestamp, signing_failed, text, text_param,
};
use super::{Family, Kind, Payload};
use crate::outcome::{Outcome, Verified};
use crate::vector_file::{Case, Params};

pub(super) const KINDS: &[Kind] = &[
    Kind {
        name: "django_signer",
        payload: Payload::Bytes,
        timed: false,
        verify: verify_signer,
        sign: sign_signer,
        ..DJANGO
    },
    Kind {
        name: "django_timestamp_signer",
        payload: Payload::Bytes,
        verify: verify_timestamp_signer,
        sign: sign_timestamp_signer,
        ..DJANGO
    },
    Kind {
        name: "django_signing",
        zlib: true,
        verify: verify_signing,
        sign: sign_signing,
        ..DJANGO
    },
    Kind {
        name: "django_signed_cookie",
        payload: Payload::Bytes,
        verify: verify_cookie,
        sign: sign_cookie,
        ..DJANGO
    },
    Kind {
        name: "django_session",
        zlib: true,
        verify: verify_session,
        sign: sign_session,
        ..DJANGO
    },
];

/// What the kinds of this family share.
const DJANGO: Kind = Kind {
    name: "",
    family: Family::Django,
    python_env: "django",
    payload: Payload::Json,
    timed: true,
    zlib: false,
    verify: verify_signer,
    sign: sign_signer,
};

/// Django's `salt or default`.
fn salt_or(p: &Params, default: &str) -> Result<String, String> {
    match &p.signer.salt {
        Some(salt) if !salt.is_empty() => text("salt", salt),
        _ => Ok(default.to_owned()),
    }
}

fn signer(case: &Case, timed: bool) -> Result<Signer, String> {
    only_params(case, &["salt", "sep", "algorithm"])?;
    let p = &case.params;
    let (builder, default_salt) = if timed {
        (timestamp_signer_builder(), TIMESTAMP_SIGNER_SALT)
    } else {
        (signer_builder(), SIGNER_SALT)
    };
    let mut builder = builder.keys(&p.secret_keys).salt(salt_or(p, default_salt)?);
    if let Some(sep) = &p.signer.sep {
        builder = builder.separator(text("sep", sep)?);
    }
    if let Some(algorithm) = text_param(p, "algorithm")? {
        let digest: DigestMethod = algorithm
            .parse()
            .map_err(|_| format!("unknown algorithm {algorithm:?}"))?;
        builder = builder.digest(digest);
    }
    build_signer(&builder).map_err(|e| cannot_build("signer", &e))
}

fn timestamp_signer(case: &Case, clock: u64) -> Result<DjangoTimestampSigner, String> {
    Ok(
        DjangoTimestampSigner::from_signer_with_format(signer(case, true)?, sign_core::Django)
            .with_clock(FixedClock(clock)),
    )
}

fn bytes_outcome(result: Result<&[u8], Error>) -> Outcome {
    Outcome::from_result(result.map(|value| Verified::Bytes(value.to_vec())))
}

fn verify_signer(case: &Case) -> Result<Outcome, String> {
    Ok(bytes_outcome(signer(case, false)?.unsign(&case.token)))
}

fn sign_signer(case: &Case) -> Result<Vec<u8>, String> {
    Ok(signer(case, false)?.sign(payload_bytes(case)?))
}

fn verify_timestamp_signer(case: &Case) -> Result<Outcome, String> {
    let signer = timestamp_signer(case, required_now(case)?)?;
    Ok(bytes_outcome(
        signer
            .unsign_with_timestamp(&case.token, max_age(case))
            .map(|verified| verified.value),
    ))
}

fn sign_timestamp_signer(case: &Case) -> Result<Vec<u8>, String> {
    let at = required_timestamp(case)?;
    Ok(timestamp_signer(case, at)?.sign_at(payload_bytes(case)?, at))
}

/// `signing.dumps` / `loads` (`session: false`) or the `signed_cookies` backend (the same with
/// its salt and `compress=True`).
fn serializer(case: &Case, clock: u64, session: bool) -> Result<DjangoSigningSerializer, String> {
    let p = &case.params;
    let builder = if session {
        only_params(case, &[])?;
        session_builder()
    } else {
        only_params(case, &["salt", "compress"])?;
        let builder = signing_builder(bool_param(p, "compress")?.unwrap_or(false));
        match &p.signer.salt {
            // `loads(salt="")` gives TimestampSigner(salt="") its class default.
            Some(salt) if salt.is_empty() => builder.salt(TIMESTAMP_SIGNER_SALT),
            Some(salt) => builder.salt(text("salt", salt)?),
            None => builder,
        }
    };
    builder
        .keys(&p.secret_keys)
        .clock(FixedClock(clock))
        .build()
        .map_err(|e| cannot_build("serializer", &e))
}

fn verify_serialized(case: &Case, session: bool) -> Result<Outcome, String> {
    let serializer = serializer(case, required_now(case)?, session)?;
    let result: Result<Value, Error> = match max_age(case) {
        Some(max_age) => serializer.loads_max_age(&case.token, max_age),
        None => serializer.loads(&case.token),
    };
    Ok(Outcome::from_result(result.map(Verified::Json)))
}

fn sign_serialized(case: &Case, session: bool) -> Result<Vec<u8>, String> {
    let at = required_timestamp(case)?;
    serializer(case, at, session)?
        .dumps_at(&case.payload, at)
        .map(String::into_bytes)
        .map_err(|e| signing_failed(&e))
}

fn verify_signing(case: &Case) -> Result<Outcome, String> {
    verify_serialized(case, false)
}

fn sign_signing(case: &Case) -> Result<Vec<u8>, String> {
    sign_serialized(case, false)
}

fn verify_session(case: &Case) -> Result<Outcome, String> {
    verify_serialized(case, true)
}

fn sign_session(case: &Case) -> Result<Vec<u8>, String> {
    sign_serialized(case, true)
}

fn cookie(case: &Case, clock: u64) -> Result<SignedCookie, String> {
    only_params(case, &["salt", "cookie_name", "legacy_salt_fallback"])?;
    let p = &case.params;
    let name = text_param(p, "cookie_name")?.ok_or("`cookie_name` is required")?;
    let salt = match &p.signer.salt {
        Some(salt) => text("salt", salt)?,
        None => String::new(),
    };
    Ok(SignedCookie::new(&p.secret_keys, name, &salt)
        .map_err(|e| cannot_build("cookie signer", &e))?
        .legacy_salt_fallback(bool_param(p, "legacy_salt_fallback")?.unwrap_or(true))
        .with_clock(FixedClock(clock)))
}

fn verify_cookie(case: &Case) -> Result<Outcome, String> {
    let cookie = cookie(case, required_now(case)?)?;
    let Ok(token) = std::str::from_utf8(&case.token) else {
        return Ok(not_text());
    };
    Ok(bytes_outcome(
        cookie.unsign(token, max_age(case)).map(str::as_bytes),
    ))
}

fn sign_cookie(case: &Case) -> Result<Vec<u8>, String> {
    let at = required_timestamp(case)?;
    let value = text("payload", &payload_bytes(case)?)?;
    Ok(cookie(case, at)?.sign_at(&value, at).into_bytes())
}
