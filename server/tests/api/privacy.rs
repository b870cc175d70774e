//! A visitor's name and phone are kept no longer than needed: erased a set time after the
//! issue is settled, or at once on request, leaving the issue itself in place.

use omk_api::{IssueReceipt, IssueStatus, IssueStatusView};
use omk_server::db::Backend as DbBackend;
use omk_server::privacy::purge_contacts;
use serde_json::json;
use sqlx::Row;

use crate::support::tables::stored_rows;
use crate::support::{TestApp, fresh_key, run_binary, unix_now};

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
    app.move_issue(&settled, &resolved).await;

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
    let erased = run_binary(&app.database_url, &["erase", &mine.to_lowercase()]).await;
    assert!(
        erased.status.success(),
        "{}",
        String::from_utf8_lossy(&erased.stderr)
    );
    assert_eq!(contact(&app, &mine).await, (None, None));
    assert_eq!(contact(&app, &theirs).await.0.as_deref(), Some("李建国"));
    let unknown = run_binary(&app.database_url, &["erase", "OM-0000-0000"]).await;
    assert!(!unknown.status.success());
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("no issue has the number"));
    let purge = run_binary(&app.database_url, &["purge"]).await;
    assert!(purge.status.success());
    assert_eq!(
        String::from_utf8_lossy(&purge.stdout),
        "erased the contact details of 0 settled issue(s)\n"
    );
}

/// Files an issue through the widget's path (an `Idempotency-Key` with the body) with this
/// name and phone; returns its tracking number. Its description is long, as a detailed
/// complaint is: the row then spills over into pages of its own, which the erasure frees.
async fn filed_by_a_visitor(app: &TestApp, name: &str, phone: &str) -> String {
    let description = "小区门口违章停车严重，早晚高峰车辆无法通行。".repeat(90);
    let body = json!({"fill_ms": 5000, "category": "parking", "description": description,
                      "place": "柳园街道", "name": name, "phone": phone, "consent": true});
    let reply = app
        .post_with_key("/api/v1/issues", Some(&fresh_key()), &body)
        .await;
    assert_eq!(reply.status.as_u16(), 201, "{}", reply.text());
    reply.json::<IssueReceipt>().tracking_no
}

/// The files of a SQLite database: the database, its write-ahead log and its shared
/// memory index, those that exist.
pub(crate) fn sqlite_files(database_url: &str) -> Vec<(String, Vec<u8>)> {
    let path = database_url
        .trim_start_matches("sqlite://")
        .split('?')
        .next()
        .unwrap_or_default()
        .to_owned();
    let mut files = Vec::new();
    for file in [path.clone(), format!("{path}-wal"), format!("{path}-shm")] {
        if let Ok(bytes) = std::fs::read(&file) {
            files.push((file, bytes));
        }
    }
    assert!(!files.is_empty(), "no database file at {path}");
    files
}

