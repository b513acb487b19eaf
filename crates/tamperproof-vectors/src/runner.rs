//! Runs vector cases against the sign-* crates, exactly as `VECTORS.md` describes.
//!
//! Each kind is a [`KindRunner`]: it builds the signer or serializer from the case's
//! parameters, verifies the token at the case's clock, and signs the payload. Adding a kind is
//! one `match` arm in [`runner_for`] and one `KindRunner` implementation.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::marker::PhantomData;
use std::path::Path;

use serde_json::Value;
use sign_core::{Error, Signer, SignerBuilder};
use sign_flask::{SessionSerializer, SessionValue};
use sign_jws::dangerous::algorithm_from_name;
use sign_jws::{JwsBuilder, JwsSerializer, TimedJwsSerializer};
use sign_serde::{Fallback, FixedClock, JsonCodec, MaxAge, PayloadCodec, SignedSerializer};
use sign_timed::TimestampSigner;
use sign_url::UrlSafeCodec;

use crate::json_eq::json_eq;
use crate::vector_file::{Case, Direction, Expect, Params, VectorFile, bytes_from_json, case_id};

/// Every kind that `VECTORS.md` defines, implemented or not.
pub const ALL_KINDS: [&str; 15] = [
    "signer",
    "timestamp_signer",
    "serializer",
    "timed_serializer",
    "url_safe_serializer",
    "url_safe_timed_serializer",
    "jws",
    "timed_jws",
    "flask_session",
    "django_signer",
    "django_timestamp_signer",
    "django_signing",
    "django_signed_cookie",
    "django_session",
    "starlette_session",
];

/// A verified value.
#[derive(Clone, Debug, PartialEq)]
pub enum Verified {
    /// The value of a signer kind.
    Bytes(Vec<u8>),
    /// The loaded value of a serializer kind.
    Json(Value),
}

/// What verifying a token gave.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// The token verified.
    Ok(Verified),
    /// The token was rejected with this Python exception class.
    Err {
        /// `Error::class_name()`.
        class: &'static str,
        /// The error's message.
        message: String,
    },
}

impl Outcome {
    pub(crate) fn from_result(result: Result<Verified, Error>) -> Self {
        match result {
            Ok(value) => Self::Ok(value),
            Err(error) => Self::Err {
                class: error.class_name(),
                message: error.to_string(),
            },
        }
    }

    /// `ok` or the exception class.
    #[must_use]
    pub const fn class(&self) -> &'static str {
        match self {
            Self::Ok(_) => "ok",
            Self::Err { class, .. } => class,
        }
    }
}

/// One kind of signer or serializer, driven by a case.
///
/// The `Err(String)` of both methods is a failure to run the case at all: an unsupported
/// parameter, a configuration the crate refuses to build, a missing field.
pub trait KindRunner {
    /// Verifies `case.token` (at `case.now`, with `case.max_age`).
    ///
    /// # Errors
    /// When the case cannot be run.
    fn verify(&self, case: &Case) -> Result<Outcome, String>;

    /// Signs `case.payload` (at `case.timestamp`) and returns the token.
    ///
    /// # Errors
    /// When the case cannot be run or signing fails.
    fn sign(&self, case: &Case) -> Result<Vec<u8>, String>;
}

/// The runner for `kind`.
///
/// # Errors
/// `unknown kind` for a kind that `VECTORS.md` does not define (every kind it defines is
/// implemented).
pub fn runner_for(kind: &str) -> Result<&'static dyn KindRunner, String> {
    match kind {
        "signer" => Ok(&SignerKind),
        "timestamp_signer" => Ok(&TimestampSignerKind),
        "serializer" => Ok(&SerializerKind::<JsonCodec, Signer>(PhantomData)),
        "timed_serializer" => Ok(&SerializerKind::<JsonCodec, TimestampSigner>(PhantomData)),
        "url_safe_serializer" => Ok(&SerializerKind::<UrlSafeCodec, Signer>(PhantomData)),
        "url_safe_timed_serializer" => Ok(&SerializerKind::<UrlSafeCodec, TimestampSigner>(
            PhantomData,
        )),
        "jws" => Ok(&JwsKind { timed: false }),
        "timed_jws" => Ok(&JwsKind { timed: true }),
        "flask_session" => Ok(&FlaskSessionKind),
        other => crate::frameworks::runner_for(other).ok_or(format!("unknown kind {other:?}")),
    }
}

