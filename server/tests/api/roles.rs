//! The role table (who may do what) walked over every operation of the OpenAPI
//! document: each path and method, tried by each caller (no credentials, a unit
//! operator on their own unit's issue and on another unit's, an admin's session, the
//! service token) with real ids and valid bodies. "Reached" means past authentication
//! and authorisation: 2xx for valid input, never 401 or 403. A refusal is a
//! problem+json that changes nothing stored, except that a 403 is audited.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use omk_api::{Breakdown, InboxPage, IssueReceipt};
use omk_server::public_url::PublicUrl;
use serde_json::{Value, json};
use tower::ServiceExt;

use crate::support::session::{PASSWORD, Signed, sign_in};
use crate::support::{ADMIN_TOKEN, Reply, TestApp, fresh_key};

/// The unit operator's unit, and the other unit.
const UNIT: &str = "housing";
const OTHER_UNIT: &str = "urban";
/// A category routed to each.
const UNIT_CATEGORY: &str = "building";
const OTHER_CATEGORY: &str = "parking";

/// Who calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Caller {
    Anonymous,
    /// The operator of [`UNIT`], on an issue routed to it.
    Unit,
    /// The same operator, on an issue routed to [`OTHER_UNIT`].
    UnitElsewhere,
    Admin,
    Token,
    /// A moderator: reads every unit's issues and moderates their text.
    Moderator,
    /// A supervisor: reads, never writes.
    Supervisor,
}

/// What the table says a caller gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    Reached,
    Unauthorized,
    Forbidden,
}

/// The work on one issue: reached by its unit's operator, 403 for another unit's.
const ISSUE_WORK: [(&str, &str); 5] = [
    ("GET", "/api/v1/admin/issues/{tracking_no}"),
    ("POST", "/api/v1/admin/issues/{tracking_no}/status"),
    ("POST", "/api/v1/admin/issues/{tracking_no}/route"),
    ("POST", "/api/v1/admin/issues/{tracking_no}/moderation"),
    ("POST", "/api/v1/admin/issues/{tracking_no}/contact"),
];

/// A measure's work: reached by its unit's operator, 403 for another unit's (audited);
/// moderators and supervisors never.
const MEASURE_WORK: [(&str, &str); 2] = [
    ("PUT", "/api/v1/admin/measures/{id}"),
    ("POST", "/api/v1/admin/measures/{id}/updates"),
];

/// The work on one letter: reached by the operators of the unit it is routed to (403 for
/// another unit's); read by every role that reads every unit's work; its contact and reply
/// by its unit's operators and admins only.
const LETTER_WORK: [(&str, &str); 3] = [
    ("GET", "/api/v1/admin/letters/{code}"),
    ("POST", "/api/v1/admin/letters/{code}/contact"),
    ("POST", "/api/v1/admin/letters/{code}/reply"),
];

/// What moderators do besides admins: approve public text (a letter's public version, a
/// comment) and promote a letter or a comment to a proposal.
const MODERATION: [(&str, &str); 4] = [
    ("POST", "/api/v1/admin/letters/{code}/publication"),
    (
        "POST",
        "/api/v1/admin/consultations/{id}/comments/{comment}/moderation",
    ),
    ("POST", "/api/v1/admin/letters/{code}/promotion"),
    (
        "POST",
        "/api/v1/admin/consultations/{id}/comments/{comment}/promotion",
    ),
];

/// What every role that sees every unit reads (admins, moderators, supervisors).
const EVERY_UNIT_READS: [(&str, &str); 2] = [
    ("GET", "/api/v1/admin/consultations"),
    ("GET", "/api/v1/admin/consultations/{id}"),
];

/// What admins and supervisors read.
const READERS: [(&str, &str); 8] = [
    ("GET", "/api/v1/admin/letters/supervision"),
    ("GET", "/api/v1/admin/audit"),
    ("GET", "/api/v1/admin/audit.csv"),
    ("GET", "/api/v1/admin/categories"),
    ("GET", "/api/v1/admin/{list}"),
    ("GET", "/api/v1/admin/export/issues.csv"),
    ("GET", "/api/v1/admin/export/ratings.csv"),
    ("GET", "/api/v1/admin/cycles/{month}/opinions"),
];

/// Every other `/admin` operation: admins only.
const ADMIN_ONLY: [(&str, &str); 26] = [
    ("PUT", "/api/v1/admin/categories/{id}"),
    ("PUT", "/api/v1/admin/{list}/{id}"),
    ("PUT", "/api/v1/admin/topics/{id}"),
    ("POST", "/api/v1/admin/events"),
    ("PUT", "/api/v1/admin/events/{id}"),
    ("DELETE", "/api/v1/admin/events/{id}"),
    ("POST", "/api/v1/admin/events/import"),
    ("GET", "/api/v1/admin/operators"),
    ("PUT", "/api/v1/admin/operators/{login}"),
    ("POST", "/api/v1/admin/cycles"),
    ("POST", "/api/v1/admin/cycles/{month}/stage"),
    ("PUT", "/api/v1/admin/cycles/{month}/meeting"),
    ("POST", "/api/v1/admin/checkins"),
    ("PUT", "/api/v1/admin/cycles/{month}/decision"),
    ("POST", "/api/v1/admin/cycles/{month}/measures"),
    ("PUT", "/api/v1/admin/cycles/{month}/weights"),
    ("PUT", "/api/v1/admin/cycles/{month}/candidates/{id}"),
    ("POST", "/api/v1/admin/cycles/{month}/signals"),
    ("POST", "/api/v1/admin/cycles/{month}/codes"),
    ("POST", "/api/v1/admin/cycles/{month}/choice"),
    ("POST", "/api/v1/admin/proposals/{code}/contact"),
    ("POST", "/api/v1/admin/letters/{code}/review"),
    ("POST", "/api/v1/admin/consultations"),
    ("PUT", "/api/v1/admin/consultations/{id}"),
    ("POST", "/api/v1/admin/consultations/{id}/publication"),
    ("POST", "/api/v1/admin/consultations/{id}/note"),
];

