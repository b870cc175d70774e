//! The built widget's and console's files: the brotli or gzip copy the build wrote when the
//! browser takes it, content-hashed names kept by browsers for a year, everything else (pages,
//! `config.json`, the embed loader) revalidated on every use.

use std::path::Path;

use axum::extract::Request;
use axum::http::header::{CACHE_CONTROL, VARY};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use tower_http::services::ServeDir;

/// Hex digits of the content hash in a fingerprinted name, as `cargo xtask build` writes them.
const HASH_LEN: usize = 16;

/// A file whose name changes with its content: never worth asking about again.
const IMMUTABLE: HeaderValue = HeaderValue::from_static("public, max-age=31536000, immutable");

/// Any other file: kept, but checked with the server (a 304 when unchanged) before each use.
const REVALIDATE: HeaderValue = HeaderValue::from_static("no-cache");

/// The files of a built bundle, their precompressed copies preferred.
pub fn files(dist: &Path) -> ServeDir {
    ServeDir::new(dist)
        .precompressed_br()
        .precompressed_gzip()
        .append_index_html_on_directories(true)
}

/// Middleware that sets each file's `Cache-Control` from its name.
pub async fn cache_policy(request: Request, next: Next) -> Response {
    let immutable = is_fingerprinted(request.uri().path());
    let mut response = next.run(request).await;
    let status = response.status();
    if status.is_success() || status == StatusCode::NOT_MODIFIED {
        let headers = response.headers_mut();
        headers.insert(
            CACHE_CONTROL,
            if immutable { IMMUTABLE } else { REVALIDATE },
        );
        if !headers.contains_key(VARY) {
            headers.insert(VARY, HeaderValue::from_static("accept-encoding"));
        }
    }
    response
}

/// Whether the last segment of a path carries a content hash: `-` and 16 hex digits ending
/// the stem or before `_` (`main-0123456789abcdef.css`, `app-0123456789abcdef_bg.wasm`).
pub fn is_fingerprinted(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path).as_bytes();
    name.iter().enumerate().any(|(at, byte)| {
        let hash = name.get(at + 1..at + 1 + HASH_LEN);
        let next = name.get(at + 1 + HASH_LEN);
        *byte == b'-'
            && hash.is_some_and(|hash| hash.iter().all(u8::is_ascii_hexdigit))
            && next.is_some_and(|next| matches!(next, b'.' | b'_'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_content_hashed_names_are_immutable() {
        assert!(is_fingerprinted(
            "/open-month-kiosk_bg-0123456789abcdef.wasm"
        ));
        assert!(is_fingerprinted(
            "/console/omk-console-3b936f5038897907_bg.wasm"
        ));
        assert!(is_fingerprinted("/main-0123456789abcdef.css"));
        assert!(!is_fingerprinted("/"));
        assert!(!is_fingerprinted("/index.html"));
        assert!(!is_fingerprinted("/config.json"));
        assert!(!is_fingerprinted("/embed.js"));
        assert!(!is_fingerprinted("/__wasm_split.js"));
        assert!(!is_fingerprinted("/open-month-kiosk-0123456789abcdeg.js"));
        assert!(!is_fingerprinted("/a-0123456789abcdef/config.json"));
    }
}