/// The kinds [`runner_for`] can run.
#[must_use]
pub fn implemented_kinds() -> Vec<&'static str> {
    ALL_KINDS
        .into_iter()
        .filter(|kind| runner_for(kind).is_ok())
        .collect()
}

/// Verifies `case.token` with the case's kind.
///
/// # Errors
/// When the case cannot be run.
pub fn verify_case(case: &Case) -> Result<Outcome, String> {
    runner_for(&case.kind)?.verify(case)
}

/// Signs `case.payload` with the case's kind.
///
/// # Errors
/// When the case cannot be run or signing fails.
pub fn sign_case(case: &Case) -> Result<Vec<u8>, String> {
    runner_for(&case.kind)?.sign(case)
}

/// Runs one case: the outcome of verifying must be `expect` (and the value `payload`), and
/// with `direction: both` signing must reproduce `token`.
///
/// # Errors
/// Why the case failed.
pub fn run_case(case: &Case) -> Result<(), String> {
    let runner = runner_for(&case.kind)?;
    let outcome = runner.verify(case)?;
    match (case.expect, &outcome) {
        (Expect::Ok, Outcome::Ok(value)) => check_value(case, value)?,
        (Expect::Error(expected), Outcome::Err { class, .. })
            if *class == expected.class_name() => {}
        (expect, Outcome::Ok(value)) => {
            return Err(format!(
                "expected {}, got ok with {}",
                expect.as_str(),
                show_verified(value)
            ));
        }
        (expect, Outcome::Err { class, message }) => {
            return Err(format!(
                "expected {}, got {class} ({message})",
                expect.as_str()
            ));
        }
    }
    if case.direction == Direction::Both {
        let token = runner.sign(case)?;
        if token != case.token {
            return Err(format!(
                "signing the payload gives {} but the reference gave {}",
                show_bytes(&token),
                show_bytes(&case.token)
            ));
        }
    }
    Ok(())
}

/// Checks that a verified value equals the case's payload.
///
/// # Errors
/// What differs.
pub fn check_value(case: &Case, value: &Verified) -> Result<(), String> {
    match value {
        Verified::Bytes(bytes) => {
            let payload = bytes_from_json(&case.payload).map_err(|e| format!("`payload`: {e}"))?;
            if *bytes != payload {
                return Err(format!(
                    "verified value {} differs from the payload {}",
                    show_bytes(bytes),
                    show_bytes(&payload)
                ));
            }
        }
        Verified::Json(json) => {
            if !json_eq(json, &case.payload) {
                return Err(format!(
                    "verified value {} differs from the payload {}",
                    show_json(json),
                    show_json(&case.payload)
                ));
            }
        }
    }
    Ok(())
}

/// The result of one case in a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseResult {
    /// The case id (or `#index`).
    pub id: String,
    /// The case kind (empty when unreadable).
    pub kind: String,
    /// Why it failed; `None` when it passed.
    pub failure: Option<String>,
}

/// Reads and runs one raw case.
#[must_use]
pub fn run_raw_case(raw: &Value, index: usize) -> CaseResult {
    let id = case_id(raw, index);
    let kind = raw
        .get("kind")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let failure = Case::from_json(raw).and_then(|case| run_case(&case)).err();
    CaseResult { id, kind, failure }
}

/// Runs every case of a document.
#[must_use]
pub fn run_file(file: &VectorFile) -> Vec<CaseResult> {
    file.cases
        .iter()
        .enumerate()
        .map(|(index, raw)| run_raw_case(raw, index))
        .collect()
}

/// Reads the vector file at `path` and runs every case.
///
/// # Errors
/// When the file cannot be read or is not a `tamperproof-vectors/1` document.
pub fn run_path(path: &Path) -> Result<Vec<CaseResult>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let file = VectorFile::parse(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(run_file(&file))
}

/// Passed and failed counts, overall and per kind.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    /// Cases that passed.
    pub passed: usize,
    /// Cases that failed.
    pub failed: usize,
    /// Per kind: (passed, failed).
    pub per_kind: BTreeMap<String, (usize, usize)>,
}

impl Tally {
    /// Counts one result.
    pub fn add(&mut self, kind: &str, passed: bool) {
        let entry = self.per_kind.entry(kind.to_owned()).or_default();
        if passed {
            self.passed = self.passed.saturating_add(1);
            entry.0 = entry.0.saturating_add(1);
        } else {
            self.failed = self.failed.saturating_add(1);
            entry.1 = entry.1.saturating_add(1);
        }
    }

