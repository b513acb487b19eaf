//! The first key of an object read into a value that keeps exact numbers: serde_json's number
//! protocol, or a key like any other.
//!
//! An exact target (see [`EXACT_TOKEN`](crate::EXACT_TOKEN)) is handed an integer beyond 64
//! bits as the one-entry map `{NUMBER_TOKEN: "<digits>"}`, by this crate's reader and by
//! serde_json with `arbitrary_precision`. A document can hold that key itself
//! (`{"$serde_json::private::Number": "5"}`), which Python reads as a dict. So the target
//! starts each object with [`object_start`], whose [`FirstKeySeed`] asks the key's deserializer with
//! a newtype-struct name ([`KEY_TEXT_TOKEN`]) whether the key is text from the document: this
//! crate's reader answers for every key it reads, and deserializers of values holding dicts
//! answer through [`KeyText`]. Such a key is never the protocol; any other key equal to the
//! token is (as serde_json has it). The answer marks only a key equal to the token, as bytes;
//! every other key comes as the string it is, at no cost beyond a plain key's.

use core::fmt;
use std::borrow::Cow;

use serde::de::{self, DeserializeSeed, Deserializer, IntoDeserializer, MapAccess, Visitor};

use crate::{NUMBER_TOKEN, Number};

/// The newtype-struct name with which [`FirstKeySeed`] asks whether a key is document text;
/// a deserializer that knows it is answers as [`visit_document_text`] does.
#[doc(hidden)]
pub const KEY_TEXT_TOKEN: &str = "$python_json::private::KeyText";

/// The answer to [`KEY_TEXT_TOKEN`] for the document text `text`: the text, as bytes when it
/// reads like the number token (so that it stays a key), as a string otherwise.
pub(crate) fn visit_document_text<'de, V: Visitor<'de>, E: de::Error>(
    text: &'de str,
    visitor: V,
) -> Result<V::Value, E> {
    if text == NUMBER_TOKEN {
        visitor.visit_borrowed_bytes(text.as_bytes())
    } else {
        visitor.visit_borrowed_str(text)
    }
}

/// [`visit_document_text`] for owned text.
pub(crate) fn visit_document_string<'de, V: Visitor<'de>, E: de::Error>(
    text: String,
    visitor: V,
) -> Result<V::Value, E> {
    if text == NUMBER_TOKEN {
        visitor.visit_byte_buf(text.into_bytes())
    } else {
        visitor.visit_string(text)
    }
}

/// How an object starts, for a target that keeps exact numbers.
#[doc(hidden)]
#[derive(Debug, PartialEq)]
pub enum ObjectStart<'de> {
    /// The object is serde_json's number protocol: the integer it stands for (the whole
    /// object is read).
    Number(Number),
    /// The object's first key (borrowed from the document when it has no escapes); its
    /// value is still to be read.
    Key(Cow<'de, str>),
}

/// Reads the start of an object from `access`: `None` for `{}`, the integer when the first
/// key is the number protocol (see the module docs), the first key otherwise.
#[doc(hidden)]
#[inline]
pub fn object_start<'de, A: MapAccess<'de>>(
    access: &mut A,
) -> Result<Option<ObjectStart<'de>>, A::Error> {
    Ok(match access.next_key_seed(FirstKeySeed)? {
        None => None,
        Some(FirstKey::Number) => {
            let text: String = access.next_value()?;
            let number = Number::from_json_text(&text).map_err(de::Error::custom)?;
            Some(ObjectStart::Number(number))
        }
        Some(FirstKey::Text(key)) => Some(ObjectStart::Key(key)),
    })
}

/// What the first key of an object stands for.
#[derive(Debug, PartialEq, Eq)]
enum FirstKey<'de> {
    /// serde_json's number protocol: the value is the integer's text.
    Number,
    /// A key.
    Text(Cow<'de, str>),
}

/// Reads an object's first key as a [`FirstKey`].
#[derive(Clone, Copy, Debug)]
struct FirstKeySeed;

impl<'de> DeserializeSeed<'de> for FirstKeySeed {
    type Value = FirstKey<'de>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<FirstKey<'de>, D::Error> {
        deserializer.deserialize_newtype_struct(KEY_TEXT_TOKEN, FirstKeySeed)
    }
}

impl FirstKeySeed {
    fn unsure<E>(text: Cow<'_, str>) -> Result<FirstKey<'_>, E> {
        Ok(if text == NUMBER_TOKEN {
            FirstKey::Number
        } else {
            FirstKey::Text(text)
        })
    }
}

impl<'de> Visitor<'de> for FirstKeySeed {
    type Value = FirstKey<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string key")
    }

