//! A visitor's name and phone are kept no longer than needed: erased a set time after the
//! issue is settled, or at once on request, leaving the issue itself in place.

use axum::http::Method;
use omk_api::{IssueReceipt, IssueStatus, IssueStatusView};
use omk_server::privacy::purge_contacts;
use serde_json::json;
use sqlx::Row;

use crate::support::{TestApp, unix_now};

/// Files an issue with a name and phone (with consent); returns its tracking number.
async fn with_contact(app: &TestApp, name: &str) -> String {
    let reply = app
        .post_json(
            "/api/v1/issues",
            &json!({"fill_ms": 5000, "category": "parking", "description": "小区门口违章停车严重", "place": "柳园街道",
                    "name": name, "phone": "13800138000", "consent": true}),
        )
        .await;
    assert_eq!(reply.status.as_u16(), 201, "{}", reply.text());
    reply.json::<IssueReceipt>().tracking_no
}

/// The stored name and phone of an issue.
async fn contact(app: &TestApp, tracking_no: &str) -> (Option<String>, Option<String>) {
    let row = sqlx::query("SELECT name, phone FROM issues WHERE tracking_no = $1")
        .bind(tracking_no.to_owned())
        .fetch_one(app.state.db.pool())
        .await
        .expect("the issue");
    (
        row.try_get("name").expect("name"),
        row.try_get("phone").expect("phone"),
    )
}

async fn contact_details_go_once_the_issue_has_been_settled_long_enough() {
    let app = TestApp::empty_with_categories(&["parking"]).await;
    let settled = with_contact(&app, "王秀兰").await;
    let open = with_contact(&app, "李建国").await;
    let resolved = json!({"status": "resolved", "answer": "已清理"});
    let moved = app
        .admin(
            Method::POST,
            &format!("/api/v1/admin/issues/{settled}/status"),
            Some(&resolved),
        )
        .await;
    assert_eq!(moved.status.as_u16(), 200, "{}", moved.text());

    let now = unix_now();
    assert_eq!(
        purge_contacts(&app.state.db, now, 180, "system")
            .await
            .expect("purge"),
        0
    );
    assert_eq!(contact(&app, &settled).await.0.as_deref(), Some("王秀兰"));

    let later = now + 181 * 86_400;
    assert_eq!(
        purge_contacts(&app.state.db, later, 180, "system")
            .await
            .expect("purge"),
        1
    );
    assert_eq!(contact(&app, &settled).await, (None, None));
    assert_eq!(
        contact(&app, &open).await,
        (Some("李建国".into()), Some("13800138000".into()))
    );
    assert_eq!(
        purge_contacts(&app.state.db, later, 180, "system")
            .await
            .expect("purge"),
        0
    );
    let view: IssueStatusView = app.get(&format!("/api/v1/issues/{settled}")).await.json();
    assert_eq!(
        (view.status, view.answer.as_deref()),
        (IssueStatus::Resolved, Some("已清理"))
    );
}

crate::on_every_backend!(contact_details_go_once_the_issue_has_been_settled_long_enough);

/// `omk-server erase` on request, and `omk-server purge`, on the server's database.
#[tokio::test]
async fn one_visitor_s_contact_details_are_erased_on_request() {
    let app = TestApp::empty_with_categories(&["parking"]).await;
    let mine = with_contact(&app, "王秀兰").await;
    let theirs = with_contact(&app, "李建国").await;
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_omk-server"))
            .args(args)
            .env("DATABASE_URL", &app.database_url)
            .env("RUST_LOG", "warn")
            .output()
            .expect("the binary runs")
    };
    let erased = run(&["erase", &mine.to_lowercase()]);
    assert!(
        erased.status.success(),
        "{}",
        String::from_utf8_lossy(&erased.stderr)
    );
    assert_eq!(contact(&app, &mine).await, (None, None));
    assert_eq!(contact(&app, &theirs).await.0.as_deref(), Some("李建国"));
    let unknown = run(&["erase", "OM-0000-0000"]);
    assert!(!unknown.status.success());
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("no issue has the number"));
    let purge = run(&["purge"]);
    assert!(purge.status.success());
    assert_eq!(
        String::from_utf8_lossy(&purge.stdout),
        "erased the contact details of 0 settled issue(s)\n"
    );
}
