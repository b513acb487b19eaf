//! The non-JSON values Flask tags: `Markup`, `UUID` and `datetime`.

use std::fmt;
use std::str::FromStr;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::TagError;
use crate::value::{SessionValue, serialize_single_tag};

/// HTML that Flask's `markupsafe.Markup` marks as safe (tag `" m"`).
///
/// This crate does not escape or sanitise anything: the string is stored and compared as is.
/// Treat markup read from a cookie signed by your own key as exactly as trusted as that key.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Markup(String);

impl Markup {
    /// Wraps `html`.
    #[must_use]
    pub fn new(html: impl Into<String>) -> Self {
        Self(html.into())
    }

    /// The HTML text.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The HTML text, owned.
    #[must_use]
    pub fn into_string(self) -> String {
        self.0
    }
}

impl fmt::Display for Markup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A UUID as Python's `uuid.UUID` (tag `" u"`): 16 bytes, written as 32 lowercase hex digits.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Uuid([u8; 16]);

impl Uuid {
    /// The UUID with these 16 bytes (big-endian, as Python's `UUID(bytes=...)`).
    #[must_use]
    pub const fn from_bytes(bytes: [u8; 16]) -> Self {
        Self(bytes)
    }

    /// The 16 bytes.
    #[must_use]
    pub const fn as_bytes(&self) -> &[u8; 16] {
        &self.0
    }

    /// Parses a UUID as Python's `UUID(text)` does: `urn:` and `uuid:` prefixes, braces and
    /// hyphens are ignored, and 32 hex digits must remain (either case).
    ///
    /// # Errors
    /// [`TagError`] when the text is not a UUID.
    pub fn parse(text: &str) -> Result<Self, TagError> {
        let cleaned = text.replace("urn:", "").replace("uuid:", "");
        let digits: Vec<u8> = cleaned
            .trim_matches(|c| c == '{' || c == '}')
            .bytes()
            .filter(|&b| b != b'-')
            .collect();
        let bad = || TagError::new("badly formed hexadecimal uuid string");
        if digits.len() != 32 {
            return Err(bad());
        }
        let mut bytes = [0u8; 16];
        for (byte, pair) in bytes.iter_mut().zip(digits.chunks_exact(2)) {
            let text = std::str::from_utf8(pair).map_err(|_| bad())?;
            if !pair.iter().all(u8::is_ascii_hexdigit) {
                return Err(bad());
            }
            *byte = u8::from_str_radix(text, 16).map_err(|_| bad())?;
        }
        Ok(Self(bytes))
    }

    /// Python's `UUID.hex`: 32 lowercase hex digits, the form Flask writes.
    #[must_use]
    pub fn to_simple(&self) -> String {
        use fmt::Write;
        let mut out = String::with_capacity(32);
        for byte in self.0 {
            let _ = write!(out, "{byte:02x}");
        }
        out
    }
}

/// Python's `str(uuid)`: the hyphenated form `12345678-1234-5678-1234-567812345678`.
impl fmt::Display for Uuid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let hex = self.to_simple();
        let parts = [(0, 8), (8, 12), (12, 16), (16, 20), (20, 32)];
        for (i, (start, end)) in parts.into_iter().enumerate() {
            if i > 0 {
                f.write_str("-")?;
            }
            f.write_str(hex.get(start..end).unwrap_or_default())?;
        }
        Ok(())
    }
}

impl FromStr for Uuid {
    type Err = TagError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

/// A UTC instant with second precision, as Flask stores a `datetime` (tag `" d"`): written as
/// an HTTP date, `Fri, 24 Jun 2011 00:09:05 GMT`.
///
/// The range is Python's: `0001-01-01 00:00:00` to `9999-12-31 23:59:59` UTC. Python loses
/// microseconds and time zones on the way through a cookie; this type never had them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct HttpDate(i64);

/// `0001-01-01T00:00:00Z` in Unix seconds.
const MIN_UNIX: i64 = -62_135_596_800;
/// `9999-12-31T23:59:59Z` in Unix seconds (Python's largest `datetime`).
#[allow(clippy::cast_possible_wrap)] // 253_402_300_799 fits an i64.
const MAX_UNIX: i64 = sign_core::MAX_PYTHON_TIMESTAMP as i64;

const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

impl HttpDate {
    /// The instant `seconds` after the Unix epoch (negative before it), or `None` outside
    /// years 1 to 9999.
    #[must_use]
    pub const fn from_unix_seconds(seconds: i64) -> Option<Self> {
        if seconds < MIN_UNIX || seconds > MAX_UNIX {
            None
        } else {
            Some(Self(seconds))
        }
    }