    /// The deserializer does not know the name: the key is what it says.
    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<FirstKey<'de>, D::Error> {
        d.deserialize_str(self)
    }

    fn visit_str<E>(self, v: &str) -> Result<FirstKey<'de>, E> {
        Self::unsure(Cow::Owned(v.to_owned()))
    }

    /// A key borrowed from the document: no allocation (it is compared with struct fields,
    /// or becomes a dict's key, where it is copied once).
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<FirstKey<'de>, E> {
        Self::unsure(Cow::Borrowed(v))
    }

    fn visit_string<E>(self, v: String) -> Result<FirstKey<'de>, E> {
        Self::unsure(Cow::Owned(v))
    }

    /// Document text that reads like the token (see [`visit_document_text`]): a key.
    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<FirstKey<'de>, E> {
        core::str::from_utf8(v)
            .map(|text| FirstKey::Text(Cow::Owned(text.to_owned())))
            .map_err(|_| E::invalid_value(de::Unexpected::Bytes(v), &self))
    }

    fn visit_borrowed_bytes<E: de::Error>(self, v: &'de [u8]) -> Result<FirstKey<'de>, E> {
        core::str::from_utf8(v)
            .map(|text| FirstKey::Text(Cow::Borrowed(text)))
            .map_err(|_| E::invalid_value(de::Unexpected::Bytes(v), &self))
    }

    fn visit_byte_buf<E: de::Error>(self, v: Vec<u8>) -> Result<FirstKey<'de>, E> {
        String::from_utf8(v)
            .map(|text| FirstKey::Text(Cow::Owned(text)))
            .map_err(|e| E::invalid_value(de::Unexpected::Bytes(e.as_bytes()), &self))
    }
}

/// The error of a key that a number (or bool) target cannot parse.
pub(crate) const NOT_A_NUMBER_KEY: &str = "object key is not a number of the expected type";

/// The number and bool requests of a key deserializer: the key's text parsed as the target
/// (`HashMap<u32, _>`, as serde_json reads such keys: Python writes `{1: "a"}` as
/// `{"1": "a"}`), through the deserializer's own `parse`. Shared by the reader's keys and
/// [`KeyTextDeserializer`], so that a key reads alike whichever hands it out.
macro_rules! number_keys {
    () => {
        $crate::first_key::number_keys! {
            deserialize_i8 => visit_i8: i8, deserialize_i16 => visit_i16: i16,
            deserialize_i32 => visit_i32: i32, deserialize_i64 => visit_i64: i64,
            deserialize_i128 => visit_i128: i128, deserialize_u8 => visit_u8: u8,
            deserialize_u16 => visit_u16: u16, deserialize_u32 => visit_u32: u32,
            deserialize_u64 => visit_u64: u64, deserialize_u128 => visit_u128: u128,
            deserialize_f32 => visit_f32: f32, deserialize_f64 => visit_f64: f64,
            deserialize_bool => visit_bool: bool,
        }
    };
    ($($method:ident => $visit:ident: $ty:ty),* $(,)?) => {
        $(
            fn $method<V: Visitor<'de>>(mut self, visitor: V) -> Result<V::Value, Self::Error> {
                let value: $ty = self.parse()?;
                visitor.$visit(value)
            }
        )*
    };
}
pub(crate) use number_keys;

/// A dict key that is document text, as the deserializer of a value holding dicts hands it
/// out (a string, which answers [`KEY_TEXT_TOKEN`] as document text), borrowed when it can
/// be.
#[doc(hidden)]
#[derive(Debug)]
pub struct KeyText<'de>(pub Cow<'de, str>);

impl<'de, E: de::Error> IntoDeserializer<'de, E> for KeyText<'de> {
    type Deserializer = KeyTextDeserializer<'de, E>;

    fn into_deserializer(self) -> KeyTextDeserializer<'de, E> {
        KeyTextDeserializer {
            text: self.0,
            error: core::marker::PhantomData,
        }
    }
}

impl From<String> for KeyText<'_> {
    fn from(text: String) -> Self {
        KeyText(Cow::Owned(text))
    }
}

/// [`KeyText`]'s deserializer: the key as a string (also as an enum variant's name, as for a
/// plain `String` key), or as document text to [`KEY_TEXT_TOKEN`].
#[doc(hidden)]
#[derive(Debug)]
pub struct KeyTextDeserializer<'de, E> {
    text: Cow<'de, str>,
    error: core::marker::PhantomData<E>,
}

