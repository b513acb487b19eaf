#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

mod clock;
mod format;
mod max_age;
mod timestamp_signer;

pub use clock::{Clock, FixedClock, SystemClock};
pub use format::{Itsdangerous, TimestampFormat};
pub use max_age::MaxAge;
pub use sign_core::{Error, ErrorKind};
pub use timestamp_signer::{MAX_PYTHON_TIMESTAMP, TimestampSigner, Verified, timestamp_to_time};
