//! Python's `int()` as itsdangerous 2.0.1 applies it to the `exp` and `iat` header fields.
//!
//! `int()` is lenient: it accepts JSON integers of any size, truncates floats toward zero,
//! turns `true`/`false` into 1/0, and parses strings with surrounding whitespace, a sign,
//! single underscores between digits and any Unicode decimal digits (`"１２"` is 12). This
//! module does the same, exactly, and reports everything else as an error instead of
//! raising `TypeError` as Python does for `null`, arrays and objects.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use python_json::{Map, Number, Value};

/// Python refuses to convert strings of more than this many digits to `int`.
const MAX_STR_DIGITS: usize = 4300;

/// The first second Python's `datetime` can represent (0001-01-01T00:00:00Z).
const MIN_PYTHON_TIMESTAMP: i64 = -62_135_596_800;
/// The last second Python's `datetime` can represent (9999-12-31T23:59:59Z).
#[allow(clippy::cast_possible_wrap)] // 253_402_300_799 fits an i64.
const MAX_PYTHON_TIMESTAMP: i64 = sign_core::MAX_PYTHON_TIMESTAMP as i64;

/// The code points of every Unicode decimal digit zero (category Nd), each followed by
/// digits one to nine. Generated with CPython 3.11.7 (Unicode 14.0.0):
/// `[c for c in range(0x110000) if unicodedata.decimal(chr(c), None) == 0]`; every Nd
/// character is one of these plus 0..=9.
const DECIMAL_ZEROS: [u32; 66] = [
    0x0030, 0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6,
    0x0D66, 0x0DE6, 0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80,
    0x1A90, 0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0,
    0xFF10, 0x104A0, 0x10D30, 0x11066, 0x110F0, 0x11136, 0x111D0, 0x112F0, 0x11450, 0x114D0,
    0x11650, 0x116C0, 0x11730, 0x118E0, 0x11950, 0x11C50, 0x11D50, 0x11DA0, 0x16A60, 0x16AC0,
    0x16B50, 0x1D7CE, 0x1D7D8, 0x1D7E2, 0x1D7EC, 0x1D7F6, 0x1E140, 0x1E2F0, 0x1E950, 0x1FBF0,
];

/// An integer as Python's `int()` returns it: a sign and canonical decimal digits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct PyInt {
    /// Never true for zero.
    negative: bool,
    /// ASCII digits without leading zeros; `"0"` for zero.
    digits: String,
}

impl PyInt {
    fn new(negative: bool, digits: &str) -> Self {
        let digits = digits.trim_start_matches('0');
        if digits.is_empty() {
            Self {
                negative: false,
                digits: "0".to_owned(),
            }
        } else {
            Self {
                negative,
                digits: digits.to_owned(),
            }
        }
    }

    /// `int(value)`, or `None` where Python raises (`ValueError`, `TypeError`,
    /// `OverflowError`).
    pub(crate) fn from_json(value: &Value) -> Option<Self> {
        match value {
            Value::Bool(b) => Some(Self::new(false, if *b { "1" } else { "0" })),
            Value::Number(n) => Self::from_number(n),
            Value::String(s) => Self::from_str(s),
            _ => None,
        }
    }

