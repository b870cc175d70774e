//! Reference data kept by operators: the issue categories and the month's topics, through
//! the admin API and the CLI, on a database that starts empty as a city's does.

use axum::http::Method;
use omk_api::{AdminCategory, Category, IssueReceipt, IssueStatusView, Topic};
use serde_json::{Value, json};

use crate::support::{ADMIN_TOKEN, TestApp, binary};

/// A city's first day: no demo data, operators' API on.
async fn new_city() -> TestApp {
    TestApp::configured(|c| {
        c.demo = false;
        c.operators.admin_token = Some(ADMIN_TOKEN.into());
    })
    .await
}

fn issue(category: &str) -> Value {
    json!({"fill_ms": 5000, "category": category, "description": "小区门口违章停车，消防通道被堵", "place": "柳园街道"})
}

async fn categories_are_kept_by_operators_and_retiring_one_breaks_no_issue() {
    let app = new_city().await;
    let visible: Vec<Category> = app.get("/api/v1/categories").await.json();
    assert_eq!(visible, []);
    let refused = app
        .post_json("/api/v1/issues", &issue("parking"))
        .await
        .problem(422);
    assert_eq!(refused["errors"][0]["code"], "unknown_category");

    let parking = json!({"name_zh": " 停车难 ", "name_en": "Parking", "position": 2});
    let stored = app
        .admin(
            Method::PUT,
            "/api/v1/admin/categories/parking",
            Some(&parking),
        )
        .await;
    assert_eq!(stored.status.as_u16(), 200, "{}", stored.text());
    let garbage = json!({"name_zh": "垃圾分类", "name_en": "Garbage sorting", "position": 1});
    app.admin(
        Method::PUT,
        "/api/v1/admin/categories/garbage",
        Some(&garbage),
    )
    .await;
    let visible: Vec<Category> = app.get("/api/v1/categories").await.json();
    let names: Vec<(&str, &str)> = visible
        .iter()
        .map(|c| (c.id.as_str(), c.name_zh.as_str()))
        .collect();
    assert_eq!(names, [("garbage", "垃圾分类"), ("parking", "停车难")]);

    let reply = app.post_json("/api/v1/issues", &issue("parking")).await;
    assert_eq!(reply.status.as_u16(), 201, "{}", reply.text());
    let receipt: IssueReceipt = reply.json();

    // Retired: visitors no longer see it or file under it; the stored issue is intact.
    let retired =
        json!({"name_zh": "停车难", "name_en": "Parking", "position": 2, "active": false});
    app.admin(
        Method::PUT,
        "/api/v1/admin/categories/parking",
        Some(&retired),
    )
    .await;
    let visible: Vec<Category> = app.get("/api/v1/categories").await.json();
    assert_eq!(
        visible.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(),
        ["garbage"]
    );
    let refused = app
        .post_json("/api/v1/issues", &issue("parking"))
        .await
        .problem(422);
    assert_eq!(refused["errors"][0]["code"], "unknown_category");
    let all: Vec<AdminCategory> = app
        .admin(Method::GET, "/api/v1/admin/categories", None)
        .await
        .json();
    assert_eq!(
        all.iter()
            .map(|c| (c.id.as_str(), c.active))
            .collect::<Vec<_>>(),
        [("garbage", true), ("parking", false)]
    );
    let status: IssueStatusView = app
        .get(&format!("/api/v1/issues/{}", receipt.tracking_no))
        .await
        .json();
    assert_eq!(status.tracking_no, receipt.tracking_no);
    let export = app
        .admin(Method::GET, "/api/v1/admin/export/issues.csv", None)
        .await
        .text();
    assert!(export.lines().any(|l| l.contains(",parking,")), "{export}");
    assert_eq!(app.issue_count().await, 1);
}

