//! zlib streams (RFC 1950 around RFC 1951 deflate) for signed payloads, in safe Rust with no
//! large per-call state.
//!
//! ```
//! let payload = br#"{"blob":"the quick brown fox jumps over the lazy dog, the quick brown fox"}"#;
//! let mut packed = Vec::new();
//! tamperproof_zlib::compress(payload, &mut packed);
//! assert_eq!(&packed[..2], b"\x78\x9c");
//!
//! let mut unpacked = Vec::new();
//! tamperproof_zlib::inflate(&packed, 1 << 20, &mut unpacked)?;
//! assert_eq!(unpacked, payload);
//! # Ok::<(), tamperproof_zlib::InflateError>(())
//! ```
//!
//! # Why our own
//! Signed payloads are small (a session cookie is a few hundred bytes) and every token is
//! compressed or inflated on its own. The general-purpose backends spend more on setting up
//! their state than on the payload: zlib-rs clears a 128 KiB hash table and a 64 KiB symbol
//! buffer on every reset, and builds even the fixed Huffman tables on every block; miniz_oxide
//! clears ~300 KB per compression (docs/PERFORMANCE.md has the measurements). This crate
//! sizes its work to the payload instead: its hash table is never cleared (positions are
//! stored relative to a per-call base, so older entries read as empty), and its Huffman
//! codes, headers and counts touch only the symbols a block uses.
//!
//! - [`compress`] writes a zlib stream (`78 9c` header, zlib level 6's lazy matching, each
//!   block stored, fixed or dynamic Huffman, whichever is smallest, except that a dynamic
//!   block has to take fewer whole bytes than the fixed one, as zlib chooses (so a
//!   one-block stream is as short as it can be, and a block of a longer one may end a byte
//!   later, as in zlib); within a fraction of a percent of zlib
//!   level 6 on JSON payloads), and [`compress_if_at_most`] answers "would the
//!   stream be at most `max_len` bytes?" from the compressor's own exact block sizes before it
//!   writes a bit, so a payload that does not compress costs its parse and the size
//!   computation, never the encoding.
//! - [`inflate()`] reads any zlib stream (the same streams, and the same errors, as zlib),
//!   writing straight into the caller's buffer and failing as soon as the output would exceed
//!   a limit.
#![forbid(unsafe_code)]

mod deflate;
mod inflate;
mod tables;

pub use deflate::{compress, compress_if_at_most};
pub use inflate::{InflateError, inflate};

/// The largest step by which [`inflate()`] grows the output buffer at once: the output never
/// has more capacity than the limit, or this much past what is written, whichever is larger;
/// so inflating under a limit allocates at most `limit + INFLATE_STEP` bytes.
pub const INFLATE_STEP: usize = 16 * 1024;

/// The Adler-32 checksum of `bytes` (the zlib trailer, big-endian on the wire).
fn adler32(bytes: &[u8]) -> u32 {
    let mut hash = simd_adler32::Adler32::new();
    hash.write(bytes);
    hash.finish()
}
