//! The letter form's state as plain data: what was typed, which fields were left, and which
//! error to show where. The rules are `omk_api`'s own (`NewLetter::validate`).

use omk_api::{LetterKind, NewLetter};

use crate::form::FormDraft;

/// The fields of the letter, in display order (all required).
pub const FIELDS: [&str; 5] = ["kind", "title", "text", "name", "phone"];

/// What the visitor has typed into the letter form.
pub type LetterDraft = FormDraft<NewLetter>;

impl Default for LetterDraft {
    fn default() -> Self {
        FormDraft::new(NewLetter {
            kind: LetterKind::Consultation,
            title: String::new(),
            text: String::new(),
            name: String::new(),
            phone: String::new(),
            may_publish: false,
        })
    }
}

/// How many characters a text has as the API counts them (trimmed), and its limit.
pub fn counted(text: &str, max: usize) -> (usize, usize) {
    (text.trim().chars().count(), max)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filled() -> LetterDraft {
        let mut d = LetterDraft::default();
        d.input.title = "建议增设公交夜班线路".into();
        d.input.text = "东昌府区晚上九点后没有公交车。".into();
        d.input.name = "王秀兰".into();
        d.input.phone = "13800138000".into();
        d
    }

    #[test]
    fn the_title_needs_ten_to_twenty_five_characters() {
        let mut d = filled();
        assert!(d.is_valid());
        d.input.title = "公交太少".into();
        d.touch("title");
        assert_eq!(
            d.error_for("title").as_deref(),
            Some("error.title_too_short")
        );
        d.input.title = "公".repeat(NewLetter::TITLE_MAX + 1);
        assert_eq!(d.error_for("title").as_deref(), Some("error.too_long"));
        d.input.title = "公".repeat(NewLetter::TITLE_MAX);
        assert_eq!(d.error_for("title"), None);
    }

    #[test]
    fn name_and_phone_are_required() {
        let mut d = LetterDraft::default();
        assert_eq!(d.error_for("name"), None, "not before the field is left");
        d.attempt();
        for field in FIELDS.into_iter().filter(|f| *f != "kind") {
            assert!(d.error_for(field).is_some(), "{field}");
        }
        d.input.phone = "12345".into();
        assert_eq!(d.error_for("phone").as_deref(), Some("error.phone_format"));
    }

    #[test]
    fn counts_are_of_trimmed_characters() {
        assert_eq!(counted("  公交 车 ", NewLetter::TITLE_MAX), (4, 25));
    }

    #[test]
    fn reset_forgets_the_name_and_phone() {
        let mut d = filled();
        d.touch("name");
        d.reset();
        assert_eq!(d, LetterDraft::default());
        assert!(d.input.name.is_empty() && d.input.phone.is_empty());
    }
}
