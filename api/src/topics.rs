//! "One month, one question": the month's candidate topics and votes on them.

use serde::{Deserialize, Serialize};

/// A candidate topic with its tally so far.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Topic {
    pub id: String,
    pub title_zh: String,
    pub title_en: String,
    pub votes: i64,
    /// Whether votes are taken; operators open and close voting.
    #[serde(default = "open")]
    pub open: bool,
}

fn open() -> bool {
    true
}

/// A vote for one topic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewVote {
    /// A topic id from `GET /api/v1/topics`.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::id))]
    pub topic: String,
}

/// The answer to a stored vote: the new tally of every topic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VoteReceipt {
    pub topics: Vec<Topic>,
}
