//! The keyless decoders agree with the verified ones on validly signed input: the input as a
//! payload (plain and zlib, URL-safe; as JSON text, Serializer; as header/payload, JWS; as
//! tagged JSON, Flask) is signed with the fixed key, then loaded with the key and decoded
//! without it. Both give the same value, or both fail. (The keyless side uses limits as
//! generous as the verified side's own bounds, so neither refuses what the other accepts.)
#![no_main]

use libfuzzer_sys::fuzz_target;
use python_json::Value;
use sign_core::encoding::base64_encode_into;
use sign_flask::SessionValue;
use sign_jws::WithHeader;
use tamperproof_fuzz::{
    flask_sessions, flask_timestamp_signer, generous_limits, jws_signed_part, serializer,
    split_two, url_safe_serializer,
};

fn same<T: PartialEq + std::fmt::Debug, E1: std::fmt::Debug, E2: std::fmt::Debug>(
    what: &str,
    verified: &Result<T, E1>,
    keyless: &Result<T, E2>,
) {
    match (verified, keyless) {
        (Ok(a), Ok(b)) => assert_eq!(a, b, "{what}: keyless value differs"),
        (Err(_), Err(_)) => {}
        _ => unreachable!("{what}: verified {verified:?} but keyless {keyless:?}"),
    }
}

fuzz_target!(|data: &[u8]| {
    let limits = generous_limits();

    // URLSafeSerializer: plain and compressed payloads.
    let url_safe = url_safe_serializer();
    let Some(signer) = url_safe.primary() else {
        unreachable!("a serializer built with a key has a primary signer");
    };
    let mut plain = Vec::new();
    base64_encode_into(data, &mut plain);
    let mut compressed = b".".to_vec();
    base64_encode_into(data, &mut compressed);
    for payload in [plain, compressed] {
        let token = signer.sign(&payload);
        let verified = url_safe.loads::<Value>(&token);
        let unsafe_loaded = sign_serde::dangerous::loads_unsafe_with_limits::<Value, _, _>(
            url_safe, &token, None, None, &limits,
        );
        match (&verified, &unsafe_loaded) {
            (Ok(value), Ok((true, Some(other)))) => assert_eq!(value, other),
            (Err(a), Err(b)) => assert_eq!(a.kind(), b.kind()),
            other => unreachable!("URL-safe loads_unsafe disagrees: {other:?}"),
        }
        let keyless = sign_url::dangerous::decode_unverified_json(&token, b".", &limits)
            .and_then(|text| sign_serde::decode_json::<Value>(&text));
        same("URL-safe decode_unverified_json", &verified, &keyless);
    }

    // Serializer: the input as JSON text.
    let plain_serializer = serializer();
    if let Some(signer) = plain_serializer.primary() {
        let token = signer.sign(data);
        let verified = plain_serializer.loads::<Value>(&token);
        let unsafe_loaded = sign_serde::dangerous::loads_unsafe_with_limits::<Value, _, _>(
            plain_serializer,
            &token,
            None,
            None,
            &limits,
        );
        match (&verified, &unsafe_loaded) {
            (Ok(value), Ok((true, Some(other)))) => assert_eq!(value, other),
            (Err(a), Err(b)) => assert_eq!(a.kind(), b.kind()),
            other => unreachable!("Serializer loads_unsafe disagrees: {other:?}"),
        }
    }

    // JWS (untimed): the input split into header and payload JSON, signed.
    let Ok(jws) = sign_jws::JwsSerializer::new(tamperproof_fuzz::KEY) else {
        unreachable!("the fixed JWS serializer builds");
    };
    let Ok(jws_signer) = jws.make_signer(None) else {
        unreachable!("the fixed JWS signer builds");
    };
    let (header, payload) = split_two(data);
    let signed = jws_signed_part(header, payload);
    let token = jws_signer.sign(&signed);
    let verified = jws.loads_with_header::<Value>(&token, None);
    // `load_payload` works within the default limits: compare where they admit the texts.
    let defaults = sign_serde::dangerous::KeylessLimits::new();
    let admitted = defaults.check_json(header).is_ok() && defaults.check_json(payload).is_ok();
    if let (Ok((value, header)), true) = (&verified, admitted) {
        // The keyless reading of a verified token is the same value and header.
        let keyless = sign_jws::dangerous::load_payload::<Value>(&signed);
        assert_eq!(
            keyless.ok().as_ref(),
            Some(&(value.clone(), header.clone()))
        );
        // A valid signature: the verified path, so the keyless limits do not apply.
        let unsafe_loaded =
            sign_jws::dangerous::loads_unsafe_with_header::<Value>(&jws, &token, None)
                .map(|(valid, loaded)| (valid, loaded.map(|(value, _header)| value)));
        assert_eq!(unsafe_loaded.ok(), Some((true, Some(value.clone()))));
    }

    // Flask: tagged JSON behind a valid signature, plain and compressed.
    let sessions = flask_sessions();
    let flask_signer = flask_timestamp_signer();
    let mut plain = Vec::new();
    base64_encode_into(data, &mut plain);
    let mut compressed = b".".to_vec();
    base64_encode_into(data, &mut compressed);
    for payload in [plain, compressed] {
        let cookie = flask_signer.sign(&payload);
        let verified = sessions.loads::<SessionValue>(&cookie);
        let keyless = sign_flask::dangerous::decode_unverified(&cookie, &limits);
        same("Flask decode_unverified", &verified, &keyless);
    }
});
