//! `--server URL`: GET an `http://` URL and take the session cookie from `Set-Cookie`.
//!
//! A minimal HTTP/1.1 client over `std::net::TcpStream`: one GET with `Connection: close`,
//! the status line and headers read up to a bound (the body is never read), an overall
//! deadline, and redirects followed only on request (at most [`MAX_REDIRECTS`], `http://`
//! only). `https://` is refused: a TLS stack (rustls and its crypto backend) would more than
//! double the tool's dependency tree for what `curl -c` already does; fetch the cookie with
//! curl and pass it as the token instead.

use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::time::{Duration, Instant};

use crate::Failure;

/// Redirects followed at most with `--follow-redirects`.
pub(crate) const MAX_REDIRECTS: usize = 5;
/// The status line and headers are read up to this many bytes.
const MAX_HEAD: usize = 64 * 1024;

/// What to fetch.
#[derive(Debug, Clone)]
pub(crate) struct Fetch<'a> {
    /// The `http://` URL.
    pub(crate) url: &'a str,
    /// The cookie's name.
    pub(crate) cookie_name: &'a str,
    /// Overall time limit.
    pub(crate) timeout: Duration,
    /// Follow 3xx `Location` when the response sets no such cookie.
    pub(crate) follow_redirects: bool,
}

/// A parsed `http://host[:port]/path`.
#[derive(Debug, PartialEq, Eq)]
struct Url {
    host: String,
    port: u16,
    path: String,
}

fn parse_url(url: &str) -> Result<Url, Failure> {
    let rest = if let Some(rest) = url.strip_prefix("http://") {
        rest
    } else if url.starts_with("https://") {
        return Err(Failure::Usage(
            "--server supports http:// only (fetch https cookies with `curl -c`)".into(),
        ));
    } else {
        return Err(Failure::Usage("--server needs an http:// URL".into()));
    };
    let (authority, path) = match rest.find(['/', '?']) {
        Some(i) => (
            rest.get(..i).unwrap_or_default(),
            rest.get(i..).unwrap_or("/"),
        ),
        None => (rest, "/"),
    };
    let path = if path.starts_with('?') {
        format!("/{path}")
    } else {
        path.to_owned()
    };
    if authority.contains('@') {
        return Err(Failure::Usage(
            "--server URLs with credentials are not supported".into(),
        ));
    }
    let (host, port) = match authority.rsplit_once(':') {
        Some((host, port)) if !host.ends_with(']') || authority.starts_with('[') => {
            let port = port
                .parse()
                .map_err(|_| Failure::Usage("--server has an invalid port".into()))?;
            (host, port)
        }
        _ => (authority, 80),
    };
    if host.is_empty() || path.contains(['\r', '\n', ' ']) || host.contains(['\r', '\n', ' ']) {
        return Err(Failure::Usage("--server has an invalid URL".into()));
    }
    Ok(Url {
        host: host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_owned(),
        port,
        path,
    })
}

/// The response head: status and headers.
#[derive(Debug)]
struct Head {
    status: u16,
    headers: Vec<(String, String)>,
}

