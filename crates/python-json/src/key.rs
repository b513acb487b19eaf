//! Map keys: Python stringifies `int`, `float`, `bool` and `None` keys, and `sort_keys` sorts
//! the original key objects, not their text.

use core::cmp::Ordering;

use serde::Serialize;
use serde::ser::{self, Impossible};

use super::number::{self, PyNumber};
use super::writer::{NUMBER_TOKEN, capture_text};
use super::{WriteError, float};

/// A map key: its JSON text, plus what Python would compare when sorting.
#[derive(Debug)]
pub(crate) struct Key {
    /// The string written (escaped) as the key.
    pub(crate) text: String,
    /// The Python value the key stands for.
    value: KeyValue,
}

impl Key {
    /// Whether the key is a string: strings are ordered by their text alone, and a dict of
    /// string keys always sorts (see [`sort_entries`]).
    pub(crate) const fn is_str(&self) -> bool {
        matches!(self.value, KeyValue::Str)
    }
}

#[derive(Debug)]
enum KeyValue {
    Str,
    /// `int` or `bool` (which Python compares as 0 and 1).
    Int {
        bool: bool,
        negative: bool,
        /// Canonical decimal digits, no sign.
        digits: String,
    },
    Float(f64),
    None,
}

impl Key {
    /// A `str` key.
    pub(crate) fn string(text: String) -> Self {
        Self {
            text,
            value: KeyValue::Str,
        }
    }

    /// An `int` key from its canonical decimal text.
    fn int(text: String) -> Self {
        let (negative, digits) = match text.strip_prefix('-') {
            Some(digits) => (true, digits.to_owned()),
            None => (false, text.clone()),
        };
        Self {
            text,
            value: KeyValue::Int {
                bool: false,
                negative,
                digits,
            },
        }
    }

    /// A `float` key: Python writes its repr, and `NaN`/`Infinity`/`-Infinity` (valid JSON
    /// strings here).
    fn float(value: f64) -> Result<Self, WriteError> {
        let text = if value.is_nan() {
            "NaN".to_owned()
        } else if value.is_infinite() {
            if value > 0.0 { "Infinity" } else { "-Infinity" }.to_owned()
        } else {
            float::repr(value)?
        };
        Ok(Self {
            text,
            value: KeyValue::Float(value),
        })
    }

    /// Python's name for the key's type, for error messages.
    fn type_name(&self) -> &'static str {
        match self.value {
            KeyValue::Str => "str",
            KeyValue::Int { bool: true, .. } => "bool",
            KeyValue::Int { .. } => "int",
            KeyValue::Float(_) => "float",
            KeyValue::None => "NoneType",
        }
    }
}

/// Sorts buffered `(key, value)` entries the way Python's `sorted(dct.items())` does.
///
/// Strings sort by code point (the same as UTF-8 byte order); numbers (`int`, `float`, `bool`)
/// sort by exact numeric value, so `9` comes before `10`. The sort is stable.
///
/// # Errors
///
/// With two or more keys, Python raises `TypeError` when it has to compare a `str` with a
/// number, or `None` with anything; this gives [`WriteError::UnorderableKeys`]. A NaN float key
/// gives [`WriteError::NanKey`].
pub(crate) fn sort_entries<V>(entries: &mut [(Key, V)]) -> Result<(), WriteError> {
    if entries.len() < 2 {
        return Ok(());
    }
    let mut string: Option<&Key> = None;
    let mut numeric: Option<&Key> = None;
    for (key, _) in entries.iter() {
        match key.value {
            KeyValue::Str => string = string.or(Some(key)),
            KeyValue::Float(f) if f.is_nan() => return Err(WriteError::NanKey),
            KeyValue::Int { .. } | KeyValue::Float(_) => numeric = numeric.or(Some(key)),
            KeyValue::None => {
                let other = entries
                    .iter()
                    .map(|(k, _)| k)
                    .find(|k| !matches!(k.value, KeyValue::None))
                    .map_or("NoneType", Key::type_name);
                return Err(WriteError::UnorderableKeys {
                    first: other,
                    second: "NoneType",
                });
            }
        }
    }
    if let (Some(s), Some(n)) = (string, numeric) {
        return Err(WriteError::UnorderableKeys {
            first: s.type_name(),
            second: n.type_name(),
        });
    }
    entries.sort_by(|(a, _), (b, _)| compare(a, b));
    Ok(())
}

