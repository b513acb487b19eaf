//! Values printed as Python's `repr()` prints them (`--python`): what flask-unsign shows.
//!
//! Strings follow `str.__repr__` (quote choice, `\x`/`\u`/`\U` escapes of non-printable
//! characters; "printable" is approximated by the Unicode categories listed in
//! [`is_printable`]), floats follow `float.__repr__` (shortest round trip, exponent form
//! below 1e-4 and from 1e16), Flask's tagged types print as the objects Flask rebuilds:
//! tuples, `b'...'`, `Markup('...')`, `UUID('...')` and timezone-aware
//! `datetime.datetime(...)`.

use python_json::{Number, Value};
use tamperproof::flask::SessionValue;

use crate::time::civil;

/// A value Python would rebuild as an object with a `repr()`.
trait PyRepr {
    fn repr_into(&self, out: &mut String);
}

/// `repr()` of the object Python's `json.loads` makes of `value`.
pub(crate) fn json(value: &Value) -> String {
    let mut out = String::new();
    value.repr_into(&mut out);
    out
}

/// `repr()` of the object Flask's session serializer rebuilds from `value`.
pub(crate) fn session(value: &SessionValue) -> String {
    let mut out = String::new();
    value.repr_into(&mut out);
    out
}

impl PyRepr for Value {
    fn repr_into(&self, out: &mut String) {
        match self {
            Self::Null => out.push_str("None"),
            Self::Bool(b) => out.push_str(bool_repr(*b)),
            Self::Number(n) => out.push_str(&number(n)),
            Self::String(s) => out.push_str(&string(s)),
            Self::Array(items) => sequence(out, "[", "]", items, false),
            Self::Object(map) => dict(out, map.iter()),
            // `Value` may gain variants; none exists today.
            _ => out.push_str("None"),
        }
    }
}

impl PyRepr for SessionValue {
    fn repr_into(&self, out: &mut String) {
        match self {
            Self::Null => out.push_str("None"),
            Self::Bool(b) => out.push_str(bool_repr(*b)),
            Self::Number(n) => out.push_str(&number(n)),
            Self::String(s) => out.push_str(&string(s)),
            Self::List(items) => sequence(out, "[", "]", items, false),
            Self::Tuple(items) => sequence(out, "(", ")", items, true),
            Self::Dict(map) => dict(out, map.iter()),
            Self::Bytes(bytes) => out.push_str(&bytes_repr(bytes)),
            Self::Markup(markup) => {
                out.push_str("Markup(");
                out.push_str(&string(markup.as_str()));
                out.push(')');
            }
            Self::Uuid(uuid) => {
                let hex = uuid.to_simple();
                let part = |range: std::ops::Range<usize>| hex.get(range).unwrap_or_default();
                out.push_str(&format!(
                    "UUID('{}-{}-{}-{}-{}')",
                    part(0..8),
                    part(8..12),
                    part(12..16),
                    part(16..20),
                    part(20..32)
                ));
            }
            Self::DateTime(date) => out.push_str(&datetime(date.unix_seconds())),
            // A variant added later prints as its tagged JSON.
            #[allow(unreachable_patterns)]
            other => other.to_tagged_json().repr_into(out),
        }
    }
}

const fn bool_repr(b: bool) -> &'static str {
    if b { "True" } else { "False" }
}

fn dict<'a, V: PyRepr + 'a>(out: &mut String, items: impl Iterator<Item = (&'a String, &'a V)>) {
    out.push('{');
    for (i, (key, value)) in items.enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(&string(key));
        out.push_str(": ");
        value.repr_into(out);
    }
    out.push('}');
}

fn sequence<T: PyRepr>(out: &mut String, open: &str, close: &str, items: &[T], tuple: bool) {
    out.push_str(open);
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        item.repr_into(out);
    }
    if tuple && items.len() == 1 {
        out.push(',');
    }
    out.push_str(close);
}

/// `datetime.datetime(Y, M, D, h, m[, s], tzinfo=datetime.timezone.utc)`: Python drops a
/// zero second (the microsecond is always zero here).
fn datetime(unix: i64) -> String {
    let days = unix.div_euclid(86_400);
    let secs = unix.rem_euclid(86_400);
    let (year, month, day) = civil(days);
    let (hour, minute, second) = (secs / 3600, secs % 3600 / 60, secs % 60);
    let seconds = if second == 0 {
        String::new()
    } else {
        format!(", {second}")
    };
    format!(
        "datetime.datetime({year}, {month}, {day}, {hour}, {minute}{seconds}, tzinfo=datetime.timezone.utc)"
    )
}

/// An integer as Python prints it, or a float through [`float`].
fn number(n: &Number) -> String {
    let text = n.to_string();
    let is_integer = !text.contains(['.', 'e', 'E']);
    if is_integer {
        let (sign, digits) = match text.strip_prefix('-') {
            Some(rest) => ("-", rest),
            None => ("", text.as_str()),
        };
        let digits = digits.trim_start_matches('0');
        return if digits.is_empty() {
            "0".into()
        } else {
            format!("{sign}{digits}")
        };
    }
    match text.parse::<f64>() {
        Ok(x) => float(x),
        Err(_) => text,
    }
}