    /// One line per kind: `  <kind>: N passed, M failed`.
    #[must_use]
    pub fn per_kind_lines(&self) -> Vec<String> {
        self.per_kind
            .iter()
            .map(|(kind, (passed, failed))| {
                let kind = if kind.is_empty() { "(no kind)" } else { kind };
                format!("  {kind}: {passed} passed, {failed} failed")
            })
            .collect()
    }

    /// `N passed, M failed`.
    #[must_use]
    pub fn final_line(&self) -> String {
        format!("{} passed, {} failed", self.passed, self.failed)
    }
}

// --------------------------------------------------------------------------- kinds

/// `signer`: Python's `Signer`.
struct SignerKind;

impl KindRunner for SignerKind {
    fn verify(&self, case: &Case) -> Result<Outcome, String> {
        let signer = build_signer(case)?;
        Ok(Outcome::from_result(
            signer
                .unsign(&case.token)
                .map(|value| Verified::Bytes(value.to_vec())),
        ))
    }

    fn sign(&self, case: &Case) -> Result<Vec<u8>, String> {
        Ok(build_signer(case)?.sign(payload_bytes(case)?))
    }
}

/// `timestamp_signer`: Python's `TimestampSigner`, verified with `return_timestamp=True`.
struct TimestampSignerKind;

impl KindRunner for TimestampSignerKind {
    fn verify(&self, case: &Case) -> Result<Outcome, String> {
        let now = required_now(case)?;
        let signer = TimestampSigner::from_signer(build_signer(case)?).with_clock(FixedClock(now));
        Ok(Outcome::from_result(
            signer
                .unsign_with_timestamp(&case.token, case.max_age.map(MaxAge::from_secs))
                .map(|verified| Verified::Bytes(verified.value.to_vec())),
        ))
    }

    fn sign(&self, case: &Case) -> Result<Vec<u8>, String> {
        let timestamp = required_timestamp(case)?;
        let signer = TimestampSigner::from_signer(build_signer(case)?);
        Ok(signer.sign_at(payload_bytes(case)?, timestamp))
    }
}

/// The serializer kinds: `SignedSerializer<C, S>` for a payload codec and a signing scheme.
struct SerializerKind<C, S>(PhantomData<fn() -> (C, S)>);

/// What differs between the plain and the timed serializers.
trait Scheme: sign_serde::SigningScheme {
    /// Whether the scheme carries a timestamp (and uses `now`, `timestamp`, `max_age`).
    const TIMED: bool;

    fn loads<C: PayloadCodec>(
        serializer: &SignedSerializer<C, Self>,
        token: &[u8],
        max_age: Option<i64>,
    ) -> Result<Value, Error>;

    fn dumps<C: PayloadCodec>(
        serializer: &SignedSerializer<C, Self>,
        payload: &Value,
        timestamp: u64,
    ) -> Result<Vec<u8>, Error>;
}

impl Scheme for Signer {
    const TIMED: bool = false;

    fn loads<C: PayloadCodec>(
        serializer: &SignedSerializer<C, Self>,
        token: &[u8],
        _max_age: Option<i64>,
    ) -> Result<Value, Error> {
        serializer.loads(token)
    }

    fn dumps<C: PayloadCodec>(
        serializer: &SignedSerializer<C, Self>,
        payload: &Value,
        _timestamp: u64,
    ) -> Result<Vec<u8>, Error> {
        serializer.dumps_bytes(payload)
    }
}

impl Scheme for TimestampSigner {
    const TIMED: bool = true;

    fn loads<C: PayloadCodec>(
        serializer: &SignedSerializer<C, Self>,
        token: &[u8],
        max_age: Option<i64>,
    ) -> Result<Value, Error> {
        match max_age {
            Some(max_age) => serializer.loads_max_age(token, MaxAge::from_secs(max_age)),
            None => serializer.loads(token),
        }
    }

    fn dumps<C: PayloadCodec>(
        serializer: &SignedSerializer<C, Self>,
        payload: &Value,
        timestamp: u64,
    ) -> Result<Vec<u8>, Error> {
        serializer
            .dumps_at(payload, timestamp)
            .map(String::into_bytes)
    }
}

