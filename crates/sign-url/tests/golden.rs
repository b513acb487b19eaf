//! Golden tokens of the URL-safe serializers (compact JSON, base64, zlib), produced by Python
//! itsdangerous 2.2.0 with CPython's zlib 1.2.13 (the Python call is in each comment).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use python_json::{Value, json};
use sign_core::FixedClock;
use sign_core::{ErrorKind, Signer};
use sign_url::{CompressionPolicy, UrlSafeCodec, UrlSafeSerializer, UrlSafeTimedSerializer};

const T0: u64 = 1_308_874_145;

#[test]
fn uncompressed_tokens_are_byte_identical() {
    let s = UrlSafeSerializer::new("secret-key").unwrap();
    // URLSafeSerializer("secret-key").dumps(...)
    let table = [
        (
            json!({"id": 42}),
            "eyJpZCI6NDJ9.Z-HaNt236Oj5pFDPW25MouYkrcA",
        ),
        (
            json!([1, 2, 3, 4]),
            "WzEsMiwzLDRd.wSPHqC0gR7VUqivlSukJ0IeTDgo",
        ),
        (json!("é"), "IsOpIg.JSgGfG4ugRlgzuUR4pFC_6i1n3Q"),
        (json!("😀"), "IvCfmIAi.qLgPYM9xccXmiIxvUGMKjO4CD0Q"),
        (json!(""), "IiI._Iut_K7j993DU84gUDpXhDgjl9w"),
        (json!({}), "e30.zuCYJsixFQeQ4S8DeI_iJkct5kg"),
        (json!(null), "bnVsbA.iCWabtc1I2B25RkvFgEQdW1n8UM"),
        (json!([]), "W10.RGTMXbfiRI6lk8ams5M5u4JeQ5w"),
        (
            json!("a".repeat(11)),
            "ImFhYWFhYWFhYWFhIg.rPoXBoxYswp3n66xJJyhvLvsSkw",
        ),
    ];
    for (value, token) in table {
        assert_eq!(s.dumps(&value).unwrap(), token, "{value}");
        assert_eq!(s.loads::<Value>(token).unwrap(), value);
    }
    // 2**100
    let big: Value = python_json::from_slice(b"1267650600228229401496703205376").unwrap();
    assert_eq!(
        s.dumps(&big).unwrap(),
        "MTI2NzY1MDYwMDIyODIyOTQwMTQ5NjcwMzIwNTM3Ng.fH5Y3TP5l9bpNGqRh67ldulHjF0"
    );
    // URLSafeSerializer("secret-key", salt="activate").dumps(42)
    let activate = UrlSafeSerializer::builder()
        .key("secret-key")
        .salt("activate")
        .build()
        .unwrap();
    assert_eq!(
        activate.dumps(&42).unwrap(),
        "NDI.MHQqszw6Wc81wOBQszCrEE_RlzY"
    );
    // URLSafeTimedSerializer("secret-key").dumps({"id": 42}) at T0
    let timed = UrlSafeTimedSerializer::builder()
        .key("secret-key")
        .clock(FixedClock(T0))
        .build()
        .unwrap();
    assert_eq!(
        timed.dumps(&json!({"id": 42})).unwrap(),
        "eyJpZCI6NDJ9.TgPVoQ.OrMFcbcNb1bOevFzF4w643CiYnI"
    );
}

#[test]
fn python_compressed_tokens_load() {
    let s = UrlSafeSerializer::new("secret-key").unwrap();
    // URLSafeSerializer("secret-key").dumps("a"*1000), "a"*12
    assert_eq!(
        s.loads::<Value>(".eJxTShwFo2AUDHugBAD6Fns8.NYEsGZpsS7Gu_E4ck8v7NEZ78HQ")
            .unwrap(),
        json!("a".repeat(1000))
    );
    assert_eq!(
        s.loads::<Value>(".eJxTSkQCSgAkJgTR.cRdmGVxUzuU5aHubj6soFKi0SHU")
            .unwrap(),
        json!("a".repeat(12))
    );
    let timed = UrlSafeTimedSerializer::builder()
        .key("secret-key")
        .clock(FixedClock(T0))
        .build()
        .unwrap();
    assert_eq!(
        timed
            .loads::<Value>(".eJxTShwFo2AUDHugBAD6Fns8.TgPVoQ.fRXLPUYVblkvmE1sUMSzMUJ1o1Q")
            .unwrap(),
        json!("a".repeat(1000))
    );
}

