//! `Serializer::loads` (Python-dialect JSON) on arbitrary bytes under a fixed key.
#![no_main]

use libfuzzer_sys::fuzz_target;
use python_json::Value;
use tamperproof_fuzz::{check_serializer, serializer};

fuzz_target!(|data: &[u8]| {
    let serializer = serializer();
    check_serializer(serializer, |t| serializer.loads::<Value>(t), None, data);
});
