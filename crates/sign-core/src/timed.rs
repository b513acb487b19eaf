//! `TimestampSigner`: signatures that carry the time they were made.

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::encoding::{base64_decode_into, base64_encode_into, bytes_to_int, encoded_len};
use crate::format::{Itsdangerous, TimestampFormat};
use crate::{Clock, ConfigError, Error, ErrorKind, MaxAge, Signer, SystemClock};

/// The last second Python's `datetime` can represent (9999-12-31T23:59:59Z).
///
/// When a signature fails, Python reports a later timestamp as malformed, and so do we. With a
/// valid signature Python raises `ValueError` (not a `BadData`) for such times; we accept
/// every time `SystemTime` can represent instead (see `docs/compatibility.md`).
pub const MAX_PYTHON_TIMESTAMP: u64 = 253_402_300_799;

/// A value whose signature and age were checked, with its signing time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Verified<'a> {
    /// The value, borrowed from the token.
    pub value: &'a [u8],
    /// When it was signed, in Unix seconds.
    pub timestamp: u64,
}

impl Verified<'_> {
    /// The signing time.
    #[must_use]
    pub fn signed_at(&self) -> SystemTime {
        // `unsign_with_timestamp` only returns timestamps that `timestamp_to_time` accepts.
        timestamp_to_time(self.timestamp).unwrap_or(UNIX_EPOCH)
    }
}

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

/// Appends itsdangerous' timestamp: big-endian bytes without leading zeros, URL-safe base64.
pub(crate) fn encode_itsdangerous(timestamp: u64, out: &mut Vec<u8>) {
    let bytes = timestamp.to_be_bytes();
    let skip = bytes.iter().take_while(|b| **b == 0).count();
    base64_encode_into(bytes.get(skip..).unwrap_or_default(), out);
}

/// The steps of itsdangerous 2.2's `TimestampSigner.unsign`, in its order (the verdicts
/// are in docs/compatibility.md, "Timed behaviour"). `need_time` says whether the caller
/// uses the signing time (Python converts it to a datetime only then).
pub(crate) fn unsign_itsdangerous<'a>(
    signer: &Signer,
    signed: &'a [u8],
    max_age: Option<MaxAge>,
    clock: &dyn Clock,
    need_time: bool,
) -> Result<Verified<'a>, Error> {
    let Some((message, signature)) = signer.split(signed) else {
        return Err(Error::bad_signature("no separator found in value"));
    };
    let signature_ok = signer.verify_signature(message, signature);
    let Some((value, encoded_timestamp)) = signer.split(message) else {
        return Err(if signature_ok {
            Error::new(ErrorKind::BadTimeSignature, "timestamp missing")
                .with_unverified_payload_len(message.len())
        } else {
            Error::bad_signature("signature does not match")
                .with_unverified_payload_len(message.len())
        });
    };
    let timestamp = decode_timestamp(encoded_timestamp);
    if !signature_ok {
        let error = Error::new(ErrorKind::BadTimeSignature, "signature does not match")
            .with_unverified_payload_len(value.len());
        return Err(match timestamp {
            Some(ts) if ts > MAX_PYTHON_TIMESTAMP => malformed(value),
            Some(ts) => match timestamp_to_time(ts) {
                Some(time) => error.with_date_signed(time, false),
                None => malformed(value),
            },
            None => error,
        });
    }
    let Some(timestamp) = timestamp else {
        return Err(malformed(value));
    };
    if let Some(max_age) = max_age {
        let age = i128::from(clock.now()) - i128::from(timestamp);
        let limit = i128::from(max_age.as_secs());
        let message = if age > limit {
            Some(format!("signature age {age} > {limit} seconds"))
        } else if age < 0 {
            Some(format!("signature age {age} < 0 seconds"))
        } else {
            None
        };
        if let Some(message) = message {
            let Some(time) = timestamp_to_time(timestamp) else {
                return Err(malformed(value));
            };
            return Err(Error::new(ErrorKind::SignatureExpired, message)
                .with_unverified_payload_len(value.len())
                .with_date_signed(time, true));
        }
    }
    if need_time && timestamp_to_time(timestamp).is_none() {
        return Err(malformed(value));
    }
    Ok(Verified { value, timestamp })
}

fn malformed(value: &[u8]) -> Error {
    Error::new(ErrorKind::BadTimeSignature, "malformed timestamp")
        .with_unverified_payload_len(value.len())
}

/// Strict base64 of at most 8 big-endian bytes, or `None`.
fn decode_timestamp(encoded: &[u8]) -> Option<u64> {
    if encoded.len() > encoded_len(8) {
        return None;
    }
    let mut bytes = [0u8; 8];
    let len = base64_decode_into(encoded, &mut bytes).ok()?;
    bytes_to_int(bytes.get(..len)?).ok()
}

/// The `SystemTime` of a Unix timestamp, if the platform can represent it.
#[must_use]
pub fn timestamp_to_time(timestamp: u64) -> Option<SystemTime> {
    UNIX_EPOCH.checked_add(Duration::from_secs(timestamp))
}
