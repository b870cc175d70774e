//! RFC 9457 problem details: the one error body every API route returns, and
//! [`ProblemKind`], the one list of the ways a request can be refused.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The media type of a problem body.
pub const PROBLEM_CONTENT_TYPE: &str = "application/problem+json";

/// Where every problem type lives: `type` is this prefix and the kind's slug.
pub const PROBLEM_TYPE_PREFIX: &str = "/problems/";

/// Every way the API refuses a request: its slug (the last segment of the
/// problem's `type`), its HTTP status, and the message keys that explain it.
/// The server builds every problem from it, and the widget explains every
/// problem from it; nothing else reads problem type strings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProblemKind {
    /// The body or a parameter broke the rules; each failing field is listed.
    Validation,
    /// The body is not JSON, or not JSON of the expected shape.
    Malformed,
    /// A query or path parameter could not be read.
    BadRequest,
    /// The body is larger than allowed.
    TooLarge,
    /// The body is not sent as JSON.
    UnsupportedMediaType,
    /// No such resource.
    NotFound,
    /// The method is not allowed on this path.
    MethodNotAllowed,
    /// The request conflicts with stored data.
    Conflict,
    /// A POST came without a UUID `Idempotency-Key` header.
    IdempotencyKeyMissing,
    /// The key was used before with a different request.
    IdempotencyKeyReused,
    /// The first request with this key has not finished; the same request may be sent again.
    IdempotencyKeyInFlight,
    /// No seats are left.
    EventFull,
    /// The event takes no registrations (any more).
    RegistrationClosed,
    /// Voting on the topic has closed.
    VotingClosed,
    /// The month's cycle is not at the stage this needs, or a move is not to the next stage.
    WrongStage,
    /// The cycle cannot enter the next stage yet: what that stage needs is missing.
    StageNotReady,
    /// The month takes no proposals (any more).
    ProposalsClosed,
    /// No such representative's code for this month.
    CodeUnknown,
    /// The representative's code has been used.
    CodeUsed,
    /// The weights cannot change once voting has opened.
    WeightsLocked,
    /// No admitted registration has this check-in code.
    CheckinUnknown,
    /// This check-in code has been used.
    CheckinUsed,
    /// Only an attendee who checked in may leave an opinion, once.
    NotCheckedIn,
    /// Credentials are missing or wrong, or the session has ended.
    Unauthorized,
    /// Signed in, but the operator's role or unit does not allow this.
    Forbidden,
    /// A state-changing request made with the session cookie came without the
    /// session's CSRF token.
    CsrfRejected,
    /// Too many requests from this client; `Retry-After` says when to try again.
    RateLimited,
    /// The service cannot answer right now.
    Unavailable,
    /// The request took longer than the server allows (a slow upload or a slow answer).
    TimedOut,
    /// Anything else went wrong on the server.
    Internal,
    /// The thing is not at a stage that allows this (a letter not yet replied, rated twice,
    /// reviewed twice).
    WrongState,
    /// The opinion collection takes no comments now (not yet open, or closed).
    CollectionClosed,
}

impl ProblemKind {
    /// Every kind, for tests and documentation that walk them all.
    pub const ALL: [ProblemKind; 32] = [
        ProblemKind::Validation,
        ProblemKind::Malformed,
        ProblemKind::BadRequest,
        ProblemKind::TooLarge,
        ProblemKind::UnsupportedMediaType,
        ProblemKind::NotFound,
        ProblemKind::MethodNotAllowed,
        ProblemKind::Conflict,
        ProblemKind::IdempotencyKeyMissing,
        ProblemKind::IdempotencyKeyReused,
        ProblemKind::IdempotencyKeyInFlight,
        ProblemKind::EventFull,
        ProblemKind::RegistrationClosed,
        ProblemKind::VotingClosed,
        ProblemKind::WrongStage,
        ProblemKind::StageNotReady,
        ProblemKind::ProposalsClosed,
        ProblemKind::CodeUnknown,
        ProblemKind::CodeUsed,
        ProblemKind::WeightsLocked,
        ProblemKind::CheckinUnknown,
        ProblemKind::CheckinUsed,
        ProblemKind::NotCheckedIn,
        ProblemKind::Unauthorized,
        ProblemKind::Forbidden,
        ProblemKind::CsrfRejected,
        ProblemKind::RateLimited,
        ProblemKind::Unavailable,
        ProblemKind::TimedOut,
        ProblemKind::Internal,
        ProblemKind::WrongState,
        ProblemKind::CollectionClosed,
    ];

