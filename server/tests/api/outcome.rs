//! What follows a month's choice, walked through the API with literal inputs: the meeting
//! (waitlist promoted on a cancellation, single-use check-in codes, private opinions), the
//! decision with measures of two units (the other unit refused and nothing changed), a
//! measure made overdue by moving the server's clock, the progress as a mean worked out by
//! hand, the evaluations' literal counts, and closing refused then allowed after a
//! follow-up measure.

use axum::http::Method;
use omk_api::{AuditPage, CycleStage, CycleView, MeasureStatus, RegistrationReceipt};
use serde_json::{Value, json};

use crate::cycle::{city, create, move_to};
use crate::cycle_selection::{as_operator, reference, sign_in};
use crate::support::{Reply, TestApp};

const MONTH: &str = "2026-05";
/// What one attendee writes: it must never be in a public reply.
const OPINION: &str = "希望电梯加装后公布维保电话和责任人";

/// Takes `month`'s cycle (created here, with the reference data) to `meeting`: weights, two
/// candidates, voting, a choice.
pub async fn to_meeting(app: &TestApp, month: &str) {
    reference(app).await;
    create(app, month).await;
    let weights = json!({"representatives": 40, "public": 30, "hotline": 20, "proposals": 10});
    let set = app
        .admin(
            Method::PUT,
            &format!("/api/v1/admin/cycles/{month}/weights"),
            Some(&weights),
        )
        .await;
    assert_eq!(set.status.as_u16(), 200, "{}", set.text());
    assert_eq!(move_to(app, month, "screening").await.status.as_u16(), 200);
    for (position, (id, zh, en, unit, category)) in [
        ("lifts", "加装电梯", "Lifts", "housing", "building"),
        ("parking", "停车难", "Parking", "urban", "parking"),
    ]
    .into_iter()
    .enumerate()
    {
        let reply = app
            .admin(
                Method::PUT,
                &format!("/api/v1/admin/cycles/{month}/candidates/{id}"),
                Some(&json!({"title_zh": zh, "title_en": en, "lead_unit": unit,
                             "category": category, "position": position, "proposals": []})),
            )
            .await;
        assert_eq!(reply.status.as_u16(), 200, "{}", reply.text());
    }
    assert_eq!(move_to(app, month, "voting").await.status.as_u16(), 200);
    let chosen = app
        .admin(
            Method::POST,
            &format!("/api/v1/admin/cycles/{month}/choice"),
            Some(&json!({"candidate": "lifts", "reason": "电梯涉及安全"})),
        )
        .await;
    assert_eq!(chosen.status.as_u16(), 200, "{}", chosen.text());
    let reply = move_to(app, month, "meeting").await;
    assert_eq!(reply.status.as_u16(), 200, "{}", reply.text());
}

/// Creates an event of `capacity` public seats starting in a day and lasting two hours;
/// returns its id.
pub async fn meeting_event(app: &TestApp, capacity: i64) -> i64 {
    let start = app.state.clock.now() + 86_400;
    let created = app
        .admin(
            Method::POST,
            "/api/v1/admin/events",
            Some(
                &json!({"title": "加装电梯专题会", "unit": "住建局", "district": "东昌府区",
                         "theme": "走进机关", "place": "市政府第三会议室", "starts_at": start,
                         "ends_at": start + 7200, "capacity": capacity, "registration": true,
                         "summary": "执行会议"}),
            ),
        )
        .await;
    assert_eq!(created.status.as_u16(), 201, "{}", created.text());
    created.json::<Value>()["id"].as_i64().expect("an id")
}

/// Attaches `event` as `month`'s meeting with `invited` invited seats.
pub async fn attach(app: &TestApp, month: &str, event: i64, invited: u32) -> Reply {
    app.admin(
        Method::PUT,
        &format!("/api/v1/admin/cycles/{month}/meeting"),
        Some(&json!({"event": event, "invited_seats": invited})),
    )
    .await
}

async fn register(app: &TestApp, event: i64) -> RegistrationReceipt {
    let reply = app
        .post_json(
            &format!("/api/v1/events/{event}/registrations"),
            &json!({"seats": 1}),
        )
        .await;
    assert_eq!(reply.status.as_u16(), 201, "{}", reply.text());
    reply.json()
}

