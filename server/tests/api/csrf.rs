//! Every cookie-authenticated write named in the OpenAPI document (each non-GET under
//! `/api/v1/admin`, and `DELETE /session`) is refused without the session's CSRF token, with
//! a wrong one, and with another live session's: 403 `csrf-rejected`, nothing stored
//! changes (every table but the audit log, read from the database as it is), and each
//! refusal is audited. Each is sent as it would succeed, which the test then checks.

use axum::body::Body;
use axum::http::{Method, Request, header};
use omk_api::{AuditPage, IssueReceipt};
use serde_json::{Value, json};

use crate::support::session::{add_operator, sign_in};
use crate::support::tables::stored_rows;
use crate::support::{Reply, TestApp};

/// Every table but the audit log, row by row.
async fn stored(app: &TestApp) -> Vec<(String, Vec<String>)> {
    let mut all = stored_rows(app).await;
    all.retain(|(table, _)| table != "audit_log");
    all
}

/// A city with something for every write to change: units, a category, an operator, an
/// event, an issue.
struct City {
    app: TestApp,
    issue: String,
    event: i64,
    /// A received proposal of a month collecting them.
    proposal: String,
    /// An unused check-in code at [`MEETING_MONTH`]'s meeting (the city's event), and a
    /// measure of that month.
    checkin: String,
    measure: i64,
    /// Letters: accepted (routed to housing), replied with consent, awaiting review.
    letters: [String; 3],
    /// Collections: a draft, an open one with a pending comment (and its id), a closed one.
    collections: [i64; 3],
    comment: i64,
    /// A published comment of the open collection.
    published_comment: i64,
}

/// A month at `meeting`, with the city's event as its meeting and a measure.
const MEETING_MONTH: &str = "2097-01";

/// Takes [`MEETING_MONTH`] to its meeting, attaches `event`, registers at it and adds a
/// measure: the check-in code and the measure's id.
async fn meeting_month(app: &TestApp, event: i64) -> (String, i64) {
    let ok = |reply: crate::support::Reply| {
        assert!(reply.status.is_success(), "meeting month: {}", reply.text());
        reply
    };
    let month = MEETING_MONTH;
    ok(app
        .admin(
            Method::POST,
            "/api/v1/admin/cycles",
            Some(&crate::cycle::plan(month)),
        )
        .await);
    let weights = json!({"representatives": 40, "public": 30, "hotline": 20, "proposals": 10});
    let uri = format!("/api/v1/admin/cycles/{month}/weights");
    ok(app.admin(Method::PUT, &uri, Some(&weights)).await);
    ok(crate::cycle::move_to(app, month, "screening").await);
    for id in ["poles", "paths"] {
        let uri = format!("/api/v1/admin/cycles/{month}/candidates/{id}");
        ok(app.admin(Method::PUT, &uri, Some(&candidate())).await);
    }
    ok(crate::cycle::move_to(app, month, "voting").await);
    let uri = format!("/api/v1/admin/cycles/{month}/choice");
    let choice = json!({"candidate": "poles", "reason": "理由"});
    ok(app.admin(Method::POST, &uri, Some(&choice)).await);
    ok(crate::cycle::move_to(app, month, "meeting").await);
    let uri = format!("/api/v1/admin/cycles/{month}/meeting");
    let meeting = json!({"event": event, "invited_seats": 4});
    ok(app.admin(Method::PUT, &uri, Some(&meeting)).await);
    let registered = ok(app
        .post_json(
            &format!("/api/v1/events/{event}/registrations"),
            &json!({"seats": 1}),
        )
        .await);
    let checkin = registered.json::<Value>()["checkin_code"]
        .as_str()
        .expect("a check-in code")
        .to_owned();
    let uri = format!("/api/v1/admin/cycles/{month}/measures");
    let added = ok(app.admin(Method::POST, &uri, Some(&measure())).await);
    (
        checkin,
        added.json::<Value>()["id"].as_i64().expect("an id"),
    )
}

