//! A month's selection walked through the API with literal inputs: visitors' proposals
//! (moderated, merged, rejected), the 12345 counts, the shortlist, public and
//! representatives' votes, the score (checked against this test's own arithmetic), the
//! choice and the freeze; and a proposal's phone in no public answer.

use axum::body::Body;
use axum::http::{Method, Request, header};
use omk_api::{
    CandidateView, CycleStage, CycleSummary, CycleView, IssuedCodes, ModeratedProposal,
    ProposalReceipt, ProposalStatus, PublicProposal, Score, Session, Topic,
};
use serde_json::{Value, json};

use crate::cycle::{city, create, move_to};
use crate::support::{Reply, TestApp, fresh_key};

pub const PASSWORD: &str = "a long enough password";
/// The phone one proposal leaves for a call-back.
pub const PHONE: &str = "13912345678";

/// Units, districts, categories and a moderator for the walk.
pub async fn reference(app: &TestApp) {
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
            "/api/v1/admin/districts/dongchangfu",
            json!({"name_zh": "东昌府区", "name_en": "Dongchangfu"}),
        ),
        (
            "/api/v1/admin/districts/linqing",
            json!({"name_zh": "临清市", "name_en": "Linqing"}),
        ),
        (
            "/api/v1/admin/categories/building",
            json!({"name_zh": "楼宇", "name_en": "Buildings", "unit": "housing"}),
        ),
        (
            "/api/v1/admin/categories/parking",
            json!({"name_zh": "停车", "name_en": "Parking", "unit": "urban"}),
        ),
        (
            "/api/v1/admin/operators/mei",
            json!({"role": "moderator", "password": PASSWORD}),
        ),
        (
            "/api/v1/admin/operators/li",
            json!({"role": "unit", "unit": "housing", "password": PASSWORD}),
        ),
        (
            "/api/v1/admin/operators/zhao",
            json!({"role": "supervisor", "password": PASSWORD}),
        ),
    ] {
        let reply = app.admin(Method::PUT, uri, Some(&body)).await;
        assert_eq!(reply.status.as_u16(), 200, "{uri}: {}", reply.text());
    }
}

/// A signed-in operator's cookie and CSRF token.
pub struct Signed {
    pub cookie: String,
    pub csrf: String,
}

pub async fn sign_in(app: &TestApp, login: &str) -> Signed {
    let reply = app
        .send(
            Request::post("/api/v1/session")
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(
                    json!({"login": login, "password": PASSWORD}).to_string(),
                ))
                .expect("request"),
        )
        .await;
    assert_eq!(reply.status.as_u16(), 200, "{}", reply.text());
    let cookie = reply.headers[header::SET_COOKIE]
        .to_str()
        .expect("ascii")
        .split(';')
        .next()
        .expect("name=value")
        .to_owned();
    let session: Session = reply.json();
    Signed {
        cookie,
        csrf: session.csrf_token,
    }
}

/// A request as the signed-in operator `who`.
pub async fn as_operator(
    app: &TestApp,
    who: &Signed,
    method: Method,
    uri: &str,
    body: Option<&Value>,
) -> Reply {
    let mut request = Request::builder()
        .method(method)
        .uri(uri)
        .header(header::COOKIE, &who.cookie)
        .header("x-csrf-token", &who.csrf);
    if body.is_some() {
        request = request.header(header::CONTENT_TYPE, "application/json");
    }
    let body = body.map_or_else(Body::empty, |b| Body::from(b.to_string()));
    app.send(request.body(body).expect("request")).await
}

/// Sends a proposal; asserts it was taken.
pub async fn propose(app: &TestApp, month: &str, title: &str, phone: Option<&str>) -> String {
    // A minute apart, so the list's order (oldest first) is the order they were sent in.
    app.state.clock.advance(60);
    let mut body = json!({"title": title, "text": format!("{title}，希望尽快解决。"),
                          "district": "dongchangfu"});
    if let Some(phone) = phone {
        body["phone"] = json!(phone);
        body["consent"] = json!(true);
    }
    let reply = app
        .post_json(&format!("/api/v1/cycles/{month}/proposals"), &body)
        .await;
    assert_eq!(reply.status.as_u16(), 201, "{}", reply.text());
    reply.json::<ProposalReceipt>().code
}

