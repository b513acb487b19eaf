//! Every serializer kind, on a 2 MiB thread: dumps of a value nested 100,000 deep is an error
//! (never a stack overflow), and a value nested as deep as the reader allows
//! (`json::MAX_DEPTH`) signs and loads back.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use serde::ser::{Serialize, SerializeMap, SerializeSeq};
use tamperproof::ErrorKind;
use tamperproof::flask::{SessionValue, session_serializer};
use tamperproof::jws::{JwsSerializer, TimedJwsSerializer};
use tamperproof::serializer::json::{MAX_DEPTH, Value};
use tamperproof::serializer::{Serializer, TimedSerializer};
use tamperproof::url_safe::{UrlSafeSerializer, UrlSafeTimedSerializer};

/// Lists and dicts nested `0` deep, produced while serializing (no tree to build or drop).
struct Deep(usize);

impl Serialize for Deep {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.0 == 0 {
            return serializer.serialize_u8(1);
        }
        if self.0.is_multiple_of(2) {
            let mut seq = serializer.serialize_seq(Some(1))?;
            seq.serialize_element(&Deep(self.0 - 1))?;
            seq.end()
        } else {
            let mut map = serializer.serialize_map(Some(1))?;
            map.serialize_entry("k", &Deep(self.0 - 1))?;
            map.end()
        }
    }
}

/// Dicts only, `0` deep, each level's first key a tag key when `tag_first` (`{" t": 1, "k":
/// ...}`: the Flask reader reads such an object's first entry ahead), the deepest nesting per
/// stack frame the readers see (the review of 2026-12-04 measured dicts alone deeper in
/// stack than `Deep`'s alternation).
struct DeepDicts {
    depth: usize,
    tag_first: bool,
}

impl Serialize for DeepDicts {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.depth == 0 {
            return serializer.serialize_u8(1);
        }
        let inner = DeepDicts {
            depth: self.depth - 1,
            tag_first: self.tag_first,
        };
        let mut map = serializer.serialize_map(None)?;
        if self.tag_first {
            map.serialize_entry(" t", &1)?;
        }
        map.serialize_entry("k", &inner)?;
        map.end()
    }
}

fn on_small_stack(f: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(f)
        .unwrap()
        .join()
        .unwrap();
}

/// Dumps 100,000 deep fails with `BadPayload`; `MAX_DEPTH` deep round-trips.
macro_rules! check_kind {
    ($name:literal, $serializer:expr, $value:ty) => {{
        let serializer = $serializer;
        let err = serializer.dumps(&Deep(100_000)).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::BadPayload, "{}", $name);
        let token = serializer.dumps(&Deep(MAX_DEPTH)).expect($name);
        let value: $value = serializer.loads(&token).expect($name);
        drop(value);
    }};
}

#[test]
fn every_serializer_refuses_hostile_depth_and_keeps_the_allowed_depth() {
    on_small_stack(|| {
        check_kind!("Serializer", Serializer::new("k").unwrap(), Value);
        check_kind!("TimedSerializer", TimedSerializer::new("k").unwrap(), Value);
        check_kind!(
            "URLSafeSerializer",
            UrlSafeSerializer::new("k").unwrap(),
            Value
        );
        check_kind!(
            "URLSafeTimedSerializer",
            UrlSafeTimedSerializer::new("k").unwrap(),
            Value
        );
        check_kind!("JwsSerializer", JwsSerializer::new("k").unwrap(), Value);
        check_kind!(
            "TimedJwsSerializer",
            TimedJwsSerializer::new("k").unwrap(),
            Value
        );
        // The Flask tagger builds a session value first: it is bounded too.
        check_kind!(
            "SessionSerializer",
            session_serializer("k").unwrap(),
            SessionValue
        );
        // Django's signing.dumps (plain and compressed; the session backend is the compressed
        // one with another salt) and Starlette's session serializer.
        check_kind!(
            "Django signing.dumps",
            sign_django::signing_builder(false)
                .key("k")
                .build()
                .unwrap(),
            Value
        );
        check_kind!(
            "Django signing.dumps(compress=True)",
            sign_django::signing_builder(true).key("k").build().unwrap(),
            Value
        );
        check_kind!(
            "Starlette session serializer",
            sign_starlette::session_builder().key("k").build().unwrap(),
            Value
        );
        // Typed targets through the same reader: serde_json's own value type.
        let serializer = UrlSafeSerializer::new("k").unwrap();
        let token = serializer.dumps(&Deep(MAX_DEPTH)).unwrap();
        let typed: serde_json::Value = serializer.loads(&token).unwrap();
        assert!(typed.is_array());
        // The Flask tagger's typed targets read through its untagging wrapper, a few calls
        // more per level than the reader alone.
        let sessions = session_serializer("k").unwrap();
        let token = sessions.dumps(&Deep(MAX_DEPTH)).unwrap();
        let typed: serde_json::Value = sessions.loads(&token).unwrap();
        assert!(typed.is_array());
        let typed: Value = sessions.loads(&token).unwrap();
        assert!(matches!(typed, Value::Array(_)));
    });
}

/// The deepest stack the readers use: dicts alone, `MAX_DEPTH` deep, read on a 2 MiB thread
/// (in a debug build here, as `cargo test` runs) through every Flask target kind and the plain
/// reader; one level more is `BadPayload` on each.
#[test]
fn dicts_alone_at_the_allowed_depth_fit_a_small_stack() {
    on_small_stack(|| {
        let sessions = session_serializer("k").unwrap();
        let url = UrlSafeSerializer::new("k").unwrap();
        for tag_first in [false, true] {
            let deepest = DeepDicts {
                depth: MAX_DEPTH,
                tag_first,
            };
            let token = sessions.dumps(&deepest).unwrap();
            let value: Value = sessions.loads(&token).unwrap();
            assert!(matches!(value, Value::Object(_)));
            drop(value);
            let typed: serde_json::Value = sessions.loads(&token).unwrap();
            assert!(typed.is_object());
            drop(typed);
            let session: SessionValue = sessions.loads(&token).unwrap();
            drop(session);
            let token = url.dumps(&deepest).unwrap();
            let value: Value = url.loads(&token).unwrap();
            drop(value);
            let typed: serde_json::Value = url.loads(&token).unwrap();
            drop(typed);

            // Written by hand (our writers refuse more): `levels` deep loads at the limit,
            // and is `BadPayload` one level more.
            let cookie = |levels: usize| {
                let inner = if tag_first {
                    r#"{" t":1,"k":1}"#
                } else {
                    r#"{"k":1}"#
                };
                let open = if tag_first {
                    r#"{" t":1,"k":"#
                } else {
                    r#"{"k":"#
                };
                let text = format!(
                    "{}{inner}{}",
                    open.repeat(levels - 1),
                    "}".repeat(levels - 1)
                );
                sessions
                    .dumps_encoded(|_, out| {
                        tamperproof::encoding::base64_encode_into(text.as_bytes(), out);
                        Ok(())
                    })
                    .unwrap()
            };
            let at_limit = cookie(MAX_DEPTH);
            assert!(sessions.loads::<Value>(&at_limit).is_ok());
            assert!(sessions.loads::<serde_json::Value>(&at_limit).is_ok());
            let past = cookie(MAX_DEPTH + 1);
            let error = sessions.loads::<Value>(&past).unwrap_err();
            assert_eq!(error.kind(), ErrorKind::BadPayload);
            let error = sessions.loads::<serde_json::Value>(&past).unwrap_err();
            assert_eq!(error.kind(), ErrorKind::BadPayload);
        }
    });
}
