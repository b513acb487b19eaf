//! Flask session cookies: `SessionSerializer::loads` and the keyless `dangerous` decode on
//! arbitrary bytes. No panic; a cookie that verifies carries exactly the signature Flask's
//! signer computes; any input round-trips as a session value; keyless decoding stays bounded.
//! Behind the MAC: the input as tagged JSON (plain base64) and as a zlib stream (`.` +
//! base64), each signed with the fixed key at the fixed time, so the verified tagged-JSON
//! decode is fuzzed with a valid signature.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sign_core::encoding::base64_encode_into;
use sign_flask::SessionValue;
use tamperproof_fuzz::{assert_signature_part, flask_sessions, flask_timestamp_signer};

fuzz_target!(|data: &[u8]| {
    let sessions = flask_sessions();
    let signer = flask_timestamp_signer();
    match sessions.loads::<SessionValue>(data) {
        Ok(_) => assert_signature_part(signer.signer(), data),
        Err(error) => assert!(
            error.is_bad_signature() || error.is_bad_payload(),
            "unexpected error class {error:?}"
        ),
    }
    if let Ok(session) = sign_flask::dangerous::decode_unverified(data, &Default::default()) {
        // Whatever decodes without a key re-encodes (the tagged form is total).
        let _ = session.to_tagged_json();
    }
    // Behind the MAC: plain and compressed payloads signed like Flask signs them.
    let mut plain = Vec::new();
    base64_encode_into(data, &mut plain);
    let mut compressed = b".".to_vec();
    base64_encode_into(data, &mut compressed);
    for payload in [plain, compressed] {
        let cookie = signer.sign(&payload);
        match sessions.loads::<SessionValue>(&cookie) {
            // A verified session re-serializes, and the new cookie loads to the same session.
            Ok(session) => {
                let Ok(again) = sessions.dumps(&session) else {
                    unreachable!("a loaded session serializes again");
                };
                let reloaded = sessions.loads::<SessionValue>(&again);
                assert_eq!(
                    reloaded.ok().as_ref(),
                    Some(&session),
                    "re-signed session differs"
                );
            }
            Err(error) => assert!(
                error.is_bad_payload(),
                "a validly signed cookie failed with {error:?}"
            ),
        }
    }
    let text = String::from_utf8_lossy(data).into_owned();
    let mut session = std::collections::BTreeMap::new();
    session.insert("v".to_owned(), text.clone());
    let Ok(cookie) = sessions.dumps(&session) else {
        unreachable!("a string session always serializes");
    };
    match sessions.loads::<std::collections::BTreeMap<String, String>>(&cookie) {
        Ok(back) => assert_eq!(back.get("v"), Some(&text), "round trip changed the value"),
        Err(error) => unreachable!("round trip failed: {error:?}"),
    }
});
