//! The reader: JSON bytes straight into any `Deserialize` type, as Python's `json.loads` reads
//! them.
//!
//! * Integers are exact: into [`Value`](crate::Value) (and any target that asks the same way)
//!   at any size, into `u64`/`i64`/`u128`/`i128` targets in range; other targets see a float
//!   for integers beyond 64 bits, as serde_json does.
//! * Integers of more than 4300 digits are refused (Python 3.11's limit), floats are correctly
//!   rounded (Rust's `str::parse`), and floats out of range (`1e400`) are refused.
//! * Nesting deeper than [`MAX_DEPTH`] is refused before it can exhaust the stack.
//! * Only JSON: no `NaN`/`Infinity`, no lone surrogates, no byte-order mark, strings must be
//!   valid UTF-8, whitespace is Python's (space, tab, newline, carriage return).

use core::fmt;

use std::borrow::Cow;

use serde::de::{self, DeserializeSeed, IntoDeserializer, Visitor};

use crate::escape::special_bytes;
use crate::first_key::{self, KEY_TEXT_TOKEN, number_keys};
use crate::number::MAX_INT_DIGITS;
use crate::{EXACT_TOKEN, MAX_DEPTH, NUMBER_TOKEN};

/// Why bytes could not be read as the requested value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadError {
    /// A constant for every syntax error (no allocation on a rejected document); owned only
    /// for a message from a visitor (`de::Error::custom`).
    message: Cow<'static, str>,
    /// Byte offset in the input, when the error comes from the text itself.
    offset: Option<usize>,
}

impl ReadError {
    const fn at(message: &'static str, offset: usize) -> Self {
        Self {
            message: Cow::Borrowed(message),
            offset: Some(offset),
        }
    }

    /// The short, lowercase description.
    #[must_use]
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The byte offset in the input where reading stopped, when the text itself is at fault
    /// (not the target type).
    #[must_use]
    pub const fn offset(&self) -> Option<usize> {
        self.offset
    }
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.offset {
            Some(at) => write!(f, "{} at byte {at}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for ReadError {}

impl de::Error for ReadError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Self {
            message: Cow::Owned(msg.to_string()),
            offset: None,
        }
    }
}

/// Reads one JSON document from `input` into a `T`.
///
/// # Errors
/// [`ReadError`] when `input` is not one JSON document (surrounded by optional whitespace)
/// that Python's `json.loads` would read, is nested deeper than [`MAX_DEPTH`], or does not fit
/// `T`.
pub fn from_slice<'de, T: de::Deserialize<'de>>(input: &'de [u8]) -> Result<T, ReadError> {
    let mut reader = Reader::new(input);
    let value = T::deserialize(&mut reader)?;
    reader.skip_whitespace();
    if reader.pos < input.len() {
        return Err(reader.error("trailing characters"));
    }
    Ok(value)
}

/// A serde `Deserializer` over JSON bytes (see the module docs).
struct Reader<'de> {
    input: &'de [u8],
    /// `input` as text when it is valid UTF-8 (checked once, up front): a string without
    /// escapes is then a slice of it, not validated again.
    text: Option<&'de str>,
    pos: usize,
    /// Containers currently open.
    depth: usize,
    /// Whether the current target asked for exact numbers (see [`EXACT_TOKEN`]).
    exact: bool,
    /// Unescaped string text.
    scratch: Vec<u8>,
}

/// A number as read, before it is handed to a visitor.
enum Parsed<'a> {
    Unsigned(u64),
    Negative(i64),
    /// An integer outside 64 bits: its text (`-` and digits, no leading zeros).
    BigInt(&'a str),
    Float(f64),
}

impl<'de> Reader<'de> {
    fn new(input: &'de [u8]) -> Self {
        Self {
            input,
            text: core::str::from_utf8(input).ok(),
            pos: 0,
            depth: 0,
            exact: false,
            scratch: Vec::new(),
        }
    }

    fn error(&self, message: &'static str) -> ReadError {
        ReadError::at(message, self.pos)
    }

    fn peek(&self) -> Option<u8> {
        self.input.get(self.pos).copied()
    }

