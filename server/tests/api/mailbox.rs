//! The mayor's mailbox: a private and a public letter walked through every state, as their
//! writers, the operators and a stranger see them; every refusal leaves the letter as it
//! was; the monthly figures are the test's own arithmetic over letters written at known
//! moments of the server's clock.

use axum::http::Method;
use omk_api::{LetterDetail, LetterFigures, LetterItem, LetterPage, LetterReceipt, LetterView};
use omk_server::public_url::PublicUrl;
use serde_json::{Value, json};

pub use crate::support::session::sign_in;
use crate::support::session::{self, PASSWORD, Signed};
use crate::support::{ADMIN_TOKEN, Reply, TestApp, fresh_key};

/// 2026-09-01 10:00 in Beijing.
pub const SEPT_FIRST_10AM: i64 = 1_788_228_000;
pub const HOUR: i64 = 3600;
pub const DAY: i64 = 86_400;

/// A city with the units `housing` and `urban`, their operators `li` and `wang`, and the
/// clock stopped at [`SEPT_FIRST_10AM`].
pub async fn city() -> TestApp {
    let app = TestApp::configured(|c| {
        c.demo = false;
        c.operators.admin_token = Some(ADMIN_TOKEN.into());
        c.web.public_url = Some(PublicUrl::parse("https://kiosk.example").expect("url"));
    })
    .await;
    app.state.clock.stop();
    app.state
        .clock
        .advance(SEPT_FIRST_10AM - app.state.clock.now());
    for (uri, body) in [
        (
            "/api/v1/admin/units/housing",
            json!({"name_zh": "住建局", "name_en": "Housing"}),
        ),
        (
            "/api/v1/admin/units/urban",
            json!({"name_zh": "城管局", "name_en": "Urban"}),
        ),
        (
            "/api/v1/admin/operators/li",
            json!({"role": "unit", "unit": "housing", "password": PASSWORD}),
        ),
        (
            "/api/v1/admin/operators/wang",
            json!({"role": "unit", "unit": "urban", "password": PASSWORD}),
        ),
    ] {
        let reply = app.admin(Method::PUT, uri, Some(&body)).await;
        assert_eq!(reply.status.as_u16(), 200, "{uri}: {}", reply.text());
    }
    app
}

/// A request as a signed-in operator, with the CSRF token on writes.
pub async fn as_operator(
    app: &TestApp,
    who: &Signed,
    method: Method,
    uri: &str,
    body: Option<&Value>,
) -> Reply {
    let writes = method != Method::GET;
    session::as_operator(app, who, method, uri, body.cloned(), writes).await
}

/// A letter as a writer sends it.
pub fn letter(title: &str, name: &str, phone: &str, may_publish: bool) -> Value {
    json!({"kind": "suggestion", "title": title, "text": "东昌府区晚上九点以后没有公交车，下夜班的人回家很难。",
           "name": name, "phone": phone, "may_publish": may_publish})
}

/// Writes a letter; answers with its code.
pub async fn write(app: &TestApp, body: &Value) -> String {
    let reply = app.post_json("/api/v1/letters", body).await;
    assert_eq!(reply.status.as_u16(), 201, "{}", reply.text());
    let receipt: LetterReceipt = reply.json();
    assert!(receipt.code.starts_with("ML-"), "{}", receipt.code);
    receipt.code
}

/// An admin's action on a letter (`review`, `reply`, `publication`), with the service token.
pub async fn admin_on(app: &TestApp, code: &str, action: &str, body: &Value) -> Reply {
    app.admin(
        Method::POST,
        &format!("/api/v1/admin/letters/{code}/{action}"),
        Some(body),
    )
    .await
}

/// The letter as operators see it, with the service token.
pub async fn stored(app: &TestApp, code: &str) -> LetterItem {
    let reply = app
        .admin(Method::GET, &format!("/api/v1/admin/letters/{code}"), None)
        .await;
    assert_eq!(reply.status.as_u16(), 200, "{}", reply.text());
    reply.json::<LetterDetail>().letter
}

