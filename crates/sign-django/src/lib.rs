#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

mod cookie;
mod json;
mod session;
mod signer;
mod signing;

pub use cookie::{COOKIE_KEY_PREFIX, SignedCookie, cookie_salt, legacy_cookie_salt};
pub use json::DjangoJsonCodec;
pub use session::{
    AUTH_USER_BACKEND, AUTH_USER_HASH, AUTH_USER_ID, DjangoSessions, SESSION_COOKIE_AGE,
    SESSION_SALT, Session, session_builder,
};
pub use sign_core::{Django, base62};
pub use signer::{
    DEFAULT_ALGORITHM, SEPARATOR, SIGNER_SALT, TIMESTAMP_SIGNER_SALT, build_signer,
    build_timestamp_signer, separator_is_safe, signer_builder, timestamp_signer_builder,
};
pub use signing::{DjangoPayloadCodec, DjangoSigningSerializer, SIGNING_SALT, signing_builder};

/// Django's `signing.TimestampSigner`: the engine's timed signer with the [`Django`] format.
pub type DjangoTimestampSigner = sign_core::TimestampSigner<Django>;
