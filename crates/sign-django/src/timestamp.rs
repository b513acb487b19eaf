//! Django's `TimestampSigner` as a timestamp format of the shared engine.

use sign_core::dangerous::split_unverified;
use sign_core::{Error, ErrorKind, Signer};
use sign_timed::{Clock, MaxAge, TimestampFormat, TimestampSigner, Verified};

use crate::base62;

/// Django's timestamp format: the signing time in base62, a token from the future is
/// accepted, and a token expires when `now - signed > max_age`.
///
/// Every signature failure is a `BadSignature` (Django has no `BadTimeSignature`). A time
/// that is missing or not base62 under a valid signature is a `BadPayload`: Django raises a
/// `ValueError` there, which a Django view answers with a server error.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Django;

/// Django's `signing.TimestampSigner`.
pub type DjangoTimestampSigner = TimestampSigner<Django>;

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
        let Some((message, signature)) = split_unverified(signer, signed) else {
            return Err(Error::bad_signature("no separator found in value"));
        };
        if !signer.verify_signature(message, signature) {
            return Err(
                Error::bad_signature("signature does not match").with_unverified_payload(message)
            );
        }
        let Some((value, encoded)) = split_unverified(signer, message) else {
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
                .with_unverified_payload(value));
            }
        }
        let timestamp = u64::try_from(timestamp.max(0)).unwrap_or(u64::MAX);
        Ok(Verified { value, timestamp })
    }
}
