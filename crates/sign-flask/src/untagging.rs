//! Typed targets read straight from the JSON reader, untagged as they are read.
//!
//! [`Untagging`] wraps the reader and gives a target what a [`SessionValue`] of the same
//! document would give it through [`from_session_value`](crate::from_session_value), without
//! building that value first: lists and dicts go to the target element by element (each
//! element read through `Untagging` again), strings and numbers as they are read. A struct
//! with a list of structs in it is read with no session value in between.
//!
//! Only an object whose first key is a tag key (`" t"`, `" b"`, ...) is read ahead: it stands
//! for a tuple, bytes and so on when that key is its only distinct one, which its end tells.
//! Its first value is read (and untagged) as a `SessionValue`; at the object's end it is
//! untagged and handed over as the value it stands for, and at a second distinct key the
//! object is a dict, whose read-ahead entry goes to the target first and whose other entries
//! stream. The few requests a tag can answer differently from the JSON (an enum, a 128-bit
//! integer) and values the target skips (which must still be valid, as Flask untags
//! everything) are read whole as a `SessionValue` and answered as it answers.
//!
//! The one difference from reading the `SessionValue` first: a dict's entries come in the
//! document's order, a repeated key as often as it is written. A map keeps the last value,
//! as Python and the `SessionValue` do; a struct refuses a repeated field, as serde's derive
//! does and as it does for every other serializer (docs/compatibility.md, deviation 15). The
//! exception is an object whose first key is a tag key: while it is read ahead, repeats of
//! that key only replace its value (as Python's dict does before Flask untags it), so they
//! reach the target once. Flask writes keys sorted and once, so a cookie Flask made reads the
//! same either way.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::marker::PhantomData;

use python_json::{KeyText, ObjectStart};
use serde::Deserialize;
use serde::de::{
    self, DeserializeSeed, Deserializer, IntoDeserializer, MapAccess, SeqAccess, Visitor,
};

use crate::de::Source;
use crate::hand_over;
use crate::value::{Nested, Opening, SessionValue, TAG_KEYS, open_after_first_key};

/// A `T` read from a session document through [`Untagging`]. The reader is asked for exact
/// integers, so that none is rounded before the target says what it wants (see
/// [`Untagging`]): read ahead as a `SessionValue`, a tag's contents keep every digit too.
pub(crate) struct Untagged<T>(pub(crate) T);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Untagged<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_newtype_struct(python_json::EXACT_TOKEN, Document(PhantomData))
    }
}

/// The document's visitor: the exact-number request answered, the target is read.
struct Document<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for Document<T> {
    type Value = Untagged<T>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a Flask session document")
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Untagged<T>, D::Error> {
        T::deserialize(Untagging(d, false)).map(Untagged)
    }
}

/// The reader's deserializer, answering as the [`SessionValue`] deserializer answers; the
/// flag says whether the target asked for exact numbers ([`python_json::EXACT_TOKEN`]): the
/// reader reads every integer exactly, and one beyond 64 bits reaches a target that did not
/// ask as a float, as from the `SessionValue` deserializer ([`Source`]).
pub(crate) struct Untagging<D>(pub(crate) D, pub(crate) bool);

/// Which of the `SessionValue` deserializer's requests a value read ahead is answered with
/// (the others all answer as `deserialize_any`).
#[derive(Clone, Copy)]
enum Request {
    Any,
    Str,
    Bytes,
    Seq,
}

impl Request {
    fn answer<'de, V: Visitor<'de>>(
        self,
        value: Source,
        visitor: V,
    ) -> Result<V::Value, serde_json::Error> {
        match self {
            Self::Any => value.deserialize_any(visitor),
            Self::Str => value.deserialize_str(visitor),
            Self::Bytes => value.deserialize_bytes(visitor),
            Self::Seq => value.deserialize_seq(visitor),
        }
    }
}

