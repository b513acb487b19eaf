//! Random cases of the itsdangerous 2.2 kinds: keys, salts, separators, key derivations,
//! digests and fallback signers (sometimes signing with one), byte or JSON payloads, clocks
//! at the expiry boundary.

use tamperproof::{DigestMethod, KeyDerivation};
use tamperproof_vectors::kinds::{Kind, Payload};
use tamperproof_vectors::vector_file::{
    Case, Direction, Expect, Params, SignerSettings, bytes_to_json,
};

use super::{Draft, expect_at, key_list};
use crate::live::rng::Rng;
use crate::live::values::{clocks, compressible, json_payload, secret, separator, text};

/// A case of one of the six kinds.
pub(super) fn draft(rng: &mut Rng, kind: &Kind, id: String) -> Draft {
    let signer_kind = kind.payload == Payload::Bytes;
    let mut params = Params::default();
    key_list(rng, &mut params);
    if rng.chance(55) {
        params.signer.salt = Some(secret(rng));
    }
    if rng.chance(50) {
        params.signer.sep = Some(separator(rng, signer_kind));
    }
    if rng.chance(60) {
        params.signer.key_derivation = Some(rng.pick(
            &tamperproof::dangerous::ALL_KEY_DERIVATIONS,
            KeyDerivation::DjangoConcat,
        ));
    }
    if rng.chance(60) {
        params.signer.digest_method = Some(rng.pick(&DigestMethod::ALL, DigestMethod::Sha1));
    }
    if !signer_kind && rng.chance(40) {
        let count = rng.range(0, 3);
        params.fallback_signers = Some(
            (0..count)
                .map(|_| SignerSettings {
                    key_derivation: rng.chance(50).then(|| {
                        rng.pick(
                            &tamperproof::dangerous::ALL_KEY_DERIVATIONS,
                            KeyDerivation::DjangoConcat,
                        )
                    }),
                    digest_method: rng
                        .chance(50)
                        .then(|| rng.pick(&DigestMethod::ALL, DigestMethod::Sha1)),
                    salt: rng.chance(25).then(|| secret(rng)),
                    sep: rng.chance(30).then(|| separator(rng, false)),
                })
                .collect(),
        );
    }

    // Sign with one of the fallbacks now and then: the serializer must still verify it.
    let mut sign_params = params.clone();
    let mut label = "valid";
    if let Some(fallbacks) = &params.fallback_signers
        && !fallbacks.is_empty()
        && rng.chance(35)
        && let Some(fallback) = fallbacks.get(rng.index(fallbacks.len()))
    {
        sign_params.signer.key_derivation = fallback.key_derivation;
        sign_params.signer.digest_method = fallback.digest_method;
        sign_params.signer.sep.clone_from(&fallback.sep);
        if fallback.salt.is_some() {
            sign_params.signer.salt.clone_from(&fallback.salt);
        }
        sign_params.fallback_signers = None;
        label = "fallback";
    }

    let payload = if signer_kind {
        bytes_to_json(&signer_payload(rng, params.signer.sep.as_deref()))
    } else {
        json_payload(rng, kind.zlib)
    };

    let (timestamp, now, max_age) = if kind.timed {
        let (timestamp, now, max_age) = clocks(rng);
        (Some(timestamp), Some(now), max_age)
    } else {
        (None, None, None)
    };
    let expect = match (timestamp, now) {
        (Some(timestamp), Some(now)) => expect_at(timestamp, now, max_age),
        _ => Expect::Ok,
    };
    Draft {
        case: Case {
            id,
            kind: kind.name.to_owned(),
            params,
            payload,
            token: Vec::new(),
            timestamp,
            now,
            max_age,
            expect,
            direction: Direction::Verify,
        },
        sign_params,
        label,
    }
}

fn signer_payload(rng: &mut Rng, sep: Option<&[u8]>) -> Vec<u8> {
    let mut bytes = match rng.below(6) {
        0 => Vec::new(),
        1 | 2 => text(rng, 12).into_bytes(),
        3 => compressible(rng).into_bytes(),
        _ => (0..rng.range(1, 80))
            .map(|_| u8::try_from(rng.below(256)).unwrap_or(0))
            .collect(),
    };
    if rng.chance(25) {
        // The separator inside the value: both sides split at the last one.
        bytes.extend_from_slice(sep.unwrap_or(b"."));
        bytes.extend_from_slice(b"x");
    }
    bytes
}
