//! The keyed Django and Starlette rows of the format table: every signer is built by the
//! presets of `tamperproof::django` and `tamperproof::starlette` (the objects Django and
//! Starlette use), with the keys (oldest first: `SECRET_KEY_FALLBACKS`, then `SECRET_KEY`,
//! which signs) and the options given.

use python_json::{Map, Value};
use tamperproof::django::{self, SignedCookie};
use tamperproof::serializer::{PayloadCodec, SerializerBuilder, SignedSerializer};
use tamperproof::{MaxAge, SignerBuilder, SigningScheme};
use tamperproof_vectors::apply_keys;

use super::{Format, Opened, Payload, Settings, base62_field, rsplit};
use crate::Failure;

impl Settings<'_> {
    /// `builder` (a Django preset) with the options and the keys.
    fn django_signer(&self, builder: SignerBuilder) -> SignerBuilder {
        apply_keys!(
            self.signer.apply(builder),
            self.key_slices(),
            self.allow_empty_key
        )
    }

    /// A serializer from `builder` (a Django or Starlette preset) with the options and the
    /// keys.
    fn web_serializer<C: PayloadCodec, S: SigningScheme>(
        &self,
        builder: SerializerBuilder<C, S>,
    ) -> Result<SignedSerializer<C, S>, Failure> {
        Ok(apply_keys!(
            self.signer.apply_serializer(builder),
            self.key_slices(),
            self.allow_empty_key
        )
        .build()?)
    }

    /// The cookie signer of `--cookie-name` and `--salt` (Django's `salt=`).
    fn cookie(&self) -> Result<SignedCookie, Failure> {
        let name = self
            .signer
            .cookie_name
            .as_deref()
            .ok_or_else(super::cookie_name_required)?;
        if self.signer.sep.is_some()
            || self.signer.digest.is_some()
            || self.signer.derivation.is_some()
        {
            return Err(Failure::Usage(
                "Django signs cookies with its defaults (':', salted_hmac, SHA-256): --sep, \
                 --digest and --derivation do not apply to django-cookie"
                    .into(),
            ));
        }
        let salt = self.signer.salt.as_deref().unwrap_or("");
        let keys = self.keys.iter().map(|k| k.as_slice());
        Ok(SignedCookie::new(keys, name, salt)?
            .legacy_salt_fallback(self.signer.legacy_salt_fallback()))
    }

    fn max_age_or(&self, default: u64) -> MaxAge {
        MaxAge::from_secs(
            self.max_age
                .unwrap_or_else(|| i64::try_from(default).unwrap_or(i64::MAX)),
        )
    }
}

fn text(input: &[u8]) -> Result<&str, Failure> {
    std::str::from_utf8(input)
        .map_err(|_| Failure::Usage("Django signs text: the value must be UTF-8".into()))
}

fn session(input: &[u8]) -> Result<Map, Failure> {
    match python_json::from_slice(input) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(Failure::Usage("a session is a JSON object".into())),
        Err(e) => Err(Failure::Usage(format!("invalid JSON: {e}"))),
    }
}

/// Verifies `token` as a Django or Starlette `format`.
///
/// # Errors
/// The library's verification error (exit 1) or a configuration error (exit 2).
pub(super) fn verify(
    format: Format,
    token: &[u8],
    settings: &Settings<'_>,
) -> Result<Opened, Failure> {
    let max_age = settings.max_age.map(MaxAge::from_secs);
    let mut opened = match format {
        Format::DjangoSigner => {
            let signer = django::build_signer(&settings.django_signer(django::signer_builder()))?;
            Opened::new(format, true, Payload::Bytes(signer.unsign(token)?.to_vec()))
        }
        Format::DjangoTimestampSigner => {
            let signer = django::build_timestamp_signer(
                &settings.django_signer(django::timestamp_signer_builder()),
            )?;
            let verified = signer.unsign_with_timestamp(token, max_age)?;
            let mut opened = Opened::new(format, true, Payload::Bytes(verified.value.to_vec()));
            opened.signed_at = i64::try_from(verified.timestamp).ok();
            opened
        }
        Format::DjangoCookie => {
            let cookie = settings.cookie()?;
            let token_text = std::str::from_utf8(token).map_err(|_| Failure::Verify {
                class: "BadSignature",
                message: "a Django cookie is text".into(),
            })?;
            let value = cookie.unsign(token_text, max_age)?;
            let mut opened = Opened::new(format, true, Payload::Bytes(value.as_bytes().to_vec()));
            // The signature covered `value:ts`: its time field is verified.
            opened.signed_at = rsplit(token, b":")
                .and_then(|(message, _)| rsplit(message, b":"))
                .and_then(|(_, field)| base62_field(field));
            opened
        }
        Format::DjangoSigning => {
            let serializer = settings.web_serializer(django::signing_builder(false))?;
            let (value, signed_at) =
                serializer.loads_with_timestamp::<Value>(token, max_age, None)?;
            super::timed(format, (value, signed_at))
        }
        Format::DjangoSession => {
            let serializer = settings.web_serializer(django::session_builder())?;
            let max_age = settings.max_age_or(django::SESSION_COOKIE_AGE);
            let (session, signed_at) =
                serializer.loads_with_timestamp::<Map>(token, Some(max_age), None)?;
            super::timed(format, (Value::Object(session), signed_at))
        }
        _ => {
            let serializer = settings.web_serializer(tamperproof::starlette::session_builder())?;
            let max_age = settings.max_age_or(tamperproof::starlette::DEFAULT_MAX_AGE);
            let (session, signed_at) =
                serializer.loads_with_timestamp::<Map>(token, Some(max_age), None)?;
            super::timed(format, (Value::Object(session), signed_at))
        }
    };
    opened.set_signature(token, settings);
    Ok(opened)
}

/// Signs `input` as a Django or Starlette `format`: text for the Django signers and cookies,
/// JSON for signing.dumps, a JSON object for the sessions.
///
/// # Errors
/// A usage error for input of the wrong kind, a configuration error.
pub(super) fn sign(
    format: Format,
    input: &[u8],
    settings: &Settings<'_>,
) -> Result<Vec<u8>, Failure> {
    let token = match format {
        Format::DjangoSigner => {
            django::build_signer(&settings.django_signer(django::signer_builder()))?
                .sign(text(input)?)
        }
        Format::DjangoTimestampSigner => django::build_timestamp_signer(
            &settings.django_signer(django::timestamp_signer_builder()),
        )?
        .sign(text(input)?),
        Format::DjangoCookie => settings.cookie()?.sign(text(input)?).into_bytes(),
        Format::DjangoSigning => {
            let value: Value = python_json::from_slice(input)
                .map_err(|e| Failure::Usage(format!("invalid JSON: {e}")))?;
            settings
                .web_serializer(django::signing_builder(settings.compress))?
                .dumps(&value)?
                .into_bytes()
        }
        Format::DjangoSession => settings
            .web_serializer(django::session_builder())?
            .dumps(&session(input)?)?
            .into_bytes(),
        _ => settings
            .web_serializer(tamperproof::starlette::session_builder())?
            .dumps(&session(input)?)?
            .into_bytes(),
    };
    Ok(token)
}
