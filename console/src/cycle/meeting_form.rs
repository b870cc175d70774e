//! The meeting's and the decision's inputs as their forms hold them, checked with the
//! contract's rules before sending.

use omk_api::FieldError;
use omk_api::outcome::{CheckIn, DecisionInput, MeetingInput};

/// The meeting to send: an event of the program and the invited seats.
pub fn meeting_input(event: &str, invited: &str) -> Result<MeetingInput, Vec<FieldError>> {
    let mut errors = Vec::new();
    let event = event.trim().parse::<i64>().unwrap_or_else(|_| {
        errors.push(FieldError::new("event", "required"));
        0
    });
    let invited_seats = invited.trim().parse::<u32>().unwrap_or_else(|_| {
        errors.push(FieldError::new("invited_seats", "invalid_value"));
        0
    });
    let input = MeetingInput {
        event,
        invited_seats,
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    input.validate().map(|()| input)
}

/// The check-in of the code shown at the door.
pub fn check_in(code: &str) -> Result<CheckIn, Vec<FieldError>> {
    let code = code.trim().to_uppercase();
    if code.is_empty() {
        Err(vec![FieldError::new("code", "required")])
    } else if code.chars().count() > 40 {
        Err(vec![FieldError::new("code", "too_long")])
    } else {
        Ok(CheckIn { code })
    }
}

/// The decision to send.
pub fn decision_input(
    summary_zh: &str,
    summary_en: &str,
    lead_unit: &str,
) -> Result<DecisionInput, Vec<FieldError>> {
    let input = DecisionInput {
        summary_zh: summary_zh.trim().to_owned(),
        summary_en: summary_en.trim().to_owned(),
        lead_unit: lead_unit.to_owned(),
    };
    input.validate().map(|()| input)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_meeting_needs_an_event_and_a_count_of_invited_seats() {
        let input = meeting_input("12", "30").expect("accepted");
        assert_eq!((input.event, input.invited_seats), (12, 30));
        let fields =
            |errors: Vec<FieldError>| errors.into_iter().map(|e| e.field).collect::<Vec<_>>();
        assert_eq!(
            fields(meeting_input("", "x").expect_err("refused")),
            ["event", "invited_seats"]
        );
        assert_eq!(
            fields(meeting_input("3", "10001").expect_err("refused")),
            ["invited_seats"]
        );
    }

    #[test]
    fn a_check_in_code_is_trimmed_and_required() {
        assert_eq!(
            check_in(" ck-7k3f-9qx2 ").expect("accepted").code,
            "CK-7K3F-9QX2"
        );
        assert!(check_in("  ").is_err());
    }

    #[test]
    fn a_decision_needs_both_summaries_and_a_lead_unit() {
        assert!(decision_input("决定", "Decided", "housing").is_ok());
        let errors = decision_input("", "Decided", "").expect_err("refused");
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert!(
            fields.contains(&"summary_zh") && fields.contains(&"lead_unit"),
            "{fields:?}"
        );
    }
}
