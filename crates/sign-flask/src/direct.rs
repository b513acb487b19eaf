//! Writing a value to Flask's tagged JSON without building its [`SessionValue`] tree first,
//! when the value needs no tag of its own.
//!
//! [`TaggedJsonCodec`](crate::TaggedJsonCodec) turns any `Serialize` value into a session
//! tree ([`to_session_value`](crate::to_session_value)) and writes the tree. For the usual
//! session, a [`Session`](crate::Session) or a map or struct of [`SessionValue`]s, strings,
//! numbers and lists, that tree is a copy of the value: every string cloned, every dict
//! rebuilt, each [`SessionValue`] tagged and untagged again. [`write_direct`] writes such a
//! value straight into the output instead, and gives up (writing nothing) at the first
//! thing whose meaning the tree would change, so that the caller takes the tree path for it:
//!
//! * tuples, bytes and enum variants, which the tree tags or reshapes;
//! * a map key the tree would refuse, or that begins with a space (a one-key dict of a tag key
//!   is escaped as `" di"` by the tree's writer);
//! * keys that do not arrive in strictly increasing order (the tree sorts them and keeps the
//!   last of equal keys);
//! * NaN and infinite floats (an error the tree reports), structs with serde's private names
//!   (`$...`: numbers and raw values, which the tree reads back differently), unit structs;
//! * any error at all, such as the depth limit: the tree path reports it.
//!
//! A value that gives up has been written up to that point for nothing (a struct whose
//! fields are not in order gives up at its first field out of order); such values cost what
//! they did before plus that part.
//!
//! The serializer here is not the JSON writer's: it writes brackets, separators and keys
//! itself, straight into the output (no sort state, no key copied per entry), writes `null`,
//! booleans and integers of up to 64 bits with the same digits, and leaves strings, floats
//! and wider integers to the JSON writer ([`python_json::write`] on the scalar alone:
//! Python's escaping and float repr). A [`SessionValue`] (already in tagged form behind
//! [`TOKEN`], as are `Markup`, `Uuid` and `HttpDate`, whose `Serialize` impls write it) is
//! written in the same way, trusted: trust goes with that private newtype name, which only
//! this crate's tagging writes, and its dicts come from a `BTreeMap` of string keys, so in
//! the strictly increasing order the writer's `sort_keys` would give, and its one-key tag
//! dicts are already escaped, so no key of it is checked. Its big integers (serde_json's
//! number protocol) go to the JSON writer as the number struct it would have seen. What it
//! writes is therefore what the tree path writes: the same scalars, lists and dicts in the
//! same order, nested no deeper than the writer's [`MAX_DEPTH`](python_json::MAX_DEPTH).
//! `f32` is widened as the tree widens it. A test compares both paths on generated sessions,
//! including every case that gives up.

use std::fmt;

use python_json::{self as json, Dialect, NUMBER_TOKEN};
use serde::ser::{self, Impossible, Serialize, Serializer};

use crate::ser::KeySerializer;
use crate::value::TOKEN;

#[cfg(doc)]
use crate::SessionValue;

/// Appends `value`'s tagged JSON to `out` and returns `true`, or returns `false` with `out`
/// as it was (the bytes written past its end wiped) when the value needs the tree path.
pub(crate) fn write_direct<T: Serialize + ?Sized>(value: &T, out: &mut Vec<u8>) -> bool {
    let start = out.len();
    let mut output = Output { out, depth: 0 };
    let serializer = DirectSerializer {
        output: &mut output,
        trusted: false,
    };
    if value.serialize(serializer).is_ok() {
        return true;
    }
    if let Some(written) = out.get_mut(start..) {
        written.fill(0);
    }
    out.truncate(start);
    false
}

/// The reason [`write_direct`] gives up (never shown: the tree path runs instead).
#[derive(Debug)]
struct NeedsTree;

impl fmt::Display for NeedsTree {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the value needs the session tree")
    }
}

impl std::error::Error for NeedsTree {}

impl ser::Error for NeedsTree {
    fn custom<T: fmt::Display>(_msg: T) -> Self {
        Self
    }
}

/// The output and the lists and dicts open around the value being written.
struct Output<'a> {
    out: &'a mut Vec<u8>,
    depth: usize,
}

