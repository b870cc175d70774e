//! Hygiene: security headers, CORS, rate limits and spam traps.

use axum::body::Body;
use axum::http::{Method, Request};
use serde_json::json;

use crate::support::TestApp;

async fn every_response_carries_the_security_headers() {
    let app =
        TestApp::configured(|c| c.frame_ancestors = "'self' https://portal.example".into()).await;
    for uri in ["/api/v1/categories", "/api/v1/nothing", "/"] {
        let reply = app.get(uri).await;
        let csp = reply.headers["content-security-policy"]
            .to_str()
            .unwrap_or("");
        assert!(csp.contains("'wasm-unsafe-eval'"), "{uri}: {csp}");
        assert!(csp.contains("frame-ancestors 'self' https://portal.example"));
        assert_eq!(reply.headers["x-content-type-options"], "nosniff");
        assert_eq!(reply.headers["referrer-policy"], "no-referrer");
    }
}

async fn cors_answers_only_the_allowed_origins() {
    let app = TestApp::configured(|c| c.cors_origins = vec!["https://portal.example".into()]).await;
    let preflight = |origin: &str| {
        Request::builder()
            .method(Method::OPTIONS)
            .uri("/api/v1/issues")
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header(
                "access-control-request-headers",
                "content-type,idempotency-key",
            )
            .body(Body::empty())
            .expect("request")
    };
    let allowed = app.send(preflight("https://portal.example")).await;
    assert_eq!(
        allowed.headers["access-control-allow-origin"],
        "https://portal.example"
    );
    let refused = app.send(preflight("https://evil.example")).await;
    assert!(!refused.headers.contains_key("access-control-allow-origin"));
}

async fn too_many_writes_give_429_with_retry_after() {
    let app = TestApp::configured(|c| c.writes_per_minute = 3).await;
    for _ in 0..3 {
        let reply = app
            .post_json("/api/v1/ratings", &json!({"level": "satisfied"}))
            .await;
        assert_eq!(reply.status.as_u16(), 201);
    }
    let limited = app
        .post_json("/api/v1/ratings", &json!({"level": "satisfied"}))
        .await;
    let body = limited.problem(429);
    assert_eq!(body["type"], "/problems/rate-limited");
    let wait: u64 = limited.headers["retry-after"]
        .to_str()
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    assert!(wait >= 1);
    assert_eq!(app.get("/api/v1/categories").await.status.as_u16(), 200);
}

async fn a_filled_honeypot_or_a_too_fast_form_is_refused() {
    let app = TestApp::seeded().await;
    let before = app.issue_count().await;
    let issue =
        json!({"category": "parking", "description": "小区门口违章停车严重", "place": "柳园街道"});
    let mut trap = issue.clone();
    trap["website"] = json!("http://spam.example");
    let body = app.post_json("/api/v1/issues", &trap).await.problem(422);
    assert_eq!(body["errors"][0]["field"], "website");
    let mut fast = issue.clone();
    fast["fill_ms"] = json!(300);
    let body = app.post_json("/api/v1/issues", &fast).await.problem(422);
    assert_eq!(body["errors"][0]["code"], "too_fast");
    assert_eq!(app.issue_count().await, before);
    let mut human = issue;
    human["fill_ms"] = json!(45_000);
    assert_eq!(
        app.post_json("/api/v1/issues", &human)
            .await
            .status
            .as_u16(),
        201
    );
}

crate::on_every_backend!(
    every_response_carries_the_security_headers,
    cors_answers_only_the_allowed_origins,
    too_many_writes_give_429_with_retry_after,
    a_filled_honeypot_or_a_too_fast_form_is_refused,
);