/// A cycle the city takes to `reviewing` (through a meeting, a decision and a measure), for
/// the operations of the stages after the choice.
const REVIEWING: &str = "2099-10";

/// The moderation of visitors' proposals: moderators and admins.
const PROPOSAL_MODERATION: (&str, &str) = ("POST", "/api/v1/admin/proposals/{code}/moderation");

/// The moderation queue: moderators, supervisors and admins read it.
const MODERATION_QUEUE: (&str, &str) = ("GET", "/api/v1/admin/cycles/{month}/proposals");

/// The month whose cycle is `screening` (candidates are edited), and the one that is
/// `voting` (representatives vote, the topic is chosen).
const SCREENING_MONTH: &str = "2099-11";
const VOTING_MONTH: &str = "2099-12";

/// The role table: what `caller` gets from `method path`; `None` for an operation the
/// table does not classify.
fn expected(method: &str, path: &str, caller: Caller) -> Option<Expect> {
    use Caller::*;
    use Expect::*;
    let operators = path.starts_with("/api/v1/admin/") || path == "/api/v1/admin";
    let session = path == "/api/v1/session";
    if !operators && !path.starts_with("/api/v1/session") {
        return Some(Reached);
    }
    let key = (method, path);
    let answer = if session && method == "POST" {
        Reached
    } else if session && (method == "GET" || method == "DELETE") {
        match caller {
            Anonymous | Token => Unauthorized,
            Unit | UnitElsewhere | Admin | Moderator | Supervisor => Reached,
        }
    } else if key == ("GET", "/api/v1/admin/issues")
        || key == ("GET", "/api/v1/admin/figures")
        || key == ("GET", "/api/v1/admin/letters")
    {
        match caller {
            Anonymous => Unauthorized,
            _ => Reached,
        }
    } else if ISSUE_WORK.contains(&key) || LETTER_WORK.contains(&key) {
        let reads = method == "GET";
        let moderates = path.ends_with("/moderation");
        match caller {
            Anonymous => Unauthorized,
            UnitElsewhere => Forbidden,
            Unit | Admin | Token => Reached,
            Moderator if reads || moderates => Reached,
            Supervisor if reads => Reached,
            Moderator | Supervisor => Forbidden,
        }
    } else if MEASURE_WORK.contains(&key) {
        match caller {
            Anonymous => Unauthorized,
            UnitElsewhere | Moderator | Supervisor => Forbidden,
            Unit | Admin | Token => Reached,
        }
    } else if MODERATION.contains(&key) {
        match caller {
            Anonymous => Unauthorized,
            Unit | UnitElsewhere | Supervisor => Forbidden,
            Admin | Token | Moderator => Reached,
        }
    } else if EVERY_UNIT_READS.contains(&key) {
        match caller {
            Anonymous => Unauthorized,
            Unit | UnitElsewhere => Forbidden,
            Admin | Token | Moderator | Supervisor => Reached,
        }
    } else if READERS.contains(&key) {
        match caller {
            Anonymous => Unauthorized,
            Unit | UnitElsewhere | Moderator => Forbidden,
            Admin | Token | Supervisor => Reached,
        }
    } else if key == PROPOSAL_MODERATION {
        match caller {
            Anonymous => Unauthorized,
            Unit | UnitElsewhere | Supervisor => Forbidden,
            Admin | Token | Moderator => Reached,
        }
    } else if key == MODERATION_QUEUE {
        match caller {
            Anonymous => Unauthorized,
            Unit | UnitElsewhere => Forbidden,
            Admin | Token | Moderator | Supervisor => Reached,
        }
    } else if ADMIN_ONLY.contains(&key) {
        match caller {
            Anonymous => Unauthorized,
            Unit | UnitElsewhere | Moderator | Supervisor => Forbidden,
            Admin | Token => Reached,
        }
    } else {
        return None;
    };
    Some(answer)
}

/// The city the walk runs in, and its callers' sessions.
struct City {
    app: TestApp,
    unit: Signed,
    admin: Signed,
    moderator: Signed,
    supervisor: Signed,
    topic: String,
}

/// An empty city with two units, a category routed to each, a topic, and operators made
/// through the admin API: `li` of [`UNIT`], `wang` of [`OTHER_UNIT`], `chief` (admin),
/// `mod` (moderator), `sup` (supervisor), and `walker`, who only signs in for `POST /session`.
async fn city() -> City {
    let app = TestApp::configured(|c| {
        c.demo = false;
        c.operators.admin_token = Some(ADMIN_TOKEN.into());
        c.web.public_url = Some(PublicUrl::parse("https://kiosk.example").expect("url"));
    })
    .await;
    let setup = [
        (
            "/api/v1/admin/units/housing",
            json!({"name_zh": "住建局", "name_en": "Housing Bureau"}),
        ),
        (
            "/api/v1/admin/units/urban",
            json!({"name_zh": "城管局", "name_en": "Urban Management"}),
        ),
        (
            "/api/v1/admin/categories/building",
            json!({"name_zh": "楼宇", "name_en": "Buildings", "unit": UNIT}),
        ),
        (
            "/api/v1/admin/categories/parking",
            json!({"name_zh": "停车", "name_en": "Parking", "unit": OTHER_UNIT}),
        ),
        (
            "/api/v1/admin/districts/dongchangfu",
            json!({"name_zh": "东昌府区", "name_en": "Dongchangfu"}),
        ),
        (
            "/api/v1/admin/topics/lights",
            json!({"title_zh": "路灯", "title_en": "Street lights"}),
        ),
        (
            "/api/v1/admin/operators/li",
            json!({"role": "unit", "unit": UNIT, "password": PASSWORD}),
        ),
        (
            "/api/v1/admin/operators/wang",
            json!({"role": "unit", "unit": OTHER_UNIT, "password": PASSWORD}),
        ),
        (
            "/api/v1/admin/operators/chief",
            json!({"role": "admin", "password": PASSWORD}),
        ),
        (
            "/api/v1/admin/operators/mod",
            json!({"role": "moderator", "password": PASSWORD}),
        ),
        (
            "/api/v1/admin/operators/sup",
            json!({"role": "supervisor", "password": PASSWORD}),
        ),
        (
            "/api/v1/admin/operators/walker",
            json!({"role": "unit", "unit": OTHER_UNIT, "password": PASSWORD}),
        ),
    ];
    for (uri, body) in setup {
        let reply = app.admin(Method::PUT, uri, Some(&body)).await;
        assert_eq!(reply.status.as_u16(), 200, "{uri}: {}", reply.text());
    }
    selection_months(&app).await;
    reviewing_cycle(&app).await;
    let unit = sign_in(&app, "li").await;
    let admin = sign_in(&app, "chief").await;
    let moderator = sign_in(&app, "mod").await;
    let supervisor = sign_in(&app, "sup").await;
    City {
        app,
        unit,
        admin,
        moderator,
        supervisor,
        topic: "lights".into(),
    }
}

