//! A moderation of a proposal as the form holds it (publish, merge into another published
//! proposal, or reject with a public reason) and the [`ProposalModeration`] it sends; and
//! where a proposal came from, as the queue says it.

use omk_api::cycle::proposals::{ProposalAction, ProposalModeration};
use omk_api::{FieldError, ModeratedProposal, ProposalOrigin};

/// Where a proposal came from, as a message key and its arguments: a visitor's own, a
/// promoted letter (named by its code: operators may see it) or a promoted comment.
pub fn origin(p: &ModeratedProposal) -> (&'static str, Vec<(&'static str, String)>) {
    match (p.proposal.origin, &p.letter) {
        (_, Some(code)) => ("proposals.from_letter", vec![("code", code.clone())]),
        (Some(ProposalOrigin::Letter), None) => ("proposals.from_a_letter", Vec::new()),
        (
            Some(ProposalOrigin::Comment {
                collection,
                comment,
            }),
            None,
        ) => (
            "proposals.from_comment",
            vec![
                ("collection", collection.to_string()),
                ("comment", comment.to_string()),
            ],
        ),
        (None, None) => ("proposals.from_visitor", Vec::new()),
    }
}

/// The form's fields, as the API names them.
pub const FIELDS: [&str; 3] = ["action", "into", "reason"];

/// A moderation as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModerationForm {
    /// The proposal moderated.
    pub code: String,
    pub action: ProposalAction,
    /// The published proposal to merge into.
    pub into: String,
    /// The public reason.
    pub reason: String,
}

impl ModerationForm {
    /// A moderation of `code`, publishing by default.
    pub fn of(code: &str) -> ModerationForm {
        ModerationForm {
            code: code.to_owned(),
            action: ProposalAction::Publish,
            into: String::new(),
            reason: String::new(),
        }
    }

    /// The action's wire form.
    pub fn action_str(action: ProposalAction) -> &'static str {
        match action {
            ProposalAction::Publish => "publish",
            ProposalAction::Merge => "merge",
            ProposalAction::Reject => "reject",
        }
    }

    /// The proposal's code and the moderation to send, or every problem at once.
    pub fn to_input(&self) -> Result<(String, ProposalModeration), Vec<FieldError>> {
        let into = Some(self.into.trim().to_owned()).filter(|i| !i.is_empty());
        let reason = Some(self.reason.trim().to_owned()).filter(|r| !r.is_empty());
        let merge = self.action == ProposalAction::Merge;
        let mut errors = Vec::new();
        if merge && into.as_deref() == Some(self.code.as_str()) {
            errors.push(FieldError::new("into", "invalid_value"));
        }
        let input = ProposalModeration {
            action: self.action,
            into: into.filter(|_| merge),
            reason,
        };
        if let Err(more) = input.validate() {
            errors.extend(more);
        }
        if errors.is_empty() {
            Ok((self.code.clone(), input))
        } else {
            Err(errors)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use omk_api::{ProposalState, PublicProposal};

    fn proposal(origin: Option<ProposalOrigin>, letter: Option<&str>) -> ModeratedProposal {
        ModeratedProposal {
            proposal: PublicProposal {
                code: "PR-1".into(),
                title: "增设夜班公交线路".into(),
                text: "夜班公交线路太少。".into(),
                district: "dongchangfu".into(),
                state: ProposalState::Published,
                merged_into: None,
                merged: Vec::new(),
                candidate: None,
                created_at: 0,
                origin,
            },
            reason: None,
            has_contact: false,
            letter: letter.map(str::to_owned),
        }
    }

    #[test]
    fn a_proposal_says_where_it_came_from() {
        let letter = proposal(Some(ProposalOrigin::Letter), Some("ML-1"));
        assert_eq!(
            origin(&letter),
            ("proposals.from_letter", vec![("code", "ML-1".to_owned())])
        );
        let comment = Some(ProposalOrigin::Comment {
            collection: 3,
            comment: 7,
        });
        let (key, args) = origin(&proposal(comment, None));
        assert_eq!(key, "proposals.from_comment");
        assert_eq!(args[1], ("comment", "7".to_owned()));
        assert_eq!(origin(&proposal(None, None)).0, "proposals.from_visitor");
    }

    #[test]
    fn a_rejection_needs_its_public_reason_and_a_merge_its_target() {
        let mut form = ModerationForm::of("PR-1");
        form.action = ProposalAction::Reject;
        let errors = form.to_input().expect_err("refused");
        assert_eq!(errors[0].field, "reason");
        form.reason = "Already in hand".into();
        assert!(form.to_input().is_ok());
        form.action = ProposalAction::Merge;
        form.reason.clear();
        assert_eq!(
            form.to_input().expect_err("refused"),
            vec![FieldError::new("into", "required")]
        );
        form.into = "PR-1".into();
        assert_eq!(
            form.to_input().expect_err("refused"),
            vec![FieldError::new("into", "invalid_value")]
        );
        form.into = "PR-2".into();
        let (code, input) = form.to_input().expect("accepted");
        assert_eq!(
            (code.as_str(), input.into.as_deref()),
            ("PR-1", Some("PR-2"))
        );
    }

    #[test]
    fn a_publication_sends_no_target() {
        let mut form = ModerationForm::of("PR-1");
        form.into = "PR-2".into();
        let (_, input) = form.to_input().expect("accepted");
        assert_eq!(input.into, None);
        for action in [
            ProposalAction::Publish,
            ProposalAction::Merge,
            ProposalAction::Reject,
        ] {
            assert!(!ModerationForm::action_str(action).is_empty());
        }
    }
}
