//! `--server URL` against a real Flask 3.1 app listening on 127.0.0.1 (a free port, stopped
//! at the end, exits by itself after 120 s): the cookie is taken from `Set-Cookie`, decoded,
//! verified and audited; `--python` prints the session exactly as Python's repr() of what
//! Flask loads back.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::print_stderr
)]

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use common::{python, stderr, stdout, tamperproof, wordlist, workspace_root};
use serde_json::Value;

const SECRET: &str = "server-e2e-secret";

/// The Flask app, killed on drop.
struct Server {
    child: Child,
    base: String,
    repr: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start() -> Option<Server> {
    let python = python("main")?;
    let script = workspace_root().join("crates/tamperproof-cli/tests/fixtures/session_server.py");
    let mut child = Command::new(python)
        .arg(script)
        .arg(SECRET)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let hello: Value = serde_json::from_str(&line).unwrap();
    Some(Server {
        child,
        base: format!("http://127.0.0.1:{}", hello["port"]),
        repr: hello["repr"].as_str().unwrap().to_owned(),
    })
}

fn show(label: &str, out: &std::process::Output) {
    eprintln!(
        "$ {label}\nexit {:?}\n{}\n{}",
        out.status.code(),
        stdout(out),
        stderr(out)
    );
}

#[test]
fn the_session_cookie_comes_from_a_real_flask_app() {
    let Some(server) = start() else {
        return;
    };
    let url = format!("{}/", server.base);
    let out = tamperproof(&["--python", "flask", "decode", "--server", &url]);
    show("tamperproof --python flask decode --server URL/", &out);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let payload = stdout(&out)
        .lines()
        .find_map(|l| l.split_once(", Python): ").map(|(_, v)| v.to_owned()))
        .unwrap();
    assert_eq!(payload, server.repr);

    let out = tamperproof(&["identify", "--server", &url]);
    show("tamperproof identify --server URL/", &out);
    assert!(stdout(&out).starts_with("flask "), "{}", stdout(&out));

    let out = tamperproof(&["flask", "verify", "--key", SECRET, "--server", &url]);
    show("tamperproof flask verify --key SECRET --server URL/", &out);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains(r#""user":"admin""#));

    let list = wordlist(&[b"admin", b"password", SECRET.as_bytes()]);
    let out = tamperproof(&["audit", "--server", &url, "--wordlist", list.as_str()]);
    show("tamperproof audit --server URL/ --wordlist LIST", &out);
    assert_eq!(stdout(&out), format!("found key: {SECRET}"));

    // A redirect that sets the cookie is enough; one that does not is followed on request.
    let out = tamperproof(&["decode", "--server", &format!("{}/login", server.base)]);
    show("tamperproof decode --server URL/login", &out);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let away = format!("{}/away", server.base);
    let out = tamperproof(&["decode", "--server", &away]);
    show("tamperproof decode --server URL/away", &out);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("HTTP 302"), "{}", stderr(&out));
    let out = tamperproof(&["decode", "--server", &away, "--follow-redirects"]);
    show(
        "tamperproof decode --server URL/away --follow-redirects",
        &out,
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));

    let out = tamperproof(&["decode", "--server", &url, "--cookie-name", "other"]);
    show("tamperproof decode --server URL/ --cookie-name other", &out);
    assert_eq!(out.status.code(), Some(2));
    let out = tamperproof(&["decode", "--server", &format!("{}/plain", server.base)]);
    assert_eq!(out.status.code(), Some(2));
    let out = tamperproof(&["decode", "--server", "https://127.0.0.1/"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_silent_server_times_out() {
    // A listener that never answers: the time limit holds.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    let start = std::time::Instant::now();
    let out = tamperproof(&["decode", "--server", &url, "--timeout", "1"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("timed out"), "{}", stderr(&out));
    assert!(start.elapsed() < std::time::Duration::from_secs(10));
    drop(listener);
}