/// Takes [`REVIEWING`]'s cycle to `reviewing`: weights, two candidates, votes open and a
/// choice, a meeting that is over (the clock moves a day), a decision and a measure.
async fn reviewing_cycle(app: &TestApp) {
    let month = REVIEWING;
    let ok = |reply: Reply, what: &str| {
        assert!(reply.status.is_success(), "{what}: {}", reply.text());
    };
    ok(
        app.admin(
            Method::POST,
            "/api/v1/admin/cycles",
            Some(&cycle_plan(month)),
        )
        .await,
        "cycle",
    );
    let weights = json!({"representatives": 40, "public": 30, "hotline": 20, "proposals": 10});
    let uri = format!("/api/v1/admin/cycles/{month}/weights");
    ok(
        app.admin(Method::PUT, &uri, Some(&weights)).await,
        "weights",
    );
    let stage = format!("/api/v1/admin/cycles/{month}/stage");
    let to = |stage: &str| json!({ "to": stage });
    ok(
        app.admin(Method::POST, &stage, Some(&to("screening")))
            .await,
        "screening",
    );
    for (position, (id, unit, category)) in [
        ("lifts", UNIT, UNIT_CATEGORY),
        ("spaces", OTHER_UNIT, OTHER_CATEGORY),
    ]
    .into_iter()
    .enumerate()
    {
        let uri = format!("/api/v1/admin/cycles/{month}/candidates/{id}");
        let body = json!({"title_zh": "议题", "title_en": "Topic", "lead_unit": unit,
                          "category": category, "position": position, "proposals": []});
        ok(app.admin(Method::PUT, &uri, Some(&body)).await, "candidate");
    }
    ok(
        app.admin(Method::POST, &stage, Some(&to("voting"))).await,
        "voting",
    );
    let uri = format!("/api/v1/admin/cycles/{month}/choice");
    let choice = json!({"candidate": "lifts", "reason": "安全"});
    ok(app.admin(Method::POST, &uri, Some(&choice)).await, "choice");
    ok(
        app.admin(Method::POST, &stage, Some(&to("meeting"))).await,
        "meeting",
    );
    let created = app
        .admin(
            Method::POST,
            "/api/v1/admin/events",
            Some(&event_input(app)),
        )
        .await;
    let event = created.json::<Value>()["id"].as_i64().expect("an event id");
    let uri = format!("/api/v1/admin/cycles/{month}/meeting");
    let meeting = json!({"event": event, "invited_seats": 5});
    ok(
        app.admin(Method::PUT, &uri, Some(&meeting)).await,
        "meeting event",
    );
    let uri = format!("/api/v1/admin/cycles/{month}/decision");
    ok(
        app.admin(Method::PUT, &uri, Some(&decision())).await,
        "decision",
    );
    let uri = format!("/api/v1/admin/cycles/{month}/measures");
    ok(
        app.admin(Method::POST, &uri, Some(&measure(UNIT))).await,
        "measure",
    );
    app.state.clock.advance(3 * 86_400);
    for next in ["decided", "implementing", "reviewing"] {
        ok(app.admin(Method::POST, &stage, Some(&to(next))).await, next);
    }
}

fn decision() -> Value {
    json!({"summary_zh": "加装电梯", "summary_en": "Lifts", "lead_unit": UNIT})
}

fn measure(unit: &str) -> Value {
    json!({"title": "首批小区", "owner_unit": unit, "due": "2099-12-31",
           "status": "in_progress", "percent": 30})
}

/// A cycle at `screening` ([`SCREENING_MONTH`]) and one at `voting` with two candidates
/// ([`VOTING_MONTH`]), made through the admin API.
async fn selection_months(app: &TestApp) {
    let ok = |reply: Reply| assert!(reply.status.is_success(), "{}", reply.text());
    for month in [SCREENING_MONTH, VOTING_MONTH] {
        let uri = "/api/v1/admin/cycles";
        ok(app.admin(Method::POST, uri, Some(&cycle_plan(month))).await);
        let weights = json!({"representatives": 25, "public": 25, "hotline": 25, "proposals": 25});
        let uri = format!("/api/v1/admin/cycles/{month}/weights");
        ok(app.admin(Method::PUT, &uri, Some(&weights)).await);
        let uri = format!("/api/v1/admin/cycles/{month}/stage");
        ok(app
            .admin(Method::POST, &uri, Some(&json!({"to": "screening"})))
            .await);
    }
    for id in ["lamps", "benches"] {
        let uri = format!("/api/v1/admin/cycles/{VOTING_MONTH}/candidates/{id}");
        ok(app.admin(Method::PUT, &uri, Some(&candidate_input())).await);
    }
    let uri = format!("/api/v1/admin/cycles/{VOTING_MONTH}/stage");
    ok(app
        .admin(Method::POST, &uri, Some(&json!({"to": "voting"})))
        .await);
}

fn candidate_input() -> Value {
    json!({"title_zh": "路灯", "title_en": "Lamps", "lead_unit": UNIT, "category": UNIT_CATEGORY})
}

