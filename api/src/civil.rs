//! Calendar arithmetic in the service's time zone (UTC+8): day numbers (days since
//! 1970-01-01) to and from proleptic Gregorian dates, and a moment broken into its calendar
//! parts. Pure integer maths, shared by the server, the widget and the console.

/// Seconds in a day.
pub const DAY_SECS: i64 = 86_400;

/// The service's offset from UTC, in seconds (China Standard Time, no daylight saving).
pub const LOCAL_OFFSET_SECS: i64 = 8 * 3600;

/// Days from 0000-03-01 to 1970-01-01: the calendar below counts years from March.
const EPOCH_SHIFT: i64 = 719_468;
/// Days in 400 Gregorian years.
const ERA_DAYS: i64 = 146_097;

/// Whether `year` has a 29 February.
pub fn is_leap_year(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// The number of days in `month` (1–12) of `year`; 0 for a month that does not exist.
pub fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        1..=12 => 31,
        _ => 0,
    }
}

/// The date (year, month, day) of a day number.
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + EPOCH_SHIFT;
    let era = z.div_euclid(ERA_DAYS);
    let doe = z.rem_euclid(ERA_DAYS);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

/// The day number of a date; `None` for a date that does not exist, such as 2026-02-30.
pub fn days_from_civil(year: i64, month: u32, day: u32) -> Option<i64> {
    if day == 0 || day > days_in_month(year, month) {
        return None;
    }
    let shifted = if month <= 2 { year - 1 } else { year };
    let era = shifted.div_euclid(400);
    let yoe = shifted.rem_euclid(400);
    let month = i64::from(month);
    let mp = if month > 2 { month - 3 } else { month + 9 };
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * ERA_DAYS + doe - EPOCH_SHIFT)
}

/// The weekday of a day number: 0 = Monday … 6 = Sunday.
pub fn weekday(days: i64) -> u32 {
    // 1970-01-01 was a Thursday.
    (days + 3).rem_euclid(7) as u32
}

/// The local day number of a moment (Unix seconds).
pub fn local_day(at: i64) -> i64 {
    (at + LOCAL_OFFSET_SECS).div_euclid(DAY_SECS)
}

/// The moment local day `day` begins, in Unix seconds.
pub fn local_day_start(day: i64) -> i64 {
    day * DAY_SECS - LOCAL_OFFSET_SECS
}

/// A date written `YYYY-MM-DD` (exactly those digits) as its day number; `None` for any
/// other shape, or a date that does not exist.
pub fn parse_date(text: &str) -> Option<i64> {
    let mut parts = text.split('-');
    let year = digits(parts.next()?, 4)?;
    let month = u32::try_from(digits(parts.next()?, 2)?).ok()?;
    let day = u32::try_from(digits(parts.next()?, 2)?).ok()?;
    if parts.next().is_some() {
        return None;
    }
    days_from_civil(year, month, day)
}

/// A time of day written `HH:MM` or `HH:MM:SS` as seconds since midnight; `None` for any
/// other shape, or a time past 23:59:59.
pub fn parse_clock(text: &str) -> Option<i64> {
    let mut parts = text.split(':');
    let hour = digits(parts.next()?, 2)?;
    let minute = digits(parts.next()?, 2)?;
    let second = match parts.next() {
        Some(s) => digits(s, 2)?,
        None => 0,
    };
    (parts.next().is_none() && hour < 24 && minute < 60 && second < 60)
        .then_some(hour * 3600 + minute * 60 + second)
}

/// Exactly `width` ASCII digits, as a number.
pub fn digits(text: &str, width: usize) -> Option<i64> {
    (text.len() == width && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.parse().ok())
        .flatten()
}

/// A moment broken into calendar parts at some offset from UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CivilTime {
    pub year: i64,
    pub month: u32,
    pub day: u32,
    /// 0 = Monday … 6 = Sunday.
    pub weekday: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
}

impl CivilTime {
    /// Unix seconds `secs` as read `offset_secs` east of UTC.
    pub fn at(secs: i64, offset_secs: i64) -> CivilTime {
        let shifted = secs + offset_secs;
        let days = shifted.div_euclid(DAY_SECS);
        let rem = shifted.rem_euclid(DAY_SECS) as u32;
        let (year, month, day) = civil_from_days(days);
        CivilTime {
            year,
            month,
            day,
            weekday: weekday(days),
            hour: rem / 3600,
            minute: rem % 3600 / 60,
            second: rem % 60,
        }
    }

    /// Unix seconds `secs` in the service's time zone (UTC+8).
    pub fn local(secs: i64) -> CivilTime {
        CivilTime::at(secs, LOCAL_OFFSET_SECS)
    }

