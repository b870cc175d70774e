//! The one error type of the HTTP layer, rendered as RFC 9457 problem+json in
//! the client's language. Internal causes are logged, never sent.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use omk_api::problem::PROBLEM_CONTENT_TYPE;
use omk_api::{FieldError, Lang, Messages, Problem};

/// Every way a request can fail.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The body or a parameter broke the rules; each failing field is listed.
    #[error("validation failed on {} field(s)", .0.len())]
    Validation(Vec<FieldError>),
    /// The body is not JSON, or not JSON of the expected shape.
    #[error("malformed body")]
    Malformed,
    /// A query or path parameter could not be read.
    #[error("bad request parameter")]
    BadRequest,
    /// The body is larger than allowed.
    #[error("body too large")]
    TooLarge,
    /// The body is not sent as JSON.
    #[error("unsupported media type")]
    UnsupportedMediaType,
    /// No such resource.
    #[error("not found")]
    NotFound,
    /// The method is not allowed on this path.
    #[error("method not allowed")]
    MethodNotAllowed,
    /// The request conflicts with stored data.
    #[error("conflict")]
    Conflict,
    /// A POST came without a UUID `Idempotency-Key` header.
    #[error("idempotency key missing or not a UUID")]
    IdempotencyKeyMissing,
    /// The key was used before with a different request.
    #[error("idempotency key reused with a different body")]
    IdempotencyKeyReused,
    /// The first request with this key has not finished.
    #[error("idempotency key in flight")]
    IdempotencyKeyInFlight,
    /// No seats are left.
    #[error("event full")]
    EventFull,
    /// The event takes no registrations (any more).
    #[error("registration closed")]
    RegistrationClosed,
    /// The admin bearer token is missing or wrong.
    #[error("unauthorized")]
    Unauthorized,
    /// Too many requests from this client; retry after this many seconds.
    #[error("rate limited for {0} s")]
    RateLimited(u64),
    /// The database does not answer.
    #[error("unavailable: {0}")]
    Unavailable(String),
    /// Anything else; the cause is logged and the client sees a generic message.
    #[error("internal: {0}")]
    Internal(String),
}

impl From<sqlx::Error> for AppError {
    fn from(err: sqlx::Error) -> AppError {
        AppError::Internal(format!("database: {err}"))
    }
}

impl From<serde_json::Error> for AppError {
    fn from(err: serde_json::Error) -> AppError {
        AppError::Internal(format!("json: {err}"))
    }
}

impl AppError {
    /// A validation failure on one field.
    pub fn field(field: &str, code: &str) -> AppError {
        AppError::Validation(vec![FieldError::new(field, code)])
    }

