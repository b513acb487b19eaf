//! `JwsSerializer` and `TimedJwsSerializer` (Python's `JSONWebSignatureSerializer` and
//! `TimedJSONWebSignatureSerializer`, itsdangerous 2.0.1).

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;
use std::time::SystemTime;

use python_json::Value;
use serde::Serialize;
use serde::de::DeserializeOwned;
use sign_core::{ConfigError, DigestMethod, Error, ErrorKind, KeyDerivation, SecretKey, Signer};
use sign_timed::{Clock, SystemClock};

use crate::JwsAlgorithm;
use crate::int_date::{PyInt, issue_date};
use crate::wire::{self, Header};

/// itsdangerous 2.0.1's `DEFAULT_EXPIRES_IN`: one hour.
pub const DEFAULT_EXPIRES_IN: u64 = 3600;

/// Builder options of a [`JwsSerializer`] (there are none beyond the shared ones).
#[derive(Clone, Copy, Debug, Default)]
pub struct UntimedOptions;

/// Builder options of a [`TimedJwsSerializer`]: lifetime of new tokens and the clock.
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

/// Configuration for a [`JwsSerializer`] or, with [`TimedOptions`], a
/// [`TimedJwsSerializer`]. Start from [`JwsSerializer::builder`] or
/// [`TimedJwsSerializer::builder`].
///
/// Defaults are itsdangerous 2.0.1's: no salt (the secret key is the HMAC key), `HS512`.
#[derive(Clone, Debug)]
pub struct JwsBuilder<F> {
    keys: Vec<SecretKey>,
    allow_empty_key: bool,
    salt: Option<Vec<u8>>,
    algorithm: JwsAlgorithm,
    options: F,
}

impl<F: Default> JwsBuilder<F> {
    fn new() -> Self {
        Self {
            keys: Vec::new(),
            allow_empty_key: false,
            salt: None,
            algorithm: JwsAlgorithm::default(),
            options: F::default(),
        }
    }
}

impl<F> JwsBuilder<F> {
    /// Adds a secret key (text or bytes). Keys are oldest first: the last one added signs,
    /// and all of them verify.
    #[must_use]
    pub fn key(mut self, key: impl AsRef<[u8]>) -> Self {
        self.keys.push(SecretKey::new(key));
        self
    }

    /// Adds several secret keys, oldest first (Python's list of secret keys).
    #[must_use]
    pub fn keys<K: AsRef<[u8]>>(mut self, keys: impl IntoIterator<Item = K>) -> Self {
        self.keys.extend(keys.into_iter().map(SecretKey::new));
        self
    }

    /// Adds already-wrapped secret keys, oldest first.
    #[must_use]
    pub fn secret_keys(mut self, keys: impl IntoIterator<Item = SecretKey>) -> Self {
        self.keys.extend(keys);
        self
    }

    /// Allows a zero-length secret key, which Python accepts.
    ///
    /// # Security
    /// Anyone who knows the configuration can then forge tokens.
    #[must_use]
    pub const fn allow_empty_key(mut self) -> Self {
        self.allow_empty_key = true;
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

    fn core(&self) -> Result<Core, ConfigError> {
        let config = Config {
            keys: self.keys.clone(),
            allow_empty_key: self.allow_empty_key,
            salt: self.salt.clone(),
            algorithm: self.algorithm,
        };
        let signer = config.make_signer(None)?;
        Ok(Core { config, signer })
    }
}

impl<F: Flavour> JwsBuilder<F> {
    /// Builds the serializer, deriving its keys once.
    ///
    /// # Errors
    /// [`ConfigError::NoSecretKey`] without keys, [`ConfigError::EmptySecretKey`] for an
    /// empty key without [`allow_empty_key`](Self::allow_empty_key).
    pub fn build(&self) -> Result<Jws<F>, ConfigError> {
        Ok(Jws {
            core: self.core()?,
            flavour: self.options.clone(),
        })
    }
}

impl JwsBuilder<TimedOptions> {
    /// Sets how long new tokens are valid, in seconds: `exp = iat + expires_in` (default
    /// [`DEFAULT_EXPIRES_IN`], one hour).
    #[must_use]
    pub const fn expires_in(mut self, seconds: u64) -> Self {
        self.options.expires_in = seconds;
        self
    }

