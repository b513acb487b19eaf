//! Moving a [`SessionValue`] through serde instead of rebuilding it.
//!
//! Reading a `SessionValue` from a deserializer that is itself a `SessionValue` (a value of a
//! session read into a [`Session`](crate::Session), or any `SessionValue` read back as one)
//! would rebuild the value: every nested list and dict allocated again and the old one freed.
//! serde cannot tell a visitor what its deserializer is, so the reader asks for a hand-over
//! and the deserializer, when it is a `SessionValue`, proves it and moves the value:
//!
//! 1. The reader ([`SessionVisitor`] at the outermost value) calls
//!    `deserialize_newtype_struct` with a private name ([`read`]).
//! 2. A `SessionValue` deserializer answers that name by parking itself in a thread-local
//!    slot and calling `visit_borrowed_bytes` with a slice of a private static ([`offer`]);
//!    the slot is emptied again when the visit returns or unwinds, whatever the visitor did.
//! 3. The reader's visitor takes the parked value only when the slice it was given is that
//!    static itself (same address and length; [`receive`], from `visit_bytes` too, so that a
//!    wrapper forwarding only the transient form still hands over). Only [`offer`] sends
//!    the slice, and only right after parking the value it offers, so a wrapper around a
//!    `SessionValue` deserializer (one that forwards its visitor's calls) hands over that
//!    deserializer's own value, and a copy of the bytes is not a hand-over.
//!
//! Any other deserializer treats the name as an ordinary newtype struct (as serde's own do)
//! and the value is read as usual; so is it while this thread's locals are being destroyed
//! (no slot to park in). No `unsafe`: the value moves through a `Cell`.

use std::cell::Cell;

use serde::de::{self, Deserializer, Visitor};

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
    deserializer.deserialize_newtype_struct(TOKEN, SessionVisitor::READ)
}

/// A `SessionValue` deserializer's answer to [`TOKEN`]: parks `value` and sends the proof.
/// The slot is empty again afterwards (also when the visitor panics), so a visitor that is
/// not [`read`]'s leaves nothing behind.
pub(crate) fn offer<'de, V: Visitor<'de>>(
    value: SessionValue,
    visitor: V,
) -> Result<V::Value, serde_json::Error> {
    /// Empties the slot when dropped.
    struct Unpark;
    impl Drop for Unpark {
        fn drop(&mut self) {
            let _ = PARKED.try_with(|slot| drop(slot.take()));
        }
    }
    let mut value = Some(value);
    if PARKED.try_with(|slot| slot.set(value.take())).is_err()
        && let Some(value) = value
    {
        // This thread's locals are being destroyed: read as an ordinary newtype.
        return visitor.visit_newtype_struct(value);
    }
    let _unpark = Unpark;
    visitor.visit_borrowed_bytes(&PROOF)
}

/// The value handed over when `bytes` is the proof (`Some(Err)` when it was already taken);
/// `None` for any other bytes.
pub(crate) fn receive<E: de::Error>(bytes: &[u8]) -> Option<Result<SessionValue, E>> {
    if !std::ptr::eq(bytes, &PROOF[..]) {
        return None;
    }
    let parked = PARKED.try_with(Cell::take).ok().flatten();
    Some(parked.ok_or_else(|| E::custom("a session value was handed over twice")))
}

#[cfg(test)]
mod tests {
    use std::fmt;

    use serde::de::value::{BorrowedBytesDeserializer, Error as ValueError};
    use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

    use super::{PARKED, TOKEN, read};
    use crate::{Session, SessionValue, from_session_value};

    /// A deserializer wrapper of the kind that reports paths or counts calls: it forwards
    /// every call, wrapping the visitor; its visitor passes borrowed bytes on as transient
    /// ones (as a wrapper that does not keep `'de` must).
    struct Forward<D>(D);
    struct ForwardVisitor<V>(V);

