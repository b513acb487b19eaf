//! [`SessionValue`]: Flask's tagged-JSON value model, and the tagging rules.

use std::borrow::Cow;
use std::collections::BTreeMap;

use base64::Engine;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, STANDARD};
use base64::engine::{DecodePaddingMode, GeneralPurpose as Engine64};
use python_json::{Map, Number, ObjectStart, Value};
use serde::de::{DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::TagError;
use crate::types::{HttpDate, Markup, Uuid};

/// A session: what Flask's `session` object holds, keys sorted as Flask writes them.
pub type Session = BTreeMap<String, SessionValue>;

/// The tag of a dict whose only key looks like a tag (`TagDict`).
pub const TAG_DICT: &str = " di";
/// The tag of a tuple (`TagTuple`).
pub const TAG_TUPLE: &str = " t";
/// The tag of bytes, as standard padded base64 (`TagBytes`).
pub const TAG_BYTES: &str = " b";
/// The tag of `Markup` (`TagMarkup`).
pub const TAG_MARKUP: &str = " m";
/// The tag of a UUID, as 32 hex digits (`TagUUID`).
pub const TAG_UUID: &str = " u";
/// The tag of a datetime, as an HTTP date (`TagDateTime`).
pub const TAG_DATETIME: &str = " d";

/// Every tag key Flask registers, in its check order.
pub const TAG_KEYS: [&str; 6] = [
    TAG_DICT,
    TAG_TUPLE,
    TAG_BYTES,
    TAG_MARKUP,
    TAG_UUID,
    TAG_DATETIME,
];

/// The newtype-struct name through which values that already are in tagged form reach the
/// session codec's serializer.
pub(crate) const TOKEN: &str = "$sign_flask::private::Tagged";

/// Python's `base64.b64decode`: standard alphabet, padding required, non-zero trailing bits
/// accepted.
const LENIENT_STANDARD: Engine64 = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_allow_trailing_bits(true)
        .with_decode_padding_mode(DecodePaddingMode::RequireCanonical),
);

/// One value of a Flask session, as Flask's `TaggedJSONSerializer` sees it: the JSON values
/// plus tuples, bytes, `Markup`, UUIDs and datetimes, nested anywhere.
///
/// * [`to_tagged_json`](Self::to_tagged_json) / [`from_tagged_json`](Self::from_tagged_json)
///   (also `From`/`TryFrom` with [`python_json::Value`]) convert to and from the JSON document
///   Flask signs, where a tuple is `{" t": [...]}`, bytes are `{" b": "<base64>"}`, and a dict
///   whose only key is a tag key is escaped as `{" di": {"<key>__": value}}`.
/// * `Serialize` and `Deserialize` use that same tagged form; deserializing untags as it
///   reads, straight from the JSON bytes (no intermediate JSON tree).
/// * The session codec also maps Rust tuples to tuples and `serde_bytes`-style bytes to
///   bytes; see [`to_session_value`](crate::to_session_value).
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum SessionValue {
    /// `None` / `null`.
    Null,
    /// A bool.
    Bool(bool),
    /// A JSON number (integers of any size kept exactly, floats as Python's `float`).
    Number(Number),
    /// A string.
    String(String),
    /// A list.
    List(Vec<SessionValue>),
    /// A dict with string keys.
    Dict(BTreeMap<String, SessionValue>),
    /// A tuple (tag `" t"`).
    Tuple(Vec<SessionValue>),
    /// Bytes (tag `" b"`).
    Bytes(Vec<u8>),
    /// `markupsafe.Markup` (tag `" m"`).
    Markup(Markup),
    /// `uuid.UUID` (tag `" u"`).
    Uuid(Uuid),
    /// A `datetime`, UTC, whole seconds (tag `" d"`).
    DateTime(HttpDate),
}

impl SessionValue {
    /// The tagged JSON Flask writes for this value (before Flask's key sorting, which the
    /// map order already matches).
    #[must_use]
    pub fn to_tagged_json(&self) -> Value {
        match self {
            Self::Null => Value::Null,
            Self::Bool(b) => Value::Bool(*b),
            Self::Number(n) => Value::Number(n.clone()),
            Self::String(s) => Value::String(s.clone()),
            Self::List(items) => Value::Array(items.iter().map(Self::to_tagged_json).collect()),
            Self::Dict(map) => match single_tag_key(map) {
                Some((key, value)) => {
                    let mut inner = Map::new();
                    inner.insert(format!("{key}__"), value.to_tagged_json());
                    tagged(TAG_DICT, Value::Object(inner))
                }
                None => Value::Object(
                    map.iter()
                        .map(|(k, v)| (k.clone(), v.to_tagged_json()))
                        .collect(),
                ),
            },
            Self::Tuple(items) => tagged(
                TAG_TUPLE,
                Value::Array(items.iter().map(Self::to_tagged_json).collect()),
            ),
            Self::Bytes(bytes) => tagged(TAG_BYTES, Value::String(STANDARD.encode(bytes))),
            Self::Markup(m) => tagged(TAG_MARKUP, Value::String(m.as_str().to_owned())),
            Self::Uuid(u) => tagged(TAG_UUID, Value::String(u.to_simple())),
            Self::DateTime(d) => tagged(TAG_DATETIME, Value::String(d.to_string())),
        }
    }

