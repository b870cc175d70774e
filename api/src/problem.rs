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
    /// For bulk uploads (a CSV or JSON file): the line of the file the error is on, from 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
}

impl FieldError {
    /// A field error with a code and no message yet.
    pub fn new(field: &str, code: &str) -> FieldError {
        FieldError {
            field: field.to_owned(),
            code: code.to_owned(),
            message: String::new(),
            line: None,
        }
    }

    /// The same error, on line `line` of an uploaded file.
    pub fn at_line(self, line: u32) -> FieldError {
        FieldError {
            line: Some(line),
            ..self
        }
    }

    /// The message-catalogue key for this error, for example `error.required`.
    pub fn message_key(&self) -> String {
        format!("error.{}", self.code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_is_sent_only_for_uploads() {
        let plain =
            serde_json::to_string(&FieldError::new("title", "required")).unwrap_or_default();
        assert!(!plain.contains("line"), "{plain}");
        let upload = serde_json::to_string(&FieldError::new("title", "required").at_line(3))
            .unwrap_or_default();
        assert!(upload.contains("\"line\":3"), "{upload}");
        let back: FieldError = serde_json::from_str(r#"{"field":"a","code":"b"}"#)
            .unwrap_or_else(|_| FieldError::new("", ""));
        assert_eq!(back.line, None);
    }
}
