//! Writing a value to Flask's tagged JSON without building its [`SessionValue`] tree first,
//! when the value needs no tag of its own.
//!
//! [`TaggedJsonCodec`](crate::TaggedJsonCodec) turns any `Serialize` value into a session
//! tree ([`to_session_value`](crate::to_session_value)) and writes the tree. For the usual
//! session, a [`Session`](crate::Session) or a map or struct of [`SessionValue`]s, strings,
//! numbers and lists, that tree is a copy of the value: every string cloned, every dict
//! rebuilt, each [`SessionValue`] tagged and untagged again. [`write_direct`] writes such a
//! value straight to the JSON writer instead, and gives up (writing nothing) at the first
//! thing whose meaning the tree would change, so that the caller takes the tree path for it:
//!
//! * tuples, bytes and enum variants, which the tree tags or reshapes;
//! * a map key the tree would refuse, or that begins with a space (a one-key dict of a tag key
//!   is escaped as `" di"` by the tree's writer);
//! * keys that do not arrive in strictly increasing order (the tree sorts them and keeps the
//!   last of equal keys);
//! * NaN and infinite floats (an error the tree reports), structs with serde's private names
//!   (`$...`: numbers and raw values, which the tree reads back differently), unit structs;
//! * any error at all, such as the writer's depth limit: the tree path reports it.
//!
//! A value that gives up has been written up to that point for nothing (a struct whose
//! fields are not in order gives up at its first field out of order); such values cost what
//! they did before plus that part.
//!
//! What it does write is therefore what the tree path writes: the same scalars, lists and
//! dicts in the same order, and [`SessionValue`]s (already in tagged form behind
//! [`TOKEN`]) written by the same writer. `f32` is widened as the tree widens it. A test
//! compares both paths on generated sessions, including every case that gives up.

use python_json::{self as json, Dialect};
use serde::ser::{self, Impossible, Serialize, Serializer};

use crate::ser::KeySerializer;
use crate::value::TOKEN;

#[cfg(doc)]
use crate::SessionValue;

/// Appends `value`'s tagged JSON to `out` and returns `true`, or returns `false` with `out`
/// as it was (the bytes written past its end wiped) when the value needs the tree path.
pub(crate) fn write_direct<T: Serialize + ?Sized>(value: &T, out: &mut Vec<u8>) -> bool {
    let start = out.len();
    if json::write(&Direct(value), Dialect::FLASK, out).is_ok() {
        return true;
    }
    if let Some(written) = out.get_mut(start..) {
        written.fill(0);
    }
    out.truncate(start);
    false
}

/// The reason [`write_direct`] gives up (never shown: the tree path runs instead).
fn needs_tree<E: ser::Error>() -> E {
    E::custom("the value needs the session tree")
}

/// A value whose serialization goes through [`DirectSerializer`].
struct Direct<'a, T: ?Sized>(&'a T);

impl<T: Serialize + ?Sized> Serialize for Direct<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(DirectSerializer(serializer))
    }
}

/// Forwards to the JSON writer what the session tree would keep as it is.
struct DirectSerializer<S>(S);

/// Forwards scalar methods unchanged.
macro_rules! forward {
    ($($method:ident($type:ty)),* $(,)?) => {
        $(fn $method(self, v: $type) -> Result<S::Ok, S::Error> {
            self.0.$method(v)
        })*
    };
}

impl<S: Serializer> Serializer for DirectSerializer<S> {
    type Ok = S::Ok;
    type Error = S::Error;
    type SerializeSeq = DirectSeq<S::SerializeSeq>;
    type SerializeTuple = Impossible<S::Ok, S::Error>;
    type SerializeTupleStruct = DirectSeq<S::SerializeTupleStruct>;
    type SerializeTupleVariant = Impossible<S::Ok, S::Error>;
    type SerializeMap = DirectMap<S::SerializeMap>;
    type SerializeStruct = DirectStruct<S::SerializeStruct>;
    type SerializeStructVariant = Impossible<S::Ok, S::Error>;

    forward!(
        serialize_bool(bool),
        serialize_i8(i8),
        serialize_i16(i16),
        serialize_i32(i32),
        serialize_i64(i64),
        serialize_i128(i128),
        serialize_u8(u8),
        serialize_u16(u16),
        serialize_u32(u32),
        serialize_u64(u64),
        serialize_u128(u128),
        serialize_char(char),
        serialize_str(&str),
    );