/// A visitor's rating of a letter's reply.
pub async fn rate(app: &TestApp, code: &str, body: &Value) -> Reply {
    app.post_json(&format!("/api/v1/letters/{code}/rating"), body)
        .await
}

async fn audit_total(app: &TestApp) -> i64 {
    let reply = app.admin(Method::GET, "/api/v1/admin/audit", None).await;
    reply.json::<Value>()["total"].as_i64().expect("a total")
}

/// Asserts that no public answer so far carried the name or the phone.
fn nothing_personal(bodies: &[String], personal: &[&str]) {
    for body in bodies {
        for needle in personal {
            assert!(
                !body.contains(needle),
                "{needle} in a public answer: {body}"
            );
        }
    }
}

async fn a_private_and_a_public_letter_walk_through_every_state() {
    let app = city().await;
    let public_writer = ["欧阳紫萱", "13971528463"];
    let private_writer = ["司马青岚", "13962840175"];
    let mut public_bodies: Vec<String> = Vec::new();
    let mut keep = |reply: &Reply| public_bodies.push(reply.text());

    let public = write(
        &app,
        &letter(
            "建议增设夜班公交线路",
            public_writer[0],
            public_writer[1],
            true,
        ),
    )
    .await;
    let private = write(
        &app,
        &letter(
            "小区门口路灯长期不亮",
            private_writer[0],
            private_writer[1],
            false,
        ),
    )
    .await;

    // Their writers follow them by code; a stranger with a wrong code finds nothing.
    let seen = app
        .get(&format!("/api/v1/letters/{}", private.to_lowercase()))
        .await;
    keep(&seen);
    let view: LetterView = seen.json();
    assert_eq!(
        (view.code.as_str(), view.state.as_str()),
        (private.as_str(), "awaiting_review")
    );
    assert_eq!((view.reply, view.may_publish), (None, false));
    let wrong = omk_api::tracking::from_bits("ML", 0x0123_4567_89AB_CDEF);
    let stranger = app.get(&format!("/api/v1/letters/{wrong}")).await;
    stranger.problem(404);
    keep(&stranger);
    let garbled = app.get("/api/v1/letters/ML-1234").await;
    garbled.problem(404);
    let listed = app.get("/api/v1/letters").await;
    keep(&listed);
    assert_eq!(listed.json::<Value>()["total"], 0);

    // The office accepts both and routes them to housing.
    for code in [&public, &private] {
        let reviewed = admin_on(&app, code, "review", &json!({"unit": "housing"})).await;
        assert_eq!(reviewed.status.as_u16(), 200, "{}", reviewed.text());
        assert_eq!(reviewed.json::<LetterItem>().state.as_str(), "accepted");
    }
    let li = sign_in(&app, "li").await;
    let wang = sign_in(&app, "wang").await;
    let mine: LetterPage = as_operator(&app, &li, Method::GET, "/api/v1/admin/letters", None)
        .await
        .json();
    assert_eq!(mine.total, 2);
    assert!(
        mine.items
            .iter()
            .all(|l| l.has_contact && l.unit.as_deref() == Some("housing"))
    );
    let theirs: LetterPage = as_operator(&app, &wang, Method::GET, "/api/v1/admin/letters", None)
        .await
        .json();
    assert_eq!(theirs.total, 0);
    let listing = as_operator(&app, &li, Method::GET, "/api/v1/admin/letters", None).await;
    for needle in public_writer.iter().chain(&private_writer) {
        assert!(
            !listing.text().contains(needle),
            "the listing carries {needle}"
        );
    }

    // Another unit's operator may neither reply, read it nor see its contact: refused, audited.
    let before = stored(&app, &public).await;
    let audited = audit_total(&app).await;
    let reply = json!({"reply": "已协调公交公司论证开通夜班线路。"});
    let refused = as_operator(
        &app,
        &wang,
        Method::POST,
        &format!("/api/v1/admin/letters/{public}/reply"),
        Some(&reply),
    )
    .await;
    refused.problem(403);
    as_operator(
        &app,
        &wang,
        Method::POST,
        &format!("/api/v1/admin/letters/{public}/contact"),
        None,
    )
    .await
    .problem(403);
    as_operator(
        &app,
        &wang,
        Method::GET,
        &format!("/api/v1/admin/letters/{public}"),
        None,
    )
    .await
    .problem(403);
    assert_eq!(audit_total(&app).await, audited + 3);
    assert_eq!(stored(&app, &public).await, before);

    // Housing replies to both, a few hours later.
    app.state.clock.advance(3 * HOUR);
    let replied = as_operator(
        &app,
        &li,
        Method::POST,
        &format!("/api/v1/admin/letters/{public}/reply"),
        Some(&reply),
    )
    .await;
    assert_eq!(replied.status.as_u16(), 200, "{}", replied.text());
    let private_reply = json!({"reply": "路灯已于本周修复，感谢您的反映。"});
    let replied = as_operator(
        &app,
        &li,
        Method::POST,
        &format!("/api/v1/admin/letters/{private}/reply"),
        Some(&private_reply),
    )
    .await;
    assert_eq!(replied.json::<LetterItem>().state.as_str(), "replied");

    // The private letter's reply is visible with its code only.
    let seen = app.get(&format!("/api/v1/letters/{private}")).await;
    keep(&seen);
    let view: LetterView = seen.json();
    assert_eq!(
        view.reply.as_deref(),
        Some("路灯已于本周修复，感谢您的反映。")
    );
    assert_eq!(view.replied_at, Some(SEPT_FIRST_10AM + 3 * HOUR));

    // Publication needs the writer's consent; the private letter stays unpublished.
    let redacted = json!({"title": "建议增设夜班公交线路", "text": "市民建议开通夜班公交，方便下夜班的人回家。"});
    let before = stored(&app, &private).await;
    let refused = admin_on(&app, &private, "publication", &redacted).await;
    let problem = refused.problem(422);
    assert_eq!(problem["errors"][0]["field"], "may_publish");
    assert_eq!(problem["errors"][0]["code"], "consent_required");
    assert_eq!(stored(&app, &private).await, before);
    let published = admin_on(&app, &public, "publication", &redacted).await;
    assert_eq!(published.status.as_u16(), 200, "{}", published.text());
    assert_eq!(published.json::<LetterItem>().state.as_str(), "published");

    // The stranger sees the approved version and the reply, without a code or a contact,
    // and nothing of the private letter.
    let listed = app.get("/api/v1/letters").await;
    keep(&listed);
    let page: Value = listed.json();
    assert_eq!(page["total"], 1);
    let item = &page["items"][0];
    assert_eq!(item["title"], "建议增设夜班公交线路");
    assert_eq!(item["text"], "市民建议开通夜班公交，方便下夜班的人回家。");
    assert_eq!(item["reply"], "已协调公交公司论证开通夜班线路。");
    assert!(item.get("code").is_none());
    for secret in [
        public.as_str(),
        private.as_str(),
        "路灯已于本周修复",
        "下夜班的人回家很难",
    ] {
        assert!(
            !listed.text().contains(secret),
            "the public list carries {secret}"
        );
    }

    // Each writer rates once; a reasoned "not satisfied" goes to supervision.
    let rated = rate(&app, &public, &json!({"satisfaction": "satisfied"})).await;
    assert_eq!(rated.status.as_u16(), 200, "{}", rated.text());
    keep(&rated);
    let before = stored(&app, &public).await;
    let again = rate(
        &app,
        &public,
        &json!({"satisfaction": "not_satisfied", "reason": "改主意了"}),
    )
    .await;
    again.problem(409);
    assert_eq!(again.json::<Value>()["type"], "/problems/wrong-state");
    assert_eq!(stored(&app, &public).await, before);
    let rated = rate(
        &app,
        &private,
        &json!({"satisfaction": "not_satisfied", "reason": "只修了一盏灯"}),
    )
    .await;
    keep(&rated);
    let view: LetterView = rated.json();
    assert_eq!(view.rating.map(|r| r.as_str()), Some("not_satisfied"));
    let supervision: LetterPage = app
        .admin(Method::GET, "/api/v1/admin/letters/supervision", None)
        .await
        .json();
    assert_eq!(
        supervision
            .items
            .iter()
            .map(|l| (l.code.as_str(), l.rating_reason.as_deref()))
            .collect::<Vec<_>>(),
        [(private.as_str(), Some("只修了一盏灯"))]
    );
    as_operator(
        &app,
        &li,
        Method::GET,
        "/api/v1/admin/letters/supervision",
        None,
    )
    .await
    .problem(403);

    // The unit's operator sees the contact through the audited view only.
    let contact = as_operator(
        &app,
        &li,
        Method::POST,
        &format!("/api/v1/admin/letters/{public}/contact"),
        None,
    )
    .await;
    assert_eq!(
        contact.json::<Value>(),
        json!({"name": public_writer[0], "phone": public_writer[1]})
    );
    let history = app
        .admin(
            Method::GET,
            &format!("/api/v1/admin/audit?issue={public}"),
            None,
        )
        .await;
    let actions: Vec<String> = history.json::<Value>()["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|e| {
            format!(
                "{} {}",
                e["actor"].as_str().unwrap_or(""),
                e["action"].as_str().unwrap_or("")
            )
        })
        .collect();
    assert_eq!(
        actions,
        [
            "li contact_viewed",
            "token letter_published",
            "li letter_replied",
            "wang refused",
            "wang refused",
            "wang refused",
            "token letter_reviewed"
        ]
    );
    assert!(
        !history.text().contains(public_writer[0]) && !history.text().contains(public_writer[1])
    );

    let seen = app.get(&format!("/api/v1/letters/{public}")).await;
    keep(&seen);
    let view: LetterView = seen.json();
    assert_eq!(view.state.as_str(), "published");
    let figures = app.get("/api/v1/letters/figures?month=2026-09").await;
    keep(&figures);
    nothing_personal(&public_bodies, &[public_writer, private_writer].concat());
}