    /// Seconds since the Unix epoch.
    #[must_use]
    pub const fn unix_seconds(self) -> i64 {
        self.0
    }

    /// The instant of `time`, truncated to the second (as Flask drops microseconds), or
    /// `None` outside years 1 to 9999.
    #[must_use]
    pub fn from_system_time(time: SystemTime) -> Option<Self> {
        let seconds = match time.duration_since(UNIX_EPOCH) {
            Ok(after) => i64::try_from(after.as_secs()).ok()?,
            Err(before) => {
                let before = before.duration();
                let whole = i64::try_from(before.as_secs()).ok()?;
                // Round toward the past, as the instant lies inside that earlier second.
                if before.subsec_nanos() > 0 {
                    whole.checked_add(1)?.checked_neg()?
                } else {
                    whole.checked_neg()?
                }
            }
        };
        Self::from_unix_seconds(seconds)
    }

    /// The instant as a [`SystemTime`].
    #[must_use]
    pub fn to_system_time(self) -> SystemTime {
        let magnitude = Duration::from_secs(self.0.unsigned_abs());
        if self.0 >= 0 {
            UNIX_EPOCH + magnitude
        } else {
            UNIX_EPOCH - magnitude
        }
    }

    /// Parses an HTTP date as Flask (werkzeug's `parse_date`) reads the `" d"` tag:
    /// `[Www,] DD Mon YYYY HH:MM:SS [ZONE]`, where the weekday is not checked and the zone is
    /// `GMT`, `UT`, `UTC`, `Z`, `+hhmm` or `-hhmm` (none means UTC). The instant is
    /// converted to UTC.
    ///
    /// # Errors
    /// [`TagError`] for anything else, and outside years 1 to 9999. (Werkzeug also reads
    /// RFC 850 and asctime dates, and turns text it cannot read into `None`; see
    /// `docs/flask.md`.)
    pub fn parse(text: &str) -> Result<Self, TagError> {
        let bad = || TagError::new("invalid http date");
        let mut words: Vec<&str> = text.split_whitespace().collect();
        if let Some(first) = words.first()
            && (first.ends_with(',') || WEEKDAYS.iter().any(|d| first.eq_ignore_ascii_case(d)))
        {
            words.remove(0);
        }
        let (day, month, year, clock, zone) = match words.as_slice() {
            [day, month, year, clock] => (*day, *month, *year, *clock, "GMT"),
            [day, month, year, clock, zone] => (*day, *month, *year, *clock, *zone),
            _ => return Err(bad()),
        };
        let number = |s: &str| -> Result<i64, TagError> {
            if s.is_empty() || s.len() > 4 || !s.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad());
            }
            s.parse::<i64>().map_err(|_| bad())
        };
        let day = number(day)?;
        let month = MONTHS
            .iter()
            .position(|m| m.eq_ignore_ascii_case(month))
            .and_then(|m| i64::try_from(m).ok())
            .ok_or_else(bad)?
            .saturating_add(1);
        if year.len() != 4 {
            return Err(bad());
        }
        let year = number(year)?;
        let (hour, minute, second) = match clock.split(':').collect::<Vec<_>>().as_slice() {
            [h, m, s] => (number(h)?, number(m)?, number(s)?),
            _ => return Err(bad()),
        };
        if !(1..=31).contains(&day)
            || day > days_in_month(year, month)
            || hour > 23
            || minute > 59
            || second > 59
        {
            return Err(bad());
        }
        let offset = parse_zone(zone).ok_or_else(bad)?;
        let local = days_from_civil(year, month, day)
            .saturating_mul(86_400)
            .saturating_add(hour * 3600 + minute * 60 + second);
        Self::from_unix_seconds(local.saturating_sub(offset)).ok_or_else(bad)
    }
}

