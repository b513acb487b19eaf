//! `TimedSerializer::loads_max_age` on arbitrary bytes, fixed key and clock.
#![no_main]

use libfuzzer_sys::fuzz_target;
use python_json::Value;
use tamperproof_fuzz::{check_serializer, max_age, timed_serializer};

fuzz_target!(|data: &[u8]| {
    let serializer = timed_serializer();
    let load = |t: &[u8]| serializer.loads_max_age::<Value>(t, max_age());
    check_serializer(serializer, load, Some(max_age()), data);
});
