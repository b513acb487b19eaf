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
/// key; as serde's `MapDeserializer`, an error names the entries the visitor left unread.
fn visit_dict<'de, V: Visitor<'de>>(
    visitor: V,
    entries: impl ExactSizeIterator<Item = (String, SessionValue)>,
) -> Result<V::Value, Error> {
    let mut access = DictAccess {
        entries,
        value: None,
        read: 0,
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
        seed.deserialize(value)
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

/// A tagged value as the one-entry dict `{key: value}` it is written as.
fn single<'de, V: Visitor<'de>>(
    visitor: V,
    key: &str,
    value: SessionValue,
) -> Result<V::Value, Error> {
    visit_dict(visitor, iter::once((key.to_owned(), value)))
}

fn visit_seq<'de, V: Visitor<'de>>(
    visitor: V,
    items: Vec<SessionValue>,
) -> Result<V::Value, Error> {
    let mut seq = SeqDeserializer::new(items.into_iter());
    let out = visitor.visit_seq(&mut seq)?;
    seq.end()?;
    Ok(out)
}

/// Integers in `u64`/`i64` and floats as themselves; larger integers as their exact text
/// through serde_json's number protocol, which [`SessionValue`] and [`python_json::Value`]
/// read back exactly (as Python keeps `2**100`).
fn visit_number<'de, V: Visitor<'de>>(visitor: V, n: &Number) -> Result<V::Value, Error> {
    if let Some(u) = n.as_u64() {
        return visitor.visit_u64(u);
    }
    if let Some(i) = n.as_i64() {
        return visitor.visit_i64(i);
    }
    match n.integer_text() {
        Some(text) => single_str(visitor, python_json::NUMBER_TOKEN, text),
        None => visitor.visit_f64(n.as_f64().unwrap_or_default()),
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

impl<'de> de::Deserializer<'de> for SessionValue {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self {
            Self::Null => visitor.visit_unit(),
            Self::Bool(b) => visitor.visit_bool(b),
            Self::Number(n) => visit_number(visitor, &n),
            Self::String(s) => visitor.visit_string(s),
            Self::List(items) => visit_seq(visitor, items),
            Self::Dict(map) => {
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
                    single(visitor, TAG_DICT, Self::Dict(inner))
                } else {
                    visit_dict(visitor, map.into_iter())
                }
            }
            Self::Tuple(items) => single(visitor, TAG_TUPLE, Self::List(items)),
            Self::Bytes(bytes) => single(visitor, TAG_BYTES, Self::String(STANDARD.encode(bytes))),
            Self::Markup(m) => single(visitor, TAG_MARKUP, Self::String(m.into_string())),
            Self::Uuid(u) => single(visitor, TAG_UUID, Self::String(u.to_simple())),
            Self::DateTime(d) => single(visitor, TAG_DATETIME, Self::String(d.to_string())),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self {
            Self::Null => visitor.visit_none(),
            other => visitor.visit_some(other),
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self {
            Self::Null => visitor.visit_unit(),
            other => other.deserialize_any(visitor),
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
        match self {
            Self::String(s) => visitor.visit_string(s),
            Self::Markup(m) => visitor.visit_string(m.into_string()),
            Self::Uuid(u) => visitor.visit_string(u.to_simple()),
            Self::DateTime(d) => visitor.visit_string(d.to_string()),
            other => other.deserialize_any(visitor),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self {
            Self::Bytes(bytes) => visitor.visit_byte_buf(bytes),
            Self::String(s) => visitor.visit_string(s),
            Self::List(items) | Self::Tuple(items) => visit_seq(visitor, items),
            other => other.deserialize_any(visitor),
        }
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_bytes(visitor)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self {
            Self::List(items) | Self::Tuple(items) => visit_seq(visitor, items),
            Self::Bytes(bytes) => {
                let mut seq = SeqDeserializer::new(bytes.into_iter());
                let out = visitor.visit_seq(&mut seq)?;
                seq.end()?;
                Ok(out)
            }
            other => other.deserialize_any(visitor),
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

    /// A `SessionValue` being read is handed this one, which moves instead of being rebuilt.
    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        if name == hand_over::TOKEN {
            return hand_over::offer(self, visitor);
        }
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self {
            Self::String(s) => visitor.visit_enum(s.into_deserializer()),
            Self::Dict(map) if map.len() == 1 => visitor.visit_enum(MapAccessDeserializer::new(
                MapDeserializer::new(map.into_iter()),
            )),
            _ => Err(not_an_enum()),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }

    fn deserialize_i128<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let wide = match &self {
            Self::Number(n) => n.as_i128(),
            _ => None,
        };
        match wide {
            Some(i) => visitor.visit_i128(i),
            None => self.deserialize_any(visitor),
        }
    }

    fn deserialize_u128<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let wide = match &self {
            Self::Number(n) => n.as_u128(),
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
