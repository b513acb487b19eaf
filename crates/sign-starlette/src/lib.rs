#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

mod codec;
mod session;

pub use codec::{MAX_PAYLOAD_LEN, StandardBase64Codec};
pub use session::{
    DEFAULT_MAX_AGE, SIGNER_SALT, Session, StarletteSessionSerializer, StarletteSessions,
    session_builder,
};
