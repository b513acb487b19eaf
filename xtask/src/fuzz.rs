//! `cargo xtask fuzz [--seconds N] [--target NAME] [--seed-only] [--write-seeds]`: seeds the
//! corpora of `fuzz/` from `vectors/*.json`, builds the targets with `cargo +nightly fuzz
//! build` and runs each (or one) for N seconds (default 60) under libFuzzer with memory limits
//! low enough that an unbounded allocation is a crash. Prints executions and crashes per
//! target and fails on any crash.
//!
//! - `--seed-only` writes the corpora and stops (no nightly needed).
//! - `--write-seeds` also rewrites the committed `fuzz/corpus/<target>/seed-*` files (at most
//!   [`MAX_SEEDS`] per target); every other corpus file is git-ignored.
//!
//! Targets are whatever `fuzz/Cargo.toml` declares (`cargo fuzz list`); [`SEED_KINDS`] says
//! which vector kinds seed each one. A target missing from it only gets its committed seeds.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};

use python_json::Value;
use tamperproof_vectors::vector_file::{VectorFile, bytes_from_json};

use crate::{display_path, project_root};

/// Seconds per target when `--seconds` is not given.
const DEFAULT_SECONDS: u64 = 60;

/// libFuzzer options: 512 MiB resident and 256 MiB per allocation. The decompression bound is
/// 1 MiB, so anything near these limits is a bug.
const LIMITS: [&str; 3] = [
    "-rss_limit_mb=512",
    "-malloc_limit_mb=256",
    "-print_final_stats=1",
];

/// The most committed `seed-*` files per target.
const MAX_SEEDS: usize = 20;

/// Which vector kinds (`vectors/<kind>.json`) seed which target.
const SEED_KINDS: &[(&str, &[&str])] = &[
    ("signer_unsign", &["signer"]),
    ("timestamp_unsign", &["timestamp_signer"]),
    ("serializer_loads", &["serializer"]),
    ("timed_serializer_loads", &["timed_serializer"]),
    ("url_safe_loads", &["url_safe_serializer"]),
    ("url_safe_timed_loads", &["url_safe_timed_serializer"]),
    ("timed_jws_loads", &["timed_jws"]),
    ("flask_session_loads", &["flask_session"]),
    ("django_timestamp_unsign", &["django_timestamp_signer"]),
    ("django_signing_loads", &["django_session"]),
    ("django_cookie_unsign", &["django_signed_cookie"]),
    ("starlette_session_loads", &["starlette_session"]),
    (
        "unverified_decode",
        &["url_safe_serializer", "url_safe_timed_serializer"],
    ),
    // Payload bytes, not tokens, are what it signs; tokens still make useful seeds.
    ("keyless_agrees", &["url_safe_serializer", "flask_session"]),
    // `axum_cookie_header` takes `Cookie` headers, not tokens: committed seeds only.
];

/// The fuzz targets' fixed key: seeds signed with it (and otherwise default settings) verify.
const FUZZ_KEY: &str = "secret-key";

/// `cargo xtask fuzz` options.
#[derive(clap::Args, Debug)]
pub(crate) struct Options {
    /// Seconds per target.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_SECONDS)]
    seconds: u64,
    /// Run only this target.
    #[arg(long, value_name = "NAME")]
    target: Option<String>,
    /// Write the corpora from vectors/ and stop (no nightly needed).
    #[arg(long)]
    seed_only: bool,
    /// Also rewrite the committed `fuzz/corpus/TARGET/seed-*` files.
    #[arg(long)]
    write_seeds: bool,
}