impl Output<'_> {
    /// A scalar, written by the JSON writer as it writes it inside any value.
    fn scalar<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), NeedsTree> {
        json::write(value, Dialect::FLASK, self.out).map_err(|_| NeedsTree)
    }

    /// Opens a list or dict, refused past the writer's depth limit as the writer refuses it.
    fn open(&mut self, bracket: u8) -> Result<(), NeedsTree> {
        if self.depth >= json::MAX_DEPTH {
            return Err(NeedsTree);
        }
        self.depth += 1;
        self.out.push(bracket);
        Ok(())
    }

    fn close(&mut self, bracket: u8) {
        self.depth = self.depth.saturating_sub(1);
        self.out.push(bracket);
    }

    /// The separator before an element or entry, but the first.
    fn separate(&mut self, first: &mut bool) {
        if !*first {
            self.out.push(b',');
        }
        *first = false;
    }

    /// `"key":`, the key escaped as the writer escapes strings.
    fn key(&mut self, key: &str) -> Result<(), NeedsTree> {
        self.scalar(key)?;
        self.out.push(b':');
        Ok(())
    }

    /// An integer's digits (what the writer writes for it).
    fn unsigned(&mut self, negative: bool, mut value: u64) {
        let mut digits = [0_u8; 20];
        let mut at = digits.len();
        loop {
            at -= 1;
            if let Some(digit) = digits.get_mut(at) {
                // `value % 10` is below 10.
                *digit = b'0' + (value % 10) as u8;
            }
            value /= 10;
            if value == 0 || at == 0 {
                break;
            }
        }
        if negative {
            self.out.push(b'-');
        }
        self.out
            .extend_from_slice(digits.get(at..).unwrap_or_default());
    }

    fn signed(&mut self, value: i64) {
        self.unsigned(value < 0, value.unsigned_abs());
    }
}

/// Writes what the session tree would keep as it is; `trusted` inside a [`SessionValue`].
struct DirectSerializer<'o, 'a> {
    output: &'o mut Output<'a>,
    trusted: bool,
}

/// Writes unsigned integers of up to 64 bits.
macro_rules! unsigned {
    ($($method:ident($type:ty)),* $(,)?) => {
        $(fn $method(self, v: $type) -> Result<(), NeedsTree> {
            self.output.unsigned(false, u64::from(v));
            Ok(())
        })*
    };
}

/// Writes signed integers of up to 64 bits.
macro_rules! signed {
    ($($method:ident($type:ty)),* $(,)?) => {
        $(fn $method(self, v: $type) -> Result<(), NeedsTree> {
            self.output.signed(i64::from(v));
            Ok(())
        })*
    };
}

impl<'o, 'a> Serializer for DirectSerializer<'o, 'a> {
    type Ok = ();
    type Error = NeedsTree;
    type SerializeSeq = DirectSeq<'o, 'a>;
    type SerializeTuple = Impossible<(), NeedsTree>;
    type SerializeTupleStruct = DirectSeq<'o, 'a>;
    type SerializeTupleVariant = Impossible<(), NeedsTree>;
    type SerializeMap = DirectMap<'o, 'a>;
    type SerializeStruct = DirectStruct<'o, 'a>;
    type SerializeStructVariant = Impossible<(), NeedsTree>;

    unsigned!(
        serialize_u8(u8),
        serialize_u16(u16),
        serialize_u32(u32),
        serialize_u64(u64)
    );
    signed!(
        serialize_i8(i8),
        serialize_i16(i16),
        serialize_i32(i32),
        serialize_i64(i64)
    );

