//! Opinion collections: an admin drafts a question for the public with the days it is open,
//! publishes it; visitors comment while it is open (no contact asked); a moderator publishes
//! or rejects each comment; once it has closed, an admin publishes a note on what was
//! adopted. The public sees published collections with their published comments only.

use serde::{Deserialize, Serialize};

use crate::problem::FieldError;

/// Where a collection stands, as of now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CollectionState {
    /// Not published: only operators see it.
    Draft,
    /// Published, before its first day.
    Upcoming,
    /// Published and taking comments.
    Open,
    /// Past its last day: no more comments; the adopted note may follow.
    Closed,
}

impl CollectionState {
    /// The state of a collection published or not, open from `opens_at` (inclusive) to
    /// `closes_at` (exclusive), at `now`.
    pub fn at(published: bool, opens_at: i64, closes_at: i64, now: i64) -> CollectionState {
        if !published {
            CollectionState::Draft
        } else if now < opens_at {
            CollectionState::Upcoming
        } else if now < closes_at {
            CollectionState::Open
        } else {
            CollectionState::Closed
        }
    }

    /// The message key of its name, for example `collection.state.open`.
    pub fn message_key(self) -> &'static str {
        match self {
            CollectionState::Draft => "collection.state.draft",
            CollectionState::Upcoming => "collection.state.upcoming",
            CollectionState::Open => "collection.state.open",
            CollectionState::Closed => "collection.state.closed",
        }
    }
}

/// A collection as an admin drafts or edits it (only while it is a draft).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CollectionInput {
    #[cfg_attr(
        feature = "openapi",
        schema(schema_with = crate::schema::text::<1, { CollectionInput::TITLE_MAX }>)
    )]
    pub title: String,
    /// What the city asks about, and what it is considering.
    #[cfg_attr(
        feature = "openapi",
        schema(schema_with = crate::schema::text::<1, { CollectionInput::TEXT_MAX }>)
    )]
    pub text: String,
    /// The first day comments are taken, `YYYY-MM-DD` (Beijing time); a date that does not
    /// exist is refused (422).
    #[cfg_attr(feature = "openapi", schema(pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"))]
    pub opens_on: String,
    /// The last day comments are taken, `YYYY-MM-DD`, a date that exists, not before
    /// `opens_on` (else 422).
    #[cfg_attr(feature = "openapi", schema(pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"))]
    pub closes_on: String,
}

impl CollectionInput {
    pub const TITLE_MAX: usize = 50;
    pub const TEXT_MAX: usize = 2000;

    /// Checks every field; answers with the days (day numbers) it is open, first and last.
    pub fn validate(&self) -> Result<(i64, i64), Vec<FieldError>> {
        let mut errors = Vec::new();
        for (field, text, max) in [
            ("title", &self.title, Self::TITLE_MAX),
            ("text", &self.text, Self::TEXT_MAX),
        ] {
            let n = text.trim().chars().count();
            if n == 0 {
                errors.push(FieldError::new(field, "required"));
            } else if n > max {
                errors.push(FieldError::new(field, "too_long"));
            }
        }
        let opens = crate::civil::parse_date(self.opens_on.trim());
        let closes = crate::civil::parse_date(self.closes_on.trim());
        if opens.is_none() {
            errors.push(FieldError::new("opens_on", "invalid_value"));
        }
        if closes.is_none() {
            errors.push(FieldError::new("closes_on", "invalid_value"));
        }
        match (opens, closes) {
            (Some(opens), Some(closes)) if closes < opens => {
                errors.push(FieldError::new("closes_on", "invalid_value"));
            }
            (Some(opens), Some(closes)) if errors.is_empty() => return Ok((opens, closes)),
            _ => {}
        }
        Err(errors)
    }
}

/// A collection as the public sees it (published ones only), with its published comments
/// in the detail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Collection {
    pub id: i64,
    pub title: String,
    pub text: String,
    /// `YYYY-MM-DD`.
    pub opens_on: String,
    /// `YYYY-MM-DD`, the last day.
    pub closes_on: String,
    pub state: CollectionState,
    /// Comments published so far.
    pub comments_published: i64,
    /// What was adopted, once an admin published it after closing.
    pub adopted_note: Option<String>,
    pub published_at: Option<i64>,
    pub noted_at: Option<i64>,
}