/// Fresh things for one attempt to work on, so every attempt's input is valid.
struct Fixture {
    /// An issue routed to [`UNIT`], with a name and phone.
    own: String,
    /// An issue routed to [`OTHER_UNIT`], with a name and phone.
    other: String,
    /// An upcoming event taking registrations.
    event: i64,
    /// A month's cycle of its own, collecting proposals, with `event` as its meeting.
    cycle: String,
    /// A registration at the meeting, admitted: its code, and its unused check-in code.
    registration: String,
    checkin: String,
    /// A registration at the meeting whose holder checked in.
    attendee: String,
    /// A measure of [`REVIEWING`] of [`UNIT`], and one of [`OTHER_UNIT`].
    own_measure: i64,
    other_measure: i64,
    /// A proposal of that month, received (not yet moderated), with a phone.
    proposal: String,
    /// A representative's unused code for [`VOTING_MONTH`].
    code: String,
    /// Letters and collections, for the operations on them.
    mailbox: Option<Mailbox>,
}

/// A month no attempt has used yet (from 2100-01 on), for a cycle of its own.
fn fresh_month() -> String {
    static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    format!("{}-{:02}", 2100 + n / 12, n % 12 + 1)
}

/// A plan for `month`'s cycle: a day for each stage.
fn cycle_plan(month: &str) -> Value {
    let stages = [
        "soliciting",
        "screening",
        "voting",
        "meeting",
        "decided",
        "implementing",
        "reviewing",
        "closed",
    ];
    let plan: Vec<Value> = stages
        .iter()
        .zip(1..)
        .map(|(stage, day)| json!({"stage": stage, "day": format!("{month}-{day:02}")}))
        .collect();
    json!({"month": month, "plan": plan})
}

/// Letters at each stage and collections at each stage, made for one attempt.
struct Mailbox {
    /// Accepted and routed to [`UNIT`].
    own: String,
    /// Accepted and routed to [`OTHER_UNIT`].
    other: String,
    /// Awaiting review.
    fresh: String,
    /// Replied, with the writer's consent to publication.
    replied: String,
    draft: i64,
    /// Published and open, with a pending comment and a published one.
    open: i64,
    pending: i64,
    published: i64,
    /// Published and past its last day.
    closed: i64,
}

async fn mailbox(app: &TestApp) -> Mailbox {
    let letter = || async {
        let body = json!({"kind": "suggestion", "title": "建议增设夜班公交线路", "text": "晚上没有公交车。",
                          "name": "王秀兰", "phone": "13800138000", "may_publish": true});
        let reply = app.post_json("/api/v1/letters", &body).await;
        assert_eq!(reply.status.as_u16(), 201, "{}", reply.text());
        reply.json::<Value>()["code"]
            .as_str()
            .expect("a code")
            .to_owned()
    };
    let act = |code: String, action: &'static str, body: Value| async move {
        let uri = format!("/api/v1/admin/letters/{code}/{action}");
        let reply = app.admin(Method::POST, &uri, Some(&body)).await;
        assert_eq!(reply.status.as_u16(), 200, "{uri}: {}", reply.text());
    };
    let (own, other, fresh, replied) = (
        letter().await,
        letter().await,
        letter().await,
        letter().await,
    );
    act(own.clone(), "review", json!({"unit": UNIT})).await;
    act(other.clone(), "review", json!({"unit": OTHER_UNIT})).await;
    act(replied.clone(), "review", json!({"unit": UNIT})).await;
    act(replied.clone(), "reply", json!({"reply": "已答复"})).await;
    let today = omk_server::clock::local_day(app.state.clock.now());
    let day = |d: i64| omk_server::clock::format_day(d);
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
    let draft = collection(today, today + 1, false).await;
    let open = collection(today - 1, today + 1, true).await;
    let closed = collection(today - 10, today - 5, true).await;
    let commented = app
        .post_json(
            &format!("/api/v1/consultations/{open}/comments"),
            &json!({"text": "建议加装电梯。"}),
        )
        .await;
    assert_eq!(commented.status.as_u16(), 201, "{}", commented.text());
    let pending = commented.json::<Value>()["id"].as_i64().expect("an id");
    let commented = app
        .post_json(
            &format!("/api/v1/consultations/{open}/comments"),
            &json!({"text": "建议增设无障碍坡道。"}),
        )
        .await;
    assert_eq!(commented.status.as_u16(), 201, "{}", commented.text());
    let published = commented.json::<Value>()["id"].as_i64().expect("an id");
    let uri = format!("/api/v1/admin/consultations/{open}/comments/{published}/moderation");
    let moderated = app
        .admin(Method::POST, &uri, Some(&json!({"state": "published"})))
        .await;
    assert_eq!(moderated.status.as_u16(), 200, "{}", moderated.text());
    Mailbox {
        own,
        other,
        fresh,
        replied,
        draft,
        open,
        pending,
        published,
        closed,
    }
}

