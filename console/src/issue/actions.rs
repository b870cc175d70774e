//! What an operator can do to an issue, as plain data: which status moves to offer, and the
//! bodies of a status change, a hand-over and a moderation, checked before they are sent.

use omk_api::{FieldError, IssueStatus, Moderation, RouteChange, StatusChange};

/// A move of an issue to a later status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Move {
    Accept,
    /// Answer publicly: needs the answer's text.
    Answer,
    /// Resolve, with an answer if one is written.
    Resolve,
    Close,
}

/// Whether a move takes the public answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnswerUse {
    Ignored,
    Optional,
    Required,
}

impl Move {
    pub const ALL: [Move; 4] = [Move::Accept, Move::Answer, Move::Resolve, Move::Close];

    /// The status it moves to.
    pub fn target(self) -> IssueStatus {
        match self {
            Move::Accept => IssueStatus::Accepted,
            Move::Answer => IssueStatus::Answered,
            Move::Resolve => IssueStatus::Resolved,
            Move::Close => IssueStatus::Closed,
        }
    }

    /// Whether it takes the public answer.
    pub fn answer_use(self) -> AnswerUse {
        match self {
            Move::Accept | Move::Close => AnswerUse::Ignored,
            Move::Answer => AnswerUse::Required,
            Move::Resolve => AnswerUse::Optional,
        }
    }

    /// The message key of its button.
    pub fn label_key(self) -> &'static str {
        match self {
            Move::Accept => "action.accept",
            Move::Answer => "action.answer",
            Move::Resolve => "action.resolve",
            Move::Close => "action.close",
        }
    }

    /// The `data-testid` of its button.
    pub fn testid(self) -> &'static str {
        match self {
            Move::Accept => "action-accept",
            Move::Answer => "action-answer",
            Move::Resolve => "action-resolve",
            Move::Close => "action-close",
        }
    }

    /// The message key of what is announced once it is done.
    pub fn done_key(self) -> &'static str {
        match self {
            Move::Accept => "action.accepted",
            Move::Answer => "action.answered",
            Move::Resolve => "action.resolved",
            Move::Close => "action.closed",
        }
    }
}

/// The moves the workflow allows from `current`, in order.
pub fn offered_moves(current: IssueStatus) -> Vec<Move> {
    Move::ALL
        .into_iter()
        .filter(|m| current.can_move_to(m.target()))
        .collect()
}

/// The body of `the_move`, with the answer as typed; or what is wrong with it.
pub fn status_change(the_move: Move, answer: &str) -> Result<StatusChange, FieldError> {
    let answer = answer.trim();
    let given = (!answer.is_empty()).then(|| answer.to_owned());
    if answer.chars().count() > StatusChange::ANSWER_MAX {
        return Err(FieldError::new("answer", "too_long"));
    }
    let answer = match the_move.answer_use() {
        AnswerUse::Ignored => None,
        AnswerUse::Optional => given,
        AnswerUse::Required => Some(given.ok_or_else(|| FieldError::new("answer", "required"))?),
    };
    Ok(StatusChange {
        status: the_move.target(),
        answer,
    })
}

/// A reason as typed, checked: present and not too long.
fn reason(text: &str, errors: &mut Vec<FieldError>) -> String {
    let text = text.trim();
    let length = text.chars().count();
    if length == 0 {
        errors.push(FieldError::new("reason", "required"));
    } else if length > RouteChange::REASON_MAX {
        errors.push(FieldError::new("reason", "too_long"));
    }
    text.to_owned()
}

/// The body of a hand-over to `unit`; or every problem with it.
pub fn route_change(unit: &str, why: &str) -> Result<RouteChange, Vec<FieldError>> {
    let mut errors = Vec::new();
    let unit = unit.trim();
    if unit.is_empty() {
        errors.push(FieldError::new("unit", "required"));
    }
    let reason = reason(why, &mut errors);
    if errors.is_empty() {
        Ok(RouteChange {
            unit: unit.to_owned(),
            reason,
        })
    } else {
        Err(errors)
    }
}

/// The body of hiding (or showing again) the issue's text; or every problem with it.
pub fn moderation(hidden: bool, why: &str) -> Result<Moderation, Vec<FieldError>> {
    let mut errors = Vec::new();
    let reason = reason(why, &mut errors);
    if errors.is_empty() {
        Ok(Moderation { hidden, reason })
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_moves_the_workflow_allows_are_offered() {
        use IssueStatus::*;
        assert_eq!(
            offered_moves(Received),
            [Move::Accept, Move::Answer, Move::Resolve, Move::Close]
        );
        assert_eq!(
            offered_moves(Accepted),
            [Move::Answer, Move::Resolve, Move::Close]
        );
        assert_eq!(offered_moves(Answered), [Move::Resolve, Move::Close]);
        assert!(offered_moves(Resolved).is_empty());
        assert!(offered_moves(Closed).is_empty());
    }

    #[test]
    fn a_public_answer_needs_its_text_and_accepting_sends_none() {
        assert_eq!(
            status_change(Move::Answer, "  ").map_err(|e| e.code),
            Err("required".to_owned())
        );
        assert_eq!(
            status_change(Move::Answer, " 已安排 "),
            Ok(StatusChange {
                status: IssueStatus::Answered,
                answer: Some("已安排".into())
            })
        );
        assert_eq!(
            status_change(Move::Accept, "ignored").map(|c| c.answer),
            Ok(None)
        );
        assert_eq!(status_change(Move::Resolve, "").map(|c| c.answer), Ok(None));
        assert_eq!(
            status_change(Move::Resolve, &"字".repeat(StatusChange::ANSWER_MAX + 1))
                .map_err(|e| e.code),
            Err("too_long".to_owned())
        );
    }

    #[test]
    fn a_hand_over_needs_a_unit_and_a_reason() {
        let codes = |r: Result<RouteChange, Vec<FieldError>>| {
            r.err()
                .unwrap_or_default()
                .into_iter()
                .map(|e| e.field)
                .collect::<Vec<_>>()
        };
        assert_eq!(codes(route_change("", " ")), ["unit", "reason"]);
        assert_eq!(
            route_change("traffic", " 属交通局职责 "),
            Ok(RouteChange {
                unit: "traffic".into(),
                reason: "属交通局职责".into()
            })
        );
        assert!(moderation(true, "").is_err());
        assert_eq!(moderation(false, "已核实").map(|m| m.hidden), Ok(false));
    }
}