pub(crate) fn run(options: Options) -> Result<ExitCode, String> {
    let Options {
        seconds,
        target: only,
        seed_only,
        write_seeds,
    } = options;

    let fuzz_dir = project_root().join("fuzz");
    let mut seeded = 0;
    for (target, kinds) in SEED_KINDS {
        if only.as_deref().is_none_or(|name| name == *target) {
            seeded += seed_corpus(&fuzz_dir, target, kinds, write_seeds)?;
        }
    }
    println!("seeded {seeded} corpus files from vectors/");
    if seed_only {
        return Ok(ExitCode::SUCCESS);
    }

    ensure_cargo_fuzz()?;
    let available = list_targets(&fuzz_dir)?;
    let targets: Vec<String> = match only {
        Some(name) if available.contains(&name) => vec![name],
        Some(name) => {
            return Err(format!(
                "unknown fuzz target {name:?} (known: {})",
                available.join(", ")
            ));
        }
        None => available,
    };

    let status = Command::new("cargo")
        .args(["+nightly", "fuzz", "build"])
        .current_dir(&fuzz_dir)
        .status()
        .map_err(|e| format!("cannot run cargo +nightly fuzz build: {e}"))?;
    if !status.success() {
        return Err("cargo +nightly fuzz build failed".to_owned());
    }

    let mut failed = Vec::new();
    let mut executions: Vec<(String, Option<u64>)> = Vec::new();
    for target in &targets {
        println!("fuzzing {target} for {seconds} s ...");
        let report = run_target(&fuzz_dir, target, seconds)?;
        executions.push((target.clone(), report.execs));
        println!(
            "{target}: {} execs, {} crashes{}",
            report
                .execs
                .map_or_else(|| "?".to_owned(), |n| n.to_string()),
            report.crashes,
            report
                .artifact
                .as_deref()
                .map(|a| format!(" ({a})"))
                .unwrap_or_default()
        );
        if report.crashes > 0 || !report.success {
            eprintln!("{}", report.tail);
            failed.push(target.clone());
        }
    }
    print_executions(&executions, seconds);
    if failed.is_empty() {
        println!("{} targets, 0 crashes", targets.len());
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!("crashed: {}", failed.join(", "));
        Ok(ExitCode::FAILURE)
    }
}

/// The summary: total executions per target, and over all targets.
fn print_executions(executions: &[(String, Option<u64>)], seconds: u64) {
    println!("executions in {seconds} s per target:");
    let width = executions.iter().map(|(t, _)| t.len()).max().unwrap_or(0);
    for (target, execs) in executions {
        let execs = execs.map_or_else(|| "?".to_owned(), |n| n.to_string());
        println!("  {target:<width$}  {execs:>12}");
    }
    let total: u64 = executions.iter().filter_map(|(_, n)| *n).sum();
    println!("  {:<width$}  {total:>12}", "total");
}

/// Writes the tokens of the target's vector kinds into `fuzz/corpus/<target>/vec-*`
/// (git-ignored) and, with `write_seeds`, the committed `seed-*` selection. Returns the
/// number of files written.
fn seed_corpus(
    fuzz_dir: &Path,
    target: &str,
    kinds: &[&str],
    write_seeds: bool,
) -> Result<usize, String> {
    let dir = fuzz_dir.join("corpus").join(target);
    fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", display_path(&dir)))?;
    let mut tokens: Vec<(String, Vec<u8>, bool)> = Vec::new();
    for kind in kinds {
        let path = project_root().join("vectors").join(format!("{kind}.json"));
        let text =
            fs::read_to_string(&path).map_err(|e| format!("{}: {e}", display_path(&path)))?;
        let file = VectorFile::parse(&text).map_err(|e| format!("{}: {e}", display_path(&path)))?;
        for case in &file.cases {
            let id = case.get("id").and_then(Value::as_str).unwrap_or("case");
            let token = case
                .get("token")
                .ok_or_else(|| format!("{}: case {id} has no token", display_path(&path)))
                .and_then(|t| bytes_from_json(t).map_err(|e| format!("case {id}: {e}")))?;
            tokens.push((file_name(id), token, uses_fuzz_key(case)));
        }
    }
    let mut written = 0;
    for (name, token, _) in &tokens {
        write(&dir.join(format!("vec-{name}")), token)?;
        written += 1;
    }
    if write_seeds {
        remove_seeds(&dir)?;
        // Tokens the targets' key verifies first, then the rest, in file order.
        let (matching, other): (Vec<_>, Vec<_>) = tokens.iter().partition(|t| t.2);
        for (name, token, _) in matching.into_iter().chain(other).take(MAX_SEEDS) {
            write(&dir.join(format!("seed-{name}")), token)?;
            written += 1;
        }
    }
    Ok(written)
}

/// Whether a case uses exactly the targets' configuration: the fixed key, default settings.
fn uses_fuzz_key(case: &Value) -> bool {
    let Some(params) = case.get("params").and_then(Value::as_object) else {
        return false;
    };
    params.len() == 1 && params.get("secret_key").and_then(Value::as_str) == Some(FUZZ_KEY)
}

/// A case id as a file name: `/` and anything unusual become `_`.
fn file_name(id: &str) -> String {
    id.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '.' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), String> {
    fs::write(path, bytes).map_err(|e| format!("{}: {e}", display_path(path)))
}

fn remove_seeds(dir: &Path) -> Result<(), String> {
    let entries = fs::read_dir(dir).map_err(|e| format!("{}: {e}", display_path(dir)))?;
    for entry in entries.flatten() {
        if entry.file_name().to_string_lossy().starts_with("seed-") {
            let path = entry.path();
            fs::remove_file(&path).map_err(|e| format!("{}: {e}", display_path(&path)))?;
        }
    }
    Ok(())
}

