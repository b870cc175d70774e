//! Group commit keeps each write's outcome its own: writes held back behind a gate (a
//! transaction that holds the database's write lock, or the key the first write needs)
//! queue up and are committed as one batch once the gate opens, and within that batch a
//! failing write fails alone, replays answer the stored receipt, and nothing is stored
//! twice.

use axum::http::StatusCode;
use omk_api::{IssueReceipt, Metrics};
use serde_json::{Value, json};
use tokio::task::JoinHandle;
use tower::ServiceExt;

use crate::support::{Reply, TestApp, fresh_key, post_request};

/// A transaction that has claimed `key`: a write with that key (and, on SQLite, any
/// write) waits until it ends.
struct Gate {
    tx: sqlx::Transaction<'static, sqlx::Any>,
    key: String,
}

impl Gate {
    async fn close(app: &TestApp) -> Gate {
        let key = fresh_key();
        let mut tx = app.state.db.pool().begin().await.expect("a transaction");
        sqlx::query(
            "INSERT INTO idempotency_keys (key, request_hash, created_at) VALUES ($1, 'gate', 0)",
        )
        .bind(key.clone())
        .execute(&mut *tx)
        .await
        .expect("the gate's key claimed");
        Gate { tx, key }
    }

    async fn open(self) {
        self.tx.rollback().await.expect("the gate opens");
    }
}

/// Sends a JSON POST with `key` without waiting for its answer.
fn send(app: &TestApp, uri: &str, key: &str, body: &Value) -> JoinHandle<Reply> {
    let router = app.router.clone();
    let request = post_request(uri, "application/json", Some(key), body.to_string());
    tokio::spawn(
        async move { Reply::read(router.oneshot(request).await.expect("infallible")).await },
    )
}

/// Waits, yielding, until the committer's gauges satisfy `ready`.
async fn wait_for(
    app: &TestApp,
    what: &str,
    ready: impl Fn(omk_server::commit::CommitStats) -> bool,
) {
    for _ in 0..20_000 {
        if ready(app.state.committer.stats()) {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(1)).await;
    }
    panic!(
        "the committer never got to: {what} ({:?})",
        app.state.committer.stats()
    );
}

/// Holds writes back behind a gate write, sends `writes` (each valid on its own, so all
/// reach the committer), opens the gate and returns the gate write's answer and theirs,
/// in order.
async fn in_one_batch(
    app: &TestApp,
    writes: Vec<(&'static str, String, Value)>,
) -> (Reply, Vec<Reply>) {
    let before = app.state.committer.stats();
    let gate = Gate::close(app).await;
    let gate_write = send(
        app,
        "/api/v1/ratings",
        &gate.key,
        &json!({"level": "satisfied"}),
    );
    wait_for(app, "take the gate write", |s| {
        s.taken == before.taken + 1 && s.queued == 0
    })
    .await;
    let queued = writes.len();
    let writes: Vec<_> = writes
        .iter()
        .map(|(uri, key, body)| send(app, uri, key, body))
        .collect();
    wait_for(app, "queue every write behind the gate", |s| {
        s.queued == queued
    })
    .await;
    gate.open().await;
    let gate_reply = gate_write.await.expect("the gate write");
    let mut replies = Vec::new();
    for write in writes {
        replies.push(write.await.expect("a write"));
    }
    let after = app.state.committer.stats();
    assert_eq!(
        after.batches,
        before.batches + 2,
        "the gate write alone, then every held write in one batch"
    );
    (gate_reply, replies)
}

fn issue(description: &str) -> Value {
    json!({"fill_ms": 5000, "category": "parking", "description": description, "place": "柳园街道"})
}

/// Makes the database refuse to store an issue whose description holds `POISON`, as a
/// constraint only the database knows would.
async fn poison_issues(app: &TestApp, on: bool) {
    let pool = app.state.db.pool();
    let statements: &[&str] = match (app.state.db.backend(), on) {
        (omk_server::db::Backend::Sqlite, true) => &[
            "CREATE TRIGGER poison BEFORE INSERT ON issues WHEN NEW.description LIKE '%POISON%' \
             BEGIN SELECT RAISE(ABORT, 'poisoned'); END",
        ],
        (omk_server::db::Backend::Sqlite, false) => &["DROP TRIGGER poison"],
        (omk_server::db::Backend::Postgres, true) => &[
            "CREATE FUNCTION poison() RETURNS trigger AS $$ BEGIN \
             IF NEW.description LIKE '%POISON%' THEN RAISE EXCEPTION 'poisoned'; END IF; \
             RETURN NEW; END $$ LANGUAGE plpgsql",
            "CREATE TRIGGER poison BEFORE INSERT ON issues FOR EACH ROW EXECUTE FUNCTION poison()",
        ],
        (omk_server::db::Backend::Postgres, false) => &["DROP TRIGGER poison ON issues"],
    };
    for statement in statements {
        sqlx::query(*statement)
            .execute(pool)
            .await
            .expect("trigger set");
    }
}

async fn count(app: &TestApp, sql: &'static str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(app.state.db.pool())
        .await
        .expect("counted")
}

async fn a_failing_write_in_a_batch_fails_alone_and_the_others_are_stored_once() {
    let app = TestApp::empty_with_categories(&["parking"]).await;
    poison_issues(&app, true).await;
    let mut writes = Vec::new();
    for n in 0..10 {
        writes.push((
            "/api/v1/issues",
            fresh_key(),
            issue(&format!("路灯不亮，第 {n} 盏")),
        ));
        writes.push((
            "/api/v1/ratings",
            fresh_key(),
            json!({"level": "satisfied", "tags": ["fast"]}),
        ));
    }
    let poisoned_key = fresh_key();
    let poisoned = issue("POISON 路灯不亮");
    writes.insert(
        7,
        ("/api/v1/issues", poisoned_key.clone(), poisoned.clone()),
    );
    // Well formed, but the category does not take issues: refused in the batch.
    let mut unknown = issue("路灯不亮，分类不存在");
    unknown["category"] = json!("no-such-category");
    for at in [0, 12, 22] {
        writes.insert(at, ("/api/v1/issues", fresh_key(), unknown.clone()));
    }
    let poisoned_at = 8;
    assert_eq!(writes[poisoned_at].1, poisoned_key);

    let (gate, replies) = in_one_batch(&app, writes).await;

    assert_eq!(gate.status, StatusCode::CREATED, "{}", gate.text());
    let mut tracking = Vec::new();
    for (n, reply) in replies.iter().enumerate() {
        if [0, 12, 22].contains(&n) {
            let problem = reply.problem(422);
            assert_eq!(problem["errors"][0]["code"], "unknown_category");
            continue;
        }
        if n == poisoned_at {
            let problem = reply.problem(500);
            assert_eq!(problem["type"], "/problems/internal");
            continue;
        }
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
        assert!(reply.headers.get("idempotent-replayed").is_none());
        if let Ok(receipt) = serde_json::from_slice::<IssueReceipt>(&reply.body) {
            tracking.push(receipt.tracking_no);
        }
    }
    assert_eq!(tracking.len(), 10);
    for number in &tracking {
        assert_eq!(
            app.get(&format!("/api/v1/issues/{number}")).await.status,
            200
        );
    }
    assert_eq!(count(&app, "SELECT COUNT(*) FROM issues").await, 10);
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM audit_log WHERE actor = 'visitor' AND action = 'issue_submitted'"
        )
        .await,
        10,
        "each stored issue audited once, as a visitor's"
    );
    let metrics: Metrics = app.get("/api/v1/metrics").await.json();
    assert_eq!(metrics.ratings_total, 11, "ten and the gate's");

    // Nothing of the failed write was kept, its key included: once the database takes
    // it, the kiosk's retry with the same key stores it.
    poison_issues(&app, false).await;
    let retry = app
        .post_with_key("/api/v1/issues", Some(&poisoned_key), &poisoned)
        .await;
    assert_eq!(retry.status, StatusCode::CREATED, "{}", retry.text());
    assert!(retry.headers.get("idempotent-replayed").is_none());
    assert_eq!(count(&app, "SELECT COUNT(*) FROM issues").await, 11);
}

