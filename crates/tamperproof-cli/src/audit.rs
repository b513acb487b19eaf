//! `tamperproof audit`: try every key of a wordlist against a token, on every core.

use std::fs::File;
use std::io::{BufRead, BufReader, IsTerminal, Write};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use tamperproof::KeyAudit;
use zeroize::{Zeroize, Zeroizing};

use crate::input::wordlist_candidate;

/// Lines taken from the wordlist per lock: large enough that the lock is cold.
const BATCH: usize = 4096;
/// Longer wordlist lines are cut here, so one huge line cannot exhaust memory.
const MAX_LINE: usize = 64 * 1024;
/// A batch also ends once it holds this many bytes, so a worker never holds more than about
/// this much (plus one line) whatever the wordlist looks like.
const MAX_BATCH_BYTES: usize = 4 * 1024 * 1024;

/// What the audit found.
#[derive(Debug)]
pub(crate) struct AuditResult {
    /// The matching key, if any (wiped on drop).
    pub(crate) key: Option<Zeroizing<Vec<u8>>>,
    /// Candidates tried.
    pub(crate) tried: u64,
    /// Wall time.
    pub(crate) elapsed: Duration,
}

/// Streams `wordlist` through `threads` workers checking each line against `audit`.
pub(crate) fn run(
    audit: &KeyAudit,
    wordlist: File,
    threads: usize,
    progress: bool,
) -> std::io::Result<AuditResult> {
    let reader = Mutex::new(BufReader::with_capacity(1 << 20, wordlist));
    let found: Mutex<Option<Zeroizing<Vec<u8>>>> = Mutex::new(None);
    let stop = AtomicBool::new(false);
    let tried = AtomicU64::new(0);
    let io_error: Mutex<Option<std::io::Error>> = Mutex::new(None);
    let start = Instant::now();
    let show_progress = progress && std::io::stderr().is_terminal();
    let active = AtomicUsize::new(threads.max(1));
    std::thread::scope(|scope| {
        for _ in 0..threads.max(1) {
            scope.spawn(|| {
                work(audit, &reader, &found, &stop, &tried, &io_error);
                active.fetch_sub(1, Ordering::Release);
            });
        }
        if show_progress {
            scope.spawn(|| {
                let mut stderr = std::io::stderr();
                while active.load(Ordering::Acquire) > 0 {
                    std::thread::sleep(Duration::from_millis(200));
                    let n = tried.load(Ordering::Relaxed);
                    let rate = n as f64 / start.elapsed().as_secs_f64().max(1e-9);
                    let _ = write!(stderr, "\r{n} keys tried, {rate:.0} keys/s   ");
                }
                let _ = writeln!(stderr);
            });
        }
    });
    if let Some(e) = io_error
        .into_inner()
        .unwrap_or_else(PoisonError::into_inner)
    {
        return Err(e);
    }
    Ok(AuditResult {
        key: found.into_inner().unwrap_or_else(PoisonError::into_inner),
        tried: tried.load(Ordering::Relaxed),
        elapsed: start.elapsed(),
    })
}

/// One worker: take a batch of lines under the lock, check them, repeat until the end of the
/// wordlist, a match, or an I/O error.
fn work(
    audit: &KeyAudit,
    reader: &Mutex<BufReader<File>>,
    found: &Mutex<Option<Zeroizing<Vec<u8>>>>,
    stop: &AtomicBool,
    tried: &AtomicU64,
    io_error: &Mutex<Option<std::io::Error>>,
) {
    // Candidate lines may include the real key: the buffers are wiped when the worker ends.
    let mut batch: Zeroizing<Vec<Vec<u8>>> = Zeroizing::new(Vec::with_capacity(BATCH));
    while !stop.load(Ordering::Relaxed) {
        let filled = {
            let mut reader = reader.lock().unwrap_or_else(PoisonError::into_inner);
            fill_batch(&mut *reader, &mut batch)
        };
        match filled {
            Ok(0) => return,
            Ok(_) => {}
            Err(e) => {
                *io_error.lock().unwrap_or_else(PoisonError::into_inner) = Some(e);
                stop.store(true, Ordering::Relaxed);
                return;
            }
        }
        let mut checked = 0u64;
        for line in batch.iter() {
            checked += 1;
            let mut candidate = wordlist_candidate(line);
            let matched = audit.matches(&candidate);
            if matched {
                *found.lock().unwrap_or_else(PoisonError::into_inner) =
                    Some(Zeroizing::new(candidate.to_vec()));
                stop.store(true, Ordering::Relaxed);
            }
            // A decoded bytes literal is a copy of the candidate: wipe it.
            if let std::borrow::Cow::Owned(bytes) = &mut candidate {
                bytes.zeroize();
            }
            if matched {
                break;
            }
        }
        tried.fetch_add(checked, Ordering::Relaxed);
    }
}

/// Reads up to [`BATCH`] lines into `batch`, reusing its buffers. Returns how many.
fn fill_batch(reader: &mut impl BufRead, batch: &mut Vec<Vec<u8>>) -> std::io::Result<usize> {
    let mut count = 0;
    let mut bytes = 0usize;
    while count < BATCH && bytes < MAX_BATCH_BYTES {
        if batch.len() <= count {
            batch.push(Vec::new());
        }
        let Some(line) = batch.get_mut(count) else {
            break;
        };
        if line.capacity() > MAX_LINE.saturating_mul(2) {
            line.zeroize();
            *line = Vec::new();
        }
        if !read_line_bounded(reader, line)? {
            break;
        }
        bytes = bytes.saturating_add(line.len());
        count += 1;
    }
    // Lines left over from a longer batch are wiped before they are freed.
    for stale in batch.iter_mut().skip(count) {
        stale.zeroize();
    }
    batch.truncate(count);
    Ok(count)
}

/// Reads one line without its `\n` / `\r\n`, keeping at most [`MAX_LINE`] bytes of it.
/// Returns false at the end of input.
fn read_line_bounded(reader: &mut impl BufRead, line: &mut Vec<u8>) -> std::io::Result<bool> {
    // Wipes the previous candidate (and the spare capacity) before reuse.
    line.zeroize();
    let mut any = false;
    loop {
        let chunk = reader.fill_buf()?;
        if chunk.is_empty() {
            break;
        }
        any = true;
        let (take, done) = match chunk.iter().position(|b| *b == b'\n') {
            Some(i) => (i, true),
            None => (chunk.len(), false),
        };
        let room = MAX_LINE.saturating_sub(line.len());
        line.extend_from_slice(chunk.get(..take.min(room)).unwrap_or_default());
        reader.consume(if done { take + 1 } else { take });
        if done {
            break;
        }
    }
    if line.last() == Some(&b'\r') {
        line.pop();
    }
    Ok(any)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_bounded_and_stripped() {
        let data = [
            b"one\r\ntwo\n".to_vec(),
            vec![b'x'; MAX_LINE * 2],
            b"\nlast".to_vec(),
        ]
        .concat();
        let mut reader = std::io::Cursor::new(data);
        let mut batch = Vec::new();
        assert_eq!(fill_batch(&mut reader, &mut batch).unwrap(), 4);
        assert_eq!(batch[0], b"one");
        assert_eq!(batch[1], b"two");
        assert_eq!(batch[2].len(), MAX_LINE);
        assert_eq!(batch[3], b"last");
        assert_eq!(fill_batch(&mut reader, &mut batch).unwrap(), 0);
    }
}