/// Orders two keys of comparable kinds (checked by the caller).
fn compare(a: &Key, b: &Key) -> Ordering {
    match (&a.value, &b.value) {
        // Code point order, which is UTF-8 byte order.
        (KeyValue::Str, KeyValue::Str) => a.text.cmp(&b.text),
        (KeyValue::Float(x), KeyValue::Float(y)) => x.partial_cmp(y).unwrap_or(Ordering::Equal),
        (
            KeyValue::Int {
                negative, digits, ..
            },
            KeyValue::Float(y),
        ) => compare_int_float(*negative, digits, *y),
        (
            KeyValue::Float(x),
            KeyValue::Int {
                negative, digits, ..
            },
        ) => compare_int_float(*negative, digits, *x).reverse(),
        (
            KeyValue::Int {
                negative: na,
                digits: da,
                ..
            },
            KeyValue::Int {
                negative: nb,
                digits: db,
                ..
            },
        ) => compare_signed(*na, da, *nb, db),
        _ => Ordering::Equal,
    }
}

/// Compares two canonical decimal integers (no leading zeros, zero is never negative).
fn compare_signed(na: bool, da: &str, nb: bool, db: &str) -> Ordering {
    match (na, nb) {
        (false, true) => Ordering::Greater,
        (true, false) => Ordering::Less,
        (false, false) => compare_magnitude(da, db),
        (true, true) => compare_magnitude(da, db).reverse(),
    }
}