    /// Unix seconds `secs` in UTC.
    pub fn utc(secs: i64) -> CivilTime {
        CivilTime::at(secs, 0)
    }

    /// Whether both fall on the same calendar day.
    pub fn same_day(&self, other: &CivilTime) -> bool {
        (self.year, self.month, self.day) == (other.year, other.month, other.day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // 2022-09-05 01:00:00 UTC = 09:00 in UTC+8, a Monday.
    const NINE_AM: i64 = 1_662_339_600;

    #[test]
    fn known_day_numbers_are_their_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
        assert_eq!(civil_from_days(19_417), (2023, 3, 1));
        assert_eq!(civil_from_days(-719_468), (0, 3, 1));
        assert_eq!(days_from_civil(1970, 1, 1), Some(0));
        assert_eq!(days_from_civil(2000, 2, 29), Some(11_016));
        assert_eq!(days_from_civil(1600, 3, 1), Some(-135_080));
    }

    #[test]
    fn every_day_over_eight_centuries_round_trips() {
        // 1600-03-01 to 2400-02-29: every leap-year rule, both ways, day by day.
        let first = days_from_civil(1600, 3, 1).unwrap_or_default();
        let last = days_from_civil(2400, 2, 29).unwrap_or_default();
        let mut expected = (1600, 3, 1);
        for days in first..=last {
            let date = civil_from_days(days);
            assert_eq!(date, expected, "day {days}");
            assert_eq!(days_from_civil(date.0, date.1, date.2), Some(days));
            let (y, m, d) = expected;
            expected = if d < days_in_month(y, m) {
                (y, m, d + 1)
            } else if m < 12 {
                (y, m + 1, 1)
            } else {
                (y + 1, 1, 1)
            };
        }
    }

    #[test]
    fn impossible_dates_have_no_day_number() {
        for (y, m, d) in [
            (2023, 2, 29),
            (1900, 2, 29),
            (2026, 2, 30),
            (2026, 4, 31),
            (2023, 13, 1),
            (2023, 0, 1),
            (2023, 1, 0),
            (2023, 1, 32),
        ] {
            assert_eq!(days_from_civil(y, m, d), None, "{y}-{m}-{d}");
        }
        assert_eq!(days_from_civil(2000, 2, 29), Some(11_016));
        assert!(is_leap_year(2000) && is_leap_year(2024));
        assert!(!is_leap_year(1900) && !is_leap_year(2023));
    }

    #[test]
    fn dates_and_times_of_day_are_read_in_one_shape_only() {
        assert_eq!(parse_date("2000-02-29"), Some(11_016));
        assert_eq!(parse_date("1970-01-01"), Some(0));
        for bad in [
            "",
            "2023-02-29",
            "2022-9-05",
            "22-09-05",
            "2022-09-05-01",
            "2022/09/05",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
        assert_eq!(parse_clock("09:30"), Some(9 * 3600 + 30 * 60));
        assert_eq!(parse_clock("23:59:59"), Some(DAY_SECS - 1));
        for bad in [
            "",
            "9:30",
            "24:00",
            "09:60",
            "09:30:60",
            "09:30:00:00",
            "0930",
            "+9:30",
        ] {
            assert_eq!(parse_clock(bad), None, "{bad}");
        }
        assert_eq!(digits("0042", 4), Some(42));
        assert_eq!(digits("+042", 4), None);
    }

    #[test]
    fn a_moment_breaks_into_local_or_utc_parts() {
        let local = CivilTime::local(NINE_AM + 59);
        assert_eq!((local.year, local.month, local.day), (2022, 9, 5));
        assert_eq!((local.hour, local.minute, local.second), (9, 0, 59));
        assert_eq!(local.weekday, 0);
        let utc = CivilTime::utc(NINE_AM);
        assert_eq!((utc.day, utc.hour), (5, 1));
        // 16:30 UTC is already the next day, a Tuesday, in UTC+8.
        let late = CivilTime::local(NINE_AM + 15 * 3600 + 1800);
        assert_eq!((late.day, late.weekday, late.hour), (6, 1, 0));
        assert!(!late.same_day(&local));
        assert!(CivilTime::local(NINE_AM + 3600).same_day(&local));
        assert_eq!(CivilTime::utc(-1).year, 1969);
    }

    #[test]
    fn local_days_turn_at_local_midnight() {
        // 2022-09-01 00:00 in UTC+8 is 2022-08-31 16:00 UTC.
        let midnight = 1_661_961_600;
        assert_eq!(civil_from_days(local_day(midnight)), (2022, 9, 1));
        assert_eq!(civil_from_days(local_day(midnight - 1)), (2022, 8, 31));
        assert_eq!(local_day_start(local_day(midnight + 5000)), midnight);
    }
}
