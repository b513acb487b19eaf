//! `tamperproof`: inspect, sign and verify itsdangerous tokens, JWS tokens, Flask session
//! cookies, Django signing tokens, signed cookies and sessions, and Starlette session cookies,
//! and audit deployments for weak secret keys.
//!
//! Exit status: 0 on success, 1 when verification fails (or an audit finds no key), 2 on
//! usage errors, 130 when SIGINT stops an audit. Errors go to standard error as
//! `ClassName: message`, with the Python exception class. `--json` gives machine-readable
//! output on every subcommand. A closed standard output (EPIPE) ends quietly.
#![forbid(unsafe_code)]
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod audit;
mod commands;
mod formats;
mod identify;
mod input;
mod keys;
mod options;
mod output;
mod pyrepr;
mod server;
mod source;
mod time;
mod wordlist;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::formats::{Format, Profile};
use crate::keys::KeyArgs;
use crate::options::SignerArgs;
use crate::source::TokenArgs;

const EXAMPLES: &str = "\
Examples:
  tamperproof identify 'eyJhIjoxfQ.TgPVoQ.Vlr_Jz1KAK-AL-4WaTlES0RX-6s'
  tamperproof decode --python 'eyJhIjoxfQ.TgPVoQ.Vlr_Jz1KAK-AL-4WaTlES0RX-6s'
  tamperproof decode --server http://127.0.0.1:5000/login
  tamperproof flask verify --key-file secret.txt COOKIE
  tamperproof flask sign --key-bytes \"b'_5#y2L\\\"F4Q8z\\n\\xec]/'\" '{\"user_id\": 42}'
  TAMPERPROOF_KEY=secret-key tamperproof loads --kind url-safe-timed --max-age 3600 TOKEN
  tamperproof dumps --kind timed-jws --expires-in 600 --key secret-key '{\"id\": 42}'
  zcat rockyou.txt.gz | tamperproof audit COOKIE --wordlist -
  tamperproof audit COOKIE --wordlist rockyou.txt.gz --threads 2
  tamperproof loads --kind django-session --key-file secret_key.txt SESSIONID
  tamperproof loads --kind django-cookie --cookie-name theme --key secret COOKIE
  tamperproof dumps --kind starlette --key secret '{\"user\": 42}'
  tamperproof audit SESSIONID --profile django-session --wordlist keys.txt
  tamperproof completions bash > /etc/bash_completion.d/tamperproof
  tamperproof man > tamperproof.1

Keys (every signing and verifying command): --key TEXT, --key-hex HEX, --key-base64 B64,
--key-bytes \"b'...'\", --key-file PATH (one trailing newline dropped), --key-file-raw PATH,
or $TAMPERPROOF_KEY. Repeat for rotation: oldest first, the last one signs.

Exit status: 0 success, 1 verification failed or no key found, 2 usage error, 130 interrupted.";

/// Inspect, sign and verify itsdangerous tokens, JWS tokens, Flask sessions, Django signing
/// tokens, cookies and sessions, and Starlette sessions; audit secret keys.
#[derive(Parser, Debug)]
#[command(name = "tamperproof", version, about, after_help = EXAMPLES)]
pub(crate) struct Cli {
    /// Machine-readable JSON output.
    #[arg(long, global = true)]
    json: bool,
    /// Print values as Python's repr() would (tuples, b'bytes', datetimes, Markup, UUID).
    #[arg(long, global = true)]
    python: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Sign a value (argument or `-` for standard input) with a Signer or TimestampSigner
    /// (`--kind` for any format, e.g. django-signer, django-cookie).
    Sign {
        /// The value, or `-`.
        value: String,
        /// Token format (default: signer, or timestamp-signer with --timed).
        #[arg(long, value_enum)]
        kind: Option<Format>,
        /// django-cookie: the cookie's name (the `key` of set_signed_cookie), part of its salt.
        #[arg(long, value_name = "NAME")]
        cookie_name: Option<String>,
        #[command(flatten)]
        keys: KeyArgs,
        #[command(flatten)]
        signer: SignerArgs,
        /// Add a timestamp (TimestampSigner).
        #[arg(long)]
        timed: bool,
    },
    /// Verify a signed value and print it (the signing time goes to standard error).
    Unsign {
        #[command(flatten)]
        token: TokenArgs,
        /// Token format (default: signer, or timestamp-signer with --timed / --max-age).
        #[arg(long, value_enum)]
        kind: Option<Format>,
        #[command(flatten)]
        keys: KeyArgs,
        #[command(flatten)]
        signer: SignerArgs,
        /// The token carries a timestamp (TimestampSigner).
        #[arg(long)]
        timed: bool,
        /// Reject tokens older than this many seconds (implies --timed).
        #[arg(long, value_name = "SECS")]
        max_age: Option<i64>,
    },
    /// Serialize JSON and sign it in any format (Flask: tagged JSON).
    Dumps {
        /// JSON text, or `-`.
        #[arg(value_name = "JSON")]
        value: String,
        /// Token format.
        #[arg(long, value_enum, default_value_t = Format::UrlSafe)]
        kind: Format,
        /// django-cookie: the cookie's name (the `key` of set_signed_cookie), part of its salt.
        #[arg(long, value_name = "NAME")]
        cookie_name: Option<String>,
        #[command(flatten)]
        keys: KeyArgs,
        #[command(flatten)]
        signer: SignerArgs,
        /// Lifetime of timed-jws tokens in seconds (default 3600).
        #[arg(long, value_name = "SECS")]
        expires_in: Option<u64>,
        /// django-signing: zlib-compress the payload when it saves space, as
        /// `signing.dumps(compress=True)` (django-session always does).
        #[arg(long)]
        compress: bool,
    },
    /// Verify a token of any format and print its value (the signing time goes to stderr).
    Loads {
        #[command(flatten)]
        token: TokenArgs,
        /// Token format (default: identified from the token's structure).
        #[arg(long, value_enum)]
        kind: Option<Format>,
        #[command(flatten)]
        keys: KeyArgs,
        #[command(flatten)]
        signer: SignerArgs,
        /// Reject tokens older than this many seconds (timed formats; default: none, but
        /// Flask 31 days, django-session and starlette 14 days).
        #[arg(long, value_name = "SECS")]
        max_age: Option<i64>,
    },
    /// Show what a token carries WITHOUT verifying it (no key needed).
    Decode {
        #[command(flatten)]
        token: TokenArgs,
        /// Token format (default: identified from the token's structure).
        #[arg(long, value_enum)]
        kind: Option<Format>,
        /// Separator (default: the format's, "." or Django's ":").
        #[arg(long)]
        sep: Option<String>,
    },
    /// Name the formats a token may be, from its structure and signature length.
    Identify {
        #[command(flatten)]
        token: TokenArgs,
    },
    /// Flask session cookies.
    #[command(subcommand)]
    Flask(FlaskCommand),
    /// Find the secret key of a token in a wordlist.
    Audit {
        #[command(flatten)]
        token: TokenArgs,
        /// Candidate keys, one per line: text or Python bytes literals like b'\x01key'; `-`
        /// for standard input; gzip is recognised and read directly.
        #[arg(long, value_name = "FILE")]
        wordlist: PathBuf,
        /// Which kind of application signed the token; repeat to try several in one pass
        /// (default: every profile the token's structure allows; django-cookie needs
        /// --cookie-name).
        #[arg(long, value_enum)]
        profile: Vec<Profile>,
        #[command(flatten)]
        signer: SignerArgs,
        /// Worker threads (default: every core; at most 4 per core).
        #[arg(long)]
        threads: Option<usize>,
    },
    /// Print a shell completion script.
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff).
    Man,
}

