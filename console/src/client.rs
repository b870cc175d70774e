//! The only place in the console that speaks HTTP: typed requests to `/api/v1` on the
//! page's own origin, with the session's CSRF token on every state-changing request,
//! problem+json decoded into [`ApiError`], and a 401 on an operator route ending the session.

use gloo_net::http::{Method, RequestBuilder, Response};
use omk_api::operators::CSRF_HEADER;
use omk_api::{API_PREFIX, FieldError, Problem, ProblemKind};
use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::JsValue;
use web_sys::RequestCredentials;

use crate::i18n::I18n;
use crate::session::Auth;

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
    /// The server answered with an error status and no problem body.
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

/// The URL of an API path such as `/admin/issues`.
pub fn url(path: &str) -> String {
    format!("{API_PREFIX}{path}")
}

/// Whether a 401 on `path` means the operator's session has ended (every operator route).
pub fn ends_session_on_401(path: &str) -> bool {
    path.starts_with("/admin/")
}

/// The console's HTTP client: a handle on the session (for the CSRF token and to end it)
/// and the language (for the server's own texts).
#[derive(Debug, Clone, Copy)]
pub struct Client {
    auth: Auth,
    i18n: I18n,
}

impl Client {
    /// Provides the client as context.
    pub fn provide(auth: Auth, i18n: I18n) -> Client {
        let client = Client { auth, i18n };
        leptos::prelude::provide_context(client);
        client
    }

    /// GETs `path` and decodes the JSON body.
    pub async fn get<T: DeserializeOwned>(self, path: &str) -> Result<T, ApiError> {
        let response = self.request(Method::GET, path).send().await;
        self.decode(path, response).await
    }

    /// Sends `body` as JSON with `method` and decodes the JSON answer.
    pub async fn send<B: Serialize, T: DeserializeOwned>(
        self,
        method: Method,
        path: &str,
        body: &B,
    ) -> Result<T, ApiError> {
        let request = self
            .request(method, path)
            .json(body)
            .map_err(|_| ApiError::Decode)?;
        let response = request.send().await;
        self.decode(path, response).await
    }

    /// POSTs with an empty body and decodes the JSON answer.
    pub async fn post_empty<T: DeserializeOwned>(self, path: &str) -> Result<T, ApiError> {
        let response = self.request(Method::POST, path).send().await;
        self.decode(path, response).await
    }

    /// Sends a request whose answer has no body (204), such as a DELETE.
    pub async fn send_no_content(self, method: Method, path: &str) -> Result<(), ApiError> {
        let response = self.request(method, path).send().await;
        self.check(path, response).await.map(drop)
    }

    /// POSTs raw bytes (a file) with `content_type` and decodes the JSON answer.
    pub async fn upload<T: DeserializeOwned>(
        self,
        path: &str,
        body: JsValue,
        content_type: &str,
    ) -> Result<T, ApiError> {
        let request = self
            .request(Method::POST, path)
            .header("Content-Type", content_type)
            .body(body)
            .map_err(|_| ApiError::Decode)?;
        let response = request.send().await;
        self.decode(path, response).await
    }

    /// A request to `path` with the headers every request carries, and the CSRF token
    /// when it changes state.
    fn request(self, method: Method, path: &str) -> RequestBuilder {
        let changes_state = method != Method::GET && method != Method::HEAD;
        let mut builder = RequestBuilder::new(&url(path))
            .method(method)
            .credentials(RequestCredentials::SameOrigin)
            .header("Accept", "application/json")
            .header("Accept-Language", self.i18n.lang_untracked().tag());
        if changes_state && let Some(token) = self.auth.csrf_token() {
            builder = builder.header(CSRF_HEADER, &token);
        }
        builder
    }

    /// A successful answer, or the error it stands for.
    async fn check(
        self,
        path: &str,
        response: Result<Response, gloo_net::Error>,
    ) -> Result<Response, ApiError> {
        let response = response.map_err(|_| ApiError::Network)?;
        if response.ok() {
            return Ok(response);
        }
        let error = refusal(response).await;
        if error.is_unauthorized() && ends_session_on_401(path) {
            self.auth.session_refused();
        }
        Err(error)
    }

    async fn decode<T: DeserializeOwned>(
        self,
        path: &str,
        response: Result<Response, gloo_net::Error>,
    ) -> Result<T, ApiError> {
        let response = self.check(path, response).await?;
        response.json::<T>().await.map_err(|_| ApiError::Decode)
    }
}

/// The error an answer that is not a success stands for: its problem, when the body is one
/// of the contract's problems, or else just its status.
async fn refusal(response: Response) -> ApiError {
    let status = response.status();
    let retry_after_secs = response
        .headers()
        .get("retry-after")
        .and_then(|v| v.trim().parse::<u32>().ok());
    match response.json::<Problem>().await {
        Ok(problem) => ApiError::Problem {
            problem,
            retry_after_secs,
        },
        Err(_) => ApiError::Status(status),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn a_401_is_unauthorized_with_or_without_a_problem_body() {
        assert!(problem(ProblemKind::Unauthorized).is_unauthorized());
        assert!(ApiError::Status(401).is_unauthorized());
        assert!(!problem(ProblemKind::Forbidden).is_unauthorized());
        assert!(!ApiError::Network.is_unauthorized());
    }

    #[test]
    fn only_operator_routes_end_the_session() {
        assert!(ends_session_on_401("/admin/issues"));
        assert!(!ends_session_on_401("/session"));
        assert!(!ends_session_on_401("/metrics"));
    }

    #[test]
    fn problems_carry_fields_and_retry_after() {
        let error = problem(ProblemKind::RateLimited);
        assert_eq!(error.retry_after_secs(), Some(30));
        assert_eq!(error.field_errors().len(), 1);
        assert_eq!(ApiError::Network.field_errors().len(), 0);
        assert_eq!(url("/session"), "/api/v1/session");
    }
}
