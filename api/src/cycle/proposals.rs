//! Visitors' proposals for a month's topic: sent from a kiosk or a phone while the month's
//! cycle is `soliciting`, answered with a tracking code, moderated (published, merged into
//! another, or rejected with a public reason) before anyone else sees them. A phone number
//! given for a call-back is private: no public answer carries it.

use serde::{Deserialize, Serialize};

use super::Month;
use crate::FieldError;
use crate::issues::is_phone;

/// A visitor's proposal: `POST /api/v1/cycles/{month}/proposals`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewProposal {
    /// What the month's topic should be, in a few words.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::text::<1, { NewProposal::TITLE_MAX }>))]
    pub title: String,
    /// Why, and what should be done.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::text::<1, { NewProposal::TEXT_MAX }>))]
    pub text: String,
    /// A district id from `GET /api/v1/districts`; another is refused (422
    /// `unknown_district`).
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::id))]
    pub district: String,
    /// Optional, for a call-back; needs `consent`. Never shown publicly.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::phone))]
    pub phone: Option<String>,
    /// The visitor agreed that the phone may be stored for a call-back; a phone without it
    /// is refused (422 `consent_required`).
    #[serde(default)]
    pub consent: bool,
}

impl NewProposal {
    pub const TITLE_MAX: usize = 25;
    pub const TEXT_MAX: usize = 600;

    /// Every problem with the proposal's own fields (the district's existence is the
    /// server's to check).
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        for (field, value, max) in [
            ("title", &self.title, Self::TITLE_MAX),
            ("text", &self.text, Self::TEXT_MAX),
        ] {
            let length = value.trim().chars().count();
            if length == 0 {
                errors.push(FieldError::new(field, "required"));
            } else if length > max {
                errors.push(FieldError::new(field, "too_long"));
            }
        }
        if self.district.trim().is_empty() {
            errors.push(FieldError::new("district", "required"));
        }
        if let Some(phone) = self.phone() {
            if !is_phone(phone) {
                errors.push(FieldError::new("phone", "phone_format"));
            } else if !self.consent {
                errors.push(FieldError::new("phone", "consent_required"));
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    /// The phone given, trimmed; `None` when blank.
    pub fn phone(&self) -> Option<&str> {
        self.phone
            .as_deref()
            .map(str::trim)
            .filter(|p| !p.is_empty())
    }
}

/// Where a proposal is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ProposalState {
    /// Waiting for moderation; not shown publicly.
    Received,
    /// Shown publicly.
    Published,
    /// Joined to another proposal, shown with it.
    Merged,
    /// Not published; the reason is public.
    Rejected,
}

impl ProposalState {
    pub const ALL: [ProposalState; 4] = [
        ProposalState::Received,
        ProposalState::Published,
        ProposalState::Merged,
        ProposalState::Rejected,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ProposalState::Received => "received",
            ProposalState::Published => "published",
            ProposalState::Merged => "merged",
            ProposalState::Rejected => "rejected",
        }
    }

    pub fn parse(text: &str) -> Option<ProposalState> {
        ProposalState::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// The message key of the state's name, for example `proposal.state.published`.
    pub fn message_key(self) -> &'static str {
        match self {
            ProposalState::Received => "proposal.state.received",
            ProposalState::Published => "proposal.state.published",
            ProposalState::Merged => "proposal.state.merged",
            ProposalState::Rejected => "proposal.state.rejected",
        }
    }
}

/// The answer to a stored proposal: the code to follow it with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProposalReceipt {
    /// For example `PR-7K3F-9QX2-M4TB-6`.
    pub code: String,
    pub month: Month,
    pub state: ProposalState,
    pub created_at: i64,
}

/// A proposal followed by its code: `GET /api/v1/proposals/{code}`. Its state and the
/// public reason; never the phone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProposalStatus {
    pub code: String,
    pub month: Month,
    pub title: String,
    pub state: ProposalState,
    /// Why it was rejected or merged, as the moderator wrote it for the public.
    pub reason: Option<String>,
    /// The proposal it was merged into.
    pub merged_into: Option<String>,
    /// The candidate it was linked to on the shortlist (a topic id).
    pub candidate: Option<String>,
    pub created_at: i64,
}

/// A proposal joined to a published one, as shown with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MergedProposal {
    pub code: String,
    pub title: String,
}