fn measure() -> Value {
    json!({"title": "更换路灯", "owner_unit": "housing", "due": "2097-02-28",
           "status": "in_progress", "percent": 20})
}

/// Months of the cycle writes: one at `screening` (candidates), one at `voting` with two
/// candidates (the choice), one collecting proposals; and a proposal there.
async fn cycle_months(app: &TestApp) -> String {
    let ok = |reply: crate::support::Reply| {
        assert!(reply.status.is_success(), "{}", reply.text());
    };
    ok(app
        .admin(
            Method::PUT,
            "/api/v1/admin/districts/dongchangfu",
            Some(&json!({"name_zh": "东昌府区", "name_en": "Dongchangfu"})),
        )
        .await);
    for month in ["2098-01", "2098-02", "2098-03"] {
        ok(app
            .admin(
                Method::POST,
                "/api/v1/admin/cycles",
                Some(&crate::cycle::plan(month)),
            )
            .await);
    }
    for month in ["2098-01", "2098-02"] {
        let weights = json!({"representatives": 40, "public": 30, "hotline": 20, "proposals": 10});
        ok(app
            .admin(
                Method::PUT,
                &format!("/api/v1/admin/cycles/{month}/weights"),
                Some(&weights),
            )
            .await);
        ok(crate::cycle::move_to(app, month, "screening").await);
    }
    for id in ["lamps", "benches"] {
        ok(app
            .admin(
                Method::PUT,
                &format!("/api/v1/admin/cycles/2098-02/candidates/{id}"),
                Some(&candidate()),
            )
            .await);
    }
    ok(crate::cycle::move_to(app, "2098-02", "voting").await);
    let proposed = app
        .post_json(
            "/api/v1/cycles/2098-03/proposals",
            &json!({"title": "增设路灯", "text": "夜里太黑", "district": "dongchangfu"}),
        )
        .await;
    assert_eq!(proposed.status.as_u16(), 201, "{}", proposed.text());
    proposed.json::<Value>()["code"]
        .as_str()
        .expect("a code")
        .to_owned()
}

/// A promotion to a proposal of the month collecting them.
fn promotion() -> Value {
    json!({"month": "2098-03", "title": "增设夜班公交", "text": "晚上没有公交车。",
           "district": "dongchangfu"})
}

fn candidate() -> Value {
    json!({"title_zh": "路灯", "title_en": "Lamps", "lead_unit": "housing", "category": "building"})
}

/// Letters and collections at the stages the mailbox's writes need.
async fn mailbox(app: &TestApp) -> ([String; 3], [i64; 3], [i64; 2]) {
    let letter = || async {
        let body = json!({"kind": "help", "title": "求助：老人独居无人照料", "text": "邻居老人独居。",
                          "name": "王秀兰", "phone": "13800138000", "may_publish": true});
        let reply = app.post_json("/api/v1/letters", &body).await;
        assert_eq!(reply.status.as_u16(), 201, "{}", reply.text());
        reply.json::<Value>()["code"]
            .as_str()
            .expect("a code")
            .to_owned()
    };
    let act = |code: &str, action: &str, body: Value| {
        let uri = format!("/api/v1/admin/letters/{code}/{action}");
        async move {
            let reply = app.admin(Method::POST, &uri, Some(&body)).await;
            assert_eq!(reply.status.as_u16(), 200, "{uri}: {}", reply.text());
        }
    };
    let letters = [letter().await, letter().await, letter().await];
    act(&letters[0], "review", json!({"unit": "housing"})).await;
    act(&letters[1], "review", json!({"unit": "housing"})).await;
    act(&letters[1], "reply", json!({"reply": "已上门探望。"})).await;
    let today = omk_server::clock::local_day(app.state.clock.now());
    let day = omk_server::clock::format_day;
    let collection = |opens: i64, closes: i64, publish: bool| async move {
        let input = json!({"title": "老旧小区改造意见征集", "text": "请提出意见。",
                           "opens_on": day(opens), "closes_on": day(closes)});
        let made = app
            .admin(Method::POST, "/api/v1/admin/consultations", Some(&input))
            .await;
        assert_eq!(made.status.as_u16(), 201, "{}", made.text());
        let id = made.json::<Value>()["collection"]["id"]
            .as_i64()
            .expect("an id");
        if publish {
            let uri = format!("/api/v1/admin/consultations/{id}/publication");
            assert_eq!(
                app.admin(Method::POST, &uri, None).await.status.as_u16(),
                200
            );
        }
        id
    };
    let collections = [
        collection(today, today + 1, false).await,
        collection(today - 1, today + 1, true).await,
        collection(today - 10, today - 5, true).await,
    ];
    let commented = app
        .post_json(
            &format!("/api/v1/consultations/{}/comments", collections[1]),
            &json!({"text": "建议加装电梯。"}),
        )
        .await;
    assert_eq!(commented.status.as_u16(), 201, "{}", commented.text());
    let comment = commented.json::<Value>()["id"].as_i64().expect("an id");
    let commented = app
        .post_json(
            &format!("/api/v1/consultations/{}/comments", collections[1]),
            &json!({"text": "建议增设无障碍坡道。"}),
        )
        .await;
    assert_eq!(commented.status.as_u16(), 201, "{}", commented.text());
    let published = commented.json::<Value>()["id"].as_i64().expect("an id");
    let uri = format!(
        "/api/v1/admin/consultations/{}/comments/{published}/moderation",
        collections[1]
    );
    let moderated = app
        .admin(Method::POST, &uri, Some(&json!({"state": "published"})))
        .await;
    assert_eq!(moderated.status.as_u16(), 200, "{}", moderated.text());
    (letters, collections, [comment, published])
}

