//! Random cases for the live check: a seeded PRNG, parameters, payloads, clocks and tampers.
//!
//! Everything stays inside what `xtask/python/README.md` lists as comparable: one-character
//! separators outside `A-Za-z0-9-_=`, finite floats, integers far below 4300 digits, timestamps
//! up to year 9999, and tampers that keep each base64 field canonical.
//!
//! The JWS kinds get header-free tokens (HS256/384/512 and `none`, salts, `expires_in`, key
//! lists); `flask_session` gets random sessions built from every tagged type (tuples, bytes,
//! `Markup`, UUIDs, datetimes, escaped one-key dicts) around plain JSON.

use std::collections::BTreeMap;

use serde_json::{Map, Number, Value};
use tamperproof_vectors::vector_file::{
    Case, Direction, Expect, FallbackParams, Params, bytes_to_json,
};

use tamperproof::sign_flask::{HttpDate, Markup, SessionValue, TAG_KEYS, Uuid};
use tamperproof::{DigestMethod, ErrorKind, KeyDerivation};

/// splitmix64: small, fast, and good enough to vary test inputs.
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) const fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub(crate) const fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform-ish in `0..n` (0 when `n` is 0).
    pub(crate) const fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next_u64() % n }
    }

    /// Uniform-ish in `lo..=hi`.
    pub(crate) fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo.saturating_add(self.below(hi.saturating_sub(lo).saturating_add(1)))
    }

    pub(crate) fn index(&mut self, len: usize) -> usize {
        usize::try_from(self.below(len as u64)).unwrap_or(0)
    }

    /// `true` with probability `percent`/100.
    pub(crate) fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    pub(crate) fn pick<T: Copy>(&mut self, items: &[T], fallback: T) -> T {
        let i = self.index(items.len());
        items.get(i).copied().unwrap_or(fallback)
    }
}

const URL_ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Separators both sides accept: one character, outside the base64 alphabet.
const TEXT_SEPS: &[&str] = &[
    ".", ",", ";", ":", "!", "~", "*", "|", "$", "#", "@", "/", "+", "'", "\"", " ", "\t", "\0",
    "\\", "&", "%", "^", "(", "]", "{", "<", "?", "`", "é", "€", "\u{2028}", "🔑",
];
/// Separators that are not UTF-8: fine for the signer kinds only.
const BINARY_SEPS: &[&[u8]] = &[b"\xff", b"\x80", b"\xc3"];

const TEXT_PIECES: &[&str] = &[
    "a",
    "Z",
    "0",
    "9",
    "-",
    "_",
    "=",
    ".",
    "hello",
    "secret",
    " ",
    "\"",
    "\\",
    "/",
    "'",
    "\n",
    "\r",
    "\t",
    "\0",
    "\u{1}",
    "\u{1f}",
    "\u{7f}",
    "\u{80}",
    "\u{a0}",
    "é",
    "ß",
    "ñ",
    "中文",
    "日本",
    "Ω",
    "\u{2028}",
    "\u{2029}",
    "\u{feff}",
    "\u{fffd}",
    "\u{ffff}",
    "\u{10ffff}",
    "🔑",
    "😀",
    "👨\u{200d}👩\u{200d}👧",
    "🇫🇷",
    "<script>",
    "&amp;",
    "{}",
    "[]",
    "null",
    "1e5",
];

const FLOATS: &[f64] = &[
    0.0,
    -0.0,
    0.1,
    -1.5,
    1.0,
    100.0,
    1e16,
    1e-7,
    1e22,
    1e-5,
    0.0001,
    123_456_789.125,
    5e-324,
    f64::MAX,
    f64::MIN_POSITIVE,
    1e15,
    9_007_199_254_740_993.0,
    2.5e-300,
    -std::f64::consts::PI,
    -7.25e-3,
    1e300,
];

/// The kinds whose tokens are `payload.timestamp.signature` (JWS keeps its times in the
/// header).
pub(crate) fn is_timed(kind: &str) -> bool {
    matches!(
        kind,
        "timestamp_signer" | "timed_serializer" | "url_safe_timed_serializer" | "flask_session"
    )
}

fn is_signer_kind(kind: &str) -> bool {
    matches!(kind, "signer" | "timestamp_signer")
}

