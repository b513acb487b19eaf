//! Starlette's `SessionMiddleware` cookie as a preset of the shared serializer.

use python_json::Map;
use sign_core::TimestampSigner;
use sign_core::{ConfigError, Error};
use sign_serde::{SerializerBuilder, SignedSerializer};

use crate::codec::StandardBase64Codec;

/// Starlette's default `max_age`: 14 days, in seconds.
pub const DEFAULT_MAX_AGE: u64 = 1_209_600;

/// A session: the JSON object in `request.session`.
pub type Session = Map;

/// The session cookie's serializer: `TimestampSigner(secret_key).sign(b64encode(json.dumps(
/// session)))`, every itsdangerous default (salt `itsdangerous.Signer`, `django-concat`,
/// HMAC-SHA1, separator `.`).
pub type StarletteSessionSerializer = SignedSerializer<StandardBase64Codec, TimestampSigner>;

/// A builder with Starlette's configuration, the default `max_age` (14 days) being the
/// engine's default maximum age (`.max_age(..)` changes it, `.no_max_age()` is Starlette's
/// `max_age=None`); add the key.
#[must_use]
pub fn session_builder() -> SerializerBuilder<StandardBase64Codec, TimestampSigner> {
    SerializerBuilder::with_codec(StandardBase64Codec::PYTHON_JSON).max_age(DEFAULT_MAX_AGE)
}

/// Starlette's (and FastAPI's) session cookies: read and write them with the app's
/// `secret_key`.
///
/// ```
/// use sign_starlette::{Session, StarletteSessions};
///
/// let sessions = StarletteSessions::new("starlette-secret")?;
/// let mut session = Session::new();
/// session.insert("user".into(), 42.into());
/// let cookie = sessions.dumps(&session)?;
/// assert_eq!(sessions.loads(&cookie)?, session);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct StarletteSessions {
    serializer: StarletteSessionSerializer,
}

impl StarletteSessions {
    /// The sessions of an app with `secret_key` and the default `max_age` (14 days).
    ///
    /// # Errors
    /// [`ConfigError::EmptySecretKey`] for an empty key.
    pub fn new(secret_key: impl AsRef<[u8]>) -> Result<Self, ConfigError> {
        Ok(Self::from_serializer(
            session_builder().key(secret_key).build()?,
        ))
    }

    /// Around a serializer from [`session_builder`] (with its own clock, keys or `max_age`:
    /// the builder's `.max_age(..)` / `.no_max_age()`; a list of keys rotates, which
    /// Starlette itself cannot do). The serializer's default maximum age is the `max_age`.
    #[must_use]
    pub const fn from_serializer(serializer: StarletteSessionSerializer) -> Self {
        Self { serializer }
    }

    /// The serializer.
    #[must_use]
    pub const fn serializer(&self) -> &StarletteSessionSerializer {
        &self.serializer
    }

    /// The cookie's value for `session`, signed now.
    ///
    /// # Errors
    /// `BadPayload` when a value cannot be written as JSON.
    pub fn dumps(&self, session: &Session) -> Result<String, Error> {
        self.serializer.dumps(session)
    }

    /// The cookie's value for `session` signed at `timestamp` (Unix seconds).
    ///
    /// # Errors
    /// As [`dumps`](Self::dumps).
    pub fn dumps_at(&self, session: &Session, timestamp: u64) -> Result<String, Error> {
        self.serializer.dumps_at(session, timestamp)
    }

    /// The session in a cookie. Starlette answers a `BadSignature` (and its subclasses) with
    /// an empty session.
    ///
    /// # Errors
    /// `BadSignature`, `BadTimeSignature`, `SignatureExpired` (also for a time in the
    /// future), or `BadPayload` when a validly signed payload does not decode to a JSON
    /// object (Starlette fails with a server error there).
    pub fn loads(&self, cookie: &str) -> Result<Session, Error> {
        self.serializer.loads(cookie)
    }
}
