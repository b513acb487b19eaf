//! `tamperproof audit`: try every key of a wordlist against a token under one or more
//! profiles, in one pass, on every core; a progress bar on a terminal; SIGINT stops it with
//! the summary.

use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use tamperproof::{KeyAudit, KeyMatcher};
use zeroize::{Zeroize, Zeroizing};

use crate::input::wordlist_candidate;
use crate::wordlist::{Wordlist, lines};

/// A token prepared under one configuration, and what the application puts in front of its
/// secret key before deriving (Django's cookie signer: `django.http.cookies`).
#[derive(Debug)]
pub(crate) struct Check {
    /// The prepared token.
    pub(crate) audit: KeyAudit,
    /// The key prefix (empty for most applications).
    pub(crate) key_prefix: &'static [u8],
}

/// The longest key prefix a [`Check`] may have (the scratch buffer never reallocates).
const MAX_KEY_PREFIX: usize = 64;

impl Check {
    /// Whether `candidate` signed the token; a prefixed key is assembled in `scratch`
    /// (sized once, overwritten by every candidate and wiped, whole capacity, when the
    /// worker ends: wiping its 64 KiB for every candidate cost more than the HMACs).
    fn matches(
        &self,
        matcher: &mut KeyMatcher<'_>,
        candidate: &[u8],
        scratch: &mut Vec<u8>,
    ) -> bool {
        if self.key_prefix.is_empty() {
            return matcher.matches(candidate);
        }
        if self.key_prefix.len() + candidate.len() > scratch.capacity() {
            return false;
        }
        scratch.clear();
        scratch.extend_from_slice(self.key_prefix);
        scratch.extend_from_slice(candidate);
        matcher.matches(scratch)
    }
}

/// A found key and the index of the audit (profile) it matched.
pub(crate) type Found = (Zeroizing<Vec<u8>>, usize);

/// What the audit found.
#[derive(Debug)]
pub(crate) struct AuditResult {
    /// The matching key and the index of the profile it matched, if any.
    pub(crate) found: Option<Found>,
    /// Candidates tried.
    pub(crate) tried: u64,
    /// Wall time.
    pub(crate) elapsed: Duration,
    /// Whether SIGINT stopped it.
    pub(crate) interrupted: bool,
    /// Worker threads that ran.
    pub(crate) threads: usize,
}

/// Why an audit could not run to its end.
#[derive(Debug)]
pub(crate) enum AuditError {
    /// Reading the wordlist failed.
    Read(std::io::Error),
    /// A worker thread could not be started.
    Spawn(std::io::Error),
}

/// Streams `wordlist` through `threads` workers checking each line against every audit.
///
/// # Errors
/// [`AuditError`]; the workers already started are stopped and joined first.
pub(crate) fn run(
    audits: &[Check],
    wordlist: Wordlist,
    threads: usize,
    progress: bool,
    interrupted: &AtomicBool,
) -> Result<AuditResult, AuditError> {
    let total = wordlist.total;
    let consumed = std::sync::Arc::clone(&wordlist.consumed);
    let reader = Mutex::new(wordlist);
    let found: Mutex<Option<Found>> = Mutex::new(None);
    let stop = AtomicBool::new(false);
    let tried = AtomicU64::new(0);
    let read_error: Mutex<Option<std::io::Error>> = Mutex::new(None);
    let start = Instant::now();
    let bar = progress_bar(progress, total);
    let active = AtomicUsize::new(0);
    let mut spawn_error = None;
    std::thread::scope(|scope| {
        for n in 0..threads.max(1) {
            let shared = Shared {
                audits,
                reader: &reader,
                found: &found,
                stop: &stop,
                tried: &tried,
                read_error: &read_error,
                active: &active,
            };
            active.fetch_add(1, Ordering::AcqRel);
            let spawned = std::thread::Builder::new()
                .name(format!("audit-{n}"))
                .spawn_scoped(scope, move || shared.work());
            if let Err(e) = spawned {
                active.fetch_sub(1, Ordering::AcqRel);
                stop.store(true, Ordering::Relaxed);
                spawn_error = Some(e);
                break;
            }
        }
        while active.load(Ordering::Acquire) > 0 {
            std::thread::sleep(Duration::from_millis(50));
            if interrupted.load(Ordering::Relaxed) {
                stop.store(true, Ordering::Relaxed);
            }
            let n = tried.load(Ordering::Relaxed);
            bar.set_position(consumed.load(Ordering::Relaxed));
            let rate = n as f64 / start.elapsed().as_secs_f64().max(1e-9);
            bar.set_message(format!("{n} keys, {rate:.0} keys/s"));
        }
    });
    bar.finish_and_clear();
    if let Some(e) = spawn_error {
        return Err(AuditError::Spawn(e));
    }
    if let Some(e) = read_error
        .into_inner()
        .unwrap_or_else(PoisonError::into_inner)
    {
        return Err(AuditError::Read(e));
    }
    let found = found.into_inner().unwrap_or_else(PoisonError::into_inner);
    Ok(AuditResult {
        interrupted: found.is_none() && interrupted.load(Ordering::Relaxed),
        found,
        tried: tried.load(Ordering::Relaxed),
        elapsed: start.elapsed(),
        threads: threads.max(1),
    })
}

