//! The subcommands.

use std::io::Write;

use base64::Engine;
use python_json::{Map, Value, json};
use tamperproof::serializer::dangerous::KeylessLimits;
use tamperproof::serializer::{JsonCodec, PayloadCodec, SerializerBuilder, SignedSerializer};
use tamperproof::url_safe::UrlSafeCodec;
use tamperproof::{
    DigestMethod, KeyAudit, KeyDerivation, MaxAge, Signer, SignerBuilder, SigningScheme,
    TimestampSigner,
};

use crate::input::{read_arg, read_text};
use crate::options::KeyArgs;
use crate::time::iso8601;
use crate::{Command, Failure, Kind, Profile};

type Outcome = Result<(), Failure>;

pub(crate) fn run(command: Command, json: bool) -> Outcome {
    match command {
        Command::Sign { value, keys, timed } => sign(&read_arg(&value)?, &keys, timed, json),
        Command::Unsign {
            token,
            keys,
            timed,
            max_age,
        } => unsign(
            &read_arg(&token)?,
            &keys,
            timed || max_age.is_some(),
            max_age,
            json,
        ),
        Command::Dumps {
            value: text,
            kind,
            keys,
        } => dumps(&read_text(&text)?, kind, &keys, json),
        Command::Loads {
            token,
            kind,
            keys,
            max_age,
        } => loads(&read_arg(&token)?, kind, &keys, max_age, json),
        Command::Decode { token, sep } => {
            decode(&read_arg(&token)?, sep.as_deref().unwrap_or("."), json)
        }
        Command::Flask(command) => crate::flask::run(command, json),
        Command::Audit {
            token,
            wordlist,
            profile,
            signer,
            threads,
        } => {
            let config = signer.apply(profile_config(profile));
            audit(&read_arg(&token)?, &wordlist, &config, threads, json)
        }
    }
}

pub(crate) fn print_bytes(bytes: &[u8]) -> Outcome {
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(bytes)
        .and_then(|()| stdout.write_all(b"\n"))
        .map_err(|e| Failure::Usage(format!("cannot write output: {e}")))
}

/// A byte string as JSON: text when it is UTF-8, else base64 under another key.
fn bytes_json(key: &str, bytes: &[u8]) -> Value {
    let mut map = Map::new();
    match std::str::from_utf8(bytes) {
        Ok(text) => map.insert(key.to_owned(), text.into()),
        Err(_) => map.insert(
            format!("{key}_base64"),
            base64::engine::general_purpose::STANDARD
                .encode(bytes)
                .into(),
        ),
    };
    Value::Object(map)
}

pub(crate) fn merge(mut base: Value, extra: Value) -> Value {
    if let (Some(base), Value::Object(extra)) = (base.as_object_mut(), extra) {
        base.extend(extra);
    }
    base
}

fn sign(value: &[u8], keys: &KeyArgs, timed: bool, json: bool) -> Outcome {
    let signer = keys.builder(Signer::builder())?.build()?;
    let token = if timed {
        TimestampSigner::from_signer(signer).sign(value)
    } else {
        signer.sign(value)
    };
    if json {
        println!(
            "{}",
            merge(json!({"ok": true}), bytes_json("token", &token))
        );
        return Ok(());
    }
    print_bytes(&token)
}

fn unsign(token: &[u8], keys: &KeyArgs, timed: bool, max_age: Option<i64>, json: bool) -> Outcome {
    let signer = keys.builder(Signer::builder())?.build()?;
    let (value, timestamp) = if timed {
        let verified = TimestampSigner::from_signer(signer)
            .unsign_with_timestamp(token, max_age.map(MaxAge::from_secs))?;
        (verified.value.to_vec(), Some(verified.timestamp))
    } else {
        (signer.unsign(token)?.to_vec(), None)
    };
    if json {
        let mut doc = merge(
            json!({"ok": true, "verified": true}),
            bytes_json("value", &value),
        );
        if let Some(ts) = timestamp {
            doc = merge(doc, json!({"timestamp": ts, "signed_at": iso8601(ts)}));
        }
        println!("{doc}");
        return Ok(());
    }
    print_bytes(&value)
}

fn serializer<C: PayloadCodec + Default, S: SigningScheme>(
    keys: &KeyArgs,
) -> Result<SignedSerializer<C, S>, Failure> {
    let config = keys.builder(Signer::builder().salt(tamperproof::serializer::DEFAULT_SALT))?;
    Ok(SerializerBuilder::<C, S>::with_codec(C::default())
        .signer_config(config)
        .build()?)
}

