//! `TimestampSigner`: signatures that carry the time they were made.

use std::sync::Arc;

use crate::format::{Itsdangerous, TimestampFormat, Verified};
use crate::{Clock, ConfigError, Error, MaxAge, Signer, SystemClock};

/// Signs values together with the current time, and verifies them with an optional maximum
/// age (Python's `itsdangerous.TimestampSigner`).
///
/// A token is `value SEP base64url(timestamp) SEP signature`; the timestamp is Unix seconds
/// as big-endian bytes without leading zeros, and the signature covers value and timestamp.
///
/// ```
/// use sign_core::{FixedClock, TimestampSigner};
///
/// let signer = TimestampSigner::new("secret-key")?.with_clock(FixedClock(1_308_874_145));
/// let token = signer.sign("value");
/// assert_eq!(token, b"value.TgPVoQ.UuTmbd1hhGp7tyOFjT0H9ILwyfg");
/// assert_eq!(signer.unsign_max_age(&token, 10)?, b"value");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// The type parameter is the [`TimestampFormat`]: how the time is written into the token and
/// how a token's age is judged. The default, [`Itsdangerous`], is the one described above;
/// [`Django`](crate::Django) writes base62 times and accepts tokens from the future.
#[derive(Clone, Debug)]
pub struct TimestampSigner<F = Itsdangerous> {
    signer: Signer,
    clock: Arc<dyn Clock>,
    format: F,
}

impl TimestampSigner {
    /// A timestamp signer with one key, Python's defaults and the system clock.
    ///
    /// # Errors
    /// [`ConfigError::EmptySecretKey`] for an empty key.
    pub fn new(key: impl AsRef<[u8]>) -> Result<Self, ConfigError> {
        Ok(Self::from_signer(Signer::new(key)?))
    }

    /// Wraps a configured [`Signer`] (build it with [`Signer::builder`]); same keys, salt,
    /// separator, derivation and digest.
    #[must_use]
    pub fn from_signer(signer: Signer) -> Self {
        Self::from_signer_with_format(signer, Itsdangerous)
    }
}

impl<F: TimestampFormat> TimestampSigner<F> {
    /// Wraps a configured [`Signer`] and writes and judges timestamps with `format`.
    #[must_use]
    pub fn from_signer_with_format(signer: Signer, format: F) -> Self {
        Self {
            signer,
            clock: Arc::new(SystemClock),
            format,
        }
    }

    /// The timestamp format.
    #[must_use]
    pub const fn format(&self) -> &F {
        &self.format
    }

    /// Uses `clock` for "now" instead of the system clock.
    #[must_use]
    pub fn with_clock(mut self, clock: impl Clock + 'static) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// Uses a shared clock.
    #[must_use]
    pub fn with_shared_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// The underlying signer.
    #[must_use]
    pub const fn signer(&self) -> &Signer {
        &self.signer
    }

    /// The clock.
    #[must_use]
    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.clock
    }

    /// The current time from the clock (Python's `get_timestamp`).
    #[must_use]
    pub fn timestamp(&self) -> u64 {
        self.clock.now()
    }

    /// Signs `value` with the current time.
    #[must_use]
    pub fn sign(&self, value: impl AsRef<[u8]>) -> Vec<u8> {
        self.sign_at(value, self.clock.now())
    }

    /// Signs `value` as if at `timestamp` (Unix seconds).
    #[must_use]
    pub fn sign_at(&self, value: impl AsRef<[u8]>, timestamp: u64) -> Vec<u8> {
        let mut out = Vec::new();
        self.sign_into(value.as_ref(), timestamp, &mut out);
        out
    }

    /// Appends the token for `value` signed at `timestamp` to `out`.
    fn sign_into(&self, value: &[u8], timestamp: u64, out: &mut Vec<u8>) {
        let start = out.len();
        out.reserve(
            value
                .len()
                .saturating_add(2 * self.signer.separator().len() + 11 + 86),
        );
        out.extend_from_slice(value);
        self.sign_tail_at(out, start, timestamp);
    }

    /// Signs `buf[start..]` in place at `timestamp`: appends `SEP timestamp SEP signature`.
    /// Serializers build their payload in the output buffer and call this (through
    /// [`crate::SigningScheme`]).
    pub(crate) fn sign_tail_at(&self, buf: &mut Vec<u8>, start: usize, timestamp: u64) {
        buf.extend_from_slice(self.signer.separator());
        self.format.encode(timestamp, buf);
        self.signer.append_signature(buf, start);
    }

    /// Verifies `signed` without an age limit and returns its value.
    ///
    /// # Errors
    /// See [`unsign_with_timestamp`](Self::unsign_with_timestamp).
    pub fn unsign<'a, T: AsRef<[u8]> + ?Sized>(&self, signed: &'a T) -> Result<&'a [u8], Error> {
        self.unsign_parts(signed.as_ref(), None, false)
            .map(|verified| verified.value)
    }

    /// Verifies `signed`, rejecting it if older than `max_age` or from the future.
    ///
    /// # Errors
    /// See [`unsign_with_timestamp`](Self::unsign_with_timestamp).
    pub fn unsign_max_age<'a, T: AsRef<[u8]> + ?Sized>(
        &self,
        signed: &'a T,
        max_age: impl Into<MaxAge>,
    ) -> Result<&'a [u8], Error> {
        self.unsign_parts(signed.as_ref(), Some(max_age.into()), true)
            .map(|verified| verified.value)
    }

    /// Verifies `signed` with an optional maximum age and returns value and signing time
    /// (Python's `unsign(..., return_timestamp=True)`).
    ///
    /// # Errors
    /// - `BadSignature` when there is no separator, or when the signature fails and the value
    ///   has no second separator (as Python);
    /// - `BadTimeSignature` when the signature fails, or is valid but the timestamp is missing
    ///   or malformed (not canonical base64, over 8 bytes, or past year 9999);
    /// - `SignatureExpired` when `now - signed > max_age`, or the token is from the future
    ///   and a `max_age` is given. Its [`Error::date_signed`] is the signing time.
    pub fn unsign_with_timestamp<'a, T: AsRef<[u8]> + ?Sized>(
        &self,
        signed: &'a T,
        max_age: Option<MaxAge>,
    ) -> Result<Verified<'a>, Error> {
        self.unsign_parts(signed.as_ref(), max_age, true)
    }

    /// Whether `signed` is valid and, with `max_age`, not expired.
    #[must_use]
    pub fn validate(&self, signed: impl AsRef<[u8]>, max_age: Option<MaxAge>) -> bool {
        self.unsign_parts(signed.as_ref(), max_age, max_age.is_some())
            .is_ok()
    }

    /// Verifies with the format's rules. `need_time` says whether the caller uses the signing
    /// time.
    fn unsign_parts<'a>(
        &self,
        signed: &'a [u8],
        max_age: Option<MaxAge>,
        need_time: bool,
    ) -> Result<Verified<'a>, Error> {
        self.format
            .unsign(&self.signer, signed, max_age, &*self.clock, need_time)
    }
}