    /// The HTTP status this error maps to.
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Malformed | AppError::BadRequest => StatusCode::BAD_REQUEST,
            AppError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            AppError::Conflict
            | AppError::IdempotencyKeyInFlight
            | AppError::EventFull
            | AppError::RegistrationClosed => StatusCode::CONFLICT,
            AppError::IdempotencyKeyMissing => StatusCode::BAD_REQUEST,
            AppError::IdempotencyKeyReused => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::RateLimited(_) => StatusCode::TOO_MANY_REQUESTS,
            AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The language-neutral description of the problem.
    pub fn spec(&self) -> ProblemSpec {
        let (kind, title, detail) = match self {
            AppError::Validation(_) => ("validation", "problem.validation", None),
            AppError::Malformed => (
                "malformed",
                "problem.malformed",
                Some("problem.malformed_detail"),
            ),
            AppError::BadRequest => ("bad-request", "problem.bad_request", None),
            AppError::TooLarge => (
                "too-large",
                "problem.too_large",
                Some("problem.too_large_detail"),
            ),
            AppError::UnsupportedMediaType => (
                "unsupported-media-type",
                "problem.unsupported_media_type",
                Some("problem.unsupported_media_type_detail"),
            ),
            AppError::NotFound => (
                "not-found",
                "problem.not_found",
                Some("problem.not_found_detail"),
            ),
            AppError::MethodNotAllowed => {
                ("method-not-allowed", "problem.method_not_allowed", None)
            }
            AppError::Conflict => ("conflict", "problem.conflict", None),
            AppError::IdempotencyKeyMissing => (
                "idempotency-key-missing",
                "problem.idempotency_key_missing",
                None,
            ),
            AppError::IdempotencyKeyReused => (
                "idempotency-key-reused",
                "problem.idempotency_key_reused",
                None,
            ),
            AppError::IdempotencyKeyInFlight => (
                "idempotency-key-in-flight",
                "problem.idempotency_key_in_flight",
                None,
            ),
            AppError::EventFull => ("event-full", "problem.event_full", None),
            AppError::RegistrationClosed => {
                ("registration-closed", "problem.registration_closed", None)
            }
            AppError::Unauthorized => ("unauthorized", "problem.unauthorized", None),
            AppError::RateLimited(_) => ("rate-limited", "problem.rate_limited", None),
            AppError::Unavailable(_) => ("unavailable", "problem.unavailable", None),
            AppError::Internal(_) => (
                "internal",
                "problem.internal",
                Some("problem.internal_detail"),
            ),
        };
        let errors = match self {
            AppError::Validation(errors) => errors.clone(),
            _ => Vec::new(),
        };
        ProblemSpec {
            status: self.status(),
            kind,
            title,
            detail,
            errors,
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        match &self {
            AppError::Internal(cause) => tracing::error!(%cause, "request failed"),
            AppError::Unavailable(cause) => tracing::warn!(%cause, "service unavailable"),
            _ => {}
        }
        let mut response = self.spec().into_response();
        match self {
            AppError::RateLimited(seconds) => {
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from(seconds.max(1)));
            }
            AppError::Unauthorized => {
                response
                    .headers_mut()
                    .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            }
            _ => {}
        }
        response
    }
}

/// A problem before localisation: message keys instead of text. The
/// localisation layer re-renders it in the request's language.
#[derive(Debug, Clone)]
pub struct ProblemSpec {
    pub status: StatusCode,
    /// The last segment of the `type` URI, for example `validation`.
    pub kind: &'static str,
    pub title: &'static str,
    pub detail: Option<&'static str>,
    pub errors: Vec<FieldError>,
}

impl ProblemSpec {
    /// The problem body in `lang`.
    pub fn localise(&self, lang: Lang) -> Problem {
        let messages = Messages::get(lang);
        Problem {
            kind: format!("/problems/{}", self.kind),
            title: messages.text(self.title).to_owned(),
            status: self.status.as_u16(),
            detail: self.detail.map(|key| messages.text(key).to_owned()),
            errors: self
                .errors
                .iter()
                .map(|e| FieldError {
                    message: messages.text(&e.message_key()).to_owned(),
                    ..e.clone()
                })
                .collect(),
        }
    }

    /// The full response in `lang`, carrying the spec for later re-localisation.
    pub fn render(self, lang: Lang) -> Response {
        let body = serde_json::to_vec(&self.localise(lang)).unwrap_or_default();
        let mut response = (self.status, body).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static(PROBLEM_CONTENT_TYPE),
        );
        response.extensions_mut().insert(self);
        response
    }
}

impl IntoResponse for ProblemSpec {
    fn into_response(self) -> Response {
        self.render(Lang::default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation_problem_lists_localised_field_messages() {
        let spec = AppError::field("description", "required").spec();
        let en = spec.localise(Lang::En);
        assert_eq!(en.kind, "/problems/validation");
        assert_eq!(en.status, 422);
        assert_eq!(en.errors[0].message, "This field is required");
        let zh = spec.localise(Lang::ZhCn);
        assert_eq!(zh.errors[0].message, "此项必须填写");
    }

    #[test]
    fn internal_problem_never_carries_the_cause() {
        let problem = AppError::Internal("secret table name".into())
            .spec()
            .localise(Lang::En);
        let text = serde_json::to_string(&problem).unwrap_or_default();
        assert!(!text.contains("secret"));
        assert_eq!(problem.status, 500);
    }
}