async fn fixture(app: &TestApp, path: &str) -> Fixture {
    let issue = |category: &'static str| async move {
        let reply = app
            .post_json(
                "/api/v1/issues",
                &json!({"fill_ms": 5000, "category": category, "description": "楼道灯坏了一个月",
                        "place": "柳园街道", "name": "王秀兰", "phone": "13800138000", "consent": true}),
            )
            .await;
        assert_eq!(reply.status.as_u16(), 201, "{}", reply.text());
        reply.json::<IssueReceipt>().tracking_no
    };
    let own = issue(UNIT_CATEGORY).await;
    let other = issue(OTHER_CATEGORY).await;
    let created = app
        .admin(
            Method::POST,
            "/api/v1/admin/events",
            Some(&event_input(app)),
        )
        .await;
    assert_eq!(created.status.as_u16(), 201, "{}", created.text());
    let event = created.json::<Value>()["id"].as_i64().expect("an event id");
    let cycle = fresh_month();
    let created = app
        .admin(
            Method::POST,
            "/api/v1/admin/cycles",
            Some(&cycle_plan(&cycle)),
        )
        .await;
    assert_eq!(created.status.as_u16(), 201, "{}", created.text());
    let uri = format!("/api/v1/admin/cycles/{cycle}/meeting");
    let meeting = json!({"event": event, "invited_seats": 5});
    let attached = app.admin(Method::PUT, &uri, Some(&meeting)).await;
    assert_eq!(attached.status.as_u16(), 200, "{}", attached.text());
    let register = || async {
        let reply = app
            .post_json(
                &format!("/api/v1/events/{event}/registrations"),
                &json!({"seats": 1}),
            )
            .await;
        assert_eq!(reply.status.as_u16(), 201, "{}", reply.text());
        let receipt: Value = reply.json();
        (
            receipt["code"].as_str().expect("a code").to_owned(),
            receipt["checkin_code"]
                .as_str()
                .expect("a check-in code")
                .to_owned(),
        )
    };
    let (registration, checkin) = register().await;
    let (attendee, attendee_checkin) = register().await;
    let checked = app
        .admin(
            Method::POST,
            "/api/v1/admin/checkins",
            Some(&json!({ "code": attendee_checkin })),
        )
        .await;
    assert_eq!(checked.status.as_u16(), 200, "{}", checked.text());
    let measure_of = |unit: &'static str| async move {
        let uri = format!("/api/v1/admin/cycles/{REVIEWING}/measures");
        let reply = app.admin(Method::POST, &uri, Some(&measure(unit))).await;
        assert_eq!(reply.status.as_u16(), 201, "{}", reply.text());
        reply.json::<Value>()["id"].as_i64().expect("a measure id")
    };
    let own_measure = measure_of(UNIT).await;
    let other_measure = measure_of(OTHER_UNIT).await;
    let proposed = app
        .post_json(
            &format!("/api/v1/cycles/{cycle}/proposals"),
            &json!({"title": "增设路灯", "text": "夜里太黑", "district": "dongchangfu",
                    "phone": "13800138000", "consent": true}),
        )
        .await;
    assert_eq!(proposed.status.as_u16(), 201, "{}", proposed.text());
    let proposal = proposed.json::<Value>()["code"]
        .as_str()
        .expect("a code")
        .to_owned();
    let issued = app
        .admin(
            Method::POST,
            &format!("/api/v1/admin/cycles/{VOTING_MONTH}/codes"),
            Some(&json!({"count": 1})),
        )
        .await;
    assert_eq!(issued.status.as_u16(), 201, "{}", issued.text());
    let code = issued.json::<Value>()["codes"][0]
        .as_str()
        .expect("a code")
        .to_owned();
    let needs_mailbox = path.contains("/letters/{code}") || path.contains("/consultations/{id}");
    let mailbox = if needs_mailbox {
        Some(mailbox(app).await)
    } else {
        None
    };
    Fixture {
        own,
        other,
        event,
        cycle,
        registration,
        checkin,
        attendee,
        own_measure,
        other_measure,
        proposal,
        code,
        mailbox,
    }
}

fn event_input(app: &TestApp) -> Value {
    let start = app.state.clock.now() + 2 * 86_400;
    json!({"title": "走进市图书馆", "unit": "住建局", "district": "东昌府区", "theme": "走进机关",
           "place": "聊城市图书馆", "starts_at": start, "ends_at": start + 3600, "capacity": 40,
           "registration": true, "summary": "参观古籍修复室。"})
}

/// The path with its parameters filled for `caller`.
fn concrete(path: &str, caller: Caller, fixture: &Fixture) -> String {
    let issue = if caller == Caller::UnitElsewhere {
        &fixture.other
    } else {
        &fixture.own
    };
    let id = if path.starts_with("/api/v1/events/") || path.starts_with("/api/v1/admin/events/") {
        fixture.event.to_string()
    } else if path.starts_with("/api/v1/admin/categories/") {
        UNIT_CATEGORY.to_owned()
    } else if path.starts_with("/api/v1/admin/topics/") {
        "lights".to_owned()
    } else if path.starts_with("/api/v1/admin/measures/") {
        if caller == Caller::UnitElsewhere {
            fixture.other_measure.to_string()
        } else {
            fixture.own_measure.to_string()
        }
    } else if path.contains("/candidates/") {
        "shade".to_owned()
    } else {
        UNIT.to_owned()
    };
    let month = if path.ends_with("/candidates/{id}") {
        SCREENING_MONTH
    } else if path.ends_with("/representative-votes") || path.ends_with("/choice") {
        VOTING_MONTH
    } else if ["/decision", "/measures", "/evaluations"]
        .iter()
        .any(|tail| path.ends_with(tail))
    {
        REVIEWING
    } else {
        &fixture.cycle
    };
    let code = if path.ends_with("/opinion") {
        &fixture.attendee
    } else if path.starts_with("/api/v1/registrations/") {
        &fixture.registration
    } else {
        &fixture.proposal
    };
    let path = match &fixture.mailbox {
        Some(m) => {
            let letter = if path.ends_with("/review") {
                &m.fresh
            } else if path.ends_with("/publication") || path.ends_with("/rating") {
                &m.replied
            } else if caller == Caller::UnitElsewhere {
                &m.other
            } else {
                &m.own
            };
            let collection = if path.ends_with("/note") {
                m.closed
            } else if path.ends_with("/consultations/{id}/publication")
                || path == "/api/v1/admin/consultations/{id}"
            {
                m.draft
            } else {
                m.open
            };
            let comment = if path.ends_with("/promotion") {
                m.published
            } else {
                m.pending
            };
            path.replace("{code}", letter)
                .replace("{comment}", &comment.to_string())
                .replace(
                    "/consultations/{id}",
                    &format!("/consultations/{collection}"),
                )
        }
        None => path.to_owned(),
    };
    path.replace("{tracking_no}", issue)
        .replace("{code}", code)
        .replace("{month}", month)
        .replace("{list}", "units")
        .replace("{login}", "extra")
        .replace("{id}", &id)
        .replace("{file}", "ratings.csv")
}

