//! [`Value`]: what Python's `json.loads` returns, kept exactly.
//!
//! Objects keep their keys in document order (as a Python `dict` does), integers keep every
//! digit, and floats are `f64`s, which Python's `repr` (and so [`write()`](crate::write())) lays
//! out byte for byte as Python would. Writing a `Value` read by [`from_slice`](crate::from_slice)
//! gives the bytes `json.dumps(json.loads(text))` gives in Python.

use core::fmt;
use std::collections::HashMap;
use std::ops::Index;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, SerializeSeq, SerializeStruct, Serializer};

use crate::first_key::{ObjectStart, object_start};
use crate::number::{self, PyNumber};
use crate::{EXACT_TOKEN, NUMBER_TOKEN, float};

/// A JSON value as Python holds it after `json.loads`.
#[derive(Clone, Debug, Default, PartialEq)]
#[non_exhaustive]
pub enum Value {
    /// `None` / `null`.
    #[default]
    Null,
    /// A bool.
    Bool(bool),
    /// An `int` of any size or a `float`.
    Number(Number),
    /// A string.
    String(String),
    /// A list.
    Array(Vec<Value>),
    /// A dict with string keys, in insertion order.
    Object(Map),
}

/// A Python number: an `int` of any size (up to Python's 4300 digits) or a finite `float`.
#[derive(Clone, PartialEq)]
pub struct Number(Repr);

#[derive(Clone, Debug, PartialEq)]
enum Repr {
    /// Non-negative and at most `u64::MAX`.
    Unsigned(u64),
    /// Negative and at least `i64::MIN`.
    Negative(i64),
    /// Any other integer: canonical decimal text (`-` only when negative, no leading zeros).
    Big(Box<str>),
    /// A finite float.
    Float(f64),
}

impl Number {
    /// The number Python's `json.loads` reads from JSON number `text`: an `int` for text
    /// without `.`, `e` or `E` (`-0` is `0`), a `float` otherwise.
    ///
    /// # Errors
    /// [`NumberError`] when `text` is not a JSON number, is an integer of more than 4300
    /// digits (Python 3.11 refuses it), or is a float out of range (`1e400`, which Python
    /// reads as infinity and JSON cannot hold).
    pub fn from_json_text(text: &str) -> Result<Self, NumberError> {
        match number::parse(text).map_err(|e| NumberError(e.to_string()))? {
            PyNumber::Int(digits) => Ok(Self::from_canonical_int(&digits)),
            PyNumber::Float(f) => Self::from_f64(f)
                .ok_or_else(|| NumberError("number out of range (Python reads inf)".to_owned())),
        }
    }

    /// An integer from canonical decimal text.
    pub(crate) fn from_canonical_int(digits: &str) -> Self {
        if let Ok(u) = digits.parse::<u64>() {
            Self(Repr::Unsigned(u))
        } else if let Ok(i) = digits.parse::<i64>() {
            Self(Repr::Negative(i))
        } else {
            Self(Repr::Big(digits.into()))
        }
    }

    /// A float; `None` for NaN and the infinities, which JSON has no text for.
    #[must_use]
    pub fn from_f64(value: f64) -> Option<Self> {
        value.is_finite().then_some(Self(Repr::Float(value)))
    }

    /// Whether this is a Python `int`.
    #[must_use]
    pub const fn is_integer(&self) -> bool {
        !matches!(self.0, Repr::Float(_))
    }

    /// Whether this is a Python `float`.
    #[must_use]
    pub const fn is_f64(&self) -> bool {
        matches!(self.0, Repr::Float(_))
    }

    /// The integer as an `i64`, if it is one in range.
    #[must_use]
    pub fn as_i64(&self) -> Option<i64> {
        match self.0 {
            Repr::Unsigned(u) => i64::try_from(u).ok(),
            Repr::Negative(i) => Some(i),
            _ => None,
        }
    }

    /// The integer as a `u64`, if it is one in range.
    #[must_use]
    pub const fn as_u64(&self) -> Option<u64> {
        match self.0 {
            Repr::Unsigned(u) => Some(u),
            _ => None,
        }
    }

    /// The integer as an `i128`, if it is one in range.
    #[must_use]
    pub fn as_i128(&self) -> Option<i128> {
        match &self.0 {
            Repr::Unsigned(u) => Some(i128::from(*u)),
            Repr::Negative(i) => Some(i128::from(*i)),
            Repr::Big(text) => text.parse().ok(),
            Repr::Float(_) => None,
        }
    }

