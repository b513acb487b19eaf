//! Django's `signing.JSONSerializer` as a payload codec.

use serde::Serialize;
use serde::de::DeserializeOwned;
use sign_core::{Error, SignerBuilder};
use sign_serde::json::Dialect;
use sign_serde::{JsonCodec, PayloadCodec, decode_json};

/// `json.dumps(obj, separators=(",", ":"))` (ASCII-escaped, keys in the given order) for
/// writing; `json.loads(data.decode("latin-1"))` for reading: each payload byte is one
/// character, as Django reads it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DjangoJsonCodec;

impl PayloadCodec for DjangoJsonCodec {
    fn encode<T: Serialize + ?Sized>(&self, value: &T, out: &mut Vec<u8>) -> Result<(), Error> {
        JsonCodec::new(Dialect::DJANGO).encode(value, out)
    }

    fn decode<T: DeserializeOwned>(&self, payload: &[u8]) -> Result<T, Error> {
        if payload.is_ascii() {
            return decode_json(payload);
        }
        let text: String = payload.iter().map(|&b| char::from(b)).collect();
        decode_json(text.as_bytes())
    }

    /// Django's `signing.dumps` signer: salt [`SIGNING_SALT`](crate::SIGNING_SALT),
    /// separator `:`, `salted_hmac` (django-concat) with SHA-256, so that a builder started
    /// from the bare codec signs as Django does.
    fn signer_defaults(&self) -> SignerBuilder {
        crate::signer::with_salt(crate::SIGNING_SALT)
    }
}
