//! Nothing is lost: writes made while the backend is down survive a reload
//! and arrive exactly once when it is back; a lost answer is retried without
//! making a second record; a write another instance is still storing is sent
//! again, not dropped; two tabs never send one write at once. The widget is
//! served from a second origin, so the page still loads while the backend is down.

use std::time::{Duration, Instant};

use fantoccini::Locator;
use omk_e2e::browser::WAIT;
use omk_e2e::proxy::{Behaviour, DroppingProxy};
use omk_e2e::{Result, Suite, message};

use crate::World;

pub async fn run(suite: &mut Suite, w: &mut World) {
    suite
        .run("lost_answer_is_retried_without_a_duplicate", lost_answer(w))
        .await;
    suite
        .run(
            "a_write_still_being_stored_elsewhere_is_sent_again_not_dropped",
            still_being_stored(w),
        )
        .await;
    suite
        .run("two_tabs_never_send_the_same_write_at_once", two_tabs(w))
        .await;
    suite
        .run(
            "offline_writes_survive_a_reload_and_arrive_exactly_once",
            offline(w),
        )
        .await;
}

/// Rows stored so far, one count per kind of write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Counts {
    issues: i64,
    ratings: i64,
    votes: i64,
    registrations: i64,
}

impl Counts {
    async fn now(w: &World) -> Result<Counts> {
        let server = &w.server;
        Ok(Counts {
            issues: server.count("SELECT COUNT(*) FROM issues").await?,
            ratings: server.count("SELECT COUNT(*) FROM ratings").await?,
            votes: server.count("SELECT COUNT(*) FROM votes").await?,
            registrations: server.count("SELECT COUNT(*) FROM registrations").await?,
        })
    }

    /// Checks that exactly `want` rows of each kind were added since `before`.
    fn check_added(self, before: Counts, want: Counts) -> Result<()> {
        let added = [
            ("issues", self.issues - before.issues, want.issues),
            ("ratings", self.ratings - before.ratings, want.ratings),
            ("votes", self.votes - before.votes, want.votes),
            (
                "registrations",
                self.registrations - before.registrations,
                want.registrations,
            ),
        ];
        let wrong: Vec<String> = added
            .iter()
            .filter(|(_, got, want)| got != want)
            .map(|(kind, got, want)| format!("{got} new {kind}, expected {want}"))
            .collect();
        if wrong.is_empty() {
            Ok(())
        } else {
            Err(wrong.join("; ").into())
        }
    }
}

/// No new rows of any kind.
const NONE: Counts = Counts {
    issues: 0,
    ratings: 0,
    votes: 0,
    registrations: 0,
};

