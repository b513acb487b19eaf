//! Allocation counts per operation, and the peak memory of loading a zip bomb, measured with
//! a counting global allocator. Not a criterion bench: `cargo xtask bench-compare` runs it as
//!
//! ```text
//! cargo bench -p tamperproof-bench-compare --bench alloc -- --out FILE
//! cargo bench -p tamperproof-bench-compare --bench alloc -- --zipbomb TOKEN_FILE --out FILE
//! ```
//!
//! and reads the JSON written to `FILE`.
// The only unsafe code of the workspace: a `GlobalAlloc` that forwards to `System` and counts.
#![allow(unsafe_code)]
// Fixed inputs cannot fail; if they do, the measurement is wrong and must stop.
#![allow(clippy::expect_used)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::time::Duration;

use itsdangerous::{IntoTimestampSigner, Signer as _, TimestampSigner as _, default_builder};
use serde_json::{Value, json};
use sign_core::Signer;
use sign_core::TimestampSigner;
use sign_flask::{Session, session_serializer};
use sign_jws::JwsSerializer;
use sign_url::{UrlSafeSerializer, UrlSafeTimedSerializer};
use tamperproof_bench_compare::{KEY, LoginCart, big, login_cart, reset, session, small};

// The Django and Starlette presets, with their inputs.
use sign_django::{DjangoSessions, SignedCookie, signing_builder};
use sign_starlette::StarletteSessions;
use tamperproof_bench_compare::{django, starlette};

/// Counts allocations (`alloc`, `alloc_zeroed`, `realloc`) and tracks live and peak bytes.
struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);
static ALLOCATED_BYTES: AtomicUsize = AtomicUsize::new(0);
static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(by: usize) {
    let live = LIVE.fetch_add(by, Relaxed).saturating_add(by);
    PEAK.fetch_max(live, Relaxed);
}

// SAFETY: every method forwards to `System` with the caller's arguments unchanged; the
// counters are plain atomics and never allocate.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Relaxed);
        ALLOCATED_BYTES.fetch_add(layout.size(), Relaxed);
        grew(layout.size());
        // SAFETY: forwarded unchanged (see the impl).
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Relaxed);
        ALLOCATED_BYTES.fetch_add(layout.size(), Relaxed);
        grew(layout.size());
        // SAFETY: forwarded unchanged (see the impl).
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Relaxed);
        // SAFETY: forwarded unchanged (see the impl).
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Relaxed);
        ALLOCATED_BYTES.fetch_add(new_size, Relaxed);
        if new_size >= layout.size() {
            grew(new_size - layout.size());
        } else {
            LIVE.fetch_sub(layout.size() - new_size, Relaxed);
        }
        // SAFETY: forwarded unchanged (see the impl).
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

const ITERATIONS: usize = 1000;

/// Allocations and bytes per call of `op`, after a few warm-up calls (thread-local scratch
/// buffers and lazy statics are set up by then, as in a running server).
fn per_op<R>(mut op: impl FnMut() -> R) -> (f64, f64) {
    for _ in 0..10 {
        black_box(op());
    }
    let (count, bytes) = (ALLOCATIONS.load(Relaxed), ALLOCATED_BYTES.load(Relaxed));
    for _ in 0..ITERATIONS {
        black_box(op());
    }
    let count = ALLOCATIONS.load(Relaxed) - count;
    let bytes = ALLOCATED_BYTES.load(Relaxed) - bytes;
    #[allow(clippy::cast_precision_loss)]
    (
        count as f64 / ITERATIONS as f64,
        bytes as f64 / ITERATIONS as f64,
    )
}

fn counts() -> Value {
    let mut rows = serde_json::Map::new();
    let mut add = |name: &str, (allocations, bytes): (f64, f64)| {
        rows.insert(
            name.to_owned(),
            json!({"allocations": allocations, "bytes": bytes}),
        );
    };
    let value = vec![b'x'; 100];

    let signer = Signer::new(KEY).expect("signer");
    let token = signer.sign(&value);
    add("signer/sha1/sign/100", per_op(|| signer.sign(&value)));
    add(
        "signer/sha1/unsign/100",
        per_op(|| signer.unsign(&token).is_ok()),
    );

    let timed = TimestampSigner::new(KEY).expect("signer");
    let token = timed.sign(&value);
    add("timestamp/sign/100", per_op(|| timed.sign(&value)));
    add(
        "timestamp/unsign_max_age/100",
        per_op(|| timed.unsign_max_age(&token, 3600).is_ok()),
    );

    let url = UrlSafeTimedSerializer::new(KEY).expect("serializer");
    for (name, value) in [("small", small()), ("reset", reset()), ("4k", big())] {
        let token = url.dumps(&value).expect("dumps");
        add(
            &format!("url_safe_timed/dumps/{name}"),
            per_op(|| url.dumps(&value)),
        );
        add(
            &format!("url_safe_timed/loads_max_age/{name}"),
            per_op(|| url.loads_max_age::<Value>(&token, 3600)),
        );
    }

    let sessions = session_serializer(KEY).expect("serializer");
    for (name, session) in [("session", session()), ("login_cart", login_cart())] {
        let cookie = sessions.dumps(&session).expect("dumps");
        add(
            &format!("flask/verify/{name}"),
            per_op(|| sessions.loads::<Session>(&cookie)),
        );
        add(
            &format!("flask/dumps/{name}"),
            per_op(|| sessions.dumps(&session)),
        );
    }
    let cookie = sessions.dumps(&login_cart()).expect("dumps");
    sessions
        .loads::<LoginCart>(&cookie)
        .expect("a typed session");
    add(
        "flask/verify_typed/login_cart",
        per_op(|| sessions.loads::<LoginCart>(&cookie)),
    );

    let jws = JwsSerializer::new(KEY).expect("serializer");
    let token = jws.dumps(&small()).expect("dumps");
    add("jws/loads/small", per_op(|| jws.loads::<Value>(&token)));

    frameworks(&mut add);

    let discord = default_builder(KEY).build();
    let text = "x".repeat(100);
    let token = discord.sign(&text);
    add("discord/signer/sign/100", per_op(|| discord.sign(&text)));
    add(
        "discord/signer/unsign/100",
        per_op(|| discord.unsign(&token).is_ok()),
    );
    let discord = default_builder(KEY).build().into_timestamp_signer();
    let token = discord.sign(&text);
    add("discord/timestamp/sign/100", per_op(|| discord.sign(&text)));
    add(
        "discord/timestamp/unsign_max_age/100",
        per_op(|| {
            discord
                .unsign(&token)
                .ok()
                .and_then(|v| v.value_if_not_expired(Duration::from_secs(3600)).ok())
                .is_some()
        }),
    );
    Value::Object(rows)
}

