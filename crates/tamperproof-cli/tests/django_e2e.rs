//! Every Django and Starlette kind of the CLI against the real packages (Django 5.2 and
//! Starlette in `target/venv/django`, driven by tests/fixtures/django_starlette.py): tokens
//! minted by Django / Starlette are identified, decoded, verified (and rejected with a wrong
//! key or when tampered), their keys found by `audit`; tokens the CLI signs are accepted by
//! `signing.loads`, `get_signed_cookie`, the session backend and Starlette's middleware.
//!
//! Without the venv the tests fail with how to set it up, unless `TAMPERPROOF_NO_PYTHON=1`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::print_stderr
)]

use serde_json::{Value, json};

mod common;

use common::{json_lines, stderr, stdout, tamperproof, wordlist, workspace_root};

const KEY: &str = "django-insecure-7#k!sec";
const OLD: &str = "old-rotated-key";
const NEW: &str = "new-secret-key";

/// Sends requests to the fixture; `None` only when the opt-out is set.
fn python(requests: &[Value]) -> Option<Vec<Value>> {
    let script = workspace_root().join("crates/tamperproof-cli/tests/fixtures/django_starlette.py");
    json_lines("django", &script, "Django/Starlette", requests, |line| {
        serde_json::from_str(line).unwrap()
    })
}

/// One format: the fixture's kind, the CLI's kind, the value, the CLI options it needs.
struct Case {
    mint: &'static str,
    kind: &'static str,
    value: Value,
    cookie_name: Option<&'static str>,
    salt: Option<&'static str>,
    timed: bool,
}

impl Case {
    fn request(&self, op: &str, keys: &[&str]) -> Value {
        let mut request = json!({"op": op, "keys": keys, "kind": self.mint, "value": self.value});
        if let Some(name) = self.cookie_name {
            request["cookie_name"] = json!(name);
        }
        if let Some(salt) = self.salt {
            request["salt"] = json!(salt);
        }
        request
    }

    fn check(&self, keys: &[&str], token: &str) -> Value {
        let mut request = self.request("check", keys);
        request["kind"] = json!(self.kind);
        request["token"] = json!(token);
        request
    }

    /// The CLI options of the case (cookie name and salt).
    fn options(&self) -> Vec<&'static str> {
        let mut args = Vec::new();
        if let Some(name) = self.cookie_name {
            args.extend(["--cookie-name", name]);
        }
        if let Some(salt) = self.salt {
            args.extend(["--salt", salt]);
        }
        args
    }

    /// The value as the CLI's `--json` shows it: JSON, or the text of a signed string
    /// (`payload_text` in decode's report).
    fn shown(&self, report: &Value, field: &str) -> Value {
        match (&self.value, field) {
            (Value::String(_), "payload") => report["payload_text"].clone(),
            _ => report[field].clone(),
        }
    }
}

fn cases() -> Vec<Case> {
    let case = |mint, kind, value, timed| Case {
        mint,
        kind,
        value,
        cookie_name: None,
        salt: None,
        timed,
    };
    vec![
        case(
            "django-signer",
            "django-signer",
            json!("hello:world"),
            false,
        ),
        case(
            "django-timestamp-signer",
            "django-timestamp-signer",
            json!("h\u{e9}llo"),
            true,
        ),
        case(
            "django-signing",
            "django-signing",
            json!([1, "\u{fc}n\u{ef}", {"user": 42}]),
            true,
        ),
        case(
            "django-signing-compressed",
            "django-signing",
            json!({"user": "x".repeat(100)}),
            true,
        ),
        Case {
            cookie_name: Some("theme"),
            ..case("django-cookie", "django-cookie", json!("dark"), true)
        },
        Case {
            cookie_name: Some("prefs"),
            salt: Some("sa\u{ef}t"),
            ..case("django-cookie", "django-cookie", json!("lang=fr:x"), true)
        },
        case(
            "django-session",
            "django-session",
            json!({
                "_auth_user_id": "1",
                "_auth_user_backend": "django.contrib.auth.backends.ModelBackend",
                "cart": [1, 2]
            }),
            true,
        ),
        case(
            "starlette",
            "starlette",
            json!({"user": 42, "cart": [1, 2], "name": "\u{fc}"}),
            true,
        ),
    ]
}

fn json_out(args: &[&str]) -> (Option<i32>, Value, String) {
    let mut full = vec!["--json"];
    full.extend_from_slice(args);
    let out = tamperproof(&full);
    let report = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (out.status.code(), report, stderr(&out))
}