/// The kinds with a URL-safe base64 payload, compressed (and marked with a leading `.`) when
/// zlib pays off.
pub(crate) fn is_url_kind(kind: &str) -> bool {
    kind.starts_with("url_safe")
        || matches!(kind, "flask_session" | "django_signing" | "django_session")
}

fn is_jws_kind(kind: &str) -> bool {
    matches!(kind, "jws" | "timed_jws")
}

/// itsdangerous 2.0.1's algorithm names.
const JWS_ALGORITHMS: &[&str] = &["HS256", "HS384", "HS512", "none"];
/// Lifetimes of timed JWS tokens, in seconds.
const JWS_EXPIRES_IN: &[i64] = &[0, 1, 10, 60, 3600, 86_400, 2_678_400];
/// itsdangerous 2.0.1's `DEFAULT_EXPIRES_IN`.
const JWS_DEFAULT_EXPIRES_IN: u64 = 3600;
/// Flask's default `PERMANENT_SESSION_LIFETIME` (31 days).
const FLASK_MAX_AGE: i64 = 2_678_400;
/// The last second of year 9999.
const MAX_TIMESTAMP: u64 = 253_402_300_799;

/// A random case of `kind`, not yet signed: the parameters to verify with, the parameters
/// to sign with (another configuration when it signs with a fallback) and the expected
/// outcome.
pub(crate) struct Draft {
    pub(crate) case: Case,
    pub(crate) sign_params: Params,
    pub(crate) label: &'static str,
}

pub(crate) fn draft(rng: &mut Rng, kind: &str, id: String) -> Draft {
    if let Some(draft) = crate::livegen_frameworks::draft(rng, kind, id.clone()) {
        return draft;
    }
    match kind {
        "jws" | "timed_jws" => jws_draft(rng, kind, id),
        "flask_session" => flask_draft(rng, id),
        _ => itsdangerous_draft(rng, kind, id),
    }
}

/// The six itsdangerous 2.2 kinds.
fn itsdangerous_draft(rng: &mut Rng, kind: &str, id: String) -> Draft {
    let signer_kind = is_signer_kind(kind);
    let mut params = Params::default();
    let key_count = if rng.chance(65) { 1 } else { rng.range(1, 4) };
    params.secret_key_is_list = key_count > 1 || rng.chance(10);
    params.secret_keys = (0..key_count).map(|_| secret(rng)).collect();
    if rng.chance(55) {
        params.salt = Some(secret(rng));
    }
    if rng.chance(50) {
        params.sep = Some(separator(rng, signer_kind));
    }
    if rng.chance(60) {
        params.key_derivation = Some(rng.pick(&KeyDerivation::ALL, KeyDerivation::DjangoConcat));
    }
    if rng.chance(60) {
        params.digest_method = Some(rng.pick(&DigestMethod::ALL, DigestMethod::Sha1));
    }
    if !signer_kind && rng.chance(40) {
        let count = rng.range(0, 3);
        params.fallback_signers = Some(
            (0..count)
                .map(|_| FallbackParams {
                    key_derivation: rng
                        .chance(50)
                        .then(|| rng.pick(&KeyDerivation::ALL, KeyDerivation::DjangoConcat)),
                    digest_method: rng
                        .chance(50)
                        .then(|| rng.pick(&DigestMethod::ALL, DigestMethod::Sha1)),
                    salt: rng.chance(25).then(|| secret(rng)),
                    sep: rng.chance(30).then(|| separator(rng, false)),
                })
                .collect(),
        );
    }

    // Sign with one of the fallbacks now and then: the serializer must still verify it.
    let mut sign_params = params.clone();
    let mut label = "valid";
    if let Some(fallbacks) = &params.fallback_signers
        && !fallbacks.is_empty()
        && rng.chance(35)
        && let Some(fallback) = fallbacks.get(rng.index(fallbacks.len()))
    {
        sign_params.key_derivation = fallback.key_derivation;
        sign_params.digest_method = fallback.digest_method;
        sign_params.sep.clone_from(&fallback.sep);
        if fallback.salt.is_some() {
            sign_params.salt.clone_from(&fallback.salt);
        }
        sign_params.fallback_signers = None;
        label = "fallback";
    }

    let payload = if signer_kind {
        bytes_to_json(&signer_payload(rng, params.sep.as_deref()))
    } else {
        json_payload(rng, is_url_kind(kind))
    };

    let (timestamp, now, max_age) = if is_timed(kind) {
        let (timestamp, now, max_age) = clocks(rng);
        (Some(timestamp), Some(now), max_age)
    } else {
        (None, None, None)
    };
    let expired = match (timestamp, now, max_age) {
        (Some(timestamp), Some(now), Some(max_age)) => {
            let age = i128::from(now) - i128::from(timestamp);
            age > i128::from(max_age) || age < 0
        }
        _ => false,
    };
    let expect = if expired {
        Expect::Error(ErrorKind::SignatureExpired)
    } else {
        Expect::Ok
    };
    Draft {
        case: Case {
            id,
            kind: kind.to_owned(),
            params,
            payload,
            token: Vec::new(),
            timestamp,
            now,
            max_age,
            expect,
            direction: Direction::Verify,
        },
        sign_params,
        label,
    }
}

