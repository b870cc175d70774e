//! The operators' operations as every caller meets them: a unit operator refused another
//! unit's issue (audited, checked inside the acting transaction), their figures and the
//! reference lists, answers with personal data kept out of caches, and the commands of the
//! binary heard by a running server over PostgreSQL.

use std::sync::Arc;
use std::time::Duration;

use axum::http::{Method, header};
use omk_api::{AuditAction, AuditPage, Breakdown, IssueDetail};
use omk_server::auth::Actor;
use omk_server::live::Heard;
use omk_server::ops::{Ops, program};
use serde_json::{Value, json};
use sqlx::Connection;

use crate::operators::{city, submit};
use crate::support::session::{as_operator, sign_in};
use crate::support::{Backend, TestApp, fresh_database_url, run_binary, run_on};
use crate::wire::WireSse;

/// The refused entries of the audit log about `issue`.
async fn refusals(app: &TestApp, issue: &str) -> AuditPage {
    let reply = app
        .admin(
            Method::GET,
            &format!("/api/v1/admin/audit?issue={issue}&action=refused"),
            None,
        )
        .await;
    assert_eq!(reply.status.as_u16(), 200, "{}", reply.text());
    reply.json()
}

async fn every_refusal_of_another_unit_s_issue_is_audited_and_changes_nothing() {
    let app = city().await;
    let theirs = submit(&app, "parking").await;
    let li = sign_in(&app, "li").await;
    let attempts = [
        (Method::GET, String::new(), None, "read"),
        (
            Method::POST,
            "/status".to_owned(),
            Some(json!({"status": "accepted", "answer": "已受理"})),
            "status",
        ),
        (
            Method::POST,
            "/route".to_owned(),
            Some(json!({"unit": "housing", "reason": "归住建"})),
            "route",
        ),
        (
            Method::POST,
            "/moderation".to_owned(),
            Some(json!({"hidden": true, "reason": "不文明用语"})),
            "moderation",
        ),
        (Method::POST, "/contact".to_owned(), None, "contact"),
        // Another unit's issue is refused before the body is judged.
        (
            Method::POST,
            "/route".to_owned(),
            Some(json!({"unit": "urban", "reason": " "})),
            "route",
        ),
    ];
    for (method, tail, body, _) in &attempts {
        let uri = format!("/api/v1/admin/issues/{theirs}{tail}");
        let reply = as_operator(&app, &li, method.clone(), &uri, body.clone(), true).await;
        assert_eq!(reply.problem(403)["type"], "/problems/forbidden", "{uri}");
    }
    let refused = refusals(&app, &theirs).await;
    assert_eq!(refused.total, 6, "{:?}", refused.items);
    let mut tried: Vec<_> = refused.items.iter().map(|e| e.detail.as_str()).collect();
    tried.sort_unstable();
    let mut expected: Vec<_> = attempts.iter().map(|a| a.3).collect();
    expected.sort_unstable();
    assert_eq!(tried, expected);
    assert!(refused.items.iter().all(|e| e.actor == "li"
        && e.action == AuditAction::Refused
        && e.issue.as_deref() == Some(theirs.as_str())));
    // Asking the inbox for another unit's issues is refused and recorded too.
    let listing = as_operator(
        &app,
        &li,
        Method::GET,
        "/api/v1/admin/issues?unit=urban",
        None,
        false,
    )
    .await;
    listing.problem(403);
    let by_li: AuditPage = app
        .admin(
            Method::GET,
            "/api/v1/admin/audit?actor=li&action=refused",
            None,
        )
        .await
        .json();
    assert_eq!(by_li.total, 7, "{:?}", by_li.items);
    assert!(
        by_li
            .items
            .iter()
            .any(|e| e.issue.is_none() && e.detail == "issues of unit urban")
    );
    let whole_log = app
        .admin(Method::GET, "/api/v1/admin/audit.csv", None)
        .await
        .text();
    assert!(!whole_log.contains("13800138000") && !whole_log.contains("王秀兰"));

    // Nothing changed: the issue is as it came, and its history holds only its submission.
    let detail: IssueDetail = app
        .admin(Method::GET, &format!("/api/v1/admin/issues/{theirs}"), None)
        .await
        .json();
    assert_eq!(detail.issue.status, omk_api::IssueStatus::Received);
    assert_eq!(detail.issue.unit.as_deref(), Some("urban"));
    assert!(!detail.issue.hidden);
    assert_eq!(detail.issue.answer, None);
    let steps: Vec<_> = detail.history.iter().map(|e| e.action).collect();
    assert_eq!(steps, [AuditAction::IssueSubmitted]);
}