async fn every_refusal_leaves_the_letter_as_it_was() {
    let app = city().await;
    let valid = letter("建议增设夜班公交线路", "王秀兰", "13800138000", true);
    let with = |field: &str, value: Value| {
        let mut body = valid.clone();
        body[field] = value;
        body
    };
    for (body, field, code) in [
        (
            with("title", json!("夜班公交太少了吧")),
            "title",
            "title_too_short",
        ),
        (with("title", json!("公".repeat(26))), "title", "too_long"),
        (with("text", json!("字".repeat(601))), "text", "too_long"),
        (with("name", json!(" ")), "name", "required"),
        (with("phone", json!("")), "phone", "required"),
        (with("phone", json!("12345")), "phone", "phone_format"),
    ] {
        let refused = app.post_json("/api/v1/letters", &body).await;
        let problem = refused.problem(422);
        assert_eq!(
            (
                problem["errors"][0]["field"].as_str(),
                problem["errors"][0]["code"].as_str()
            ),
            (Some(field), Some(code)),
            "{body}"
        );
    }
    let unkeyed = app.post_with_key("/api/v1/letters", None, &valid).await;
    unkeyed.problem(400);
    // Without the phone field at all, the body is not a letter.
    let no_phone =
        json!({"kind": "help", "title": "建议增设夜班公交线路", "text": "x", "name": "王"});
    app.post_json("/api/v1/letters", &no_phone)
        .await
        .problem(400);
    assert_eq!(
        omk_server::db::letters::count(&app.state.db)
            .await
            .expect("count"),
        0
    );

    // One letter, refused at each stage what belongs to another.
    let code = write(&app, &valid).await;
    let reply = json!({"reply": "已答复"});
    let redacted = json!({"title": "夜班公交", "text": "市民建议开通夜班公交。"});
    let li = sign_in(&app, "li").await;
    let refusals: Vec<(&str, Value, u16)> = vec![
        ("reply", reply.clone(), 409),
        ("publication", redacted.clone(), 409),
        ("review", json!({}), 422),
        (
            "review",
            json!({"unit": "housing", "decline": "duplicate"}),
            422,
        ),
        ("review", json!({"unit": "parks"}), 422),
    ];
    for (action, body, status) in &refusals {
        let before = stored(&app, &code).await;
        admin_on(&app, &code, action, body).await.problem(*status);
        assert_eq!(stored(&app, &code).await, before, "{action} {body}");
    }
    rate(&app, &code, &json!({"satisfaction": "satisfied"}))
        .await
        .problem(409);
    // A unit operator does not review: refused and audited.
    let audited = audit_total(&app).await;
    as_operator(
        &app,
        &li,
        Method::POST,
        &format!("/api/v1/admin/letters/{code}/review"),
        Some(&json!({"unit": "housing"})),
    )
    .await
    .problem(403);
    assert_eq!(audit_total(&app).await, audited + 1);

    let accepted = admin_on(&app, &code, "review", &json!({"unit": "housing"})).await;
    assert_eq!(accepted.status.as_u16(), 200, "{}", accepted.text());
    for (action, body, status) in [
        ("review", json!({"decline": "duplicate"}), 409),
        ("publication", redacted.clone(), 409),
        ("reply", json!({"reply": "答".repeat(2001)}), 422),
        ("reply", json!({"reply": "  "}), 422),
    ] {
        let before = stored(&app, &code).await;
        admin_on(&app, &code, action, &body).await.problem(status);
        assert_eq!(stored(&app, &code).await, before, "{action} {body}");
    }
    assert_eq!(
        admin_on(&app, &code, "reply", &reply).await.status.as_u16(),
        200
    );
    for (action, body, status) in [
        ("reply", reply.clone(), 409),
        (
            "publication",
            json!({"title": "", "text": "市民建议。"}),
            422,
        ),
        (
            "publication",
            json!({"title": "夜班公交", "text": "字".repeat(601)}),
            422,
        ),
    ] {
        let before = stored(&app, &code).await;
        admin_on(&app, &code, action, &body).await.problem(status);
        assert_eq!(stored(&app, &code).await, before, "{action} {body}");
    }
    let before = stored(&app, &code).await;
    rate(
        &app,
        &code,
        &json!({"satisfaction": "not_satisfied", "reason": "字".repeat(201)}),
    )
    .await
    .problem(422);
    assert_eq!(stored(&app, &code).await, before);
    assert_eq!(
        rate(
            &app,
            &code,
            &json!({"satisfaction": "satisfied", "reason": "很好"})
        )
        .await
        .status
        .as_u16(),
        200
    );
    let rated = stored(&app, &code).await;
    assert_eq!(
        rated.rating_reason, None,
        "a reason is kept only with not satisfied"
    );
    rate(&app, &code, &json!({"satisfaction": "satisfied"}))
        .await
        .problem(409);
    assert_eq!(
        admin_on(&app, &code, "publication", &redacted)
            .await
            .status
            .as_u16(),
        200
    );
    let before = stored(&app, &code).await;
    admin_on(&app, &code, "publication", &redacted)
        .await
        .problem(409);
    assert_eq!(stored(&app, &code).await, before);

    // A declined letter: settled with its reason, never replied.
    let declined = write(
        &app,
        &letter("咨询邻居家装修噪音问题", "李建国", "13950617394", false),
    )
    .await;
    let reviewed = admin_on(
        &app,
        &declined,
        "review",
        &json!({"decline": "outside_remit"}),
    )
    .await;
    assert_eq!(reviewed.status.as_u16(), 200, "{}", reviewed.text());
    let view: LetterView = app.get(&format!("/api/v1/letters/{declined}")).await.json();
    assert_eq!(
        (view.state.as_str(), view.decline_reason.map(|r| r.as_str())),
        ("declined", Some("outside_remit"))
    );
    let before = stored(&app, &declined).await;
    admin_on(&app, &declined, "reply", &reply)
        .await
        .problem(409);
    rate(&app, &declined, &json!({"satisfaction": "satisfied"}))
        .await
        .problem(409);
    assert_eq!(stored(&app, &declined).await, before);
}