impl<C: PayloadCodec + Default, S: Scheme> SerializerKind<C, S> {
    fn build(case: &Case, clock: u64) -> Result<SignedSerializer<C, S>, String> {
        let p = &case.params;
        only_params(case, &SERIALIZER_PARAMS)?;
        let mut builder = SignedSerializer::<C, S>::builder()
            .keys(&p.secret_keys)
            .clock(FixedClock(clock));
        if has_empty_key(p) {
            builder = builder.allow_empty_key();
        }
        if let Some(salt) = &p.salt {
            builder = builder.salt(salt);
        }
        if let Some(sep) = &p.sep {
            builder = builder.separator(sep);
        }
        if let Some(kd) = p.key_derivation {
            builder = builder.key_derivation(kd);
        }
        if let Some(digest) = p.digest_method {
            builder = builder.digest(digest);
        }
        for entry in p.fallback_signers.iter().flatten() {
            let mut fallback = Fallback::new();
            if let Some(kd) = entry.key_derivation {
                fallback = fallback.key_derivation(kd);
            }
            if let Some(digest) = entry.digest_method {
                fallback = fallback.digest(digest);
            }
            if let Some(salt) = &entry.salt {
                fallback = fallback.salt(salt);
            }
            if let Some(sep) = &entry.sep {
                fallback = fallback.separator(sep);
            }
            builder = builder.fallback(fallback);
        }
        builder
            .build()
            .map_err(|e| format!("cannot build the serializer: {e}"))
    }
}

impl<C: PayloadCodec + Default, S: Scheme> KindRunner for SerializerKind<C, S> {
    fn verify(&self, case: &Case) -> Result<Outcome, String> {
        let now = if S::TIMED { required_now(case)? } else { 0 };
        let serializer = Self::build(case, now)?;
        Ok(Outcome::from_result(
            S::loads(&serializer, &case.token, case.max_age).map(Verified::Json),
        ))
    }

    fn sign(&self, case: &Case) -> Result<Vec<u8>, String> {
        let timestamp = if S::TIMED {
            required_timestamp(case)?
        } else {
            0
        };
        let serializer = Self::build(case, timestamp)?;
        S::dumps(&serializer, &case.payload, timestamp)
            .map_err(|e| format!("signing failed: {} ({e})", e.class_name()))
    }
}

/// `jws` and `timed_jws`: itsdangerous 2.0.1's `JSONWebSignatureSerializer` and
/// `TimedJSONWebSignatureSerializer`. Tokens carry no extra header fields; a timed token's
/// `iat` is the case's `timestamp`.
struct JwsKind {
    timed: bool,
}

impl JwsKind {
    /// The key, salt and algorithm options shared by both serializers.
    fn configure<F>(case: &Case, mut builder: JwsBuilder<F>) -> Result<JwsBuilder<F>, String> {
        let p = &case.params;
        if case.max_age.is_some() {
            return Err(format!("`max_age` does not apply to kind {}", case.kind));
        }
        builder = builder.keys(&p.secret_keys);
        if has_empty_key(p) {
            builder = builder.allow_empty_key();
        }
        if let Some(salt) = &p.salt {
            builder = builder.salt(salt);
        }
        if let Some(name) = &p.algorithm_name {
            let algorithm = algorithm_from_name(name)
                .map_err(|e| format!("unsupported algorithm_name {name:?}: {e}"))?;
            builder = builder.algorithm(algorithm);
        }
        Ok(builder)
    }

    fn untimed(case: &Case) -> Result<JwsSerializer, String> {
        only_params(case, &JWS_PARAMS)?;
        Self::configure(case, JwsSerializer::builder())?
            .build()
            .map_err(|e| format!("cannot build the serializer: {e}"))
    }

    fn timed(case: &Case, clock: u64) -> Result<TimedJwsSerializer, String> {
        only_params(case, &TIMED_JWS_PARAMS)?;
        let mut builder =
            Self::configure(case, TimedJwsSerializer::builder())?.clock(FixedClock(clock));
        if let Some(expires_in) = case.params.expires_in {
            let expires_in = u64::try_from(expires_in)
                .map_err(|_| format!("unsupported expires_in {expires_in}: negative"))?;
            builder = builder.expires_in(expires_in);
        }
        builder
            .build()
            .map_err(|e| format!("cannot build the serializer: {e}"))
    }
}

impl KindRunner for JwsKind {
    fn verify(&self, case: &Case) -> Result<Outcome, String> {
        let loaded = if self.timed {
            Self::timed(case, required_now(case)?)?.loads::<Value>(&case.token)
        } else {
            Self::untimed(case)?.loads::<Value>(&case.token)
        };
        Ok(Outcome::from_result(loaded.map(Verified::Json)))
    }

