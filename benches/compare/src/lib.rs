//! Unpublished, bench-only: the fixtures shared by the `compare` and `alloc` benches.
//!
//! The same values are written out in `xtask/python/bench.py` and in each crate's
//! `benches/`, so every implementation signs the same bytes.

use serde_json::{Value, json};
use sign_flask::Session;

/// The secret key every benchmark uses.
pub const KEY: &str = "secret-key";

/// The small dict: `{"id": 42, "name": "alice", "roles": ["admin", "user"], "active": true}`.
#[must_use]
pub fn small() -> Value {
    json!({"id": 42, "name": "alice", "roles": ["admin", "user"], "active": true})
}

/// A 4 KiB compressible value: `{"blob": <4096 characters of English text, repeated>}`.
#[must_use]
pub fn big() -> Value {
    let text: String = "the quick brown fox jumps over the lazy dog "
        .chars()
        .cycle()
        .take(4096)
        .collect();
    json!({ "blob": text })
}

/// A typical Flask-Login session: `_fresh`, `_id` (128 hex), `_user_id`, `csrf_token`.
#[must_use]
pub fn session() -> Session {
    let mut session = Session::new();
    session.insert("_fresh".into(), true.into());
    session.insert("_id".into(), "0123456789abcdef".repeat(8).into());
    session.insert("_user_id".into(), "42".into());
    session.insert(
        "csrf_token".into(),
        "fedcba9876543210fedcba9876543210fedcba98".into(),
    );
    session
}
