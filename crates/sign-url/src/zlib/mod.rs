//! zlib for URL-safe payloads: Python's compress-or-not rule, and inflation with a hard bound
//! on the output size.
//!
//! # Backends
//!
//! [`tamperproof_zlib`] (safe Rust, sized to the payload) inflates every stream, and
//! compresses unless the `c-zlib` feature is on. With `c-zlib`, C zlib (through flate2)
//! compresses, so compressed tokens are byte-identical to the ones CPython's `zlib.compress`
//! writes (`c_zlib.rs`). Either way the stream starts with the usual zlib header `78 9c`.
//! docs/PERFORMANCE.md has the measurements behind the choice.
//!
//! # The compress-or-not rule
//!
//! Python keeps the compressed form of a payload of `n` bytes only when it is shorter than
//! `n - 1` bytes, that is at most `n - 2`. tamperproof-zlib's
//! [`compress_if_at_most`](tamperproof_zlib::compress_if_at_most) answers that from the
//! compressor's own block sizes before it writes a bit, so the answer is the compressor's by
//! construction; C zlib is asked only when a proven bound (in `c_zlib.rs`) cannot rule the
//! saving out. `decision_is_the_full_compressors` checks both builds against the full
//! compressor on 140,000 payloads.

#[cfg(feature = "c-zlib")]
mod c_zlib;

pub use tamperproof_zlib::InflateError;

/// Bytes inflated per step: loading fails after at most `limit + INFLATE_CHUNK` bytes of
/// output have been allocated.
pub const INFLATE_CHUNK: usize = tamperproof_zlib::INFLATE_STEP;

/// Python's rule: compresses `data` into `out` and returns `true` when the zlib stream is at
/// least 2 bytes shorter than `data`; otherwise returns `false` (`out` then holds nothing
/// useful).
pub(crate) fn compress_if_shorter(data: &[u8], out: &mut Vec<u8>) -> bool {
    #[cfg(feature = "c-zlib")]
    {
        c_zlib::compress_if_shorter(data, out)
    }
    #[cfg(not(feature = "c-zlib"))]
    {
        let Some(max_len) = data.len().checked_sub(2) else {
            out.clear();
            return false;
        };
        tamperproof_zlib::compress_if_at_most(data, max_len, out)
    }
}

/// Inflates the zlib stream `data` into `out` (cleared first), failing as soon as the output
/// would exceed `limit` bytes. `out` never grows beyond `limit + INFLATE_CHUNK` bytes.
///
/// Data after the end of the stream is ignored, as Python's `zlib.decompress` does.
///
/// # Errors
/// [`InflateError::TooLarge`] past the limit, [`InflateError::Invalid`] for a bad stream.
pub fn inflate_bounded(data: &[u8], limit: usize, out: &mut Vec<u8>) -> Result<(), InflateError> {
    tamperproof_zlib::inflate(data, limit, out)
}

/// The whole zlib stream of `data`, from the compressor this build uses.
#[cfg(test)]
fn compress_fully(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    #[cfg(feature = "c-zlib")]
    c_zlib::compress(data, &mut out).unwrap();
    #[cfg(not(feature = "c-zlib"))]
    tamperproof_zlib::compress(data, &mut out);
    out
}

/// Payload generators shared by this module's tests and `c_zlib`'s.
#[cfg(test)]
mod payloads {
    /// A JSON object of up to 6 members, as the URL-safe serializers write it.
    pub(super) fn json_payload() -> impl proptest::strategy::Strategy<Value = Vec<u8>> {
        use proptest::prelude::*;
        use serde_json::{Map, Value, json};
        let scalar = prop_oneof![
            any::<i64>().prop_map(|n| json!(n)),
            (0u32..100_000).prop_map(|n| json!(n)),
            "[a-zA-Z0-9@._ -]{0,24}".prop_map(Value::String),
            "[0-9a-f]{8,64}".prop_map(Value::String),
            any::<bool>().prop_map(Value::Bool),
            Just(Value::Null),
        ];
        let value = prop_oneof![
            4 => scalar.clone(),
            1 => proptest::collection::vec(scalar, 0..4).prop_map(Value::Array),
        ];
        proptest::collection::vec(("[a-z_]{1,10}", value), 0..6).prop_map(|members| {
            let object: Map<String, Value> = members.into_iter().collect();
            serde_json::to_vec(&Value::Object(object)).unwrap()
        })
    }

