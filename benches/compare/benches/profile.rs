//! One operation in a loop, for a profiler (valgrind's callgrind, perf):
//!
//! ```text
//! cargo bench -p tamperproof-bench-compare --no-run
//! valgrind --tool=callgrind target/release/deps/profile-<hash> OP [ITERATIONS]
//! callgrind_annotate --inclusive=yes callgrind.out.<pid>
//! ```
//!
//! OP is one of the names listed when it is run without one. `profile time OP SECONDS`
//! instead prints the operation's nanoseconds per call, timed over about SECONDS (for
//! `cargo xtask bench-pairs`, which alternates it with the same operation in Python).
// Fixed inputs cannot fail; if they do, the profile is wrong and must stop.
#![allow(clippy::expect_used)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use itsdangerous::TimedSerializer;

#[path = "shared/discord.rs"]
mod discord;

use serde_json::Value;
use sign_core::Signer;
use sign_core::TimestampSigner;
use sign_flask::{Session, session_serializer};
use sign_url::UrlSafeTimedSerializer;
use tamperproof_bench_compare::{KEY, LoginCart, big, login_cart, reset, session, small};

// The Django and Starlette presets, with their inputs.
use sign_django::DjangoSessions;
use sign_starlette::StarletteSessions;
use tamperproof_bench_compare::{django, starlette};

const OPS: &[&str] = &[
    "signer-sign",
    "signer-unsign",
    "timestamp-sign",
    "timestamp-unsign",
    "url-dumps-small",
    "url-loads-small",
    "url-dumps-reset",
    "url-loads-reset",
    "url-dumps-4k",
    "url-loads-4k",
    "flask-verify",
    "flask-verify-cart",
    "flask-verify-typed",
    "flask-dumps",
    "flask-dumps-cart",
    "django-session-loads",
    "django-session-dumps",
    "starlette-session-loads",
    "starlette-session-dumps",
    "discord-dumps-small",
    "discord-dumps-reset",
    "discord-loads-small",
    "discord-loads-reset",
];

fn repeat<R>(iterations: u64, mut op: impl FnMut() -> R) {
    for _ in 0..iterations {
        black_box(op());
    }
}

/// Writes `session` in a loop, or (`dumps` false) loads its cookie in a loop.
fn dumps_or_loads<S, E: std::fmt::Debug, R>(
    dumps: bool,
    iterations: u64,
    session: &S,
    dump: impl Fn(&S) -> Result<String, E>,
    load: impl Fn(&str) -> R,
) {
    if dumps {
        repeat(iterations, || dump(session));
    } else {
        let cookie = dump(session).expect("dumps");
        repeat(iterations, || load(&cookie));
    }
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    match args.as_slice() {
        [time, op, seconds] if time == "time" => {
            let seconds = seconds.parse().unwrap_or(0.3);
            #[allow(clippy::print_stdout)]
            {
                println!("{:.1}", nanoseconds_per_call(op, seconds));
            }
        }
        [op, rest @ ..] => {
            let iterations = rest.first().and_then(|n| n.parse().ok());
            run(op, iterations.unwrap_or(100_000));
        }
        [] => run("", 0),
    }
}

/// Times `op`: the calls needed for about `seconds` (from probe runs of 1,000 calls and up,
/// until one takes 10 ms beyond the setup), minus a run of none (the setup: keys, fixtures,
/// the token to load), per call. A probe as short as the setup's jitter could come out at
/// nothing and ask for an endless run: the probe grows until it stands out, and the count is
/// capped.
fn nanoseconds_per_call(op: &str, seconds: f64) -> f64 {
    let timed = |iterations: u64| {
        let start = Instant::now();
        run(op, iterations);
        start.elapsed().as_secs_f64()
    };
    let setup = timed(0);
    let mut probe_calls = 1_000u64;
    let per_call = loop {
        let probe = timed(probe_calls) - setup;
        if probe >= 0.01 || probe_calls >= 1 << 30 {
            break probe.max(1e-9) / probe_calls as f64;
        }
        probe_calls *= 4;
    };
    let iterations = ((seconds / per_call) as u64).clamp(1_000, 1 << 32);
    let elapsed = timed(iterations) - timed(0);
    elapsed.max(0.0) / iterations as f64 * 1e9
}