/// Writes a letter at `at` by moving the clock there; answers with its code.
async fn written_at(app: &TestApp, at: i64, title: &str) -> String {
    app.state.clock.advance(at - app.state.clock.now());
    write(app, &letter(title, "王秀兰", "13800138000", true)).await
}

/// Accepts a letter and routes it to housing, now.
async fn accept(app: &TestApp, code: &str) {
    let accepted = admin_on(app, code, "review", &json!({"unit": "housing"})).await;
    assert_eq!(accepted.status.as_u16(), 200, "{}", accepted.text());
}

/// Replies to an accepted letter at `at`.
async fn replied_at(app: &TestApp, code: &str, at: i64) {
    app.state.clock.advance(at - app.state.clock.now());
    let reply = admin_on(app, code, "reply", &json!({"reply": "已办理"})).await;
    assert_eq!(reply.status.as_u16(), 200, "{}", reply.text());
}

async fn figures(app: &TestApp, month: &str) -> LetterFigures {
    let reply = app
        .get(&format!("/api/v1/letters/figures?month={month}"))
        .await;
    assert_eq!(reply.status.as_u16(), 200, "{}", reply.text());
    reply.json()
}

async fn the_monthly_figures_are_computed_from_the_letters_of_the_month() {
    let app = city().await;
    let t = SEPT_FIRST_10AM;
    // September (Beijing time): four letters replied after 1, 2, 4 and 10 days, one declined,
    // one awaiting review. August's last second and October's first moment are other months.
    let august = written_at(&app, 1_788_191_999, "八月最后一秒写来的信件").await;
    accept(&app, &august).await;
    let a = written_at(&app, t, "建议增设夜班公交线路一").await;
    let b = written_at(&app, t + HOUR, "建议增设夜班公交线路二").await;
    let c = written_at(&app, t + 2 * HOUR, "建议增设夜班公交线路三").await;
    let d = written_at(&app, t + 3 * HOUR, "建议增设夜班公交线路四").await;
    let declined = written_at(&app, t + 4 * HOUR, "建议增设夜班公交线路五").await;
    let _waiting = written_at(&app, t + 5 * HOUR, "建议增设夜班公交线路六").await;
    for code in [&a, &b, &c, &d] {
        accept(&app, code).await;
    }
    let reviewed = admin_on(&app, &declined, "review", &json!({"decline": "duplicate"})).await;
    assert_eq!(reviewed.status.as_u16(), 200);
    replied_at(&app, &a, t + DAY).await;
    replied_at(&app, &b, t + HOUR + 2 * DAY).await;
    replied_at(&app, &c, t + 2 * HOUR + 4 * DAY).await;
    replied_at(&app, &august, 1_788_191_999 + 6 * DAY).await;
    replied_at(&app, &d, t + 3 * HOUR + 10 * DAY).await;
    let october = written_at(&app, 1_790_784_000, "十月第一刻的来信内容").await;
    accept(&app, &october).await;
    for (code, satisfaction) in [
        (&a, "satisfied"),
        (&b, "satisfied"),
        (&c, "not_satisfied"),
        (&august, "not_satisfied"),
    ] {
        assert_eq!(
            rate(&app, code, &json!({"satisfaction": satisfaction}))
                .await
                .status
                .as_u16(),
            200
        );
    }

    let september = figures(&app, "2026-09").await;
    assert_eq!(
        (
            september.received,
            september.declined,
            september.replied,
            september.reply_rate_n
        ),
        (6, 1, 4, 5)
    );
    // 4 replied ÷ (6 received − 1 declined); 2 satisfied ÷ 3 rated; the median of 1, 2, 4
    // and 10 days is (2 + 4) ÷ 2.
    assert_eq!(september.reply_rate, Some(0.8));
    assert_eq!((september.rated, september.satisfied), (3, 2));
    assert_eq!(september.satisfaction_rate, Some(2.0 / 3.0));
    assert_eq!(september.median_days_to_reply, Some(3.0));

    let august_figures = figures(&app, "2026-08").await;
    assert_eq!((august_figures.received, august_figures.replied), (1, 1));
    assert_eq!(august_figures.reply_rate, Some(1.0));
    assert_eq!(august_figures.satisfaction_rate, Some(0.0));
    assert_eq!(august_figures.median_days_to_reply, Some(6.0));

    // October: one letter, not replied: a rate of 0 over 1, and no satisfaction or median.
    let october_figures = figures(&app, "2026-10").await;
    assert_eq!(
        (october_figures.received, october_figures.reply_rate),
        (1, Some(0.0))
    );
    assert_eq!(
        (
            october_figures.satisfaction_rate,
            october_figures.median_days_to_reply
        ),
        (None, None)
    );

    // No letters: no rate, never 0 %.
    let july = app.get("/api/v1/letters/figures?month=2026-07").await;
    let body: Value = july.json();
    assert_eq!(body["received"], 0);
    assert!(
        body["reply_rate"].is_null()
            && body["satisfaction_rate"].is_null()
            && body["median_days_to_reply"].is_null(),
        "{body}"
    );
    // The current month (the clock is in October now) by default.
    assert_eq!(
        figures(&app, "2026-10").await,
        app.get("/api/v1/letters/figures")
            .await
            .json::<LetterFigures>()
    );
    for bad in ["2026-13", "2026-9", "september", "2026-09-01"] {
        app.get(&format!("/api/v1/letters/figures?month={bad}"))
            .await
            .problem(400);
    }
}

