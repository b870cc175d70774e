//! Hygiene: security headers, CORS, rate limits and spam traps.

use axum::body::Body;
use axum::http::{Method, Request};
use serde_json::json;

use crate::support::TestApp;

async fn every_response_carries_the_security_headers() {
    let app =
        TestApp::configured(|c| c.web.frame_ancestors = "'self' https://portal.example".into())
            .await;
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
    let app =
        TestApp::configured(|c| c.web.cors_origins = vec!["https://portal.example".into()]).await;
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
    let app = TestApp::configured(|c| c.limits.writes_per_minute = 3).await;
    // Held still, the clock refills no token however slowly the writes go.
    app.state.clock.stop();
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
    let retry_after = limited.headers["retry-after"].to_str().expect("ASCII");
    let wait: u64 = retry_after
        .parse()
        .unwrap_or_else(|e| panic!("Retry-After is not seconds ({e}): {retry_after:?}"));
    assert_eq!(wait, 20, "three a minute: the next token comes in 20 s");
    assert_eq!(app.get("/api/v1/categories").await.status.as_u16(), 200);
    app.state.clock.advance(19);
    app.post_json("/api/v1/ratings", &json!({"level": "satisfied"}))
        .await
        .problem(429);
    app.state.clock.advance(1);
    let refilled = app
        .post_json("/api/v1/ratings", &json!({"level": "satisfied"}))
        .await;
    assert_eq!(refilled.status.as_u16(), 201, "{}", refilled.text());
}