/// Compares two canonical unsigned decimal integers.
fn compare_magnitude(a: &str, b: &str) -> Ordering {
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

/// Compares an integer with a non-NaN float exactly, as Python does.
fn compare_int_float(negative: bool, digits: &str, float: f64) -> Ordering {
    if float.is_infinite() {
        return if float > 0.0 {
            Ordering::Less
        } else {
            Ordering::Greater
        };
    }
    let int_sign = if digits == "0" {
        0
    } else if negative {
        -1
    } else {
        1
    };
    let float_sign = if float > 0.0 {
        1
    } else if float < 0.0 {
        -1
    } else {
        0
    };
    if int_sign != float_sign || int_sign == 0 {
        return int_sign.cmp(&float_sign);
    }
    // Same sign: compare magnitudes. `{:.0}` of an integral f64 prints its exact digits.
    let magnitude = float.abs();
    let whole = magnitude.floor();
    let by_magnitude =
        compare_magnitude(digits, &format!("{whole:.0}")).then(if magnitude > whole {
            Ordering::Less
        } else {
            Ordering::Equal
        });
    if negative {
        by_magnitude.reverse()
    } else {
        by_magnitude
    }
}

/// Turns a serde map key into a [`Key`], accepting what Python's `json` accepts as dict keys.
pub(crate) struct KeySerializer;

impl KeySerializer {
    fn reject(found: &'static str) -> WriteError {
        WriteError::KeyType { found }
    }
}

macro_rules! int_keys {
    ($($method:ident: $ty:ty),* $(,)?) => {
        $(
            fn $method(self, value: $ty) -> Result<Key, WriteError> {
                Ok(Key::int(value.to_string()))
            }
        )*
    };
}

impl ser::Serializer for KeySerializer {
    type Ok = Key;
    type Error = WriteError;
    type SerializeSeq = Impossible<Key, WriteError>;
    type SerializeTuple = Impossible<Key, WriteError>;
    type SerializeTupleStruct = Impossible<Key, WriteError>;
    type SerializeTupleVariant = Impossible<Key, WriteError>;
    type SerializeMap = Impossible<Key, WriteError>;
    type SerializeStruct = NumberKey;
    type SerializeStructVariant = Impossible<Key, WriteError>;

    fn serialize_bool(self, value: bool) -> Result<Key, WriteError> {
        Ok(Key {
            text: if value { "true" } else { "false" }.to_owned(),
            value: KeyValue::Int {
                bool: true,
                negative: false,
                digits: if value { "1" } else { "0" }.to_owned(),
            },
        })
    }

    int_keys! {
        serialize_i8: i8, serialize_i16: i16, serialize_i32: i32, serialize_i64: i64,
        serialize_i128: i128, serialize_u8: u8, serialize_u16: u16, serialize_u32: u32,
        serialize_u64: u64, serialize_u128: u128,
    }

    fn serialize_f32(self, value: f32) -> Result<Key, WriteError> {
        Key::float(float::widen_f32(value))
    }

    fn serialize_f64(self, value: f64) -> Result<Key, WriteError> {
        Key::float(value)
    }

    fn serialize_char(self, value: char) -> Result<Key, WriteError> {
        Ok(Key::string(value.to_string()))
    }

    fn serialize_str(self, value: &str) -> Result<Key, WriteError> {
        Ok(Key::string(value.to_owned()))
    }

    fn serialize_bytes(self, _: &[u8]) -> Result<Key, WriteError> {
        Err(Self::reject("bytes"))
    }

    fn serialize_none(self) -> Result<Key, WriteError> {
        Ok(Key {
            text: "null".to_owned(),
            value: KeyValue::None,
        })
    }

    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Result<Key, WriteError> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<Key, WriteError> {
        self.serialize_none()
    }

    fn serialize_unit_struct(self, _: &'static str) -> Result<Key, WriteError> {
        self.serialize_none()
    }

    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<Key, WriteError> {
        Ok(Key::string(variant.to_owned()))
    }

    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<Key, WriteError> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<Key, WriteError> {
        Err(Self::reject("an enum variant with data"))
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, WriteError> {
        Err(Self::reject("a sequence"))
    }

    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, WriteError> {
        Err(Self::reject("a tuple"))
    }

    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, WriteError> {
        Err(Self::reject("a tuple struct"))
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, WriteError> {
        Err(Self::reject("an enum variant with data"))
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, WriteError> {
        Err(Self::reject("a map"))
    }

    fn serialize_struct(
        self,
        name: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStruct, WriteError> {
        if name == NUMBER_TOKEN {
            Ok(NumberKey { key: None })
        } else {
            Err(Self::reject("a struct"))
        }
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, WriteError> {
        Err(Self::reject("an enum variant with data"))
    }
}

/// A `serde_json::Number` used as a map key.
pub(crate) struct NumberKey {
    key: Option<Key>,
}

impl ser::SerializeStruct for NumberKey {
    type Ok = Key;
    type Error = WriteError;

    fn serialize_field<T: ?Sized + Serialize>(
        &mut self,
        _: &'static str,
        value: &T,
    ) -> Result<(), WriteError> {
        let text = capture_text(value)?;
        self.key = Some(match number::parse(&text)? {
            PyNumber::Int(int) => Key::int(int),
            PyNumber::Float(value) => Key::float(value)?,
        });
        Ok(())
    }

    fn end(self) -> Result<Key, WriteError> {
        self.key
            .ok_or_else(|| WriteError::Custom("serde_json::Number without its text".to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use core::cmp::Ordering;

    use super::compare_int_float;

    #[test]
    fn int_float_order_is_exact() {
        let cases = [
            (false, "1", 1.0, Ordering::Equal),
            (false, "1", 1.5, Ordering::Less),
            (false, "2", 1.5, Ordering::Greater),
            (true, "1", -1.5, Ordering::Greater),
            (true, "2", -1.5, Ordering::Less),
            (false, "0", -0.0, Ordering::Equal),
            (false, "0", 0.5, Ordering::Less),
            (true, "1", 0.0, Ordering::Less),
            (
                false,
                "9007199254740993",
                9_007_199_254_740_992.0,
                Ordering::Greater,
            ),
            (
                false,
                "9007199254740992",
                9_007_199_254_740_992.0,
                Ordering::Equal,
            ),
            (false, "1", f64::INFINITY, Ordering::Less),
            (true, "1", f64::NEG_INFINITY, Ordering::Greater),
            (
                false,
                "1000000000000000000000000000000000000000",
                1e39,
                // 1e39 as f64 is 999999999999999939709166371603178586112.
                Ordering::Greater,
            ),
        ];
        for (negative, digits, float, expected) in cases {
            assert_eq!(
                compare_int_float(negative, digits, float),
                expected,
                "{negative} {digits} {float}"
            );
        }
    }
}