fn parse_zone(zone: &str) -> Option<i64> {
    if ["GMT", "UT", "UTC", "Z"]
        .iter()
        .any(|z| zone.eq_ignore_ascii_case(z))
    {
        return Some(0);
    }
    let (sign, digits) = match zone.as_bytes().split_first() {
        Some((b'+', rest)) => (1, rest),
        Some((b'-', rest)) => (-1, rest),
        _ => return None,
    };
    if digits.len() != 4 || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let value: i64 = std::str::from_utf8(digits).ok()?.parse().ok()?;
    Some(sign * ((value / 100) * 3600 + (value % 100) * 60))
}

const fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

const fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
const fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day number since 1970-01-01.
const fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + if month <= 2 { 1 } else { 0 };
    (year, month, day)
}

/// The HTTP date Flask writes: `Fri, 24 Jun 2011 00:09:05 GMT` (four-digit year).
impl fmt::Display for HttpDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let days = self.0.div_euclid(86_400);
        let secs = self.0.rem_euclid(86_400);
        let (year, month, day) = civil_from_days(days);
        // 1970-01-01 was a Thursday (index 3 from Monday).
        let weekday = WEEKDAYS
            .get(usize::try_from((days + 3).rem_euclid(7)).unwrap_or(0))
            .copied()
            .unwrap_or("Mon");
        let month = MONTHS
            .get(usize::try_from(month - 1).unwrap_or(0))
            .copied()
            .unwrap_or("Jan");
        write!(
            f,
            "{weekday}, {day:02} {month} {year:04} {:02}:{:02}:{:02} GMT",
            secs / 3600,
            secs / 60 % 60,
            secs % 60
        )
    }
}

impl FromStr for HttpDate {
    type Err = TagError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<SystemTime> for HttpDate {
    type Error = TagError;

    fn try_from(time: SystemTime) -> Result<Self, Self::Error> {
        Self::from_system_time(time).ok_or_else(|| TagError::new("date out of range"))
    }
}

impl From<HttpDate> for SystemTime {
    fn from(date: HttpDate) -> Self {
        date.to_system_time()
    }
}

// Each type serializes as its tagged form (`{" m": ...}`, `{" u": ...}`, `{" d": ...}`),
// recognised by the session codec wherever it is nested.

impl Serialize for Markup {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serialize_single_tag(serializer, crate::value::TAG_MARKUP, self.as_str())
    }
}

impl Serialize for Uuid {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serialize_single_tag(serializer, crate::value::TAG_UUID, &self.to_simple())
    }
}

impl Serialize for HttpDate {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serialize_single_tag(serializer, crate::value::TAG_DATETIME, &self.to_string())
    }
}

/// Reads the tagged form, or a plain string (as Python's `Markup(str)`).
impl<'de> Deserialize<'de> for Markup {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match SessionValue::deserialize(deserializer)? {
            SessionValue::Markup(m) => Ok(m),
            SessionValue::String(s) => Ok(Self(s)),
            _ => Err(serde::de::Error::custom("expected markup")),
        }
    }
}

/// Reads the tagged form, or a string in any form [`Uuid::parse`] accepts.
impl<'de> Deserialize<'de> for Uuid {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match SessionValue::deserialize(deserializer)? {
            SessionValue::Uuid(u) => Ok(u),
            SessionValue::String(s) => Self::parse(&s).map_err(serde::de::Error::custom),
            _ => Err(serde::de::Error::custom("expected a uuid")),
        }
    }
}

/// Reads the tagged form, or a string in any form [`HttpDate::parse`] accepts.
impl<'de> Deserialize<'de> for HttpDate {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match SessionValue::deserialize(deserializer)? {
            SessionValue::DateTime(d) => Ok(d),
            SessionValue::String(s) => Self::parse(&s).map_err(serde::de::Error::custom),
            _ => Err(serde::de::Error::custom("expected a datetime")),
        }
    }
}
