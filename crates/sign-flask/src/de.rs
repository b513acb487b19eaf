//! A [`SessionValue`] as a serde `Deserializer`, so typed Rust values can be read from it.

use std::iter;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use python_json::{KeyText, Number};
use serde::de::value::{MapAccessDeserializer, MapDeserializer, SeqDeserializer};
use serde::de::{self, DeserializeOwned, IntoDeserializer, Visitor};
use serde_json::Error;

use crate::hand_over;
use crate::value::{
    SessionValue, TAG_BYTES, TAG_DATETIME, TAG_DICT, TAG_KEYS, TAG_MARKUP, TAG_TUPLE, TAG_UUID,
};

/// Hands a dict's entries to `visitor` as a map, each key marked as document text
/// ([`python_json::KeyText`]) so that a key that reads like serde_json's number token stays a
/// key, each value read with the same exactness (`exact`, see [`Source`]); as serde's
/// `MapDeserializer`, an error names the entries the visitor left unread.
fn visit_dict<'de, V: Visitor<'de>>(
    visitor: V,
    entries: impl ExactSizeIterator<Item = (String, SessionValue)>,
    exact: bool,
) -> Result<V::Value, Error> {
    let mut access = DictAccess {
        entries,
        value: None,
        read: 0,
        exact,
    };
    let out = visitor.visit_map(&mut access)?;
    let left = access.entries.len();
    if left > 0 {
        return Err(de::Error::invalid_length(
            access.read + left,
            &EntriesRead(access.read),
        ));
    }
    Ok(out)
}

/// [`visit_dict`]'s `MapAccess`.
struct DictAccess<I> {
    entries: I,
    /// The value of the key last handed out.
    value: Option<SessionValue>,
    /// How many keys were handed out.
    read: usize,
    exact: bool,
}

impl<'de, I: ExactSizeIterator<Item = (String, SessionValue)>> de::MapAccess<'de>
    for DictAccess<I>
{
    type Error = Error;

    fn next_key_seed<K: de::DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        let Some((key, value)) = self.entries.next() else {
            return Ok(None);
        };
        self.value = Some(value);
        self.read += 1;
        seed.deserialize(IntoDeserializer::<Error>::into_deserializer(KeyText::from(
            key,
        )))
        .map(Some)
    }

    fn next_value_seed<S: de::DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, Error> {
        let value = self
            .value
            .take()
            .ok_or_else(|| de::Error::custom("a dict value was read before its key"))?;
        seed.deserialize(Source::new(value, self.exact))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

/// What a visitor that stopped early read: `n` entries.
struct EntriesRead(usize);

impl de::Expected for EntriesRead {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            1 => f.write_str("1 element in map"),
            n => write!(f, "{n} elements in map"),
        }
    }
}

fn not_an_enum() -> Error {
    de::Error::custom("expected a string or a one-key dict for an enum")
}

/// Reads a `T` from a session value.
///
/// Typed targets get the natural value: a `String` reads a string or `Markup`, a `Vec<T>`
/// or Rust tuple reads a list or tuple, a `Vec<u8>` or byte buffer reads bytes, and
/// [`Markup`](crate::Markup), [`Uuid`](crate::Uuid), [`HttpDate`](crate::HttpDate) and
/// [`SessionValue`] read their own variants. A self-describing target (`serde_json::Value`,
/// `deserialize_any`) sees the tagged JSON form (`{" t": [...]}`, ...).
///
/// An integer beyond 64 bits (Python's `2**70`) reaches an `i128`/`u128` target exactly when
/// it fits, [`SessionValue`] and [`python_json::Value`] exactly always, and any other target
/// as the nearest float, as serde_json reads such an integer from JSON text (a
/// `serde_json::Value` gets a float, not a map only serde_json's `arbitrary_precision` would
/// read back).
///
/// # Errors
/// A `serde_json::Error` when the value does not fit `T`.
pub fn from_session_value<T: DeserializeOwned>(value: SessionValue) -> Result<T, Error> {
    T::deserialize(value)
}

impl<'de> IntoDeserializer<'de, Error> for SessionValue {
    type Deserializer = Self;

    fn into_deserializer(self) -> Self {
        self
    }
}

