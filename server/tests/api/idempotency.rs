//! Idempotency keys: required on every POST, replaying the first answer.

use serde_json::json;

use crate::support::{TestApp, fresh_key};

fn issue() -> serde_json::Value {
    json!({"fill_ms": 5000, "category": "parking", "description": "小区门口违章停车严重", "place": "柳园街道"})
}

async fn posts_without_a_uuid_key_give_400_and_store_nothing() {
    let app = TestApp::seeded().await;
    let before = app.issue_count().await;
    for key in [None, Some("not-a-uuid"), Some("")] {
        let body = app
            .post_with_key("/api/v1/issues", key, &issue())
            .await
            .problem(400);
        assert_eq!(body["type"], "/problems/idempotency-key-missing");
    }
    app.post_with_key("/api/v1/ratings", None, &json!({"level": "satisfied"}))
        .await
        .problem(400);
    app.post_with_key("/api/v1/votes", None, &json!({"topic": "parking"}))
        .await
        .problem(400);
    assert_eq!(app.issue_count().await, before);
}

async fn same_key_and_body_replays_the_first_receipt_without_a_new_row() {
    let app = TestApp::seeded().await;
    let before = app.issue_count().await;
    let key = fresh_key();
    let first = app
        .post_with_key("/api/v1/issues", Some(&key), &issue())
        .await;
    assert_eq!(first.status.as_u16(), 201);
    let again = app
        .post_with_key("/api/v1/issues", Some(&key.to_uppercase()), &issue())
        .await;
    assert_eq!(again.status.as_u16(), 201);
    assert_eq!(again.body, first.body);
    assert_eq!(again.headers["idempotent-replayed"], "true");
    assert_eq!(app.issue_count().await, before + 1);
}

async fn same_key_with_another_body_gives_422() {
    let app = TestApp::seeded().await;
    let key = fresh_key();
    let first = app
        .post_with_key("/api/v1/issues", Some(&key), &issue())
        .await;
    assert_eq!(first.status.as_u16(), 201);
    let mut other = issue();
    other["place"] = json!("湖西街道");
    let body = app
        .post_with_key("/api/v1/issues", Some(&key), &other)
        .await
        .problem(422);
    assert_eq!(body["type"], "/problems/idempotency-key-reused");
    let elsewhere = app
        .post_with_key(
            "/api/v1/ratings",
            Some(&key),
            &json!({"level": "satisfied"}),
        )
        .await;
    elsewhere.problem(422);
}

async fn a_rejected_request_does_not_use_up_its_key() {
    let app = TestApp::seeded().await;
    let key = fresh_key();
    let mut bad = issue();
    bad["description"] = json!("");
    app.post_with_key("/api/v1/issues", Some(&key), &bad)
        .await
        .problem(422);
    let good = app
        .post_with_key("/api/v1/issues", Some(&key), &issue())
        .await;
    assert_eq!(good.status.as_u16(), 201);
}

async fn concurrent_retries_with_one_key_store_one_rating() {
    let app = TestApp::seeded().await;
    let before: omk_api::Metrics = app.get("/api/v1/metrics").await.json();
    let key = fresh_key();
    let body = json!({"level": "satisfied", "tags": ["fast"]});
    let tasks: Vec<_> = (0..20)
        .map(|_| {
            let router = app.router.clone();
            let request = crate::support::post_request(
                "/api/v1/ratings",
                "application/json",
                Some(&key),
                body.to_string(),
            );
            tokio::spawn(async move {
                use tower::ServiceExt;
                router.oneshot(request).await.map(|r| r.status().as_u16())
            })
        })
        .collect();
    for task in tasks {
        let status = task.await.expect("task").expect("response");
        assert!(status == 201 || status == 409, "status {status}");
    }
    let after: omk_api::Metrics = app.get("/api/v1/metrics").await.json();
    assert_eq!(after.ratings_total, before.ratings_total + 1);
}

crate::on_every_backend!(
    posts_without_a_uuid_key_give_400_and_store_nothing,
    same_key_and_body_replays_the_first_receipt_without_a_new_row,
    same_key_with_another_body_gives_422,
    a_rejected_request_does_not_use_up_its_key,
    concurrent_retries_with_one_key_store_one_rating,
);
