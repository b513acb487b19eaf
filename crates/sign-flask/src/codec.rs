//! Flask's `TaggedJSONSerializer` as a [`PayloadCodec`].

use python_json::{self as json, Dialect};
use serde::Serialize;
use serde::de::DeserializeOwned;
use sign_core::Error;
use sign_serde::PayloadCodec;

use crate::direct::write_direct;
use crate::ser::to_session_value;
use crate::untagging::Untagged;

/// Flask's session JSON: the value is tagged ([`SessionValue`](crate::SessionValue)) and written compact, with
/// keys sorted and non-ASCII escaped ([`Dialect::FLASK`]), as Flask writes it inside an app
/// context; loading untags it.
///
/// Wrap it in [`sign_url::UrlSafeCodec`] for the cookie payload ([`SessionCodec`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TaggedJsonCodec;

impl TaggedJsonCodec {
    /// The tagged JSON text Flask signs for `value` (Python's
    /// `session_json_serializer.dumps(value)` inside an app context).
    ///
    /// # Errors
    /// `BadPayload` when the value has no session form (see
    /// [`crate::to_session_value`]).
    pub fn to_vec<T: Serialize + ?Sized>(&self, value: &T) -> Result<Vec<u8>, Error> {
        let mut out = Vec::new();
        self.encode(value, &mut out)?;
        Ok(out)
    }

    /// Parses and untags tagged JSON text (Python's `session_json_serializer.loads`).
    ///
    /// # Errors
    /// `BadPayload` for invalid JSON, a tag Flask would reject, or a value that does not
    /// fit `T`.
    pub fn from_slice<T: DeserializeOwned>(&self, text: &[u8]) -> Result<T, Error> {
        self.decode(text)
    }
}

/// The cookie payload codec: tagged JSON inside Python's URL-safe wrapping (zlib when it
/// saves at least 2 bytes, base64url, bounded decompression).
pub type SessionCodec = sign_url::UrlSafeCodec<TaggedJsonCodec>;

impl PayloadCodec for TaggedJsonCodec {
    /// Writes the value straight to JSON when it needs no tag of its own (a session of
    /// session values, strings, numbers, lists and sorted dicts: see `direct`), and through
    /// its session tree otherwise; both write the same text.
    fn encode<T: Serialize + ?Sized>(&self, value: &T, out: &mut Vec<u8>) -> Result<(), Error> {
        if write_direct(value, out) {
            return Ok(());
        }
        let tagged = to_session_value(value)
            .map_err(|e| Error::bad_payload("could not tag the session value", e))?;
        json::write(&tagged, Dialect::FLASK, out)
            .map_err(|e| Error::bad_payload("could not serialize the payload", e))
    }

