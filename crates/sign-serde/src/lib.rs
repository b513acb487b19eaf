#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

mod codec;
pub mod dangerous;
mod keyless;
mod scratch;
mod serializer;

pub use codec::{DEFAULT_SALT, JsonCodec, PayloadCodec, decode_json};
/// Python's `json` module (the [`python_json`] crate): the writer, the reader, [`json::Value`].
pub use python_json as json;
pub use scratch::{ThreadScratch, with_scratch};
pub use serializer::{Serializer, SerializerBuilder, SignedSerializer, TimedSerializer};
