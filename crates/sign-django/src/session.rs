//! The `signed_cookies` session backend
//! (`SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"`).

use python_json::Map;
use sign_core::{ConfigError, Error, MaxAge};
use sign_serde::SerializerBuilder;
use sign_url::{CompressionPolicy, UrlSafeCodec};

use crate::DjangoTimestampSigner;
use crate::json::DjangoJsonCodec;
use crate::signing::{DjangoPayloadCodec, DjangoSigningSerializer, configured};

/// The salt of the `signed_cookies` backend.
pub const SESSION_SALT: &str = "django.contrib.sessions.backends.signed_cookies";
/// Django's default `SESSION_COOKIE_AGE`: two weeks, in seconds.
pub const SESSION_COOKIE_AGE: u64 = 1_209_600;
/// The session key of the logged-in user's id (`django.contrib.auth.SESSION_KEY`).
pub const AUTH_USER_ID: &str = "_auth_user_id";
/// The session key of the authentication backend's dotted path.
pub const AUTH_USER_BACKEND: &str = "_auth_user_backend";
/// The session key of the user's session-auth hash (an HMAC of the password hash).
pub const AUTH_USER_HASH: &str = "_auth_user_hash";

/// A session: Django's session dictionary (JSON object, keys in insertion order).
pub type Session = Map;

/// A builder for the `signed_cookies` backend: `signing.dumps(session, compress=True,
/// salt=SESSION_SALT)`, read back with `signing.loads(..., max_age=SESSION_COOKIE_AGE)`:
/// the engine's default maximum age is [`SESSION_COOKIE_AGE`] (change it with
/// `.max_age(..)`). Add the keys (`SECRET_KEY_FALLBACKS` then `SECRET_KEY`, or
/// [`sign_core::KeyRing::secret_key_with_fallbacks`]).
#[must_use]
pub fn session_builder() -> SerializerBuilder<DjangoPayloadCodec, DjangoTimestampSigner> {
    configured(
        UrlSafeCodec::new(DjangoJsonCodec).compression(CompressionPolicy::PythonRule),
        SESSION_SALT,
    )
    .max_age(SESSION_COOKIE_AGE)
}

/// A Django signed-cookie session store: the session cookie's value in, the session out,
/// and back.
///
/// ```
/// use sign_django::{DjangoSessions, Session};
///
/// let sessions = DjangoSessions::new(["django-secret"])?;
/// let mut session = Session::new();
/// session.insert("_auth_user_id".into(), "1".into());
/// let cookie = sessions.dumps(&session)?;
/// assert_eq!(sessions.loads(&cookie)?, session);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct DjangoSessions {
    serializer: DjangoSigningSerializer,
}

impl DjangoSessions {
    /// The store with keys oldest first and Django's `SESSION_COOKIE_AGE`.
    ///
    /// # Errors
    /// As [`sign_core::SignerBuilder::build`].
    pub fn new<K: AsRef<[u8]>>(keys: impl IntoIterator<Item = K>) -> Result<Self, ConfigError> {
        Self::from_serializer(session_builder().keys(keys).build()?)
    }

    /// The store around a serializer from [`session_builder`] (with its own clock, keys,
    /// decompression bound or `SESSION_COOKIE_AGE`: the builder's `.max_age(..)`).
    ///
    /// # Errors
    /// Never today; reserved for checks of the serializer.
    pub const fn from_serializer(serializer: DjangoSigningSerializer) -> Result<Self, ConfigError> {
        Ok(Self { serializer })
    }

    /// The serializer.
    #[must_use]
    pub const fn serializer(&self) -> &DjangoSigningSerializer {
        &self.serializer
    }

    /// The session cookie's value for `session`, signed now.
    ///
    /// # Errors
    /// `BadPayload` when a value cannot be written as JSON.
    pub fn dumps(&self, session: &Session) -> Result<String, Error> {
        self.serializer.dumps(session)
    }

    /// The session cookie's value for `session` signed at `timestamp` (Unix seconds).
    ///
    /// # Errors
    /// As [`dumps`](Self::dumps).
    pub fn dumps_at(&self, session: &Session, timestamp: u64) -> Result<String, Error> {
        self.serializer.dumps_at(session, timestamp)
    }

    /// The session in a cookie, checked against `SESSION_COOKIE_AGE`: the serializer's
    /// default maximum age. Django always checks an age, so a serializer without a default
    /// (not from [`session_builder`]) is read with [`SESSION_COOKIE_AGE`].
    ///
    /// Django answers every error with an empty session; so can the caller.
    ///
    /// # Errors
    /// `BadSignature`, `SignatureExpired`, or `BadPayload` when a validly signed payload does
    /// not decode to a JSON object.
    pub fn loads(&self, cookie: &str) -> Result<Session, Error> {
        let age = self
            .serializer
            .max_age()
            .unwrap_or(MaxAge::from_secs(SESSION_COOKIE_AGE as i64));
        self.serializer.loads_max_age(cookie, age)
    }
}
