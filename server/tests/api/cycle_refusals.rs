//! Every refusal of the month's selection changes nothing: writes at the wrong stage, a
//! reused or unknown representative's code, weights changed once voting opened, a choice
//! other than the top score without a reason, moves without their requirements, bad
//! moderation, and callers whose role does not allow the operation.

use axum::http::Method;
use serde_json::{Value, json};

use crate::cycle::{city, create, everything, move_to};
use crate::cycle_selection::{
    as_operator, import_signals, moderate, propose, public_vote, reference, represent, sign_in,
};
use crate::support::{Reply, TestApp};

const MONTH: &str = "2026-05";

/// Asserts a problem of `kind` with `status`.
fn refused(reply: Reply, status: u16, kind: &str) {
    let problem = reply.problem(status);
    assert_eq!(problem["type"], format!("/problems/{kind}"), "{problem}");
}

/// What the month shows, its moderation queue included.
async fn state(app: &TestApp) -> Vec<String> {
    let mut seen = everything(app, MONTH).await;
    for uri in [
        format!("/api/v1/admin/cycles/{MONTH}/proposals"),
        format!("/api/v1/cycles/{MONTH}/proposals"),
    ] {
        seen.push(app.admin(Method::GET, &uri, None).await.text());
    }
    seen
}

/// A month with a published proposal, weights, counts and two candidates, at screening.
async fn screened(app: &TestApp) -> String {
    reference(app).await;
    create(app, MONTH).await;
    let code = propose(app, MONTH, "小区停车难", None).await;
    let admin_publish = app
        .admin(
            Method::POST,
            &format!("/api/v1/admin/proposals/{code}/moderation"),
            Some(&json!({"action": "publish"})),
        )
        .await;
    assert_eq!(
        admin_publish.status.as_u16(),
        200,
        "{}",
        admin_publish.text()
    );
    let weights = json!({"representatives": 40, "public": 30, "hotline": 20, "proposals": 10});
    let set = app
        .admin(
            Method::PUT,
            &format!("/api/v1/admin/cycles/{MONTH}/weights"),
            Some(&weights),
        )
        .await;
    assert_eq!(set.status.as_u16(), 200);
    let csv = "category,district,count\nparking,dongchangfu,10\nbuilding,linqing,30\n";
    assert_eq!(import_signals(app, MONTH, csv).await.status.as_u16(), 200);
    assert_eq!(move_to(app, MONTH, "screening").await.status.as_u16(), 200);
    for (id, category, proposals) in [
        ("parking", "parking", vec![code.clone()]),
        ("lifts", "building", vec![]),
    ] {
        let reply = app
            .admin(
                Method::PUT,
                &format!("/api/v1/admin/cycles/{MONTH}/candidates/{id}"),
                Some(
                    &json!({"title_zh": "题", "title_en": "Topic", "lead_unit": "housing",
                             "category": category, "proposals": proposals}),
                ),
            )
            .await;
        assert_eq!(reply.status.as_u16(), 200, "{}", reply.text());
    }
    code
}

async fn proposals_are_taken_only_while_soliciting_and_only_when_well_formed() {
    let app = city().await;
    reference(&app).await;
    create(&app, MONTH).await;
    let uri = format!("/api/v1/cycles/{MONTH}/proposals");
    let before = state(&app).await;
    let good = json!({"title": "加装电梯", "text": "老人上下楼难", "district": "dongchangfu"});
    for (body, field, code) in [
        (
            json!({"title": "字".repeat(26), "text": "x", "district": "dongchangfu"}),
            "title",
            "too_long",
        ),
        (
            json!({"title": "x", "text": "字".repeat(601), "district": "dongchangfu"}),
            "text",
            "too_long",
        ),
        (
            json!({"title": "x", "text": "y", "district": "haidian"}),
            "district",
            "unknown_district",
        ),
        (
            json!({"title": "x", "text": "y", "district": "dongchangfu", "phone": "13800138000"}),
            "phone",
            "consent_required",
        ),
    ] {
        let problem = app.post_json(&uri, &body).await.problem(422);
        assert_eq!(
            (
                problem["errors"][0]["field"].as_str(),
                problem["errors"][0]["code"].as_str()
            ),
            (Some(field), Some(code)),
            "{problem}"
        );
    }
    app.post_json("/api/v1/cycles/2026-06/proposals", &good)
        .await
        .problem(404);
    let missing_key = app.post_with_key(&uri, None, &good).await;
    assert_eq!(missing_key.status.as_u16(), 400);
    assert_eq!(state(&app).await, before);
    assert_eq!(move_to(&app, MONTH, "screening").await.status.as_u16(), 200);
    let before = state(&app).await;
    refused(app.post_json(&uri, &good).await, 409, "proposals-closed");
    assert_eq!(state(&app).await, before);
}