    fn skip_whitespace(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.pos += 1;
        }
    }

    /// The next byte after whitespace, not consumed.
    #[inline]
    fn peek_token(&mut self) -> Result<u8, ReadError> {
        // Compact JSON has no whitespace between tokens: take the next byte when it is one.
        // Python's default separators (`", "`, `": "`, Starlette's and Django's sessions) put
        // one space before a token: skip it here too rather than in the cold loop.
        match self.peek() {
            Some(byte) if byte > b' ' => Ok(byte),
            Some(b' ') => match self.input.get(self.pos + 1) {
                Some(&byte) if byte > b' ' => {
                    self.pos += 1;
                    Ok(byte)
                }
                _ => self.peek_token_after_whitespace(),
            },
            _ => self.peek_token_after_whitespace(),
        }
    }

    #[cold]
    fn peek_token_after_whitespace(&mut self) -> Result<u8, ReadError> {
        self.skip_whitespace();
        self.peek()
            .ok_or_else(|| self.error("unexpected end of input"))
    }

    /// Consumes `literal` (`null`, `true`, `false`): an array, so that the comparison is one
    /// fixed-width compare rather than a call to compare slices.
    fn expect_literal<const N: usize>(&mut self, literal: &[u8; N]) -> Result<(), ReadError> {
        let next = self
            .input
            .get(self.pos..)
            .and_then(<[u8]>::first_chunk::<N>);
        if next == Some(literal) {
            self.pos += N;
            Ok(())
        } else {
            Err(self.error("invalid literal"))
        }
    }

    #[inline]
    fn enter(&mut self) -> Result<(), ReadError> {
        if self.depth >= MAX_DEPTH {
            return Err(self.error("nesting deeper than the limit"));
        }
        self.depth += 1;
        self.pos += 1;
        Ok(())
    }

    fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    /// The input from `start` to `end` as text, `None` when it is not UTF-8. Both ends are
    /// next to ASCII bytes (quotes, digits), so on a valid `text` they are character
    /// boundaries and the slice is taken without looking at the bytes again.
    fn text_between(&self, start: usize, end: usize) -> Option<&'de str> {
        match self.text {
            Some(text) => text.get(start..end),
            None => core::str::from_utf8(self.input.get(start..end)?).ok(),
        }
    }

    /// Reads the string starting at the opening quote; borrowed when it has no escapes.
    ///
    /// Only the common case is here (a run of plain bytes up to the closing quote), so that
    /// it stays small enough to inline into every caller (always: as a hint the key reader
    /// kept a call to it); escapes and errors are [`read_str_slow`](Self::read_str_slow).
    #[inline(always)]
    fn read_str(&mut self) -> Result<Text<'de>, ReadError> {
        // Skip the opening quote.
        self.pos += 1;
        let start = self.pos;
        let rest = self.input.get(start..).unwrap_or_default();
        // Fast path: a run without escapes or control characters, then the closing quote.
        let found = find_special(rest);
        if let Some(run) = found
            && rest.get(run) == Some(&b'"')
            && let Some(text) = self.text_between(start, start + run)
        {
            self.pos = start + run + 1;
            return Ok(Text::Borrowed(text));
        }
        self.read_str_slow(start, found)
    }

    /// The rest of [`read_str`](Self::read_str) for a string starting at `start` whose first
    /// special byte is `found` bytes in (`None`: there is none): an escape, a control
    /// character, the end of the input, or a plain run that is not UTF-8.
    #[cold]
    #[inline(never)]
    fn read_str_slow(
        &mut self,
        start: usize,
        found: Option<usize>,
    ) -> Result<Text<'de>, ReadError> {
        let input = self.input;
        let run = found.ok_or_else(|| ReadError::at("unterminated string", input.len()))?;
        let end = start + run;
        if input.get(end) == Some(&b'"') {
            // The fast path refused the run: it is not UTF-8.
            self.pos = end + 1;
            return Err(ReadError::at("invalid UTF-8 in string", start));
        }
        let mut out = core::mem::take(&mut self.scratch);
        out.clear();
        out.extend_from_slice(input.get(start..end).unwrap_or_default());
        self.pos = end;
        let result = self.read_escaped(&mut out);
        let text = result.and_then(|()| {
            String::from_utf8(out.clone())
                .map_err(|_| ReadError::at("invalid UTF-8 in string", start))
        });
        out.clear();
        self.scratch = out;
        text.map(Text::Owned)
    }

    /// Continues a string with escapes into `out`, up to and including the closing quote.
    fn read_escaped(&mut self, out: &mut Vec<u8>) -> Result<(), ReadError> {
        loop {
            let Some(byte) = self.peek() else {
                return Err(self.error("unterminated string"));
            };
            match byte {
                b'"' => {
                    self.pos += 1;
                    return Ok(());
                }
                b'\\' => {
                    self.pos += 1;
                    self.read_escape(out)?;
                }
                0..0x20 => return Err(self.error("control character in string")),
                _ => {
                    let rest = self.input.get(self.pos..).unwrap_or_default();
                    let run = find_special(rest).unwrap_or(rest.len());
                    out.extend_from_slice(rest.get(..run).unwrap_or_default());
                    self.pos += run;
                }
            }
        }
    }

    fn read_escape(&mut self, out: &mut Vec<u8>) -> Result<(), ReadError> {
        let Some(byte) = self.peek() else {
            return Err(self.error("unterminated string"));
        };
        self.pos += 1;
        let simple = match byte {
            b'"' => b'"',
            b'\\' => b'\\',
            b'/' => b'/',
            b'b' => 0x08,
            b'f' => 0x0c,
            b'n' => b'\n',
            b'r' => b'\r',
            b't' => b'\t',
            b'u' => {
                let first = self.read_hex4()?;
                let c = if (0xd800..0xdc00).contains(&first) {
                    if self.input.get(self.pos..self.pos + 2) != Some(b"\\u") {
                        return Err(self.error("lone surrogate in string"));
                    }
                    self.pos += 2;
                    let second = self.read_hex4()?;
                    if !(0xdc00..0xe000).contains(&second) {
                        return Err(self.error("lone surrogate in string"));
                    }
                    let code = 0x10000 + ((first - 0xd800) << 10) + (second - 0xdc00);
                    char::from_u32(code)
                } else {
                    char::from_u32(first)
                };
                let c = c.ok_or_else(|| self.error("lone surrogate in string"))?;
                out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
                return Ok(());
            }
            _ => return Err(self.error("invalid escape")),
        };
        out.push(simple);
        Ok(())
    }

    fn read_hex4(&mut self) -> Result<u32, ReadError> {
        let digits = self
            .input
            .get(self.pos..self.pos + 4)
            .ok_or_else(|| self.error("invalid \\u escape"))?;
        let mut value = 0;
        for &d in digits {
            let nibble = match d {
                b'0'..=b'9' => d - b'0',
                b'a'..=b'f' => d - b'a' + 10,
                b'A'..=b'F' => d - b'A' + 10,
                _ => return Err(self.error("invalid \\u escape")),
            };
            value = value * 16 + u32::from(nibble);
        }
        self.pos += 4;
        Ok(value)
    }

    /// Reads a number at the current position (`-` or a digit).
    fn read_number(&mut self) -> Result<Parsed<'de>, ReadError> {
        self.read_small_unsigned()
            .map_or_else(|| self.read_any_number(), |n| Ok(Parsed::Unsigned(n)))
    }

    /// The common number, read in one pass: a non-negative integer of at most 19 digits
    /// (so it fits), without a leading zero, and not followed by a digit, `.`, `e` or `E`.
    /// `None` (nothing consumed) for anything else, which [`Self::read_any_number`] reads.
    #[inline]
    fn read_small_unsigned(&mut self) -> Option<u64> {
        let input = self.input;
        let start = self.pos;
        let mut at = start;
        let mut magnitude: u64 = 0;
        while at - start < 19
            && let Some(&digit) = input.get(at)
            && digit.is_ascii_digit()
        {
            magnitude = magnitude * 10 + u64::from(digit - b'0');
            at += 1;
        }
        let plain = match at - start {
            0 => false,
            1 => true,
            _ => input.get(start) != Some(&b'0'),
        };
        if !plain || matches!(input.get(at), Some(b'0'..=b'9' | b'.' | b'e' | b'E')) {
            return None;
        }
        self.pos = at;
        Some(magnitude)
    }

    /// Reads any number at the current position (`-` or a digit).
    fn read_any_number(&mut self) -> Result<Parsed<'de>, ReadError> {
        let input = self.input;
        let start = self.pos;
        let digits_from = |at: usize| {
            input
                .get(at..)
                .unwrap_or_default()
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .count()
        };
        let mut at = start + usize::from(input.get(start) == Some(&b'-'));
        let int_start = at;
        let int_digits = digits_from(at);
        if int_digits == 0 {
            return Err(self.error("invalid number"));
        }
        // A leading zero ends the integer part (`01` is `0` followed by junk, as in Python).
        let int_digits = if input.get(at) == Some(&b'0') {
            1
        } else {
            int_digits
        };
        at += int_digits;
        let mut integer = true;
        if input.get(at) == Some(&b'.') {
            let frac = digits_from(at + 1);
            if frac > 0 {
                at += 1 + frac;
                integer = false;
            }
        }
        if matches!(input.get(at), Some(b'e' | b'E')) {
            let mut exp_at = at + 1;
            if matches!(input.get(exp_at), Some(b'+' | b'-')) {
                exp_at += 1;
            }
            let exp = digits_from(exp_at);
            if exp > 0 {
                at = exp_at + exp;
                integer = false;
            }
        }
        self.pos = at;
        // The number's text (ASCII, so always there) is only needed to parse a float or an
        // integer beyond 19 digits: a small integer is folded from its digits below.
        let text = || {
            self.text_between(start, at)
                .ok_or_else(|| ReadError::at("invalid number", start))
        };
        if !integer {
            let value: f64 = text()?
                .parse()
                .map_err(|_| ReadError::at("invalid number", start))?;
            if !value.is_finite() {
                return Err(ReadError::at(
                    "number out of range (Python reads infinity, which is not JSON)",
                    start,
                ));
            }
            return Ok(Parsed::Float(value));
        }
        let negative = int_start > start;
        if int_digits > MAX_INT_DIGITS {
            return Err(ReadError::at(
                "integer literal longer than 4300 digits",
                start,
            ));
        }
        let digits = input.get(int_start..at).unwrap_or_default();
        if int_digits <= 19 {
            let mut magnitude: u64 = 0;
            for d in digits {
                magnitude = magnitude * 10 + u64::from(d - b'0');
            }
            if !negative {
                return Ok(Parsed::Unsigned(magnitude));
            }
            if magnitude == 0 {
                // Python's int has no negative zero.
                return Ok(Parsed::Unsigned(0));
            }
            if let Some(value) = 0_i64.checked_sub_unsigned(magnitude) {
                return Ok(Parsed::Negative(value));
            }
        }
        let text = text()?;
        if !negative && let Ok(value) = text.parse::<u64>() {
            return Ok(Parsed::Unsigned(value));
        }
        Ok(Parsed::BigInt(text))
    }

    /// Visits a number; `big_exact` says whether integers beyond 64 bits go to the visitor as
    /// exact text (serde_json's number protocol) or as a float.
    fn visit_number<V: Visitor<'de>>(&mut self, visitor: V) -> Result<V::Value, ReadError> {
        let start = self.pos;
        let parsed = self.read_number()?;
        let result = match parsed {
            Parsed::Unsigned(u) => visitor.visit_u64(u),
            Parsed::Negative(i) => visitor.visit_i64(i),
            Parsed::Float(f) => visitor.visit_f64(f),
            Parsed::BigInt(text) if self.exact => {
                visitor.visit_map(NumberText { text: Some(text) })
            }
            Parsed::BigInt(text) => {
                let f: f64 = text
                    .parse()
                    .map_err(|_| ReadError::at("invalid number", start))?;
                if !f.is_finite() {
                    return Err(ReadError::at("number out of range", start));
                }
                visitor.visit_f64(f)
            }
        };
        result.map_err(|e| locate(e, start))
    }

    fn visit_string<V: Visitor<'de>>(&mut self, visitor: V) -> Result<V::Value, ReadError> {
        let start = self.pos;
        match self.read_str()? {
            Text::Borrowed(s) => visitor.visit_borrowed_str(s),
            Text::Owned(s) => visitor.visit_string(s),
        }
        .map_err(|e| locate(e, start))
    }

    fn visit_array<V: Visitor<'de>>(&mut self, visitor: V) -> Result<V::Value, ReadError> {
        let start = self.pos;
        self.enter()?;
        let mut access = Items {
            reader: self,
            first: true,
            done: false,
        };
        let value = visitor
            .visit_seq(&mut access)
            .map_err(|e| locate(e, start))?;
        if !access.done {
            // The visitor stopped early: the array must end here.
            if access.reader.peek_token()? != b']' {
                return Err(access.reader.error("array has more elements than expected"));
            }
            access.reader.pos += 1;
        }
        self.leave();
        Ok(value)
    }

    fn visit_object<V: Visitor<'de>>(&mut self, visitor: V) -> Result<V::Value, ReadError> {
        let start = self.pos;
        self.enter()?;
        let mut access = Entries {
            reader: self,
            first: true,
            done: false,
        };
        let value = visitor
            .visit_map(&mut access)
            .map_err(|e| locate(e, start))?;
        if !access.done {
            if access.reader.peek_token()? != b'}' {
                return Err(access.reader.error("object has more entries than expected"));
            }
            access.reader.pos += 1;
        }
        self.leave();
        Ok(value)
    }
}

