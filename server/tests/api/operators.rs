//! Operators at work: accounts and sessions (cookie, CSRF token, expiry, sign-out,
//! back-off), roles (a unit operator reaches only their unit's issues), routing,
//! moderation, contact views, deadlines, the audit log, and a city set up from nothing.

use axum::body::Body;
use axum::http::{Method, Request, header};
use omk_api::{
    AuditPage, Breakdown, InboxPage, IssueDetail, IssueReceipt, IssueStatusView, Overdue, Session,
};
use serde_json::{Value, json};

use crate::support::session::{PASSWORD, Signed, add_operator, as_operator, sign_in, try_sign_in};
use crate::support::{TestApp, binary};

/// An empty city with two units, a category routed to each, and an operator of each unit
/// (`li` of housing, `wang` of urban) and an admin (`chief`), made through the admin API.
pub(crate) async fn city() -> TestApp {
    let app = TestApp::empty_with_categories(&[]).await;
    for (id, zh, en) in [
        ("housing", "住建局", "Housing Bureau"),
        ("urban", "城管局", "Urban Management"),
    ] {
        let reply = app
            .admin(
                Method::PUT,
                &format!("/api/v1/admin/units/{id}"),
                Some(&json!({"name_zh": zh, "name_en": en})),
            )
            .await;
        assert_eq!(reply.status.as_u16(), 200, "{}", reply.text());
    }
    for (id, unit) in [("building", "housing"), ("parking", "urban")] {
        let reply = app
            .admin(
                Method::PUT,
                &format!("/api/v1/admin/categories/{id}"),
                Some(&json!({"name_zh": id, "name_en": id, "unit": unit})),
            )
            .await;
        assert_eq!(reply.status.as_u16(), 200, "{}", reply.text());
    }
    add_operator(&app, "li", Some("housing")).await;
    add_operator(&app, "wang", Some("urban")).await;
    add_operator(&app, "chief", None).await;
    app
}

pub(crate) async fn submit(app: &TestApp, category: &str) -> String {
    let reply = app
        .post_json(
            "/api/v1/issues",
            &json!({"fill_ms": 5000, "category": category, "description": "楼道灯坏了一个月", "place": "柳园街道",
                    "name": "王秀兰", "phone": "13800138000", "consent": true}),
        )
        .await;
    assert_eq!(reply.status.as_u16(), 201, "{}", reply.text());
    reply.json::<IssueReceipt>().tracking_no
}

async fn sign_in_sets_a_strict_http_only_cookie_and_hands_out_a_csrf_token() {
    let app = city().await;
    let reply = try_sign_in(&app, "li", PASSWORD).await;
    assert_eq!(reply.status.as_u16(), 200, "{}", reply.text());
    let cookie = reply.headers[header::SET_COOKIE].to_str().expect("ascii");
    for part in [
        "omk_session=",
        "HttpOnly",
        "SameSite=Strict",
        "Path=/api/v1",
    ] {
        assert!(cookie.contains(part), "{cookie}");
    }
    assert_eq!(reply.headers[header::CACHE_CONTROL], "no-store");
    let session: Session = reply.json();
    assert_eq!(session.operator.login, "li");
    assert_eq!(session.operator.unit.as_deref(), Some("housing"));
    assert_eq!(session.csrf_token.len(), 64);

    let li = Signed::from_reply(&reply);
    let again = as_operator(&app, &li, Method::GET, "/api/v1/session", None, false).await;
    assert_eq!(again.json::<Session>(), session);
    let accounts = app
        .admin(Method::GET, "/api/v1/admin/operators", None)
        .await;
    assert!(
        !accounts.text().contains("argon2"),
        "no hash leaves the server"
    );
}

