//! Times as operators read and enter them, in Beijing time (UTC+8) whatever the browser's
//! zone: dates, ages, deadlines, and the `datetime-local` form of a moment. Plain functions,
//! so native tests cover them.

use omk_api::IssueStatus;
use omk_api::civil::{CivilTime, DAY_SECS, parse_clock, parse_date};

/// Beijing time's offset from UTC, in seconds.
pub const BEIJING_OFFSET_SECS: i64 = omk_api::civil::LOCAL_OFFSET_SECS;

/// The Beijing date and time of a moment as `YYYY-MM-DDTHH:MM`, what a `datetime-local`
/// input takes.
pub fn datetime_local(secs: i64) -> String {
    let t = CivilTime::local(secs);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}",
        t.year, t.month, t.day, t.hour, t.minute
    )
}

/// A moment for reading: `YYYY-MM-DD HH:MM`, Beijing time.
pub fn date_time(secs: i64) -> String {
    datetime_local(secs).replacen('T', " ", 1)
}

/// What a `datetime-local` input holds (`YYYY-MM-DDTHH:MM`, seconds optional), read as
/// Beijing time, in Unix seconds; `None` when it is not a valid date and time.
pub fn parse_datetime_local(text: &str) -> Option<i64> {
    let (date, time) = text.trim().split_once(['T', ' '])?;
    // A browser may add a fraction of a second.
    let time = time.split('.').next()?;
    Some(parse_date(date)? * DAY_SECS + parse_clock(time)? - BEIJING_OFFSET_SECS)
}

/// The unit a length of time is told in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeUnit {
    Minutes,
    Hours,
    Days,
}

/// A length of time in its largest whole unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub count: i64,
    pub unit: TimeUnit,
}

impl Span {
    /// `secs` (its sign ignored) in the largest whole unit: minutes under an hour, hours
    /// under two days, days beyond.
    pub fn of(secs: i64) -> Span {
        let secs = secs.saturating_abs();
        match secs {
            0..3600 => Span {
                count: secs / 60,
                unit: TimeUnit::Minutes,
            },
            3600..172_800 => Span {
                count: secs / 3600,
                unit: TimeUnit::Hours,
            },
            _ => Span {
                count: secs / 86_400,
                unit: TimeUnit::Days,
            },
        }
    }

    /// The message key that tells it, with `{n}` for the count.
    pub fn message_key(self) -> &'static str {
        match self.unit {
            TimeUnit::Minutes => "time.minutes",
            TimeUnit::Hours => "time.hours",
            TimeUnit::Days => "time.days",
        }
    }
}

/// Which deadline an open issue works towards.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deadline {
    /// It must be accepted by then.
    Accept(i64),
    /// It must be resolved by then.
    Resolve(i64),
}

impl Deadline {
    /// The deadline an issue in `status` works towards next; none once it is resolved or closed.
    pub fn next(status: IssueStatus, accept_due: i64, resolve_due: i64) -> Option<Deadline> {
        match status {
            IssueStatus::Received => Some(Deadline::Accept(accept_due)),
            IssueStatus::Accepted | IssueStatus::Answered => Some(Deadline::Resolve(resolve_due)),
            IssueStatus::Resolved | IssueStatus::Closed => None,
        }
    }

    /// When it falls due (Unix seconds).
    pub fn due(self) -> i64 {
        match self {
            Deadline::Accept(at) | Deadline::Resolve(at) => at,
        }
    }

    /// The message key of what it is, with `{at}` and `{when}`.
    pub fn message_key(self, now: i64) -> &'static str {
        match (self, self.due() < now) {
            (Deadline::Accept(_), false) => "deadline.accept_by",
            (Deadline::Accept(_), true) => "deadline.accept_missed",
            (Deadline::Resolve(_), false) => "deadline.resolve_by",
            (Deadline::Resolve(_), true) => "deadline.resolve_missed",
        }
    }
}

/// Now, in Unix seconds (the browser's clock).
pub fn now() -> i64 {
    (js_sys::Date::now() / 1000.0) as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    // 2022-09-05 01:00:00 UTC = 09:00 in Beijing.
    const NINE_AM: i64 = 1_662_339_600;

    #[test]
    fn moments_are_shown_in_beijing_time() {
        assert_eq!(date_time(NINE_AM), "2022-09-05 09:00");
        assert_eq!(datetime_local(NINE_AM), "2022-09-05T09:00");
        // 16:30 UTC is already the next day in Beijing.
        assert_eq!(date_time(NINE_AM + 15 * 3600 + 1800), "2022-09-06 00:30");
    }

    #[test]
    fn a_form_time_is_read_as_beijing_time() {
        assert_eq!(parse_datetime_local("2022-09-05T09:00"), Some(NINE_AM));
        assert_eq!(
            parse_datetime_local("2022-09-05T09:00:30"),
            Some(NINE_AM + 30)
        );
        assert_eq!(parse_datetime_local("2022-09-05 09:00"), Some(NINE_AM));
        assert_eq!(
            parse_datetime_local("2024-02-29T00:00")
                .map(date_time)
                .as_deref(),
            Some("2024-02-29 00:00")
        );
        for bad in [
            "",
            "2022-09-05",
            "2022-13-01T00:00",
            "2023-02-29T00:00",
            "2022-09-05T24:00",
            "2022-9-5T9:00",
            "tomorrow",
        ] {
            assert_eq!(parse_datetime_local(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_form_time_round_trips() {
        for secs in [0, NINE_AM, 1_900_000_000, -86_400 * 400] {
            assert_eq!(
                parse_datetime_local(&datetime_local(secs)),
                Some(secs - secs.rem_euclid(60))
            );
        }
    }

    #[test]
    fn spans_use_the_largest_whole_unit() {
        assert_eq!(
            Span::of(59),
            Span {
                count: 0,
                unit: TimeUnit::Minutes
            }
        );
        assert_eq!(
            Span::of(-600),
            Span {
                count: 10,
                unit: TimeUnit::Minutes
            }
        );
        assert_eq!(
            Span::of(3 * 3600 + 59),
            Span {
                count: 3,
                unit: TimeUnit::Hours
            }
        );
        assert_eq!(
            Span::of(47 * 3600),
            Span {
                count: 47,
                unit: TimeUnit::Hours
            }
        );
        assert_eq!(
            Span::of(5 * 86_400 + 3600),
            Span {
                count: 5,
                unit: TimeUnit::Days
            }
        );
    }

    #[test]
    fn an_open_issue_works_towards_one_deadline() {
        use IssueStatus::*;
        assert_eq!(Deadline::next(Received, 10, 20), Some(Deadline::Accept(10)));
        assert_eq!(
            Deadline::next(Accepted, 10, 20),
            Some(Deadline::Resolve(20))
        );
        assert_eq!(
            Deadline::next(Answered, 10, 20),
            Some(Deadline::Resolve(20))
        );
        assert_eq!(Deadline::next(Resolved, 10, 20), None);
        assert_eq!(Deadline::next(Closed, 10, 20), None);
        assert_eq!(Deadline::Accept(10).message_key(5), "deadline.accept_by");
        assert_eq!(
            Deadline::Accept(10).message_key(11),
            "deadline.accept_missed"
        );
        assert_eq!(
            Deadline::Resolve(10).message_key(11),
            "deadline.resolve_missed"
        );
    }
}
