//! `JwsSerializer` and `TimedJwsSerializer` (Python's `JSONWebSignatureSerializer` and
//! `TimedJSONWebSignatureSerializer`, itsdangerous 2.0.1): the signed-serializer engine of
//! `sign-serde` with a plain [`Signer`] and the JWS header codec ([`JwsCodec`]), which
//! writes the header, checks `alg` (and, timed, `exp`) after verification and fixes the
//! signer options JWS implies.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use python_json::Value;
use serde::Serialize;
use serde::de::DeserializeOwned;
use sign_core::{
    Clock, DigestMethod, Error, ErrorKind, KeyDerivation, Signer, SignerBuilder, SystemClock,
};
use sign_serde::{PayloadCodec, SignedSerializer};

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
        /// Takes the engine's clock (the timed flavour's "now").
        fn use_clock(&mut self, clock: &std::sync::Arc<dyn sign_core::Clock>);
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

    fn use_clock(&mut self, _clock: &Arc<dyn Clock>) {}
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

    fn use_clock(&mut self, clock: &Arc<dyn Clock>) {
        self.clock = Arc::clone(clock);
    }
}

/// The JWS payload codec: `b64u(header JSON) "." b64u(payload JSON)`, compact JSON as
/// Python writes it, the header made from the algorithm and the claims. Decoding a verified
/// payload also checks `alg` (it must be this codec's) and the claims.
///
/// It is what makes the engine a JWS serializer: it also fixes the signer options that
/// itsdangerous 2.0.1's `make_signer` passes whatever the configuration says, so no builder
/// setting can contradict the header: the HMAC algorithm is the codec's
/// ([`with_algorithm`](Self::with_algorithm), default `HS512`), the separator `.`, the
/// digest of the key derivation SHA-1, and the key derivation `none` without a salt (the
/// secret key is the HMAC key, as in standard JWS) or `django-concat` with one (set with the
/// builder's `salt`, or per call). The timed flavour takes the engine's clock for `iat` and
/// the expiry check.
#[derive(Clone, Debug, Default)]
pub struct JwsCodec<F> {
    algorithm: JwsAlgorithm,
    claims: F,
}

impl<F: JwsClaims> JwsCodec<F> {
    /// Sets the algorithm (default [`JwsAlgorithm::Hs512`]): the header's `alg` and the
    /// signer's HMAC. With the engine's builder:
    /// `.map_codec(|codec| codec.with_algorithm(JwsAlgorithm::Hs256))`.
    #[must_use]
    pub const fn with_algorithm(mut self, algorithm: JwsAlgorithm) -> Self {
        self.algorithm = algorithm;
        self
    }

    /// The algorithm.
    #[must_use]
    pub const fn algorithm(&self) -> JwsAlgorithm {
        self.algorithm
    }