/// A draft of a plain case: no separator, no timestamp unless given.
fn plain_draft(id: String, kind: &str, params: Params, payload: Value) -> Draft {
    Draft {
        sign_params: params.clone(),
        case: Case {
            id,
            kind: kind.to_owned(),
            params,
            payload,
            token: Vec::new(),
            timestamp: None,
            now: None,
            max_age: None,
            expect: Expect::Ok,
            direction: Direction::Verify,
        },
        label: "valid",
    }
}

/// One key, or a list of one to four keys (oldest first).
fn key_list(rng: &mut Rng, params: &mut Params) {
    let key_count = if rng.chance(65) { 1 } else { rng.range(1, 4) };
    params.secret_key_is_list = key_count > 1 || rng.chance(10);
    params.secret_keys = (0..key_count).map(|_| secret(rng)).collect();
}

/// Now and then, signs with an older key of the list (cut there: its last key signs). Every
/// key verifies, so the case is still valid. `usable` says which keys can sign.
fn maybe_rotate(rng: &mut Rng, draft: &mut Draft, usable: impl Fn(&[u8]) -> bool) {
    let keys = &draft.case.params.secret_keys;
    let older: Vec<usize> = (0..keys.len().saturating_sub(1))
        .filter(|&i| keys.get(i).is_some_and(|k| usable(k)))
        .collect();
    if older.is_empty() || !rng.chance(35) {
        return;
    }
    let Some(&cut) = older.get(rng.index(older.len())) else {
        return;
    };
    draft.sign_params.secret_keys = keys.get(..=cut).unwrap_or_default().to_vec();
    draft.sign_params.secret_key_is_list = true;
    draft.label = "rotation";
}

/// `jws` / `timed_jws`: tokens without extra header fields, any JSON payload.
fn jws_draft(rng: &mut Rng, kind: &str, id: String) -> Draft {
    let mut params = Params::default();
    key_list(rng, &mut params);
    if rng.chance(40) {
        params.salt = Some(secret(rng));
    }
    if rng.chance(75) {
        params.algorithm_name = Some(rng.pick(JWS_ALGORITHMS, "HS512").to_owned());
    }
    let timed = kind == "timed_jws";
    if timed && rng.chance(70) {
        params.expires_in = Some(if rng.chance(80) {
            rng.pick(JWS_EXPIRES_IN, 3600)
        } else {
            rng.range(1, 1_000_000).cast_signed()
        });
    }
    let payload = json_value(rng, 0);
    let mut draft = plain_draft(id, kind, params, payload);
    if timed {
        let lifetime = draft
            .case
            .params
            .expires_in
            .map_or(JWS_DEFAULT_EXPIRES_IN, i64::unsigned_abs);
        let timestamp = timestamp(rng);
        let expires = timestamp.saturating_add(lifetime);
        let now = match rng.below(6) {
            0 => timestamp,
            1 => expires,
            2 => expires.saturating_add(1),
            3 => timestamp.saturating_add(rng.range(0, lifetime.saturating_mul(2) + 2)),
            // Signed in the future: itsdangerous 2.0.1 does not mind.
            4 => timestamp.saturating_sub(rng.range(1, 1_000_000)),
            _ => timestamp.saturating_add(rng.range(0, 4000)),
        };
        draft.case.timestamp = Some(timestamp);
        draft.case.now = Some(now);
        if expires < now {
            draft.case.expect = Expect::Error(ErrorKind::SignatureExpired);
        }
    }
    draft.sign_params = draft.case.params.clone();
    maybe_rotate(rng, &mut draft, |_| true);
    draft
}

