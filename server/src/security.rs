//! Browser-facing hygiene: security headers (a CSP that lets the widget's
//! WebAssembly run and nothing else, left off 304s), and the CORS allowlist.

use std::path::Path;
use std::time::Duration;

use axum::Router;
use axum::http::{HeaderName, HeaderValue, Method, header};
use base64::Engine;
use sha2::{Digest, Sha256};
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::set_header::SetResponseHeaderLayer;

use crate::config::Config;
use crate::state::AppState;

/// Adds the security headers and, when origins are configured, CORS.
pub fn harden(router: Router<AppState>, config: &Config) -> Router<AppState> {
    let csp = content_security_policy(&config.web.dist, &config.web.frame_ancestors);
    let mut router = router
        .layer(header_layer(header::CONTENT_SECURITY_POLICY, &csp))
        .layer(header_layer(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(header_layer(header::REFERRER_POLICY, "no-referrer"))
        .layer(header_layer(
            HeaderName::from_static("permissions-policy"),
            "camera=(), microphone=(), geolocation=(), payment=()",
        ))
        .layer(axum::middleware::map_response(lean_not_modified));
    if let Some(cors) = cors(&config.web.cors_origins) {
        router = router.layer(cors);
    }
    router
}

/// The headers a 304 leaves out: the browser keeps them from the answer it revalidates
/// (RFC 9111 §4.3.4), so repeating them only costs a returning visitor bytes.
const KEPT_FROM_THE_STORED_ANSWER: [HeaderName; 4] = [
    header::CONTENT_SECURITY_POLICY,
    header::X_CONTENT_TYPE_OPTIONS,
    header::REFERRER_POLICY,
    HeaderName::from_static("permissions-policy"),
];

/// A 304 without the security headers its stored answer already carries.
async fn lean_not_modified(mut response: axum::response::Response) -> axum::response::Response {
    if response.status() == axum::http::StatusCode::NOT_MODIFIED {
        for name in &KEPT_FROM_THE_STORED_ANSWER {
            response.headers_mut().remove(name);
        }
    }
    response
}

/// Checks that every security header `config` makes is a valid header value: a start
/// with a broken CSP (a frame ancestor with a character a header cannot carry, say) is
/// refused rather than served with an empty policy.
pub fn check(config: &Config) -> Result<(), String> {
    let policies = [
        content_security_policy(&config.web.dist, &config.web.frame_ancestors),
        content_security_policy(&config.web.console_dist, "'none'"),
    ];
    policies.iter().try_for_each(|policy| valid_policy(policy))
}

/// Whether a policy can be sent as a header.
fn valid_policy(policy: &str) -> Result<(), String> {
    HeaderValue::from_str(policy)
        .map(|_| ())
        .map_err(|_| format!("the Content-Security-Policy is not a valid header: {policy:?}"))
}

fn header_layer(name: HeaderName, value: &str) -> SetResponseHeaderLayer<HeaderValue> {
    let value = HeaderValue::from_str(value).unwrap_or_else(|_| HeaderValue::from_static(""));
    SetResponseHeaderLayer::if_not_present(name, value)
}

/// The operators' console's CSP: as the widget's, over the console's own start-up
/// scripts, and never framed (no page may overlay the console's buttons).
pub fn console_policy(console_dist: &Path) -> HeaderValue {
    let csp = content_security_policy(console_dist, "'none'");
    HeaderValue::from_str(&csp).unwrap_or_else(|_| HeaderValue::from_static("default-src 'none'"))
}

/// The CSP: the widget's own files, its WebAssembly, and the inline start-up
/// scripts of its `index.html` by hash.
pub fn content_security_policy(dist: &Path, frame_ancestors: &str) -> String {
    let hashes: String = std::fs::read_to_string(dist.join("index.html"))
        .map(|html| {
            inline_scripts(&html)
                .iter()
                .map(|script| {
                    let digest = Sha256::digest(script.as_bytes());
                    format!(
                        " 'sha256-{}'",
                        base64::engine::general_purpose::STANDARD.encode(digest)
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let frame_ancestors: String = frame_ancestors
        .split([' ', ','])
        .filter(|s| !s.is_empty() && s.chars().all(|c| !c.is_control() && c != ';'))
        .collect::<Vec<_>>()
        .join(" ");
    let frame_ancestors = if frame_ancestors.is_empty() || frame_ancestors == "'none'" {
        "'none'".to_owned()
    } else {
        frame_ancestors
    };
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{hashes}; \
         style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; \
         font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; \
         frame-ancestors {frame_ancestors}"
    )
}

/// The contents of every `<script>` without a `src` attribute.
fn inline_scripts(html: &str) -> Vec<&str> {
    let mut scripts = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let after = &rest[start..];
        let Some(tag_end) = after.find('>') else {
            break;
        };
        let tag = &after[..tag_end];
        let body = &after[tag_end + 1..];
        let Some(close) = body.find("</script>") else {
            break;
        };
        if !tag.contains("src=") {
            scripts.push(&body[..close]);
        }
        rest = &body[close..];
    }
    scripts
}

fn cors(origins: &[String]) -> Option<CorsLayer> {
    let origins: Vec<&str> = origins
        .iter()
        .map(|o| o.trim().trim_end_matches('/'))
        .filter(|o| !o.is_empty())
        .collect();
    if origins.is_empty() {
        return None;
    }
    let allow = if origins.contains(&"*") {
        AllowOrigin::any()
    } else {
        AllowOrigin::list(
            origins
                .iter()
                .filter_map(|o| HeaderValue::from_str(o).ok())
                .collect::<Vec<_>>(),
        )
    };
    Some(
        CorsLayer::new()
            .allow_origin(allow)
            .allow_methods([Method::GET, Method::POST, Method::DELETE, Method::OPTIONS])
            .allow_headers([
                header::CONTENT_TYPE,
                header::ACCEPT_LANGUAGE,
                HeaderName::from_static("idempotency-key"),
                HeaderName::from_static("last-event-id"),
            ])
            .expose_headers([
                header::RETRY_AFTER,
                HeaderName::from_static(crate::idempotency::REPLAYED_HEADER),
            ])
            .max_age(Duration::from_secs(3600)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_scripts_are_found_and_sourced_ones_skipped() {
        let html =
            "<script type=module>init()</script><script src=/a.js></script><script>x</script>";
        assert_eq!(inline_scripts(html), vec!["init()", "x"]);
    }

    #[test]
    fn csp_allows_wasm_and_the_configured_frame_ancestors() {
        let csp =
            content_security_policy(Path::new("/nonexistent"), "'self' https://portal.example");
        assert!(csp.contains("'wasm-unsafe-eval'"));
        assert!(csp.contains("frame-ancestors 'self' https://portal.example"));
        let injected = content_security_policy(Path::new("/nonexistent"), "x; script-src *");
        assert!(!injected.contains("; script-src *"));
    }

    #[test]
    fn a_policy_no_header_can_carry_stops_the_start() {
        let mut config = Config::for_database("sqlite://x.db");
        config.web.dist = "/nonexistent".into();
        config.web.console_dist = "/nonexistent".into();
        assert!(check(&config).is_ok());
        assert!(valid_policy("default-src 'self'\r\nX-Injected: 1").is_err());
    }
}