/// Runs `op` `iterations` times after its setup.
fn run(op: &str, iterations: u64) {
    let value = vec![b'x'; 100];
    let signer = Signer::new(KEY).expect("signer");
    let timed = TimestampSigner::new(KEY).expect("signer");
    let url = UrlSafeTimedSerializer::new(KEY).expect("serializer");
    let sessions = session_serializer(KEY).expect("serializer");
    let (small, reset, big) = (small(), reset(), big());
    match op {
        "signer-sign" => repeat(iterations, || signer.sign(&value)),
        "signer-unsign" => {
            let token = signer.sign(&value);
            repeat(iterations, || signer.unsign(&token).is_ok());
        }
        "timestamp-sign" => repeat(iterations, || timed.sign(&value)),
        "timestamp-unsign" => {
            let token = timed.sign(&value);
            repeat(iterations, || timed.unsign_max_age(&token, 3600).is_ok());
        }
        "url-dumps-small" => repeat(iterations, || url.dumps(&small)),
        "url-dumps-reset" => repeat(iterations, || url.dumps(&reset)),
        "url-dumps-4k" => repeat(iterations, || url.dumps(&big)),
        "url-loads-small" | "url-loads-reset" | "url-loads-4k" => {
            let value = match op {
                "url-loads-small" => &small,
                "url-loads-reset" => &reset,
                _ => &big,
            };
            let token = url.dumps(value).expect("dumps");
            repeat(iterations, || url.loads_max_age::<Value>(&token, 3600));
        }
        "flask-verify" | "flask-verify-cart" => {
            let session = if op == "flask-verify" {
                session()
            } else {
                login_cart()
            };
            let cookie = sessions.dumps(&session).expect("dumps");
            repeat(iterations, || sessions.loads::<Session>(&cookie));
        }
        "flask-verify-typed" => {
            let cookie = sessions.dumps(&login_cart()).expect("dumps");
            sessions
                .loads::<LoginCart>(&cookie)
                .expect("a typed session");
            repeat(iterations, || sessions.loads::<LoginCart>(&cookie));
        }
        "flask-dumps" | "flask-dumps-cart" => {
            let session = if op == "flask-dumps" {
                session()
            } else {
                login_cart()
            };
            repeat(iterations, || sessions.dumps(&session));
        }
        "django-session-loads" | "django-session-dumps" => {
            let sessions = DjangoSessions::new([django::DJANGO_KEY]).expect("sessions");
            dumps_or_loads(
                op == "django-session-dumps",
                iterations,
                &django::login_session(),
                |session| sessions.dumps(session),
                |cookie| sessions.loads(cookie),
            );
        }
        "starlette-session-loads" | "starlette-session-dumps" => {
            let sessions = StarletteSessions::new(starlette::STARLETTE_KEY).expect("sessions");
            dumps_or_loads(
                op == "starlette-session-dumps",
                iterations,
                &starlette::session(),
                |session| sessions.dumps(session),
                |cookie| sessions.loads(cookie),
            );
        }
        "discord-dumps-small"
        | "discord-dumps-reset"
        | "discord-loads-small"
        | "discord-loads-reset" => {
            let serializer = discord::url_safe_timed();
            let value = if op.ends_with("small") {
                &small
            } else {
                &reset
            };
            if op.starts_with("discord-dumps") {
                repeat(iterations, || serializer.sign(value));
            } else {
                let token = serializer.sign(value).expect("sign");
                let max_age = Duration::from_secs(3600);
                repeat(iterations, || {
                    serializer
                        .unsign::<Value>(&token)
                        .ok()
                        .and_then(|v| v.value_if_not_expired(max_age).ok())
                });
            }
        }
        _ => {
            let names = OPS.join(", ");
            #[allow(clippy::print_stderr)]
            {
                eprintln!(
                    "usage: profile OP [ITERATIONS] | profile time OP SECONDS; OP is one of {names}"
                );
            }
            std::process::exit(2);
        }
    }
}
