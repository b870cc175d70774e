//! Sending a request and reading its answer: a success, or the [`ApiError`] a failed answer
//! stands for. The apps build and send their requests (headers, credentials, CSRF token,
//! idempotency key) and hand the answers here.

use gloo_net::http::Response;
use omk_api::API_PREFIX;
use serde::de::DeserializeOwned;

use crate::error::{self, ApiError};

/// The URL of an API path such as `/events` on the backend at `base` (empty for the page's
/// own origin; a trailing slash is dropped).
pub fn url(base: &str, path: &str) -> String {
    format!("{}{API_PREFIX}{path}", base.trim().trim_end_matches('/'))
}

/// The answer when it is a success, or the error it stands for.
pub async fn check(response: Response) -> Result<Response, ApiError> {
    if response.ok() {
        Ok(response)
    } else {
        Err(refusal(response).await)
    }
}

/// The error an answer that is not a success stands for: its problem, when the body is one
/// of the contract's problems, or else just its status.
pub async fn refusal(response: Response) -> ApiError {
    refused(response).await.0
}

/// The error an answer that is not a success stands for, and its `Retry-After` in whole
/// seconds whether or not the body was a problem (a proxy's bare 503 may carry one too).
pub async fn refused(response: Response) -> (ApiError, Option<u32>) {
    let retry_after_secs = error::retry_after(response.headers().get("retry-after"));
    let status = response.status();
    let body = response.text().await.unwrap_or_default();
    (
        error::refusal(status, &body, retry_after_secs),
        retry_after_secs,
    )
}

/// The body of a successful answer read as JSON.
pub async fn json<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    response.json().await.map_err(|_| ApiError::Decode)
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