    /// A JSON number as Python's `json` module reads it, then `int()`: integer literals
    /// stay exact, literals with a fraction or exponent are floats and are truncated.
    fn from_number(n: &Number) -> Option<Self> {
        let Some(text) = n.integer_text() else {
            return Self::from_f64(n.as_f64()?);
        };
        let (negative, digits) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text.as_str()),
        };
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        Some(Self::new(negative, digits))
    }

    /// `int(float)`: truncation toward zero, exact; infinities and NaN fail.
    fn from_f64(float: f64) -> Option<Self> {
        if !float.is_finite() {
            return None;
        }
        let truncated = float.trunc();
        Some(Self::new(
            truncated.is_sign_negative(),
            &integral_f64_digits(truncated.abs()),
        ))
    }

    /// `int(str)`: whitespace around, an optional sign, decimal digits with single
    /// underscores between them, at most 4300 digits.
    fn from_str(s: &str) -> Option<Self> {
        let s = s.trim_matches(char::is_whitespace);
        let (negative, body) = match s.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, s.strip_prefix('+').unwrap_or(s)),
        };
        let mut digits = String::with_capacity(body.len());
        let mut after_digit = false;
        for c in body.chars() {
            if c == '_' {
                if !after_digit {
                    return None;
                }
                after_digit = false;
            } else {
                digits.push(decimal_digit(c)?);
                after_digit = true;
            }
        }
        if !after_digit || digits.len() > MAX_STR_DIGITS {
            return None;
        }
        Some(Self::new(negative, &digits))
    }

    /// True below zero.
    pub(crate) const fn is_negative(&self) -> bool {
        self.negative
    }

    /// The value when it is in `0..=u64::MAX`.
    pub(crate) fn to_u64(&self) -> Option<u64> {
        if self.negative {
            None
        } else {
            self.digits.parse().ok()
        }
    }

    /// The value as an exact JSON number.
    pub(crate) fn to_json(&self) -> Value {
        let text = if self.negative {
            format!("-{}", self.digits)
        } else {
            self.digits.clone()
        };
        // Canonical integer text always parses; the fallback is never taken.
        Number::from_json_text(&text).map_or(Value::Null, Value::Number)
    }

    /// `datetime.fromtimestamp(self, tz=utc)`, or `None` outside Python's years 1 to 9999.
    pub(crate) fn to_time(&self) -> Option<SystemTime> {
        let magnitude: u64 = self.digits.parse().ok()?;
        let seconds = i64::try_from(magnitude).ok()?;
        let seconds = if self.negative { -seconds } else { seconds };
        if !(MIN_PYTHON_TIMESTAMP..=MAX_PYTHON_TIMESTAMP).contains(&seconds) {
            return None;
        }
        if self.negative {
            UNIX_EPOCH.checked_sub(Duration::from_secs(magnitude))
        } else {
            UNIX_EPOCH.checked_add(Duration::from_secs(magnitude))
        }
    }
}

/// itsdangerous 2.0.1 `get_issue_date`: the `iat` of a header as a time, when it is a
/// number (`bool`, integer or float; floats truncated) within Python's `datetime` range.
#[must_use]
pub fn issue_date(header: &Map) -> Option<SystemTime> {
    match header.get("iat")? {
        value @ (Value::Bool(_) | Value::Number(_)) => PyInt::from_json(value)?.to_time(),
        _ => None,
    }
}

/// The ASCII digit of a Unicode decimal digit.
fn decimal_digit(c: char) -> Option<char> {
    if c.is_ascii_digit() {
        return Some(c);
    }
    let code = u32::from(c);
    DECIMAL_ZEROS
        .iter()
        .find_map(|zero| code.checked_sub(*zero).filter(|d| *d < 10))
        .and_then(|d| char::from_digit(d, 10))
}

