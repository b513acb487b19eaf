//! The two signing schemes a serializer can use: plain ([`Signer`]) and timed
//! ([`TimestampSigner`]).

use std::fmt;
use std::sync::Arc;

use sign_core::{Error, Signer};
use sign_timed::{Clock, MaxAge, TimestampFormat, TimestampSigner};

/// A verified payload and, for timed schemes, its signing time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Unsigned<'a> {
    /// The payload bytes, borrowed from the token.
    pub payload: &'a [u8],
    /// Unix seconds at signing, for timed schemes.
    pub timestamp: Option<u64>,
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for sign_core::Signer {}
    impl<F: sign_timed::TimestampFormat> Sealed for sign_timed::TimestampSigner<F> {}
}

/// How a serializer signs its payload: [`Signer`] or [`TimestampSigner`].
pub trait SigningScheme: sealed::Sealed + Clone + fmt::Debug + Send + Sync + 'static {
    /// Wraps a built signer, with `clock` for timed schemes.
    fn from_signer(signer: Signer, clock: &Arc<dyn Clock>) -> Self;

    /// Signs `buf[start..]` in place.
    fn sign_tail(&self, buf: &mut Vec<u8>, start: usize);

    /// The length of the separator.
    fn separator_len(&self) -> usize;

    /// Verifies `token`; timed schemes also check `max_age`.
    ///
    /// # Errors
    /// As `Signer::unsign` / `TimestampSigner::unsign_with_timestamp`.
    fn unsign<'a>(&self, token: &'a [u8], max_age: Option<MaxAge>) -> Result<Unsigned<'a>, Error>;
}

impl SigningScheme for Signer {
    fn from_signer(signer: Signer, _clock: &Arc<dyn Clock>) -> Self {
        signer
    }

    fn sign_tail(&self, buf: &mut Vec<u8>, start: usize) {
        self.append_signature(buf, start);
    }

    fn separator_len(&self) -> usize {
        self.separator().len()
    }

    fn unsign<'a>(&self, token: &'a [u8], _max_age: Option<MaxAge>) -> Result<Unsigned<'a>, Error> {
        Self::unsign(self, token).map(|payload| Unsigned {
            payload,
            timestamp: None,
        })
    }
}

impl<F: TimestampFormat> SigningScheme for TimestampSigner<F> {
    fn from_signer(signer: Signer, clock: &Arc<dyn Clock>) -> Self {
        Self::from_signer_with_format(signer, F::default()).with_shared_clock(Arc::clone(clock))
    }

    fn sign_tail(&self, buf: &mut Vec<u8>, start: usize) {
        Self::sign_tail(self, buf, start);
    }

    fn separator_len(&self) -> usize {
        self.signer().separator().len()
    }

    fn unsign<'a>(&self, token: &'a [u8], max_age: Option<MaxAge>) -> Result<Unsigned<'a>, Error> {
        self.unsign_with_timestamp(token, max_age)
            .map(|verified| Unsigned {
                payload: verified.value,
                timestamp: Some(verified.timestamp),
            })
    }
}
