//! The Django inputs of the benches (`crates/sign-django/benches/django.rs` includes this
//! file; `xtask/python/bench.py` writes the same values out).

use python_json::{Map, Value, json};

/// Django's `SECRET_KEY` in every Django benchmark.
pub const DJANGO_KEY: &str = "django-insecure-secret-key";

/// The `_auth_user_hash` of the logged-in session: a SHA-256 `salted_hmac` hex digest, as
/// `AbstractBaseUser.get_session_auth_hash` makes it.
pub const AUTH_USER_HASH: &str = "df29b8497c1017022399f77714b0b41e84f630e73d197413421a61999322f94d";

/// A session as `django.contrib.auth.login` leaves it (`_auth_user_id`,
/// `_auth_user_backend`, `_auth_user_hash`), plus two application keys (`django_timezone`,
/// `cart_id`).
#[must_use]
pub fn login_session() -> Map {
    let mut session = Map::new();
    session.insert("_auth_user_id".into(), "42".into());
    session.insert(
        "_auth_user_backend".into(),
        "django.contrib.auth.backends.ModelBackend".into(),
    );
    session.insert("_auth_user_hash".into(), AUTH_USER_HASH.into());
    session.insert("django_timezone".into(), "Europe/Paris".into());
    session.insert("cart_id".into(), 1042.into());
    session
}

/// The small dict of the other serializer benches, for `signing.dumps(value, compress=True)`.
#[must_use]
pub fn small() -> Value {
    json!({"id": 42, "name": "alice", "roles": ["admin", "user"], "active": true})
}

/// The signed cookie: `set_signed_cookie(COOKIE_NAME, COOKIE_VALUE)` (salt `""`), read back
/// with `get_signed_cookie(COOKIE_NAME, max_age=3600)`.
pub const COOKIE_NAME: &str = "theme";
/// The signed cookie's value.
pub const COOKIE_VALUE: &str = "dark";