/// Flips one character of the payload (the first one), keeping the structure.
fn tampered(token: &str) -> String {
    let mut bytes = token.as_bytes().to_vec();
    let at = usize::from(bytes[0] == b'.');
    bytes[at] = if bytes[at] == b'A' { b'B' } else { b'A' };
    String::from_utf8(bytes).unwrap()
}

#[test]
fn tokens_minted_by_django_and_starlette_are_identified_decoded_and_verified() {
    let cases = cases();
    let mint: Vec<Value> = cases.iter().map(|c| c.request("mint", &[KEY])).collect();
    let Some(minted) = python(&mint) else {
        return;
    };
    let tokens: Vec<String> = minted
        .iter()
        .map(|m| m["token"].as_str().unwrap().to_owned())
        .collect();
    let checks: Vec<Value> = cases
        .iter()
        .zip(&tokens)
        .map(|(c, t)| c.check(&[KEY], t))
        .collect();
    let expected = python(&checks).unwrap();
    for ((case, token), python) in cases.iter().zip(&tokens).zip(&expected) {
        let value = &python["value"];
        assert!(
            !value.is_null(),
            "{}: Python rejects its own token",
            case.kind
        );
        let kind = case.kind;

        // identify names the format (the cookie after Django's TimestampSigner: the same
        // structure).
        let out = tamperproof(&["identify", token]);
        assert_eq!(out.status.code(), Some(0), "{kind}");
        let names: Vec<String> = stdout(&out)
            .lines()
            .map(|l| l.split_whitespace().next().unwrap_or("").to_owned())
            .collect();
        assert!(names.contains(&kind.to_owned()), "{kind}: {names:?}");
        if !matches!(kind, "django-cookie" | "django-signing") {
            assert_eq!(names[0], kind, "{kind} ranked first");
        }
        eprintln!("identify {token}\n{}", stdout(&out));

        // decode, without a key and without --kind: the payload and the signing time.
        let (code, report, err) = json_out(&["decode", "--kind", kind, token]);
        assert_eq!(code, Some(0), "{kind}: {err}");
        assert_eq!(case.shown(&report, "payload"), *value, "{kind} decode");
        assert_eq!(report["verified"], json!(false));
        assert_eq!(report["signed_at"].is_string(), case.timed, "{kind}");
        let out = tamperproof(&["decode", token]);
        assert_eq!(out.status.code(), Some(0), "{kind}");
        assert!(stdout(&out).starts_with("UNVERIFIED"), "{kind}");

        // verify with the right key: the value, the signing time (ISO 8601) and its age.
        let mut args = vec!["loads", "--kind", kind, "--key", KEY];
        args.extend(case.options());
        args.push(token);
        let (code, report, err) = json_out(&args);
        assert_eq!(code, Some(0), "{kind}: {err}");
        assert_eq!(case.shown(&report, "value"), *value, "{kind} loads");
        assert_eq!(report["verified"], json!(true));
        if case.timed {
            let signed_at = report["signed_at"].as_str().unwrap();
            assert!(
                signed_at.ends_with('Z') && signed_at.len() == 20,
                "{signed_at}"
            );
            assert!(report["age_seconds"].as_i64().unwrap() < 600, "{kind}");
        }
        // Text mode: the value on stdout, the signing time on stderr; --python as repr().
        let mut python_args = vec!["--python"];
        python_args.extend_from_slice(&args);
        let out = tamperproof(&python_args);
        assert_eq!(
            stdout(&out),
            python["repr"].as_str().unwrap(),
            "{kind} --python"
        );
        if case.timed {
            assert!(stderr(&out).contains("signed at: "), "{kind}");
        }

        // Without --kind the format is identified and every plausible one tried.
        let mut auto = vec!["loads", "--key", KEY];
        auto.extend(case.options());
        auto.push(token);
        let (code, report, err) = json_out(&auto);
        assert_eq!(code, Some(0), "{kind} without --kind: {err}");
        assert_eq!(report["format"], json!(kind));

        // Rotation: the key as a fallback of a newer one still verifies.
        let mut rotated = vec!["loads", "--kind", kind, "--key", KEY, "--key", NEW];
        rotated.extend(case.options());
        rotated.push(token);
        assert_eq!(tamperproof(&rotated).status.code(), Some(0), "{kind}");

        // A wrong key, a tampered token: exit 1.
        let mut wrong = vec!["loads", "--kind", kind, "--key", NEW];
        wrong.extend(case.options());
        wrong.push(token);
        let out = tamperproof(&wrong);
        assert_eq!(out.status.code(), Some(1), "{kind} wrong key");
        // itsdangerous' TimestampSigner (Starlette's) says BadTimeSignature, a BadSignature.
        let err = stderr(&out);
        assert!(
            err.starts_with("BadSignature: ") || err.starts_with("BadTimeSignature: "),
            "{err}"
        );
        let bad = tampered(token);
        let mut tamper = vec!["loads", "--kind", kind, "--key", KEY];
        tamper.extend(case.options());
        tamper.push(&bad);
        assert_eq!(
            tamperproof(&tamper).status.code(),
            Some(1),
            "{kind} tampered"
        );
    }
}