async fn answers_with_personal_data_are_never_kept_by_a_cache() {
    let app = city().await;
    let ours = submit(&app, "building").await;
    let li = sign_in(&app, "li").await;
    let contact = as_operator(
        &app,
        &li,
        Method::POST,
        &format!("/api/v1/admin/issues/{ours}/contact"),
        None,
        true,
    )
    .await;
    assert_eq!(contact.status.as_u16(), 200, "{}", contact.text());
    assert!(contact.text().contains("13800138000"));
    for reply in [
        &contact,
        &as_operator(
            &app,
            &li,
            Method::GET,
            &format!("/api/v1/admin/issues/{ours}"),
            None,
            false,
        )
        .await,
        &as_operator(&app, &li, Method::GET, "/api/v1/admin/issues", None, false).await,
    ] {
        let cache: Vec<_> = reply
            .headers
            .get_all(header::CACHE_CONTROL)
            .iter()
            .collect();
        assert_eq!(cache, ["no-store"], "{}", reply.text());
    }
}

async fn a_unit_operator_s_figures_hold_only_their_unit() {
    let app = city().await;
    submit(&app, "building").await;
    submit(&app, "building").await;
    submit(&app, "parking").await;
    let li = sign_in(&app, "li").await;
    let theirs: Breakdown =
        as_operator(&app, &li, Method::GET, "/api/v1/admin/figures", None, false)
            .await
            .json();
    let ids = |rows: &[omk_api::BreakdownRow]| -> Vec<Option<String>> {
        rows.iter().map(|r| r.id.clone()).collect()
    };
    assert_eq!(ids(&theirs.by_unit), [Some("housing".to_owned())]);
    assert_eq!(ids(&theirs.by_category), [Some("building".to_owned())]);
    assert_eq!(theirs.by_unit[0].issues, 2);
    assert_eq!(theirs.by_category[0].issues, 2);
    let chief = sign_in(&app, "chief").await;
    let all: Breakdown = as_operator(
        &app,
        &chief,
        Method::GET,
        "/api/v1/admin/figures",
        None,
        false,
    )
    .await
    .json();
    assert_eq!(
        ids(&all.by_unit),
        [Some("housing".to_owned()), Some("urban".to_owned())]
    );
    assert_eq!(all.by_unit.iter().map(|r| r.issues).sum::<i64>(), 3);
}

async fn the_reference_lists_are_read_by_admins_only() {
    let app = city().await;
    let li = sign_in(&app, "li").await;
    let chief = sign_in(&app, "chief").await;
    for uri in [
        "/api/v1/admin/categories",
        "/api/v1/admin/units",
        "/api/v1/admin/districts",
        "/api/v1/admin/rating-tags",
    ] {
        let refused = as_operator(&app, &li, Method::GET, uri, None, false).await;
        assert_eq!(refused.problem(403)["type"], "/problems/forbidden", "{uri}");
        let read = as_operator(&app, &chief, Method::GET, uri, None, false).await;
        assert_eq!(read.status.as_u16(), 200, "{uri}: {}", read.text());
    }
    // What the console shows a unit operator comes from the public lists.
    let units: Vec<omk_api::Entry> = app.get("/api/v1/units").await.json();
    assert_eq!(units.len(), 2);
}

crate::on_every_backend!(
    every_refusal_of_another_unit_s_issue_is_audited_and_changes_nothing,
    answers_with_personal_data_are_never_kept_by_a_cache,
    a_unit_operator_s_figures_hold_only_their_unit,
    the_reference_lists_are_read_by_admins_only,
);

/// A re-route that commits while a unit operator's action on the issue is under way: the
/// action checks the unit it acts on, not the one it saw before.
async fn an_action_checks_the_unit_inside_its_own_transaction() {
    let app = Arc::new(city().await);
    let ours = submit(&app, "building").await;
    let li = sign_in(&app, "li").await;

    // Another operator's re-route to urban, written but not yet committed.
    let mut other = sqlx::PgConnection::connect(&app.database_url)
        .await
        .expect("connect");
    let mut reroute = other.begin().await.expect("begin");
    sqlx::query("UPDATE issues SET unit = 'urban' WHERE tracking_no = $1")
        .bind(&ours)
        .execute(&mut *reroute)
        .await
        .expect("re-routed");

    let action = {
        let app = app.clone();
        let uri = format!("/api/v1/admin/issues/{ours}/contact");
        tokio::spawn(async move { as_operator(&app, &li, Method::POST, &uri, None, true).await })
    };
    // Until the action waits for the re-route's lock (or answers without waiting).
    let mut watch = sqlx::PgConnection::connect(&app.database_url)
        .await
        .expect("connect");
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let waiting: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM pg_stat_activity \
             WHERE datname = current_database() AND wait_event_type = 'Lock'",
        )
        .fetch_one(&mut watch)
        .await
        .expect("activity");
        if waiting > 0 || action.is_finished() {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the action neither waited nor answered"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    reroute.commit().await.expect("committed");
    let reply = action.await.expect("the action ends");
    assert_eq!(reply.problem(403)["type"], "/problems/forbidden");
    let refused = refusals(&app, &ours).await;
    assert_eq!(refused.total, 1);
    assert_eq!(refused.items[0].actor, "li");
    assert_eq!(refused.items[0].detail, "contact");
    let views: AuditPage = app
        .admin(
            Method::GET,
            &format!("/api/v1/admin/audit?issue={ours}&action=contact_viewed"),
            None,
        )
        .await
        .json();
    assert_eq!(views.total, 0);
    let _ = watch.close().await;
    let _ = other.close().await;
}

