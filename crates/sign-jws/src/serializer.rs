//! `JwsSerializer` and `TimedJwsSerializer` (Python's `JSONWebSignatureSerializer` and
//! `TimedJSONWebSignatureSerializer`, itsdangerous 2.0.1): the signed-serializer engine of
//! `sign-serde` with a plain [`Signer`], the JWS header codec ([`JwsCodec`]) and the checks
//! after verification (`alg`; for the timed flavour `exp`).

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;
use std::time::SystemTime;

use python_json::Value;
use serde::Serialize;
use serde::de::DeserializeOwned;
use sign_core::{
    Clock, ConfigError, DigestMethod, Error, ErrorKind, KeyDerivation, SecretKey, Signer,
    SignerBuilder, SystemClock,
};
use sign_serde::{PayloadCodec, SerializerBuilder, SignedSerializer};

use crate::JwsAlgorithm;
use crate::int_date::{PyInt, issue_date};
use crate::wire::{self, Header};
use sign_serde::dangerous::KeylessLimits;

/// itsdangerous 2.0.1's `DEFAULT_EXPIRES_IN`: one hour.
pub const DEFAULT_EXPIRES_IN: u64 = 3600;

/// The claims of a [`JwsSerializer`]: none beyond `alg`.
#[derive(Clone, Copy, Debug, Default)]
pub struct UntimedOptions;

/// The claims of a [`TimedJwsSerializer`]: `iat` and `exp`, from the lifetime of new tokens
/// and the clock.
#[derive(Clone, Debug)]
pub struct TimedOptions {
    expires_in: u64,
    clock: Arc<dyn Clock>,
}

impl Default for TimedOptions {
    fn default() -> Self {
        Self {
            expires_in: DEFAULT_EXPIRES_IN,
            clock: Arc::new(SystemClock),
        }
    }
}

mod sealed {
    use super::{Error, Header};

    /// The parts in which the two flavours differ.
    pub trait Claims: Clone {
        /// Adds the flavour's fields after `alg`.
        fn extend_header(&self, header: &mut Header);
        /// Checks a token whose signature and `alg` were verified.
        fn check(&self, header: &mut Header, signed: &[u8]) -> Result<(), Error>;
    }
}

/// The header claims a JWS serializer writes and checks after verification:
/// [`UntimedOptions`] ([`JwsSerializer`]) or [`TimedOptions`] ([`TimedJwsSerializer`]).
/// Sealed.
pub trait JwsClaims: sealed::Claims + fmt::Debug + Send + Sync + 'static {}

impl JwsClaims for UntimedOptions {}
impl JwsClaims for TimedOptions {}

impl sealed::Claims for UntimedOptions {
    fn extend_header(&self, _header: &mut Header) {}

    fn check(&self, _header: &mut Header, _signed: &[u8]) -> Result<(), Error> {
        Ok(())
    }
}

impl sealed::Claims for TimedOptions {
    /// `iat` (now) and `exp` (`iat + expires_in`), each in place if present, else appended.
    fn extend_header(&self, header: &mut Header) {
        let iat = self.clock.now();
        let exp = u128::from(iat) + u128::from(self.expires_in);
        header.insert("iat".to_owned(), Value::from(iat));
        let exp = Value::from(exp);
        header.insert("exp".to_owned(), exp);
    }

    /// `exp` present, an integer date as Python's `int()` reads it, not negative, not
    /// before now; rewrites `exp` as that integer.
    fn check(&self, header: &mut Header, signed: &[u8]) -> Result<(), Error> {
        let Some(exp) = header.get("exp") else {
            return Err(Error::bad_signature("missing expiry date")
                .with_unverified_payload_len(signed.len()));
        };
        let not_int_date = || {
            Error::new(ErrorKind::BadHeader, "expiry date is not an IntDate")
                .with_unverified_payload_len(signed.len())
        };
        let exp = PyInt::from_json(exp).ok_or_else(not_int_date)?;
        if exp.is_negative() {
            return Err(not_int_date());
        }
        header.insert("exp".to_owned(), exp.to_json());
        // Beyond u64 the expiry is later than any clock reading.
        if exp.to_u64().is_some_and(|exp| exp < self.clock.now()) {
            let mut error = Error::new(ErrorKind::SignatureExpired, "signature expired")
                .with_unverified_payload_len(signed.len());
            if let Some(date) = issue_date(header) {
                error = error.with_date_signed(date, true);
            }
            return Err(error);
        }
        Ok(())
    }
}