    /// Uses `clock` for "now" (the `iat` of new tokens and the expiry check) instead of the
    /// system clock.
    #[must_use]
    pub fn clock(mut self, clock: impl Clock + 'static) -> Self {
        self.options.clock = Arc::new(clock);
        self
    }
}

/// The options a signer is made from.
#[derive(Clone)]
struct Config {
    keys: Vec<SecretKey>,
    allow_empty_key: bool,
    salt: Option<Vec<u8>>,
    algorithm: JwsAlgorithm,
}

impl Config {
    /// Python's `make_signer(salt)`: separator `.`, SHA-1 key derivation, the configured
    /// algorithm; no salt (here or configured) means no derivation.
    fn make_signer(&self, salt: Option<&[u8]>) -> Result<Signer, ConfigError> {
        let salt = salt.or(self.salt.as_deref());
        let mut builder = Signer::builder()
            .secret_keys(self.keys.iter().cloned())
            .separator(".")
            .digest(DigestMethod::Sha1)
            .algorithm(self.algorithm.signing_algorithm());
        builder = match salt {
            Some(salt) => builder
                .salt(salt)
                .key_derivation(KeyDerivation::DjangoConcat),
            None => builder.key_derivation(KeyDerivation::None),
        };
        if self.allow_empty_key {
            builder = builder.allow_empty_key();
        }
        builder.build()
    }
}

/// What both serializers share: the options and the signer for the configured salt.
#[derive(Clone)]
struct Core {
    config: Config,
    signer: Signer,
}

impl fmt::Debug for Core {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JwsSerializer")
            .field("keys", &self.config.keys.len())
            .field(
                "salt",
                &self.config.salt.as_deref().map(String::from_utf8_lossy),
            )
            .field("algorithm", &self.config.algorithm)
            .finish_non_exhaustive()
    }
}

impl Core {
    const fn algorithm(&self) -> JwsAlgorithm {
        self.config.algorithm
    }

    fn salt(&self) -> Option<&[u8]> {
        self.config.salt.as_deref()
    }

    fn make_signer(&self, salt: Option<&[u8]>) -> Result<Signer, ConfigError> {
        self.config.make_signer(salt)
    }

    fn signer(&self, salt: Option<&[u8]>) -> Result<Cow<'_, Signer>, Error> {
        match salt {
            None => Ok(Cow::Borrowed(&self.signer)),
            Some(_) => self.make_signer(salt).map(Cow::Owned).map_err(|e| {
                Error::new(ErrorKind::BadData, "invalid signer configuration").with_source(e)
            }),
        }
    }

    fn dumps<T: Serialize + ?Sized>(
        &self,
        header: &Header,
        value: &T,
        salt: Option<&[u8]>,
    ) -> Result<String, Error> {
        let signer = self.signer(salt)?;
        let mut out = Vec::new();
        wire::dump_payload(header, value, &mut out)?;
        signer.append_signature(&mut out, 0);
        // Base64 and "." only: always ASCII.
        String::from_utf8(out)
            .map_err(|e| Error::new(ErrorKind::BadData, "token is not ASCII").with_source(e))
    }

    /// Python's `JSONWebSignatureSerializer.loads(..., return_header=True)`: the signature
    /// with the configured algorithm, the parts, then the `alg` check. Also returns the
    /// signed part of the token, for the errors of the timed checks.
    fn loads<'t>(
        &self,
        token: &'t [u8],
        salt: Option<&[u8]>,
    ) -> Result<(Vec<u8>, Header, &'t [u8]), Error> {
        let signer = self.signer(salt)?;
        let signed = signer.unsign(token)?;
        let (header, payload) = wire::load_payload(signed)?;
        if header.get("alg").and_then(Value::as_str) != Some(self.algorithm().name()) {
            return Err(Error::new(ErrorKind::BadHeader, "algorithm mismatch")
                .with_unverified_payload(signed));
        }
        Ok((payload, header, signed))
    }

    /// Python's `_loads_unsafe_impl` around `loads`; `checked` is the full `loads`.
    fn loads_unsafe<T: DeserializeOwned>(
        &self,
        token: &[u8],
        salt: Option<&[u8]>,
        checked: impl FnOnce(&[u8]) -> Result<(Vec<u8>, Header), Error>,
    ) -> Result<(bool, Option<(T, Header)>), Error> {
        let signer = self.signer(salt)?;
        match signer.unsign(token) {
            // A bad signature: decode the signed part anyway. As in Python, a payload that
            // does not decode gives `None`, but a bad header is raised.
            Err(error) => match sign_core::dangerous::unverified_payload(&error) {
                None => Ok((false, None)),
                Some(signed) => match wire::load_payload(signed)
                    .and_then(|(header, payload)| Ok((wire::from_json(&payload)?, header)))
                {
                    Ok(loaded) => Ok((false, Some(loaded))),
                    Err(e) if e.is_bad_payload() => Ok((false, None)),
                    Err(e) => Err(e),
                },
            },
            // A good signature: every later `BadSignature` (bad header, wrong `alg`, expiry)
            // gives `(false, None)`; `BadPayload` is raised.
            Ok(_) => match checked(token) {
                Ok((payload, header)) => Ok((true, Some((wire::from_json(&payload)?, header)))),
                Err(e) if e.is_bad_signature() => Ok((false, None)),
                Err(e) => Err(e),
            },
        }
    }
}

mod sealed {
    use super::{Error, Header};

    /// The parts in which the two flavours differ.
    pub trait Flavour: Clone {
        /// Adds the flavour's fields after `alg`.
        fn extend_header(&self, header: &mut Header);
        /// Checks a token whose signature and `alg` were verified.
        fn check(&self, header: &mut Header, signed: &[u8]) -> Result<(), Error>;
    }
}

