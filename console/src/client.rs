//! The only place in the console that speaks HTTP: typed requests to `/api/v1` on the
//! page's own origin, with the session's CSRF token on every state-changing request,
//! problem+json decoded into [`ApiError`] (`omk_web`'s, the widget's too), and a 401 on an
//! operator route ending the session. The live figures' stream is followed from here too
//! ([`follow_figures`]): the rest of the console does not use `omk_web`.

use gloo_net::http::{Method, RequestBuilder, Response};
use leptos::prelude::RwSignal;
use omk_api::Metrics;
use omk_api::operators::CSRF_HEADER;
use omk_web::http;
use omk_web::stream::{follow, metrics_listeners};
use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::JsValue;
use web_sys::RequestCredentials;

use crate::i18n::I18n;
use crate::session::Auth;

/// Why a request failed: the one error type of the widget and the console.
pub use omk_web::ApiError;
/// The state of a live link: connecting, live, or reconnecting.
pub use omk_web::stream::LinkState;

/// The URL of an API path such as `/admin/issues`.
pub fn url(path: &str) -> String {
    http::url("", path)
}

/// Follows the live figures' stream at `path` for as long as the calling component lives:
/// `metrics` holds the figures it brings, `state` the link's state.
pub fn follow_figures(path: &str, metrics: RwSignal<Option<Metrics>>, state: RwSignal<LinkState>) {
    follow(url(path), state, metrics_listeners(metrics, state, |_| {}));
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
        let checked = http::check(response).await;
        if let Err(error) = &checked
            && error.is_unauthorized()
            && ends_session_on_401(path)
        {
            self.auth.session_refused();
        }
        checked
    }

    async fn decode<T: DeserializeOwned>(
        self,
        path: &str,
        response: Result<Response, gloo_net::Error>,
    ) -> Result<T, ApiError> {
        http::json(self.check(path, response).await?).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_operator_routes_end_the_session() {
        assert!(ends_session_on_401("/admin/issues"));
        assert!(!ends_session_on_401("/session"));
        assert!(!ends_session_on_401("/metrics"));
    }

    #[test]
    fn paths_are_under_the_api_prefix_on_the_pages_origin() {
        assert_eq!(url("/session"), "/api/v1/session");
    }
}