/// `flask_session`: a random session in tagged-JSON form.
fn flask_draft(rng: &mut Rng, id: String) -> Draft {
    let mut params = Params::default();
    key_list(rng, &mut params);
    // Flask has no sessions without a SECRET_KEY; empty fallbacks are fine.
    if let Some(last) = params.secret_keys.last_mut()
        && last.is_empty()
    {
        *last = b"secret".to_vec();
    }
    let payload = session(rng).to_tagged_json();
    let mut draft = plain_draft(id, "flask_session", params, payload);
    let (timestamp, now, mut max_age) = clocks(rng);
    if rng.chance(40) {
        max_age = Some(FLASK_MAX_AGE);
    }
    draft.case.timestamp = Some(timestamp);
    draft.case.now = Some(now);
    draft.case.max_age = max_age;
    if let Some(max_age) = max_age {
        let age = i128::from(now) - i128::from(timestamp);
        if age > i128::from(max_age) || age < 0 {
            draft.case.expect = Expect::Error(ErrorKind::SignatureExpired);
        }
    }
    maybe_rotate(rng, &mut draft, |key| !key.is_empty());
    draft
}

/// A session: a dict, sometimes marked permanent.
fn session(rng: &mut Rng) -> SessionValue {
    let mut map = BTreeMap::new();
    if rng.chance(30) {
        map.insert("_permanent".to_owned(), SessionValue::Bool(true));
    }
    for _ in 0..rng.below(6) {
        map.insert(text(rng, 4), session_value(rng, 0));
    }
    SessionValue::Dict(map)
}

/// Any value Flask's tagged JSON carries.
fn session_value(rng: &mut Rng, depth: u32) -> SessionValue {
    let nested = depth < 2;
    match rng.below(14) {
        0 if nested => SessionValue::Tuple(
            (0..rng.below(5))
                .map(|_| session_value(rng, depth.saturating_add(1)))
                .collect(),
        ),
        1 if nested => SessionValue::List(
            (0..rng.below(5))
                .map(|_| session_value(rng, depth.saturating_add(1)))
                .collect(),
        ),
        2 if nested => SessionValue::Dict(
            (0..rng.below(4))
                .map(|_| (text(rng, 3), session_value(rng, depth.saturating_add(1))))
                .collect(),
        ),
        // A one-key dict whose key is a tag key: Flask escapes it with " di".
        3 if nested => {
            let key = rng.pick(&TAG_KEYS, " t").to_owned();
            let mut map = BTreeMap::new();
            map.insert(key, session_value(rng, depth.saturating_add(1)));
            SessionValue::Dict(map)
        }
        4 | 5 => SessionValue::Bytes(
            (0..rng.below(24))
                .map(|_| u8::try_from(rng.below(256)).unwrap_or(0))
                .collect(),
        ),
        6 => SessionValue::Markup(Markup::new(text(rng, 4))),
        7 => {
            let mut bytes = [0u8; 16];
            for byte in &mut bytes {
                *byte = u8::try_from(rng.below(256)).unwrap_or(0);
            }
            SessionValue::Uuid(Uuid::from_bytes(bytes))
        }
        8 | 9 => {
            // 1900 to 2100 (werkzeug reads years below 100 as 19xx/20xx), and a few edges.
            let seconds = match rng.below(4) {
                0 => rng.pick(
                    &[
                        0,
                        -1,
                        951_782_400,
                        1_308_874_145,
                        2_147_483_648,
                        4_102_444_799,
                    ],
                    0,
                ),
                _ => rng.range(0, 6_311_433_600).cast_signed() - 2_208_988_800,
            };
            HttpDate::from_unix_seconds(seconds).map_or(SessionValue::Null, SessionValue::DateTime)
        }
        _ => plain_session_value(json_value(rng, 2)),
    }
}

/// A plain JSON value as the session holds it (objects as dicts, never untagged).
fn plain_session_value(value: Value) -> SessionValue {
    match value {
        Value::Null => SessionValue::Null,
        Value::Bool(b) => SessionValue::Bool(b),
        Value::Number(n) => SessionValue::Number(n),
        Value::String(s) => SessionValue::String(s),
        Value::Array(items) => {
            SessionValue::List(items.into_iter().map(plain_session_value).collect())
        }
        Value::Object(map) => SessionValue::Dict(
            map.into_iter()
                .map(|(k, v)| (k, plain_session_value(v)))
                .collect(),
        ),
    }
}