impl<'de, E: de::Error> Deserializer<'de> for KeyTextDeserializer<'de, E> {
    type Error = E;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        match self.text {
            Cow::Borrowed(text) => visitor.visit_borrowed_str(text),
            Cow::Owned(text) => visitor.visit_string(text),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, E> {
        if name == KEY_TEXT_TOKEN {
            return match self.text {
                Cow::Borrowed(text) => visit_document_text(text, visitor),
                Cow::Owned(text) => visit_document_string(text, visitor),
            };
        }
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, E> {
        IntoDeserializer::<E>::into_deserializer(self.text)
            .deserialize_enum(name, variants, visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        visitor.visit_some(self)
    }

    number_keys!();

    serde::forward_to_deserialize_any! {
        char str string bytes byte_buf unit unit_struct seq tuple tuple_struct map struct
        identifier ignored_any
    }
}

impl<E: de::Error> KeyTextDeserializer<'_, E> {
    /// The key parsed as a number (or bool) target.
    fn parse<T: core::str::FromStr>(&mut self) -> Result<T, E> {
        self.text.parse().map_err(|_| E::custom(NOT_A_NUMBER_KEY))
    }
}

#[cfg(test)]
mod tests {
    use serde::de::value::{Error as ValueError, MapDeserializer};
    use serde::de::{Deserialize, DeserializeSeed, IntoDeserializer};

    use super::{FirstKey, FirstKeySeed, KeyText};
    use crate::{Map, NUMBER_TOKEN, Number, Value, from_slice};

    const BIG: &str = "123456789012345678901234567890";

    fn dict(key: &str, value: Value) -> Value {
        let mut map = Map::new();
        map.insert(key.to_owned(), value);
        Value::Object(map)
    }

    /// The reader: a key that reads like the token is a key, borrowed or unescaped; an
    /// integer beyond 64 bits is still the number it is.
    #[test]
    fn the_reader_says_which_keys_are_document_text() {
        let text = format!(r#"{{"{NUMBER_TOKEN}":"5"}}"#);
        assert_eq!(
            from_slice::<Value>(text.as_bytes()).unwrap(),
            dict(NUMBER_TOKEN, Value::String("5".into()))
        );
        let escaped = br#"{"$serde_json::private::Numbe\u0072":"5","a":1}"#;
        let Value::Object(map) = from_slice::<Value>(escaped).unwrap() else {
            panic!("not a dict");
        };
        assert_eq!(map.keys().collect::<Vec<_>>(), [NUMBER_TOKEN, "a"]);
        let big = from_slice::<Value>(format!(r#"{{"n":{BIG}}}"#).as_bytes()).unwrap();
        assert_eq!(
            big,
            dict("n", Value::Number(Number::from_json_text(BIG).unwrap()))
        );
    }

    /// Another deserializer's number protocol (serde_json's with `arbitrary_precision`) is
    /// still a number; the same entry with its key marked as document text is a dict.
    #[test]
    fn other_deserializers_keep_the_protocol_unless_the_key_is_marked() {
        let entry = || std::iter::once((NUMBER_TOKEN.to_owned(), BIG.to_owned()));
        let protocol = MapDeserializer::<_, ValueError>::new(entry());
        assert_eq!(
            Value::deserialize(protocol).unwrap(),
            Value::Number(Number::from_json_text(BIG).unwrap())
        );
        let marked =
            MapDeserializer::<_, ValueError>::new(entry().map(|(k, v)| (KeyText::from(k), v)));
        assert_eq!(
            Value::deserialize(marked).unwrap(),
            dict(NUMBER_TOKEN, Value::String(BIG.into()))
        );
    }

    /// The seed on its own: document text that is not UTF-8 is refused; a marked key still
    /// reads as a `String` and as an enum variant's name.
    #[test]
    fn seed_and_marked_key_edges() {
        let bytes = serde::de::value::BytesDeserializer::<ValueError>::new(b"\xff");
        assert!(FirstKeySeed.deserialize(bytes).is_err());
        let bytes = serde::de::value::BytesDeserializer::<ValueError>::new(NUMBER_TOKEN.as_bytes());
        assert_eq!(
            FirstKeySeed.deserialize(bytes).unwrap(),
            FirstKey::Text(NUMBER_TOKEN.into())
        );
        let key = || IntoDeserializer::<ValueError>::into_deserializer(KeyText("B".into()));
        assert_eq!(String::deserialize(key()).unwrap(), "B");
        #[derive(Debug, PartialEq, serde::Deserialize)]
        enum Choice {
            A,
            B,
        }
        assert_eq!(Choice::deserialize(key()).unwrap(), Choice::B);
    }

    /// A key borrowed from the document stays borrowed (no allocation for a first key that
    /// only names a struct field), through the seed and through [`KeyText`]; an owned one is
    /// handed over owned.
    #[test]
    fn borrowed_keys_stay_borrowed() {
        use std::borrow::Cow;
        let text = serde::de::value::BorrowedStrDeserializer::<ValueError>::new("k");
        assert!(matches!(
            FirstKeySeed.deserialize(text).unwrap(),
            FirstKey::Text(Cow::Borrowed("k"))
        ));
        let key = |text| IntoDeserializer::<ValueError>::into_deserializer(KeyText(text));
        assert_eq!(<&str>::deserialize(key(Cow::Borrowed("B"))).unwrap(), "B");
        assert!(<&str>::deserialize(key(Cow::Owned("B".to_owned()))).is_err());
        assert_eq!(
            String::deserialize(key(Cow::Owned("B".to_owned()))).unwrap(),
            "B"
        );
    }
}
