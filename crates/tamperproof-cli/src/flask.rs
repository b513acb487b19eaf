//! `tamperproof flask decode | verify | sign`.

use python_json::{Value, json};
use tamperproof::MaxAge;
use tamperproof::flask::{SessionSerializer, SessionValue, dangerous};
use zeroize::Zeroizing;

use crate::commands::{merge, print_bytes};
use crate::input::{read_arg, read_text};
use crate::time::iso8601;
use crate::{Failure, FlaskCommand};

pub(crate) fn run(command: FlaskCommand, json: bool) -> Result<(), Failure> {
    match command {
        FlaskCommand::Decode { cookie } => decode(&read_arg(&cookie)?, json),
        FlaskCommand::Verify {
            cookie,
            keys,
            max_age,
            salt,
        } => {
            // Wiped when dropped, whatever the outcome.
            let keys = Zeroizing::new(keys);
            verify(&read_arg(&cookie)?, &keys, max_age, salt.as_deref(), json)
        }
        FlaskCommand::Sign { session, key, salt } => {
            let key = Zeroizing::new(key);
            sign(&read_text(&session)?, &key, salt.as_deref(), json)
        }
    }
}

fn decode(cookie: &[u8], json: bool) -> Result<(), Failure> {
    let session = dangerous::decode_unverified(cookie, &dangerous::KeylessLimits::default())?;
    let tagged = session.to_tagged_json();
    if json {
        println!(
            "{}",
            json!({"ok": true, "verified": false,
                   "warning": "UNVERIFIED: no key was checked; anyone can write these values",
                   "session": tagged})
        );
        return Ok(());
    }
    println!("UNVERIFIED: no key was checked; anyone can write these values");
    print_bytes(tagged.to_string().as_bytes())
}

fn verify(
    cookie: &[u8],
    keys: &[String],
    max_age: Option<i64>,
    salt: Option<&str>,
    json: bool,
) -> Result<(), Failure> {
    let Some((secret, fallbacks)) = keys.split_last() else {
        return Err(Failure::Usage("--key is required".into()));
    };
    let mut builder = SessionSerializer::builder()
        .secret_key(secret)
        .secret_key_fallbacks(fallbacks);
    if let Some(max_age) = max_age {
        builder = builder.max_age(MaxAge::from_secs(max_age));
    }
    if let Some(salt) = salt {
        builder = builder.salt(salt);
    }
    let serializer = builder.build()?;
    let (session, signed_at) = serializer.loads_with_timestamp::<SessionValue>(cookie)?;
    let tagged = session.to_tagged_json();
    if json {
        let ts = signed_at
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        let doc = json!({"ok": true, "verified": true, "session": tagged});
        println!(
            "{}",
            merge(doc, json!({"timestamp": ts, "signed_at": iso8601(ts)}))
        );
        return Ok(());
    }
    print_bytes(tagged.to_string().as_bytes())
}

fn sign(text: &str, key: &str, salt: Option<&str>, json: bool) -> Result<(), Failure> {
    let value: Value = python_json::from_slice(text.as_bytes())
        .map_err(|e| Failure::Usage(format!("invalid JSON: {e}")))?;
    let session = SessionValue::from_tagged_json(value)
        .map_err(|e| Failure::Usage(format!("invalid session: {e}")))?;
    let mut builder = SessionSerializer::builder().secret_key(key);
    if let Some(salt) = salt {
        builder = builder.salt(salt);
    }
    let cookie = builder.build()?.dumps(&session)?;
    if json {
        println!("{}", json!({"ok": true, "cookie": cookie}));
        return Ok(());
    }
    print_bytes(cookie.as_bytes())
}