/// A valid body (content type and text) for an operation that takes one.
fn body_for(
    method: &str,
    path: &str,
    caller: Caller,
    city: &City,
    fixture: &Fixture,
) -> (&'static str, String) {
    let routed_to = if caller == Caller::UnitElsewhere {
        UNIT
    } else {
        OTHER_UNIT
    };
    let body = match (method, path) {
        ("POST", "/api/v1/session") => json!({"login": "walker", "password": PASSWORD}),
        ("POST", "/api/v1/issues") => {
            json!({"fill_ms": 5000, "category": UNIT_CATEGORY, "description": "电梯经常停运",
                   "place": "柳园街道"})
        }
        ("POST", "/api/v1/ratings") => json!({"level": "satisfied"}),
        ("POST", "/api/v1/votes") => json!({"topic": city.topic}),
        ("POST", "/api/v1/events/{id}/registrations") => json!({"seats": 1}),
        ("PUT", "/api/v1/admin/categories/{id}") => {
            json!({"name_zh": "楼宇", "name_en": "Buildings", "unit": UNIT})
        }
        ("PUT", "/api/v1/admin/{list}/{id}") => {
            json!({"name_zh": "住建局", "name_en": "Housing Bureau", "position": 0, "active": true})
        }
        ("PUT", "/api/v1/admin/topics/{id}") => {
            json!({"title_zh": "路灯", "title_en": "Street lights"})
        }
        ("POST", "/api/v1/admin/events") | ("PUT", "/api/v1/admin/events/{id}") => {
            event_input(&city.app)
        }
        ("POST", "/api/v1/admin/events/import") => {
            let day = omk_server::clock::format_day(omk_server::clock::local_day(
                city.app.state.clock.now() + 3 * 86_400,
            ));
            return (
                "text/csv",
                format!(
                    "title,unit,district,theme,place,starts_at,ends_at,capacity\r\n\
                     水质监测开放日,城管局,临清市,走进机关,临清市水质监测站,{day} 09:00,{day} 11:30,30\r\n"
                ),
            );
        }
        ("PUT", "/api/v1/admin/operators/{login}") => {
            json!({"role": "unit", "unit": OTHER_UNIT, "password": PASSWORD})
        }
        ("POST", "/api/v1/admin/issues/{tracking_no}/status") => json!({"status": "accepted"}),
        ("POST", "/api/v1/admin/cycles") => cycle_plan(&fresh_month()),
        ("POST", "/api/v1/admin/cycles/{month}/stage") => json!({"to": "screening"}),
        ("PUT", "/api/v1/admin/cycles/{month}/meeting") => {
            json!({"event": fixture.event, "invited_seats": 8})
        }
        ("POST", "/api/v1/admin/checkins") => json!({ "code": fixture.checkin }),
        ("PUT", "/api/v1/admin/cycles/{month}/decision") => decision(),
        ("POST", "/api/v1/admin/cycles/{month}/measures") => measure(UNIT),
        ("PUT", "/api/v1/admin/measures/{id}") => measure(if caller == Caller::UnitElsewhere {
            OTHER_UNIT
        } else {
            UNIT
        }),
        ("POST", "/api/v1/admin/measures/{id}/updates") => json!({"text": "进展顺利"}),
        ("POST", "/api/v1/registrations/{code}/opinion") => json!({"text": "会议很有收获"}),
        ("POST", "/api/v1/cycles/{month}/evaluations") => json!({"outcome": "solved", "stars": 4}),
        ("PUT", "/api/v1/admin/cycles/{month}/weights") => {
            json!({"representatives": 40, "public": 30, "hotline": 20, "proposals": 10})
        }
        ("PUT", "/api/v1/admin/cycles/{month}/candidates/{id}") => candidate_input(),
        ("POST", "/api/v1/admin/cycles/{month}/signals") => {
            return (
                "text/csv",
                format!("category,district,count\r\n{UNIT_CATEGORY},dongchangfu,12\r\n"),
            );
        }
        ("POST", "/api/v1/admin/cycles/{month}/codes") => json!({"count": 2}),
        ("POST", "/api/v1/admin/cycles/{month}/choice") => {
            json!({"candidate": "benches", "reason": "长椅更急需"})
        }
        ("POST", "/api/v1/admin/proposals/{code}/moderation") => json!({"action": "publish"}),
        ("POST", "/api/v1/cycles/{month}/proposals") => {
            json!({"title": "修缮人行道", "text": "人行道砖松动", "district": "dongchangfu"})
        }
        ("POST", "/api/v1/cycles/{month}/representative-votes") => {
            json!({"code": fixture.code, "candidate": "lamps"})
        }
        ("POST", "/api/v1/letters") => {
            json!({"kind": "help", "title": "求助：老人独居无人照料", "text": "邻居老人独居。",
                   "name": "王秀兰", "phone": "13800138000", "may_publish": false})
        }
        ("POST", "/api/v1/letters/{code}/rating") => json!({"satisfaction": "satisfied"}),
        ("POST", "/api/v1/consultations/{id}/comments") => json!({"text": "建议加装电梯。"}),
        ("POST", "/api/v1/admin/letters/{code}/review") => json!({"unit": UNIT}),
        ("POST", "/api/v1/admin/letters/{code}/reply") => json!({"reply": "已答复"}),
        ("POST", "/api/v1/admin/letters/{code}/publication") => {
            json!({"title": "夜班公交", "text": "市民建议开通夜班公交。"})
        }
        ("POST", "/api/v1/admin/consultations") | ("PUT", "/api/v1/admin/consultations/{id}") => {
            let today = omk_server::clock::local_day(city.app.state.clock.now());
            json!({"title": "老旧小区改造意见征集", "text": "请提出意见。",
                   "opens_on": omk_server::clock::format_day(today),
                   "closes_on": omk_server::clock::format_day(today + 3)})
        }
        ("POST", "/api/v1/admin/consultations/{id}/comments/{comment}/moderation") => {
            json!({"state": "published"})
        }
        ("POST", "/api/v1/admin/consultations/{id}/note") => json!({"note": "采纳加装电梯建议。"}),
        ("POST", "/api/v1/admin/letters/{code}/promotion")
        | ("POST", "/api/v1/admin/consultations/{id}/comments/{comment}/promotion") => {
            json!({"month": fixture.cycle, "title": "增设夜班公交", "text": "晚上没有公交车。",
                   "district": "dongchangfu"})
        }
        ("POST", "/api/v1/admin/issues/{tracking_no}/route") => {
            json!({"unit": routed_to, "reason": "归口调整"})
        }
        ("POST", "/api/v1/admin/issues/{tracking_no}/moderation") => {
            json!({"hidden": true, "reason": "含有不当言论"})
        }
        _ => panic!("the walk has no valid body for {method} {path}: add one"),
    };
    ("application/json", body.to_string())
}

