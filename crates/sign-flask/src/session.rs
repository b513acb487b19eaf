//! [`SessionSerializer`]: Flask's `SecureCookieSessionInterface` signing serializer.

use std::time::SystemTime;

use serde::Serialize;
use serde::de::DeserializeOwned;
use sign_core::{
    Clock, ConfigError, DigestMethod, Error, KeyDerivation, KeyRing, MaxAge, SecretKey,
    TimestampSigner,
};
use sign_serde::{SerializerBuilder, SignedSerializer};
use sign_url::CompressionPolicy;

use crate::codec::{SessionCodec, TaggedJsonCodec};
use crate::value::Session;

/// Flask's session salt, `SecureCookieSessionInterface.salt`.
pub const DEFAULT_SALT: &str = "cookie-session";

/// Flask's default `PERMANENT_SESSION_LIFETIME`: 31 days, applied to every session cookie
/// (permanent or not) when it is read.
pub const DEFAULT_MAX_AGE: MaxAge = MaxAge::from_secs(2_678_400);

/// The signed serializer under a [`SessionSerializer`]: URL-safe timed, tagged JSON.
pub type FlaskSerializer = SignedSerializer<SessionCodec, TimestampSigner>;

/// Reads and writes Flask session cookies (the value of the `session` cookie).
///
/// Defaults are Flask 3's: salt `cookie-session`, `hmac` key derivation, SHA-1, the
/// URL-safe timed format, tagged JSON ([`TaggedJsonCodec`]) and a 31-day maximum age.
/// Keys are `SECRET_KEY_FALLBACKS` then `SECRET_KEY`: every key verifies, only `SECRET_KEY`
/// signs.
#[derive(Clone, Debug)]
pub struct SessionSerializer {
    inner: FlaskSerializer,
    max_age: Option<MaxAge>,
}

/// Configuration for a [`SessionSerializer`]; start from [`SessionSerializer::builder`].
///
/// It is the URL-safe timed engine's builder with Flask's defaults, Flask's two kinds of key
/// (moved into the engine's [`KeyRing`] when built, never copied) and the maximum age.
#[derive(Clone, Debug)]
pub struct SessionSerializerBuilder {
    inner: SerializerBuilder<SessionCodec, TimestampSigner>,
    secret_key: Option<SecretKey>,
    fallbacks: Vec<SecretKey>,
    allow_empty_fallback_key: bool,
    max_age: Option<MaxAge>,
}

impl Default for SessionSerializerBuilder {
    fn default() -> Self {
        Self {
            inner: SerializerBuilder::with_codec(SessionCodec::new(TaggedJsonCodec))
                .salt(DEFAULT_SALT)
                .key_derivation(KeyDerivation::Hmac)
                .digest(DigestMethod::Sha1),
            secret_key: None,
            fallbacks: Vec::new(),
            allow_empty_fallback_key: false,
            max_age: Some(DEFAULT_MAX_AGE),
        }
    }
}

impl SessionSerializerBuilder {
    /// Sets `SECRET_KEY`, the key that signs (and verifies).
    #[must_use]
    pub fn secret_key(mut self, key: impl AsRef<[u8]>) -> Self {
        self.secret_key = Some(SecretKey::new(key));
        self
    }

    /// Adds keys to `SECRET_KEY_FALLBACKS`: old keys that still verify but never sign.
    #[must_use]
    pub fn secret_key_fallbacks<K: AsRef<[u8]>>(
        mut self,
        keys: impl IntoIterator<Item = K>,
    ) -> Self {
        self.fallbacks.extend(keys.into_iter().map(SecretKey::new));
        self
    }

    /// Accepts empty keys among the fallbacks, as Flask does.
    ///
    /// # Security
    /// Anyone can sign a cookie with an empty key, so an empty fallback lets anyone forge
    /// sessions. `SECRET_KEY` itself is never allowed to be empty (Flask then has no
    /// sessions at all).
    #[must_use]
    pub const fn allow_empty_fallback_key(mut self) -> Self {
        self.allow_empty_fallback_key = true;
        self
    }

    /// Sets the salt (default `cookie-session`).
    #[must_use]
    pub fn salt(mut self, salt: impl AsRef<[u8]>) -> Self {
        self.inner = self.inner.salt(salt);
        self
    }

    /// Sets the key derivation (default `hmac`).
    #[must_use]
    pub fn key_derivation(mut self, key_derivation: KeyDerivation) -> Self {
        self.inner = self.inner.key_derivation(key_derivation);
        self
    }

    /// Sets the digest (default SHA-1).
    #[must_use]
    pub fn digest(mut self, digest: DigestMethod) -> Self {
        self.inner = self.inner.digest(digest);
        self
    }

    /// Sets the maximum age (Flask's `PERMANENT_SESSION_LIFETIME`, default 31 days).
    /// Accepts seconds or a [`std::time::Duration`].
    #[must_use]
    pub fn max_age(mut self, max_age: impl Into<MaxAge>) -> Self {
        self.max_age = Some(max_age.into());
        self
    }

    /// Accepts cookies of any age (Flask always applies a maximum age).
    #[must_use]
    pub const fn no_max_age(mut self) -> Self {
        self.max_age = None;
        self
    }

