#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

mod codec;
pub mod dangerous;
mod fallback;
mod scheme;
mod serializer;

pub use codec::{JsonCodec, PayloadCodec, decode_json};
pub use fallback::Fallback;
/// Python's `json` module (the [`python_json`] crate): the writer, the reader, [`json::Value`].
pub use python_json as json;
pub use scheme::{SigningScheme, Unsigned};
pub use serializer::{
    DEFAULT_SALT, Serializer, SerializerBuilder, SignedSerializer, TimedSerializer,
};
pub use sign_core::{ConfigError, DigestMethod, Error, ErrorKind, KeyDerivation};
pub use sign_timed::{Clock, FixedClock, MaxAge, SystemClock};