async fn view(app: &TestApp, month: &str) -> CycleView {
    let reply = app.get(&format!("/api/v1/cycles/{month}")).await;
    assert_eq!(reply.status.as_u16(), 200, "{}", reply.text());
    reply.json()
}

async fn check_in(app: &TestApp, code: &str) -> Reply {
    app.admin(
        Method::POST,
        "/api/v1/admin/checkins",
        Some(&json!({ "code": code })),
    )
    .await
}

async fn audit_actions(app: &TestApp) -> Vec<String> {
    let page: AuditPage = app
        .admin(Method::GET, "/api/v1/admin/audit?per_page=1000", None)
        .await
        .json();
    page.items
        .iter()
        .map(|e| e.action.as_str().to_owned())
        .collect()
}

fn count(actions: &[String], action: &str) -> usize {
    actions.iter().filter(|a| *a == action).count()
}

async fn a_full_meeting_waitlists_promotes_on_cancel_and_checks_in_once() {
    let app = city().await;
    to_meeting(&app, MONTH).await;
    let event = meeting_event(&app, 2).await;
    let attached = attach(&app, MONTH, event, 10).await;
    assert_eq!(attached.status.as_u16(), 200, "{}", attached.text());

    let first = register(&app, event).await;
    let second = register(&app, event).await;
    let third = register(&app, event).await;
    let fourth = register(&app, event).await;
    assert!(first.checkin_code.is_some() && second.checkin_code.is_some());
    assert_eq!(
        (first.waitlist_position, second.waitlist_position),
        (None, None)
    );
    assert_eq!(
        (third.waitlist_position, fourth.waitlist_position),
        (Some(1), Some(2))
    );
    assert_eq!(
        (third.checkin_code.as_ref(), fourth.checkin_code.as_ref()),
        (None, None)
    );
    let meeting = view(&app, MONTH).await.outcome.meeting.expect("a meeting");
    assert_eq!(
        (
            meeting.public_taken,
            meeting.public_total,
            meeting.invited_total,
            meeting.waitlist
        ),
        (2, 2, 10, 2)
    );

    // The first cancels: the third is admitted in the same transaction, the fourth moves up.
    let cancelled = app
        .send(
            axum::http::Request::delete(format!("/api/v1/registrations/{}", first.code))
                .body(axum::body::Body::empty())
                .expect("request"),
        )
        .await;
    assert_eq!(cancelled.status.as_u16(), 200, "{}", cancelled.text());
    assert_eq!(cancelled.json::<Value>()["state"], "cancelled");
    let promoted: Value = app
        .get(&format!("/api/v1/registrations/{}", third.code))
        .await
        .json();
    assert_eq!(promoted["state"], "admitted");
    let third_checkin = promoted["checkin_code"]
        .as_str()
        .expect("a code")
        .to_owned();
    let waiting: Value = app
        .get(&format!("/api/v1/registrations/{}", fourth.code))
        .await
        .json();
    assert_eq!(
        (
            waiting["state"].as_str(),
            waiting["waitlist_position"].as_i64()
        ),
        (Some("waitlisted"), Some(1))
    );
    let meeting = view(&app, MONTH).await.outcome.meeting.expect("a meeting");
    assert_eq!((meeting.public_taken, meeting.waitlist), (2, 1));

    // Check-in: once per code; a used, unknown or cancelled code is refused and audited.
    let second_code = second.checkin_code.clone().expect("a code");
    let done = check_in(&app, &second_code).await;
    assert_eq!(done.status.as_u16(), 200, "{}", done.text());
    let again = check_in(&app, &second_code).await.problem(409);
    assert!(
        again["type"]
            .as_str()
            .is_some_and(|t| t.ends_with("checkin-used"))
    );
    let unknown = check_in(&app, "CK-0000-0000").await.problem(422);
    assert!(
        unknown["type"]
            .as_str()
            .is_some_and(|t| t.ends_with("checkin-unknown"))
    );
    check_in(&app, first.checkin_code.as_deref().expect("a code"))
        .await
        .problem(422);
    assert_eq!(check_in(&app, &third_checkin).await.status.as_u16(), 200);
    let actions = audit_actions(&app).await;
    assert_eq!(
        (
            count(&actions, "checked_in"),
            count(&actions, "checkin_refused")
        ),
        (2, 3)
    );

    // Opinions: only after check-in, once; private.
    let opinion_of = |code: &str| format!("/api/v1/registrations/{code}/opinion");
    app.post_json(&opinion_of(&fourth.code), &json!({"text": OPINION}))
        .await
        .problem(409);
    let left = app
        .post_json(&opinion_of(&second.code), &json!({"text": OPINION}))
        .await;
    assert_eq!(left.status.as_u16(), 201, "{}", left.text());
    app.post_json(&opinion_of(&second.code), &json!({"text": "再说一次"}))
        .await
        .problem(409);
    for uri in [
        format!("/api/v1/cycles/{MONTH}"),
        "/api/v1/cycle".to_owned(),
        "/api/v1/cycles".to_owned(),
        format!("/api/v1/registrations/{}", second.code),
        format!("/api/v1/events/{event}"),
        "/api/v1/events?per_page=100".to_owned(),
    ] {
        let reply = app.get(&uri).await;
        assert_eq!(reply.status.as_u16(), 200, "{uri}: {}", reply.text());
        assert!(!reply.text().contains(OPINION), "{uri} shows the opinion");
    }
    let opinions_uri = format!("/api/v1/admin/cycles/{MONTH}/opinions");
    let read = app.admin(Method::GET, &opinions_uri, None).await;
    assert_eq!(read.status.as_u16(), 200, "{}", read.text());
    let read: Value = read.json();
    assert_eq!(read.as_array().map(Vec::len), Some(1));
    assert_eq!(read[0]["text"], OPINION);
    let supervisor = sign_in(&app, "zhao").await;
    let seen = as_operator(&app, &supervisor, Method::GET, &opinions_uri, None).await;
    assert_eq!(seen.status.as_u16(), 200, "{}", seen.text());
    let unit = sign_in(&app, "li").await;
    as_operator(&app, &unit, Method::GET, &opinions_uri, None)
        .await
        .problem(403);
    let actions = audit_actions(&app).await;
    assert_eq!(count(&actions, "opinions_viewed"), 2);
}