    fn serialize_f32(self, v: f32) -> Result<S::Ok, S::Error> {
        // The tree widens an `f32` exactly (`f64::from`), so its shortest `f64` text is written.
        self.serialize_f64(f64::from(v))
    }
    fn serialize_f64(self, v: f64) -> Result<S::Ok, S::Error> {
        if !v.is_finite() {
            return Err(needs_tree());
        }
        self.0.serialize_f64(v)
    }
    fn serialize_bytes(self, _v: &[u8]) -> Result<S::Ok, S::Error> {
        Err(needs_tree())
    }
    fn serialize_none(self) -> Result<S::Ok, S::Error> {
        self.0.serialize_none()
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<S::Ok, S::Error> {
        self.0.serialize_some(&Direct(value))
    }
    fn serialize_unit(self) -> Result<S::Ok, S::Error> {
        self.0.serialize_unit()
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<S::Ok, S::Error> {
        Err(needs_tree())
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
    ) -> Result<S::Ok, S::Error> {
        Err(needs_tree())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        value: &T,
    ) -> Result<S::Ok, S::Error> {
        if name == TOKEN {
            // Already the tagged form: written as it is, as the tree's writer writes it.
            return self.0.serialize_newtype_struct(name, value);
        }
        self.0.serialize_newtype_struct(name, &Direct(value))
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result<S::Ok, S::Error> {
        Err(needs_tree())
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<Self::SerializeSeq, S::Error> {
        self.0.serialize_seq(len).map(DirectSeq)
    }
    fn serialize_tuple(self, _len: usize) -> Result<Self::SerializeTuple, S::Error> {
        Err(needs_tree())
    }
    fn serialize_tuple_struct(
        self,
        name: &'static str,
        len: usize,
    ) -> Result<Self::SerializeTupleStruct, S::Error> {
        self.0.serialize_tuple_struct(name, len).map(DirectSeq)
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant, S::Error> {
        Err(needs_tree())
    }
    fn serialize_map(self, len: Option<usize>) -> Result<Self::SerializeMap, S::Error> {
        Ok(DirectMap {
            inner: self.0.serialize_map(len)?,
            last: None,
        })
    }
    fn serialize_struct(
        self,
        name: &'static str,
        len: usize,
    ) -> Result<Self::SerializeStruct, S::Error> {
        if name.starts_with('$') {
            return Err(needs_tree());
        }
        Ok(DirectStruct {
            inner: self.0.serialize_struct(name, len)?,
            last: None,
        })
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant, S::Error> {
        Err(needs_tree())
    }
}

/// A list (a sequence or a tuple struct), its elements written directly.
struct DirectSeq<S>(S);

impl<S: ser::SerializeSeq> ser::SerializeSeq for DirectSeq<S> {
    type Ok = S::Ok;
    type Error = S::Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), S::Error> {
        self.0.serialize_element(&Direct(value))
    }
    fn end(self) -> Result<S::Ok, S::Error> {
        self.0.end()
    }
}

impl<S: ser::SerializeTupleStruct> ser::SerializeTupleStruct for DirectSeq<S> {
    type Ok = S::Ok;
    type Error = S::Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), S::Error> {
        self.0.serialize_field(&Direct(value))
    }
    fn end(self) -> Result<S::Ok, S::Error> {
        self.0.end()
    }
}

/// Whether a dict's key can be written where it comes: it does not begin with a space (no
/// tag key, so no `" di"` escape) and is greater than the key before it.
fn in_order(key: &str, last: Option<&str>) -> bool {
    !key.starts_with(' ') && last.is_none_or(|last| key > last)
}

/// A dict from a map, its keys checked and its values written directly.
struct DirectMap<S> {
    inner: S,
    /// The previous key, stringified as the tree stringifies keys.
    last: Option<String>,
}

impl<S: ser::SerializeMap> ser::SerializeMap for DirectMap<S> {
    type Ok = S::Ok;
    type Error = S::Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), S::Error> {
        // A key the tree refuses: the tree path reports it.
        let key = key.serialize(KeySerializer).map_err(|_| needs_tree())?;
        if !in_order(&key, self.last.as_deref()) {
            return Err(needs_tree());
        }
        self.inner.serialize_key(key.as_str())?;
        self.last = Some(key);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), S::Error> {
        self.inner.serialize_value(&Direct(value))
    }
    fn end(self) -> Result<S::Ok, S::Error> {
        self.inner.end()
    }
}

/// A dict from a struct: its field names checked as keys, its values written directly.
struct DirectStruct<S> {
    inner: S,
    last: Option<&'static str>,
}

impl<S: ser::SerializeStruct> ser::SerializeStruct for DirectStruct<S> {
    type Ok = S::Ok;
    type Error = S::Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), S::Error> {
        if !in_order(key, self.last) {
            return Err(needs_tree());
        }
        self.last = Some(key);
        self.inner.serialize_field(key, &Direct(value))
    }
    fn end(self) -> Result<S::Ok, S::Error> {
        self.inner.end()
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
    struct Pairs(Vec<(&'static str, u32)>);

    impl Serialize for Pairs {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let mut map = serializer.serialize_map(Some(self.0.len()))?;
            for (key, value) in &self.0 {
                map.serialize_entry(key, value)?;
            }
            map.end()
        }
    }

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
