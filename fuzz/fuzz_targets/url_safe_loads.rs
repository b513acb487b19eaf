//! `UrlSafeSerializer::loads` on arbitrary bytes under a fixed key, including the zlib path:
//! the input is also inflated as a signed compressed payload (`.` + base64url(input)).
#![no_main]

use libfuzzer_sys::fuzz_target;
use python_json::Value;
use sign_core::encoding::base64_encode_into;
use tamperproof_fuzz::{check_serializer, check_signed_payload, url_safe_serializer};

fuzz_target!(|data: &[u8]| {
    let serializer = url_safe_serializer();
    let load = |t: &[u8]| serializer.loads::<Value>(t);
    check_serializer(serializer, load, None, data);
    // The input as a zlib stream behind a valid signature: bounded inflation, then JSON.
    let mut compressed = b".".to_vec();
    base64_encode_into(data, &mut compressed);
    check_signed_payload(serializer, load, &compressed);
});
