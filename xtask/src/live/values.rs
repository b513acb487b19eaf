//! Random values for the live cases: keys, separators, text, JSON (integers beyond 64 bits,
//! floats of every shape), signing times and clocks.
//!
//! Everything stays inside what `xtask/python/README.md` lists as comparable: one-character
//! separators outside `A-Za-z0-9-_=`, finite floats, integers far below 4300 digits, and
//! timestamps up to year 9999.

use python_json::{Map, Number, Value};
use tamperproof::MAX_PYTHON_TIMESTAMP;

use super::rng::Rng;

/// Separators both sides accept: one character, outside the base64 alphabet.
const TEXT_SEPS: &[&str] = &[
    ".", ",", ";", ":", "!", "~", "*", "|", "$", "#", "@", "/", "+", "'", "\"", " ", "\t", "\0",
    "\\", "&", "%", "^", "(", "]", "{", "<", "?", "`", "é", "€", "\u{2028}", "🔑",
];

/// Separators that are not UTF-8: fine for the signer kinds only.
const BINARY_SEPS: &[&[u8]] = &[b"\xff", b"\x80", b"\xc3"];

const TEXT_PIECES: &[&str] = &[
    "a",
    "Z",
    "0",
    "9",
    "-",
    "_",
    "=",
    ".",
    "hello",
    "secret",
    " ",
    "\"",
    "\\",
    "/",
    "'",
    "\n",
    "\r",
    "\t",
    "\0",
    "\u{1}",
    "\u{1f}",
    "\u{7f}",
    "\u{80}",
    "\u{a0}",
    "é",
    "ß",
    "ñ",
    "中文",
    "日本",
    "Ω",
    "\u{2028}",
    "\u{2029}",
    "\u{feff}",
    "\u{fffd}",
    "\u{ffff}",
    "\u{10ffff}",
    "🔑",
    "😀",
    "👨\u{200d}👩\u{200d}👧",
    "🇫🇷",
    "<script>",
    "&amp;",
    "{}",
    "[]",
    "null",
    "1e5",
];

const FLOATS: &[f64] = &[
    0.0,
    -0.0,
    0.1,
    -1.5,
    1.0,
    100.0,
    1e16,
    1e-7,
    1e22,
    1e-5,
    0.0001,
    123_456_789.125,
    5e-324,
    f64::MAX,
    f64::MIN_POSITIVE,
    1e15,
    9_007_199_254_740_993.0,
    2.5e-300,
    -std::f64::consts::PI,
    -7.25e-3,
    1e300,
];

pub(crate) fn secret(rng: &mut Rng) -> Vec<u8> {
    match rng.below(10) {
        0 => Vec::new(),
        1 | 2 => b"secret-key".to_vec(),
        3..=5 => (0..rng.range(1, 40))
            .map(|_| u8::try_from(rng.range(0x20, 0x7e)).unwrap_or(b'x'))
            .collect(),
        6 | 7 => text(rng, 8).into_bytes(),
        _ => (0..rng.range(1, 64))
            .map(|_| u8::try_from(rng.below(256)).unwrap_or(0))
            .collect(),
    }
}

pub(crate) fn separator(rng: &mut Rng, allow_binary: bool) -> Vec<u8> {
    if allow_binary && rng.chance(10) {
        rng.pick(BINARY_SEPS, b".").to_vec()
    } else {
        rng.pick(TEXT_SEPS, ".").as_bytes().to_vec()
    }
}

pub(crate) fn text(rng: &mut Rng, max_pieces: u64) -> String {
    let mut s = String::new();
    for _ in 0..rng.below(max_pieces.saturating_add(1)) {
        if rng.chance(30) {
            let c =
                char::from_u32(u32::try_from(rng.range(0x20, 0x7e)).unwrap_or(0x41)).unwrap_or('a');
            s.push(c);
        } else {
            s.push_str(rng.pick(TEXT_PIECES, "a"));
        }
    }
    s
}

/// Compresses well: long runs and repeats, so URL-safe kinds take the zlib path.
pub(crate) fn compressible(rng: &mut Rng) -> String {
    let piece = text(rng, 3);
    let piece = if piece.is_empty() {
        "ab".to_owned()
    } else {
        piece
    };
    let count = usize::try_from(rng.range(20, 400)).unwrap_or(20);
    piece.repeat(count)
}

pub(crate) fn json_payload(rng: &mut Rng, url: bool) -> Value {
    if url && rng.chance(20) {
        return Value::String(compressible(rng));
    }
    json_value(rng, 0)
}

