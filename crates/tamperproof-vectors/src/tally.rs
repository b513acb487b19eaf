//! Passed and failed counts of a run, overall and per kind, and the lines that report them.

use std::collections::BTreeMap;

/// Passed and failed counts, overall and per kind.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    /// Cases that passed.
    pub passed: usize,
    /// Cases that failed.
    pub failed: usize,
    /// Per kind: (passed, failed).
    pub per_kind: BTreeMap<String, (usize, usize)>,
}

impl Tally {
    /// Counts one result.
    pub fn add(&mut self, kind: &str, passed: bool) {
        let entry = self.per_kind.entry(kind.to_owned()).or_default();
        if passed {
            self.passed = self.passed.saturating_add(1);
            entry.0 = entry.0.saturating_add(1);
        } else {
            self.failed = self.failed.saturating_add(1);
            entry.1 = entry.1.saturating_add(1);
        }
    }

    /// One line per kind: `  <kind>: N passed, M failed`.
    #[must_use]
    pub fn per_kind_lines(&self) -> Vec<String> {
        self.per_kind
            .iter()
            .map(|(kind, (passed, failed))| {
                let kind = if kind.is_empty() { "(no kind)" } else { kind };
                format!("  {kind}: {passed} passed, {failed} failed")
            })
            .collect()
    }

    /// `N passed, M failed`.
    #[must_use]
    pub fn final_line(&self) -> String {
        format!("{} passed, {} failed", self.passed, self.failed)
    }
}