    /// The stable name in the problem's `type`, for example `event-full`.
    pub fn slug(self) -> &'static str {
        match self {
            ProblemKind::Validation => "validation",
            ProblemKind::Malformed => "malformed",
            ProblemKind::BadRequest => "bad-request",
            ProblemKind::TooLarge => "too-large",
            ProblemKind::UnsupportedMediaType => "unsupported-media-type",
            ProblemKind::NotFound => "not-found",
            ProblemKind::MethodNotAllowed => "method-not-allowed",
            ProblemKind::Conflict => "conflict",
            ProblemKind::IdempotencyKeyMissing => "idempotency-key-missing",
            ProblemKind::IdempotencyKeyReused => "idempotency-key-reused",
            ProblemKind::IdempotencyKeyInFlight => "idempotency-key-in-flight",
            ProblemKind::EventFull => "event-full",
            ProblemKind::RegistrationClosed => "registration-closed",
            ProblemKind::VotingClosed => "voting-closed",
            ProblemKind::WrongStage => "wrong-stage",
            ProblemKind::StageNotReady => "stage-not-ready",
            ProblemKind::ProposalsClosed => "proposals-closed",
            ProblemKind::CodeUnknown => "code-unknown",
            ProblemKind::CodeUsed => "code-used",
            ProblemKind::WeightsLocked => "weights-locked",
            ProblemKind::CheckinUnknown => "checkin-unknown",
            ProblemKind::CheckinUsed => "checkin-used",
            ProblemKind::NotCheckedIn => "not-checked-in",
            ProblemKind::Unauthorized => "unauthorized",
            ProblemKind::Forbidden => "forbidden",
            ProblemKind::CsrfRejected => "csrf-rejected",
            ProblemKind::RateLimited => "rate-limited",
            ProblemKind::Unavailable => "unavailable",
            ProblemKind::TimedOut => "timed-out",
            ProblemKind::Internal => "internal",
            ProblemKind::WrongState => "wrong-state",
            ProblemKind::CollectionClosed => "collection-closed",
        }
    }

    /// The kind with this slug.
    pub fn from_slug(slug: &str) -> Option<ProblemKind> {
        ProblemKind::ALL.into_iter().find(|k| k.slug() == slug)
    }

    /// The problem's `type`, for example `/problems/event-full`.
    pub fn type_uri(self) -> String {
        format!("{PROBLEM_TYPE_PREFIX}{}", self.slug())
    }

    /// The kind a problem `type` names, if it is one of ours.
    pub fn from_type_uri(uri: &str) -> Option<ProblemKind> {
        uri.strip_prefix(PROBLEM_TYPE_PREFIX)
            .and_then(ProblemKind::from_slug)
    }

    /// The HTTP status the kind is sent with.
    pub fn status(self) -> u16 {
        match self {
            ProblemKind::Validation | ProblemKind::IdempotencyKeyReused => 422,
            ProblemKind::Malformed
            | ProblemKind::BadRequest
            | ProblemKind::IdempotencyKeyMissing => 400,
            ProblemKind::TooLarge => 413,
            ProblemKind::UnsupportedMediaType => 415,
            ProblemKind::NotFound => 404,
            ProblemKind::MethodNotAllowed => 405,
            ProblemKind::Conflict
            | ProblemKind::IdempotencyKeyInFlight
            | ProblemKind::EventFull
            | ProblemKind::RegistrationClosed
            | ProblemKind::VotingClosed
            | ProblemKind::WrongStage
            | ProblemKind::StageNotReady
            | ProblemKind::ProposalsClosed
            | ProblemKind::CodeUsed
            | ProblemKind::WeightsLocked
            | ProblemKind::CheckinUsed
            | ProblemKind::NotCheckedIn
            | ProblemKind::WrongState
            | ProblemKind::CollectionClosed => 409,
            ProblemKind::CheckinUnknown => 422,
            ProblemKind::CodeUnknown => 422,
            ProblemKind::Unauthorized => 401,
            ProblemKind::Forbidden | ProblemKind::CsrfRejected => 403,
            ProblemKind::RateLimited => 429,
            ProblemKind::Unavailable => 503,
            ProblemKind::TimedOut => 408,
            ProblemKind::Internal => 500,
        }
    }

    /// The message key of the kind's title: what a person is told, for example
    /// `problem.event_full` ("This event is fully booked").
    pub fn message_key(self) -> &'static str {
        match self {
            ProblemKind::Validation => "problem.validation",
            ProblemKind::Malformed => "problem.malformed",
            ProblemKind::BadRequest => "problem.bad_request",
            ProblemKind::TooLarge => "problem.too_large",
            ProblemKind::UnsupportedMediaType => "problem.unsupported_media_type",
            ProblemKind::NotFound => "problem.not_found",
            ProblemKind::MethodNotAllowed => "problem.method_not_allowed",
            ProblemKind::Conflict => "problem.conflict",
            ProblemKind::IdempotencyKeyMissing => "problem.idempotency_key_missing",
            ProblemKind::IdempotencyKeyReused => "problem.idempotency_key_reused",
            ProblemKind::IdempotencyKeyInFlight => "problem.idempotency_key_in_flight",
            ProblemKind::EventFull => "problem.event_full",
            ProblemKind::RegistrationClosed => "problem.registration_closed",
            ProblemKind::VotingClosed => "problem.voting_closed",
            ProblemKind::WrongStage => "problem.wrong_stage",
            ProblemKind::StageNotReady => "problem.stage_not_ready",
            ProblemKind::ProposalsClosed => "problem.proposals_closed",
            ProblemKind::CodeUnknown => "problem.code_unknown",
            ProblemKind::CodeUsed => "problem.code_used",
            ProblemKind::WeightsLocked => "problem.weights_locked",
            ProblemKind::CheckinUnknown => "problem.checkin_unknown",
            ProblemKind::CheckinUsed => "problem.checkin_used",
            ProblemKind::NotCheckedIn => "problem.not_checked_in",
            ProblemKind::Unauthorized => "problem.unauthorized",
            ProblemKind::Forbidden => "problem.forbidden",
            ProblemKind::CsrfRejected => "problem.csrf_rejected",
            ProblemKind::RateLimited => "problem.rate_limited",
            ProblemKind::Unavailable => "problem.unavailable",
            ProblemKind::TimedOut => "problem.timed_out",
            ProblemKind::Internal => "problem.internal",
            ProblemKind::WrongState => "problem.wrong_state",
            ProblemKind::CollectionClosed => "problem.collection_closed",
        }
    }

    /// The message key of a longer explanation, for the kinds that have one.
    pub fn detail_key(self) -> Option<&'static str> {
        match self {
            ProblemKind::Malformed => Some("problem.malformed_detail"),
            ProblemKind::TooLarge => Some("problem.too_large_detail"),
            ProblemKind::UnsupportedMediaType => Some("problem.unsupported_media_type_detail"),
            ProblemKind::NotFound => Some("problem.not_found_detail"),
            ProblemKind::Internal => Some("problem.internal_detail"),
            _ => None,
        }
    }

    /// Whether the same request, sent again later, may succeed: the server was
    /// busy, down, or still storing the first attempt.
    pub fn is_transient(self) -> bool {
        matches!(
            self,
            ProblemKind::IdempotencyKeyInFlight
                | ProblemKind::RateLimited
                | ProblemKind::Unavailable
                | ProblemKind::TimedOut
                | ProblemKind::Internal
        )
    }
}