/// Runs the binary with `args` on `database_url`; the stderr of a failure.
async fn omk_server(database_url: &str, args: &[&str]) {
    let output = run_binary(database_url, args).await;
    assert!(
        output.status.success(),
        "omk-server {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Waits until what the server heard from other instances satisfies `enough`.
async fn until_heard(
    heard: &mut tokio::sync::watch::Receiver<Heard>,
    enough: impl Fn(&Heard) -> bool,
) {
    let waited = tokio::time::timeout(Duration::from_secs(10), heard.wait_for(|h| enough(h)))
        .await
        .map(|open| open.map(|h| *h));
    match waited {
        Ok(open) => {
            open.expect("the feed is open");
        }
        Err(_) => panic!("not heard in time: {:?}", *heard.borrow()),
    }
}

async fn every_command_that_changes_what_servers_show_is_heard_by_a_running_server() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = fresh_database_url(dir.path()).await;
    let mut config = omk_server::Config::for_database(&url);
    config.web.dist = dir.path().join("dist");
    let server = omk_server::spawn(config).await.expect("the server starts");
    let event = |title: &str| {
        json!({"title": title, "unit": "聊城市水利局", "district": "高唐县", "theme": "政府开放日",
               "place": "鱼丘湖街道", "starts_at": 4_102_444_800_i64, "ends_at": 4_102_452_000_i64,
               "capacity": 30})
    };
    let chief = Actor {
        login: "chief".into(),
        role: omk_api::Role::Admin,
        unit: None,
    };
    let input = serde_json::from_value(event("走进水利局")).expect("an event");
    let created = program::create(Ops::of(&server.state), &chief, &input)
        .await
        .expect("created");
    let mut heard = server.state.live.heard_so_far();
    until_heard(&mut heard, |h| h.connected > 0).await;
    let mut stream = WireSse::open(server.addr).await.expect("stream");

    let edited = dir.path().join("edited.json");
    std::fs::write(&edited, event("走进水利局（改期）").to_string()).expect("written");
    let id = created.id.to_string();
    omk_server(
        &url,
        &["event", "edit", &id, edited.to_str().expect("utf-8")],
    )
    .await;
    until_heard(&mut heard, |h| h.program >= 1).await;
    omk_server(&url, &["event", "cancel", &id]).await;
    until_heard(&mut heard, |h| h.program >= 2).await;
    let program = dir.path().join("program.json");
    std::fs::write(&program, json!([event("走进水利局")]).to_string()).expect("written");
    omk_server(&url, &["import", program.to_str().expect("utf-8")]).await;
    until_heard(&mut heard, |h| h.program >= 3).await;
    omk_server(
        &url,
        &["topic", "set", "parks", "--zh", "公园", "--en", "Parks"],
    )
    .await;
    until_heard(&mut heard, |h| h.topics >= 1).await;
    loop {
        let (name, data) = stream
            .next(Duration::from_secs(10))
            .await
            .expect("the stream brings the new topic");
        if name == "topics" && data.contains("\"parks\"") {
            let topics: Vec<Value> = serde_json::from_str(&data).expect("topics");
            assert_eq!(topics[0]["title_en"], "Parks");
            break;
        }
    }
    drop(stream);
    server.shutdown().await;
}

mod an_action_checks_the_unit_inside_its_own_transaction {
    /// Row locks are PostgreSQL's; SQLite has one writer at a time.
    #[tokio::test]
    async fn postgres() {
        super::run_on(
            super::Backend::Postgres,
            super::an_action_checks_the_unit_inside_its_own_transaction(),
        )
        .await;
    }
}

mod every_command_that_changes_what_servers_show_is_heard_by_a_running_server {
    /// Only PostgreSQL tells running servers of another process's changes.
    #[tokio::test]
    async fn postgres() {
        super::run_on(
            super::Backend::Postgres,
            super::every_command_that_changes_what_servers_show_is_heard_by_a_running_server(),
        )
        .await;
    }
}