fn secret(rng: &mut Rng) -> Vec<u8> {
    match rng.below(10) {
        0 => Vec::new(),
        1 | 2 => b"secret-key".to_vec(),
        3..=5 => (0..rng.range(1, 40))
            .map(|_| u8::try_from(rng.range(0x20, 0x7e)).unwrap_or(b'x'))
            .collect(),
        6 | 7 => text(rng, 8).into_bytes(),
        _ => (0..rng.range(1, 64))
            .map(|_| u8::try_from(rng.below(256)).unwrap_or(0))
            .collect(),
    }
}

fn separator(rng: &mut Rng, allow_binary: bool) -> Vec<u8> {
    if allow_binary && rng.chance(10) {
        rng.pick(BINARY_SEPS, b".").to_vec()
    } else {
        rng.pick(TEXT_SEPS, ".").as_bytes().to_vec()
    }
}

pub(crate) fn text(rng: &mut Rng, max_pieces: u64) -> String {
    let mut s = String::new();
    for _ in 0..rng.below(max_pieces.saturating_add(1)) {
        if rng.chance(30) {
            let c =
                char::from_u32(u32::try_from(rng.range(0x20, 0x7e)).unwrap_or(0x41)).unwrap_or('a');
            s.push(c);
        } else {
            s.push_str(rng.pick(TEXT_PIECES, "a"));
        }
    }
    s
}

/// Compresses well: long runs and repeats, so URL-safe kinds take the zlib path.
fn compressible(rng: &mut Rng) -> String {
    let piece = text(rng, 3);
    let piece = if piece.is_empty() {
        "ab".to_owned()
    } else {
        piece
    };
    let count = usize::try_from(rng.range(20, 400)).unwrap_or(20);
    piece.repeat(count)
}

fn signer_payload(rng: &mut Rng, sep: Option<&[u8]>) -> Vec<u8> {
    let mut bytes = match rng.below(6) {
        0 => Vec::new(),
        1 | 2 => text(rng, 12).into_bytes(),
        3 => compressible(rng).into_bytes(),
        _ => (0..rng.range(1, 80))
            .map(|_| u8::try_from(rng.below(256)).unwrap_or(0))
            .collect(),
    };
    if rng.chance(25) {
        // The separator inside the value: both sides split at the last one.
        bytes.extend_from_slice(sep.unwrap_or(b"."));
        bytes.extend_from_slice(b"x");
    }
    bytes
}

pub(crate) fn json_payload(rng: &mut Rng, url: bool) -> Value {
    if url && rng.chance(20) {
        return Value::String(compressible(rng));
    }
    json_value(rng, 0)
}

fn json_value(rng: &mut Rng, depth: u32) -> Value {
    let choices = if depth >= 3 { 6 } else { 9 };
    match rng.below(choices) {
        0 => Value::Null,
        1 => Value::Bool(rng.chance(50)),
        2 => integer(rng),
        3 => float(rng),
        4 | 5 => Value::String(if rng.chance(5) {
            compressible(rng)
        } else {
            text(rng, 10)
        }),
        6 => Value::Array(
            (0..rng.below(6))
                .map(|_| json_value(rng, depth.saturating_add(1)))
                .collect(),
        ),
        _ => {
            let mut map = Map::new();
            for _ in 0..rng.below(6) {
                map.insert(text(rng, 4), json_value(rng, depth.saturating_add(1)));
            }
            Value::Object(map)
        }
    }
}

fn integer(rng: &mut Rng) -> Value {
    let text = match rng.below(6) {
        0 => (rng.range(0, 2000).cast_signed() - 1000).to_string(),
        1 => rng
            .pick(
                &[
                    i64::MIN,
                    i64::MAX,
                    0,
                    -1,
                    1 << 53,
                    (1 << 53) + 1,
                    -(1 << 31),
                ],
                0,
            )
            .to_string(),
        2 => rng.pick(&[u64::MAX, 1 << 63, 1 << 32], 0).to_string(),
        3 => rng.next_u64().to_string(),
        _ => {
            // Beyond 64 bits.
            let digits = rng.range(20, 60);
            let mut s = String::new();
            if rng.chance(40) {
                s.push('-');
            }
            s.push(char::from(b'1' + u8::try_from(rng.below(9)).unwrap_or(0)));
            for _ in 1..digits {
                s.push(char::from(b'0' + u8::try_from(rng.below(10)).unwrap_or(0)));
            }
            s
        }
    };
    text.parse::<Number>().map_or(Value::Null, Value::Number)
}

