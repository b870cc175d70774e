//! The choice of the month's topic as the form holds it: a candidate, and a public reason
//! that is required when it is not (one of) the top score; and the codes' count.

use omk_api::FieldError;
use omk_api::cycle::selection::{ChoiceInput, CodeRequest};

/// The choice form's fields, as the API names them.
pub const FIELDS: [&str; 2] = ["candidate", "reason"];

/// The choice to send, or every problem: `tops` are the candidates at the top score (none
/// before scores exist, when no reason is asked for).
pub fn choice_input(
    candidate: &str,
    reason: &str,
    tops: &[String],
) -> Result<ChoiceInput, Vec<FieldError>> {
    let reason = Some(reason.trim().to_owned()).filter(|r| !r.is_empty());
    let input = ChoiceInput {
        candidate: candidate.trim().to_owned(),
        reason,
    };
    let mut errors = input.validate().err().unwrap_or_default();
    let below_top = !tops.is_empty() && !tops.contains(&input.candidate);
    if !input.candidate.is_empty() && below_top && input.reason().is_none() {
        errors.push(FieldError::new("reason", "required"));
    }
    if errors.is_empty() {
        Ok(input)
    } else {
        Err(errors)
    }
}

/// The number of representatives' codes to issue, or its problem.
pub fn code_request(count: &str) -> Result<CodeRequest, Vec<FieldError>> {
    let count = count.trim().parse::<u32>().unwrap_or(0);
    let request = CodeRequest { count };
    request.validate().map(|()| request)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reason_is_required_only_below_the_top_score() {
        let tops = vec!["parking".to_owned()];
        assert!(choice_input("parking", "", &tops).is_ok());
        assert_eq!(
            choice_input("noise", " ", &tops).expect_err("refused"),
            vec![FieldError::new("reason", "required")]
        );
        let chosen = choice_input("noise", "Safety first", &tops).expect("accepted");
        assert_eq!(chosen.reason.as_deref(), Some("Safety first"));
        assert!(choice_input("noise", "", &[]).is_ok());
        assert_eq!(
            choice_input("", "", &tops).expect_err("refused"),
            vec![FieldError::new("candidate", "required")]
        );
    }

    #[test]
    fn codes_come_in_ones_to_five_hundreds() {
        assert_eq!(code_request("30").expect("accepted").count, 30);
        for bad in ["0", "501", "x", ""] {
            assert!(code_request(bad).is_err(), "{bad}");
        }
    }
}