/// Sends one attempt as `caller`, with `signed` as the session of a session caller.
async fn attempt(
    city: &City,
    caller: Caller,
    signed: Option<&Signed>,
    method: &str,
    uri: &str,
    body: Option<(&'static str, String)>,
) -> Reply {
    let method = Method::from_bytes(method.as_bytes()).expect("a method");
    let writes = method != Method::GET && method != Method::HEAD;
    let mut request = Request::builder().method(method.clone()).uri(uri);
    if method == Method::POST {
        request = request.header("idempotency-key", fresh_key());
    }
    match (caller, signed) {
        (Caller::Token, _) => {
            request = request.header(header::AUTHORIZATION, format!("Bearer {ADMIN_TOKEN}"));
        }
        (_, Some(signed)) => {
            request = request.header(header::COOKIE, &signed.cookie);
            if writes {
                request = request.header("X-CSRF-Token", &signed.csrf);
            }
        }
        _ => {}
    }
    let body = match body {
        Some((content_type, text)) => {
            request = request.header(header::CONTENT_TYPE, content_type);
            Body::from(text)
        }
        None => Body::empty(),
    };
    let request = request.body(body).expect("request");
    if uri == "/api/v1/metrics/stream" {
        // A live stream never ends: its head is the answer.
        let response = city
            .app
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("infallible");
        return Reply {
            status: response.status(),
            headers: response.headers().clone(),
            body: Vec::new(),
        };
    }
    city.app.send(request).await
}

/// What a refusal must leave as it was: the stored things every operation could touch,
/// read with the service token.
async fn stored(app: &TestApp) -> Vec<String> {
    let mut seen = Vec::new();
    for uri in [
        "/api/v1/categories",
        "/api/v1/units",
        "/api/v1/topics",
        "/api/v1/events?per_page=100",
        "/api/v1/admin/operators",
        "/api/v1/admin/issues?per_page=100",
        "/api/v1/admin/letters?per_page=100",
        "/api/v1/admin/consultations",
    ] {
        let reply = app.admin(Method::GET, uri, None).await;
        assert_eq!(reply.status.as_u16(), 200, "{uri}: {}", reply.text());
        seen.push(reply.text());
    }
    seen
}

async fn audit_total(app: &TestApp) -> i64 {
    let reply = app.admin(Method::GET, "/api/v1/admin/audit", None).await;
    assert_eq!(reply.status.as_u16(), 200, "{}", reply.text());
    reply.json::<Value>()["total"].as_i64().expect("a total")
}

/// Checks what only some reached operations promise: a unit operator sees only their
/// unit's issues and figures; an admin sees every unit's.
fn check_scope(method: &str, path: &str, caller: Caller, reply: &Reply) -> Result<(), String> {
    let unit_caller = matches!(caller, Caller::Unit | Caller::UnitElsewhere);
    match (method, path) {
        ("GET", "/api/v1/admin/issues") => {
            let page: InboxPage = reply.json();
            let units: std::collections::BTreeSet<Option<&str>> =
                page.items.iter().map(|i| i.unit.as_deref()).collect();
            let wanted: std::collections::BTreeSet<Option<&str>> = if unit_caller {
                [Some(UNIT)].into()
            } else {
                [Some(UNIT), Some(OTHER_UNIT)].into()
            };
            if units != wanted {
                return Err(format!("issues of units {units:?}, wanted {wanted:?}"));
            }
        }
        ("GET", "/api/v1/admin/figures") => {
            let figures: Breakdown = reply.json();
            let units: std::collections::BTreeSet<Option<&str>> =
                figures.by_unit.iter().map(|r| r.id.as_deref()).collect();
            let categories: std::collections::BTreeSet<Option<&str>> = figures
                .by_category
                .iter()
                .map(|r| r.id.as_deref())
                .collect();
            let (wanted_units, wanted_categories): (
                std::collections::BTreeSet<Option<&str>>,
                std::collections::BTreeSet<Option<&str>>,
            ) = if unit_caller {
                ([Some(UNIT)].into(), [Some(UNIT_CATEGORY)].into())
            } else {
                (
                    [Some(UNIT), Some(OTHER_UNIT)].into(),
                    [Some(UNIT_CATEGORY), Some(OTHER_CATEGORY)].into(),
                )
            };
            if units != wanted_units || categories != wanted_categories {
                return Err(format!(
                    "figures of units {units:?} and categories {categories:?}, wanted \
                     {wanted_units:?} and {wanted_categories:?}"
                ));
            }
        }
        _ => {}
    }
    Ok(())
}

/// One operation tried by one caller, checked against the table; `Err` says how not.
async fn walk_one(city: &City, operation: &Operation, caller: Caller) -> Result<(), String> {
    let (method, path) = (operation.method.as_str(), operation.path.as_str());
    let Some(expect) = expected(method, path, caller) else {
        return Err("not classified by the role table".into());
    };
    let fixture = fixture(&city.app, path).await;
    let uri = concrete(path, caller, &fixture);
    let body = operation
        .takes_body
        .then(|| body_for(method, path, caller, city, &fixture));
    // Signing out ends a session: that attempt gets a session of its own.
    let fresh;
    let signed = match caller {
        Caller::Unit | Caller::UnitElsewhere if method == "DELETE" => {
            fresh = sign_in(&city.app, "li").await;
            Some(&fresh)
        }
        Caller::Admin if method == "DELETE" => {
            fresh = sign_in(&city.app, "chief").await;
            Some(&fresh)
        }
        Caller::Moderator if method == "DELETE" => {
            fresh = sign_in(&city.app, "mod").await;
            Some(&fresh)
        }
        Caller::Supervisor if method == "DELETE" => {
            fresh = sign_in(&city.app, "sup").await;
            Some(&fresh)
        }
        Caller::Unit | Caller::UnitElsewhere => Some(&city.unit),
        Caller::Admin => Some(&city.admin),
        Caller::Moderator => Some(&city.moderator),
        Caller::Supervisor => Some(&city.supervisor),
        Caller::Anonymous | Caller::Token => None,
    };
    let (before, audited_before) = if expect == Expect::Reached {
        (Vec::new(), 0)
    } else {
        (stored(&city.app).await, audit_total(&city.app).await)
    };
    let reply = attempt(city, caller, signed, method, &uri, body).await;
    let status = reply.status;
    let problem_json = reply.content_type() == "application/problem+json";
    match expect {
        Expect::Reached => {
            if status == StatusCode::UNAUTHORIZED || status == StatusCode::FORBIDDEN {
                return Err(format!("refused with {status}: {}", reply.text()));
            }
            if !status.is_success() {
                return Err(format!("valid input, yet {status}: {}", reply.text()));
            }
            check_scope(method, path, caller, &reply)?;
        }
        Expect::Unauthorized | Expect::Forbidden => {
            let wanted = if expect == Expect::Unauthorized {
                StatusCode::UNAUTHORIZED
            } else {
                StatusCode::FORBIDDEN
            };
            if status != wanted {
                return Err(format!("wanted {wanted}, got {status}: {}", reply.text()));
            }
            if !problem_json {
                return Err(format!("a {status} that is not problem+json"));
            }
            let problem: Value = reply.json();
            if problem["status"] != status.as_u16() {
                return Err(format!("a problem whose status is not {status}: {problem}"));
            }
            if stored(&city.app).await != before {
                return Err(format!("the refusal ({status}) changed what is stored"));
            }
            let audited = audit_total(&city.app).await - audited_before;
            let wanted_audited = i64::from(expect == Expect::Forbidden);
            if audited != wanted_audited {
                return Err(format!(
                    "the refusal ({status}) added {audited} audit entries, wanted {wanted_audited}"
                ));
            }
        }
    }
    Ok(())
}

/// One operation of the OpenAPI document.
struct Operation {
    method: String,
    path: String,
    takes_body: bool,
}

/// Every path and method of the served OpenAPI document.
async fn operations(app: &TestApp) -> Vec<Operation> {
    let doc: Value = app.get("/api/v1/openapi.json").await.json();
    let mut found = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("a path item") {
            let upper = method.to_ascii_uppercase();
            if matches!(
                upper.as_str(),
                "GET" | "PUT" | "POST" | "DELETE" | "PATCH" | "HEAD" | "OPTIONS" | "TRACE"
            ) {
                found.push(Operation {
                    method: upper,
                    path: path.clone(),
                    takes_body: operation.get("requestBody").is_some(),
                });
            }
        }
    }
    found
}

