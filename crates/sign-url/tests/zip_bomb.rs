//! A validly signed token whose payload inflates past the bound fails with `BadPayload`, on
//! the verified path and on the unverified (`dangerous`) path, without allocating past the
//! bound.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use python_json::Value;
use sign_core::{ErrorKind, Signer};
use sign_url::dangerous::inflate_bounded;
use sign_url::{INFLATE_CHUNK, UrlSafeCodec, UrlSafeSerializer, dangerous};

/// A zlib stream of 50 MB of a JSON string (`"aaaa…"`), about 50 KB compressed.
fn bomb_token(signer: &Signer) -> Vec<u8> {
    let mut json = vec![b'a'; 50 << 20];
    json.insert(0, b'"');
    json.push(b'"');
    let mut compressed = Vec::new();
    tamperproof_zlib::compress(&json, &mut compressed);
    let mut payload = b".".to_vec();
    payload.extend_from_slice(sign_core::encoding::base64_encode(&compressed).as_bytes());
    signer.sign(payload)
}

#[test]
fn signed_zip_bomb_is_rejected_with_bad_payload() {
    let serializer = UrlSafeSerializer::new("secret-key").unwrap();
    let signer = Signer::builder()
        .key("secret-key")
        .salt("itsdangerous")
        .build()
        .unwrap();
    let token = bomb_token(&signer);
    assert!(token.len() < 100_000, "{}", token.len());
    let err = serializer.loads::<Value>(&token).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::BadPayload);
    assert!(err.to_string().contains("limit"), "{err}");
}

#[test]
fn the_bound_is_configurable() {
    let signer = Signer::builder()
        .key("secret-key")
        .salt("itsdangerous")
        .build()
        .unwrap();
    let token = bomb_token(&signer);
    let generous = UrlSafeSerializer::builder()
        .key("secret-key")
        .codec(UrlSafeCodec::default().max_decompressed_size(64 << 20))
        .build()
        .unwrap();
    let value: Value = generous.loads(&token).unwrap();
    assert_eq!(value.as_str().map(str::len), Some(50 << 20));
}

#[test]
fn unverified_decode_respects_the_bound() {
    let signer = Signer::builder()
        .key("secret-key")
        .salt("itsdangerous")
        .build()
        .unwrap();
    let token = bomb_token(&signer);
    let err = dangerous::decode_unverified(&token, b".", 1 << 20).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::BadPayload);
}

/// Only the output buffer's final capacity: the true peak of the call (reallocations
/// included) is measured with a tracking allocator in tamperproof-memcheck's
/// `inflate_peak` test, which this crate cannot install (no unsafe code here).
#[test]
fn final_output_capacity_stays_within_limit_plus_one_chunk() {
    let signer = Signer::builder()
        .key("secret-key")
        .salt("itsdangerous")
        .build()
        .unwrap();
    let token = bomb_token(&signer);
    let payload = &token[1..token.iter().rposition(|b| *b == b'.').unwrap()];
    let compressed = sign_core::encoding::base64_decode(payload).unwrap();
    let limit = 1 << 20;
    let mut out = Vec::new();
    assert!(inflate_bounded(&compressed, limit, &mut out).is_err());
    assert!(
        out.capacity() <= limit + INFLATE_CHUNK,
        "{}",
        out.capacity()
    );
}

#[test]
fn verification_happens_before_decompression() {
    // A forged bomb (wrong key) is rejected as BadSignature: nothing was inflated.
    let forger = Signer::builder()
        .key("not-the-key")
        .salt("itsdangerous")
        .build()
        .unwrap();
    let token = bomb_token(&forger);
    let serializer = UrlSafeSerializer::new("secret-key").unwrap();
    assert_eq!(
        serializer.loads::<Value>(&token).unwrap_err().kind(),
        ErrorKind::BadSignature
    );
}
