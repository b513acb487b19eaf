//! `serde_json::Number` text, normalised the way Python re-dumps what `json.loads` parsed.
//!
//! With serde_json's `arbitrary_precision` feature a `Number` keeps its original text. Python's
//! `json.loads` turns text without `.`, `e` or `E` into an exact `int` and everything else into a
//! `float`; this module does the same, so that re-dumping gives Python's bytes.

use super::WriteError;

/// Python 3.11's default `sys.get_int_max_str_digits()`.
pub(crate) const MAX_INT_DIGITS: usize = 4300;

/// What Python's `json.loads` makes of a JSON number.
#[derive(Debug, PartialEq)]
pub(crate) enum PyNumber {
    /// An `int`, as canonical decimal text: `-` only when negative, no leading zeros.
    Int(String),
    /// A `float`, possibly infinite (`1e400`).
    Float(f64),
}

/// Parses JSON number `text` as Python's `json.loads` would.
///
/// # Errors
///
/// [`WriteError::InvalidNumber`] when `text` is not a JSON number, and
/// [`WriteError::IntegerTooLong`] for integers of more than 4300 digits.
pub(crate) fn parse(text: &str) -> Result<PyNumber, WriteError> {
    let invalid = || WriteError::InvalidNumber {
        text: text.to_owned(),
    };
    let is_integer = check_grammar(text).ok_or_else(invalid)?;
    if !is_integer {
        return text.parse().map(PyNumber::Float).map_err(|_| invalid());
    }
    let (negative, digits) = match text.strip_prefix('-') {
        Some(digits) => (true, digits),
        None => (false, text),
    };
    check_int_digits(digits)?;
    // Python's int has no negative zero: `-0` loads as 0.
    if negative && digits != "0" {
        Ok(PyNumber::Int(text.to_owned()))
    } else {
        Ok(PyNumber::Int(digits.to_owned()))
    }
}

/// Refuses integers Python 3.11 will not convert to text.
///
/// # Errors
///
/// [`WriteError::IntegerTooLong`] for more than [`MAX_INT_DIGITS`] digits.
pub(crate) fn check_int_digits(digits: &str) -> Result<(), WriteError> {
    if digits.len() > MAX_INT_DIGITS {
        return Err(WriteError::IntegerTooLong {
            digits: digits.len(),
        });
    }
    Ok(())
}

/// Checks `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`; `Some(true)` for an integer.
fn check_grammar(text: &str) -> Option<bool> {
    let bytes = text.as_bytes();
    let mut at = usize::from(bytes.first() == Some(&b'-'));
    let digits_from = |at: usize| {
        bytes.get(at..).map_or(0, |rest| {
            rest.iter().take_while(|b| b.is_ascii_digit()).count()
        })
    };

    let int_digits = digits_from(at);
    if int_digits == 0 || (int_digits > 1 && bytes.get(at) == Some(&b'0')) {
        return None;
    }
    at += int_digits;
    let mut integer = true;
    if bytes.get(at) == Some(&b'.') {
        let frac_digits = digits_from(at + 1);
        if frac_digits == 0 {
            return None;
        }
        at += 1 + frac_digits;
        integer = false;
    }
    if matches!(bytes.get(at), Some(b'e' | b'E')) {
        at += 1;
        if matches!(bytes.get(at), Some(b'+' | b'-')) {
            at += 1;
        }
        let exp_digits = digits_from(at);
        if exp_digits == 0 {
            return None;
        }
        at += exp_digits;
        integer = false;
    }
    (at == bytes.len()).then_some(integer)
}

#[cfg(test)]
mod tests {
    use super::{PyNumber, WriteError, parse};

    #[test]
    fn grammar() {
        for bad in [
            "", "-", "+1", "01", "-01", "1.", ".5", "1e", "1e+", "1.e5", "NaN", "inf", "1 ", " 1",
            "0x10", "1_000",
        ] {
            assert!(
                matches!(parse(bad), Err(WriteError::InvalidNumber { .. })),
                "{bad:?}"
            );
        }
        assert_eq!(parse("-0"), Ok(PyNumber::Int("0".into())));
        assert_eq!(parse("0"), Ok(PyNumber::Int("0".into())));
        assert_eq!(parse("-10"), Ok(PyNumber::Int("-10".into())));
        assert_eq!(parse("1E5"), Ok(PyNumber::Float(100_000.0)));
        assert_eq!(parse("-0.0"), Ok(PyNumber::Float(-0.0)));
        assert_eq!(parse("1e-5"), Ok(PyNumber::Float(1e-5)));
        assert_eq!(parse("1e400"), Ok(PyNumber::Float(f64::INFINITY)));
    }

    #[test]
    fn digit_limit() {
        let limit = "9".repeat(4300);
        assert!(parse(&limit).is_ok());
        assert!(parse(&format!("-{limit}")).is_ok());
        assert_eq!(
            parse(&format!("1{limit}")),
            Err(WriteError::IntegerTooLong { digits: 4301 })
        );
    }
}
