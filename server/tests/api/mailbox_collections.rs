//! Opinion collections: a draft only operators see, published, taking comments on its days
//! only, each comment public once a moderator publishes it, and the adopted note after it
//! closes; every refusal changes nothing.

use axum::http::Method;
use omk_api::{AdminCollection, Collection, CollectionDetail, CommentReceipt};
use serde_json::{Value, json};

use crate::mailbox::{as_operator, city, sign_in};
use crate::support::{Reply, TestApp};

/// 2026-09-03 00:00 and 2026-09-06 00:00 in Beijing: the first moment of the first day and
/// the first moment after the last day of a collection open 2026-09-03 to 2026-09-05.
const OPENS: i64 = 1_788_364_800;
const CLOSES: i64 = 1_788_624_000;

async fn admin(app: &TestApp, method: Method, uri: &str, body: Option<&Value>) -> Reply {
    app.admin(method, uri, body).await
}

async fn comment(app: &TestApp, id: i64, text: &str) -> Reply {
    app.post_json(
        &format!("/api/v1/consultations/{id}/comments"),
        &json!({"text": text}),
    )
    .await
}

async fn as_admin(app: &TestApp, id: i64) -> AdminCollection {
    let reply = admin(
        app,
        Method::GET,
        &format!("/api/v1/admin/consultations/{id}"),
        None,
    )
    .await;
    assert_eq!(reply.status.as_u16(), 200, "{}", reply.text());
    reply.json()
}

fn moved_to(app: &TestApp, at: i64) {
    app.state.clock.advance(at - app.state.clock.now());
}

