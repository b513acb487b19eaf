//! The framework kinds: Django 5.2 signing (`django_signer`, `django_timestamp_signer`,
//! `django_signing`, `django_signed_cookie`, `django_session`) and Starlette sessions
//! (`starlette_session`), run through `sign-django` and `sign-starlette`.
//!
//! Self-contained: [`runner_for`] is the only entry point the kind table needs.

use serde_json::Value;
use sign_core::Error;
use sign_django::{
    DjangoTimestampSigner, SIGNER_SALT, SignedCookie, TIMESTAMP_SIGNER_SALT, build_signer,
    session_builder, signer_builder, signing_builder, timestamp_signer_builder,
};
use sign_serde::{FixedClock, MaxAge};

use crate::runner::{KindRunner, Outcome, Verified};
use crate::vector_file::{Case, Params, bytes_from_json};

/// The framework kinds, in the order of the format's table.
pub const KINDS: [&str; 6] = [
    "django_signer",
    "django_timestamp_signer",
    "django_signing",
    "django_signed_cookie",
    "django_session",
    "starlette_session",
];

/// The runner of a framework kind, `None` for any other kind.
#[must_use]
pub fn runner_for(kind: &str) -> Option<&'static dyn KindRunner> {
    match kind {
        "django_signer" => Some(&DjangoSignerKind { timed: false }),
        "django_timestamp_signer" => Some(&DjangoSignerKind { timed: true }),
        "django_signing" => Some(&DjangoSigningKind { session: false }),
        "django_session" => Some(&DjangoSigningKind { session: true }),
        "django_signed_cookie" => Some(&DjangoSignedCookieKind),
        "starlette_session" => Some(&StarletteSessionKind),
        _ => None,
    }
}

/// Rejects every parameter that `allowed` does not name.
fn only(case: &Case, allowed: &[&str]) -> Result<(), String> {
    let p = &case.params;
    let present = [
        ("salt", p.salt.is_some()),
        ("sep", p.sep.is_some()),
        ("key_derivation", p.key_derivation.is_some()),
        ("digest_method", p.digest_method.is_some()),
        ("fallback_signers", p.fallback_signers.is_some()),
        ("algorithm_name", p.algorithm_name.is_some()),
        ("expires_in", p.expires_in.is_some()),
        ("algorithm", p.framework.algorithm.is_some()),
        ("compress", p.framework.compress.is_some()),
        ("cookie_name", p.framework.cookie_name.is_some()),
        (
            "legacy_salt_fallback",
            p.framework.legacy_salt_fallback.is_some(),
        ),
    ];
    match present
        .iter()
        .find(|(name, set)| *set && !allowed.contains(name))
    {
        Some((name, _)) => Err(format!(
            "unsupported parameter `{name}` for kind {}",
            case.kind
        )),
        None => Ok(()),
    }
}

fn text(name: &str, bytes: &[u8]) -> Result<String, String> {
    String::from_utf8(bytes.to_vec()).map_err(|_| format!("`{name}` is not text"))
}

/// Django's `salt or default`.
fn salt_or(p: &Params, default: &str) -> Result<String, String> {
    match &p.salt {
        Some(salt) if !salt.is_empty() => text("salt", salt),
        _ => Ok(default.to_owned()),
    }
}

fn now(case: &Case) -> Result<u64, String> {
    case.now
        .ok_or_else(|| format!("kind {} needs `now`", case.kind))
}

fn timestamp(case: &Case) -> Result<u64, String> {
    case.timestamp
        .ok_or_else(|| format!("kind {} needs `timestamp` to sign", case.kind))
}

fn max_age(case: &Case) -> Option<MaxAge> {
    case.max_age.map(MaxAge::from_secs)
}

fn payload_bytes(case: &Case) -> Result<Vec<u8>, String> {
    bytes_from_json(&case.payload).map_err(|e| format!("`payload`: {e}"))
}

fn bytes_outcome(result: Result<&[u8], Error>) -> Outcome {
    Outcome::from_result(result.map(|value| Verified::Bytes(value.to_vec())))
}

/// `django_signer` and `django_timestamp_signer`.
struct DjangoSignerKind {
    timed: bool,
}

impl DjangoSignerKind {
    fn signer(&self, case: &Case) -> Result<sign_core::Signer, String> {
        only(case, &["salt", "sep", "algorithm"])?;
        let p = &case.params;
        let (builder, default_salt) = if self.timed {
            (timestamp_signer_builder(), TIMESTAMP_SIGNER_SALT)
        } else {
            (signer_builder(), SIGNER_SALT)
        };
        let mut builder = builder.keys(&p.secret_keys).salt(salt_or(p, default_salt)?);
        if let Some(sep) = &p.sep {
            builder = builder.separator(text("sep", sep)?);
        }
        if let Some(algorithm) = p.framework.algorithm {
            builder = builder.digest(algorithm);
        }
        build_signer(&builder).map_err(|e| format!("cannot build the signer: {e}"))
    }

    fn timed_signer(&self, case: &Case, clock: u64) -> Result<DjangoTimestampSigner, String> {
        Ok(
            DjangoTimestampSigner::from_signer_with_format(self.signer(case)?, sign_django::Django)
                .with_clock(FixedClock(clock)),
        )
    }
}