    /// Untags a parsed JSON document as Flask's `TaggedJSONSerializer.loads` does: in every
    /// object the values are untagged first, then the object itself, which is replaced only
    /// when it has exactly one key and that key is a tag key.
    ///
    /// # Errors
    /// [`TagError`] where Flask would raise (bad base64, a bad UUID, `{" t": 5}`, ...), and
    /// where this crate is stricter than Flask on input Flask never writes: a `" d"` date
    /// werkzeug would turn into `None`, a `" t"` over a string or object, a non-string
    /// `" m"`, a `" di"` over anything but a one-key object.
    pub fn from_tagged_json(value: Value) -> Result<Self, TagError> {
        Ok(match value {
            Value::Null => Self::Null,
            Value::Bool(b) => Self::Bool(b),
            Value::Number(n) => Self::Number(n),
            Value::String(s) => Self::String(s),
            Value::Array(items) => Self::List(
                items
                    .into_iter()
                    .map(Self::from_tagged_json)
                    .collect::<Result<_, _>>()?,
            ),
            Value::Object(map) => {
                let entries = map
                    .into_iter()
                    .map(|(k, v)| Self::from_tagged_json(v).map(|v| (k, v)))
                    .collect::<Result<Vec<_>, _>>()?;
                untag_object(entries)?
            }
            _ => return Err(TagError::new("unsupported JSON value")),
        })
    }

    /// A number from a float; `None` for NaN and infinities, which sessions cannot hold here.
    #[must_use]
    pub fn from_f64(value: f64) -> Option<Self> {
        Number::from_f64(value).map(Self::Number)
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

    /// The number as an `i64`, if it is an integer in range.
    #[must_use]
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Self::Number(n) => n.as_i64(),
            _ => None,
        }
    }

    /// The number as an `f64`, if this is a number.
    #[must_use]
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Self::Number(n) => n.as_f64(),
            _ => None,
        }
    }

    /// The dict, if this is a dict.
    #[must_use]
    pub const fn as_dict(&self) -> Option<&BTreeMap<String, SessionValue>> {
        match self {
            Self::Dict(map) => Some(map),
            _ => None,
        }
    }

    /// The value under `key`, if this is a dict that has it.
    #[must_use]
    pub fn get(&self, key: &str) -> Option<&SessionValue> {
        self.as_dict().and_then(|map| map.get(key))
    }

    /// Whether this is `null`.
    #[must_use]
    pub const fn is_null(&self) -> bool {
        matches!(self, Self::Null)
    }
}

/// An object whose values are already untagged: a tagged value when it has exactly one key
/// and that key is a tag key, a dict otherwise (a repeated key keeps its last value, as in
/// Python).
fn untag_object(mut entries: Vec<(String, SessionValue)>) -> Result<SessionValue, TagError> {
    if entries.len() == 1
        && let Some((key, value)) = entries.pop()
    {
        return untag(key, value);
    }
    Ok(SessionValue::Dict(entries.into_iter().collect()))
}

/// Turns a tree written in tagged form (dicts standing for tags) back into the values it
/// stands for. Only a one-key dict can stand for something else, so every other list and
/// dict keeps its allocation and has its values untagged in place.
pub(crate) fn untag_tree(value: SessionValue) -> Result<SessionValue, TagError> {
    Ok(match value {
        SessionValue::List(mut items) => {
            untag_each(items.iter_mut())?;
            SessionValue::List(items)
        }
        SessionValue::Dict(mut map) => {
            if map.len() == 1
                && let Some((key, value)) = map.pop_first()
            {
                return untag(key, untag_tree(value)?);
            }
            untag_each(map.values_mut())?;
            SessionValue::Dict(map)
        }
        other => other,
    })
}

/// [`untag_tree`] on each value, in place.
fn untag_each<'a>(values: impl Iterator<Item = &'a mut SessionValue>) -> Result<(), TagError> {
    for value in values {
        *value = untag_tree(std::mem::replace(value, SessionValue::Null))?;
    }
    Ok(())
}

