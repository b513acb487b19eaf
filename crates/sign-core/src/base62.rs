//! Django's base62 timestamps (`0-9A-Za-z`), used by the [`Django`](crate::Django) timestamp
//! format.

/// Django's alphabet: digits, then upper case, then lower case.
const ALPHABET: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// Appends the base62 form of `n` (`signing.b62_encode`).
pub fn encode_into(n: u64, out: &mut Vec<u8>) {
    let mut digits = [0u8; 11];
    let mut len = 0;
    let mut rest = n;
    loop {
        let digit = usize::try_from(rest % 62).unwrap_or(0);
        if let (Some(slot), Some(symbol)) = (digits.get_mut(len), ALPHABET.get(digit)) {
            *slot = *symbol;
        }
        len += 1;
        rest /= 62;
        if rest == 0 || len == digits.len() {
            break;
        }
    }
    out.extend(digits.iter().take(len).rev());
}

/// The base62 form of `n`.
#[must_use]
pub fn encode(n: u64) -> String {
    let mut out = Vec::with_capacity(11);
    encode_into(n, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// Decodes a timestamp as Django's `b62_decode` does: an optional leading `-`, then any
/// number of base62 digits (leading zeros allowed; a lone `-` is 0). Values beyond the range
/// of `i128` saturate, which keeps every age comparison Django makes with its unbounded
/// integers. `None` where Django raises (an empty string, any other character).
#[must_use]
pub fn decode(text: &[u8]) -> Option<i128> {
    if text.is_empty() {
        return None;
    }
    let (negative, digits) = match text.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, text),
    };
    let mut value: i128 = 0;
    for &byte in digits {
        let digit = match byte {
            b'0'..=b'9' => byte - b'0',
            b'A'..=b'Z' => byte - b'A' + 10,
            b'a'..=b'z' => byte - b'a' + 36,
            _ => return None,
        };
        value = value.saturating_mul(62).saturating_add(i128::from(digit));
    }
    Some(if negative { -value } else { value })
}

#[cfg(test)]
mod tests {
    use super::{decode, encode};

    #[test]
    fn round_trips_and_edges() {
        for n in [0, 1, 61, 62, 1_308_874_145, u64::MAX] {
            assert_eq!(decode(encode(n).as_bytes()), Some(i128::from(n)));
        }
        assert_eq!(encode(0), "0");
        assert_eq!(encode(62), "10");
        assert_eq!(decode(b"00z"), Some(61));
        assert_eq!(decode(b"-"), Some(0));
        assert_eq!(decode(b"-10"), Some(-62));
        assert_eq!(decode(b""), None);
        assert_eq!(decode(b"a.b"), None);
        assert_eq!(decode(b"--1"), None);
        assert_eq!(decode(&[b'z'; 100]), Some(i128::MAX));
    }
}
