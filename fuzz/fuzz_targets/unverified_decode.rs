//! `sign_url::dangerous::decode_unverified` on arbitrary bytes: never panics, never inflates
//! past the decompression bound, on the input as a token and as a raw zlib stream.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sign_core::encoding::base64_encode_into;
use sign_url::DEFAULT_MAX_DECOMPRESSED_SIZE;
use sign_url::dangerous::decode_unverified;
use tamperproof_fuzz::url_safe_serializer;

fn check(token: &[u8]) {
    for limit in [DEFAULT_MAX_DECOMPRESSED_SIZE, 1024, 0] {
        match decode_unverified(token, b".", limit) {
            // Compressed (`.`-marked): at most the bound. Plain: base64 only shrinks.
            Ok(out) if token.starts_with(b".") => {
                assert!(out.len() <= limit, "inflated {} > {limit}", out.len());
            }
            Ok(out) => assert!(out.len() <= token.len()),
            Err(error) => assert!(error.is_bad_payload(), "{error:?}"),
        }
    }
}

fuzz_target!(|data: &[u8]| {
    check(data);
    // The input as a compressed payload: `.` + base64url(input) + `.sig`.
    let mut compressed = b".".to_vec();
    base64_encode_into(data, &mut compressed);
    compressed.extend_from_slice(b".sig");
    check(&compressed);
    // Round trip: the input as a string value, dumped and read back unverified.
    let text = String::from_utf8_lossy(data);
    let Ok(token) = url_safe_serializer().dumps(&text) else {
        unreachable!("a string always serializes");
    };
    let inner = decode_unverified(token.as_bytes(), b".", DEFAULT_MAX_DECOMPRESSED_SIZE);
    let Ok(inner) = inner else {
        unreachable!("our own token decodes: {inner:?}");
    };
    let back: Result<String, _> = python_json::from_slice(&inner);
    assert_eq!(back.ok().as_deref(), Some(&*text));
});