    /// The integer as a `u128`, if it is one in range.
    #[must_use]
    pub fn as_u128(&self) -> Option<u128> {
        match &self.0 {
            Repr::Unsigned(u) => Some(u128::from(*u)),
            Repr::Big(text) => text.parse().ok(),
            _ => None,
        }
    }

    /// The float, or the integer converted to the nearest `f64` (as Python's `float(n)`;
    /// `None` where Python raises `OverflowError`).
    #[must_use]
    pub fn as_f64(&self) -> Option<f64> {
        match &self.0 {
            Repr::Float(f) => Some(*f),
            #[allow(clippy::cast_precision_loss)]
            Repr::Unsigned(u) => Some(*u as f64),
            #[allow(clippy::cast_precision_loss)]
            Repr::Negative(i) => Some(*i as f64),
            Repr::Big(text) => text.parse::<f64>().ok().filter(|f| f.is_finite()),
        }
    }

    /// The integer's canonical decimal text (`None` for a float).
    #[must_use]
    pub fn integer_text(&self) -> Option<String> {
        match &self.0 {
            Repr::Unsigned(u) => Some(u.to_string()),
            Repr::Negative(i) => Some(i.to_string()),
            Repr::Big(text) => Some(text.to_string()),
            Repr::Float(_) => None,
        }
    }
}

/// Python's `repr`: `42`, `123456789012345678901234567890`, `1.0`, `1e-07`.
impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Repr::Unsigned(u) => write!(f, "{u}"),
            Repr::Negative(i) => write!(f, "{i}"),
            Repr::Big(text) => f.write_str(text),
            Repr::Float(x) => f.write_str(&float::repr(*x).map_err(|_| fmt::Error)?),
        }
    }
}

impl fmt::Debug for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Number({self})")
    }
}

/// Why text is not a number Python's `json` would read and write back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NumberError(String);

impl fmt::Display for NumberError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for NumberError {}

macro_rules! from_ints {
    ($($ty:ty),* $(,)?) => {
        $(
            impl From<$ty> for Number {
                fn from(value: $ty) -> Self {
                    Self::from_i128(i128::from(value))
                }
            }
            impl From<$ty> for Value {
                fn from(value: $ty) -> Self {
                    Self::Number(Number::from(value))
                }
            }
        )*
    };
}

impl Number {
    fn from_i128(value: i128) -> Self {
        if let Ok(u) = u64::try_from(value) {
            Self(Repr::Unsigned(u))
        } else if let Ok(i) = i64::try_from(value) {
            Self(Repr::Negative(i))
        } else {
            Self(Repr::Big(value.to_string().into()))
        }
    }
}

from_ints!(i8, i16, i32, i64, u8, u16, u32, u64);

impl From<i128> for Number {
    fn from(value: i128) -> Self {
        Self::from_i128(value)
    }
}

impl From<usize> for Value {
    fn from(value: usize) -> Self {
        // usize is at most 128 bits on every platform Rust supports.
        Self::Number(u128::try_from(value).map_or_else(|_| Number::from(u128::MAX), Number::from))
    }
}

impl From<isize> for Value {
    fn from(value: isize) -> Self {
        Self::Number(i128::try_from(value).map_or_else(|_| Number::from(i128::MAX), Number::from))
    }
}

impl From<i128> for Value {
    fn from(value: i128) -> Self {
        Self::Number(Number::from(value))
    }
}

impl From<u128> for Value {
    fn from(value: u128) -> Self {
        Self::Number(Number::from(value))
    }
}

impl From<&Value> for Value {
    fn from(value: &Value) -> Self {
        value.clone()
    }
}

impl From<&String> for Value {
    fn from(value: &String) -> Self {
        Self::String(value.clone())
    }
}

impl From<u128> for Number {
    fn from(value: u128) -> Self {
        match u64::try_from(value) {
            Ok(u) => Self(Repr::Unsigned(u)),
            Err(_) => Self(Repr::Big(value.to_string().into())),
        }
    }
}

impl Serialize for Number {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match &self.0 {
            Repr::Unsigned(u) => serializer.serialize_u64(*u),
            Repr::Negative(i) => serializer.serialize_i64(*i),
            Repr::Float(f) => serializer.serialize_f64(*f),
            Repr::Big(text) => {
                // serde_json's number protocol, understood by this crate's writer (and by
                // serde_json with `arbitrary_precision`).
                let mut number = serializer.serialize_struct(NUMBER_TOKEN, 1)?;
                number.serialize_field(NUMBER_TOKEN, &**text)?;
                number.end()
            }
        }
    }
}