    fn serialize_bool(self, v: bool) -> Result<(), NeedsTree> {
        let text: &[u8] = if v { b"true" } else { b"false" };
        self.output.out.extend_from_slice(text);
        Ok(())
    }
    fn serialize_i128(self, v: i128) -> Result<(), NeedsTree> {
        self.output.scalar(&v)
    }
    fn serialize_u128(self, v: u128) -> Result<(), NeedsTree> {
        self.output.scalar(&v)
    }
    fn serialize_char(self, v: char) -> Result<(), NeedsTree> {
        self.output.scalar(&v)
    }
    fn serialize_str(self, v: &str) -> Result<(), NeedsTree> {
        self.output.scalar(v)
    }
    fn serialize_f32(self, v: f32) -> Result<(), NeedsTree> {
        // The tree widens an `f32` exactly (`f64::from`), so its shortest `f64` text is written.
        self.serialize_f64(f64::from(v))
    }
    fn serialize_f64(self, v: f64) -> Result<(), NeedsTree> {
        // NaN and the infinities: an error the tree path reports.
        self.output.scalar(&v)
    }
    fn serialize_bytes(self, _v: &[u8]) -> Result<(), NeedsTree> {
        Err(NeedsTree)
    }
    fn serialize_none(self) -> Result<(), NeedsTree> {
        self.output.out.extend_from_slice(b"null");
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), NeedsTree> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), NeedsTree> {
        self.serialize_none()
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), NeedsTree> {
        Err(NeedsTree)
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
    ) -> Result<(), NeedsTree> {
        Err(NeedsTree)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        value: &T,
    ) -> Result<(), NeedsTree> {
        // A session value: already the tagged form, written as it is.
        let trusted = self.trusted || name == TOKEN;
        value.serialize(DirectSerializer {
            output: self.output,
            trusted,
        })
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result<(), NeedsTree> {
        Err(NeedsTree)
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<DirectSeq<'o, 'a>, NeedsTree> {
        self.output.open(b'[')?;
        Ok(DirectSeq {
            output: self.output,
            trusted: self.trusted,
            first: true,
        })
    }
    fn serialize_tuple(self, _len: usize) -> Result<Self::SerializeTuple, NeedsTree> {
        Err(NeedsTree)
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        len: usize,
    ) -> Result<DirectSeq<'o, 'a>, NeedsTree> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant, NeedsTree> {
        Err(NeedsTree)
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<DirectMap<'o, 'a>, NeedsTree> {
        self.output.open(b'{')?;
        Ok(DirectMap {
            output: self.output,
            trusted: self.trusted,
            first: true,
            last: LastKey::None,
            key_pending: false,
        })
    }
    fn serialize_struct(
        self,
        name: &'static str,
        _len: usize,
    ) -> Result<DirectStruct<'o, 'a>, NeedsTree> {
        if name.starts_with('$') {
            // A session value's big integer goes to the writer as the struct it would see.
            if self.trusted && name == NUMBER_TOKEN {
                return Ok(DirectStruct {
                    output: self.output,
                    trusted: true,
                    number: true,
                    first: true,
                    last: None,
                });
            }
            return Err(NeedsTree);
        }
        self.output.open(b'{')?;
        Ok(DirectStruct {
            output: self.output,
            trusted: self.trusted,
            number: false,
            first: true,
            last: None,
        })
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant, NeedsTree> {
        Err(NeedsTree)
    }
}

/// A list (a sequence or a tuple struct), its elements written directly.
struct DirectSeq<'o, 'a> {
    output: &'o mut Output<'a>,
    trusted: bool,
    first: bool,
}

impl DirectSeq<'_, '_> {
    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), NeedsTree> {
        self.output.separate(&mut self.first);
        value.serialize(DirectSerializer {
            output: self.output,
            trusted: self.trusted,
        })
    }
}

impl ser::SerializeSeq for DirectSeq<'_, '_> {
    type Ok = ();
    type Error = NeedsTree;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), NeedsTree> {
        self.element(value)
    }
    fn end(self) -> Result<(), NeedsTree> {
        self.output.close(b']');
        Ok(())
    }
}

impl ser::SerializeTupleStruct for DirectSeq<'_, '_> {
    type Ok = ();
    type Error = NeedsTree;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), NeedsTree> {
        self.element(value)
    }
    fn end(self) -> Result<(), NeedsTree> {
        self.output.close(b']');
        Ok(())
    }
}

/// Whether a dict's key can be written where it comes: it does not begin with a space (no
/// tag key, so no `" di"` escape) and is greater than the key before it (compared as bytes,
/// which for UTF-8 is the order of the characters, the order Python sorts strings in).
fn in_order(key: &str, last: Option<&[u8]>) -> bool {
    !key.starts_with(' ') && last.is_none_or(|last| key.as_bytes() > last)
}

