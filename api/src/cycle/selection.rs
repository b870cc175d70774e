//! The shortlist and the vote: candidates drawn up by admins during screening, the 12345
//! hotline counts imported for the month, representatives' single-use codes, their votes,
//! and the admins' choice of the month's topic.

use serde::{Deserialize, Serialize};

use super::Month;
use super::score::Score;
use crate::FieldError;

/// A candidate on the shortlist: `PUT /admin/cycles/{month}/candidates/{id}`, only while
/// the cycle is `screening` (409 `wrong-stage` otherwise). The id names a topic: the
/// public votes on it go through `POST /api/v1/votes`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CandidateInput {
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::text::<1, { CandidateInput::TITLE_MAX }>))]
    pub title_zh: String,
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::text::<1, { CandidateInput::TITLE_MAX }>))]
    pub title_en: String,
    /// The unit that would lead the work: an active unit id (422 `invalid_value` otherwise).
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::id))]
    pub lead_unit: String,
    /// The issue category whose 12345 calls count for it: a category id (422
    /// `unknown_category` otherwise).
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::id))]
    pub category: String,
    /// Display order, 0 to 1000.
    #[serde(default, deserialize_with = "crate::numbers::whole")]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 1000))]
    pub position: i64,
    /// Codes of the month's published proposals it takes up (422 `invalid_value` for any
    /// other); proposals merged into them count too.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_items = 100))]
    pub proposals: Vec<String>,
}

impl CandidateInput {
    pub const TITLE_MAX: usize = 80;
    pub const POSITION_MAX: i64 = 1000;
    pub const PROPOSALS_MAX: usize = 100;

    /// Every problem with the candidate's own fields.
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        for (field, value) in [("title_zh", &self.title_zh), ("title_en", &self.title_en)] {
            let length = value.trim().chars().count();
            if length == 0 {
                errors.push(FieldError::new(field, "required"));
            } else if length > Self::TITLE_MAX {
                errors.push(FieldError::new(field, "too_long"));
            }
        }
        for (field, value) in [("lead_unit", &self.lead_unit), ("category", &self.category)] {
            if value.trim().is_empty() {
                errors.push(FieldError::new(field, "required"));
            }
        }
        if !(0..=Self::POSITION_MAX).contains(&self.position) {
            errors.push(FieldError::new("position", "invalid_value"));
        }
        if self.proposals.len() > Self::PROPOSALS_MAX {
            errors.push(FieldError::new("proposals", "too_many"));
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

/// A candidate as the public sees it on the cycle view.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CandidateView {
    /// A topic id (what a public vote names).
    pub id: String,
    pub title_zh: String,
    pub title_en: String,
    pub lead_unit: String,
    pub category: String,
    /// The codes of the published proposals it takes up.
    pub proposals: Vec<String>,
    /// 12345 calls of the month in its category (all districts).
    pub hotline: i64,
    /// Its proposals and those merged into them.
    pub proposal_count: i64,
    pub public_votes: i64,
    pub representative_votes: i64,
    /// While voting: the provisional score; once voting has closed: the frozen one; before
    /// voting: none.
    pub score: Option<Score>,
}

/// The month's choice of topic, made by admins while voting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Choice {
    /// The chosen candidate's id.
    pub candidate: String,
    /// The public reason, given when the choice is not the top score.
    pub reason: Option<String>,
}

/// A choice: `POST /admin/cycles/{month}/choice`, while voting (409 `wrong-stage`
/// otherwise). A candidate other than the top score (ties count as top) needs a public
/// reason (422 `reason`, `required`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChoiceInput {
    /// A candidate of the month (422 `unknown_candidate` otherwise).
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::id))]
    pub candidate: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::optional_text::<{ ChoiceInput::REASON_MAX }>))]
    pub reason: Option<String>,
}

impl ChoiceInput {
    pub const REASON_MAX: usize = 300;

    /// The reason, trimmed; `None` when blank.
    pub fn reason(&self) -> Option<&str> {
        self.reason
            .as_deref()
            .map(str::trim)
            .filter(|r| !r.is_empty())
    }

    /// Every problem with the choice's own fields.
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        if self.candidate.trim().is_empty() {
            errors.push(FieldError::new("candidate", "required"));
        }
        if self
            .reason()
            .is_some_and(|r| r.chars().count() > Self::REASON_MAX)
        {
            errors.push(FieldError::new("reason", "too_long"));
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

/// Representatives' codes to print: `POST /admin/cycles/{month}/codes`, before voting
/// closes (409 `wrong-stage` after).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CodeRequest {
    /// How many, 1 to 500.
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 500))]
    #[serde(deserialize_with = "crate::numbers::whole")]
    pub count: u32,
}

impl CodeRequest {
    pub const MAX: u32 = 500;

    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        if (1..=Self::MAX).contains(&self.count) {
            Ok(())
        } else {
            Err(vec![FieldError::new("count", "invalid_value")])
        }
    }
}

/// Fresh codes, shown this once: the server keeps only their hashes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IssuedCodes {
    pub month: Month,
    /// For example `RV-7K3F-9QX2-M4TB-6`, each good for one vote.
    pub codes: Vec<String>,
}

/// A representative's vote: `POST /api/v1/cycles/{month}/representative-votes`, while
/// voting (409 `voting-closed` otherwise). An unknown code is 422 `code-unknown`, a used one
/// 409 `code-used`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RepresentativeVote {
    /// The printed code; case, spaces and hyphens do not matter.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::id))]
    pub code: String,
    /// A candidate of the month (422 `unknown_candidate` otherwise).
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::id))]
    pub candidate: String,
}

/// The answer to a representative's vote: what was counted, and on which day (no finer
/// time is kept, so the vote cannot be matched to when a code was used).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RepresentativeVoteReceipt {
    pub month: Month,
    pub candidate: String,
    /// `YYYY-MM-DD` (UTC+8).
    pub day: String,
}

/// What a hotline import stored: `POST /admin/cycles/{month}/signals`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignalsReport {
    pub month: Month,
    /// Rows stored (one per category and district).
    pub rows: i64,
    /// The sum of their counts.
    pub calls: i64,
}
