//! The Starlette inputs of the benches (`crates/sign-starlette/benches/starlette.rs`
//! includes this file; `xtask/python/bench.py` writes the same values out).

use python_json::{Map, json};

/// The app's `secret_key` in every Starlette benchmark.
pub const STARLETTE_KEY: &str = "starlette-secret-key";

/// A session as an app keeps it in `request.session`: a user id, a CSRF token and a flash
/// message list with a non-ASCII name (escaped by `json.dumps`).
#[must_use]
pub fn session() -> Map {
    let mut session = Map::new();
    session.insert("user_id".into(), 42.into());
    session.insert("csrf_token".into(), "fedcba9876543210".repeat(2).into());
    session.insert("flash".into(), json!(["saved", "Jos\u{e9}"]));
    session
}
