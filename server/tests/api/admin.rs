//! The operators' API: the bearer token, moving issues, the program, exports.

use axum::body::Body;
use axum::http::{Method, Request, header};
use omk_api::{Event, IssueReceipt, IssueStatusView, Metrics};
use serde_json::{Value, json};

use crate::support::{Reply, TestApp, csv_rows, unix_now};

const TOKEN: &str = "operator-secret-token-0123456789abcdef";

async fn admin_app() -> TestApp {
    TestApp::configured(|c| c.operators.admin_token = Some(TOKEN.into())).await
}

async fn admin(app: &TestApp, method: Method, uri: &str, body: Option<Value>) -> Reply {
    let mut request = Request::builder()
        .method(method)
        .uri(uri)
        .header(header::AUTHORIZATION, format!("Bearer {TOKEN}"));
    if body.is_some() {
        request = request.header(header::CONTENT_TYPE, "application/json");
    }
    let body = body.map_or_else(Body::empty, |b| Body::from(b.to_string()));
    app.send(request.body(body).expect("request")).await
}

async fn every_admin_route_refuses_a_missing_or_wrong_token_with_401() {
    let app = admin_app().await;
    for uri in [
        "/api/v1/admin/issues",
        "/api/v1/admin/export/issues.csv",
        "/api/v1/admin/no-such-thing",
    ] {
        let reply = app.get(uri).await;
        reply.problem(401);
        assert_eq!(reply.headers["www-authenticate"], "Bearer");
        let wrong = app
            .send(
                Request::get(uri)
                    .header(header::AUTHORIZATION, "Bearer guess")
                    .body(Body::empty())
                    .expect("request"),
            )
            .await;
        wrong.problem(401);
    }
    let no_token_configured = TestApp::seeded().await;
    let reply = admin(
        &no_token_configured,
        Method::GET,
        "/api/v1/admin/issues",
        None,
    )
    .await;
    reply.problem(401);
}

async fn operators_answer_and_resolve_an_issue_and_the_figures_follow() {
    let app = admin_app().await;
    let receipt: IssueReceipt = app
        .post_json(
            "/api/v1/issues",
            &json!({"fill_ms": 5000, "category": "wages", "description": "工地拖欠工资三个月", "place": "东城街道",
                    "name": "李师傅", "phone": "13900139000", "consent": true}),
        )
        .await
        .json();
    let listed = admin(
        &app,
        Method::GET,
        "/api/v1/admin/issues?status=received",
        None,
    )
    .await;
    assert_eq!(listed.status.as_u16(), 200);
    let page: Value = listed.json();
    assert!(page["items"].as_array().is_some_and(|items| {
        items.iter().any(|i| {
            i["tracking_no"] == receipt.tracking_no.as_str()
                && i["has_contact"] == true
                && i.get("phone").is_none()
                && i.get("name").is_none()
        })
    }));
    let contact = admin(
        &app,
        Method::POST,
        &format!("/api/v1/admin/issues/{}/contact", receipt.tracking_no),
        None,
    )
    .await;
    assert_eq!(contact.status.as_u16(), 200, "{}", contact.text());
    let contact: Value = contact.json();
    assert_eq!(contact["phone"], "13900139000");
    assert_eq!(contact["name"], "李师傅");

    let before: Metrics = app.get("/api/v1/metrics").await.json();
    let uri = format!("/api/v1/admin/issues/{}/status", receipt.tracking_no);
    let moved = admin(
        &app,
        Method::POST,
        &uri,
        Some(json!({"status": "resolved", "answer": "已督促企业结清工资。"})),
    )
    .await;
    assert_eq!(moved.status.as_u16(), 200, "{}", moved.text());
    let view: IssueStatusView = app
        .get(&format!("/api/v1/issues/{}", receipt.tracking_no))
        .await
        .json();
    assert_eq!(view.answer.as_deref(), Some("已督促企业结清工资。"));
    let after: Metrics = app.get("/api/v1/metrics").await.json();
    assert_eq!(after.issues_solved, before.issues_solved + 1);

    let backwards = admin(
        &app,
        Method::POST,
        &uri,
        Some(json!({"status": "accepted"})),
    )
    .await;
    backwards.problem(422);
}

