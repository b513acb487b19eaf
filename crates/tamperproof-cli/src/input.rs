//! Values and tokens from an argument or standard input (`-`), and Python bytes literals.

use std::io::Read;

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

/// Parses one wordlist line: raw text, or a Python bytes literal such as
/// `b'\x02\x01thisismyscretkey'` (as flask-unsign accepts). Invalid literals are taken raw.
pub(crate) fn wordlist_candidate(line: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    match python_bytes_literal(line) {
        Some(bytes) => std::borrow::Cow::Owned(bytes),
        None => std::borrow::Cow::Borrowed(line),
    }
}

/// A Python bytes literal (`b'...'` or `b"..."`) decoded, or None when `line` is not one.
pub(crate) fn python_bytes_literal(line: &[u8]) -> Option<Vec<u8>> {
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
    // Sized once (no reallocation leaves a copy), and wiped if the literal turns out invalid.
    let mut out = Zeroizing::new(Vec::with_capacity(inner.len()));
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
    Some(std::mem::take(&mut *out))
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
}
