//! JSON text byte-identical to Python's `json.dumps`.
//!
//! itsdangerous signs the exact bytes that Python's `json.dumps` produces, so a token made here
//! only matches one made in Python when the JSON text matches byte for byte. serde_json's output
//! differs in separators, escaping and float layout, so this module has its own
//! [`serde::Serializer`]:
//!
//! * separators and `ensure_ascii` per [`Dialect`], no other whitespace;
//! * strings escaped like Python (`\n \r \t \b \f`, other controls as lowercase `\u00XX`, `/`
//!   not escaped; with `ensure_ascii` everything above `~` as `\uXXXX`, astral characters as
//!   surrogate pairs);
//! * floats as Python's `repr(float)` (`1e-05`, `1e+16`, `1.0`, `0.0001`);
//! * `serde_json::Number` (with `arbitrary_precision`) normalised as Python re-dumps what
//!   `json.loads` read: integers stay exact however long (`-0` becomes `0`), other numbers become
//!   floats (`1E5` becomes `100000.0`);
//! * map keys in the given order, or sorted as Python sorts them with `sort_keys`; non-string keys
//!   stringified as Python does (`1` → `"1"`, `true` → `"true"`, `None` → `"null"`,
//!   `2.5` → `"2.5"`).
//!
//! Where Python would write something that is not JSON (`NaN`, `Infinity`) or would raise, this
//! writer returns a [`WriteError`] instead.
//!
//! The rest of the serde data model is written as serde_json writes it: unit, `None` and unit
//! structs as `null`; unit variants as `"Variant"`; newtype structs as their content; other
//! variants as `{"Variant": content}`; tuples as arrays; bytes as arrays of integers; `char` as a
//! string. An `f32` is written with its shortest `f32` digits, read as an `f64` (`0.1_f32` gives
//! `0.1`, as serde_json writes it and as Python would then re-dump it).

mod error;
mod escape;
mod float;
mod key;
mod number;
mod writer;

#[cfg(test)]
mod tests;

pub use error::WriteError;

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
