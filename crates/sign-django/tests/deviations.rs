//! Where this crate is deliberately stricter than Django (each row of docs/django.md's
//! deviation table has its test here).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write as _;

use python_json::{Value, json};
use sign_core::FixedClock;
use sign_core::encoding::base64_encode;
use sign_django::{
    DjangoSessions, Session, build_signer, session_builder, signer_builder, signing_builder,
    timestamp_signer_builder,
};

const T0: u64 = 1_700_000_000;

/// A valid Django `TimestampSigner` token over `text` with the salt of `signing.dumps`.
fn signed(text: &str, salt: &str) -> String {
    let signer = build_signer(&timestamp_signer_builder().key("k").salt(salt)).unwrap();
    String::from_utf8(signer.sign(format!("{text}:{}", sign_django::base62::encode(T0)))).unwrap()
}

#[test]
fn base64_inside_a_payload_must_be_canonical() {
    // Django's urlsafe_b64decode drops characters outside the alphabet and takes padding;
    // `eyJhIjoxfQ` is {"a":1}. Each variant below is validly signed and loads in Django.
    let loads = signing_builder(false)
        .key("k")
        .clock(FixedClock(T0))
        .build()
        .unwrap();
    let good: Value = loads
        .loads(signed("eyJhIjoxfQ", "django.core.signing"))
        .unwrap();
    assert_eq!(good, json!({"a": 1}));
    for lenient in ["eyJhIjoxfQ==", "eyJh!!!IjoxfQ", "eyJhIjoxfR"] {
        let error = loads
            .loads::<Value>(signed(lenient, "django.core.signing"))
            .unwrap_err();
        assert!(error.is_bad_payload(), "{lenient}: {error}");
    }
}

#[test]
fn decompression_is_bounded() {
    // Django inflates without a limit; a 2 MiB session is a BadPayload here.
    let mut encoder = flate2_free_zlib(&vec![b' '; 2 << 20]);
    encoder.insert(0, b'.');
    let text = String::from_utf8(encoder).unwrap();
    let sessions = DjangoSessions::from_serializer(
        session_builder()
            .key("k")
            .clock(FixedClock(T0))
            .build()
            .unwrap(),
    )
    .unwrap();
    let error = sessions
        .loads(&signed(
            &text,
            "django.contrib.sessions.backends.signed_cookies",
        ))
        .unwrap_err();
    assert!(error.is_bad_payload(), "{error}");
}

/// `.`-less URL-safe base64 of a zlib stream of `data`, made by the crate's own codec.
fn flate2_free_zlib(data: &[u8]) -> Vec<u8> {
    // A stored (uncompressed) zlib stream needs no compressor: header, blocks, Adler-32.
    let mut out = vec![0x78, 0x01];
    let mut chunks = data.chunks(65_535).peekable();
    while let Some(chunk) = chunks.next() {
        out.push(u8::from(chunks.peek().is_none()));
        let len = u16::try_from(chunk.len()).unwrap();
        out.write_all(&len.to_le_bytes()).unwrap();
        out.write_all(&(!len).to_le_bytes()).unwrap();
        out.write_all(chunk).unwrap();
    }
    let (mut a, mut b) = (1u32, 0u32);
    for &byte in data {
        a = (a + u32::from(byte)) % 65_521;
        b = (b + a) % 65_521;
    }
    out.write_all(&((b << 16) | a).to_be_bytes()).unwrap();
    base64_encode(out).into_bytes()
}

#[test]
fn a_session_must_be_an_object() {
    // signing.loads gives Django's SessionStore a list, which breaks the first lookup;
    // DjangoSessions says BadPayload at once (the vector runner, like signing.loads, takes it).
    let sessions = DjangoSessions::from_serializer(
        session_builder()
            .key("k")
            .clock(FixedClock(T0))
            .build()
            .unwrap(),
    )
    .unwrap();
    let list = signed("WzEsMl0", "django.contrib.sessions.backends.signed_cookies");
    assert!(sessions.loads(&list).unwrap_err().is_bad_payload());
    let _: Session = sessions
        .loads(&signed(
            "e30",
            "django.contrib.sessions.backends.signed_cookies",
        ))
        .unwrap();
}

#[test]
fn ages_are_whole_seconds() {
    // Django compares a float time.time(); the clock here counts whole seconds, so a token
    // stays valid up to one second longer (until now - signed > max_age in whole seconds).
    let signer = build_signer(&timestamp_signer_builder().key("k")).unwrap();
    let timed =
        sign_django::DjangoTimestampSigner::from_signer_with_format(signer, sign_django::Django);
    let token = timed.sign_at("v", T0);
    assert!(
        timed
            .clone()
            .with_clock(FixedClock(T0 + 10))
            .unsign_max_age(&token, 10u64)
            .is_ok()
    );
    assert!(
        timed
            .with_clock(FixedClock(T0 + 11))
            .unsign_max_age(&token, 10u64)
            .unwrap_err()
            .is_expired()
    );
}

#[test]
fn django_refuses_the_same_separators() {
    // Django's _SEP_UNSAFE is ^[A-z0-9-_=]*$: "^" alone is refused; the engine additionally
    // refuses any separator containing a base64 character (Django takes "a|").
    assert!(build_signer(&signer_builder().key("k").separator("^")).is_err());
    assert!(build_signer(&signer_builder().key("k").separator("a|")).is_err());
    assert!(build_signer(&signer_builder().key("k").separator("|")).is_ok());
}