async fn a_filled_honeypot_a_too_fast_form_or_no_fill_time_is_refused() {
    let app = TestApp::seeded().await;
    let before = app.issue_count().await;
    let issue = json!({"fill_ms": 5000, "category": "parking", "description": "小区门口违章停车严重", "place": "柳园街道"});
    let mut trap = issue.clone();
    trap["website"] = json!("http://spam.example");
    let body = app.post_json("/api/v1/issues", &trap).await.problem(422);
    assert_eq!(body["errors"][0]["field"], "website");
    let mut fast = issue.clone();
    fast["fill_ms"] = json!(300);
    let body = app.post_json("/api/v1/issues", &fast).await.problem(422);
    assert_eq!(body["errors"][0]["code"], "too_fast");
    let mut scripted = issue.clone();
    if let Some(fields) = scripted.as_object_mut() {
        fields.remove("fill_ms");
    }
    let body = app
        .post_json("/api/v1/issues", &scripted)
        .await
        .problem(422);
    assert_eq!(
        (&body["errors"][0]["field"], &body["errors"][0]["code"]),
        (&json!("fill_ms"), &json!("required"))
    );
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

/// A rating POST as if relayed by a proxy for `client`.
fn forwarded_rating(client: &str) -> Request<Body> {
    let mut request = crate::support::post_request(
        "/api/v1/ratings",
        "application/json",
        Some(&crate::support::fresh_key()),
        json!({"level": "satisfied"}).to_string(),
    );
    request
        .headers_mut()
        .insert("x-forwarded-for", client.parse().expect("header value"));
    request
}

async fn behind_a_trusted_proxy_each_forwarded_client_has_its_own_limit() {
    let app = TestApp::configured(|c| {
        c.limits.writes_per_minute = 2;
        c.limits.trust_forwarded_for = true;
    })
    .await;
    app.state.clock.stop();
    for _ in 0..2 {
        let reply = app
            .send(forwarded_rating("203.0.113.5, 198.51.100.1"))
            .await;
        assert_eq!(reply.status.as_u16(), 201);
    }
    app.send(forwarded_rating("198.51.100.1"))
        .await
        .problem(429);
    let other = app.send(forwarded_rating("198.51.100.2")).await;
    assert_eq!(other.status.as_u16(), 201);
}

async fn without_trust_a_forwarded_for_header_cannot_dodge_the_limit() {
    let app = TestApp::configured(|c| c.limits.writes_per_minute = 2).await;
    app.state.clock.stop();
    for client in ["198.51.100.1", "198.51.100.2"] {
        assert_eq!(
            app.send(forwarded_rating(client)).await.status.as_u16(),
            201
        );
    }
    app.send(forwarded_rating("198.51.100.3"))
        .await
        .problem(429);
}

/// The build's files: a content-hashed module is sent as its brotli copy and kept for a year;
/// the page and `config.json` are revalidated, and an unchanged page costs a 304.
async fn built_files_are_sent_precompressed_and_cached_by_their_names() {
    let dist = tempfile::tempdir().expect("temp dir");
    let write =
        |name: &str, bytes: &[u8]| std::fs::write(dist.path().join(name), bytes).expect("write");
    write("index.html", b"<!doctype html><title>kiosk</title>");
    write("index.html.br", b"brotli page");
    write("open-month-kiosk_bg-0123456789abcdef.wasm", b"\0asm module");
    write(
        "open-month-kiosk_bg-0123456789abcdef.wasm.br",
        b"brotli module",
    );
    write("config.json", b"{\"backend\": \"\"}");
    let root = dist.path().to_path_buf();
    let app = TestApp::configured(move |c| c.web.dist = root).await;
    let get = |uri: &str, headers: &[(&str, &str)]| {
        let mut request = Request::builder().uri(uri);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        request.body(Body::empty()).expect("request")
    };
    let module = app
        .send(get(
            "/open-month-kiosk_bg-0123456789abcdef.wasm",
            &[("accept-encoding", "gzip, br")],
        ))
        .await;
    assert_eq!(module.status.as_u16(), 200);
    assert_eq!(module.headers["content-encoding"], "br");
    assert_eq!(
        module.headers["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(module.text(), "brotli module");
    let plain = app
        .send(get("/open-month-kiosk_bg-0123456789abcdef.wasm", &[]))
        .await;
    assert!(!plain.headers.contains_key("content-encoding"));
    assert_eq!(plain.body, b"\0asm module".to_vec());

    for uri in ["/", "/config.json"] {
        let reply = app.send(get(uri, &[("accept-encoding", "br")])).await;
        assert_eq!(reply.status.as_u16(), 200, "{uri}");
        assert_eq!(reply.headers["cache-control"], "no-cache", "{uri}");
    }
    let page = app.get("/").await;
    let modified = page.headers["last-modified"]
        .to_str()
        .expect("date")
        .to_owned();
    let again = app
        .send(get("/", &[("if-modified-since", modified.as_str())]))
        .await;
    assert_eq!(again.status.as_u16(), 304);
    assert_eq!(again.headers["cache-control"], "no-cache");
    // The browser keeps the page's security headers from the answer it revalidates.
    assert!(page.headers.contains_key("content-security-policy"));
    for kept in [
        "content-security-policy",
        "permissions-policy",
        "referrer-policy",
        "x-content-type-options",
    ] {
        assert!(!again.headers.contains_key(kept), "{kept} on a 304");
    }
}

/// A returning visitor's unchanged program costs a 304 with no body; an issue's lookup is never
/// stored by the shared kiosk's browser.
async fn public_answers_are_revalidated_and_lookups_never_stored() {
    let app = TestApp::seeded().await;
    let first = app.get("/api/v1/events/facets").await;
    assert_eq!(first.status.as_u16(), 200);
    assert_eq!(first.headers["cache-control"], "no-cache");
    let tag = first.headers["etag"].to_str().expect("etag").to_owned();
    let again = app
        .send(
            Request::builder()
                .uri("/api/v1/events/facets")
                .header("if-none-match", tag.as_str())
                .body(Body::empty())
                .expect("request"),
        )
        .await;
    assert_eq!(again.status.as_u16(), 304);
    assert!(again.body.is_empty());
    assert_eq!(again.headers["etag"], tag.as_str());
    assert!(!again.headers.contains_key("content-security-policy"));
    let stale = app
        .send(
            Request::builder()
                .uri("/api/v1/events/facets")
                .header("if-none-match", "\"0123456789abcdef\"")
                .body(Body::empty())
                .expect("request"),
        )
        .await;
    assert_eq!(stale.status.as_u16(), 200);
    assert_eq!(stale.body, first.body);

    let receipt = app
        .post_json(
            "/api/v1/issues",
            &json!({"fill_ms": 5000, "category": "parking", "description": "路口车辆乱停，影响通行。", "place": "柳园街道"}),
        )
        .await;
    assert_eq!(receipt.status.as_u16(), 201, "{}", receipt.text());
    let number = receipt.json::<serde_json::Value>()["tracking_no"]
        .as_str()
        .expect("tracking number")
        .to_owned();
    let lookup = app.get(&format!("/api/v1/issues/{number}")).await;
    assert_eq!(lookup.status.as_u16(), 200);
    assert_eq!(lookup.headers["cache-control"], "no-store");
    assert!(!lookup.headers.contains_key("etag"));
}

crate::on_every_backend!(
    public_answers_are_revalidated_and_lookups_never_stored,
    built_files_are_sent_precompressed_and_cached_by_their_names,
    behind_a_trusted_proxy_each_forwarded_client_has_its_own_limit,
    without_trust_a_forwarded_for_header_cannot_dodge_the_limit,
    every_response_carries_the_security_headers,
    cors_answers_only_the_allowed_origins,
    too_many_writes_give_429_with_retry_after,
    a_filled_honeypot_a_too_fast_form_or_no_fill_time_is_refused,
);
