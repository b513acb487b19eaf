//! `signing.dumps` / `signing.loads` as a preset of the shared serializer.

use sign_core::{DigestMethod, KeyDerivation};
use sign_serde::{SerializerBuilder, SignedSerializer};
use sign_url::{CompressionPolicy, UrlSafeCodec};

use crate::DjangoTimestampSigner;
use crate::json::DjangoJsonCodec;
use crate::signer::{DEFAULT_ALGORITHM, SEPARATOR};

/// `signing.dumps` / `loads`' default salt.
pub const SIGNING_SALT: &str = "django.core.signing";

/// The payload of `signing.dumps`: Django's JSON, zlib when asked and when it saves at least
/// two bytes (marked by a leading `.`), URL-safe base64 without padding; decompression is
/// bounded (1 MiB by default).
pub type DjangoPayloadCodec = UrlSafeCodec<DjangoJsonCodec>;

/// `signing.dumps` / `signing.loads`: Django's JSON signed by a Django `TimestampSigner`.
///
/// `dumps` signs at the clock's time; `loads_max_age` is `loads(s, max_age=...)`.
pub type DjangoSigningSerializer = SignedSerializer<DjangoPayloadCodec, DjangoTimestampSigner>;

/// A builder for `signing.dumps(obj, salt=..., compress=...)` / `signing.loads(...)`: salt
/// [`SIGNING_SALT`], separator `:`, `salted_hmac` with SHA-256. Add the keys (oldest first:
/// the last one signs, all verify).
#[must_use]
pub fn signing_builder(
    compress: bool,
) -> SerializerBuilder<DjangoPayloadCodec, DjangoTimestampSigner> {
    let policy = if compress {
        CompressionPolicy::PythonRule
    } else {
        CompressionPolicy::Never
    };
    configured(
        UrlSafeCodec::new(DjangoJsonCodec).compression(policy),
        SIGNING_SALT,
    )
}

/// A serializer builder with Django's signer options, `codec` and `salt`.
pub(crate) fn configured(
    codec: DjangoPayloadCodec,
    salt: &str,
) -> SerializerBuilder<DjangoPayloadCodec, DjangoTimestampSigner> {
    SerializerBuilder::with_codec(codec)
        .salt(salt)
        .separator(SEPARATOR)
        .key_derivation(KeyDerivation::DjangoConcat)
        .digest(digest())
}

const fn digest() -> DigestMethod {
    DEFAULT_ALGORITHM
}