async fn every_operation_answers_every_caller_as_the_role_table_says() {
    let city = city().await;
    let operations = operations(&city.app).await;
    assert!(
        operations.len() >= 45,
        "the document lists {} operations",
        operations.len()
    );
    let mut failures = Vec::new();
    let mut tried = 0;
    for operation in &operations {
        let mut callers = vec![
            Caller::Anonymous,
            Caller::Unit,
            Caller::Admin,
            Caller::Token,
            Caller::Moderator,
            Caller::Supervisor,
        ];
        if operation.path.contains("{tracking_no}") || operation.path.contains("{code}") {
            callers.push(Caller::UnitElsewhere);
        }
        for caller in callers {
            tried += 1;
            if let Err(why) = walk_one(&city, operation, caller).await {
                let Operation { method, path, .. } = operation;
                failures.push(format!("{method} {path} as {caller:?}: {why}"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {tried} attempts break the role table:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn the_table_classifies_what_it_lists_and_nothing_else() {
    use Caller::*;
    use Expect::*;
    assert_eq!(
        expected("GET", "/api/v1/admin/figures", Unit),
        Some(Reached)
    );
    assert_eq!(
        expected("GET", "/api/v1/admin/audit", Unit),
        Some(Forbidden)
    );
    assert_eq!(
        expected(
            "POST",
            "/api/v1/admin/issues/{tracking_no}/route",
            UnitElsewhere
        ),
        Some(Forbidden)
    );
    assert_eq!(
        expected("GET", "/api/v1/session", Token),
        Some(Unauthorized)
    );
    assert_eq!(
        expected(
            "POST",
            "/api/v1/admin/issues/{tracking_no}/moderation",
            Moderator
        ),
        Some(Reached)
    );
    assert_eq!(
        expected(
            "POST",
            "/api/v1/admin/issues/{tracking_no}/contact",
            Moderator
        ),
        Some(Forbidden)
    );
    assert_eq!(
        expected("GET", "/api/v1/admin/audit", Supervisor),
        Some(Reached)
    );
    assert_eq!(
        expected("GET", "/api/v1/admin/operators", Supervisor),
        Some(Forbidden)
    );
    assert_eq!(expected("GET", "/api/v1/metrics", Anonymous), Some(Reached));
    assert_eq!(
        expected("POST", "/api/v1/admin/letters/{code}/reply", UnitElsewhere),
        Some(Forbidden)
    );
    assert_eq!(
        expected("POST", "/api/v1/admin/letters/{code}/reply", Unit),
        Some(Reached)
    );
    assert_eq!(
        expected("POST", "/api/v1/admin/letters/{code}/review", Unit),
        Some(Forbidden)
    );
    assert_eq!(
        expected("POST", "/api/v1/letters/{code}/rating", Anonymous),
        Some(Reached)
    );
    assert_eq!(expected("GET", "/api/v1/admin/new-thing", Admin), None);
    assert_eq!(expected("PATCH", "/api/v1/session", Admin), None);
}

crate::on_every_backend!(every_operation_answers_every_caller_as_the_role_table_says);
