//! A letter to the mayor's mailbox and a published comment promoted by a moderator to a
//! proposal for the month's topic: published at once in the moderator's wording, linked
//! both ways (the proposal says where it came from without naming a private letter; the
//! letter's writer and the comment's readers see the proposal), audited, once only, and
//! only into a month still taking proposals. Every refusal changes nothing.

use axum::http::Method;
use omk_api::{
    CollectionDetail, LetterView, ModeratedProposal, ProposalOrigin, ProposalReceipt,
    ProposalState, PublicProposal,
};
use serde_json::{Value, json};

use crate::cycle::{city, create, everything, move_to};
use crate::cycle_selection::{as_operator, reference, sign_in};
use crate::mailbox::{letter, write};
use crate::support::{Reply, TestApp};

const MONTH: &str = "2026-05";
/// The letter's own words, which stay private: the promotion is worded anew.
const PRIVATE_TEXT: &str = "东昌府区晚上九点以后没有公交车";

fn promotion(month: &str, title: &str) -> Value {
    json!({"month": month, "title": title, "text": "夜班公交线路太少，下夜班回家难。",
           "district": "dongchangfu"})
}

async fn public_proposals(app: &TestApp) -> Vec<PublicProposal> {
    let reply = app.get(&format!("/api/v1/cycles/{MONTH}/proposals")).await;
    assert_eq!(reply.status.as_u16(), 200, "{}", reply.text());
    reply.json()
}

/// A published collection open today with one published comment: their ids.
async fn commented(app: &TestApp) -> (i64, i64) {
    let today = omk_server::clock::local_day(app.state.clock.now());
    let day = omk_server::clock::format_day;
    let input = json!({"title": "公共交通意见征集", "text": "请对公交线路提出意见。",
                       "opens_on": day(today - 1), "closes_on": day(today + 5)});
    let made = app
        .admin(Method::POST, "/api/v1/admin/consultations", Some(&input))
        .await;
    assert_eq!(made.status.as_u16(), 201, "{}", made.text());
    let id = made.json::<Value>()["collection"]["id"]
        .as_i64()
        .expect("an id");
    let uri = format!("/api/v1/admin/consultations/{id}/publication");
    assert_eq!(
        app.admin(Method::POST, &uri, None).await.status.as_u16(),
        200
    );
    let sent = app
        .post_json(
            &format!("/api/v1/consultations/{id}/comments"),
            &json!({"text": "建议开通夜班公交。"}),
        )
        .await;
    assert_eq!(sent.status.as_u16(), 201, "{}", sent.text());
    let comment = sent.json::<Value>()["id"].as_i64().expect("an id");
    (id, comment)
}

fn refused(reply: Reply, status: u16, kind: &str) {
    let problem = reply.problem(status);
    assert_eq!(problem["type"], format!("/problems/{kind}"), "{problem}");
}

