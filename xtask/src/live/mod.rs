//! `cargo xtask compat --live [--cases N] [--seed S] [--summary]`: a two-way check against
//! the Python reference, through one `live.py` process (JSON lines on stdin/stdout) per
//! Python environment the kind registry names: `target/venv/main` (itsdangerous 2.2 and
//! Flask: the six itsdangerous kinds and `flask_session`) and `target/venv/jws`
//! (itsdangerous 2.0.1: `jws`, `timed_jws`). Every request goes to the peer of its case's
//! kind.
//!
//! - Rust → Python: N random cases ([`kinds`]) over every registered kind are signed here; Python must
//!   verify each to the same outcome (ok with an equal value, or `SignatureExpired` when the
//!   clocks say so), sign the payload to the same token (unless zlib is involved, or Rust
//!   signed with a fallback or an older key), and reject every tampered variant with the
//!   same error class as Rust.
//! - Python → Rust: `{"op":"generate"}` returns N reference cases (shared between the peers
//!   by their number of kinds), run here as vector cases.
//!
//! Requests stream to the peers while the Rust cases are still being made, and answers are
//! read on other threads: one start per interpreter, and all sides work at the same time.

mod checks;
mod kinds;
mod peer;
mod rng;
mod tamper;
mod values;

use std::process::ExitCode;

use python_json::{Value, json};
use tamperproof_vectors::kinds::Kind;
use tamperproof_vectors::outcome::Outcome;
use tamperproof_vectors::run::{sign_case, verify_case};
use tamperproof_vectors::tally::Tally;
use tamperproof_vectors::vector_file::Case;

use self::checks::{check_answers, fail};
use self::peer::Peer;
use self::rng::Rng;
use crate::report::finish;
use crate::venv::{self, Venv};

/// What one answer from Python is checked for.
enum Check {
    /// The reference's generated cases (this many asked for), to run here.
    Generated(usize),
    /// A case Rust signed: Python's `verify` must give `case.expect` (and the payload).
    Verify(Box<Case>),
    /// Python's `sign` of the case must give the token Rust signed.
    Sign(Box<Case>),
    /// A tampered token: Python's `verify` must fail with the class Rust failed with.
    Tampered(Box<Case>, Outcome),
}

/// One `live.py` and the checks its answers are for, in request order.
struct Lane {
    /// The Python environment.
    name: &'static str,
    /// The kinds whose reference lives there.
    kinds: Vec<&'static str>,
    peer: Peer,
    checks: Vec<Check>,
}

impl Lane {
    fn start(name: &'static str, kinds: Vec<&'static str>) -> Result<Self, String> {
        let venv = Venv::named(name)?;
        let python = venv::ensure(venv)?;
        Ok(Self {
            name,
            kinds,
            peer: Peer::start(&python, venv.live_peer())?,
            checks: Vec::new(),
        })
    }

    fn request(&mut self, request: Value, check: Check) {
        self.peer.send(request);
        self.checks.push(check);
    }
}

pub(crate) fn run(count: usize, seed: Option<u64>, summary: bool) -> Result<ExitCode, String> {
    let seed = seed.unwrap_or_else(time_seed);
    let kinds: Vec<&'static Kind> = tamperproof_vectors::kinds::all().collect();
    eprintln!(
        "live: seed {seed} (repeat with --seed {seed}), {count} cases each way, kinds {}",
        tamperproof_vectors::kinds::names().join(", ")
    );
    // One lane per Python environment, in the order the registry first names them.
    let mut groups: Vec<(&'static str, Vec<&'static str>)> = Vec::new();
    for kind in &kinds {
        match groups.iter_mut().find(|(env, _)| *env == kind.python_env) {
            Some((_, names)) => names.push(kind.name),
            None => groups.push((kind.python_env, vec![kind.name])),
        }
    }
    let mut lanes = Vec::new();
    for (name, lane_kinds) in groups {
        lanes.push(Lane::start(name, lane_kinds)?);
    }

    // The reference's own cases: each peer makes its share, by number of kinds.
    let mut left = count;
    let lane_count = lanes.len();
    for (index, lane) in lanes.iter_mut().enumerate() {
        let share = if index.saturating_add(1) == lane_count {
            left
        } else {
            count.saturating_mul(lane.kinds.len()) / kinds.len().max(1)
        };
        left = left.saturating_sub(share);
        let request = json!({"op": "generate", "seed": seed, "count": share, "kinds": lane.kinds});
        lane.request(request, Check::Generated(share));
    }

    let mut tally = Tally::default();
    // Python answers while the rest is prepared here.
    let mut rng = Rng::new(seed);
    for n in 0..count {
        let Some(kind) = kinds.get(rng.index(kinds.len())).copied() else {
            break;
        };
        let name = kind.name;
        let Some(lane) = lanes.iter_mut().find(|lane| lane.kinds.contains(&name)) else {
            fail(&mut tally, name, name, "no Python peer has this kind");
            continue;
        };
        let draft = match kinds::draft(&mut rng, kind, format!("{name}/rust-live-{seed}-{n:05}")) {
            Ok(draft) => draft,
            Err(reason) => {
                fail(&mut tally, name, name, &reason);
                continue;
            }
        };
        // Python signs with the case's parameters: comparable only when Rust did too.
        let same_signer = draft.sign_params == draft.case.params;
        let mut case = draft.case;
        case.id = format!("{}-{}", case.id, draft.label);
        let signing = Case {
            params: draft.sign_params.clone(),
            ..case.clone()
        };
        match sign_case(&signing) {
            Ok(token) => case.token = token,
            Err(reason) => {
                fail(
                    &mut tally,
                    &case.id,
                    name,
                    &format!("Rust cannot sign: {reason}"),
                );
                continue;
            }
        }
        let sep = draft
            .sign_params
            .signer
            .sep
            .clone()
            .unwrap_or_else(|| b".".to_vec());
        for (label, token) in kinds::tampers(&mut rng, kind, &case, &sep) {
            let tampered = Case {
                id: format!("{}/{label}", case.id),
                token,
                ..case.clone()
            };
            match verify_case(&tampered) {
                Ok(outcome) => lane.request(
                    json!({"op": "verify", "case": tampered.to_json()}),
                    Check::Tampered(Box::new(tampered), outcome),
                ),
                Err(reason) => fail(&mut tally, &tampered.id, name, &reason),
            }
        }
        if same_signer {
            lane.request(
                json!({"op": "sign", "case": case.to_json()}),
                Check::Sign(Box::new(case.clone())),
            );
        }
        lane.request(
            json!({"op": "verify", "case": case.to_json()}),
            Check::Verify(Box::new(case)),
        );
    }

    // Close every stdin first, so the peers finish their queues side by side.
    let mut finished = Vec::new();
    for lane in lanes {
        let Lane {
            name, peer, checks, ..
        } = lane;
        finished.push((name, peer.close(), checks));
    }
    for (name, peer, checks) in finished {
        let answers = peer.finish()?;
        check_answers(&mut tally, &checks, &answers);
        if answers.len() != checks.len() {
            fail(
                &mut tally,
                &format!("live.py ({name})"),
                "(peer)",
                &format!("answered {} of {} requests", answers.len(), checks.len()),
            );
        }
    }
    Ok(finish(&tally, summary))
}

fn time_seed() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() ^ u64::from(d.subsec_nanos()))
        % 1_000_000_000
}