async fn a_full_event_that_is_no_meeting_still_refuses_without_a_waitlist() {
    let app = city().await;
    to_meeting(&app, MONTH).await;
    let event = meeting_event(&app, 1).await;
    let first = register(&app, event).await;
    assert_eq!((first.waitlist_position, first.checkin_code), (None, None));
    let full = app
        .post_json(
            &format!("/api/v1/events/{event}/registrations"),
            &json!({"seats": 1}),
        )
        .await
        .problem(409);
    assert!(
        full["type"]
            .as_str()
            .is_some_and(|t| t.ends_with("event-full"))
    );
}

fn measure(title: &str, unit: &str, due: &str, status: &str, percent: u8) -> Value {
    json!({"title": title, "owner_unit": unit, "due": due, "status": status, "percent": percent})
}

async fn add_measure(app: &TestApp, month: &str, body: &Value) -> Reply {
    app.admin(
        Method::POST,
        &format!("/api/v1/admin/cycles/{month}/measures"),
        Some(body),
    )
    .await
}

/// Takes `month` from `meeting` to `decided`: a meeting that is over, a decision, a measure
/// of each unit (housing due 2026-05-31 at 40 %, urban due 2026-06-30 at 10 %); returns
/// their ids.
async fn decide(app: &TestApp, month: &str) -> (i64, i64) {
    let event = meeting_event(app, 5).await;
    assert_eq!(attach(app, month, event, 3).await.status.as_u16(), 200);
    let decision = app
        .admin(
            Method::PUT,
            &format!("/api/v1/admin/cycles/{month}/decision"),
            Some(&json!({"summary_zh": "年内为十二个老旧小区加装电梯",
                         "summary_en": "Lifts for twelve old estates this year",
                         "lead_unit": "housing"})),
        )
        .await;
    assert_eq!(decision.status.as_u16(), 200, "{}", decision.text());
    let housing = add_measure(
        app,
        month,
        &measure(
            "完成首批四个小区",
            "housing",
            "2026-05-31",
            "in_progress",
            40,
        ),
    )
    .await;
    assert_eq!(housing.status.as_u16(), 201, "{}", housing.text());
    let urban = add_measure(
        app,
        month,
        &measure("施工期间临时停车", "urban", "2026-06-30", "not_started", 10),
    )
    .await;
    assert_eq!(urban.status.as_u16(), 201, "{}", urban.text());
    // The meeting has not taken place yet: no decision can be published.
    move_to(app, month, "decided").await.problem(409);
    app.state.clock.advance(86_400 + 7200);
    let reply = move_to(app, month, "decided").await;
    assert_eq!(reply.status.as_u16(), 200, "{}", reply.text());
    (
        housing.json::<Value>()["id"].as_i64().expect("an id"),
        urban.json::<Value>()["id"].as_i64().expect("an id"),
    )
}