fn dumps(text: &str, kind: Kind, keys: &KeyArgs, json: bool) -> Outcome {
    let value: Value = python_json::from_slice(text.as_bytes())
        .map_err(|e| Failure::Usage(format!("invalid JSON: {e}")))?;
    let token = match kind {
        Kind::Serializer => serializer::<JsonCodec, Signer>(keys)?.dumps(&value)?,
        Kind::TimedSerializer => serializer::<JsonCodec, TimestampSigner>(keys)?.dumps(&value)?,
        Kind::UrlSafe => serializer::<UrlSafeCodec, Signer>(keys)?.dumps(&value)?,
        Kind::UrlSafeTimed => serializer::<UrlSafeCodec, TimestampSigner>(keys)?.dumps(&value)?,
    };
    if json {
        println!("{}", json!({"ok": true, "token": token}));
        return Ok(());
    }
    print_bytes(token.as_bytes())
}

fn loads(token: &[u8], kind: Kind, keys: &KeyArgs, max_age: Option<i64>, json: bool) -> Outcome {
    let max_age = max_age.map(MaxAge::from_secs);
    let (value, timestamp): (Value, Option<u64>) = match kind {
        Kind::Serializer => (serializer::<JsonCodec, Signer>(keys)?.loads(token)?, None),
        Kind::UrlSafe => (
            serializer::<UrlSafeCodec, Signer>(keys)?.loads(token)?,
            None,
        ),
        Kind::TimedSerializer => timed_load(
            &serializer::<JsonCodec, TimestampSigner>(keys)?,
            token,
            max_age,
        )?,
        Kind::UrlSafeTimed => timed_load(
            &serializer::<UrlSafeCodec, TimestampSigner>(keys)?,
            token,
            max_age,
        )?,
    };
    if json {
        let mut doc = json!({"ok": true, "verified": true, "value": value});
        if let Some(ts) = timestamp {
            doc = merge(doc, json!({"timestamp": ts, "signed_at": iso8601(ts)}));
        }
        println!("{doc}");
        return Ok(());
    }
    print_bytes(value.to_string().as_bytes())
}

fn timed_load<C: PayloadCodec>(
    serializer: &SignedSerializer<C, TimestampSigner>,
    token: &[u8],
    max_age: Option<MaxAge>,
) -> Result<(Value, Option<u64>), Failure> {
    let (value, signed_at) = serializer.loads_with_timestamp::<Value>(token, max_age, None)?;
    let ts = signed_at
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .ok();
    Ok((value, ts))
}

/// Splits at the last occurrence of `sep`.
fn rsplit<'a>(bytes: &'a [u8], sep: &[u8]) -> Option<(&'a [u8], &'a [u8])> {
    if sep.is_empty() || sep.len() > bytes.len() {
        return None;
    }
    let at = bytes.windows(sep.len()).rposition(|w| w == sep)?;
    Some((bytes.get(..at)?, bytes.get(at + sep.len()..)?))
}

/// A plausible timestamp field: canonical base64 of at most 8 bytes.
fn timestamp_field(field: &[u8]) -> Option<u64> {
    let bytes = tamperproof::encoding::base64_decode(field).ok()?;
    tamperproof::encoding::bytes_to_int(&bytes).ok()
}

