//! Random cases of `jws` and `timed_jws`: tokens without extra header fields (HS256/384/512
//! and `none`, salts, `expires_in`, key lists), any JSON payload, and their tampers.

use python_json::Value;
use tamperproof::ErrorKind;
use tamperproof_vectors::kinds::Kind;
use tamperproof_vectors::vector_file::{Case, Expect, Params};

use super::{Draft, key_list, maybe_rotate, plain_draft};
use crate::live::rng::Rng;
use crate::live::tamper::{flip_base64, rfind, truncation};
use crate::live::values::{json_value, secret, timestamp};

/// itsdangerous 2.0.1's algorithm names.
const JWS_ALGORITHMS: &[&str] = &["HS256", "HS384", "HS512", "none"];

/// Lifetimes of timed JWS tokens, in seconds.
const JWS_EXPIRES_IN: &[i64] = &[0, 1, 10, 60, 3600, 86_400, 2_678_400];

/// itsdangerous 2.0.1's `DEFAULT_EXPIRES_IN`.
const JWS_DEFAULT_EXPIRES_IN: u64 = 3600;

/// `jws` / `timed_jws`: tokens without extra header fields, any JSON payload.
pub(super) fn draft(rng: &mut Rng, kind: &Kind, id: String) -> Draft {
    let mut params = Params::default();
    key_list(rng, &mut params);
    if rng.chance(40) {
        params.signer.salt = Some(secret(rng));
    }
    if rng.chance(75) {
        let algorithm = rng.pick(JWS_ALGORITHMS, "HS512");
        params
            .other
            .insert("algorithm_name".to_owned(), Value::from(algorithm));
    }
    let timed = kind.timed;
    let mut lifetime = JWS_DEFAULT_EXPIRES_IN;
    if timed && rng.chance(70) {
        let expires_in = if rng.chance(80) {
            rng.pick(JWS_EXPIRES_IN, 3600)
        } else {
            rng.range(1, 1_000_000).cast_signed()
        };
        lifetime = expires_in.unsigned_abs();
        params
            .other
            .insert("expires_in".to_owned(), Value::from(expires_in));
    }
    let payload = json_value(rng, 0);
    let mut draft = plain_draft(id, kind.name, params, payload);
    if timed {
        let timestamp = timestamp(rng);
        let expires = timestamp.saturating_add(lifetime);
        let now = match rng.below(6) {
            0 => timestamp,
            1 => expires,
            2 => expires.saturating_add(1),
            3 => timestamp.saturating_add(rng.range(0, lifetime.saturating_mul(2) + 2)),
            // Signed in the future: itsdangerous 2.0.1 does not mind.
            4 => timestamp.saturating_sub(rng.range(1, 1_000_000)),
            _ => timestamp.saturating_add(rng.range(0, 4000)),
        };
        draft.case.timestamp = Some(timestamp);
        draft.case.now = Some(now);
        if expires < now {
            draft.case.expect = Expect::Error(ErrorKind::SignatureExpired);
        }
    }
    draft.sign_params = draft.case.params.clone();
    maybe_rotate(rng, &mut draft, |_| true);
    draft
}

/// `header.payload.signature`: one canonical flip per field, then a truncation. With the
/// `none` algorithm nothing protects the payload (a flip there may well verify), and a timed
/// header's `iat`/`exp` digits are as unprotected, so those fields are left alone.
pub(super) fn tampers(rng: &mut Rng, case: &Case) -> Vec<(&'static str, Vec<u8>)> {
    let mut out = Vec::new();
    let token = &case.token;
    let unprotected = case.params.other.get("algorithm_name") == Some(&Value::from("none"));
    let first = token.iter().position(|b| *b == b'.');
    let last = rfind(token, b".");
    if let (Some(first), Some(last)) = (first, last)
        && first < last
    {
        let fields = [
            ("tamper-sig", last.saturating_add(1)..token.len(), true),
            (
                "tamper-payload",
                first.saturating_add(1)..last,
                !unprotected,
            ),
            (
                "tamper-header",
                0..first,
                !unprotected || case.kind == "jws",
            ),
        ];
        for (label, field, wanted) in fields {
            let mut t = token.clone();
            if wanted && flip_base64(rng, &mut t, field) {
                out.push((label, t));
            }
        }
    }
    out.extend(truncation(rng, token));
    out
}