impl<'de> Deserialize<'de> for Number {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match Value::deserialize(deserializer)? {
            Value::Number(n) => Ok(n),
            _ => Err(de::Error::custom("expected a number")),
        }
    }
}

/// A JSON object as a Python `dict`: insertion order, one value per key (a repeated key
/// keeps its first position and takes the last value, as in Python).
///
/// Lookups are by hash once the object has more than a few keys, so reading an object with
/// many keys stays linear.
#[derive(Clone, Default)]
pub struct Map {
    entries: Vec<(String, Value)>,
    /// Position of each key, built once the map outgrows a linear scan.
    index: Option<HashMap<String, usize>>,
}

/// Up to this many entries, keys are found by scanning.
const SCAN_LIMIT: usize = 8;

impl Map {
    /// An empty map.
    #[must_use]
    pub const fn new() -> Self {
        Self {
            entries: Vec::new(),
            index: None,
        }
    }

    fn position(&self, key: &str) -> Option<usize> {
        match &self.index {
            Some(index) => index.get(key).copied(),
            None => self.entries.iter().position(|(k, _)| k == key),
        }
    }

    /// Inserts `value` under `key`; an existing key keeps its position and the old value is
    /// returned.
    pub fn insert(&mut self, key: String, value: Value) -> Option<Value> {
        if let Some(at) = self.position(&key) {
            return self
                .entries
                .get_mut(at)
                .map(|(_, old)| core::mem::replace(old, value));
        }
        if let Some(index) = &mut self.index {
            index.insert(key.clone(), self.entries.len());
        } else if self.entries.len() >= SCAN_LIMIT {
            let mut index: HashMap<String, usize> = self
                .entries
                .iter()
                .enumerate()
                .map(|(at, (k, _))| (k.clone(), at))
                .collect();
            index.insert(key.clone(), self.entries.len());
            self.index = Some(index);
        }
        self.entries.push((key, value));
        None
    }

    /// The value under `key`.
    #[must_use]
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.position(key)
            .and_then(|at| self.entries.get(at))
            .map(|(_, v)| v)
    }

    /// The value under `key`, mutable.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Value> {
        let at = self.position(key)?;
        self.entries.get_mut(at).map(|(_, v)| v)
    }

    /// Whether `key` is present.
    #[must_use]
    pub fn contains_key(&self, key: &str) -> bool {
        self.position(key).is_some()
    }

    /// Removes `key`, keeping the order of the others (as Python's `dict.pop`).
    pub fn remove(&mut self, key: &str) -> Option<Value> {
        let at = self.position(key)?;
        let (_, value) = self.entries.remove(at);
        if self.index.is_some() {
            self.index = Some(
                self.entries
                    .iter()
                    .enumerate()
                    .map(|(at, (k, _))| (k.clone(), at))
                    .collect(),
            );
        }
        Some(value)
    }

    /// The number of entries.
    #[must_use]
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are no entries.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The entries in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&String, &Value)> {
        self.entries.iter().map(|(k, v)| (k, v))
    }

    /// The keys in order.
    pub fn keys(&self) -> impl ExactSizeIterator<Item = &String> {
        self.entries.iter().map(|(k, _)| k)
    }

    /// The values in order.
    pub fn values(&self) -> impl ExactSizeIterator<Item = &Value> {
        self.entries.iter().map(|(_, v)| v)
    }
}

impl fmt::Debug for Map {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

/// Equal when both hold the same keys with equal values, in any order (as Python's `==`).
impl PartialEq for Map {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len()
            && self
                .iter()
                .all(|(k, v)| other.get(k).is_some_and(|w| v == w))
    }
}

impl FromIterator<(String, Value)> for Map {
    fn from_iter<I: IntoIterator<Item = (String, Value)>>(iter: I) -> Self {
        let mut map = Self::new();
        for (k, v) in iter {
            map.insert(k, v);
        }
        map
    }
}

impl Extend<(String, Value)> for Map {
    fn extend<I: IntoIterator<Item = (String, Value)>>(&mut self, iter: I) {
        for (k, v) in iter {
            self.insert(k, v);
        }
    }
}

impl IntoIterator for Map {
    type Item = (String, Value);
    type IntoIter = std::vec::IntoIter<(String, Value)>;

    fn into_iter(self) -> Self::IntoIter {
        self.entries.into_iter()
    }
}

