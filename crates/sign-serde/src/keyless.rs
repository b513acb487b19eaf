//! Bounds for decoding payloads whose signature was not verified.
//!
//! A verified payload was written by someone holding the key; an unverified one by anyone.
//! Decoding it without a key (`loads_unsafe`, the keyless `decode_unverified` helpers, the
//! CLI's `decode`) must therefore cost a bounded amount of work and memory for any input,
//! not only a bounded inflated size: JSON like `[[],[],...]` costs tens of bytes of heap
//! per byte of text once parsed, and zlib turns 1.4 KB into 1 MiB of it.
//!
//! [`KeylessLimits`] bounds three things before anything is parsed: the size of the payload
//! text (after base64 and zlib; the base64 input is checked against it before decoding),
//! the number of JSON values and object keys, and the nesting depth. The checks scan the
//! text once and allocate nothing.

use sign_core::{Error, ErrorKind};

/// The bounds keyless decoding works within. The defaults keep every keyless decoder of
/// this workspace under 4 MiB of peak memory and well under 20 ms for any token of at most
/// 4 KB (docs/SECURITY.md has the measured table), and are far above what a real cookie
/// or token carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct KeylessLimits {
    max_payload_len: usize,
    max_json_values: usize,
    max_json_depth: usize,
}

impl KeylessLimits {
    /// The default largest payload text: 64 KiB (16 times the largest cookie browsers keep).
    pub const DEFAULT_MAX_PAYLOAD_LEN: usize = 64 * 1024;
    /// The default most JSON values and object keys: 8192.
    pub const DEFAULT_MAX_JSON_VALUES: usize = 8192;
    /// The default deepest nesting of arrays and objects: 64.
    pub const DEFAULT_MAX_JSON_DEPTH: usize = 64;

    /// The default limits.
    #[must_use]
    pub const fn new() -> Self {
        Self {
            max_payload_len: Self::DEFAULT_MAX_PAYLOAD_LEN,
            max_json_values: Self::DEFAULT_MAX_JSON_VALUES,
            max_json_depth: Self::DEFAULT_MAX_JSON_DEPTH,
        }
    }

    /// Sets the largest payload text, in bytes, after base64 and decompression.
    #[must_use]
    pub const fn max_payload_len(mut self, bytes: usize) -> Self {
        self.max_payload_len = bytes;
        self
    }

    /// Sets the most JSON values plus object keys in a payload (counted as one plus the
    /// brackets, braces, commas and colons outside strings: an upper bound).
    #[must_use]
    pub const fn max_json_values(mut self, values: usize) -> Self {
        self.max_json_values = values;
        self
    }

    /// Sets the deepest nesting of arrays and objects.
    #[must_use]
    pub const fn max_json_depth(mut self, depth: usize) -> Self {
        self.max_json_depth = depth;
        self
    }

    /// The largest payload text, in bytes.
    #[must_use]
    pub const fn payload_len_limit(&self) -> usize {
        self.max_payload_len
    }

    /// The most JSON values plus object keys.
    #[must_use]
    pub const fn json_values_limit(&self) -> usize {
        self.max_json_values
    }

    /// The deepest nesting.
    #[must_use]
    pub const fn json_depth_limit(&self) -> usize {
        self.max_json_depth
    }

    /// The most base64 characters worth decoding for one payload: enough for a payload of
    /// the largest size, or for zlib data inflating to it (stored blocks add 5 bytes per
    /// 64 KiB, plus header and checksum).
    #[must_use]
    pub const fn encoded_len_limit(&self) -> usize {
        let raw = self
            .max_payload_len
            .saturating_add(self.max_payload_len / 1024)
            .saturating_add(64);
        raw.saturating_add(raw.div_ceil(3)) // 4 characters per 3 bytes, unpadded
    }

    /// Checks the length of a base64 payload before it is decoded.
    ///
    /// # Errors
    /// `BadPayload` when it is longer than [`encoded_len_limit`](Self::encoded_len_limit).
    pub fn check_encoded(&self, encoded: &[u8]) -> Result<(), Error> {
        if encoded.len() > self.encoded_len_limit() {
            return Err(limit_error("the unverified payload is too long"));
        }
        Ok(())
    }

    /// Checks payload text before it is parsed: its length, then (one pass, no allocation)
    /// the number of JSON values and keys and the nesting depth. Bytes that are not JSON
    /// are counted the same way; whatever passes is then parsed as usual.
    ///
    /// # Errors
    /// `BadPayload` when any limit is exceeded.
    pub fn check_json(&self, text: &[u8]) -> Result<(), Error> {
        if text.len() > self.max_payload_len {
            return Err(limit_error("the unverified payload is too long"));
        }
        let mut values = 1usize;
        let mut depth = 0usize;
        let mut in_string = false;
        let mut escaped = false;
        for &byte in text {
            if in_string {
                if escaped {
                    escaped = false;
                } else if byte == b'\\' {
                    escaped = true;
                } else if byte == b'"' {
                    in_string = false;
                }
                continue;
            }
            match byte {
                b'"' => in_string = true,
                b'[' | b'{' => {
                    depth += 1;
                    values += 1;
                    if depth > self.max_json_depth {
                        return Err(limit_error("the unverified payload is nested too deeply"));
                    }
                }
                b']' | b'}' => depth = depth.saturating_sub(1),
                b',' | b':' => values += 1,
                _ => continue,
            }
            if values > self.max_json_values {
                return Err(limit_error("the unverified payload has too many values"));
            }
        }
        Ok(())
    }
}

impl Default for KeylessLimits {
    fn default() -> Self {
        Self::new()
    }
}

fn limit_error(message: &'static str) -> Error {
    Error::new(ErrorKind::BadPayload, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_structure_outside_strings_only() {
        let limits = KeylessLimits::new().max_json_values(5).max_json_depth(2);
        // 1 + three brackets + one comma.
        assert!(limits.check_json(br#"[[],[]]"#).is_ok());
        assert!(limits.check_json(br#"[[],[],[]]"#).is_err());
        // Separators inside strings do not count: 1 + one brace + one colon.
        assert!(limits.check_json(br#"{"a,b:[{":"]]]]"}"#).is_ok());
        assert!(limits.check_json(br#"[1,2,3,4,5]"#).is_err());
        assert!(limits.check_json(br#"[[[1]]]"#).is_err());
        assert!(limits.check_json(br#""\"[[[[[[""#).is_ok());
        let short = KeylessLimits::new().max_payload_len(3);
        assert!(short.check_json(b"[1]").is_ok());
        assert!(short.check_json(b"[10]").is_err());
        assert!(short.check_encoded(&[b'A'; 90]).is_ok());
        assert!(short.check_encoded(&[b'A'; 91]).is_err());
    }
}