    /// Uses `clock` for "now" when signing and checking the age.
    #[must_use]
    pub fn clock(mut self, clock: impl Clock + 'static) -> Self {
        self.inner = self.inner.clock(clock);
        self
    }

    /// Sets the largest decompressed payload accepted (default
    /// [`sign_url::DEFAULT_MAX_DECOMPRESSED_SIZE`], 1 MiB; Flask has no bound).
    #[must_use]
    pub fn max_decompressed_size(mut self, bytes: usize) -> Self {
        self.inner = self
            .inner
            .map_codec(|codec| codec.max_decompressed_size(bytes));
        self
    }

    /// Sets when payloads are compressed (default: Python's rule).
    #[must_use]
    pub fn compression(mut self, policy: CompressionPolicy) -> Self {
        self.inner = self.inner.map_codec(|codec| codec.compression(policy));
        self
    }

    /// Builds the serializer.
    ///
    /// # Errors
    /// [`ConfigError::NoSecretKey`] without a secret key (Flask then has no session at all);
    /// [`ConfigError::EmptySecretKey`] for an empty secret key, or an empty fallback without
    /// [`allow_empty_fallback_key`](Self::allow_empty_fallback_key).
    pub fn build(self) -> Result<SessionSerializer, ConfigError> {
        // Flask's order: SECRET_KEY_FALLBACKS, then SECRET_KEY (the newest, which signs).
        let key = self.secret_key.ok_or(ConfigError::NoSecretKey)?;
        let mut ring = KeyRing::new();
        ring.extend(self.fallbacks);
        ring.push(key);
        if self.allow_empty_fallback_key {
            ring = ring.allow_empty_older_keys();
        }
        let inner = self.inner.key_ring(ring).build()?;
        Ok(SessionSerializer {
            inner,
            max_age: self.max_age,
        })
    }
}

impl SessionSerializer {
    /// Flask's session serializer for `SECRET_KEY = secret_key`, with every default.
    ///
    /// # Errors
    /// [`ConfigError::EmptySecretKey`] for an empty key.
    pub fn new(secret_key: impl AsRef<[u8]>) -> Result<Self, ConfigError> {
        Self::builder().secret_key(secret_key).build()
    }

    /// A builder with Flask's defaults and no keys.
    #[must_use]
    pub fn builder() -> SessionSerializerBuilder {
        SessionSerializerBuilder::default()
    }

    /// The maximum age applied by [`loads`](Self::loads), if any.
    #[must_use]
    pub const fn max_age(&self) -> Option<MaxAge> {
        self.max_age
    }

    /// The underlying signed serializer.
    #[must_use]
    pub const fn serializer(&self) -> &FlaskSerializer {
        &self.inner
    }

    /// The cookie value for `session`, signed with `SECRET_KEY` now (Flask's
    /// `save_session`). Any `Serialize` value works; see
    /// [`to_session_value`](crate::to_session_value) for how Rust values map.
    ///
    /// # Errors
    /// `BadPayload` when the value has no session form (NaN, non-string keys, ...).
    pub fn dumps<T: Serialize + ?Sized>(&self, session: &T) -> Result<String, Error> {
        self.inner.dumps(session)
    }

    /// As [`dumps`](Self::dumps), signed as if at `timestamp` (Unix seconds).
    ///
    /// # Errors
    /// As `dumps`.
    pub fn dumps_at<T: Serialize + ?Sized>(
        &self,
        session: &T,
        timestamp: u64,
    ) -> Result<String, Error> {
        self.inner.dumps_at(session, timestamp)
    }

    /// Verifies a cookie value with every key, checks its age, and loads it.
    ///
    /// # Errors
    /// `BadSignature`/`BadTimeSignature` for a cookie no key signed, `SignatureExpired` for
    /// one older than the maximum age (or from the future), `BadPayload` for a validly
    /// signed payload that does not decode or does not fit `T`.
    pub fn loads<T: DeserializeOwned>(&self, cookie: impl AsRef<[u8]>) -> Result<T, Error> {
        self.loads_with_timestamp(cookie).map(|(value, _)| value)
    }

    /// As [`loads`](Self::loads), also returning when the cookie was signed.
    ///
    /// # Errors
    /// As `loads`.
    pub fn loads_with_timestamp<T: DeserializeOwned>(
        &self,
        cookie: impl AsRef<[u8]>,
    ) -> Result<(T, SystemTime), Error> {
        self.inner.loads_with_timestamp(cookie, self.max_age, None)
    }

    /// Flask's `open_session`: the session in the cookie, or an empty session when the
    /// signature is bad or the cookie expired.
    ///
    /// # Errors
    /// Only `BadPayload`: a validly signed cookie that does not decode to a dict. Flask does
    /// not catch this either and answers HTTP 500.
    pub fn open_session(&self, cookie: impl AsRef<[u8]>) -> Result<Session, Error> {
        match self.loads(cookie) {
            Ok(session) => Ok(session),
            Err(error) if error.is_bad_signature() => Ok(Session::new()),
            Err(error) => Err(error),
        }
    }
}
