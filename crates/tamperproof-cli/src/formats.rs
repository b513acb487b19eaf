//! The table of token formats the CLI knows: for each one how it is decoded without a key,
//! verified, signed and audited. A format is one [`Format`] variant, one [`FORMATS`] row and
//! one arm in each of [`decode`], [`verify`] and [`sign`]; the keyed Django and Starlette
//! arms build their signers with the presets of `tamperproof::django` and
//! `tamperproof::starlette` (see `web.rs`).

use clap::ValueEnum;
use python_json::Value;
use tamperproof::django;
use tamperproof::flask::{SessionSerializer, SessionValue};
use tamperproof::jws::{
    Header, JwsAlgorithm, JwsClaims, JwsCodec, JwsSerializer, TimedJwsSerializer, WithHeader,
};
use tamperproof::serializer::dangerous::KeylessLimits;
use tamperproof::serializer::{JsonCodec, PayloadCodec, SerializerBuilder, SignedSerializer};
use tamperproof::url_safe::UrlSafeCodec;
use tamperproof::{
    DigestMethod, KeyDerivation, KeyRing, MaxAge, Signer, SignerBuilder, SigningScheme,
    TimestampSigner,
};
use tamperproof_vectors::apply_keys;

use crate::Failure;
use crate::keys::Keys;
use crate::options::SignerArgs;
use crate::time::unix;

mod web;

/// A token format.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Format {
    /// itsdangerous.Signer: `value.sig` (raw bytes).
    Signer,
    /// itsdangerous.TimestampSigner: `value.ts.sig`.
    TimestampSigner,
    /// itsdangerous.Serializer: `json.sig`.
    Serializer,
    /// itsdangerous.TimedSerializer: `json.ts.sig`.
    TimedSerializer,
    /// itsdangerous.URLSafeSerializer: `b64(json).sig`, maybe zlib.
    UrlSafe,
    /// itsdangerous.URLSafeTimedSerializer: `b64(json).ts.sig`, maybe zlib.
    UrlSafeTimed,
    /// itsdangerous 2.0 JSONWebSignatureSerializer: `b64(header).b64(json).sig`.
    Jws,
    /// itsdangerous 2.0 TimedJSONWebSignatureSerializer: a JWS whose header has iat and exp.
    TimedJws,
    /// A Flask session cookie (URLSafeTimedSerializer, salt cookie-session, tagged JSON).
    Flask,
    /// Django signing.Signer: `value:sig` (salt django.core.signing.Signer, SHA-256).
    DjangoSigner,
    /// Django signing.TimestampSigner: `value:base62ts:sig`.
    DjangoTimestampSigner,
    /// Django signing.dumps / loads: `b64(json):base62ts:sig`, `.` marks zlib.
    DjangoSigning,
    /// Django set_signed_cookie / get_signed_cookie (needs --cookie-name; --salt is Django's
    /// salt= argument).
    DjangoCookie,
    /// Django signed_cookies session backend (signing.dumps, compress, two weeks).
    DjangoSession,
    /// Starlette / FastAPI SessionMiddleware cookie: `b64(json).ts.sig`, standard base64.
    Starlette,
}

/// Audit profiles: the signing settings of common applications.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Profile {
    /// Flask session cookies: salt cookie-session, hmac derivation, SHA-1.
    Flask,
    /// itsdangerous serializers: salt itsdangerous, django-concat derivation, SHA-1.
    Itsdangerous,
    /// itsdangerous Signer / TimestampSigner: salt itsdangerous.Signer, django-concat, SHA-1.
    ItsdangerousSigner,
    /// itsdangerous 2.0 JWS: the key is the HMAC key (derivation none), digest from `alg`.
    Jws,
    /// Django signing (Signer, TimestampSigner, dumps): their three default salts, separator
    /// ':', salted_hmac, digest from the signature length.
    Django,
    /// Django signed cookies: the key prefixed with django.http.cookies, the salt of
    /// --cookie-name and --salt (and the legacy salt unless --legacy-salt-fallback false).
    DjangoCookie,
    /// Django signed_cookies sessions: salt django.contrib.sessions.backends.signed_cookies.
    DjangoSession,
    /// Starlette SessionMiddleware: itsdangerous TimestampSigner, salt itsdangerous.Signer,
    /// SHA-1.
    Starlette,
}

