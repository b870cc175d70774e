//! Validators for the public API's answers: each JSON answer to a GET carries a strong `ETag`
//! of its body and is revalidated on every use (`no-cache`), so a returning kiosk or phone pays a
//! 304 of a few hundred bytes for an unchanged program. Answers about one visitor's issue (the
//! status lookup) are `no-store`: a kiosk is shared, and its cache must not keep them. The
//! operators' API is left as its routes make it.

use axum::body::Body;
use axum::extract::Request;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, ETAG, IF_NONE_MATCH};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use crate::error::AppError;

/// The largest answer given a validator; larger ones (none today) pass as they are.
const LARGEST: usize = 4 * 1024 * 1024;

/// Middleware over `/api/v1` (paths relative to it).
pub async fn validate(request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    let get = request.method() == Method::GET;
    let asked = request.headers().get(IF_NONE_MATCH).cloned();
    let mut response = next.run(request).await;
    if !get || response.status() != StatusCode::OK {
        return response;
    }
    if is_private(&path) {
        response
            .headers_mut()
            .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
        return response;
    }
    if is_operators(&path) || !is_json(response.headers()) || is_no_store(response.headers()) {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = match axum::body::to_bytes(body, LARGEST).await {
        Ok(bytes) => bytes,
        Err(err) => return AppError::Internal(format!("reading an answer: {err}")).into_response(),
    };
    let tag = entity_tag(&bytes);
    parts.headers.insert(ETAG, tag.clone());
    parts
        .headers
        .entry(CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-cache"));
    if asked.is_some_and(|asked| matches(&asked, &tag)) {
        let mut unchanged = Response::new(Body::empty());
        *unchanged.status_mut() = StatusCode::NOT_MODIFIED;
        for name in [ETAG, CACHE_CONTROL] {
            if let Some(value) = parts.headers.get(&name) {
                unchanged.headers_mut().insert(name, value.clone());
            }
        }
        return unchanged;
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// Paths whose answers concern one visitor: an issue's status and its QR code.
fn is_private(path: &str) -> bool {
    path.starts_with("/issues/")
}

/// Paths of the operators' API, whose answers are left as their routes make them.
fn is_operators(path: &str) -> bool {
    path.starts_with("/admin") || path.starts_with("/session")
}

fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("application/json"))
}

fn is_no_store(headers: &HeaderMap) -> bool {
    headers
        .get(CACHE_CONTROL)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.contains("no-store"))
}

/// A strong validator: the first 16 hex digits of the body's SHA-256, quoted.
fn entity_tag(body: &[u8]) -> HeaderValue {
    let digest = Sha256::digest(body);
    let hex: String = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
    HeaderValue::from_str(&format!("\"{hex}\"")).unwrap_or(HeaderValue::from_static("\"\""))
}

/// Whether `If-None-Match` names the tag (or is `*`); weak forms compare by their value.
fn matches(asked: &HeaderValue, tag: &HeaderValue) -> bool {
    let (Ok(asked), Ok(tag)) = (asked.to_str(), tag.to_str()) else {
        return false;
    };
    asked
        .split(',')
        .map(|one| one.trim().trim_start_matches("W/"))
        .any(|one| one == "*" || one == tag)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_none_match_lists_are_read_whole() {
        let tag = entity_tag(b"{}");
        let value = tag.to_str().expect("ascii").to_owned();
        let asked = |text: &str| matches(&HeaderValue::from_str(text).expect("header"), &tag);
        assert!(asked(&value));
        assert!(asked(&format!("\"x\", W/{value}")));
        assert!(asked("*"));
        assert!(!asked("\"0123456789abcdef\""));
        assert_ne!(entity_tag(b"{}"), entity_tag(b"[]"));
    }

    #[test]
    fn only_an_issue_lookup_is_private() {
        assert!(is_private("/issues/OM-7K3F-9QX2-M4TB-6"));
        assert!(is_private("/issues/OM-7K3F-9QX2-M4TB-6/qr.svg"));
        assert!(!is_private("/issues"));
        assert!(!is_private("/events"));
    }
}