/// The only entry of `map` when its key is a tag key (and so needs the `" di"` escape).
fn single_tag_key(map: &BTreeMap<String, SessionValue>) -> Option<(&String, &SessionValue)> {
    let mut iter = map.iter();
    match (iter.next(), iter.next()) {
        (Some((key, value)), None) if TAG_KEYS.contains(&key.as_str()) => Some((key, value)),
        _ => None,
    }
}

fn tagged(tag: &str, value: Value) -> Value {
    let mut map = Map::new();
    map.insert(tag.to_owned(), value);
    Value::Object(map)
}

/// Applies tag `key` to its (already untagged) `value`, or keeps a one-key dict.
fn untag(key: String, value: SessionValue) -> Result<SessionValue, TagError> {
    let text = |value: SessionValue, what: &str| match value {
        SessionValue::String(s) => Ok(s),
        _ => Err(TagError::new(format!("the {what} tag needs a string"))),
    };
    Ok(match key.as_str() {
        TAG_DICT => match value {
            SessionValue::Dict(map) if map.len() == 1 => {
                let mut map = map;
                let Some((inner_key, inner)) = map.pop_first() else {
                    return Err(TagError::new("the dict tag needs a one-key object"));
                };
                // Python's `key[:-2]`: drop the last two characters (the "__").
                let keep = inner_key.chars().count().saturating_sub(2);
                let stripped: String = inner_key.chars().take(keep).collect();
                SessionValue::Dict(BTreeMap::from([(stripped, inner)]))
            }
            _ => return Err(TagError::new("the dict tag needs a one-key object")),
        },
        TAG_TUPLE => match value {
            SessionValue::List(items) => SessionValue::Tuple(items),
            _ => return Err(TagError::new("the tuple tag needs a list")),
        },
        TAG_BYTES => {
            let encoded = text(value, "bytes")?;
            // Python's b64decode(validate=False) skips characters outside the alphabet.
            let kept: Vec<u8> = encoded
                .bytes()
                .filter(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='))
                .collect();
            let bytes = LENIENT_STANDARD
                .decode(kept)
                .map_err(|_| TagError::new("the bytes tag holds invalid base64"))?;
            SessionValue::Bytes(bytes)
        }
        TAG_MARKUP => SessionValue::Markup(Markup::new(text(value, "markup")?)),
        TAG_UUID => SessionValue::Uuid(Uuid::parse(&text(value, "uuid")?)?),
        TAG_DATETIME => SessionValue::DateTime(HttpDate::parse(&text(value, "datetime")?)?),
        _ => SessionValue::Dict(BTreeMap::from([(key, value)])),
    })
}

/// Serializes `value` in tagged form, marked so the session codec takes it as already tagged.
struct Tagged<'a>(&'a SessionValue);

impl Serialize for Tagged<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            SessionValue::Null => serializer.serialize_unit(),
            SessionValue::Bool(b) => serializer.serialize_bool(*b),
            SessionValue::Number(n) => n.serialize(serializer),
            SessionValue::String(s) => serializer.serialize_str(s),
            SessionValue::List(items) => serialize_items(serializer, items),
            SessionValue::Dict(map) => match single_tag_key(map) {
                Some((key, value)) => {
                    let mut outer = serializer.serialize_map(Some(1))?;
                    outer.serialize_entry(TAG_DICT, &Escaped(key, value))?;
                    outer.end()
                }
                None => {
                    let mut out = serializer.serialize_map(Some(map.len()))?;
                    for (k, v) in map {
                        out.serialize_entry(k, &Tagged(v))?;
                    }
                    out.end()
                }
            },
            SessionValue::Tuple(items) => {
                let mut out = serializer.serialize_map(Some(1))?;
                out.serialize_entry(TAG_TUPLE, &Items(items))?;
                out.end()
            }
            SessionValue::Bytes(bytes) => single(serializer, TAG_BYTES, &STANDARD.encode(bytes)),
            SessionValue::Markup(m) => single(serializer, TAG_MARKUP, m.as_str()),
            SessionValue::Uuid(u) => single(serializer, TAG_UUID, &u.to_simple()),
            SessionValue::DateTime(d) => single(serializer, TAG_DATETIME, &d.to_string()),
        }
    }
}

struct Items<'a>(&'a [SessionValue]);

impl Serialize for Items<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serialize_items(serializer, self.0)
    }
}

fn serialize_items<S: Serializer>(
    serializer: S,
    items: &[SessionValue],
) -> Result<S::Ok, S::Error> {
    let mut seq = serializer.serialize_seq(Some(items.len()))?;
    for item in items {
        seq.serialize_element(&Tagged(item))?;
    }
    seq.end()
}

/// `{"<key>__": value}`, the inside of a `" di"` escape.
struct Escaped<'a>(&'a str, &'a SessionValue);

