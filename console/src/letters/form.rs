//! The review of a letter as the form holds it (accept and route to a unit, or decline
//! with a reason from the fixed list) and the [`LetterReview`] it sends: exactly one of the
//! two, as the contract requires.

use omk_api::FieldError;
use omk_api::mailbox::{DeclineReason, LetterReview};

/// The review form's fields, as the API names them.
pub const REVIEW_FIELDS: [&str; 2] = ["unit", "decline"];

/// What the reviewer decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Verdict {
    /// Accept and route to a unit.
    #[default]
    Accept,
    /// Decline with a reason.
    Decline,
}

/// The review as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReviewForm {
    pub verdict: Verdict,
    /// A unit id, when accepting.
    pub unit: String,
    /// A reason's wire form, when declining.
    pub decline: String,
}

impl ReviewForm {
    /// The review to send, or what is missing.
    pub fn to_input(&self) -> Result<LetterReview, Vec<FieldError>> {
        match self.verdict {
            Verdict::Accept if self.unit.is_empty() => {
                Err(vec![FieldError::new("unit", "required")])
            }
            Verdict::Accept => Ok(LetterReview {
                unit: Some(self.unit.clone()),
                decline: None,
            }),
            Verdict::Decline => {
                let reason = DeclineReason::ALL
                    .into_iter()
                    .find(|r| r.as_str() == self.decline);
                match reason {
                    Some(reason) => Ok(LetterReview {
                        unit: None,
                        decline: Some(reason),
                    }),
                    None => Err(vec![FieldError::new("decline", "required")]),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_review_sends_a_unit_or_a_reason_never_both() {
        let mut form = ReviewForm {
            unit: "housing".into(),
            decline: "abusive".into(),
            ..ReviewForm::default()
        };
        let accepted = form.to_input().expect("accepted");
        assert_eq!(
            (accepted.unit.as_deref(), accepted.decline),
            (Some("housing"), None)
        );
        form.verdict = Verdict::Decline;
        let declined = form.to_input().expect("accepted");
        assert_eq!(
            (declined.unit, declined.decline),
            (None, Some(DeclineReason::Abusive))
        );
    }

    #[test]
    fn a_review_without_its_choice_is_refused_before_sending() {
        let empty = ReviewForm::default().to_input().expect_err("refused");
        assert_eq!(empty, vec![FieldError::new("unit", "required")]);
        let decline = ReviewForm {
            verdict: Verdict::Decline,
            decline: "bored".into(),
            ..ReviewForm::default()
        };
        assert_eq!(
            decline.to_input().expect_err("refused"),
            vec![FieldError::new("decline", "required")]
        );
        for error in empty
            .iter()
            .chain(&decline.to_input().expect_err("refused"))
        {
            assert!(REVIEW_FIELDS.contains(&error.field.as_str()));
        }
    }
}
