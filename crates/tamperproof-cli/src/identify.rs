//! Which formats a token can be, from its structure alone (no key): the number of fields,
//! whether a field is a plausible timestamp, whether the payload is base64 JSON, zlib, a JWS
//! header or JSON text, and the signature's length (which names the digest).

use python_json::Value;
use tamperproof::DigestMethod;

use crate::formats::{Format, keyless_json, keyless_url_safe_payload, rsplit, split};

/// Signing times before 2000 or after 2100 are not taken for timestamps.
const PLAUSIBLE_TIMES: std::ops::Range<i64> = 946_684_800..4_102_444_800;

/// One format a token may be.
#[derive(Debug, Clone)]
pub(crate) struct Candidate {
    /// The format.
    pub(crate) format: Format,
    /// The digest the signature length points to.
    pub(crate) digest: Option<DigestMethod>,
    /// Why.
    pub(crate) reason: String,
}

/// The digest whose URL-safe base64 signature has `len` characters.
pub(crate) fn digest_for_signature(signature: &[u8]) -> Option<DigestMethod> {
    let alphabet = |b: &u8| b.is_ascii_alphanumeric() || *b == b'-' || *b == b'_';
    if !signature.iter().all(alphabet) {
        return None;
    }
    Some(match signature.len() {
        27 => DigestMethod::Sha1,
        38 => DigestMethod::Sha224,
        43 => DigestMethod::Sha256,
        64 => DigestMethod::Sha384,
        86 => DigestMethod::Sha512,
        _ => return None,
    })
}

fn digest_name(digest: Option<DigestMethod>) -> String {
    digest.map_or_else(|| "unknown digest".to_owned(), |d| format!("{d}"))
}

/// The formats `token` may be, most likely first; empty when it looks like none.
pub(crate) fn identify(token: &[u8]) -> Vec<Candidate> {
    if let Some(jws) = identify_jws(token) {
        return vec![jws];
    }
    let Some((_, signature)) = rsplit(token, b".") else {
        return Vec::new();
    };
    let digest = digest_for_signature(signature);
    let sig = digest_name(digest);
    let candidate = |format: Format, reason: String| Candidate {
        format,
        digest,
        reason,
    };
    let mut out = Vec::new();
    let timed = split(token, b".", true).filter(|parts| {
        parts
            .timestamp
            .is_some_and(|t| PLAUSIBLE_TIMES.contains(&t))
    });
    let parts = timed.or_else(|| split(token, b".", false));
    let Some(parts) = parts else {
        return out;
    };
    let is_timed = timed.is_some();
    // Nothing here is verified: every decoding stays within the keyless limits.
    let url_json: Option<Value> = keyless_url_safe_payload(parts.payload)
        .ok()
        .and_then(|bytes| keyless_json(&bytes));
    let zlib = if parts.payload.first() == Some(&b'.') {
        "zlib-compressed "
    } else {
        ""
    };
    match (&url_json, is_timed) {
        (Some(value), true) => {
            if matches!(value, Value::Object(_)) {
                let tagged = if has_flask_tags(value) {
                    ", Flask tags"
                } else {
                    ""
                };
                out.push(candidate(
                    Format::Flask,
                    format!("timestamp, {zlib}base64 JSON object{tagged}, {sig} signature"),
                ));
            }
            out.push(candidate(
                Format::UrlSafeTimed,
                format!("timestamp, {zlib}base64 JSON payload, {sig} signature"),
            ));
        }
        (Some(_), false) => out.push(candidate(
            Format::UrlSafe,
            format!("{zlib}base64 JSON payload, {sig} signature"),
        )),
        (None, _) => {
            let json_text = keyless_json(parts.payload).is_some();
            let (format, what) = match (json_text, is_timed) {
                (true, true) => (Format::TimedSerializer, "timestamp, JSON text payload"),
                (true, false) => (Format::Serializer, "JSON text payload"),
                (false, true) => (Format::TimestampSigner, "timestamp, raw value"),
                (false, false) => (Format::Signer, "raw value"),
            };
            out.push(candidate(format, format!("{what}, {sig} signature")));
        }
    }
    out
}