async fn city() -> City {
    let app = TestApp::empty_with_categories(&[]).await;
    let put = |uri: String, body: Value| {
        let app = &app;
        async move {
            let reply = app.admin(Method::PUT, &uri, Some(&body)).await;
            assert_eq!(reply.status.as_u16(), 200, "{uri}: {}", reply.text());
        }
    };
    for (id, zh, en) in [
        ("housing", "住建局", "Housing Bureau"),
        ("urban", "城管局", "Urban Management"),
    ] {
        put(
            format!("/api/v1/admin/units/{id}"),
            json!({"name_zh": zh, "name_en": en}),
        )
        .await;
    }
    put(
        "/api/v1/admin/categories/building".into(),
        json!({"name_zh": "楼宇", "name_en": "Buildings", "unit": "housing"}),
    )
    .await;
    add_operator(&app, "li", Some("housing")).await;
    add_operator(&app, "chief", None).await;
    let created = app
        .admin(
            Method::POST,
            "/api/v1/admin/events",
            Some(&event("走进住建局")),
        )
        .await;
    assert_eq!(created.status.as_u16(), 201, "{}", created.text());
    let event: Value = created.json();
    let receipt: IssueReceipt = app
        .post_json(
            "/api/v1/issues",
            &json!({"fill_ms": 5000, "category": "building", "description": "楼道灯坏了一个月",
                    "place": "柳园街道", "name": "王秀兰", "phone": "13800138000", "consent": true}),
        )
        .await
        .json();
    let proposal = cycle_months(&app).await;
    let event = event["id"].as_i64().expect("an event id");
    let (checkin, measure) = meeting_month(&app, event).await;
    let (letters, collections, [comment, published_comment]) = mailbox(&app).await;
    City {
        issue: receipt.tracking_no,
        event,
        proposal,
        checkin,
        measure,
        letters,
        collections,
        comment,
        published_comment,
        app,
    }
}

fn event(title: &str) -> Value {
    json!({"title": title, "unit": "住建局", "district": "东昌府区", "theme": "走进机关",
           "place": "市政务服务中心", "starts_at": 4_102_444_800_i64, "ends_at": 4_102_452_000_i64,
           "capacity": 30})
}

