//! The end of a vector run (`compat` and `compat --live`): the per-kind lines, the final
//! `N passed, M failed` line and the exit code.

use std::process::ExitCode;

use tamperproof_vectors::tally::Tally;

/// Prints the per-kind lines (with `--summary`) and the final line; the exit code.
pub(crate) fn finish(tally: &Tally, summary: bool) -> ExitCode {
    if summary {
        for line in tally.per_kind_lines() {
            println!("{line}");
        }
    }
    println!("{}", tally.final_line());
    if tally.failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
