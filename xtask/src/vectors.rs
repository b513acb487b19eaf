//! `cargo xtask vectors [--check] [--kinds K1,K2,...]`: regenerates `vectors/*.json` with the
//! Python reference (`xtask/python/gen_vectors.py`, `gen_frameworks.py` for the Django and Starlette kinds), or with `--check` regenerates them under
//! `target/` and fails when the committed files differ.
//!
//! Without `--kinds`, every kind of the registry gets its file (and a committed file of no
//! registered kind is reported). Each kind runs in the Python environment the registry names
//! for it.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use tamperproof_vectors::kinds;

use crate::venv::{self, Venv};
use crate::{display_path, project_root};

const OUT_OF_DATE: &str = "vectors are out of date: run `cargo xtask vectors` and commit";

/// `cargo xtask vectors` options.
#[derive(clap::Args, Debug)]
pub(crate) struct Options {
    /// Regenerate into target/ and fail if vectors/ differs.
    #[arg(long)]
    check: bool,
    /// Only these kinds (comma-separated, repeatable; default: every registered kind).
    #[arg(long = "kinds", value_name = "K1,K2,...")]
    kind_lists: Vec<String>,
}

impl Options {
    /// The kinds named with `--kinds`, in order.
    pub(crate) fn kinds(&self) -> Vec<String> {
        self.kind_lists
            .iter()
            .flat_map(|list| list.split(','))
            .map(str::trim)
            .filter(|k| !k.is_empty())
            .map(str::to_owned)
            .collect()
    }
}

pub(crate) fn run(options: Options) -> Result<ExitCode, String> {
    let named = options.kinds();
    for kind in &named {
        kinds::find(kind)?;
    }
    let vectors_dir = project_root().join("vectors");
    let committed = committed_files(&vectors_dir)?;
    let explicit = !named.is_empty();
    let kinds: BTreeSet<String> = if explicit {
        named.into_iter().collect()
    } else {
        kinds::names().into_iter().map(str::to_owned).collect()
    };

    let out_dir = if options.check {
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

    if !options.check {
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
    let mut groups: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for kind in kinds {
        let kind = kinds::find(kind)?;
        groups.entry(kind.python_env).or_default().push(kind.name);
    }
    for (env, group) in groups {
        let venv = Venv::named(env)?;
        let python = venv::ensure(venv)?;
        let list = group.join(",");
        eprintln!("generating {list} into {}", display_path(out_dir));
        let script = project_root()
            .join("xtask")
            .join("python")
            .join(venv.generator());
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
