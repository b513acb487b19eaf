//! The performance targets, judged on one run's numbers: met, not met, or not measured, with
//! the ratios behind each verdict.

use std::fmt::Write as _;

use super::collect::Results;
use super::rows::{Row, serializer_rows, signer_rows, timestamp_rows};

/// Writes one line per target.
pub(super) fn targets(out: &mut String, results: &Results) {
    floor_target(out, results);
    let checks: [(&str, &[Ratio<'_>]); 9] = [
        (
            "100 B Signer at about 15× Python (counted as met at ≥ 15×)",
            &[
                python("signer/sha1/sign/100", 15.0),
                python("signer/sha1/unsign/100", 15.0),
            ],
        ),
        (
            "URL-safe timed dumps of a small dict ≥ 10× Python and no slower than the discord \
             crate (which never tries to compress)",
            &[
                python("url_safe_timed/dumps/small", 10.0),
                python("url_safe_timed/dumps/reset", 10.0),
                discord("url_safe_timed/dumps/small", 1.0),
                discord("url_safe_timed/dumps/reset", 1.0),
            ],
        ),
        (
            "URL-safe timed loads of a small dict ≥ 25× Python and ≥ 2× the discord crate",
            &[
                python("url_safe_timed/loads_max_age/small", 25.0),
                python("url_safe_timed/loads_max_age/reset", 25.0),
                discord("url_safe_timed/loads_max_age/small", 2.0),
                discord("url_safe_timed/loads_max_age/reset", 2.0),
            ],
        ),
        (
            "4 KiB compressible value: URL-safe timed dumps ≥ 4× Python",
            &[python("url_safe_timed/dumps/4k", 4.0)],
        ),
        (
            "4 KiB compressible value: URL-safe timed loads ≥ 10× Python",
            &[python("url_safe_timed/loads_max_age/4k", 10.0)],
        ),
        (
            "Flask cookie verify ≥ 20× Flask",
            &[
                python("flask/verify/session", 20.0),
                python("flask/verify/login_cart", 20.0),
            ],
        ),
        (
            "Flask cookie dumps ≥ 10× Flask",
            &[
                python("flask/dumps/session", 10.0),
                python("flask/dumps/login_cart", 10.0),
            ],
        ),
        (
            "Django and Starlette session loads ≥ 10× Python",
            &[
                python("django/session/loads", 10.0),
                python("starlette/session/loads", 10.0),
            ],
        ),
        (
            "Django and Starlette session dumps ≥ 5× Python",
            &[
                python("django/session/dumps", 5.0),
                python("starlette/session/dumps", 5.0),
            ],
        ),
    ];
    for (what, parts) in checks {
        let found: Vec<(String, f64, f64)> = parts
            .iter()
            .filter_map(|(name, other, at_least)| {
                let factor = factor(results, name, *other)?;
                Some((format!("{} {name}", other.label()), factor, *at_least))
            })
            .collect();
        // Not measured when any number is missing.
        let met = (found.len() == parts.len()).then(|| found.iter().all(|(_, f, min)| f >= min));
        let detail = found
            .iter()
            .map(|(name, f, _)| format!("{name} {f:.2}×"))
            .collect::<Vec<_>>()
            .join(", ");
        target(out, met, what, &format!("{detail}."));
    }
    discord_target(out, results);
}

/// Our benchmark, what it is compared with, and the factor it must reach.
type Ratio<'a> = (&'a str, Other, f64);

/// `name` at least `at_least` times faster than Python.
const fn python(name: &str, at_least: f64) -> Ratio<'_> {
    (name, Other::Python, at_least)
}

/// `name` at least `at_least` times faster than the discord crate.
const fn discord(name: &str, at_least: f64) -> Ratio<'_> {
    (name, Other::Discord, at_least)
}

/// What a ratio compares tamperproof with.
#[derive(Clone, Copy)]
enum Other {
    Python,
    Discord,
}

impl Other {
    fn label(self) -> &'static str {
        match self {
            Self::Python => "Python ÷",
            Self::Discord => "discord ÷",
        }
    }
}