/// One row of the table.
#[derive(Debug)]
pub(crate) struct FormatInfo {
    /// The format.
    pub(crate) format: Format,
    /// The `--kind` name.
    pub(crate) name: &'static str,
    /// What made it, in Python's words.
    pub(crate) python: &'static str,
    /// Whether the signature carries a signing time.
    pub(crate) timed: bool,
    /// The audit profile that finds its key.
    pub(crate) profile: Profile,
    /// Default salt of the signer.
    pub(crate) salt: &'static str,
    /// The separator between the fields.
    pub(crate) sep: &'static str,
}

/// Every format, in the order `identify` prefers them when the structure allows several.
pub(crate) const FORMATS: [FormatInfo; 15] = [
    row(
        Format::Flask,
        "flask",
        "Flask session cookie",
        true,
        Profile::Flask,
        tamperproof::flask::DEFAULT_SALT,
    ),
    row(
        Format::TimedJws,
        "timed-jws",
        "itsdangerous 2.0 TimedJSONWebSignatureSerializer",
        true,
        Profile::Jws,
        "",
    ),
    row(
        Format::Jws,
        "jws",
        "itsdangerous 2.0 JSONWebSignatureSerializer",
        false,
        Profile::Jws,
        "",
    ),
    row(
        Format::UrlSafeTimed,
        "url-safe-timed",
        "itsdangerous.URLSafeTimedSerializer",
        true,
        Profile::Itsdangerous,
        "itsdangerous",
    ),
    row(
        Format::UrlSafe,
        "url-safe",
        "itsdangerous.URLSafeSerializer",
        false,
        Profile::Itsdangerous,
        "itsdangerous",
    ),
    row(
        Format::TimedSerializer,
        "timed-serializer",
        "itsdangerous.TimedSerializer",
        true,
        Profile::Itsdangerous,
        "itsdangerous",
    ),
    row(
        Format::Serializer,
        "serializer",
        "itsdangerous.Serializer",
        false,
        Profile::Itsdangerous,
        "itsdangerous",
    ),
    row(
        Format::TimestampSigner,
        "timestamp-signer",
        "itsdangerous.TimestampSigner",
        true,
        Profile::ItsdangerousSigner,
        "itsdangerous.Signer",
    ),
    row(
        Format::Signer,
        "signer",
        "itsdangerous.Signer",
        false,
        Profile::ItsdangerousSigner,
        "itsdangerous.Signer",
    ),
    row(
        Format::DjangoSession,
        "django-session",
        "Django signed_cookies session (signing.dumps, compress=True)",
        true,
        Profile::DjangoSession,
        django::SESSION_SALT,
    )
    .separated_by(django::SEPARATOR),
    row(
        Format::DjangoSigning,
        "django-signing",
        "django.core.signing.dumps",
        true,
        Profile::Django,
        django::SIGNING_SALT,
    )
    .separated_by(django::SEPARATOR),
    row(
        Format::DjangoTimestampSigner,
        "django-timestamp-signer",
        "django.core.signing.TimestampSigner",
        true,
        Profile::Django,
        django::TIMESTAMP_SIGNER_SALT,
    )
    .separated_by(django::SEPARATOR),
    row(
        Format::DjangoCookie,
        "django-cookie",
        "Django signed cookie (set_signed_cookie)",
        true,
        Profile::DjangoCookie,
        "",
    )
    .separated_by(django::SEPARATOR),
    row(
        Format::DjangoSigner,
        "django-signer",
        "django.core.signing.Signer",
        false,
        Profile::Django,
        django::SIGNER_SALT,
    )
    .separated_by(django::SEPARATOR),
    row(
        Format::Starlette,
        "starlette",
        "Starlette SessionMiddleware cookie",
        true,
        Profile::Starlette,
        tamperproof::starlette::SIGNER_SALT,
    ),
];

