//! The issue form's state as plain data: what was typed, what was touched,
//! and which errors to show where.

use omk_api::NewIssue;

use crate::form::FormDraft;

/// The fields of the form, in display order.
pub const FIELDS: [&str; 3] = ["category", "description", "place"];

/// The optional contact fields, which need consent.
pub const CONTACT_FIELDS: [&str; 3] = ["name", "phone", "consent"];

/// What the visitor has typed into the issue form.
pub type Draft = FormDraft<NewIssue>;

impl Default for Draft {
    fn default() -> Self {
        FormDraft::new(NewIssue::default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use omk_api::{FieldError, Problem};

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
        d.input.category = "no-such".into();
        d.input.description = "路灯坏了很久".into();
        d.input.place = "临清市".into();
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
        d.input.phone = Some("13800138000".into());
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
        d.input.description = "something private".into();
        d.touch("description");
        d.reset();
        assert_eq!(d, Draft::default());
    }
}
