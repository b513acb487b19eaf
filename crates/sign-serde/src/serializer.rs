//! `Serializer` and `TimedSerializer`: sign a value's serialized form, verify and load it back.

use std::marker::PhantomData;
use std::sync::Arc;
use std::time::SystemTime;

use serde::Serialize;
use serde::de::DeserializeOwned;
use sign_core::{
    Algorithm, Clock, ConfigError, DigestMethod, Error, ErrorKind, Fallback, KeyDerivation,
    KeyRing, MaxAge, SecretKey, Signer, SignerBuilder, SigningScheme, SystemClock, TimestampFormat,
    TimestampSigner, timestamp_to_time,
};

use crate::codec::{JsonCodec, PayloadCodec};

/// Python's `Serializer`: Python-dialect JSON signed with a plain [`Signer`].
///
/// For another payload format use `SignedSerializer<YourCodec, Signer>`.
pub type Serializer = SignedSerializer<JsonCodec, Signer>;

/// Python's `TimedSerializer`: Python-dialect JSON signed with a [`TimestampSigner`].
pub type TimedSerializer = SignedSerializer<JsonCodec, TimestampSigner>;

/// Serializes values with a [`PayloadCodec`] and signs the bytes with a [`SigningScheme`].
///
/// Use it through [`Serializer`], [`TimedSerializer`] or the URL-safe aliases of `sign-url`.
/// The primary signer and every fallback signer are built once, with the serializer.
///
/// # Default maximum age
/// A timed serializer may carry a default maximum age
/// ([`SerializerBuilder::max_age`]): `loads`, `loads_with_timestamp` with `None`,
/// `loads_decoded` with `None` and `dangerous::loads_unsafe` with `None` apply it, and a
/// per-call age ([`loads_max_age`](Self::loads_max_age), `Some(..)`) replaces it for that
/// call. itsdangerous' serializers have none; the Flask, Django-session and Starlette presets
/// set their framework's (31 days, `SESSION_COOKIE_AGE`, 14 days). A per-call age cannot
/// remove the default: build a serializer with
/// [`no_max_age`](SerializerBuilder::no_max_age) for that.
#[derive(Clone, Debug)]
pub struct SignedSerializer<C, S> {
    codec: C,
    config: SignerBuilder,
    fallbacks: Vec<Fallback>,
    clock: Arc<dyn Clock>,
    max_age: Option<MaxAge>,
    /// The primary signer first, then one per fallback.
    schemes: Vec<S>,
}

/// Configuration for a [`SignedSerializer`]. Start from [`SignedSerializer::builder`] or a
/// format's preset function.
///
/// It is the one builder of every token format: a format's preset returns it with the
/// format's defaults set (codec, salt, derivation, digest, default maximum age), and the
/// caller adds keys and changes what the format lets change.
#[derive(Clone, Debug)]
pub struct SerializerBuilder<C, S> {
    codec: C,
    config: SignerBuilder,
    fallbacks: Vec<Fallback>,
    clock: Arc<dyn Clock>,
    max_age: Option<MaxAge>,
    scheme: PhantomData<fn() -> S>,
}

impl<C: PayloadCodec, S: SigningScheme> SerializerBuilder<C, S> {
    /// A builder for `codec` with the codec's signer defaults
    /// ([`PayloadCodec::signer_defaults`]: Python's salt `itsdangerous` unless the format
    /// says otherwise), no default maximum age and no keys.
    #[must_use]
    pub fn with_codec(codec: C) -> Self {
        Self {
            config: codec.signer_defaults(),
            codec,
            fallbacks: Vec::new(),
            clock: Arc::new(SystemClock),
            max_age: None,
            scheme: PhantomData,
        }
    }

    /// Adds a secret key; keys are oldest first, the last one signs.
    #[must_use]
    pub fn key(mut self, key: impl AsRef<[u8]>) -> Self {
        self.config = self.config.key(key);
        self
    }

    /// Adds several secret keys, oldest first.
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

    /// Allows a zero-length secret key (see [`SignerBuilder::allow_empty_key`]).
    #[must_use]
    pub fn allow_empty_key(mut self) -> Self {
        self.config = self.config.allow_empty_key();
        self
    }

    /// Sets the salt (default `itsdangerous`).
    #[must_use]
    pub fn salt(mut self, salt: impl AsRef<[u8]>) -> Self {
        self.config = self.config.salt(salt);
        self
    }

    /// Sets the signer's separator (default `.`).
    #[must_use]
    pub fn separator(mut self, separator: impl AsRef<[u8]>) -> Self {
        self.config = self.config.separator(separator);
        self
    }