/// Moderates a proposal as `who`.
pub async fn moderate(app: &TestApp, who: &Signed, code: &str, body: Value) -> Reply {
    as_operator(
        app,
        who,
        Method::POST,
        &format!("/api/v1/admin/proposals/{code}/moderation"),
        Some(&body),
    )
    .await
}

/// Imports the month's hotline counts as CSV.
pub async fn import_signals(app: &TestApp, month: &str, csv: &str) -> Reply {
    app.send(
        Request::post(format!("/api/v1/admin/cycles/{month}/signals"))
            .header(
                header::AUTHORIZATION,
                format!("Bearer {}", crate::support::ADMIN_TOKEN),
            )
            .header(header::CONTENT_TYPE, "text/csv")
            .body(Body::from(csv.to_owned()))
            .expect("request"),
    )
    .await
}

/// Casts a public vote on `topic`.
pub async fn public_vote(app: &TestApp, topic: &str) -> Reply {
    app.post_json("/api/v1/votes", &json!({"topic": topic}))
        .await
}

/// Casts a representative's vote.
pub async fn represent(app: &TestApp, month: &str, code: &str, candidate: &str) -> Reply {
    app.post_json(
        &format!("/api/v1/cycles/{month}/representative-votes"),
        &json!({"code": code, "candidate": candidate}),
    )
    .await
}

fn score_of(view: &CycleView, id: &str) -> Score {
    view.candidates
        .iter()
        .find(|c| c.id == id)
        .and_then(|c| c.score)
        .unwrap_or_else(|| panic!("no score for {id}: {view:?}"))
}

fn candidate<'a>(view: &'a CycleView, id: &str) -> &'a CandidateView {
    view.candidates
        .iter()
        .find(|c| c.id == id)
        .unwrap_or_else(|| panic!("no candidate {id}"))
}

async fn view(app: &TestApp, month: &str) -> CycleView {
    let reply = app.get(&format!("/api/v1/cycles/{month}")).await;
    assert_eq!(reply.status.as_u16(), 200, "{}", reply.text());
    reply.json()
}

/// Every public answer about the month, raw.
async fn public_answers(app: &TestApp, month: &str, codes: &[&str]) -> Vec<String> {
    let mut uris = vec![
        "/api/v1/cycle".to_owned(),
        "/api/v1/cycles".to_owned(),
        format!("/api/v1/cycles/{month}"),
        format!("/api/v1/cycles/{month}/proposals"),
        "/api/v1/topics".to_owned(),
        "/api/v1/metrics".to_owned(),
    ];
    uris.extend(codes.iter().map(|c| format!("/api/v1/proposals/{c}")));
    let mut answers = Vec::new();
    for uri in uris {
        let reply = app.get(&uri).await;
        assert_eq!(reply.status.as_u16(), 200, "{uri}: {}", reply.text());
        answers.push(reply.text());
    }
    answers
}