/// `other / ours` for our benchmark `name`: above 1 means tamperproof is faster.
fn factor(results: &Results, name: &str, other: Other) -> Option<f64> {
    let ours = results.criterion.get(name).copied()?;
    let theirs = match other {
        Other::Python => results.python.get(name).copied()?,
        Other::Discord => results.criterion.get(&format!("discord/{name}")).copied()?,
    };
    (ours > 0.0 && theirs > 0.0).then(|| theirs / ours)
}

/// A target line: met or not, with the numbers behind it.
fn target(out: &mut String, met: Option<bool>, what: &str, detail: &str) {
    let verdict = match met {
        Some(true) => "**met**",
        Some(false) => "**not met**",
        None => "**not measured**",
    };
    let _ = writeln!(out, "- {verdict}: {what}. {detail}");
}

/// `(name, factor)` of each row where both numbers exist; `factor = other / ours` (or
/// `ours / other` with `inverse`).
fn factors(
    results: &Results,
    pairs: &[(String, Option<f64>)],
    inverse: bool,
) -> Vec<(String, f64)> {
    pairs
        .iter()
        .filter_map(|(ours, other)| {
            let mine = results.criterion.get(ours).copied()?;
            let other = (*other)?;
            (mine > 0.0 && other > 0.0).then(|| {
                (
                    ours.clone(),
                    if inverse { mine / other } else { other / mine },
                )
            })
        })
        .collect()
}

fn describe(factors: &[(String, f64)], precision: usize) -> String {
    factors
        .iter()
        .map(|(name, f)| format!("`{name}` {f:.precision$}×"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Signer sign/unsign within 1.3× of the precomputed-key HMAC floor.
fn floor_target(out: &mut String, results: &Results) {
    let floor_pairs: Vec<_> = signer_rows()
        .into_iter()
        .map(|row| {
            let floor = row
                .floor
                .as_ref()
                .and_then(|f| results.criterion.get(f).copied());
            (row.ours, floor)
        })
        .collect();
    let floor = factors(results, &floor_pairs, true);
    let worst = floor
        .iter()
        .map(|(_, f)| *f)
        .fold(None, |acc: Option<f64>, f| {
            Some(acc.map_or(f, |a| a.max(f)))
        });
    let over: Vec<_> = floor.iter().filter(|(_, f)| *f > 1.3).cloned().collect();
    target(
        out,
        worst.map(|w| w <= 1.3),
        "Signer sign and unsign within 1.3× of the floor (precomputed-key HMAC + base64 of the \
         tag), 16 B / 100 B / 4 KiB, SHA-1 and SHA-256",
        &match worst {
            None => String::new(),
            Some(w) if over.is_empty() => format!("Worst ratio {w:.2}×."),
            Some(w) => format!("Worst {w:.2}×; over 1.3×: {}.", describe(&over, 2)),
        },
    );
}

/// ≥ 2× the discord crate on every operation it supports.
fn discord_target(out: &mut String, results: &Results) {
    let discord_pairs: Vec<_> = signer_rows()
        .into_iter()
        .chain(timestamp_rows())
        .chain(serializer_rows())
        .filter_map(|row: Row| {
            let discord = row.discord.as_ref()?;
            Some((row.ours, results.criterion.get(discord).copied()))
        })
        .collect();
    let discord = factors(results, &discord_pairs, false);
    let (under, rest): (Vec<_>, Vec<_>) = discord.iter().cloned().partition(|(_, f)| *f < 2.0);
    let met = (!discord.is_empty()).then_some(under.is_empty());
    let detail = if under.is_empty() {
        format!("{}.", describe(&discord, 2))
    } else {
        format!(
            "Under 2×: {}; the rest: {}.",
            describe(&under, 2),
            describe(&rest, 2)
        )
    };
    target(
        out,
        met,
        "≥ 2× the discord `itsdangerous` 0.4.1 crate on every operation it supports",
        &detail,
    );
}
