#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

mod codec;
mod session;

pub use codec::{MAX_PAYLOAD_LEN, SIGNER_SALT, StandardBase64Codec};
pub use session::{
    DEFAULT_MAX_AGE, Session, StarletteSessionSerializer, StarletteSessions, session_builder,
};