/// The request that would carry out `method path` (a template from the OpenAPI document)
/// on this city: the path filled in, its content type and body.
fn realistic(city: &City, method: &str, path: &str) -> (String, Option<(&'static str, String)>) {
    let json_body = |v: Value| Some(("application/json", v.to_string()));
    let issue = |rest: &str| format!("/api/v1/admin/issues/{}/{rest}", city.issue);
    let letter = |n: usize, rest: &str| format!("/api/v1/admin/letters/{}/{rest}", city.letters[n]);
    let collection =
        |n: usize, rest: &str| format!("/api/v1/admin/consultations/{}{rest}", city.collections[n]);
    match (method, path) {
        ("post", "/api/v1/admin/events") => (path.into(), json_body(event("新的活动"))),
        ("post", "/api/v1/admin/events/import") => (
            path.into(),
            Some((
                "text/csv",
                "title,unit,district,theme,place,starts_at,ends_at,capacity\r\n\
                 导入的活动,住建局,东昌府区,走进机关,市政务服务中心,2099-09-01 09:30,2099-09-01 11:00,40\r\n"
                    .into(),
            )),
        ),
        ("put", "/api/v1/admin/events/{id}") => (
            format!("/api/v1/admin/events/{}", city.event),
            json_body(event("改期的活动")),
        ),
        ("delete", "/api/v1/admin/events/{id}") => {
            (format!("/api/v1/admin/events/{}", city.event), None)
        }
        ("post", "/api/v1/admin/issues/{tracking_no}/status") => {
            (issue("status"), json_body(json!({"status": "accepted"})))
        }
        ("post", "/api/v1/admin/issues/{tracking_no}/route") => (
            issue("route"),
            json_body(json!({"unit": "urban", "reason": "归城管"})),
        ),
        ("post", "/api/v1/admin/issues/{tracking_no}/moderation") => (
            issue("moderation"),
            json_body(json!({"hidden": true, "reason": "辱骂性语言"})),
        ),
        ("post", "/api/v1/admin/issues/{tracking_no}/contact") => (issue("contact"), None),
        ("put", "/api/v1/admin/categories/{id}") => (
            "/api/v1/admin/categories/building".into(),
            json_body(json!({"name_zh": "楼宇楼道", "name_en": "Stairs", "unit": "urban"})),
        ),
        ("put", "/api/v1/admin/topics/{id}") => (
            "/api/v1/admin/topics/drains".into(),
            json_body(json!({"title_zh": "疏通排水", "title_en": "Clear the drains"})),
        ),
        ("put", "/api/v1/admin/{list}/{id}") => (
            "/api/v1/admin/units/housing".into(),
            json_body(json!({"name_zh": "住房和城乡建设局", "name_en": "Housing"})),
        ),
        ("put", "/api/v1/admin/operators/{login}") => (
            "/api/v1/admin/operators/li".into(),
            json_body(json!({"role": "unit", "unit": "urban"})),
        ),
        ("post", "/api/v1/admin/letters/{code}/contact") => (letter(0, "contact"), None),
        ("post", "/api/v1/admin/letters/{code}/reply") => {
            (letter(0, "reply"), json_body(json!({"reply": "已上门探望。"})))
        }
        ("post", "/api/v1/admin/letters/{code}/publication") => (
            letter(1, "publication"),
            json_body(json!({"title": "求助：老人独居", "text": "有市民反映邻居老人独居。"})),
        ),
        ("post", "/api/v1/admin/letters/{code}/review") => {
            (letter(2, "review"), json_body(json!({"decline": "duplicate"})))
        }
        ("post", "/api/v1/admin/consultations") => (
            path.into(),
            json_body(json!({"title": "公交线网优化意见征集", "text": "请提出意见。",
                             "opens_on": "2099-09-01", "closes_on": "2099-09-30"})),
        ),
        ("put", "/api/v1/admin/consultations/{id}") => (
            collection(0, ""),
            json_body(json!({"title": "老旧小区改造意见征集", "text": "请就改造方案提出意见。",
                             "opens_on": "2099-09-01", "closes_on": "2099-09-30"})),
        ),
        ("post", "/api/v1/admin/consultations/{id}/publication") => {
            (collection(0, "/publication"), None)
        }
        ("post", "/api/v1/admin/consultations/{id}/comments/{comment}/moderation") => (
            collection(1, &format!("/comments/{}/moderation", city.comment)),
            json_body(json!({"state": "published"})),
        ),
        ("post", "/api/v1/admin/letters/{code}/promotion") => {
            (letter(0, "promotion"), json_body(promotion()))
        }
        ("post", "/api/v1/admin/consultations/{id}/comments/{comment}/promotion") => (
            collection(
                1,
                &format!("/comments/{}/promotion", city.published_comment),
            ),
            json_body(promotion()),
        ),
        ("post", "/api/v1/admin/consultations/{id}/note") => (
            collection(2, "/note"),
            json_body(json!({"note": "采纳加装电梯建议。"})),
        ),
        ("delete", "/api/v1/session") => (path.into(), None),
        ("post", "/api/v1/admin/cycles") => (path.into(), json_body(crate::cycle::plan("2099-01"))),
        ("post", "/api/v1/admin/cycles/{month}/stage") => (
            "/api/v1/admin/cycles/2099-01/stage".into(),
            json_body(json!({"to": "screening"})),
        ),
        ("put", "/api/v1/admin/cycles/{month}/weights") => (
            "/api/v1/admin/cycles/2099-01/weights".into(),
            json_body(json!({"representatives": 40, "public": 30, "hotline": 20, "proposals": 10})),
        ),
        ("put", "/api/v1/admin/cycles/{month}/candidates/{id}") => (
            "/api/v1/admin/cycles/2098-01/candidates/shade".into(),
            json_body(candidate()),
        ),
        ("post", "/api/v1/admin/cycles/{month}/signals") => (
            "/api/v1/admin/cycles/2099-01/signals".into(),
            Some(("text/csv", "category,district,count\r\nbuilding,dongchangfu,3\r\n".into())),
        ),
        ("post", "/api/v1/admin/cycles/{month}/codes") => (
            "/api/v1/admin/cycles/2099-01/codes".into(),
            json_body(json!({"count": 3})),
        ),
        ("post", "/api/v1/admin/cycles/{month}/choice") => (
            "/api/v1/admin/cycles/2098-02/choice".into(),
            json_body(json!({"candidate": "lamps", "reason": "理由"})),
        ),
        ("post", "/api/v1/admin/proposals/{code}/moderation") => (
            format!("/api/v1/admin/proposals/{}/moderation", city.proposal),
            json_body(json!({"action": "publish"})),
        ),
        ("post", "/api/v1/admin/proposals/{code}/contact") => (
            format!("/api/v1/admin/proposals/{}/contact", city.proposal),
            None,
        ),
        ("put", "/api/v1/admin/cycles/{month}/meeting") => (
            format!("/api/v1/admin/cycles/{MEETING_MONTH}/meeting"),
            json_body(json!({"event": city.event, "invited_seats": 6})),
        ),
        ("post", "/api/v1/admin/checkins") => {
            (path.into(), json_body(json!({ "code": city.checkin })))
        }
        ("put", "/api/v1/admin/cycles/{month}/decision") => (
            format!("/api/v1/admin/cycles/{MEETING_MONTH}/decision"),
            json_body(json!({"summary_zh": "更换路灯", "summary_en": "New lamps",
                             "lead_unit": "housing"})),
        ),
        ("post", "/api/v1/admin/cycles/{month}/measures") => (
            format!("/api/v1/admin/cycles/{MEETING_MONTH}/measures"),
            json_body(measure()),
        ),
        ("put", "/api/v1/admin/measures/{id}") => (
            format!("/api/v1/admin/measures/{}", city.measure),
            json_body(measure()),
        ),
        ("post", "/api/v1/admin/measures/{id}/updates") => (
            format!("/api/v1/admin/measures/{}/updates", city.measure),
            json_body(json!({"text": "已更换十盏"})),
        ),
        _ => panic!("no realistic request for {method} {path}: add one to this test"),
    }
}

async fn send(
    app: &TestApp,
    method: &str,
    uri: &str,
    body: &Option<(&'static str, String)>,
    cookie: &str,
    csrf: Option<&str>,
) -> Reply {
    let method = Method::from_bytes(method.to_uppercase().as_bytes()).expect("a method");
    let mut request = Request::builder()
        .method(method)
        .uri(uri)
        .header(header::COOKIE, cookie);
    if let Some(csrf) = csrf {
        request = request.header("x-csrf-token", csrf);
    }
    if let Some((content_type, _)) = body {
        request = request.header(header::CONTENT_TYPE, *content_type);
    }
    let body = body
        .as_ref()
        .map_or_else(Body::empty, |(_, text)| Body::from(text.clone()));
    app.send(request.body(body).expect("request")).await
}

/// The cookie-authenticated writes of the document, `(method, path template)`, with
/// `DELETE /session` last and each event's edit before its cancellation.
async fn cookie_writes(app: &TestApp) -> Vec<(String, String)> {
    let doc: Value = app.get("/api/v1/openapi.json").await.json();
    let mut writes = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for method in ["post", "put", "patch", "delete"] {
            if item.get(method).is_none() {
                continue;
            }
            let admin = path.starts_with("/api/v1/admin/") || path == "/api/v1/admin";
            if admin || (method == "delete" && path == "/api/v1/session") {
                writes.push((method.to_owned(), path.clone()));
            }
        }
    }
    writes.sort_by_key(|(method, path)| (path == "/api/v1/session", method == "delete"));
    writes
}

async fn every_cookie_write_without_its_sessions_csrf_token_is_refused_audited_and_changes_nothing()
{
    let city = city().await;
    let app = &city.app;
    let writes = cookie_writes(app).await;
    assert!(writes.len() >= 12, "{writes:?}");
    let chief = sign_in(app, "chief").await;
    let other = sign_in(app, "chief").await;
    assert_ne!(chief.csrf, other.csrf);
    let mut audited = 0;
    for (method, template) in &writes {
        let (uri, body) = realistic(&city, method, template);
        let before = stored(app).await;
        let names: Vec<&str> = before.iter().map(|(t, _)| t.as_str()).collect();
        for table in ["events", "issues", "operators", "sessions", "units"] {
            assert!(names.contains(&table), "{names:?}");
        }
        for (case, csrf) in [
            ("no token", None),
            ("a wrong token", Some("0".repeat(64))),
            ("another session's token", Some(other.csrf.clone())),
        ] {
            let reply = send(app, method, &uri, &body, &chief.cookie, csrf.as_deref()).await;
            assert_eq!(
                reply.problem(403)["type"],
                "/problems/csrf-rejected",
                "{method} {uri} with {case}"
            );
            audited += 1;
        }
        assert!(
            stored(app).await == before,
            "{method} {uri}: a refused write changed what is stored"
        );
        let refusals: AuditPage = app
            .admin(
                Method::GET,
                "/api/v1/admin/audit?action=csrf_rejected&per_page=1000",
                None,
            )
            .await
            .json();
        assert_eq!(refusals.total, audited, "{method} {uri}");
        let tried = format!("{} {uri}", method.to_uppercase());
        assert!(
            refusals.items[..3]
                .iter()
                .all(|e| e.actor == "chief" && e.detail == tried && e.issue.is_none()),
            "{:?}",
            &refusals.items[..3]
        );
        // With the token, the same request is carried out.
        let done = send(app, method, &uri, &body, &chief.cookie, Some(&chief.csrf)).await;
        assert!(
            done.status.is_success(),
            "{method} {uri} with the token: {} {}",
            done.status,
            done.text()
        );
    }
    // The other session and the service token are untouched by all this.
    let still = send(app, "get", "/api/v1/session", &None, &other.cookie, None).await;
    assert_eq!(still.status.as_u16(), 200);
    assert_eq!(
        app.admin(Method::GET, "/api/v1/admin/issues", None)
            .await
            .status
            .as_u16(),
        200
    );
}

crate::on_every_backend!(
    every_cookie_write_without_its_sessions_csrf_token_is_refused_audited_and_changes_nothing,
);
