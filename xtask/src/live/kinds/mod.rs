//! Random cases for the live check, one module per family of kinds (as the kind registry
//! groups them): each makes a [`Draft`] of a kind and the tampered variants of a signed token.
//! Adding a family is one module and one arm in [`draft`] and [`tampers`].

mod flask;
mod frameworks;
mod itsdangerous;
mod jws;

use python_json::Value;
use tamperproof::ErrorKind;
use tamperproof_vectors::kinds::{Family, Kind};
use tamperproof_vectors::vector_file::{Case, Direction, Expect, Params};

use super::rng::Rng;
use super::values::secret;

/// A random case of a kind, not yet signed: the parameters to verify with, the parameters
/// to sign with (another configuration when it signs with a fallback or an older key) and
/// the expected outcome.
pub(crate) struct Draft {
    pub(crate) case: Case,
    pub(crate) sign_params: Params,
    pub(crate) label: &'static str,
}

/// A random case of `kind`, named `id`.
pub(crate) fn draft(rng: &mut Rng, kind: &Kind, id: String) -> Result<Draft, String> {
    match kind.family {
        Family::Itsdangerous => Ok(itsdangerous::draft(rng, kind, id)),
        Family::Jws => Ok(jws::draft(rng, kind, id)),
        Family::Flask => Ok(flask::draft(rng, id)),
        Family::Django | Family::Starlette => Ok(frameworks::draft(rng, kind.name, id)),
        _ => Err(format!("no random cases for kind {}", kind.name)),
    }
}

/// Tampered variants of a signed case of `kind`: `(label, token)`. `sep` is the separator
/// it was signed with.
pub(crate) fn tampers(
    rng: &mut Rng,
    kind: &Kind,
    case: &Case,
    sep: &[u8],
) -> Vec<(&'static str, Vec<u8>)> {
    match kind.family {
        Family::Jws => jws::tampers(rng, case),
        Family::Django | Family::Starlette => frameworks::tampers(rng, case),
        _ => super::tamper::separated_tampers(rng, &case.token, sep, kind.timed, kind.zlib),
    }
}

/// A draft of a plain case: no separator, no timestamp unless given.
fn plain_draft(id: String, kind: &str, params: Params, payload: Value) -> Draft {
    Draft {
        sign_params: params.clone(),
        case: Case {
            id,
            kind: kind.to_owned(),
            params,
            payload,
            token: Vec::new(),
            timestamp: None,
            now: None,
            max_age: None,
            expect: Expect::Ok,
            direction: Direction::Verify,
        },
        label: "valid",
    }
}

/// One key, or a list of one to four keys (oldest first).
fn key_list(rng: &mut Rng, params: &mut Params) {
    let key_count = if rng.chance(65) { 1 } else { rng.range(1, 4) };
    params.secret_key_is_list = key_count > 1 || rng.chance(10);
    params.secret_keys = (0..key_count).map(|_| secret(rng)).collect();
}

/// Now and then, signs with an older key of the list (cut there: its last key signs). Every
/// key verifies, so the case is still valid. `usable` says which keys can sign.
fn maybe_rotate(rng: &mut Rng, draft: &mut Draft, usable: impl Fn(&[u8]) -> bool) {
    let keys = &draft.case.params.secret_keys;
    let older: Vec<usize> = (0..keys.len().saturating_sub(1))
        .filter(|&i| keys.get(i).is_some_and(|k| usable(k)))
        .collect();
    if older.is_empty() || !rng.chance(35) {
        return;
    }
    let Some(&cut) = older.get(rng.index(older.len())) else {
        return;
    };
    draft.sign_params.secret_keys = keys.get(..=cut).unwrap_or_default().to_vec();
    draft.sign_params.secret_key_is_list = true;
    draft.label = "rotation";
}

/// `SignatureExpired` when the token is older than `max_age` or signed in the future (as
/// itsdangerous 2.2 judges), else `ok`.
fn expect_at(timestamp: u64, now: u64, max_age: Option<i64>) -> Expect {
    let age = i128::from(now) - i128::from(timestamp);
    match max_age {
        Some(max_age) if age > i128::from(max_age) || age < 0 => {
            Expect::Error(ErrorKind::SignatureExpired)
        }
        _ => Expect::Ok,
    }
}