async fn votes_are_refused_outside_voting_and_codes_are_single_use() {
    let app = city().await;
    screened(&app).await;
    let issued: Value = app
        .admin(
            Method::POST,
            &format!("/api/v1/admin/cycles/{MONTH}/codes"),
            Some(&json!({"count": 2})),
        )
        .await
        .json();
    let code = issued["codes"][0].as_str().expect("a code").to_owned();
    let before = state(&app).await;
    // Screening: neither channel takes votes yet.
    refused(public_vote(&app, "parking").await, 409, "voting-closed");
    refused(
        represent(&app, MONTH, &code, "parking").await,
        409,
        "voting-closed",
    );
    assert_eq!(state(&app).await, before);

    assert_eq!(move_to(&app, MONTH, "voting").await.status.as_u16(), 200);
    assert_eq!(
        represent(&app, MONTH, &code, "parking")
            .await
            .status
            .as_u16(),
        201
    );
    create(&app, "2026-06").await;
    let before = state(&app).await;
    refused(
        represent(&app, MONTH, &code, "lifts").await,
        409,
        "code-used",
    );
    refused(
        represent(&app, MONTH, "RV-0000-0000-0000-0", "lifts").await,
        422,
        "code-unknown",
    );
    refused(
        represent(&app, MONTH, "not a code", "lifts").await,
        422,
        "code-unknown",
    );
    let other = issued["codes"][1].as_str().expect("a code");
    let problem = represent(&app, MONTH, other, "bridges").await.problem(422);
    assert_eq!(problem["errors"][0]["code"], "unknown_candidate");
    // A code of May does not vote in June.
    refused(
        represent(&app, "2026-06", other, "lifts").await,
        409,
        "voting-closed",
    );
    assert_eq!(state(&app).await, before);
    // The unused code still counts once.
    assert_eq!(
        represent(&app, MONTH, other, "lifts").await.status.as_u16(),
        201
    );
}

async fn weights_and_the_shortlist_are_locked_once_voting_opens() {
    let app = city().await;
    screened(&app).await;
    let bad = json!({"representatives": 40, "public": 30, "hotline": 20, "proposals": 11});
    let uri = format!("/api/v1/admin/cycles/{MONTH}/weights");
    let before = state(&app).await;
    let problem = app.admin(Method::PUT, &uri, Some(&bad)).await.problem(422);
    assert_eq!(problem["errors"][0]["code"], "sum_not_100");
    assert_eq!(state(&app).await, before);
    assert_eq!(move_to(&app, MONTH, "voting").await.status.as_u16(), 200);
    let before = state(&app).await;
    let good = json!({"representatives": 25, "public": 25, "hotline": 25, "proposals": 25});
    refused(
        app.admin(Method::PUT, &uri, Some(&good)).await,
        409,
        "weights-locked",
    );
    let candidate = json!({"title_zh": "题", "title_en": "Topic", "lead_unit": "housing",
                           "category": "parking"});
    refused(
        app.admin(
            Method::PUT,
            &format!("/api/v1/admin/cycles/{MONTH}/candidates/parking"),
            Some(&candidate),
        )
        .await,
        409,
        "wrong-stage",
    );
    assert_eq!(state(&app).await, before);
}

