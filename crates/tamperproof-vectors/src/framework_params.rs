//! The parameters that only the Django and Starlette kinds have.

use serde_json::{Map, Value};
use sign_core::DigestMethod;

/// `algorithm`, `compress`, `cookie_name` and `legacy_salt_fallback`; `None` means the
/// framework's default.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FrameworkParams {
    /// `algorithm` (Django signers): the digest of key derivation and HMAC.
    pub algorithm: Option<DigestMethod>,
    /// `compress` (`django_signing`).
    pub compress: Option<bool>,
    /// `cookie_name` (`django_signed_cookie`).
    pub cookie_name: Option<String>,
    /// `legacy_salt_fallback` (`django_signed_cookie`).
    pub legacy_salt_fallback: Option<bool>,
}

impl FrameworkParams {
    /// Reads parameter `name` when it is one of these; `Ok(false)` for any other name.
    ///
    /// # Errors
    /// A value of the wrong type or unknown.
    pub fn set(&mut self, name: &str, value: &Value) -> Result<bool, String> {
        match name {
            "algorithm" => {
                let Value::String(text) = value else {
                    return Err("`algorithm` is not a string".to_owned());
                };
                self.algorithm = Some(
                    text.parse()
                        .map_err(|_| format!("unknown algorithm {text:?}"))?,
                );
            }
            "compress" => self.compress = Some(boolean(name, value)?),
            "legacy_salt_fallback" => self.legacy_salt_fallback = Some(boolean(name, value)?),
            "cookie_name" => match value {
                Value::String(text) => self.cookie_name = Some(text.clone()),
                _ => return Err("`cookie_name` is not a string".to_owned()),
            },
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// Writes the parameters that are set into a `params` object.
    pub fn write_json(&self, obj: &mut Map<String, Value>) {
        if let Some(algorithm) = self.algorithm {
            obj.insert("algorithm".to_owned(), Value::from(algorithm.name()));
        }
        if let Some(compress) = self.compress {
            obj.insert("compress".to_owned(), Value::from(compress));
        }
        if let Some(name) = &self.cookie_name {
            obj.insert("cookie_name".to_owned(), Value::from(name.clone()));
        }
        if let Some(on) = self.legacy_salt_fallback {
            obj.insert("legacy_salt_fallback".to_owned(), Value::from(on));
        }
    }
}

fn boolean(name: &str, value: &Value) -> Result<bool, String> {
    value
        .as_bool()
        .ok_or_else(|| format!("`{name}` is not a boolean"))
}