fn float(rng: &mut Rng) -> Value {
    let f = match rng.below(4) {
        0 => rng.pick(FLOATS, 0.5),
        1 => f64::from_bits(rng.next_u64()),
        2 => {
            let mantissa = rng.range(0, 2_000_000).cast_signed() - 1_000_000;
            #[allow(clippy::cast_precision_loss)]
            let mantissa = mantissa as f64;
            mantissa / 10f64.powi(i32::try_from(rng.below(12)).unwrap_or(0))
        }
        _ => {
            #[allow(clippy::cast_precision_loss)]
            let whole = rng.next_u64() as f64;
            whole * 10f64.powi(i32::try_from(rng.below(40)).unwrap_or(0) - 20)
        }
    };
    Number::from_f64(f).map_or(Value::Null, Value::Number)
}

/// Signing time, verification time and maximum age, often right at the expiry boundary.
fn clocks(rng: &mut Rng) -> (u64, u64, Option<i64>) {
    let timestamp = timestamp(rng);
    let age: i64 = match rng.below(6) {
        0 => 0,
        1 => rng.range(1, 100).cast_signed(),
        2 => rng.range(0, 10_000_000).cast_signed(),
        3 => -rng.range(1, 1000).cast_signed(),
        _ => rng.range(0, 4000).cast_signed(),
    };
    let now = timestamp.checked_add_signed(age).unwrap_or(timestamp);
    let actual_age = i128::from(now) - i128::from(timestamp);
    let max_age = match rng.below(6) {
        0 => None,
        1 => Some(0),
        2 => Some(-rng.range(1, 10).cast_signed()),
        3 => Some(rng.range(0, 5000).cast_signed()),
        // Right at the boundary: age == max_age passes, age == max_age + 1 expires.
        _ => i64::try_from(actual_age)
            .ok()
            .map(|age| age.saturating_sub(rng.range(0, 1).cast_signed()).max(0)),
    };
    (timestamp, now, max_age)
}

/// A signing time up to the end of year 9999, mostly around now.
pub(crate) fn timestamp(rng: &mut Rng) -> u64 {
    match rng.below(8) {
        0 => 0,
        1 => rng.pick(
            &[
                1,
                255,
                256,
                65_535,
                65_536,
                4_294_967_295,
                4_294_967_296,
                MAX_TIMESTAMP,
            ],
            0,
        ),
        2 => rng.range(0, MAX_TIMESTAMP),
        _ => rng.range(1_000_000_000, 2_200_000_000),
    }
}

// --------------------------------------------------------------------------- tampers

/// The parts of a token: payload, timestamp (timed kinds) and signature, as byte ranges.
struct Parts {
    payload: std::ops::Range<usize>,
    timestamp: Option<std::ops::Range<usize>>,
    signature: std::ops::Range<usize>,
}

fn rfind(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || needle.len() > haystack.len() {
        return None;
    }
    (0..=haystack.len().saturating_sub(needle.len()))
        .rev()
        .find(|&i| haystack.get(i..i.saturating_add(needle.len())) == Some(needle))
}

fn split(token: &[u8], sep: &[u8], timed: bool) -> Option<Parts> {
    let sig_sep = rfind(token, sep)?;
    let signature = sig_sep.saturating_add(sep.len())..token.len();
    if !timed {
        return Some(Parts {
            payload: 0..sig_sep,
            timestamp: None,
            signature,
        });
    }
    let ts_sep = rfind(token.get(..sig_sep)?, sep)?;
    Some(Parts {
        payload: 0..ts_sep,
        timestamp: Some(ts_sep.saturating_add(sep.len())..sig_sep),
        signature,
    })
}

/// Changes one character of a canonical unpadded base64 field so that it stays canonical
/// (and so decodes to other bytes).
fn flip_base64(rng: &mut Rng, token: &mut [u8], field: std::ops::Range<usize>) -> bool {
    let len = field.len();
    if len == 0 || len % 4 == 1 {
        return false;
    }
    let offset = rng.index(len);
    let pos = field.start.saturating_add(offset);
    let Some(old) = token.get(pos).copied() else {
        return false;
    };
    let Some(old_value) = URL_ALPHABET.iter().position(|c| *c == old) else {
        return false;
    };
    let last = offset.saturating_add(1) == len;
    // The last character of a 2- or 3-character group carries zero bits at the bottom.
    let step: usize = match (last, len % 4) {
        (true, 2) => 16,
        (true, 3) => 4,
        _ => 1,
    };
    let choices = 64 / step;
    let shift = 1 + rng.index(choices.saturating_sub(1));
    let new_value = (old_value / step + shift) % choices * step;
    match (URL_ALPHABET.get(new_value), token.get_mut(pos)) {
        (Some(new), Some(slot)) if *new != old => {
            *slot = *new;
            true
        }
        _ => false,
    }
}