fn progress_bar(progress: bool, total: Option<u64>) -> ProgressBar {
    if !progress {
        return ProgressBar::hidden();
    }
    // indicatif draws nothing when standard error is not a terminal.
    let target = ProgressDrawTarget::stderr_with_hz(10);
    let (bar, template) = match total {
        Some(total) => (
            ProgressBar::with_draw_target(Some(total), target),
            "{bar:30} {percent:>3}% {msg} ETA {eta}",
        ),
        None => (
            ProgressBar::with_draw_target(None, target),
            "{spinner} {msg} ({elapsed})",
        ),
    };
    if let Ok(style) = ProgressStyle::with_template(template) {
        bar.set_style(style);
    }
    bar
}

/// What every worker shares.
#[derive(Clone, Copy)]
struct Shared<'a> {
    audits: &'a [Check],
    reader: &'a Mutex<Wordlist>,
    found: &'a Mutex<Option<Found>>,
    stop: &'a AtomicBool,
    tried: &'a AtomicU64,
    read_error: &'a Mutex<Option<std::io::Error>>,
    active: &'a AtomicUsize,
}

impl Shared<'_> {
    /// One worker: take a chunk of lines under the lock, check them, repeat until the end of
    /// the wordlist, a match, a stop request or a read error.
    fn work(self) {
        // Candidate lines may include the real key: the chunk is sized once for the longest
        // chunk (no reallocation leaves a copy behind) and wiped when the worker ends.
        let mut chunk = Zeroizing::new(Vec::with_capacity(crate::wordlist::MAX_CHUNK));
        let mut scratch = Zeroizing::new(Vec::with_capacity(
            MAX_KEY_PREFIX + crate::wordlist::MAX_LINE + 1,
        ));
        // One matcher per check: reused for every candidate, wiped when dropped.
        let mut matchers: Vec<KeyMatcher<'_>> = self
            .audits
            .iter()
            .map(|check| check.audit.matcher())
            .collect();
        while !self.stop.load(Ordering::Relaxed) {
            let filled = {
                let mut reader = self.reader.lock().unwrap_or_else(PoisonError::into_inner);
                reader.next_chunk(&mut chunk)
            };
            match filled {
                Ok(true) => {}
                Ok(false) => break,
                Err(e) => {
                    *self
                        .read_error
                        .lock()
                        .unwrap_or_else(PoisonError::into_inner) = Some(e);
                    self.stop.store(true, Ordering::Relaxed);
                    break;
                }
            }
            let mut checked = 0u64;
            'lines: for line in lines(&chunk) {
                checked += 1;
                let mut candidate = wordlist_candidate(line);
                let matched = self
                    .audits
                    .iter()
                    .zip(matchers.iter_mut())
                    .position(|(check, matcher)| check.matches(matcher, &candidate, &mut scratch));
                if let Some(index) = matched {
                    *self.found.lock().unwrap_or_else(PoisonError::into_inner) =
                        Some((Zeroizing::new(candidate.to_vec()), index));
                    self.stop.store(true, Ordering::Relaxed);
                }
                // A decoded bytes literal is a copy of the candidate: wipe it.
                if let std::borrow::Cow::Owned(bytes) = &mut candidate {
                    bytes.zeroize();
                }
                if matched.is_some() {
                    break 'lines;
                }
                if checked.is_multiple_of(4096) && self.stop.load(Ordering::Relaxed) {
                    break;
                }
            }
            self.tried.fetch_add(checked, Ordering::Relaxed);
        }
        self.active.fetch_sub(1, Ordering::AcqRel);
    }
}
