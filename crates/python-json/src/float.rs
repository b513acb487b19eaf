//! Floats written exactly as Python's `repr(float)` writes them.
//!
//! Python's `repr` uses the shortest digit string that reads back to the same `f64` (David Gay's
//! `dtoa` in mode 0), and lays it out in positional notation when the decimal exponent `e` of
//! `d.ddd × 10^e` satisfies `-4 <= e < 16`, with at least one digit after the point (`1.0`,
//! `0.0001`, `1000000000000000.0`); otherwise in scientific notation with a signed exponent of at
//! least two digits (`1e-05`, `1e+16`, `1.2345678901234568e+17`). Rust's `{:e}` formatting gives
//! the same shortest digits, except for values exactly halfway between two shortest candidates,
//! where Python rounds half-even and Rust rounds up (see [`half_even_tie`]); the digits are then
//! laid out again here. Checked against Python on the 3200 committed cases and, once, on two
//! million more.

use super::WriteError;

/// Returns Python's `repr` of a finite `value`.
///
/// # Errors
///
/// [`WriteError::NonFinite`] for NaN and the infinities, which have no JSON form.
pub(crate) fn repr(value: f64) -> Result<String, WriteError> {
    if !value.is_finite() {
        return Err(WriteError::NonFinite);
    }
    // Shortest round-trip digits, e.g. "-1.2345e-7", "1e16", "0e0".
    let shortest = format!("{value:e}");
    let unexpected = || WriteError::Custom(format!("unexpected float formatting {shortest:?}"));
    let (mantissa, exponent) = shortest.split_once('e').ok_or_else(unexpected)?;
    let exponent: i32 = exponent.parse().map_err(|_| unexpected())?;
    let (sign, mantissa) = match mantissa.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", mantissa),
    };
    let mut digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(unexpected());
    }
    if let Some(even) = half_even_tie(value.abs(), &digits, exponent) {
        digits = even;
    }

    let mut out = String::with_capacity(digits.len() + 8);
    out.push_str(sign);
    if (-4..16).contains(&exponent) {
        positional(&mut out, &digits, exponent);
    } else {
        // d[.ddd]e±XX
        let (first, rest) = digits.split_at_checked(1).ok_or_else(unexpected)?;
        out.push_str(first);
        if !rest.is_empty() {
            out.push('.');
            out.push_str(rest);
        }
        out.push_str(&format!("e{exponent:+03}"));
    }
    Ok(out)
}

/// Applies Python's tie rule to Rust's shortest digits.
///
/// When `value` lies exactly halfway between two shortest digit strings that both read back to
/// it (e.g. 1192656705925299.25 between `…299.2` and `…299.3`), Python's `dtoa` picks the one
/// with an even last digit, while Rust rounds the tie up. Returns the other candidate when
/// Python would pick it. `value` is positive or zero; `digits` are the `n` shortest digits of
/// `d.ddd × 10^exponent`.
fn half_even_tie(value: f64, digits: &str, exponent: i32) -> Option<String> {
    // A tie needs a double whose exact value has n + 1 significant digits while n digits already
    // identify it; that takes n >= 16 for normal numbers, and subnormals have hundreds of exact
    // digits. Skipping shorter strings keeps the common case cheap.
    if digits.len() < 16 {
        return None;
    }
    let chosen: u64 = digits.parse().ok()?;
    if chosen.is_multiple_of(2) {
        return None;
    }
    // The value is `chosen × 10^scale`; a tie sits half a unit above or below it.
    let scale = exponent - i32::try_from(digits.len()).ok()? + 1;
    let other = if is_exactly(value, chosen.checked_mul(10)?.checked_sub(5)?, scale - 1) {
        chosen.checked_sub(1)?
    } else if is_exactly(value, chosen.checked_mul(10)?.checked_add(5)?, scale - 1) {
        chosen.checked_add(1)?
    } else {
        return None;
    };
    let other_digits = other.to_string();
    if other_digits.len() != digits.len() {
        return None;
    }
    let reads_back = format!("{other_digits}e{scale}").parse::<f64>().ok()? == value;
    reads_back.then_some(other_digits)
}

/// Whether finite `value > 0` equals `odd × 10^scale` exactly, for an odd `odd`.
fn is_exactly(value: f64, odd: u64, scale: i32) -> bool {
    // value = mantissa × 2^binary, then split off the mantissa's factors of two.
    let bits = value.to_bits();
    let biased = i32::try_from((bits >> 52) & 0x7ff).unwrap_or(0);
    let fraction = bits & ((1_u64 << 52) - 1);
    let (mantissa, binary) = if biased == 0 {
        (fraction, -1074)
    } else {
        (fraction | (1_u64 << 52), biased - 1075)
    };
    if mantissa == 0 {
        return false;
    }
    let zeros = mantissa.trailing_zeros();
    let odd_mantissa = u128::from(mantissa >> zeros);
    // Both sides are odd × 2^k × 5^j; the powers of two must agree, then the odd parts.
    // odd × 10^scale = odd × 5^scale × 2^scale.
    if binary + i32::try_from(zeros).unwrap_or(0) != scale {
        return false;
    }
    let Some(five_power) = 5_u128.checked_pow(scale.unsigned_abs()) else {
        return false;
    };
    if scale >= 0 {
        u128::from(odd).checked_mul(five_power) == Some(odd_mantissa)
    } else {
        odd_mantissa.checked_mul(five_power) == Some(u128::from(odd))
    }
}

/// Lays out `0.ddd × 10^(exponent + 1)` in positional notation, `-4 <= exponent < 16`.
fn positional(out: &mut String, digits: &str, exponent: i32) {
    // Number of digits before the decimal point (Python's `decpt`); 0 or less means "0.000ddd".
    let point = exponent + 1;
    match usize::try_from(point) {
        Ok(point) if point > 0 => match digits.split_at_checked(point) {
            Some((int, frac)) if !frac.is_empty() => {
                out.push_str(int);
                out.push('.');
                out.push_str(frac);
            }
            _ => {
                // All digits are before the point: pad with zeros and add ".0".
                out.push_str(digits);
                for _ in digits.len()..point {
                    out.push('0');
                }
                out.push_str(".0");
            }
        },
        _ => {
            out.push_str("0.");
            for _ in point..0 {
                out.push('0');
            }
            out.push_str(digits);
        }
    }
}

/// Widens an `f32` to the `f64` that Python would read from its shortest text.
///
/// Python has no `f32`. An `f32` field is written the way serde_json writes it, as the shortest
/// digits that read back to the same `f32` (`0.1_f32` gives `0.1`), and those digits are then
/// treated as an `f64`, which is what Python sees after loading them. `f64::from(0.1_f32)` would
/// instead give `0.10000000149011612`.
pub(crate) fn widen_f32(value: f32) -> f64 {
    if !value.is_finite() {
        return f64::from(value);
    }
    format!("{value:e}")
        .parse::<f64>()
        .unwrap_or_else(|_| f64::from(value))
}