fn decode(token: &[u8], sep: &str, json: bool) -> Outcome {
    let sep = sep.as_bytes();
    let (message, signature) = rsplit(token, sep)
        .ok_or_else(|| Failure::Usage("no separator found in the token".into()))?;
    let (payload, timestamp) = match rsplit(message, sep) {
        Some((payload, field)) if !payload.is_empty() || field.is_empty() => {
            match timestamp_field(field) {
                Some(ts) => (payload, Some(ts)),
                None => (message, None),
            }
        }
        _ => (message, None),
    };
    let compressed = payload.first() == Some(&b'.');
    // Nobody verified this token: base64, zlib and JSON parsing stay within the keyless
    // limits (64 KiB of text, 8192 values, depth 64), whatever the token looks like.
    let limits = KeylessLimits::default();
    // URL-safe payloads are base64 (maybe zlib, bounded); Serializer payloads are JSON text.
    let unwrapped = limits.check_encoded(payload).and_then(|()| {
        tamperproof::url_safe::dangerous::decode_payload(payload, limits.payload_len_limit())
    });
    let (inner, encoding) = match unwrapped {
        Ok(bytes) => (bytes, if compressed { "base64+zlib" } else { "base64" }),
        Err(_) => (payload.to_vec(), "raw"),
    };
    // Beyond the limits the payload is shown as text, not parsed.
    let parsed: Option<Value> = limits
        .check_json(&inner)
        .ok()
        .and_then(|()| python_json::from_slice(&inner).ok());
    if json {
        let mut doc = json!({
            "ok": true,
            "verified": false,
            "warning": "UNVERIFIED: no key was checked; anyone can write these values",
            "payload_encoding": encoding,
            "payload": parsed,
            "signature": String::from_utf8_lossy(signature),
        });
        doc = merge(doc, bytes_json("payload_text", &inner));
        if let Some(ts) = timestamp {
            doc = merge(doc, json!({"timestamp": ts, "signed_at": iso8601(ts)}));
        }
        println!("{doc}");
        return Ok(());
    }
    println!("UNVERIFIED: no key was checked; anyone can write these values");
    match parsed {
        Some(value) => println!("payload ({encoding}, JSON): {value}"),
        None => println!("payload ({encoding}): {}", String::from_utf8_lossy(&inner)),
    }
    if let Some(ts) = timestamp {
        println!("timestamp: {} ({ts})", iso8601(ts));
    }
    println!("signature: {}", String::from_utf8_lossy(signature));
    Ok(())
}

pub(crate) fn profile_config(profile: Profile) -> SignerBuilder {
    match profile {
        Profile::Flask => Signer::builder()
            .salt(tamperproof::flask::DEFAULT_SALT)
            .key_derivation(KeyDerivation::Hmac)
            .digest(DigestMethod::Sha1),
        Profile::Itsdangerous => Signer::builder().salt("itsdangerous"),
        Profile::Django => Signer::builder()
            .salt("django.core.signing.Signer")
            .separator(":")
            .digest(DigestMethod::Sha256),
    }
}

/// A key for display: text when printable UTF-8, else a Python bytes literal.
fn display_key(key: &[u8]) -> String {
    match std::str::from_utf8(key) {
        Ok(text) if !text.chars().any(char::is_control) => text.to_owned(),
        _ => {
            let mut out = String::from("b'");
            for &b in key {
                match b {
                    b'\\' => out.push_str("\\\\"),
                    b'\'' => out.push_str("\\'"),
                    0x20..=0x7e => out.push(char::from(b)),
                    _ => out.push_str(&format!("\\x{b:02x}")),
                }
            }
            out.push('\'');
            out
        }
    }
}

fn audit(
    token: &[u8],
    wordlist: &std::path::Path,
    config: &SignerBuilder,
    threads: Option<usize>,
    json: bool,
) -> Outcome {
    let prepared = KeyAudit::new(config, token)?;
    let file = std::fs::File::open(wordlist)
        .map_err(|e| Failure::Usage(format!("cannot open {}: {e}", wordlist.display())))?;
    let threads = threads
        .or_else(|| std::thread::available_parallelism().ok().map(usize::from))
        .unwrap_or(1);
    let result = crate::audit::run(&prepared, file, threads, !json)
        .map_err(|e| Failure::Usage(format!("cannot read the wordlist: {e}")))?;
    let seconds = result.elapsed.as_secs_f64();
    let rate = result.tried as f64 / seconds.max(1e-9);
    eprintln!(
        "tried {} keys in {seconds:.3} s ({rate:.0} keys/s, {threads} threads)",
        result.tried
    );
    if json {
        let key = result.key.as_deref().map(Vec::as_slice);
        println!(
            "{}",
            json!({
                "ok": key.is_some(),
                "found": key.is_some(),
                "key": key.map(display_key),
                "key_hex": key.map(|k| k.iter().map(|b| format!("{b:02x}")).collect::<String>()),
                "tried": result.tried,
                "seconds": seconds,
                "keys_per_second": rate,
                "threads": threads,
            })
        );
    }
    match result.key {
        Some(key) => {
            if !json {
                println!("found key: {}", display_key(&key));
            }
            Ok(())
        }
        None => Err(Failure::NotFound(format!(
            "no key matched ({} candidates)",
            result.tried
        ))),
    }
}
