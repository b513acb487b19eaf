//! Moving a [`SessionValue`] through serde instead of rebuilding it.
//!
//! Reading a `SessionValue` from a deserializer that is itself a `SessionValue` (a value of a
//! session read into a [`Session`](crate::Session), or any `SessionValue` read back as one)
//! would rebuild the value: every nested list and dict allocated again and the old one freed.
//! serde cannot tell a visitor what its deserializer is, so the reader asks for a hand-over
//! and the deserializer, when it is a `SessionValue`, proves it and moves the value:
//!
//! 1. The reader calls `deserialize_newtype_struct` with a private name ([`read`]).
//! 2. A `SessionValue` deserializer answers that name by parking itself in a thread-local
//!    slot and calling `visit_borrowed_bytes` with a slice of a private static ([`offer`]);
//!    the slot is emptied again when the visit returns, whatever the visitor did.
//! 3. The reader's visitor takes the parked value only when the slice it was given is that
//!    static itself (same address and length): no other code can name the static, so no
//!    other deserializer can fake the proof, and a wrapper around a `SessionValue`
//!    deserializer (one that forwards its visitor's calls) hands over that deserializer's own
//!    value.
//!
//! Any other deserializer treats the name as an ordinary newtype struct (as serde's own do)
//! and the value is read as usual. No `unsafe`: the value moves through a `Cell`.

use std::cell::Cell;
use std::fmt;

use serde::de::{self, Deserializer, EnumAccess, MapAccess, SeqAccess, Visitor};

use crate::value::{SessionValue, SessionVisitor};

/// The newtype-struct name with which [`read`] asks for a hand-over.
pub(crate) const TOKEN: &str = "$sign_flask::private::HandOver";

/// The proof that a hand-over comes from [`offer`]: only a slice of this static is one.
static PROOF: [u8; 1] = [0];

thread_local! {
    /// The value being handed over, from just before the proof is sent until the visit
    /// returns.
    static PARKED: Cell<Option<SessionValue>> = const { Cell::new(None) };
}

/// Reads a session value from `deserializer`: moved when the deserializer is a
/// `SessionValue` (or forwards to one), read as usual otherwise.
pub(crate) fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<SessionValue, D::Error> {
    deserializer.deserialize_newtype_struct(TOKEN, Receiver)
}

/// A `SessionValue` deserializer's answer to [`TOKEN`]: parks `value` and sends the proof.
/// The slot is empty again afterwards, so a visitor that is not [`read`]'s leaves nothing
/// behind.
pub(crate) fn offer<'de, V: Visitor<'de>, E: de::Error>(
    value: SessionValue,
    visitor: V,
) -> Result<V::Value, E> {
    PARKED.set(Some(value));
    let result = visitor.visit_borrowed_bytes(&PROOF);
    drop(PARKED.take());
    result
}

/// [`read`]'s visitor: the parked value on the proof, [`SessionVisitor`] for everything else.
struct Receiver;