impl<'de, D: Deserializer<'de>> Untagging<D> {
    fn read<V: Visitor<'de>>(self, request: Request, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_any(Reading {
            request,
            visitor,
            exact: self.1,
        })
    }

    /// The value read whole, then answered by `answer`.
    fn whole<V: Visitor<'de>>(
        self,
        visitor: V,
        answer: impl FnOnce(Source, V) -> Result<V::Value, serde_json::Error>,
    ) -> Result<V::Value, D::Error> {
        let value = Nested.deserialize(self.0)?;
        answer(Source::new(value, self.1), visitor).map_err(de::Error::custom)
    }
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for Untagging<D> {
    type Error = D::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.read(Request::Any, visitor)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.read(Request::Str, visitor)
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.read(Request::Str, visitor)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.read(Request::Bytes, visitor)
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.read(Request::Bytes, visitor)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.read(Request::Seq, visitor)
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.read(Request::Seq, visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.read(Request::Seq, visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_option(Optional(visitor, self.1))
    }

    /// A `SessionValue` being read asks for a hand-over, which goes to the reader: a
    /// `SessionValue` reads itself from the reader, untagging as it reads.
    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        if name == hand_over::TOKEN {
            return self.0.deserialize_newtype_struct(name, visitor);
        }
        if name == python_json::EXACT_TOKEN {
            return visitor.visit_newtype_struct(Untagging(self.0, true));
        }
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.whole(visitor, |value, visitor| {
            value.deserialize_enum(name, variants, visitor)
        })
    }

    fn deserialize_i128<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.whole(visitor, Source::deserialize_i128)
    }

    fn deserialize_u128<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.whole(visitor, Source::deserialize_u128)
    }

    /// Still read and untagged: Flask untags the whole session, so a bad tag anywhere is an
    /// error.
    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.whole(visitor, |_, visitor| visitor.visit_unit())
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 u8 u16 u32 u64 f32 f64 char unit unit_struct map struct identifier
    }
}

/// Wraps a seed's deserializer in [`Untagging`] (with the exactness asked).
struct Element<S>(S, bool);

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for Element<S> {
    type Value = S::Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<S::Value, D::Error> {
        self.0.deserialize(Untagging(d, self.1))
    }
}

/// `deserialize_option`'s visitor (with the exactness asked).
struct Optional<V>(V, bool);

impl<'de, V: Visitor<'de>> Visitor<'de> for Optional<V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.expecting(f)
    }

    fn visit_none<E: de::Error>(self) -> Result<V::Value, E> {
        self.0.visit_none()
    }

    fn visit_unit<E: de::Error>(self) -> Result<V::Value, E> {
        self.0.visit_none()
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<V::Value, D::Error> {
        self.0.visit_some(Untagging(d, self.1))
    }
}

/// The visitor of a value read for `request`: everything but an object passes through (a
/// list's elements read through [`Untagging`]).
struct Reading<V> {
    request: Request,
    visitor: V,
    exact: bool,
}

impl<'de, V: Visitor<'de>> Reading<V> {
    fn answer<E: de::Error>(self, value: SessionValue) -> Result<V::Value, E> {
        self.request
            .answer(Source::new(value, self.exact), self.visitor)
            .map_err(de::Error::custom)
    }
}