async fn the_choice_needs_voting_and_a_reason_to_pass_over_the_top_score() {
    let app = city().await;
    screened(&app).await;
    let uri = format!("/api/v1/admin/cycles/{MONTH}/choice");
    let before = state(&app).await;
    refused(
        app.admin(Method::POST, &uri, Some(&json!({"candidate": "parking"})))
            .await,
        409,
        "wrong-stage",
    );
    // Voting does not open on one candidate... (it has two here) nor move on without a choice.
    assert_eq!(state(&app).await, before);
    assert_eq!(move_to(&app, MONTH, "voting").await.status.as_u16(), 200);
    for _ in 0..3 {
        assert_eq!(public_vote(&app, "lifts").await.status.as_u16(), 201);
    }
    // lifts: 30 × 3/3 + 20 × 30/30 = 50; parking: 20 × 10/30 + 10 × 1/1 = 16.67.
    let before = state(&app).await;
    refused(
        move_to(&app, MONTH, "meeting").await,
        409,
        "stage-not-ready",
    );
    let problem = app
        .admin(
            Method::POST,
            &uri,
            Some(&json!({"candidate": "parking", "reason": "  "})),
        )
        .await
        .problem(422);
    assert_eq!(problem["errors"][0]["field"], "reason");
    let problem = app
        .admin(Method::POST, &uri, Some(&json!({"candidate": "bridges"})))
        .await
        .problem(422);
    assert_eq!(problem["errors"][0]["code"], "unknown_candidate");
    assert_eq!(state(&app).await, before);
    // The top score needs no reason.
    let chosen = app
        .admin(Method::POST, &uri, Some(&json!({"candidate": "lifts"})))
        .await;
    assert_eq!(chosen.status.as_u16(), 200, "{}", chosen.text());
    assert_eq!(move_to(&app, MONTH, "meeting").await.status.as_u16(), 200);
    let before = state(&app).await;
    refused(
        app.admin(Method::POST, &uri, Some(&json!({"candidate": "lifts"})))
            .await,
        409,
        "wrong-stage",
    );
    refused(move_to(&app, MONTH, "voting").await, 409, "wrong-stage");
    refused(
        import_signals(&app, MONTH, "category,district,count\nparking,linqing,1\n").await,
        409,
        "wrong-stage",
    );
    refused(
        app.admin(
            Method::POST,
            &format!("/api/v1/admin/cycles/{MONTH}/codes"),
            Some(&json!({"count": 1})),
        )
        .await,
        409,
        "wrong-stage",
    );
    assert_eq!(state(&app).await, before);
}