impl Head {
    fn values<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> {
        self.headers
            .iter()
            .filter(move |(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// The value of cookie `name` in a `Set-Cookie` header value.
fn cookie_value<'a>(set_cookie: &'a str, name: &str) -> Option<&'a str> {
    let pair = set_cookie.split(';').next()?.trim();
    let (n, v) = pair.split_once('=')?;
    if n.trim() != name {
        return None;
    }
    let v = v.trim();
    Some(
        v.strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .unwrap_or(v),
    )
}

/// Fetches the cookie.
///
/// # Errors
/// A usage error (exit 2) for a bad URL, a network failure or timeout, a malformed
/// response, or a response without the cookie (with its status).
pub(crate) fn fetch_cookie(fetch: &Fetch<'_>) -> Result<Vec<u8>, Failure> {
    let deadline = Instant::now() + fetch.timeout;
    let mut url = parse_url(fetch.url)?;
    for _ in 0..=MAX_REDIRECTS {
        let head = get(&url, deadline)?;
        if let Some(value) = head
            .values("set-cookie")
            .find_map(|v| cookie_value(v, fetch.cookie_name))
        {
            if value.is_empty() {
                return Err(Failure::Usage(format!(
                    "the server cleared the cookie {:?} (HTTP {})",
                    fetch.cookie_name, head.status
                )));
            }
            return Ok(value.as_bytes().to_vec());
        }
        let location = head.values("location").next();
        match location {
            Some(location) if (300..400).contains(&head.status) && fetch.follow_redirects => {
                url = if location.starts_with('/') {
                    Url {
                        path: location.to_owned(),
                        ..url
                    }
                } else {
                    parse_url(location)?
                };
            }
            _ => {
                let redirect = if (300..400).contains(&head.status) {
                    " (a redirect: --follow-redirects follows it)"
                } else {
                    ""
                };
                return Err(Failure::Usage(format!(
                    "the server set no cookie {:?} (HTTP {}){redirect}; --cookie-name chooses another",
                    fetch.cookie_name, head.status
                )));
            }
        }
    }
    Err(Failure::Usage(format!(
        "more than {MAX_REDIRECTS} redirects without the cookie"
    )))
}

fn remaining(deadline: Instant) -> Result<Duration, Failure> {
    deadline
        .checked_duration_since(Instant::now())
        .filter(|d| !d.is_zero())
        .ok_or_else(|| Failure::Usage("--server: timed out".into()))
}

fn network(e: &std::io::Error) -> Failure {
    if matches!(
        e.kind(),
        std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock
    ) {
        Failure::Usage("--server: timed out".into())
    } else {
        Failure::Usage(format!("--server: {e}"))
    }
}

fn get(url: &Url, deadline: Instant) -> Result<Head, Failure> {
    let addrs = (url.host.as_str(), url.port)
        .to_socket_addrs()
        .map_err(|e| network(&e))?;
    let mut last = None;
    let mut stream = None;
    for addr in addrs {
        match TcpStream::connect_timeout(&addr, remaining(deadline)?) {
            Ok(s) => {
                stream = Some(s);
                break;
            }
            Err(e) => last = Some(e),
        }
    }
    let mut stream = stream.ok_or_else(|| {
        last.map_or_else(
            || Failure::Usage("--server: the host has no address".into()),
            |e| network(&e),
        )
    })?;
    stream
        .set_write_timeout(Some(remaining(deadline)?))
        .map_err(|e| network(&e))?;
    let host = if url.port == 80 {
        url.host.clone()
    } else {
        format!("{}:{}", url.host, url.port)
    };
    let request = format!(
        "GET {} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: tamperproof/{}\r\nAccept: */*\r\nConnection: close\r\n\r\n",
        url.path,
        env!("CARGO_PKG_VERSION")
    );
    stream
        .write_all(request.as_bytes())
        .map_err(|e| network(&e))?;
    let mut head = Vec::with_capacity(4096);
    let mut buf = [0u8; 4096];
    loop {
        stream
            .set_read_timeout(Some(remaining(deadline)?))
            .map_err(|e| network(&e))?;
        let n = stream.read(&mut buf).map_err(|e| network(&e))?;
        if n == 0 {
            break;
        }
        head.extend_from_slice(buf.get(..n).unwrap_or_default());
        if let Some(end) = head.windows(4).position(|w| w == b"\r\n\r\n") {
            head.truncate(end);
            break;
        }
        if head.len() > MAX_HEAD {
            return Err(Failure::Usage(
                "--server: response headers too large".into(),
            ));
        }
    }
    parse_head(&head)
}

fn parse_head(head: &[u8]) -> Result<Head, Failure> {
    let bad = || Failure::Usage("--server: not an HTTP response".into());
    let text = String::from_utf8_lossy(head);
    let mut lines = text.split("\r\n");
    let status_line = lines.next().ok_or_else(bad)?;
    let mut fields = status_line.splitn(3, ' ');
    let version = fields.next().unwrap_or_default();
    if !version.starts_with("HTTP/1.") {
        return Err(bad());
    }
    let status = fields.next().and_then(|s| s.parse().ok()).ok_or_else(bad)?;
    let headers = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
        .collect();
    Ok(Head { status, headers })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        let url = parse_url("http://127.0.0.1:8080/login?x=1").unwrap();
        assert_eq!(
            url,
            Url {
                host: "127.0.0.1".into(),
                port: 8080,
                path: "/login?x=1".into()
            }
        );
        assert_eq!(parse_url("http://example.test").unwrap().path, "/");
        assert_eq!(parse_url("http://[::1]:81/").unwrap().host, "::1");
        assert!(parse_url("https://example.test/").is_err());
        assert!(parse_url("ftp://example.test/").is_err());
        assert!(parse_url("http://a b/").is_err());
    }

    #[test]
    fn cookies_and_heads() {
        assert_eq!(
            cookie_value("session=abc.def; HttpOnly; Path=/", "session"),
            Some("abc.def")
        );
        assert_eq!(cookie_value("other=1; Path=/", "session"), None);
        assert_eq!(cookie_value("session=\"q\"", "session"), Some("q"));
        let head =
            parse_head(b"HTTP/1.1 302 FOUND\r\nLocation: /x\r\nSet-Cookie: session=v; Path=/")
                .unwrap();
        assert_eq!(head.status, 302);
        assert_eq!(head.values("location").next(), Some("/x"));
        assert!(parse_head(b"garbage").is_err());
    }
}
