//! 12345-style deadlines: an issue is to be accepted within so many working days
//! (Monday to Friday, Beijing time) and resolved within so many calendar days.

use omk_api::{IssueStatus, Overdue};

use crate::clock::{DAY, local_day};

/// The deadlines a city sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deadlines {
    /// Working days to accept an issue.
    pub accept_working_days: u32,
    /// Calendar days to resolve an issue.
    pub resolve_days: u32,
}

impl Default for Deadlines {
    fn default() -> Self {
        Deadlines {
            accept_working_days: 1,
            resolve_days: 15,
        }
    }
}

/// Whether the local day of `at` is a Saturday or a Sunday.
fn is_weekend(at: i64) -> bool {
    // Day 0 (1970-01-01) was a Thursday: +3 makes Monday 0.
    (local_day(at) + 3).rem_euclid(7) >= 5
}

impl Deadlines {
    /// When an issue submitted at `created_at` must be accepted by: that moment, so many
    /// working days on (a weekend day does not count).
    pub fn accept_due(&self, created_at: i64) -> i64 {
        let mut due = created_at;
        for _ in 0..self.accept_working_days {
            due += DAY;
            while is_weekend(due) {
                due += DAY;
            }
        }
        due
    }

    /// When an issue submitted at `created_at` must be resolved by.
    pub fn resolve_due(&self, created_at: i64) -> i64 {
        created_at + i64::from(self.resolve_days) * DAY
    }

    /// The deadline an issue in `status`, submitted at `created_at`, has missed at `now`.
    pub fn overdue(&self, status: IssueStatus, created_at: i64, now: i64) -> Option<Overdue> {
        let settled = matches!(status, IssueStatus::Resolved | IssueStatus::Closed);
        if status == IssueStatus::Received && now > self.accept_due(created_at) {
            Some(Overdue::Accept)
        } else if !settled && now > self.resolve_due(created_at) {
            Some(Overdue::Resolve)
        } else {
            None
        }
    }

    /// The latest submission time whose accept deadline has passed at `now`: received
    /// issues submitted before it are overdue. (Deadlines only grow with the
    /// submission time, so this is found by bisection.)
    pub fn accept_cutoff(&self, now: i64) -> i64 {
        let span = (i64::from(self.accept_working_days) + 1) * 3 * DAY;
        let (mut passed, mut not_passed) = (now - span, now);
        while not_passed - passed > 1 {
            let middle = passed + (not_passed - passed) / 2;
            if self.accept_due(middle) < now {
                passed = middle;
            } else {
                not_passed = middle;
            }
        }
        passed
    }

    /// The latest submission time whose resolve deadline has passed at `now`.
    pub fn resolve_cutoff(&self, now: i64) -> i64 {
        now - i64::from(self.resolve_days) * DAY - 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::{days_from_civil, local_day_start};

    /// 2026-09-04 was a Friday; this is 10:00 Beijing time that day.
    fn friday_ten() -> i64 {
        local_day_start(days_from_civil(2026, 9, 4).unwrap_or(0)) + 10 * 3600
    }

    #[test]
    fn a_working_day_skips_the_weekend() {
        let deadlines = Deadlines::default();
        assert_eq!(deadlines.accept_due(friday_ten()), friday_ten() + 3 * DAY);
        let thursday = friday_ten() - DAY;
        assert_eq!(deadlines.accept_due(thursday), friday_ten());
        let saturday = friday_ten() + DAY;
        assert_eq!(deadlines.accept_due(saturday), friday_ten() + 3 * DAY);
    }

    #[test]
    fn overdue_names_the_missed_deadline() {
        let d = Deadlines::default();
        let created = friday_ten() - DAY;
        assert_eq!(
            d.overdue(IssueStatus::Received, created, friday_ten()),
            None
        );
        assert_eq!(
            d.overdue(IssueStatus::Received, created, friday_ten() + 1),
            Some(Overdue::Accept)
        );
        assert_eq!(
            d.overdue(IssueStatus::Accepted, created, friday_ten() + 1),
            None
        );
        let late = created + 15 * DAY + 1;
        assert_eq!(
            d.overdue(IssueStatus::Answered, created, late),
            Some(Overdue::Resolve)
        );
        assert_eq!(d.overdue(IssueStatus::Resolved, created, late), None);
    }

    #[test]
    fn the_cutoffs_agree_with_the_deadlines() {
        let d = Deadlines::default();
        for hours in (0..24 * 9).step_by(5) {
            let now = friday_ten() + hours * 3600;
            let cutoff = d.accept_cutoff(now);
            assert!(d.accept_due(cutoff) < now, "{hours}");
            assert!(d.accept_due(cutoff + 1) >= now, "{hours}");
            let resolve = d.resolve_cutoff(now);
            assert!(d.resolve_due(resolve) < now && d.resolve_due(resolve + 1) >= now);
        }
    }
}
