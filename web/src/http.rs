//! Sending a request and reading its answer: a success, or the [`ApiError`] a failed answer
//! stands for. The apps build their requests (headers, credentials, CSRF token, idempotency
//! key) and hand them here.

use gloo_net::http::{Request, Response};
use omk_api::API_PREFIX;
use serde::de::DeserializeOwned;

use crate::error::{self, ApiError};

/// The URL of an API path such as `/events` on the backend at `base` (empty for the page's
/// own origin; a trailing slash is dropped).
pub fn url(base: &str, path: &str) -> String {
    format!("{}{API_PREFIX}{path}", base.trim().trim_end_matches('/'))
}

/// Sends a built request; the answer whatever its status, or [`ApiError::Network`] when none
/// came (a request that could not be built is [`ApiError::Decode`]).
pub async fn send(request: Result<Request, gloo_net::Error>) -> Result<Response, ApiError> {
    let request = request.map_err(|_| ApiError::Decode)?;
    request.send().await.map_err(|_| ApiError::Network)
}

/// The answer when it is a success, or the error it stands for.
pub async fn check(response: Response) -> Result<Response, ApiError> {
    if response.ok() {
        Ok(response)
    } else {
        Err(refusal(response).await)
    }
}

/// The `Retry-After` of an answer, in whole seconds, when it carries one.
pub fn retry_after(response: &Response) -> Option<u32> {
    error::retry_after(response.headers().get("retry-after"))
}

/// The error an answer that is not a success stands for: its problem, when the body is one
/// of the contract's problems, or else just its status.
pub async fn refusal(response: Response) -> ApiError {
    let retry_after_secs = retry_after(&response);
    let status = response.status();
    let body = response.text().await.unwrap_or_default();
    error::refusal(status, &body, retry_after_secs)
}

/// The body of a successful answer as text.
pub async fn text(response: Response) -> Result<String, ApiError> {
    response.text().await.map_err(|_| ApiError::Decode)
}

/// The body of a successful answer read as JSON.
pub async fn json<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    let body = text(response).await?;
    serde_json::from_str(&body).map_err(|_| ApiError::Decode)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_join_base_prefix_and_path() {
        assert_eq!(url("", "/events"), "/api/v1/events");
        assert_eq!(
            url("https://kiosk.example.gov.cn/ ", "/metrics"),
            "https://kiosk.example.gov.cn/api/v1/metrics"
        );
    }
}
