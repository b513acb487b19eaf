//! Secret keys from the command line, files, the environment and Python bytes literals.
//!
//! Every key is collected into [`Keys`], whose buffers are wiped on drop; the option strings
//! clap parsed are wiped as soon as they are converted. Keys never appear in a message:
//! every error here names the option, never its value, and [`secret_arguments`] lists the
//! values that the argument-parser's own errors must not echo.

use std::path::PathBuf;

use clap::Args;
use zeroize::{Zeroize, Zeroizing};

use crate::Failure;
use crate::input::python_bytes_literal;

/// The environment variable read when no key option is given.
pub(crate) const KEY_ENV: &str = "TAMPERPROOF_KEY";

/// The options whose value is a secret (their values are redacted from parser errors).
pub(crate) const SECRET_OPTIONS: [&str; 4] = ["--key", "--key-hex", "--key-base64", "--key-bytes"];

/// Secret keys, oldest first: the last one signs, every one verifies (key rotation).
#[derive(Args, Clone, Default)]
pub(crate) struct KeyArgs {
    /// Secret key as text; repeat for rotation (oldest first, the last one signs). May start
    /// with `-`.
    #[arg(long = "key", value_name = "K", allow_hyphen_values = true)]
    keys: Vec<String>,
    /// Secret key as hexadecimal bytes.
    #[arg(long = "key-hex", value_name = "HEX", allow_hyphen_values = true)]
    keys_hex: Vec<String>,
    /// Secret key as base64 bytes (standard or URL-safe alphabet, padding optional).
    #[arg(long = "key-base64", value_name = "B64", allow_hyphen_values = true)]
    keys_base64: Vec<String>,
    /// Secret key as a Python bytes literal, e.g. b'_5#y2L"F4Q8z\n\xec]/' (Flask's docs).
    #[arg(long = "key-bytes", value_name = "LITERAL", allow_hyphen_values = true)]
    keys_bytes: Vec<String>,
    /// Secret key read from a file (raw bytes; ONE trailing "\n" or "\r\n" is dropped).
    #[arg(long = "key-file", value_name = "PATH")]
    key_files: Vec<PathBuf>,
    /// Secret key read from a file, every byte kept (no newline stripped).
    #[arg(long = "key-file-raw", value_name = "PATH")]
    key_files_raw: Vec<PathBuf>,
    /// Allow an empty secret key (anyone can forge tokens signed with it).
    #[arg(long)]
    pub(crate) allow_empty_key: bool,
}

/// Redacted: how many keys of each source, never their values.
impl std::fmt::Debug for KeyArgs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyArgs")
            .field("keys", &self.keys.len())
            .field("keys_hex", &self.keys_hex.len())
            .field("keys_base64", &self.keys_base64.len())
            .field("keys_bytes", &self.keys_bytes.len())
            .field("key_files", &self.key_files)
            .field("key_files_raw", &self.key_files_raw)
            .field("allow_empty_key", &self.allow_empty_key)
            .finish()
    }
}

/// The key arguments are wiped when the parsed command line is dropped, also when
/// [`KeyArgs::take`] never ran (a failure before it). The process's own argument vector and
/// clap's intermediate copies are outside our reach (docs/SECURITY.md).
impl Drop for KeyArgs {
    fn drop(&mut self) {
        self.wipe_arguments();
    }
}

/// Collected key bytes, wiped on drop.
pub(crate) type Keys = Vec<Zeroizing<Vec<u8>>>;

impl KeyArgs {
    /// The keys, oldest first: `--key`, `--key-hex`, `--key-base64`, `--key-bytes`,
    /// `--key-file`, `--key-file-raw`, in that order; `$TAMPERPROOF_KEY` when none is given.
    /// The option strings are wiped.
    ///
    /// # Errors
    /// A usage error naming the option (never the value) when a value does not decode or a
    /// file cannot be read, or when no key is given at all.
    pub(crate) fn take(&mut self) -> Result<Keys, Failure> {
        let result = self.collect();
        self.wipe_arguments();
        let keys = result?;
        if keys.is_empty() {
            return Err(Failure::Usage(format!(
                "a secret key is required: --key, --key-hex, --key-base64, --key-bytes, \
                 --key-file or ${KEY_ENV}"
            )));
        }
        Ok(keys)
    }

