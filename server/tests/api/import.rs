//! Bulk program import, all or nothing: the admin route (CSV or JSON by
//! Content-Type) and the `import` and `export` commands of the binary.

use axum::body::Body;
use axum::http::{Request, header};
use omk_api::{EventPage, IssueReceipt};
use serde_json::{Value, json};

use crate::support::{Reply, TestApp, csv_rows, fresh_database_url, run_binary, unix_now};

const TOKEN: &str = "operator-secret-token-0123456789abcdef";

const GOOD_CSV: &str = "\u{feff}title,unit,district,theme,place,starts_at,ends_at,capacity,registration,summary\r\n\
走进市图书馆,聊城市文化和旅游局,东昌府区,走进机关,\"聊城市图书馆, 3 楼\",2026-09-01 09:30,2026-09-01 11:00,40,是,参观古籍修复室\r\n\
水质监测开放日,聊城市生态环境局,临清市,走进机关,临清市水质监测站,2026-09-02 09:00,2026-09-02 11:30,30,,\r\n";

const BAD_CSV: &str = "title,unit,district,theme,place,starts_at,ends_at,capacity\n\
走进市图书馆,聊城市文化和旅游局,东昌府区,走进机关,聊城市图书馆,2026-09-01 09:30,2026-09-01 11:00,40\n\
,聊城市生态环境局,临清市,走进机关,临清市水质监测站,明天上午,2026-09-02 11:30,30\n\
听证会,聊城市发展和改革委员会,东昌府区,听证会,市政务服务中心,2026-09-03 15:00,2026-09-03 14:00,100\n";

async fn import(app: &TestApp, content_type: &str, query: &str, body: &str) -> Reply {
    app.send(
        Request::post(format!("/api/v1/admin/events/import{query}"))
            .header(header::AUTHORIZATION, format!("Bearer {TOKEN}"))
            .header(header::CONTENT_TYPE, content_type)
            .body(Body::from(body.to_owned()))
            .expect("request"),
    )
    .await
}

async fn program_total(app: &TestApp) -> i64 {
    let page: EventPage = app.get("/api/v1/events?per_page=1").await.json();
    page.total
}

async fn a_csv_program_is_imported_whole() {
    let app = TestApp::configured(|c| c.operators.admin_token = Some(TOKEN.into())).await;
    let before = program_total(&app).await;
    let reply = import(&app, "text/csv; charset=utf-8", "", GOOD_CSV).await;
    assert_eq!(reply.status.as_u16(), 200, "{}", reply.text());
    let report: Value = reply.json();
    assert_eq!(report["imported"], 2);
    assert_eq!(report["cancelled"], 0);
    assert_eq!(program_total(&app).await, before + 2);
    let found: EventPage = app
        .get("/api/v1/events?q=%E5%9B%BE%E4%B9%A6%E9%A6%86&per_page=100")
        .await
        .json();
    let event = found
        .items
        .iter()
        .find(|e| e.title == "走进市图书馆")
        .expect("imported event");
    assert_eq!(event.place, "聊城市图书馆, 3 楼");
    // 2026-09-01 09:30 Beijing time is 01:30 UTC.
    assert_eq!(event.starts_at, 1_788_226_200);
    assert_eq!(event.ends_at, 1_788_231_600);
    assert_eq!(event.capacity, 40);
    assert!(event.registration);
}