const fn row(
    format: Format,
    name: &'static str,
    python: &'static str,
    timed: bool,
    profile: Profile,
    salt: &'static str,
) -> FormatInfo {
    FormatInfo {
        format,
        name,
        python,
        timed,
        profile,
        salt,
        sep: ".",
    }
}

impl FormatInfo {
    /// The row with fields separated by `sep` (Django's `:`).
    const fn separated_by(self, sep: &'static str) -> Self {
        Self { sep, ..self }
    }
}

impl Format {
    /// The table row.
    pub(crate) fn info(self) -> &'static FormatInfo {
        FORMATS
            .iter()
            .find(|row| row.format == self)
            .unwrap_or(&FORMATS[0])
    }

    /// Whether the format is one of Django's (separator `:`, base62 times).
    pub(crate) const fn is_django(self) -> bool {
        matches!(
            self,
            Self::DjangoSigner
                | Self::DjangoTimestampSigner
                | Self::DjangoSigning
                | Self::DjangoCookie
                | Self::DjangoSession
        )
    }
}

/// One configuration an audit checks every candidate key against.
#[derive(Debug)]
pub(crate) struct AuditConfig {
    /// What is checked, e.g. `django (TimestampSigner)`.
    pub(crate) label: String,
    /// The profile it belongs to.
    pub(crate) profile: Profile,
    /// The signer settings (keys are the candidates).
    pub(crate) config: SignerBuilder,
    /// Bytes the application puts in front of its secret key before signing (Django's
    /// cookie signer: `django.http.cookies`).
    pub(crate) key_prefix: &'static [u8],
}

/// The usage error of a Django cookie without its name.
pub(crate) fn cookie_name_required() -> Failure {
    Failure::Usage(
        "a Django signed cookie's salt includes the cookie's name: give --cookie-name NAME \
         (the key of set_signed_cookie / get_signed_cookie)"
            .into(),
    )
}

impl Profile {
    /// The separator of the tokens the profile signs.
    pub(crate) const fn sep(self) -> &'static str {
        match self {
            Self::Django | Self::DjangoCookie | Self::DjangoSession => django::SEPARATOR,
            _ => ".",
        }
    }

    /// The configurations of the profile, with the overrides of `signer` (`--salt`,
    /// `--sep`, `--derivation`, `--digest`) and `digest` (from the signature length) unless
    /// `--digest` is given. Django's profile checks the default salts of Signer,
    /// TimestampSigner and signing.dumps (one salt when `--salt` is given); Django's cookie
    /// profile needs `--cookie-name` and checks the current and (unless turned off) the
    /// legacy salt.
    ///
    /// # Errors
    /// A usage error for the cookie profile without `--cookie-name`.
    pub(crate) fn configurations(
        self,
        digest: Option<DigestMethod>,
        signer: &SignerArgs,
    ) -> Result<Vec<AuditConfig>, Failure> {
        let digest = signer.digest.or(digest);
        let config = |label: String, builder: SignerBuilder, key_prefix: &'static [u8]| {
            let builder = match digest {
                Some(digest) => builder.digest(digest),
                None => builder,
            };
            AuditConfig {
                label,
                profile: self,
                config: builder,
                key_prefix,
            }
        };
        let one = |builder: SignerBuilder| vec![config(self.name(), signer.apply(builder), b"")];
        Ok(match self {
            Self::Flask => one(Signer::builder()
                .salt(tamperproof::flask::DEFAULT_SALT)
                .key_derivation(KeyDerivation::Hmac)),
            Self::Itsdangerous => one(Signer::builder().salt("itsdangerous")),
            Self::ItsdangerousSigner => one(Signer::builder().salt("itsdangerous.Signer")),
            // JWS uses the key as the HMAC key; `none` is only reachable from `dangerous`.
            Self::Jws => {
                one(Signer::builder().key_derivation(tamperproof::dangerous::no_key_derivation()))
            }
            Self::Starlette => one(Signer::builder().salt(tamperproof::starlette::SIGNER_SALT)),
            Self::DjangoSession => {
                one(django::timestamp_signer_builder().salt(django::SESSION_SALT))
            }
            Self::Django if signer.salt.is_some() => one(django::signer_builder()),
            Self::Django => [
                ("Signer", django::signer_builder()),
                ("TimestampSigner", django::timestamp_signer_builder()),
                (
                    "signing.dumps",
                    django::timestamp_signer_builder().salt(django::SIGNING_SALT),
                ),
            ]
            .into_iter()
            .map(|(what, builder)| {
                config(
                    format!("{} ({what})", self.name()),
                    signer.apply(builder),
                    b"",
                )
            })
            .collect(),
            Self::DjangoCookie => {
                let name = signer
                    .cookie_name
                    .as_deref()
                    .ok_or_else(cookie_name_required)?;
                let salt = signer.salt.as_deref().unwrap_or("");
                let mut salts = vec![(self.name(), django::cookie_salt(name, salt))];
                if signer.legacy_salt_fallback() {
                    salts.push((
                        format!("{} (legacy salt)", self.name()),
                        django::legacy_cookie_salt(name, salt),
                    ));
                }
                // --salt is Django's salt= argument (inside the cookie salt), not the
                // signer's salt: only the digest is taken from the options.
                salts
                    .into_iter()
                    .map(|(label, salt)| {
                        config(
                            label,
                            django::timestamp_signer_builder().salt(salt),
                            django::COOKIE_KEY_PREFIX,
                        )
                    })
                    .collect()
            }
        })
    }

    /// The `--profile` name.
    pub(crate) fn name(self) -> String {
        self.to_possible_value()
            .map(|v| v.get_name().to_owned())
            .unwrap_or_default()
    }
}