impl KindRunner for DjangoSignerKind {
    fn verify(&self, case: &Case) -> Result<Outcome, String> {
        if !self.timed {
            return Ok(bytes_outcome(self.signer(case)?.unsign(&case.token)));
        }
        let signer = self.timed_signer(case, now(case)?)?;
        Ok(bytes_outcome(
            signer
                .unsign_with_timestamp(&case.token, max_age(case))
                .map(|verified| verified.value),
        ))
    }

    fn sign(&self, case: &Case) -> Result<Vec<u8>, String> {
        let value = payload_bytes(case)?;
        if !self.timed {
            return Ok(self.signer(case)?.sign(value));
        }
        let at = timestamp(case)?;
        Ok(self.timed_signer(case, at)?.sign_at(value, at))
    }
}

/// `django_signing` (`signing.dumps` / `loads`) and `django_session` (the `signed_cookies`
/// backend: the same with its salt and `compress=True`).
struct DjangoSigningKind {
    session: bool,
}

impl DjangoSigningKind {
    fn serializer(
        &self,
        case: &Case,
        clock: u64,
    ) -> Result<sign_django::DjangoSigningSerializer, String> {
        let p = &case.params;
        let builder = if self.session {
            only(case, &[])?;
            session_builder()
        } else {
            only(case, &["salt", "compress"])?;
            let builder = signing_builder(p.framework.compress.unwrap_or(false));
            match &p.salt {
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
            .map_err(|e| format!("cannot build the serializer: {e}"))
    }
}

impl KindRunner for DjangoSigningKind {
    fn verify(&self, case: &Case) -> Result<Outcome, String> {
        let serializer = self.serializer(case, now(case)?)?;
        let result: Result<Value, Error> = match max_age(case) {
            Some(max_age) => serializer.loads_max_age(&case.token, max_age),
            None => serializer.loads(&case.token),
        };
        Ok(Outcome::from_result(result.map(Verified::Json)))
    }

    fn sign(&self, case: &Case) -> Result<Vec<u8>, String> {
        let at = timestamp(case)?;
        self.serializer(case, at)?
            .dumps_at(&case.payload, at)
            .map(String::into_bytes)
            .map_err(|e| format!("signing failed: {e}"))
    }
}

/// `django_signed_cookie`: `set_signed_cookie` / `get_signed_cookie`.
struct DjangoSignedCookieKind;

impl DjangoSignedCookieKind {
    fn cookie(case: &Case, clock: u64) -> Result<SignedCookie, String> {
        only(case, &["salt", "cookie_name", "legacy_salt_fallback"])?;
        let p = &case.params;
        let name = p
            .framework
            .cookie_name
            .as_deref()
            .ok_or("`cookie_name` is required")?;
        let salt = match &p.salt {
            Some(salt) => text("salt", salt)?,
            None => String::new(),
        };
        Ok(SignedCookie::new(&p.secret_keys, name, &salt)
            .map_err(|e| format!("cannot build the cookie signer: {e}"))?
            .legacy_salt_fallback(p.framework.legacy_salt_fallback.unwrap_or(true))
            .with_clock(FixedClock(clock)))
    }
}

impl KindRunner for DjangoSignedCookieKind {
    fn verify(&self, case: &Case) -> Result<Outcome, String> {
        let cookie = Self::cookie(case, now(case)?)?;
        let Ok(token) = std::str::from_utf8(&case.token) else {
            return Ok(Outcome::from_result(Err(Error::bad_signature(
                "the cookie is not text",
            ))));
        };
        Ok(bytes_outcome(
            cookie.unsign(token, max_age(case)).map(str::as_bytes),
        ))
    }

    fn sign(&self, case: &Case) -> Result<Vec<u8>, String> {
        let at = timestamp(case)?;
        let value = text("payload", &payload_bytes(case)?)?;
        Ok(Self::cookie(case, at)?.sign_at(&value, at).into_bytes())
    }
}

/// `starlette_session`: `SessionMiddleware`'s cookie.
struct StarletteSessionKind;

impl StarletteSessionKind {
    fn sessions(case: &Case, clock: u64) -> Result<sign_starlette::StarletteSessions, String> {
        only(case, &[])?;
        let [key] = case.params.secret_keys.as_slice() else {
            return Err("`secret_key` must be one key".to_owned());
        };
        let serializer = sign_starlette::session_builder()
            .key(key)
            .clock(FixedClock(clock))
            .build()
            .map_err(|e| format!("cannot build the serializer: {e}"))?;
        Ok(sign_starlette::StarletteSessions::from_serializer(serializer).max_age(max_age(case)))
    }
}

impl KindRunner for StarletteSessionKind {
    fn verify(&self, case: &Case) -> Result<Outcome, String> {
        let sessions = Self::sessions(case, now(case)?)?;
        let Ok(token) = std::str::from_utf8(&case.token) else {
            return Ok(Outcome::from_result(Err(Error::bad_signature(
                "the cookie is not text",
            ))));
        };
        Ok(Outcome::from_result(
            sessions
                .loads(token)
                .map(|session| Verified::Json(Value::Object(session))),
        ))
    }

    fn sign(&self, case: &Case) -> Result<Vec<u8>, String> {
        let at = timestamp(case)?;
        let Value::Object(session) = &case.payload else {
            return Err("a Starlette session is a JSON object".to_owned());
        };
        Self::sessions(case, at)?
            .dumps_at(session, at)
            .map(String::into_bytes)
            .map_err(|e| format!("signing failed: {e}"))
    }
}
