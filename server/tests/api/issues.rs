//! Submitting issues and looking them up by tracking number.

use axum::http::Method;
use omk_api::{IssueReceipt, IssueStatus, IssueStatusView};
use serde_json::json;

use crate::support::{Reply, TestApp};

/// A visitor's name and phone, unlike anything else the tests store.
const NAME: &str = "钱多多";
const PHONE: &str = "13912345678";

/// Every way `text` could show up in a reply's raw bytes: as itself, JSON-escaped
/// (`\u94b1`, either case), percent-encoded, or as HTML character references.
fn spellings(text: &str) -> Vec<String> {
    let escaped_lower: String = text.encode_utf16().map(|u| format!("\\u{u:04x}")).collect();
    let percent: String = text.bytes().map(|b| format!("%{b:02X}")).collect();
    let references: String = text
        .chars()
        .map(|c| format!("&#{};", u32::from(c)))
        .collect();
    let hex_references: String = text
        .chars()
        .map(|c| format!("&#x{:x};", u32::from(c)))
        .collect();
    vec![
        text.to_owned(),
        escaped_lower.clone(),
        escaped_lower.to_uppercase().replace("\\U", "\\u"),
        percent.clone(),
        percent.to_lowercase(),
        references,
        hex_references,
    ]
}

/// Panics when the raw bytes of `reply` hold the visitor's name or phone in any spelling.
fn assert_no_contact(what: &str, reply: &Reply) {
    for needle in spellings(NAME).into_iter().chain(spellings(PHONE)) {
        assert!(
            !reply
                .body
                .windows(needle.len())
                .any(|w| w == needle.as_bytes()),
            "{what} leaks {needle:?}: {}",
            reply.text()
        );
        for (name, value) in &reply.headers {
            assert!(
                !value
                    .as_bytes()
                    .windows(needle.len())
                    .any(|w| w == needle.as_bytes()),
                "{what} leaks {needle:?} in its {name} header"
            );
        }
    }
}

/// Whether the raw bytes of `reply` hold `text` as it is.
fn holds(reply: &Reply, text: &str) -> bool {
    reply.body.windows(text.len()).any(|w| w == text.as_bytes())
}

/// The name and phone a visitor gives reach no reply but the audited contact view: not
/// the receipt, the status lookup and its QR code, the inbox list and detail, the audit
/// log, or any export. Each reply's raw bytes are searched, so a leak in a field no type
/// knows still fails.
async fn a_visitors_name_and_phone_reach_only_the_audited_contact_view() {
    let app = TestApp::configured(|c| {
        c.demo = false;
        c.operators.admin_token = Some(crate::support::ADMIN_TOKEN.into());
        c.web.public_url =
            Some(omk_server::public_url::PublicUrl::parse("https://kiosk.example").expect("url"));
    })
    .await;
    crate::support::store_categories(&app.state.db, &["parking"]).await;
    let receipt = app
        .post_json(
            "/api/v1/issues",
            &json!({"fill_ms": 5000, "category": "parking",
                    "description": "小区门口违章停车严重，消防通道被占", "place": "东昌府区柳园街道",
                    "name": NAME, "phone": PHONE, "consent": true}),
        )
        .await;
    assert_eq!(receipt.status.as_u16(), 201, "{}", receipt.text());
    assert_no_contact("the receipt", &receipt);
    let tracking_no = receipt.json::<IssueReceipt>().tracking_no;
    let answered = app
        .move_issue(
            &tracking_no,
            &json!({"status": "answered", "answer": "已联系执法队处理。"}),
        )
        .await;
    assert_no_contact("the status change", &answered);
    let rated = app
        .post_json("/api/v1/ratings", &json!({"level": "satisfied"}))
        .await;
    assert_eq!(rated.status.as_u16(), 201, "{}", rated.text());

    // The one view that shows them, so the search above is known to find them.
    let contact = app
        .admin(
            Method::POST,
            &format!("/api/v1/admin/issues/{tracking_no}/contact"),
            None,
        )
        .await;
    assert_eq!(contact.status.as_u16(), 200, "{}", contact.text());
    assert!(
        holds(&contact, NAME) && holds(&contact, PHONE),
        "{}",
        contact.text()
    );

    for uri in [
        format!("/api/v1/issues/{tracking_no}"),
        format!("/api/v1/issues/{}", tracking_no.to_lowercase()),
        format!("/api/v1/issues/{tracking_no}/qr.svg"),
    ] {
        let reply = app.get(&uri).await;
        assert_eq!(reply.status.as_u16(), 200, "{uri}: {}", reply.text());
        assert_no_contact(&uri, &reply);
    }
    for uri in [
        "/api/v1/admin/issues".to_owned(),
        "/api/v1/admin/issues?status=answered".to_owned(),
        format!("/api/v1/admin/issues/{tracking_no}"),
        "/api/v1/admin/figures".to_owned(),
        "/api/v1/admin/audit".to_owned(),
        format!("/api/v1/admin/audit?issue={tracking_no}"),
        "/api/v1/admin/audit.csv".to_owned(),
        "/api/v1/admin/export/issues.csv".to_owned(),
        "/api/v1/admin/export/ratings.csv".to_owned(),
    ] {
        let reply = app.admin(Method::GET, &uri, None).await;
        assert_eq!(reply.status.as_u16(), 200, "{uri}: {}", reply.text());
        assert!(
            holds(&reply, &tracking_no) || uri.contains("ratings") || uri.contains("figures"),
            "{uri} lists the issue: {}",
            reply.text()
        );
        assert_no_contact(&uri, &reply);
    }
}

#[test]
fn the_contact_search_finds_every_spelling_of_a_leak() {
    let leaks = [
        format!(r#"{{"contact_name":"{NAME}"}}"#),
        r#"{"n":"\u94b1\u591a\u591a"}"#.to_owned(),
        r#"{"n":"\u94B1\u591A\u591A"}"#.to_owned(),
        "?q=%E9%92%B1%E5%A4%9A%E5%A4%9A".to_owned(),
        "<text>&#38065;&#22810;&#22810;</text>".to_owned(),
        format!("tel:{PHONE}"),
    ];
    for leak in leaks {
        let reply = Reply {
            status: axum::http::StatusCode::OK,
            headers: axum::http::HeaderMap::new(),
            body: leak.clone().into_bytes(),
        };
        let caught = std::panic::catch_unwind(|| assert_no_contact("a leak", &reply));
        assert!(caught.is_err(), "{leak} was not caught");
    }
}

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
    a_visitors_name_and_phone_reach_only_the_audited_contact_view,
    status_lookup_ignores_case_and_spacing,
    unknown_tracking_numbers_give_404_problem,
    personal_data_without_consent_is_refused,
    seeded_categories_cover_the_report_topics,
);