/// Non-zero high bits when some byte of the 8-byte `word` may be `"`, `\\` or a control
/// character, the lowest flagged one always a real one ([`special_bytes`]). A short `word`
/// (never passed) reads as zeros, which are special.
fn candidates(word: &[u8]) -> u64 {
    special_bytes(
        <[u8; 8]>::try_from(word).map_or(0, u64::from_le_bytes),
        false,
    )
}

/// The position of the first `"`, `\\` or control character in `bytes`. Keys and short
/// values end in the first eight bytes: that word is tested here, inlined, and only a longer
/// run goes on to [`find_special_from`] (whose block loop's setup would cost a short string
/// more than its test).
fn find_special(bytes: &[u8]) -> Option<usize> {
    let Some(word) = bytes.first_chunk::<8>() else {
        return find_special_from(bytes, 0);
    };
    let found = special_bytes(u64::from_le_bytes(*word), false);
    if found != 0 {
        return Some((found.trailing_zeros() / 8) as usize);
    }
    find_special_from(bytes, 8)
}

/// [`find_special`] from `at` (where `at` is 0 or 8 and the bytes before it are plain): eight
/// bytes at a time, 32 at a time past the first 32 bytes ([`plain_blocks`]: long values are
/// long), byte by byte in the last few.
#[inline(never)]
fn find_special_from(bytes: &[u8], mut at: usize) -> Option<usize> {
    while let Some(word) = bytes.get(at..at + 8) {
        let found = candidates(word);
        if found != 0 {
            return Some(at + (found.trailing_zeros() / 8) as usize);
        }
        at += 8;
        if at == 32 {
            at += plain_blocks(bytes.get(at..).unwrap_or_default());
        }
    }
    let is_special = |b: &u8| *b == b'"' || *b == b'\\' || *b < 0x20;
    let rest = bytes.get(at..)?;
    rest.iter().position(is_special).map(|p| p + at)
}