    /// Reads `T` straight from the bytes, untagging as it reads (see `untagging.rs`): no session
    /// value is built for a typed target, only the target itself.
    fn decode<T: DeserializeOwned>(&self, payload: &[u8]) -> Result<T, Error> {
        json::from_slice::<Untagged<T>>(payload)
            .map(|read| read.0)
            .map_err(|e| Error::bad_payload("could not load the payload", e))
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use std::collections::{BTreeMap, HashMap};

    use serde::Deserialize;

    use super::*;
    use crate::de::from_session_value;
    use crate::value::Session;

    /// What decoding was before a dict went to its target as entries: the whole session
    /// value, then the target read from it.
    fn through_the_value<T: DeserializeOwned>(payload: &[u8]) -> Result<T, String> {
        let value: crate::SessionValue =
            json::from_slice(payload).map_err(|e| without_position(e.to_string()))?;
        from_session_value(value).map_err(|e| without_position(e.to_string()))
    }

    /// The codec's reading, with the cause of an error, less the byte position the reader
    /// adds (the session value's deserializer has none to give).
    pub(crate) fn decoded<T: DeserializeOwned>(payload: &[u8]) -> Result<T, String> {
        TaggedJsonCodec.decode(payload).map_err(|e| {
            without_position(
                std::error::Error::source(&e).map_or_else(|| e.to_string(), ToString::to_string),
            )
        })
    }

    /// An error's text less the byte position the JSON reader adds.
    pub(crate) fn without_position(text: String) -> String {
        match text.rsplit_once(" at byte ") {
            Some((kept, at)) if at.bytes().all(|b| b.is_ascii_digit()) => kept.to_owned(),
            _ => text,
        }
    }

    /// The codec's reading `new` agrees with the session value's `old` of the same payload:
    /// the same value, or both errors (which error comes first may differ: the session value
    /// is untagged whole before the target sees it, the codec's target fails at its first
    /// misfit). Where the payload repeats a key, the codec may also refuse what the session
    /// value's dict read, having dropped the earlier value (docs/compatibility.md, deviation
    /// 15): then the payload without its repeats, as Python's `json.loads` leaves it (each
    /// key where it first came, with its last value), must read as the session value did, so
    /// the refusal is owed to the repeats alone. Never a value where the old reading failed.
    pub(crate) fn assert_agree<T: DeserializeOwned + PartialEq + std::fmt::Debug>(
        new: Result<T, String>,
        old: Result<T, String>,
        payload: &[u8],
        context: &str,
    ) {
        match (&new, &old) {
            (Ok(new), Ok(old)) => assert_eq!(new, old, "{context}"),
            (Err(_), Err(_)) => {}
            (Err(_), Ok(old)) => {
                assert!(repeats_a_key(payload), "{context}: {new:?}, was {old:?}");
                let once = json::from_slice::<json::Value>(payload)
                    .ok()
                    .and_then(|value| json::to_vec(&value, Dialect::COMPACT).ok())
                    .unwrap_or_default();
                assert_eq!(
                    decoded::<T>(&once).as_ref(),
                    Ok(old),
                    "{context}: without its repeats, {}",
                    String::from_utf8_lossy(&once)
                );
            }
            (Ok(_), Err(_)) => panic!("{context}: {new:?}, was {old:?}"),
        }
    }

    /// Whether some object of the JSON text has a key twice.
    fn repeats_a_key(payload: &[u8]) -> bool {
        struct Check;
        impl<'de> serde::de::Visitor<'de> for Check {
            type Value = bool;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("JSON")
            }
            fn visit_bool<E>(self, _: bool) -> Result<bool, E> {
                Ok(false)
            }
            fn visit_i64<E>(self, _: i64) -> Result<bool, E> {
                Ok(false)
            }
            fn visit_u64<E>(self, _: u64) -> Result<bool, E> {
                Ok(false)
            }
            fn visit_f64<E>(self, _: f64) -> Result<bool, E> {
                Ok(false)
            }
            fn visit_str<E>(self, _: &str) -> Result<bool, E> {
                Ok(false)
            }
            fn visit_unit<E>(self) -> Result<bool, E> {
                Ok(false)
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<bool, A::Error> {
                let mut repeats = false;
                while let Some(inner) = seq.next_element_seed(Check)? {
                    repeats |= inner;
                }
                Ok(repeats)
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<bool, A::Error> {
                let mut keys = std::collections::BTreeSet::new();
                let mut repeats = false;
                while let Some(key) = map.next_key::<String>()? {
                    repeats |= !keys.insert(key);
                    repeats |= map.next_value_seed(Check)?;
                }
                Ok(repeats)
            }
        }
        impl<'de> serde::de::DeserializeSeed<'de> for Check {
            type Value = bool;
            fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
                d.deserialize_any(self)
            }
        }
        let mut reader = serde_json::Deserializer::from_slice(payload);
        serde::de::DeserializeSeed::deserialize(Check, &mut reader).unwrap_or(false)
    }

    fn agrees<T: DeserializeOwned + PartialEq + std::fmt::Debug>(payload: &[u8]) {
        let context = format!(
            "{} {}",
            std::any::type_name::<T>(),
            String::from_utf8_lossy(payload)
        );
        assert_agree(
            decoded::<T>(payload),
            through_the_value::<T>(payload),
            payload,
            &context,
        );
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct Login {
        _fresh: bool,
        #[serde(rename = "_user_id")]
        user: String,
    }

    #[derive(Debug, PartialEq, Deserialize)]
    enum Kind {
        A,
        B(u32),
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct Item {
        sku: String,
        qty: i64,
    }

    /// A struct whose fields take lists, tuples, bytes and the tagged types.
    #[derive(Debug, PartialEq, Deserialize)]
    struct Shop {
        cart: Vec<Item>,
        #[serde(default)]
        pair: Option<(i64, String)>,
        #[serde(default)]
        raw: Option<Vec<u8>>,
        #[serde(default)]
        note: Option<crate::Markup>,
        #[serde(default)]
        id: Option<crate::Uuid>,
        #[serde(default)]
        at: Option<crate::HttpDate>,
    }

    /// serde's buffering paths: a flattened map and an untagged enum.
    #[derive(Debug, PartialEq, Deserialize)]
    struct Flat {
        a: Option<i64>,
        #[serde(flatten)]
        rest: BTreeMap<String, serde_json::Value>,
    }

    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(untagged)]
    enum Either {
        Number(i64),
        Text(String),
        List(Vec<Either>),
        Map(BTreeMap<String, Either>),
    }

    /// A byte-buffer target, as `serde_bytes::ByteBuf` asks (`deserialize_byte_buf`).
    #[derive(Debug, PartialEq)]
    struct Raw(Vec<u8>);

    impl<'de> Deserialize<'de> for Raw {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct Bytes;
            impl<'de> serde::de::Visitor<'de> for Bytes {
                type Value = Raw;
                fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.write_str("bytes")
                }
                fn visit_bytes<E>(self, v: &[u8]) -> Result<Raw, E> {
                    Ok(Raw(v.to_vec()))
                }
                fn visit_str<E>(self, v: &str) -> Result<Raw, E> {
                    Ok(Raw(v.as_bytes().to_vec()))
                }
                fn visit_seq<A: serde::de::SeqAccess<'de>>(
                    self,
                    mut seq: A,
                ) -> Result<Raw, A::Error> {
                    let mut out = Vec::new();
                    while let Some(b) = seq.next_element()? {
                        out.push(b);
                    }
                    Ok(Raw(out))
                }
            }
            d.deserialize_byte_buf(Bytes)
        }
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct Wrapped(String);

