//! The subcommands: each turns its arguments into a [`Report`].

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use clap::CommandFactory;
use python_json::{Value, json};
use tamperproof::KeyAudit;

use crate::audit::Check;

use crate::formats::{self, Format, Opened, Payload, Profile, Settings};
use crate::identify::{self, digest_for_signature};
use crate::input::{read_arg, read_text};
use crate::keys::KeyArgs;
use crate::options::SignerArgs;
use crate::output::{Report, note_line};
use crate::time::{age, iso8601, now};
use crate::wordlist::Wordlist;
use crate::{Cli, Command, Failure, FlaskCommand, pyrepr};

/// What a command returns.
pub(crate) type Outcome = Result<Report, Failure>;

/// The warning every unverified output carries.
pub(crate) const UNVERIFIED: &str = "UNVERIFIED: no key was checked; anyone can write these values";

pub(crate) fn run(command: Command, json: bool, python: bool) -> Outcome {
    match command {
        Command::Sign {
            value,
            kind,
            cookie_name,
            mut keys,
            mut signer,
            timed,
        } => {
            signer.cookie_name = cookie_name;
            let format = match kind {
                Some(kind) => kind,
                None if timed => Format::TimestampSigner,
                None => Format::Signer,
            };
            sign(format, &read_arg(&value)?, &mut keys, &signer, None)
        }
        Command::Unsign {
            token,
            kind,
            mut keys,
            mut signer,
            timed,
            max_age,
        } => {
            signer.cookie_name = token.cookie_name();
            let format = match kind {
                Some(kind) => kind,
                None if timed || max_age.is_some() => Format::TimestampSigner,
                None => Format::Signer,
            };
            verify(
                Some(format),
                &token.read()?,
                &mut keys,
                &signer,
                max_age,
                python,
            )
        }
        Command::Dumps {
            value,
            kind,
            cookie_name,
            mut keys,
            mut signer,
            expires_in,
            compress,
        } => {
            signer.cookie_name = cookie_name;
            sign_with(
                kind,
                read_text(&value)?.as_bytes(),
                &mut keys,
                &signer,
                expires_in,
                compress,
            )
        }
        Command::Loads {
            token,
            kind,
            mut keys,
            mut signer,
            max_age,
        } => {
            signer.cookie_name = token.cookie_name();
            verify(kind, &token.read()?, &mut keys, &signer, max_age, python)
        }
        Command::Decode { token, kind, sep } => {
            decode(kind, &token.read()?, sep.as_deref(), python)
        }
        Command::Identify { token } => identify(&token.read()?),
        Command::Flask(command) => flask(command, python),
        Command::Audit {
            token,
            wordlist,
            profile,
            mut signer,
            threads,
        } => {
            signer.cookie_name = token.cookie_name();
            if token.is_stdin() && wordlist.as_os_str() == "-" {
                return Err(Failure::Usage(
                    "the token and the wordlist cannot both come from standard input".into(),
                ));
            }
            audit(&token.read()?, &wordlist, &profile, &signer, threads, json)
        }
        Command::Completions { shell } => {
            let mut out = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "tamperproof", &mut out);
            Ok(Report::ok().line(String::from_utf8_lossy(&out).trim_end()))
        }
        Command::Man => {
            let mut out = Vec::new();
            man_page(&mut out)
                .map_err(|e| Failure::Usage(format!("cannot render the man page: {e}")))?;
            Ok(Report::ok().line(String::from_utf8_lossy(&out).trim_end()))
        }
    }
}

/// `tamperproof flask decode | verify | sign`: the Flask row of the format table, with
/// Flask's option names.
fn flask(command: FlaskCommand, python: bool) -> Outcome {
    match command {
        FlaskCommand::Decode { token } => decode_as(Format::Flask, &token.read()?, python),
        FlaskCommand::Verify {
            token,
            mut keys,
            max_age,
            salt,
        } => {
            let signer = SignerArgs {
                salt,
                ..SignerArgs::default()
            };
            verify(
                Some(Format::Flask),
                &token.read()?,
                &mut keys,
                &signer,
                max_age,
                python,
            )
        }
        FlaskCommand::Sign {
            session,
            mut keys,
            salt,
        } => {
            let signer = SignerArgs {
                salt,
                ..SignerArgs::default()
            };
            sign(
                Format::Flask,
                read_text(&session)?.as_bytes(),
                &mut keys,
                &signer,
                None,
            )
        }
    }
}