    /// Python's `make_header(header_fields)`: a copy of `fields` with `alg` set (in place if
    /// present, otherwise last); the timed flavour then sets `iat` (now) and `exp`
    /// (`iat + expires_in`) the same way.
    #[must_use]
    pub fn make_header(&self, fields: Option<&Header>) -> Header {
        let mut header = wire::make_header(fields, self.algorithm);
        sealed::Claims::extend_header(&self.claims, &mut header);
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

impl JwsCodec<TimedOptions> {
    /// Sets how long new tokens are valid, in seconds: `exp = iat + expires_in` (default
    /// [`DEFAULT_EXPIRES_IN`], one hour). With the engine's builder:
    /// `.map_codec(|codec| codec.with_expires_in(600))`.
    #[must_use]
    pub const fn with_expires_in(mut self, seconds: u64) -> Self {
        self.claims.expires_in = seconds;
        self
    }

    /// How long new tokens are valid, in seconds.
    #[must_use]
    pub const fn expires_in(&self) -> u64 {
        self.claims.expires_in
    }

    /// Python's `now()`: the clock's Unix seconds (the engine's clock once built).
    #[must_use]
    pub fn now(&self) -> u64 {
        self.claims.clock.now()
    }
}

impl<F: JwsClaims> PayloadCodec for JwsCodec<F> {
    fn encode<T: Serialize + ?Sized>(&self, value: &T, out: &mut Vec<u8>) -> Result<(), Error> {
        wire::dump_payload(&self.make_header(None), value, out)
    }

    /// No salt, separator `.`, SHA-1: itsdangerous 2.0.1's defaults.
    fn signer_defaults(&self) -> SignerBuilder {
        Signer::builder().separator(".").digest(DigestMethod::Sha1)
    }

    /// Python's `make_signer(salt)`: separator `.`, SHA-1, the codec's algorithm; no salt
    /// means no key derivation (the secret key is the HMAC key), a salt `django-concat`.
    fn fixed_signer_options(&self, config: SignerBuilder) -> SignerBuilder {
        let derivation = if config.configured_salt().is_some() {
            KeyDerivation::DjangoConcat
        } else {
            sign_core::dangerous::no_key_derivation()
        };
        config
            .separator(".")
            .digest(DigestMethod::Sha1)
            .algorithm(self.algorithm.signing_algorithm())
            .key_derivation(derivation)
    }

    fn use_clock(&mut self, clock: &Arc<dyn Clock>) {
        sealed::Claims::use_clock(&mut self.claims, clock);
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

/// A JWS serializer of either flavour: the signed-serializer engine with the JWS codec and a
/// plain [`Signer`]. Use it through [`JwsSerializer`] or [`TimedJwsSerializer`]; configure it
/// with their `builder()`, which is the engine's
/// [`SerializerBuilder`](sign_serde::SerializerBuilder) with the JWS defaults (no salt,
/// `HS512`): `key`/`keys`/`key_ring`, `salt`, `clock`, and the codec's settings through
/// `map_codec` ([`JwsCodec::with_algorithm`], [`JwsCodec::with_expires_in`]).
///
/// Header and payload are compact JSON (`,` and `:`, UTF-8 kept), byte for byte as Python
/// writes them. The algorithm is fixed by the serializer and never read from a token: a
/// token whose header names another algorithm is rejected (`BadHeader`).
///
/// The engine's calls are Python's: `dumps`, `loads` (errors below), `dumps_with_salt`,
/// `loads_with_salt`, `make_signer(salt)`; the codec has `make_header`, `dump_payload`,
/// `algorithm` (and, timed, `expires_in`, `now`); the calls with header fields in or the
/// header out are [`WithHeader`]'s. `loads` fails with:
/// - `BadSignature` when the signature does not match any key (also for a `none` token);
/// - `BadHeader` for a header that is not base64, not JSON or not an object, or whose `alg`
///   is not this serializer's (`"algorithm mismatch"`; header and payload through
///   [`crate::dangerous`]);
/// - `BadPayload` without a `.` in the signed part, or for a payload that is not base64,
///   not JSON, or not a `T`;
/// - timed flavour: `BadSignature` (`"missing expiry date"`) without `exp`; `BadHeader`
///   (`"expiry date is not an IntDate"`) when `exp` is not what Python's `int()` accepts
///   (an integer, a float, a bool or a numeric string), or is negative; `SignatureExpired`
///   when `exp` is before now, with [`Error::date_signed`] from `iat` and the payload
///   through [`crate::dangerous::unverified_payload`].
pub type Jws<F> = SignedSerializer<JwsCodec<F>, Signer>;

/// Python's `JSONWebSignatureSerializer` (itsdangerous 2.0.1): JSON Web Signature tokens
/// `b64u(header) "." b64u(payload) "." b64u(HMAC)`. See [`Jws`].
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
///     .map_codec(|codec| codec.with_expires_in(3600))
///     .clock(FixedClock(1_308_874_145))
///     .build()?;
/// let token = jws.dumps(&json!({"id": 42}))?;
/// assert_eq!(token, "eyJhbGciOiJIUzUxMiIsImlhdCI6MTMwODg3NDE0NSwiZXhwIjoxMzA4ODc3NzQ1fQ.eyJpZCI6NDJ9.zmDNmioBzsHNFeCFtSVE2Um-jF7dkpNFv8AZqnf8XgniLXSPD-asVGxJiL9wkz4DEoq3foS-4bSUgwWbZwIvJw");
/// assert_eq!(jws.loads::<Value>(&token)?, json!({"id": 42}));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub type TimedJwsSerializer = Jws<TimedOptions>;

mod sealed_calls {
    pub trait Sealed {}
    impl<F: super::JwsClaims> Sealed for super::Jws<F> {}
}

/// The JWS calls that take header fields or return the header (Python's
/// `dumps(obj, salt=, header_fields=)` and `loads(s, salt=, return_header=True)`), on a
/// [`Jws`]. Sealed.
pub trait WithHeader: sealed_calls::Sealed {
    /// [`dumps`](SignedSerializer::dumps) with extra header fields, in their order, before
    /// `alg` (Python's `dumps(obj, header_fields=)`). An `alg` among them is overwritten in
    /// place.
    ///
    /// # Errors
    /// `BadPayload` when a value cannot be written as JSON (NaN, infinities).
    fn dumps_with_header<T: Serialize + ?Sized>(
        &self,
        value: &T,
        header_fields: &Header,
    ) -> Result<String, Error> {
        self.dumps_with(value, Some(header_fields), None)
    }

    /// Python's `dumps(obj, salt=None, header_fields=None)` with both options; a salt
    /// derives the key for the call.
    ///
    /// # Errors
    /// As [`dumps_with_header`](Self::dumps_with_header).
    fn dumps_with<T: Serialize + ?Sized>(
        &self,
        value: &T,
        header_fields: Option<&Header>,
        salt: Option<&[u8]>,
    ) -> Result<String, Error>;

    /// Verifies `token` and returns its payload and header (Python's
    /// `loads(s, salt=salt, return_header=True)`); the timed flavour's `exp` is the integer
    /// Python's `int()` made of it.
    ///
    /// # Errors
    /// As [`Jws`]'s `loads`.
    fn loads_with_header<T: DeserializeOwned>(
        &self,
        token: impl AsRef<[u8]>,
        salt: Option<&[u8]>,
    ) -> Result<(T, Header), Error>;
}

impl<F: JwsClaims> WithHeader for Jws<F> {
    fn dumps_with<T: Serialize + ?Sized>(
        &self,
        value: &T,
        header_fields: Option<&Header>,
        salt: Option<&[u8]>,
    ) -> Result<String, Error> {
        for_salt(self, salt)?.dumps_encoded(|codec, out| {
            wire::dump_payload(&codec.make_header(header_fields), value, out)
        })
    }

    fn loads_with_header<T: DeserializeOwned>(
        &self,
        token: impl AsRef<[u8]>,
        salt: Option<&[u8]>,
    ) -> Result<(T, Header), Error> {
        for_salt(self, salt)?
            .loads_decoded(token, None, |codec, signed| codec.decode_checked(signed))
            .map(|(loaded, _)| loaded)
    }
}

/// The serializer for a per-call salt (Python's `make_signer(salt)`), or `jws` itself.
fn for_salt<'a, F: JwsClaims>(
    jws: &'a Jws<F>,
    salt: Option<&[u8]>,
) -> Result<Cow<'a, Jws<F>>, Error> {
    let Some(salt) = salt else {
        return Ok(Cow::Borrowed(jws));
    };
    jws.with_signer_config(|config| config.salt(salt))
        .map(Cow::Owned)
        .map_err(|e| Error::new(ErrorKind::BadData, "invalid signer configuration").with_source(e))
}

/// Python's `loads_unsafe(s, salt=salt, return_header=True)` through the engine's one
/// `loads_unsafe` (see [`crate::dangerous::loads_unsafe_with_header`]).
pub(crate) fn loads_unsafe_with_header<T: DeserializeOwned, F: JwsClaims>(
    jws: &Jws<F>,
    token: &[u8],
    salt: Option<&[u8]>,
    limits: &KeylessLimits,
) -> Result<(bool, Option<(T, Header)>), Error> {
    sign_serde::dangerous::loads_unsafe_with(
        jws,
        token,
        None,
        salt,
        |codec, signed| codec.decode_checked(signed),
        |_, signed| JwsCodec::<F>::decode_parts(signed, limits),
    )
}