/// The length of the leading 32-byte blocks of `bytes` that hold no special byte.
fn plain_blocks(bytes: &[u8]) -> usize {
    let mut at = 0;
    for block in bytes.chunks_exact(32) {
        if block
            .chunks_exact(8)
            .fold(0, |any, word| any | candidates(word))
            != 0
        {
            break;
        }
        at += 32;
    }
    at
}

/// Adds a position to an error from a visitor.
fn locate(mut error: ReadError, at: usize) -> ReadError {
    if error.offset.is_none() {
        error.offset = Some(at);
    }
    error
}

enum Text<'de> {
    Borrowed(&'de str),
    Owned(String),
}

impl<'de> de::Deserializer<'de> for &mut Reader<'de> {
    type Error = ReadError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        match self.peek_token()? {
            b'n' => {
                self.expect_literal(b"null")?;
                visitor.visit_unit()
            }
            b't' => {
                self.expect_literal(b"true")?;
                visitor.visit_bool(true)
            }
            b'f' => {
                self.expect_literal(b"false")?;
                visitor.visit_bool(false)
            }
            b'"' => self.visit_string(visitor),
            b'[' => self.visit_array(visitor),
            b'{' => self.visit_object(visitor),
            b'-' | b'0'..=b'9' => self.visit_number(visitor),
            _ => Err(self.error("expected a value")),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        if self.peek_token()? == b'n' {
            self.expect_literal(b"null")?;
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, ReadError> {
        if name == EXACT_TOKEN {
            let outer = core::mem::replace(&mut self.exact, true);
            let result = visitor.visit_newtype_struct(&mut *self);
            self.exact = outer;
            return result;
        }
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_i128<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        self.deserialize_wide(visitor)
    }

    fn deserialize_u128<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        self.deserialize_wide(visitor)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        if self.peek_token()? == b'"' {
            let start = self.pos;
            return match self.read_str()? {
                Text::Borrowed(s) => visitor.visit_borrowed_bytes(s.as_bytes()),
                Text::Owned(s) => visitor.visit_byte_buf(s.into_bytes()),
            }
            .map_err(|e| locate(e, start));
        }
        self.deserialize_any(visitor)
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        self.deserialize_bytes(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ReadError> {
        match self.peek_token()? {
            b'"' => {
                let start = self.pos;
                let variant = match self.read_str()? {
                    Text::Borrowed(s) => s.to_owned(),
                    Text::Owned(s) => s,
                };
                visitor
                    .visit_enum(IntoDeserializer::<ReadError>::into_deserializer(variant))
                    .map_err(|e| locate(e, start))
            }
            b'{' => {
                self.enter()?;
                let value = visitor.visit_enum(Variant { reader: self })?;
                if self.peek_token()? != b'}' {
                    return Err(self.error("expected `}` after the enum variant's value"));
                }
                self.pos += 1;
                self.leave();
                Ok(value)
            }
            _ => Err(self.error("expected a string or an object for an enum")),
        }
    }

    /// Still reads (and checks) the whole value; integers of any size are fine here.
    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        let outer = core::mem::replace(&mut self.exact, true);
        let result = self.deserialize_any(visitor);
        self.exact = outer;
        result
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 u8 u16 u32 u64 f32 f64 char str string unit unit_struct seq tuple
        tuple_struct map struct identifier
    }
}

impl<'de> Reader<'de> {
    /// `i128`/`u128` targets: integers are handed over exactly when they fit.
    fn deserialize_wide<V: Visitor<'de>>(&mut self, visitor: V) -> Result<V::Value, ReadError> {
        let token = self.peek_token()?;
        if !matches!(token, b'-' | b'0'..=b'9') {
            return de::Deserializer::deserialize_any(self, visitor);
        }
        let start = self.pos;
        match self.read_number()? {
            Parsed::Unsigned(u) => visitor.visit_u64(u),
            Parsed::Negative(i) => visitor.visit_i64(i),
            Parsed::Float(f) => visitor.visit_f64(f),
            Parsed::BigInt(text) => {
                if let Ok(u) = text.parse::<u128>() {
                    visitor.visit_u128(u)
                } else if let Ok(i) = text.parse::<i128>() {
                    visitor.visit_i128(i)
                } else {
                    Err(ReadError::at(
                        "integer out of range for a 128-bit target",
                        start,
                    ))
                }
            }
        }
        .map_err(|e| locate(e, start))
    }
}

