//! A proposer's phone is private: erased on request (`omk-server erase <PR-code>`) or a set
//! time after the proposal is settled (rejected or merged, or its month's cycle closed),
//! audited, and then in no table and no database file, while the proposal stays.

use axum::http::Method;
use omk_api::ProposalReceipt;
use omk_server::privacy::{Holder, purge};
use serde_json::{Value, json};

use crate::cycle::{city, create};
use crate::cycle_selection::reference;
use crate::privacy::{assert_erasures, nowhere_but_kept};
use crate::support::{TestApp, fresh_key, run_binary};

const MONTH: &str = "2026-05";

/// Sends a proposal with `phone` through the widget's path (with an `Idempotency-Key`);
/// answers with its code, the key and the body.
async fn proposed(app: &TestApp, title: &str, phone: &str) -> (String, String, Value) {
    let key = fresh_key();
    let body = json!({"title": title, "text": format!("{title}，希望尽快解决。"),
                      "district": "dongchangfu", "phone": phone, "consent": true});
    let reply = app
        .post_with_key(
            &format!("/api/v1/cycles/{MONTH}/proposals"),
            Some(&key),
            &body,
        )
        .await;
    assert_eq!(reply.status.as_u16(), 201, "{}", reply.text());
    (reply.json::<ProposalReceipt>().code, key, body)
}

/// The phone a proposal holds.
async fn phone(app: &TestApp, code: &str) -> Option<String> {
    sqlx::query_scalar("SELECT contact FROM proposals WHERE code = $1")
        .bind(code.to_owned())
        .fetch_one(app.state.db.pool())
        .await
        .expect("the proposal")
}

async fn an_erased_proposer_is_in_no_table_and_no_file() {
    let app = city().await;
    reference(&app).await;
    create(&app, MONTH).await;
    let (on_request, by_retention, kept) = ("13971528463", "13962840175", "13950617394");
    let (erased_now, key, body) = proposed(&app, "增设夜班公交线路", on_request).await;
    let (rejected, _, _) = proposed(&app, "小区门口路灯不亮", by_retention).await;
    let (open, _, _) = proposed(&app, "公园增设健身器材", kept).await;
    let moderation = json!({"action": "reject", "reason": "属于个案，已转12345热线办理"});
    let reply = app
        .admin(
            Method::POST,
            &format!("/api/v1/admin/proposals/{rejected}/moderation"),
            Some(&moderation),
        )
        .await;
    assert_eq!(reply.status.as_u16(), 200, "{}", reply.text());

    let erased = run_binary(&app.database_url, &["erase", &erased_now.to_lowercase()]).await;
    assert!(
        erased.status.success(),
        "{}",
        String::from_utf8_lossy(&erased.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&erased.stdout),
        format!("erased the contact details of {erased_now}\n")
    );
    let unknown = run_binary(
        &app.database_url,
        &["erase", &omk_api::tracking::from_bits("PR", 7)],
    )
    .await;
    assert!(!unknown.status.success());
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("no proposal has the code"));
    assert_eq!(phone(&app, &erased_now).await, None);
    nowhere_but_kept(&app, "proposals", &[on_request], &[by_retention, kept], 1).await;
    // The key's claim no longer holds a hash of the phone, and a retry still gets its
    // first answer without the phone being kept again.
    let claim: String =
        sqlx::query_scalar("SELECT request_hash FROM idempotency_keys WHERE key = $1")
            .bind(key.clone())
            .fetch_one(app.state.db.pool())
            .await
            .expect("the claim");
    assert!(claim.ends_with(":erased"), "{claim}");
    let retried = app
        .post_with_key(
            &format!("/api/v1/cycles/{MONTH}/proposals"),
            Some(&key),
            &body,
        )
        .await;
    assert_eq!(retried.json::<ProposalReceipt>().code, erased_now);
    assert_eq!(phone(&app, &erased_now).await, None);

    // The rejected proposal's phone goes after the retention time; the open one's stays.
    let now = app.state.clock.now();
    let purged = purge(&app.state.db, Holder::Proposal, now, 180, "system").await;
    assert_eq!(purged.expect("purge"), 0);
    let later = now + 181 * 86_400;
    let purged = purge(&app.state.db, Holder::Proposal, later, 180, "system").await;
    assert_eq!(purged.expect("purge"), 1);
    assert_eq!(phone(&app, &rejected).await, None);
    assert_eq!(phone(&app, &open).await.as_deref(), Some(kept));
    nowhere_but_kept(&app, "proposals", &[on_request, by_retention], &[kept], 2).await;
    let status = app.get(&format!("/api/v1/proposals/{rejected}")).await;
    assert!(status.text().contains("属于个案"), "the proposal stays");

    assert_erasures(
        &app,
        &[
            (&rejected, "system", "proposal, retention 180 days"),
            (&erased_now, "cli", "proposal, on request"),
        ],
    )
    .await;
}

crate::on_every_backend!(an_erased_proposer_is_in_no_table_and_no_file);
