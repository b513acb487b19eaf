//! The two signing schemes a serializer can use: plain ([`Signer`]) and timed
//! ([`TimestampSigner`]).

use std::fmt;
use std::sync::Arc;

use crate::{
    Clock, ConfigError, Error, Fallback, MaxAge, Signer, SignerBuilder, TimestampFormat,
    TimestampSigner,
};

mod sealed {
    pub trait Sealed {}
    impl Sealed for crate::Signer {}
    impl<F: crate::TimestampFormat> Sealed for crate::TimestampSigner<F> {}
}

/// How a signed serializer signs its payload: [`Signer`] or [`TimestampSigner`]. Sealed: the
/// token formats of this workspace are presets of these two schemes.
///
/// The methods are the serializer engine's interface to the scheme (building the primary and
/// fallback signers once, signing a payload in place in the output buffer, verifying); use
/// the serializers rather than calling them.
pub trait SigningScheme: sealed::Sealed + Clone + fmt::Debug + Send + Sync + 'static {
    /// Wraps a built signer, with `clock` for timed schemes.
    fn from_signer(signer: Signer, clock: &Arc<dyn Clock>) -> Self;

    /// Builds the primary signer of `config` and then one per fallback, all over the key
    /// ring of `config` (shared, not copied). With a per-call `salt`, every signer uses it
    /// (a fallback's own salt included: a token cannot cross purposes).
    ///
    /// # Errors
    /// As [`SignerBuilder::build`].
    fn build_set(
        config: &SignerBuilder,
        fallbacks: &[Fallback],
        clock: &Arc<dyn Clock>,
        salt: Option<&[u8]>,
    ) -> Result<Vec<Self>, ConfigError> {
        let per_call = salt.is_some();
        let primary = match salt {
            Some(salt) => config.clone().salt(salt),
            None => config.clone(),
        };
        let salt = primary.salt_bytes();
        let mut schemes = Vec::with_capacity(fallbacks.len().saturating_add(1));
        schemes.push(Self::from_signer(primary.build()?, clock));
        for fallback in fallbacks {
            let signer = fallback.apply(config, salt, per_call).build()?;
            schemes.push(Self::from_signer(signer, clock));
        }
        Ok(schemes)
    }

    /// Signs `buf[start..]` in place (appends `SEP [timestamp SEP] signature`); timed
    /// schemes sign at `timestamp`, or now when it is `None`.
    fn sign_appended(&self, buf: &mut Vec<u8>, start: usize, timestamp: Option<u64>);

    /// The plain signer underneath (the scheme itself for [`Signer`]).
    fn signer(&self) -> &Signer;

    /// The length of the separator.
    fn separator_len(&self) -> usize {
        self.signer().separator().len()
    }

    /// Verifies `token` (timed schemes also check `max_age`) and returns the payload and,
    /// for timed schemes, the signing time in Unix seconds.
    ///
    /// # Errors
    /// As [`Signer::unsign`] / [`TimestampSigner::unsign_with_timestamp`].
    fn verify<'a>(
        &self,
        token: &'a [u8],
        max_age: Option<MaxAge>,
    ) -> Result<(&'a [u8], Option<u64>), Error>;
}

impl SigningScheme for Signer {
    fn from_signer(signer: Signer, _clock: &Arc<dyn Clock>) -> Self {
        signer
    }

    fn sign_appended(&self, buf: &mut Vec<u8>, start: usize, _timestamp: Option<u64>) {
        self.append_signature(buf, start);
    }

    fn signer(&self) -> &Signer {
        self
    }

    fn verify<'a>(
        &self,
        token: &'a [u8],
        _max_age: Option<MaxAge>,
    ) -> Result<(&'a [u8], Option<u64>), Error> {
        self.unsign(token).map(|payload| (payload, None))
    }
}

impl<F: TimestampFormat> SigningScheme for TimestampSigner<F> {
    fn from_signer(signer: Signer, clock: &Arc<dyn Clock>) -> Self {
        Self::from_signer_with_format(signer, F::default()).with_shared_clock(Arc::clone(clock))
    }

    fn sign_appended(&self, buf: &mut Vec<u8>, start: usize, timestamp: Option<u64>) {
        let timestamp = timestamp.unwrap_or_else(|| self.timestamp());
        self.sign_tail_at(buf, start, timestamp);
    }

    fn signer(&self) -> &Signer {
        Self::signer(self)
    }

    fn verify<'a>(
        &self,
        token: &'a [u8],
        max_age: Option<MaxAge>,
    ) -> Result<(&'a [u8], Option<u64>), Error> {
        self.unsign_with_timestamp(token, max_age)
            .map(|verified| (verified.value, Some(verified.timestamp)))
    }
}
