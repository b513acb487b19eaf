//! `TimedJwsSerializer::loads` on arbitrary bytes, fixed key and clock: no panic; a token that
//! verifies carries exactly the signature our signer computes; any input round-trips as a
//! string payload. Behind the MAC: the input split at its first `0xff` into header and
//! payload JSON, base64-encoded and signed with the fixed key, so header parsing, `alg` and
//! `exp` (`int_date.rs`) and the payload JSON are fuzzed with a valid signature.
#![no_main]

use libfuzzer_sys::fuzz_target;
use python_json::Value;
use sign_core::ErrorKind;
use sign_jws::WithHeader;
use tamperproof_fuzz::{assert_signature_part, jws_signed_part, split_two, timed_jws_serializer};

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
                || error.kind() == ErrorKind::BadData,
            "unexpected error class {error:?}"
        ),
    }
    // Behind the MAC, twice: the input itself as the signed part, and as header/payload JSON.
    let (header, payload) = split_two(data);
    for signed in [data.to_vec(), jws_signed_part(header, payload)] {
        let token = signer.sign(&signed);
        match jws.loads_with_header::<Value>(&token, None) {
            Ok((value, header)) => {
                // Whatever verifies re-signs under the same header to a token that loads.
                let Ok(again) = jws.dumps_with_header(&value, &header) else {
                    unreachable!("a loaded value and header serialize again");
                };
                let reloaded = jws.loads::<Value>(&again);
                assert!(reloaded.is_ok(), "re-signed token fails: {reloaded:?}");
            }
            // The signature is valid: the verdict is about the header, `exp` or the payload.
            Err(error) => assert!(
                error.kind() != ErrorKind::BadSignature || error.message() == "missing expiry date",
                "a validly signed token failed with {error:?}"
            ),
        }
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