    /// Sets the signer's key derivation (default `django-concat`).
    #[must_use]
    pub fn key_derivation(mut self, key_derivation: KeyDerivation) -> Self {
        self.config = self.config.key_derivation(key_derivation);
        self
    }

    /// Sets the signer's digest (default SHA-1).
    #[must_use]
    pub fn digest(mut self, digest: DigestMethod) -> Self {
        self.config = self.config.digest(digest);
        self
    }

    /// Sets the signer's algorithm.
    #[must_use]
    pub fn algorithm(mut self, algorithm: Algorithm) -> Self {
        self.config = self.config.algorithm(algorithm);
        self
    }

    /// Replaces the keys (and their empty-key rule) with `ring`, shared, not copied.
    #[must_use]
    pub fn key_ring(mut self, ring: KeyRing) -> Self {
        self.config = self.config.key_ring(ring);
        self
    }

    /// Replaces the signer options (keys included) with `config`; its salt becomes the
    /// serializer's salt.
    #[must_use]
    pub fn signer_config(mut self, config: SignerBuilder) -> Self {
        self.config = config;
        self
    }

    /// Adds a fallback signer, tried in order after the primary one, for verifying only.
    #[must_use]
    pub fn fallback(mut self, fallback: Fallback) -> Self {
        self.fallbacks.push(fallback);
        self
    }

    /// Uses `clock` for "now" (timed serializers, and formats whose payload carries times,
    /// see [`PayloadCodec::use_clock`]).
    #[must_use]
    pub fn clock(mut self, clock: impl Clock + 'static) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// Sets the payload codec.
    #[must_use]
    pub fn codec(mut self, codec: C) -> Self {
        self.codec = codec;
        self
    }

    /// Changes the payload codec's settings (e.g. a decompression bound) in place.
    #[must_use]
    pub fn map_codec(mut self, change: impl FnOnce(C) -> C) -> Self {
        self.codec = change(self.codec);
        self
    }

    /// Builds the serializer and every signer it verifies with.
    ///
    /// # Errors
    /// As [`SignerBuilder::build`], for the primary signer and each fallback.
    pub fn build(self) -> Result<SignedSerializer<C, S>, ConfigError> {
        let mut codec = self.codec;
        codec.use_clock(&self.clock);
        let config = codec.fixed_signer_options(self.config);
        let schemes = S::build_set(&config, &self.fallbacks, &self.clock, None)?;
        Ok(SignedSerializer {
            codec,
            config,
            fallbacks: self.fallbacks,
            clock: self.clock,
            max_age: self.max_age,
            schemes,
        })
    }
}

impl<C: PayloadCodec, F: TimestampFormat> SerializerBuilder<C, TimestampSigner<F>> {
    /// Sets the default maximum age: `loads` (and every load without an age of its own)
    /// rejects tokens older than this or, with itsdangerous' timestamps, from the future.
    /// Accepts seconds or a [`std::time::Duration`]. A per-call age
    /// ([`SignedSerializer::loads_max_age`]) replaces it for that call.
    #[must_use]
    pub fn max_age(mut self, max_age: impl Into<MaxAge>) -> Self {
        self.max_age = Some(max_age.into());
        self
    }

    /// Removes the default maximum age: `loads` accepts tokens of any age (itsdangerous'
    /// default; Starlette's `max_age=None`).
    #[must_use]
    pub const fn no_max_age(mut self) -> Self {
        self.max_age = None;
        self
    }
}

impl<C: PayloadCodec + Default, S: SigningScheme> SignedSerializer<C, S> {
    /// A serializer with one key and Python's defaults.
    ///
    /// # Errors
    /// [`ConfigError::EmptySecretKey`] for an empty key.
    pub fn new(key: impl AsRef<[u8]>) -> Result<Self, ConfigError> {
        Self::builder().key(key).build()
    }

    /// A builder with Python's defaults and no keys.
    #[must_use]
    pub fn builder() -> SerializerBuilder<C, S> {
        SerializerBuilder::with_codec(C::default())
    }
}

impl<C: PayloadCodec, S: SigningScheme> SignedSerializer<C, S> {
    /// The payload codec.
    pub const fn codec(&self) -> &C {
        &self.codec
    }

    /// The signer configuration (keys, salt and options of the primary signer, with the
    /// options the codec fixes).
    pub const fn signer_config(&self) -> &SignerBuilder {
        &self.config
    }

    /// The default maximum age (timed schemes; always `None` for plain ones).
    pub const fn max_age(&self) -> Option<MaxAge> {
        self.max_age
    }