async fn bad_categories_are_refused_in_words_and_change_nothing() {
    let app = new_city().await;
    let good = json!({"name_zh": "停车难", "name_en": "Parking"});
    let body = app
        .admin(
            Method::PUT,
            "/api/v1/admin/categories/Parking!",
            Some(&good),
        )
        .await
        .problem(422);
    assert_eq!(body["errors"][0]["field"], "id");
    let empty = json!({"name_zh": "  ", "name_en": "", "position": -3});
    let body = app
        .admin(
            Method::PUT,
            "/api/v1/admin/categories/parking",
            Some(&empty),
        )
        .await
        .problem(422);
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .map(|e| e.iter().filter_map(|e| e["field"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(fields, ["name_zh", "name_en", "position"]);
    assert_eq!(body["errors"][0]["message"], "此项必须填写");
    let anonymous = app
        .send(
            axum::http::Request::put("/api/v1/admin/categories/parking")
                .header("content-type", "application/json")
                .body(axum::body::Body::from(good.to_string()))
                .expect("a request"),
        )
        .await;
    anonymous.problem(401);
    let all: Vec<AdminCategory> = app
        .admin(Method::GET, "/api/v1/admin/categories", None)
        .await
        .json();
    assert_eq!(all, []);
}

async fn topics_are_set_by_operators_and_a_closed_vote_takes_no_votes() {
    let app = new_city().await;
    let topics: Vec<Topic> = app.get("/api/v1/topics").await.json();
    assert_eq!(topics, []);
    let parking = json!({"title_zh": "停车难", "title_en": "Parking", "position": 1});
    let stored: Topic = app
        .admin(Method::PUT, "/api/v1/admin/topics/parking", Some(&parking))
        .await
        .json();
    assert_eq!((stored.votes, stored.open), (0, true));
    let vote = json!({"topic": "parking"});
    let reply = app.post_json("/api/v1/votes", &vote).await;
    assert_eq!(reply.status.as_u16(), 201, "{}", reply.text());

    let closed = json!({"title_zh": "停车难", "title_en": "Parking", "position": 1, "open": false});
    let stored: Topic = app
        .admin(Method::PUT, "/api/v1/admin/topics/parking", Some(&closed))
        .await
        .json();
    assert_eq!((stored.votes, stored.open), (1, false));
    let refused = app.post_json("/api/v1/votes", &vote).await.problem(409);
    assert_eq!(refused["type"], "/problems/voting-closed");
    assert_eq!(refused["title"], "本题投票已结束");
    let topics: Vec<Topic> = app.get("/api/v1/topics").await.json();
    assert_eq!(
        topics
            .iter()
            .map(|t| (t.id.as_str(), t.votes, t.open))
            .collect::<Vec<_>>(),
        [("parking", 1, false)]
    );
    let bad = json!({"title_zh": "", "title_en": "Parking"});
    let body = app
        .admin(Method::PUT, "/api/v1/admin/topics/parking", Some(&bad))
        .await
        .problem(422);
    assert_eq!(body["errors"][0]["field"], "title_zh");
}

crate::on_every_backend!(
    categories_are_kept_by_operators_and_retiring_one_breaks_no_issue,
    bad_categories_are_refused_in_words_and_change_nothing,
    topics_are_set_by_operators_and_a_closed_vote_takes_no_votes,
);

/// `omk-server category` on a database file: what an operator does before the first kiosk
/// starts.
#[tokio::test]
async fn the_cli_sets_and_lists_categories_with_the_api_s_rules() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("omk.db").display());
    let run = |args: &[&str]| binary(&url).args(args).output().expect("the binary runs");
    let set = run(&[
        "category",
        "set",
        "wages",
        "--zh",
        "欠薪",
        "--en",
        "Wages owed",
        "--position",
        "3",
    ]);
    assert!(
        set.status.success(),
        "{}",
        String::from_utf8_lossy(&set.stderr)
    );
    let bad = run(&["category", "set", "wages", "--zh", "", "--en", "Wages owed"]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("name_zh (required)"));
    let retired = run(&[
        "category",
        "set",
        "old",
        "--zh",
        "旧",
        "--en",
        "Old",
        "--retired",
    ]);
    assert!(retired.status.success());
    let list = run(&["category", "list"]);
    assert_eq!(
        String::from_utf8_lossy(&list.stdout),
        "id\tname_zh\tname_en\tposition\tactive\tunit\nold\t旧\tOld\t0\tfalse\t\nwages\t欠薪\tWages owed\t3\ttrue\t\n"
    );
    let topic = run(&[
        "topic",
        "set",
        "garbage",
        "--zh",
        "垃圾分类",
        "--en",
        "Garbage sorting",
        "--closed",
    ]);
    assert!(
        topic.status.success(),
        "{}",
        String::from_utf8_lossy(&topic.stderr)
    );
    let bad = run(&[
        "topic",
        "set",
        "Garbage",
        "--zh",
        "垃圾分类",
        "--en",
        "Garbage sorting",
    ]);
    assert!(!bad.status.success());
    let list = run(&["topic", "list"]);
    assert_eq!(
        String::from_utf8_lossy(&list.stdout),
        "id\ttitle_zh\ttitle_en\tvotes\topen\ngarbage\t垃圾分类\tGarbage sorting\t0\tfalse\n"
    );
}
