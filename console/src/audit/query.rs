//! The audit log's filters as plain data, and the query they send.

use omk_api::events::encode_component;
use omk_api::{AuditAction, AuditQuery};

/// The filters as the operator set them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    /// A login; empty for everyone.
    pub actor: String,
    /// A tracking number; empty for every issue.
    pub issue: String,
    pub action: Option<AuditAction>,
}

impl AuditFilter {
    /// Entries on one page.
    pub const PER_PAGE: u32 = 50;

    /// The query for page `page`.
    pub fn query(&self, page: u32) -> AuditQuery {
        let some = |text: &str| Some(text.trim().to_owned()).filter(|t| !t.is_empty());
        AuditQuery {
            actor: some(&self.actor),
            issue: some(&self.issue).map(|n| n.to_uppercase()),
            action: self.action,
            page: Some(page.max(1)),
            per_page: Some(Self::PER_PAGE),
        }
    }
}

/// The query string of an audit query, without the `?`.
pub fn query_string(query: &AuditQuery) -> String {
    let mut parts = Vec::new();
    if let Some(actor) = &query.actor {
        parts.push(format!("actor={}", encode_component(actor)));
    }
    if let Some(issue) = &query.issue {
        parts.push(format!("issue={}", encode_component(issue)));
    }
    if let Some(action) = query.action {
        parts.push(format!("action={}", action.as_str()));
    }
    if let Some(page) = query.page {
        parts.push(format!("page={page}"));
    }
    if let Some(per_page) = query.per_page {
        parts.push(format!("per_page={per_page}"));
    }
    parts.join("&")
}

/// The export of the whole log, as a link (the session cookie goes with it).
pub const EXPORT_URL: &str = "/api/v1/admin/audit.csv";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_go_into_the_query_trimmed() {
        let filter = AuditFilter {
            actor: " wang.li ".into(),
            issue: "om-7k3f-9qx2".into(),
            action: Some(AuditAction::ContactViewed),
        };
        assert_eq!(
            query_string(&filter.query(3)),
            "actor=wang.li&issue=OM-7K3F-9QX2&action=contact_viewed&page=3&per_page=50"
        );
        assert_eq!(
            query_string(&AuditFilter::default().query(0)),
            "page=1&per_page=50"
        );
    }
}
