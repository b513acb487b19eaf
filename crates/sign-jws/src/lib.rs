#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

mod algorithm;
pub mod dangerous;
mod int_date;
mod serializer;
mod wire;

pub use algorithm::JwsAlgorithm;
pub use int_date::issue_date;
pub use serializer::{
    DEFAULT_EXPIRES_IN, Jws, JwsClaims, JwsCodec, JwsSerializer, TimedJwsSerializer, TimedOptions,
    UntimedOptions, WithHeader,
};
pub use wire::Header;