/// The man page: the command's page, then one section per subcommand (nested ones too) with
/// its description, synopsis and options, so every option of `--help` is in it.
fn man_page(out: &mut Vec<u8>) -> std::io::Result<()> {
    let mut command = Cli::command();
    command.build();
    clap_mangen::Man::new(command.clone()).render(out)?;
    let mut pending: Vec<clap::Command> = command.get_subcommands().cloned().collect();
    pending.reverse();
    while let Some(sub) = pending.pop() {
        if sub.get_name() == "help" {
            continue;
        }
        let name = sub
            .get_bin_name()
            .map_or_else(|| sub.get_name().to_owned(), str::to_owned);
        out.extend_from_slice(format!(".SH \"{}\"\n", name.to_uppercase()).as_bytes());
        let man = clap_mangen::Man::new(sub.clone());
        let mut section = Vec::new();
        man.render_description_section(&mut section)?;
        man.render_synopsis_section(&mut section)?;
        man.render_options_section(&mut section)?;
        // The subcommand's own headings become subsections of its section.
        for line in String::from_utf8_lossy(&section).lines() {
            let line = line
                .strip_prefix(".SH ")
                .map_or_else(|| line.to_owned(), |heading| format!(".SS {heading}"));
            out.extend_from_slice(line.as_bytes());
            out.push(b'\n');
        }
        let mut nested: Vec<clap::Command> = sub.get_subcommands().cloned().collect();
        nested.reverse();
        pending.extend(nested);
    }
    Ok(())
}

/// Signs `input` as `format` with the keys of `keys`.
pub(crate) fn sign(
    format: Format,
    input: &[u8],
    keys: &mut KeyArgs,
    signer: &SignerArgs,
    expires_in: Option<u64>,
) -> Outcome {
    sign_with(format, input, keys, signer, expires_in, false)
}

/// [`sign`], compressing django-signing tokens when `compress`.
fn sign_with(
    format: Format,
    input: &[u8],
    keys: &mut KeyArgs,
    signer: &SignerArgs,
    expires_in: Option<u64>,
    compress: bool,
) -> Outcome {
    let key_bytes = keys.take()?;
    let settings = Settings {
        keys: &key_bytes,
        signer,
        allow_empty_key: keys.allow_empty_key,
        max_age: None,
        expires_in,
        compress,
    };
    let token = formats::sign(format, input, &settings)?;
    let text = String::from_utf8_lossy(&token).into_owned();
    let field = match format {
        Format::Flask | Format::DjangoCookie | Format::DjangoSession | Format::Starlette => {
            "cookie"
        }
        _ => "token",
    };
    Ok(Report::ok()
        .bytes_field(field, &token)
        .field("format", format.info().name)
        .line(text))
}

/// The most likely format of `token` from its structure.
fn likely_format(token: &[u8]) -> Result<Format, Failure> {
    identify::identify(token)
        .first()
        .map(|c| c.format)
        .ok_or_else(unknown_format)
}

fn unknown_format() -> Failure {
    Failure::Usage(
        "cannot tell the token's format (`tamperproof identify` explains); give --kind".into(),
    )
}

