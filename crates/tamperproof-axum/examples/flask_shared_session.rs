//! An axum service that shares its session cookie with a Flask app.
//!
//! ```sh
//! SECRET_KEY=change-me cargo run -p tamperproof-axum --example flask_shared_session
//! curl -i 'http://127.0.0.1:3000/login?user=alice'          # sets the cookie, as Flask would
//! curl -i -b 'session=<the cookie>' http://127.0.0.1:3000/   # reads it (or Flask's)
//! ```
//!
//! The Flask side (same `SECRET_KEY`, same cookie settings) reads and writes the same
//! cookie: `session["user"]` is the user on both. `PORT` changes the port (default 3000).
// An example prints what it does.
#![allow(clippy::print_stderr)]

use axum::Router;
use axum::http::Uri;
use axum::routing::get;
use tamperproof_axum::{FlaskConfig, SameSite, Session, SessionEvent};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let secret_key = std::env::var("SECRET_KEY").unwrap_or_else(|_| "change-me".to_owned());
    let port = std::env::var("PORT").unwrap_or_else(|_| "3000".to_owned());

    // Copy these from the Flask app's config.
    let sessions = FlaskConfig::new()
        .secret_key(secret_key) // SECRET_KEY
        .secret_key_fallbacks(std::env::var("SECRET_KEY_FALLBACK").ok()) // SECRET_KEY_FALLBACKS
        .session_cookie_samesite(Some(SameSite::Lax)) // SESSION_COOKIE_SAMESITE = "Lax"
        .layer()?
        // Why a cookie gave an empty session: log it (or count it).
        .on_event(|event: &SessionEvent| eprintln!("session event: {event:?}"));

    let app = Router::new()
        .route("/", get(whoami))
        .route("/login", get(login))
        .route("/logout", get(logout))
        .layer(sessions);

    let listener = tokio::net::TcpListener::bind(format!("127.0.0.1:{port}")).await?;
    eprintln!("listening on http://{}", listener.local_addr()?);
    axum::serve(listener, app).await?;
    Ok(())
}

/// Flask: `return f"user: {session.get('user')}"`.
async fn whoami(session: Session) -> String {
    match session.get::<String>("user") {
        Ok(Some(user)) => format!("user: {user} (session from {:?})\n", session.source()),
        Ok(None) => format!("anonymous (session from {:?})\n", session.source()),
        Err(error) => format!("user is not a string: {error}\n"),
    }
}

/// Flask: `session["user"] = request.args["user"]; session.permanent = True`.
async fn login(session: Session, uri: Uri) -> String {
    let user = uri
        .query()
        .unwrap_or_default()
        .split('&')
        .find_map(|pair| pair.strip_prefix("user="))
        .unwrap_or("anonymous")
        .to_owned();
    if let Err(error) = session.insert("user", &user) {
        return format!("cannot store the user: {error}\n");
    }
    session.set_permanent(true);
    format!("logged in as {user}\n")
}

/// Flask: `session.clear()`; the cookie is deleted.
async fn logout(session: Session) -> &'static str {
    session.clear();
    "logged out\n"
}
