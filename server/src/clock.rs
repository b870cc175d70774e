//! Time in the service's terms: Unix seconds, and local days in UTC+8.

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
}
