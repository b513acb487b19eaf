//! `cargo xtask bench-compare`: our criterion benches, the same operations in Python
//! itsdangerous 2.2 + Flask 3.1 (and 2.0.1 for JWS, Django 5.2 and Starlette for their
//! presets), and the discord `itsdangerous` crate, in one invocation; the zlib bench once per
//! general-purpose zlib backend; then allocation counts and zip-bomb memory, each in a child process. Writes the tables to `docs/PERFORMANCE.md`,
//! between the generated-section markers (the rest of the file is kept).
//!
//! One concept per module: [`mod@run`] runs the commands, [`collect`] reads what they wrote and
//! describes the machine, [`rows`] names the benchmarks compared, [`targets`] judges the
//! performance targets, [`render`] writes the Markdown section.
//!
//! Criterion results are read from `target/criterion/**/new/{benchmark,estimates}.json`
//! (median point estimate), never from its console output; only files written by this run
//! count.

mod collect;
pub(crate) mod pairs;
mod render;
mod rows;
mod run;
mod targets;

use std::fs;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::SystemTime;

use crate::venv::{self, Venv};
use crate::{display_path, project_root};

use collect::Results;
use run::{Commands, cargo_bench};

/// `(package, bench target)` of every criterion bench of the itsdangerous part, run with
/// default features.
const BENCHES: [(&str, &str); 8] = [
    ("sign-core", "signer"),
    ("sign-core", "timed"),
    ("sign-serde", "serde"),
    ("sign-url", "url"),
    ("tamperproof-bench-compare", "zlib"),
    ("sign-flask", "flask"),
    ("sign-jws", "jws"),
    ("tamperproof-bench-compare", "compare"),
];

/// The criterion benches of the frameworks part.
const FRAMEWORK_BENCHES: [(&str, &str); 2] =
    [("sign-django", "django"), ("sign-starlette", "starlette")];

/// The parts of a run; `--only` picks one.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Part {
    /// itsdangerous, Flask and JWS: the benches of sign-core, sign-serde, sign-url,
    /// sign-flask, sign-jws and the discord crate, the zlib backends, the zip bomb.
    Itsdangerous,
    /// Django and Starlette: their benches and the `django` Python group.
    Frameworks,
}

impl Part {
    /// The name `--only` takes.
    const fn name(self) -> &'static str {
        match self {
            Self::Itsdangerous => "itsdangerous",
            Self::Frameworks => "frameworks",
        }
    }
}

/// The zlib bench again, once per other flate2 backend (zlib-rs runs with [`BENCHES`]):
/// tamperproof-zlib next to each, the measurements behind the choice of the default.
const OTHER_ZLIB_BACKENDS: [&[&str]; 2] = [
    &["--no-default-features", "--features", "miniz"],
    &["--no-default-features", "--features", "c-zlib"],
];

/// `cargo xtask bench-compare` options.
#[derive(clap::Args, Debug)]
pub(crate) struct Options {
    /// Criterion warm-up time per bench, in seconds.
    #[arg(long, value_name = "S", default_value_t = 0.3)]
    warm_up_time: f64,
    /// Criterion measurement time per bench, in seconds.
    #[arg(long, value_name = "S", default_value_t = 1.0)]
    measurement_time: f64,
    /// Repeats of each Python timing (the median counts).
    #[arg(long, value_name = "N", default_value_t = 5)]
    python_repeat: u32,
    /// Run only this part (allocation counts always run). Its tables are written to
    /// target/bench-compare/PERFORMANCE-{itsdangerous,frameworks}.md unless --output says
    /// otherwise; the other rows show no numbers.
    #[arg(long, value_enum, value_name = "PART")]
    only: Option<Part>,
    /// Where to write the tables (default: docs/PERFORMANCE.md).
    #[arg(long, value_name = "PATH")]
    output: Option<PathBuf>,
}

