//! Signing in under attack: the back-off per client address and per account (sequential and
//! concurrent bursts, an admin at their own desk, a flood that must not reset it), the cap on
//! password checks running at once, wrong service tokens, the shortest service token the
//! server starts with, and what failures and refusals leave in the audit log. Clients are
//! told apart by `X-Forwarded-For` (the app trusts it); time moves only by the server's clock.

use axum::body::Body;
use axum::http::{Method, Request, header};
use futures::future::join_all;
use omk_api::AuditPage;
use omk_server::auth::guard::{CAPACITY, FREE_FAILURES, VERIFYING_AT_ONCE};
use serde_json::json;

use crate::support::session::{PASSWORD, Signed, add_operator, as_operator, sign_in_request};
use crate::support::tables::table_rows;
use crate::support::{ADMIN_TOKEN, Reply, TestApp, binary};

/// How far the clock is set back before a wait is looked at, so the wall clock cannot end
/// the wait while the test runs.
const MARGIN: i64 = 600;

/// An empty city behind a trusted proxy: a unit (`housing`), a unit operator (`li`) and
/// an admin (`chief`).
async fn city() -> TestApp {
    let app = TestApp::configured(|c| {
        c.demo = false;
        c.operators.admin_token = Some(ADMIN_TOKEN.into());
        c.limits.trust_forwarded_for = true;
    })
    .await;
    let unit = app
        .admin(
            Method::PUT,
            "/api/v1/admin/units/housing",
            Some(&json!({"name_zh": "住建局", "name_en": "Housing Bureau"})),
        )
        .await;
    assert_eq!(unit.status.as_u16(), 200, "{}", unit.text());
    add_operator(&app, "li", Some("housing")).await;
    add_operator(&app, "chief", None).await;
    app
}

/// A sign-in from the client at `address`.
fn sign_in_from(address: &str, login: &str, password: &str) -> Request<Body> {
    let mut request = sign_in_request(login, password);
    request.headers_mut().insert(
        "x-forwarded-for",
        address.parse().expect("an address as a header value"),
    );
    request
}

async fn sign_in(app: &TestApp, address: &str, login: &str, password: &str) -> Reply {
    app.send(sign_in_from(address, login, password)).await
}

/// A GET of an admin route with a bearer token, from `address`.
async fn with_token(app: &TestApp, address: &str, token: &str) -> Reply {
    app.send(
        Request::get("/api/v1/admin/issues")
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header("x-forwarded-for", address)
            .body(Body::empty())
            .expect("request"),
    )
    .await
}

fn retry_after(reply: &Reply) -> i64 {
    reply.headers[header::RETRY_AFTER]
        .to_str()
        .ok()
        .and_then(|v| v.parse().ok())
        .expect("Retry-After seconds")
}

async fn audit(app: &TestApp, query: &str) -> AuditPage {
    app.admin(Method::GET, &format!("/api/v1/admin/audit?{query}"), None)
        .await
        .json()
}

async fn a_concurrent_burst_of_wrong_passwords_gets_no_more_checks_than_a_sequential_one() {
    let app = city().await;
    let burst = (0..16).map(|_| app.send(sign_in_from("198.51.100.7", "chief", "guess")));
    let replies = join_all(burst).await;
    let checked = replies.iter().filter(|r| r.status.as_u16() == 401).count();
    let refused: Vec<&Reply> = replies
        .iter()
        .filter(|r| r.status.as_u16() == 429)
        .collect();
    assert!(
        (FREE_FAILURES as usize..=FREE_FAILURES as usize + 1).contains(&checked),
        "{checked} of 16 passwords were checked"
    );
    assert_eq!(checked + refused.len(), 16);
    for reply in refused {
        reply.problem(429);
        assert!(retry_after(reply) >= 1);
    }
    let failures = audit(&app, "action=sign_in_failed&actor=chief").await;
    assert_eq!(failures.total, i64::try_from(checked).unwrap_or(0));
}

async fn sequential_failures_make_every_attempt_from_that_address_wait_longer_each_time() {
    let app = city().await;
    let attacker = "198.51.100.7";
    for _ in 0..FREE_FAILURES + 1 {
        sign_in(&app, attacker, "chief", "guess").await.problem(401);
    }
    app.state.clock.advance(-MARGIN);
    // The right password, another account, or no account: the address waits.
    for (login, password) in [("chief", PASSWORD), ("li", PASSWORD), ("nobody", "x")] {
        let refused = sign_in(&app, attacker, login, password).await;
        refused.problem(429);
        assert!((MARGIN..=MARGIN + 1).contains(&retry_after(&refused)));
    }
    app.state.clock.advance(MARGIN + 1);
    sign_in(&app, attacker, "chief", "guess").await.problem(401);
    app.state.clock.advance(-MARGIN);
    let doubled = sign_in(&app, attacker, "chief", PASSWORD).await;
    doubled.problem(429);
    assert!((MARGIN + 1..=MARGIN + 2).contains(&retry_after(&doubled)));
    app.state.clock.advance(MARGIN + 2);
    let signed = sign_in(&app, attacker, "chief", PASSWORD).await;
    assert_eq!(signed.status.as_u16(), 200, "{}", signed.text());
    // Forgiven: the next mistake is free again.
    sign_in(&app, attacker, "chief", "guess").await.problem(401);
    sign_in(&app, attacker, "chief", "guess").await.problem(401);
}

