//! How a timestamp signer writes the signing time and judges a token's age.

use std::fmt;

use sign_core::{Error, Signer};

use crate::{Clock, MaxAge, Verified};

/// The way a [`TimestampSigner`](crate::TimestampSigner) writes the signing time into a token
/// and verifies a token: the signature check, the time's decoding and the age rule.
///
/// [`Itsdangerous`] is the default. A framework with another wire format (Django's base62
/// times, for one) implements this trait in its own crate and uses
/// `TimestampSigner<ItsFormat>`, which every serializer accepts as a signing scheme.
pub trait TimestampFormat: Clone + fmt::Debug + Default + Send + Sync + 'static {
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