fn has_flask_tags(value: &Value) -> bool {
    match value {
        Value::Object(map) => {
            (map.len() == 1
                && map
                    .keys()
                    .any(|k| tamperproof::flask::TAG_KEYS.contains(&k.as_str())))
                || map.values().any(has_flask_tags)
        }
        Value::Array(items) => items.iter().any(has_flask_tags),
        _ => false,
    }
}

fn identify_jws(token: &[u8]) -> Option<Candidate> {
    let mut fields = token.split(|b| *b == b'.');
    let (header, _payload, signature) = (fields.next()?, fields.next()?, fields.next()?);
    if fields.next().is_some() {
        return None;
    }
    let header = tamperproof::encoding::base64_decode(header).ok()?;
    let Value::Object(header) = keyless_json(&header)? else {
        return None;
    };
    let alg = header.get("alg")?.as_str()?.to_owned();
    let digest = match alg.as_str() {
        "HS256" => Some(DigestMethod::Sha256),
        "HS384" => Some(DigestMethod::Sha384),
        "HS512" => Some(DigestMethod::Sha512),
        _ => None,
    };
    let (format, what) = if header.contains_key("exp") {
        (Format::TimedJws, "JWS header with exp")
    } else {
        (Format::Jws, "JWS header")
    };
    let length = if digest_for_signature(signature) == digest {
        ""
    } else {
        ", signature length does not match alg"
    };
    Some(Candidate {
        format,
        digest,
        reason: format!("{what}, alg {alg}{length}"),
    })
}

/// A hint for a token rejected as `format`: the format it looks like, if another.
pub(crate) fn hint(format: Format, token: &[u8]) -> Option<String> {
    let candidates = identify(token);
    if candidates.iter().any(|c| c.format == format) {
        return None;
    }
    let best = candidates.first()?;
    let kinds: Vec<String> = candidates
        .iter()
        .map(|c| format!("--kind {}", c.format.info().name))
        .collect();
    Some(format!(
        "hint: the token looks like {} ({}): try {}",
        best.format.info().python,
        best.reason,
        kinds.join(" or ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn formats(token: &str) -> Vec<Format> {
        identify(token.as_bytes())
            .iter()
            .map(|c| c.format)
            .collect()
    }

    // Tokens made by Python (itsdangerous 2.2 / 2.0.1, Flask 3.1), see tests/cli.rs.
    #[test]
    fn structures() {
        assert_eq!(
            formats("eyJhIjoxfQ.TgPVoQ.Vlr_Jz1KAK-AL-4WaTlES0RX-6s"),
            [Format::Flask, Format::UrlSafeTimed]
        );
        assert_eq!(
            formats("eyJpZCI6NDJ9.Z-HaNt236Oj5pFDPW25MouYkrcA"),
            [Format::UrlSafe]
        );
        assert_eq!(
            formats(r#"{"id": 42}.v7lG0DDzDHynAR2SoP49LkGoZC0"#),
            [Format::Serializer]
        );
        assert_eq!(
            formats("value.TgPVoQ.UuTmbd1hhGp7tyOFjT0H9ILwyfg"),
            [Format::TimestampSigner]
        );
        assert_eq!(
            formats("my string.wh6tMHxLgJqB6oY1uT73iMlyrOA"),
            [Format::Signer]
        );
        assert_eq!(
            formats(
                "eyJhbGciOiJIUzUxMiJ9.eyJpZCI6NDJ9.bUM97EV675eRdOnUCl7atMzuK0jzlpD6HGxtbXWab4negzPPi43uaX0Tf7aFG3jZZBmsTkgwghnyLHFkLHX4oQ"
            ),
            [Format::Jws]
        );
        assert!(formats("").is_empty());
    }
}