async fn a_collection_takes_comments_on_its_days_and_shows_only_published_ones() {
    let app = city().await;
    let input = json!({"title": "老旧小区改造方案意见征集", "text": "请就柳园街道老旧小区改造方案提出意见。",
                       "opens_on": "2026-09-03", "closes_on": "2026-09-05"});
    let backwards =
        json!({"title": "x", "text": "y", "opens_on": "2026-09-05", "closes_on": "2026-09-03"});
    admin(
        &app,
        Method::POST,
        "/api/v1/admin/consultations",
        Some(&backwards),
    )
    .await
    .problem(422);

    // A unit operator neither drafts nor moderates: refused and audited.
    let li = sign_in(&app, "li").await;
    let before = audit_total(&app).await;
    as_operator(
        &app,
        &li,
        Method::POST,
        "/api/v1/admin/consultations",
        Some(&input),
    )
    .await
    .problem(403);
    assert_eq!(audit_total(&app).await, before + 1);

    let drafted = admin(
        &app,
        Method::POST,
        "/api/v1/admin/consultations",
        Some(&input),
    )
    .await;
    assert_eq!(drafted.status.as_u16(), 201, "{}", drafted.text());
    let drafted: AdminCollection = drafted.json();
    let id = drafted.collection.id;
    assert_eq!(
        (
            drafted.collection.state.message_key(),
            drafted.collection.opens_on.as_str(),
            drafted.collection.closes_on.as_str()
        ),
        ("collection.state.draft", "2026-09-03", "2026-09-05")
    );
    // The public sees no draft.
    let listed: Vec<Collection> = app.get("/api/v1/consultations").await.json();
    assert!(listed.is_empty());
    app.get(&format!("/api/v1/consultations/{id}"))
        .await
        .problem(404);
    comment(&app, id, "建议加装电梯。").await.problem(404);
    let edited = json!({"title": "老旧小区改造意见征集", "text": "请就改造方案提出意见。",
                        "opens_on": "2026-09-03", "closes_on": "2026-09-05"});
    let saved = admin(
        &app,
        Method::PUT,
        &format!("/api/v1/admin/consultations/{id}"),
        Some(&edited),
    )
    .await;
    assert_eq!(saved.status.as_u16(), 200, "{}", saved.text());

    let published = admin(
        &app,
        Method::POST,
        &format!("/api/v1/admin/consultations/{id}/publication"),
        None,
    )
    .await;
    assert_eq!(published.status.as_u16(), 200, "{}", published.text());
    let before = as_admin(&app, id).await;
    admin(
        &app,
        Method::POST,
        &format!("/api/v1/admin/consultations/{id}/publication"),
        None,
    )
    .await
    .problem(409);
    admin(
        &app,
        Method::PUT,
        &format!("/api/v1/admin/consultations/{id}"),
        Some(&input),
    )
    .await
    .problem(409);
    assert_eq!(as_admin(&app, id).await, before);
    let listed: Vec<Collection> = app.get("/api/v1/consultations").await.json();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].state.message_key(), "collection.state.upcoming");
    assert_eq!(listed[0].title, "老旧小区改造意见征集");

    // Not open yet, then open from its first day's first moment.
    let early = comment(&app, id, "建议加装电梯。").await;
    assert_eq!(early.problem(409)["type"], "/problems/collection-closed");
    moved_to(&app, OPENS);
    let first: CommentReceipt = comment(&app, id, "建议加装电梯，方便老人上下楼。")
        .await
        .json();
    let second: CommentReceipt = comment(&app, id, "这条留言含有不当内容。").await.json();
    assert_eq!(first.state.as_str(), "pending");
    comment(&app, id, &"字".repeat(601)).await.problem(422);
    comment(&app, id, "   ").await.problem(422);
    comment(&app, 999_999, "建议加装电梯。").await.problem(404);
    let detail: CollectionDetail = app.get(&format!("/api/v1/consultations/{id}")).await.json();
    assert!(
        detail.comments.is_empty(),
        "pending comments are not public"
    );

    // A moderator decides each comment once.
    let moderate = |comment: i64, state: &str| {
        let uri = format!("/api/v1/admin/consultations/{id}/comments/{comment}/moderation");
        let body = json!({"state": state});
        let app = &app;
        async move { app.admin(Method::POST, &uri, Some(&body)).await }
    };
    let before = as_admin(&app, id).await;
    moderate(first.id, "pending").await.problem(422);
    moderate(first.id + 1000, "published").await.problem(404);
    assert_eq!(as_admin(&app, id).await, before);
    assert_eq!(moderate(first.id, "published").await.status.as_u16(), 200);
    assert_eq!(moderate(second.id, "rejected").await.status.as_u16(), 200);
    let before = as_admin(&app, id).await;
    moderate(second.id, "published").await.problem(409);
    assert_eq!(as_admin(&app, id).await, before);
    let seen = app.get(&format!("/api/v1/consultations/{id}")).await;
    let detail: CollectionDetail = seen.json();
    assert_eq!(
        detail
            .comments
            .iter()
            .map(|c| c.text.as_str())
            .collect::<Vec<_>>(),
        ["建议加装电梯，方便老人上下楼。"]
    );
    assert!(!seen.text().contains("不当内容"));
    assert_eq!(detail.collection.comments_published, 1);

    // The note waits for the close; the last moment of the last day still takes comments.
    let note = json!({"note": "采纳加装电梯建议，列入明年改造计划。"});
    admin(
        &app,
        Method::POST,
        &format!("/api/v1/admin/consultations/{id}/note"),
        Some(&note),
    )
    .await
    .problem(409);
    moved_to(&app, CLOSES - 1);
    assert_eq!(
        comment(&app, id, "希望尽快施工。").await.status.as_u16(),
        201
    );
    moved_to(&app, CLOSES);
    comment(&app, id, "希望尽快施工。").await.problem(409);
    let noted = admin(
        &app,
        Method::POST,
        &format!("/api/v1/admin/consultations/{id}/note"),
        Some(&note),
    )
    .await;
    assert_eq!(noted.status.as_u16(), 200, "{}", noted.text());
    admin(
        &app,
        Method::POST,
        &format!("/api/v1/admin/consultations/{id}/note"),
        Some(&json!({"note": "改"})),
    )
    .await
    .problem(409);
    let listed: Vec<Collection> = app.get("/api/v1/consultations").await.json();
    assert_eq!(listed[0].state.message_key(), "collection.state.closed");
    assert_eq!(
        listed[0].adopted_note.as_deref(),
        Some("采纳加装电梯建议，列入明年改造计划。")
    );
    assert_eq!(as_admin(&app, id).await.comments.len(), 3);
}

async fn audit_total(app: &TestApp) -> i64 {
    let reply = app.admin(Method::GET, "/api/v1/admin/audit", None).await;
    reply.json::<Value>()["total"].as_i64().expect("a total")
}

crate::on_every_backend!(a_collection_takes_comments_on_its_days_and_shows_only_published_ones);
