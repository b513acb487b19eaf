//! How a timestamp signer writes the signing time and judges a token's age: itsdangerous'
//! rules or Django's.

use std::fmt;

use crate::timed::{encode_itsdangerous, unsign_itsdangerous};
use crate::{Clock, Error, ErrorKind, MaxAge, Signer, Verified, base62};

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