async fn letters_are_bounded_per_client_and_replayed_by_their_key() {
    let app = TestApp::configured(|c| {
        c.demo = false;
        c.limits.letters_per_minute = 2;
    })
    .await;
    app.state.clock.stop();
    let body = letter("建议增设夜班公交线路", "王秀兰", "13800138000", false);
    let key = fresh_key();
    let first = app
        .post_with_key("/api/v1/letters", Some(&key), &body)
        .await;
    let again = app
        .post_with_key("/api/v1/letters", Some(&key), &body)
        .await;
    assert_eq!((first.status.as_u16(), again.status.as_u16()), (201, 201));
    assert_eq!(first.json::<LetterReceipt>(), again.json::<LetterReceipt>());
    assert_eq!(
        omk_server::db::letters::count(&app.state.db)
            .await
            .expect("count"),
        1
    );
    let limited = app.post_json("/api/v1/letters", &body).await;
    limited.problem(429);
    app.state.clock.advance(30);
    assert_eq!(
        app.post_json("/api/v1/letters", &body)
            .await
            .status
            .as_u16(),
        201
    );
    assert_eq!(
        omk_server::db::letters::count(&app.state.db)
            .await
            .expect("count"),
        2
    );
}

crate::on_every_backend!(
    a_private_and_a_public_letter_walk_through_every_state,
    every_refusal_leaves_the_letter_as_it_was,
    the_monthly_figures_are_computed_from_the_letters_of_the_month,
    letters_are_bounded_per_client_and_replayed_by_their_key,
);