/// Waits until no write is between the proxy and the server.
async fn wait_until_no_write_in_flight(proxy: &DroppingProxy) -> Result<()> {
    let deadline = Instant::now() + WAIT;
    while proxy.writes_in_flight() > 0 {
        if Instant::now() > deadline {
            return Err("a write stayed in flight through the proxy".into());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Ok(())
}

/// Forgets the outbox an earlier scenario left: its items were made for another origin
/// (an earlier proxy) and are never sent anywhere else.
async fn fresh_outbox(w: &World) -> Result<()> {
    // A page of that origin without the widget, which would start sending at once.
    w.browser
        .client
        .goto(&format!("{}/favicon.ico", w.host.origin()))
        .await?;
    w.browser
        .script("localStorage.removeItem('omk.outbox.v1');")
        .await?;
    Ok(())
}

async fn lost_answer(w: &mut World) -> Result<()> {
    fresh_outbox(w).await?;
    let proxy = DroppingProxy::start(w.server.addr(), 1).await?;
    let url = format!("{}/?backend={}", w.host.origin(), proxy.origin());
    let before = Counts::now(w).await?;
    let b = &w.browser;
    b.expect_console_error(&format!(
        "{}/api/v1/ratings - Failed to load resource: net::ERR_EMPTY_RESPONSE",
        proxy.origin()
    ));
    b.start_kiosk(&url).await?;
    b.click("nav-rate").await?;
    b.click("rate-satisfied").await?;
    b.outbox_drained().await?;
    if proxy.drops_left() != 0 {
        return Err("the proxy never lost an answer".into());
    }
    Counts::now(w)
        .await?
        .check_added(before, Counts { ratings: 1, ..NONE })
}

/// A proxy that holds every write 1.5 s on its way to the server, and the kiosk's URL
/// through it.
async fn holding_proxy(w: &World) -> Result<(DroppingProxy, String)> {
    fresh_outbox(w).await?;
    let proxy = DroppingProxy::with(
        w.server.addr(),
        Behaviour {
            drops: 0,
            delay: Duration::from_millis(1_500),
        },
    )
    .await?;
    let url = format!("{}/?backend={}", w.host.origin(), proxy.origin());
    Ok((proxy, url))
}

/// The server answers 409 `idempotency-key-in-flight` while another instance is still storing
/// the same request. The write is not lost for that: the outbox keeps it and sends it again.
async fn still_being_stored(w: &mut World) -> Result<()> {
    // Each write is held on its way, so the test can mark its key as being stored elsewhere.
    let (proxy, url) = holding_proxy(w).await?;
    let before = Counts::now(w).await?;
    let b = &w.browser;
    b.start_kiosk(&url).await?;
    b.click("nav-rate").await?;
    b.click("rate-very_satisfied").await?;
    let stored = "const o = JSON.parse(localStorage.getItem('omk.outbox.v1') || '{\"items\":[]}');
                  return o.items[0] || null;";
    let item = b.wait_script(stored, |v| !v.is_null()).await?;
    let key = item["key"]
        .as_str()
        .ok_or("a stored write without a key")?
        .to_owned();
    let rating: omk_api::NewRating = serde_json::from_str(
        item["body"]
            .as_str()
            .ok_or("a stored write without a body")?,
    )?;
    // Another instance has claimed this very request and has not finished storing it.
    let db = w.server.db().await?;
    sqlx::query("INSERT INTO idempotency_keys (key, request_hash, created_at) VALUES (?, ?, ?)")
        .bind(&key)
        .bind(omk_server::idempotency::request_hash("ratings", &rating)?)
        .bind(omk_server::clock::now())
        .execute(&db)
        .await?;
    b.expect_console_error(&format!(
        "{}/api/v1/ratings - Failed to load resource: the server responded with a status of 409",
        proxy.origin()
    ));
    let deadline = Instant::now() + WAIT;
    while proxy.flights().iter().all(|f| f.key != key) {
        if Instant::now() > deadline {
            return Err("the rating never reached the server".into());
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // Answered "in flight": still in the outbox, and the visitor is not told it failed.
    let kept = b.script(stored).await?;
    if kept["key"].as_str() != Some(key.as_str()) {
        return Err(format!("the outbox dropped the write after a 409 in flight: {kept}").into());
    }
    let thanks = message("zh-CN", "rate.thanks")?;
    b.wait_text("rate-outcome", |t| t == thanks).await?;
    // The other instance gave up (its transaction rolled back): the next attempt stores it.
    sqlx::query("DELETE FROM idempotency_keys WHERE key = ?")
        .bind(&key)
        .execute(&db)
        .await?;
    db.close().await;
    b.outbox_drained().await?;
    let attempts = proxy.flights().iter().filter(|f| f.key == key).count();
    if attempts < 2 {
        return Err(format!("the write was sent {attempts} time(s), not again").into());
    }
    b.wait_text("rate-outcome", |t| t == thanks).await?;
    Counts::now(w)
        .await?
        .check_added(before, Counts { ratings: 1, ..NONE })
}

async fn two_tabs(w: &mut World) -> Result<()> {
    // Every write is held on its way, so a tab that ignored another
    // tab's claim would send the same item while the first send is in flight.
    let (proxy, url) = holding_proxy(w).await?;
    let before = Counts::now(w).await?;
    let b = &w.browser;
    b.start_kiosk(&url).await?;
    let first = b.client.window().await?;
    let second = b.client.new_window(true).await?.handle;
    b.client.switch_to_window(second).await?;
    b.start_kiosk(&url).await?;
    b.click("nav-rate").await?;
    b.click("rate-basically_satisfied").await?;
    b.click("nav-vote").await?;
    b.wait_for("[data-testid=topic]").await?;
    b.click("vote-button").await?;
    // Both tabs share the stored outbox: once it is empty and no write is on its way, every
    // send either tab made has been recorded.
    b.outbox_drained().await?;
    wait_until_no_write_in_flight(&proxy).await?;
    b.client.close_window().await?;
    b.client.switch_to_window(first).await?;
    let overlapping = proxy.overlapping_keys();
    if !overlapping.is_empty() {
        return Err(format!("sent twice at once: {overlapping:?}").into());
    }
    let sends = proxy.flights().len();
    if sends != 2 {
        return Err(format!("expected two sends (a rating and a vote), saw {sends}").into());
    }
    Counts::now(w).await?.check_added(
        before,
        Counts {
            ratings: 1,
            votes: 1,
            ..NONE
        },
    )
}

async fn offline(w: &mut World) -> Result<()> {
    fresh_outbox(w).await?;
    let url = format!("{}/?backend={}", w.host.origin(), w.server.origin());
    let before = Counts::now(w).await?;
    // Online first: the kiosk has seen the program, categories and topics.
    {
        let b = &w.browser;
        b.start_kiosk(&url).await?;
        b.click("when-upcoming").await?;
        b.wait_for("[data-testid=event-card]").await?;
        b.click("nav-report").await?;
        b.wait_for("[data-testid=report-category] option[value=parking]")
            .await?;
        b.click("nav-vote").await?;
        b.wait_for("[data-testid=topic]").await?;
    }
    w.server.stop().await;
    let b = &w.browser;
    // Every request to the stopped server fails until it is back.
    b.expect_console_error(&format!(
        "{}/api/v1/* - Failed to load resource: net::ERR_CONNECTION_REFUSED",
        w.server.origin()
    ));

    // 5 registrations, from the program saved on the kiosk.
    b.start_kiosk(&url).await?;
    b.click("when-upcoming").await?;
    b.testid("stale-note").await?;
    for n in 0..5 {
        let opened = b
            .script(&format!(
                "const c=[...document.querySelectorAll('[data-testid=event-card]')]\
                   .filter(e=>e.textContent.includes('剩余'))[{n}];\
                 if(!c) return false; c.querySelector('[data-testid=event-open]').click(); return true;"
            ))
            .await?;
        if opened != serde_json::json!(true) {
            return Err(format!("no {n}th upcoming event with seats").into());
        }
        b.click("event-register").await?;
        b.wait_text("register-outcome", |t| t.contains("已保存"))
            .await?;
        b.click("event-back").await?;
        b.wait_for("[data-testid=event-card]").await?;
    }
    // 6 issues.
    for n in 0..6 {
        b.click("nav-report").await?;
        b.wait_for("[data-testid=report-category] option[value=garbage]")
            .await?;
        b.testid("report-category")
            .await?
            .select_by_value("garbage")
            .await?;
        b.type_into(
            "report-description",
            &format!("断网时提交的第 {n} 条：垃圾分类投放点无人清运"),
        )
        .await?;
        b.type_into("report-place", "茌平区振兴街道").await?;
        tokio::time::sleep(Duration::from_millis(2_100)).await;
        b.click("report-submit").await?;
        b.testid("report-saved").await?;
        b.click("report-new").await?;
    }
    // 5 ratings, each after the repeat-press window.
    b.click("nav-rate").await?;
    for n in 0..5 {
        if n > 0 {
            tokio::time::sleep(Duration::from_millis(5_100)).await;
        }
        b.click("rate-very_satisfied").await?;
        b.wait_text("rate-outcome", |t| t.contains("感谢")).await?;
    }
    // 4 votes: one per visit, and a reload starts a new visit.
    for _ in 0..4 {
        b.client.refresh().await?;
        b.click("attract-start").await?;
        b.click("nav-vote").await?;
        b.wait_for("[data-testid=topic]").await?;
        let buttons = b
            .client
            .find_all(Locator::Css("[data-testid=vote-button]"))
            .await?;
        buttons.first().ok_or("no vote buttons")?.click().await?;
        b.wait_text("vote-outcome", |t| t.contains("感谢投票"))
            .await?;
    }
    // Reload while still offline: all 20 are still there.
    b.client.refresh().await?;
    b.wait_text("outbox-pending", |t| t.starts_with("20 "))
        .await?;
    let stored = b
        .script("return JSON.parse(localStorage.getItem('omk.outbox.v1')).items.length;")
        .await?;
    if stored != serde_json::json!(20) {
        return Err(format!("the outbox holds {stored} items, not 20").into());
    }

    w.server.restart().await?;
    // Each item leaves the stored outbox only once the server has acknowledged it.
    b.outbox_drained_within(Duration::from_secs(120)).await?;
    Counts::now(w).await?.check_added(
        before,
        Counts {
            issues: 6,
            ratings: 5,
            votes: 4,
            registrations: 5,
        },
    )?;
    println!("  20 writes made offline arrived exactly once");
    Ok(())
}
