//! Time in the service's terms: Unix seconds, and local days in UTC+8.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

pub use omk_api::civil::{civil_from_days, days_from_civil, local_day, local_day_start};
use omk_api::civil::{parse_clock, parse_date};

/// The service's local offset from UTC (China Standard Time), in seconds.
pub const LOCAL_OFFSET: i64 = omk_api::civil::LOCAL_OFFSET_SECS;
/// Seconds in a day.
pub const DAY: i64 = omk_api::civil::DAY_SECS;

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

/// A local day number as `YYYY-MM-DD`.
pub fn format_day(day: i64) -> String {
    let (y, m, d) = civil_from_days(day);
    format!("{y:04}-{m:02}-{d:02}")
}

/// A moment as RFC 3339 in UTC, for example `2026-09-01T01:30:00Z`.
pub fn rfc3339_utc(at: i64) -> String {
    let t = omk_api::civil::CivilTime::utc(at);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        t.year, t.month, t.day, t.hour, t.minute, t.second
    )
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
    Some(parse_date(date)? * DAY + parse_clock(time)? - offset)
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
    let hours = omk_api::civil::digits(&digits[..2], 2)?;
    let minutes = omk_api::civil::digits(&digits[2..], 2)?;
    (hours <= 14 && minutes <= 59).then_some(sign * (hours * 3600 + minutes * 60))
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
}