/// What a token carries.
#[derive(Debug, Clone)]
pub(crate) enum Payload {
    /// A Signer's raw value.
    Bytes(Vec<u8>),
    /// A serializer's JSON value.
    Json(Value),
    /// A Flask session.
    Session(SessionValue),
    /// A payload that did not decode as the format says (decode only): its bytes.
    Undecodable(Vec<u8>),
}

/// A token opened with or without its key.
#[derive(Debug, Clone)]
pub(crate) struct Opened {
    /// Its format.
    pub(crate) format: Format,
    /// Whether the signature was checked.
    pub(crate) verified: bool,
    /// The payload.
    pub(crate) payload: Payload,
    /// The JWS header.
    pub(crate) header: Option<Value>,
    /// When it was signed (Unix seconds).
    pub(crate) signed_at: Option<i64>,
    /// When it expires (timed JWS `exp`).
    pub(crate) expires_at: Option<i64>,
    /// How the payload was encoded (decode only): raw, base64, base64+zlib.
    pub(crate) encoding: Option<&'static str>,
    /// The signature field.
    pub(crate) signature: String,
}

impl Opened {
    fn new(format: Format, verified: bool, payload: Payload) -> Self {
        Self {
            format,
            verified,
            payload,
            header: None,
            signed_at: None,
            expires_at: None,
            encoding: None,
            signature: String::new(),
        }
    }
}

/// The parts of `value[.ts].sig` split at `sep`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Parts<'a> {
    /// The value (before the timestamp, if any).
    pub(crate) payload: &'a [u8],
    /// The timestamp, decoded.
    pub(crate) timestamp: Option<i64>,
    /// The signature field.
    pub(crate) signature: &'a [u8],
}

/// Splits at the last occurrence of `sep`.
pub(crate) fn rsplit<'a>(bytes: &'a [u8], sep: &[u8]) -> Option<(&'a [u8], &'a [u8])> {
    if sep.is_empty() || sep.len() > bytes.len() {
        return None;
    }
    let at = bytes.windows(sep.len()).rposition(|w| w == sep)?;
    Some((bytes.get(..at)?, bytes.get(at + sep.len()..)?))
}

