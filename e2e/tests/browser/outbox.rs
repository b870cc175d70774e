//! Nothing is lost: writes made while the backend is down survive a reload
//! and arrive exactly once when it is back; a lost answer is retried without
//! making a second record; two tabs never send one write at once. The widget is served from a second origin, so the
//! page still loads while the backend is down.

use std::time::{Duration, Instant};

use fantoccini::Locator;
use omk_e2e::proxy::{Behaviour, DroppingProxy};
use omk_e2e::{Result, Suite};

use crate::World;

pub async fn run(suite: &mut Suite, w: &mut World) {
    suite
        .run("lost_answer_is_retried_without_a_duplicate", lost_answer(w))
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

const COUNTS: &str = "SELECT (SELECT COUNT(*) FROM issues) * 1000000000 \
     + (SELECT COUNT(*) FROM ratings) * 1000000 \
     + (SELECT COUNT(*) FROM votes) * 1000 \
     + (SELECT COUNT(*) FROM registrations)";

/// Issues, ratings, votes and registrations stored so far.
async fn counts(w: &World) -> Result<[i64; 4]> {
    let n = w.server.count(COUNTS).await?;
    Ok([
        n / 1_000_000_000,
        n / 1_000_000 % 1000,
        n / 1000 % 1000,
        n % 1000,
    ])
}

/// Waits until the page's outbox is empty.
async fn outbox_drained(w: &World) -> Result<()> {
    w.browser
        .wait_script(
            "return localStorage.getItem('omk.outbox.v1') === null;",
            |v| v == &serde_json::json!(true),
        )
        .await?;
    Ok(())
}

async fn lost_answer(w: &mut World) -> Result<()> {
    let proxy = DroppingProxy::start(w.server.addr(), 1).await?;
    let url = format!("{}/?backend={}", w.host.origin(), proxy.origin());
    let before = counts(w).await?;
    let b = &w.browser;
    b.start_kiosk(&url).await?;
    b.click("nav-rate").await?;
    b.click("rate-satisfied").await?;
    outbox_drained(w).await?;
    if proxy.drops_left() != 0 {
        return Err("the proxy never lost an answer".into());
    }
    let after = counts(w).await?;
    if after[1] != before[1] + 1 {
        return Err(format!("ratings went from {} to {}", before[1], after[1]).into());
    }
    Ok(())
}

async fn two_tabs(w: &mut World) -> Result<()> {
    // Every write is held 1.5 s on its way, so a tab that ignored another
    // tab's claim would send the same item while the first send is in flight.
    let proxy = DroppingProxy::with(
        w.server.addr(),
        Behaviour {
            drops: 0,
            delay: Duration::from_millis(1_500),
        },
    )
    .await?;
    let url = format!("{}/?backend={}", w.host.origin(), proxy.origin());
    let before = counts(w).await?;
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
    outbox_drained(w).await?;
    // Give the other tab's once-a-second sender time to act on anything left.
    tokio::time::sleep(Duration::from_millis(2_500)).await;
    b.client.close_window().await?;
    b.client.switch_to_window(first).await?;
    let overlapping = proxy.overlapping_keys();
    let flights = proxy.flights();
    let after = counts(w).await?;
    if !overlapping.is_empty() {
        return Err(format!("sent twice at once: {overlapping:?}").into());
    }
    if flights.len() != 2 || after[1] != before[1] + 1 || after[2] != before[2] + 1 {
        return Err(format!(
            "expected two sends, one rating and one vote; saw {} sends, {:?} → {:?}",
            flights.len(),
            before,
            after
        )
        .into());
    }
    Ok(())
}

async fn offline(w: &mut World) -> Result<()> {
    let url = format!("{}/?backend={}", w.host.origin(), w.server.origin());
    let before = counts(w).await?;
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
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let left = w
            .browser
            .script("const o=localStorage.getItem('omk.outbox.v1'); return o ? JSON.parse(o).items.length : 0;")
            .await?;
        if left == serde_json::json!(0) {
            break;
        }
        if Instant::now() > deadline {
            return Err(format!("the outbox still holds {left} items").into());
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let after = counts(w).await?;
    let delta: Vec<i64> = after.iter().zip(before).map(|(a, b)| a - b).collect();
    if delta != [6, 5, 4, 5] {
        return Err(format!(
            "expected [6, 5, 4, 5] new issues/ratings/votes/registrations, got {delta:?}"
        )
        .into());
    }
    println!("  20 writes made offline arrived exactly once: {delta:?}");
    Ok(())
}
