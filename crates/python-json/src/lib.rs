#![doc = include_str!("../README.md")]
//!
//! # What this crate does
//!
//! itsdangerous signs the exact bytes that Python's `json.dumps` produces, so a token made in
//! Rust only matches one made in Python when the JSON text matches byte for byte. serde_json's
//! output differs in separators, escaping and float layout, so this crate has its own
//! [`serde::Serializer`] ([`write()`], [`to_vec`]):
//!
//! * separators and `ensure_ascii` per [`Dialect`], no other whitespace;
//! * strings escaped like Python (`\n \r \t \b \f`, other controls as lowercase `\u00XX`, `/`
//!   not escaped; with `ensure_ascii` everything above `~` as `\uXXXX`, astral characters as
//!   surrogate pairs);
//! * floats as Python's `repr(float)` (`1e-05`, `1e+16`, `1.0`, `0.0001`);
//! * integers exact however long ([`Number`]; also `serde_json::Number` when some crate in
//!   the build turned on serde_json's `arbitrary_precision`, which this crate never does);
//! * map keys in the given order, or sorted as Python sorts them with `sort_keys`; non-string
//!   keys stringified as Python does (`1` → `"1"`, `true` → `"true"`, `None` → `"null"`,
//!   `2.5` → `"2.5"`);
//! * nesting deeper than [`MAX_DEPTH`] is an error ([`WriteError::TooDeep`]), never a stack
//!   overflow, whatever the value.
//!
//! Where Python would write something that is not JSON (`NaN`, `Infinity`) or would raise,
//! the writer returns a [`WriteError`] instead.
//!
//! The rest of the serde data model is written as serde_json writes it: unit, `None` and unit
//! structs as `null`; unit variants as `"Variant"`; newtype structs as their content; other
//! variants as `{"Variant": content}`; tuples as arrays; bytes as arrays of integers; `char` as
//! a string. An `f32` is written with its shortest `f32` digits, read as an `f64` (`0.1_f32`
//! gives `0.1`, as serde_json writes it and as Python would then re-dump it).
//!
//! The reader ([`from_slice`]) goes straight from bytes to any `Deserialize` target, with
//! Python's number rules and a depth bound; [`Value`] is the dynamic value that keeps what
//! Python keeps (key order, every digit), so `write(&from_slice::<Value>(t)?)` is Python's
//! `json.dumps(json.loads(t))`.

mod error;
mod escape;
mod first_key;
mod float;
mod key;
mod macros;
mod number;
mod read;
mod value;
mod writer;

#[cfg(test)]
mod tests;

pub use error::WriteError;
#[doc(hidden)]
pub use first_key::{KEY_TEXT_TOKEN, KeyText, KeyTextDeserializer, ObjectStart, object_start};
pub use read::{ReadError, from_slice};
pub use value::{Map, Number, NumberError, Value};

/// The deepest nesting of lists and dicts read or written: 256 levels.
///
/// Python 3.11 stops at its recursion limit less the frames in use (994 levels from a
/// script's top level, fewer inside a web framework); serde_json stops at 128. This limit is
/// chosen so that reading into [`Value`], a Flask session or `serde_json::Value`, and writing
/// any value, fits a 2 MiB thread stack even in unoptimized (debug) builds. Measured
/// (2026-12-04, the smallest thread stack that reads dicts nested 256 deep, the deepest case):
/// into [`Value`] 1.1 MiB in a debug build and 0.2 MiB in a release one; through the Flask
/// serializer, whose untagging wrapper adds frames per level, 1.74 MiB debug and 0.32 MiB
/// release (`serde_json::Value` 1.51 / 0.24, a Flask session 1.34 / 0.23). Deeper input is an
/// error, never a stack overflow; values nested 257 to 994 deep, which Python reads and
/// writes, are refused (a deviation, listed in docs/compatibility.md).
pub const MAX_DEPTH: usize = 256;