/// The two flavours of JWS serializer: [`UntimedOptions`] ([`JwsSerializer`]) and
/// [`TimedOptions`] ([`TimedJwsSerializer`]). Sealed.
pub trait Flavour: sealed::Flavour + fmt::Debug + Send + Sync + 'static {}

impl Flavour for UntimedOptions {}
impl Flavour for TimedOptions {}

impl sealed::Flavour for UntimedOptions {
    fn extend_header(&self, _header: &mut Header) {}

    fn check(&self, _header: &mut Header, _signed: &[u8]) -> Result<(), Error> {
        Ok(())
    }
}

impl sealed::Flavour for TimedOptions {
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
            return Err(Error::bad_signature("missing expiry date").with_unverified_payload(signed));
        };
        let not_int_date = || {
            Error::new(ErrorKind::BadHeader, "expiry date is not an IntDate")
                .with_unverified_payload(signed)
        };
        let exp = PyInt::from_json(exp).ok_or_else(not_int_date)?;
        if exp.is_negative() {
            return Err(not_int_date());
        }
        header.insert("exp".to_owned(), exp.to_json());
        // Beyond u64 the expiry is later than any clock reading.
        if exp.to_u64().is_some_and(|exp| exp < self.clock.now()) {
            let mut error = Error::new(ErrorKind::SignatureExpired, "signature expired")
                .with_unverified_payload(signed);
            if let Some(date) = issue_date(header) {
                error = error.with_date_signed(date, true);
            }
            return Err(error);
        }
        Ok(())
    }
}

/// A JWS serializer of either flavour; use it through [`JwsSerializer`] or
/// [`TimedJwsSerializer`].
///
/// Header and payload are compact JSON (`,` and `:`, UTF-8 kept), byte for byte as Python
/// writes them. The algorithm is fixed by the serializer and never read from a token: a
/// token whose header names another algorithm is rejected (`BadHeader`).
#[derive(Clone, Debug)]
pub struct Jws<F> {
    core: Core,
    flavour: F,
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
/// use sign_jws::{FixedClock, TimedJwsSerializer};
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
        self.flavour.expires_in
    }

    /// Python's `now()`: the clock's Unix seconds.
    #[must_use]
    pub fn now(&self) -> u64 {
        self.flavour.clock.now()
    }

    /// Python's `get_issue_date(header)`: `iat` as a time when it is a number (floats are
    /// truncated, `true` is 1) within the years 1 to 9999, otherwise `None`.
    #[must_use]
    pub fn issue_date(header: &Header) -> Option<SystemTime> {
        issue_date(header)
    }
}

impl<F: Flavour> Jws<F> {
    /// The algorithm.
    #[must_use]
    pub const fn algorithm(&self) -> JwsAlgorithm {
        self.core.algorithm()
    }

    /// The salt, `None` by default.
    #[must_use]
    pub fn salt(&self) -> Option<&[u8]> {
        self.core.salt()
    }

    /// Python's `make_signer(salt)`: the signer of the `b64u(header).b64u(payload)` part for
    /// `salt`, or the configured salt when `None`.
    ///
    /// # Errors
    /// Only if the configuration is unusable, which [`JwsBuilder`] already rules out.
    pub fn make_signer(&self, salt: Option<&[u8]>) -> Result<Signer, ConfigError> {
        self.core.make_signer(salt)
    }

    /// Python's `make_header(header_fields)`: a copy of `fields` with `alg` set (in place if
    /// present, otherwise last); the timed flavour then sets `iat` (now) and `exp`
    /// (`iat + expires_in`) the same way.
    #[must_use]
    pub fn make_header(&self, fields: Option<&Header>) -> Header {
        let mut header = wire::make_header(fields, self.core.algorithm());
        sealed::Flavour::extend_header(&self.flavour, &mut header);
        header
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
        self.dumps_with(value, None, None)
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
        let header = self.make_header(header_fields);
        self.core.dumps(&header, value, salt)
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
        self.loads_with_header(token, None).map(|(value, _)| value)
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
        let (payload, header) = self.loads_checked(token.as_ref(), salt)?;
        Ok((wire::from_json(&payload)?, header))
    }

    fn loads_checked(&self, token: &[u8], salt: Option<&[u8]>) -> Result<(Vec<u8>, Header), Error> {
        let (payload, mut header, signed) = self.core.loads(token, salt)?;
        sealed::Flavour::check(&self.flavour, &mut header, signed)?;
        Ok((payload, header))
    }

    pub(crate) fn loads_unsafe_impl<T: DeserializeOwned>(
        &self,
        token: &[u8],
        salt: Option<&[u8]>,
    ) -> Result<(bool, Option<(T, Header)>), Error> {
        self.core
            .loads_unsafe(token, salt, |token| self.loads_checked(token, salt))
    }
}
