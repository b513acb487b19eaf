//! Which formats a token can be, from its structure alone (no key): the separator (`.` for
//! itsdangerous, Flask and Starlette, `:` for Django: the one after the last field decides),
//! the number of fields, whether a field is a plausible timestamp (base64 for itsdangerous,
//! base62 for Django), whether the payload is URL-safe base64 JSON (maybe zlib), standard
//! padded base64 JSON (Starlette), a JWS header or JSON text, and the signature's length
//! (which names the digest).

use python_json::Value;
use tamperproof::DigestMethod;

use crate::formats::{
    Format, base62_field, keyless_json, keyless_standard_payload, keyless_url_safe_payload, rsplit,
    split,
};

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

impl Candidate {
    const fn new(format: Format, digest: Option<DigestMethod>, reason: String) -> Self {
        Self {
            format,
            digest,
            reason,
        }
    }
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
    // Neither Django's nor itsdangerous' signatures contain `.` or `:`: the separator in
    // front of the signature is the last of either.
    let last = token.iter().rposition(|b| *b == b'.' || *b == b':');
    match last.and_then(|at| token.get(at)) {
        Some(b':') => identify_django(token),
        Some(_) => identify_dotted(token),
        None => Vec::new(),
    }
}

/// A Django timestamp field: base62 digits only, at most 8 of them (Django writes 6 until
/// 2106), of a plausible time.
fn django_time(field: &[u8]) -> bool {
    field.len() <= 8
        && field.iter().all(u8::is_ascii_alphanumeric)
        && base62_field(field).is_some_and(|t| PLAUSIBLE_TIMES.contains(&t))
}

/// Django's `value:sig`, `value:ts:sig` and `b64(json):ts:sig`.
fn identify_django(token: &[u8]) -> Vec<Candidate> {
    let Some((message, signature)) = rsplit(token, b":") else {
        return Vec::new();
    };
    let digest = digest_for_signature(signature);
    let sig = digest_name(digest);
    let candidate = |format, reason| Candidate::new(format, digest, reason);
    let timed = rsplit(message, b":")
        .filter(|(_, field)| django_time(field))
        .map(|(payload, _)| payload);
    let Some(payload) = timed else {
        return vec![candidate(
            Format::DjangoSigner,
            format!("':' separator, raw value, {sig} signature"),
        )];
    };
    // Nothing here is verified: every decoding stays within the keyless limits.
    let json = keyless_url_safe_payload(payload)
        .ok()
        .and_then(|bytes| keyless_json(&bytes));
    let zlib = if payload.first() == Some(&b'.') {
        "zlib-compressed "
    } else {
        ""
    };
    let signing = |what: &str| {
        candidate(
            Format::DjangoSigning,
            format!("':' separator, base62 timestamp, {zlib}base64 JSON {what}, {sig} signature"),
        )
    };
    match json {
        Some(Value::Object(map)) => {
            let auth = map.keys().any(|k| k.starts_with("_auth_user_"));
            let session = candidate(
                Format::DjangoSession,
                format!(
                    "':' separator, base62 timestamp, {zlib}base64 JSON object{}, {sig} signature",
                    if auth { " with Django auth keys" } else { "" }
                ),
            );
            // The session backend always asks for compression; an object that is compressed
            // or carries the auth keys is most likely a session.
            if auth || !zlib.is_empty() {
                vec![session, signing("object")]
            } else {
                vec![signing("object"), session]
            }
        }
        Some(_) => vec![signing("payload")],
        None => {
            let what = format!("':' separator, base62 timestamp, raw value, {sig} signature");
            vec![
                candidate(Format::DjangoTimestampSigner, what.clone()),
                candidate(
                    Format::DjangoCookie,
                    format!("{what}; verifying needs --cookie-name"),
                ),
            ]
        }
    }
}

/// Starlette's payload: standard padded base64 of a JSON object written by Python's default
/// `json.dumps`, so with `": "` after every key. The evidence that it is Starlette's rather
/// than Flask's: `=` padding or `+` `/` (never in URL-safe base64), or that spacing (never in
/// Flask's compact JSON); None for the empty object, which both write alike. Not Starlette's
/// at all when a non-empty object is compact.
fn starlette_payload(payload: &[u8]) -> Option<Option<&'static str>> {
    let bytes = keyless_standard_payload(payload)?;
    let Some(Value::Object(map)) = keyless_json(&bytes) else {
        return None;
    };
    if !map.is_empty() && !bytes.windows(2).any(|w| w == b": ") {
        return None;
    }
    Some(if payload.contains(&b'=') {
        Some("'=' padding")
    } else if payload.iter().any(|b| matches!(b, b'+' | b'/')) {
        Some("'+' or '/'")
    } else if !map.is_empty() {
        Some("Python json.dumps spacing")
    } else {
        None
    })
}

/// itsdangerous, Flask and Starlette: `.`-separated.
fn identify_dotted(token: &[u8]) -> Vec<Candidate> {
    let Some((_, signature)) = rsplit(token, b".") else {
        return Vec::new();
    };
    let digest = digest_for_signature(signature);
    let sig = digest_name(digest);
    let candidate = |format, reason| Candidate::new(format, digest, reason);
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
    let starlette = if is_timed {
        starlette_payload(parts.payload)
    } else {
        None
    };
    let starlette_candidate = |evidence: Option<&str>| {
        let what = evidence.map_or_else(String::new, |e| format!(" ({e})"));
        candidate(
            Format::Starlette,
            format!("timestamp, standard base64 JSON object{what}, {sig} signature"),
        )
    };
    match (&url_json, is_timed) {
        (None, true) if starlette.is_some() => {
            out.push(starlette_candidate(starlette.flatten()));
        }
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
            match starlette {
                Some(Some(evidence)) => out.insert(0, starlette_candidate(Some(evidence))),
                Some(None) => out.push(starlette_candidate(None)),
                None => {}
            }
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
        "hint: did you mean {}? the token looks like {} ({})",
        kinds.join(" or "),
        best.format.info().python,
        best.reason,
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
