//! Time in the service's terms: Unix seconds, and local days in UTC+8.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// The service's local offset from UTC (China Standard Time), in seconds.
pub const LOCAL_OFFSET: i64 = 8 * 3600;
/// Seconds in a day.
pub const DAY: i64 = 86_400;

/// Now, in Unix seconds.
pub fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// The clock sessions, deadlines and request limits are judged by: the system's, moved
/// on by [`Clock::advance`] in tests that need time to pass (an expired session, a missed
/// deadline, a refilled limit) without waiting, and held still by [`Clock::stop`] in tests
/// that must not see it move on its own.
#[derive(Debug, Clone)]
pub struct Clock {
    offset: Arc<AtomicI64>,
    /// The system time it was stopped at, or [`RUNNING`].
    stopped_at: Arc<AtomicI64>,
}

/// What [`Clock::stopped_at`] holds while the clock follows the system's.
const RUNNING: i64 = i64::MIN;

impl Default for Clock {
    fn default() -> Clock {
        Clock {
            offset: Arc::default(),
            stopped_at: Arc::new(AtomicI64::new(RUNNING)),
        }
    }
}

impl Clock {
    /// Now, in Unix seconds.
    pub fn now(&self) -> i64 {
        let base = match self.stopped_at.load(Ordering::Relaxed) {
            RUNNING => now(),
            at => at,
        };
        base + self.offset.load(Ordering::Relaxed)
    }

    /// Stops this clock where it is: from now on only [`Clock::advance`] moves it.
    pub fn stop(&self) {
        let _ =
            self.stopped_at
                .compare_exchange(RUNNING, now(), Ordering::Relaxed, Ordering::Relaxed);
    }

    /// Moves this clock `seconds` on.
    pub fn advance(&self, seconds: i64) {
        self.offset.fetch_add(seconds, Ordering::Relaxed);
    }
}

/// The local day number (days since 1970-01-01, local time) of a moment.
pub fn local_day(at: i64) -> i64 {
    (at + LOCAL_OFFSET).div_euclid(DAY)
}

/// The moment local day `day` begins, in Unix seconds.
pub fn local_day_start(day: i64) -> i64 {
    day * DAY - LOCAL_OFFSET
}

/// A local day number as `YYYY-MM-DD`.
pub fn format_day(day: i64) -> String {
    let (y, m, d) = civil_from_days(day);
    format!("{y:04}-{m:02}-{d:02}")
}

/// A moment as RFC 3339 in UTC, for example `2026-09-01T01:30:00Z`.
pub fn rfc3339_utc(at: i64) -> String {
    let (y, m, d) = civil_from_days(at.div_euclid(DAY));
    let seconds = at.rem_euclid(DAY);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        seconds / 3600,
        seconds % 3600 / 60,
        seconds % 60
    )
}

/// Year, month and day of a day number (proleptic Gregorian calendar).
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m as u32, d as u32)
}

/// The day number of a date (proleptic Gregorian calendar); `None` for a
/// date that does not exist, such as 2026-02-30.
pub fn days_from_civil(year: i64, month: u32, day: u32) -> Option<i64> {
    if !(1..=12).contains(&month) || day == 0 || day > 31 {
        return None;
    }
    let (m, d) = (i64::from(month), i64::from(day));
    let y = if m <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    (civil_from_days(days) == (year, month, day)).then_some(days)
}