async fn replays_inside_one_batch_answer_the_first_receipt_and_store_once() {
    let app = TestApp::empty_with_categories(&["parking"]).await;
    let before: Metrics = app.get("/api/v1/metrics").await.json();
    let same = fresh_key();
    let rating = json!({"level": "very_satisfied", "tags": ["friendly"]});
    let mut writes: Vec<_> = (0..6)
        .map(|_| ("/api/v1/ratings", same.clone(), rating.clone()))
        .collect();
    let reused = fresh_key();
    writes.push(("/api/v1/issues", reused.clone(), issue("井盖松动，第一次")));
    writes.push((
        "/api/v1/issues",
        reused.clone(),
        issue("井盖松动，另一段文字"),
    ));
    let mut unknown = issue("井盖松动，分类不存在");
    unknown["category"] = json!("no-such-category");
    writes.push(("/api/v1/issues", fresh_key(), unknown));

    let (gate, replies) = in_one_batch(&app, writes).await;

    assert_eq!(gate.status, StatusCode::CREATED, "{}", gate.text());
    let (ratings, issues) = replies.split_at(6);
    let (issues, refused) = issues.split_at(2);
    let problem = refused[0].problem(422);
    assert_eq!(
        problem["errors"][0]["code"], "unknown_category",
        "refused alone, in the batch"
    );
    for reply in ratings {
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
        assert_eq!(
            reply.body, ratings[0].body,
            "every copy answers the one receipt"
        );
    }
    let fresh = ratings
        .iter()
        .filter(|r| r.headers.get("idempotent-replayed").is_none())
        .count();
    assert_eq!(fresh, 1, "one stored, five replayed");
    let mut statuses: Vec<u16> = issues.iter().map(|r| r.status.as_u16()).collect();
    statuses.sort_unstable();
    assert_eq!(statuses, [201, 422], "the key's other body is refused");
    for reply in issues.iter().filter(|r| r.status.as_u16() == 422) {
        assert_eq!(
            reply.problem(422)["type"],
            "/problems/idempotency-key-reused"
        );
    }
    let after: Metrics = app.get("/api/v1/metrics").await.json();
    assert_eq!(
        after.ratings_total,
        before.ratings_total + 2,
        "the gate's and one"
    );
    assert_eq!(after.issues_collected, before.issues_collected + 1);

    // A retry after the batch replays the same receipt.
    let again = app
        .post_with_key("/api/v1/ratings", Some(&same), &rating)
        .await;
    assert_eq!(again.body, ratings[0].body);
    assert_eq!(again.headers["idempotent-replayed"], "true");
}

crate::on_every_backend!(
    a_failing_write_in_a_batch_fails_alone_and_the_others_are_stored_once,
    replays_inside_one_batch_answer_the_first_receipt_and_store_once,
);
