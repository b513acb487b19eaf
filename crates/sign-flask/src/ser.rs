//! Any `Serialize` value to a [`SessionValue`], the way Flask would see the Python equivalent.

use std::collections::BTreeMap;

use python_json::Number;
use serde::ser::{self, Impossible, Serialize};
use serde_json::Error;

use crate::value::{SessionValue, TOKEN, untag_tree};

/// Converts `value` to the session value Flask would hold for its Python counterpart.
///
/// * Structs and maps become dicts (keys: strings, chars, integers and bools, stringified as
///   Python's `json` does; other keys are an error).
/// * Rust tuples and fixed-size arrays (`serialize_tuple`) become tuples; sequences (`Vec`,
///   slices, tuple structs) become lists.
/// * Bytes given as bytes (`serialize_bytes`, e.g. `serde_bytes`) become bytes; a `Vec<u8>`
///   is a sequence and becomes a list of integers, as in serde generally.
/// * [`SessionValue`], [`Markup`](crate::Markup), [`Uuid`](crate::Uuid) and
///   [`HttpDate`](crate::HttpDate) keep their meaning wherever they are nested.
/// * `None` and `()` are `null`; enums are written as serde_json writes them.
///
/// # Errors
/// A `serde_json::Error` for NaN or infinite floats, unsupported map keys, or an error from
/// the value's `Serialize` implementation.
pub fn to_session_value<T: Serialize + ?Sized>(value: &T) -> Result<SessionValue, Error> {
    value.serialize(ValueSerializer { depth: 0 })
}

fn float(v: f64) -> Result<SessionValue, Error> {
    Number::from_f64(v)
        .map(SessionValue::Number)
        .ok_or_else(|| ser::Error::custom("NaN and infinite floats are not supported"))
}

/// Builds session values; `depth` counts the lists and dicts around the value being built.
#[derive(Clone, Copy)]
struct ValueSerializer {
    depth: usize,
}

impl ValueSerializer {
    /// The serializer for the contents of one more list or dict.
    ///
    /// # Errors
    /// Past [`python_json::MAX_DEPTH`], before any further recursion, so that no value can
    /// exhaust the stack (the JSON writer would refuse it anyway).
    fn nested(self) -> Result<Self, Error> {
        if self.depth >= python_json::MAX_DEPTH {
            return Err(ser::Error::custom(python_json::WriteError::TooDeep));
        }
        Ok(Self {
            depth: self.depth + 1,
        })
    }
}

impl ser::Serializer for ValueSerializer {
    type Ok = SessionValue;
    type Error = Error;
    type SerializeSeq = SeqBuilder;
    type SerializeTuple = SeqBuilder;
    type SerializeTupleStruct = SeqBuilder;
    type SerializeTupleVariant = VariantBuilder<SeqBuilder>;
    type SerializeMap = MapBuilder;
    type SerializeStruct = MapBuilder;
    type SerializeStructVariant = VariantBuilder<MapBuilder>;

