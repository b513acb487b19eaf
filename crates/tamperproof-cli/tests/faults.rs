//! Exit codes 0/1/2 (and 130 for SIGINT) under every fault: a closed pipe, absurd thread
//! counts, threads that cannot start, SIGINT during an audit, and keys the argument parser
//! would echo.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::io::Write;
use std::process::Stdio;
use std::time::{Duration, Instant};

use common::{command, stderr, stdout, tamperproof, wordlist};

/// Flask 3.1.3, app.secret_key = "secret", session {"a": 1}.
const COOKIE: &str = "eyJhIjoxfQ.TgPVoQ.Vlr_Jz1KAK-AL-4WaTlES0RX-6s";

/// Runs the binary with its standard output a pipe whose reading end is already closed.
fn closed_stdout(args: &[&str]) -> std::process::Output {
    let mut child = command(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    child.wait_with_output().unwrap()
}

#[test]
fn a_closed_pipe_ends_quietly() {
    for args in [
        &["decode", COOKIE][..],
        &["--json", "decode", COOKIE],
        &["flask", "decode", COOKIE],
        &["--json", "flask", "decode", COOKIE],
        &["identify", COOKIE],
        &[
            "--json",
            "flask",
            "verify",
            "--key",
            "secret",
            "--max-age",
            "4000000000",
            COOKIE,
        ],
        &["--help"],
        &["man"],
    ] {
        let out = closed_stdout(args);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
        assert!(
            !stderr(&out).contains("panicked"),
            "{args:?}: {}",
            stderr(&out)
        );
    }
    // A failing command keeps its exit code.
    let out = closed_stdout(&["--json", "flask", "verify", "--key", "wrong", COOKIE]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
}

#[test]
fn thread_counts_are_capped_and_spawn_failures_are_errors() {
    let list = wordlist(&[b"a", b"secret"]);
    let audit = |threads: &str| {
        let args = [
            "audit",
            COOKIE,
            "--wordlist",
            list.as_str(),
            "--threads",
            threads,
        ];
        tamperproof(&args)
    };
    let out = audit("100000");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains("capped to"), "{}", stderr(&out));
    let out = audit("0");
    assert_eq!(out.status.code(), Some(2));
    // Threads with an impossible stack size cannot start: an error, not a panic.
    let out = command(&[
        "audit",
        COOKIE,
        "--wordlist",
        list.as_str(),
        "--threads",
        "2",
    ])
    .env("RUST_MIN_STACK", (1u64 << 50).to_string())
    .output()
    .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("cannot start the audit threads"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn sigint_during_an_audit_prints_the_summary_and_exits_130() {
    let mut child = command(&["audit", COOKIE, "--wordlist", "-", "--threads", "1"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    // An endless wordlist, as from a generator pipe. Once the audit has read from it (the
    // pipe holds 64 KiB), its SIGINT handler is in place: it is installed before reading.
    let (reading, started) = std::sync::mpsc::channel();
    let feeder = std::thread::spawn(move || {
        let block: Vec<u8> = (0..10_000)
            .flat_map(|i| format!("candidate-{i}\n").into_bytes())
            .collect();
        let start = Instant::now();
        let mut written = 0usize;
        while start.elapsed() < Duration::from_secs(60) {
            if stdin.write_all(&block).is_err() {
                break;
            }
            written += block.len();
            if written >= 256 << 10 {
                let _ = reading.send(());
            }
        }
    });
    started.recv_timeout(Duration::from_secs(60)).unwrap();
    // The shell's built-in kill: no extra package, no unsafe.
    let status = std::process::Command::new("sh")
        .args(["-c", &format!("kill -INT {}", child.id())])
        .status()
        .unwrap();
    assert!(status.success());
    let out = child.wait_with_output().unwrap();
    feeder.join().unwrap();
    assert_eq!(out.status.code(), Some(130), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("tried ") && err.contains(" keys in "), "{err}");
    assert!(
        err.contains("Interrupted: stopped by SIGINT after"),
        "{err}"
    );
}

#[test]
fn keys_never_appear_in_messages() {
    // Python: Signer(b"-dashsecret").sign(b"value")
    let out = tamperproof(&["sign", "--key", "-dashsecret", "value"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), "value.euK2cEembjZr1e60rjLcv_9bTYI");
    for args in [
        &["sign", "--key=-dashsecret", "--bogus", "value"][..],
        &["sign", "--key", "--dashsecret", "--bogus", "value"],
        &["sign", "--key-hex", "zz-secret-hex", "value"],
        &["sign", "--key-base64", "!!secret-b64", "value"],
        &["sign", "--key-bytes", "b'secret-literal", "value"],
        &["flask", "verify", "--key-hex=00-secret-hex", COOKIE],
        &["unsign", "--key", "topsecretkey", "value.wrongsignature"],
        &[
            "--json",
            "unsign",
            "--key",
            "topsecretkey",
            "value.wrongsignature",
        ],
    ] {
        let out = tamperproof(args);
        assert!(matches!(out.status.code(), Some(1 | 2)), "{args:?}");
        let all = format!("{}{}", stdout(&out), stderr(&out));
        for secret in [
            "dashsecret",
            "secret-hex",
            "secret-b64",
            "secret-literal",
            "topsecret",
        ] {
            assert!(!all.contains(secret), "{args:?} leaked {secret}: {all}");
        }
    }
}
