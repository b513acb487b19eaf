//! The `serde::Serializer` that writes Python's `json.dumps` bytes.

use core::ops::Range;

use serde::Serialize;
use serde::ser;

use super::escape::push_string;
use super::key::{Key, KeySerializer, NumberKey, sort_entries};
use super::number::{self, PyNumber};
use super::{Dialect, WriteError, float};

pub(crate) use crate::NUMBER_TOKEN;

/// The struct name under which serde_json serializes a `RawValue`; its single field holds the
/// raw JSON text.
pub(crate) const RAW_VALUE_TOKEN: &str = "$serde_json::private::RawValue";

/// Captures the string held by a serde_json private struct field.
pub(crate) fn capture_text<T: ?Sized + Serialize>(value: &T) -> Result<String, WriteError> {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(text)) => Ok(text),
        _ => Err(WriteError::Custom(
            "serde_json private struct without its text".to_owned(),
        )),
    }
}

/// Writes JSON text into `out` in one [`Dialect`].
pub(crate) struct Writer<'a> {
    out: &'a mut Vec<u8>,
    dialect: Dialect,
    /// Arrays and objects currently open around the value being written.
    depth: usize,
}

impl<'a> Writer<'a> {
    /// A writer appending to `out`.
    pub(crate) fn new(out: &'a mut Vec<u8>, dialect: Dialect) -> Self {
        Self {
            out,
            dialect,
            depth: 0,
        }
    }

    /// Opens one more level of nesting.
    ///
    /// # Errors
    /// [`WriteError::TooDeep`] past [`MAX_DEPTH`](crate::MAX_DEPTH), before any further
    /// recursion, so that no value can exhaust the stack.
    fn enter(&mut self) -> Result<(), WriteError> {
        if self.depth >= crate::MAX_DEPTH {
            return Err(WriteError::TooDeep);
        }
        self.depth += 1;
        Ok(())
    }

    fn push(&mut self, text: &str) {
        self.out.extend_from_slice(text.as_bytes());
    }

    fn push_string(&mut self, text: &str) {
        push_string(self.out, text, self.dialect.ensure_ascii);
    }

    fn push_float(&mut self, value: f64) -> Result<(), WriteError> {
        let text = float::repr(value)?;
        self.push(&text);
        Ok(())
    }

    /// Writes `text` as the key of an object entry, followed by the key separator.
    fn push_key(&mut self, text: &str) {
        self.push_string(text);
        self.push(self.dialect.key_separator);
    }

    /// Writes the text of a `serde_json::Number` as Python would re-dump it.
    fn push_number(&mut self, text: &str) -> Result<(), WriteError> {
        match number::parse(text)? {
            PyNumber::Int(int) => {
                self.push(&int);
                Ok(())
            }
            PyNumber::Float(value) => self.push_float(value),
        }
    }

    /// Writes an integer's decimal digits without an intermediate `String`.
    fn push_int(&mut self, value: impl core::fmt::Display) {
        use std::io::Write as _;
        // Writing into a `Vec<u8>` cannot fail.
        let _ = write!(self.out, "{value}");
    }

    /// Opens `{"Variant": ` for the enum representations that wrap a value.
    fn open_variant(&mut self, variant: &str) -> Result<(), WriteError> {
        self.enter()?;
        self.push("{");
        self.push_key(variant);
        Ok(())
    }

    fn array<'w>(&'w mut self, variant: bool) -> Result<Compound<'w, 'a>, WriteError> {
        self.enter()?;
        self.push("[");
        Ok(Compound {
            writer: self,
            state: State::Array { first: true },
            variant,
        })
    }

    fn object<'w>(&'w mut self, variant: bool) -> Result<Compound<'w, 'a>, WriteError> {
        self.enter()?;
        self.push("{");
        let state = if self.dialect.sort_keys {
            State::Sorted {
                entries: Vec::new(),
                values: Vec::new(),
                pending: None,
                in_order: Some(self.out.len()),
            }
        } else {
            State::Object {
                first: true,
                key_written: false,
            }
        };
        Ok(Compound {
            writer: self,
            state,
            variant,
        })
    }
}

/// An array or object being written.
pub(crate) struct Compound<'w, 'a> {
    writer: &'w mut Writer<'a>,
    state: State,
    /// Whether an enclosing `{"Variant": ...}` must be closed at the end.
    variant: bool,
}

