//! Signs a value, prints the token, verifies it and prints the value again.
//!
//! Run: `cargo run --example quickstart -p tamperproof`
#![allow(clippy::print_stdout)]

use tamperproof::Signer;
use tamperproof::url_safe::UrlSafeTimedSerializer;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Plain signer: the same token Python's `Signer("secret-key").sign("my string")` gives.
    let signer = Signer::new("secret-key")?;
    let token = signer.sign("my string");
    println!("signed:   {}", String::from_utf8_lossy(&token));
    let value = signer.unsign(&token)?;
    println!("verified: {}", String::from_utf8_lossy(value));

    // A tampered token is rejected.
    let mut forged = token.clone();
    if let Some(first) = forged.first_mut() {
        *first = b'M';
    }
    match signer.unsign(&forged) {
        Ok(_) => println!("tampered: accepted (this must never happen)"),
        Err(e) => println!("tampered: rejected ({}: {e})", e.class_name()),
    }

    // A password-reset link token that expires after an hour.
    let links = UrlSafeTimedSerializer::builder()
        .key("secret-key")
        .salt("password-reset")
        .build()?;
    let token = links.dumps(&serde_json::json!({"user": 42}))?;
    println!("link token: {token}");
    let user: serde_json::Value = links.loads_max_age(&token, 3600u64)?;
    println!("link value: {user}");
    Ok(())
}
