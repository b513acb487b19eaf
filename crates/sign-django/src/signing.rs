//! `signing.dumps` / `signing.loads` as a preset of the shared serializer.

use sign_serde::{SerializerBuilder, SignedSerializer};
use sign_url::{CompressionPolicy, UrlSafeCodec};

use crate::DjangoTimestampSigner;
use crate::json::DjangoJsonCodec;

/// `signing.dumps` / `loads`' default salt.
pub const SIGNING_SALT: &str = "django.core.signing";

/// The payload of `signing.dumps`: Django's JSON, zlib when asked and when it saves at least
/// two bytes (marked by a leading `.`), URL-safe base64 without padding; decompression is
/// bounded (1 MiB by default).
pub type DjangoPayloadCodec = UrlSafeCodec<DjangoJsonCodec>;

/// `signing.dumps` / `signing.loads`: Django's JSON signed by a Django `TimestampSigner`.
///
/// `dumps` signs at the clock's time; `loads_max_age` is `loads(s, max_age=...)`. Build it
/// with [`signing_builder`] (or [`session_builder`](crate::session_builder)): there is no
/// `DjangoSigningSerializer::new`, which would have itsdangerous' salt and separator.
///
/// ```compile_fail
/// let _ = sign_django::DjangoSigningSerializer::new("key");
/// ```
///
/// ```
/// // Django 5.2: signing.dumps(None, key="django-insecure-;o/A5RL_=56.{N[8%XU8")
/// // at 1000000000 (vectors/django_signing.json).
/// let serializer = sign_django::signing_builder(false)
///     .key("django-insecure-;o/A5RL_=56.{N[8%XU8")
///     .build()?;
/// let token = "bnVsbA:15ftgG:6KtVyJNlQTyYDIOsmHSuSURPBLQQ06iGoxjwSNrjvAw";
/// assert_eq!(serializer.loads::<Option<u8>>(token)?, None);
/// assert_eq!(serializer.dumps_at(&None::<u8>, 1_000_000_000)?, token);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
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

/// A serializer builder with Django's signer options (the codec's defaults) and `salt`.
pub(crate) fn configured(
    codec: DjangoPayloadCodec,
    salt: &str,
) -> SerializerBuilder<DjangoPayloadCodec, DjangoTimestampSigner> {
    SerializerBuilder::with_codec(codec).salt(salt)
}