/// The previous key of a dict, kept to check the next one's order.
enum LastKey {
    /// No key yet.
    None,
    /// A key that needed no escape: its text is in the output, at this range.
    Written(core::ops::Range<usize>),
    /// A key that was escaped: a copy.
    Copied(String),
}

/// A dict from a map: its keys checked (unless trusted) and written, its values written
/// directly. A map that breaks serde's key-value-key order (two keys in a row, a value
/// without a key, a key without a value) goes to the tree path, whose writer reports it.
struct DirectMap<'o, 'a> {
    output: &'o mut Output<'a>,
    trusted: bool,
    first: bool,
    last: LastKey,
    /// A key is written and its value is not yet.
    key_pending: bool,
}

impl DirectMap<'_, '_> {
    /// Checks and writes a key given as a string.
    fn str_key(&mut self, key: &str) -> Result<(), NeedsTree> {
        self.output.separate(&mut self.first);
        if self.trusted {
            return self.output.key(key);
        }
        let last = match &self.last {
            LastKey::None => None,
            LastKey::Written(range) => Some(self.output.out.get(range.clone()).ok_or(NeedsTree)?),
            LastKey::Copied(text) => Some(text.as_bytes()),
        };
        if !in_order(key, last) {
            return Err(NeedsTree);
        }
        let start = self.output.out.len();
        self.output.key(key)?;
        // Quotes and the colon only: the text is the key's own.
        self.last = if self.output.out.len() - start == key.len() + 3 {
            LastKey::Written(start + 1..start + 1 + key.len())
        } else {
            LastKey::Copied(key.to_owned())
        };
        Ok(())
    }
}

impl ser::SerializeMap for DirectMap<'_, '_> {
    type Ok = ();
    type Error = NeedsTree;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), NeedsTree> {
        if self.key_pending {
            return Err(NeedsTree);
        }
        match key.serialize(StrKey(self)) {
            Err(KeyError::NotStr) => {
                if self.trusted {
                    return Err(NeedsTree);
                }
                // Any other key: stringified as the tree stringifies keys (a key the tree
                // refuses goes to the tree path, which reports it).
                let key = key.serialize(KeySerializer).map_err(|_| NeedsTree)?;
                self.str_key(&key)?;
            }
            other => other.map_err(|_| NeedsTree)?,
        }
        self.key_pending = true;
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), NeedsTree> {
        if !self.key_pending {
            return Err(NeedsTree);
        }
        self.key_pending = false;
        value.serialize(DirectSerializer {
            output: self.output,
            trusted: self.trusted,
        })
    }
    fn end(self) -> Result<(), NeedsTree> {
        if self.key_pending {
            return Err(NeedsTree);
        }
        self.output.close(b'}');
        Ok(())
    }
}

/// Why [`StrKey`] did not write a key.
#[derive(Debug)]
enum KeyError {
    /// The key is not given as a string: it is stringified instead.
    NotStr,
    /// The key is out of order (or any other reason to give up).
    NeedsTree,
}

impl fmt::Display for KeyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not a string key")
    }
}

impl std::error::Error for KeyError {}

impl ser::Error for KeyError {
    fn custom<T: fmt::Display>(_msg: T) -> Self {
        Self::NeedsTree
    }
}

/// Writes a key given as a string (the common case) without a copy; anything else is
/// [`KeyError::NotStr`], for [`KeySerializer`] to stringify.
struct StrKey<'m, 'o, 'a>(&'m mut DirectMap<'o, 'a>);

/// Key methods that are not `str`.
macro_rules! not_str {
    ($($method:ident($($arg:ident: $ty:ty),*)),* $(,)?) => {
        $(fn $method(self, $($arg: $ty),*) -> Result<(), KeyError> {
            let _ = ($($arg),*);
            Err(KeyError::NotStr)
        })*
    };
}

/// Compound key methods.
macro_rules! compound_key {
    ($($method:ident($($arg:ident: $ty:ty),*) -> $out:ident),* $(,)?) => {
        $(fn $method(self, $($arg: $ty),*) -> Result<Self::$out, KeyError> {
            let _ = ($($arg),*);
            Err(KeyError::NotStr)
        })*
    };
}