/// Changes one base64-alphabet character of a payload that is not itself base64.
fn flip_text(rng: &mut Rng, token: &mut [u8], field: std::ops::Range<usize>) -> bool {
    let candidates: Vec<usize> = field
        .filter(|&i| token.get(i).is_some_and(|b| URL_ALPHABET.contains(b)))
        .collect();
    let Some(&pos) = candidates.get(rng.index(candidates.len())) else {
        return false;
    };
    let Some(slot) = token.get_mut(pos) else {
        return false;
    };
    let old = *slot;
    let mut new = rng.pick(URL_ALPHABET, b'A');
    if new == old {
        new = if old == b'A' { b'B' } else { b'A' };
    }
    *slot = new;
    true
}

/// Tampered variants of a signed case: `(label, token)`.
pub(crate) fn tampers(rng: &mut Rng, case: &Case, sep: &[u8]) -> Vec<(&'static str, Vec<u8>)> {
    if let Some(tampers) = crate::livegen_frameworks::tampers(rng, case) {
        return tampers;
    }
    if is_jws_kind(&case.kind) {
        return jws_tampers(rng, case);
    }
    let mut out = Vec::new();
    let token = &case.token;
    if let Some(parts) = split(token, sep, is_timed(&case.kind)) {
        let mut t = token.clone();
        if flip_base64(rng, &mut t, parts.signature.clone()) {
            out.push(("tamper-sig", t));
        }
        if let Some(ts) = parts.timestamp.clone() {
            let mut t = token.clone();
            if flip_base64(rng, &mut t, ts) {
                out.push(("tamper-ts", t));
            }
        }
        let mut t = token.clone();
        let flipped = if is_url_kind(&case.kind) {
            let mut payload = parts.payload.clone();
            if token.get(payload.start) == Some(&b'.') {
                payload.start = payload.start.saturating_add(1);
            }
            flip_base64(rng, &mut t, payload)
        } else {
            flip_text(rng, &mut t, parts.payload.clone())
        };
        if flipped {
            out.push(("tamper-payload", t));
        }
    }
    out.extend(truncation(rng, token));
    out
}

/// `header.payload.signature`: one canonical flip per field, then a truncation. With the
/// `none` algorithm nothing protects the payload (a flip there may well verify), and a timed
/// header's `iat`/`exp` digits are as unprotected, so those fields are left alone.
fn jws_tampers(rng: &mut Rng, case: &Case) -> Vec<(&'static str, Vec<u8>)> {
    let mut out = Vec::new();
    let token = &case.token;
    let unprotected = case.params.algorithm_name.as_deref() == Some("none");
    let first = token.iter().position(|b| *b == b'.');
    let last = rfind(token, b".");
    if let (Some(first), Some(last)) = (first, last)
        && first < last
    {
        let fields = [
            ("tamper-sig", last.saturating_add(1)..token.len(), true),
            (
                "tamper-payload",
                first.saturating_add(1)..last,
                !unprotected,
            ),
            (
                "tamper-header",
                0..first,
                !unprotected || case.kind == "jws",
            ),
        ];
        for (label, field, wanted) in fields {
            let mut t = token.clone();
            if wanted && flip_base64(rng, &mut t, field) {
                out.push((label, t));
            }
        }
    }
    out.extend(truncation(rng, token));
    out
}

/// The token cut short: by a few bytes, or anywhere.
fn truncation(rng: &mut Rng, token: &[u8]) -> Option<(&'static str, Vec<u8>)> {
    if token.is_empty() {
        return None;
    }
    let keep = if rng.chance(50) {
        token
            .len()
            .saturating_sub(1 + rng.index(4.min(token.len())))
    } else {
        rng.index(token.len())
    };
    Some(("truncate", token.get(..keep).unwrap_or_default().to_vec()))
}
