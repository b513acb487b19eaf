//! `tamperproof`: inspect, sign and verify itsdangerous tokens and Flask session cookies, and
//! audit deployments for weak secret keys.
//!
//! Exit status: 0 on success, 1 when verification fails (or an audit finds no key), 2 on
//! usage errors. Errors go to standard error as `ClassName: message`, with the Python
//! exception class. `--json` gives machine-readable output on every subcommand.
#![forbid(unsafe_code)]
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod audit;
mod commands;
mod flask;
mod input;
mod options;
mod time;

use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::options::{KeyArgs, SignerArgs};

/// Inspect, sign and verify itsdangerous tokens and Flask session cookies; audit secret keys.
#[derive(Parser, Debug)]
#[command(name = "tamperproof", version, about)]
pub(crate) struct Cli {
    /// Machine-readable JSON output.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Sign a value (argument or `-` for standard input) with a Signer or TimestampSigner.
    Sign {
        /// The value, or `-`.
        value: String,
        #[command(flatten)]
        keys: KeyArgs,
        /// Add a timestamp (TimestampSigner).
        #[arg(long)]
        timed: bool,
    },
    /// Verify a signed value and print it.
    Unsign {
        /// The token, or `-`.
        token: String,
        #[command(flatten)]
        keys: KeyArgs,
        /// The token carries a timestamp (TimestampSigner).
        #[arg(long)]
        timed: bool,
        /// Reject tokens older than this many seconds (implies --timed).
        #[arg(long, value_name = "SECS")]
        max_age: Option<i64>,
    },
    /// Serialize JSON and sign it.
    Dumps {
        /// JSON text, or `-`.
        #[arg(value_name = "JSON")]
        value: String,
        /// Serializer kind.
        #[arg(long, value_enum, default_value_t = Kind::UrlSafe)]
        kind: Kind,
        #[command(flatten)]
        keys: KeyArgs,
    },
    /// Verify a serialized token and print its JSON.
    Loads {
        /// The token, or `-`.
        token: String,
        /// Serializer kind.
        #[arg(long, value_enum, default_value_t = Kind::UrlSafe)]
        kind: Kind,
        #[command(flatten)]
        keys: KeyArgs,
        /// Reject tokens older than this many seconds (timed kinds).
        #[arg(long, value_name = "SECS")]
        max_age: Option<i64>,
    },
    /// Show what a token carries WITHOUT verifying it (no key needed).
    Decode {
        /// The token, or `-`.
        token: String,
        /// Separator (default ".").
        #[arg(long)]
        sep: Option<String>,
    },
    /// Flask session cookies.
    #[command(subcommand)]
    Flask(FlaskCommand),
    /// Find the secret key of a token in a wordlist.
    Audit {
        /// The token or cookie, or `-`.
        token: String,
        /// Candidate keys, one per line: text or Python bytes literals like b'\x01key'.
        #[arg(long, value_name = "FILE")]
        wordlist: std::path::PathBuf,
        /// Which kind of application signed the token.
        #[arg(long, value_enum, default_value_t = Profile::Flask)]
        profile: Profile,
        #[command(flatten)]
        signer: SignerArgs,
        /// Worker threads (default: every core).
        #[arg(long)]
        threads: Option<usize>,
    },
}

/// `tamperproof flask ...`
#[derive(Subcommand, Debug)]
pub(crate) enum FlaskCommand {
    /// Show the session in a cookie WITHOUT verifying it (no key needed).
    Decode {
        /// The cookie value, or `-`.
        cookie: String,
    },
    /// Verify a cookie and print the session as (tagged) JSON.
    Verify {
        /// The cookie value, or `-`.
        cookie: String,
        /// SECRET_KEY; repeat for SECRET_KEY_FALLBACKS (oldest first, the last one is SECRET_KEY).
        #[arg(long = "key", value_name = "K", required = true)]
        keys: Vec<String>,
        /// Maximum age in seconds (default: Flask's 31 days).
        #[arg(long, value_name = "SECS")]
        max_age: Option<i64>,
        /// Salt (default cookie-session).
        #[arg(long)]
        salt: Option<String>,
    },
    /// Sign a session (JSON, or Flask's tagged JSON) into a cookie Flask accepts.
    Sign {
        /// The session as JSON, or `-`.
        #[arg(value_name = "JSON")]
        session: String,
        /// SECRET_KEY.
        #[arg(long, value_name = "K")]
        key: String,
        /// Salt (default cookie-session).
        #[arg(long)]
        salt: Option<String>,
    },
}

/// Serializer kinds for `dumps` / `loads`.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// itsdangerous.Serializer
    Serializer,
    /// itsdangerous.TimedSerializer
    TimedSerializer,
    /// itsdangerous.URLSafeSerializer
    UrlSafe,
    /// itsdangerous.URLSafeTimedSerializer
    UrlSafeTimed,
}

/// Audit profiles: the signing settings of common applications.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Profile {
    /// Flask session cookies: salt cookie-session, hmac derivation, SHA-1.
    Flask,
    /// itsdangerous serializers: salt itsdangerous, django-concat, SHA-1.
    Itsdangerous,
    /// Django signing.Signer: salt django.core.signing.Signer, separator ':', SHA-256.
    Django,
}

/// Why a command failed.
#[derive(Debug)]
pub(crate) enum Failure {
    /// Verification failed: exit 1, printed as `Class: message`.
    Verify(tamperproof::Error),
    /// Nothing found (audit): exit 1, with a message.
    NotFound(String),
    /// Bad usage or input: exit 2.
    Usage(String),
}

impl From<tamperproof::ConfigError> for Failure {
    fn from(e: tamperproof::ConfigError) -> Self {
        Self::Usage(e.to_string())
    }
}

impl From<tamperproof::Error> for Failure {
    fn from(e: tamperproof::Error) -> Self {
        Self::Verify(e)
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let json = cli.json;
    match commands::run(cli.command, json) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            let (code, class, message) = match &failure {
                Failure::Verify(e) => (1, e.class_name(), e.to_string()),
                Failure::NotFound(m) => (1, "NotFound", m.clone()),
                Failure::Usage(m) => (2, "UsageError", m.clone()),
            };
            if json {
                let doc = python_json::json!({"ok": false, "error": class, "message": message});
                println!("{doc}");
            }
            eprintln!("{class}: {message}");
            ExitCode::from(code)
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn command_line_definition_is_consistent() {
        use clap::CommandFactory;
        super::Cli::command().debug_assert();
    }
}
