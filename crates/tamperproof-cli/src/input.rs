//! Values and tokens from an argument or standard input (`-`), and raw-byte keys.

use std::io::Read;

use base64::Engine;
use zeroize::Zeroizing;

use crate::Failure;

/// The bytes of `arg`, or of standard input when `arg` is `-` (one trailing newline dropped).
pub(crate) fn read_arg(arg: &str) -> Result<Vec<u8>, Failure> {
    if arg != "-" {
        return Ok(arg.as_bytes().to_vec());
    }
    let mut buf = Vec::new();
    std::io::stdin()
        .read_to_end(&mut buf)
        .map_err(|e| Failure::Usage(format!("cannot read standard input: {e}")))?;
    if buf.last() == Some(&b'\n') {
        buf.pop();
        if buf.last() == Some(&b'\r') {
            buf.pop();
        }
    }
    Ok(buf)
}

/// [`read_arg`] as text.
pub(crate) fn read_text(arg: &str) -> Result<String, Failure> {
    String::from_utf8(read_arg(arg)?).map_err(|_| Failure::Usage("input is not UTF-8".into()))
}

/// Decodes a `--key-hex` value into a buffer allocated once at its final size (no
/// reallocation leaves a partial copy behind) and wiped on drop.
pub(crate) fn hex_key(text: &str) -> Result<Zeroizing<Vec<u8>>, Failure> {
    let text = text.trim();
    if !text.len().is_multiple_of(2) {
        return Err(Failure::Usage(
            "--key-hex needs an even number of hex digits".into(),
        ));
    }
    let mut key = Zeroizing::new(Vec::with_capacity(text.len() / 2));
    for i in (0..text.len()).step_by(2) {
        let byte = text
            .get(i..i + 2)
            .and_then(|pair| u8::from_str_radix(pair, 16).ok())
            .ok_or_else(|| Failure::Usage("--key-hex is not hexadecimal".into()))?;
        key.push(byte);
    }
    Ok(key)
}

/// Decodes a `--key-base64` value (standard or URL-safe alphabet, padding optional). The
/// normalized text and the key are allocated once at their final size and wiped on drop.
pub(crate) fn base64_key(text: &str) -> Result<Zeroizing<Vec<u8>>, Failure> {
    let text = text.trim().trim_end_matches('=');
    let engine = base64::engine::general_purpose::STANDARD_NO_PAD;
    let mut normalized = Zeroizing::new(String::with_capacity(text.len()));
    normalized.extend(text.chars().map(|c| match c {
        '-' => '+',
        '_' => '/',
        c => c,
    }));
    let mut key = Zeroizing::new(Vec::with_capacity(base64::decoded_len_estimate(
        normalized.len(),
    )));
    engine
        .decode_vec(normalized.as_bytes(), &mut key)
        .map_err(|_| Failure::Usage("--key-base64 is not base64".into()))?;
    Ok(key)
}

/// Parses one wordlist line: raw text, or a Python bytes literal such as
/// `b'\x02\x01thisismyscretkey'` (as flask-unsign accepts). Invalid literals are taken raw.
pub(crate) fn wordlist_candidate(line: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    match python_bytes_literal(line) {
        Some(bytes) => std::borrow::Cow::Owned(bytes),
        None => std::borrow::Cow::Borrowed(line),
    }
}

fn python_bytes_literal(line: &[u8]) -> Option<Vec<u8>> {
    let inner = match line {
        [b'b' | b'B', quote @ (b'\'' | b'"'), rest @ ..] => {
            let (last, inner) = rest.split_last()?;
            if last != quote {
                return None;
            }
            inner
        }
        _ => return None,
    };
    let mut out = Vec::with_capacity(inner.len());
    let mut bytes = inner.iter().copied();
    while let Some(byte) = bytes.next() {
        if byte != b'\\' {
            out.push(byte);
            continue;
        }
        match bytes.next()? {
            b'x' => {
                let hi = (bytes.next()? as char).to_digit(16)?;
                let lo = (bytes.next()? as char).to_digit(16)?;
                out.push(u8::try_from(hi * 16 + lo).ok()?);
            }
            b'n' => out.push(b'\n'),
            b'r' => out.push(b'\r'),
            b't' => out.push(b'\t'),
            b'0' => out.push(0),
            b'a' => out.push(7),
            b'b' => out.push(8),
            b'f' => out.push(12),
            b'v' => out.push(11),
            other @ (b'\\' | b'\'' | b'"') => out.push(other),
            other => {
                out.push(b'\\');
                out.push(other);
            }
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_literals() {
        assert_eq!(
            &*wordlist_candidate(br"b'\x02\x01thisismyscretkey'"),
            b"\x02\x01thisismyscretkey"
        );
        assert_eq!(&*wordlist_candidate(br#"b"it's""#), b"it's");
        assert_eq!(&*wordlist_candidate(br"b'a\\b\n'"), b"a\\b\n");
        assert_eq!(&*wordlist_candidate(b"plain secret"), b"plain secret");
        assert_eq!(&*wordlist_candidate(br"b'\x4'"), br"b'\x4'");
        assert_eq!(&*wordlist_candidate(b"\xff\xfe raw"), b"\xff\xfe raw");
    }

    #[test]
    fn keys() {
        assert_eq!(*hex_key("00ff10").unwrap(), vec![0, 255, 16]);
        assert!(hex_key("0").is_err());
        assert!(hex_key("0g").is_err());
        assert_eq!(*base64_key("AP8=").unwrap(), vec![0, 255]);
        assert_eq!(*base64_key("AP8").unwrap(), vec![0, 255]);
        assert_eq!(*base64_key("-_8").unwrap(), vec![251, 255]);
        assert!(base64_key("A!").is_err());
    }
}
