//! The inbox's filters as plain data, and the query they send.

use omk_api::events::encode_component;
use omk_api::{FieldError, InboxQuery, IssueStatus};

/// The filters as the operator set them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InboxFilter {
    pub status: Option<IssueStatus>,
    /// A category id; empty for every category.
    pub category: String,
    /// A unit id; empty for every unit (unit operators only ever get theirs).
    pub unit: String,
    /// Only issues at least this many days old, as typed; empty for any age.
    pub older_than_days: String,
    /// Only issues past a deadline.
    pub overdue: bool,
}

impl InboxFilter {
    /// Issues on one page.
    pub const PER_PAGE: u32 = 50;

    /// The query for page `page`, or the field that cannot be read.
    pub fn query(&self, page: u32) -> Result<InboxQuery, FieldError> {
        let days = self.older_than_days.trim();
        let older_than_days = if days.is_empty() {
            None
        } else {
            Some(
                days.parse::<u32>()
                    .map_err(|_| FieldError::new("older_than_days", "invalid_number"))?,
            )
        };
        let some = |text: &str| Some(text.trim().to_owned()).filter(|t| !t.is_empty());
        Ok(InboxQuery {
            status: self.status,
            category: some(&self.category),
            unit: some(&self.unit),
            older_than_days,
            overdue: self.overdue.then_some(true),
            page: Some(page.max(1)),
            per_page: Some(Self::PER_PAGE),
        })
    }
}

/// The query string of an inbox query, without the `?`.
pub fn query_string(query: &InboxQuery) -> String {
    let mut parts = Vec::new();
    if let Some(status) = query.status {
        parts.push(format!("status={}", status.as_str()));
    }
    if let Some(category) = &query.category {
        parts.push(format!("category={}", encode_component(category)));
    }
    if let Some(unit) = &query.unit {
        parts.push(format!("unit={}", encode_component(unit)));
    }
    if let Some(days) = query.older_than_days {
        parts.push(format!("older_than_days={days}"));
    }
    if let Some(overdue) = query.overdue {
        parts.push(format!("overdue={overdue}"));
    }
    if let Some(page) = query.page {
        parts.push(format!("page={page}"));
    }
    if let Some(per_page) = query.per_page {
        parts.push(format!("per_page={per_page}"));
    }
    parts.join("&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_filter_asks_for_the_first_page_only() {
        let query = InboxFilter::default().query(1);
        assert_eq!(
            query.map(|q| query_string(&q)),
            Ok("page=1&per_page=50".to_owned())
        );
    }

    #[test]
    fn every_filter_goes_into_the_query() {
        let filter = InboxFilter {
            status: Some(IssueStatus::Received),
            category: "parking".into(),
            unit: " traffic ".into(),
            older_than_days: " 3 ".into(),
            overdue: true,
        };
        assert_eq!(
            filter.query(2).map(|q| query_string(&q)),
            Ok("status=received&category=parking&unit=traffic&older_than_days=3&overdue=true&page=2&per_page=50".to_owned())
        );
    }

    #[test]
    fn an_age_that_is_not_a_number_is_named() {
        let filter = InboxFilter {
            older_than_days: "three".into(),
            ..Default::default()
        };
        assert_eq!(
            filter.query(1).map_err(|e| (e.field, e.code)),
            Err(("older_than_days".to_owned(), "invalid_number".to_owned()))
        );
    }
}
