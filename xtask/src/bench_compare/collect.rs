//! What a run produced, read back from the files the commands wrote, and the machine it ran
//! on.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::process::Command;
use std::time::SystemTime;

use serde_json::Value;

use crate::display_path;

/// Every number of one run, by benchmark name (criterion's `full_id`).
pub(super) struct Results {
    /// Our criterion benches, the floor and the discord crate: median ns per operation.
    pub(super) criterion: BTreeMap<String, f64>,
    /// Python: median ns per operation.
    pub(super) python: BTreeMap<String, f64>,
    /// `alloc` bench: `{"name": {"allocations": n, "bytes": n}}`.
    pub(super) allocations: Value,
    /// `alloc` bench, zip bomb: outcome, peak heap and RSS growth (`null` when not run).
    pub(super) rust_bomb: Value,
    /// `bench.py bomb`: outcome, tracemalloc peak and RSS growth (`null` when not run).
    pub(super) python_bomb: Value,
}

pub(super) fn read_json(path: &Path) -> Result<Value, String> {
    let text = fs::read_to_string(path).map_err(|e| format!("{}: {e}", display_path(path)))?;
    serde_json::from_str(&text).map_err(|e| format!("{}: {e}", display_path(path)))
}

pub(super) fn read_numbers(path: &Path) -> Result<BTreeMap<String, f64>, String> {
    let value = read_json(path)?;
    let object = value
        .as_object()
        .ok_or_else(|| format!("{}: not an object", display_path(path)))?;
    Ok(object
        .iter()
        .filter_map(|(name, ns)| Some((name.clone(), ns.as_f64()?)))
        .collect())
}

/// `full_id -> median ns` for every criterion result written since `since`.
pub(super) fn read_criterion(
    dir: &Path,
    since: SystemTime,
) -> Result<BTreeMap<String, f64>, String> {
    let mut found = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if !path.is_dir() {
                continue;
            }
            if path.file_name().is_some_and(|n| n == "new") {
                let estimates = path.join("estimates.json");
                let fresh = fs::metadata(&estimates)
                    .and_then(|m| m.modified())
                    .is_ok_and(|t| t >= since);
                if !fresh {
                    continue;
                }
                let benchmark = read_json(&path.join("benchmark.json"))?;
                let estimates = read_json(&estimates)?;
                let id = benchmark.get("full_id").and_then(Value::as_str);
                let median = estimates
                    .get("median")
                    .or_else(|| estimates.get("mean"))
                    .and_then(|m| m.get("point_estimate"))
                    .and_then(Value::as_f64);
                if let (Some(id), Some(median)) = (id, median) {
                    found.insert(id.to_owned(), median);
                }
            } else {
                stack.push(path);
            }
        }
    }
    if found.is_empty() {
        return Err(format!(
            "no criterion results written under {} by this run",
            display_path(dir)
        ));
    }
    Ok(found)
}

fn command_output(program: &Path, args: &[&str]) -> Option<String> {
    let output = Command::new(program).args(args).output().ok()?;
    let text = if output.stdout.is_empty() {
        output.stderr
    } else {
        output.stdout
    };
    Some(String::from_utf8_lossy(&text).trim().to_owned())
}

pub(super) fn load_average() -> String {
    fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| {
            let fields: Vec<&str> = s.split_whitespace().take(3).collect();
            (fields.len() == 3).then(|| fields.join(" "))
        })
        .unwrap_or_else(|| "unknown".to_owned())
}

/// The machine and tool lines of the report.
pub(super) fn machine(
    python: &Path,
    jws_python: Option<&Path>,
    django_python: Option<&Path>,
    load_before: String,
) -> Vec<(String, String)> {
    let nproc = command_output(Path::new("nproc"), &[]).unwrap_or_else(|| "unknown".to_owned());
    let cpu = fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, model)| model.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown".to_owned());
    let unknown = || "unknown".to_owned();
    let rustc = command_output(Path::new("rustc"), &["--version"]).unwrap_or_else(unknown);
    let py = command_output(python, &["--version"]).unwrap_or_else(unknown);
    let versions = |python: &Path, packages: &str| {
        let code = format!(
            "import importlib.metadata as m; print(', '.join(p + ' ' + m.version(p) for p in {packages}))"
        );
        command_output(python, &["-c", &code]).unwrap_or_else(unknown)
    };
    let mut lines = vec![
        ("date".to_owned(), date()),
        ("nproc".to_owned(), nproc),
        ("CPU".to_owned(), cpu),
        ("rustc".to_owned(), rustc),
        (
            "Python".to_owned(),
            format!("{py} ({})", versions(python, "['itsdangerous', 'Flask']")),
        ),
    ];
    if let Some(jws) = jws_python {
        lines.push((
            "Python (JWS rows)".to_owned(),
            versions(jws, "['itsdangerous']"),
        ));
    }
    if let Some(django) = django_python {
        lines.push((
            "Python (Django and Starlette rows)".to_owned(),
            versions(django, "['Django', 'starlette', 'itsdangerous']"),
        ));
    }
    lines.push((
        "load average (1, 5, 15 min) before / after".to_owned(),
        format!("{load_before} / {}", load_average()),
    ));
    lines
}

/// The current UTC time, as the reports print it.
pub(super) fn date() -> String {
    command_output(Path::new("date"), &["-u", "+%Y-%m-%d %H:%M UTC"])
        .unwrap_or_else(|| "unknown".to_owned())
}