#[test]
fn tokens_signed_by_the_cli_are_accepted_by_django_and_starlette() {
    let cases = cases();
    let mut requests = Vec::new();
    let mut compressed = Vec::new();
    for case in &cases {
        let input = match &case.value {
            Value::String(text) => text.clone(),
            other => other.to_string(),
        };
        // Rotation: OLD then NEW, NEW (SECRET_KEY) signs.
        let mut args = vec!["dumps", "--kind", case.kind, "--key", OLD, "--key", NEW];
        if case.mint == "django-signing-compressed" {
            args.push("--compress");
        }
        args.extend(case.options());
        args.push(&input);
        let out = tamperproof(&args);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}: {}",
            case.kind,
            stderr(&out)
        );
        let token = stdout(&out);
        compressed.push(token.starts_with('.'));
        requests.push(case.check(&[OLD, NEW], &token));
        requests.push(case.check(&[NEW], &token));
        requests.push(case.check(&[OLD], &token));
    }
    let Some(answers) = python(&requests) else {
        return;
    };
    for (i, case) in cases.iter().enumerate() {
        let kind = case.kind;
        let answer = |n: usize| &answers[3 * i + n];
        assert_eq!(answer(0)["value"], case.value, "{kind}: {:?}", answer(0));
        assert_eq!(answer(1)["value"], case.value, "{kind} newest key");
        assert!(answer(2)["error"].is_string(), "{kind} signed by OLD?");
        assert_eq!(
            compressed[i],
            matches!(case.mint, "django-signing-compressed" | "django-session"),
            "{kind} compression"
        );
    }
    // `sign --kind` and `sign`'s value argument: a Django Signer token.
    let out = tamperproof(&["sign", "--kind", "django-signer", "--key", KEY, "v:1"]);
    assert_eq!(out.status.code(), Some(0));
    let signer = &cases[0];
    let answer = python(&[signer.check(&[KEY], &stdout(&out))]).unwrap();
    assert_eq!(answer[0]["value"], json!("v:1"));
}

