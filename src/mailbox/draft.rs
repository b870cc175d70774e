//! The letter form's state as plain data: what was typed, which fields were left, and which
//! error to show where. The rules are `omk_api`'s own (`NewLetter::validate`).

use omk_api::{FieldError, LetterKind, NewLetter, Problem};

/// The fields of the letter, in display order (all required).
pub const FIELDS: [&str; 5] = ["kind", "title", "text", "name", "phone"];

/// What the visitor has typed so far, and which fields they have left.
#[derive(Debug, Clone, PartialEq)]
pub struct LetterDraft {
    pub letter: NewLetter,
    touched: Vec<&'static str>,
    submitted: bool,
    /// Errors the backend returned for the last attempt.
    server_errors: Vec<FieldError>,
}

impl Default for LetterDraft {
    fn default() -> Self {
        LetterDraft {
            letter: NewLetter {
                kind: LetterKind::Consultation,
                title: String::new(),
                text: String::new(),
                name: String::new(),
                phone: String::new(),
                may_publish: false,
            },
            touched: Vec::new(),
            submitted: false,
            server_errors: Vec::new(),
        }
    }
}

/// How many characters a text has as the API counts them (trimmed), and its limit.
pub fn counted(text: &str, max: usize) -> (usize, usize) {
    (text.trim().chars().count(), max)
}

impl LetterDraft {
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

    /// Clears everything typed, the name and phone included.
    pub fn reset(&mut self) {
        *self = LetterDraft::default();
    }

    /// The message key of the error to show for `field` now, if any: the shared rules
    /// first, then what the backend said.
    pub fn error_for(&self, field: &str) -> Option<String> {
        if !(self.submitted || self.touched.contains(&field)) {
            return None;
        }
        let local = self.letter.validate().err().unwrap_or_default();
        local
            .iter()
            .chain(self.server_errors.iter())
            .find(|e| e.field == field)
            .map(FieldError::message_key)
    }

    /// Whether the draft passes the shared rules.
    pub fn is_valid(&self) -> bool {
        self.letter.validate().is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filled() -> LetterDraft {
        let mut d = LetterDraft::default();
        d.letter.title = "建议增设公交夜班线路".into();
        d.letter.text = "东昌府区晚上九点后没有公交车。".into();
        d.letter.name = "王秀兰".into();
        d.letter.phone = "13800138000".into();
        d
    }

    #[test]
    fn the_title_needs_ten_to_twenty_five_characters() {
        let mut d = filled();
        assert!(d.is_valid());
        d.letter.title = "公交太少".into();
        d.touch("title");
        assert_eq!(
            d.error_for("title").as_deref(),
            Some("error.title_too_short")
        );
        d.letter.title = "公".repeat(NewLetter::TITLE_MAX + 1);
        assert_eq!(d.error_for("title").as_deref(), Some("error.too_long"));
        d.letter.title = "公".repeat(NewLetter::TITLE_MAX);
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
        d.letter.phone = "12345".into();
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
        assert!(d.letter.name.is_empty() && d.letter.phone.is_empty());
    }
}