enum State {
    Array {
        first: bool,
    },
    /// Entries written as they come (insertion order).
    Object {
        first: bool,
        key_written: bool,
    },
    /// Entries for `sort_keys`: written straight out while they come in order, buffered
    /// (each key with its value's JSON text) from the first one that does not.
    Sorted {
        /// Each key with the range of its value's JSON text: in the output while the
        /// entries are in order, in `values` once they are buffered.
        entries: Vec<(Key, Range<usize>)>,
        /// The buffered values' JSON text, one after the other (one buffer for the object).
        values: Vec<u8>,
        pending: Option<Key>,
        /// Where the entries start in the output, while every key so far is a string
        /// greater than the one before: then they are written as they come, already in the
        /// order sorting would give, and no sort can fail (only keys of other types are
        /// unorderable or NaN).
        in_order: Option<usize>,
    },
    /// A `serde_json::Number`: the field is its text.
    Number,
    /// A `serde_json::value::RawValue`: the field is JSON text, written again in our dialect.
    RawValue,
}

impl Compound<'_, '_> {
    fn element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), WriteError> {
        if let State::Array { first } = &mut self.state {
            if !*first {
                self.writer.push(self.writer.dialect.item_separator);
            }
            *first = false;
        }
        value.serialize(&mut *self.writer)
    }

    /// In an object written in insertion order, writes the separator before a key and marks
    /// the key as written; `false` for the other states.
    fn begin_key(&mut self) -> Result<bool, WriteError> {
        let State::Object { first, key_written } = &mut self.state else {
            return Ok(false);
        };
        if *key_written {
            return Err(misuse("serialize_key called twice"));
        }
        if !*first {
            self.writer.push(self.writer.dialect.item_separator);
        }
        *first = false;
        *key_written = true;
        Ok(true)
    }

    /// A key of any serializable type: written straight into the output in insertion order
    /// (no `Key` is built for a `str` key), buffered with its Python value for `sort_keys`.
    fn any_key<T: ?Sized + Serialize>(&mut self, key: &T) -> Result<(), WriteError> {
        if self.begin_key()? {
            return key.serialize(DirectKey(&mut *self.writer));
        }
        let key = key.serialize(KeySerializer)?;
        self.key(key)
    }

    fn key(&mut self, key: Key) -> Result<(), WriteError> {
        if self.begin_key()? {
            self.writer.push_key(&key.text);
            return Ok(());
        }
        match &mut self.state {
            State::Sorted { pending, .. } => {
                if pending.replace(key).is_some() {
                    return Err(misuse("serialize_key called twice"));
                }
                Ok(())
            }
            // (`Object` was handled by `begin_key`.)
            State::Object { .. } | State::Array { .. } | State::Number | State::RawValue => {
                Err(misuse("map key outside a map"))
            }
        }
    }

    fn value<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), WriteError> {
        match &mut self.state {
            State::Object { key_written, .. } => {
                if !*key_written {
                    return Err(misuse("serialize_value called before serialize_key"));
                }
                *key_written = false;
                value.serialize(&mut *self.writer)
            }
            State::Sorted {
                entries,
                values,
                pending,
                in_order,
            } => {
                let key = pending
                    .take()
                    .ok_or_else(|| misuse("serialize_value called before serialize_key"))?;
                if in_order.is_some() {
                    let follows = key.is_str()
                        && entries
                            .last()
                            .is_none_or(|(last, _)| last.is_str() && last.text < key.text);
                    if follows {
                        if !entries.is_empty() {
                            self.writer.push(self.writer.dialect.item_separator);
                        }
                        self.writer.push_key(&key.text);
                        let start = self.writer.out.len();
                        value.serialize(&mut *self.writer)?;
                        entries.push((key, start..self.writer.out.len()));
                        return Ok(());
                    }
                    // Out of order: the entries so far move to the buffer, to be sorted
                    // with the rest.
                    for (_, range) in entries.iter_mut() {
                        let start = values.len();
                        values.extend_from_slice(
                            self.writer.out.get(range.clone()).unwrap_or_default(),
                        );
                        *range = start..values.len();
                    }
                    if let Some(start) = in_order.take() {
                        self.writer.out.truncate(start);
                    }
                }
                let start = values.len();
                let mut nested = Writer::new(values, self.writer.dialect);
                nested.depth = self.writer.depth;
                value.serialize(&mut nested)?;
                entries.push((key, start..values.len()));
                Ok(())
            }
            State::Array { .. } | State::Number | State::RawValue => {
                Err(misuse("map value outside a map"))
            }
        }
    }

    fn field<T: ?Sized + Serialize>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<(), WriteError> {
        match self.state {
            State::Number => {
                let text = capture_text(value)?;
                self.writer.push_number(&text)
            }
            State::RawValue => {
                let text = capture_text(value)?;
                let parsed: crate::Value = crate::from_slice(text.as_bytes())
                    .map_err(|e| WriteError::Custom(format!("invalid raw JSON value: {e}")))?;
                parsed.serialize(&mut *self.writer)
            }
            _ => {
                if self.begin_key()? {
                    self.writer.push_key(name);
                } else {
                    self.key(Key::string(name.to_owned()))?;
                }
                self.value(value)
            }
        }
    }

    fn finish(self) -> Result<(), WriteError> {
        let Compound {
            writer,
            state,
            variant,
        } = self;
        match state {
            State::Array { .. } => writer.push("]"),
            State::Object { key_written, .. } => {
                if key_written {
                    return Err(misuse("map key without a value"));
                }
                writer.push("}");
            }
            State::Sorted {
                mut entries,
                values,
                pending,
                in_order,
            } => {
                if pending.is_some() {
                    return Err(misuse("map key without a value"));
                }
                // Entries that came in order are written already.
                if in_order.is_none() {
                    sort_entries(&mut entries)?;
                    for (index, (key, value)) in entries.iter().enumerate() {
                        if index > 0 {
                            writer.push(writer.dialect.item_separator);
                        }
                        writer.push_key(&key.text);
                        let text = values.get(value.clone()).unwrap_or_default();
                        writer.out.extend_from_slice(text);
                    }
                }
                writer.push("}");
            }
            State::Number | State::RawValue => return Ok(()),
        }
        writer.depth = writer.depth.saturating_sub(1);
        if variant {
            writer.push("}");
            writer.depth = writer.depth.saturating_sub(1);
        }
        Ok(())
    }
}