    /// The payloads the serializers sign most: a small user dict, a password-reset dict, a
    /// Flask-Login session (SHA-512 hex `_id`, SHA-1 hex `csrf_token`, optional cart), with
    /// random values of realistic lengths.
    pub(super) fn realistic_payload() -> impl proptest::strategy::Strategy<Value = Vec<u8>> {
        use proptest::prelude::*;
        use serde_json::json;
        let small = (
            0u32..1_000_000,
            "[a-z]{1,12}",
            proptest::collection::vec("[a-z]{3,8}", 0..4),
            any::<bool>(),
        )
            .prop_map(|(id, name, roles, active)| {
                json!({"id": id, "name": name, "roles": roles, "active": active})
            });
        let reset = (0u32..10_000_000, "[a-z.]{1,16}", "[a-z]{2,10}", "[a-z-]{5,20}").prop_map(
            |(user_id, user, domain, purpose)| {
                json!({"user_id": user_id, "email": format!("{user}@{domain}.com"), "purpose": purpose})
            },
        );
        let session = (
            any::<bool>(),
            "[0-9a-f]{128}",
            0u32..100_000,
            "[0-9a-f]{40}",
            proptest::collection::vec(("[A-Z]{2,4}-[0-9]{4}", 1u8..10), 0..3),
        )
            .prop_map(|(fresh, id, user, csrf, cart)| {
                let mut session = json!({
                    "_fresh": fresh, "_id": id, "_user_id": user.to_string(), "csrf_token": csrf,
                });
                if !cart.is_empty()
                    && let Some(map) = session.as_object_mut()
                {
                    let items: Vec<_> = cart
                        .iter()
                        .map(|(sku, n)| json!({"sku": sku, "qty": n}))
                        .collect();
                    map.insert("cart".into(), items.into());
                }
                session
            });
        prop_oneof![small, reset, session].prop_map(|value| serde_json::to_vec(&value).unwrap())
    }