    #[derive(Debug, PartialEq, Deserialize)]
    struct Pair(i64, String);

    #[derive(Debug, PartialEq, Deserialize)]
    struct Nothing;

    /// A struct holding session values.
    #[derive(Debug, PartialEq, Deserialize)]
    struct Holder {
        a: Option<crate::SessionValue>,
        cart: Option<Vec<crate::SessionValue>>,
    }

    /// Every target agrees on `payload`.
    fn all_targets_agree(payload: &[u8]) {
        agrees::<Session>(payload);
        agrees::<crate::SessionValue>(payload);
        agrees::<python_json::Value>(payload);
        agrees::<serde_json::Value>(payload);
        agrees::<Option<Session>>(payload);
        agrees::<HashMap<String, serde_json::Value>>(payload);
        agrees::<BTreeMap<String, i64>>(payload);
        agrees::<BTreeMap<String, i128>>(payload);
        agrees::<BTreeMap<String, u128>>(payload);
        agrees::<BTreeMap<String, String>>(payload);
        agrees::<BTreeMap<String, Vec<u8>>>(payload);
        agrees::<BTreeMap<String, (serde_json::Value, serde_json::Value)>>(payload);
        agrees::<BTreeMap<String, Option<Vec<serde_json::Value>>>>(payload);
        agrees::<BTreeMap<String, Kind>>(payload);
        agrees::<BTreeMap<String, crate::Markup>>(payload);
        agrees::<BTreeMap<String, crate::Uuid>>(payload);
        agrees::<BTreeMap<String, crate::HttpDate>>(payload);
        agrees::<BTreeMap<String, serde::de::IgnoredAny>>(payload);
        agrees::<BTreeMap<String, Either>>(payload);
        agrees::<Login>(payload);
        agrees::<Shop>(payload);
        agrees::<Flat>(payload);
        agrees::<Kind>(payload);
        agrees::<Either>(payload);
        agrees::<BTreeMap<String, Raw>>(payload);
        agrees::<BTreeMap<String, Wrapped>>(payload);
        agrees::<BTreeMap<String, Pair>>(payload);
        agrees::<BTreeMap<String, Nothing>>(payload);
        agrees::<Holder>(payload);
        agrees::<i128>(payload);
        agrees::<Vec<serde_json::Value>>(payload);
        agrees::<Vec<Vec<u8>>>(payload);
        agrees::<(String, i64)>(payload);
        agrees::<String>(payload);
        agrees::<()>(payload);
    }

    #[test]
    fn typed_targets_read_as_from_the_session_value() {
        let payloads: [&[u8]; 24] = [
            br#"{"_fresh":true,"_user_id":"42"}"#,
            br#" {"b":1,"a":2,"b":3,"_fresh":false,"_user_id":"7"}"#,
            br#"{"_fresh":true,"_user_id":"42","_fresh":false}"#,
            br#"{}"#,
            br#"{"a":{" t":[1,2]},"c":{" di":{" t__":5}},"n":123456789012345678901234567890}"#,
            br#"{" t":[1,2]}"#,
            br#"{" di":{" t__":5}}"#,
            br#"{"A":null}"#,
            br#"{"B":5}"#,
            br#"{"A":null,"B":5}"#,
            br#""A""#,
            br#"[1,2]"#,
            br#"{"$serde_json::private::Number":"123456789012345678901234567890"}"#,
            br#"{"a":1,"a":{" b":"!!"}}"#,
            br#"{" t":1," t":[1]}"#,
            br#"{"B":1,"B":2}"#,
            br#"{"cart":[{"qty":1,"sku":"BK-1042"},{"qty":3,"sku":"PEN-0007"}]}"#,
            br#"{"at":{" d":"Fri, 24 Jun 2011 00:09:05 GMT"},"cart":[],"id":{" u":"0123456789abcdef0123456789abcdef"},"note":{" m":"<b>hi</b>"},"pair":{" t":[7,"x"]},"raw":{" b":"QUJD"}}"#,
            br#"{"cart":[],"pair":[7,"x"],"raw":"QUJD","x":{" u":"zz"}}"#,
            br#"{" t":[1]," b":"QUJD"}"#,
            br#"{" b":"QUJD"," t":[1]," b":"!!"}"#,
            br#"{"a":{" t":[{" b":"QUJD"}]},"b":[{" t":[]},{" m":"x"}]}"#,
            br#"{"a":{" u":"0123456789abcdef0123456789abcdef"," u":"x"}}"#,
            br#"{"cart":[{"sku":"a","qty":1,"sku":"b"}]}"#,
        ];
        for payload in payloads {
            all_targets_agree(payload);
        }
    }