/// The Django and Starlette operations of `crates/sign-django/benches/django.rs` and
/// `crates/sign-starlette/benches/starlette.rs`, under their criterion names.
fn frameworks(add: &mut impl FnMut(&str, (f64, f64))) {
    let sessions = DjangoSessions::new([django::DJANGO_KEY]).expect("sessions");
    let session = django::login_session();
    let cookie = sessions.dumps(&session).expect("dumps");
    add("django/session/loads", per_op(|| sessions.loads(&cookie)));
    add("django/session/dumps", per_op(|| sessions.dumps(&session)));
    let signing = signing_builder(true)
        .key(django::DJANGO_KEY)
        .build()
        .expect("serializer");
    let value = django::small();
    let token = signing.dumps(&value).expect("dumps");
    add(
        "django/signing/dumps/small",
        per_op(|| signing.dumps(&value)),
    );
    add(
        "django/signing/loads_max_age/small",
        per_op(|| signing.loads_max_age::<python_json::Value>(&token, 3600)),
    );
    let signed =
        SignedCookie::new([django::DJANGO_KEY], django::COOKIE_NAME, "").expect("cookie signer");
    let cookie = signed.sign(django::COOKIE_VALUE);
    add(
        "django/cookie/sign",
        per_op(|| signed.sign(django::COOKIE_VALUE)),
    );
    add(
        "django/cookie/unsign_max_age",
        per_op(|| signed.unsign(&cookie, Some(3600u64.into())).is_ok()),
    );

    let sessions = StarletteSessions::new(starlette::STARLETTE_KEY).expect("sessions");
    let session = starlette::session();
    let cookie = sessions.dumps(&session).expect("dumps");
    add(
        "starlette/session/loads",
        per_op(|| sessions.loads(&cookie)),
    );
    add(
        "starlette/session/dumps",
        per_op(|| sessions.dumps(&session)),
    );
}

/// `VmHWM` (peak resident set) of this process in KiB, from `/proc/self/status`.
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Loads the zip-bomb token in `path` with a default `UrlSafeSerializer` and reports the
/// outcome, the peak heap growth and the peak RSS growth while loading.
fn zipbomb(path: &str) -> Value {
    let token = std::fs::read(path).expect("zip-bomb token");
    let token = token.trim_ascii();
    let serializer = UrlSafeSerializer::new(KEY).expect("serializer");
    let rss_before = peak_rss_kib();
    let live_before = LIVE.load(Relaxed);
    PEAK.store(live_before, Relaxed);
    let result = serializer.loads::<Value>(token);
    let heap_peak = PEAK.load(Relaxed).saturating_sub(live_before);
    let rss_after = peak_rss_kib();
    let outcome = match &result {
        Ok(_) => "loaded".to_owned(),
        Err(error) => format!("{:?}: {error}", error.kind()),
    };
    json!({
        "token_bytes": token.len(),
        "outcome": outcome,
        "heap_peak_bytes": heap_peak,
        "rss_peak_delta_kib": rss_after.zip(rss_before).map(|(a, b)| a.saturating_sub(b)),
    })
}

fn main() {
    let mut args = std::env::args().skip(1);
    let (mut out, mut bomb) = (None, None);
    // cargo bench passes `--bench`; anything unknown is ignored.
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--out" => out = args.next(),
            "--zipbomb" => bomb = args.next(),
            _ => {}
        }
    }
    let report = match bomb {
        Some(path) => zipbomb(&path),
        None => counts(),
    };
    let text = serde_json::to_string_pretty(&report).expect("JSON");
    match out {
        Some(path) => std::fs::write(&path, text).expect("writing --out"),
        None => {
            #[allow(clippy::print_stdout)]
            {
                println!("{text}");
            }
        }
    }
}
