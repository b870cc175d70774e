//! RFC 9457 problem details: the one error body every API route returns.

use serde::{Deserialize, Serialize};

/// The media type of a problem body.
pub const PROBLEM_CONTENT_TYPE: &str = "application/problem+json";

/// An RFC 9457 problem. `type` is a stable URI path under `/problems/`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Problem {
    /// Stable identifier, for example `/problems/validation`.
    #[serde(rename = "type")]
    pub kind: String,
    /// A short summary in the client's language.
    pub title: String,
    pub status: u16,
    /// A longer explanation in the client's language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// For validation problems: each failing field.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

/// One failing field: its name, a stable code, and a message in the client's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldError {
    pub field: String,
    /// Stable code, for example `required`, `too_long`, `unknown_category`.
    pub code: String,
    /// The message in the client's language; filled in by whoever localises it.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub message: String,
}

impl FieldError {
    /// A field error with a code and no message yet.
    pub fn new(field: &str, code: &str) -> FieldError {
        FieldError {
            field: field.to_owned(),
            code: code.to_owned(),
            message: String::new(),
        }
    }

    /// The message-catalogue key for this error, for example `error.required`.
    pub fn message_key(&self) -> String {
        format!("error.{}", self.code)
    }
}