async fn operators_create_update_and_cancel_events() {
    let app = admin_app().await;
    let now = omk_server::clock::now();
    let input = json!({
        "title": "走进市图书馆", "unit": "聊城市文化和旅游局", "district": "东昌府区",
        "theme": "走进机关", "place": "聊城市图书馆", "starts_at": now + 86_400,
        "ends_at": now + 90_000, "capacity": 40, "summary": "参观古籍修复室。"
    });
    let created = admin(
        &app,
        Method::POST,
        "/api/v1/admin/events",
        Some(input.clone()),
    )
    .await;
    assert_eq!(created.status.as_u16(), 201, "{}", created.text());
    let event: Event = created.json();
    assert_eq!(event.capacity, 40);

    let mut changed = input.clone();
    changed["capacity"] = json!(60);
    let uri = format!("/api/v1/admin/events/{}", event.id);
    let updated: Event = admin(&app, Method::PUT, &uri, Some(changed)).await.json();
    assert_eq!(updated.capacity, 60);

    let mut invalid = input;
    invalid["ends_at"] = json!(now);
    admin(&app, Method::PUT, &uri, Some(invalid))
        .await
        .problem(422);

    let cancelled = admin(&app, Method::DELETE, &uri, None).await;
    assert_eq!(cancelled.status.as_u16(), 204);
    app.get(&format!("/api/v1/events/{}", event.id))
        .await
        .problem(404);
}

async fn the_issue_export_has_every_issue_and_no_personal_data() {
    let app = TestApp::empty_with_categories(&["parking", "garbage"]).await;
    let from = unix_now();
    let mut issues = Vec::new();
    for body in [
        json!({"fill_ms": 5000, "category": "parking", "description": "小区门口违章停车", "place": "柳园街道",
               "name": "赵阿姨", "phone": "13700137000", "consent": true}),
        json!({"fill_ms": 5000, "category": "garbage", "description": "垃圾桶满溢无人清运", "place": "湖西街道"}),
    ] {
        let receipt: IssueReceipt = app.post_json("/api/v1/issues", &body).await.json();
        issues.push(receipt.tracking_no);
    }
    app.move_issue(
        &issues[1],
        &json!({"status": "resolved", "answer": "已清运。"}),
    )
    .await;
    for body in [
        json!({"level": "very_satisfied", "tags": ["fast"]}),
        json!({"level": "dissatisfied"}),
    ] {
        let reply = app.post_json("/api/v1/ratings", &body).await;
        assert_eq!(reply.status.as_u16(), 201, "{}", reply.text());
    }
    let to = unix_now();
    let in_window = |cell: &str| cell.parse::<i64>().is_ok_and(|t| (from..=to).contains(&t));

    let reply = admin(&app, Method::GET, "/api/v1/admin/export/issues.csv", None).await;
    assert_eq!(reply.status.as_u16(), 200);
    assert!(reply.content_type().starts_with("text/csv"));
    let text = reply.text();
    assert!(!text.contains("赵阿姨") && !text.contains("13700137000"));
    assert!(!text.contains("违章停车") && !text.contains("已清运"));
    let rows = csv_rows(&text);
    assert_eq!(
        rows[0],
        [
            "tracking_no",
            "category",
            "status",
            "created_at",
            "updated_at"
        ]
    );
    let found: Vec<[&str; 3]> = rows[1..]
        .iter()
        .map(|r| {
            assert_eq!(r.len(), 5, "{r:?}");
            assert!(in_window(&r[3]) && in_window(&r[4]), "{r:?}");
            [r[0].as_str(), r[1].as_str(), r[2].as_str()]
        })
        .collect();
    assert_eq!(
        found,
        [
            [issues[0].as_str(), "parking", "received"],
            [issues[1].as_str(), "garbage", "resolved"],
        ]
    );

    let ratings = admin(&app, Method::GET, "/api/v1/admin/export/ratings.csv", None).await;
    assert_eq!(ratings.status.as_u16(), 200);
    let rows = csv_rows(&ratings.text());
    assert_eq!(rows[0], ["created_at", "unit", "score", "tags"]);
    let found: Vec<[&str; 3]> = rows[1..]
        .iter()
        .map(|r| {
            assert_eq!(r.len(), 4, "{r:?}");
            assert!(in_window(&r[0]), "{r:?}");
            [r[1].as_str(), r[2].as_str(), r[3].as_str()]
        })
        .collect();
    assert_eq!(found, [["", "5", "fast"], ["", "2", ""]]);
}

crate::on_every_backend!(
    every_admin_route_refuses_a_missing_or_wrong_token_with_401,
    operators_answer_and_resolve_an_issue_and_the_figures_follow,
    operators_create_update_and_cancel_events,
    the_issue_export_has_every_issue_and_no_personal_data,
);