    /// Python's `make_signer(salt)`: the primary signer for `salt`, or for the configured
    /// salt when `None`. Built for the call.
    ///
    /// # Errors
    /// Only if the configuration is unusable, which building the serializer rules out.
    pub fn make_signer(&self, salt: Option<&[u8]>) -> Result<S, ConfigError> {
        let config = match salt {
            Some(salt) => self
                .codec
                .fixed_signer_options(self.config.clone().salt(salt)),
            None => self.config.clone(),
        };
        Ok(S::from_signer(config.build()?, &self.clock))
    }

    /// The primary signing scheme.
    pub fn primary(&self) -> Option<&S> {
        self.schemes.first()
    }

    /// The salt.
    pub fn salt(&self) -> &[u8] {
        self.schemes
            .first()
            .map_or(&[][..], |scheme| scheme.signer().salt())
    }

    /// The serialized form of `value`, unsigned (Python's `dump_payload`).
    ///
    /// # Errors
    /// `BadPayload` when the codec cannot represent the value.
    pub fn dump_payload<T: Serialize + ?Sized>(&self, value: &T) -> Result<Vec<u8>, Error> {
        let mut out = Vec::new();
        self.codec.encode(value, &mut out)?;
        Ok(out)
    }

    /// Decodes a payload (Python's `load_payload`).
    ///
    /// # Errors
    /// `BadPayload` with the cause attached.
    pub fn load_payload<T: DeserializeOwned>(&self, payload: &[u8]) -> Result<T, Error> {
        self.codec.decode(payload)
    }

    /// Serializes and signs `value` as bytes.
    ///
    /// # Errors
    /// `BadPayload` when the codec cannot represent the value.
    pub fn dumps_bytes<T: Serialize + ?Sized>(&self, value: &T) -> Result<Vec<u8>, Error> {
        let scheme = self.schemes.first();
        self.dumps_with(value, scheme)
    }

    /// Serializes and signs `value`.
    ///
    /// # Errors
    /// `BadPayload` when the codec cannot represent the value, or the token is not UTF-8
    /// (only with a separator that is not UTF-8, where Python raises too).
    pub fn dumps<T: Serialize + ?Sized>(&self, value: &T) -> Result<String, Error> {
        into_text(self.dumps_bytes(value)?)
    }

    /// [`dumps`](Self::dumps) with another salt for this call only.
    ///
    /// This builds a signer (key derivation and HMAC setup) for the call; keep a serializer
    /// per salt where that matters.
    ///
    /// # Errors
    /// As `dumps`.
    pub fn dumps_with_salt<T: Serialize + ?Sized>(
        &self,
        value: &T,
        salt: impl AsRef<[u8]>,
    ) -> Result<String, Error> {
        let schemes = self.schemes_for_salt(salt.as_ref())?;
        into_text(self.dumps_with(value, schemes.first())?)
    }

    fn dumps_with<T: Serialize + ?Sized>(
        &self,
        value: &T,
        scheme: Option<&S>,
    ) -> Result<Vec<u8>, Error> {
        self.sign_encoded(scheme, None, |codec, out| codec.encode(value, out))
    }

    /// Writes the payload with `encode` into the output buffer and signs it in place: one
    /// allocation per token, room reserved for the timestamp and signature.
    fn sign_encoded(
        &self,
        scheme: Option<&S>,
        timestamp: Option<u64>,
        encode: impl FnOnce(&C, &mut Vec<u8>) -> Result<(), Error>,
    ) -> Result<Vec<u8>, Error> {
        let Some(scheme) = scheme else {
            return Err(no_signer());
        };
        // separators, base64 of an 8-byte timestamp (11), base64 of a SHA-512 tag (86)
        let tail = 2 * self.config_separator_len() + 11 + 86;
        // A payload of up to 128 bytes and its signature fit the first allocation.
        let mut out = Vec::with_capacity(128 + tail);
        encode(&self.codec, &mut out)?;
        out.reserve(tail);
        scheme.sign_appended(&mut out, 0, timestamp);
        Ok(out)
    }

    /// Signs the payload that `encode` writes with the codec: the extension point for token
    /// formats whose payload needs more than the value (the JWS header fields of a call).
    ///
    /// # Errors
    /// What `encode` returns; `BadPayload` when the token is not UTF-8.
    pub fn dumps_encoded(
        &self,
        encode: impl FnOnce(&C, &mut Vec<u8>) -> Result<(), Error>,
    ) -> Result<String, Error> {
        into_text(self.sign_encoded(self.schemes.first(), None, encode)?)
    }