/// The JWS payload codec: `b64u(header JSON) "." b64u(payload JSON)`, compact JSON as
/// Python writes it, the header made from the algorithm and the claims. Decoding a verified
/// payload also checks `alg` (it must be this codec's) and the claims.
#[derive(Clone, Debug)]
pub struct JwsCodec<F> {
    algorithm: JwsAlgorithm,
    claims: F,
}

impl<F: JwsClaims> JwsCodec<F> {
    /// Python's `make_header(header_fields)`.
    fn make_header(&self, fields: Option<&Header>) -> Header {
        let mut header = wire::make_header(fields, self.algorithm);
        sealed::Claims::extend_header(&self.claims, &mut header);
        header
    }

    /// The checks after verification, in Python's order: the parts, `alg`, the claims.
    fn decode_checked<T: DeserializeOwned>(&self, signed: &[u8]) -> Result<(T, Header), Error> {
        let (mut header, payload) = wire::load_payload(signed)?;
        if header.get("alg").and_then(Value::as_str) != Some(self.algorithm.name()) {
            return Err(Error::new(ErrorKind::BadHeader, "algorithm mismatch")
                .with_unverified_payload_len(signed.len()));
        }
        sealed::Claims::check(&self.claims, &mut header, signed)?;
        Ok((wire::from_json(&payload)?, header))
    }

    /// Python's `load_payload(..., return_header=True)` alone, for an unverified token,
    /// within `limits`.
    fn decode_parts<T: DeserializeOwned>(
        signed: &[u8],
        limits: &KeylessLimits,
    ) -> Result<(T, Header), Error> {
        let (header, payload) = wire::load_payload_unverified(signed, limits)?;
        Ok((wire::from_json(&payload)?, header))
    }
}

impl<F: JwsClaims> PayloadCodec for JwsCodec<F> {
    fn encode<T: Serialize + ?Sized>(&self, value: &T, out: &mut Vec<u8>) -> Result<(), Error> {
        wire::dump_payload(&self.make_header(None), value, out)
    }

    fn decode<T: DeserializeOwned>(&self, payload: &[u8]) -> Result<T, Error> {
        self.decode_checked(payload).map(|(value, _)| value)
    }

    fn decode_unverified<T: DeserializeOwned>(
        &self,
        payload: &[u8],
        limits: &KeylessLimits,
    ) -> Result<T, Error> {
        Self::decode_parts(payload, limits).map(|(value, _)| value)
    }
}

/// The engine under a JWS serializer.
type Engine<F> = SignedSerializer<JwsCodec<F>, Signer>;

/// Configuration for a [`JwsSerializer`] or, with [`TimedOptions`], a
/// [`TimedJwsSerializer`]. Start from [`JwsSerializer::builder`] or
/// [`TimedJwsSerializer::builder`].
///
/// Defaults are itsdangerous 2.0.1's: no salt (the secret key is the HMAC key), `HS512`.
/// The keys live in the signer configuration's [`sign_core::KeyRing`].
#[derive(Clone, Debug)]
pub struct JwsBuilder<F> {
    config: SignerBuilder,
    salt: Option<Vec<u8>>,
    algorithm: JwsAlgorithm,
    claims: F,
}

impl<F: Default> JwsBuilder<F> {
    fn new() -> Self {
        Self {
            config: Signer::builder(),
            salt: None,
            algorithm: JwsAlgorithm::default(),
            claims: F::default(),
        }
    }
}

/// Python's `make_signer(salt)`: separator `.`, SHA-1 key derivation, the algorithm; no
/// salt means no derivation (the secret key is the HMAC key).
fn jws_signer_config(
    config: SignerBuilder,
    salt: Option<&[u8]>,
    algorithm: JwsAlgorithm,
) -> SignerBuilder {
    let config = config
        .separator(".")
        .digest(DigestMethod::Sha1)
        .algorithm(algorithm.signing_algorithm());
    match salt {
        Some(salt) => config
            .salt(salt)
            .key_derivation(KeyDerivation::DjangoConcat),
        None => config.key_derivation(sign_core::dangerous::no_key_derivation()),
    }
}