async fn wrong_credentials_are_one_answer_and_a_burst_backs_off_even_the_right_password() {
    let app = city().await;
    let unknown = try_sign_in(&app, "nobody", PASSWORD).await;
    let wrong = try_sign_in(&app, "li", "not the password").await;
    assert_eq!(unknown.problem(401)["type"], wrong.problem(401)["type"]);
    for _ in 0..2 {
        try_sign_in(&app, "li", "not the password")
            .await
            .problem(401);
    }
    // Four failures from this client: every attempt now waits, whatever the password. The
    // clock goes back a minute, so the wall clock cannot end the one-second wait first.
    app.state.clock.advance(-60);
    let refused = try_sign_in(&app, "li", PASSWORD).await;
    refused.problem(429);
    let wait: i64 = refused.headers[header::RETRY_AFTER]
        .to_str()
        .ok()
        .and_then(|v| v.parse().ok())
        .expect("Retry-After seconds");
    assert!(wait >= 60);
    app.state.clock.advance(wait);
    sign_in(&app, "li").await;
    let failures: AuditPage = app
        .admin(
            Method::GET,
            "/api/v1/admin/audit?action=sign_in_failed&actor=li",
            None,
        )
        .await
        .json();
    assert_eq!(failures.total, 3);
    // The unknown login is audited without what was typed.
    let unknown: AuditPage = app
        .admin(
            Method::GET,
            "/api/v1/admin/audit?action=sign_in_failed&actor=(unknown)",
            None,
        )
        .await
        .json();
    assert_eq!(unknown.total, 1);
}

async fn a_cookie_write_without_the_csrf_token_is_refused_and_changes_nothing() {
    let app = city().await;
    let issue = submit(&app, "building").await;
    let li = sign_in(&app, "li").await;
    let uri = format!("/api/v1/admin/issues/{issue}/status");
    let accept = json!({"status": "accepted"});
    let forged = as_operator(&app, &li, Method::POST, &uri, Some(accept.clone()), false).await;
    assert_eq!(forged.problem(403)["type"], "/problems/csrf-rejected");
    let wrong = Signed {
        cookie: li.cookie.clone(),
        csrf: "0".repeat(64),
    };
    as_operator(&app, &wrong, Method::POST, &uri, Some(accept.clone()), true)
        .await
        .problem(403);
    let view: IssueStatusView = app.get(&format!("/api/v1/issues/{issue}")).await.json();
    assert_eq!(view.status, omk_api::IssueStatus::Received);
    let done = as_operator(&app, &li, Method::POST, &uri, Some(accept), true).await;
    assert_eq!(done.status.as_u16(), 200, "{}", done.text());
}

async fn sessions_expire_and_sign_out_ends_them() {
    let app = city().await;
    let li = sign_in(&app, "li").await;
    let inbox = |who: &Signed| {
        let app = &app;
        let cookie = who.cookie.clone();
        async move {
            app.send(
                Request::get("/api/v1/admin/issues")
                    .header(header::COOKIE, cookie)
                    .body(Body::empty())
                    .expect("request"),
            )
            .await
        }
    };
    assert_eq!(inbox(&li).await.status.as_u16(), 200);
    app.state.clock.advance(8 * 3600 + 1);
    inbox(&li).await.problem(401);
    as_operator(&app, &li, Method::GET, "/api/v1/session", None, false)
        .await
        .problem(401);

    let wang = sign_in(&app, "wang").await;
    as_operator(&app, &wang, Method::DELETE, "/api/v1/session", None, false)
        .await
        .problem(403);
    let out = as_operator(&app, &wang, Method::DELETE, "/api/v1/session", None, true).await;
    assert_eq!(out.status.as_u16(), 204);
    assert!(
        out.headers[header::SET_COOKIE]
            .to_str()
            .is_ok_and(|c| c.contains("Max-Age=0"))
    );
    inbox(&wang).await.problem(401);
}

