//! The itsdangerous 2.2 kinds: `signer`, `timestamp_signer` and the four serializers
//! (`serializer`, `timed_serializer`, `url_safe_serializer`, `url_safe_timed_serializer`).

use python_json::Value;
use sign_core::Signer;
use sign_core::{Fallback, FixedClock, MaxAge, TimestampSigner};
use sign_serde::{JsonCodec, PayloadCodec, SignedSerializer};
use sign_url::UrlSafeCodec;

use super::fields::{
    cannot_build, has_empty_key, only_params, payload_bytes, required_now, required_timestamp,
    signing_failed,
};
use super::{Family, Kind, Payload};
use crate::outcome::{Outcome, Verified};
use crate::vector_file::Case;
use crate::{apply_keys, apply_signer_settings};

pub(super) const KINDS: &[Kind] = &[
    Kind {
        name: "signer",
        payload: Payload::Bytes,
        timed: false,
        zlib: false,
        verify: verify_signer,
        sign: sign_signer,
        ..ITSDANGEROUS
    },
    Kind {
        name: "timestamp_signer",
        payload: Payload::Bytes,
        timed: true,
        zlib: false,
        verify: verify_timestamp_signer,
        sign: sign_timestamp_signer,
        ..ITSDANGEROUS
    },
    Kind {
        name: "serializer",
        verify: verify_serializer::<JsonCodec>,
        sign: sign_serializer::<JsonCodec>,
        ..ITSDANGEROUS
    },
    Kind {
        name: "timed_serializer",
        timed: true,
        verify: verify_timed_serializer::<JsonCodec>,
        sign: sign_timed_serializer::<JsonCodec>,
        ..ITSDANGEROUS
    },
    Kind {
        name: "url_safe_serializer",
        zlib: true,
        verify: verify_serializer::<UrlSafeCodec>,
        sign: sign_serializer::<UrlSafeCodec>,
        ..ITSDANGEROUS
    },
    Kind {
        name: "url_safe_timed_serializer",
        timed: true,
        zlib: true,
        verify: verify_timed_serializer::<UrlSafeCodec>,
        sign: sign_timed_serializer::<UrlSafeCodec>,
        ..ITSDANGEROUS
    },
];

/// What the kinds of this family share (the fields each kind sets differ).
const ITSDANGEROUS: Kind = Kind {
    name: "",
    family: Family::Itsdangerous,
    python_env: "main",
    payload: Payload::Json,
    timed: false,
    zlib: false,
    verify: verify_signer,
    sign: sign_signer,
};

/// The optional parameters of the signer kinds.
const SIGNER_PARAMS: &[&str] = &["salt", "sep", "key_derivation", "digest_method"];
/// The optional parameters of the serializer kinds.
const SERIALIZER_PARAMS: &[&str] = &[
    "salt",
    "sep",
    "key_derivation",
    "digest_method",
    "fallback_signers",
];

/// Python's `Signer(secret_key, salt=, sep=, key_derivation=, digest_method=)`.
fn signer(case: &Case) -> Result<Signer, String> {
    only_params(case, SIGNER_PARAMS)?;
    let p = &case.params;
    let builder = apply_keys!(Signer::builder(), &p.secret_keys, has_empty_key(p));
    apply_signer_settings!(builder, &p.signer)
        .build()
        .map_err(|e| cannot_build("signer", &e))
}

fn verify_signer(case: &Case) -> Result<Outcome, String> {
    Ok(Outcome::from_result(
        signer(case)?
            .unsign(&case.token)
            .map(|value| Verified::Bytes(value.to_vec())),
    ))
}

fn sign_signer(case: &Case) -> Result<Vec<u8>, String> {
    Ok(signer(case)?.sign(payload_bytes(case)?))
}

/// Verified with `return_timestamp=True`.
fn verify_timestamp_signer(case: &Case) -> Result<Outcome, String> {
    let signer =
        TimestampSigner::from_signer(signer(case)?).with_clock(FixedClock(required_now(case)?));
    Ok(Outcome::from_result(
        signer
            .unsign_with_timestamp(&case.token, case.max_age.map(MaxAge::from_secs))
            .map(|verified| Verified::Bytes(verified.value.to_vec())),
    ))
}

fn sign_timestamp_signer(case: &Case) -> Result<Vec<u8>, String> {
    let timestamp = required_timestamp(case)?;
    Ok(TimestampSigner::from_signer(signer(case)?).sign_at(payload_bytes(case)?, timestamp))
}

/// Python's `Serializer(secret_key, salt=, signer_kwargs=, fallback_signers=)` with the
/// payload codec `C` and the signer `S`, reading the time from `clock`.
fn serializer<C: PayloadCodec + Default, S: sign_core::SigningScheme>(
    case: &Case,
    clock: u64,
) -> Result<SignedSerializer<C, S>, String> {
    only_params(case, SERIALIZER_PARAMS)?;
    let p = &case.params;
    let builder = apply_keys!(
        SignedSerializer::<C, S>::builder(),
        &p.secret_keys,
        has_empty_key(p)
    );
    let mut builder = apply_signer_settings!(builder, &p.signer).clock(FixedClock(clock));
    for settings in p.fallback_signers.iter().flatten() {
        builder = builder.fallback(apply_signer_settings!(Fallback::new(), settings));
    }
    builder.build().map_err(|e| cannot_build("serializer", &e))
}

fn verify_serializer<C: PayloadCodec + Default>(case: &Case) -> Result<Outcome, String> {
    let serializer = serializer::<C, Signer>(case, 0)?;
    Ok(Outcome::from_result(
        serializer.loads::<Value>(&case.token).map(Verified::Json),
    ))
}

fn sign_serializer<C: PayloadCodec + Default>(case: &Case) -> Result<Vec<u8>, String> {
    serializer::<C, Signer>(case, 0)?
        .dumps_bytes(&case.payload)
        .map_err(|e| signing_failed(&e))
}

fn verify_timed_serializer<C: PayloadCodec + Default>(case: &Case) -> Result<Outcome, String> {
    let serializer = serializer::<C, TimestampSigner>(case, required_now(case)?)?;
    let loaded = match case.max_age {
        Some(max_age) => serializer.loads_max_age::<Value>(&case.token, MaxAge::from_secs(max_age)),
        None => serializer.loads::<Value>(&case.token),
    };
    Ok(Outcome::from_result(loaded.map(Verified::Json)))
}

fn sign_timed_serializer<C: PayloadCodec + Default>(case: &Case) -> Result<Vec<u8>, String> {
    let timestamp = required_timestamp(case)?;
    serializer::<C, TimestampSigner>(case, timestamp)?
        .dumps_at(&case.payload, timestamp)
        .map(String::into_bytes)
        .map_err(|e| signing_failed(&e))
}