async fn a_bad_signals_file_writes_nothing() {
    let app = city().await;
    reference(&app).await;
    create(&app, MONTH).await;
    assert_eq!(
        import_signals(&app, MONTH, "category,district,count\nparking,linqing,7\n")
            .await
            .status
            .as_u16(),
        200
    );
    let before = state(&app).await;
    let csv = "category,district,count\nparking,linqing,9\nnoise,linqing,3\nparking,haidian,2\nbuilding,linqing,-4\n";
    let problem = import_signals(&app, MONTH, csv).await.problem(422);
    let lines: Vec<(i64, &str)> = problem["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| {
            (
                e["line"].as_i64().unwrap_or(0),
                e["code"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        lines,
        [
            (3, "unknown_category"),
            (4, "unknown_district"),
            (5, "bad_count")
        ]
    );
    assert_eq!(state(&app).await, before);
}

async fn moderation_refuses_what_it_cannot_do() {
    let app = city().await;
    reference(&app).await;
    create(&app, MONTH).await;
    let mei = sign_in(&app, "mei").await;
    let a = propose(&app, MONTH, "加装电梯", None).await;
    let b = propose(&app, MONTH, "停车难", None).await;
    let before = state(&app).await;
    let problem = moderate(&app, &mei, &a, json!({"action": "reject"}))
        .await
        .problem(422);
    assert_eq!(problem["errors"][0]["field"], "reason");
    // Into itself, into one not published, into one that does not exist.
    for into in [a.as_str(), b.as_str(), "PR-0000-0000-0000-0"] {
        let problem = moderate(&app, &mei, &a, json!({"action": "merge", "into": into}))
            .await
            .problem(422);
        assert_eq!(problem["errors"][0]["field"], "into");
    }
    moderate(
        &app,
        &mei,
        "PR-0000-0000-0000-0",
        json!({"action": "publish"}),
    )
    .await
    .problem(404);
    assert_eq!(state(&app).await, before);
    assert_eq!(
        moderate(
            &app,
            &mei,
            &b,
            json!({"action": "reject", "reason": "重复"})
        )
        .await
        .status
        .as_u16(),
        200
    );
    let before = state(&app).await;
    moderate(&app, &mei, &b, json!({"action": "publish"}))
        .await
        .problem(409);
    assert_eq!(state(&app).await, before);
}

async fn callers_without_the_role_are_refused_and_change_nothing() {
    let app = city().await;
    let code = screened(&app).await;
    let li = sign_in(&app, "li").await;
    let mei = sign_in(&app, "mei").await;
    let zhao = sign_in(&app, "zhao").await;
    let weights = json!({"representatives": 25, "public": 25, "hotline": 25, "proposals": 25});
    let attempts: Vec<(Method, String, Option<Value>)> = vec![
        (
            Method::POST,
            "/api/v1/admin/cycles".into(),
            Some(crate::cycle::plan("2026-07")),
        ),
        (
            Method::POST,
            format!("/api/v1/admin/cycles/{MONTH}/stage"),
            Some(json!({"to": "voting"})),
        ),
        (
            Method::PUT,
            format!("/api/v1/admin/cycles/{MONTH}/weights"),
            Some(weights),
        ),
        (
            Method::POST,
            format!("/api/v1/admin/cycles/{MONTH}/codes"),
            Some(json!({"count": 1})),
        ),
        (
            Method::POST,
            format!("/api/v1/admin/proposals/{code}/contact"),
            None,
        ),
        (
            Method::POST,
            format!("/api/v1/admin/proposals/{code}/moderation"),
            Some(json!({"action": "reject", "reason": "x"})),
        ),
    ];
    for (method, uri, body) in attempts {
        let before = state(&app).await;
        let audited = |v: &Vec<String>| v[3].clone();
        // Anonymous: 401, not audited.
        let mut request = axum::http::Request::builder()
            .method(method.clone())
            .uri(&uri);
        if body.is_some() {
            request = request.header("content-type", "application/json");
        }
        let anonymous = app
            .send(
                request
                    .body(axum::body::Body::from(
                        body.as_ref().map(Value::to_string).unwrap_or_default(),
                    ))
                    .expect("request"),
            )
            .await;
        anonymous.problem(401);
        assert_eq!(state(&app).await, before, "{method} {uri} anonymous");
        let moderation = uri.ends_with("/moderation");
        let mut refusers = vec![("li", &li), ("zhao", &zhao)];
        if !moderation {
            refusers.push(("mei", &mei));
        }
        for (login, who) in refusers {
            let before = state(&app).await;
            as_operator(&app, who, method.clone(), &uri, body.as_ref())
                .await
                .problem(403);
            let after = state(&app).await;
            assert_eq!(after[..3], before[..3], "{method} {uri} as {login}");
            assert_eq!(after[4..], before[4..], "{method} {uri} as {login}");
            assert_ne!(
                audited(&after),
                audited(&before),
                "{method} {uri} as {login}: not audited"
            );
        }
    }
    // Supervisors and unit operators do not read the moderation queue's writes, but
    // supervisors read the queue.
    let queue = format!("/api/v1/admin/cycles/{MONTH}/proposals");
    assert_eq!(
        as_operator(&app, &zhao, Method::GET, &queue, None)
            .await
            .status
            .as_u16(),
        200
    );
    as_operator(&app, &li, Method::GET, &queue, None)
        .await
        .problem(403);
}

crate::on_every_backend!(
    proposals_are_taken_only_while_soliciting_and_only_when_well_formed,
    votes_are_refused_outside_voting_and_codes_are_single_use,
    weights_and_the_shortlist_are_locked_once_voting_opens,
    the_choice_needs_voting_and_a_reason_to_pass_over_the_top_score,
    a_bad_signals_file_writes_nothing,
    moderation_refuses_what_it_cannot_do,
    callers_without_the_role_are_refused_and_change_nothing,
);