/// Verifies `token` and reports its value (stdout) and signing time (stderr). Without
/// `kind`, every format the token's structure allows is tried in `identify`'s order (each
/// with its own salt, so one format's token never passes as another's); the first that
/// verifies wins, else the first failure is reported.
pub(crate) fn verify(
    kind: Option<Format>,
    token: &[u8],
    keys: &mut KeyArgs,
    signer: &SignerArgs,
    max_age: Option<i64>,
    python: bool,
) -> Outcome {
    let key_bytes = keys.take()?;
    let settings = Settings {
        keys: &key_bytes,
        signer,
        allow_empty_key: keys.allow_empty_key,
        max_age,
        expires_in: None,
        compress: false,
    };
    let formats: Vec<Format> = match kind {
        Some(kind) => vec![kind],
        None => identify::identify(token).iter().map(|c| c.format).collect(),
    };
    let mut first_failure = None;
    let mut skipped = Vec::new();
    for &format in &formats {
        match formats::verify(format, token, &settings) {
            Ok(opened) => {
                let report = opened_report(&opened, python, false);
                return Ok(if kind.is_none() {
                    report.note(format!(
                        "format: {} (identified from the token; --kind chooses)",
                        format.info().name
                    ))
                } else {
                    report
                });
            }
            // Without --kind, a format that cannot be tried without an option (a Django
            // cookie without its name) does not hide why the others failed.
            Err(Failure::Usage(message)) if kind.is_none() => {
                skipped.push(format!("{} not tried: {message}", format.info().name));
            }
            Err(failure) => {
                first_failure.get_or_insert(failure.with_hint(identify::hint(format, token)));
            }
        }
    }
    let failure = first_failure.unwrap_or_else(|| match skipped.pop() {
        Some(message) => Failure::Usage(message),
        None => unknown_format(),
    });
    Err(match skipped.first() {
        Some(message) => failure.with_hint(Some(format!("hint: {message}"))),
        None => failure,
    })
}

fn decode(kind: Option<Format>, token: &[u8], sep: Option<&str>, python: bool) -> Outcome {
    let format = match (kind, sep) {
        (Some(kind), _) => kind,
        (None, None | Some(".") | Some(":")) => likely_format(token)?,
        // Another separator: itsdangerous Signer structure, timestamp if one decodes.
        (None, Some(sep)) => match formats::split(token, sep.as_bytes(), true) {
            Some(_) => Format::TimestampSigner,
            None if formats::rsplit(token, sep.as_bytes()).is_some() => Format::Signer,
            None => return Err(Failure::Usage("no separator found in the token".into())),
        },
    };
    decode_with(format, token, sep.map(str::as_bytes), python)
}

/// Decodes `token` as `format` WITHOUT verifying it.
pub(crate) fn decode_as(format: Format, token: &[u8], python: bool) -> Outcome {
    decode_with(format, token, None, python)
}

fn decode_with(format: Format, token: &[u8], sep: Option<&[u8]>, python: bool) -> Outcome {
    let opened = formats::decode(format, token, sep)
        .map_err(|f| f.with_hint(identify::hint(format, token)))?;
    Ok(opened_report(&opened, python, true))
}

fn identify(token: &[u8]) -> Outcome {
    let candidates = identify::identify(token);
    if candidates.is_empty() {
        return Err(Failure::NotFound(
            "the token has the structure of no known format".into(),
        ));
    }
    let mut report = Report::ok();
    let mut list = Vec::new();
    for c in &candidates {
        let info = c.format.info();
        report.push_line(format!("{:<23} {} [{}]", info.name, info.python, c.reason));
        list.push(json!({
            "format": info.name,
            "python": info.python,
            "digest": c.digest.map(|d| d.to_string()),
            "reason": c.reason,
            "audit_profile": info.profile.name(),
        }));
    }
    Ok(report.field("formats", list))
}

