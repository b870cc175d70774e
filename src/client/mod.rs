//! The only place in the widget that speaks HTTP: typed GET, POST and DELETE against
//! the configured backend, with problem+json errors decoded (through `omk_web`, which
//! the rest of the widget does not use).

pub mod cache;
pub mod stream;

use std::sync::Arc;

use gloo_net::http::Request;
use omk_api::IDEMPOTENCY_HEADER;
use omk_web::http;
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
        http::url(&self.base, path)
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
            return Err(http::refused(response).await.0);
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

impl Backend {
    /// DELETEs `path` and decodes the JSON answer: what cancelling a registration with its
    /// code does. Never recalled from the cache: a network failure is said as one.
    pub async fn delete<T: DeserializeOwned>(&self, path: &str) -> Result<T, ClientError> {
        let response = Request::delete(&self.url(path))
            .header("Accept", "application/json")
            .send()
            .await
            .map_err(|_| ClientError::Network)?;
        if !response.ok() {
            return Err(http::refused(response).await.0);
        }
        let text = response.text().await.map_err(|_| ClientError::Decode)?;
        serde_json::from_str(&text).map_err(|_| ClientError::Decode)
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
        let request = Request::post(&self.url(path))
            .header("Accept", "application/json")
            .header("Content-Type", "application/json")
            .header(IDEMPOTENCY_HEADER, idempotency_key)
            .body(body.to_owned())
            .map_err(|_| failure(ClientError::Decode))?;
        let response = request
            .send()
            .await
            .map_err(|_| failure(ClientError::Network))?;
        if response.ok() {
            return response
                .text()
                .await
                .map_err(|_| failure(ClientError::Decode));
        }
        let (error, retry_after_secs) = http::refused(response).await;
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

/// Why a request failed: the one error type of both apps (`omk_web::ApiError`), with its
/// message lookup (`message_key`) and retry rule (`is_retryable`).
pub use omk_web::ApiError as ClientError;

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
}
