//! A letter to the mayor's mailbox or a comment on an opinion collection promoted by a
//! moderator to a proposal for a month's topic, linked both ways: the proposal says where it
//! came from, the letter (to whoever has its code) and the comment name the proposal.

use serde::{Deserialize, Serialize};

use super::Month;
use super::proposals::NewProposal;
use crate::FieldError;

/// Where a proposal came from when a moderator promoted it. A letter is not named (its code
/// is its writer's key); a comment is public, and named by its collection and its id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ProposalOrigin {
    /// A letter to the mayor's mailbox.
    Letter,
    /// A published comment on an opinion collection.
    Comment { collection: i64, comment: i64 },
}

/// A promotion (`POST /api/v1/admin/letters/{code}/promotion`, `POST
/// /api/v1/admin/consultations/{id}/comments/{comment}/promotion`): the month whose call
/// for topics takes it, and the proposal's public wording, which the moderator writes (a
/// private letter's text is never copied out by itself). It is published at once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Promotion {
    /// A month whose cycle is `soliciting` or `screening` (409 `proposals-closed`
    /// otherwise).
    pub month: Month,
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::text::<1, { NewProposal::TITLE_MAX }>))]
    pub title: String,
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::text::<1, { NewProposal::TEXT_MAX }>))]
    pub text: String,
    /// A district id from `GET /api/v1/districts`.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::id))]
    pub district: String,
}

impl Promotion {
    /// Every problem with its own fields, by the rules of a visitor's proposal.
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        self.as_proposal().validate()
    }

    /// The proposal it makes, without a phone.
    pub fn as_proposal(&self) -> NewProposal {
        NewProposal {
            title: self.title.clone(),
            text: self.text.clone(),
            district: self.district.clone(),
            phone: None,
            consent: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_promotion_follows_a_proposal_s_rules() {
        let month = Month::parse("2026-05").expect("a month");
        let promotion = |title: &str| Promotion {
            month,
            title: title.into(),
            text: "夜间公交线路太少。".into(),
            district: "dongchangfu".into(),
        };
        assert_eq!(promotion("增设夜班公交").validate(), Ok(()));
        let long = "长".repeat(NewProposal::TITLE_MAX + 1);
        let errors = promotion(&long).validate().expect_err("too long");
        assert_eq!(errors, [FieldError::new("title", "too_long")]);
    }

    #[test]
    fn an_origin_is_tagged_by_its_kind() {
        let comment = ProposalOrigin::Comment {
            collection: 3,
            comment: 12,
        };
        assert_eq!(
            serde_json::to_string(&comment).expect("json"),
            r#"{"kind":"comment","collection":3,"comment":12}"#
        );
        assert_eq!(
            serde_json::to_string(&ProposalOrigin::Letter).expect("json"),
            r#"{"kind":"letter"}"#
        );
    }
}
