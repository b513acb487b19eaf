//! ISO 8601 rendering of Unix times and ages, without a date library.
//!
//! Why no date crate: the CLI needs exactly one calendar conversion (days since 1970 to a
//! proleptic Gregorian date) for `YYYY-MM-DDTHH:MM:SSZ` and Python's `datetime` repr; Flask's
//! own HTTP-date format is the library's business (sign-flask). Thirty tested lines cost less
//! than a date crate's dependency tree and build time.

use std::time::{SystemTime, UNIX_EPOCH};

/// `seconds` since 1970 as `YYYY-MM-DDTHH:MM:SSZ` (proleptic Gregorian, UTC).
pub(crate) fn iso8601(seconds: i64) -> String {
    let days = seconds.div_euclid(86_400);
    let rem = seconds.rem_euclid(86_400);
    let (year, month, day) = civil(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        (rem % 3600) / 60,
        rem % 60
    )
}

/// Howard Hinnant's `civil_from_days`: (year, month, day) of a day count since 1970-01-01.
pub(crate) fn civil(days: i64) -> (i64, i64, i64) {
    let z = days.saturating_add(719_468);
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// The current Unix time in seconds.
pub(crate) fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// A `SystemTime` as Unix seconds (before 1970 is negative).
pub(crate) fn unix(time: SystemTime) -> i64 {
    match time.duration_since(UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
        Err(e) => -i64::try_from(e.duration().as_secs()).unwrap_or(i64::MAX),
    }
}

/// An age in seconds as `3d 04h 05m 06s` (`in the future` when negative).
pub(crate) fn age(seconds: i64) -> String {
    let magnitude = seconds.unsigned_abs();
    let (d, h, m, s) = (
        magnitude / 86_400,
        magnitude % 86_400 / 3600,
        magnitude % 3600 / 60,
        magnitude % 60,
    );
    let text = if d > 0 {
        format!("{d}d {h:02}h {m:02}m {s:02}s")
    } else {
        format!("{h:02}h {m:02}m {s:02}s")
    };
    if seconds < 0 {
        format!("{text} in the future")
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_times() {
        assert_eq!(iso8601(0), "1970-01-01T00:00:00Z");
        assert_eq!(iso8601(1_308_874_145), "2011-06-24T00:09:05Z");
        assert_eq!(iso8601(1_700_000_000), "2023-11-14T22:13:20Z");
        assert_eq!(iso8601(253_402_300_799), "9999-12-31T23:59:59Z");
        assert_eq!(iso8601(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(iso8601(-1), "1969-12-31T23:59:59Z");
    }

    #[test]
    fn ages() {
        assert_eq!(age(59), "00h 00m 59s");
        assert_eq!(age(90_061), "1d 01h 01m 01s");
        assert_eq!(age(-3600), "01h 00m 00s in the future");
    }
}