/// A [`SessionValue`] being read, and whether its target asked for exact numbers
/// ([`python_json::EXACT_TOKEN`], as [`python_json::Value`] and [`SessionValue`] ask): then an
/// integer beyond 64 bits goes to `deserialize_any` as its exact text (serde_json's number
/// protocol, which those targets read back), otherwise as a float, as python_json's reader
/// hands it to a target that did not ask. The choice carries to the values inside.
pub(crate) struct Source {
    value: SessionValue,
    exact: bool,
}

impl Source {
    pub(crate) const fn new(value: SessionValue, exact: bool) -> Self {
        Self { value, exact }
    }
}

impl<'de> IntoDeserializer<'de, Error> for Source {
    type Deserializer = Self;

    fn into_deserializer(self) -> Self {
        self
    }
}

/// A tagged value as the one-entry dict `{key: value}` it is written as.
fn single<'de, V: Visitor<'de>>(
    visitor: V,
    key: &str,
    value: SessionValue,
    exact: bool,
) -> Result<V::Value, Error> {
    visit_dict(visitor, iter::once((key.to_owned(), value)), exact)
}

/// A value tagged as text (`{" b": "<base64>"}`, ...): the one-entry dict, whose string has
/// no numbers for exactness to matter.
fn tagged_text<'de, V: Visitor<'de>>(
    visitor: V,
    tag: &str,
    text: String,
) -> Result<V::Value, Error> {
    single(visitor, tag, SessionValue::String(text), false)
}

fn visit_seq<'de, V: Visitor<'de>>(
    visitor: V,
    items: Vec<SessionValue>,
    exact: bool,
) -> Result<V::Value, Error> {
    let mut seq = SeqDeserializer::new(items.into_iter().map(|item| Source::new(item, exact)));
    let out = visitor.visit_seq(&mut seq)?;
    seq.end()?;
    Ok(out)
}

/// Integers in `u64`/`i64` and floats as themselves; larger integers as their exact text
/// through serde_json's number protocol to an exact target (see [`Source`]), as the nearest
/// float to any other (an error beyond the float range, as the reader's).
fn visit_number<'de, V: Visitor<'de>>(
    visitor: V,
    n: &Number,
    exact: bool,
) -> Result<V::Value, Error> {
    if let Some(u) = n.as_u64() {
        return visitor.visit_u64(u);
    }
    if let Some(i) = n.as_i64() {
        return visitor.visit_i64(i);
    }
    match n.integer_text() {
        Some(text) if exact => single_str(visitor, python_json::NUMBER_TOKEN, text),
        _ => match n.as_f64() {
            Some(f) => visitor.visit_f64(f),
            None => Err(de::Error::custom("number out of range")),
        },
    }
}

fn single_str<'de, V: Visitor<'de>>(
    visitor: V,
    key: &str,
    text: String,
) -> Result<V::Value, Error> {
    let mut map = MapDeserializer::<_, Error>::new(iter::once((key.to_owned(), text)));
    let out = visitor.visit_map(&mut map)?;
    map.end()?;
    Ok(out)
}

/// The `SessionValue` deserializer: a [`Source`] whose target has not asked for exact
/// numbers (yet: [`python_json::Value`] and `SessionValue` ask). Each method, with the
/// arguments it takes before the visitor, is the `Source`'s.
macro_rules! read_as_source {
    ($($method:ident($($arg:ident: $ty:ty),*)),* $(,)?) => {
        $(
            fn $method<V: Visitor<'de>>(self, $($arg: $ty,)* visitor: V) -> Result<V::Value, Error> {
                Source::new(self, false).$method($($arg,)* visitor)
            }
        )*
    };
}

impl<'de> de::Deserializer<'de> for SessionValue {
    type Error = Error;