/// A timestamp field: canonical base64 of at most 8 bytes.
pub(crate) fn timestamp_field(field: &[u8]) -> Option<i64> {
    let bytes = tamperproof::encoding::base64_decode(field).ok()?;
    let n = tamperproof::encoding::bytes_to_int(&bytes).ok()?;
    i64::try_from(n).ok()
}

/// A Django timestamp field: base62 (Django's `b62_decode`), within `i64`.
pub(crate) fn base62_field(field: &[u8]) -> Option<i64> {
    i64::try_from(django::base62::decode(field)?).ok()
}

/// Splits `token` as `value.sig`, or `value.ts.sig` when `timed` (base64 times).
pub(crate) fn split<'a>(token: &'a [u8], sep: &[u8], timed: bool) -> Option<Parts<'a>> {
    split_with(token, sep, timed, timestamp_field)
}

/// Splits `token` as Django's `value:sig`, or `value:ts:sig` when `timed` (base62 times).
pub(crate) fn split_django<'a>(token: &'a [u8], sep: &[u8], timed: bool) -> Option<Parts<'a>> {
    split_with(token, sep, timed, base62_field)
}

fn split_with<'a>(
    token: &'a [u8],
    sep: &[u8],
    timed: bool,
    time: fn(&[u8]) -> Option<i64>,
) -> Option<Parts<'a>> {
    let (message, signature) = rsplit(token, sep)?;
    let (payload, timestamp) = if timed {
        let (payload, field) = rsplit(message, sep)?;
        (payload, Some(time(field)?))
    } else {
        (message, None)
    };
    Some(Parts {
        payload,
        timestamp,
        signature,
    })
}

fn structure_error(format: Format, timed: bool) -> Failure {
    let sep = format.info().sep;
    let shape = if timed {
        format!("value{sep}timestamp{sep}signature")
    } else {
        format!("value{sep}signature")
    };
    Failure::Verify {
        class: "BadSignature",
        message: format!("the token is not a {} token ({shape})", format.info().name),
    }
}

/// Opens `token` WITHOUT checking its signature.
///
/// # Errors
/// A verification failure when the token does not have the format's structure.
pub(crate) fn decode(format: Format, token: &[u8], sep: Option<&[u8]>) -> Result<Opened, Failure> {
    let info = format.info();
    if matches!(format, Format::Jws | Format::TimedJws) {
        return decode_jws(format, token);
    }
    let sep = sep.unwrap_or(info.sep.as_bytes());
    let parts = if format.is_django() {
        split_django(token, sep, info.timed)
    } else {
        split(token, sep, info.timed)
    }
    .ok_or_else(|| structure_error(format, info.timed))?;
    let (payload, encoding) = match format {
        Format::Signer
        | Format::TimestampSigner
        | Format::DjangoSigner
        | Format::DjangoTimestampSigner
        | Format::DjangoCookie => (Payload::Bytes(parts.payload.to_vec()), "raw"),
        Format::Serializer | Format::TimedSerializer => match keyless_json(parts.payload) {
            Some(value) => (Payload::Json(value), "raw"),
            None => (Payload::Undecodable(parts.payload.to_vec()), "raw"),
        },
        Format::Flask => {
            let encoding = url_safe_encoding(parts.payload);
            match tamperproof::flask::dangerous::decode_unverified(token, &KEYLESS_LIMITS) {
                Ok(session) => (Payload::Session(session), encoding),
                Err(_) => (undecodable_url_safe(parts.payload), encoding),
            }
        }
        Format::Starlette => match keyless_standard_payload(parts.payload) {
            Some(bytes) => match keyless_json(&bytes) {
                Some(value) => (Payload::Json(value), "standard base64"),
                None => (Payload::Undecodable(bytes), "standard base64"),
            },
            None => (Payload::Undecodable(parts.payload.to_vec()), "raw"),
        },
        _ => {
            let encoding = url_safe_encoding(parts.payload);
            match keyless_url_safe_payload(parts.payload) {
                Ok(bytes) => match keyless_json(&bytes) {
                    Some(value) => (Payload::Json(value), encoding),
                    None => (Payload::Undecodable(bytes), encoding),
                },
                Err(_) => (Payload::Undecodable(parts.payload.to_vec()), "raw"),
            }
        }
    };
    let mut opened = Opened::new(format, false, payload);
    opened.encoding = Some(encoding);
    opened.signed_at = parts.timestamp;
    opened.signature = String::from_utf8_lossy(parts.signature).into_owned();
    Ok(opened)
}

