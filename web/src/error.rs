//! Why a request failed, as both apps read it: the network, one of the contract's problems
//! (its `ProblemKind`, never its type string), a bare error status, or an unreadable answer.

use omk_api::{FieldError, Problem, ProblemKind};

/// Why a request failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ApiError {
    /// The server could not be reached at all.
    #[error("the server cannot be reached")]
    Network,
    /// The server answered with a problem+json body.
    #[error("the server refused the request: {}", .problem.title)]
    Problem {
        problem: Problem,
        /// The `Retry-After` header, in seconds, when the server sent one.
        retry_after_secs: Option<u32>,
    },
    /// The server answered with an error status and no problem body (or one the contract
    /// does not define).
    #[error("the server answered with status {0}")]
    Status(u16),
    /// The answer was not what the contract says.
    #[error("the server's answer could not be read")]
    Decode,
}

impl ApiError {
    /// The HTTP status, when the server answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::Problem { problem, .. } => Some(problem.status),
            ApiError::Status(status) => Some(*status),
            ApiError::Network | ApiError::Decode => None,
        }
    }

    /// The kind of refusal, when the server said which.
    pub fn kind(&self) -> Option<ProblemKind> {
        match self {
            ApiError::Problem { problem, .. } => Some(problem.kind),
            _ => None,
        }
    }

    /// The message key (in the shared catalogue, `omk_api::Messages`) that explains it: the
    /// problem kind's own message (a full event says "This event is fully booked"), else
    /// `error.network` or `error.server`.
    pub fn message_key(&self) -> &'static str {
        match self {
            ApiError::Network => "error.network",
            ApiError::Problem { problem, .. } => problem.kind.message_key(),
            ApiError::Status(_) | ApiError::Decode => "error.server",
        }
    }

    /// Whether sending the same request again later may succeed: the network or the server
    /// was down or busy, or the server is still storing the first attempt of this very request.
    pub fn is_retryable(&self) -> bool {
        match self {
            ApiError::Network => true,
            ApiError::Problem { problem, .. } => {
                problem.kind.is_transient() || problem.status >= 500
            }
            ApiError::Status(status) => *status == 429 || *status >= 500,
            ApiError::Decode => false,
        }
    }

    /// Whether the server did not know (or no longer knows) who is asking.
    pub fn is_unauthorized(&self) -> bool {
        self.kind() == Some(ProblemKind::Unauthorized) || self.status() == Some(401)
    }

    /// The failing fields of a validation problem.
    pub fn field_errors(&self) -> &[FieldError] {
        match self {
            ApiError::Problem { problem, .. } => &problem.errors,
            _ => &[],
        }
    }

    /// How long the server asked to wait, in seconds.
    pub fn retry_after_secs(&self) -> Option<u32> {
        match self {
            ApiError::Problem {
                retry_after_secs, ..
            } => *retry_after_secs,
            _ => None,
        }
    }
}

/// The error a failed answer stands for: `body` read as one of the contract's problems (a
/// problem type the contract does not define is none), or else just its `status`.
pub fn refusal(status: u16, body: &str, retry_after_secs: Option<u32>) -> ApiError {
    match serde_json::from_str::<Problem>(body) {
        Ok(problem) => ApiError::Problem {
            problem,
            retry_after_secs,
        },
        Err(_) => ApiError::Status(status),
    }
}

/// A `Retry-After` header's value in whole seconds (the date form is not read).
pub fn retry_after(value: Option<String>) -> Option<u32> {
    value.and_then(|v| v.trim().parse::<u32>().ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use omk_api::{Lang, Messages};

    fn problem(kind: ProblemKind) -> ApiError {
        ApiError::Problem {
            problem: Problem {
                kind,
                title: String::new(),
                status: kind.status(),
                detail: None,
                errors: vec![FieldError::new("reason", "required")],
            },
            retry_after_secs: Some(30),
        }
    }

    #[test]
    fn every_problem_is_explained_by_its_own_message_in_both_languages() {
        for kind in ProblemKind::ALL {
            let key = problem(kind).message_key();
            assert_eq!(key, kind.message_key());
            for lang in [Lang::ZhCn, Lang::En] {
                assert!(Messages::get(lang).has(key), "{lang:?} lacks {key}");
            }
        }
        for error in [ApiError::Network, ApiError::Status(502), ApiError::Decode] {
            for lang in [Lang::ZhCn, Lang::En] {
                assert!(Messages::get(lang).has(error.message_key()));
            }
        }
        let full = r#"{"type":"/problems/event-full","title":"x","status":409}"#;
        assert_eq!(
            Messages::get(Lang::En).text(refusal(409, full, None).message_key()),
            "This event is fully booked"
        );
    }

    #[test]
    fn a_body_that_is_no_problem_of_the_contract_is_a_bare_status() {
        let unknown = r#"{"type":"/problems/made-up","title":"x","status":409}"#;
        assert_eq!(refusal(409, unknown, None), ApiError::Status(409));
        assert_eq!(
            refusal(502, "<html>Bad gateway</html>", None),
            ApiError::Status(502)
        );
        let limited = r#"{"type":"/problems/rate-limited","title":"x","status":429}"#;
        let error = refusal(429, limited, retry_after(Some(" 12 ".into())));
        assert_eq!(error.kind(), Some(ProblemKind::RateLimited));
        assert_eq!(error.retry_after_secs(), Some(12));
        assert_eq!(error.status(), Some(429));
        assert_eq!(
            retry_after(Some("Wed, 21 Oct 2015 07:28:00 GMT".into())),
            None
        );
    }

    #[test]
    fn only_transient_failures_are_retryable() {
        assert!(ApiError::Network.is_retryable());
        assert!(ApiError::Status(503).is_retryable());
        assert!(ApiError::Status(429).is_retryable());
        assert!(!ApiError::Status(422).is_retryable());
        assert!(!ApiError::Decode.is_retryable());
        // The first attempt is being stored: the write is not lost, so it is sent again.
        assert!(problem(ProblemKind::IdempotencyKeyInFlight).is_retryable());
        assert!(problem(ProblemKind::RateLimited).is_retryable());
        assert!(problem(ProblemKind::Internal).is_retryable());
        assert!(!problem(ProblemKind::EventFull).is_retryable());
        assert!(!problem(ProblemKind::Validation).is_retryable());
        assert!(!problem(ProblemKind::IdempotencyKeyReused).is_retryable());
    }

    #[test]
    fn a_401_is_unauthorized_with_or_without_a_problem_body() {
        assert!(problem(ProblemKind::Unauthorized).is_unauthorized());
        assert!(ApiError::Status(401).is_unauthorized());
        assert!(!problem(ProblemKind::Forbidden).is_unauthorized());
        assert!(!ApiError::Network.is_unauthorized());
    }

    #[test]
    fn problems_carry_fields_and_retry_after() {
        let error = problem(ProblemKind::RateLimited);
        assert_eq!(error.retry_after_secs(), Some(30));
        assert_eq!(error.field_errors().len(), 1);
        assert_eq!(ApiError::Network.field_errors().len(), 0);
        assert_eq!(ApiError::Status(429).retry_after_secs(), None);
        assert_eq!(ApiError::Decode.status(), None);
    }
}
