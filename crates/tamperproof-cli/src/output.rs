//! What a command prints: one [`Report`] rendered as JSON (`--json`) or text, written so that
//! a closed pipe (EPIPE) ends the program quietly instead of panicking.

use std::io::Write;

use python_json::{Map, Value};

use crate::Failure;

/// The result of a command: the JSON document, the text for standard output, and notes for
/// standard error (text mode only).
#[derive(Debug, Default)]
pub(crate) struct Report {
    json: Map,
    text: String,
    notes: Vec<String>,
}

impl Report {
    /// An `{"ok": true}` report with no text.
    pub(crate) fn ok() -> Self {
        let mut json = Map::new();
        json.insert("ok".into(), Value::Bool(true));
        Self {
            json,
            ..Self::default()
        }
    }

    /// Adds a JSON field.
    pub(crate) fn field(mut self, key: &str, value: impl Into<Value>) -> Self {
        self.json.insert(key.to_owned(), value.into());
        self
    }

    /// Adds a JSON field in place.
    pub(crate) fn set(&mut self, key: &str, value: impl Into<Value>) {
        self.json.insert(key.to_owned(), value.into());
    }

    /// Adds a line of text output.
    pub(crate) fn line(mut self, line: impl AsRef<str>) -> Self {
        self.push_line(line);
        self
    }

    /// Adds a line of text output in place.
    pub(crate) fn push_line(&mut self, line: impl AsRef<str>) {
        self.text.push_str(line.as_ref());
        self.text.push('\n');
    }

    /// Adds a byte string as a JSON field: text when it is UTF-8, else base64 under
    /// `<key>_base64`.
    pub(crate) fn bytes_field(mut self, key: &str, bytes: &[u8]) -> Self {
        use base64::Engine;
        match std::str::from_utf8(bytes) {
            Ok(text) => self.set(key, text),
            Err(_) => self.set(
                &format!("{key}_base64"),
                base64::engine::general_purpose::STANDARD.encode(bytes),
            ),
        }
        self
    }

    /// Adds a note for standard error (text mode; in JSON mode the fields say it).
    pub(crate) fn note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    /// Writes the report.
    ///
    /// # Errors
    /// A usage error when standard output fails for another reason than a closed pipe.
    pub(crate) fn emit(&self, json: bool) -> Result<(), Failure> {
        if json {
            let doc = Value::Object(self.json.clone());
            write_stdout(format!("{doc}\n").as_bytes())
        } else {
            for note in &self.notes {
                note_line(note);
            }
            write_stdout(self.text.as_bytes())
        }
    }
}

/// Writes `bytes` to standard output. A closed pipe is not an error: the reader has
/// everything it wanted.
///
/// # Errors
/// A usage error for any other write failure.
pub(crate) fn write_stdout(bytes: &[u8]) -> Result<(), Failure> {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Failure::Usage(format!("cannot write output: {e}"))),
    }
}

/// One line on standard error; a closed standard error is ignored (never a panic).
pub(crate) fn note_line(line: &str) {
    let mut stderr = std::io::stderr().lock();
    let _ = stderr
        .write_all(line.as_bytes())
        .and_then(|()| stderr.write_all(b"\n"));
}