/// A published comment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublicComment {
    pub id: i64,
    pub text: String,
    pub created_at: i64,
    /// The proposal it was promoted to, once a moderator did (a `PR-` code).
    #[serde(default)]
    pub proposal: Option<String>,
}

/// One collection and its published comments, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CollectionDetail {
    pub collection: Collection,
    pub comments: Vec<PublicComment>,
}

/// A visitor's comment on an open collection (`Idempotency-Key`); no contact is asked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewComment {
    #[cfg_attr(
        feature = "openapi",
        schema(schema_with = crate::schema::text::<1, { NewComment::TEXT_MAX }>)
    )]
    pub text: String,
}

impl NewComment {
    pub const TEXT_MAX: usize = 600;

    /// Checks the text's length.
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let n = self.text.trim().chars().count();
        let code = match n {
            0 => "required",
            n if n > Self::TEXT_MAX => "too_long",
            _ => return Ok(()),
        };
        Err(vec![FieldError::new("text", code)])
    }
}

/// Where a comment stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CommentState {
    /// Waiting for a moderator; not public.
    Pending,
    Published,
    Rejected,
}

impl CommentState {
    /// The stored and wire form.
    pub fn as_str(self) -> &'static str {
        match self {
            CommentState::Pending => "pending",
            CommentState::Published => "published",
            CommentState::Rejected => "rejected",
        }
    }

    /// Parses the stored form.
    pub fn parse(s: &str) -> Option<CommentState> {
        [
            CommentState::Pending,
            CommentState::Published,
            CommentState::Rejected,
        ]
        .into_iter()
        .find(|c| c.as_str() == s)
    }
}

/// The answer to a comment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CommentReceipt {
    pub id: i64,
    pub state: CommentState,
    pub created_at: i64,
}

/// A comment as moderators see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdminComment {
    pub id: i64,
    pub text: String,
    pub state: CommentState,
    pub created_at: i64,
    pub moderated_at: Option<i64>,
    /// The proposal it was promoted to, once a moderator did (a `PR-` code).
    #[serde(default)]
    pub proposal: Option<String>,
}

/// A collection with every comment, for operators.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdminCollection {
    pub collection: Collection,
    pub comments: Vec<AdminComment>,
}

/// A moderator's decision on a pending comment: `published` or `rejected` (a comment is
/// decided once; `pending` is refused, 422).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CommentModeration {
    pub state: CommentState,
}

/// What was adopted from a closed collection's comments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdoptedNote {
    #[cfg_attr(
        feature = "openapi",
        schema(schema_with = crate::schema::text::<1, { AdoptedNote::NOTE_MAX }>)
    )]
    pub note: String,
}

impl AdoptedNote {
    pub const NOTE_MAX: usize = 2000;

    /// Checks the note's length.
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let n = self.note.trim().chars().count();
        let code = match n {
            0 => "required",
            n if n > Self::NOTE_MAX => "too_long",
            _ => return Ok(()),
        };
        Err(vec![FieldError::new("note", code)])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::problem::refusals;

    #[test]
    fn a_collection_is_open_from_its_first_to_its_last_day() {
        let input = CollectionInput {
            title: "老旧小区改造意见征集".into(),
            text: "请谈谈您对改造方案的意见。".into(),
            opens_on: "2026-09-01".into(),
            closes_on: "2026-09-30".into(),
        };
        let days = input.validate();
        assert!(days.is_ok());
        let backwards = CollectionInput {
            closes_on: "2026-08-31".into(),
            ..input.clone()
        };
        assert_eq!(
            refusals(&backwards.validate()),
            [("closes_on", "invalid_value")]
        );
        assert_eq!(
            CollectionState::at(false, 10, 20, 15),
            CollectionState::Draft
        );
        assert_eq!(
            CollectionState::at(true, 10, 20, 9),
            CollectionState::Upcoming
        );
        assert_eq!(CollectionState::at(true, 10, 20, 10), CollectionState::Open);
        assert_eq!(
            CollectionState::at(true, 10, 20, 20),
            CollectionState::Closed
        );
    }

    #[test]
    fn a_comment_is_one_to_six_hundred_characters() {
        let ok = NewComment {
            text: "字".repeat(600),
        };
        assert_eq!(ok.validate(), Ok(()));
        let long = NewComment {
            text: "字".repeat(601),
        };
        assert_eq!(refusals(&long.validate()), [("text", "too_long")]);
        let blank = NewComment { text: " ".into() };
        assert_eq!(refusals(&blank.validate()), [("text", "required")]);
    }
}
