//! How a timestamp signer writes the signing time and judges a token's age (itsdangerous'
//! rules or Django's), and what verifying gives: the [`Verified`] value and its time.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::encoding::{base64_decode_int, base64_encode_into};
use crate::{Clock, Error, ErrorKind, MaxAge, Signer, base62};

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

mod sealed {
    pub trait Sealed {}
    impl Sealed for super::Itsdangerous {}
    impl Sealed for super::Django {}
}

/// The way a [`TimestampSigner`](crate::TimestampSigner) writes the signing time into a token
/// and verifies a token: the signature check over the exact received bytes first, then the
/// time's decoding and the age rule.
///
/// Sealed: the formats are [`Itsdangerous`] (the default) and [`Django`]; every serializer
/// accepts `TimestampSigner<F>` for either as its signing scheme.
pub trait TimestampFormat:
    sealed::Sealed + Clone + fmt::Debug + Default + Send + Sync + 'static
{
    /// Appends the encoding of `timestamp` (Unix seconds) to `out`.
    fn encode(&self, timestamp: u64, out: &mut Vec<u8>);

    /// Verifies `signed` (`value SEP time SEP signature`) with `signer`: the signature over
    /// the exact received bytes first, then the time and, with `max_age`, the age at
    /// `clock.now()`. `need_time` says whether the caller uses the signing time.
    ///
    /// # Errors
    /// The framework's own error classes for a bad signature, a bad time or an expired token.
    fn unsign<'a>(
        &self,
        signer: &Signer,
        signed: &'a [u8],
        max_age: Option<MaxAge>,
        clock: &dyn Clock,
        need_time: bool,
    ) -> Result<Verified<'a>, Error>;
}

/// itsdangerous' format: the time as big-endian bytes in URL-safe base64; a token from the
/// future expires when a maximum age is given.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Itsdangerous;

impl TimestampFormat for Itsdangerous {
    fn encode(&self, timestamp: u64, out: &mut Vec<u8>) {
        encode_itsdangerous(timestamp, out);
    }

    fn unsign<'a>(
        &self,
        signer: &Signer,
        signed: &'a [u8],
        max_age: Option<MaxAge>,
        clock: &dyn Clock,
        need_time: bool,
    ) -> Result<Verified<'a>, Error> {
        unsign_itsdangerous(signer, signed, max_age, clock, need_time)
    }
}

/// Django's format (`django.core.signing.TimestampSigner`): the signing time in base62, a
/// token from the future is accepted, and a token expires when `now - signed > max_age`.
///
/// Every signature failure is a `BadSignature` (Django has no `BadTimeSignature`). A time
/// that is missing or not base62 under a valid signature is a `BadPayload`: Django raises a
/// `ValueError` there, which a Django view answers with a server error.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Django;

impl TimestampFormat for Django {
    fn encode(&self, timestamp: u64, out: &mut Vec<u8>) {
        base62::encode_into(timestamp, out);
    }

    fn unsign<'a>(
        &self,
        signer: &Signer,
        signed: &'a [u8],
        max_age: Option<MaxAge>,
        clock: &dyn Clock,
        _need_time: bool,
    ) -> Result<Verified<'a>, Error> {
        let Some((message, signature)) = signer.split(signed) else {
            return Err(Error::bad_signature("no separator found in value"));
        };
        if !signer.verify_signature(message, signature) {
            return Err(Error::bad_signature("signature does not match")
                .with_unverified_payload_len(message.len()));
        }
        let Some((value, encoded)) = signer.split(message) else {
            return Err(Error::new(
                ErrorKind::BadPayload,
                "the signed value has no timestamp",
            ));
        };
        let Some(timestamp) = base62::decode(encoded) else {
            return Err(Error::new(
                ErrorKind::BadPayload,
                "the timestamp is not base62",
            ));
        };
        if let Some(max_age) = max_age {
            let age = i128::from(clock.now()).saturating_sub(timestamp);
            let limit = i128::from(max_age.as_secs());
            if age > limit {
                return Err(Error::new(
                    ErrorKind::SignatureExpired,
                    format!("signature age {age} > {limit} seconds"),
                )
                .with_unverified_payload_len(value.len()));
            }
        }
        let timestamp = u64::try_from(timestamp.max(0)).unwrap_or(u64::MAX);
        Ok(Verified { value, timestamp })
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
    base64_decode_int(encoded)
}

/// The `SystemTime` of a Unix timestamp, if the platform can represent it.
#[must_use]
pub fn timestamp_to_time(timestamp: u64) -> Option<SystemTime> {
    UNIX_EPOCH.checked_add(Duration::from_secs(timestamp))
}
