//! The operators' inbox: issues as the responsible unit works them, with their
//! deadlines, the actions on them and their history.

use serde::{Deserialize, Serialize};

use crate::audit::AuditEntry;
use crate::issues::IssueStatus;

/// Which issues to list: every filter is optional and they combine; a page or page size out
/// of range is refused (400).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(default)]
pub struct InboxQuery {
    pub status: Option<IssueStatus>,
    /// A category id.
    pub category: Option<String>,
    /// A unit id; unit operators only ever see their own unit's issues (another unit's is
    /// refused, 403).
    pub unit: Option<String>,
    /// Only issues submitted at least this many days ago.
    #[cfg_attr(
        feature = "openapi",
        param(value_type = Option<i64>, minimum = 0, maximum = 4294967295.0)
    )]
    pub older_than_days: Option<u32>,
    /// Only issues past a deadline.
    pub overdue: Option<bool>,
    /// From 1 to 100000; 1 when absent.
    #[serde(deserialize_with = "crate::numbers::page")]
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 100000))]
    pub page: Option<u32>,
    /// 1 to 500, 50 by default.
    #[serde(deserialize_with = "crate::numbers::per_page::<_, { InboxQuery::MAX_PER_PAGE }>")]
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 500))]
    pub per_page: Option<u32>,
}

impl InboxQuery {
    /// The largest page of the inbox.
    pub const MAX_PER_PAGE: u32 = 500;
}

/// Which deadline an issue has missed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Overdue {
    /// Still not accepted after the accept deadline.
    Accept,
    /// Still not resolved or closed after the resolve deadline.
    Resolve,
}

/// An issue in the inbox: no contact details (see [`Contact`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InboxItem {
    pub tracking_no: String,
    /// A category id.
    pub category: String,
    /// The unit the issue is routed to (a unit id), if any.
    pub unit: Option<String>,
    pub status: IssueStatus,
    /// What the visitor wrote; kept, and shown to operators, when hidden from the public.
    pub description: String,
    pub place: String,
    pub answer: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    /// When it must be accepted by (Unix seconds).
    pub accept_due: i64,
    /// When it must be resolved by (Unix seconds).
    pub resolve_due: i64,
    /// The deadline it has missed, if any.
    pub overdue: Option<Overdue>,
    /// Whether the visitor left a name or phone (shown only through [`Contact`]).
    pub has_contact: bool,
    /// Whether its text is hidden from every public view.
    pub hidden: bool,
}

/// A page of the inbox, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InboxPage {
    pub items: Vec<InboxItem>,
    pub total: i64,
}

/// One issue with everything done to it, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IssueDetail {
    pub issue: InboxItem,
    pub history: Vec<AuditEntry>,
}

/// A move of an issue to a later status (accept, answer, resolve, close), with a
/// public answer: `POST /admin/issues/{tracking_no}/status`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatusChange {
    /// A later status than the issue's (else 422 `invalid_value`): received → accepted →
    /// answered → resolved or closed.
    pub status: IssueStatus,
    /// The public answer.
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(schema_with = crate::schema::optional_text::<{ StatusChange::ANSWER_MAX }>)
    )]
    pub answer: Option<String>,
}

impl StatusChange {
    /// The longest public answer, in characters.
    pub const ANSWER_MAX: usize = 2000;
}

/// A hand-over of an issue to another unit: `POST /admin/issues/{tracking_no}/route`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RouteChange {
    /// The unit id that takes the issue over: an active unit, not the issue's own.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::id))]
    pub unit: String,
    /// Why, for the record.
    #[cfg_attr(
        feature = "openapi",
        schema(schema_with = crate::schema::text::<1, { RouteChange::REASON_MAX }>)
    )]
    pub reason: String,
}

impl RouteChange {
    /// The longest reason, in characters.
    pub const REASON_MAX: usize = 500;
}

/// Hiding (or showing again) an issue's text in every public view:
/// `POST /admin/issues/{tracking_no}/moderation`. The text itself is kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Moderation {
    pub hidden: bool,
    /// Why, for the record.
    #[cfg_attr(
        feature = "openapi",
        schema(schema_with = crate::schema::text::<1, { RouteChange::REASON_MAX }>)
    )]
    pub reason: String,
}

/// A visitor's contact details, given with consent: `POST /admin/issues/{tracking_no}/contact`
/// answers with them and records the view in the audit log.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Contact {
    pub name: Option<String>,
    pub phone: Option<String>,
}

/// Contact details never show in `Debug` output.
impl std::fmt::Debug for Contact {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Contact")
            .field("name", &self.name.as_ref().map(|_| "***"))
            .field("phone", &self.phone.as_ref().map(|_| "***"))
            .finish()
    }
}

/// How issues stand for one unit or one category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BreakdownRow {
    /// A unit or category id; `None` for issues routed to no unit.
    pub id: Option<String>,
    pub issues: i64,
    /// Issues past received.
    pub responded: i64,
    pub resolved: i64,
    /// Open issues past a deadline now.
    pub overdue: i64,
}

/// The figures split by unit and by category: `GET /admin/figures`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Breakdown {
    pub by_unit: Vec<BreakdownRow>,
    pub by_category: Vec<BreakdownRow>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contact_details_do_not_show_in_debug() {
        let contact = Contact {
            name: Some("王丽".into()),
            phone: Some("13800138000".into()),
        };
        let shown = format!("{contact:?}");
        assert!(!shown.contains("王丽") && !shown.contains("13800138000"));
    }
}