pub(crate) fn run(options: Options) -> Result<ExitCode, String> {
    let warm_up = options.warm_up_time;
    let measurement = options.measurement_time;
    let repeat = options.python_repeat;
    let runs = |part: Part| options.only.is_none_or(|only| only == part);
    let (itsdangerous, frameworks) = (runs(Part::Itsdangerous), runs(Part::Frameworks));
    let root = project_root();
    let work = root.join("target").join("bench-compare");
    let output = options.output.unwrap_or_else(|| match options.only {
        None => root.join("docs/PERFORMANCE.md"),
        Some(part) => work.join(format!("PERFORMANCE-{}.md", part.name())),
    });
    fs::create_dir_all(&work).map_err(|e| format!("{}: {e}", work.display()))?;
    let python = venv::ensure(Venv::Main)?;
    let jws_python = itsdangerous
        .then(|| venv::ensure(Venv::Jws))
        .transpose()
        .map_err(|e| eprintln!("bench-compare: no JWS reference ({e}); JWS rows get no Python"))
        .ok()
        .flatten();
    let django_python = frameworks
        .then(|| venv::ensure(Venv::Django))
        .transpose()
        .map_err(|e| {
            eprintln!(
                "bench-compare: no Django/Starlette reference ({e}); their rows get no Python"
            );
        })
        .ok()
        .flatten();
    let load_before = collect::load_average();
    let started = SystemTime::now();
    let criterion_options = [
        "--warm-up-time".to_owned(),
        warm_up.to_string(),
        "--measurement-time".to_owned(),
        measurement.to_string(),
        "--noplot".to_owned(),
    ];
    let mut commands = Commands::default();

    // 1. Our benches, the floor and the discord crate: one cargo invocation; then the zlib
    //    bench with each other backend.
    let mut benches = Vec::new();
    if itsdangerous {
        benches.extend(BENCHES);
    }
    if frameworks {
        benches.extend(FRAMEWORK_BENCHES);
    }
    commands.run(&cargo_bench(&benches, &[], &criterion_options))?;
    if itsdangerous {
        for features in OTHER_ZLIB_BACKENDS {
            commands.run(&cargo_bench(
                &[("tamperproof-bench-compare", "zlib")],
                features,
                &criterion_options,
            ))?;
        }
    }

    // 2. Allocation counts (a counting global allocator, its own process).
    let alloc_out = work.join("alloc.json");
    commands.run(&run::alloc_command(&["--out", &run::path_arg(&alloc_out)]))?;

    // 3. Python, same operations.
    let script = root.join("xtask").join("python").join("bench.py");
    let repeat = repeat.to_string();
    let groups = [
        (itsdangerous.then_some(python.as_path()), "main"),
        (jws_python.as_deref(), "jws"),
        (django_python.as_deref(), "django"),
    ];
    let mut python_results = std::collections::BTreeMap::new();
    for (interpreter, group) in groups {
        let Some(interpreter) = interpreter else {
            continue;
        };
        let out = work.join(format!("python-{group}.json"));
        commands.run(&run::python_command(
            interpreter,
            &script,
            &["run", "--group", group, "--repeat", &repeat, "--out"],
            &out,
        ))?;
        python_results.extend(collect::read_numbers(&out)?);
    }

    // 4. Zip bomb: made by Python, loaded once by each side in a fresh process.
    let (rust_bomb, python_bomb) = if itsdangerous {
        zip_bomb(&mut commands, &python, &script, &work)?
    } else {
        (serde_json::Value::Null, serde_json::Value::Null)
    };

    let results = Results {
        criterion: collect::read_criterion(&root.join("target").join("criterion"), started)?,
        python: python_results,
        allocations: collect::read_json(&alloc_out)?,
        rust_bomb,
        python_bomb,
    };
    let machine = collect::machine(
        &python,
        jws_python.as_deref(),
        django_python.as_deref(),
        load_before,
    );
    let only = options
        .only
        .map(|part| format!(" --only {}", part.name()))
        .unwrap_or_default();
    let invocation = format!(
        "cargo xtask bench-compare --warm-up-time {warm_up} --measurement-time {measurement} \
         --python-repeat {repeat}{only}"
    );
    let section = render::render(&results, &machine, &invocation, commands.log());
    render::write_section(&output, &section)?;
    println!("bench-compare: wrote {}", display_path(&output));
    Ok(ExitCode::SUCCESS)
}

/// Makes the zip-bomb token with Python and loads it once on each side, each in a fresh
/// process; returns what the Rust and the Python side reported.
fn zip_bomb(
    commands: &mut Commands,
    python: &std::path::Path,
    script: &std::path::Path,
    work: &std::path::Path,
) -> Result<(serde_json::Value, serde_json::Value), String> {
    let bomb = work.join("zipbomb.txt");
    commands.run(&run::python_command(python, script, &["make-bomb"], &bomb))?;
    let py_bomb = work.join("python-bomb.json");
    commands.run(&run::python_command(
        python,
        script,
        &["bomb", &run::path_arg(&bomb), "--out"],
        &py_bomb,
    ))?;
    let rust_bomb = work.join("rust-bomb.json");
    commands.run(&run::alloc_command(&[
        "--zipbomb",
        &run::path_arg(&bomb),
        "--out",
        &run::path_arg(&rust_bomb),
    ]))?;
    Ok((
        collect::read_json(&rust_bomb)?,
        collect::read_json(&py_bomb)?,
    ))
}
