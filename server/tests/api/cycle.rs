//! The month's public cycle: created with its plan, moved forward one stage at a time by
//! admins (each move audited with both stages), read by everyone as the current cycle, one
//! month's cycle or the archive; every refused move changes nothing.

use axum::http::Method;
use omk_api::{AuditPage, CycleStage, CycleSummary, CycleView};
use serde_json::{Value, json};

use crate::support::{ADMIN_TOKEN, TestApp};

/// A city with no demo data and the operators' API on, its clock stopped at
/// 2026-05-10 10:00 Beijing time.
pub async fn city() -> TestApp {
    let app = TestApp::configured(|c| {
        c.demo = false;
        c.operators.admin_token = Some(ADMIN_TOKEN.into());
    })
    .await;
    app.state.clock.stop();
    let now = app.state.clock.now();
    // 2026-05-10 02:00 UTC.
    app.state.clock.advance(1_778_378_400 - now);
    app
}

/// A plan for `month` (`YYYY-MM`): a day for each stage, in order.
pub fn plan(month: &str) -> Value {
    let days = ["01", "08", "12", "20", "22", "25", "27", "28"];
    let plan: Vec<Value> = CycleStage::ALL
        .iter()
        .zip(days)
        .map(|(stage, day)| json!({"stage": stage, "day": format!("{month}-{day}")}))
        .collect();
    json!({"month": month, "plan": plan})
}

/// Creates `month`'s cycle; asserts it was created.
pub async fn create(app: &TestApp, month: &str) -> CycleView {
    let reply = app
        .admin(Method::POST, "/api/v1/admin/cycles", Some(&plan(month)))
        .await;
    assert_eq!(reply.status.as_u16(), 201, "{}", reply.text());
    reply.json()
}

/// Asks to move `month`'s cycle to `to`.
pub async fn move_to(app: &TestApp, month: &str, to: &str) -> crate::support::Reply {
    app.admin(
        Method::POST,
        &format!("/api/v1/admin/cycles/{month}/stage"),
        Some(&json!({"to": to})),
    )
    .await
}

/// Everything the public and the audit log show, to compare before and after a refusal.
pub async fn everything(app: &TestApp, month: &str) -> Vec<String> {
    let mut seen = Vec::new();
    for uri in [
        format!("/api/v1/cycles/{month}"),
        "/api/v1/cycles".to_owned(),
        "/api/v1/topics".to_owned(),
        "/api/v1/admin/audit?per_page=1000".to_owned(),
    ] {
        seen.push(app.admin(Method::GET, &uri, None).await.text());
    }
    seen
}

async fn a_cycle_is_created_with_its_plan_and_is_the_current_one() {
    let app = city().await;
    app.get("/api/v1/cycle").await.problem(404);
    let view = create(&app, "2026-05").await;
    assert_eq!(view.month.to_string(), "2026-05");
    assert_eq!(view.stage, CycleStage::Soliciting);
    let planned: Vec<(&str, &str, Option<i64>)> = view
        .stages
        .iter()
        .map(|s| (s.stage.as_str(), s.planned.as_str(), s.entered_at))
        .collect();
    let now = app.state.clock.now();
    assert_eq!(
        planned,
        [
            ("soliciting", "2026-05-01", Some(now)),
            ("screening", "2026-05-08", None),
            ("voting", "2026-05-12", None),
            ("meeting", "2026-05-20", None),
            ("decided", "2026-05-22", None),
            ("implementing", "2026-05-25", None),
            ("reviewing", "2026-05-27", None),
            ("closed", "2026-05-28", None),
        ]
    );
    let current: CycleView = app.get("/api/v1/cycle").await.json();
    assert_eq!(current, view);
    let one: CycleView = app.get("/api/v1/cycles/2026-05").await.json();
    assert_eq!(one, view);
    app.get("/api/v1/cycles/2026-06").await.problem(404);
    app.get("/api/v1/cycles/2026-5").await.problem(404);
    // The same month twice conflicts.
    app.admin(Method::POST, "/api/v1/admin/cycles", Some(&plan("2026-05")))
        .await
        .problem(409);
    let audit: AuditPage = app
        .admin(
            Method::GET,
            "/api/v1/admin/audit?action=cycle_created",
            None,
        )
        .await
        .json();
    let details: Vec<&str> = audit.items.iter().map(|e| e.detail.as_str()).collect();
    assert_eq!(details, ["2026-05"]);
}