    fn sign(&self, case: &Case) -> Result<Vec<u8>, String> {
        let signed = if self.timed {
            Self::timed(case, required_timestamp(case)?)?.dumps(&case.payload)
        } else {
            Self::untimed(case)?.dumps(&case.payload)
        };
        signed
            .map(String::into_bytes)
            .map_err(|e| format!("signing failed: {} ({e})", e.class_name()))
    }
}

/// `flask_session`: Flask's `SecureCookieSessionInterface` serializer. `secret_key` as a
/// list is `SECRET_KEY_FALLBACKS` followed by `SECRET_KEY`; the payload is the session in
/// its tagged-JSON form.
struct FlaskSessionKind;

impl FlaskSessionKind {
    fn build(case: &Case, clock: u64, max_age: Option<i64>) -> Result<SessionSerializer, String> {
        only_params(case, &[])?;
        let (secret_key, fallbacks) = case
            .params
            .secret_keys
            .split_last()
            .ok_or("`secret_key` is an empty list")?;
        let mut builder = SessionSerializer::builder();
        if fallbacks.iter().any(Vec::is_empty) {
            builder = builder.allow_empty_fallback_key();
        }
        builder = builder
            .secret_key(secret_key)
            .secret_key_fallbacks(fallbacks)
            .clock(FixedClock(clock));
        builder = match max_age {
            Some(max_age) => builder.max_age(MaxAge::from_secs(max_age)),
            None => builder.no_max_age(),
        };
        builder
            .build()
            .map_err(|e| format!("cannot build the session serializer: {e}"))
    }
}

impl KindRunner for FlaskSessionKind {
    fn verify(&self, case: &Case) -> Result<Outcome, String> {
        let sessions = Self::build(case, required_now(case)?, case.max_age)?;
        Ok(Outcome::from_result(
            sessions
                .loads::<SessionValue>(&case.token)
                .map(|value| Verified::Json(value.to_tagged_json())),
        ))
    }

    fn sign(&self, case: &Case) -> Result<Vec<u8>, String> {
        let timestamp = required_timestamp(case)?;
        let sessions = Self::build(case, timestamp, None)?;
        let value = SessionValue::from_tagged_json(case.payload.clone())
            .map_err(|e| format!("the payload is not a tagged session: {e}"))?;
        sessions
            .dumps_at(&value, timestamp)
            .map(String::into_bytes)
            .map_err(|e| format!("signing failed: {} ({e})", e.class_name()))
    }
}

// --------------------------------------------------------------------------- helpers

fn build_signer(case: &Case) -> Result<Signer, String> {
    let p = &case.params;
    only_params(case, &SIGNER_PARAMS)?;
    let mut builder = SignerBuilder::default().keys(&p.secret_keys);
    if has_empty_key(p) {
        builder = builder.allow_empty_key();
    }
    if let Some(salt) = &p.salt {
        builder = builder.salt(salt);
    }
    if let Some(sep) = &p.sep {
        builder = builder.separator(sep);
    }
    if let Some(kd) = p.key_derivation {
        builder = builder.key_derivation(kd);
    }
    if let Some(digest) = p.digest_method {
        builder = builder.digest(digest);
    }
    builder
        .build()
        .map_err(|e| format!("cannot build the signer: {e}"))
}

/// The optional parameters of the signer kinds (`secret_key` is always allowed).
const SIGNER_PARAMS: [&str; 4] = ["salt", "sep", "key_derivation", "digest_method"];
/// The optional parameters of the serializer kinds.
const SERIALIZER_PARAMS: [&str; 5] = [
    "salt",
    "sep",
    "key_derivation",
    "digest_method",
    "fallback_signers",
];
/// The optional parameters of `jws`.
const JWS_PARAMS: [&str; 2] = ["salt", "algorithm_name"];
/// The optional parameters of `timed_jws`.
const TIMED_JWS_PARAMS: [&str; 3] = ["salt", "algorithm_name", "expires_in"];

/// The names of the optional parameters a case sets.
fn present_params(p: &Params) -> impl Iterator<Item = &'static str> {
    [
        ("salt", p.salt.is_some()),
        ("sep", p.sep.is_some()),
        ("key_derivation", p.key_derivation.is_some()),
        ("digest_method", p.digest_method.is_some()),
        ("fallback_signers", p.fallback_signers.is_some()),
        ("algorithm_name", p.algorithm_name.is_some()),
        ("expires_in", p.expires_in.is_some()),
        ("algorithm", p.framework.algorithm.is_some()),
        ("compress", p.framework.compress.is_some()),
        ("cookie_name", p.framework.cookie_name.is_some()),
        (
            "legacy_salt_fallback",
            p.framework.legacy_salt_fallback.is_some(),
        ),
    ]
    .into_iter()
    .filter_map(|(name, present)| present.then_some(name))
}