async fn a_unit_operator_reaches_only_the_issues_routed_to_their_unit() {
    let app = city().await;
    let ours = submit(&app, "building").await;
    let theirs = submit(&app, "parking").await;
    let li = sign_in(&app, "li").await;
    let page: InboxPage = as_operator(&app, &li, Method::GET, "/api/v1/admin/issues", None, false)
        .await
        .json();
    let listed: Vec<_> = page.items.iter().map(|i| i.tracking_no.as_str()).collect();
    assert_eq!(listed, [ours.as_str()]);
    assert_eq!(page.items[0].unit.as_deref(), Some("housing"));
    for (method, uri, body) in [
        (Method::GET, format!("/api/v1/admin/issues/{theirs}"), None),
        (
            Method::POST,
            format!("/api/v1/admin/issues/{theirs}/status"),
            Some(json!({"status": "accepted"})),
        ),
        (
            Method::POST,
            format!("/api/v1/admin/issues/{theirs}/contact"),
            None,
        ),
        (Method::GET, "/api/v1/admin/issues?unit=urban".into(), None),
        (Method::GET, "/api/v1/admin/audit".into(), None),
        (Method::GET, "/api/v1/admin/operators".into(), None),
        (
            Method::PUT,
            "/api/v1/admin/units/housing".into(),
            Some(json!({"name_zh": "x", "name_en": "x"})),
        ),
        (Method::POST, "/api/v1/admin/events".into(), Some(json!({}))),
    ] {
        let reply = as_operator(&app, &li, method, &uri, body, true).await;
        assert_eq!(reply.problem(403)["type"], "/problems/forbidden", "{uri}");
    }

    // Routed away with a reason: it leaves li's reach and reaches wang's.
    let route = format!("/api/v1/admin/issues/{ours}/route");
    let no_reason = as_operator(
        &app,
        &li,
        Method::POST,
        &route,
        Some(json!({"unit": "urban", "reason": " "})),
        true,
    )
    .await;
    assert_eq!(no_reason.problem(422)["errors"][0]["field"], "reason");
    let routed = as_operator(
        &app,
        &li,
        Method::POST,
        &route,
        Some(json!({"unit": "urban", "reason": "占道停车归城管"})),
        true,
    )
    .await;
    assert_eq!(routed.status.as_u16(), 200, "{}", routed.text());
    as_operator(
        &app,
        &li,
        Method::GET,
        &format!("/api/v1/admin/issues/{ours}"),
        None,
        false,
    )
    .await
    .problem(403);
    let wang = sign_in(&app, "wang").await;
    let detail: IssueDetail = as_operator(
        &app,
        &wang,
        Method::GET,
        &format!("/api/v1/admin/issues/{ours}"),
        None,
        false,
    )
    .await
    .json();
    let steps: Vec<_> = detail.history.iter().map(|e| e.action).collect();
    assert_eq!(
        steps,
        [
            omk_api::AuditAction::IssueSubmitted,
            omk_api::AuditAction::Routed
        ]
    );
    assert_eq!(detail.history[1].actor, "li");
    assert!(detail.history[1].detail.contains("占道停车归城管"));
}

async fn contact_details_are_shown_on_request_and_every_view_is_audited() {
    let app = city().await;
    let issue = submit(&app, "building").await;
    let li = sign_in(&app, "li").await;
    let listed = as_operator(&app, &li, Method::GET, "/api/v1/admin/issues", None, false).await;
    // The raw reply, not a type that could not hold a leaked field.
    let listing = listed.text();
    assert!(!listing.contains("13800138000") && !listing.contains("王秀兰"));
    let page: InboxPage = listed.json();
    assert!(page.items[0].has_contact);
    let uri = format!("/api/v1/admin/issues/{issue}/contact");
    for _ in 0..2 {
        let shown: Value = as_operator(&app, &li, Method::POST, &uri, None, true)
            .await
            .json();
        assert_eq!(shown["phone"], "13800138000");
    }
    let views: AuditPage = app
        .admin(
            Method::GET,
            &format!("/api/v1/admin/audit?issue={issue}&action=contact_viewed"),
            None,
        )
        .await
        .json();
    assert_eq!(views.total, 2);
    assert!(views.items.iter().all(|e| e.actor == "li"));
    let export = app
        .admin(Method::GET, "/api/v1/admin/audit.csv", None)
        .await;
    assert_eq!(export.status.as_u16(), 200);
    let csv = export.text();
    assert!(csv.starts_with("\u{feff}id,at,actor,action,issue,detail\r\n"));
    assert!(csv.contains(&format!("li,contact_viewed,{issue},")));
    assert!(!csv.contains("13800138000") && !csv.contains("王秀兰"));
}

async fn hidden_text_leaves_every_public_view_and_stays_for_the_record() {
    let app = city().await;
    let issue = submit(&app, "building").await;
    let public: IssueStatusView = app.get(&format!("/api/v1/issues/{issue}")).await.json();
    assert_eq!(public.description.as_deref(), Some("楼道灯坏了一个月"));
    let li = sign_in(&app, "li").await;
    let uri = format!("/api/v1/admin/issues/{issue}/moderation");
    let hidden = as_operator(
        &app,
        &li,
        Method::POST,
        &uri,
        Some(json!({"hidden": true, "reason": "辱骂性语言"})),
        true,
    )
    .await;
    assert_eq!(hidden.status.as_u16(), 200, "{}", hidden.text());
    let public: IssueStatusView = app.get(&format!("/api/v1/issues/{issue}")).await.json();
    assert_eq!((public.description, public.hidden), (None, true));
    let detail: IssueDetail = as_operator(
        &app,
        &li,
        Method::GET,
        &format!("/api/v1/admin/issues/{issue}"),
        None,
        false,
    )
    .await
    .json();
    assert_eq!(detail.issue.description, "楼道灯坏了一个月");
    assert!(detail.issue.hidden);
    let last = detail.history.last().expect("recorded");
    assert_eq!(last.action, omk_api::AuditAction::TextHidden);
    assert_eq!(last.detail, "辱骂性语言");
}