    read_as_source! {
        deserialize_any(), deserialize_bool(), deserialize_i8(), deserialize_i16(),
        deserialize_i32(), deserialize_i64(), deserialize_i128(), deserialize_u8(),
        deserialize_u16(), deserialize_u32(), deserialize_u64(), deserialize_u128(),
        deserialize_f32(), deserialize_f64(), deserialize_char(), deserialize_str(),
        deserialize_string(), deserialize_bytes(), deserialize_byte_buf(), deserialize_option(),
        deserialize_unit(), deserialize_seq(), deserialize_map(), deserialize_identifier(),
        deserialize_ignored_any(),
        deserialize_unit_struct(name: &'static str),
        deserialize_newtype_struct(name: &'static str),
        deserialize_tuple(len: usize),
        deserialize_tuple_struct(name: &'static str, len: usize),
        deserialize_struct(name: &'static str, fields: &'static [&'static str]),
        deserialize_enum(name: &'static str, variants: &'static [&'static str]),
    }
}

impl<'de> de::Deserializer<'de> for Source {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let exact = self.exact;
        match self.value {
            SessionValue::Null => visitor.visit_unit(),
            SessionValue::Bool(b) => visitor.visit_bool(b),
            SessionValue::Number(n) => visit_number(visitor, &n, exact),
            SessionValue::String(s) => visitor.visit_string(s),
            SessionValue::List(items) => visit_seq(visitor, items, exact),
            SessionValue::Dict(map) => {
                let escape = map.len() == 1
                    && map
                        .keys()
                        .next()
                        .is_some_and(|k| TAG_KEYS.contains(&k.as_str()));
                if escape {
                    let inner = map
                        .into_iter()
                        .map(|(k, v)| (format!("{k}__"), v))
                        .collect();
                    single(visitor, TAG_DICT, SessionValue::Dict(inner), exact)
                } else {
                    visit_dict(visitor, map.into_iter(), exact)
                }
            }
            SessionValue::Tuple(items) => {
                single(visitor, TAG_TUPLE, SessionValue::List(items), exact)
            }
            SessionValue::Bytes(bytes) => tagged_text(visitor, TAG_BYTES, STANDARD.encode(bytes)),
            SessionValue::Markup(m) => tagged_text(visitor, TAG_MARKUP, m.into_string()),
            SessionValue::Uuid(u) => tagged_text(visitor, TAG_UUID, u.to_simple()),
            SessionValue::DateTime(d) => tagged_text(visitor, TAG_DATETIME, d.to_string()),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            SessionValue::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            SessionValue::Null => visitor.visit_unit(),
            _ => self.deserialize_any(visitor),
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            SessionValue::String(s) => visitor.visit_string(s),
            SessionValue::Markup(m) => visitor.visit_string(m.into_string()),
            SessionValue::Uuid(u) => visitor.visit_string(u.to_simple()),
            SessionValue::DateTime(d) => visitor.visit_string(d.to_string()),
            value => Self::new(value, self.exact).deserialize_any(visitor),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            SessionValue::Bytes(bytes) => visitor.visit_byte_buf(bytes),
            SessionValue::String(s) => visitor.visit_string(s),
            SessionValue::List(items) | SessionValue::Tuple(items) => {
                visit_seq(visitor, items, self.exact)
            }
            value => Self::new(value, self.exact).deserialize_any(visitor),
        }
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_bytes(visitor)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            SessionValue::List(items) | SessionValue::Tuple(items) => {
                visit_seq(visitor, items, self.exact)
            }
            SessionValue::Bytes(bytes) => {
                let mut seq = SeqDeserializer::new(bytes.into_iter());
                let out = visitor.visit_seq(&mut seq)?;
                seq.end()?;
                Ok(out)
            }
            value => Self::new(value, self.exact).deserialize_any(visitor),
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    /// A `SessionValue` being read is handed this one, which moves instead of being rebuilt;
    /// a target asking for exact numbers gets them (see [`Source`]).
    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        if name == hand_over::TOKEN {
            return hand_over::offer(self.value, visitor);
        }
        if name == python_json::EXACT_TOKEN {
            return visitor.visit_newtype_struct(Self::new(self.value, true));
        }
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        let exact = self.exact;
        match self.value {
            SessionValue::String(s) => visitor.visit_enum(s.into_deserializer()),
            SessionValue::Dict(map) if map.len() == 1 => {
                visitor.visit_enum(MapAccessDeserializer::new(MapDeserializer::new(
                    map.into_iter().map(|(k, v)| (k, Self::new(v, exact))),
                )))
            }
            _ => Err(not_an_enum()),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }

    fn deserialize_i128<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let wide = match &self.value {
            SessionValue::Number(n) => n.as_i128(),
            _ => None,
        };
        match wide {
            Some(i) => visitor.visit_i128(i),
            None => self.deserialize_any(visitor),
        }
    }

    fn deserialize_u128<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let wide = match &self.value {
            SessionValue::Number(n) => n.as_u128(),
            _ => None,
        };
        match wide {
            Some(u) => visitor.visit_u128(u),
            None => self.deserialize_any(visitor),
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 u8 u16 u32 u64 f32 f64 char map struct identifier
    }
}
