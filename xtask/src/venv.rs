//! The Python virtual environments of the reference implementation, under `target/venv/`.
//!
//! Each venv is created with `python3 -m venv` (or `$XTASK_PYTHON -m venv`) and filled with
//! `pip install -r <requirements>`. A stamp file inside it holds the requirements file's
//! content: when it matches, the venv is reused; otherwise it is created again from scratch.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{display_path, project_root};

const STAMP: &str = ".tamperproof-requirements";

/// One of the reference environments.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Venv {
    /// itsdangerous 2.2 + Flask: every kind but JWS.
    Main,
    /// itsdangerous 2.0.1: the JWS kinds.
    Jws,
    /// Django 5.2 + Starlette: the Django and Starlette kinds and end-to-end tests.
    Django,
}

impl Venv {
    /// Every environment.
    pub(crate) const ALL: [Self; 3] = [Self::Main, Self::Jws, Self::Django];

    /// The environment called `name` (as the kind registry names them).
    pub(crate) fn named(name: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|venv| venv.name() == name)
            .ok_or_else(|| format!("no Python environment {name:?}"))
    }

    pub(crate) const fn name(self) -> &'static str {
        match self {
            Self::Main => "main",
            Self::Jws => "jws",
            Self::Django => "django",
        }
    }

    const fn requirements(self) -> &'static str {
        match self {
            Self::Main => "requirements.txt",
            Self::Jws => "requirements-jws.txt",
            Self::Django => "requirements-django.txt",
        }
    }

    /// The live-check peer for this environment's kinds (in `xtask/python/`).
    pub(crate) const fn live_peer(self) -> &'static str {
        match self {
            Self::Main | Self::Jws => "live.py",
            Self::Django => "live_frameworks.py",
        }
    }

    /// The vector generator for this environment's kinds (in `xtask/python/`).
    pub(crate) const fn generator(self) -> &'static str {
        match self {
            Self::Main | Self::Jws => "gen_vectors.py",
            Self::Django => "gen_frameworks.py",
        }
    }

    fn dir(self) -> PathBuf {
        project_root().join("target").join("venv").join(self.name())
    }
}

/// The venv's interpreter.
fn python_in(dir: &Path) -> PathBuf {
    if cfg!(windows) {
        dir.join("Scripts").join("python.exe")
    } else {
        dir.join("bin").join("python")
    }
}

/// Makes sure the venv exists with the current requirements and returns its interpreter.
pub(crate) fn ensure(venv: Venv) -> Result<PathBuf, String> {
    let dir = venv.dir();
    let shown = display_path(&dir);
    let requirements_path = project_root()
        .join("xtask")
        .join("python")
        .join(venv.requirements());
    let requirements = fs::read_to_string(&requirements_path)
        .map_err(|e| format!("{}: {e}", requirements_path.display()))?;
    let python = python_in(&dir);
    let stamp = dir.join(STAMP);
    if python.exists() && fs::read_to_string(&stamp).is_ok_and(|s| s == requirements) {
        eprintln!("venv {shown}: up to date");
        return Ok(python);
    }
    if dir.exists() {
        eprintln!("venv {shown}: missing or outdated, removing it");
        fs::remove_dir_all(&dir).map_err(|e| format!("removing {shown}: {e}"))?;
    }
    let base_python = std::env::var("XTASK_PYTHON").unwrap_or_else(|_| "python3".to_owned());
    eprintln!("venv {shown}: {base_python} -m venv {shown}");
    run(Command::new(&base_python).arg("-m").arg("venv").arg(&dir))?;
    eprintln!(
        "venv {shown}: pip install -r {}",
        display_path(&requirements_path)
    );
    run(Command::new(&python)
        .args([
            "-m",
            "pip",
            "install",
            "--disable-pip-version-check",
            "--quiet",
            "-r",
        ])
        .arg(&requirements_path))?;
    fs::write(&stamp, &requirements).map_err(|e| format!("{}: {e}", stamp.display()))?;
    eprintln!("venv {shown}: ready");
    Ok(python)
}

fn run(command: &mut Command) -> Result<(), String> {
    let shown = format!("{command:?}");
    let status = command
        .current_dir(project_root())
        .status()
        .map_err(|e| format!("cannot run {shown}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{shown} failed ({status})"))
    }
}

/// `cargo xtask venv`: makes sure every reference environment exists.
pub(crate) fn run_task() -> Result<std::process::ExitCode, String> {
    for venv in Venv::ALL {
        let python = ensure(venv)?;
        println!("{}: {}", venv.name(), display_path(&python));
    }
    Ok(std::process::ExitCode::SUCCESS)
}