/// The bytes inside an unverified standard (padded) base64 payload (Starlette's), within
/// [`KEYLESS_LIMITS`]; None when it is not canonical standard base64.
pub(crate) fn keyless_standard_payload(payload: &[u8]) -> Option<Vec<u8>> {
    use base64::Engine as _;
    KEYLESS_LIMITS.check_encoded(payload).ok()?;
    base64::engine::general_purpose::STANDARD
        .decode(payload)
        .ok()
}

fn url_safe_encoding(payload: &[u8]) -> &'static str {
    if payload.first() == Some(&b'.') {
        "base64+zlib"
    } else {
        "base64"
    }
}

/// The bounds of everything decoded without a key: nobody verified these tokens, so base64,
/// zlib and JSON parsing stay within the keyless limits (64 KiB of text, 8192 values, depth
/// 64) whatever the token looks like.
pub(crate) const KEYLESS_LIMITS: KeylessLimits = KeylessLimits::new();

/// The bytes inside an unverified URL-safe payload, within [`KEYLESS_LIMITS`] (the base64
/// length is checked before decoding, inflation stops at the payload limit).
///
/// # Errors
/// `BadPayload` for invalid base64 or zlib, or beyond the limits.
pub(crate) fn keyless_url_safe_payload(payload: &[u8]) -> Result<Vec<u8>, tamperproof::Error> {
    KEYLESS_LIMITS.check_encoded(payload)?;
    tamperproof::url_safe::dangerous::decode_payload(payload, KEYLESS_LIMITS.payload_len_limit())
}

/// Unverified JSON text parsed, or None when it is not JSON or beyond [`KEYLESS_LIMITS`]
/// (then it is shown as bytes, not parsed).
pub(crate) fn keyless_json(text: &[u8]) -> Option<Value> {
    KEYLESS_LIMITS.check_json(text).ok()?;
    python_json::from_slice(text).ok()
}

fn undecodable_url_safe(payload: &[u8]) -> Payload {
    match keyless_url_safe_payload(payload) {
        Ok(bytes) => Payload::Undecodable(bytes),
        Err(_) => Payload::Undecodable(payload.to_vec()),
    }
}

fn decode_jws(format: Format, token: &[u8]) -> Result<Opened, Failure> {
    let (signed, signature) = rsplit(token, b".").ok_or_else(|| structure_error(format, false))?;
    let (payload, header) = tamperproof::jws::dangerous::load_payload::<Value>(signed)?;
    let mut opened = Opened::new(format, false, Payload::Json(payload));
    opened.encoding = Some("base64");
    opened.signature = String::from_utf8_lossy(signature).into_owned();
    jws_dates(&mut opened, &header);
    opened.header = Some(Value::Object(header));
    Ok(opened)
}

fn jws_dates(opened: &mut Opened, header: &Header) {
    let date = |key: &str| header.get(key).and_then(Value::as_f64).map(|x| x as i64);
    opened.signed_at = date("iat");
    opened.expires_at = date("exp");
}

/// Settings for verifying and signing.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Settings<'a> {
    /// The keys, oldest first.
    pub(crate) keys: &'a Keys,
    /// Salt, separator, digest, derivation overrides.
    pub(crate) signer: &'a SignerArgs,
    /// Allow an empty key.
    pub(crate) allow_empty_key: bool,
    /// Maximum age in seconds (timed formats).
    pub(crate) max_age: Option<i64>,
    /// Lifetime of new timed JWS tokens.
    pub(crate) expires_in: Option<u64>,
    /// Compress new django-signing tokens when it saves space (`signing.dumps(compress=True)`).
    pub(crate) compress: bool,
}

