//! Random cases for the live check: a seeded PRNG, parameters, payloads, clocks and tampers.
//!
//! Everything stays inside what `xtask/python/README.md` lists as comparable: one-character
//! separators outside `A-Za-z0-9-_=`, finite floats, integers far below 4300 digits, timestamps
//! up to year 9999, and tampers that keep each base64 field canonical.

use serde_json::{Map, Number, Value};
use tamperproof_vectors::vector_file::{
    Case, Direction, Expect, FallbackParams, Params, bytes_to_json,
};

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
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo.saturating_add(self.below(hi.saturating_sub(lo).saturating_add(1)))
    }

    pub(crate) fn index(&mut self, len: usize) -> usize {
        usize::try_from(self.below(len as u64)).unwrap_or(0)
    }

    /// `true` with probability `percent`/100.
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    fn pick<T: Copy>(&mut self, items: &[T], fallback: T) -> T {
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

/// The timed kinds.
pub(crate) fn is_timed(kind: &str) -> bool {
    matches!(
        kind,
        "timestamp_signer" | "timed_serializer" | "url_safe_timed_serializer"
    )
}

fn is_signer_kind(kind: &str) -> bool {
    matches!(kind, "signer" | "timestamp_signer")
}

fn is_url_kind(kind: &str) -> bool {
    kind.starts_with("url_safe")
}

/// A random case of `kind`, not yet signed: the parameters to verify with, the parameters
/// to sign with (another configuration when it signs with a fallback) and the expected
/// outcome.
pub(crate) struct Draft {
    pub(crate) case: Case,
    pub(crate) sign_params: Params,
    pub(crate) label: &'static str,
}

pub(crate) fn draft(rng: &mut Rng, kind: &str, id: String) -> Draft {
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

fn text(rng: &mut Rng, max_pieces: u64) -> String {
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

fn json_payload(rng: &mut Rng, url: bool) -> Value {
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
    const MAX: u64 = 253_402_300_799;
    let timestamp = match rng.below(8) {
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
                MAX,
            ],
            0,
        ),
        2 => rng.range(0, MAX),
        _ => rng.range(1_000_000_000, 2_200_000_000),
    };
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
    if !token.is_empty() {
        let keep = if rng.chance(50) {
            token
                .len()
                .saturating_sub(1 + rng.index(4.min(token.len())))
        } else {
            rng.index(token.len())
        };
        out.push(("truncate", token.get(..keep).unwrap_or_default().to_vec()));
    }
    out
}