/// The schema of a problem's `type`: one of the contract's problem type URIs.
#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for ProblemKind {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, Type};
        ObjectBuilder::new()
            .schema_type(Type::String)
            .enum_values(Some(ProblemKind::ALL.map(ProblemKind::type_uri)))
            .description(Some(
                "The kind of problem: `/problems/` and its slug. A type this list does not \
                 have is read as a plain error status.",
            ))
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for ProblemKind {}

impl Serialize for ProblemKind {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.type_uri())
    }
}

impl<'de> Deserialize<'de> for ProblemKind {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let uri = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
        ProblemKind::from_type_uri(&uri)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown problem type {uri:?}")))
    }
}

/// An RFC 9457 problem. `type` is a stable URI path under `/problems/`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Problem {
    /// Stable identifier: `/problems/` and the kind's slug, for example `/problems/validation`.
    #[serde(rename = "type")]
    #[cfg_attr(feature = "openapi", schema(example = "/problems/validation"))]
    pub kind: ProblemKind,
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

/// Each refused field with its code, in the order the check found them; none when it passed.
/// What a check's answer is compared with (`[("login", "required")]`).
pub fn refusals<T>(checked: &Result<T, Vec<FieldError>>) -> Vec<(&str, &str)> {
    match checked {
        Ok(_) => Vec::new(),
        Err(errors) => errors
            .iter()
            .map(|e| (e.field.as_str(), e.code.as_str()))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Lang, Messages};

    #[test]
    fn every_kind_round_trips_and_is_explained_in_both_languages() {
        for kind in ProblemKind::ALL {
            assert_eq!(ProblemKind::from_slug(kind.slug()), Some(kind), "{kind:?}");
            let json = serde_json::to_string(&kind).unwrap_or_default();
            assert_eq!(json, format!("\"/problems/{}\"", kind.slug()));
            let back: Option<ProblemKind> = serde_json::from_str(&json).ok();
            assert_eq!(back, Some(kind), "{json}");
            for lang in [Lang::ZhCn, Lang::En] {
                let messages = Messages::get(lang);
                assert!(
                    messages.has(kind.message_key()),
                    "{lang:?} lacks {}",
                    kind.message_key()
                );
                if let Some(detail) = kind.detail_key() {
                    assert!(messages.has(detail), "{lang:?} lacks {detail}");
                }
            }
            assert!((400..600).contains(&kind.status()), "{kind:?}");
        }
        let slugs: std::collections::HashSet<_> =
            ProblemKind::ALL.iter().map(|k| k.slug()).collect();
        assert_eq!(slugs.len(), ProblemKind::ALL.len(), "slugs are unique");
    }

    #[test]
    fn the_refusals_a_visitor_meets_have_their_own_words() {
        let en = Messages::get(Lang::En);
        assert_eq!(
            en.text(ProblemKind::EventFull.message_key()),
            "This event is fully booked"
        );
        assert_eq!(
            Messages::get(Lang::ZhCn).text(ProblemKind::EventFull.message_key()),
            "该活动名额已满"
        );
        assert_ne!(
            en.text(ProblemKind::RegistrationClosed.message_key()),
            en.text(ProblemKind::EventFull.message_key())
        );
    }

    #[test]
    fn a_problem_type_this_contract_does_not_define_is_not_read_as_one() {
        let body = r#"{"type":"/problems/event_full","title":"x","status":409}"#;
        assert!(serde_json::from_str::<Problem>(body).is_err());
        let body = r#"{"type":"/problems/event-full","title":"x","status":409}"#;
        let problem: Option<Problem> = serde_json::from_str(body).ok();
        assert_eq!(problem.map(|p| p.kind), Some(ProblemKind::EventFull));
    }

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
