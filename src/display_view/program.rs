//! Which events the hall display shows, as plain data: today's (on now or starting later
//! today) and the next ones (from tomorrow on), and the program queries that fetch them.

use omk_api::civil::{local_day, local_day_start};
use omk_api::{Event, EventQuery};

/// Events on one panel: few enough to read from across a hall.
pub const SHOWN: usize = 4;

/// The moment tomorrow begins (local time), for `now` in Unix seconds.
pub fn tomorrow(now: i64) -> i64 {
    local_day_start(local_day(now) + 1)
}

/// Today's events not yet ended (the server's now): those starting before tomorrow.
pub fn today_query(now: i64) -> EventQuery {
    EventQuery {
        current: Some(true),
        to: Some(tomorrow(now)),
        per_page: Some(SHOWN as u32),
        ..EventQuery::default()
    }
}

/// The next events: those starting from tomorrow on.
pub fn next_query(now: i64) -> EventQuery {
    EventQuery {
        after: Some(tomorrow(now)),
        per_page: Some(SHOWN as u32),
        ..EventQuery::default()
    }
}

/// Of `events`, those still worth showing at `now` (not ended), at most [`SHOWN`].
pub fn still_on(events: &[Event], now: i64) -> Vec<Event> {
    events
        .iter()
        .filter(|e| e.ends_at > now)
        .take(SHOWN)
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2026-09-05 10:00 in Beijing (UTC+8).
    const TEN_AM: i64 = 1_788_573_600;

    fn event(id: i64, starts_at: i64, ends_at: i64) -> Event {
        Event {
            id,
            title: String::new(),
            unit: String::new(),
            district: String::new(),
            theme: String::new(),
            place: String::new(),
            starts_at,
            ends_at,
            capacity: 0,
            registered: 0,
            registration: false,
            summary: String::new(),
        }
    }

    #[test]
    fn tomorrow_begins_at_local_midnight() {
        assert_eq!(tomorrow(TEN_AM), TEN_AM + 14 * 3600);
        assert_eq!(tomorrow(TEN_AM + 14 * 3600), TEN_AM + 38 * 3600);
        assert_eq!(tomorrow(TEN_AM + 14 * 3600 - 1), TEN_AM + 14 * 3600);
    }

    #[test]
    fn today_and_next_split_at_tomorrow() {
        let today = today_query(TEN_AM);
        assert_eq!(today.current, Some(true));
        assert_eq!(today.to, Some(TEN_AM + 14 * 3600));
        let next = next_query(TEN_AM);
        assert_eq!(next.after, today.to);
        assert_eq!(next.current, None);
    }

    #[test]
    fn ended_events_leave_the_panel_and_at_most_four_stay() {
        let events: Vec<Event> = (0..7)
            .map(|i| event(i, TEN_AM - 3600, TEN_AM + (i - 1) * 600))
            .collect();
        let shown: Vec<i64> = still_on(&events, TEN_AM).iter().map(|e| e.id).collect();
        assert_eq!(shown, [2, 3, 4, 5]);
    }
}