async fn an_admin_signs_in_from_their_desk_while_their_login_is_attacked_from_elsewhere() {
    let app = city().await;
    for _ in 0..FREE_FAILURES + 2 {
        let reply = sign_in(&app, "198.51.100.7", "chief", "guess").await;
        assert!([401, 429].contains(&reply.status.as_u16()));
    }
    // A second attacker that has failed once, on another login.
    sign_in(&app, "203.0.113.9", "nobody", "guess")
        .await
        .problem(401);
    app.state.clock.advance(-MARGIN);
    sign_in(&app, "198.51.100.7", "chief", PASSWORD)
        .await
        .problem(429);
    // The account backs off for an address that has failed itself …
    sign_in(&app, "203.0.113.9", "chief", PASSWORD)
        .await
        .problem(429);
    // … but not for the admin's desk, which has not.
    let desk = sign_in(&app, "192.0.2.10", "chief", PASSWORD).await;
    assert_eq!(desk.status.as_u16(), 200, "{}", desk.text());
    // Nor for an IPv6 desk; and a desk's mistype costs nothing at once.
    sign_in(&app, "2001:db8:1:2::5", "chief", "typo")
        .await
        .problem(401);
    let again = sign_in(&app, "2001:db8:1:2::5", "chief", PASSWORD).await;
    assert_eq!(again.status.as_u16(), 200, "{}", again.text());
}

async fn a_flood_of_junk_logins_and_wrong_tokens_does_not_reset_a_back_off() {
    let app = city().await;
    let attacker = "198.51.100.7";
    for _ in 0..FREE_FAILURES + 1 {
        sign_in(&app, attacker, "chief", "guess").await.problem(401);
    }
    let flooder = "198.51.100.99";
    for n in 0..=FREE_FAILURES {
        sign_in(&app, flooder, &format!("junk{n}"), "x")
            .await
            .problem(401);
    }
    app.state.clock.advance(-MARGIN);
    // Ten thousand junk logins from one address: past the free ones, none is checked.
    for n in 0..10_000 {
        let reply = sign_in(&app, flooder, &format!("junk-{n}"), "x").await;
        assert_eq!(
            reply.status.as_u16(),
            429,
            "junk login {n}: {}",
            reply.text()
        );
    }
    // More wrong tokens than the guard remembers addresses, each from its own address.
    for n in 0..=CAPACITY as u32 {
        let address = std::net::Ipv4Addr::from(0x0A00_0000 | n).to_string();
        with_token(&app, &address, "a-guessed-token-0123456789abcdef-0123")
            .await
            .problem(401);
    }
    assert!(app.state.sign_in.clients_remembered() <= CAPACITY);
    // The attacker still waits; the account still backs off for an address that has failed.
    sign_in(&app, attacker, "chief", PASSWORD)
        .await
        .problem(429);
    sign_in(&app, "203.0.113.50", "nobody", "guess")
        .await
        .problem(401);
    sign_in(&app, "203.0.113.50", "chief", PASSWORD)
        .await
        .problem(429);
    let desk = sign_in(&app, "192.0.2.10", "chief", PASSWORD).await;
    assert_eq!(desk.status.as_u16(), 200, "{}", desk.text());
}

async fn too_many_password_checks_at_once_answer_503_and_count_as_no_attempt() {
    let app = city().await;
    let held: Vec<_> = (0..VERIFYING_AT_ONCE)
        .map(|_| app.state.sign_in.verify_slot().expect("a free slot"))
        .collect();
    for _ in 0..FREE_FAILURES + 2 {
        let busy = sign_in(&app, "192.0.2.10", "chief", "guess").await;
        assert_eq!(busy.problem(503)["type"], "/problems/unavailable");
        assert!(retry_after(&busy) >= 1);
    }
    assert_eq!(audit(&app, "action=sign_in_failed").await.total, 0);
    drop(held);
    let signed = sign_in(&app, "192.0.2.10", "chief", PASSWORD).await;
    assert_eq!(signed.status.as_u16(), 200, "{}", signed.text());
}

