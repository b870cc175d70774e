//! The only place in the widget that speaks HTTP: typed GET and POST against
//! the configured backend, with problem+json errors decoded.

pub mod cache;
pub mod stream;

use std::sync::Arc;

use gloo_net::http::{Request, Response};
use omk_api::{API_PREFIX, IDEMPOTENCY_HEADER, Problem, ProblemKind};
use serde::de::DeserializeOwned;

use crate::origin::Origin;

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

    /// The origin requests go to: the base URL's, or `page` (the page's own origin) when
    /// the base is empty. `None` when it cannot be told.
    pub fn origin(&self, page: Option<&Origin>) -> Option<Origin> {
        if self.base.is_empty() {
            page.cloned()
        } else {
            Origin::parse(&self.base)
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
    /// saying how old it is. Only public answers are kept (see [`cache::is_cacheable`]):
    /// an issue's status is neither stored nor recalled.
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
            return Err(refusal(response).await);
        }
        let text = response.text().await.map_err(|_| ClientError::Decode)?;
        let value = serde_json::from_str(&text).map_err(|_| ClientError::Decode)?;
        cache::store(path, &text, js_sys::Date::now());
        Ok(Fresh {
            value,
            stored_at: None,
        })
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
        Err(SendFailure {
            error: refusal(response).await,
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

/// The error an answer that is not a success stands for: its problem, when the
/// body is one of the contract's problems, or else just its status.
async fn refusal(response: Response) -> ClientError {
    let status = response.status();
    match response.json::<Problem>().await {
        Ok(problem) => ClientError::Problem(problem),
        Err(_) => ClientError::Status(status),
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
    /// The message key to show the visitor: the problem kind's own message
    /// (a full event says "This event is fully booked").
    pub fn message_key(&self) -> &'static str {
        match self {
            ClientError::Network => "error.network",
            ClientError::Problem(problem) => problem.kind.message_key(),
            ClientError::Status(_) | ClientError::Decode => "error.server",
        }
    }

    /// The kind of refusal, when the backend said which.
    pub fn kind(&self) -> Option<ProblemKind> {
        match self {
            ClientError::Problem(problem) => Some(problem.kind),
            _ => None,
        }
    }

    /// Whether sending the same request again later may succeed: the network
    /// or the server was down or busy, or the server is still storing the
    /// first attempt of this very request.
    pub fn is_retryable(&self) -> bool {
        match self {
            ClientError::Network => true,
            ClientError::Problem(p) => p.kind.is_transient() || p.status >= 500,
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
    fn a_backend_goes_to_its_base_urls_origin_or_else_the_pages() {
        let page = Origin::parse("https://www.example.gov.cn");
        assert_eq!(Backend::new("").origin(page.as_ref()), page);
        assert_eq!(Backend::new("").origin(None), None);
        assert_eq!(
            Backend::new("https://kiosk.example.gov.cn/omk/")
                .origin(page.as_ref())
                .map(|o| o.to_string())
                .as_deref(),
            Some("https://kiosk.example.gov.cn")
        );
        assert_eq!(Backend::new("//evil.example").origin(page.as_ref()), None);
    }

    fn problem(kind: ProblemKind) -> ClientError {
        ClientError::Problem(Problem {
            kind,
            title: String::new(),
            status: kind.status(),
            detail: None,
            errors: vec![],
        })
    }

    #[test]
    fn every_problem_is_explained_by_its_own_message_in_both_languages() {
        for kind in ProblemKind::ALL {
            let key = problem(kind).message_key();
            assert_eq!(key, kind.message_key());
            for lang in [omk_api::Lang::ZhCn, omk_api::Lang::En] {
                assert!(
                    omk_api::Messages::get(lang).has(key),
                    "{lang:?} lacks {key}"
                );
            }
        }
        let full = r#"{"type":"/problems/event-full","title":"x","status":409}"#;
        let full = serde_json::from_str::<Problem>(full).map(ClientError::Problem);
        let key = full.map(|e| e.message_key()).unwrap_or("unreadable");
        assert_eq!(
            omk_api::Messages::get(omk_api::Lang::En).text(key),
            "This event is fully booked"
        );
    }

    #[test]
    fn only_transient_failures_are_retryable() {
        assert!(ClientError::Network.is_retryable());
        assert!(ClientError::Status(503).is_retryable());
        assert!(!ClientError::Status(422).is_retryable());
        assert!(!ClientError::Decode.is_retryable());
        // The first attempt is being stored: the write is not lost, so it is sent again.
        assert!(problem(ProblemKind::IdempotencyKeyInFlight).is_retryable());
        assert!(problem(ProblemKind::RateLimited).is_retryable());
        assert!(!problem(ProblemKind::EventFull).is_retryable());
        assert!(!problem(ProblemKind::Validation).is_retryable());
        assert!(!problem(ProblemKind::IdempotencyKeyReused).is_retryable());
    }
}