    impl<'de, D: Deserializer<'de>> Deserializer<'de> for Forward<D> {
        type Error = D::Error;
        fn deserialize_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, D::Error> {
            self.0.deserialize_any(ForwardVisitor(v))
        }
        fn deserialize_newtype_struct<V: Visitor<'de>>(
            self,
            name: &'static str,
            v: V,
        ) -> Result<V::Value, D::Error> {
            self.0.deserialize_newtype_struct(name, ForwardVisitor(v))
        }
        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
            option unit unit_struct seq tuple tuple_struct map struct enum identifier ignored_any
        }
    }

    impl<'de, V: Visitor<'de>> Visitor<'de> for ForwardVisitor<V> {
        type Value = V::Value;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            self.0.expecting(f)
        }
        fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<V::Value, D::Error> {
            self.0.visit_newtype_struct(Forward(d))
        }
        fn visit_borrowed_bytes<E: serde::de::Error>(self, b: &'de [u8]) -> Result<V::Value, E> {
            self.0.visit_bytes(b)
        }
        fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<V::Value, E> {
            self.0.visit_str(s)
        }
        fn visit_string<E: serde::de::Error>(self, s: String) -> Result<V::Value, E> {
            self.0.visit_string(s)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
            self.0.visit_seq(seq)
        }
        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
            self.0.visit_map(map)
        }
    }

    /// The heap buffer of the first list inside `value`: a rebuilt value has a new one (a
    /// string's buffer would not tell, as a rebuild moves strings too).
    fn buffer_of(value: &SessionValue) -> *const SessionValue {
        match value {
            SessionValue::List(items) => items.as_ptr(),
            SessionValue::Dict(map) => buffer_of(map.values().next().unwrap()),
            other => panic!("no list in {other:?}"),
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

    /// A forwarding wrapper around a session value hands over that value (moved, buffers
    /// kept).
    #[test]
    fn wrappers_hand_over() {
        let value = SessionValue::List(vec!["x".into()]);
        let before = buffer_of(&value);
        let read = SessionValue::deserialize(Forward(value.clone())).unwrap();
        assert_eq!(read, value);
        let read = SessionValue::deserialize(Forward(value)).unwrap();
        assert_eq!(buffer_of(&read), before);
    }

    /// A visitor that panics on the proof leaves nothing parked.
    #[test]
    fn nothing_stays_parked_after_a_panic() {
        struct Panics;
        impl<'de> Visitor<'de> for Panics {
            type Value = ();
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("nothing")
            }
            fn visit_borrowed_bytes<E>(self, _: &'de [u8]) -> Result<(), E> {
                panic!("a visitor bug");
            }
        }
        let unwound = std::panic::catch_unwind(|| {
            SessionValue::from("parked").deserialize_newtype_struct(TOKEN, Panics)
        });
        assert!(unwound.is_err());
        assert!(PARKED.take().is_none());
    }

    /// While a thread's locals are destroyed (the slot gone), a value is read as usual.
    #[test]
    fn thread_local_teardown_reads_as_usual() {
        use std::sync::Mutex;
        static SEEN: Mutex<Option<Result<SessionValue, String>>> = Mutex::new(None);
        struct ReadsOnDrop;
        impl Drop for ReadsOnDrop {
            fn drop(&mut self) {
                let value = SessionValue::List(vec!["late".into()]);
                let read = from_session_value::<SessionValue>(value).map_err(|e| e.to_string());
                *SEEN.lock().unwrap() = Some(read);
            }
        }
        thread_local! { static LATE: ReadsOnDrop = const { ReadsOnDrop }; }
        std::thread::spawn(|| {
            // Registered first, so destroyed after the slot (destruction runs in reverse).
            LATE.with(|_| {});
            let _: SessionValue = from_session_value(SessionValue::List(vec![])).unwrap();
        })
        .join()
        .unwrap();
        assert_eq!(
            SEEN.lock().unwrap().take(),
            Some(Ok(SessionValue::List(vec!["late".into()])))
        );
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