/// The text and JSON of an opened token. `decode` prints everything on stdout; verifying
/// commands print the value on stdout and the signing time on stderr.
fn opened_report(opened: &Opened, python: bool, decode: bool) -> Report {
    let info = opened.format.info();
    let mut report = Report::ok()
        .field("verified", opened.verified)
        .field("format", info.name);
    let value_key = if decode { "payload" } else { "value" };
    let (json_value, text, label) = match &opened.payload {
        Payload::Json(value) => (
            value.clone(),
            if python {
                pyrepr::json(value)
            } else {
                value.to_string()
            },
            "JSON",
        ),
        Payload::Session(session) => {
            let tagged = session.to_tagged_json();
            let text = if python {
                pyrepr::session(session)
            } else {
                tagged.to_string()
            };
            (tagged, text, "Flask tagged JSON")
        }
        Payload::Bytes(bytes) | Payload::Undecodable(bytes) => {
            report = report.bytes_field(if decode { "payload_text" } else { value_key }, bytes);
            // Django signs text: its values are str in Python.
            let django_text = opened
                .format
                .is_django()
                .then(|| std::str::from_utf8(bytes).ok())
                .flatten();
            let text = if python {
                django_text.map_or_else(|| pyrepr::bytes_repr(bytes), pyrepr::string)
            } else {
                String::from_utf8_lossy(bytes).into_owned()
            };
            (Value::Null, text, "raw")
        }
    };
    if let Payload::Session(_) = opened.payload {
        report.set("session", json_value.clone());
    }
    if matches!(opened.payload, Payload::Json(_) | Payload::Session(_)) || decode {
        report.set(value_key, json_value);
    }
    if python {
        report.set("python", text.clone());
    }
    if decode {
        report = report
            .field("warning", UNVERIFIED)
            .field("signature", opened.signature.clone())
            .line(UNVERIFIED)
            .line(format!("format: {} ({})", info.name, info.python));
        if let Some(encoding) = opened.encoding {
            report.set("payload_encoding", encoding);
        }
    }
    if let Some(header) = &opened.header {
        report.set("header", header.clone());
        if decode {
            report.push_line(format!("header: {header}"));
        }
    }
    if decode {
        let label = if python { "Python" } else { label };
        let encoding = opened.encoding.unwrap_or("raw");
        report.push_line(format!("payload ({encoding}, {label}): {text}"));
    } else {
        report.push_line(&text);
    }
    let current = now();
    let mut times = Vec::new();
    if let Some(ts) = opened.signed_at {
        report.set("timestamp", ts);
        report.set("signed_at", iso8601(ts));
        report.set("age_seconds", current.saturating_sub(ts));
        times.push(format!(
            "signed at: {} ({ts}), age {}",
            iso8601(ts),
            age(current.saturating_sub(ts))
        ));
    }
    if let Some(exp) = opened.expires_at {
        report.set("expires_at", iso8601(exp));
        report.set("exp", exp);
        let state = if exp < current { "expired" } else { "valid" };
        times.push(format!("expires at: {} ({exp}, {state})", iso8601(exp)));
    }
    for line in times {
        report = if decode {
            report.line(line)
        } else {
            report.note(line)
        };
    }
    if decode {
        report.push_line(format!("signature: {}", opened.signature));
    }
    report
}

/// A key for display: text when printable UTF-8, else a Python bytes literal.
fn display_key(key: &[u8]) -> String {
    match std::str::from_utf8(key) {
        Ok(text) if !text.chars().any(char::is_control) => text.to_owned(),
        _ => pyrepr::bytes_repr(key),
    }
}

/// One configuration of the audit: its label, its profile and the prepared token.
type Planned = (String, Profile, Check);

/// The configurations to try: those of the given profiles, or of every profile of every
/// format the token may be (a profile that cannot apply, e.g. Django's cookie profile
/// without `--cookie-name`, is skipped with a note then).
fn audit_plan(
    token: &[u8],
    profiles: &[Profile],
    signer: &SignerArgs,
) -> Result<Vec<Planned>, Failure> {
    let auto = profiles.is_empty();
    let mut wanted: Vec<(Profile, Option<tamperproof::DigestMethod>)> = Vec::new();
    if auto {
        for candidate in identify::identify(token) {
            let entry = (candidate.format.info().profile, candidate.digest);
            if !wanted.contains(&entry) {
                wanted.push(entry);
            }
        }
        if wanted.is_empty() {
            return Err(Failure::Usage(
                "cannot tell the token's format (`tamperproof identify` explains); give --profile"
                    .into(),
            ));
        }
    } else {
        for &profile in profiles {
            let sep = signer.sep.as_deref().unwrap_or(profile.sep());
            let digest = formats::rsplit(token, sep.as_bytes())
                .and_then(|(_, sig)| digest_for_signature(sig));
            if !wanted.iter().any(|(p, _)| *p == profile) {
                wanted.push((profile, digest));
            }
        }
    }
    let mut plan = Vec::new();
    let mut first_failure = None;
    for (profile, digest) in wanted {
        let configs = match profile.configurations(digest, signer) {
            Ok(configs) => configs,
            Err(failure) if auto => {
                note_line(&format!(
                    "profile {} skipped: give --cookie-name NAME to audit Django signed cookies",
                    profile.name()
                ));
                first_failure.get_or_insert(failure);
                continue;
            }
            Err(failure) => return Err(failure),
        };
        for config in configs {
            match KeyAudit::new(&config.config, token) {
                Ok(audit) => plan.push((
                    config.label,
                    config.profile,
                    Check {
                        audit,
                        key_prefix: config.key_prefix,
                    },
                )),
                Err(e) => {
                    note_line(&format!("profile {} skipped: {e}", config.label));
                    first_failure.get_or_insert(e.into());
                }
            }
        }
    }
    match (plan.is_empty(), first_failure) {
        (true, Some(failure)) => Err(failure),
        _ => Ok(plan),
    }
}

