//! Unpublished, bench-only: the fixtures shared by the `compare` and `alloc` benches.
//!
//! The same values are written out in `xtask/python/bench.py` and in each crate's
//! `benches/`, so every implementation signs the same bytes. The Django and Starlette inputs
//! are [`django`] and [`starlette`], which those crates' benches include as they are.

pub mod django;
pub mod starlette;

use serde::Deserialize;
use serde_json::{Value, json};
use sign_flask::{Session, SessionValue};

/// The secret key every benchmark uses.
pub const KEY: &str = "secret-key";

/// The small dict: `{"id": 42, "name": "alice", "roles": ["admin", "user"], "active": true}`.
#[must_use]
pub fn small() -> Value {
    json!({"id": 42, "name": "alice", "roles": ["admin", "user"], "active": true})
}

/// A 72-byte password-reset dict:
/// `{"user_id": 12345, "email": "alice@example.com", "purpose": "password-reset"}`.
#[must_use]
pub fn reset() -> Value {
    json!({"user_id": 12345, "email": "alice@example.com", "purpose": "password-reset"})
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

/// A Flask-Login session with a shopping cart, ids as the libraries make them: `_id` a
/// SHA-512 hex digest, `csrf_token` a SHA-1 hex digest, and `cart` a list of two items.
#[must_use]
pub fn login_cart() -> Session {
    let mut session = Session::new();
    session.insert("_fresh".into(), true.into());
    session.insert("_id".into(), LOGIN_ID.into());
    session.insert("_user_id".into(), "42".into());
    session.insert("csrf_token".into(), CSRF_TOKEN.into());
    session.insert(
        "cart".into(),
        vec![cart_item("BK-1042", 1), cart_item("PEN-0007", 3)].into(),
    );
    session
}

/// `login_cart`'s `_id` (`bench.py` has the same one).
pub const LOGIN_ID: &str = "a88cae2884ea67e90b3630fc8e8359ca54b68ebb4ac07f255d16cf5064db1194\
                            d67feb5ef885e0976751f09981eeca00b7245f252d173f9882f9d3953c37d1b4";

/// `login_cart`'s `csrf_token` (`bench.py` has the same one).
pub const CSRF_TOKEN: &str = "51c0ae4e67ece03d97accfc9c90ac2a0e5868131";

/// `login_cart` read into a Rust struct, as a service that shares the session would type it.
#[derive(Debug, PartialEq, Deserialize)]
pub struct LoginCart {
    /// Flask-Login's `_fresh`.
    pub _fresh: bool,
    /// Flask-Login's `_id`.
    pub _id: String,
    /// Flask-Login's `_user_id`.
    pub _user_id: String,
    /// Flask-WTF's `csrf_token`.
    pub csrf_token: String,
    /// The cart.
    pub cart: Vec<CartItem>,
}

/// One entry of [`LoginCart::cart`].
#[derive(Debug, PartialEq, Deserialize)]
pub struct CartItem {
    /// The item's SKU.
    pub sku: String,
    /// How many.
    pub qty: i64,
}

/// One cart entry: `{"sku": sku, "qty": qty}`.
fn cart_item(sku: &str, qty: i64) -> SessionValue {
    Session::from([
        ("sku".to_owned(), sku.into()),
        ("qty".to_owned(), qty.into()),
    ])
    .into()
}
