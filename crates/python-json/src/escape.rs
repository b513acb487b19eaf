//! JSON string literals, escaped like Python's `json` encoder.

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = 0x8080_8080_8080_8080;

/// The high bit of each byte of the little-endian word `x` that is `"`, `\\` or a control
/// character, plus (with `above_tilde`) each byte above `~`; a few bytes above a flagged one
/// may be flagged wrongly, never one below it.
///
/// The quote and backslash tests are the usual SWAR test for a zero byte (of `x` XOR the
/// byte) and the control test the one for a byte below 0x20: each can only flag a byte
/// wrongly through a borrow out of a lower byte, and a borrow starts only at a byte the
/// test is looking for. So the lowest flagged byte is always a real one, at
/// `trailing_zeros / 8`. The test above `~` is exact: a byte's low seven bits plus one
/// carry into its own high bit only (0x7f and 0xff), and its own high bit is the rest.
pub(crate) fn special_bytes(x: u64, above_tilde: bool) -> u64 {
    let quote = x ^ (ONES * u64::from(b'"'));
    let backslash = x ^ (ONES * u64::from(b'\\'));
    let mut found = (quote.wrapping_sub(ONES) & !quote)
        | (backslash.wrapping_sub(ONES) & !backslash)
        | (x.wrapping_sub(ONES * 0x20) & !x);
    if above_tilde {
        found |= x | ((x & !HIGH) + ONES);
    }
    found & HIGH
}

/// The length of the leading run of `bytes` that needs no escape: eight bytes at a time,
/// then byte by byte in the last few.
fn plain_len(bytes: &[u8], ensure_ascii: bool) -> usize {
    let mut at = 0;
    while let Some(word) = bytes.get(at..at + 8) {
        let x = <[u8; 8]>::try_from(word).map_or(0, u64::from_le_bytes);
        let found = special_bytes(x, ensure_ascii);
        if found != 0 {
            return at + (found.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    let needs_escape =
        |b: &u8| *b == b'"' || *b == b'\\' || *b < 0x20 || (ensure_ascii && *b > b'~');
    let rest = bytes.get(at..).unwrap_or_default();
    at + rest.iter().position(needs_escape).unwrap_or(rest.len())
}

/// Appends `s` as a quoted JSON string.
///
/// `"` and `\` are escaped, `\n \r \t \b \f` use their short escapes and every other character
/// below U+0020 becomes `\u00XX`. `/` is not escaped. With `ensure_ascii`, every character above
/// `~` (including DEL) becomes `\uXXXX`, astral characters as a UTF-16 surrogate pair; without
/// it they are written as raw UTF-8 (DEL, U+2028 and U+2029 included).
pub(crate) fn push_string(out: &mut Vec<u8>, s: &str, ensure_ascii: bool) {
    let bytes = s.as_bytes();
    // The common string needs no escape: one copy between its quotes.
    let plain = plain_len(bytes, ensure_ascii);
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    out.extend_from_slice(bytes.get(..plain).unwrap_or_default());
    if plain == bytes.len() {
        out.push(b'"');
        return;
    }
    let mut at = plain;
    // A run ends before an ASCII byte or (ensure_ascii) the first byte of a character,
    // never inside one: `at` is a character boundary.
    while let Some(c) = s.get(at..).and_then(|rest| rest.chars().next()) {
        at += c.len_utf8();
        push_escape(out, c);
        let rest = bytes.get(at..).unwrap_or_default();
        let run = plain_len(rest, ensure_ascii);
        out.extend_from_slice(rest.get(..run).unwrap_or_default());
        at += run;
    }
    out.push(b'"');
}

/// Appends the escape of a character that needs one.
fn push_escape(out: &mut Vec<u8>, c: char) {
    let short: &[u8] = match c {
        '"' => b"\\\"",
        '\\' => b"\\\\",
        '\n' => b"\\n",
        '\r' => b"\\r",
        '\t' => b"\\t",
        '\u{8}' => b"\\b",
        '\u{c}' => b"\\f",
        _ => {
            let mut units = [0_u16; 2];
            for unit in c.encode_utf16(&mut units) {
                push_unicode_escape(out, *unit);
            }
            return;
        }
    };
    out.extend_from_slice(short);
}

/// Appends `\uXXXX` with four lowercase hex digits.
fn push_unicode_escape(out: &mut Vec<u8>, unit: u16) {
    out.extend_from_slice(b"\\u");
    for shift in [12_u16, 8, 4, 0] {
        // The mask keeps the nibble below 16, so the cast cannot truncate.
        let nibble = ((unit >> shift) & 0xf) as u8;
        out.push(if nibble < 10 {
            b'0' + nibble
        } else {
            b'a' + nibble - 10
        });
    }
}

#[cfg(test)]
mod tests {
    use super::push_string;

    /// Python's rule character by character (the escaper before it went a word at a time).
    fn one_by_one(s: &str, ensure_ascii: bool) -> String {
        let mut out = String::from("\"");
        for c in s.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                '\u{8}' => out.push_str("\\b"),
                '\u{c}' => out.push_str("\\f"),
                c if c < ' ' || (ensure_ascii && c > '~') => {
                    for unit in c.encode_utf16(&mut [0; 2]) {
                        out.push_str(&format!("\\u{unit:04x}"));
                    }
                }
                c => out.push(c),
            }
        }
        out.push('"');
        out
    }

    /// Every character class at every offset of the first words, among plain characters
    /// chosen to provoke the SWAR borrows.
    #[test]
    fn escapes_like_python_character_by_character() {
        let specials = [
            '"', '\\', '\n', '\r', '\t', '\u{8}', '\u{c}', '\0', '\u{1f}', '\u{7f}', '\u{80}', 'é',
            '\u{2028}', '€', '😀', '~', ' ', '!', '#', ']', '/',
        ];
        for filler in ['a', ' ', '!', '#', ']', '~', 'é', '😀'] {
            for len in [0usize, 1, 7, 8, 9, 16, 17, 40] {
                for at in 0..len.max(1) {
                    for special in specials {
                        let mut text: Vec<char> = vec![filler; len];
                        if let Some(c) = text.get_mut(at) {
                            *c = special;
                        }
                        text.push(special);
                        let text: String = text.into_iter().collect();
                        for ensure_ascii in [false, true] {
                            let mut out = Vec::new();
                            push_string(&mut out, &text, ensure_ascii);
                            assert_eq!(
                                String::from_utf8(out).unwrap(),
                                one_by_one(&text, ensure_ascii),
                                "{text:?} {ensure_ascii}"
                            );
                        }
                    }
                }
            }
        }
    }
}