/// At most this many worker threads per core.
const THREADS_PER_CORE: usize = 4;

fn audit(
    token: &[u8],
    wordlist: &Path,
    profiles: &[Profile],
    signer: &SignerArgs,
    threads: Option<usize>,
    json: bool,
) -> Outcome {
    let plan = audit_plan(token, profiles, signer)?;
    let names: Vec<String> = plan.iter().map(|(label, _, _)| label.clone()).collect();
    let profile_names: Vec<String> = plan.iter().map(|(_, p, _)| p.name()).collect();
    let audits: Vec<Check> = plan.into_iter().map(|(_, _, check)| check).collect();
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let limit = cores * THREADS_PER_CORE;
    let threads = match threads {
        None => cores,
        Some(0) => return Err(Failure::Usage("--threads must be at least 1".into())),
        Some(n) if n > limit => {
            note_line(&format!(
                "--threads {n} capped to {limit} ({THREADS_PER_CORE} per core)"
            ));
            limit
        }
        Some(n) => n,
    };
    let interrupted = Arc::new(AtomicBool::new(false));
    // Installed before the wordlist is opened (opening reads from it). Without the handler
    // SIGINT still stops the audit, only without the summary.
    let handler =
        signal_hook::flag::register(signal_hook::consts::SIGINT, Arc::clone(&interrupted));
    let result = Wordlist::open(wordlist)
        .map_err(|e| {
            Failure::Usage(format!(
                "cannot open the wordlist {}: {e}",
                wordlist.display()
            ))
        })
        .map(|list| crate::audit::run(&audits, list, threads, !json, &interrupted));
    if let Ok(id) = handler {
        signal_hook::low_level::unregister(id);
    }
    let result = result?;
    let result = result.map_err(|e| match e {
        crate::audit::AuditError::Read(e) => {
            Failure::Usage(format!("cannot read the wordlist: {e}"))
        }
        crate::audit::AuditError::Spawn(e) => {
            Failure::Usage(format!("cannot start the audit threads: {e}"))
        }
    })?;
    let seconds = result.elapsed.as_secs_f64();
    let rate = result.tried as f64 / seconds.max(1e-9);
    note_line(&format!(
        "tried {} keys in {seconds:.3} s ({rate:.0} keys/s, {} threads, profiles: {})",
        result.tried,
        result.threads,
        names.join(", ")
    ));
    if result.interrupted {
        return Err(Failure::Interrupted(format!(
            "stopped by SIGINT after {} keys",
            result.tried
        )));
    }
    let Some((key, index)) = &result.found else {
        return Err(Failure::NotFound(format!(
            "no key matched ({} candidates)",
            result.tried
        )));
    };
    let label = names.get(*index).cloned().unwrap_or_default();
    let profile = profile_names.get(*index).cloned().unwrap_or_default();
    let mut report = Report::ok()
        .field("found", true)
        .field("key", display_key(key))
        .field("key_hex", hex::encode(key.as_slice()))
        .field("profile", profile)
        .field("configuration", label.clone())
        .field("tried", result.tried)
        .field("seconds", seconds)
        .field("keys_per_second", rate)
        .field("threads", result.threads)
        .field("profiles", names.clone())
        .line(format!("found key: {}", display_key(key)));
    if names.len() > 1 {
        report = report.note(format!("profile: {label}"));
    }
    Ok(report)
}