impl Serializer for StrKey<'_, '_, '_> {
    type Ok = ();
    type Error = KeyError;
    type SerializeSeq = Impossible<(), KeyError>;
    type SerializeTuple = Impossible<(), KeyError>;
    type SerializeTupleStruct = Impossible<(), KeyError>;
    type SerializeTupleVariant = Impossible<(), KeyError>;
    type SerializeMap = Impossible<(), KeyError>;
    type SerializeStruct = Impossible<(), KeyError>;
    type SerializeStructVariant = Impossible<(), KeyError>;

    fn serialize_str(self, v: &str) -> Result<(), KeyError> {
        self.0.str_key(v).map_err(|_| KeyError::NeedsTree)
    }

    not_str!(
        serialize_bool(v: bool), serialize_i8(v: i8), serialize_i16(v: i16),
        serialize_i32(v: i32), serialize_i64(v: i64), serialize_i128(v: i128),
        serialize_u8(v: u8), serialize_u16(v: u16), serialize_u32(v: u32),
        serialize_u64(v: u64), serialize_u128(v: u128), serialize_f32(v: f32),
        serialize_f64(v: f64), serialize_char(v: char), serialize_bytes(v: &[u8]),
        serialize_none(), serialize_unit(), serialize_unit_struct(name: &'static str),
        serialize_unit_variant(name: &'static str, index: u32, variant: &'static str),
    );

    compound_key!(
        serialize_seq(len: Option<usize>) -> SerializeSeq,
        serialize_tuple(len: usize) -> SerializeTuple,
        serialize_tuple_struct(name: &'static str, len: usize) -> SerializeTupleStruct,
        serialize_tuple_variant(
            name: &'static str, index: u32, variant: &'static str, len: usize
        ) -> SerializeTupleVariant,
        serialize_map(len: Option<usize>) -> SerializeMap,
        serialize_struct(name: &'static str, len: usize) -> SerializeStruct,
        serialize_struct_variant(
            name: &'static str, index: u32, variant: &'static str, len: usize
        ) -> SerializeStructVariant,
    );

    fn serialize_some<T: Serialize + ?Sized>(self, _value: &T) -> Result<(), KeyError> {
        Err(KeyError::NotStr)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _value: &T,
    ) -> Result<(), KeyError> {
        Err(KeyError::NotStr)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result<(), KeyError> {
        Err(KeyError::NotStr)
    }
}

/// A dict from a struct: its field names checked as keys (unless trusted), its values
/// written directly; or (`number`) a session value's big integer.
struct DirectStruct<'o, 'a> {
    output: &'o mut Output<'a>,
    trusted: bool,
    number: bool,
    first: bool,
    last: Option<&'static str>,
}

/// serde_json's number struct, given again to the JSON writer with one of its fields.
struct NumberField<'v, T: ?Sized>(&'static str, &'v T);

impl<T: Serialize + ?Sized> Serialize for NumberField<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut number = serializer.serialize_struct(NUMBER_TOKEN, 1)?;
        ser::SerializeStruct::serialize_field(&mut number, self.0, self.1)?;
        ser::SerializeStruct::end(number)
    }
}

impl ser::SerializeStruct for DirectStruct<'_, '_> {
    type Ok = ();
    type Error = NeedsTree;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), NeedsTree> {
        if self.number {
            // The writer writes each field of a number struct as the number's text.
            return self.output.scalar(&NumberField(key, value));
        }
        if !self.trusted && !in_order(key, self.last.map(str::as_bytes)) {
            return Err(NeedsTree);
        }
        self.last = Some(key);
        self.output.separate(&mut self.first);
        self.output.key(key)?;
        value.serialize(DirectSerializer {
            output: self.output,
            trusted: self.trusted,
        })
    }
    fn end(self) -> Result<(), NeedsTree> {
        if !self.number {
            self.output.close(b'}');
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use proptest::prelude::*;
    use python_json::{self as json, Dialect, Number};
    use serde::Serialize;
    use serde::ser::{SerializeMap, Serializer};

    use super::write_direct;
    use crate::{HttpDate, Markup, Session, SessionValue, TaggedJsonCodec, Uuid, to_session_value};
    use sign_serde::PayloadCodec;

    /// What the codec wrote before this path: the session tree, then the writer.
    fn through_the_tree<T: Serialize + ?Sized>(value: &T) -> Option<Vec<u8>> {
        let tree = to_session_value(value).ok()?;
        json::to_vec(&tree, Dialect::FLASK).ok()
    }

    /// Whether `write_direct` wrote `value`; asserts that what it wrote is the tree's text,
    /// that it leaves `out` as it was when it gives up, and that the codec (either path)
    /// writes the tree's text or fails where the tree fails.
    fn direct_agrees<T: Serialize + ?Sized>(value: &T) -> bool {
        let tree = through_the_tree(value);
        let mut out = b"before".to_vec();
        let wrote = write_direct(value, &mut out);
        if wrote {
            assert_eq!(
                out.get(6..),
                tree.as_deref(),
                "direct and tree texts differ"
            );
        } else {
            assert_eq!(out, b"before", "a path that gave up left output behind");
        }
        let mut encoded = Vec::new();
        let ok = TaggedJsonCodec.encode(value, &mut encoded).is_ok();
        assert_eq!(ok.then_some(encoded), tree, "the codec and the tree differ");
        wrote
    }

    fn leaf() -> impl Strategy<Value = SessionValue> {
        let keyish = prop::sample::select(vec![" t", " di", " b", "a", "b", " x", "", "é"]);
        prop_oneof![
            Just(SessionValue::Null),
            any::<bool>().prop_map(SessionValue::Bool),
            any::<i64>().prop_map(|n| SessionValue::Number(n.into())),
            any::<i128>().prop_map(|n| SessionValue::Number(n.into())),
            any::<f64>()
                .prop_filter_map("finite", |f| Number::from_f64(f).map(SessionValue::Number)),
            ".{0,12}".prop_map(SessionValue::String),
            keyish.prop_map(|s| SessionValue::String(s.to_owned())),
            prop::collection::vec(any::<u8>(), 0..8).prop_map(SessionValue::Bytes),
            ".{0,8}".prop_map(|s| SessionValue::Markup(Markup::new(s))),
            any::<[u8; 16]>().prop_map(|b| SessionValue::Uuid(Uuid::from_bytes(b))),
            (0i64..4_000_000_000).prop_filter_map("in range", |s| HttpDate::from_unix_seconds(s)
                .map(SessionValue::DateTime)),
        ]
    }

    fn key() -> impl Strategy<Value = String> {
        prop_oneof![
            prop::sample::select(vec![
                " t", " di", " b", " m", " u", " d", " x", "a", "b", "_id"
            ])
            .prop_map(str::to_owned),
            ".{0,6}",
        ]
    }

    fn session_value() -> impl Strategy<Value = SessionValue> {
        leaf().prop_recursive(4, 32, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(SessionValue::List),
                prop::collection::vec(inner.clone(), 0..4).prop_map(SessionValue::Tuple),
                prop::collection::btree_map(key(), inner, 0..4).prop_map(SessionValue::Dict),
            ]
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// A session of session values is written directly unless a key would need the
        /// `" di"` escape (begins with a space), and always as the tree writes it.
        #[test]
        fn sessions_are_written_as_the_tree_writes_them(
            session in prop::collection::btree_map(key(), session_value(), 0..5),
        ) {
            let wrote = direct_agrees(&session);
            prop_assert_eq!(wrote, !session.keys().any(|k| k.starts_with(' ')));
            let value = SessionValue::Dict(session);
            prop_assert!(direct_agrees(&value), "a session value is always already tagged");
        }

        /// Plain Rust values: the same text either way, whichever path writes it.
        #[test]
        fn plain_values_are_written_as_the_tree_writes_them(
            strings in prop::collection::btree_map(key(), ".{0,6}", 0..4),
            numbers in prop::collection::btree_map(any::<i32>(), any::<f32>(), 0..4),
            list in prop::collection::vec(any::<Option<f64>>(), 0..4),
        ) {
            let strings_direct = direct_agrees(&strings);
            prop_assert_eq!(strings_direct, !strings.keys().any(|k| k.starts_with(' ')));
            // Integer keys are stringified, so their order is the text's: direct only when
            // that order is increasing.
            direct_agrees(&numbers);
            let finite = list.iter().flatten().all(|f| f.is_finite());
            prop_assert_eq!(direct_agrees(&list), finite);
        }

        /// Integers of every width (the direct path writes up to 64 bits itself), chars, and
        /// keys that need escapes (their order then checked against a copy, not the output).
        #[test]
        fn integers_and_escaped_keys_are_written_as_the_tree_writes_them(
            signed in prop::collection::vec(any::<i64>(), 0..4),
            unsigned in prop::collection::vec(any::<u64>(), 0..4),
            small in any::<(i8, i16, i32, u8, u16, u32)>(),
            wide in any::<(i128, u128)>(),
            chars in prop::collection::vec(any::<char>(), 0..4),
            keys in prop::collection::vec(prop_oneof![
                prop::sample::select(vec!["é", "éa", "\"", "\\", "\u{1}", "a\"", "😀", "~"])
                    .prop_map(str::to_owned),
                ".{0,4}",
            ], 0..6),
        ) {
            prop_assert!(direct_agrees(&signed));
            prop_assert!(direct_agrees(&unsigned));
            prop_assert!(direct_agrees(&[small.0.into(), small.1.into(), small.2.into()] as &[i64]));
            prop_assert!(direct_agrees(&[small.3.into(), small.4.into(), small.5.into()] as &[u64]));
            prop_assert!(direct_agrees(&Tuple3(small.0, small.4, small.5)));
            prop_assert!(direct_agrees(&Wide(wide.0, wide.1)));
            prop_assert!(direct_agrees(&chars));
            // Keys in the order given: direct exactly when that order is strictly increasing.
            let pairs: Vec<(String, u32)> = keys.iter().cloned().zip(0..).collect();
            let increasing = keys.windows(2).all(|w| w.first() < w.get(1));
            let plain = !keys.iter().any(|k| k.starts_with(' '));
            prop_assert_eq!(direct_agrees(&Pairs(pairs)), increasing && plain);
            let session: Session = keys.iter().map(|k| (k.clone(), SessionValue::from(k.as_str()))).collect();
            prop_assert!(direct_agrees(&SessionValue::Dict(session)), "a session value is written directly");
        }
    }

    #[derive(Serialize)]
    struct Sorted {
        _fresh: bool,
        _id: String,
        cart: Vec<(String, u32)>,
        csrf_token: Option<String>,
    }

    #[derive(Serialize)]
    struct Unsorted {
        user: u32,
        email: &'static str,
    }

    #[derive(Serialize)]
    struct Unit;

    /// A number as serde_json's `arbitrary_precision` writes one.
    #[derive(Serialize)]
    #[serde(rename = "$serde_json::private::Number")]
    struct BigNumber {
        #[serde(rename = "$serde_json::private::Number")]
        number: &'static str,
    }

    #[derive(Serialize)]
    enum Kind {
        A,
        B(u32),
        C(u32, u32),
        D { x: u32 },
    }

    #[derive(Serialize)]
    struct Tuple(u32, String);

    /// Keys given in the order written, duplicates included (the tree keeps the last).
    struct Pairs<K>(Vec<(K, u32)>);

    impl<K: Serialize> Serialize for Pairs<K> {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let mut map = serializer.serialize_map(Some(self.0.len()))?;
            for (key, value) in &self.0 {
                map.serialize_entry(key, value)?;
            }
            map.end()
        }
    }

    /// A map `Serialize` that calls `serialize_key` and `serialize_value` in the order given,
    /// right or wrong.
    struct MapCalls(Vec<MapCall>);

    enum MapCall {
        Key(&'static str),
        Value(u32),
    }

    impl Serialize for MapCalls {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let mut map = serializer.serialize_map(None)?;
            for call in &self.0 {
                match call {
                    MapCall::Key(key) => map.serialize_key(key)?,
                    MapCall::Value(value) => map.serialize_value(value)?,
                }
            }
            map.end()
        }
    }

    #[derive(Serialize)]
    struct Tuple3(i8, u16, u32);

    #[derive(Serialize)]
    struct Wide(i128, u128);

    /// Bytes given as bytes (what `serde_bytes` does).
    struct Raw(&'static [u8]);

    impl Serialize for Raw {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            serializer.serialize_bytes(self.0)
        }
    }

    fn nested(depth: usize) -> serde_json::Value {
        (0..depth).fold(serde_json::Value::Null, |inner, _| {
            serde_json::Value::Array(vec![inner])
        })
    }

    #[test]
    fn what_the_tree_would_change_goes_through_the_tree() {
        let cart_session = Sorted {
            _fresh: true,
            _id: "a8".repeat(64),
            cart: vec![("BK-1042".into(), 1)],
            csrf_token: None,
        };
        // Sorted struct fields, a list inside: direct, except the tuples inside the list.
        assert!(!direct_agrees(&cart_session));
        let login = BTreeMap::from([("_fresh", true), ("_permanent", false)]);
        assert!(direct_agrees(&login));
        let mut session = Session::new();
        session.insert("_fresh".into(), true.into());
        session.insert("_user_id".into(), "42".into());
        session.insert("cart".into(), SessionValue::Tuple(vec![1.into()]));
        assert!(
            direct_agrees(&session),
            "session values carry their own tags"
        );

        assert!(!direct_agrees(&Unsorted {
            user: 1,
            email: "a@b"
        }));
        assert!(!direct_agrees(&Unit));
        for kind in [Kind::A, Kind::B(1), Kind::C(1, 2), Kind::D { x: 1 }] {
            assert!(!direct_agrees(&kind));
        }
        assert!(!direct_agrees(&(1, "a")));
        assert!(
            direct_agrees(&Tuple(1, "a".into())),
            "a tuple struct is a list to the tree"
        );
        assert!(direct_agrees(&Pairs(vec![("a", 1), ("b", 2)])));
        assert!(!direct_agrees(&Pairs(vec![("b", 1), ("a", 2)])));
        assert!(
            !direct_agrees(&Pairs(vec![("a", 1), ("a", 2)])),
            "the tree keeps the last"
        );
        // A map that breaks serde's key-value order goes to the tree, whose writer refuses it
        // (the direct path must never write `{"a":}` or `{1}`).
        use MapCall::{Key, Value};
        assert!(direct_agrees(&MapCalls(vec![Key("a"), Value(1)])));
        for calls in [
            vec![Key("a")],
            vec![Value(1)],
            vec![Key("a"), Key("b"), Value(1)],
            vec![Key("a"), Value(1), Value(2)],
        ] {
            assert!(!direct_agrees(&MapCalls(calls)));
        }
        assert!(
            !direct_agrees(&BTreeMap::from([(" t", 1)])),
            "escaped as \" di\""
        );
        assert!(!direct_agrees(&Raw(b"\x00\xff")));
        assert!(!direct_agrees(&f64::NAN));
        assert!(!direct_agrees(&f32::INFINITY));
        assert!(direct_agrees(&0.1f32), "widened as the tree widens it");
        assert!(direct_agrees(&'x'));
        assert!(direct_agrees(&()));
        for n in [i64::MIN, -1, 0, 9, 10, i64::MAX] {
            assert!(direct_agrees(&n));
        }
        assert!(direct_agrees(&vec![0, 9, 10, 99, 100, u64::MAX]));
        // A session value's big integer (serde_json's number protocol) inside a session.
        let big = BTreeMap::from([(
            "n".to_owned(),
            SessionValue::Number(Number::from(i128::MIN)),
        )]);
        assert!(direct_agrees(&big));
        assert!(direct_agrees(&vec![SessionValue::Number(Number::from(
            u128::MAX
        ))]));
        // Keys stringified as the tree stringifies them, written when that text is in order.
        assert!(direct_agrees(&BTreeMap::from([(true, 1), (false, 2)])));
        assert!(
            !direct_agrees(&BTreeMap::from([(2, 1), (10, 2)])),
            "\"10\" < \"2\""
        );
        // serde_json's number protocol (a `$`-named struct): the tree reads it back itself.
        assert!(!direct_agrees(&BigNumber {
            number: "123456789012345678901234567890",
        }));
        // The depth limits: both paths refuse (or accept) the same nesting.
        for depth in [
            python_json::MAX_DEPTH - 1,
            python_json::MAX_DEPTH,
            python_json::MAX_DEPTH + 1,
        ] {
            let value = nested(depth);
            let wrote = direct_agrees(&value);
            assert_eq!(wrote, through_the_tree(&value).is_some(), "depth {depth}");
        }
    }
}
