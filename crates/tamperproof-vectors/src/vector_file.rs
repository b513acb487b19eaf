//! The `tamperproof-vectors/1` file format (described in `docs/vectors.md`).
//!
//! A document is read in two steps: [`VectorFile::parse`] checks the envelope (JSON, `schema`,
//! a `cases` array) and keeps every case as raw JSON; [`Case::from_json`] then reads one case.
//! A case that cannot be read (a missing field, an unknown `expect`, `direction` or parameter
//! value) is an error of that case only, which the runner reports as a failure. Unknown fields
//! are ignored.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use python_json::{Map, Value};
use sign_core::{DigestMethod, ErrorKind, KeyDerivation};

/// The value of the `schema` field.
pub const SCHEMA: &str = "tamperproof-vectors/1";

/// A parsed document: the envelope, with the cases still as raw JSON.
#[derive(Clone, Debug)]
pub struct VectorFile {
    /// The `generated_by` object (reference versions), `null` when absent.
    pub generated_by: Value,
    /// Every case, unparsed.
    pub cases: Vec<Value>,
}

impl VectorFile {
    /// Parses a document's text.
    ///
    /// # Errors
    /// When the text is not JSON, `schema` is not [`SCHEMA`], or `cases` is not an array.
    pub fn parse(text: &str) -> Result<Self, String> {
        let doc: Value =
            python_json::from_slice(text.as_bytes()).map_err(|e| format!("not JSON: {e}"))?;
        let Value::Object(mut doc) = doc else {
            return Err("the document is not a JSON object".to_owned());
        };
        match doc.get("schema") {
            Some(Value::String(s)) if s == SCHEMA => {}
            Some(other) => return Err(format!("unsupported schema {other}, expected {SCHEMA:?}")),
            None => return Err("no `schema` field".to_owned()),
        }
        let generated_by = doc.remove("generated_by").unwrap_or(Value::Null);
        match doc.remove("cases") {
            Some(Value::Array(cases)) => Ok(Self {
                generated_by,
                cases,
            }),
            _ => Err("`cases` is missing or not an array".to_owned()),
        }
    }
}

/// What the reference did with the token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Expect {
    /// Verified; the value equals the payload.
    Ok,
    /// Rejected with exactly this exception class.
    Error(ErrorKind),
}

impl Expect {
    /// Parses `ok` or a Python exception class name.
    ///
    /// # Errors
    /// For any other string.
    pub fn parse(s: &str) -> Result<Self, String> {
        if s == "ok" {
            return Ok(Self::Ok);
        }
        ErrorKind::from_class_name(s)
            .map(Self::Error)
            .ok_or_else(|| format!("unknown expect {s:?}"))
    }

    /// `ok` or the class name, as in a vector file.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Ok => "ok",
            Self::Error(kind) => kind.class_name(),
        }
    }
}

/// What a case checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Direction {
    /// Signing `payload` (at `timestamp`) must give `token`, and verifying must agree too.
    Both,
    /// Only verify `token` and compare with `expect`.
    Verify,
}

impl Direction {
    /// Parses `both` or `verify`.
    ///
    /// # Errors
    /// For any other string.
    pub fn parse(s: &str) -> Result<Self, String> {
        match s {
            "both" => Ok(Self::Both),
            "verify" => Ok(Self::Verify),
            _ => Err(format!("unknown direction {s:?}")),
        }
    }

    /// The name used in vector files.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Both => "both",
            Self::Verify => "verify",
        }
    }
}

/// The signer settings a case can set: the primary signer's, or one entry of
/// `fallback_signers`. `None` means the Python default.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SignerSettings {
    /// `salt`.
    pub salt: Option<Vec<u8>>,
    /// `sep`.
    pub sep: Option<Vec<u8>>,
    /// `key_derivation`.
    pub key_derivation: Option<KeyDerivation>,
    /// `digest_method`.
    pub digest_method: Option<DigestMethod>,
}

/// A case's constructor arguments. `None` means the Python default.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Params {
    /// The secret keys, oldest first (one for a plain `secret_key`).
    pub secret_keys: Vec<Vec<u8>>,
    /// Whether `secret_key` was written as a list.
    pub secret_key_is_list: bool,
    /// `salt`, `sep`, `key_derivation`, `digest_method`.
    pub signer: SignerSettings,
    /// `fallback_signers`.
    pub fallback_signers: Option<Vec<SignerSettings>>,
    /// Every other parameter, as written: the kind that takes it reads it (and a kind
    /// fails on one it does not take).
    pub other: Map,
}