impl<'de, V: Visitor<'de>> Visitor<'de> for Reading<V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.visitor.expecting(f)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<V::Value, E> {
        self.visitor.visit_bool(v)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<V::Value, E> {
        self.visitor.visit_i64(v)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<V::Value, E> {
        self.visitor.visit_u64(v)
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<V::Value, E> {
        self.visitor.visit_i128(v)
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<V::Value, E> {
        self.visitor.visit_u128(v)
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<V::Value, E> {
        self.visitor.visit_f64(v)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<V::Value, E> {
        self.visitor.visit_str(v)
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<V::Value, E> {
        self.visitor.visit_borrowed_str(v)
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<V::Value, E> {
        self.visitor.visit_string(v)
    }

    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<V::Value, E> {
        self.visitor.visit_bytes(v)
    }

    fn visit_borrowed_bytes<E: de::Error>(self, v: &'de [u8]) -> Result<V::Value, E> {
        self.visitor.visit_borrowed_bytes(v)
    }

    fn visit_byte_buf<E: de::Error>(self, v: Vec<u8>) -> Result<V::Value, E> {
        self.visitor.visit_byte_buf(v)
    }

    fn visit_unit<E: de::Error>(self) -> Result<V::Value, E> {
        self.visitor.visit_unit()
    }

    fn visit_none<E: de::Error>(self) -> Result<V::Value, E> {
        self.visitor.visit_none()
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<V::Value, D::Error> {
        self.visitor.visit_some(Untagging(d, self.exact))
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<V::Value, D::Error> {
        self.visitor.visit_newtype_struct(Untagging(d, self.exact))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
        self.visitor.visit_seq(Items(seq, self.exact))
    }

    /// A dict streams unless its first key is a tag key (see the module docs).
    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<V::Value, A::Error> {
        let key = match python_json::object_start(&mut access)? {
            None => return self.answer(SessionValue::Dict(BTreeMap::new())),
            Some(ObjectStart::Number(n)) => return self.answer(SessionValue::Number(n)),
            Some(ObjectStart::Key(key)) => key,
        };
        // Every tag key starts with a space, which few other keys do.
        if !(key.starts_with(' ') && TAG_KEYS.contains(&&*key)) {
            return self.visitor.visit_map(Entries {
                access,
                ahead: [Some((key, None)), None],
                value: None,
                exact: self.exact,
            });
        }
        match open_after_first_key(&mut access, key)? {
            Opening::Dict((first, value), second) => self.visitor.visit_map(Entries {
                access,
                ahead: [
                    Some((Cow::Owned(first), Some(value))),
                    Some((Cow::Owned(second), None)),
                ],
                value: None,
                exact: self.exact,
            }),
            Opening::Whole(value) => self.answer(value),
        }
    }
}

/// A list's elements, each read through [`Untagging`] (with the exactness asked).
struct Items<A>(A, bool);

impl<'de, A: SeqAccess<'de>> SeqAccess<'de> for Items<A> {
    type Error = A::Error;

    fn next_element_seed<S: DeserializeSeed<'de>>(
        &mut self,
        seed: S,
    ) -> Result<Option<S::Value>, A::Error> {
        self.0.next_element_seed(Element(seed, self.1))
    }

    fn size_hint(&self) -> Option<usize> {
        self.0.size_hint()
    }
}

/// A dict's entries: those read ahead first (each key marked as document text,
/// [`KeyText`]), then the reader's, each value read through [`Untagging`].
struct Entries<'de, A> {
    access: A,
    /// Keys read ahead (borrowed from the document when they can be), in order, each with
    /// its value when that was read too (`None`: the value is the reader's next).
    ahead: [Option<(Cow<'de, str>, Option<SessionValue>)>; 2],
    /// The value of the key last handed out, when it was read ahead.
    value: Option<SessionValue>,
    /// Whether the target asked for exact numbers.
    exact: bool,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Entries<'de, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        self.value = None;
        if let Some((key, value)) = self.ahead.iter_mut().find_map(Option::take) {
            self.value = value;
            return seed
                .deserialize(IntoDeserializer::<A::Error>::into_deserializer(KeyText(
                    key,
                )))
                .map(Some);
        }
        self.access.next_key_seed(seed)
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, A::Error> {
        match self.value.take() {
            Some(value) => seed
                .deserialize(Source::new(value, self.exact))
                .map_err(de::Error::custom),
            None => self.access.next_value_seed(Element(seed, self.exact)),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        let ahead = self.ahead.iter().flatten().count();
        self.access.size_hint().map(|n| n + ahead)
    }
}