impl<F> JwsBuilder<F> {
    /// Adds a secret key (text or bytes). Keys are oldest first: the last one added signs,
    /// and all of them verify.
    #[must_use]
    pub fn key(mut self, key: impl AsRef<[u8]>) -> Self {
        self.config = self.config.key(key);
        self
    }

    /// Adds several secret keys, oldest first (Python's list of secret keys).
    #[must_use]
    pub fn keys<K: AsRef<[u8]>>(mut self, keys: impl IntoIterator<Item = K>) -> Self {
        self.config = self.config.keys(keys);
        self
    }

    /// Adds already-wrapped secret keys, oldest first.
    #[must_use]
    pub fn secret_keys(mut self, keys: impl IntoIterator<Item = SecretKey>) -> Self {
        self.config = self.config.secret_keys(keys);
        self
    }

    /// Allows a zero-length secret key, which Python accepts.
    ///
    /// # Security
    /// Anyone who knows the configuration can then forge tokens.
    #[must_use]
    pub fn allow_empty_key(mut self) -> Self {
        self.config = self.config.allow_empty_key();
        self
    }

    /// Sets a salt. Without one (the default) the secret key itself is the HMAC key, as in
    /// standard JWS; with one, the HMAC key is itsdangerous' `django-concat` derivation with
    /// SHA-1, `sha1(salt + b"signer" + secret)`, whatever the algorithm. The empty salt is a
    /// real salt.
    #[must_use]
    pub fn salt(mut self, salt: impl AsRef<[u8]>) -> Self {
        self.salt = Some(salt.as_ref().to_vec());
        self
    }

    /// Sets the algorithm (default [`JwsAlgorithm::Hs512`]).
    #[must_use]
    pub const fn algorithm(mut self, algorithm: JwsAlgorithm) -> Self {
        self.algorithm = algorithm;
        self
    }
}

impl<F: JwsClaims> JwsBuilder<F> {
    /// Builds the serializer, deriving its keys once.
    ///
    /// # Errors
    /// [`ConfigError::NoSecretKey`] without keys, [`ConfigError::EmptySecretKey`] for an
    /// empty key without [`allow_empty_key`](Self::allow_empty_key).
    pub fn build(&self) -> Result<Jws<F>, ConfigError> {
        let codec = JwsCodec {
            algorithm: self.algorithm,
            claims: self.claims.clone(),
        };
        let config = jws_signer_config(self.config.clone(), self.salt.as_deref(), self.algorithm);
        Ok(Jws {
            engine: SerializerBuilder::with_codec(codec)
                .signer_config(config)
                .build()?,
            salt: self.salt.clone(),
        })
    }
}

impl JwsBuilder<TimedOptions> {
    /// Sets how long new tokens are valid, in seconds: `exp = iat + expires_in` (default
    /// [`DEFAULT_EXPIRES_IN`], one hour).
    #[must_use]
    pub const fn expires_in(mut self, seconds: u64) -> Self {
        self.claims.expires_in = seconds;
        self
    }

    /// Uses `clock` for "now" (the `iat` of new tokens and the expiry check) instead of the
    /// system clock.
    #[must_use]
    pub fn clock(mut self, clock: impl Clock + 'static) -> Self {
        self.claims.clock = Arc::new(clock);
        self
    }
}

/// A JWS serializer of either flavour; use it through [`JwsSerializer`] or
/// [`TimedJwsSerializer`].
///
/// Header and payload are compact JSON (`,` and `:`, UTF-8 kept), byte for byte as Python
/// writes them. The algorithm is fixed by the serializer and never read from a token: a
/// token whose header names another algorithm is rejected (`BadHeader`).
#[derive(Clone)]
pub struct Jws<F> {
    engine: Engine<F>,
    salt: Option<Vec<u8>>,
}