/// The elements of an array.
struct Items<'a, 'de> {
    reader: &'a mut Reader<'de>,
    first: bool,
    /// Whether the closing `]` has been read.
    done: bool,
}

impl<'de> de::SeqAccess<'de> for Items<'_, 'de> {
    type Error = ReadError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, ReadError> {
        if self.done {
            return Ok(None);
        }
        if self.first {
            self.first = false;
            if self.reader.peek_token()? == b']' {
                self.reader.pos += 1;
                self.done = true;
                return Ok(None);
            }
        } else {
            if !self.separator()? {
                return Ok(None);
            }
            if self.reader.peek_token()? == b']' {
                return Err(self.reader.error("trailing comma"));
            }
        }
        seed.deserialize(&mut *self.reader).map(Some)
    }
}

impl Items<'_, '_> {
    /// Reads the `,` before a further element (`true`) or the closing `]` (`false`).
    fn separator(&mut self) -> Result<bool, ReadError> {
        match self.reader.peek_token()? {
            b',' => {
                self.reader.pos += 1;
                Ok(true)
            }
            b']' => {
                self.reader.pos += 1;
                self.done = true;
                Ok(false)
            }
            _ => Err(self.reader.error("expected `,` or `]`")),
        }
    }
}

/// The entries of an object.
struct Entries<'a, 'de> {
    reader: &'a mut Reader<'de>,
    first: bool,
    done: bool,
}