    fn serialize_bool(self, v: bool) -> Result<SessionValue, Error> {
        Ok(SessionValue::Bool(v))
    }
    fn serialize_i8(self, v: i8) -> Result<SessionValue, Error> {
        Ok(SessionValue::Number(v.into()))
    }
    fn serialize_i16(self, v: i16) -> Result<SessionValue, Error> {
        Ok(SessionValue::Number(v.into()))
    }
    fn serialize_i32(self, v: i32) -> Result<SessionValue, Error> {
        Ok(SessionValue::Number(v.into()))
    }
    fn serialize_i64(self, v: i64) -> Result<SessionValue, Error> {
        Ok(SessionValue::Number(v.into()))
    }
    fn serialize_i128(self, v: i128) -> Result<SessionValue, Error> {
        Ok(SessionValue::Number(v.into()))
    }
    fn serialize_u8(self, v: u8) -> Result<SessionValue, Error> {
        Ok(SessionValue::Number(v.into()))
    }
    fn serialize_u16(self, v: u16) -> Result<SessionValue, Error> {
        Ok(SessionValue::Number(v.into()))
    }
    fn serialize_u32(self, v: u32) -> Result<SessionValue, Error> {
        Ok(SessionValue::Number(v.into()))
    }
    fn serialize_u64(self, v: u64) -> Result<SessionValue, Error> {
        Ok(SessionValue::Number(v.into()))
    }
    fn serialize_u128(self, v: u128) -> Result<SessionValue, Error> {
        Ok(SessionValue::Number(v.into()))
    }
    fn serialize_f32(self, v: f32) -> Result<SessionValue, Error> {
        float(f64::from(v))
    }
    fn serialize_f64(self, v: f64) -> Result<SessionValue, Error> {
        float(v)
    }
    fn serialize_char(self, v: char) -> Result<SessionValue, Error> {
        Ok(SessionValue::String(v.to_string()))
    }
    fn serialize_str(self, v: &str) -> Result<SessionValue, Error> {
        Ok(SessionValue::String(v.to_owned()))
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<SessionValue, Error> {
        Ok(SessionValue::Bytes(v.to_vec()))
    }
    fn serialize_none(self) -> Result<SessionValue, Error> {
        Ok(SessionValue::Null)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<SessionValue, Error> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<SessionValue, Error> {
        Ok(SessionValue::Null)
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<SessionValue, Error> {
        Ok(SessionValue::Null)
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<SessionValue, Error> {
        Ok(SessionValue::String(variant.to_owned()))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        value: &T,
    ) -> Result<SessionValue, Error> {
        if name == TOKEN {
            // Already in tagged form: build that form, then untag it back (lossless for
            // everything we tag).
            let tagged = value.serialize(self)?;
            return untag_tree(tagged).map_err(ser::Error::custom);
        }
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<SessionValue, Error> {
        let inner = value.serialize(self.nested()?)?;
        Ok(SessionValue::Dict(BTreeMap::from([(
            variant.to_owned(),
            inner,
        )])))
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<SeqBuilder, Error> {
        Ok(SeqBuilder::new(len, false, self.nested()?))
    }
    fn serialize_tuple(self, len: usize) -> Result<SeqBuilder, Error> {
        Ok(SeqBuilder::new(Some(len), true, self.nested()?))
    }
    fn serialize_tuple_struct(self, _name: &'static str, len: usize) -> Result<SeqBuilder, Error> {
        Ok(SeqBuilder::new(Some(len), false, self.nested()?))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<VariantBuilder<SeqBuilder>, Error> {
        Ok(VariantBuilder {
            variant,
            inner: SeqBuilder::new(Some(len), false, self.nested()?.nested()?),
        })
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<MapBuilder, Error> {
        Ok(MapBuilder::new(self.nested()?))
    }
    /// A struct named serde_json's number token is an integer given as text (the number
    /// protocol of [`python_json::Number`], and of `serde_json::Number` with
    /// `arbitrary_precision`); it becomes that number, while a map with that key stays a map.
    fn serialize_struct(self, name: &'static str, _len: usize) -> Result<MapBuilder, Error> {
        let mut builder = MapBuilder::new(self.nested()?);
        builder.number = name == python_json::NUMBER_TOKEN;
        Ok(builder)
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<VariantBuilder<MapBuilder>, Error> {
        Ok(VariantBuilder {
            variant,
            inner: MapBuilder::new(self.nested()?.nested()?),
        })
    }
}

struct SeqBuilder {
    items: Vec<SessionValue>,
    tuple: bool,
    /// The serializer for the items.
    inner: ValueSerializer,
}

impl SeqBuilder {
    fn new(len: Option<usize>, tuple: bool, inner: ValueSerializer) -> Self {
        Self {
            items: Vec::with_capacity(len.unwrap_or(0).min(1024)),
            tuple,
            inner,
        }
    }

    fn push<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.items.push(value.serialize(self.inner)?);
        Ok(())
    }

    fn finish(self) -> SessionValue {
        if self.tuple {
            SessionValue::Tuple(self.items)
        } else {
            SessionValue::List(self.items)
        }
    }
}

impl ser::SerializeSeq for SeqBuilder {
    type Ok = SessionValue;
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.push(value)
    }
    fn end(self) -> Result<SessionValue, Error> {
        Ok(self.finish())
    }
}

impl ser::SerializeTuple for SeqBuilder {
    type Ok = SessionValue;
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.push(value)
    }
    fn end(self) -> Result<SessionValue, Error> {
        Ok(self.finish())
    }
}

impl ser::SerializeTupleStruct for SeqBuilder {
    type Ok = SessionValue;
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.push(value)
    }
    fn end(self) -> Result<SessionValue, Error> {
        Ok(self.finish())
    }
}

struct MapBuilder {
    /// The serializer for the values.
    inner: ValueSerializer,
    map: BTreeMap<String, SessionValue>,
    pending: Option<String>,
    /// Whether this is the number protocol's struct (see `serialize_struct`).
    number: bool,
}

impl MapBuilder {
    const fn new(inner: ValueSerializer) -> Self {
        Self {
            inner,
            map: BTreeMap::new(),
            pending: None,
            number: false,
        }
    }

    /// The number protocol's struct as the number: its one field, the integer's text.
    fn number(mut self) -> Result<SessionValue, Error> {
        match self.map.remove(python_json::NUMBER_TOKEN) {
            Some(SessionValue::String(text)) if self.map.is_empty() => {
                Number::from_json_text(&text)
                    .map(SessionValue::Number)
                    .map_err(ser::Error::custom)
            }
            _ => Err(ser::Error::custom(
                "a number given as text needs its text, alone",
            )),
        }
    }
}

impl ser::SerializeMap for MapBuilder {
    type Ok = SessionValue;
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        self.pending = Some(key.serialize(KeySerializer)?);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        let key = self
            .pending
            .take()
            .ok_or_else(|| ser::Error::custom("map value without a key"))?;
        self.map.insert(key, value.serialize(self.inner)?);
        Ok(())
    }
    fn end(self) -> Result<SessionValue, Error> {
        Ok(SessionValue::Dict(self.map))
    }
}

impl ser::SerializeStruct for MapBuilder {
    type Ok = SessionValue;
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.map
            .insert(key.to_owned(), value.serialize(self.inner)?);
        Ok(())
    }
    fn end(self) -> Result<SessionValue, Error> {
        if self.number {
            return self.number();
        }
        Ok(SessionValue::Dict(self.map))
    }
}

struct VariantBuilder<B> {
    variant: &'static str,
    inner: B,
}

impl ser::SerializeTupleVariant for VariantBuilder<SeqBuilder> {
    type Ok = SessionValue;
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.inner.push(value)
    }
    fn end(self) -> Result<SessionValue, Error> {
        Ok(SessionValue::Dict(BTreeMap::from([(
            self.variant.to_owned(),
            self.inner.finish(),
        )])))
    }
}

impl ser::SerializeStructVariant for VariantBuilder<MapBuilder> {
    type Ok = SessionValue;
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        ser::SerializeStruct::serialize_field(&mut self.inner, key, value)
    }
    fn end(self) -> Result<SessionValue, Error> {
        Ok(SessionValue::Dict(BTreeMap::from([(
            self.variant.to_owned(),
            SessionValue::Dict(self.inner.map),
        )])))
    }
}

/// Map keys, stringified as Python's `json` stringifies them.
pub(crate) struct KeySerializer;

fn key_error() -> Error {
    ser::Error::custom("session keys must be strings, integers or bools")
}

impl ser::Serializer for KeySerializer {
    type Ok = String;
    type Error = Error;
    type SerializeSeq = Impossible<String, Error>;
    type SerializeTuple = Impossible<String, Error>;
    type SerializeTupleStruct = Impossible<String, Error>;
    type SerializeTupleVariant = Impossible<String, Error>;
    type SerializeMap = Impossible<String, Error>;
    type SerializeStruct = Impossible<String, Error>;
    type SerializeStructVariant = Impossible<String, Error>;

