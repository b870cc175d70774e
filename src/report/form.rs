//! The issue form's state as plain data: what was typed, what was touched,
//! and which errors to show where.

use omk_api::{FieldError, NewIssue, Problem};

/// The fields of the form, in display order.
pub const FIELDS: [&str; 3] = ["category", "description", "place"];

/// The optional contact fields, which need consent.
pub const CONTACT_FIELDS: [&str; 3] = ["name", "phone", "consent"];

/// What the visitor has typed so far, and which fields they have left.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Draft {
    pub issue: NewIssue,
    touched: Vec<&'static str>,
    submitted: bool,
    /// Errors the backend returned for the last attempt.
    server_errors: Vec<FieldError>,
}

impl Draft {
    /// Marks a field as visited, so its errors show.
    pub fn touch(&mut self, field: &'static str) {
        if !self.touched.contains(&field) {
            self.touched.push(field);
        }
    }

    /// Marks a submit attempt: from now on every error shows.
    pub fn attempt(&mut self) {
        self.submitted = true;
        self.server_errors.clear();
    }

    /// Records the backend's field errors from a problem answer.
    pub fn reject(&mut self, problem: &Problem) {
        self.server_errors = problem.errors.clone();
    }

    /// Clears everything typed.
    pub fn reset(&mut self) {
        *self = Draft::default();
    }

    /// The error code to show for `field` now, if any: the client's rules
    /// first, then what the backend said.
    pub fn error_for(&self, field: &str) -> Option<String> {
        if !(self.submitted || self.touched.contains(&field)) {
            return None;
        }
        let local = self.issue.validate().err().unwrap_or_default();
        local
            .iter()
            .chain(self.server_errors.iter())
            .find(|e| e.field == field)
            .map(FieldError::message_key)
    }

    /// Whether the draft passes the client's rules.
    pub fn is_valid(&self) -> bool {
        self.issue.validate().is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_wait_until_a_field_is_touched() {
        let mut d = Draft::default();
        assert_eq!(d.error_for("description"), None);
        d.touch("description");
        assert_eq!(
            d.error_for("description").as_deref(),
            Some("error.required")
        );
        assert_eq!(d.error_for("place"), None);
    }

    #[test]
    fn a_submit_attempt_shows_every_error() {
        let mut d = Draft::default();
        d.attempt();
        for field in FIELDS {
            assert!(d.error_for(field).is_some(), "{field}");
        }
    }

    #[test]
    fn backend_errors_show_on_their_field() {
        let mut d = Draft::default();
        d.issue.category = "no-such".into();
        d.issue.description = "路灯坏了很久".into();
        d.issue.place = "临清市".into();
        d.attempt();
        d.reject(&Problem {
            kind: omk_api::ProblemKind::Validation,
            title: String::new(),
            status: 422,
            detail: None,
            errors: vec![FieldError::new("category", "unknown_category")],
        });
        assert_eq!(
            d.error_for("category").as_deref(),
            Some("error.unknown_category")
        );
        assert_eq!(d.error_for("place"), None);
    }

    #[test]
    fn contact_without_consent_is_flagged_on_consent() {
        let mut d = Draft::default();
        d.issue.phone = Some("13800138000".into());
        d.attempt();
        assert_eq!(
            d.error_for("consent").as_deref(),
            Some("error.consent_required")
        );
        assert!(
            CONTACT_FIELDS
                .iter()
                .all(|f| *f != "phone" || d.error_for(f).is_none())
        );
    }

    #[test]
    fn reset_forgets_everything_typed() {
        let mut d = Draft::default();
        d.issue.description = "something private".into();
        d.touch("description");
        d.reset();
        assert_eq!(d, Draft::default());
    }
}