/// The newtype-struct name through which a `Deserialize` impl asks for exact numbers: this
/// crate's reader then hands integers beyond 64 bits over as `{NUMBER_TOKEN: "<digits>"}`
/// instead of as a float. [`Value`] asks this way; other deserializers just see a newtype.
#[doc(hidden)]
pub const EXACT_TOKEN: &str = "$python_json::private::Exact";

/// The struct name and single field of an integer given as text (serde_json's number
/// protocol, also used by serde_json's `arbitrary_precision`).
#[doc(hidden)]
pub const NUMBER_TOKEN: &str = "$serde_json::private::Number";

/// One of Python's `json.dumps` configurations.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Dialect {
    item_separator: &'static str,
    key_separator: &'static str,
    ensure_ascii: bool,
    sort_keys: bool,
}

impl Dialect {
    /// `json.dumps` defaults: `", "` and `": "`, `ensure_ascii=True`, insertion order.
    ///
    /// Used by itsdangerous' `Serializer` and `TimedSerializer`.
    pub const PYTHON: Dialect = Dialect {
        item_separator: ", ",
        key_separator: ": ",
        ensure_ascii: true,
        sort_keys: false,
    };

    /// itsdangerous' `_CompactJSON`: `","` and `":"`, `ensure_ascii=False` (raw UTF-8),
    /// insertion order.
    ///
    /// Used by the URL-safe serializers and the JWS serializers.
    pub const COMPACT: Dialect = Dialect {
        item_separator: ",",
        key_separator: ":",
        ensure_ascii: false,
        sort_keys: false,
    };

    /// Django's `signing.JSONSerializer`: `","` and `":"`, `ensure_ascii=True`, insertion
    /// order.
    pub const DJANGO: Dialect = Dialect {
        item_separator: ",",
        key_separator: ":",
        ensure_ascii: true,
        sort_keys: false,
    };

    /// Flask session cookies: `","` and `":"`, `ensure_ascii=True`, `sort_keys=True`.
    pub const FLASK: Dialect = Dialect {
        item_separator: ",",
        key_separator: ":",
        ensure_ascii: true,
        sort_keys: true,
    };

    /// Whether every character above `~` is written as a `\uXXXX` escape.
    #[must_use]
    pub const fn ensure_ascii(self) -> bool {
        self.ensure_ascii
    }

    /// Whether object keys are sorted.
    #[must_use]
    pub const fn sort_keys(self) -> bool {
        self.sort_keys
    }
}

/// Appends the JSON text of `value` in `dialect` to `out`.
///
/// On error, `out` may hold part of the text after its original content.
///
/// # Errors
///
/// [`WriteError`] when Python would raise or write non-JSON: a NaN or infinite float (also from
/// number text such as `1e400`), an integer of more than 4300 digits, a map key that is not a
/// string, number, bool or unit, keys that cannot be sorted together, or an error reported by
/// the value's `Serialize` implementation.
pub fn write<T: serde::Serialize + ?Sized>(
    value: &T,
    dialect: Dialect,
    out: &mut Vec<u8>,
) -> Result<(), WriteError> {
    value.serialize(&mut writer::Writer::new(out, dialect))
}

/// The [`Value`] Python would hold after `json.loads(json.dumps(value))`: key order kept,
/// numbers exact.
///
/// # Errors
/// As for [`write()`].
pub fn to_value<T: serde::Serialize + ?Sized>(value: &T) -> Result<Value, WriteError> {
    let text = to_vec(value, Dialect::COMPACT)?;
    from_slice(&text).map_err(|e| WriteError::Custom(e.to_string()))
}

/// Returns the JSON text of `value` in `dialect`.
///
/// # Errors
///
/// As for [`write()`].
pub fn to_vec<T: serde::Serialize + ?Sized>(
    value: &T,
    dialect: Dialect,
) -> Result<Vec<u8>, WriteError> {
    let mut out = Vec::new();
    write(value, dialect, &mut out)?;
    Ok(out)
}
