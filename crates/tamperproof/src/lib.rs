#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

pub use sign_core;
pub use sign_core::{
    Algorithm, ConfigError, DerivedKey, DigestMethod, Error, ErrorKind, KeyDerivation, SecretKey,
    Signer, SignerBuilder, SigningAlgorithm, encoding,
};

#[cfg(feature = "sign-timed")]
pub use sign_timed::{self, Clock, FixedClock, MaxAge, SystemClock, TimestampSigner, Verified};

#[cfg(feature = "sign-serde")]
pub use sign_serde::{
    self, Fallback, JsonCodec, PayloadCodec, Serializer, SerializerBuilder, SignedSerializer,
    TimedSerializer, json,
};

#[cfg(feature = "sign-url")]
pub use sign_url::{
    self, CompressionPolicy, DEFAULT_MAX_DECOMPRESSED_SIZE, URLSafeSerializer,
    URLSafeTimedSerializer, UrlSafeCodec,
};

#[cfg(feature = "sign-jws")]
pub use sign_jws::{self, JwsAlgorithm, JwsBuilder, JwsSerializer, TimedJwsSerializer};

#[cfg(feature = "sign-flask")]
pub use sign_flask::{self, SessionSerializer, SessionSerializerBuilder, SessionValue};

/// Flask, Django and Starlette session cookies in axum/tower services (the
/// `tamperproof-axum` crate; opt-in feature `axum`).
#[cfg(feature = "axum")]
pub use tamperproof_axum as axum;

/// Django 5.2: `signing.Signer` / `TimestampSigner`, `signing.dumps` / `loads`, signed cookies
/// and the `signed_cookies` session backend.
#[cfg(feature = "django")]
pub use sign_django as django;

/// Starlette's (and FastAPI's) `SessionMiddleware` cookies.
#[cfg(feature = "starlette")]
pub use sign_starlette as starlette;

/// Unverified data and weakened defaults, from every enabled crate.
///
/// Everything here may hand out attacker-chosen data: use it to inspect tokens, never to
/// make decisions.
pub mod dangerous {
    pub use sign_core::dangerous::*;
    /// Flask sessions: the session in a cookie read without a key.
    #[cfg(feature = "sign-flask")]
    pub use sign_flask::dangerous as flask;
    /// JWS: the `none` algorithm, `loads_unsafe`, payload and header of rejected tokens.
    #[cfg(feature = "sign-jws")]
    pub use sign_jws::dangerous as jws;
    #[cfg(feature = "sign-serde")]
    pub use sign_serde::dangerous::loads_unsafe;
    #[cfg(feature = "sign-url")]
    pub use sign_url::dangerous::decode_unverified;
}
