//! Prints the peak memory and time of every keyless decoder on every adversarial shape, for
//! tokens of at most 4 KB: `cargo run --release -p tamperproof-memcheck --example keyless_table`.
//! docs/SECURITY.md quotes its output.
#![allow(clippy::print_stdout)]

use std::time::Instant;

use serde_json::Value;
use tamperproof_memcheck::alloc::{Tracking, measure};
use tamperproof_memcheck::shapes;

#[global_allocator]
static ALLOC: Tracking = Tracking;

/// Decodes one token; true when the call returned `Ok`.
type Run = Box<dyn Fn(&[u8]) -> bool>;

/// A keyless entry point: its name, how it makes its token from JSON, and the call.
struct Entry {
    name: &'static str,
    /// JSON size that keeps the token at most 4 KB.
    json_size: usize,
    token: fn(&[u8]) -> Vec<u8>,
    run: Run,
}

fn main() {
    let serializer = sign_serde::Serializer::new("k").ok();
    let url_safe = sign_url::URLSafeSerializer::new("k").ok();
    let url_safe_timed = sign_url::URLSafeTimedSerializer::new("k").ok();
    let jws = sign_jws::TimedJwsSerializer::builder()
        .key("k")
        .build()
        .ok();
    let (Some(serializer), Some(url_safe), Some(url_safe_timed), Some(jws)) =
        (serializer, url_safe, url_safe_timed, jws)
    else {
        println!("could not build the serializers");
        return;
    };
    let compressed = 1_048_000;
    let entries = vec![
        Entry {
            name: "Serializer loads_unsafe",
            json_size: 4000,
            token: shapes::serializer_token,
            run: Box::new(move |t| {
                sign_serde::dangerous::loads_unsafe::<Value, _, _>(&serializer, t, None, None)
                    .is_ok()
            }),
        },
        Entry {
            name: "URLSafeSerializer loads_unsafe",
            json_size: compressed,
            token: shapes::url_safe_token,
            run: Box::new(move |t| {
                sign_url::dangerous::loads_unsafe::<Value, _, _>(&url_safe, t, None, None).is_ok()
            }),
        },
        Entry {
            name: "URLSafeTimedSerializer loads_unsafe",
            json_size: compressed,
            token: shapes::url_safe_timed_token,
            run: Box::new(move |t| {
                sign_url::dangerous::loads_unsafe::<Value, _, _>(&url_safe_timed, t, None, None)
                    .is_ok()
            }),
        },
        Entry {
            name: "TimedJws loads_unsafe",
            json_size: 2900,
            token: shapes::jws_token,
            run: Box::new(move |t| {
                sign_jws::dangerous::loads_unsafe::<Value>(&jws, t, None).is_ok()
            }),
        },
        Entry {
            name: "sign_url decode_unverified",
            json_size: compressed,
            token: shapes::url_safe_token,
            run: Box::new(|t| {
                sign_url::dangerous::decode_unverified(
                    t,
                    b".",
                    sign_url::DEFAULT_MAX_DECOMPRESSED_SIZE,
                )
                .is_ok()
            }),
        },
        Entry {
            name: "Flask decode_unverified",
            json_size: compressed,
            token: shapes::url_safe_timed_token,
            run: Box::new(|t| {
                sign_flask::dangerous::decode_unverified(t, sign_url::DEFAULT_MAX_DECOMPRESSED_SIZE)
                    .is_ok()
            }),
        },
    ];
    println!("| entry point | shape | token bytes | peak memory | time | decoded |");
    println!("|---|---|---:|---:|---:|---|");
    for entry in &entries {
        for shape in shapes::all(entry.json_size) {
            let token = (entry.token)(&shape.json);
            let start = Instant::now();
            let (ok, cost) = measure(|| (entry.run)(&token));
            let elapsed = start.elapsed();
            println!(
                "| {} | {} | {} | {:.2} MiB | {:.1} ms | {} |",
                entry.name,
                shape.name,
                token.len(),
                cost.peak as f64 / 1_048_576.0,
                elapsed.as_secs_f64() * 1000.0,
                if ok { "ok" } else { "error" },
            );
        }
    }
}