/// A moment as operators write it: Unix seconds, or `YYYY-MM-DD HH:MM[:SS]`
/// (a `T` may replace the space) in local time, unless it ends in `Z` or an
/// offset such as `+08:00`.
pub fn parse_time(text: &str) -> Option<i64> {
    let text = text.trim();
    if !text.is_empty() && text.chars().all(|c| c.is_ascii_digit()) {
        return text.parse().ok();
    }
    let (date, rest) = text.split_at_checked(10)?;
    let rest = rest.strip_prefix(['T', ' '])?;
    let (time, offset) = if let Some(time) = rest.strip_suffix('Z') {
        (time, 0)
    } else if let Some(at) = rest.rfind(['+', '-']) {
        let (time, offset) = rest.split_at(at);
        (time, parse_offset(offset)?)
    } else {
        (rest, LOCAL_OFFSET)
    };
    let mut date_parts = date.split('-');
    let year: i64 = number(date_parts.next()?, 4)?;
    let month: u32 = number(date_parts.next()?, 2)?;
    let day: u32 = number(date_parts.next()?, 2)?;
    let mut time_parts = time.split(':');
    let hour: i64 = number(time_parts.next()?, 2)?;
    let minute: i64 = number(time_parts.next()?, 2)?;
    let second: i64 = match time_parts.next() {
        Some(s) => number(s, 2)?,
        None => 0,
    };
    if date_parts.next().is_some() || time_parts.next().is_some() {
        return None;
    }
    if hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let days = days_from_civil(year, month, day)?;
    Some(days * DAY + hour * 3600 + minute * 60 + second - offset)
}

/// `+08:00`, `+0800` or `-05:00` as seconds east of UTC.
fn parse_offset(text: &str) -> Option<i64> {
    let sign = match text.chars().next()? {
        '+' => 1,
        '-' => -1,
        _ => return None,
    };
    let digits: String = text[1..].chars().filter(|c| *c != ':').collect();
    if digits.len() != 4 {
        return None;
    }
    let hours: i64 = number(&digits[..2], 2)?;
    let minutes: i64 = number(&digits[2..], 2)?;
    (hours <= 14 && minutes <= 59).then_some(sign * (hours * 3600 + minutes * 60))
}

/// A number written with exactly `width` ASCII digits.
fn number<T: std::str::FromStr>(text: &str, width: usize) -> Option<T> {
    (text.len() == width && text.chars().all(|c| c.is_ascii_digit()))
        .then(|| text.parse().ok())
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_day_turns_at_local_midnight() {
        // 2022-09-01 00:00 in UTC+8 is 2022-08-31 16:00 UTC.
        let midnight = 1_661_961_600;
        assert_eq!(format_day(local_day(midnight)), "2022-09-01");
        assert_eq!(format_day(local_day(midnight - 1)), "2022-08-31");
        assert_eq!(local_day_start(local_day(midnight + 5000)), midnight);
    }

    #[test]
    fn dates_format_across_leap_years() {
        assert_eq!(format_day(0), "1970-01-01");
        assert_eq!(format_day(19_417), "2023-03-01");
        assert_eq!(format_day(11_016), "2000-02-29");
    }

    #[test]
    fn operators_times_are_local_unless_they_say_otherwise() {
        // 2022-09-01 09:30 in UTC+8 is 01:30 UTC.
        let expected = 1_661_995_800;
        assert_eq!(parse_time("2022-09-01 09:30"), Some(expected));
        assert_eq!(parse_time("2022-09-01T09:30:00"), Some(expected));
        assert_eq!(parse_time("2022-09-01T01:30:00Z"), Some(expected));
        assert_eq!(parse_time("2022-09-01T09:30:00+08:00"), Some(expected));
        assert_eq!(parse_time("2022-08-31T20:30-0500"), Some(expected));
        assert_eq!(parse_time(" 1661995800 "), Some(expected));
        for bad in [
            "",
            "2022-09-01",
            "2022-02-30 09:00",
            "2022-09-01 24:00",
            "2022-9-1 09:00",
            "tomorrow",
            "2022-09-01 09:30+8",
            "2022-09-01 09:30:00:00",
            "-5",
        ] {
            assert_eq!(parse_time(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn days_round_trip_and_impossible_dates_are_refused() {
        assert_eq!(days_from_civil(1970, 1, 1), Some(0));
        assert_eq!(days_from_civil(2000, 2, 29), Some(11_016));
        assert_eq!(days_from_civil(2023, 2, 29), None);
        assert_eq!(days_from_civil(2023, 13, 1), None);
    }
}
