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
    DEFAULT_EXPIRES_IN, Flavour, Jws, JwsBuilder, JwsSerializer, TimedJwsSerializer, TimedOptions,
    UntimedOptions,
};
pub use sign_core::{ConfigError, Error, ErrorKind};
pub use sign_timed::{Clock, FixedClock, SystemClock};
pub use wire::Header;