/// One case, read.
#[derive(Clone, Debug, PartialEq)]
pub struct Case {
    /// The unique name.
    pub id: String,
    /// The kind, as written (the runner decides whether it knows it).
    pub kind: String,
    /// Constructor arguments.
    pub params: Params,
    /// The signed value: bytes in vector form for the signer kinds, any JSON otherwise.
    pub payload: Value,
    /// The token.
    pub token: Vec<u8>,
    /// Unix seconds at signing (timed kinds).
    pub timestamp: Option<u64>,
    /// Unix seconds at verification (timed kinds).
    pub now: Option<u64>,
    /// The maximum age passed to verification, when any.
    pub max_age: Option<i64>,
    /// What the reference did.
    pub expect: Expect,
    /// What to check.
    pub direction: Direction,
}

/// A case's `id`, or a name made from its position when it has none.
#[must_use]
pub fn case_id(raw: &Value, index: usize) -> String {
    match raw.get("id") {
        Some(Value::String(id)) => id.clone(),
        _ => format!("#{index}"),
    }
}

impl Case {
    /// Reads one case.
    ///
    /// # Errors
    /// A reason naming the field that is missing or holds an unknown value.
    pub fn from_json(raw: &Value) -> Result<Self, String> {
        let Value::Object(obj) = raw else {
            return Err("the case is not a JSON object".to_owned());
        };
        let id = match obj.get("id") {
            Some(Value::String(id)) => id.clone(),
            _ => return Err("`id` is missing or not a string".to_owned()),
        };
        let kind = match obj.get("kind") {
            Some(Value::String(kind)) => kind.clone(),
            _ => return Err("`kind` is missing or not a string".to_owned()),
        };
        let params = match obj.get("params") {
            Some(Value::Object(params)) => Params::from_json(params)?,
            None => return Err("`params` is missing".to_owned()),
            Some(_) => return Err("`params` is not an object".to_owned()),
        };
        let token =
            bytes_from_json(required(obj, "token")?).map_err(|e| format!("`token`: {e}"))?;
        let expect = match required(obj, "expect")? {
            Value::String(s) => Expect::parse(s)?,
            _ => return Err("`expect` is not a string".to_owned()),
        };
        let direction = match required(obj, "direction")? {
            Value::String(s) => Direction::parse(s)?,
            _ => return Err("`direction` is not a string".to_owned()),
        };
        Ok(Self {
            id,
            kind,
            params,
            payload: obj.get("payload").cloned().unwrap_or(Value::Null),
            token,
            timestamp: optional_u64(obj, "timestamp")?,
            now: optional_u64(obj, "now")?,
            max_age: optional_i64(obj, "max_age")?,
            expect,
            direction,
        })
    }

    /// The case in vector form (for sending to the Python peer).
    #[must_use]
    pub fn to_json(&self) -> Value {
        let mut obj = Map::new();
        obj.insert("id".to_owned(), Value::String(self.id.clone()));
        obj.insert("kind".to_owned(), Value::String(self.kind.clone()));
        obj.insert("params".to_owned(), self.params.to_json());
        obj.insert("payload".to_owned(), self.payload.clone());
        obj.insert("token".to_owned(), bytes_to_json(&self.token));
        if let Some(timestamp) = self.timestamp {
            obj.insert("timestamp".to_owned(), Value::from(timestamp));
        }
        if let Some(now) = self.now {
            obj.insert("now".to_owned(), Value::from(now));
        }
        if let Some(max_age) = self.max_age {
            obj.insert("max_age".to_owned(), Value::from(max_age));
        }
        obj.insert("expect".to_owned(), Value::from(self.expect.as_str()));
        obj.insert("direction".to_owned(), Value::from(self.direction.as_str()));
        Value::Object(obj)
    }
}

impl Params {
    /// Reads a `params` object.
    ///
    /// # Errors
    /// An unknown parameter name, or a value of the wrong type or unknown.
    pub fn from_json(obj: &Map) -> Result<Self, String> {
        let mut params = Self::default();
        for (name, value) in obj {
            match name.as_str() {
                "secret_key" => {
                    if let Value::Array(keys) = value {
                        params.secret_key_is_list = true;
                        params.secret_keys = keys
                            .iter()
                            .map(bytes_from_json)
                            .collect::<Result<_, _>>()
                            .map_err(|e| format!("`secret_key`: {e}"))?;
                    } else {
                        let key =
                            bytes_from_json(value).map_err(|e| format!("`secret_key`: {e}"))?;
                        params.secret_keys = vec![key];
                    }
                }
                "fallback_signers" => {
                    let Value::Array(entries) = value else {
                        return Err("`fallback_signers` is not a list".to_owned());
                    };
                    params.fallback_signers = Some(
                        entries
                            .iter()
                            .map(SignerSettings::from_json)
                            .collect::<Result<_, _>>()?,
                    );
                }
                _ => {
                    if !params.signer.read(name, value)? {
                        params.other.insert(name.clone(), value.clone());
                    }
                }
            }
        }
        if !obj.contains_key("secret_key") {
            return Err("`params.secret_key` is missing".to_owned());
        }
        Ok(params)
    }

