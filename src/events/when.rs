//! The time filters of the program: which part of the month, and which days,
//! turned into query bounds.

use omk_api::EventQuery;
use omk_web::choices::Choice;

use crate::format::LOCAL_OFFSET_SECS;

/// Which part of the program to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum When {
    /// On now and still to come (the default).
    #[default]
    Current,
    /// On now.
    Now,
    /// Not yet started.
    Upcoming,
    /// Already over.
    Past,
}

impl Choice for When {
    const CHOICES: &'static [When] = &[When::Current, When::Now, When::Upcoming, When::Past];

    /// The message key of the choice.
    fn label_key(self) -> &'static str {
        match self {
            When::Current => "events.current",
            When::Now => "events.now",
            When::Upcoming => "events.upcoming",
            When::Past => "events.past",
        }
    }

    /// The button's test id.
    fn testid(self) -> String {
        let name = match self {
            When::Current => "current",
            When::Now => "now",
            When::Upcoming => "upcoming",
            When::Past => "past",
        };
        format!("when-{name}")
    }
}

/// Which days to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Days {
    #[default]
    Any,
    Today,
    ThisWeek,
}

impl Choice for Days {
    const CHOICES: &'static [Days] = &[Days::Any, Days::Today, Days::ThisWeek];

    /// The message key of the choice.
    fn label_key(self) -> &'static str {
        match self {
            Days::Any => "events.any_day",
            Days::Today => "events.today",
            Days::ThisWeek => "events.week",
        }
    }

    /// The button's test id.
    fn testid(self) -> String {
        let name = match self {
            Days::Any => "any",
            Days::Today => "today",
            Days::ThisWeek => "week",
        };
        format!("days-{name}")
    }
}

/// Sets the time bounds of `query` for `when` and `days` at `now` (Unix
/// seconds), keeping every other filter.
pub fn bounded(mut query: EventQuery, when: When, days: Days, now: i64) -> EventQuery {
    query.from = None;
    query.current = None;
    query.to = None;
    query.after = None;
    query.before = None;
    match when {
        // The server's clock, so the address stays the same and a repeat visit revalidates.
        When::Current => query.current = Some(true),
        When::Now => {
            query.from = Some(now);
            query.to = Some(now + 1);
        }
        When::Upcoming => query.after = Some(now),
        When::Past => query.before = Some(now),
    }
    let day_start = (now + LOCAL_OFFSET_SECS).div_euclid(86_400) * 86_400 - LOCAL_OFFSET_SECS;
    let window = match days {
        Days::Any => None,
        Days::Today => Some((day_start, day_start + 86_400)),
        Days::ThisWeek => Some((day_start, day_start + 7 * 86_400)),
    };
    if let Some((start, end)) = window {
        query.from = Some(query.from.map_or(start, |f| f.max(start)));
        query.to = Some(query.to.map_or(end, |t| t.min(end)));
    }
    query.page = None;
    query
}

#[cfg(test)]
mod tests {
    use super::*;

    // 2026-11-27 12:00 in Liaocheng.
    const NOON: i64 = 1_795_752_000;

    #[test]
    fn current_means_ending_after_the_servers_now() {
        let q = bounded(EventQuery::default(), When::Current, Days::Any, NOON);
        assert_eq!(
            (q.current, q.from, q.to, q.after, q.before),
            (Some(true), None, None, None, None)
        );
        let today = bounded(q, When::Current, Days::Today, NOON);
        let midnight = NOON - 12 * 3600;
        assert_eq!(today.current, Some(true));
        assert_eq!(
            (today.from, today.to),
            (Some(midnight), Some(midnight + 86_400))
        );
        assert_eq!(
            today.at(NOON).from,
            Some(NOON),
            "the later of the day and now"
        );
    }

    #[test]
    fn past_and_upcoming_use_their_own_bounds() {
        let q = bounded(EventQuery::default(), When::Past, Days::Any, NOON);
        assert_eq!(q.before, Some(NOON));
        let q = bounded(q, When::Upcoming, Days::Any, NOON);
        assert_eq!((q.after, q.before), (Some(NOON), None));
    }

    #[test]
    fn today_is_the_local_day() {
        let q = bounded(EventQuery::default(), When::Upcoming, Days::Today, NOON);
        let midnight = NOON - 12 * 3600;
        assert_eq!(q.from, Some(midnight));
        assert_eq!(q.to, Some(midnight + 86_400));
        assert_eq!(q.after, Some(NOON));
    }

    #[test]
    fn filters_other_than_time_survive() {
        let q = EventQuery {
            district: Some("临清市".into()),
            page: Some(3),
            ..EventQuery::default()
        };
        let q = bounded(q, When::Now, Days::ThisWeek, NOON);
        assert_eq!(q.district.as_deref(), Some("临清市"));
        assert_eq!(q.page, None);
        assert_eq!(q.to, Some(NOON + 1));
    }
}