async fn a_letter_promoted_by_a_moderator_becomes_a_linked_public_proposal() {
    let app = city().await;
    reference(&app).await;
    create(&app, MONTH).await;
    let code = write(
        &app,
        &letter("建议增设夜班公交线路", "王秀兰", "13800138000", false),
    )
    .await;
    let moderator = sign_in(&app, "mei").await;
    let uri = format!("/api/v1/admin/letters/{code}/promotion");
    let body = promotion(MONTH, "增设夜班公交线路");
    let reply = as_operator(&app, &moderator, Method::POST, &uri, Some(&body)).await;
    assert_eq!(reply.status.as_u16(), 201, "{}", reply.text());
    let receipt: ProposalReceipt = reply.json();
    assert_eq!(receipt.state, ProposalState::Published);
    assert!(receipt.code.starts_with("PR-"), "{}", receipt.code);

    // Everyone sees the proposal and that it came from a letter, never which one.
    let listed = app.get(&format!("/api/v1/cycles/{MONTH}/proposals")).await;
    let text = listed.text();
    assert!(
        !text.contains(&code),
        "the letter's code is its writer's key: {text}"
    );
    assert!(
        !text.contains(PRIVATE_TEXT),
        "the letter's own words stay private"
    );
    let proposals: Vec<PublicProposal> = listed.json();
    assert_eq!(proposals.len(), 1);
    assert_eq!(proposals[0].code, receipt.code);
    assert_eq!(proposals[0].title, "增设夜班公交线路");
    assert_eq!(proposals[0].origin, Some(ProposalOrigin::Letter));
    // The writer, with the code, sees the proposal; operators see both ends.
    let view: LetterView = app.get(&format!("/api/v1/letters/{code}")).await.json();
    assert_eq!(view.proposal.as_deref(), Some(receipt.code.as_str()));
    let queue: Vec<ModeratedProposal> = app
        .admin(
            Method::GET,
            &format!("/api/v1/admin/cycles/{MONTH}/proposals"),
            None,
        )
        .await
        .json();
    assert_eq!(queue[0].letter.as_deref(), Some(code.as_str()));

    // Once only, and only into a month taking proposals, with a known district.
    let before = everything(&app, MONTH).await;
    refused(
        as_operator(&app, &moderator, Method::POST, &uri, Some(&body)).await,
        409,
        "conflict",
    );
    let other = write(
        &app,
        &letter("建议延长地铁运营时间", "李明", "13900139000", true),
    )
    .await;
    let other_uri = format!("/api/v1/admin/letters/{other}/promotion");
    let mut unknown_district = promotion(MONTH, "延长运营时间");
    unknown_district["district"] = json!("atlantis");
    let problem = app
        .admin(Method::POST, &other_uri, Some(&unknown_district))
        .await
        .problem(422);
    assert_eq!(problem["errors"][0]["field"], "district", "{problem}");
    let no_cycle = promotion("2031-01", "延长运营时间");
    let problem = app
        .admin(Method::POST, &other_uri, Some(&no_cycle))
        .await
        .problem(422);
    assert_eq!(problem["errors"][0]["field"], "month", "{problem}");
    let missing = omk_api::tracking::from_bits("ML", 7);
    app.admin(
        Method::POST,
        &format!("/api/v1/admin/letters/{missing}/promotion"),
        Some(&promotion(MONTH, "延长运营时间")),
    )
    .await
    .problem(404);
    assert_eq!(everything(&app, MONTH).await, before);
    assert_eq!(public_proposals(&app).await.len(), 1);

    // Past screening the month takes no more proposals, promoted or not.
    let weights = json!({"representatives": 25, "public": 25, "hotline": 25, "proposals": 25});
    let set = app
        .admin(
            Method::PUT,
            &format!("/api/v1/admin/cycles/{MONTH}/weights"),
            Some(&weights),
        )
        .await;
    assert_eq!(set.status.as_u16(), 200, "{}", set.text());
    assert_eq!(move_to(&app, MONTH, "screening").await.status.as_u16(), 200);
    for id in ["buses", "metro"] {
        let candidate = json!({"title_zh": "公交", "title_en": "Buses", "lead_unit": "urban",
                               "category": "parking"});
        let uri = format!("/api/v1/admin/cycles/{MONTH}/candidates/{id}");
        let saved = app.admin(Method::PUT, &uri, Some(&candidate)).await;
        assert_eq!(saved.status.as_u16(), 200, "{}", saved.text());
    }
    assert_eq!(move_to(&app, MONTH, "voting").await.status.as_u16(), 200);
    refused(
        app.admin(
            Method::POST,
            &other_uri,
            Some(&promotion(MONTH, "延长运营时间")),
        )
        .await,
        409,
        "proposals-closed",
    );
    assert_eq!(public_proposals(&app).await.len(), 1);
    let view: LetterView = app.get(&format!("/api/v1/letters/{other}")).await.json();
    assert_eq!(view.proposal, None);

    let audit = app
        .admin(Method::GET, "/api/v1/admin/audit?action=promoted", None)
        .await
        .json::<Value>();
    let items = audit["items"].as_array().expect("items");
    assert_eq!(items.len(), 1, "{audit}");
    assert_eq!(items[0]["actor"], "mei");
    assert_eq!(
        items[0]["detail"],
        format!("letter {code} → {} ({MONTH})", receipt.code)
    );
}

async fn a_published_comment_promoted_names_its_proposal_publicly() {
    let app = city().await;
    reference(&app).await;
    create(&app, MONTH).await;
    let (collection, comment) = commented(&app).await;
    let uri = format!("/api/v1/admin/consultations/{collection}/comments/{comment}/promotion");
    let body = promotion(MONTH, "开通夜班公交");
    // A pending comment is not public yet: nothing to promote.
    app.admin(Method::POST, &uri, Some(&body))
        .await
        .problem(404);
    let moderation =
        format!("/api/v1/admin/consultations/{collection}/comments/{comment}/moderation");
    let published = app
        .admin(
            Method::POST,
            &moderation,
            Some(&json!({"state": "published"})),
        )
        .await;
    assert_eq!(published.status.as_u16(), 200, "{}", published.text());
    let reply = app.admin(Method::POST, &uri, Some(&body)).await;
    assert_eq!(reply.status.as_u16(), 201, "{}", reply.text());
    let receipt: ProposalReceipt = reply.json();

    let detail: CollectionDetail = app
        .get(&format!("/api/v1/consultations/{collection}"))
        .await
        .json();
    assert_eq!(
        detail.comments[0].proposal.as_deref(),
        Some(receipt.code.as_str())
    );
    let proposals = public_proposals(&app).await;
    assert_eq!(
        proposals[0].origin,
        Some(ProposalOrigin::Comment {
            collection,
            comment
        })
    );
    refused(
        app.admin(Method::POST, &uri, Some(&body)).await,
        409,
        "conflict",
    );
    assert_eq!(public_proposals(&app).await.len(), 1);
}

crate::on_every_backend!(
    a_letter_promoted_by_a_moderator_becomes_a_linked_public_proposal,
    a_published_comment_promoted_names_its_proposal_publicly,
);