    /// Wipes the option strings that hold keys.
    fn wipe_arguments(&mut self) {
        self.keys.zeroize();
        self.keys_hex.zeroize();
        self.keys_base64.zeroize();
        self.keys_bytes.zeroize();
    }

    fn collect(&self) -> Result<Keys, Failure> {
        let mut keys: Keys = Vec::new();
        for text in &self.keys {
            keys.push(Zeroizing::new(text.as_bytes().to_vec()));
        }
        for text in &self.keys_hex {
            keys.push(hex_key(text)?);
        }
        for text in &self.keys_base64 {
            keys.push(base64_key(text)?);
        }
        for text in &self.keys_bytes {
            let bytes = python_bytes_literal(text.as_bytes()).ok_or_else(|| {
                Failure::Usage(
                    "--key-bytes is not a Python bytes literal such as b'\\x01key'".into(),
                )
            })?;
            keys.push(Zeroizing::new(bytes));
        }
        for path in &self.key_files {
            let mut bytes = read_key_file(path)?;
            strip_one_newline(&mut bytes);
            keys.push(bytes);
        }
        for path in &self.key_files_raw {
            keys.push(read_key_file(path)?);
        }
        if keys.is_empty()
            && let Some(value) = std::env::var_os(KEY_ENV)
        {
            let mut text = value.into_string().map_err(|mut raw| {
                raw.zeroize_os();
                Failure::Usage(format!("${KEY_ENV} is not UTF-8"))
            })?;
            keys.push(Zeroizing::new(text.as_bytes().to_vec()));
            text.zeroize();
        }
        Ok(keys)
    }
}

/// Wiping an `OsString` we cannot turn into a `String`.
trait ZeroizeOs {
    fn zeroize_os(&mut self);
}

impl ZeroizeOs for std::ffi::OsString {
    fn zeroize_os(&mut self) {
        let mut bytes = std::mem::take(self).into_encoded_bytes();
        bytes.zeroize();
    }
}

fn read_key_file(path: &std::path::Path) -> Result<Zeroizing<Vec<u8>>, Failure> {
    std::fs::read(path).map(Zeroizing::new).map_err(|e| {
        Failure::Usage(format!(
            "cannot read the key file {}: {}",
            path.display(),
            e.kind()
        ))
    })
}

/// Drops one trailing `"\n"` or `"\r\n"` (what `echo` and editors add), nothing more.
pub(crate) fn strip_one_newline(bytes: &mut Vec<u8>) {
    if bytes.last() == Some(&b'\n') {
        bytes.pop();
        if bytes.last() == Some(&b'\r') {
            bytes.pop();
        }
    }
}

/// Decodes a `--key-hex` value into a buffer allocated once at its final size (no
/// reallocation leaves a partial copy behind) and wiped on drop, also when a later digit is
/// invalid.
pub(crate) fn hex_key(text: &str) -> Result<Zeroizing<Vec<u8>>, Failure> {
    let text = text.trim();
    let invalid = || Failure::Usage("--key-hex is not an even number of hex digits".into());
    if !text.len().is_multiple_of(2) {
        return Err(invalid());
    }
    let mut key = Zeroizing::new(Vec::with_capacity(text.len() / 2));
    for pair in text.as_bytes().chunks_exact(2) {
        let mut byte = [0u8; 1];
        hex::decode_to_slice(pair, &mut byte).map_err(|_| invalid())?;
        key.extend_from_slice(&byte);
        byte.zeroize();
    }
    Ok(key)
}

/// Decodes a `--key-base64` value (standard or URL-safe alphabet, padding optional). The
/// normalized text and the key are allocated once at their final size and wiped on drop.
pub(crate) fn base64_key(text: &str) -> Result<Zeroizing<Vec<u8>>, Failure> {
    use base64::Engine;
    let text = text.trim().trim_end_matches('=');
    let mut normalized = Zeroizing::new(String::with_capacity(text.len()));
    normalized.extend(text.chars().map(|c| match c {
        '-' => '+',
        '_' => '/',
        c => c,
    }));
    let mut key = Zeroizing::new(Vec::with_capacity(base64::decoded_len_estimate(
        normalized.len(),
    )));
    base64::engine::general_purpose::STANDARD_NO_PAD
        .decode_vec(normalized.as_bytes(), &mut key)
        .map_err(|_| Failure::Usage("--key-base64 is not base64".into()))?;
    Ok(key)
}