impl<'de> de::MapAccess<'de> for Entries<'_, 'de> {
    type Error = ReadError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, ReadError> {
        if self.done {
            return Ok(None);
        }
        let token = self.reader.peek_token()?;
        if self.first {
            self.first = false;
            if token == b'}' {
                self.reader.pos += 1;
                self.done = true;
                return Ok(None);
            }
        } else {
            match token {
                // The key is checked below.
                b',' => self.reader.pos += 1,
                b'}' => {
                    self.reader.pos += 1;
                    self.done = true;
                    return Ok(None);
                }
                _ => return Err(self.reader.error("expected `,` or `}`")),
            }
        }
        if self.reader.peek_token()? != b'"' {
            return Err(self.reader.error("expected a string key"));
        }
        seed.deserialize(Key {
            reader: &mut *self.reader,
        })
        .map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, ReadError> {
        if self.reader.peek_token()? != b':' {
            return Err(self.reader.error("expected `:`"));
        }
        self.reader.pos += 1;
        seed.deserialize(&mut *self.reader)
    }
}

/// An object key (a JSON string), also read as a number or bool by targets with such keys.
struct Key<'a, 'de> {
    reader: &'a mut Reader<'de>,
}

impl<'de> Key<'_, 'de> {
    fn text(&mut self) -> Result<Text<'de>, ReadError> {
        self.reader.read_str()
    }

    /// Parses the key text as a `T` for number targets (`HashMap<u32, _>`).
    fn parse<T: core::str::FromStr>(&mut self) -> Result<T, ReadError> {
        let start = self.reader.pos;
        let text = self.text()?;
        let s = match &text {
            Text::Borrowed(s) => s,
            Text::Owned(s) => s.as_str(),
        };
        s.parse()
            .map_err(|_| ReadError::at(first_key::NOT_A_NUMBER_KEY, start))
    }
}

