//! Adversarial payloads for the keyless decoders, and the unsigned tokens that carry them.
//!
//! Each shape is JSON text that costs far more memory parsed than written: many empty
//! arrays or objects (one heap value per 3 bytes), many Flask tags (a tagged value per 10
//! bytes), deep nesting, many numbers, and one long string (highly compressible). Inside a
//! zlib payload, a 4 KB token inflates to about 1 MiB of such text.

use std::io::Write;

use sign_core::encoding::base64_encode_into;
use sign_serde::dangerous::KeylessLimits;

/// A named adversarial JSON payload.
#[derive(Debug, Clone)]
pub struct Shape {
    /// What it is, for tables and messages.
    pub name: &'static str,
    /// The JSON text.
    pub json: Vec<u8>,
}

fn repeated(open: &str, item: &str, close: &str, size: usize) -> Vec<u8> {
    let mut out = open.as_bytes().to_vec();
    let count = size.saturating_sub(open.len() + close.len()) / (item.len() + 1);
    for i in 0..count.max(1) {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(item.as_bytes());
    }
    out.extend_from_slice(close.as_bytes());
    out
}

/// How many shapes [`shape`] knows.
pub const SHAPES: usize = 6;

/// Shape number `kind` (below [`SHAPES`]), about `size` bytes of JSON text.
#[must_use]
pub fn shape(kind: usize, size: usize) -> Shape {
    match kind {
        0 => Shape {
            name: "many empty arrays [[],[],...]",
            json: repeated("[", "[]", "]", size),
        },
        1 => Shape {
            name: "many empty objects [{},{},...]",
            json: repeated("[", "{}", "]", size),
        },
        2 => Shape {
            name: "many Flask tags [{\" t\":[]},...]",
            json: repeated("{\"k\":[", "{\" t\":[]}", "]}", size),
        },
        3 => Shape {
            name: "many numbers [0,0,...]",
            json: repeated("[", "0", "]", size),
        },
        4 => {
            let depth = size / 2;
            let mut json = vec![b'['; depth];
            json.extend(std::iter::repeat_n(b']', depth));
            Shape {
                name: "deep nesting [[[...]]]",
                json,
            }
        }
        _ => {
            let mut json = vec![b'"'];
            json.extend(std::iter::repeat_n(b'a', size.saturating_sub(2)));
            json.push(b'"');
            Shape {
                name: "one long string \"aaa...\"",
                json,
            }
        }
    }
}

/// Every shape, each about `size` bytes of JSON text.
#[must_use]
pub fn all(size: usize) -> Vec<Shape> {
    (0..SHAPES).map(|kind| shape(kind, size)).collect()
}

/// Every shape at the largest size (at most `size`) that `limits` still accept: the worst
/// case a keyless decoder actually parses.
#[must_use]
pub fn largest_accepted(size: usize, limits: &KeylessLimits) -> Vec<Shape> {
    (0..SHAPES)
        .map(|kind| {
            let mut size = size;
            loop {
                let candidate = shape(kind, size);
                if size < 4 || limits.check_json(&candidate.json).is_ok() {
                    return candidate;
                }
                size = size * 31 / 32;
            }
        })
        .collect()
}

/// zlib at the best compression.
#[must_use]
pub fn zlib(data: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    // Writing into a Vec cannot fail.
    let _ = encoder.write_all(data);
    encoder.finish().unwrap_or_default()
}

/// base64url without padding.
#[must_use]
pub fn b64(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    base64_encode_into(data, &mut out);
    out
}

/// A signature-shaped last field that matches no key (27 characters: a SHA-1 tag).
pub const BAD_SIGNATURE: &[u8] = b"AAAAAAAAAAAAAAAAAAAAAAAAAAA";

/// A URL-safe token (`.` + base64(zlib(json)) + `.` + signature) that no key signed.
#[must_use]
pub fn url_safe_token(json: &[u8]) -> Vec<u8> {
    let mut token = b".".to_vec();
    token.extend(b64(&zlib(json)));
    token.push(b'.');
    token.extend_from_slice(BAD_SIGNATURE);
    token
}

/// A timed URL-safe token or Flask cookie (payload, timestamp, signature) that no key signed.
#[must_use]
pub fn url_safe_timed_token(json: &[u8]) -> Vec<u8> {
    let mut token = b".".to_vec();
    token.extend(b64(&zlib(json)));
    token.extend_from_slice(b".ZvHn1Q.");
    token.extend_from_slice(BAD_SIGNATURE);
    token
}

/// A `Serializer` token (JSON text + `.` + signature) that no key signed.
#[must_use]
pub fn serializer_token(json: &[u8]) -> Vec<u8> {
    let mut token = json.to_vec();
    token.push(b'.');
    token.extend_from_slice(BAD_SIGNATURE);
    token
}

/// A JWS token (`{"alg":"HS512"}` header, `json` payload, bad signature).
#[must_use]
pub fn jws_token(json: &[u8]) -> Vec<u8> {
    let mut token = b64(br#"{"alg":"HS512","exp":99999999999}"#);
    token.push(b'.');
    token.extend(b64(json));
    token.push(b'.');
    token.extend_from_slice(BAD_SIGNATURE);
    token
}
