//! Random cases of the Django 5.2 kinds (`django_signer`, `django_timestamp_signer`,
//! `django_signing`, `django_signed_cookie`, `django_session`) and of `starlette_session`,
//! and their tampered tokens. Their reference is `xtask/python/live_frameworks.py` in
//! target/venv/django.

use python_json::{Map, Value};
use tamperproof::{DigestMethod, ErrorKind};
use tamperproof_vectors::vector_file::{Case, Direction, Expect, Params, bytes_to_json};

use super::Draft;
use crate::live::rng::Rng;
use crate::live::tamper::rfind;
use crate::live::values::{json_payload, text, timestamp};

/// Separators Django and the engine both accept.
const SEPS: &[&str] = &[
    ":", "|", "~", "!", "$", "*", ",", ";", "/", "+", "#", "@", ".", " ", "é",
];
const SALTS: &[&str] = &[
    "",
    "activate",
    "sa\u{ef}t",
    "\u{1f511}",
    "a:b",
    "django.core.signing",
];
const COOKIE_NAMES: &[&str] = &["sessionid", "theme", "a", "ab", "b", "with.dot"];
const SESSION_AGE: i64 = 1_209_600;

fn key(rng: &mut Rng) -> Vec<u8> {
    let mut key = text(rng, 8).into_bytes();
    if key.is_empty() {
        key = b"django-insecure-key".to_vec();
    }
    key
}

fn keys(rng: &mut Rng, params: &mut Params) {
    let count = if rng.chance(60) { 1 } else { rng.range(2, 3) };
    params.secret_key_is_list = count > 1;
    params.secret_keys = (0..count).map(|_| key(rng)).collect();
}

/// A random case of a Django or Starlette kind.
pub(super) fn draft(rng: &mut Rng, kind: &str, id: String) -> Draft {
    let mut params = Params::default();
    keys(rng, &mut params);
    let salt = |rng: &mut Rng| rng.pick(SALTS, "").as_bytes().to_vec();
    match kind {
        "django_signer" | "django_timestamp_signer" => {
            if rng.chance(40) {
                params.signer.salt = Some(salt(rng));
            }
            if rng.chance(30) {
                params.signer.sep = Some(rng.pick(SEPS, ":").as_bytes().to_vec());
            }
            if rng.chance(50) {
                let digest = rng.pick(&DigestMethod::ALL, DigestMethod::Sha256);
                params
                    .other
                    .insert("algorithm".to_owned(), Value::from(digest.name()));
            }
        }
        "django_signing" => {
            if rng.chance(40) {
                params.signer.salt = Some(salt(rng));
            }
            if rng.chance(60) {
                params
                    .other
                    .insert("compress".to_owned(), Value::from(rng.chance(60)));
            }
        }
        "django_signed_cookie" => {
            params.other.insert(
                "cookie_name".to_owned(),
                Value::from(rng.pick(COOKIE_NAMES, "a")),
            );
            if rng.chance(50) {
                params.signer.salt = Some(salt(rng));
            }
            if rng.chance(30) {
                params.other.insert(
                    "legacy_salt_fallback".to_owned(),
                    Value::from(rng.chance(50)),
                );
            }
        }
        "starlette_session" => {
            params.secret_key_is_list = false;
            params.secret_keys.truncate(1);
        }
        _ => {}
    }
    let payload = match kind {
        "django_session" | "starlette_session" => {
            let mut session = Map::new();
            for _ in 0..rng.range(1, 5) {
                session.insert(text(rng, 3), json_payload(rng, kind == "django_session"));
            }
            Value::Object(session)
        }
        "django_signing" => json_payload(rng, true),
        _ => bytes_to_json(text(rng, 12).as_bytes()),
    };
    let timed = kind != "django_signer";
    let (timestamp, now, max_age) = if timed {
        let signed = timestamp(rng).min(4_102_444_800);
        let age: i64 = match rng.below(5) {
            0 => 0,
            1 => -rng.range(1, 1000).cast_signed(),
            2 => rng.range(0, 3_000_000).cast_signed(),
            _ => rng.range(0, 100).cast_signed(),
        };
        let now = signed.checked_add_signed(age).unwrap_or(signed);
        let max_age = match kind {
            "django_session" => Some(SESSION_AGE),
            "starlette_session" if rng.chance(80) => Some(SESSION_AGE),
            _ if rng.chance(30) => None,
            _ => Some(rng.range(0, 200).cast_signed()),
        };
        (Some(signed), Some(now), max_age)
    } else {
        (None, None, None)
    };
    let expired = match (timestamp, now, max_age) {
        (Some(signed), Some(now), Some(max_age)) => {
            let age = i128::from(now) - i128::from(signed);
            // Django accepts the future; itsdangerous (Starlette) does not.
            age > i128::from(max_age) || (kind == "starlette_session" && age < 0)
        }
        _ => false,
    };
    let mut sign_params = params.clone();
    let mut label = "valid";
    if params.secret_keys.len() > 1 && rng.chance(40) {
        let cut = rng.index(params.secret_keys.len().saturating_sub(1));
        sign_params.secret_keys.truncate(cut.saturating_add(1));
        label = "rotation";
    }
    Draft {
        case: Case {
            id,
            kind: kind.to_owned(),
            params,
            payload,
            token: Vec::new(),
            timestamp,
            now,
            max_age,
            expect: if expired {
                Expect::Error(ErrorKind::SignatureExpired)
            } else {
                Expect::Ok
            },
            direction: Direction::Verify,
        },
        sign_params,
        label,
    }
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Another base64 character at `at` (the first character of a field is always canonical).
fn flip(rng: &mut Rng, token: &[u8], at: usize) -> Option<Vec<u8>> {
    let old = *token.get(at)?;
    if !old.is_ascii() {
        return None;
    }
    let mut out = token.to_vec();
    let mut new = old;
    while new == old {
        new = *B64.get(rng.index(B64.len()))?;
    }
    *out.get_mut(at)? = new;
    Some(out)
}

/// Tampered tokens of a Django or Starlette kind: the first character of the signature, of
/// the time and of the payload changed (canonical for every decoder), and a truncation at a
/// character boundary (both frameworks read cookies as text).
pub(super) fn tampers(rng: &mut Rng, case: &Case) -> Vec<(&'static str, Vec<u8>)> {
    let sep: &[u8] = match (case.kind.as_str(), &case.params.signer.sep) {
        ("starlette_session", _) => b".",
        ("django_signer" | "django_timestamp_signer", Some(sep)) => sep,
        _ => b":",
    };
    let token = &case.token;
    let mut out = Vec::new();
    if let Some(last) = rfind(token, sep) {
        let signature = last.saturating_add(sep.len());
        if let Some(t) = flip(rng, token, signature) {
            out.push(("tamper-sig", t));
        }
        let head = token.get(..last).unwrap_or_default();
        if case.kind != "django_signer"
            && let Some(ts) = rfind(head, sep)
            && let Some(t) = flip(rng, token, ts.saturating_add(sep.len()))
        {
            out.push(("tamper-ts", t));
        }
        let start = usize::from(token.first() == Some(&b'.') && case.kind != "starlette_session");
        if last > start
            && let Some(t) = flip(rng, token, start)
        {
            out.push(("tamper-payload", t));
        }
    }
    if !token.is_empty() {
        // Django and Starlette read cookies as text: cut at a character boundary.
        let mut cut = rng.index(token.len());
        while cut > 0 && token.get(cut).is_some_and(|b| (0x80..0xc0).contains(b)) {
            cut -= 1;
        }
        out.push(("truncate", token.get(..cut).unwrap_or_default().to_vec()));
    }
    out
}