fn misuse(what: &str) -> WriteError {
    WriteError::Custom(format!("serde API misuse: {what}"))
}

macro_rules! ints {
    ($($method:ident: $ty:ty),* $(,)?) => {
        $(
            fn $method(self, value: $ty) -> Result<(), WriteError> {
                self.push_int(value);
                Ok(())
            }
        )*
    };
}

impl<'w, 'a> ser::Serializer for &'w mut Writer<'a> {
    type Ok = ();
    type Error = WriteError;
    type SerializeSeq = Compound<'w, 'a>;
    type SerializeTuple = Compound<'w, 'a>;
    type SerializeTupleStruct = Compound<'w, 'a>;
    type SerializeTupleVariant = Compound<'w, 'a>;
    type SerializeMap = Compound<'w, 'a>;
    type SerializeStruct = Compound<'w, 'a>;
    type SerializeStructVariant = Compound<'w, 'a>;

    fn serialize_bool(self, value: bool) -> Result<(), WriteError> {
        self.push(if value { "true" } else { "false" });
        Ok(())
    }

    ints! {
        serialize_i8: i8, serialize_i16: i16, serialize_i32: i32, serialize_i64: i64,
        serialize_i128: i128, serialize_u8: u8, serialize_u16: u16, serialize_u32: u32,
        serialize_u64: u64, serialize_u128: u128,
    }

    fn serialize_f32(self, value: f32) -> Result<(), WriteError> {
        self.push_float(float::widen_f32(value))
    }

    fn serialize_f64(self, value: f64) -> Result<(), WriteError> {
        self.push_float(value)
    }

    fn serialize_char(self, value: char) -> Result<(), WriteError> {
        self.push_string(value.encode_utf8(&mut [0; 4]));
        Ok(())
    }

    fn serialize_str(self, value: &str) -> Result<(), WriteError> {
        self.push_string(value);
        Ok(())
    }

    /// Bytes are an array of integers, as serde_json writes them.
    fn serialize_bytes(self, value: &[u8]) -> Result<(), WriteError> {
        let mut array = self.array(false)?;
        for byte in value {
            array.element(byte)?;
        }
        array.finish()
    }

