//! Submitting issues and looking them up by tracking number.

use omk_api::{IssueReceipt, IssueStatus, IssueStatusView};
use serde_json::json;

use crate::support::TestApp;

async fn submitted_issue_gets_a_receipt_and_its_status_shows_no_personal_data() {
    let app = TestApp::seeded().await;
    let before = app.issue_count().await;
    let reply = app
        .post_json(
            "/api/v1/issues",
            &json!({"fill_ms": 5000, "category": "parking",
                "description": "  小区门口违章停车严重，消防通道被占  ",
                "place": "东昌府区柳园街道",
                "name": "王秀兰",
                "phone": "13800138000",
                "consent": true
            }),
        )
        .await;
    assert_eq!(reply.status.as_u16(), 201, "{}", reply.text());
    let receipt: IssueReceipt = reply.json();
    assert_eq!(receipt.status, IssueStatus::Received);
    assert!(
        is_tracking_number(&receipt.tracking_no),
        "{}",
        receipt.tracking_no
    );
    assert_eq!(app.issue_count().await, before + 1);

    let status = app
        .get(&format!("/api/v1/issues/{}", receipt.tracking_no))
        .await;
    assert_eq!(status.status.as_u16(), 200);
    let text = status.text();
    assert!(
        !text.contains("王秀兰") && !text.contains("13800138000"),
        "{text}"
    );
    let view: IssueStatusView = status.json();
    assert_eq!(view.tracking_no, receipt.tracking_no);
    assert_eq!(view.category, "parking");
    assert_eq!(view.answer, None);
}

/// Whether `text` has the public form of a tracking number: `OM-`, three groups of four
/// Crockford base32 digits (no I, L, O or U) and a check digit, as `OM-7K3F-9QX2-M4TB-6`.
fn is_tracking_number(text: &str) -> bool {
    const DIGITS: &str = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let groups: Vec<&str> = text.split('-').collect();
    groups.len() == 5
        && groups[0] == "OM"
        && groups[1..4]
            .iter()
            .all(|g| g.len() == 4 && g.chars().all(|c| DIGITS.contains(c)))
        && groups[4].len() == 1
        && groups[4].chars().all(|c| DIGITS.contains(c))
}

#[test]
fn the_tracking_number_shape_check_refuses_near_misses() {
    assert!(is_tracking_number("OM-7K3F-9QX2-M4TB-6"));
    for near_miss in [
        "om-7k3f-9qx2-m4tb-6",
        "OM-7K3F-9QXO-M4TB-6",
        "OM-7K3F-9QXU-M4TB-6",
        "OM-7K3F9QX2-M4TB-6",
        "OM-7K3F-9QX2",
        "RG-7K3F-9QX2-M4TB-6",
        "OM-7K3F-9QX2-M4TB-6-",
    ] {
        assert!(!is_tracking_number(near_miss), "{near_miss}");
    }
}

async fn status_lookup_ignores_case_and_spacing() {
    let app = TestApp::seeded().await;
    let receipt: IssueReceipt = app
        .post_json(
            "/api/v1/issues",
            &json!({"fill_ms": 5000, "category": "garbage", "description": "垃圾桶满溢无人清运", "place": "湖西街道"}),
        )
        .await
        .json();
    let lower = receipt.tracking_no.to_lowercase();
    let view: IssueStatusView = app.get(&format!("/api/v1/issues/{lower}")).await.json();
    assert_eq!(view.tracking_no, receipt.tracking_no);
    let spaced = format!("%20{}%20", receipt.tracking_no.replace('-', "%20"));
    let reply = app.get(&format!("/api/v1/issues/{spaced}")).await;
    assert_eq!(reply.status.as_u16(), 200, "{spaced}: {}", reply.text());
    let view: IssueStatusView = reply.json();
    assert_eq!(view.tracking_no, receipt.tracking_no);
}

async fn unknown_tracking_numbers_give_404_problem() {
    let app = TestApp::seeded().await;
    app.get("/api/v1/issues/OM-0000-0000").await.problem(404);
    app.get("/api/v1/issues/not-a-number").await.problem(404);
}

async fn personal_data_without_consent_is_refused() {
    let app = TestApp::seeded().await;
    let before = app.issue_count().await;
    let body = app
        .post_json(
            "/api/v1/issues",
            &json!({"fill_ms": 5000, "category": "parking", "description": "小区门口违章停车", "place": "x", "phone": "13800138000"}),
        )
        .await
        .problem(422);
    assert_eq!(body["errors"][0]["field"], "consent");
    assert_eq!(app.issue_count().await, before);
}

async fn seeded_categories_cover_the_report_topics() {
    let app = TestApp::seeded().await;
    let categories: Vec<omk_api::Category> = app.get("/api/v1/categories").await.json();
    let ids: Vec<&str> = categories.iter().map(|c| c.id.as_str()).collect();
    for id in [
        "parking",
        "prepaid",
        "garbage",
        "wages",
        "urban_construction",
        "agriculture",
        "other",
    ] {
        assert!(ids.contains(&id), "{id}");
    }
    assert!(
        categories
            .iter()
            .all(|c| !c.name_zh.is_empty() && !c.name_en.is_empty())
    );
}

crate::on_every_backend!(
    submitted_issue_gets_a_receipt_and_its_status_shows_no_personal_data,
    status_lookup_ignores_case_and_spacing,
    unknown_tracking_numbers_give_404_problem,
    personal_data_without_consent_is_refused,
    seeded_categories_cover_the_report_topics,
);