pub(crate) fn json_value(rng: &mut Rng, depth: u32) -> Value {
    let choices = if depth >= 3 { 6 } else { 9 };
    match rng.below(choices) {
        0 => Value::Null,
        1 => Value::Bool(rng.chance(50)),
        2 => integer(rng),
        3 => float(rng),
        4 | 5 => Value::String(if rng.chance(5) {
            compressible(rng)
        } else {
            text(rng, 10)
        }),
        6 => Value::Array(
            (0..rng.below(6))
                .map(|_| json_value(rng, depth.saturating_add(1)))
                .collect(),
        ),
        _ => {
            let mut map = Map::new();
            for _ in 0..rng.below(6) {
                map.insert(text(rng, 4), json_value(rng, depth.saturating_add(1)));
            }
            Value::Object(map)
        }
    }
}

pub(crate) fn integer(rng: &mut Rng) -> Value {
    let text = match rng.below(6) {
        0 => (rng.range(0, 2000).cast_signed() - 1000).to_string(),
        1 => rng
            .pick(
                &[
                    i64::MIN,
                    i64::MAX,
                    0,
                    -1,
                    1 << 53,
                    (1 << 53) + 1,
                    -(1 << 31),
                ],
                0,
            )
            .to_string(),
        2 => rng.pick(&[u64::MAX, 1 << 63, 1 << 32], 0).to_string(),
        3 => rng.next_u64().to_string(),
        _ => {
            // Beyond 64 bits.
            let digits = rng.range(20, 60);
            let mut s = String::new();
            if rng.chance(40) {
                s.push('-');
            }
            s.push(char::from(b'1' + u8::try_from(rng.below(9)).unwrap_or(0)));
            for _ in 1..digits {
                s.push(char::from(b'0' + u8::try_from(rng.below(10)).unwrap_or(0)));
            }
            s
        }
    };
    Number::from_json_text(&text).map_or(Value::Null, Value::Number)
}

pub(crate) fn float(rng: &mut Rng) -> Value {
    let f = match rng.below(4) {
        0 => rng.pick(FLOATS, 0.5),
        1 => f64::from_bits(rng.next_u64()),
        2 => {
            let mantissa = rng.range(0, 2_000_000).cast_signed() - 1_000_000;
            #[allow(clippy::cast_precision_loss)]
            let mantissa = mantissa as f64;
            mantissa / 10f64.powi(i32::try_from(rng.below(12)).unwrap_or(0))
        }
        _ => {
            #[allow(clippy::cast_precision_loss)]
            let whole = rng.next_u64() as f64;
            whole * 10f64.powi(i32::try_from(rng.below(40)).unwrap_or(0) - 20)
        }
    };
    Number::from_f64(f).map_or(Value::Null, Value::Number)
}

/// Signing time, verification time and maximum age, often right at the expiry boundary.
pub(crate) fn clocks(rng: &mut Rng) -> (u64, u64, Option<i64>) {
    let timestamp = timestamp(rng);
    let age: i64 = match rng.below(6) {
        0 => 0,
        1 => rng.range(1, 100).cast_signed(),
        2 => rng.range(0, 10_000_000).cast_signed(),
        3 => -rng.range(1, 1000).cast_signed(),
        _ => rng.range(0, 4000).cast_signed(),
    };
    let now = timestamp.checked_add_signed(age).unwrap_or(timestamp);
    let actual_age = i128::from(now) - i128::from(timestamp);
    let max_age = match rng.below(6) {
        0 => None,
        1 => Some(0),
        2 => Some(-rng.range(1, 10).cast_signed()),
        3 => Some(rng.range(0, 5000).cast_signed()),
        // Right at the boundary: age == max_age passes, age == max_age + 1 expires.
        _ => i64::try_from(actual_age)
            .ok()
            .map(|age| age.saturating_sub(rng.range(0, 1).cast_signed()).max(0)),
    };
    (timestamp, now, max_age)
}

/// A signing time up to the end of year 9999, mostly around now.
pub(crate) fn timestamp(rng: &mut Rng) -> u64 {
    match rng.below(8) {
        0 => 0,
        1 => rng.pick(
            &[
                1,
                255,
                256,
                65_535,
                65_536,
                4_294_967_295,
                4_294_967_296,
                MAX_PYTHON_TIMESTAMP,
            ],
            0,
        ),
        2 => rng.range(0, MAX_PYTHON_TIMESTAMP),
        _ => rng.range(1_000_000_000, 2_200_000_000),
    }
}
