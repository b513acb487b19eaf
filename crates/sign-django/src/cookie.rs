//! `HttpResponse.set_signed_cookie` / `HttpRequest.get_signed_cookie` (Django 5.2.15 and
//! later).

use std::sync::Arc;

use sign_core::{Clock, MaxAge};
use sign_core::{ConfigError, Error, SecretKey};

use crate::DjangoTimestampSigner;
use crate::signer::{build_timestamp_signer, timestamp_signer_builder};

/// What Django puts in front of every key of a cookie signer (`_cookie_signer_key`).
pub const COOKIE_KEY_PREFIX: &[u8] = b"django.http.cookies";

/// The salt of a signed cookie: `django.http.cookies.v2:{len(salt)}:{salt}{cookie_name}`,
/// where the length counts characters, as Python's `len` does.
#[must_use]
pub fn cookie_salt(cookie_name: &str, salt: &str) -> String {
    format!(
        "django.http.cookies.v2:{}:{salt}{cookie_name}",
        salt.chars().count()
    )
}

/// The salt that Django before 5.2.15 used: `cookie_name + salt`.
#[must_use]
pub fn legacy_cookie_salt(cookie_name: &str, salt: &str) -> String {
    format!("{cookie_name}{salt}")
}

/// The signer of one signed cookie (one cookie name and salt), as Django's
/// `set_signed_cookie(key, value, salt=...)` and `get_signed_cookie(key, salt=...,
/// max_age=...)` use it.
///
/// A cookie is a Django `TimestampSigner` token over the value, with the key
/// `b"django.http.cookies" + SECRET_KEY` (and each of `SECRET_KEY_FALLBACKS`) and the salt of
/// [`cookie_salt`]. While the legacy fallback is on (Django's
/// `SIGNED_COOKIE_LEGACY_SALT_FALLBACK`, on by default in 5.2), a cookie whose signature does
/// not match is tried once more with the salt of [`legacy_cookie_salt`]; an expired cookie
/// is never retried.
///
/// ```
/// use sign_django::SignedCookie;
/// use sign_core::FixedClock;
///
/// let cookie = SignedCookie::new(["django-secret"], "theme", "")?.with_clock(FixedClock(1_700_000_000));
/// let value = cookie.sign("dark");
/// assert_eq!(cookie.unsign(&value, Some(3600u64.into()))?, "dark");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct SignedCookie {
    current: DjangoTimestampSigner,
    legacy: DjangoTimestampSigner,
    legacy_fallback: bool,
}

impl SignedCookie {
    /// The signer for cookie `cookie_name` with `salt` (`""` is Django's default), keys
    /// oldest first (`SECRET_KEY_FALLBACKS`, then `SECRET_KEY`, which signs), and the legacy
    /// fallback on.
    ///
    /// # Errors
    /// [`ConfigError::NoSecretKey`] without keys, [`ConfigError::EmptySecretKey`] for an empty
    /// key.
    pub fn new<K: AsRef<[u8]>>(
        keys: impl IntoIterator<Item = K>,
        cookie_name: &str,
        salt: &str,
    ) -> Result<Self, ConfigError> {
        let keys: Vec<SecretKey> = keys
            .into_iter()
            .map(|key| {
                let mut prefixed = COOKIE_KEY_PREFIX.to_vec();
                prefixed.extend_from_slice(key.as_ref());
                let secret = SecretKey::new(&prefixed);
                prefixed.fill(0);
                secret
            })
            .collect();
        // A key is empty only when the user's key is: the prefix alone is not a secret.
        if keys
            .iter()
            .any(|k| k.expose_secret().len() == COOKIE_KEY_PREFIX.len())
        {
            return Err(ConfigError::EmptySecretKey);
        }
        let signer = |salt: String| {
            build_timestamp_signer(
                &timestamp_signer_builder()
                    .salt(salt)
                    .secret_keys(keys.clone()),
            )
        };
        Ok(Self {
            current: signer(cookie_salt(cookie_name, salt))?,
            legacy: signer(legacy_cookie_salt(cookie_name, salt))?,
            legacy_fallback: true,
        })
    }

    /// Turns Django's `SIGNED_COOKIE_LEGACY_SALT_FALLBACK` on or off (on by default).
    #[must_use]
    pub const fn legacy_salt_fallback(mut self, on: bool) -> Self {
        self.legacy_fallback = on;
        self
    }

    /// Uses `clock` for signing times and ages (the system clock by default).
    #[must_use]
    pub fn with_clock(self, clock: impl Clock + 'static) -> Self {
        let clock: Arc<dyn Clock> = Arc::new(clock);
        Self {
            current: self.current.with_shared_clock(Arc::clone(&clock)),
            legacy: self.legacy.with_shared_clock(clock),
            legacy_fallback: self.legacy_fallback,
        }
    }

    /// The cookie value for `value` (`set_signed_cookie`), signed now.
    #[must_use]
    pub fn sign(&self, value: &str) -> String {
        self.sign_at(value, self.current.timestamp())
    }

    /// The cookie value for `value` signed at `timestamp` (Unix seconds).
    #[must_use]
    pub fn sign_at(&self, value: &str, timestamp: u64) -> String {
        let token = self.current.sign_at(value, timestamp);
        // A UTF-8 value, `:`, base62 and base64 are UTF-8.
        String::from_utf8(token).unwrap_or_default()
    }

    /// Verifies a cookie value (`get_signed_cookie`), with `max_age` in seconds when given.
    ///
    /// # Errors
    /// `BadSignature` when no key and salt verify it; `SignatureExpired` when it is older
    /// than `max_age`; `BadPayload` when its signature is valid but its time is not base62.
    pub fn unsign<'a>(&self, cookie: &'a str, max_age: Option<MaxAge>) -> Result<&'a str, Error> {
        let verified = match self.current.unsign_with_timestamp(cookie, max_age) {
            Ok(verified) => verified,
            Err(error)
                if self.legacy_fallback && error.is_bad_signature() && !error.is_expired() =>
            {
                self.legacy.unsign_with_timestamp(cookie, max_age)?
            }
            Err(error) => return Err(error),
        };
        // The value is a sub-slice of `cookie` that ends before an ASCII separator.
        std::str::from_utf8(verified.value)
            .map_err(|e| Error::bad_payload("the cookie value is not UTF-8", e))
    }
}
