//! The path parameters of the mailbox's routes, as the OpenAPI document states them.

use utoipa::IntoParams;

/// A letter by its code; an unknown one is 404.
#[derive(IntoParams)]
#[into_params(parameter_in = Path)]
pub struct LetterCode {
    /// For example `ML-7K3F-9QX2-M4TB-6` (three groups of four and a check digit): case,
    /// spaces and hyphens do not matter, and I, L and O read as 1, 1 and 0.
    pub code: String,
}

/// An opinion collection by its id; an unknown one (or, for the public, a draft) is 404.
#[derive(IntoParams)]
#[into_params(parameter_in = Path)]
pub struct CollectionId {
    /// The collection's id.
    pub id: i64,
}

/// A comment of an opinion collection.
#[derive(IntoParams)]
#[into_params(parameter_in = Path)]
pub struct CommentId {
    /// The collection's id.
    pub id: i64,
    /// The comment's id; one of another collection is 404.
    pub comment: i64,
}