/// `float.__repr__`.
pub(crate) fn float(x: f64) -> String {
    if x.is_nan() {
        return "nan".into();
    }
    if x.is_infinite() {
        return if x > 0.0 { "inf".into() } else { "-inf".into() };
    }
    // Rust's `{:e}` gives the shortest round-trip digits, like Python's repr.
    let sci = format!("{x:e}");
    let Some((mantissa, exponent)) = sci.split_once('e') else {
        return sci;
    };
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let (sign, mantissa) = match mantissa.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", mantissa),
    };
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    if !(-5 < exponent && exponent < 16) {
        let (first, rest) = digits.split_at(1.min(digits.len()));
        let fraction = if rest.is_empty() {
            String::new()
        } else {
            format!(".{rest}")
        };
        let esign = if exponent < 0 { '-' } else { '+' };
        return format!("{sign}{first}{fraction}e{esign}{:02}", exponent.abs());
    }
    let point = exponent + 1;
    let body = if point <= 0 {
        let zeros = "0".repeat(usize::try_from(-point).unwrap_or(0));
        format!("0.{zeros}{digits}")
    } else {
        let point = usize::try_from(point).unwrap_or(0);
        if digits.len() <= point {
            format!("{digits}{}.0", "0".repeat(point - digits.len()))
        } else {
            let (int, frac) = digits.split_at(point);
            format!("{int}.{frac}")
        }
    };
    format!("{sign}{body}")
}

/// `str.__repr__`.
pub(crate) fn string(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if is_printable(c) => out.push(c),
            c => {
                let code = u32::from(c);
                if code < 0x100 {
                    out.push_str(&format!("\\x{code:02x}"));
                } else if code < 0x1_0000 {
                    out.push_str(&format!("\\u{code:04x}"));
                } else {
                    out.push_str(&format!("\\U{code:08x}"));
                }
            }
        }
    }
    out.push(quote);
    out
}

/// Python's `str.isprintable` for one character, approximated: control characters, the
/// separators other than the space, the common format characters, private use and
/// noncharacters are not printable.
fn is_printable(c: char) -> bool {
    let code = u32::from(c);
    !matches!(code,
        0x00..=0x1f | 0x7f..=0xa0 | 0xad
        | 0x600..=0x605 | 0x61c | 0x6dd | 0x70f | 0x180e
        | 0x1680 | 0x2000..=0x200f | 0x2028..=0x202f | 0x205f..=0x206f
        | 0x3000 | 0xd800..=0xf8ff | 0xfeff | 0xfff0..=0xfffb | 0xfffe | 0xffff
        | 0xe0000..=0xe0fff | 0xf0000..=0x10ffff)
}

/// `bytes.__repr__`.
pub(crate) fn bytes_repr(bytes: &[u8]) -> String {
    let quote = if bytes.contains(&b'\'') && !bytes.contains(&b'"') {
        b'"'
    } else {
        b'\''
    };
    let mut out = String::with_capacity(bytes.len() + 3);
    out.push('b');
    out.push(char::from(quote));
    for &b in bytes {
        match b {
            b'\\' => out.push_str("\\\\"),
            b'\t' => out.push_str("\\t"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b if b == quote => {
                out.push('\\');
                out.push(char::from(b));
            }
            0x20..=0x7e => out.push(char::from(b)),
            b => out.push_str(&format!("\\x{b:02x}")),
        }
    }
    out.push(char::from(quote));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use python_json::json;

    // Every expected string below is what CPython 3 prints for the same object.
    #[test]
    fn floats() {
        for (x, repr) in [
            (1.0, "1.0"),
            (0.1, "0.1"),
            (1e16, "1e+16"),
            (1e15, "1000000000000000.0"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (-2.5e-7, "-2.5e-07"),
            (123.456, "123.456"),
            (1.5e300, "1.5e+300"),
            (0.0, "0.0"),
        ] {
            assert_eq!(float(x), repr, "{x}");
        }
    }

    #[test]
    fn strings_and_bytes() {
        assert_eq!(string("it's"), "\"it's\"");
        assert_eq!(string("a'b\"c"), "'a\\'b\"c'");
        assert_eq!(
            string("tab\tnl\n\u{1}é\u{2028}"),
            "'tab\\tnl\\n\\x01é\\u2028'"
        );
        assert_eq!(bytes_repr(b"\x01\x02"), "b'\\x01\\x02'");
        assert_eq!(bytes_repr(b"it's"), "b\"it's\"");
    }

    #[test]
    fn json_values() {
        let value = json!({"a": [1, 2.0, null, true], "b": "x", "n": -0});
        assert_eq!(
            json(&value),
            "{'a': [1, 2.0, None, True], 'b': 'x', 'n': 0}"
        );
    }

    #[test]
    fn datetimes_drop_a_zero_second() {
        assert_eq!(
            datetime(1_308_874_145),
            "datetime.datetime(2011, 6, 24, 0, 9, 5, tzinfo=datetime.timezone.utc)"
        );
        assert_eq!(
            datetime(1_308_874_140),
            "datetime.datetime(2011, 6, 24, 0, 9, tzinfo=datetime.timezone.utc)"
        );
    }
}
