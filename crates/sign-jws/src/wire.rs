//! The JWS wire format: `b64u(header JSON) "." b64u(payload JSON)`, then the signature.

use python_json::{self as json, Dialect};
use python_json::{Map, Value};
use serde::Serialize;
use sign_core::encoding::{base64_decode, base64_encode_into};
use sign_core::{Error, ErrorKind};

use crate::JwsAlgorithm;
use sign_serde::dangerous::KeylessLimits;

/// A JWS header: a JSON object whose key order is kept (it is part of the signed bytes).
pub type Header = Map;

/// Python's `make_header`: a copy of `fields` with `alg` set, in place if present,
/// otherwise appended last.
pub(crate) fn make_header(fields: Option<&Header>, algorithm: JwsAlgorithm) -> Header {
    let mut header = fields.cloned().unwrap_or_default();
    header.insert("alg".to_owned(), Value::from(algorithm.name()));
    header
}

/// Python's `dump_payload`: appends `b64u(compact(header)) "." b64u(compact(value))`.
pub(crate) fn dump_payload<T: Serialize + ?Sized>(
    header: &Header,
    value: &T,
    out: &mut Vec<u8>,
) -> Result<(), Error> {
    let mut json_text = Vec::new();
    json::write(header, Dialect::COMPACT, &mut json_text)
        .map_err(|e| Error::bad_payload("could not serialize the header", e))?;
    base64_encode_into(&json_text, out);
    out.push(b'.');
    json_text.clear();
    json::write(value, Dialect::COMPACT, &mut json_text)
        .map_err(|e| Error::bad_payload("could not serialize the payload", e))?;
    base64_encode_into(&json_text, out);
    Ok(())
}

/// Python's `load_payload(..., return_header=True)`, in Python's order of checks, with the
/// payload left as checked JSON text. `signed` is the part of a token that the signature covers.
///
/// # Errors
/// `BadPayload` without a `.`, for payload base64 or payload JSON; `BadHeader` for header
/// base64, header JSON, or a header that is not an object (each `BadHeader` carries `signed`
/// as its unverified payload, so [`crate::dangerous::unverified_header`] can show it).
pub(crate) fn load_payload(signed: &[u8]) -> Result<(Header, Vec<u8>), Error> {
    load_payload_within(signed, None)
}

/// [`load_payload`] for a token nobody verified: the parts are length-checked before their
/// base64 is decoded, and the header and payload JSON texts are checked against `limits`
/// before they are parsed. A limit exceeded is `BadPayload`.
pub(crate) fn load_payload_unverified(
    signed: &[u8],
    limits: &KeylessLimits,
) -> Result<(Header, Vec<u8>), Error> {
    load_payload_within(signed, Some(limits))
}

fn load_payload_within(
    signed: &[u8],
    limits: Option<&KeylessLimits>,
) -> Result<(Header, Vec<u8>), Error> {
    let Some(dot) = signed.iter().position(|b| *b == b'.') else {
        return Err(Error::new(ErrorKind::BadPayload, "no \".\" found in value"));
    };
    let check_json = |text: &[u8]| limits.map_or(Ok(()), |limits| limits.check_json(text));
    if let Some(limits) = limits {
        limits.check_encoded(signed)?;
    }
    let (header_part, rest) = signed.split_at(dot);
    let payload_part = rest.get(1..).unwrap_or_default();
    let bad_header = |message: &'static str| {
        Error::new(ErrorKind::BadHeader, message).with_unverified_payload_len(signed.len())
    };
    let header_json = base64_decode(header_part)
        .map_err(|e| bad_header("could not base64 decode the header").with_source(e))?;
    check_json(&header_json)?;
    // Python decodes the payload's base64 before it parses the header. Our decoding is
    // stricter (canonical base64 only), so when only the strictness rejects the payload, the
    // header is checked first and Python's error for it wins.
    let payload_json = match base64_decode(payload_part) {
        Ok(json_text) => Ok(json_text),
        Err(e) if !python_base64_accepts(payload_part) => {
            return Err(Error::bad_payload("could not base64 decode the payload", e));
        }
        Err(e) => Err(Error::bad_payload("could not base64 decode the payload", e)),
    };
    let header: Value = sign_serde::decode_json(&header_json).map_err(|e| {
        bad_header("could not unserialize header because it was malformed").with_source(e)
    })?;
    let Value::Object(header) = header else {
        return Err(bad_header("header payload is not a JSON object"));
    };
    // Python decodes the payload (UTF-8, then JSON) here, before any later check; the value
    // itself is built by `from_json` once every check has passed.
    let payload_json = payload_json?;
    check_json(&payload_json)?;
    std::str::from_utf8(&payload_json)
        .map_err(|e| Error::bad_payload("could not load the payload", e))?;
    sign_serde::decode_json::<serde::de::IgnoredAny>(&payload_json)?;
    Ok((header, payload_json))
}