#[test]
fn compression_threshold() {
    let s = UrlSafeSerializer::new("secret-key").unwrap();
    // "a"*11 is not compressed (13 vs 12 bytes), "a"*12 is (14 vs 12).
    assert!(!s.dumps(&"a".repeat(11)).unwrap().starts_with('.'));
    assert!(s.dumps(&"a".repeat(12)).unwrap().starts_with('.'));
    // "abcabcabcabc" (14, 14) and "abababababab" (14, 13) are not; [1,1,1,1,1,1,1] (15, 13) is.
    assert!(!s.dumps(&"abcabcabcabc").unwrap().starts_with('.'));
    assert!(!s.dumps(&"abababababab").unwrap().starts_with('.'));
    assert!(s.dumps(&[1, 1, 1, 1, 1, 1, 1]).unwrap().starts_with('.'));
    let never = UrlSafeSerializer::builder()
        .key("secret-key")
        .codec(UrlSafeCodec::default().compression(CompressionPolicy::Never))
        .build()
        .unwrap();
    let token = never.dumps(&"a".repeat(1000)).unwrap();
    assert!(!token.starts_with('.'));
    assert_eq!(
        never.loads::<Value>(&token).unwrap(),
        json!("a".repeat(1000))
    );
    // A "never" serializer still reads compressed tokens.
    assert_eq!(
        never
            .loads::<Value>(".eJxTSkQCSgAkJgTR.cRdmGVxUzuU5aHubj6soFKi0SHU")
            .unwrap(),
        json!("a".repeat(12))
    );
}

#[test]
fn compressed_marker_ignores_the_separator() {
    // URLSafeTimedSerializer("secret-key", signer_kwargs={"sep": "~"}).dumps("a"*12)-like:
    // the compression marker is always ".".
    let s = UrlSafeTimedSerializer::builder()
        .key("secret-key")
        .separator("~")
        .clock(FixedClock(T0))
        .build()
        .unwrap();
    let token = s.dumps(&"a".repeat(1000)).unwrap();
    assert!(
        token.starts_with('.') && token.contains("~TgPVoQ~"),
        "{token}"
    );
    assert_eq!(s.loads::<Value>(&token).unwrap(), json!("a".repeat(1000)));
}

#[test]
fn bad_payloads_under_valid_signatures() {
    let s = UrlSafeSerializer::new("secret-key").unwrap();
    let signer = Signer::builder()
        .key("secret-key")
        .salt("itsdangerous")
        .build()
        .unwrap();
    for payload in [&b"!!!!x"[..], b".eJw", b".AAAA", b"bm90IGpzb24", b""] {
        let err = s.loads::<Value>(signer.sign(payload)).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::BadPayload, "{payload:?}");
    }
    assert_eq!(s.loads::<Value>(signer.sign("e30")).unwrap(), json!({}));
}

#[cfg(feature = "c-zlib")]
#[test]
fn c_zlib_compressed_tokens_are_byte_identical() {
    let s = UrlSafeSerializer::new("secret-key").unwrap();
    assert_eq!(
        s.dumps(&"a".repeat(1000)).unwrap(),
        ".eJxTShwFo2AUDHugBAD6Fns8.NYEsGZpsS7Gu_E4ck8v7NEZ78HQ"
    );
    assert_eq!(
        s.dumps(&"a".repeat(12)).unwrap(),
        ".eJxTSkQCSgAkJgTR.cRdmGVxUzuU5aHubj6soFKi0SHU"
    );
    let timed = UrlSafeTimedSerializer::builder()
        .key("secret-key")
        .clock(FixedClock(T0))
        .build()
        .unwrap();
    assert_eq!(
        timed.dumps(&"a".repeat(1000)).unwrap(),
        ".eJxTShwFo2AUDHugBAD6Fns8.TgPVoQ.fRXLPUYVblkvmE1sUMSzMUJ1o1Q"
    );
}