#[test]
fn audit_finds_the_keys_of_real_django_and_starlette_cookies() {
    let cases = cases();
    let mint: Vec<Value> = cases.iter().map(|c| c.request("mint", &[KEY])).collect();
    let Some(minted) = python(&mint) else {
        return;
    };
    let list = wordlist(&[b"secret", b"changeme", KEY.as_bytes(), b"django-insecure"]);
    for (case, minted) in cases.iter().zip(&minted) {
        let token = minted["token"].as_str().unwrap();
        let kind = case.kind;
        let profile = match kind {
            "django-signer" | "django-timestamp-signer" | "django-signing" => "django",
            other => other,
        };
        for with_profile in [false, true] {
            let mut args = vec!["audit", token, "--wordlist", list.as_str()];
            if with_profile {
                args.extend(["--profile", profile]);
            }
            args.extend(case.options());
            let (code, report, err) = json_out(&args);
            assert_eq!(code, Some(0), "{kind} {with_profile}: {err}");
            assert_eq!(report["key"], json!(KEY), "{kind}");
            assert_eq!(report["profile"], json!(profile), "{kind}");
        }
    }
    // Django's cookie profile cannot run without the cookie's name.
    let cookie = minted[4]["token"].as_str().unwrap();
    let out = tamperproof(&[
        "audit",
        cookie,
        "--profile",
        "django-cookie",
        "--wordlist",
        list.as_str(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--cookie-name"), "{}", stderr(&out));
}

#[test]
fn a_wrong_kind_names_the_django_or_starlette_kind() {
    let cases = cases();
    let Some(minted) = python(&[
        cases[6].request("mint", &[KEY]),
        cases[7].request("mint", &[KEY]),
    ]) else {
        return;
    };
    for (minted, kind) in minted.iter().zip(["django-session", "starlette"]) {
        let token = minted["token"].as_str().unwrap();
        let out = tamperproof(&["loads", "--kind", "flask", "--key", KEY, token]);
        assert_eq!(out.status.code(), Some(1));
        assert!(
            stderr(&out).contains(&format!("did you mean --kind {kind}")),
            "{}",
            stderr(&out)
        );
    }
    // A Django cookie without --cookie-name: a usage error that says what is missing.
    let Some(cookie) = python(&[cases[4].request("mint", &[KEY])]) else {
        return;
    };
    let token = cookie[0]["token"].as_str().unwrap();
    let out = tamperproof(&["loads", "--kind", "django-cookie", "--key", KEY, token]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("--cookie-name NAME"),
        "{}",
        stderr(&out)
    );
    // Without --kind the other Django formats fail (exit 1) and the hint says why the
    // cookie was not tried.
    let out = tamperproof(&["loads", "--key", KEY, token]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("django-cookie not tried") && stderr(&out).contains("--cookie-name"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn django_digests_follow_the_algorithm_and_the_signature_length() {
    let list = wordlist(&[b"nope", KEY.as_bytes()]);
    let algorithms = ["sha1", "sha224", "sha384", "sha512"];
    let mint: Vec<Value> = algorithms
        .iter()
        .map(|a| json!({"op": "mint", "keys": [KEY], "kind": "django-timestamp-signer", "value": "v", "algorithm": a}))
        .collect();
    let Some(minted) = python(&mint) else {
        return;
    };
    let mut checks = Vec::new();
    for (algorithm, minted) in algorithms.iter().zip(&minted) {
        let token = minted["token"].as_str().unwrap();
        // identify names the digest, audit takes it from the signature length.
        let (code, report, _) = json_out(&["identify", token]);
        assert_eq!(code, Some(0));
        assert_eq!(report["formats"][0]["digest"], json!(algorithm));
        let (code, report, err) = json_out(&["audit", token, "--wordlist", list.as_str()]);
        assert_eq!(code, Some(0), "{algorithm}: {err}");
        assert_eq!(report["key"], json!(KEY));
        // --digest chooses Django's algorithm to verify and to sign.
        let args = [
            "loads",
            "--kind",
            "django-timestamp-signer",
            "--key",
            KEY,
            "--digest",
        ];
        let mut verify = args.to_vec();
        verify.extend([*algorithm, token]);
        assert_eq!(tamperproof(&verify).status.code(), Some(0), "{algorithm}");
        let out = tamperproof(&[
            "sign",
            "--kind",
            "django-timestamp-signer",
            "--digest",
            algorithm,
            "--key",
            KEY,
            "w",
        ]);
        assert_eq!(out.status.code(), Some(0));
        checks.push(
            json!({"op": "check", "keys": [KEY], "kind": "django-timestamp-signer",
            "token": stdout(&out), "algorithm": algorithm}),
        );
    }
    for answer in python(&checks).unwrap() {
        assert_eq!(answer["value"], json!("w"), "{answer}");
    }
}

#[test]
fn a_cookie_with_the_legacy_salt_follows_the_legacy_fallback() {
    let legacy = Case {
        cookie_name: Some("theme"),
        salt: Some("s"),
        ..Case {
            mint: "django-cookie-legacy",
            kind: "django-cookie",
            value: json!("dark"),
            cookie_name: None,
            salt: None,
            timed: true,
        }
    };
    let Some(minted) = python(&[legacy.request("mint", &[KEY])]) else {
        return;
    };
    let token = minted[0]["token"].as_str().unwrap();
    // Django 5.2 accepts it (SIGNED_COOKIE_LEGACY_SALT_FALLBACK is on by default).
    let django = python(&[legacy.check(&[KEY], token)]).unwrap();
    assert_eq!(django[0]["value"], json!("dark"));
    let mut args = vec!["loads", "--kind", "django-cookie", "--key", KEY];
    args.extend(legacy.options());
    let mut accepted = args.clone();
    accepted.push(token);
    let out = tamperproof(&accepted);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), "dark");
    let mut refused = args;
    refused.extend(["--legacy-salt-fallback", "false", token]);
    assert_eq!(tamperproof(&refused).status.code(), Some(1));
    // The audit checks both salts in its one pass.
    let list = wordlist(&[b"x", KEY.as_bytes()]);
    let mut audit = vec!["audit", token, "--wordlist", list.as_str()];
    audit.extend(legacy.options());
    let (code, report, err) = json_out(&audit);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(
        report["configuration"],
        json!("django-cookie (legacy salt)")
    );
    audit.extend(["--legacy-salt-fallback", "false"]);
    assert_eq!(tamperproof(&audit).status.code(), Some(1));
}