/// Whether itsdangerous' lenient `base64_decode` accepts `part` (whatever it then decodes
/// to): it pads with `=` to a multiple of four, skips bytes outside the alphabet (both
/// alphabets), stops at a completing run of `=`, and fails only when the data characters
/// leave an incomplete quantum. Checked against CPython 3.11.7 on 200,000 random strings.
fn python_base64_accepts(part: &[u8]) -> bool {
    let padding = (4 - part.len() % 4) % 4;
    let mut quad_pos = 0usize;
    let mut pads = 0usize;
    for &byte in part.iter().chain(std::iter::repeat_n(&b'=', padding)) {
        if byte == b'=' {
            if quad_pos >= 2 {
                pads += 1;
                if quad_pos + pads >= 4 {
                    return true;
                }
            }
        } else if byte.is_ascii_alphanumeric() || matches!(byte, b'+' | b'/' | b'-' | b'_') {
            pads = 0;
            quad_pos = (quad_pos + 1) % 4;
        }
    }
    quad_pos == 0
}

/// The header of `signed`, decoded whatever it holds (for `dangerous`), within `limits`.
pub(crate) fn decode_header_unchecked(signed: &[u8], limits: &KeylessLimits) -> Option<Value> {
    let end = signed
        .iter()
        .position(|b| *b == b'.')
        .unwrap_or(signed.len());
    let header_part = signed.get(..end)?;
    limits.check_encoded(header_part).ok()?;
    let json_text = base64_decode(header_part).ok()?;
    limits.check_json(&json_text).ok()?;
    json::from_slice(&json_text).ok()
}

/// Turns checked JSON payload text into the caller's type. (Parsed from the text, not
/// through a `Value`, so integers of any size stay exact.)
pub(crate) fn from_json<T: serde::de::DeserializeOwned>(payload_json: &[u8]) -> Result<T, Error> {
    sign_serde::decode_json(payload_json)
}

#[cfg(test)]
mod tests {
    use super::python_base64_accepts;

    #[test]
    fn python_base64_verdicts() {
        // Generated with itsdangerous 2.0.1: for random strings s,
        // `base64_decode(s)` succeeded (true) or raised BadData (false).
        let table: &[(&[u8], bool)] = &[
            (b"-+ Ab", true),
            (b"b.\xc3A!_Ab", false),
            (b"+b_b!+", false),
            (b"", true),
            (b"_", false),
            (b"A_A!-=", true),
            (b"-!b\xc3=!", true),
            (b"b\xc3", false),
            (b".b!", false),
            (b"\xc3", true),
            (b"/ !", false),
            (b"./\xc3/.=", true),
            (b"-_b", true),
            (b"!/./", false),
            (b"\xc3bb!", false),
            (b"-.-/+A", false),
            (b"!", true),
            (b"..\xc3/\xc3", false),
            (b"bb=/ bA", false),
            (b" \xc3 /", false),
            (b"+ .A", false),
            (b".-\xc3b/A_", false),
            (b"-_++", true),
            (b"b-/+!=-", false),
            (b"!=+. +", true),
            (b"-b-", true),
            (b"_ ", false),
            (b"A/\xc3", false),
            (b"==", true),
            (b"+!", false),
            (b"\xc3\xc3.-!", false),
            (b" !++++b", false),
            (b" +A_b_/", false),
            (b"b.", false),
            (b"A", false),
            (b"!b", false),
            (b"\xc3Ab_\xc3", true),
            (b"- =.\xc3.", false),
            (b"bb////=", true),
            (b"-", false),
            (b".", true),
            (b"/-!A", false),
            (b"!.-", false),
            (b"A!= b=!.", false),
            (b"._", false),
            (b"!!. _\xc3__", false),
            (b"__!/.A", true),
            (b"/=_\xc3", false),
            // The upstream test_load_payload_exceptions payloads.
            (b"ab", true),
            (b"b", false),
            (b"e30", true),
        ];
        for (part, accepted) in table {
            assert_eq!(
                python_base64_accepts(part),
                *accepted,
                "{}",
                String::from_utf8_lossy(part)
            );
        }
    }
}
