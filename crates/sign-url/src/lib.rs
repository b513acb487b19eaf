#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

mod codec;
pub mod dangerous;
mod zlib;

use sign_core::{Signer, TimestampSigner};
use sign_serde::SignedSerializer;

pub use codec::{CompressionPolicy, DEFAULT_MAX_DECOMPRESSED_SIZE, UrlSafeCodec};
pub use zlib::{INFLATE_CHUNK, InflateError};

/// Python's `URLSafeSerializer`: compact JSON, zlib when it pays, base64url, signed.
///
/// Named in Rust's casing (`Url`, as [`UrlSafeCodec`]); rustdoc search finds it under the
/// Python name too.
#[doc(alias = "URLSafeSerializer")]
pub type UrlSafeSerializer = SignedSerializer<UrlSafeCodec, Signer>;

/// Python's `URLSafeTimedSerializer`: as [`UrlSafeSerializer`] with a timestamp.
#[doc(alias = "URLSafeTimedSerializer")]
pub type UrlSafeTimedSerializer = SignedSerializer<UrlSafeCodec, TimestampSigner>;