pub(crate) fn contains_bytes(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// Asserts that none of `gone` is stored anywhere, while `kept` is found (so the search
/// finds what is there): in every column of every table (`table`, which holds them, among
/// them) and, on SQLite, in the bytes of every file of the database. On PostgreSQL, where
/// old row versions are out of reach of SQL, the erasures so far must each have vacuumed
/// `table` and the idempotency claims.
pub(crate) async fn nowhere_but_kept(
    app: &TestApp,
    table: &str,
    gone: &[&str],
    kept: &[&str],
    erasures: i64,
) {
    let values: Vec<(String, String)> = stored_rows(app)
        .await
        .into_iter()
        .flat_map(|(table, rows)| rows.into_iter().map(move |row| (table.clone(), row)))
        .collect();
    assert!(
        values.iter().any(|(read, _)| read == table),
        "the dump read {table}"
    );
    for (at, value) in &values {
        for needle in gone {
            assert!(
                !value.contains(needle),
                "{needle} is still in {at}: {value}"
            );
        }
    }
    for needle in kept {
        assert!(
            values.iter().any(|(_, value)| value.contains(needle)),
            "the search finds {needle}, which is kept"
        );
    }
    match app.state.db.backend() {
        DbBackend::Sqlite => {
            let files = sqlite_files(&app.database_url);
            for (file, bytes) in &files {
                for needle in gone {
                    assert!(
                        !contains_bytes(bytes, needle.as_bytes()),
                        "{needle} is still in the bytes of {file}"
                    );
                }
            }
            for needle in kept {
                assert!(
                    files
                        .iter()
                        .any(|(_, bytes)| contains_bytes(bytes, needle.as_bytes())),
                    "the byte search finds {needle}, which is kept"
                );
            }
        }
        DbBackend::Postgres => {
            let statistics = format!(
                "SELECT vacuum_count FROM pg_stat_user_tables \
                 WHERE relname IN ('{table}', 'idempotency_keys') ORDER BY relname"
            );
            let vacuums: Vec<i64> = sqlx::query_scalar(sqlx::AssertSqlSafe(statistics))
                .fetch_all(app.state.db.pool())
                .await
                .expect("statistics");
            assert_eq!(vacuums.len(), 2);
            assert!(
                vacuums.iter().all(|&n| n >= erasures),
                "vacuums after {erasures} erasure(s): {vacuums:?}"
            );
        }
    }
}

/// Asserts the audit log's contact erasures, newest first: each one's code, actor and
/// detail.
pub(crate) async fn assert_erasures(app: &TestApp, expected: &[(&str, &str, &str)]) {
    let audit: omk_api::AuditPage = app
        .admin(
            axum::http::Method::GET,
            "/api/v1/admin/audit?action=contact_erased",
            None,
        )
        .await
        .json();
    let erasures: Vec<(Option<&str>, &str, &str)> = audit
        .items
        .iter()
        .map(|e| (e.issue.as_deref(), e.actor.as_str(), e.detail.as_str()))
        .collect();
    let expected: Vec<(Option<&str>, &str, &str)> = expected
        .iter()
        .map(|&(code, actor, detail)| (Some(code), actor, detail))
        .collect();
    assert_eq!(erasures, expected);
}

/// After `omk-server erase`, and after the retention purge, a visitor's name and phone are
/// nowhere in the database: in no column of any table, and on SQLite not in the bytes of
/// the database file, its write-ahead log or its index (freed space is zeroed and the log
/// emptied). On PostgreSQL each erasure vacuums the tables it changed.
async fn an_erased_visitor_is_in_no_table_and_no_file() {
    let app = TestApp::empty_with_categories(&["parking"]).await;
    let on_request = ["欧阳紫萱Quillfeather", "13971528463"];
    let by_retention = ["司马青岚Thistlewood", "13962840175"];
    let kept = ["诸葛明远Bramblecote", "13950617394"];
    let erased_now = filed_by_a_visitor(&app, on_request[0], on_request[1]).await;
    let settled = filed_by_a_visitor(&app, by_retention[0], by_retention[1]).await;
    let open = filed_by_a_visitor(&app, kept[0], kept[1]).await;
    let resolved = json!({"status": "resolved", "answer": "已清理"});
    app.move_issue(&settled, &resolved).await;

    let erased = run_binary(&app.database_url, &["erase", &erased_now]).await;
    assert!(
        erased.status.success(),
        "{}",
        String::from_utf8_lossy(&erased.stderr)
    );
    assert_eq!(contact(&app, &erased_now).await, (None, None));
    nowhere_but_kept(
        &app,
        "issues",
        &on_request,
        &[kept, by_retention].concat(),
        1,
    )
    .await;

    let later = app.state.clock.now() + 181 * 86_400;
    let purged = purge_contacts(&app.state.db, later, 180, omk_server::auth::SYSTEM_ACTOR)
        .await
        .expect("purge");
    assert_eq!(purged, 1);
    assert_eq!(contact(&app, &settled).await, (None, None));
    nowhere_but_kept(
        &app,
        "issues",
        &[on_request, by_retention].concat(),
        &kept,
        2,
    )
    .await;
    assert_eq!(
        contact(&app, &open).await,
        (Some(kept[0].into()), Some(kept[1].into()))
    );
}

crate::on_every_backend!(an_erased_visitor_is_in_no_table_and_no_file);