/// The exact decimal digits of a finite, integral, non-negative float.
fn integral_f64_digits(value: f64) -> String {
    // Below 2^64 the conversion is exact.
    if value < 18_446_744_073_709_551_616.0 {
        return (value as u64).to_string();
    }
    // value = mantissa * 2^exponent, exponent > 0 here.
    let bits = value.to_bits();
    let mantissa = (bits & ((1 << 52) - 1)) | (1 << 52);
    let exponent = ((bits >> 52) & 0x7ff).saturating_sub(1075);
    // Little-endian limbs in base 10^9.
    const BASE: u64 = 1_000_000_000;
    let mut limbs: Vec<u64> = vec![
        mantissa % BASE,
        (mantissa / BASE) % BASE,
        mantissa / BASE / BASE,
    ];
    let mut remaining = exponent;
    while remaining > 0 {
        let shift = remaining.min(29);
        remaining -= shift;
        let mut carry = 0u64;
        for limb in &mut limbs {
            let v = (*limb << shift) + carry;
            *limb = v % BASE;
            carry = v / BASE;
        }
        while carry > 0 {
            limbs.push(carry % BASE);
            carry /= BASE;
        }
    }
    while limbs.len() > 1 && limbs.last() == Some(&0) {
        limbs.pop();
    }
    let mut out = String::new();
    for (i, limb) in limbs.iter().rev().enumerate() {
        if i == 0 {
            out.push_str(&limb.to_string());
        } else {
            out.push_str(&format!("{limb:09}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use python_json::json;

    use super::*;

    fn int(value: Value) -> Option<String> {
        PyInt::from_json(&value).map(|i| i.to_json().to_string())
    }

    #[test]
    fn python_int_table() {
        // Each expectation is what `int(json.loads(text))` gave in CPython 3.11.7.
        let table: &[(Value, Option<&str>)] = &[
            (json!(true), Some("1")),
            (json!(false), Some("0")),
            (json!(" 1308874146 "), Some("1308874146")),
            (json!("+1308874146"), Some("1308874146")),
            (json!("1_308_874_146"), Some("1308874146")),
            (json!("١٣٠٨٨٧٤١٤٦"), Some("1308874146")),
            (json!("０１"), Some("1")),
            (json!("\u{2003} 1308874146\u{2003}"), Some("1308874146")),
            (json!("-0"), Some("0")),
            (json!("007"), Some("7")),
            (json!("1308874146.0"), None),
            (json!("0x10"), None),
            (json!(""), None),
            (json!("1__0"), None),
            (json!("_1"), None),
            (json!("1_"), None),
            (json!("+-1"), None),
            (json!("- 1"), None),
            (json!("1 2"), None),
            (json!("\u{1c}1308874146\u{1f}"), None),
            (json!("1308874146\u{0}"), None),
            (json!(1_308_874_145.9), Some("1308874145")),
            (json!(-0.5), Some("0")),
            (json!(-1), Some("-1")),
            (json!(null), None),
            (json!([]), None),
            (json!({}), None),
        ];
        for (value, expected) in table {
            assert_eq!(int(value.clone()).as_deref(), *expected, "int({value})");
        }
    }

    #[test]
    fn exact_big_numbers() {
        // int(json.loads("1e300")) in CPython 3.11.7.
        let e300 = "1000000000000000052504760255204420248704468581108159154915854115511802457988908195786371375080447864043704443832883878176942523235360430575644792184786706982848387200926575803737830233794788090059368953234970799945081119038967640880074652742780142494579258788820056842838115669472196386865459400540160";
        let value: Value = python_json::from_slice(b"1e300").unwrap();
        assert_eq!(int(value).unwrap(), e300);
        let value: Value = python_json::from_slice(b"1E10").unwrap();
        assert_eq!(int(value).unwrap(), "10000000000");
        let value: Value = python_json::from_slice(b"1000000000000000000000000000000").unwrap();
        assert_eq!(int(value).unwrap(), "1000000000000000000000000000000");
        // Python: int(inf) raises OverflowError; the reader already refuses 1e400.
        assert!(python_json::from_slice::<Value>(b"1e400").is_err());
        assert_eq!(int(json!(2f64.powi(64))).unwrap(), "18446744073709551616");
    }

    #[test]
    fn digit_limit() {
        // int("1"*4300) works, int("1"*4301) and int("1_"*4300 + "1") raise ValueError.
        assert!(int(json!("1".repeat(4300))).is_some());
        assert!(int(json!("1".repeat(4301))).is_none());
        assert!(int(json!(format!("{}1", "1_".repeat(4300)))).is_none());
        assert!(int(json!(format!("+{}", "1".repeat(4300)))).is_some());
    }

    #[test]
    fn issue_dates() {
        // get_issue_date in itsdangerous 2.0.1 (ValueError outside years 1..9999: None here).
        let date = |iat: Value| issue_date(json!({ "iat": iat }).as_object().unwrap());
        assert_eq!(date(json!(true)), Some(UNIX_EPOCH + Duration::from_secs(1)));
        assert_eq!(date(json!(1.9)), Some(UNIX_EPOCH + Duration::from_secs(1)));
        assert_eq!(
            date(json!(-5)),
            UNIX_EPOCH.checked_sub(Duration::from_secs(5))
        );
        assert_eq!(date(json!("x")), None);
        assert_eq!(date(json!("5")), None);
        assert_eq!(date(json!(null)), None);
        assert!(date(json!(253_402_300_799_i64)).is_some());
        assert_eq!(date(json!(253_402_300_800_i64)), None);
        assert!(date(json!(-62_135_596_800_i64)).is_some());
        assert_eq!(date(json!(-62_135_596_801_i64)), None);
        assert_eq!(issue_date(json!({}).as_object().unwrap()), None);
    }
}
