//! The only place in the widget that speaks HTTP: typed GET and POST against
//! the configured backend, with problem+json errors decoded.

pub mod cache;
pub mod stream;

use std::sync::Arc;

use gloo_net::http::{Request, Response};
use omk_api::{API_PREFIX, IDEMPOTENCY_HEADER, Lang, Messages, Problem};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// The configured backend: a base URL, empty for the page's own origin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Backend {
    base: Arc<str>,
}

impl Backend {
    /// A backend at `base` (a trailing slash is dropped).
    pub fn new(base: &str) -> Backend {
        Backend {
            base: Arc::from(base.trim().trim_end_matches('/')),
        }
    }

    /// The absolute or origin-relative URL of an API path such as `/events`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{API_PREFIX}{path}", self.base)
    }

    /// GETs `path` and decodes the JSON body. When the backend cannot be
    /// reached, the last good answer is used instead (see [`Backend::get_fresh`]).
    pub async fn get<T: DeserializeOwned>(&self, path: &str) -> Result<T, ClientError> {
        self.get_fresh(path).await.map(|f| f.value)
    }

    /// GETs `path`; on a network failure falls back to the last good answer,
    /// saying how old it is.
    pub async fn get_fresh<T: DeserializeOwned>(
        &self,
        path: &str,
    ) -> Result<Fresh<T>, ClientError> {
        let response = match Request::get(&self.url(path))
            .header("Accept", "application/json")
            .send()
            .await
        {
            Ok(response) => response,
            Err(_) => return recall(path).ok_or(ClientError::Network),
        };
        if !response.ok() {
            return Err(decode::<serde_json::Value>(response)
                .await
                .err()
                .unwrap_or(ClientError::Decode));
        }
        let text = response.text().await.map_err(|_| ClientError::Decode)?;
        let value = serde_json::from_str(&text).map_err(|_| ClientError::Decode)?;
        cache::store(path, &text, js_sys::Date::now());
        Ok(Fresh {
            value,
            stored_at: None,
        })
    }

    /// POSTs `body` as JSON with an idempotency key and decodes the answer.
    pub async fn post<B: Serialize, T: DeserializeOwned>(
        &self,
        path: &str,
        body: &B,
        idempotency_key: &str,
    ) -> Result<T, ClientError> {
        let response = Request::post(&self.url(path))
            .header("Accept", "application/json")
            .header(IDEMPOTENCY_HEADER, idempotency_key)
            .json(body)
            .map_err(|_| ClientError::Decode)?
            .send()
            .await
            .map_err(|_| ClientError::Network)?;
        decode(response).await
    }
}

/// An answer, and when it was stored if it came from the offline cache.
#[derive(Debug, Clone, PartialEq)]
pub struct Fresh<T> {
    pub value: T,
    /// `Date.now()` of the stored answer; `None` when it is live.
    pub stored_at: Option<f64>,
}

fn recall<T: DeserializeOwned>(path: &str) -> Option<Fresh<T>> {
    let cached = cache::recall(path)?;
    let value = serde_json::from_str(&cached.body).ok()?;
    Some(Fresh {
        value,
        stored_at: Some(cached.at),
    })
}

/// A failed send, with the backend's `Retry-After` when it gave one.
#[derive(Debug, Clone, PartialEq)]
pub struct SendFailure {
    pub error: ClientError,
    pub retry_after_secs: Option<u32>,
}

