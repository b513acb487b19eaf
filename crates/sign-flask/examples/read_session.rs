//! A minimal HTTP handler that reads the session cookie of a Flask app sharing its
//! `SECRET_KEY`, with no HTTP framework: just the `Cookie` header of a raw request.
//!
//! ```sh
//! cargo run -p sign-flask --example read_session                   # a built-in request
//! cargo run -p sign-flask --example read_session -- 127.0.0.1:8080 # serve until killed
//! curl -H 'Cookie: session=eyJhIjoxfQ.TgPVoQ.Vlr_Jz1KAK-AL-4WaTlES0RX-6s' 127.0.0.1:8080/
//! ```
//!
//! The built-in cookie was set by Flask (`app.secret_key = "secret"`, `session["a"] = 1`) in
//! 2011, so it has outlived Flask's 31-day lifetime: the handler answers with an empty
//! session, exactly as Flask would. Real services would read the key from configuration.
#![allow(clippy::print_stdout)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;

use sign_flask::{Session, SessionSerializer, SessionValue, session_serializer};

/// The value of cookie `name` in a raw HTTP/1.1 request head, if any.
fn cookie<'a>(request: &'a str, name: &str) -> Option<&'a str> {
    request
        .lines()
        .take_while(|line| !line.is_empty())
        .filter_map(|line| line.split_once(':'))
        .filter(|(header, _)| header.trim().eq_ignore_ascii_case("cookie"))
        .flat_map(|(_, value)| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.trim_matches('"'))
}

/// The response for one request: who is logged in, according to Flask's session.
fn handle(sessions: &SessionSerializer, request: &str) -> String {
    // Like Flask: no cookie, a bad signature or an expired cookie all mean an empty session;
    // a validly signed cookie that does not decode is a server error.
    let session = match cookie(request, "session").map(|c| sessions.loads_or_default::<Session>(c))
    {
        None => Ok(Session::new()),
        Some(result) => result,
    };
    let (status, body) = match session {
        Ok(session) => match session.get("user_id").and_then(SessionValue::as_i64) {
            Some(id) => ("200 OK", format!("user {id}\n")),
            None => (
                "200 OK",
                format!("anonymous ({} session keys)\n", session.len()),
            ),
        },
        Err(_) => ("500 Internal Server Error", "bad session\n".to_owned()),
    };
    format!(
        "HTTP/1.1 {status}\r\ncontent-type: text/plain\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    )
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let sessions = session_serializer("secret")?;
    let Some(addr) = std::env::args().nth(1) else {
        let request = "GET / HTTP/1.1\r\nHost: localhost\r\n\
                       Cookie: theme=dark; session=eyJhIjoxfQ.TgPVoQ.Vlr_Jz1KAK-AL-4WaTlES0RX-6s\r\n\r\n";
        print!("{}", handle(&sessions, request));
        return Ok(());
    };
    let listener = TcpListener::bind(&addr)?;
    println!("listening on http://{}", listener.local_addr()?);
    for stream in listener.incoming() {
        let mut stream = stream?;
        let mut head = String::new();
        // Read the request head: at most 8 KiB, up to the blank line.
        let mut reader = BufReader::new((&stream).take(8192));
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line)? == 0 || line.trim_end().is_empty() {
                break;
            }
            head.push_str(&line);
        }
        stream.write_all(handle(&sessions, &head).as_bytes())?;
    }
    Ok(())
}