    fn serialize_none(self) -> Result<(), WriteError> {
        self.push("null");
        Ok(())
    }

    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Result<(), WriteError> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<(), WriteError> {
        self.serialize_none()
    }

    fn serialize_unit_struct(self, _: &'static str) -> Result<(), WriteError> {
        self.serialize_none()
    }

    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), WriteError> {
        self.push_string(variant);
        Ok(())
    }

    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), WriteError> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), WriteError> {
        // A one-entry object: nothing to sort.
        self.open_variant(variant)?;
        value.serialize(&mut *self)?;
        self.push("}");
        self.depth = self.depth.saturating_sub(1);
        Ok(())
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, WriteError> {
        self.array(false)
    }

    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, WriteError> {
        self.array(false)
    }

    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, WriteError> {
        self.array(false)
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, WriteError> {
        self.open_variant(variant)?;
        self.array(true)
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, WriteError> {
        self.object(false)
    }

    fn serialize_struct(
        self,
        name: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStruct, WriteError> {
        let state = match name {
            NUMBER_TOKEN => State::Number,
            RAW_VALUE_TOKEN => State::RawValue,
            _ => return self.object(false),
        };
        Ok(Compound {
            writer: self,
            state,
            variant: false,
        })
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, WriteError> {
        self.open_variant(variant)?;
        self.object(true)
    }
}

impl ser::SerializeSeq for Compound<'_, '_> {
    type Ok = ();
    type Error = WriteError;

    fn serialize_element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), WriteError> {
        self.element(value)
    }

    fn end(self) -> Result<(), WriteError> {
        self.finish()
    }
}

impl ser::SerializeTuple for Compound<'_, '_> {
    type Ok = ();
    type Error = WriteError;

    fn serialize_element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), WriteError> {
        self.element(value)
    }

    fn end(self) -> Result<(), WriteError> {
        self.finish()
    }
}

impl ser::SerializeTupleStruct for Compound<'_, '_> {
    type Ok = ();
    type Error = WriteError;

    fn serialize_field<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), WriteError> {
        self.element(value)
    }

    fn end(self) -> Result<(), WriteError> {
        self.finish()
    }
}

impl ser::SerializeTupleVariant for Compound<'_, '_> {
    type Ok = ();
    type Error = WriteError;

    fn serialize_field<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), WriteError> {
        self.element(value)
    }

    fn end(self) -> Result<(), WriteError> {
        self.finish()
    }
}

impl ser::SerializeMap for Compound<'_, '_> {
    type Ok = ();
    type Error = WriteError;

    fn serialize_key<T: ?Sized + Serialize>(&mut self, key: &T) -> Result<(), WriteError> {
        self.any_key(key)
    }

    fn serialize_value<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), WriteError> {
        self.value(value)
    }

    fn end(self) -> Result<(), WriteError> {
        self.finish()
    }
}

impl ser::SerializeStruct for Compound<'_, '_> {
    type Ok = ();
    type Error = WriteError;

    fn serialize_field<T: ?Sized + Serialize>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<(), WriteError> {
        self.field(name, value)
    }

    fn end(self) -> Result<(), WriteError> {
        self.finish()
    }
}

impl ser::SerializeStructVariant for Compound<'_, '_> {
    type Ok = ();
    type Error = WriteError;

    fn serialize_field<T: ?Sized + Serialize>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<(), WriteError> {
        self.field(name, value)
    }

    fn end(self) -> Result<(), WriteError> {
        self.finish()
    }
}

/// Writes an object key straight into the output (keys in insertion order): a `str` key, the
/// common case, is escaped in place without building a [`Key`]; any other key is stringified
/// by [`KeySerializer`], as Python's `json.dumps` stringifies it, and then written.
struct DirectKey<'w, 'a>(&'w mut Writer<'a>);

/// The error [`KeySerializer`] gives for a compound key (it accepts none).
fn compound_key_error<T>(result: Result<T, WriteError>) -> WriteError {
    match result {
        Err(error) => error,
        Ok(_) => misuse("a compound map key"),
    }
}

impl DirectKey<'_, '_> {
    fn write(self, key: Result<Key, WriteError>) -> Result<(), WriteError> {
        self.0.push_key(&key?.text);
        Ok(())
    }
}