async fn issues_past_a_deadline_are_flagged_filtered_and_counted() {
    let app = city().await;
    let late = submit(&app, "building").await;
    let inbox = |query: &'static str| {
        let app = &app;
        async move {
            app.admin(Method::GET, &format!("/api/v1/admin/issues{query}"), None)
                .await
                .json::<InboxPage>()
        }
    };
    assert_eq!(inbox("?overdue=true").await.total, 0);
    // Four days on, a received issue has missed its accept deadline (1 working day)
    // whatever the weekday.
    app.state.clock.advance(4 * 86_400);
    let fresh = submit(&app, "building").await;
    let overdue = inbox("?overdue=true").await;
    assert_eq!(overdue.total, 1);
    assert_eq!(overdue.items[0].tracking_no, late);
    assert_eq!(overdue.items[0].overdue, Some(Overdue::Accept));
    let older = inbox("?older_than_days=3").await;
    assert_eq!(older.items.len(), 1);
    let all = inbox("").await;
    assert!(
        all.items
            .iter()
            .any(|i| i.tracking_no == fresh && i.overdue.is_none())
    );
    let figures: Breakdown = app
        .admin(Method::GET, "/api/v1/admin/figures", None)
        .await
        .json();
    let housing = figures
        .by_unit
        .iter()
        .find(|r| r.id.as_deref() == Some("housing"))
        .expect("housing row");
    assert_eq!(
        (housing.issues, housing.overdue, housing.responded),
        (2, 1, 0)
    );

    // Accepted, it is no longer late to accept; 16 days on it is late to resolve.
    app.move_issue(&late, &json!({"status": "accepted"})).await;
    assert_eq!(inbox("?overdue=true").await.total, 0);
    app.state.clock.advance(12 * 86_400);
    let overdue = inbox("?overdue=true&status=accepted").await;
    assert_eq!(overdue.items[0].overdue, Some(Overdue::Resolve));
}

async fn retiring_a_unit_keeps_its_issues_and_stops_new_routing_to_it() {
    let app = city().await;
    let issue = submit(&app, "building").await;
    let retire = app
        .admin(
            Method::PUT,
            "/api/v1/admin/units/housing",
            Some(&json!({"name_zh": "住建局", "name_en": "Housing Bureau", "active": false})),
        )
        .await;
    assert_eq!(retire.status.as_u16(), 200);
    let public: Vec<Value> = app.get("/api/v1/units").await.json();
    assert!(public.iter().all(|u| u["id"] != "housing"));
    let all: Vec<Value> = app
        .admin(Method::GET, "/api/v1/admin/units", None)
        .await
        .json();
    assert!(
        all.iter()
            .any(|u| u["id"] == "housing" && u["active"] == false)
    );
    let detail: IssueDetail = app
        .admin(Method::GET, &format!("/api/v1/admin/issues/{issue}"), None)
        .await
        .json();
    assert_eq!(detail.issue.unit.as_deref(), Some("housing"));
    app.get(&format!("/api/v1/issues/{issue}"))
        .await
        .json::<IssueStatusView>();
    let wang_issue = submit(&app, "parking").await;
    let refused = app
        .admin(
            Method::POST,
            &format!("/api/v1/admin/issues/{wang_issue}/route"),
            Some(&json!({"unit": "housing", "reason": "转办"})),
        )
        .await;
    assert_eq!(refused.problem(422)["errors"][0]["field"], "unit");
    let category = app
        .admin(
            Method::PUT,
            "/api/v1/admin/categories/building",
            Some(&json!({"name_zh": "b", "name_en": "b", "unit": "housing"})),
        )
        .await;
    assert_eq!(category.problem(422)["errors"][0]["field"], "unit");
}