/// The argument values that are secrets: what follows a key option (`--key V`) or is
/// attached to it (`--key=V`), and `$TAMPERPROOF_KEY`. Used to scrub parser errors.
pub(crate) fn secret_arguments(args: &[String]) -> Vec<String> {
    let mut secrets = Vec::new();
    let mut next_is_secret = false;
    for arg in args {
        if next_is_secret {
            secrets.push(arg.clone());
            next_is_secret = false;
            continue;
        }
        if SECRET_OPTIONS.contains(&arg.as_str()) {
            next_is_secret = true;
        } else if let Some((option, value)) = arg.split_once('=')
            && SECRET_OPTIONS.contains(&option)
        {
            secrets.push(value.to_owned());
            secrets.push(arg.clone());
        }
    }
    if let Ok(value) = std::env::var(KEY_ENV) {
        secrets.push(value);
    }
    secrets
}

/// `message` with every secret replaced: quoted occurrences always, bare ones when the
/// secret is long enough not to be an ordinary word of the message.
pub(crate) fn redact(message: &str, secrets: &[String]) -> String {
    let mut out = message.to_owned();
    let mut sorted: Vec<&String> = secrets.iter().filter(|s| !s.is_empty()).collect();
    sorted.sort_by_key(|s| std::cmp::Reverse(s.len()));
    for secret in sorted {
        out = out.replace(&format!("'{secret}'"), "'<redacted>'");
        if secret.chars().count() >= 4 {
            out = out.replace(secret.as_str(), "<redacted>");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodings() {
        assert_eq!(*hex_key("00ff10").unwrap(), vec![0, 255, 16]);
        assert!(hex_key("0").is_err());
        assert!(hex_key("zz").is_err());
        assert!(hex_key("0g").is_err());
        assert_eq!(*base64_key("AP8=").unwrap(), vec![0, 255]);
        assert_eq!(*base64_key("AP8").unwrap(), vec![0, 255]);
        assert_eq!(*base64_key("_-8").unwrap(), vec![0xff, 0xef]);
        assert_eq!(*base64_key("-_8").unwrap(), vec![251, 255]);
        assert!(base64_key("A!").is_err());
    }

    #[test]
    fn debug_and_take_never_show_or_keep_keys() {
        // KeyArgs wipes itself on drop, so it is filled field by field.
        let mut args = KeyArgs::default();
        args.keys = vec!["hunter2-secret".into()];
        args.keys_hex = vec!["00ff".into()];
        assert!(!format!("{args:?}").contains("hunter2"));
        let keys = args.take().unwrap();
        assert_eq!(keys.len(), 2);
        assert!(args.keys.is_empty() && args.keys_hex.is_empty());
    }

    #[test]
    fn one_newline_is_stripped() {
        for (input, expected) in [
            (&b"k\n"[..], &b"k"[..]),
            (b"k\r\n", b"k"),
            (b"k\n\n", b"k\n"),
            (b"k", b"k"),
            (b"\n", b""),
        ] {
            let mut bytes = input.to_vec();
            strip_one_newline(&mut bytes);
            assert_eq!(bytes, expected);
        }
    }

    #[test]
    fn secrets_are_found_and_redacted() {
        let args: Vec<String> = [
            "tamperproof",
            "sign",
            "--key",
            "-dash",
            "--key-hex=00ff",
            "v",
        ]
        .map(String::from)
        .to_vec();
        let secrets = secret_arguments(&args);
        assert!(secrets.contains(&"-dash".to_owned()));
        assert!(secrets.contains(&"00ff".to_owned()));
        let message = redact("error: unexpected '-dash' and --key-hex=00ff", &secrets);
        assert!(
            !message.contains("-dash") && !message.contains("00ff"),
            "{message}"
        );
    }
}