    /// Bytes of length 0..=160 from an alphabet of 2 to 256 symbols (low-entropy inputs are
    /// the ones near the bound).
    pub(super) fn byte_payload() -> impl proptest::strategy::Strategy<Value = Vec<u8>> {
        use proptest::prelude::*;
        (1u32..=8, any::<u8>()).prop_flat_map(|(bits, offset)| {
            proptest::collection::vec(
                any::<u8>().prop_map(move |b| (b >> (8 - bits)).wrapping_add(offset)),
                0..=160,
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::payloads::{byte_payload, json_payload, realistic_payload};
    use super::*;

    #[test]
    fn round_trip() {
        for data in [&b""[..], b"a", &[b'a'; 100_000], b"{\"id\":42}"] {
            let mut out = Vec::new();
            inflate_bounded(&compress_fully(data), 1 << 20, &mut out).unwrap();
            assert_eq!(out, data);
        }
    }

    #[test]
    fn bound_is_enforced_and_memory_stays_bounded() {
        let bomb = compress_fully(&vec![0u8; 50_000_000]);
        assert!(bomb.len() < 60_000, "{}", bomb.len());
        for limit in [0, 1, 1000, 1 << 20] {
            let mut out = Vec::new();
            let err = inflate_bounded(&bomb, limit, &mut out).unwrap_err();
            assert_eq!(err, InflateError::TooLarge { limit });
            assert!(
                out.capacity() <= limit + INFLATE_CHUNK,
                "{} > {limit} + chunk",
                out.capacity()
            );
        }
    }

    #[test]
    fn a_large_caller_buffer_does_not_lift_the_bound() {
        let bomb = compress_fully(&vec![b'0'; 20_000_000]);
        let mut out = Vec::with_capacity(16 << 20);
        let err = inflate_bounded(&bomb, 1000, &mut out).unwrap_err();
        assert_eq!(err, InflateError::TooLarge { limit: 1000 });
        assert!(
            out.len() <= 1001 && out.capacity() <= 1000 + INFLATE_CHUNK,
            "{}",
            out.len()
        );
    }

    #[test]
    fn exact_limit_is_allowed() {
        let data = vec![7u8; 5000];
        let mut out = Vec::new();
        inflate_bounded(&compress_fully(&data), 5000, &mut out).unwrap();
        assert_eq!(out, data);
        assert!(inflate_bounded(&compress_fully(&data), 4999, &mut out).is_err());
    }

    #[test]
    fn invalid_streams() {
        let mut out = Vec::new();
        for bad in [
            &b""[..],
            b"x\x9c",
            b"\x00\x00\x00\x00",
            b"garbage data here",
        ] {
            assert_eq!(
                inflate_bounded(bad, 1 << 20, &mut out),
                Err(InflateError::Invalid),
                "{bad:?}"
            );
        }
        let mut truncated = compress_fully(&[b'a'; 1000]);
        truncated.truncate(truncated.len() - 3);
        assert_eq!(
            inflate_bounded(&truncated, 1 << 20, &mut out),
            Err(InflateError::Invalid)
        );
    }

    #[test]
    fn trailing_data_is_ignored_like_python() {
        let mut stream = compress_fully(b"hello");
        stream.extend_from_slice(b"trailing");
        let mut out = Vec::new();
        inflate_bounded(&stream, 100, &mut out).unwrap();
        assert_eq!(out, b"hello");
    }

    /// `compress_if_shorter` gives the full compressor's answer under Python's rule, and
    /// when it compresses, the full compressor's bytes; in whichever build this is.
    #[test]
    fn decision_is_the_full_compressors() {
        use proptest::test_runner::{Config, TestCaseError, TestRunner};
        use std::cell::Cell;

        let kept = Cell::new(0usize);
        let check = |data: Vec<u8>| -> Result<(), TestCaseError> {
            let full = compress_fully(&data);
            proptest::prop_assert!(full.starts_with(&[0x78, 0x9c]), "{full:02x?}");
            let compresses = full.len() + 1 < data.len();
            let mut out = Vec::new();
            let decided = compress_if_shorter(&data, &mut out);
            proptest::prop_assert_eq!(decided, compresses, "{:?}", data);
            if decided {
                kept.set(kept.get() + 1);
                proptest::prop_assert_eq!(&out, &full);
            }
            Ok(())
        };
        let config = |cases| Config {
            cases,
            failure_persistence: None,
            ..Config::default()
        };
        TestRunner::new(config(60_000))
            .run(&byte_payload(), check)
            .unwrap();
        TestRunner::new(config(60_000))
            .run(&json_payload(), check)
            .unwrap();
        TestRunner::new(config(20_000))
            .run(&realistic_payload(), check)
            .unwrap();
        // Both answers occur.
        assert!(kept.get() > 10_000, "{}", kept.get());
        assert!(kept.get() < 130_000, "{}", kept.get());
    }

    #[test]
    fn short_json_is_kept_uncompressed_and_repetitive_text_is_compressed() {
        let small = br#"{"id":42,"name":"alice","roles":["admin","user"],"active":true}"#;
        assert!(!compress_if_shorter(small, &mut Vec::new()));
        assert!(!compress_if_shorter(b"", &mut Vec::new()));
        assert!(!compress_if_shorter(b"a", &mut Vec::new()));
        let mut out = Vec::new();
        assert!(compress_if_shorter(&[b'a'; 100], &mut out));
        assert!(out.starts_with(&[0x78, 0x9c]));
    }
}