async fn a_new_city_is_set_up_through_the_api_and_kiosks_work_at_once() {
    let app = TestApp::configured(|c| {
        c.demo = false;
        c.operators.admin_token = Some(crate::support::ADMIN_TOKEN.into());
    })
    .await;
    let put = |uri: &'static str, body: Value| {
        let app = &app;
        async move {
            let reply = app.admin(Method::PUT, uri, Some(&body)).await;
            assert_eq!(reply.status.as_u16(), 200, "{uri}: {}", reply.text());
        }
    };
    put(
        "/api/v1/admin/units/water",
        json!({"name_zh": "水利局", "name_en": "Water Bureau"}),
    )
    .await;
    put(
        "/api/v1/admin/districts/gaotang",
        json!({"name_zh": "高唐县", "name_en": "Gaotang County"}),
    )
    .await;
    put(
        "/api/v1/admin/rating-tags/fast",
        json!({"name_zh": "办事快", "name_en": "Quick service"}),
    )
    .await;
    put(
        "/api/v1/admin/categories/flooding",
        json!({"name_zh": "积水", "name_en": "Flooding", "unit": "water"}),
    )
    .await;
    put(
        "/api/v1/admin/topics/drains",
        json!({"title_zh": "疏通排水", "title_en": "Clear the drains"}),
    )
    .await;
    let receipt: IssueReceipt = app
        .post_json(
            "/api/v1/issues",
            &json!({"fill_ms": 5000, "category": "flooding", "description": "下雨后路口积水严重", "place": "鱼丘湖街道"}),
        )
        .await
        .json();
    let detail: IssueDetail = app
        .admin(
            Method::GET,
            &format!("/api/v1/admin/issues/{}", receipt.tracking_no),
            None,
        )
        .await
        .json();
    assert_eq!(detail.issue.unit.as_deref(), Some("water"));
    let rated = app
        .post_json(
            "/api/v1/ratings",
            &json!({"level": "satisfied", "tags": ["fast"]}),
        )
        .await;
    assert_eq!(rated.status.as_u16(), 201, "{}", rated.text());
    let unknown = app
        .post_json(
            "/api/v1/ratings",
            &json!({"level": "satisfied", "tags": ["friendly"]}),
        )
        .await;
    assert_eq!(unknown.problem(422)["errors"][0]["code"], "unknown_tag");
    let tags: Vec<Value> = app.get("/api/v1/rating-tags").await.json();
    assert_eq!(tags.len(), 1);
    let districts: Vec<Value> = app.get("/api/v1/districts").await.json();
    assert_eq!(districts[0]["name_en"], "Gaotang County");
}

crate::on_every_backend!(
    sign_in_sets_a_strict_http_only_cookie_and_hands_out_a_csrf_token,
    wrong_credentials_are_one_answer_and_a_burst_backs_off_even_the_right_password,
    a_cookie_write_without_the_csrf_token_is_refused_and_changes_nothing,
    sessions_expire_and_sign_out_ends_them,
    a_unit_operator_reaches_only_the_issues_routed_to_their_unit,
    contact_details_are_shown_on_request_and_every_view_is_audited,
    hidden_text_leaves_every_public_view_and_stays_for_the_record,
    issues_past_a_deadline_are_flagged_filtered_and_counted,
    retiring_a_unit_keeps_its_issues_and_stops_new_routing_to_it,
    a_new_city_is_set_up_through_the_api_and_kiosks_work_at_once,
);

