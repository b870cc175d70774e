//! A seeded server in a temporary folder, driven in-process with `oneshot`.

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use omk_server::{AppState, Config, app, open_database};
use std::sync::atomic::{AtomicU64, Ordering};

use serde::de::DeserializeOwned;
use serde_json::Value;
use tempfile::TempDir;
use tower::ServiceExt;

/// A seeded application over its own SQLite file.
pub struct TestApp {
    pub router: Router,
    _dir: TempDir,
}

/// A response, read whole.
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn json<T: DeserializeOwned>(&self) -> T {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not the expected JSON ({e}): {}", self.text()))
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn content_type(&self) -> &str {
        self.headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    /// Asserts a problem+json answer with this status, and returns the body.
    pub fn problem(&self, status: u16) -> Value {
        assert_eq!(self.status.as_u16(), status, "body: {}", self.text());
        assert_eq!(self.content_type(), "application/problem+json");
        let body: Value = self.json();
        assert_eq!(body["status"], status);
        assert!(body["title"].as_str().is_some_and(|t| !t.is_empty()));
        body
    }
}

impl TestApp {
    /// A fresh database with the demo data.
    pub async fn seeded() -> TestApp {
        TestApp::configured(|_| {}).await
    }

    /// A fresh, empty database.
    #[allow(dead_code)]
    pub async fn empty() -> TestApp {
        TestApp::configured(|c| c.no_seed = true).await
    }

    /// A fresh seeded database, with the configuration changed by `adjust`.
    pub async fn configured(adjust: impl FnOnce(&mut Config)) -> TestApp {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut config = Config::for_database(format!("sqlite://{}/omk.db", dir.path().display()));
        config.dist = dir.path().join("dist");
        config.min_fill_ms = 2000;
        config.writes_per_minute = 0;
        adjust(&mut config);
        let db = open_database(&config).await.expect("database opens");
        let (state, _worker) = AppState::new(db, config).await.expect("state");
        TestApp {
            router: app(state),
            _dir: dir,
        }
    }

    pub async fn send(&self, request: Request<Body>) -> Reply {
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("infallible");
        let status = response.status();
        let headers = response.headers().clone();
        let body = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes()
            .to_vec();
        Reply {
            status,
            headers,
            body,
        }
    }

    pub async fn get(&self, uri: &str) -> Reply {
        self.send(Request::get(uri).body(Body::empty()).expect("request"))
            .await
    }

    pub async fn post_json(&self, uri: &str, body: &Value) -> Reply {
        self.post_raw(uri, "application/json", body.to_string())
            .await
    }

    pub async fn post_raw(&self, uri: &str, content_type: &str, body: impl Into<Body>) -> Reply {
        self.send(post_request(uri, content_type, Some(&fresh_key()), body))
            .await
    }

    /// A JSON POST with this idempotency key (or none).
    pub async fn post_with_key(&self, uri: &str, key: Option<&str>, body: &Value) -> Reply {
        self.send(post_request(uri, "application/json", key, body.to_string()))
            .await
    }

    /// How many issues are stored, by the metrics endpoint.
    pub async fn issue_count(&self) -> i64 {
        let metrics: Value = self.get("/api/v1/metrics").await.json();
        metrics["issues_collected"].as_i64().expect("count")
    }
}

/// A fresh idempotency key (a UUID, unique within the test run).
pub fn fresh_key() -> String {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let pid = u64::from(std::process::id());
    format!("{:08x}-0000-4000-8000-{n:012x}", pid & 0xffff_ffff)
}

/// A POST request with an optional idempotency key.
pub fn post_request(
    uri: &str,
    content_type: &str,
    key: Option<&str>,
    body: impl Into<Body>,
) -> Request<Body> {
    let mut request = Request::builder()
        .method(Method::POST)
        .uri(uri)
        .header(header::CONTENT_TYPE, content_type);
    if let Some(key) = key {
        request = request.header("idempotency-key", key);
    }
    request.body(body.into()).expect("request")
}