    /// The names of the parameters set besides `secret_key`.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        [
            ("salt", self.signer.salt.is_some()),
            ("sep", self.signer.sep.is_some()),
            ("key_derivation", self.signer.key_derivation.is_some()),
            ("digest_method", self.signer.digest_method.is_some()),
            ("fallback_signers", self.fallback_signers.is_some()),
        ]
        .into_iter()
        .filter_map(|(name, present)| present.then_some(name))
        .chain(self.other.keys().map(String::as_str))
    }

    /// The parameters in vector form.
    #[must_use]
    pub fn to_json(&self) -> Value {
        let mut obj = Map::new();
        let key = if self.secret_key_is_list || self.secret_keys.len() != 1 {
            Value::Array(self.secret_keys.iter().map(|k| bytes_to_json(k)).collect())
        } else {
            self.secret_keys
                .first()
                .map_or(Value::Null, |k| bytes_to_json(k))
        };
        obj.insert("secret_key".to_owned(), key);
        self.signer.write(&mut obj);
        if let Some(fallbacks) = &self.fallback_signers {
            obj.insert(
                "fallback_signers".to_owned(),
                Value::Array(fallbacks.iter().map(SignerSettings::to_json).collect()),
            );
        }
        obj.extend(self.other.clone());
        Value::Object(obj)
    }
}

impl SignerSettings {
    /// Reads one `fallback_signers` entry.
    ///
    /// # Errors
    /// An entry that is not an object, an unknown field or value.
    pub fn from_json(value: &Value) -> Result<Self, String> {
        let Value::Object(obj) = value else {
            return Err("a `fallback_signers` entry is not an object".to_owned());
        };
        let mut settings = Self::default();
        for (name, value) in obj {
            if !settings.read(name, value)? {
                return Err(format!("unsupported fallback_signers field {name:?}"));
            }
        }
        Ok(settings)
    }

    /// Reads the setting `name` when it is one; `false` for any other name.
    fn read(&mut self, name: &str, value: &Value) -> Result<bool, String> {
        match name {
            "salt" => self.salt = Some(param_bytes(name, value)?),
            "sep" => self.sep = Some(param_bytes(name, value)?),
            "key_derivation" => self.key_derivation = Some(key_derivation(value)?),
            "digest_method" => self.digest_method = Some(digest_method(value)?),
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// The settings in vector form (one `fallback_signers` entry).
    #[must_use]
    pub fn to_json(&self) -> Value {
        let mut obj = Map::new();
        self.write(&mut obj);
        Value::Object(obj)
    }

    fn write(&self, obj: &mut Map) {
        if let Some(salt) = &self.salt {
            obj.insert("salt".to_owned(), bytes_to_json(salt));
        }
        if let Some(sep) = &self.sep {
            obj.insert("sep".to_owned(), bytes_to_json(sep));
        }
        if let Some(kd) = self.key_derivation {
            obj.insert("key_derivation".to_owned(), Value::from(kd.name()));
        }
        if let Some(digest) = self.digest_method {
            obj.insert("digest_method".to_owned(), Value::from(digest.name()));
        }
    }
}

/// Reads a byte string: a JSON string is its UTF-8 encoding; `{"base64": "..."}` (standard
/// alphabet, padded) holds raw bytes.
///
/// # Errors
/// Anything else, or invalid base64.
pub fn bytes_from_json(value: &Value) -> Result<Vec<u8>, String> {
    match value {
        Value::String(s) => Ok(s.as_bytes().to_vec()),
        Value::Object(obj) if obj.len() == 1 => match obj.get("base64") {
            Some(Value::String(b64)) => STANDARD
                .decode(b64)
                .map_err(|e| format!("invalid base64 {b64:?}: {e}")),
            _ => Err(format!("not a byte string: {value}")),
        },
        _ => Err(format!("not a byte string: {value}")),
    }
}

/// Writes a byte string in vector form: a JSON string when it is UTF-8, else `{"base64": ...}`.
#[must_use]
pub fn bytes_to_json(bytes: &[u8]) -> Value {
    match std::str::from_utf8(bytes) {
        Ok(s) => Value::String(s.to_owned()),
        Err(_) => {
            let mut obj = Map::new();
            obj.insert("base64".to_owned(), Value::String(STANDARD.encode(bytes)));
            Value::Object(obj)
        }
    }
}

fn required<'a>(obj: &'a Map, name: &str) -> Result<&'a Value, String> {
    obj.get(name).ok_or_else(|| format!("`{name}` is missing"))
}