/// Installs cargo-fuzz when `cargo fuzz --version` fails.
fn ensure_cargo_fuzz() -> Result<(), String> {
    let present = Command::new("cargo")
        .args(["fuzz", "--version"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if present {
        return Ok(());
    }
    println!("cargo-fuzz is missing: cargo install cargo-fuzz --locked");
    let status = Command::new("cargo")
        .args(["install", "cargo-fuzz", "--locked"])
        .status()
        .map_err(|e| format!("cannot run cargo install: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err("cargo install cargo-fuzz --locked failed".to_owned())
    }
}

/// The targets `fuzz/Cargo.toml` declares.
fn list_targets(fuzz_dir: &Path) -> Result<Vec<String>, String> {
    let output = Command::new("cargo")
        .args(["+nightly", "fuzz", "list"])
        .current_dir(fuzz_dir)
        .output()
        .map_err(|e| format!("cannot run cargo +nightly fuzz list: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "cargo +nightly fuzz list failed (is the nightly toolchain installed? \
             `rustup toolchain install nightly`):\n{}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    Ok(String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect())
}

/// What one libFuzzer run reported.
#[derive(Debug, Default, PartialEq, Eq)]
struct Report {
    execs: Option<u64>,
    crashes: usize,
    artifact: Option<String>,
    success: bool,
    tail: String,
}

fn run_target(fuzz_dir: &Path, target: &str, seconds: u64) -> Result<Report, String> {
    let corpus: PathBuf = fuzz_dir.join("corpus").join(target);
    // libFuzzer refuses a corpus directory that does not exist (a target without seeds).
    fs::create_dir_all(&corpus)
        .map_err(|e| format!("cannot create {}: {e}", display_path(&corpus)))?;
    let max_time = format!("-max_total_time={seconds}");
    let output = Command::new("cargo")
        .args(["+nightly", "fuzz", "run", target])
        .arg(&corpus)
        .arg("--")
        .arg(&max_time)
        .args(LIMITS)
        .current_dir(fuzz_dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| format!("cannot run cargo +nightly fuzz run {target}: {e}"))?;
    let mut text = String::from_utf8_lossy(&output.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&output.stderr));
    let mut report = parse_output(&text);
    report.success = output.status.success();
    if !report.success && report.crashes == 0 {
        // libFuzzer died without writing an artifact (e.g. a build failure): still a failure.
        report.crashes = 1;
    }
    Ok(report)
}

/// Parses libFuzzer's output: `stat::number_of_executed_units` (from `-print_final_stats=1`)
/// and one crash per `Test unit written to` line.
fn parse_output(text: &str) -> Report {
    let mut report = Report::default();
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("stat::number_of_executed_units:") {
            report.execs = rest.trim().parse().ok();
        }
        if let Some(rest) = line.split("Test unit written to ").nth(1) {
            report.crashes += 1;
            report.artifact = Some(rest.trim().to_owned());
        }
    }
    let lines: Vec<&str> = text.lines().collect();
    report.tail = lines
        .get(lines.len().saturating_sub(40)..)
        .unwrap_or_default()
        .join("\n");
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_final_stats_and_crashes() {
        let clean = "#1000\tDONE   cov: 10\nstat::number_of_executed_units: 123456\n\
                     stat::average_exec_per_sec:     2057\n";
        let report = parse_output(clean);
        assert_eq!(report.execs, Some(123_456));
        assert_eq!(report.crashes, 0);

        let crash = "==1== ERROR: libFuzzer: deadly signal\n\
                     artifact_prefix='/f/artifacts/t/'; Test unit written to /f/artifacts/t/crash-ab\n\
                     stat::number_of_executed_units: 77\n";
        let report = parse_output(crash);
        assert_eq!(report.execs, Some(77));
        assert_eq!(report.crashes, 1);
        assert_eq!(report.artifact.as_deref(), Some("/f/artifacts/t/crash-ab"));
    }

    #[test]
    fn case_ids_become_file_names() {
        assert_eq!(file_name("signer/256-hmac é"), "signer_256-hmac__");
    }

    #[test]
    fn seed_table_names_existing_vector_kinds() {
        for (_, kinds) in SEED_KINDS {
            for kind in *kinds {
                let path = project_root().join("vectors").join(format!("{kind}.json"));
                assert!(path.is_file(), "{}", path.display());
            }
        }
    }
}