impl<'a> IntoIterator for &'a Map {
    type Item = (&'a String, &'a Value);
    type IntoIter = core::iter::Map<
        core::slice::Iter<'a, (String, Value)>,
        fn(&'a (String, Value)) -> (&'a String, &'a Value),
    >;

    fn into_iter(self) -> Self::IntoIter {
        self.entries.iter().map(|(k, v)| (k, v))
    }
}

static NULL: Value = Value::Null;

/// `map["key"]`: the value under the key, or `Null` when absent.
impl Index<&str> for Map {
    type Output = Value;

    fn index(&self, key: &str) -> &Value {
        self.get(key).unwrap_or(&NULL)
    }
}

/// `value["key"]`: the value under the key, or `Null` when absent or not an object.
impl Index<&str> for Value {
    type Output = Value;

    fn index(&self, key: &str) -> &Value {
        self.get(key).unwrap_or(&NULL)
    }
}

/// `value[i]`: the list item, or `Null` when absent or not a list.
impl Index<usize> for Value {
    type Output = Value;

    fn index(&self, at: usize) -> &Value {
        match self {
            Self::Array(items) => items.get(at).unwrap_or(&NULL),
            _ => &NULL,
        }
    }
}

impl Value {
    /// The value under `key`, if this is an object that has it.
    #[must_use]
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Self::Object(map) => map.get(key),
            _ => None,
        }
    }

    /// The string, if this is a string.
    #[must_use]
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Self::String(s) => Some(s),
            _ => None,
        }
    }

    /// The bool, if this is a bool.
    #[must_use]
    pub const fn as_bool(&self) -> Option<bool> {
        match self {
            Self::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The number, if this is a number.
    #[must_use]
    pub const fn as_number(&self) -> Option<&Number> {
        match self {
            Self::Number(n) => Some(n),
            _ => None,
        }
    }

    /// The integer as an `i64`, if this is one in range.
    #[must_use]
    pub fn as_i64(&self) -> Option<i64> {
        self.as_number().and_then(Number::as_i64)
    }

    /// The integer as a `u64`, if this is one in range.
    #[must_use]
    pub fn as_u64(&self) -> Option<u64> {
        self.as_number().and_then(Number::as_u64)
    }

    /// The number as an `f64` (see [`Number::as_f64`]).
    #[must_use]
    pub fn as_f64(&self) -> Option<f64> {
        self.as_number().and_then(Number::as_f64)
    }

    /// The list, if this is a list.
    #[must_use]
    pub const fn as_array(&self) -> Option<&Vec<Value>> {
        match self {
            Self::Array(items) => Some(items),
            _ => None,
        }
    }

    /// The object, if this is an object.
    #[must_use]
    pub const fn as_object(&self) -> Option<&Map> {
        match self {
            Self::Object(map) => Some(map),
            _ => None,
        }
    }

    /// Whether this is `null`.
    #[must_use]
    pub const fn is_null(&self) -> bool {
        matches!(self, Self::Null)
    }

    /// The list, mutable, if this is a list.
    pub const fn as_array_mut(&mut self) -> Option<&mut Vec<Value>> {
        match self {
            Self::Array(items) => Some(items),
            _ => None,
        }
    }

    /// The object, mutable, if this is an object.
    pub const fn as_object_mut(&mut self) -> Option<&mut Map> {
        match self {
            Self::Object(map) => Some(map),
            _ => None,
        }
    }
}

/// Compact JSON (`","`, `":"`, UTF-8 kept), as itsdangerous' compact dialect writes it.
impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = crate::to_vec(self, crate::Dialect::COMPACT).map_err(|_| fmt::Error)?;
        f.write_str(&String::from_utf8_lossy(&text))
    }
}

impl From<bool> for Value {
    fn from(value: bool) -> Self {
        Self::Bool(value)
    }
}

impl From<Number> for Value {
    fn from(value: Number) -> Self {
        Self::Number(value)
    }
}

/// A float; NaN and the infinities become `Null`.
impl From<f64> for Value {
    fn from(value: f64) -> Self {
        Number::from_f64(value).map_or(Self::Null, Self::Number)
    }
}

impl From<&str> for Value {
    fn from(value: &str) -> Self {
        Self::String(value.to_owned())
    }
}

impl From<String> for Value {
    fn from(value: String) -> Self {
        Self::String(value)
    }
}

impl<T: Into<Value>> From<Vec<T>> for Value {
    fn from(value: Vec<T>) -> Self {
        Self::Array(value.into_iter().map(Into::into).collect())
    }
}

impl<T: Clone + Into<Value>> From<&[T]> for Value {
    fn from(value: &[T]) -> Self {
        Self::Array(value.iter().cloned().map(Into::into).collect())
    }
}