impl Serialize for Escaped<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(1))?;
        map.serialize_entry(&format!("{}__", self.0), &Tagged(self.1))?;
        map.end()
    }
}

fn single<S: Serializer>(serializer: S, tag: &str, text: &str) -> Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(Some(1))?;
    map.serialize_entry(tag, text)?;
    map.end()
}

struct SingleTag<'a>(&'a str, &'a str);

impl Serialize for SingleTag<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        single(serializer, self.0, self.1)
    }
}

/// Serializes `{tag: text}`, marked as already tagged.
pub(crate) fn serialize_single_tag<S: Serializer>(
    serializer: S,
    tag: &str,
    text: &str,
) -> Result<S::Ok, S::Error> {
    serializer.serialize_newtype_struct(TOKEN, &SingleTag(tag, text))
}

/// The tagged form (see the type's docs).
impl Serialize for SessionValue {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_newtype_struct(TOKEN, &Tagged(self))
    }
}

/// Reads the tagged form and untags it as Flask does, as it reads (each object's values are
/// untagged before the object itself). Integers are exact from [`python_json`]'s reader.
impl<'de> Deserialize<'de> for SessionValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_newtype_struct(python_json::EXACT_TOKEN, SessionVisitor::ASK)
    }
}

pub(crate) struct SessionVisitor {
    /// Whether a newtype struct is the exact-number request answered, to be followed by a
    /// request for a hand-over ([`hand_over`](crate::hand_over)); otherwise it is the
    /// hand-over request answered by a deserializer that did not know it, and the value is
    /// read.
    ask: bool,
}

impl SessionVisitor {
    /// The outermost value's visitor.
    const ASK: Self = Self { ask: true };
    /// The visitor once a hand-over was asked for, and of nested values.
    pub(crate) const READ: Self = Self { ask: false };
}

/// A value inside a list or dict: read with [`SessionVisitor`] directly (the exact-number
/// request made by the outermost value still holds), two calls fewer per value than going
/// through `SessionValue::deserialize`, as `python_json::Value` reads its nested values.
pub(crate) struct Nested;

impl<'de> DeserializeSeed<'de> for Nested {
    type Value = SessionValue;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<SessionValue, D::Error> {
        d.deserialize_any(SessionVisitor::READ)
    }
}