async fn a_failed_sign_in_keeps_no_trace_of_what_was_typed() {
    let app = city().await;
    let typed = "Hunter2-correct-HORSE-battery";
    sign_in(&app, "192.0.2.10", typed, "anything")
        .await
        .problem(401);
    sign_in(&app, "192.0.2.10", "chief", typed)
        .await
        .problem(401);
    let failures = audit(&app, "action=sign_in_failed").await;
    let actors: Vec<&str> = failures.items.iter().map(|e| e.actor.as_str()).collect();
    assert_eq!(actors, ["chief", "(unknown)"]);
    let rows = table_rows(&app, "audit_log").await;
    assert!(rows.len() >= 2);
    let needle = typed.to_lowercase();
    for row in &rows {
        assert!(!row.to_lowercase().contains(&needle), "{row}");
    }
    let csv = app
        .admin(Method::GET, "/api/v1/admin/audit.csv", None)
        .await
        .text();
    assert!(!csv.to_lowercase().contains(&needle));
}

async fn wrong_service_tokens_back_off_their_address_and_are_audited_without_the_token() {
    let app = city().await;
    let attacker = "198.51.100.7";
    let guess = "guessed-Token-Text-0123456789abcdef";
    for _ in 0..FREE_FAILURES + 1 {
        with_token(&app, attacker, guess).await.problem(401);
    }
    app.state.clock.advance(-MARGIN);
    // Even the right token waits from that address, and so does a password.
    with_token(&app, attacker, ADMIN_TOKEN).await.problem(429);
    sign_in(&app, attacker, "chief", PASSWORD)
        .await
        .problem(429);
    let elsewhere = with_token(&app, "192.0.2.10", ADMIN_TOKEN).await;
    assert_eq!(elsewhere.status.as_u16(), 200, "{}", elsewhere.text());
    let rejected = audit(&app, "action=token_rejected").await;
    assert_eq!(rejected.total, i64::from(FREE_FAILURES + 1));
    for entry in &rejected.items {
        assert_eq!(
            (entry.actor.as_str(), entry.detail.as_str()),
            ("(unknown)", "GET /api/v1/admin/issues")
        );
    }
    for row in table_rows(&app, "audit_log").await {
        assert!(!row.contains(guess) && !row.contains(ADMIN_TOKEN), "{row}");
    }
}

async fn a_unit_operator_refused_an_admin_route_is_audited() {
    let app = city().await;
    let li = Signed::from_reply(&sign_in(&app, "192.0.2.10", "li", PASSWORD).await);
    let body = json!({"name_zh": "秘密的名字", "name_en": "Secret body text"});
    for (method, uri, body) in [
        (Method::GET, "/api/v1/admin/audit", None),
        (Method::PUT, "/api/v1/admin/units/water", Some(body)),
    ] {
        let refused = as_operator(&app, &li, method, uri, body, true).await;
        assert_eq!(refused.problem(403)["type"], "/problems/forbidden");
    }
    let refusals = audit(&app, "action=refused&actor=li").await;
    let details: Vec<&str> = refusals.items.iter().map(|e| e.detail.as_str()).collect();
    assert_eq!(
        details,
        ["PUT /api/v1/admin/units/water", "GET /api/v1/admin/audit"]
    );
    for row in table_rows(&app, "audit_log").await {
        assert!(
            !row.contains("Secret body text") && !row.contains("秘密"),
            "{row}"
        );
    }
}

crate::on_every_backend!(
    a_concurrent_burst_of_wrong_passwords_gets_no_more_checks_than_a_sequential_one,
    sequential_failures_make_every_attempt_from_that_address_wait_longer_each_time,
    an_admin_signs_in_from_their_desk_while_their_login_is_attacked_from_elsewhere,
    a_flood_of_junk_logins_and_wrong_tokens_does_not_reset_a_back_off,
    too_many_password_checks_at_once_answer_503_and_count_as_no_attempt,
    a_failed_sign_in_keeps_no_trace_of_what_was_typed,
    wrong_service_tokens_back_off_their_address_and_are_audited_without_the_token,
    a_unit_operator_refused_an_admin_route_is_audited,
);

/// The server does not start (nor run any command) with a service token shorter than 32
/// bytes, and says why.
#[test]
fn the_server_refuses_a_service_token_shorter_than_32_bytes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("omk.db").display());
    let run = |token: &str| {
        binary(&url)
            .arg("migrate")
            .env("OMK_ADMIN_TOKEN", token)
            .env_remove("OMK_ADMIN_TOKEN_FILE")
            .env("RUST_LOG", "warn")
            .output()
            .expect("the binary runs")
    };
    let short = run("operator-secret-token");
    assert!(!short.status.success());
    let said = String::from_utf8_lossy(&short.stderr);
    assert!(
        said.contains("OMK_ADMIN_TOKEN") && said.contains("at least 32 bytes"),
        "{said}"
    );
    let long = run(ADMIN_TOKEN);
    assert!(
        long.status.success(),
        "{}",
        String::from_utf8_lossy(&long.stderr)
    );
}