impl<F: JwsClaims> fmt::Debug for Jws<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JwsSerializer")
            .field(
                "keys",
                &self.engine.primary().map_or(0, |s| s.secret_keys().len()),
            )
            .field("salt", &self.salt.as_deref().map(String::from_utf8_lossy))
            .field("algorithm", &self.engine.codec().algorithm)
            .finish_non_exhaustive()
    }
}

/// Python's `JSONWebSignatureSerializer` (itsdangerous 2.0.1): JSON Web Signature tokens
/// `b64u(header) "." b64u(payload) "." b64u(HMAC)`.
///
/// ```
/// use sign_jws::JwsSerializer;
/// use python_json::{json, Value};
///
/// // Python: JSONWebSignatureSerializer("secret-key").dumps({"id": 42})
/// let jws = JwsSerializer::new("secret-key")?;
/// let token = jws.dumps(&json!({"id": 42}))?;
/// assert_eq!(token, "eyJhbGciOiJIUzUxMiJ9.eyJpZCI6NDJ9.bUM97EV675eRdOnUCl7atMzuK0jzlpD6HGxtbXWab4negzPPi43uaX0Tf7aFG3jZZBmsTkgwghnyLHFkLHX4oQ");
/// assert_eq!(jws.loads::<Value>(&token)?, json!({"id": 42}));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub type JwsSerializer = Jws<UntimedOptions>;

/// Python's `TimedJSONWebSignatureSerializer` (itsdangerous 2.0.1): a [`JwsSerializer`]
/// whose header also carries `iat` (issued at) and `exp` (expires), in Unix seconds.
///
/// `loads` rejects a token without `exp`, with an `exp` that is not an integer date, or
/// whose `exp` is before now (`exp == now` is still valid). `iat` is not checked.
///
/// ```
/// use sign_core::FixedClock;
/// use sign_jws::TimedJwsSerializer;
/// use python_json::{json, Value};
///
/// // Python: TimedJSONWebSignatureSerializer("secret-key", expires_in=3600).dumps({"id": 42})
/// // at 2011-06-24T00:09:05Z.
/// let jws = TimedJwsSerializer::builder()
///     .key("secret-key")
///     .expires_in(3600)
///     .clock(FixedClock(1_308_874_145))
///     .build()?;
/// let token = jws.dumps(&json!({"id": 42}))?;
/// assert_eq!(token, "eyJhbGciOiJIUzUxMiIsImlhdCI6MTMwODg3NDE0NSwiZXhwIjoxMzA4ODc3NzQ1fQ.eyJpZCI6NDJ9.zmDNmioBzsHNFeCFtSVE2Um-jF7dkpNFv8AZqnf8XgniLXSPD-asVGxJiL9wkz4DEoq3foS-4bSUgwWbZwIvJw");
/// assert_eq!(jws.loads::<Value>(&token)?, json!({"id": 42}));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub type TimedJwsSerializer = Jws<TimedOptions>;

impl Jws<UntimedOptions> {
    /// A serializer with one key, no salt and `HS512`.
    ///
    /// # Errors
    /// [`ConfigError::EmptySecretKey`] for an empty key.
    pub fn new(key: impl AsRef<[u8]>) -> Result<Self, ConfigError> {
        Self::builder().key(key).build()
    }

    /// A builder with itsdangerous 2.0.1's defaults and no keys.
    #[must_use]
    pub fn builder() -> JwsBuilder<UntimedOptions> {
        JwsBuilder::new()
    }
}

impl Jws<TimedOptions> {
    /// A serializer with one key, no salt, `HS512`, one hour and the system clock.
    ///
    /// # Errors
    /// [`ConfigError::EmptySecretKey`] for an empty key.
    pub fn new(key: impl AsRef<[u8]>) -> Result<Self, ConfigError> {
        Self::builder().key(key).build()
    }

    /// A builder with itsdangerous 2.0.1's defaults and no keys.
    #[must_use]
    pub fn builder() -> JwsBuilder<TimedOptions> {
        JwsBuilder::new()
    }

    /// How long new tokens are valid, in seconds.
    #[must_use]
    pub const fn expires_in(&self) -> u64 {
        self.engine.codec().claims.expires_in
    }