async fn a_decision_has_measures_of_two_units_each_kept_by_its_own() {
    let app = city().await;
    to_meeting(&app, MONTH).await;
    // No decision and no measure: `decided` is refused.
    let event = meeting_event(&app, 5).await;
    attach(&app, MONTH, event, 0).await;
    app.state.clock.advance(86_400 + 7200);
    move_to(&app, MONTH, "decided").await.problem(409);
    let (housing, urban) = decide(&app, MONTH).await;
    let decided = view(&app, MONTH).await;
    assert_eq!(decided.stage, CycleStage::Decided);
    let decision = decided.outcome.decision.clone().expect("a decision");
    assert_eq!(decision.lead_unit, "housing");
    // (40 + 10) / 2
    assert_eq!(decided.outcome.progress, Some(25.0));

    // The housing operator keeps housing's measure, and nothing of urban's.
    let li = sign_in(&app, "li").await;
    let own = as_operator(
        &app,
        &li,
        Method::PUT,
        &format!("/api/v1/admin/measures/{housing}"),
        Some(&measure(
            "完成首批四个小区",
            "housing",
            "2026-05-31",
            "in_progress",
            70,
        )),
    )
    .await;
    assert_eq!(own.status.as_u16(), 200, "{}", own.text());
    let noted = as_operator(
        &app,
        &li,
        Method::POST,
        &format!("/api/v1/admin/measures/{housing}/updates"),
        Some(&json!({"text": "两个小区已完成井道施工"})),
    )
    .await;
    assert_eq!(noted.status.as_u16(), 201, "{}", noted.text());
    let before = view(&app, MONTH).await;
    let refused_before = count(&audit_actions(&app).await, "refused");
    for (method, uri, body) in [
        (
            Method::PUT,
            format!("/api/v1/admin/measures/{urban}"),
            measure("施工期间临时停车", "urban", "2026-06-30", "done", 100),
        ),
        (
            Method::POST,
            format!("/api/v1/admin/measures/{urban}/updates"),
            json!({"text": "已完成"}),
        ),
        // Nor may it hand its own measure to another unit.
        (
            Method::PUT,
            format!("/api/v1/admin/measures/{housing}"),
            measure("完成首批四个小区", "urban", "2026-05-31", "in_progress", 70),
        ),
    ] {
        as_operator(&app, &li, method, &uri, Some(&body))
            .await
            .problem(403);
    }
    assert_eq!(view(&app, MONTH).await, before);
    assert_eq!(
        count(&audit_actions(&app).await, "refused"),
        refused_before + 3
    );
    // Supervisors read, never write.
    let zhao = sign_in(&app, "zhao").await;
    as_operator(
        &app,
        &zhao,
        Method::PUT,
        &format!("/api/v1/admin/measures/{housing}"),
        Some(&measure(
            "完成首批四个小区",
            "housing",
            "2026-05-31",
            "done",
            100,
        )),
    )
    .await
    .problem(403);

    let after = view(&app, MONTH).await;
    let shown: Vec<(i64, &str, u8, MeasureStatus, usize)> = after
        .outcome
        .measures
        .iter()
        .map(|m| {
            (
                m.id,
                m.owner_unit.as_str(),
                m.percent,
                m.status,
                m.updates.len(),
            )
        })
        .collect();
    assert_eq!(
        shown,
        vec![
            (housing, "housing", 70, MeasureStatus::InProgress, 1),
            (urban, "urban", 10, MeasureStatus::NotStarted, 0),
        ]
    );
    assert_eq!(
        after.outcome.measures[0].updates[0].text,
        "两个小区已完成井道施工"
    );
    // (70 + 10) / 2
    assert_eq!(after.outcome.progress, Some(40.0));

    // 2026-06-01 (Beijing): housing's measure is past its day and not done, so delayed;
    // urban's is not due yet. Done, it is done whatever the day.
    let now = app.state.clock.now();
    app.state.clock.advance(1_780_243_200 - now);
    let overdue = view(&app, MONTH).await;
    let statuses: Vec<MeasureStatus> = overdue.outcome.measures.iter().map(|m| m.status).collect();
    assert_eq!(
        statuses,
        vec![MeasureStatus::Delayed, MeasureStatus::NotStarted]
    );
    // A session does not outlive the weeks the clock moved: sign in again.
    let li = sign_in(&app, "li").await;
    let finished = as_operator(
        &app,
        &li,
        Method::PUT,
        &format!("/api/v1/admin/measures/{housing}"),
        Some(&measure(
            "完成首批四个小区",
            "housing",
            "2026-05-31",
            "done",
            100,
        )),
    )
    .await;
    assert_eq!(finished.status.as_u16(), 200, "{}", finished.text());
    let finished = view(&app, MONTH).await;
    assert_eq!(finished.outcome.measures[0].status, MeasureStatus::Done);
    // (100 + 10) / 2
    assert_eq!(finished.outcome.progress, Some(55.0));
}

