//! The message keys of the values the API sends as enums: statuses, missed deadlines,
//! audit actions, roles. One function each, and a test that walks every variant.

use omk_api::{AuditAction, IssueStatus, Overdue, Role};

use crate::format::{Deadline, Span, date_time};
use crate::i18n::I18n;

/// The name of an issue status ([`IssueStatus::message_key`]).
pub fn status_key(status: IssueStatus) -> &'static str {
    status.message_key()
}

/// The flag of a missed deadline.
pub fn overdue_key(overdue: Overdue) -> &'static str {
    match overdue {
        Overdue::Accept => "overdue.accept",
        Overdue::Resolve => "overdue.resolve",
    }
}

/// The name of a role.
pub fn role_key(role: Role) -> &'static str {
    match role {
        Role::Admin => "role.admin",
        Role::Unit => "role.unit",
        Role::Moderator => "role.moderator",
        Role::Supervisor => "role.supervisor",
    }
}

/// The name of an audit action: `audit.action.<action>`.
pub fn action_key(action: AuditAction) -> String {
    format!("audit.action.{}", action.as_str())
}

/// A length of time in words: `3 天`, `5 h` (tracked).
pub fn span_text(i18n: I18n, secs: i64) -> String {
    let span = Span::of(secs);
    i18n.format(span.message_key(), &[("n", &span.count.to_string())])
}

/// How long ago `at` was: `3 天前`, `5 h ago` (tracked).
pub fn age_text(i18n: I18n, at: i64, now: i64) -> String {
    i18n.format("time.ago", &[("span", &span_text(i18n, now - at))])
}

/// The deadline an issue works towards, with when it falls due, or `None` once it is
/// settled (tracked).
pub fn deadline_text(
    i18n: I18n,
    status: IssueStatus,
    accept_due: i64,
    resolve_due: i64,
    now: i64,
) -> Option<String> {
    let deadline = Deadline::next(status, accept_due, resolve_due)?;
    let due = deadline.due();
    let when = if due < now {
        i18n.format("time.ago", &[("span", &span_text(i18n, now - due))])
    } else {
        i18n.format("time.in", &[("span", &span_text(i18n, due - now))])
    };
    Some(i18n.format(
        deadline.message_key(now),
        &[("at", &date_time(due)), ("when", &when)],
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::{Deadline, Span};
    use crate::i18n::catalogue;
    use omk_api::Lang;

    fn assert_known(key: &str) {
        for lang in Lang::ALL {
            assert!(catalogue(lang).has(key), "{lang:?} lacks {key}");
        }
    }

    #[test]
    fn every_enum_the_api_sends_has_words_in_both_languages() {
        IssueStatus::ALL
            .into_iter()
            .map(status_key)
            .for_each(assert_known);
        [Overdue::Accept, Overdue::Resolve]
            .into_iter()
            .map(overdue_key)
            .for_each(assert_known);
        Role::ALL.into_iter().map(role_key).for_each(assert_known);
        for action in AuditAction::ALL {
            assert_known(&action_key(action));
        }
        assert_known("time.ago");
        assert_known("time.in");
        for secs in [0, 7200, 864_000] {
            assert_known(Span::of(secs).message_key());
        }
        for deadline in [Deadline::Accept(10), Deadline::Resolve(10)] {
            assert_known(deadline.message_key(0));
            assert_known(deadline.message_key(20));
        }
    }
}