/// A stored letter's state and rating.
type StateAndRating = (String, Option<String>);

/// The demo's mailbox: figures high like the report's, yet each the count of stored rows.
async fn the_demo_mailbox_is_computed_from_its_rows() {
    let app = crate::support::seeded_at_demo_moment().await;
    for month in ["2026-07", "2026-08"] {
        let shown = figures(&app, month).await;
        let (start, end) = omk_api::mailbox::month_span(month).expect("a month");
        let rows: Vec<StateAndRating> = sqlx::query_as(
            "SELECT state, rating FROM letters WHERE created_at >= $1 AND created_at < $2",
        )
        .bind(start)
        .bind(end)
        .fetch_all(app.state.db.pool())
        .await
        .expect("rows");
        let count = |keep: &dyn Fn(&StateAndRating) -> bool| {
            i64::try_from(rows.iter().filter(|r| keep(r)).count()).expect("a count")
        };
        let replied = |r: &StateAndRating| r.0 == "replied" || r.0 == "published";
        assert_eq!(shown.received, count(&|_| true), "{month}");
        assert_eq!(shown.declined, count(&|r| r.0 == "declined"));
        assert_eq!(shown.replied, count(&replied));
        assert_eq!(shown.rated, count(&|r| replied(r) && r.1.is_some()));
        assert_eq!(
            shown.satisfied,
            count(&|r| replied(r) && r.1.as_deref() == Some("satisfied"))
        );
        assert!(shown.received > 20, "{month}: {shown:?}");
        // July is long past: nearly every letter is replied; August's last days still wait.
        let least = if month == "2026-07" { 0.9 } else { 0.7 };
        assert!(
            shown.reply_rate.is_some_and(|r| r > least),
            "{month}: {shown:?}"
        );
        assert!(
            shown.satisfaction_rate.is_some_and(|r| r > 0.85),
            "{month}: {shown:?}"
        );
        assert!(
            shown
                .median_days_to_reply
                .is_some_and(|d| (1.0..10.0).contains(&d)),
            "{shown:?}"
        );
    }
    let listed = app.get("/api/v1/letters?per_page=100").await;
    let page: Value = listed.json();
    assert!(page["total"].as_i64().is_some_and(|n| n > 5), "{page}");
    for needle in ["先生", "女士", "1380000000"] {
        assert!(
            !listed.text().contains(needle),
            "the public list carries {needle}"
        );
    }
    let supervision: LetterPage = app
        .admin(Method::GET, "/api/v1/admin/letters/supervision", None)
        .await
        .json();
    assert!(supervision.total > 0);
    let collections: Vec<omk_api::Collection> = app.get("/api/v1/consultations").await.json();
    let states: Vec<&str> = collections.iter().map(|c| c.state.message_key()).collect();
    assert_eq!(states, ["collection.state.open", "collection.state.closed"]);
    assert!(collections[1].adopted_note.is_some() && collections[1].comments_published == 4);
}

