//! Flask's `SecureCookieSessionInterface` signing serializer, as a preset of the engine.

use sign_core::{ConfigError, DigestMethod, KeyDerivation, MaxAge, TimestampSigner};
use sign_serde::{SerializerBuilder, SignedSerializer};

use crate::codec::{SessionCodec, TaggedJsonCodec};

/// Flask's session salt, `SecureCookieSessionInterface.salt`.
pub const DEFAULT_SALT: &str = "cookie-session";

/// Flask's default `PERMANENT_SESSION_LIFETIME`: 31 days, applied to every session cookie
/// (permanent or not) when it is read.
pub const DEFAULT_MAX_AGE: MaxAge = MaxAge::from_secs(2_678_400);

/// Reads and writes Flask session cookies (the value of the `session` cookie): the URL-safe
/// timed engine with the tagged-JSON codec. Build it with [`session_builder`] (or
/// [`session_serializer`] for a lone `SECRET_KEY`).
///
/// - `dumps` is Flask's `save_session` (signed now; `dumps_at` for a fixed time);
/// - `loads` checks the signature with every key and the default maximum age (31 days
///   unless the builder says otherwise); `loads_max_age` takes another age for one call;
/// - `loads_or_default::<Session>` is Flask's `open_session`: the session, or an empty one
///   when the signature is bad or the cookie expired; a validly signed cookie that is not a
///   dict is still an error (Flask answers HTTP 500).
pub type SessionSerializer = SignedSerializer<SessionCodec, TimestampSigner>;

/// The engine's builder with Flask 3's defaults and no keys: salt `cookie-session`, `hmac`
/// key derivation, SHA-1, tagged JSON in the URL-safe format ([`TaggedJsonCodec`]) and a
/// default maximum age of [`DEFAULT_MAX_AGE`] (`PERMANENT_SESSION_LIFETIME`).
///
/// Add the keys with [`sign_core::KeyRing::secret_key_with_fallbacks`]: `SECRET_KEY` signs
/// and verifies, `SECRET_KEY_FALLBACKS` (oldest first) only verify; add
/// `allow_empty_older_keys()` to the ring for Flask's acceptance of empty fallbacks. Building
/// without a key fails with [`ConfigError::NoSecretKey`] (Flask then has no session at all),
/// with an empty `SECRET_KEY` with [`ConfigError::EmptySecretKey`].
///
/// ```
/// use sign_core::KeyRing;
/// use sign_flask::{Session, session_builder};
///
/// let sessions = session_builder()
///     .key_ring(KeyRing::secret_key_with_fallbacks("new key", ["old key"]))
///     .max_age(3600) // PERMANENT_SESSION_LIFETIME
///     .build()?;
/// let cookie = sessions.dumps(&Session::new())?;
/// assert_eq!(sessions.loads::<Session>(&cookie)?, Session::new());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[must_use]
pub fn session_builder() -> SerializerBuilder<SessionCodec, TimestampSigner> {
    SerializerBuilder::with_codec(SessionCodec::new(TaggedJsonCodec))
        .salt(DEFAULT_SALT)
        .key_derivation(KeyDerivation::Hmac)
        .digest(DigestMethod::Sha1)
        .max_age(DEFAULT_MAX_AGE)
}

/// Flask's session serializer for `SECRET_KEY = secret_key`, with every default.
///
/// # Errors
/// [`ConfigError::EmptySecretKey`] for an empty key.
pub fn session_serializer(secret_key: impl AsRef<[u8]>) -> Result<SessionSerializer, ConfigError> {
    session_builder().key(secret_key).build()
}