    /// A typed target reads what Flask loads (the tagged types from their tags), and a bad
    /// tag the target skips still fails, as in Flask, which untags the whole session.
    #[test]
    fn typed_targets_read_tags() {
        let shop: Shop = TaggedJsonCodec
            .decode(br#"{"at":{" d":"Fri, 24 Jun 2011 00:09:05 GMT"},"cart":[{"qty":3,"sku":"PEN-0007"}],"id":{" u":"0123456789abcdef0123456789abcdef"},"note":{" m":"<b>hi</b>"},"pair":{" t":[7,"x"]},"raw":{" b":"QUJD"}}"#)
            .unwrap();
        assert_eq!(
            shop.cart,
            vec![Item {
                sku: "PEN-0007".into(),
                qty: 3
            }]
        );
        assert_eq!(shop.pair, Some((7, "x".to_owned())));
        assert_eq!(shop.raw.as_deref(), Some(&b"ABC"[..]));
        assert_eq!(
            shop.note.as_ref().map(crate::Markup::as_str),
            Some("<b>hi</b>")
        );
        assert_eq!(
            shop.id.map(|u| u.to_simple()).as_deref(),
            Some("0123456789abcdef0123456789abcdef")
        );
        assert_eq!(
            shop.at.map(|d| d.to_string()).as_deref(),
            Some("Fri, 24 Jun 2011 00:09:05 GMT")
        );
        let skipped = decoded::<Login>(br#"{"_fresh":true,"_user_id":"42","x":[{" u":"zz"}]}"#);
        assert!(skipped.is_err(), "{skipped:?}");
    }

    /// A dict's entries come in the document's order, as Python's dict keeps them (Flask
    /// 3.1.3: `[('b', 3), ('a', 2)]`); the session value's `BTreeMap` sorted them.
    #[test]
    fn entries_keep_the_documents_order() {
        let value: python_json::Value = TaggedJsonCodec.decode(br#"{"b":1,"a":2,"b":3}"#).unwrap();
        let python_json::Value::Object(map) = value else {
            panic!("{value:?}");
        };
        let entries: Vec<(&str, Option<i64>)> =
            map.iter().map(|(k, v)| (k.as_str(), v.as_i64())).collect();
        assert_eq!(entries, [("b", Some(3)), ("a", Some(2))]);
    }

    /// A repeated key: a map keeps its last value, a struct refuses it, and each value must
    /// fit the target (deviation 15).
    #[test]
    fn repeated_keys_in_typed_targets() {
        let payload = br#"{"_fresh":true,"_user_id":"42","_fresh":false}"#;
        assert_eq!(
            decoded::<BTreeMap<String, serde_json::Value>>(payload).unwrap()["_fresh"],
            serde_json::Value::Bool(false)
        );
        assert_eq!(
            decoded::<Login>(payload),
            Err("duplicate field `_fresh`".to_owned())
        );
        // Every value of a repeated key goes to the target, so each must fit it.
        let refused = decoded::<BTreeMap<String, String>>(br#"{"a":1,"a":"x"}"#);
        assert!(refused.is_err(), "{refused:?}");
        assert_eq!(
            decoded::<BTreeMap<String, String>>(br#"{"a":"y","a":"x"}"#),
            Ok(BTreeMap::from([("a".to_owned(), "x".to_owned())]))
        );
        assert_eq!(
            decoded::<Login>(br#"{"_fresh":true,"_user_id":"42"}"#),
            Ok(Login {
                _fresh: true,
                user: "42".into()
            })
        );
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(1500))]

        #[test]
        fn typed_targets_agree_on_texts(text in crate::value::tests::json_text()) {
            all_targets_agree(text.as_bytes());
        }

        #[test]
        fn typed_targets_agree_on_session_values(value in crate::value::tests::session_value()) {
            let dict = crate::SessionValue::Dict(BTreeMap::from([
                ("a".to_owned(), value.clone()),
                ("cart".to_owned(), crate::SessionValue::List(vec![value])),
            ]));
            let text = python_json::to_vec(&dict.to_tagged_json(), python_json::Dialect::FLASK).unwrap();
            all_targets_agree(&text);
        }
    }
}
