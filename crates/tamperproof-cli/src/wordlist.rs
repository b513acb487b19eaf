//! Wordlists: a file or standard input (`-`), gzip-compressed or not (recognised by its
//! magic bytes), read in chunks that end at a line break, with a byte count for progress.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use flate2::bufread::MultiGzDecoder;

/// Longer wordlist lines are cut here, so one huge line cannot exhaust memory.
pub(crate) const MAX_LINE: usize = 64 * 1024;
/// Bytes a worker takes per turn (plus the rest of the last line, at most [`MAX_LINE`]).
pub(crate) const CHUNK: usize = 256 * 1024;
/// The longest chunk [`Wordlist::next_chunk`] returns: a buffer of this capacity never
/// reallocates (a reallocation would leave an unwiped copy of candidate keys behind).
pub(crate) const MAX_CHUNK: usize = CHUNK + MAX_LINE + 1;

/// An open wordlist.
pub(crate) struct Wordlist {
    reader: Box<dyn BufRead + Send>,
    /// Size of the input in bytes when known (a file, compressed size for gzip).
    pub(crate) total: Option<u64>,
    /// Input bytes read so far (compressed bytes for gzip), for progress.
    pub(crate) consumed: Arc<AtomicU64>,
    /// Whether the input is gzip.
    pub(crate) gzip: bool,
    eof: bool,
}

impl std::fmt::Debug for Wordlist {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Wordlist")
            .field("total", &self.total)
            .field("gzip", &self.gzip)
            .finish_non_exhaustive()
    }
}

/// Counts the bytes read through it.
struct Counting<R> {
    inner: R,
    count: Arc<AtomicU64>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

impl Wordlist {
    /// Opens `path`, or standard input for `-`.
    ///
    /// # Errors
    /// When the file cannot be opened or read.
    pub(crate) fn open(path: &Path) -> std::io::Result<Self> {
        let consumed = Arc::new(AtomicU64::new(0));
        let (source, total): (Box<dyn Read + Send>, Option<u64>) = if path.as_os_str() == "-" {
            (Box::new(std::io::stdin()), None)
        } else {
            let file = File::open(path)?;
            let total = file.metadata().ok().map(|m| m.len());
            (Box::new(file), total)
        };
        let counting = Counting {
            inner: source,
            count: Arc::clone(&consumed),
        };
        let mut buffered = BufReader::with_capacity(1 << 20, counting);
        let gzip = buffered.fill_buf()?.starts_with(&[0x1f, 0x8b]);
        let reader: Box<dyn BufRead + Send> = if gzip {
            Box::new(BufReader::with_capacity(
                1 << 20,
                MultiGzDecoder::new(buffered),
            ))
        } else {
            Box::new(buffered)
        };
        Ok(Self {
            reader,
            total,
            consumed,
            gzip,
            eof: false,
        })
    }

    /// Replaces `buf` with the next chunk of whole lines (about [`CHUNK`] bytes). Returns
    /// false at the end of input.
    ///
    /// # Errors
    /// Read errors (and corrupt gzip data).
    pub(crate) fn next_chunk(&mut self, buf: &mut Vec<u8>) -> std::io::Result<bool> {
        buf.clear();
        while buf.len() < CHUNK && !self.eof {
            let data = self.reader.fill_buf()?;
            if data.is_empty() {
                self.eof = true;
                break;
            }
            let take = data.len().min(CHUNK - buf.len());
            buf.extend_from_slice(data.get(..take).unwrap_or_default());
            self.reader.consume(take);
        }
        if buf.last() != Some(&b'\n') && !self.eof {
            self.finish_line(buf)?;
        }
        Ok(!buf.is_empty())
    }

    /// Reads to the end of the current line, keeping at most [`MAX_LINE`] more bytes.
    fn finish_line(&mut self, buf: &mut Vec<u8>) -> std::io::Result<()> {
        let mut kept = 0usize;
        loop {
            let data = self.reader.fill_buf()?;
            if data.is_empty() {
                self.eof = true;
                return Ok(());
            }
            let (take, done) = match data.iter().position(|b| *b == b'\n') {
                Some(i) => (i + 1, true),
                None => (data.len(), false),
            };
            let room = MAX_LINE.saturating_sub(kept);
            let keep = take.min(room);
            buf.extend_from_slice(data.get(..keep).unwrap_or_default());
            kept += keep;
            self.reader.consume(take);
            if done {
                if buf.last() != Some(&b'\n') {
                    buf.push(b'\n');
                }
                return Ok(());
            }
        }
    }
}

/// The lines of a chunk without their `\n` / `\r\n`, each cut at [`MAX_LINE`] bytes.
pub(crate) fn lines(chunk: &[u8]) -> impl Iterator<Item = &[u8]> {
    let body = chunk.strip_suffix(b"\n").unwrap_or(chunk);
    let empty = chunk.is_empty();
    body.split(|b| *b == b'\n')
        .filter(move |_| !empty)
        .map(|line| {
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            line.get(..MAX_LINE).unwrap_or(line)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all_lines(data: Vec<u8>) -> Vec<Vec<u8>> {
        let mut list = Wordlist {
            reader: Box::new(std::io::Cursor::new(data)),
            total: None,
            consumed: Arc::default(),
            gzip: false,
            eof: false,
        };
        let mut out = Vec::new();
        let mut buf = Vec::new();
        while list.next_chunk(&mut buf).unwrap() {
            assert!(buf.len() <= MAX_CHUNK);
            out.extend(lines(&buf).map(<[u8]>::to_vec));
        }
        out
    }

    #[test]
    fn lines_are_bounded_and_stripped() {
        let data = [
            b"one\r\ntwo\n\n".to_vec(),
            vec![b'x'; CHUNK * 2],
            b"\nlast".to_vec(),
        ]
        .concat();
        let lines = all_lines(data);
        assert_eq!(lines[0], b"one");
        assert_eq!(lines[1], b"two");
        assert_eq!(lines[2], b"");
        assert!(lines[3].len() <= MAX_LINE);
        assert_eq!(lines.last().unwrap(), b"last");
    }

    #[test]
    fn many_lines_across_chunks() {
        let data: Vec<u8> = (0..100_000)
            .flat_map(|i| format!("key{i}\n").into_bytes())
            .collect();
        let lines = all_lines(data);
        assert_eq!(lines.len(), 100_000);
        assert_eq!(lines[99_999], b"key99999");
    }
}
