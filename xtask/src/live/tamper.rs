//! Tampered variants of signed tokens: one character of a field changed so that its base64
//! stays canonical (and so decodes to other bytes), or the token cut short.

use std::ops::Range;

use super::rng::Rng;

const URL_ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// The parts of a token: payload, timestamp (timed kinds) and signature, as byte ranges.
struct Parts {
    payload: Range<usize>,
    timestamp: Option<Range<usize>>,
    signature: Range<usize>,
}

pub(crate) fn rfind(haystack: &[u8], needle: &[u8]) -> Option<usize> {
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
pub(crate) fn flip_base64(rng: &mut Rng, token: &mut [u8], field: Range<usize>) -> bool {
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
fn flip_text(rng: &mut Rng, token: &mut [u8], field: Range<usize>) -> bool {
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

/// Tampered variants of a `payload sep [timestamp sep] signature` token: `(label, token)`.
/// `timed` says whether it has the timestamp field; `base64_payload` whether its payload is
/// URL-safe base64 (after an optional `.` that marks compression) rather than text.
pub(crate) fn separated_tampers(
    rng: &mut Rng,
    token: &[u8],
    sep: &[u8],
    timed: bool,
    base64_payload: bool,
) -> Vec<(&'static str, Vec<u8>)> {
    let mut out = Vec::new();
    if let Some(parts) = split(token, sep, timed) {
        let mut t = token.to_vec();
        if flip_base64(rng, &mut t, parts.signature.clone()) {
            out.push(("tamper-sig", t));
        }
        if let Some(ts) = parts.timestamp.clone() {
            let mut t = token.to_vec();
            if flip_base64(rng, &mut t, ts) {
                out.push(("tamper-ts", t));
            }
        }
        let mut t = token.to_vec();
        let flipped = if base64_payload {
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

/// The token cut short: by a few bytes, or anywhere.
pub(crate) fn truncation(rng: &mut Rng, token: &[u8]) -> Option<(&'static str, Vec<u8>)> {
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