fn optional_u64(obj: &Map, name: &str) -> Result<Option<u64>, String> {
    match obj.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(value) => value
            .as_u64()
            .map(Some)
            .ok_or_else(|| format!("unsupported `{name}` {value}: not an integer in 0..2^64")),
    }
}

fn optional_i64(obj: &Map, name: &str) -> Result<Option<i64>, String> {
    match obj.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(value) => value
            .as_i64()
            .map(Some)
            .ok_or_else(|| format!("unsupported `{name}` {value}: not a 64-bit integer")),
    }
}

fn param_bytes(name: &str, value: &Value) -> Result<Vec<u8>, String> {
    bytes_from_json(value).map_err(|e| format!("`{name}`: {e}"))
}

fn key_derivation(value: &Value) -> Result<KeyDerivation, String> {
    let name = value.as_str().ok_or("`key_derivation` is not a string")?;
    sign_core::dangerous::ALL_KEY_DERIVATIONS
        .into_iter()
        .find(|kd| kd.name() == name)
        .ok_or_else(|| format!("unknown key_derivation {name:?}"))
}

fn digest_method(value: &Value) -> Result<DigestMethod, String> {
    let name = value.as_str().ok_or("`digest_method` is not a string")?;
    DigestMethod::ALL
        .into_iter()
        .find(|d| d.name() == name)
        .ok_or_else(|| format!("unknown digest_method {name:?}"))
}

#[cfg(test)]
mod tests {
    use python_json::json;

    use super::{Case, VectorFile};

    /// Every field and parameter `docs/vectors.md` defines is read, including those of the
    /// kinds no family registers yet (their cases fail later, as unknown kinds).
    #[test]
    fn every_documented_field_and_parameter_is_read() {
        let doc = json!({
            "schema": "tamperproof-vectors/1",
            "generated_by": {"itsdangerous": "2.2.0", "django": "5.2.19", "starlette": "1.10.0"},
            "cases": [
                {"id": "a", "kind": "url_safe_timed_serializer", "params": {
                    "secret_key": ["old", {"base64": "/w=="}], "salt": "s", "sep": "|",
                    "key_derivation": "hmac", "digest_method": "sha256",
                    "fallback_signers": [{"digest_method": "sha1", "sep": "."}]},
                 "payload": null, "token": "x", "timestamp": 1, "now": 2, "max_age": 3,
                 "expect": "BadPayload", "direction": "verify", "note": "ignored"},
                {"id": "b", "kind": "timed_jws", "params": {
                    "secret_key": "k", "algorithm_name": "HS256", "expires_in": 60},
                 "payload": {}, "token": "x", "expect": "BadHeader", "direction": "verify"},
                {"id": "c", "kind": "django_signer", "params": {
                    "secret_key": "k", "algorithm": "sha512", "sep": ":"},
                 "payload": "v", "token": "v:x", "expect": "BadSignature", "direction": "verify"},
                {"id": "d", "kind": "django_signed_cookie", "params": {
                    "secret_key": "k", "cookie_name": "c", "legacy_salt_fallback": false},
                 "payload": "v", "token": "v:x", "now": 5, "expect": "BadData",
                 "direction": "verify"},
                {"id": "e", "kind": "django_signing", "params": {"secret_key": "k", "compress": true},
                 "payload": [1], "token": "x", "timestamp": 1, "expect": "ok", "direction": "both"},
            ]
        });
        let file = VectorFile::parse(&doc.to_string()).unwrap();
        assert_eq!(file.cases.len(), 5);
        let cases: Vec<Case> = file
            .cases
            .iter()
            .map(|raw| Case::from_json(raw).unwrap())
            .collect();
        let first = &cases[0];
        assert_eq!(first.params.secret_keys, [b"old".to_vec(), vec![0xff]]);
        assert_eq!(
            first.params.fallback_signers.as_ref().map(Vec::len),
            Some(1)
        );
        assert_eq!(
            first.params.names().collect::<Vec<_>>(),
            [
                "salt",
                "sep",
                "key_derivation",
                "digest_method",
                "fallback_signers"
            ]
        );
        assert_eq!(
            cases[2].params.other.get("algorithm"),
            Some(&json!("sha512"))
        );
        assert_eq!(
            cases[3].params.other.get("legacy_salt_fallback"),
            Some(&json!(false))
        );
        // Written back, a case reads the same.
        for case in &cases {
            assert_eq!(&Case::from_json(&case.to_json()).unwrap(), case);
        }
    }
}