impl<'de> Visitor<'de> for SessionVisitor {
    type Value = SessionValue;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a Flask session value")
    }

    /// The exact-number request answered: the value moves when `d` is a `SessionValue`
    /// ([`hand_over`](crate::hand_over)), and is read otherwise.
    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<SessionValue, D::Error> {
        if self.ask {
            crate::hand_over::read(d)
        } else {
            d.deserialize_any(self)
        }
    }

    /// The proof of a hand-over: the value handed over. No other bytes are a session value.
    fn visit_bytes<E: serde::de::Error>(self, v: &[u8]) -> Result<SessionValue, E> {
        crate::hand_over::receive(v)
            .unwrap_or_else(|| Err(E::invalid_type(serde::de::Unexpected::Bytes(v), &self)))
    }

    fn visit_bool<E>(self, v: bool) -> Result<SessionValue, E> {
        Ok(SessionValue::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<SessionValue, E> {
        Ok(SessionValue::Number(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<SessionValue, E> {
        Ok(SessionValue::Number(v.into()))
    }

    fn visit_i128<E>(self, v: i128) -> Result<SessionValue, E> {
        Ok(SessionValue::Number(v.into()))
    }

    fn visit_u128<E>(self, v: u128) -> Result<SessionValue, E> {
        Ok(SessionValue::Number(v.into()))
    }

    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<SessionValue, E> {
        SessionValue::from_f64(v).ok_or_else(|| E::custom("NaN and infinite floats are not JSON"))
    }

    fn visit_str<E>(self, v: &str) -> Result<SessionValue, E> {
        Ok(SessionValue::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<SessionValue, E> {
        Ok(SessionValue::String(v))
    }

    fn visit_unit<E>(self) -> Result<SessionValue, E> {
        Ok(SessionValue::Null)
    }

    fn visit_none<E>(self) -> Result<SessionValue, E> {
        Ok(SessionValue::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<SessionValue, D::Error> {
        SessionValue::deserialize(d)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<SessionValue, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        while let Some(item) = seq.next_element_seed(Nested)? {
            items.push(item);
        }
        Ok(SessionValue::List(items))
    }

    /// A dict is built as it is read (a repeated key keeping its last value, as in Python).
    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<SessionValue, A::Error> {
        match open_object(&mut access)? {
            Opening::Whole(value) => Ok(value),
            Opening::Dict((first, value), second) => {
                let mut map = BTreeMap::new();
                map.insert(first, value);
                map.insert(second, access.next_value_seed(Nested)?);
                while let Some(key) = access.next_key::<String>()? {
                    let value = access.next_value_seed(Nested)?;
                    map.insert(key, value);
                }
                Ok(SessionValue::Dict(map))
            }
        }
    }
}

/// The start of an object, which says what the object is.
pub(crate) enum Opening {
    /// The whole object, read: `{}`, serde_json's number protocol (an integer beyond 64
    /// bits), or a single entry untagged (a tagged value, or a one-key dict).
    Whole(SessionValue),
    /// The first entry (its value untagged) and the second key: a dict, whose second value
    /// and further entries are still to be read.
    Dict((String, SessionValue), String),
}

/// Reads up to the second key of an object: only an object of one entry can be a tag, and
/// only one whose first key is serde_json's number token is a number.
fn open_object<'de, A: MapAccess<'de>>(access: &mut A) -> Result<Opening, A::Error> {
    match python_json::object_start(access)? {
        None => Ok(Opening::Whole(SessionValue::Dict(BTreeMap::new()))),
        Some(ObjectStart::Number(n)) => Ok(Opening::Whole(SessionValue::Number(n))),
        Some(ObjectStart::Key(key)) => open_after_first_key(access, key),
    }
}

/// [`open_object`] once the first key, `key`, is read: its value, then up to the second
/// distinct key.
pub(crate) fn open_after_first_key<'de, A: MapAccess<'de>>(
    access: &mut A,
    key: Cow<'de, str>,
) -> Result<Opening, A::Error> {
    let mut value = access.next_value_seed(Nested)?;
    // An object of one distinct key is a tag when the key is a tag key: Python's dict keeps
    // a repeated key's last value before Flask untags it, so keys repeating the first only
    // replace its value (`{" t": [1], " t": [2]}` is the tuple `(2,)`).
    loop {
        match access.next_key::<String>()? {
            None => {
                return untag(key.into_owned(), value)
                    .map(Opening::Whole)
                    .map_err(serde::de::Error::custom);
            }
            Some(again) if again == key => value = access.next_value_seed(Nested)?,
            Some(second) => return Ok(Opening::Dict((key.into_owned(), value), second)),
        }
    }
}

impl From<&SessionValue> for Value {
    fn from(value: &SessionValue) -> Self {
        value.to_tagged_json()
    }
}

impl From<SessionValue> for Value {
    fn from(value: SessionValue) -> Self {
        value.to_tagged_json()
    }
}

impl TryFrom<Value> for SessionValue {
    type Error = TagError;

    fn try_from(value: Value) -> Result<Self, Self::Error> {
        Self::from_tagged_json(value)
    }
}

impl From<bool> for SessionValue {
    fn from(value: bool) -> Self {
        Self::Bool(value)
    }
}

impl From<i64> for SessionValue {
    fn from(value: i64) -> Self {
        Self::Number(value.into())
    }
}

impl From<i32> for SessionValue {
    fn from(value: i32) -> Self {
        Self::Number(value.into())
    }
}

impl From<u64> for SessionValue {
    fn from(value: u64) -> Self {
        Self::Number(value.into())
    }
}

impl From<&str> for SessionValue {
    fn from(value: &str) -> Self {
        Self::String(value.to_owned())
    }
}

impl From<String> for SessionValue {
    fn from(value: String) -> Self {
        Self::String(value)
    }
}

impl From<Markup> for SessionValue {
    fn from(value: Markup) -> Self {
        Self::Markup(value)
    }
}

impl From<Uuid> for SessionValue {
    fn from(value: Uuid) -> Self {
        Self::Uuid(value)
    }
}

impl From<HttpDate> for SessionValue {
    fn from(value: HttpDate) -> Self {
        Self::DateTime(value)
    }
}

impl From<BTreeMap<String, SessionValue>> for SessionValue {
    fn from(value: BTreeMap<String, SessionValue>) -> Self {
        Self::Dict(value)
    }
}

impl From<Vec<SessionValue>> for SessionValue {
    fn from(value: Vec<SessionValue>) -> Self {
        Self::List(value)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use std::collections::BTreeMap;

    use proptest::prelude::*;
    use python_json::{self as json, Number};
    use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

    use super::{SessionValue, untag_object};
    use crate::codec::tests::{assert_agree, decoded, without_position};
    use crate::{HttpDate, Markup, Session, Uuid, from_session_value};

    /// A session value read as it was before dicts were built as they are read: each object
    /// collected, then untagged; nested values through `Deserialize`, not a seed.
    #[derive(Debug)]
    struct Old(SessionValue);

    impl<'de> Deserialize<'de> for Old {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            deserializer.deserialize_newtype_struct(json::EXACT_TOKEN, OldVisitor)
        }
    }

    struct OldVisitor;

    impl<'de> Visitor<'de> for OldVisitor {
        type Value = Old;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a Flask session value")
        }

        fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Old, D::Error> {
            d.deserialize_any(self)
        }

        fn visit_bool<E>(self, v: bool) -> Result<Old, E> {
            Ok(Old(SessionValue::Bool(v)))
        }

        fn visit_i64<E>(self, v: i64) -> Result<Old, E> {
            Ok(Old(SessionValue::Number(v.into())))
        }

        fn visit_u64<E>(self, v: u64) -> Result<Old, E> {
            Ok(Old(SessionValue::Number(v.into())))
        }

        fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Old, E> {
            SessionValue::from_f64(v)
                .map(Old)
                .ok_or_else(|| E::custom("NaN and infinite floats are not JSON"))
        }

        fn visit_str<E>(self, v: &str) -> Result<Old, E> {
            Ok(Old(SessionValue::String(v.to_owned())))
        }

        fn visit_unit<E>(self) -> Result<Old, E> {
            Ok(Old(SessionValue::Null))
        }

        fn visit_none<E>(self) -> Result<Old, E> {
            Ok(Old(SessionValue::Null))
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Old, A::Error> {
            let mut items = Vec::new();
            while let Some(Old(item)) = seq.next_element()? {
                items.push(item);
            }
            Ok(Old(SessionValue::List(items)))
        }

        fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Old, A::Error> {
            let mut entries = Vec::new();
            match json::object_start(&mut access)? {
                None => {}
                Some(json::ObjectStart::Number(n)) => return Ok(Old(SessionValue::Number(n))),
                Some(json::ObjectStart::Key(key)) => {
                    let Old(value) = access.next_value()?;
                    entries.push((key.into_owned(), value));
                    while let Some(key) = access.next_key::<String>()? {
                        let Old(value) = access.next_value()?;
                        // Python's dict: a repeated key keeps its place and its last value.
                        match entries.iter_mut().find(|(k, _)| *k == key) {
                            Some(entry) => entry.1 = value,
                            None => entries.push((key, value)),
                        }
                    }
                }
            }
            untag_object(entries)
                .map(Old)
                .map_err(serde::de::Error::custom)
        }
    }

    /// A result with its error's text, less the reader's byte position (which the codec's
    /// and the old reading's errors give at different points).
    fn outcome<T, E: std::fmt::Display>(result: Result<T, E>) -> Result<T, String> {
        result.map_err(|e| without_position(e.to_string()))
    }

    fn unwrap_old(map: BTreeMap<String, Old>) -> Session {
        map.into_iter().map(|(k, Old(v))| (k, v)).collect()
    }

    const KEYS: [&str; 12] = [
        " t",
        " di",
        " b",
        " m",
        " u",
        " d",
        "a",
        "b",
        "a__",
        " t__",
        json::NUMBER_TOKEN,
        "",
    ];

    /// JSON text with tags, tag-like keys, repeated keys and serde_json's number token.
    pub(crate) fn json_text() -> impl Strategy<Value = String> {
        let leaf = prop_oneof![
            prop::sample::select(vec![
                "null",
                "true",
                "-7",
                "123456789012345678901234567890",
                "-1.5e3",
                "\"\"",
                "\"QUJD\"",
                "\"Q U=\"",
                "\"!!\"",
                "\"0123456789abcdef0123456789ABCDEF\"",
                "\"Fri, 24 Jun 2011 00:09:05 GMT\"",
                "\"x__\"",
                "\"12\"",
                "\"1e999\"",
            ])
            .prop_map(str::to_owned),
            any::<u64>().prop_map(|n| n.to_string()),
        ];
        leaf.prop_recursive(4, 48, 5, |inner| {
            let key = prop::sample::select(KEYS.to_vec());
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4)
                    .prop_map(|items| format!("[{}]", items.join(","))),
                prop::collection::vec((key, inner), 0..5).prop_map(|entries| {
                    let entries: Vec<String> = entries
                        .iter()
                        .map(|(k, v)| format!("\"{k}\":{v}"))
                        .collect();
                    format!("{{{}}}", entries.join(","))
                }),
            ]
        })
    }

    /// Session values, with dicts keyed by tags and by serde_json's number token.
    pub(crate) fn session_value() -> impl Strategy<Value = SessionValue> {
        let leaf = prop_oneof![
            Just(SessionValue::Null),
            any::<bool>().prop_map(SessionValue::Bool),
            any::<i64>().prop_map(SessionValue::from),
            any::<i128>().prop_map(|n| SessionValue::Number(n.into())),
            any::<f64>().prop_filter_map("finite", SessionValue::from_f64),
            prop::sample::select(KEYS.to_vec()).prop_map(SessionValue::from),
            Just(SessionValue::from("12")),
            prop::collection::vec(any::<u8>(), 0..8).prop_map(SessionValue::Bytes),
            ".{0,4}".prop_map(|s| SessionValue::Markup(Markup::new(s))),
            any::<[u8; 16]>().prop_map(|b| SessionValue::Uuid(Uuid::from_bytes(b))),
            (-62_135_596_800i64..253_402_300_800)
                .prop_filter_map("in range", HttpDate::from_unix_seconds)
                .prop_map(SessionValue::DateTime),
        ];
        leaf.prop_recursive(4, 32, 4, |inner| {
            let key = prop::sample::select(KEYS.to_vec()).prop_map(str::to_owned);
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(SessionValue::List),
                prop::collection::vec(inner.clone(), 0..4).prop_map(SessionValue::Tuple),
                prop::collection::btree_map(key, inner, 0..4).prop_map(SessionValue::Dict),
            ]
        })
    }

    /// The reader's path and the codec's agree with the old reading on every text.
    fn reads_as_before(text: &str) {
        let bytes = text.as_bytes();
        let new = outcome(json::from_slice::<SessionValue>(bytes));
        let old = outcome(json::from_slice::<Old>(bytes).map(|Old(v)| v));
        assert_eq!(new, old, "{text}");
        assert_eq!(
            decoded::<SessionValue>(bytes),
            read_the_old_way::<SessionValue>(bytes),
            "{text}"
        );
        assert_agree(
            decoded::<Session>(bytes),
            read_the_old_way::<Session>(bytes),
            bytes,
            text,
        );
    }

    /// What the codec read before this reader: the old reader's whole value, then the target
    /// read from it (independent of the codec's `Untagging` and of `SessionVisitor`).
    fn read_the_old_way<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, String> {
        let Old(value) = outcome(json::from_slice::<Old>(bytes))?;
        outcome(from_session_value(value))
    }

    /// The one-entry dict a tagged value shows a self-describing reader (its tag and the
    /// tagged payload), or a dict's own entries; `None` for the values that show no dict.
    fn shown_as_dict(value: &SessionValue) -> Option<Session> {
        let tagged =
            |tag: &str, payload: SessionValue| Some(Session::from([(tag.to_owned(), payload)]));
        match value {
            SessionValue::Dict(map) => match super::single_tag_key(map) {
                Some((key, payload)) => tagged(
                    super::TAG_DICT,
                    SessionValue::Dict(BTreeMap::from([(format!("{key}__"), payload.clone())])),
                ),
                None => Some(map.clone()),
            },
            SessionValue::Tuple(items) => {
                tagged(super::TAG_TUPLE, SessionValue::List(items.clone()))
            }
            SessionValue::Bytes(bytes) => {
                use base64::Engine;
                let text = base64::engine::general_purpose::STANDARD.encode(bytes);
                tagged(super::TAG_BYTES, SessionValue::String(text))
            }
            SessionValue::Markup(m) => tagged(super::TAG_MARKUP, m.as_str().into()),
            SessionValue::Uuid(u) => tagged(super::TAG_UUID, u.to_simple().into()),
            SessionValue::DateTime(d) => tagged(super::TAG_DATETIME, d.to_string().into()),
            _ => None,
        }
    }

    /// Reading a session value back from itself (the `SessionValue` deserializer): a
    /// `SessionValue` target, alone, in an option or as a list's items, is handed the value
    /// itself (moved, not read again); a `Session` is the dict the value shows (see
    /// [`shown_as_dict`]), its values handed over too. Values that show neither a list nor a
    /// dict read as before.
    fn reads_back_as_before(value: &SessionValue) {
        assert_eq!(
            outcome(from_session_value::<SessionValue>(value.clone())),
            Ok(value.clone())
        );
        let some = (*value != SessionValue::Null).then(|| value.clone());
        assert_eq!(
            outcome(from_session_value::<Option<SessionValue>>(value.clone())),
            Ok(some)
        );
        let new = outcome(from_session_value::<Session>(value.clone()));
        match shown_as_dict(value) {
            Some(dict) => assert_eq!(new, Ok(dict), "{value:?}"),
            None => {
                let old = outcome(
                    from_session_value::<BTreeMap<String, Old>>(value.clone()).map(unwrap_old),
                );
                assert_eq!(new, old, "{value:?}");
            }
        }
        let new = outcome(from_session_value::<Vec<SessionValue>>(value.clone()));
        match value {
            SessionValue::List(items) | SessionValue::Tuple(items) => {
                assert_eq!(new, Ok(items.clone()), "{value:?}");
            }
            _ => {
                let old = outcome(
                    from_session_value::<Vec<Old>>(value.clone())
                        .map(|items| items.into_iter().map(|Old(v)| v).collect::<Vec<_>>()),
                );
                assert_eq!(new, old, "{value:?}");
            }
        }
    }

    #[test]
    fn chosen_texts_read_as_before() {
        for text in [
            r#"{"_fresh":true,"_user_id":"42","cart":[{"sku":"BK-1042","qty":1}]}"#,
            r#"{"a":1,"a":{" b":"!!"}}"#,
            r#"{" t":1," t":[1]}"#,
            r#"{"a":{" t":1," t":[1]},"b":{" t":[1]}}"#,
            r#"{"a":{"b":1,"$serde_json::private::Number":"5"},"c":2}"#,
            r#"{"$serde_json::private::Number":"5","a":1}"#,
            r#"{"a":1,"$serde_json::private::Number":"5"}"#,
            r#"{"x":{"$serde_json::private::Number":"123456789012345678901234567890"}}"#,
            r#"{"x":{"$serde_json::private::Number":5}}"#,
            r#"{"a":{" di":{" t__":5}},"b":{" di":{"x__":1}},"c":{" di":{"x":1,"y":2}}}"#,
            r#"{"u":{" u":"0123456789abcdef0123456789abcdef"},"d":{" d":"Fri, 24 Jun 2011 00:09:05 GMT"}}"#,
            r#"{"b":{" b":"Q U="},"m":{" m":5}}"#,
            r#"[{"a":1,"b":2,"a":3},{}]"#,
            r#"{}"#,
            r#"{"a":1}"#,
        ] {
            reads_as_before(text);
            if let Ok(value) = json::from_slice::<SessionValue>(text.as_bytes()) {
                reads_back_as_before(&value);
            }
        }
    }

    /// A dict whose first key reads like serde_json's number token is a dict, as in Python:
    /// read from text, read back into a session value (handed over) and read again (as a
    /// reader that is not handed the value does); an integer beyond 64 bits, which reaches
    /// readers through that token, stays a number.
    #[test]
    fn number_token_dicts_read_back_as_themselves() {
        let token = || json::NUMBER_TOKEN.to_owned();
        let number = SessionValue::Dict(BTreeMap::from([(token(), SessionValue::from("12"))]));
        let text = format!(r#"{{"{}":"12"}}"#, json::NUMBER_TOKEN);
        assert_eq!(
            outcome(json::from_slice::<SessionValue>(text.as_bytes())),
            Ok(number.clone())
        );
        assert_eq!(
            outcome(from_session_value::<SessionValue>(number.clone())),
            Ok(number.clone())
        );
        assert_eq!(
            outcome(from_session_value::<Old>(number.clone()).map(|Old(v)| v)),
            Ok(number.clone())
        );
        let nested = SessionValue::List(vec![SessionValue::Dict(BTreeMap::from([
            (token(), SessionValue::from("12")),
            ("a".to_owned(), SessionValue::Null),
        ]))]);
        assert_eq!(
            outcome(from_session_value::<SessionValue>(nested.clone())),
            Ok(nested.clone())
        );
        assert_eq!(
            outcome(from_session_value::<Old>(nested.clone()).map(|Old(v)| v)),
            Ok(nested.clone())
        );
        let big =
            SessionValue::Number(Number::from_json_text("123456789012345678901234567890").unwrap());
        assert_eq!(
            outcome(from_session_value::<Old>(big.clone()).map(|Old(v)| v)),
            Ok(big.clone())
        );
        assert_eq!(
            outcome(from_session_value::<json::Value>(big)),
            Ok(json::Value::Number(
                Number::from_json_text("123456789012345678901234567890").unwrap()
            ))
        );
        assert_eq!(
            outcome(from_session_value::<json::Value>(number.clone())),
            outcome(json::from_slice::<json::Value>(text.as_bytes()))
        );
        for value in [number, nested] {
            reads_back_as_before(&value);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]

        #[test]
        fn texts_read_as_before(text in json_text()) {
            reads_as_before(&text);
            if let Ok(value) = json::from_slice::<SessionValue>(text.as_bytes()) {
                reads_back_as_before(&value);
            }
        }

        #[test]
        fn values_read_back_as_before(value in session_value()) {
            reads_back_as_before(&value);
            let dict = SessionValue::Dict(BTreeMap::from([
                ("a".to_owned(), value.clone()),
                ("b".to_owned(), value),
            ]));
            reads_back_as_before(&dict);
        }
    }
}