impl Settings<'_> {
    fn key_slices(&self) -> impl Iterator<Item = &[u8]> {
        self.keys.iter().map(|k| k.as_slice())
    }

    /// The keys and settings on a signer with the format's default `salt`, through the
    /// parameter mapping the compatibility vectors use.
    fn signer_config(&self, salt: impl AsRef<[u8]>) -> SignerBuilder {
        apply_keys!(
            self.signer.apply(Signer::builder().salt(salt)),
            self.key_slices(),
            self.allow_empty_key
        )
    }

    fn serializer<C: PayloadCodec + Default, S: SigningScheme>(
        &self,
    ) -> Result<SignedSerializer<C, S>, Failure> {
        Ok(SerializerBuilder::<C, S>::with_codec(C::default())
            .signer_config(self.signer_config(tamperproof::serializer::DEFAULT_SALT))
            .build()?)
    }

    /// A JWS builder with the keys, the algorithm (`--digest sha256|sha384`, default HS512)
    /// and the salt.
    fn jws<F: JwsClaims>(
        &self,
        builder: SerializerBuilder<JwsCodec<F>, Signer>,
    ) -> SerializerBuilder<JwsCodec<F>, Signer> {
        let algorithm = match self.signer.digest {
            Some(DigestMethod::Sha256) => JwsAlgorithm::Hs256,
            Some(DigestMethod::Sha384) => JwsAlgorithm::Hs384,
            _ => JwsAlgorithm::Hs512,
        };
        let builder = apply_keys!(builder, self.key_slices(), self.allow_empty_key)
            .map_codec(|codec| codec.with_algorithm(algorithm));
        match &self.signer.salt {
            Some(salt) => builder.salt(salt),
            None => builder,
        }
    }

    fn flask(&self) -> Result<SessionSerializer, Failure> {
        let (secret, fallbacks) = self
            .keys
            .split_last()
            .ok_or_else(|| Failure::Usage("a secret key is required".into()))?;
        let mut builder =
            tamperproof::flask::session_builder().key_ring(KeyRing::secret_key_with_fallbacks(
                secret.as_slice(),
                fallbacks.iter().map(|k| k.as_slice()),
            ));
        if let Some(max_age) = self.max_age {
            builder = builder.max_age(MaxAge::from_secs(max_age));
        }
        if let Some(salt) = &self.signer.salt {
            builder = builder.salt(salt);
        }
        if let Some(digest) = self.signer.digest {
            builder = builder.digest(digest);
        }
        if let Some(derivation) = self.signer.derivation {
            builder = builder.key_derivation(derivation);
        }
        Ok(builder.build()?)
    }
}

/// Verifies `token` as `format`.
///
/// # Errors
/// The library's verification error (exit 1) or a configuration error (exit 2).
pub(crate) fn verify(
    format: Format,
    token: &[u8],
    settings: &Settings<'_>,
) -> Result<Opened, Failure> {
    let max_age = settings.max_age.map(MaxAge::from_secs);
    let mut opened = match format {
        Format::Signer | Format::TimestampSigner => {
            let signer = settings.signer_config(format.info().salt).build()?;
            if format == Format::TimestampSigner {
                let verified =
                    TimestampSigner::from_signer(signer).unsign_with_timestamp(token, max_age)?;
                let mut opened = Opened::new(format, true, Payload::Bytes(verified.value.to_vec()));
                opened.signed_at = i64::try_from(verified.timestamp).ok();
                opened
            } else {
                Opened::new(format, true, Payload::Bytes(signer.unsign(token)?.to_vec()))
            }
        }
        Format::Serializer => json(
            format,
            settings.serializer::<JsonCodec, Signer>()?.loads(token)?,
        ),
        Format::UrlSafe => json(
            format,
            settings
                .serializer::<UrlSafeCodec, Signer>()?
                .loads(token)?,
        ),
        Format::TimedSerializer => {
            let s = settings.serializer::<JsonCodec, TimestampSigner>()?;
            timed(
                format,
                s.loads_with_timestamp::<Value>(token, max_age, None)?,
            )
        }
        Format::UrlSafeTimed => {
            let s = settings.serializer::<UrlSafeCodec, TimestampSigner>()?;
            timed(
                format,
                s.loads_with_timestamp::<Value>(token, max_age, None)?,
            )
        }
        Format::Jws | Format::TimedJws => {
            let (value, header) = if format == Format::Jws {
                settings
                    .jws(JwsSerializer::builder())
                    .build()?
                    .loads_with_header::<Value>(token, None)?
            } else {
                settings
                    .jws(TimedJwsSerializer::builder())
                    .build()?
                    .loads_with_header::<Value>(token, None)?
            };
            let mut opened = Opened::new(format, true, Payload::Json(value));
            jws_dates(&mut opened, &header);
            opened.header = Some(Value::Object(header));
            opened
        }
        Format::Flask => {
            let (session, signed_at) = settings
                .flask()?
                .loads_with_timestamp::<SessionValue>(token, None, None)?;
            let mut opened = Opened::new(format, true, Payload::Session(session));
            opened.signed_at = Some(unix(signed_at));
            opened
        }
        _ => return web::verify(format, token, settings),
    };
    opened.set_signature(token, settings);
    Ok(opened)
}

