//! Flask session cookies: `SessionSerializer::loads` and the keyless `dangerous` decode on
//! arbitrary bytes. No panic; a cookie that verifies carries exactly the signature Flask's
//! signer computes; any input round-trips as a session value; keyless decoding stays bounded.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sign_core::{KeyDerivation, Signer};
use sign_flask::SessionValue;
use tamperproof_fuzz::{KEY, assert_signature_part, flask_sessions};

fuzz_target!(|data: &[u8]| {
    let sessions = flask_sessions();
    match sessions.loads::<SessionValue>(data) {
        Ok(_) => {
            let Ok(signer) = Signer::builder()
                .key(KEY)
                .salt("cookie-session")
                .key_derivation(KeyDerivation::Hmac)
                .build()
            else {
                unreachable!("Flask's signer builds");
            };
            assert_signature_part(&signer, data);
        }
        Err(error) => assert!(
            error.is_bad_signature() || error.is_bad_payload(),
            "unexpected error class {error:?}"
        ),
    }
    if let Ok(session) = sign_flask::dangerous::decode_unverified(data, &Default::default()) {
        // Whatever decodes without a key re-encodes (the tagged form is total).
        let _ = session.to_tagged_json();
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
