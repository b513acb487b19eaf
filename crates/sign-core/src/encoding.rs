//! Base64 and integer encodings used on the wire (Python's `itsdangerous.encoding`).
//!
//! Decoding is strict: only canonical URL-safe base64 without padding is accepted, which is
//! exactly what every itsdangerous version produces. Python's decoder also accepts padding,
//! stray characters and non-canonical final characters; see `docs/compatibility.md`.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::{Error, ErrorKind};

/// Encodes `bytes` as URL-safe base64 without padding (Python's `base64_encode`).
#[must_use]
pub fn base64_encode(bytes: impl AsRef<[u8]>) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Appends the URL-safe unpadded base64 of `bytes` to `out`.
pub fn base64_encode_into(bytes: &[u8], out: &mut Vec<u8>) {
    let start = out.len();
    let encoded_len = encoded_len(bytes.len());
    out.resize(start.saturating_add(encoded_len), 0);
    if let Some(dst) = out.get_mut(start..) {
        // The buffer was sized by `encoded_len`, so this cannot fail; on a failure the
        // appended bytes are dropped again rather than left as zeros.
        if URL_SAFE_NO_PAD.encode_slice(bytes, dst).is_err() {
            out.truncate(start);
        }
    }
}

/// The length of the unpadded base64 encoding of `n` bytes.
#[must_use]
pub const fn encoded_len(n: usize) -> usize {
    (n / 3) * 4
        + match n % 3 {
            0 => 0,
            1 => 2,
            _ => 3,
        }
}

/// Decodes canonical URL-safe base64 without padding.
///
/// # Errors
/// `BadData` for any other input: padding, characters outside `A-Z a-z 0-9 - _`, a length of
/// 1 modulo 4, or non-zero unused bits in the last character.
pub fn base64_decode(encoded: impl AsRef<[u8]>) -> Result<Vec<u8>, Error> {
    URL_SAFE_NO_PAD
        .decode(encoded)
        .map_err(|e| Error::new(ErrorKind::BadData, "invalid base64-encoded data").with_source(e))
}

/// Decodes canonical URL-safe base64 into `out`, returning the decoded length.
///
/// # Errors
/// As [`base64_decode`], and when `out` is too small.
pub fn base64_decode_into(encoded: &[u8], out: &mut [u8]) -> Result<usize, Error> {
    URL_SAFE_NO_PAD
        .decode_slice(encoded, out)
        .map_err(|e| Error::new(ErrorKind::BadData, "invalid base64-encoded data").with_source(e))
}

/// Big-endian bytes of `n` with leading zero bytes removed (0 is empty), as Python's
/// `int_to_bytes`.
#[must_use]
pub fn int_to_bytes(n: u64) -> Vec<u8> {
    let bytes = n.to_be_bytes();
    let skip = bytes.iter().take_while(|b| **b == 0).count();
    bytes.get(skip..).unwrap_or_default().to_vec()
}

/// The inverse of [`int_to_bytes`]: big-endian, at most 8 bytes, empty is 0.
///
/// # Errors
/// `BadData` for more than 8 bytes.
pub fn bytes_to_int(bytes: &[u8]) -> Result<u64, Error> {
    if bytes.len() > 8 {
        return Err(Error::new(
            ErrorKind::BadData,
            "integer is longer than 8 bytes",
        ));
    }
    Ok(bytes.iter().fold(0u64, |acc, b| (acc << 8) | u64::from(*b)))
}

#[cfg(test)]
mod tests {
    //! Ports of upstream `test_encoding.py` and golden values from running itsdangerous 2.2.0.
    use super::*;

    #[test]
    fn want_bytes_is_utf8() {
        // test_want_bytes["mañana", b"tomorrow"]: Rust text is already UTF-8 bytes.
        assert_eq!("mañana".as_bytes(), b"ma\xc3\xb1ana");
        assert_eq!(b"tomorrow".as_slice(), b"tomorrow");
    }

    #[test]
    fn base64_round_trip() {
        // test_base64["無限", b"infinite"]
        for value in ["無限".as_bytes(), b"infinite"] {
            let encoded = base64_encode(value);
            assert_eq!(base64_decode(&encoded).unwrap(), value);
        }
        assert_eq!(base64_encode("無限"), "54Sh6ZmQ");
        assert_eq!(base64_encode(b"\xfb\xff"), "-_8");
    }

    #[test]
    fn base64_bad() {
        // test_base64_bad
        let err = base64_decode("12345").unwrap_err();
        assert_eq!(err.kind(), ErrorKind::BadData);
        assert!(base64_decode("a").is_err());
        assert!(base64_decode("ab=c").is_err());
    }

    #[test]
    fn base64_empty() {
        assert_eq!(base64_decode("").unwrap(), b"");
    }

    #[test]
    fn int_bytes() {
        // test_int_bytes[(0,b""),(192,b"\xc0"),(2**64-1,b"\xff"*8)] and the section 1 table.
        let table: [(u64, &[u8], &str); 10] = [
            (0, b"", ""),
            (1, b"\x01", "AQ"),
            (192, b"\xc0", "wA"),
            (255, b"\xff", "_w"),
            (256, b"\x01\x00", "AQA"),
            (1_308_874_145, b"N\x03\xd5\xa1", "TgPVoQ"),
            (1_700_000_000, b"eS\xf1\x00", "ZVPxAA"),
            (1 << 32, b"\x01\x00\x00\x00\x00", "AQAAAAA"),
            (1 << 63, b"\x80\x00\x00\x00\x00\x00\x00\x00", "gAAAAAAAAAA"),
            (u64::MAX, b"\xff\xff\xff\xff\xff\xff\xff\xff", "__________8"),
        ];
        for (n, bytes, b64) in table {
            assert_eq!(int_to_bytes(n), bytes, "{n}");
            assert_eq!(bytes_to_int(bytes).unwrap(), n);
            assert_eq!(base64_encode(bytes), b64);
        }
        assert!(bytes_to_int(&[1; 9]).is_err());
    }

    #[test]
    fn encoded_len_matches() {
        for n in 0..100 {
            assert_eq!(encoded_len(n), base64_encode(vec![0u8; n]).len());
        }
    }
}