/// A proposal as everyone sees it: published, or merged into a published one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublicProposal {
    pub code: String,
    pub title: String,
    pub text: String,
    /// A district id.
    pub district: String,
    pub state: ProposalState,
    /// For a merged proposal: the one it was merged into.
    pub merged_into: Option<String>,
    /// For a published one: the proposals merged into it.
    pub merged: Vec<MergedProposal>,
    /// The candidate it was linked to on the shortlist (a topic id).
    pub candidate: Option<String>,
    pub created_at: i64,
    /// Where it came from when a moderator promoted a letter or a comment to it.
    #[serde(default)]
    pub origin: Option<crate::ProposalOrigin>,
}

/// A proposal as moderators see it: every state, and whether a phone was left (the phone
/// itself only through the audited contact view).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ModeratedProposal {
    #[serde(flatten)]
    pub proposal: PublicProposal,
    pub reason: Option<String>,
    pub has_contact: bool,
    /// The letter it was promoted from (its code), for operators only.
    #[serde(default)]
    pub letter: Option<String>,
}

/// What a moderator does with a proposal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ProposalAction {
    Publish,
    Merge,
    Reject,
}

/// A moderation: `POST /admin/proposals/{code}/moderation`. Only a proposal that is
/// received or published is moderated (409 `conflict` for a merged or rejected one).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProposalModeration {
    pub action: ProposalAction,
    /// For `merge`: the code of a published proposal of the same month, not this one
    /// (422 `invalid_value` otherwise).
    #[serde(default)]
    pub into: Option<String>,
    /// The public reason: required to reject (422 `required`), optional otherwise.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::optional_text::<{ ProposalModeration::REASON_MAX }>))]
    pub reason: Option<String>,
}

impl ProposalModeration {
    pub const REASON_MAX: usize = 200;

    /// Every problem with the moderation's own fields.
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        let reason = self.reason();
        if reason.is_some_and(|r| r.chars().count() > Self::REASON_MAX) {
            errors.push(FieldError::new("reason", "too_long"));
        }
        if self.action == ProposalAction::Reject && reason.is_none() {
            errors.push(FieldError::new("reason", "required"));
        }
        if self.action == ProposalAction::Merge && self.into().is_none() {
            errors.push(FieldError::new("into", "required"));
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    /// The reason, trimmed; `None` when blank.
    pub fn reason(&self) -> Option<&str> {
        self.reason
            .as_deref()
            .map(str::trim)
            .filter(|r| !r.is_empty())
    }

    /// The target of a merge, trimmed; `None` when blank.
    pub fn into(&self) -> Option<&str> {
        self.into
            .as_deref()
            .map(str::trim)
            .filter(|r| !r.is_empty())
    }
}

/// A proposal's phone, shown to an admin through the audited contact view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProposalContact {
    pub code: String,
    pub phone: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn proposal(title: &str, text: &str, phone: Option<&str>, consent: bool) -> NewProposal {
        NewProposal {
            title: title.into(),
            text: text.into(),
            district: "dongchangfu".into(),
            phone: phone.map(str::to_owned),
            consent,
        }
    }

    #[test]
    fn a_proposal_has_a_short_title_a_text_and_a_phone_only_with_consent() {
        assert!(
            proposal("老旧小区加装电梯", "六层楼没有电梯", None, false)
                .validate()
                .is_ok()
        );
        let title = "字".repeat(25);
        assert!(proposal(&title, "x", None, false).validate().is_ok());
        let long = "字".repeat(26);
        let text = "字".repeat(601);
        assert_eq!(
            crate::refusals(&proposal(&long, &text, Some("123"), true).validate()),
            [
                ("title", "too_long"),
                ("text", "too_long"),
                ("phone", "phone_format")
            ]
        );
        assert_eq!(
            crate::refusals(&proposal(" ", "x", Some("13800138000"), false).validate()),
            [("title", "required"), ("phone", "consent_required")]
        );
    }

    #[test]
    fn a_rejection_needs_a_reason_and_a_merge_a_target() {
        let moderation = |action, into: Option<&str>, reason: Option<&str>| ProposalModeration {
            action,
            into: into.map(str::to_owned),
            reason: reason.map(str::to_owned),
        };
        assert!(
            moderation(ProposalAction::Publish, None, None)
                .validate()
                .is_ok()
        );
        assert_eq!(
            crate::refusals(&moderation(ProposalAction::Reject, None, Some(" ")).validate()),
            [("reason", "required")]
        );
        assert_eq!(
            crate::refusals(&moderation(ProposalAction::Merge, None, None).validate()),
            [("into", "required")]
        );
    }

    #[test]
    fn states_round_trip() {
        for state in ProposalState::ALL {
            assert_eq!(ProposalState::parse(state.as_str()), Some(state));
        }
    }
}