    /// Python's `now()`: the clock's Unix seconds.
    #[must_use]
    pub fn now(&self) -> u64 {
        self.engine.codec().claims.clock.now()
    }

    /// Python's `get_issue_date(header)`: `iat` as a time when it is a number (floats are
    /// truncated, `true` is 1) within the years 1 to 9999, otherwise `None`.
    #[must_use]
    pub fn issue_date(header: &Header) -> Option<SystemTime> {
        issue_date(header)
    }
}

impl<F: JwsClaims> Jws<F> {
    /// The algorithm.
    #[must_use]
    pub fn algorithm(&self) -> JwsAlgorithm {
        self.engine.codec().algorithm
    }

    /// The salt, `None` by default.
    #[must_use]
    pub fn salt(&self) -> Option<&[u8]> {
        self.salt.as_deref()
    }

    /// The signed-serializer engine underneath (for
    /// [`sign_serde::dangerous::loads_unsafe`], among others).
    #[must_use]
    pub const fn serializer(&self) -> &SignedSerializer<JwsCodec<F>, Signer> {
        &self.engine
    }

    /// The engine for a per-call salt (Python's `make_signer(salt)`), or the configured one.
    ///
    /// # Errors
    /// Only if the configuration is unusable, which [`JwsBuilder`] already rules out.
    pub fn serializer_for_salt(
        &self,
        salt: Option<&[u8]>,
    ) -> Result<Cow<'_, SignedSerializer<JwsCodec<F>, Signer>>, Error> {
        let Some(salt) = salt else {
            return Ok(Cow::Borrowed(&self.engine));
        };
        let algorithm = self.algorithm();
        self.engine
            .with_signer_config(|config| jws_signer_config(config, Some(salt), algorithm))
            .map(Cow::Owned)
            .map_err(|e| {
                Error::new(ErrorKind::BadData, "invalid signer configuration").with_source(e)
            })
    }

    /// Python's `make_signer(salt)`: the signer of the `b64u(header).b64u(payload)` part for
    /// `salt`, or the configured salt when `None`.
    ///
    /// # Errors
    /// Only if the configuration is unusable, which [`JwsBuilder`] already rules out.
    pub fn make_signer(&self, salt: Option<&[u8]>) -> Result<Signer, ConfigError> {
        let salt = salt.or(self.salt.as_deref());
        jws_signer_config(self.engine.signer_config().clone(), salt, self.algorithm()).build()
    }

    /// Python's `make_header(header_fields)`: a copy of `fields` with `alg` set (in place if
    /// present, otherwise last); the timed flavour then sets `iat` (now) and `exp`
    /// (`iat + expires_in`) the same way.
    #[must_use]
    pub fn make_header(&self, fields: Option<&Header>) -> Header {
        self.engine.codec().make_header(fields)
    }

    /// Python's `dump_payload(header, obj)`: `b64u(header) "." b64u(obj)`, unsigned.
    ///
    /// # Errors
    /// `BadPayload` when a value cannot be written as JSON (NaN, infinities).
    pub fn dump_payload<T: Serialize + ?Sized>(
        &self,
        header: &Header,
        value: &T,
    ) -> Result<String, Error> {
        let mut out = Vec::new();
        wire::dump_payload(header, value, &mut out)?;
        String::from_utf8(out)
            .map_err(|e| Error::new(ErrorKind::BadData, "payload is not ASCII").with_source(e))
    }

    /// Signs `value` with the header of [`make_header`](Self::make_header).
    ///
    /// # Errors
    /// `BadPayload` when the value cannot be written as JSON (NaN, infinities, non-string
    /// map keys that Python cannot write either).
    pub fn dumps<T: Serialize + ?Sized>(&self, value: &T) -> Result<String, Error> {
        self.engine.dumps(value)
    }

    /// [`dumps`](Self::dumps) with another salt for this call (Python's `dumps(obj, salt=)`).
    /// This derives the key for the call.
    ///
    /// # Errors
    /// As `dumps`.
    pub fn dumps_with_salt<T: Serialize + ?Sized>(
        &self,
        value: &T,
        salt: impl AsRef<[u8]>,
    ) -> Result<String, Error> {
        self.dumps_with(value, None, Some(salt.as_ref()))
    }

    /// [`dumps`](Self::dumps) with extra header fields, in their order, before `alg`
    /// (Python's `dumps(obj, header_fields=)`). An `alg` among them is overwritten in place.
    ///
    /// # Errors
    /// As `dumps`.
    pub fn dumps_with_header<T: Serialize + ?Sized>(
        &self,
        value: &T,
        header_fields: &Header,
    ) -> Result<String, Error> {
        self.dumps_with(value, Some(header_fields), None)
    }

    /// Python's `dumps(obj, salt=None, header_fields=None)` with both options.
    ///
    /// # Errors
    /// As `dumps`.
    pub fn dumps_with<T: Serialize + ?Sized>(
        &self,
        value: &T,
        header_fields: Option<&Header>,
        salt: Option<&[u8]>,
    ) -> Result<String, Error> {
        self.serializer_for_salt(salt)?.dumps_encoded(|codec, out| {
            wire::dump_payload(&codec.make_header(header_fields), value, out)
        })
    }

    /// Verifies `token` and returns its payload.
    ///
    /// # Errors
    /// - `BadSignature` when the signature does not match any key (also for a `none` token);
    /// - `BadHeader` for a header that is not base64, not JSON or not an object, or whose
    ///   `alg` is not this serializer's (`"algorithm mismatch"`; header and payload through
    ///   [`crate::dangerous`]);
    /// - `BadPayload` without a `.` in the signed part, or for a payload that is not base64,
    ///   not JSON, or not a `T`;
    /// - timed flavour: `BadSignature` (`"missing expiry date"`) without `exp`; `BadHeader`
    ///   (`"expiry date is not an IntDate"`) when `exp` is not what Python's `int()` accepts
    ///   (an integer, a float, a bool or a numeric string), or is negative;
    ///   `SignatureExpired` when `exp` is before now, with [`Error::date_signed`] from `iat`
    ///   and the payload through [`crate::dangerous::unverified_payload`].
    pub fn loads<T: DeserializeOwned>(&self, token: impl AsRef<[u8]>) -> Result<T, Error> {
        self.engine.loads(token)
    }

    /// [`loads`](Self::loads) with another salt for this call (Python's `loads(s, salt=)`).
    ///
    /// # Errors
    /// As `loads`.
    pub fn loads_with_salt<T: DeserializeOwned>(
        &self,
        token: impl AsRef<[u8]>,
        salt: impl AsRef<[u8]>,
    ) -> Result<T, Error> {
        self.loads_with_header(token, Some(salt.as_ref()))
            .map(|(value, _)| value)
    }

    /// Verifies `token` and returns its payload and header (Python's
    /// `loads(s, salt=salt, return_header=True)`); the timed flavour's `exp` is the integer
    /// Python's `int()` made of it.
    ///
    /// # Errors
    /// As [`loads`](Self::loads).
    pub fn loads_with_header<T: DeserializeOwned>(
        &self,
        token: impl AsRef<[u8]>,
        salt: Option<&[u8]>,
    ) -> Result<(T, Header), Error> {
        self.serializer_for_salt(salt)?
            .loads_decoded(token, None, |codec, signed| codec.decode_checked(signed))
            .map(|(loaded, _)| loaded)
    }

    /// Python's `loads_unsafe(s, salt=salt, return_header=True)`, through the engine's one
    /// `loads_unsafe` (see [`crate::dangerous::loads_unsafe_with_header`]).
    pub(crate) fn loads_unsafe_with_header<T: DeserializeOwned>(
        &self,
        token: &[u8],
        salt: Option<&[u8]>,
        limits: &KeylessLimits,
    ) -> Result<(bool, Option<(T, Header)>), Error> {
        sign_serde::dangerous::loads_unsafe_with(
            &*self.serializer_for_salt(salt)?,
            token,
            None,
            None,
            |codec, signed| codec.decode_checked(signed),
            |_, signed| JwsCodec::<F>::decode_parts(signed, limits),
        )
    }
}