/// Fails on any parameter the case's kind does not take (Python would raise `TypeError`).
fn only_params(case: &Case, allowed: &[&str]) -> Result<(), String> {
    match present_params(&case.params).find(|name| !allowed.contains(name)) {
        Some(name) => Err(format!(
            "unsupported parameter `{name}` for kind {}",
            case.kind
        )),
        None => Ok(()),
    }
}

fn has_empty_key(p: &Params) -> bool {
    p.secret_keys.iter().any(Vec::is_empty)
}

fn payload_bytes(case: &Case) -> Result<Vec<u8>, String> {
    bytes_from_json(&case.payload).map_err(|e| format!("`payload`: {e}"))
}

fn required_now(case: &Case) -> Result<u64, String> {
    case.now
        .ok_or_else(|| format!("kind {} needs `now`", case.kind))
}

fn required_timestamp(case: &Case) -> Result<u64, String> {
    case.timestamp
        .ok_or_else(|| format!("kind {} needs `timestamp` to sign", case.kind))
}

const SHOW_LIMIT: usize = 300;

/// Bytes for a message: text with escapes, shortened.
#[must_use]
pub fn show_bytes(bytes: &[u8]) -> String {
    let mut out = String::from("b\"");
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            match c {
                '"' | '\\' => {
                    out.push('\\');
                    out.push(c);
                }
                c if c.is_control() => {
                    let _ = write!(out, "{}", c.escape_default());
                }
                c => out.push(c),
            }
        }
        for b in chunk.invalid() {
            let _ = write!(out, "\\x{b:02x}");
        }
    }
    out.push('"');
    shorten(out)
}

/// A JSON value for a message, shortened.
#[must_use]
pub fn show_json(value: &Value) -> String {
    shorten(value.to_string())
}

fn show_verified(value: &Verified) -> String {
    match value {
        Verified::Bytes(bytes) => show_bytes(bytes),
        Verified::Json(json) => show_json(json),
    }
}

fn shorten(mut s: String) -> String {
    if s.chars().count() > SHOW_LIMIT {
        s = s.chars().take(SHOW_LIMIT).collect();
        s.push_str("...");
    }
    s
}

#[cfg(test)]
mod tests {
    use super::run_raw_case;
    use serde_json::{Value, json};

    fn failure(case: &Value) -> Option<String> {
        run_raw_case(case, 0).failure
    }

    fn jws_case(params: Value) -> Value {
        json!({
            "id": "jws/t", "kind": "jws", "params": params, "payload": {"a": 1},
            "token": "eyJhbGciOiJIUzUxMiJ9.eyJhIjoxfQ.x", "expect": "BadSignature",
            "direction": "verify"
        })
    }

    #[test]
    fn new_kinds_run_and_reject_what_they_do_not_take() {
        assert_eq!(failure(&jws_case(json!({"secret_key": "k"}))), None);
        let reason = failure(&jws_case(json!({"secret_key": "k", "sep": "|"}))).unwrap();
        assert!(reason.contains("`sep`"), "{reason}");
        let reason = failure(&jws_case(json!({"secret_key": "k", "expires_in": 5}))).unwrap();
        assert!(reason.contains("`expires_in`"), "{reason}");
        let reason = failure(&jws_case(
            json!({"secret_key": "k", "algorithm_name": "RS256"}),
        ))
        .unwrap();
        assert!(reason.contains("RS256"), "{reason}");

        let flask = |params: Value| {
            json!({
                "id": "flask_session/t", "kind": "flask_session", "params": params,
                "payload": {"a": 1}, "token": "eyJhIjoxfQ.TgPVoQ.Vlr_Jz1KAK-AL-4WaTlES0RX-6s",
                "timestamp": 1_308_874_145, "now": 1_308_874_145, "max_age": 2_678_400,
                "expect": "ok", "direction": "both"
            })
        };
        assert_eq!(failure(&flask(json!({"secret_key": "secret"}))), None);
        assert_eq!(failure(&flask(json!({"secret_key": ["", "secret"]}))), None);
        let reason = failure(&flask(json!({"secret_key": "secret", "salt": "x"}))).unwrap();
        assert!(reason.contains("`salt`"), "{reason}");
        assert!(failure(&flask(json!({"secret_key": []}))).is_some());
    }
}
