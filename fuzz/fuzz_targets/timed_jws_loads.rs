//! `TimedJwsSerializer::loads` on arbitrary bytes, fixed key and clock: no panic; a token that
//! verifies carries exactly the signature our signer computes; any input round-trips as a
//! string payload.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use tamperproof_fuzz::{assert_signature_part, timed_jws_serializer};

fuzz_target!(|data: &[u8]| {
    let jws = timed_jws_serializer();
    let Ok(signer) = jws.make_signer(None) else {
        unreachable!("the fixed JWS signer builds");
    };
    match jws.loads::<Value>(data) {
        Ok(_) => assert_signature_part(&signer, data),
        Err(error) => assert!(
            error.is_bad_signature()
                || error.is_bad_payload()
                || error.kind() == sign_core::ErrorKind::BadData,
            "unexpected error class {error:?}"
        ),
    }
    let text = String::from_utf8_lossy(data);
    let Ok(token) = jws.dumps(&text) else {
        unreachable!("a string always serializes");
    };
    match jws.loads::<Value>(&token) {
        Ok(Value::String(back)) => assert_eq!(back, text, "round trip changed the value"),
        other => unreachable!("round trip failed: {other:?}"),
    }
});