    fn serialize_bool(self, v: bool) -> Result<String, Error> {
        Ok(if v { "true" } else { "false" }.to_owned())
    }
    fn serialize_i8(self, v: i8) -> Result<String, Error> {
        Ok(v.to_string())
    }
    fn serialize_i16(self, v: i16) -> Result<String, Error> {
        Ok(v.to_string())
    }
    fn serialize_i32(self, v: i32) -> Result<String, Error> {
        Ok(v.to_string())
    }
    fn serialize_i64(self, v: i64) -> Result<String, Error> {
        Ok(v.to_string())
    }
    fn serialize_i128(self, v: i128) -> Result<String, Error> {
        Ok(v.to_string())
    }
    fn serialize_u8(self, v: u8) -> Result<String, Error> {
        Ok(v.to_string())
    }
    fn serialize_u16(self, v: u16) -> Result<String, Error> {
        Ok(v.to_string())
    }
    fn serialize_u32(self, v: u32) -> Result<String, Error> {
        Ok(v.to_string())
    }
    fn serialize_u64(self, v: u64) -> Result<String, Error> {
        Ok(v.to_string())
    }
    fn serialize_u128(self, v: u128) -> Result<String, Error> {
        Ok(v.to_string())
    }
    fn serialize_f32(self, _v: f32) -> Result<String, Error> {
        Err(key_error())
    }
    fn serialize_f64(self, _v: f64) -> Result<String, Error> {
        Err(key_error())
    }
    fn serialize_char(self, v: char) -> Result<String, Error> {
        Ok(v.to_string())
    }
    fn serialize_str(self, v: &str) -> Result<String, Error> {
        Ok(v.to_owned())
    }
    fn serialize_bytes(self, _v: &[u8]) -> Result<String, Error> {
        Err(key_error())
    }
    fn serialize_none(self) -> Result<String, Error> {
        Ok("null".to_owned())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<String, Error> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<String, Error> {
        Ok("null".to_owned())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<String, Error> {
        Ok("null".to_owned())
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<String, Error> {
        Ok(variant.to_owned())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<String, Error> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result<String, Error> {
        Err(key_error())
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq, Error> {
        Err(key_error())
    }
    fn serialize_tuple(self, _len: usize) -> Result<Self::SerializeTuple, Error> {
        Err(key_error())
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleStruct, Error> {
        Err(key_error())
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        Err(key_error())
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap, Error> {
        Err(key_error())
    }
    fn serialize_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStruct, Error> {
        Err(key_error())
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        Err(key_error())
    }
}
