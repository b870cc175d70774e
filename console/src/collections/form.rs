//! An opinion collection as its form holds it and the [`CollectionInput`] it sends, checked
//! with the contract's rules; and who does what with collections.

use omk_api::mailbox::collections::{Collection, CollectionInput};
use omk_api::{FieldError, Role};

/// The form's fields, as the API names them.
pub const FIELDS: [&str; 4] = ["title", "text", "opens_on", "closes_on"];

/// A collection as typed; `id` is none for a new draft.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CollectionForm {
    pub id: Option<i64>,
    pub title: String,
    pub text: String,
    pub opens_on: String,
    pub closes_on: String,
}

impl CollectionForm {
    /// The form filled with a stored collection.
    pub fn from_collection(c: &Collection) -> CollectionForm {
        CollectionForm {
            id: Some(c.id),
            title: c.title.clone(),
            text: c.text.clone(),
            opens_on: c.opens_on.clone(),
            closes_on: c.closes_on.clone(),
        }
    }

    /// The id (none for a new draft) and the input to send, or every problem.
    pub fn to_input(&self) -> Result<(Option<i64>, CollectionInput), Vec<FieldError>> {
        let input = CollectionInput {
            title: self.title.trim().to_owned(),
            text: self.text.trim().to_owned(),
            opens_on: self.opens_on.trim().to_owned(),
            closes_on: self.closes_on.trim().to_owned(),
        };
        input.validate().map(|_| (self.id, input))
    }
}

/// What a role does with collections: admins draft, edit, publish and note; moderators
/// moderate comments and promote published ones to proposals; supervisors read. Unit
/// operators do not see them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CollectionRights {
    pub edits: bool,
    pub moderates: bool,
    /// Promote a published comment to a proposal for the month's topic.
    pub promotes: bool,
}

impl CollectionRights {
    pub fn of(role: Option<Role>) -> CollectionRights {
        CollectionRights {
            edits: role == Some(Role::Admin),
            moderates: matches!(role, Some(Role::Admin | Role::Moderator)),
            promotes: matches!(role, Some(Role::Admin | Role::Moderator)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_collection_needs_its_texts_and_days_in_order() {
        let mut form = CollectionForm {
            id: None,
            title: "Bus routes".into(),
            text: "Which routes should change?".into(),
            opens_on: "2026-06-01".into(),
            closes_on: "2026-06-15".into(),
        };
        assert!(form.to_input().is_ok());
        form.closes_on = "2026-05-30".into();
        assert_eq!(
            form.to_input().expect_err("refused"),
            vec![FieldError::new("closes_on", "invalid_value")]
        );
        let empty = CollectionForm::default().to_input().expect_err("refused");
        assert!(empty.iter().all(|e| FIELDS.contains(&e.field.as_str())));
    }

    #[test]
    fn only_admins_edit_and_moderators_moderate() {
        let admin = CollectionRights::of(Some(Role::Admin));
        assert!(admin.edits && admin.moderates && admin.promotes);
        let moderator = CollectionRights::of(Some(Role::Moderator));
        assert!(!moderator.edits && moderator.moderates && moderator.promotes);
        assert_eq!(
            CollectionRights::of(Some(Role::Supervisor)),
            CollectionRights::default()
        );
    }
}
