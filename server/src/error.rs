//! The one error type of the HTTP layer, rendered as RFC 9457 problem+json in
//! the client's language. Internal causes are logged, never sent.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use omk_api::problem::PROBLEM_CONTENT_TYPE;
use omk_api::{FieldError, Lang, Messages, Problem, ProblemKind};

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
    /// Voting on the topic has closed.
    #[error("voting closed")]
    VotingClosed,
    /// The thing is not at a stage that allows this.
    #[error("wrong state")]
    WrongState,
    /// The opinion collection takes no comments now.
    #[error("collection closed")]
    CollectionClosed,
    /// No valid bearer token or session, or wrong credentials at sign-in.
    #[error("unauthorized")]
    Unauthorized,
    /// The operator's role or unit does not allow this.
    #[error("forbidden")]
    Forbidden,
    /// A cookie-authenticated write came without the session's CSRF token.
    #[error("csrf token missing or wrong")]
    CsrfRejected,
    /// Too many requests from this client; retry after this many seconds.
    #[error("rate limited for {0} s")]
    RateLimited(u64),
    /// The database does not answer.
    #[error("unavailable: {0}")]
    Unavailable(String),
    /// The server is at a capacity limit; retry after this many seconds.
    #[error("overloaded, retry in {0} s")]
    Overloaded(u64),
    /// The request took longer than allowed.
    #[error("request timed out")]
    TimedOut,
    /// Anything else; the cause is logged and the client sees a generic message.
    #[error("internal: {0}")]
    Internal(String),
    /// A refusal of the month's cycle (a wrong stage, a used code…) sent as its kind.
    #[error("refused: {0:?}")]
    Refused(ProblemKind),
}

impl From<sqlx::Error> for AppError {
    fn from(err: sqlx::Error) -> AppError {
        AppError::database(&err)
    }
}

impl From<serde_json::Error> for AppError {
    fn from(err: serde_json::Error) -> AppError {
        AppError::Internal(format!("json: {err}"))
    }
}

impl AppError {
    /// What a database failure is answered with: 503 when the database cannot take
    /// writes now, 500 otherwise. By reference, so one failure can answer every write
    /// it affected.
    pub fn database(err: &sqlx::Error) -> AppError {
        if crate::db::is_unwritable(err) {
            AppError::Unavailable(format!("database cannot be written: {err}"))
        } else {
            AppError::Internal(format!("database: {err}"))
        }
    }

    /// A validation failure on one field.
    pub fn field(field: &str, code: &str) -> AppError {
        AppError::Validation(vec![FieldError::new(field, code)])
    }

    /// The kind of problem this error is sent as.
    pub fn kind(&self) -> ProblemKind {
        match self {
            AppError::Validation(_) => ProblemKind::Validation,
            AppError::Malformed => ProblemKind::Malformed,
            AppError::BadRequest => ProblemKind::BadRequest,
            AppError::TooLarge => ProblemKind::TooLarge,
            AppError::UnsupportedMediaType => ProblemKind::UnsupportedMediaType,
            AppError::NotFound => ProblemKind::NotFound,
            AppError::MethodNotAllowed => ProblemKind::MethodNotAllowed,
            AppError::Conflict => ProblemKind::Conflict,
            AppError::IdempotencyKeyMissing => ProblemKind::IdempotencyKeyMissing,
            AppError::IdempotencyKeyReused => ProblemKind::IdempotencyKeyReused,
            AppError::IdempotencyKeyInFlight => ProblemKind::IdempotencyKeyInFlight,
            AppError::EventFull => ProblemKind::EventFull,
            AppError::RegistrationClosed => ProblemKind::RegistrationClosed,
            AppError::VotingClosed => ProblemKind::VotingClosed,
            AppError::WrongState => ProblemKind::WrongState,
            AppError::CollectionClosed => ProblemKind::CollectionClosed,
            AppError::Unauthorized => ProblemKind::Unauthorized,
            AppError::Forbidden => ProblemKind::Forbidden,
            AppError::CsrfRejected => ProblemKind::CsrfRejected,
            AppError::RateLimited(_) => ProblemKind::RateLimited,
            AppError::Unavailable(_) | AppError::Overloaded(_) => ProblemKind::Unavailable,
            AppError::TimedOut => ProblemKind::TimedOut,
            AppError::Internal(_) => ProblemKind::Internal,
            AppError::Refused(kind) => *kind,
        }
    }

    /// The HTTP status this error maps to.
    pub fn status(&self) -> StatusCode {
        StatusCode::from_u16(self.kind().status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    /// The language-neutral description of the problem.
    pub fn spec(&self) -> ProblemSpec {
        let errors = match self {
            AppError::Validation(errors) => errors.clone(),
            _ => Vec::new(),
        };
        ProblemSpec {
            kind: self.kind(),
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
            AppError::RateLimited(seconds) | AppError::Overloaded(seconds) => {
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

/// A problem before localisation: its kind (which carries the status and the
/// message keys) and any field errors. The localisation layer re-renders it in
/// the request's language.
#[derive(Debug, Clone)]
pub struct ProblemSpec {
    pub kind: ProblemKind,
    pub errors: Vec<FieldError>,
}

impl ProblemSpec {
    /// The HTTP status of the problem.
    pub fn status(&self) -> StatusCode {
        StatusCode::from_u16(self.kind.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    /// The problem body in `lang`.
    pub fn localise(&self, lang: Lang) -> Problem {
        let messages = Messages::get(lang);
        Problem {
            kind: self.kind,
            title: messages.text(self.kind.message_key()).to_owned(),
            status: self.kind.status(),
            detail: self
                .kind
                .detail_key()
                .map(|key| messages.text(key).to_owned()),
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
        let mut response = (self.status(), body).into_response();
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
        assert_eq!(en.kind, ProblemKind::Validation);
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