async fn evaluate(app: &TestApp, month: &str, outcome: &str, stars: u8) -> Reply {
    app.post_json(
        &format!("/api/v1/cycles/{month}/evaluations"),
        &json!({"outcome": outcome, "stars": stars}),
    )
    .await
}

async fn evaluations_are_counted_with_n_and_close_needs_a_follow_up() {
    let app = city().await;
    to_meeting(&app, MONTH).await;
    decide(&app, MONTH).await;
    assert_eq!(
        move_to(&app, MONTH, "implementing").await.status.as_u16(),
        200
    );
    // Not yet: the result is reviewed later.
    let early = evaluate(&app, MONTH, "solved", 5).await.problem(409);
    assert!(
        early["type"]
            .as_str()
            .is_some_and(|t| t.ends_with("wrong-stage"))
    );
    let follow_up = json!({"title": "回访未解决的小区", "owner_unit": "housing",
                           "due": "2026-07-15", "status": "not_started", "percent": 0,
                           "follow_up": true});
    add_measure(&app, MONTH, &follow_up).await.problem(422);
    assert_eq!(move_to(&app, MONTH, "reviewing").await.status.as_u16(), 200);

    // No evaluations: no figure, never 0.
    let raw: Value = app.get(&format!("/api/v1/cycles/{MONTH}")).await.json();
    assert_eq!(raw["outcome"]["evaluation"]["n"], 0);
    assert!(raw["outcome"]["evaluation"]["mean_stars"].is_null());

    for (outcome, stars) in [
        ("not_solved", 1),
        ("not_solved", 2),
        ("solved", 5),
        ("partly", 3),
    ] {
        let reply = evaluate(&app, MONTH, outcome, stars).await;
        assert_eq!(reply.status.as_u16(), 201, "{}", reply.text());
    }
    evaluate(&app, MONTH, "solved", 6).await.problem(422);
    evaluate(&app, MONTH, "solved", 0).await.problem(422);
    let figure = view(&app, MONTH).await.outcome.evaluation;
    assert_eq!(
        (figure.n, figure.solved, figure.partly, figure.not_solved),
        (4, 1, 1, 2)
    );
    // (1 + 2 + 5 + 3) / 4
    assert_eq!(figure.mean_stars, Some(2.75));

    // Two "not solved" against one "solved": no closing without a follow-up measure.
    let blocked = move_to(&app, MONTH, "closed").await.problem(409);
    assert!(
        blocked["type"]
            .as_str()
            .is_some_and(|t| t.ends_with("stage-not-ready"))
    );
    let plain = measure("补充宣传", "housing", "2026-07-15", "not_started", 0);
    assert_eq!(add_measure(&app, MONTH, &plain).await.status.as_u16(), 201);
    move_to(&app, MONTH, "closed").await.problem(409);
    let added = add_measure(&app, MONTH, &follow_up).await;
    assert_eq!(added.status.as_u16(), 201, "{}", added.text());
    assert_eq!(added.json::<Value>()["follow_up"], true);
    let closed = move_to(&app, MONTH, "closed").await;
    assert_eq!(closed.status.as_u16(), 200, "{}", closed.text());
    // Closed: no more evaluations.
    evaluate(&app, MONTH, "solved", 4).await.problem(409);
    let archived = view(&app, MONTH).await;
    assert_eq!(archived.stage, CycleStage::Closed);
    assert_eq!(archived.outcome.evaluation.n, 4);
    assert_eq!(archived.outcome.measures.len(), 4);
}