async fn a_month_is_selected_from_proposals_signals_and_votes_to_the_choice() {
    let app = city().await;
    reference(&app).await;
    let month = "2026-05";
    create(&app, month).await;
    let mei = sign_in(&app, "mei").await;

    // Proposals from kiosks and phones; a retry with the same key is the same proposal.
    let key = fresh_key();
    let body = json!({"title": "老旧小区加装电梯", "text": "六层没有电梯，老人上下楼难。",
                      "district": "dongchangfu", "phone": PHONE, "consent": true});
    let uri = format!("/api/v1/cycles/{month}/proposals");
    let first = app.post_with_key(&uri, Some(&key), &body).await;
    assert_eq!(first.status.as_u16(), 201, "{}", first.text());
    let again = app.post_with_key(&uri, Some(&key), &body).await;
    assert_eq!(again.headers["idempotent-replayed"], "true");
    assert_eq!(again.body, first.body);
    let lifts = first.json::<ProposalReceipt>().code;
    let parking = propose(&app, month, "小区停车难", None).await;
    let parking_again = propose(&app, month, "车位不够用", None).await;
    let spam = propose(&app, month, "广告广告广告", None).await;
    let received: ProposalStatus = app.get(&format!("/api/v1/proposals/{lifts}")).await.json();
    assert_eq!(received.state.as_str(), "received");
    let shown: Vec<PublicProposal> = app.get(&uri).await.json();
    assert_eq!(shown, [], "nothing is shown before moderation");

    // Moderation: two published, one merged into another, one rejected with its reason.
    for code in [&lifts, &parking] {
        let reply = moderate(&app, &mei, code, json!({"action": "publish"})).await;
        assert_eq!(reply.status.as_u16(), 200, "{}", reply.text());
    }
    let merged = moderate(
        &app,
        &mei,
        &parking_again,
        json!({"action": "merge", "into": parking,
                                                            "reason": "与停车难建议相同"}),
    )
    .await;
    assert_eq!(merged.status.as_u16(), 200, "{}", merged.text());
    let rejected = moderate(
        &app,
        &mei,
        &spam,
        json!({"action": "reject", "reason": "广告内容"}),
    )
    .await;
    assert_eq!(rejected.status.as_u16(), 200, "{}", rejected.text());
    let status: ProposalStatus = app.get(&format!("/api/v1/proposals/{spam}")).await.json();
    assert_eq!(
        (status.state.as_str(), status.reason.as_deref()),
        ("rejected", Some("广告内容"))
    );
    let status: ProposalStatus = app
        .get(&format!("/api/v1/proposals/{parking_again}"))
        .await
        .json();
    assert_eq!(status.merged_into.as_deref(), Some(parking.as_str()));
    let shown: Vec<PublicProposal> = app.get(&uri).await.json();
    let links: Vec<(&str, &str, Option<&str>, Vec<&str>)> = shown
        .iter()
        .map(|p| {
            (
                p.code.as_str(),
                p.state.as_str(),
                p.merged_into.as_deref(),
                p.merged.iter().map(|m| m.code.as_str()).collect(),
            )
        })
        .collect();
    assert_eq!(
        links,
        [
            (lifts.as_str(), "published", None, vec![]),
            (
                parking.as_str(),
                "published",
                None,
                vec![parking_again.as_str()]
            ),
            (
                parking_again.as_str(),
                "merged",
                Some(parking.as_str()),
                vec![]
            ),
        ]
    );

    // The weights, and the hotline's counts (a second import replaces the first).
    let weights = json!({"representatives": 40, "public": 30, "hotline": 20, "proposals": 10});
    let set = app
        .admin(
            Method::PUT,
            &format!("/api/v1/admin/cycles/{month}/weights"),
            Some(&weights),
        )
        .await;
    assert_eq!(set.status.as_u16(), 200, "{}", set.text());
    let first = import_signals(
        &app,
        month,
        "category,district,count\nparking,dongchangfu,5\n",
    )
    .await;
    assert_eq!(first.status.as_u16(), 200, "{}", first.text());
    let csv = "category,district,count\nparking,dongchangfu,80\nparking,linqing,40\nbuilding,dongchangfu,60\n";
    let report: Value = import_signals(&app, month, csv).await.json();
    assert_eq!(
        (report["rows"].as_i64(), report["calls"].as_i64()),
        (Some(3), Some(180))
    );

    // Screening: the shortlist, each candidate with its proposals and calls.
    assert_eq!(move_to(&app, month, "screening").await.status.as_u16(), 200);
    let shortlist = [
        (
            "parking-spaces",
            "增加停车位",
            "More parking",
            "urban",
            "parking",
            vec![parking.clone()],
        ),
        (
            "lifts",
            "加装电梯",
            "Lifts",
            "housing",
            "building",
            vec![lifts.clone()],
        ),
    ];
    for (position, (id, zh, en, unit, category, proposals)) in shortlist.iter().enumerate() {
        let reply = app
            .admin(
                Method::PUT,
                &format!("/api/v1/admin/cycles/{month}/candidates/{id}"),
                Some(&json!({"title_zh": zh, "title_en": en, "lead_unit": unit,
                             "category": category, "position": position, "proposals": proposals})),
            )
            .await;
        assert_eq!(reply.status.as_u16(), 200, "{}", reply.text());
    }
    let screened = view(&app, month).await;
    let counts: Vec<(&str, i64, i64, Option<Score>)> = screened
        .candidates
        .iter()
        .map(|c| (c.id.as_str(), c.hotline, c.proposal_count, c.score))
        .collect();
    // parking: 80 + 40 calls, its proposal and the one merged into it; lifts: 60 calls, one.
    assert_eq!(
        counts,
        [("parking-spaces", 120, 2, None), ("lifts", 60, 1, None)]
    );
    let linked: ProposalStatus = app
        .get(&format!("/api/v1/proposals/{parking}"))
        .await
        .json();
    assert_eq!(linked.candidate.as_deref(), Some("parking-spaces"));

    // Voting: 20 public votes for parking, 30 for lifts; 6 representatives for parking, 2
    // for lifts.
    assert_eq!(move_to(&app, month, "voting").await.status.as_u16(), 200);
    // A candidate is not among the plain monthly question's topics.
    let topics: Vec<Topic> = app.get("/api/v1/topics").await.json();
    assert_eq!(topics, []);
    for (topic, n) in [("parking-spaces", 20), ("lifts", 30)] {
        for _ in 0..n {
            let reply = public_vote(&app, topic).await;
            assert_eq!(reply.status.as_u16(), 201, "{}", reply.text());
        }
    }
    let issued: IssuedCodes = app
        .admin(
            Method::POST,
            &format!("/api/v1/admin/cycles/{month}/codes"),
            Some(&json!({"count": 8})),
        )
        .await
        .json();
    assert_eq!(issued.codes.len(), 8);
    for (i, code) in issued.codes.iter().enumerate() {
        let choice = if i < 6 { "parking-spaces" } else { "lifts" };
        // Typed loosely, as a representative would.
        let typed = code.to_lowercase().replace('-', " ");
        let reply = represent(&app, month, &typed, choice).await;
        assert_eq!(reply.status.as_u16(), 201, "{}", reply.text());
        assert_eq!(reply.json::<Value>()["day"], "2026-05-10");
    }
    let tallied = view(&app, month).await;
    let tally: Vec<(&str, i64, i64)> = tallied
        .candidates
        .iter()
        .map(|c| (c.id.as_str(), c.public_votes, c.representative_votes))
        .collect();
    assert_eq!(tally, [("parking-spaces", 20, 6), ("lifts", 30, 2)]);

    // The provisional score, by this test's own arithmetic: each count over the largest,
    // times its weight.
    let voting = view(&app, month).await;
    assert!(!voting.scores_frozen);
    let expected = |reps: f64, public: f64, calls: f64, proposals: f64| {
        let raw = 40.0 * reps / 6.0
            + 30.0 * public / 30.0
            + 20.0 * calls / 120.0
            + 10.0 * proposals / 2.0;
        (raw * 100.0).round() / 100.0
    };
    let parking_score = score_of(&voting, "parking-spaces");
    let lifts_score = score_of(&voting, "lifts");
    assert_eq!(parking_score.score, expected(6.0, 20.0, 120.0, 2.0));
    assert_eq!(parking_score.score, 90.0); // 40 + 20 + 20 + 10
    assert_eq!(lifts_score.score, expected(2.0, 30.0, 60.0, 1.0));
    assert_eq!(lifts_score.score, 58.33); // 13.33 + 30 + 10 + 5
    assert_eq!(
        (
            lifts_score.representatives.count,
            lifts_score.representatives.largest,
            lifts_score.representatives.weight,
            lifts_score.representatives.points
        ),
        (2, 6, 40, 13.33)
    );
    let lifts_view = candidate(&voting, "lifts");
    assert_eq!(
        (lifts_view.public_votes, lifts_view.representative_votes),
        (30, 2)
    );

    // The choice: lifts, not the top score, so with a public reason.
    let choice_uri = format!("/api/v1/admin/cycles/{month}/choice");
    let refused = app
        .admin(
            Method::POST,
            &choice_uri,
            Some(&json!({"candidate": "lifts"})),
        )
        .await
        .problem(422);
    assert_eq!(refused["errors"][0]["field"], "reason");
    let reason = "电梯涉及安全，且已有专项资金";
    let chosen = app
        .admin(
            Method::POST,
            &choice_uri,
            Some(&json!({"candidate": "lifts", "reason": reason})),
        )
        .await;
    assert_eq!(chosen.status.as_u16(), 200, "{}", chosen.text());

    // Voting closes: the scores are frozen, and no more votes are taken.
    let meeting = move_to(&app, month, "meeting").await;
    assert_eq!(meeting.status.as_u16(), 200, "{}", meeting.text());
    let frozen = view(&app, month).await;
    assert!(frozen.scores_frozen);
    assert_eq!(frozen.stage, CycleStage::Meeting);
    assert_eq!(score_of(&frozen, "parking-spaces"), parking_score);
    assert_eq!(score_of(&frozen, "lifts"), lifts_score);
    assert_eq!(
        frozen
            .choice
            .as_ref()
            .map(|c| (c.candidate.as_str(), c.reason.as_deref())),
        Some(("lifts", Some(reason)))
    );
    let closed = public_vote(&app, "lifts").await.problem(409);
    assert_eq!(closed["type"], "/problems/voting-closed");
    let closed = represent(&app, month, &issued.codes[0], "lifts")
        .await
        .problem(409);
    assert_eq!(closed["type"], "/problems/voting-closed");
    assert_eq!(view(&app, month).await, frozen);
    let archive: Vec<CycleSummary> = app.get("/api/v1/cycles").await.json();
    assert_eq!(
        archive
            .iter()
            .map(|c| (c.chosen.as_deref(), c.chosen_title_zh.as_deref()))
            .collect::<Vec<_>>(),
        [(Some("lifts"), Some("加装电梯"))]
    );

    // The audit log names every step.
    let audit: Value = app
        .admin(Method::GET, "/api/v1/admin/audit?per_page=1000", None)
        .await
        .json();
    let actions: Vec<&str> = audit["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|e| e["action"].as_str())
        .collect();
    for action in [
        "cycle_created",
        "proposal_moderated",
        "weights_set",
        "signals_imported",
        "candidate_saved",
        "codes_issued",
        "candidate_chosen",
        "stage_moved",
    ] {
        assert!(
            actions.contains(&action),
            "{action} not audited: {actions:?}"
        );
    }
    let moved: Vec<&str> = audit["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|e| e["action"] == "stage_moved")
        .filter_map(|e| e["detail"].as_str())
        .collect();
    assert_eq!(
        moved,
        [
            "2026-05: voting → meeting",
            "2026-05: screening → voting",
            "2026-05: soliciting → screening"
        ]
    );
}

async fn a_proposals_phone_is_in_no_public_answer_and_its_view_is_audited() {
    let app = city().await;
    reference(&app).await;
    let month = "2026-05";
    create(&app, month).await;
    let key = fresh_key();
    let body = json!({"title": "路灯不亮", "text": "小区路灯坏了两周。", "district": "linqing",
                      "phone": PHONE, "consent": true});
    let receipt = app
        .post_with_key(
            &format!("/api/v1/cycles/{month}/proposals"),
            Some(&key),
            &body,
        )
        .await;
    assert_eq!(receipt.status.as_u16(), 201, "{}", receipt.text());
    assert!(!receipt.text().contains(PHONE), "{}", receipt.text());
    let code = receipt.json::<ProposalReceipt>().code;
    let replay = app
        .post_with_key(
            &format!("/api/v1/cycles/{month}/proposals"),
            Some(&key),
            &body,
        )
        .await;
    assert!(!replay.text().contains(PHONE));
    let mei = sign_in(&app, "mei").await;
    let published = moderate(&app, &mei, &code, json!({"action": "publish"})).await;
    assert!(!published.text().contains(PHONE), "{}", published.text());
    for answer in public_answers(&app, month, &[&code]).await {
        assert!(
            !answer.contains(PHONE),
            "a public answer carries the phone: {answer}"
        );
        assert!(!answer.contains("12345678"), "{answer}");
    }
    // Moderators see that there is a phone, not the phone.
    let queue = as_operator(
        &app,
        &mei,
        Method::GET,
        &format!("/api/v1/admin/cycles/{month}/proposals"),
        None,
    )
    .await;
    assert!(!queue.text().contains(PHONE));
    let items: Vec<ModeratedProposal> = queue.json();
    assert!(items[0].has_contact);
    // A moderator may not see it; an admin may, and the view is audited first.
    let refused = as_operator(
        &app,
        &mei,
        Method::POST,
        &format!("/api/v1/admin/proposals/{code}/contact"),
        None,
    )
    .await;
    refused.problem(403);
    let shown = app
        .admin(
            Method::POST,
            &format!("/api/v1/admin/proposals/{code}/contact"),
            None,
        )
        .await;
    assert_eq!(shown.json::<Value>()["phone"], PHONE);
    let audit: Value = app
        .admin(
            Method::GET,
            "/api/v1/admin/audit?action=contact_viewed",
            None,
        )
        .await
        .json();
    assert_eq!(audit["items"][0]["detail"], format!("proposal {code}"));
    assert_eq!(audit["items"][0]["actor"], "token");
    let whole = app
        .admin(Method::GET, "/api/v1/admin/audit?per_page=1000", None)
        .await;
    assert!(
        !whole.text().contains(PHONE),
        "the audit log holds the phone"
    );
}

crate::on_every_backend!(
    a_month_is_selected_from_proposals_signals_and_votes_to_the_choice,
    a_proposals_phone_is_in_no_public_answer_and_its_view_is_audited,
);

async fn the_demo_has_this_months_vote_under_way_and_earlier_months_chosen() {
    let app = crate::support::seeded_at_demo_moment().await;
    let current: CycleView = app.get("/api/v1/cycle").await.json();
    assert_eq!(current.month.to_string(), "2026-09");
    assert_eq!(current.stage, CycleStage::Voting);
    assert!(!current.scores_frozen);
    let tallies: Vec<(&str, i64, i64, i64)> = current
        .candidates
        .iter()
        .map(|c| {
            (
                c.id.as_str(),
                c.public_votes,
                c.representative_votes,
                c.proposal_count,
            )
        })
        .collect();
    assert_eq!(
        tallies,
        [
            ("c202609-parking", 126, 11, 2),
            ("c202609-garbage", 88, 7, 1),
            ("c202609-wages", 54, 4, 1),
        ]
    );
    assert_eq!(current.public_proposals, 4);
    // The scores are the shortlist's own counts through the one score function.
    let weights = current.weights.expect("weights");
    let counts: Vec<omk_api::Components> = current
        .candidates
        .iter()
        .map(|c| omk_api::Components {
            representatives: c.representative_votes,
            public: c.public_votes,
            hotline: c.hotline,
            proposals: c.proposal_count,
        })
        .collect();
    let scores: Vec<Option<Score>> = current.candidates.iter().map(|c| c.score).collect();
    let computed: Vec<Option<Score>> = omk_api::cycle::score::scores(&weights, &counts)
        .into_iter()
        .map(Some)
        .collect();
    assert_eq!(scores, computed);
    assert!(current.candidates.iter().all(|c| c.hotline > 0));

    let archive: Vec<CycleSummary> = app.get("/api/v1/cycles").await.json();
    let months: Vec<(String, CycleStage, Option<&str>)> = archive
        .iter()
        .map(|c| (c.month.to_string(), c.stage, c.chosen.as_deref()))
        .collect();
    assert_eq!(
        months,
        [
            ("2026-09".to_owned(), CycleStage::Voting, None),
            // The outcome's demo takes them on: last month is reviewed, the one before closed.
            (
                "2026-08".to_owned(),
                CycleStage::Reviewing,
                Some("c202608-prepaid")
            ),
            (
                "2026-07".to_owned(),
                CycleStage::Closed,
                Some("c202607-wages")
            ),
        ]
    );
    let july = view(&app, "2026-07").await;
    assert!(july.scores_frozen);
    assert!(july.choice.as_ref().is_some_and(|c| c.reason.is_some()));
    assert!(july.candidates.iter().all(|c| c.score.is_some()));
    let shown: Vec<PublicProposal> = app.get("/api/v1/cycles/2026-08/proposals").await.json();
    assert_eq!(shown.len(), 4);
}

crate::on_every_backend!(the_demo_has_this_months_vote_under_way_and_earlier_months_chosen);