async fn a_bad_plan_is_refused_field_by_field() {
    let app = city().await;
    let mut back = plan("2026-05");
    back["plan"][3]["day"] = json!("2026-05-02");
    let refused = app
        .admin(Method::POST, "/api/v1/admin/cycles", Some(&back))
        .await
        .problem(422);
    assert_eq!(refused["errors"][0]["code"], "out_of_order");
    let mut missing = plan("2026-05");
    missing["plan"].as_array_mut().map(Vec::pop);
    let refused = app
        .admin(Method::POST, "/api/v1/admin/cycles", Some(&missing))
        .await
        .problem(422);
    assert_eq!(refused["errors"][0]["field"], "plan");
    let bad_month = json!({"month": "2026-13", "plan": plan("2026-05")["plan"]});
    // A month that is not `YYYY-MM` does not fit the body's shape.
    app.admin(Method::POST, "/api/v1/admin/cycles", Some(&bad_month))
        .await
        .problem(400);
    let cycles: Vec<CycleSummary> = app.get("/api/v1/cycles").await.json();
    assert_eq!(cycles, []);
}

async fn the_current_cycle_is_this_months_else_the_latest_open_one() {
    let app = city().await;
    create(&app, "2026-03").await;
    create(&app, "2026-04").await;
    // No cycle for May (the clock's month): the latest not closed, April.
    let current: CycleView = app.get("/api/v1/cycle").await.json();
    assert_eq!(current.month.to_string(), "2026-04");
    create(&app, "2026-05").await;
    let current: CycleView = app.get("/api/v1/cycle").await.json();
    assert_eq!(current.month.to_string(), "2026-05");
    // A month to come is not current while May has its cycle.
    create(&app, "2026-06").await;
    let current: CycleView = app.get("/api/v1/cycle").await.json();
    assert_eq!(current.month.to_string(), "2026-05");
    let archive: Vec<CycleSummary> = app.get("/api/v1/cycles").await.json();
    let months: Vec<String> = archive.iter().map(|c| c.month.to_string()).collect();
    assert_eq!(months, ["2026-06", "2026-05", "2026-04", "2026-03"]);
}

async fn a_move_goes_to_the_next_stage_only_and_is_audited() {
    let app = city().await;
    create(&app, "2026-05").await;
    app.state.clock.advance(3600);
    let moved = move_to(&app, "2026-05", "screening").await;
    assert_eq!(moved.status.as_u16(), 200, "{}", moved.text());
    let view: CycleView = moved.json();
    assert_eq!(view.stage, CycleStage::Screening);
    assert_eq!(view.stages[1].entered_at, Some(app.state.clock.now()));

    let before = everything(&app, "2026-05").await;
    for (to, why) in [
        ("soliciting", "back"),
        ("screening", "the same stage"),
        ("meeting", "skipping voting"),
        ("closed", "skipping to the end"),
    ] {
        let refused = move_to(&app, "2026-05", to).await.problem(409);
        assert_eq!(refused["type"], "/problems/wrong-stage", "{why}");
    }
    move_to(&app, "2026-07", "screening").await.problem(404);
    move_to(&app, "2026-5", "screening").await.problem(404);
    let bad = app
        .admin(
            Method::POST,
            "/api/v1/admin/cycles/2026-05/stage",
            Some(&json!({"to": "later"})),
        )
        .await;
    assert_eq!(bad.status.as_u16(), 400, "{}", bad.text());
    assert_eq!(everything(&app, "2026-05").await, before);

    let audit: AuditPage = app
        .admin(Method::GET, "/api/v1/admin/audit?action=stage_moved", None)
        .await
        .json();
    let details: Vec<&str> = audit.items.iter().map(|e| e.detail.as_str()).collect();
    assert_eq!(details, ["2026-05: soliciting → screening"]);
}

async fn voting_does_not_open_without_candidates_and_weights() {
    let app = city().await;
    create(&app, "2026-05").await;
    assert_eq!(
        move_to(&app, "2026-05", "screening").await.status.as_u16(),
        200
    );
    let before = everything(&app, "2026-05").await;
    let refused = move_to(&app, "2026-05", "voting").await.problem(409);
    assert_eq!(refused["type"], "/problems/stage-not-ready");
    assert_eq!(everything(&app, "2026-05").await, before);
}

crate::on_every_backend!(
    a_cycle_is_created_with_its_plan_and_is_the_current_one,
    a_bad_plan_is_refused_field_by_field,
    the_current_cycle_is_this_months_else_the_latest_open_one,
    a_move_goes_to_the_next_stage_only_and_is_audited,
    voting_does_not_open_without_candidates_and_weights,
);