/// `tamperproof flask ...`
#[derive(Subcommand, Debug)]
pub(crate) enum FlaskCommand {
    /// Show the session in a cookie WITHOUT verifying it (no key needed).
    Decode {
        #[command(flatten)]
        token: TokenArgs,
    },
    /// Verify a cookie and print the session as (tagged) JSON; the signing time goes to
    /// standard error.
    Verify {
        #[command(flatten)]
        token: TokenArgs,
        /// SECRET_KEY and SECRET_KEY_FALLBACKS: oldest first, the last one is SECRET_KEY.
        #[command(flatten)]
        keys: KeyArgs,
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
        /// SECRET_KEY (the last key given signs).
        #[command(flatten)]
        keys: KeyArgs,
        /// Salt (default cookie-session).
        #[arg(long)]
        salt: Option<String>,
    },
}

/// Why a command failed.
#[derive(Debug)]
pub(crate) enum Failure {
    /// Verification failed: exit 1, printed as `Class: message`.
    Verify {
        /// The Python exception class.
        class: &'static str,
        /// The message (never a key).
        message: String,
    },
    /// Nothing found (audit): exit 1, with a message.
    NotFound(String),
    /// Bad usage or input: exit 2.
    Usage(String),
    /// SIGINT: exit 130.
    Interrupted(String),
}

impl From<tamperproof::ConfigError> for Failure {
    fn from(e: tamperproof::ConfigError) -> Self {
        Self::Usage(e.to_string())
    }
}

impl From<tamperproof::Error> for Failure {
    fn from(e: tamperproof::Error) -> Self {
        Self::Verify {
            class: e.class_name(),
            message: e.to_string(),
        }
    }
}

impl Failure {
    /// Appends a hint to a verification failure's message.
    pub(crate) fn with_hint(self, hint: Option<String>) -> Self {
        match (self, hint) {
            (Self::Verify { class, message }, Some(hint)) => Self::Verify {
                class,
                message: format!("{message} ({hint})"),
            },
            (other, _) => other,
        }
    }
}

fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let cli = match Cli::try_parse_from(&args) {
        Ok(cli) => cli,
        Err(e) => return parse_error(&e, &args),
    };
    let json = cli.json;
    let outcome =
        commands::run(cli.command, cli.json, cli.python).and_then(|report| report.emit(json));
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            let (code, class, message) = match failure {
                Failure::Verify { class, message } => (1, class, message),
                Failure::NotFound(m) => (1, "NotFound", m),
                Failure::Usage(m) => (2, "UsageError", m),
                Failure::Interrupted(m) => (130, "Interrupted", m),
            };
            if json {
                let doc = python_json::json!({"ok": false, "error": class, "message": message});
                let _ = output::write_stdout(format!("{doc}\n").as_bytes());
            }
            output::note_line(&format!("{class}: {message}"));
            ExitCode::from(code)
        }
    }
}

/// Help and version go to standard output (exit 0); every other parser error goes to
/// standard error with every secret argument redacted (exit 2).
fn parse_error(e: &clap::Error, args: &[std::ffi::OsString]) -> ExitCode {
    use clap::error::ErrorKind;
    let text = e.render().to_string();
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let _ = output::write_stdout(text.as_bytes());
            ExitCode::SUCCESS
        }
        _ => {
            let args: Vec<String> = args
                .iter()
                .map(|a| a.to_string_lossy().into_owned())
                .collect();
            let message = keys::redact(&text, &keys::secret_arguments(&args));
            output::note_line(message.trim_end());
            ExitCode::from(2)
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