async fn a_program_with_any_bad_line_writes_nothing_and_names_each_problem() {
    let app = TestApp::configured(|c| c.operators.admin_token = Some(TOKEN.into())).await;
    let before = program_total(&app).await;
    let reply = import(&app, "text/csv", "?replace=true", BAD_CSV).await;
    let body = reply.problem(422);
    let problems: Vec<(u64, &str, &str)> = body["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| {
            (
                e["line"].as_u64().unwrap_or(0),
                e["field"].as_str().unwrap_or(""),
                e["code"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        problems,
        vec![
            (3, "title", "required"),
            (3, "starts_at", "invalid_time"),
            (4, "ends_at", "invalid_value"),
        ]
    );
    assert!(
        body["errors"][1]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty())
    );
    assert_eq!(
        program_total(&app).await,
        before,
        "nothing written, nothing replaced"
    );
}

async fn a_json_program_replaces_the_old_one_when_asked() {
    let app = TestApp::configured(|c| c.operators.admin_token = Some(TOKEN.into())).await;
    let before = program_total(&app).await;
    let json = r#"[
      {"title": "走进市图书馆", "unit": "聊城市文化和旅游局", "district": "东昌府区",
       "theme": "走进机关", "place": "聊城市图书馆", "starts_at": "2026-09-01 09:30",
       "ends_at": "2026-09-01 11:00", "capacity": 40, "registration": true}
    ]"#;
    let reply = import(&app, "application/json", "?replace=true", json).await;
    assert_eq!(reply.status.as_u16(), 200, "{}", reply.text());
    let report: Value = reply.json();
    assert_eq!(report["imported"], 1);
    assert_eq!(report["cancelled"].as_i64(), Some(before));
    assert_eq!(program_total(&app).await, 1);

    let bad = json.replace(r#""capacity": 40"#, r#""capacity": -1"#);
    let body = import(&app, "application/json", "", &bad)
        .await
        .problem(422);
    assert_eq!(body["errors"][0]["line"], 2);
    assert_eq!(body["errors"][0]["field"], "capacity");
    assert_eq!(program_total(&app).await, 1);
}

async fn the_import_route_needs_the_token_and_a_csv_or_json_body() {
    let app = TestApp::configured(|c| c.operators.admin_token = Some(TOKEN.into())).await;
    let anonymous = app
        .send(
            Request::post("/api/v1/admin/events/import")
                .header(header::CONTENT_TYPE, "text/csv")
                .body(Body::from(GOOD_CSV))
                .expect("request"),
        )
        .await;
    anonymous.problem(401);
    import(&app, "text/plain", "", GOOD_CSV).await.problem(415);
    let body = import(&app, "application/json", "", "[{\"title\": ")
        .await
        .problem(422);
    assert_eq!(body["errors"][0]["code"], "unreadable");
    let header_only = "title,unit,district,theme,place,starts_at,ends_at,capacity\n";
    let body = import(&app, "text/csv", "", header_only).await.problem(422);
    assert_eq!(body["errors"][0]["code"], "no_rows");
}

crate::on_every_backend!(
    a_csv_program_is_imported_whole,
    a_program_with_any_bad_line_writes_nothing_and_names_each_problem,
    a_json_program_replaces_the_old_one_when_asked,
    the_import_route_needs_the_token_and_a_csv_or_json_body,
);

/// Runs the binary with `args` on `database_url`; exit status, stdout, stderr.
async fn omk_server(database_url: &str, args: &[&str]) -> (bool, String, String) {
    let output = run_binary(database_url, args).await;
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

async fn stored_events(database_url: &str) -> i64 {
    let db = omk_server::Db::connect(database_url)
        .await
        .expect("database");
    db.migrate().await.expect("migrated");
    let n = omk_server::db::events::count(&db).await.expect("count");
    db.close().await;
    n
}

async fn the_import_command_reports_bad_lines_and_writes_all_or_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = fresh_database_url(dir.path()).await;
    let bad = dir.path().join("program.csv");
    std::fs::write(&bad, BAD_CSV).expect("write");
    let (ok, _, stderr) = omk_server(&url, &["import", &bad.display().to_string()]).await;
    assert!(!ok, "a bad file fails");
    assert!(stderr.contains("nothing was written"), "{stderr}");
    assert!(
        stderr.contains("line 3, title: This field is required (required)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("line 3, starts_at: Not a date and time"),
        "{stderr}"
    );
    assert!(stderr.contains("line 4, ends_at:"), "{stderr}");
    assert_eq!(stored_events(&url).await, 0);

    let good = dir.path().join("program.csv");
    std::fs::write(&good, GOOD_CSV).expect("write");
    let (ok, stdout, stderr) = omk_server(&url, &["import", &good.display().to_string()]).await;
    assert!(ok, "{stderr}");
    assert!(stdout.contains("imported 2 events"), "{stdout}");
    assert_eq!(stored_events(&url).await, 2);
}

async fn the_export_command_writes_open_data_csv() {
    let app = TestApp::empty_with_categories(&["wages"]).await;
    let from = unix_now();
    let receipt: IssueReceipt = app
        .post_json(
            "/api/v1/issues",
            &json!({"fill_ms": 5000, "category": "wages", "description": "工地拖欠工资三个月", "place": "东城街道"}),
        )
        .await
        .json();
    let reply = app
        .post_json(
            "/api/v1/ratings",
            &json!({"level": "basically_satisfied", "tags": ["friendly"]}),
        )
        .await;
    assert_eq!(reply.status.as_u16(), 201, "{}", reply.text());
    let to = unix_now();
    let in_window = |cell: &str| cell.parse::<i64>().is_ok_and(|t| (from..=to).contains(&t));

    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("issues.csv");
    let (ok, _, stderr) = omk_server(
        &app.database_url,
        &["export", "issues", "--out", &out.display().to_string()],
    )
    .await;
    assert!(ok, "{stderr}");
    let text = std::fs::read_to_string(&out).expect("exported file");
    assert!(text.starts_with("\u{feff}tracking_no,category,status,created_at,updated_at\r\n"));
    let rows = csv_rows(&text);
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(
        rows[1][..3],
        [receipt.tracking_no.as_str(), "wages", "received"]
    );
    assert!(rows[1][3..].iter().all(|t| in_window(t)), "{rows:?}");

    let (ok, stdout, stderr) = omk_server(&app.database_url, &["export", "ratings"]).await;
    assert!(ok, "{stderr}");
    assert!(stdout.starts_with("\u{feff}created_at,unit,score,tags\r\n"));
    let rows = csv_rows(&stdout);
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(rows[1][1..], ["", "3", "friendly"]);
    assert!(in_window(&rows[1][0]), "{rows:?}");
}

crate::on_every_backend!(
    the_import_command_reports_bad_lines_and_writes_all_or_nothing,
    the_export_command_writes_open_data_csv,
);
