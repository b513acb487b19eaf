//! `UrlSafeTimedSerializer::loads_max_age` on arbitrary bytes, fixed key and clock, including
//! the zlib path (`.` + base64url(input) behind a valid signature).
#![no_main]

use libfuzzer_sys::fuzz_target;
use python_json::Value;
use sign_core::encoding::base64_encode_into;
use tamperproof_fuzz::{
    check_serializer, check_signed_payload, max_age, url_safe_timed_serializer,
};

fuzz_target!(|data: &[u8]| {
    let serializer = url_safe_timed_serializer();
    let load = |t: &[u8]| serializer.loads_max_age::<Value>(t, max_age());
    check_serializer(serializer, load, Some(max_age()), data);
    let mut compressed = b".".to_vec();
    base64_encode_into(data, &mut compressed);
    check_signed_payload(serializer, load, &compressed);
});
