//! Where a token comes from: an argument, standard input (`-`), or a server's `Set-Cookie`.

use clap::Args;

use crate::Failure;
use crate::input::read_arg;
use crate::server::{Fetch, fetch_cookie};

/// The token to work on.
#[derive(Args, Debug, Clone)]
pub(crate) struct TokenArgs {
    /// The token or cookie value, or `-` for standard input (not with --server).
    #[arg(value_name = "TOKEN", required_unless_present = "server")]
    token: Option<String>,
    /// GET this http:// URL and take the token from its Set-Cookie header.
    #[arg(long, value_name = "URL", conflicts_with = "token")]
    server: Option<String>,
    /// The cookie to take with --server (default session); for django-cookie also the
    /// cookie's name in its salt (the `key` of get_signed_cookie), required there.
    #[arg(long, value_name = "NAME")]
    cookie_name: Option<String>,
    /// Time limit for --server, in seconds.
    #[arg(long, value_name = "SECS", default_value_t = 10)]
    timeout: u64,
    /// Follow redirects with --server (not followed by default; at most 5).
    #[arg(long)]
    follow_redirects: bool,
}

impl TokenArgs {
    /// The token's bytes.
    ///
    /// # Errors
    /// A usage error for an empty token, unreadable standard input or a failed fetch.
    pub(crate) fn read(&self) -> Result<Vec<u8>, Failure> {
        let token = match (&self.server, &self.token) {
            (Some(url), _) => fetch_cookie(&Fetch {
                url,
                cookie_name: self.cookie_name.as_deref().unwrap_or("session"),
                timeout: std::time::Duration::from_secs(self.timeout.clamp(1, 3600)),
                follow_redirects: self.follow_redirects,
            })?,
            (None, Some(token)) => read_arg(token)?,
            (None, None) => return Err(Failure::Usage("a token or --server is required".into())),
        };
        if token.is_empty() {
            return Err(Failure::Usage("the token is empty".into()));
        }
        Ok(token)
    }

    /// The `--cookie-name` given.
    pub(crate) fn cookie_name(&self) -> Option<String> {
        self.cookie_name.clone()
    }

    /// Whether the token is read from standard input.
    pub(crate) fn is_stdin(&self) -> bool {
        self.server.is_none() && self.token.as_deref() == Some("-")
    }
}
