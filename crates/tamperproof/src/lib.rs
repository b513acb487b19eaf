#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

// Signers, keys, key derivation, digests, clocks and errors: always there.
pub use sign_core::{
    Algorithm, Clock, ConfigError, DEFAULT_SALT, DEFAULT_SEPARATOR, DerivedKey, DigestMethod,
    Error, ErrorKind, Fallback, FixedClock, KeyAudit, KeyDerivation, KeyMatcher, KeyRing,
    MAX_PYTHON_TIMESTAMP, MaxAge, SecretKey, Signer, SignerBuilder, SigningAlgorithm,
    SigningScheme, SystemClock, TimestampSigner, Verified, encoding, timestamp_to_time,
};

/// Unverified data and weakened defaults of the signers: the payload and signing time of a
/// rejected token, the `none` key derivation, the `none` signing algorithm. Each feature
/// module has its own `dangerous` module for its formats.
///
/// Everything here may hand out attacker-chosen data: use it to inspect tokens, never to
/// make decisions.
pub mod dangerous {
    pub use sign_core::dangerous::*;
}

/// Python's `Serializer` and `TimedSerializer`, and the signed-serializer engine every token
/// format is a preset of: a [`PayloadCodec`](serializer::PayloadCodec) (how a value becomes
/// bytes) plus a [`SigningScheme`] (plain or timed).
#[cfg(feature = "serializer")]
#[cfg_attr(docsrs, doc(cfg(feature = "serializer")))]
pub mod serializer {
    pub use sign_serde::{
        DEFAULT_SALT, JsonCodec, PayloadCodec, Serializer, SerializerBuilder, SignedSerializer,
        TimedSerializer, dangerous, decode_json, json,
    };
}

/// Python's `URLSafeSerializer` and `URLSafeTimedSerializer`: compact JSON, zlib when it
/// pays (inflation bounded), base64url.
#[cfg(feature = "url-safe")]
#[cfg_attr(docsrs, doc(cfg(feature = "url-safe")))]
pub mod url_safe {
    pub use sign_url::{
        CompressionPolicy, DEFAULT_MAX_DECOMPRESSED_SIZE, INFLATE_CHUNK, InflateError,
        UrlSafeCodec, UrlSafeSerializer, UrlSafeTimedSerializer, dangerous,
    };
}

/// itsdangerous 2.0's JSON Web Signature serializers (`JSONWebSignatureSerializer`,
/// `TimedJSONWebSignatureSerializer`), read and written byte for byte.
#[cfg(feature = "jws")]
#[cfg_attr(docsrs, doc(cfg(feature = "jws")))]
pub mod jws {
    pub use sign_jws::{
        DEFAULT_EXPIRES_IN, Header, Jws, JwsAlgorithm, JwsClaims, JwsCodec, JwsSerializer,
        TimedJwsSerializer, TimedOptions, UntimedOptions, WithHeader, dangerous, issue_date,
    };
}

/// Flask session cookies: Flask's tagged JSON, `SECRET_KEY_FALLBACKS`, the 31-day maximum
/// age.
#[cfg(feature = "flask")]
#[cfg_attr(docsrs, doc(cfg(feature = "flask")))]
pub mod flask {
    pub use sign_flask::{
        DEFAULT_MAX_AGE, DEFAULT_SALT, HttpDate, Markup, Session, SessionCodec, SessionSerializer,
        SessionValue, TAG_BYTES, TAG_DATETIME, TAG_DICT, TAG_KEYS, TAG_MARKUP, TAG_TUPLE, TAG_UUID,
        TagError, TaggedJsonCodec, Uuid, dangerous, from_session_value, session_builder,
        session_serializer, to_session_value,
    };
}

/// Django 5.2: `signing.Signer` / `TimestampSigner`, `signing.dumps` / `loads`, signed cookies
/// and the `signed_cookies` session backend.
#[cfg(feature = "django")]
#[cfg_attr(docsrs, doc(cfg(feature = "django")))]
pub use sign_django as django;

/// Starlette's (and FastAPI's) `SessionMiddleware` cookies.
#[cfg(feature = "starlette")]
#[cfg_attr(docsrs, doc(cfg(feature = "starlette")))]
pub use sign_starlette as starlette;

/// Flask, Django and Starlette session cookies in axum/tower services (the
/// `tamperproof-axum` crate; opt-in feature `axum`).
#[cfg(feature = "axum")]
#[cfg_attr(docsrs, doc(cfg(feature = "axum")))]
pub use tamperproof_axum as axum;