    /// Verifies `token` like [`loads`](Self::loads) (every signer, timed schemes with
    /// `max_age`, or the default maximum age when `None`) and hands the verified payload to `decode`: the extension point for token
    /// formats that return more than the value (the JWS header). Returns what `decode`
    /// returns and, for timed schemes, the signing time in Unix seconds.
    ///
    /// # Errors
    /// As [`loads`](Self::loads); whatever `decode` returns.
    pub fn loads_decoded<R>(
        &self,
        token: impl AsRef<[u8]>,
        max_age: Option<MaxAge>,
        decode: impl FnOnce(&C, &[u8]) -> Result<R, Error>,
    ) -> Result<(R, Option<u64>), Error> {
        self.load_stages(&self.schemes, token.as_ref(), max_age, decode)
            .map_err(LoadError::into_error)
    }

    /// A serializer with the same codec, fallbacks and clock and the signer options that
    /// `change` makes of this one's (for a per-call variant, e.g. another salt). Builds the
    /// signers, so the cost is that of [`SerializerBuilder::build`].
    ///
    /// # Errors
    /// As [`SerializerBuilder::build`].
    pub fn with_signer_config(
        &self,
        change: impl FnOnce(SignerBuilder) -> SignerBuilder,
    ) -> Result<Self, ConfigError> {
        let config = self.codec.fixed_signer_options(change(self.config.clone()));
        let schemes = S::build_set(&config, &self.fallbacks, &self.clock, None)?;
        Ok(Self {
            codec: self.codec.clone(),
            config,
            fallbacks: self.fallbacks.clone(),
            clock: Arc::clone(&self.clock),
            max_age: self.max_age,
            schemes,
        })
    }

    fn config_separator_len(&self) -> usize {
        self.schemes
            .first()
            .map_or(1, |scheme| scheme.separator_len())
    }

    fn schemes_for_salt(&self, salt: &[u8]) -> Result<Vec<S>, Error> {
        let config = self
            .codec
            .fixed_signer_options(self.config.clone().salt(salt));
        S::build_set(&config, &self.fallbacks, &self.clock, Some(salt)).map_err(|e| {
            Error::new(ErrorKind::BadData, "invalid signer configuration").with_source(e)
        })
    }

    /// Verifies `token` with the primary signer, then each fallback, and decodes the payload
    /// of the first that accepts it (Python's `loads`). Timed schemes check the default
    /// maximum age, if the serializer has one.
    ///
    /// # Errors
    /// The last signer's `BadSignature` (or subclass) when none accepts the token;
    /// `SignatureExpired` at once (timed); `BadPayload` at once when a valid signature covers
    /// a payload that does not decode: later fallbacks are not tried, as in Python.
    pub fn loads<T: DeserializeOwned>(&self, token: impl AsRef<[u8]>) -> Result<T, Error> {
        self.load_with(&self.schemes, token.as_ref(), None)
            .map(|(value, _)| value)
    }

    /// [`loads`](Self::loads), or `T::default()` when no signer accepts the token or it
    /// expired (every `BadSignature` and subclass): how the session frameworks open a session
    /// (Flask's `open_session`, Starlette's middleware).
    ///
    /// # Errors
    /// Only what is not a bad signature: `BadPayload` for a validly signed payload that does
    /// not decode to a `T` (Flask and Starlette fail there too, with HTTP 500).
    pub fn loads_or_default<T: DeserializeOwned + Default>(
        &self,
        token: impl AsRef<[u8]>,
    ) -> Result<T, Error> {
        match self.loads(token) {
            Ok(value) => Ok(value),
            Err(error) if error.is_bad_signature() => Ok(T::default()),
            Err(error) => Err(error),
        }
    }

    /// [`loads`](Self::loads) with another salt for this call only (see
    /// [`dumps_with_salt`](Self::dumps_with_salt) for the cost).
    ///
    /// # Errors
    /// As `loads`.
    pub fn loads_with_salt<T: DeserializeOwned>(
        &self,
        token: impl AsRef<[u8]>,
        salt: impl AsRef<[u8]>,
    ) -> Result<T, Error> {
        let schemes = self.schemes_for_salt(salt.as_ref())?;
        self.load_with(&schemes, token.as_ref(), None)
            .map(|(value, _)| value)
    }

    /// The shared loading loop. Returns the value and, for timed schemes, the timestamp.
    pub(crate) fn load_with<T: DeserializeOwned>(
        &self,
        schemes: &[S],
        token: &[u8],
        max_age: Option<MaxAge>,
    ) -> Result<(T, Option<u64>), Error> {
        self.load_stages(schemes, token, max_age, |codec, payload| {
            codec.decode(payload)
        })
        .map_err(LoadError::into_error)
    }