macro_rules! eq_numbers {
    ($($ty:ty),*) => {
        $(
            /// Equal when this is the same integer.
            impl PartialEq<$ty> for Value {
                fn eq(&self, other: &$ty) -> bool {
                    self.as_number() == Some(&Number::from(*other))
                }
            }
        )*
    };
}

eq_numbers!(i32, i64, u32, u64);

/// Equal when this is the same float.
impl PartialEq<f64> for Value {
    fn eq(&self, other: &f64) -> bool {
        self.as_number()
            .is_some_and(|n| n.is_f64() && n.as_f64() == Some(*other))
    }
}

/// Equal when this is the same bool.
impl PartialEq<bool> for Value {
    fn eq(&self, other: &bool) -> bool {
        self.as_bool() == Some(*other)
    }
}

/// Equal when this is the same string.
impl PartialEq<str> for Value {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == Some(other)
    }
}

/// Equal when this is the same string.
impl PartialEq<&str> for Value {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == Some(*other)
    }
}

/// Equal when this is the same string.
impl PartialEq<String> for Value {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == Some(other.as_str())
    }
}

impl From<Map> for Value {
    fn from(value: Map) -> Self {
        Self::Object(value)
    }
}

impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(value: Option<T>) -> Self {
        value.map_or(Self::Null, Into::into)
    }
}

/// A `serde_json::Value` as Python would hold it (numbers as serde_json holds them; object
/// order as serde_json's map iterates).
impl From<serde_json::Value> for Value {
    fn from(value: serde_json::Value) -> Self {
        match value {
            serde_json::Value::Null => Self::Null,
            serde_json::Value::Bool(b) => Self::Bool(b),
            serde_json::Value::Number(n) => {
                Number::from_json_text(&n.to_string()).map_or(Self::Null, Self::Number)
            }
            serde_json::Value::String(s) => Self::String(s),
            serde_json::Value::Array(items) => {
                Self::Array(items.into_iter().map(Self::from).collect())
            }
            serde_json::Value::Object(map) => {
                Self::Object(map.into_iter().map(|(k, v)| (k, Self::from(v))).collect())
            }
        }
    }
}

impl Serialize for Map {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut out = serializer.serialize_map(Some(self.len()))?;
        for (k, v) in self {
            out.serialize_entry(k, v)?;
        }
        out.end()
    }
}

impl<'de> Deserialize<'de> for Map {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match Value::deserialize(deserializer)? {
            Value::Object(map) => Ok(map),
            _ => Err(de::Error::custom("expected an object")),
        }
    }
}

impl Serialize for Value {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Null => serializer.serialize_unit(),
            Self::Bool(b) => serializer.serialize_bool(*b),
            Self::Number(n) => n.serialize(serializer),
            Self::String(s) => serializer.serialize_str(s),
            Self::Array(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Self::Object(map) => map.serialize(serializer),
        }
    }
}

/// Reads any self-describing format. From this crate's reader ([`from_slice`](crate::from_slice))
/// every integer is exact; from other deserializers, integers beyond 128 bits are exact only
/// where they hand them over as text (serde_json's `arbitrary_precision` protocol).
impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_newtype_struct(EXACT_TOKEN, ValueVisitor)
    }
}

struct ValueVisitor;

/// Nested values: read with [`ValueVisitor`] directly (the exact-number request made by the
/// outermost [`Value`] still holds), two stack frames fewer per level than going through
/// `Value::deserialize`.
struct ValueSeed;

impl<'de> de::DeserializeSeed<'de> for ValueSeed {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(ValueVisitor)
    }
}

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_i128<E>(self, v: i128) -> Result<Value, E> {
        Ok(Value::Number(Number::from(v)))
    }

    fn visit_u128<E>(self, v: u128) -> Result<Value, E> {
        Ok(Value::Number(Number::from(v)))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        Number::from_f64(v)
            .map(Value::Number)
            .ok_or_else(|| E::custom("NaN and infinite floats are not JSON"))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        Value::deserialize(d)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        while let Some(item) = seq.next_element_seed(ValueSeed)? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Value, A::Error> {
        let mut map = Map::new();
        let first = match object_start(&mut access)? {
            None => return Ok(Value::Object(map)),
            Some(ObjectStart::Number(number)) => return Ok(Value::Number(number)),
            Some(ObjectStart::Key(first)) => first,
        };
        map.insert(first.into_owned(), access.next_value_seed(ValueSeed)?);
        while let Some(key) = access.next_key::<String>()? {
            let value = access.next_value_seed(ValueSeed)?;
            map.insert(key, value);
        }
        Ok(Value::Object(map))
    }
}
