//! The committed vector files (`vectors/*.json`, written by the pinned Python packages) for
//! tests that check a preset against the reference's own tokens. Included with `#[path]`
//! by the tests of several crates, like `python.rs`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use python_json::Value;

/// The cases of `vectors/{file}` that Python accepted (`expect` is `ok`) and `keep` selects.
///
/// # Panics
/// When the file is missing or not JSON: the test cannot run without it.
pub(crate) fn accepted_cases(file: &str, keep: impl Fn(&Value) -> bool) -> Vec<Value> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../vectors")
        .join(file);
    let text = std::fs::read(&path).expect("the committed vector file");
    let file: Value = python_json::from_slice(&text).unwrap();
    file["cases"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|case| case["expect"].as_str() == Some("ok"))
        .filter(|case| keep(case))
        .cloned()
        .collect()
}