impl<'de> de::Deserializer<'de> for Key<'_, 'de> {
    type Error = ReadError;

    fn deserialize_any<V: Visitor<'de>>(mut self, visitor: V) -> Result<V::Value, ReadError> {
        let start = self.reader.pos;
        match self.text()? {
            Text::Borrowed(s) => visitor.visit_borrowed_str(s),
            Text::Owned(s) => visitor.visit_string(s),
        }
        .map_err(|e| locate(e, start))
    }

    number_keys!();

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        visitor.visit_some(self)
    }

    /// To [`KEY_TEXT_TOKEN`]: the key is document text ([`crate::first_key`]).
    fn deserialize_newtype_struct<V: Visitor<'de>>(
        mut self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, ReadError> {
        if name == KEY_TEXT_TOKEN {
            let start = self.reader.pos;
            return match self.text()? {
                Text::Borrowed(s) => first_key::visit_document_text(s, visitor),
                Text::Owned(s) => first_key::visit_document_string(s, visitor),
            }
            .map_err(|e| locate(e, start));
        }
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        mut self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ReadError> {
        let variant = match self.text()? {
            Text::Borrowed(s) => s.to_owned(),
            Text::Owned(s) => s,
        };
        visitor.visit_enum(IntoDeserializer::<ReadError>::into_deserializer(variant))
    }

    serde::forward_to_deserialize_any! {
        char str string bytes byte_buf unit unit_struct seq tuple tuple_struct map struct
        identifier ignored_any
    }
}

/// `{"Variant": value}`.
struct Variant<'a, 'de> {
    reader: &'a mut Reader<'de>,
}

impl<'a, 'de> de::EnumAccess<'de> for Variant<'a, 'de> {
    type Error = ReadError;
    type Variant = Self;

    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Self), ReadError> {
        if self.reader.peek_token()? != b'"' {
            return Err(self.reader.error("expected a string key"));
        }
        let variant = seed.deserialize(Key {
            reader: &mut *self.reader,
        })?;
        if self.reader.peek_token()? != b':' {
            return Err(self.reader.error("expected `:`"));
        }
        self.reader.pos += 1;
        Ok((variant, self))
    }
}

impl<'de> de::VariantAccess<'de> for Variant<'_, 'de> {
    type Error = ReadError;

    fn unit_variant(self) -> Result<(), ReadError> {
        de::Deserialize::deserialize(&mut *self.reader)
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, ReadError> {
        seed.deserialize(&mut *self.reader)
    }

    fn tuple_variant<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, ReadError> {
        de::Deserializer::deserialize_seq(&mut *self.reader, visitor)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ReadError> {
        de::Deserializer::deserialize_map(&mut *self.reader, visitor)
    }
}

/// An integer beyond 64 bits handed to an exact target: `{NUMBER_TOKEN: "<digits>"}`.
struct NumberText<'a> {
    text: Option<&'a str>,
}

impl<'de> de::MapAccess<'de> for NumberText<'de> {
    type Error = ReadError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, ReadError> {
        if self.text.is_none() {
            return Ok(None);
        }
        seed.deserialize(de::value::BorrowedStrDeserializer::new(NUMBER_TOKEN))
            .map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, ReadError> {
        let text = self
            .text
            .take()
            .ok_or_else(|| <ReadError as de::Error>::custom("number text read twice"))?;
        seed.deserialize(de::value::BorrowedStrDeserializer::new(text))
    }
}

#[cfg(test)]
mod number_tests {
    use super::{Parsed, Reader};

    /// A number's reading as comparable text: the value or error, and where reading stopped.
    fn outcome(result: Result<Parsed<'_>, super::ReadError>, pos: usize) -> String {
        let value = match result {
            Ok(Parsed::Unsigned(u)) => format!("u{u}"),
            Ok(Parsed::Negative(i)) => format!("i{i}"),
            Ok(Parsed::BigInt(text)) => format!("big{text}"),
            Ok(Parsed::Float(f)) => format!("f{f:e}"),
            Err(e) => format!("err {e}"),
        };
        format!("{value} @{pos}")
    }

