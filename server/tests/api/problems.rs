//! Bad input: each gets the right 4xx as problem+json and changes nothing.

use axum::body::Body;
use axum::http::{Request, header};
use serde_json::json;

use crate::support::TestApp;

fn valid_issue() -> serde_json::Value {
    json!({"fill_ms": 5000, "category": "parking", "description": "小区门口违章停车严重", "place": "柳园街道"})
}

async fn empty_description_gives_422_with_the_field_and_stores_nothing() {
    let app = TestApp::seeded().await;
    let before = app.issue_count().await;
    let mut issue = valid_issue();
    issue["description"] = json!("   ");
    let body = app.post_json("/api/v1/issues", &issue).await.problem(422);
    assert_eq!(body["type"], "/problems/validation");
    assert_eq!(body["errors"][0]["field"], "description");
    assert_eq!(body["errors"][0]["code"], "required");
    assert_eq!(body["errors"][0]["message"], "此项必须填写");
    assert_eq!(app.issue_count().await, before);
}

async fn unknown_category_gives_422_on_the_category_field() {
    let app = TestApp::seeded().await;
    let before = app.issue_count().await;
    let mut issue = valid_issue();
    issue["category"] = json!("martian_landing");
    let body = app.post_json("/api/v1/issues", &issue).await.problem(422);
    assert_eq!(body["errors"][0]["field"], "category");
    assert_eq!(body["errors"][0]["code"], "unknown_category");
    assert_eq!(app.issue_count().await, before);
}

async fn oversized_body_gives_413() {
    let app = TestApp::seeded().await;
    let before = app.issue_count().await;
    let mut issue = valid_issue();
    issue["description"] = json!("停".repeat(40_000));
    app.post_json("/api/v1/issues", &issue).await.problem(413);
    assert_eq!(app.issue_count().await, before);
}

async fn broken_json_gives_400_malformed() {
    let app = TestApp::seeded().await;
    let before = app.issue_count().await;
    let body = app
        .post_raw("/api/v1/issues", "application/json", "{\"category\": ")
        .await
        .problem(400);
    assert_eq!(body["type"], "/problems/malformed");
    let wrong_shape = app
        .post_json("/api/v1/issues", &json!({"fill_ms": 5000, "category": 5}))
        .await
        .problem(400);
    assert_eq!(wrong_shape["type"], "/problems/malformed");
    assert_eq!(app.issue_count().await, before);
}

async fn wrong_content_type_gives_415() {
    let app = TestApp::seeded().await;
    let before = app.issue_count().await;
    app.post_raw("/api/v1/issues", "text/plain", valid_issue().to_string())
        .await
        .problem(415);
    assert_eq!(app.issue_count().await, before);
}

async fn problems_speak_the_accept_language() {
    let app = TestApp::seeded().await;
    let mut issue = valid_issue();
    issue["description"] = json!("");
    let reply = app
        .send({
            let mut request = crate::support::post_request(
                "/api/v1/issues",
                "application/json",
                Some(&crate::support::fresh_key()),
                issue.to_string(),
            );
            request.headers_mut().insert(
                header::ACCEPT_LANGUAGE,
                "en-GB,en;q=0.9".parse().expect("header"),
            );
            request
        })
        .await;
    let body = reply.problem(422);
    assert_eq!(body["title"], "The submission has errors");
    assert_eq!(body["errors"][0]["message"], "This field is required");
}

async fn unknown_api_paths_and_methods_are_problems() {
    let app = TestApp::seeded().await;
    app.get("/api/v1/nothing-here").await.problem(404);
    app.get("/api/v2/events").await.problem(404);
    let reply = app
        .send(
            Request::delete("/api/v1/events")
                .body(Body::empty())
                .expect("request"),
        )
        .await;
    reply.problem(405);
}

async fn bad_ratings_and_votes_give_422() {
    let app = TestApp::seeded().await;
    let tag = app
        .post_json(
            "/api/v1/ratings",
            &json!({"level": "satisfied", "tags": ["bribe"]}),
        )
        .await
        .problem(422);
    assert_eq!(tag["errors"][0]["code"], "unknown_tag");
    let unit = app
        .post_json(
            "/api/v1/ratings",
            &json!({"level": "satisfied", "unit": "火星局"}),
        )
        .await
        .problem(422);
    assert_eq!(unit["errors"][0]["field"], "unit");
    let level = app
        .post_json("/api/v1/ratings", &json!({"level": "ecstatic"}))
        .await
        .problem(400);
    assert_eq!(level["type"], "/problems/malformed");
    let vote = app
        .post_json("/api/v1/votes", &json!({"topic": "moon_base"}))
        .await
        .problem(422);
    assert_eq!(vote["errors"][0]["code"], "unknown_topic");
}

async fn health_and_readiness_answer_200() {
    let app = TestApp::seeded().await;
    assert_eq!(app.get("/healthz").await.status.as_u16(), 200);
    assert_eq!(app.get("/readyz").await.status.as_u16(), 200);
}

crate::on_every_backend!(
    empty_description_gives_422_with_the_field_and_stores_nothing,
    unknown_category_gives_422_on_the_category_field,
    oversized_body_gives_413,
    broken_json_gives_400_malformed,
    wrong_content_type_gives_415,
    problems_speak_the_accept_language,
    unknown_api_paths_and_methods_are_problems,
    bad_ratings_and_votes_give_422,
    health_and_readiness_answer_200,
);