impl Backend {
    /// POSTs an already-serialised JSON body with an idempotency key, and
    /// returns the answer's body as text: what the outbox sends and stores.
    pub async fn post_raw(
        &self,
        path: &str,
        body: &str,
        idempotency_key: &str,
    ) -> Result<String, SendFailure> {
        let failure = |error| SendFailure {
            error,
            retry_after_secs: None,
        };
        let response = Request::post(&self.url(path))
            .header("Accept", "application/json")
            .header("Content-Type", "application/json")
            .header(IDEMPOTENCY_HEADER, idempotency_key)
            .body(body.to_owned())
            .map_err(|_| failure(ClientError::Decode))?
            .send()
            .await
            .map_err(|_| failure(ClientError::Network))?;
        if response.ok() {
            return response
                .text()
                .await
                .map_err(|_| failure(ClientError::Decode));
        }
        let retry_after_secs = response
            .headers()
            .get("retry-after")
            .and_then(|v| v.trim().parse::<u32>().ok());
        let status = response.status();
        let error = match response.json::<Problem>().await {
            Ok(problem) => ClientError::Problem(problem),
            Err(_) => ClientError::Status(status),
        };
        Err(SendFailure {
            error,
            retry_after_secs,
        })
    }
}

/// Fetches a text file next to the page (such as `config.json`); `None`
/// when it is missing or unreachable, so defaults apply.
pub async fn fetch_text(url: &str) -> Option<String> {
    let response = Request::get(url).send().await.ok()?;
    if !response.ok() {
        return None;
    }
    response.text().await.ok()
}

async fn decode<T: DeserializeOwned>(response: Response) -> Result<T, ClientError> {
    let status = response.status();
    if response.ok() {
        return response.json::<T>().await.map_err(|_| ClientError::Decode);
    }
    match response.json::<Problem>().await {
        Ok(problem) => Err(ClientError::Problem(problem)),
        Err(_) => Err(ClientError::Status(status)),
    }
}

/// Why a request failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ClientError {
    /// The backend could not be reached at all.
    #[error("the backend cannot be reached")]
    Network,
    /// The backend answered with a problem+json body.
    #[error("the backend refused the request: {}", .0.title)]
    Problem(Problem),
    /// The backend answered with an error status and no problem body.
    #[error("the backend answered with status {0}")]
    Status(u16),
    /// The answer was not what the contract says.
    #[error("the backend's answer could not be read")]
    Decode,
}

impl ClientError {
    /// The message key to show the visitor: the problem's own message when
    /// the catalogue has one (`/problems/event_full` → `problem.event_full`).
    pub fn message_key(&self) -> &'static str {
        match self {
            ClientError::Network => "error.network",
            ClientError::Problem(problem) => {
                let name = problem.kind.rsplit('/').next().unwrap_or_default();
                Messages::get(Lang::ZhCn)
                    .static_key(&format!("problem.{name}"))
                    .unwrap_or("error.server")
            }
            ClientError::Status(_) | ClientError::Decode => "error.server",
        }
    }

    /// Whether sending the same request again later may succeed.
    pub fn is_retryable(&self) -> bool {
        match self {
            ClientError::Network => true,
            ClientError::Problem(p) => p.status == 429 || p.status >= 500,
            ClientError::Status(s) => *s == 429 || *s >= 500,
            ClientError::Decode => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_join_base_prefix_and_path() {
        assert_eq!(Backend::new("").url("/events"), "/api/v1/events");
        assert_eq!(
            Backend::new("https://kiosk.example.gov.cn/ ").url("/metrics"),
            "https://kiosk.example.gov.cn/api/v1/metrics"
        );
    }

    #[test]
    fn problems_map_to_their_own_message() {
        let problem = |kind: &str| {
            ClientError::Problem(Problem {
                kind: kind.into(),
                title: String::new(),
                status: 409,
                detail: None,
                errors: vec![],
            })
        };
        assert_eq!(
            problem("/problems/event_full").message_key(),
            "problem.event_full"
        );
        assert_eq!(
            problem("/problems/unheard_of").message_key(),
            "error.server"
        );
    }

    #[test]
    fn only_transient_failures_are_retryable() {
        assert!(ClientError::Network.is_retryable());
        assert!(ClientError::Status(503).is_retryable());
        assert!(!ClientError::Status(422).is_retryable());
        assert!(!ClientError::Decode.is_retryable());
    }
}