/// Forwards the key methods that are not `str` to [`KeySerializer`].
macro_rules! forward_keys {
    ($($method:ident($($arg:ident: $ty:ty),*)),* $(,)?) => {
        $(
            fn $method(self, $($arg: $ty),*) -> Result<(), WriteError> {
                self.write(ser::Serializer::$method(KeySerializer, $($arg),*))
            }
        )*
    };
}

impl<'w, 'a> ser::Serializer for DirectKey<'w, 'a> {
    type Ok = ();
    type Error = WriteError;
    type SerializeSeq = ser::Impossible<(), WriteError>;
    type SerializeTuple = ser::Impossible<(), WriteError>;
    type SerializeTupleStruct = ser::Impossible<(), WriteError>;
    type SerializeTupleVariant = ser::Impossible<(), WriteError>;
    type SerializeMap = ser::Impossible<(), WriteError>;
    type SerializeStruct = DirectNumberKey<'w, 'a>;
    type SerializeStructVariant = ser::Impossible<(), WriteError>;

    fn serialize_str(self, value: &str) -> Result<(), WriteError> {
        self.0.push_key(value);
        Ok(())
    }

    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), WriteError> {
        self.0.push_key(variant);
        Ok(())
    }

    forward_keys! {
        serialize_bool(v: bool), serialize_i8(v: i8), serialize_i16(v: i16),
        serialize_i32(v: i32), serialize_i64(v: i64), serialize_i128(v: i128),
        serialize_u8(v: u8), serialize_u16(v: u16), serialize_u32(v: u32),
        serialize_u64(v: u64), serialize_u128(v: u128), serialize_f32(v: f32),
        serialize_f64(v: f64), serialize_char(v: char), serialize_bytes(v: &[u8]),
        serialize_none(), serialize_unit(), serialize_unit_struct(name: &'static str),
    }

    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Result<(), WriteError> {
        value.serialize(self)
    }

    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), WriteError> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), WriteError> {
        let key =
            ser::Serializer::serialize_newtype_variant(KeySerializer, name, index, variant, value);
        self.write(key)
    }

    fn serialize_seq(self, len: Option<usize>) -> Result<Self::SerializeSeq, WriteError> {
        Err(compound_key_error(ser::Serializer::serialize_seq(
            KeySerializer,
            len,
        )))
    }

    fn serialize_tuple(self, len: usize) -> Result<Self::SerializeTuple, WriteError> {
        Err(compound_key_error(ser::Serializer::serialize_tuple(
            KeySerializer,
            len,
        )))
    }

    fn serialize_tuple_struct(
        self,
        name: &'static str,
        len: usize,
    ) -> Result<Self::SerializeTupleStruct, WriteError> {
        Err(compound_key_error(ser::Serializer::serialize_tuple_struct(
            KeySerializer,
            name,
            len,
        )))
    }

    fn serialize_tuple_variant(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self::SerializeTupleVariant, WriteError> {
        Err(compound_key_error(
            ser::Serializer::serialize_tuple_variant(KeySerializer, name, index, variant, len),
        ))
    }

    fn serialize_map(self, len: Option<usize>) -> Result<Self::SerializeMap, WriteError> {
        Err(compound_key_error(ser::Serializer::serialize_map(
            KeySerializer,
            len,
        )))
    }

    fn serialize_struct(
        self,
        name: &'static str,
        len: usize,
    ) -> Result<Self::SerializeStruct, WriteError> {
        let inner = ser::Serializer::serialize_struct(KeySerializer, name, len)?;
        Ok(DirectNumberKey {
            inner,
            writer: self.0,
        })
    }

    fn serialize_struct_variant(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self::SerializeStructVariant, WriteError> {
        Err(compound_key_error(
            ser::Serializer::serialize_struct_variant(KeySerializer, name, index, variant, len),
        ))
    }
}

/// A `serde_json::Number` key written straight into the output.
struct DirectNumberKey<'w, 'a> {
    inner: NumberKey,
    writer: &'w mut Writer<'a>,
}

impl ser::SerializeStruct for DirectNumberKey<'_, '_> {
    type Ok = ();
    type Error = WriteError;

    fn serialize_field<T: ?Sized + Serialize>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<(), WriteError> {
        self.inner.serialize_field(name, value)
    }

    fn end(self) -> Result<(), WriteError> {
        let key = ser::SerializeStruct::end(self.inner)?;
        self.writer.push_key(&key.text);
        Ok(())
    }
}