impl Opened {
    /// Shows the signature field of `token` (after the last separator).
    fn set_signature(&mut self, token: &[u8], settings: &Settings<'_>) {
        let sep = settings
            .signer
            .sep
            .as_deref()
            .unwrap_or(self.format.info().sep);
        if let Some((_, signature)) = rsplit(token, sep.as_bytes()) {
            self.signature = String::from_utf8_lossy(signature).into_owned();
        }
    }
}

fn json(format: Format, value: Value) -> Opened {
    Opened::new(format, true, Payload::Json(value))
}

fn timed(format: Format, (value, signed_at): (Value, std::time::SystemTime)) -> Opened {
    let mut opened = json(format, value);
    opened.signed_at = Some(unix(signed_at));
    opened
}

/// Signs `input` as `format`: raw bytes for the Signer formats, JSON text for the others
/// (Flask's tagged JSON for Flask).
///
/// # Errors
/// A usage error for input that is not JSON (or not a session), a configuration error.
pub(crate) fn sign(
    format: Format,
    input: &[u8],
    settings: &Settings<'_>,
) -> Result<Vec<u8>, Failure> {
    if format.is_django() || format == Format::Starlette {
        return web::sign(format, input, settings);
    }
    if let Format::Signer | Format::TimestampSigner = format {
        let signer = settings.signer_config(format.info().salt).build()?;
        return Ok(if format == Format::TimestampSigner {
            TimestampSigner::from_signer(signer).sign(input)
        } else {
            signer.sign(input)
        });
    }
    let value: Value =
        python_json::from_slice(input).map_err(|e| Failure::Usage(format!("invalid JSON: {e}")))?;
    let token = match format {
        Format::Serializer => settings.serializer::<JsonCodec, Signer>()?.dumps(&value)?,
        Format::TimedSerializer => settings
            .serializer::<JsonCodec, TimestampSigner>()?
            .dumps(&value)?,
        Format::UrlSafe => settings
            .serializer::<UrlSafeCodec, Signer>()?
            .dumps(&value)?,
        Format::UrlSafeTimed => settings
            .serializer::<UrlSafeCodec, TimestampSigner>()?
            .dumps(&value)?,
        Format::Jws => settings
            .jws(JwsSerializer::builder())
            .build()?
            .dumps(&value)?,
        Format::TimedJws => {
            let mut builder = settings.jws(TimedJwsSerializer::builder());
            if let Some(seconds) = settings.expires_in {
                builder = builder.map_codec(|codec| codec.with_expires_in(seconds));
            }
            builder.build()?.dumps(&value)?
        }
        Format::Flask => {
            let session = SessionValue::from_tagged_json(value)
                .map_err(|e| Failure::Usage(format!("invalid session: {e}")))?;
            settings.flask()?.dumps(&session)?
        }
        _ => String::new(),
    };
    Ok(token.into_bytes())
}