impl<'de> Visitor<'de> for Receiver {
    type Value = SessionValue;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        SessionVisitor.expecting(f)
    }

    fn visit_borrowed_bytes<E: de::Error>(self, v: &'de [u8]) -> Result<SessionValue, E> {
        if std::ptr::eq(v, &PROOF[..]) {
            return PARKED
                .take()
                .ok_or_else(|| E::custom("a session value was handed over twice"));
        }
        SessionVisitor.visit_borrowed_bytes(v)
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<SessionValue, D::Error> {
        d.deserialize_any(SessionVisitor)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<SessionValue, E> {
        SessionVisitor.visit_bool(v)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<SessionValue, E> {
        SessionVisitor.visit_i64(v)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<SessionValue, E> {
        SessionVisitor.visit_u64(v)
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<SessionValue, E> {
        SessionVisitor.visit_i128(v)
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<SessionValue, E> {
        SessionVisitor.visit_u128(v)
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<SessionValue, E> {
        SessionVisitor.visit_f64(v)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<SessionValue, E> {
        SessionVisitor.visit_str(v)
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<SessionValue, E> {
        SessionVisitor.visit_string(v)
    }

    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<SessionValue, E> {
        SessionVisitor.visit_bytes(v)
    }

    fn visit_unit<E: de::Error>(self) -> Result<SessionValue, E> {
        SessionVisitor.visit_unit()
    }

    fn visit_none<E: de::Error>(self) -> Result<SessionValue, E> {
        SessionVisitor.visit_none()
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<SessionValue, D::Error> {
        SessionVisitor.visit_some(d)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<SessionValue, A::Error> {
        SessionVisitor.visit_seq(seq)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<SessionValue, A::Error> {
        SessionVisitor.visit_map(map)
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<SessionValue, A::Error> {
        SessionVisitor.visit_enum(data)
    }
}

#[cfg(test)]
mod tests {
    use serde::de::value::{BorrowedBytesDeserializer, Error as ValueError};
    use serde::de::{Deserialize, Deserializer, Visitor};

    use super::{PARKED, TOKEN, read};
    use crate::{Session, SessionValue, from_session_value};

    fn buffer_of(value: &SessionValue) -> *const u8 {
        match value {
            SessionValue::String(s) => s.as_ptr(),
            SessionValue::List(items) => buffer_of(&items[0]),
            SessionValue::Dict(map) => buffer_of(map.values().next().unwrap()),
            other => panic!("no buffer in {other:?}"),
        }
    }

    /// A nested value read back into a `SessionValue` or a `Session` keeps its heap buffers:
    /// it was moved, not rebuilt.
    #[test]
    fn a_session_value_read_from_itself_is_moved() {
        let value = SessionValue::List(vec![SessionValue::Dict(
            [("sku".to_owned(), SessionValue::from("BK-1042"))].into(),
        )]);
        let before = buffer_of(&value);
        let read: SessionValue = from_session_value(value).unwrap();
        assert_eq!(buffer_of(&read), before);

        let session = SessionValue::Dict([("cart".to_owned(), read)].into());
        let before = buffer_of(&session);
        let read: Session = from_session_value(session).unwrap();
        assert_eq!(buffer_of(&read["cart"]), before);
    }

    /// What another visitor sees when a session value is asked for the hand-over: the proof,
    /// as bytes; nothing stays parked afterwards.
    #[test]
    fn another_visitor_gets_bytes_and_nothing_stays_parked() {
        struct Bytes;
        impl<'de> Visitor<'de> for Bytes {
            type Value = Vec<u8>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("bytes")
            }
            fn visit_borrowed_bytes<E>(self, v: &'de [u8]) -> Result<Vec<u8>, E> {
                Ok(v.to_vec())
            }
        }
        let seen = SessionValue::from("secret session")
            .deserialize_newtype_struct(TOKEN, Bytes)
            .unwrap();
        assert_eq!(seen, [0]);
        assert!(PARKED.take().is_none());
    }

    /// Bytes equal to the proof but not the proof itself are read as bytes (which a session
    /// value cannot be), never as a hand-over of whatever is parked.
    #[test]
    fn a_copy_of_the_proof_is_not_a_hand_over() {
        PARKED.set(Some(SessionValue::from("parked")));
        let fake = [0u8];
        let result = read(BorrowedBytesDeserializer::<ValueError>::new(&fake));
        assert!(result.is_err(), "{result:?}");
        assert_eq!(PARKED.take(), Some(SessionValue::from("parked")));
    }

    /// Other deserializers read as before: serde's own treat the name as a newtype struct.
    #[test]
    fn other_deserializers_read_as_usual() {
        let json = serde_json::json!({"a": [1, {" t": [2]}]});
        let value = SessionValue::deserialize(json).unwrap();
        let expected: SessionValue = python_json::from_slice(br#"{"a":[1,{" t":[2]}]}"#).unwrap();
        assert_eq!(value, expected);
        assert!(
            matches!(&value, SessionValue::Dict(m) if matches!(&m["a"], SessionValue::List(items) if matches!(items[1], SessionValue::Tuple(_))))
        );
    }
}
