//! A candidate of the shortlist as its form holds it (id, titles, proposed lead unit,
//! category, order and linked proposals) and the [`CandidateInput`] it sends.

use omk_api::FieldError;
use omk_api::cycle::selection::{CandidateInput, CandidateView};

/// The form's fields, as the API names them.
pub const FIELDS: [&str; 7] = [
    "id",
    "title_zh",
    "title_en",
    "lead_unit",
    "category",
    "position",
    "proposals",
];

/// A candidate as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CandidateForm {
    pub id: String,
    pub is_new: bool,
    pub title_zh: String,
    pub title_en: String,
    pub lead_unit: String,
    pub category: String,
    pub position: String,
    /// Proposal codes, separated by commas, spaces or new lines.
    pub proposals: String,
}

/// Whether `id` is a candidate id: 1 to 32 lower-case ASCII letters, digits, `-` or `_`,
/// starting with a letter.
pub fn valid_id(id: &str) -> bool {
    let mut chars = id.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && id.len() <= 32
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

/// The proposal codes in a typed list, each once, in order.
pub fn codes(text: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    for code in text.split([',', ' ', '\n', '，']).map(str::trim) {
        let code = code.to_uppercase();
        if !code.is_empty() && !found.contains(&code) {
            found.push(code);
        }
    }
    found
}

impl CandidateForm {
    /// A new candidate, placed after `count` others.
    pub fn new_candidate(count: usize) -> CandidateForm {
        CandidateForm {
            is_new: true,
            position: count.to_string(),
            ..CandidateForm::default()
        }
    }

    /// The form filled with a candidate of the shortlist at `position`.
    pub fn from_view(c: &CandidateView, position: usize) -> CandidateForm {
        CandidateForm {
            id: c.id.clone(),
            is_new: false,
            title_zh: c.title_zh.clone(),
            title_en: c.title_en.clone(),
            lead_unit: c.lead_unit.clone(),
            category: c.category.clone(),
            position: position.to_string(),
            proposals: c.proposals.join(", "),
        }
    }

    /// The id and the input to send, or every problem at once.
    pub fn to_input(&self) -> Result<(String, CandidateInput), Vec<FieldError>> {
        let id = self.id.trim().to_owned();
        let position = self.position.trim().parse::<i64>().unwrap_or(-1);
        let input = CandidateInput {
            title_zh: self.title_zh.trim().to_owned(),
            title_en: self.title_en.trim().to_owned(),
            lead_unit: self.lead_unit.clone(),
            category: self.category.clone(),
            position,
            proposals: codes(&self.proposals),
        };
        let mut errors = Vec::new();
        if id.is_empty() {
            errors.push(FieldError::new("id", "required"));
        } else if !valid_id(&id) {
            errors.push(FieldError::new("id", "invalid_value"));
        }
        if let Err(more) = input.validate() {
            errors.extend(more);
        }
        if errors.is_empty() {
            Ok((id, input))
        } else {
            Err(errors)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linked_proposals_are_read_from_any_separator_once_each() {
        assert_eq!(
            codes("pr-1, PR-2\nPR-1，pr-3  "),
            ["PR-1", "PR-2", "PR-3"].map(String::from)
        );
        assert!(codes(" , ").is_empty());
    }

    #[test]
    fn a_candidate_needs_a_good_id_and_its_fields() {
        assert!(valid_id("parking-2") && valid_id("a"));
        assert!(!valid_id("2parking") && !valid_id("Parking") && !valid_id(""));
        assert!(!valid_id(&"a".repeat(33)));
        let mut form = CandidateForm::new_candidate(2);
        form.id = "Parking".into();
        let errors = form.to_input().expect_err("refused");
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            ["id", "title_zh", "title_en", "lead_unit", "category"]
        );
        form = CandidateForm {
            id: "parking".into(),
            title_zh: "停车".into(),
            title_en: "Parking".into(),
            lead_unit: "transport".into(),
            category: "parking".into(),
            proposals: "PR-1".into(),
            ..CandidateForm::new_candidate(0)
        };
        let (id, input) = form.to_input().expect("accepted");
        assert_eq!(
            (id.as_str(), input.position, input.proposals.len()),
            ("parking", 0, 1)
        );
    }
}