crate::on_every_backend!(the_demo_mailbox_is_computed_from_its_rows);

/// What the document states of a letter's fields is what validation takes: each field's
/// pattern against texts around each bound, padded with white space.
#[test]
fn the_documented_letter_rules_are_the_ones_validation_uses() {
    let doc: Value = serde_json::from_str(omk_server::openapi::json()).expect("document");
    let valid = omk_api::NewLetter {
        kind: omk_api::LetterKind::Help,
        title: "求助：老人独居无人照料".into(),
        text: "邻居老人独居。".into(),
        name: "王秀兰".into(),
        phone: "13800138000".into(),
        may_publish: false,
    };
    let mut texts: Vec<String> = ["13800138000", "0635-8888888", "138-0013-8000", "063-58888"]
        .map(str::to_owned)
        .to_vec();
    for length in [0usize, 1, 2, 9, 10, 11, 24, 25, 26, 50, 51, 599, 600, 601] {
        for fill in ["a", "信", "a b"] {
            let body: String = fill.chars().cycle().take(length).collect();
            for pad in ["", " ", "\u{3000}", "\t\n"] {
                texts.push(format!("{pad}{body}{pad}"));
            }
        }
    }
    type Set = fn(&mut omk_api::NewLetter, &str);
    let fields: [(&str, Set); 4] = [
        ("title", |l, t| l.title = t.into()),
        ("text", |l, t| l.text = t.into()),
        ("name", |l, t| l.name = t.into()),
        ("phone", |l, t| l.phone = t.into()),
    ];
    for (field, set) in fields {
        let pattern = doc["components"]["schemas"]["NewLetter"]["properties"][field]["pattern"]
            .as_str()
            .unwrap_or_else(|| panic!("NewLetter.{field} has no pattern"));
        let pattern = regex::Regex::new(pattern).expect("a pattern");
        for text in &texts {
            let mut letter = valid.clone();
            set(&mut letter, text);
            let takes = !letter
                .validate()
                .err()
                .unwrap_or_default()
                .iter()
                .any(|e| e.field == field);
            assert_eq!(pattern.is_match(text), takes, "NewLetter.{field}: {text:?}");
        }
    }
}