    /// The one-pass small-integer path reads exactly what the general path reads, stopping
    /// at the same place: every string of up to 5 bytes over digits, signs, `.`, `e`, `E`
    /// and a terminator, and integers of 18 to 21 digits.
    #[test]
    fn small_unsigned_path_agrees_with_the_general_path() {
        let mut texts: Vec<Vec<u8>> = vec![Vec::new()];
        let mut last: Vec<Vec<u8>> = vec![Vec::new()];
        for _ in 0..5 {
            last = last
                .iter()
                .flat_map(|t| {
                    b"0159-+.eE,".iter().map(move |b| {
                        let mut t = t.clone();
                        t.push(*b);
                        t
                    })
                })
                .collect();
            texts.extend(last.iter().cloned());
        }
        for digits in 18..=21 {
            for first in [b'1', b'9', b'0'] {
                let mut t = vec![first];
                t.extend(std::iter::repeat_n(b'9', digits - 1));
                texts.push(t.clone());
                t.push(b'.');
                texts.push(t);
            }
        }
        for text in texts {
            let mut fast = Reader::new(&text);
            let fast_result = fast.read_number();
            let mut general = Reader::new(&text);
            let general_result = general.read_any_number();
            assert_eq!(
                outcome(fast_result, fast.pos),
                outcome(general_result, general.pos),
                "{:?}",
                String::from_utf8_lossy(&text)
            );
        }
    }
}

#[cfg(test)]
mod find_special_tests {
    use super::find_special;

    /// Every byte value at every offset of the first words and blocks, among plain bytes
    /// chosen to provoke the SWAR borrows (bytes just above each bound, and high bytes).
    #[test]
    fn finds_any_byte_value_behind_any_plain_bytes() {
        let is_special = |b: u8| b == b'"' || b == b'\\' || b < 0x20;
        for filler in [b'a', 0x20, 0x21, 0x23, 0x5d, 0x80, 0xa2, 0xdc, 0xff] {
            for len in [7usize, 8, 9, 31, 32, 33, 70, 100] {
                for at in 0..len {
                    for value in 0..=255u8 {
                        let mut bytes = vec![filler; len];
                        bytes[at] = value;
                        let want = bytes.iter().position(|b| is_special(*b));
                        assert_eq!(find_special(&bytes), want, "{filler} {len} {at} {value}");
                    }
                }
            }
        }
    }

    #[test]
    fn finds_the_first_special_byte_at_every_position_and_length() {
        let naive = |bytes: &[u8]| {
            bytes
                .iter()
                .position(|b| *b == b'"' || *b == b'\\' || *b < 0x20)
        };
        for len in 0..80usize {
            // Plain text, including bytes just above the bound and non-ASCII.
            let plain: Vec<u8> = (0..len)
                .map(|i| [b'a', b' ', 0x21, b'[', 0x7f, 0x80, 0xff, 0xe2][i % 8])
                .collect();
            assert_eq!(find_special(&plain), naive(&plain), "{len}");
            for at in 0..len {
                for special in [b'"', b'\\', 0x00, 0x1f, b'\n'] {
                    let mut bytes = plain.clone();
                    bytes[at] = special;
                    assert_eq!(find_special(&bytes), Some(at), "{len} {at} {special}");
                    // A second special byte later does not change the answer.
                    if let Some(last) = bytes.last_mut()
                        && at + 1 < len
                    {
                        *last = b'"';
                    }
                    assert_eq!(find_special(&bytes), Some(at), "{len} {at} {special}");
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Syntax errors keep a constant message (no allocation) and custom ones an owned one;
    /// both display as before: the message, then ` at byte N` when there is a position.
    #[test]
    fn errors_display_their_message_and_position() {
        let syntax = from_slice::<crate::Value>(b"[1,").unwrap_err();
        assert!(matches!(syntax.message, Cow::Borrowed(_)));
        assert_eq!(syntax.offset(), Some(3));
        assert_eq!(
            syntax.to_string(),
            format!("{} at byte 3", syntax.message())
        );
        let long = from_slice::<crate::Value>(&[b'1'; 4301]).unwrap_err();
        assert_eq!(
            long.to_string(),
            "integer literal longer than 4300 digits at byte 0"
        );
        let custom = <ReadError as de::Error>::custom("expected a map");
        assert_eq!(custom.message(), "expected a map");
        assert_eq!(custom.offset(), None);
        assert_eq!(custom.to_string(), "expected a map");
        let typed = from_slice::<bool>(b" 1").unwrap_err();
        assert!(typed.to_string().ends_with(" at byte 1"), "{typed}");
    }
}
