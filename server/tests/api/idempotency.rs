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

/// An issue with a visitor's name and phone.
fn issue_with_contact(phone: &str) -> serde_json::Value {
    let mut body = issue();
    body["name"] = json!("欧阳紫萱");
    body["phone"] = json!(phone);
    body["consent"] = json!(true);
    body
}

/// What a key was claimed with, as stored.
async fn claimed_with(app: &TestApp, key: &str) -> String {
    sqlx::query_scalar("SELECT request_hash FROM idempotency_keys WHERE key = $1")
        .bind(key.to_owned())
        .fetch_one(app.state.db.pool())
        .await
        .expect("the claim")
}

/// A key's claim holds nothing derived from a name or phone once they are erased (two
/// submissions that differ only in the phone leave the same claim), yet a retry with the
/// same key and body still replays the receipt, and never stores the contact again.
async fn erasure_leaves_no_trace_of_the_contact_in_the_claims() {
    let app = TestApp::empty_with_categories(&["parking"]).await;
    let (key, other_key) = (fresh_key(), fresh_key());
    let mine = issue_with_contact("13971528463");
    let first = app.post_with_key("/api/v1/issues", Some(&key), &mine).await;
    assert_eq!(first.status.as_u16(), 201, "{}", first.text());
    let other = app
        .post_with_key(
            "/api/v1/issues",
            Some(&other_key),
            &issue_with_contact("13962840175"),
        )
        .await;
    assert_eq!(other.status.as_u16(), 201, "{}", other.text());
    // Before erasure, another phone under the same key is another request.
    let body = app
        .post_with_key(
            "/api/v1/issues",
            Some(&key),
            &issue_with_contact("13950617394"),
        )
        .await
        .problem(422);
    assert_eq!(body["type"], "/problems/idempotency-key-reused");
    assert_ne!(
        claimed_with(&app, &key).await,
        claimed_with(&app, &other_key).await
    );

    let before = app.issue_count().await;
    for reply in [&first, &other] {
        let tracking_no = reply.json::<omk_api::IssueReceipt>().tracking_no;
        let erased =
            omk_server::privacy::erase(&app.state.db, &tracking_no, "cli", app.state.clock.now())
                .await
                .expect("erase");
        assert!(erased);
    }
    assert_eq!(
        claimed_with(&app, &key).await,
        claimed_with(&app, &other_key).await
    );

    let again = app.post_with_key("/api/v1/issues", Some(&key), &mine).await;
    assert_eq!(again.status.as_u16(), 201, "{}", again.text());
    assert_eq!(again.headers["idempotent-replayed"], "true");
    assert_eq!(again.body, first.body);
    assert_eq!(app.issue_count().await, before);
    let phones: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM issues WHERE phone IS NOT NULL")
        .fetch_one(app.state.db.pool())
        .await
        .expect("count");
    assert_eq!(phones, 0);
    // Without contact details the same key is still another request.
    app.post_with_key("/api/v1/issues", Some(&key), &issue())
        .await
        .problem(422);
}

crate::on_every_backend!(
    erasure_leaves_no_trace_of_the_contact_in_the_claims,
    posts_without_a_uuid_key_give_400_and_store_nothing,
    same_key_and_body_replays_the_first_receipt_without_a_new_row,
    same_key_with_another_body_gives_422,
    a_rejected_request_does_not_use_up_its_key,
    concurrent_retries_with_one_key_store_one_rating,
);
