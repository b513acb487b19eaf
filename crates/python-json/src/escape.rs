//! JSON string literals, escaped like Python's `json` encoder.

/// Appends `s` as a quoted JSON string.
///
/// `"` and `\` are escaped, `\n \r \t \b \f` use their short escapes and every other character
/// below U+0020 becomes `\u00XX`. `/` is not escaped. With `ensure_ascii`, every character above
/// `~` (including DEL) becomes `\uXXXX`, astral characters as a UTF-16 surrogate pair; without
/// it they are written as raw UTF-8 (DEL, U+2028 and U+2029 included).
pub(crate) fn push_string(out: &mut Vec<u8>, s: &str, ensure_ascii: bool) {
    out.push(b'"');
    // Start of the run of characters that need no escape, copied in one go.
    let mut run = 0;
    for (at, c) in s.char_indices() {
        let short: Option<&[u8]> = match c {
            '"' => Some(b"\\\""),
            '\\' => Some(b"\\\\"),
            '\n' => Some(b"\\n"),
            '\r' => Some(b"\\r"),
            '\t' => Some(b"\\t"),
            '\u{8}' => Some(b"\\b"),
            '\u{c}' => Some(b"\\f"),
            _ => None,
        };
        let needs_escape =
            short.is_some() || c < ' ' || (ensure_ascii && u32::from(c) > u32::from('~'));
        if !needs_escape {
            continue;
        }
        out.extend_from_slice(s.as_bytes().get(run..at).unwrap_or_default());
        run = at + c.len_utf8();
        if let Some(short) = short {
            out.extend_from_slice(short);
        } else {
            let mut units = [0_u16; 2];
            for unit in c.encode_utf16(&mut units) {
                push_unicode_escape(out, *unit);
            }
        }
    }
    out.extend_from_slice(s.as_bytes().get(run..).unwrap_or_default());
    out.push(b'"');
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
