//! `cargo xtask vectors [--check] [--kinds K1,K2,...]`: regenerates `vectors/*.json` with the
//! Python reference (`xtask/python/gen_vectors.py`), or with `--check` regenerates them under
//! `target/` and fails when the committed files differ.
//!
//! Without `--kinds`, the kinds are the generator's six defaults plus every kind that already
//! has a committed file (so `flask_session.json` or `jws.json`, once committed, stay checked).
//! The JWS kinds run in the itsdangerous 2.0.1 venv, the Django and Starlette kinds in the
//! framework venv (`xtask/python/gen_frameworks.py`), every other kind in the main one.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use tamperproof_vectors::runner::ALL_KINDS;

use crate::args::Args;
use crate::venv::{self, Venv};
use crate::{display_path, project_root};

/// What `gen_vectors.py` writes when no kinds are named.
const DEFAULT_KINDS: [&str; 6] = [
    "signer",
    "timestamp_signer",
    "serializer",
    "timed_serializer",
    "url_safe_serializer",
    "url_safe_timed_serializer",
];
const JWS_KINDS: [&str; 2] = ["jws", "timed_jws"];
use tamperproof_vectors::frameworks::KINDS as FRAMEWORK_KINDS;
const OUT_OF_DATE: &str = "vectors are out of date: run `cargo xtask vectors` and commit";

pub(crate) fn run(mut args: Args) -> Result<ExitCode, String> {
    let check = args.flag("--check");
    let named: Vec<String> = args
        .values("--kinds")?
        .iter()
        .flat_map(|list| list.split(','))
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .map(str::to_owned)
        .collect();
    args.finish()?;
    for kind in &named {
        if !ALL_KINDS.contains(&kind.as_str()) {
            return Err(format!(
                "unknown kind {kind:?} (known: {})",
                ALL_KINDS.join(", ")
            ));
        }
    }
    let vectors_dir = project_root().join("vectors");
    let committed = committed_files(&vectors_dir)?;
    let explicit = !named.is_empty();
    let kinds: BTreeSet<String> = if explicit {
        named.into_iter().collect()
    } else {
        DEFAULT_KINDS
            .iter()
            .map(|k| (*k).to_owned())
            .chain(
                committed
                    .iter()
                    .filter(|stem| ALL_KINDS.contains(&stem.as_str()))
                    .cloned(),
            )
            .collect()
    };

    let out_dir = if check {
        let dir = project_root()
            .join("target")
            .join("xtask")
            .join("vectors-check");
        if dir.exists() {
            fs::remove_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
        dir
    } else {
        vectors_dir.clone()
    };
    fs::create_dir_all(&out_dir).map_err(|e| format!("{}: {e}", out_dir.display()))?;
    generate(&kinds, &out_dir)?;

    if !check {
        println!(
            "wrote {} file(s) to {}",
            kinds.len(),
            display_path(&out_dir)
        );
        return Ok(ExitCode::SUCCESS);
    }
    let differences = compare(&vectors_dir, &out_dir, &kinds, &committed, explicit)?;
    if differences.is_empty() {
        println!("vectors are up to date ({} file(s) checked)", kinds.len());
        return Ok(ExitCode::SUCCESS);
    }
    for difference in &differences {
        eprintln!("{difference}");
    }
    eprintln!("{OUT_OF_DATE}");
    Ok(ExitCode::FAILURE)
}

/// Runs the generator once per venv for the kinds that belong to it.
fn generate(kinds: &BTreeSet<String>, out_dir: &Path) -> Result<(), String> {
    let (framework, rest): (Vec<&String>, Vec<&String>) = kinds
        .iter()
        .partition(|k| FRAMEWORK_KINDS.contains(&k.as_str()));
    let (jws, main): (Vec<&String>, Vec<&String>) = rest
        .into_iter()
        .partition(|k| JWS_KINDS.contains(&k.as_str()));
    for (venv, group) in [
        (Venv::Main, main),
        (Venv::Jws, jws),
        (Venv::Django, framework),
    ] {
        if group.is_empty() {
            continue;
        }
        let python = venv::ensure(venv)?;
        let list = group
            .iter()
            .map(|k| k.as_str())
            .collect::<Vec<_>>()
            .join(",");
        eprintln!("generating {list} into {}", display_path(out_dir));
        let script = project_root()
            .join("xtask")
            .join("python")
            .join(if venv == Venv::Django {
                "gen_frameworks.py"
            } else {
                "gen_vectors.py"
            });
        let status = Command::new(&python)
            .arg(&script)
            .arg("--out")
            .arg(out_dir)
            .args(["--kinds", &list, "--summary"])
            .current_dir(project_root())
            .status()
            .map_err(|e| format!("cannot run {}: {e}", python.display()))?;
        if !status.success() {
            return Err(format!("{} failed ({status})", display_path(&script)));
        }
    }
    Ok(())
}

/// The stems of `dir/*.json`.
fn committed_files(dir: &Path) -> Result<BTreeSet<String>, String> {
    Ok(json_files(dir)?
        .iter()
        .filter_map(|path| path.file_stem()?.to_str().map(str::to_owned))
        .collect())
}

/// `dir/*.json`, sorted; nothing when `dir` does not exist.
pub(crate) fn json_files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    if !dir.exists() {
        return Ok(Vec::new());
    }
    let mut files = Vec::new();
    for entry in fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))? {
        let path = entry.map_err(|e| format!("{}: {e}", dir.display()))?.path();
        if path.is_file() && path.extension().is_some_and(|ext| ext == "json") {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

/// Changed, missing and (without explicit kinds) extra files.
fn compare(
    committed_dir: &Path,
    fresh_dir: &Path,
    kinds: &BTreeSet<String>,
    committed: &BTreeSet<String>,
    explicit: bool,
) -> Result<Vec<String>, String> {
    let mut differences = Vec::new();
    for kind in kinds {
        let name = format!("{kind}.json");
        let fresh_path = fresh_dir.join(&name);
        let committed_path = committed_dir.join(&name);
        let shown = display_path(&committed_path);
        let fresh = fs::read(&fresh_path)
            .map_err(|e| format!("the generator did not write {}: {e}", fresh_path.display()))?;
        match fs::read(&committed_path) {
            Err(_) => differences.push(format!("missing: {shown}")),
            Ok(old) if old != fresh => differences.push(format!("changed: {shown}")),
            Ok(_) => {}
        }
    }
    if !explicit {
        for stem in committed.difference(kinds) {
            differences.push(format!(
                "extra: {} (the generator does not write it)",
                display_path(&committed_dir.join(format!("{stem}.json")))
            ));
        }
    }
    Ok(differences)
}
