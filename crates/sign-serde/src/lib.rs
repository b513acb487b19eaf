#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

mod codec;
pub mod dangerous;
pub mod json;
mod keyless;
mod serializer;

pub use codec::{JsonCodec, PayloadCodec, decode_json};
pub use serializer::{
    DEFAULT_SALT, Serializer, SerializerBuilder, SignedSerializer, TimedSerializer,
};