async fn the_demo_reviews_last_months_result_and_closed_the_one_before() {
    let app = crate::support::seeded_at_demo_moment().await;
    // 2026-09-01: August is under review, July closed.
    let august = view(&app, "2026-08").await;
    assert_eq!(august.stage, CycleStage::Reviewing);
    let meeting = august.outcome.meeting.clone().expect("a meeting");
    // 34 asked for 30 public seats: 2 cancelled (2 promoted), 2 still waiting.
    assert_eq!(
        (
            meeting.public_taken,
            meeting.public_total,
            meeting.invited_total,
            meeting.waitlist
        ),
        (30, 30, 12, 2)
    );
    let measures: Vec<(MeasureStatus, u8)> = august
        .outcome
        .measures
        .iter()
        .map(|m| (m.status, m.percent))
        .collect();
    // The second was due on 2026-08-30 and is not done: delayed.
    assert_eq!(
        measures,
        vec![
            (MeasureStatus::Done, 100),
            (MeasureStatus::Delayed, 60),
            (MeasureStatus::NotStarted, 0)
        ]
    );
    // (100 + 60 + 0) / 3
    assert_eq!(august.outcome.progress, Some(53.33));
    let figure = &august.outcome.evaluation;
    assert_eq!(figure.n, 23);
    assert_eq!(figure.solved + figure.partly + figure.not_solved, 23);
    assert!(figure.mean_stars.is_some_and(|m| (1.0..=5.0).contains(&m)));

    let july = view(&app, "2026-07").await;
    assert_eq!(july.stage, CycleStage::Closed);
    let figure = &july.outcome.evaluation;
    assert_eq!(figure.n, 46);
    let follow_ups = july.outcome.measures.iter().filter(|m| m.follow_up).count();
    assert_eq!(follow_ups, usize::from(figure.not_solved > figure.solved));
    for uri in [
        "/api/v1/cycles/2026-08",
        "/api/v1/cycles/2026-07",
        "/api/v1/cycle",
    ] {
        let text = app.get(uri).await.text();
        assert!(!text.contains("期待落实"), "{uri} shows an opinion");
    }
    let opinions: Value = app
        .admin(Method::GET, "/api/v1/admin/cycles/2026-08/opinions", None)
        .await
        .json();
    assert_eq!(opinions.as_array().map(Vec::len), Some(3));
}

crate::on_every_backend!(
    the_demo_reviews_last_months_result_and_closed_the_one_before,
    a_full_meeting_waitlists_promotes_on_cancel_and_checks_in_once,
    a_full_event_that_is_no_meeting_still_refuses_without_a_waitlist,
    a_decision_has_measures_of_two_units_each_kept_by_its_own,
    evaluations_are_counted_with_n_and_close_needs_a_follow_up,
);
