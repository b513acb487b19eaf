//! Values shown in failure messages: escaped, and shortened to [`SHOW_LIMIT`] characters.

use std::fmt::Write as _;

use python_json::Value;

use crate::outcome::Verified;

/// The most characters of a value a message shows.
pub const SHOW_LIMIT: usize = 300;

/// Bytes for a message: text with escapes, shortened.
#[must_use]
pub fn show_bytes(bytes: &[u8]) -> String {
    let mut out = String::from("b\"");
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            match c {
                '"' | '\\' => {
                    out.push('\\');
                    out.push(c);
                }
                c if c.is_control() => {
                    let _ = write!(out, "{}", c.escape_default());
                }
                c => out.push(c),
            }
        }
        for b in chunk.invalid() {
            let _ = write!(out, "\\x{b:02x}");
        }
    }
    out.push('"');
    shorten(out)
}

/// A JSON value for a message, shortened.
#[must_use]
pub fn show_json(value: &Value) -> String {
    shorten(value.to_string())
}

/// A verified value for a message, shortened.
#[must_use]
pub fn show_verified(value: &Verified) -> String {
    match value {
        Verified::Bytes(bytes) => show_bytes(bytes),
        Verified::Json(json) => show_json(json),
    }
}

fn shorten(mut s: String) -> String {
    if s.chars().count() > SHOW_LIMIT {
        s = s.chars().take(SHOW_LIMIT).collect();
        s.push_str("...");
    }
    s
}
