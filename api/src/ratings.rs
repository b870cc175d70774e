//! Ratings on the national five-level satisfaction scale.

use serde::{Deserialize, Serialize};

use crate::problem::FieldError;

/// The five national levels, stored as 5 (非常满意) down to 1 (非常不满意).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Level {
    VerySatisfied,
    Satisfied,
    BasicallySatisfied,
    Dissatisfied,
    VeryDissatisfied,
}

impl Level {
    /// Best first, as a kiosk shows them.
    pub const ALL: [Level; 5] = [
        Level::VerySatisfied,
        Level::Satisfied,
        Level::BasicallySatisfied,
        Level::Dissatisfied,
        Level::VeryDissatisfied,
    ];

    /// The stored score, 5 (best) to 1 (worst).
    pub fn score(self) -> i32 {
        match self {
            Level::VerySatisfied => 5,
            Level::Satisfied => 4,
            Level::BasicallySatisfied => 3,
            Level::Dissatisfied => 2,
            Level::VeryDissatisfied => 1,
        }
    }

    /// The level for a stored score.
    pub fn from_score(score: i32) -> Option<Level> {
        Self::ALL.into_iter().find(|l| l.score() == score)
    }

    /// The wire and message-key form, for example `very_satisfied`.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::VerySatisfied => "very_satisfied",
            Level::Satisfied => "satisfied",
            Level::BasicallySatisfied => "basically_satisfied",
            Level::Dissatisfied => "dissatisfied",
            Level::VeryDissatisfied => "very_dissatisfied",
        }
    }
}

/// The most reason tags one rating may carry.
pub const TAGS_MAX: usize = 10;

/// A rating from a kiosk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewRating {
    pub level: Level,
    /// Optional reason tags: at most 10 ids of active tags from `GET /api/v1/rating-tags`
    /// (else 422 `unknown_tag`).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::tags))]
    pub tags: Vec<String>,
    /// The unit being rated, if any: a unit hosting an event (else 422 `unknown_unit`);
    /// blank means none.
    #[serde(default)]
    pub unit: Option<String>,
}

impl NewRating {
    /// Checks the tags' shape: at most [`TAGS_MAX`], each an id. Whether each is an
    /// active tag is checked by the backend, which keeps the list.
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let malformed = self.tags.iter().any(|t| !crate::reference::valid_slug(t));
        if malformed || self.tags.len() > TAGS_MAX {
            return Err(vec![FieldError::new("tags", "unknown_tag")]);
        }
        Ok(())
    }
}

/// The answer to a stored rating.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RatingReceipt {
    pub id: i64,
    pub created_at: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_round_trip() {
        for level in Level::ALL {
            assert_eq!(Level::from_score(level.score()), Some(level));
        }
        assert_eq!(Level::from_score(0), None);
    }

    #[test]
    fn malformed_tags_are_rejected() {
        let r = NewRating {
            level: Level::Satisfied,
            tags: vec!["fast".into(), "Bribe!".into()],
            unit: None,
        };
        assert!(r.validate().is_err());
    }
}
