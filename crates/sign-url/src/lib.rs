#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

mod codec;
pub mod dangerous;
mod zlib;

use sign_core::Signer;
use sign_serde::SignedSerializer;
use sign_timed::TimestampSigner;

pub use codec::{
    CompressionPolicy, DEFAULT_MAX_DECOMPRESSED_SIZE, UrlSafeCodec, decode_url_safe_payload,
};
pub use sign_serde::{Fallback, FixedClock, MaxAge, SerializerBuilder};
pub use zlib::{INFLATE_CHUNK, InflateError, inflate_bounded};

/// Python's `URLSafeSerializer`: compact JSON, zlib when it pays, base64url, signed.
pub type URLSafeSerializer = SignedSerializer<UrlSafeCodec, Signer>;

/// Python's `URLSafeTimedSerializer`: as [`URLSafeSerializer`] with a timestamp.
pub type URLSafeTimedSerializer = SignedSerializer<UrlSafeCodec, TimestampSigner>;
