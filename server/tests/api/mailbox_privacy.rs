//! A letter writer's name and phone are private: erased on request (`omk-server erase <code>`)
//! or a set time after the letter is settled, audited, and then in no table and no database
//! file, while the letter and its reply stay.

use axum::http::Method;
use omk_api::LetterReceipt;
use omk_server::privacy::purge_letter_contacts;
use serde_json::json;
use sqlx::Row;

use crate::mailbox::{admin_on, city, letter, stored};
use crate::privacy::{assert_erasures, nowhere_but_kept};
use crate::support::{TestApp, fresh_key, run_binary, store_categories};

/// Writes a letter through the widget's path (with an `Idempotency-Key`); answers with its
/// code and the key.
async fn written(
    app: &TestApp,
    title: &str,
    who: [&str; 2],
) -> (String, String, serde_json::Value) {
    let key = fresh_key();
    let body = letter(title, who[0], who[1], true);
    let reply = app
        .post_with_key("/api/v1/letters", Some(&key), &body)
        .await;
    assert_eq!(reply.status.as_u16(), 201, "{}", reply.text());
    (reply.json::<LetterReceipt>().code, key, body)
}

async fn contact(app: &TestApp, code: &str) -> (Option<String>, Option<String>) {
    let row = sqlx::query("SELECT name, phone FROM letters WHERE code = $1")
        .bind(code.to_owned())
        .fetch_one(app.state.db.pool())
        .await
        .expect("the letter");
    (
        row.try_get("name").expect("name"),
        row.try_get("phone").expect("phone"),
    )
}

async fn an_erased_letter_writer_is_in_no_table_and_no_file() {
    let app = city().await;
    // An issue beside the letters: the dump reads both tables.
    store_categories(&app.state.db, &["parking"]).await;
    let issue = json!({"fill_ms": 5000, "category": "parking", "description": "小区门口违章停车严重", "place": "柳园街道"});
    assert_eq!(
        app.post_json("/api/v1/issues", &issue)
            .await
            .status
            .as_u16(),
        201
    );
    let on_request = ["欧阳紫萱Quillfeather", "13971528463"];
    let by_retention = ["司马青岚Thistlewood", "13962840175"];
    let kept = ["诸葛明远Bramblecote", "13950617394"];
    let (erased_now, key, body) = written(&app, "建议增设夜班公交线路", on_request).await;
    let (settled, _, _) = written(&app, "小区门口路灯长期不亮", by_retention).await;
    let (open, _, _) = written(&app, "咨询公租房申请的条件", kept).await;
    assert_eq!(
        admin_on(&app, &settled, "review", &json!({"unit": "housing"}))
            .await
            .status
            .as_u16(),
        200
    );
    assert_eq!(
        admin_on(&app, &settled, "reply", &json!({"reply": "路灯已修复。"}))
            .await
            .status
            .as_u16(),
        200
    );

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
        &["erase", &omk_api::tracking::from_bits("ML", 7)],
    )
    .await;
    assert!(!unknown.status.success());
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("no letter has the code"));
    assert_eq!(contact(&app, &erased_now).await, (None, None));
    assert!(!stored(&app, &erased_now).await.has_contact);
    app.admin(
        Method::POST,
        &format!("/api/v1/admin/letters/{erased_now}/contact"),
        None,
    )
    .await
    .problem(404);
    nowhere_but_kept(
        &app,
        "letters",
        &on_request,
        &[kept, by_retention].concat(),
        1,
    )
    .await;
    // The key's claim no longer holds a hash of the contact.
    let claim: String =
        sqlx::query_scalar("SELECT request_hash FROM idempotency_keys WHERE key = $1")
            .bind(key.clone())
            .fetch_one(app.state.db.pool())
            .await
            .expect("the claim");
    assert!(claim.ends_with(":erased"), "{claim}");
    // The writer's retry still gets its first answer, without the contact being kept.
    let retried = app
        .post_with_key("/api/v1/letters", Some(&key), &body)
        .await;
    assert_eq!(retried.json::<LetterReceipt>().code, erased_now);

    // The settled letter's contact goes after the retention time; the open one's stays.
    let now = app.state.clock.now();
    assert_eq!(
        purge_letter_contacts(&app.state.db, now, 180, "system")
            .await
            .expect("purge"),
        0
    );
    let later = now + 181 * 86_400;
    assert_eq!(
        purge_letter_contacts(&app.state.db, later, 180, "system")
            .await
            .expect("purge"),
        1
    );
    assert_eq!(contact(&app, &settled).await, (None, None));
    assert_eq!(
        contact(&app, &open).await,
        (Some(kept[0].into()), Some(kept[1].into()))
    );
    nowhere_but_kept(
        &app,
        "letters",
        &[on_request, by_retention].concat(),
        &kept,
        2,
    )
    .await;
    let view = app.get(&format!("/api/v1/letters/{settled}")).await;
    assert!(view.text().contains("路灯已修复。"), "the reply stays");

    assert_erasures(
        &app,
        &[
            (&settled, "system", "letter, retention 180 days"),
            (&erased_now, "cli", "letter, on request"),
        ],
    )
    .await;
}

crate::on_every_backend!(an_erased_letter_writer_is_in_no_table_and_no_file);