/// `omk-server operator add` reads the password from standard input, never argv, and the
/// account signs in with it; `unit` and `tag` keep their lists.
#[tokio::test]
async fn the_cli_adds_operators_from_stdin_and_keeps_units_and_tags() {
    use std::io::Write;
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("omk.db").display());
    let command = || binary(&url);
    let run = |args: &[&str]| command().args(args).output().expect("the binary runs");
    let unit = run(&[
        "unit",
        "set",
        "water",
        "--zh",
        "水利局",
        "--en",
        "Water Bureau",
    ]);
    assert!(
        unit.status.success(),
        "{}",
        String::from_utf8_lossy(&unit.stderr)
    );
    let tag = run(&["tag", "set", "fast", "--zh", "办事快", "--en", "Quick"]);
    assert!(tag.status.success());
    assert_eq!(
        String::from_utf8_lossy(&run(&["tag", "list"]).stdout),
        "id\tname_zh\tname_en\tposition\tactive\nfast\t办事快\tQuick\t0\ttrue\n"
    );
    let add = |login: &str, password: &str, unit: &str| {
        let mut child = command()
            .args(["operator", "add", login, "--role", "unit", "--unit", unit])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("spawns");
        if let Some(mut stdin) = child.stdin.take() {
            writeln!(stdin, "{password}").expect("password written");
        }
        child.wait_with_output().expect("finishes")
    };
    let short = add("zhao", "short", "water");
    assert!(!short.status.success());
    assert!(String::from_utf8_lossy(&short.stderr).contains("password (too_short)"));
    let unknown_unit = add("zhao", PASSWORD, "fire");
    assert!(String::from_utf8_lossy(&unknown_unit.stderr).contains("unit (invalid_value)"));
    let added = add("zhao", PASSWORD, "water");
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&run(&["operator", "list"]).stdout),
        "login\trole\tunit\tactive\nzhao\tunit\twater\ttrue\n"
    );

    let mut config = omk_server::Config::for_database(url.clone());
    config.web.dist = dir.path().join("dist");
    let db = omk_server::open_database(&config).await.expect("opens");
    let (state, _worker) = omk_server::AppState::new(db, config).await.expect("state");
    let app = TestApp::over(state);
    sign_in_with(&app, "zhao", PASSWORD).await;
    let audit = omk_server::db::audit::page(&app.state.db, &Default::default(), 10, 0)
        .await
        .expect("audit");
    assert!(
        audit
            .0
            .iter()
            .any(|e| e.actor == "cli" && e.detail == "zhao unit water")
    );
}

async fn sign_in_with(app: &TestApp, login: &str, password: &str) {
    let reply = try_sign_in(app, login, password).await;
    assert_eq!(reply.status.as_u16(), 200, "{}", reply.text());
}

/// `omk-server event` keeps the program from the command line: list, edit, cancel, each
/// audited.
#[tokio::test]
async fn the_cli_lists_edits_and_cancels_events() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("omk.db").display());
    let run = |args: &[&str]| binary(&url).args(args).output().expect("the binary runs");
    let event = |title: &str| {
        json!({"title": title, "unit": "聊城市水利局", "district": "高唐县", "theme": "政府开放日",
               "place": "鱼丘湖街道", "starts_at": 4_102_444_800_i64, "ends_at": 4_102_452_000_i64,
               "capacity": 30})
    };
    let program = dir.path().join("program.json");
    std::fs::write(&program, json!([event("走进水利局")]).to_string()).expect("written");
    let imported = run(&["import", program.to_str().expect("utf-8")]);
    assert!(
        imported.status.success(),
        "{}",
        String::from_utf8_lossy(&imported.stderr)
    );
    let listed = String::from_utf8_lossy(&run(&["event", "list"]).stdout).into_owned();
    let line = listed.lines().nth(1).expect("one event");
    assert!(line.ends_with("\t聊城市水利局\t走进水利局\t0/30"), "{line}");
    let id = line.split('\t').next().expect("id").to_owned();
    let edited = dir.path().join("edited.json");
    std::fs::write(&edited, event("走进水利局（改期）").to_string()).expect("written");
    let edit = run(&["event", "edit", &id, edited.to_str().expect("utf-8")]);
    assert!(
        edit.status.success(),
        "{}",
        String::from_utf8_lossy(&edit.stderr)
    );
    assert!(String::from_utf8_lossy(&run(&["event", "list"]).stdout).contains("（改期）"));
    assert!(run(&["event", "cancel", &id]).status.success());
    assert!(
        !run(&["event", "cancel", &id]).status.success(),
        "already cancelled"
    );
    assert_eq!(
        String::from_utf8_lossy(&run(&["event", "list"]).stdout)
            .lines()
            .count(),
        1
    );
    let mut config = omk_server::Config::for_database(url.clone());
    config.web.dist = dir.path().join("dist");
    let db = omk_server::open_database(&config).await.expect("opens");
    let (entries, _) = omk_server::db::audit::page(&db, &Default::default(), 10, 0)
        .await
        .expect("audit");
    let actions: Vec<_> = entries.iter().rev().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        ["program_imported", "event_updated", "event_cancelled"]
    );
}