    /// The loading loop, telling which stage failed (for `dangerous::loads_unsafe`): the
    /// primary signer, then each fallback; `SignatureExpired` or any error that is not a
    /// bad signature stops at once; a verified payload goes to `decode` and its error is
    /// final, as in Python.
    pub(crate) fn load_stages<R>(
        &self,
        schemes: &[S],
        token: &[u8],
        max_age: Option<MaxAge>,
        decode: impl FnOnce(&C, &[u8]) -> Result<R, Error>,
    ) -> Result<(R, Option<u64>), LoadError> {
        let max_age = max_age.or(self.max_age);
        // Built only when no scheme verified: the common (valid) token never makes one.
        let mut last_error = None;
        for scheme in schemes {
            match scheme.verify(token, max_age) {
                Ok((payload, timestamp)) => {
                    return match decode(&self.codec, payload) {
                        Ok(value) => Ok((value, timestamp)),
                        Err(error) => Err(LoadError::Decode(error)),
                    };
                }
                Err(error) if error.is_expired() || !error.is_bad_signature() => {
                    return Err(LoadError::Verify(error));
                }
                Err(error) => last_error = Some(error),
            }
        }
        Err(LoadError::Verify(last_error.unwrap_or_else(|| {
            Error::bad_signature("signature does not match")
        })))
    }

    /// The schemes for an optional per-call salt.
    pub(crate) fn schemes_or_salted(
        &self,
        salt: Option<&[u8]>,
    ) -> Result<std::borrow::Cow<'_, [S]>, Error> {
        match salt {
            None => Ok(std::borrow::Cow::Borrowed(&self.schemes)),
            Some(salt) => self.schemes_for_salt(salt).map(std::borrow::Cow::Owned),
        }
    }
}

impl<C: PayloadCodec, F: TimestampFormat> SignedSerializer<C, TimestampSigner<F>> {
    /// Verifies and loads `token`, rejecting it when older than `max_age` or from the
    /// future (Python's `loads(s, max_age=...)`). `max_age` replaces the serializer's
    /// default maximum age for this call, longer or shorter.
    ///
    /// # Errors
    /// As [`loads`](Self::loads); `SignatureExpired` for an expired token, carrying its
    /// signing time and (through `dangerous`) its payload bytes.
    pub fn loads_max_age<T: DeserializeOwned>(
        &self,
        token: impl AsRef<[u8]>,
        max_age: impl Into<MaxAge>,
    ) -> Result<T, Error> {
        self.load_with(&self.schemes, token.as_ref(), Some(max_age.into()))
            .map(|(value, _)| value)
    }

    /// Verifies and loads `token` with an optional age limit (`None`: the default maximum
    /// age, if any) and optional per-call salt, returning the value and its signing time
    /// (Python's `return_timestamp=True`).
    ///
    /// # Errors
    /// As [`loads_max_age`](Self::loads_max_age).
    pub fn loads_with_timestamp<T: DeserializeOwned>(
        &self,
        token: impl AsRef<[u8]>,
        max_age: Option<MaxAge>,
        salt: Option<&[u8]>,
    ) -> Result<(T, SystemTime), Error> {
        let schemes = self.schemes_or_salted(salt)?;
        let (value, timestamp) = self.load_with(&schemes, token.as_ref(), max_age)?;
        let time = timestamp
            .and_then(timestamp_to_time)
            .ok_or_else(|| Error::new(ErrorKind::BadTimeSignature, "malformed timestamp"))?;
        Ok((value, time))
    }

    /// Signs `value` as if at `timestamp` (Unix seconds), e.g. for reproducible tokens.
    ///
    /// # Errors
    /// As [`dumps`](Self::dumps).
    pub fn dumps_at<T: Serialize + ?Sized>(
        &self,
        value: &T,
        timestamp: u64,
    ) -> Result<String, Error> {
        into_text(
            self.sign_encoded(self.schemes.first(), Some(timestamp), |codec, out| {
                codec.encode(value, out)
            })?,
        )
    }
}

/// Where loading failed: verifying the token (a bad signature, an expired token), or decoding
/// (and checking) a verified payload.
pub(crate) enum LoadError {
    Verify(Error),
    Decode(Error),
}

impl LoadError {
    fn into_error(self) -> Error {
        match self {
            Self::Verify(error) | Self::Decode(error) => error,
        }
    }
}

/// A serializer always has its primary signer; this error means that invariant broke, and
/// it is returned rather than ever emitting an unsigned token.
fn no_signer() -> Error {
    Error::new(ErrorKind::BadData, "serializer has no signer")
}

fn into_text(token: Vec<u8>) -> Result<String, Error> {
    String::from_utf8(token).map_err(|e| Error::bad_payload("the token is not UTF-8", e))
}
