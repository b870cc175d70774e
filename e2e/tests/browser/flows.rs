//! The kiosk flows: browse and filter, register, rate, report and look up,
//! vote, idle reset, display modes, and a live update from another client.

use std::time::{Duration, Instant};

use fantoccini::Locator;
use omk_e2e::{Result, Suite, http, message};
use serde_json::json;

use crate::slice::report_issue;
use crate::{World, count};

pub async fn run(suite: &mut Suite, w: &World) {
    suite
        .run(
            "browse_and_filter_by_time_and_district",
            browse_and_filter(w),
        )
        .await;
    suite
        .run("register_for_an_event_takes_one_seat", register(w))
        .await;
    suite
        .run("rating_is_stored_once_and_repeats_are_ignored", rate(w))
        .await;
    suite
        .run(
            "receipt_number_looks_up_status_without_personal_data",
            lookup(w),
        )
        .await;
    suite.run("one_vote_per_session", vote(w)).await;
    suite
        .run(
            "figures_change_live_when_another_kiosk_rates",
            live_update(w),
        )
        .await;
    suite
        .run("display_modes_switch_on_every_screen", display_modes(w))
        .await;
    suite
        .run(
            "kiosk_reloads_itself_between_visitors_after_enough_resets",
            refresh_after_resets(w),
        )
        .await;
    suite
        .run(
            "a_screen_whose_code_cannot_be_fetched_says_so_and_retries",
            unfetchable_screen(w),
        )
        .await;
    suite
        .run(
            "idle_reset_warns_then_wipes_everything_typed",
            idle_reset(w),
        )
        .await;
}

/// Waits until the page has sent everything it wrote, then checks that `sql` counts exactly
/// `want`: a write sent twice, or one that should have been ignored, makes it more.
async fn settle(w: &World, sql: &str, want: i64) -> Result<()> {
    w.browser.outbox_drained().await?;
    let n = w.server.count(sql).await?;
    if n != want {
        return Err(format!("{sql}: expected {want} once the outbox emptied, found {n}").into());
    }
    Ok(())
}

/// Checks that `events-total` shows the server's total for the page's latest events request.
async fn total_matches_server(w: &World) -> Result<String> {
    let answer = w.answer_to_page("/api/v1/events?").await?;
    let total = answer["total"]
        .as_i64()
        .ok_or("the events answer has no total")?;
    let want = message("zh-CN", "events.total")?.replace("{n}", &count(total));
    w.browser.wait_text("events-total", |t| t == want).await
}

async fn browse_and_filter(w: &World) -> Result<()> {
    let b = &w.browser;
    b.start_kiosk(&w.server.url()).await?;
    b.wait_for("[data-testid=event-card]").await?;
    b.click("when-past").await?;
    b.wait_script(
        "const c=[...document.querySelectorAll('[data-testid=event-card]')];\
         return c.length>0 && c.every(e=>e.querySelector('.omk-badge-past'));",
        |v| v == &serde_json::json!(true),
    )
    .await?;
    let before = total_matches_server(w).await?;
    b.testid("filter-district")
        .await?
        .select_by_value("临清市")
        .await?;
    b.wait_text("events-total", |t| t.starts_with('共') && t != before)
        .await?;
    let after = total_matches_server(w).await?;
    b.wait_script(
        "const c=[...document.querySelectorAll('[data-testid=event-card]')];\
         return c.length>0 && c.every(e=>e.textContent.includes('临清市'));",
        |v| v == &serde_json::json!(true),
    )
    .await?;
    b.click("when-upcoming").await?;
    b.wait_script(
        "const c=[...document.querySelectorAll('[data-testid=event-card]')];\
         return c.length>0 && c.every(e=>e.querySelector('.omk-badge-upcoming'));",
        |v| v == &serde_json::json!(true),
    )
    .await?;
    // Paging moves through the program.
    b.click("events-next").await?;
    b.wait_text("events-page", |t| t.starts_with("第 2 "))
        .await?;
    let id = b
        .script("return document.querySelector('[data-testid=event-card]').dataset.eventId;")
        .await?;
    let id = id
        .as_str()
        .ok_or("the first card has no event id")?
        .to_owned();
    b.click("event-open").await?;
    b.testid("event-detail").await?;
    let qr = b.loaded_image("event-qr").await?;
    let want = format!("{}/api/v1/events/{id}/qr.svg", w.server.origin());
    if qr != want {
        return Err(format!("the event's QR code is {qr}, not {want}").into());
    }
    b.click("event-back").await?;
    b.wait_for("[data-testid=event-card]").await?;
    println!("  past: {before}; past in 临清市: {after}");
    Ok(())
}

async fn register(w: &World) -> Result<()> {
    let b = &w.browser;
    b.start_kiosk(&w.server.url()).await?;
    b.click("when-upcoming").await?;
    b.wait_for("[data-testid=event-card]").await?;
    // The first upcoming event that still has seats.
    let id = b
        .wait_script(
            "const c=[...document.querySelectorAll('[data-testid=event-card]')]\
               .find(e=>e.textContent.includes('剩余'));\
             if(!c) return null; c.querySelector('[data-testid=event-open]').click();\
             return Number(c.dataset.eventId);",
            |v| v.is_number(),
        )
        .await?;
    let id = id.as_i64().ok_or("no event id")?;
    let sql = format!("SELECT registered FROM events WHERE id = {id}");
    let before = w.server.count(&sql).await?;
    b.click("event-register").await?;
    let outcome = b
        .wait_text("register-outcome", |t| t.contains("RG-"))
        .await?;
    let code = outcome
        .split_whitespace()
        .find(|word| word.starts_with("RG-"))
        .ok_or("no registration code")?;
    let want = message("zh-CN", "register.done")?.replace("{code}", code);
    if outcome != want {
        return Err(format!("the outcome reads {outcome:?}, not {want:?}").into());
    }
    settle(w, &sql, before + 1).await?;
    let rows = w
        .server
        .count(&format!(
            "SELECT COUNT(*) FROM registrations WHERE event_id = {id} AND code = '{code}'"
        ))
        .await?;
    if rows != 1 {
        return Err(format!("{rows} registration rows with code {code}, not 1").into());
    }
    println!("  event {id}: {outcome}");
    Ok(())
}

async fn rate(w: &World) -> Result<()> {
    let b = &w.browser;
    let sql = "SELECT COUNT(*) FROM ratings";
    let before = w.server.count(sql).await?;
    b.start_kiosk(&w.server.url()).await?;
    b.click("nav-rate").await?;
    b.click("tag-fast").await?;
    b.click("rate-very_satisfied").await?;
    b.wait_text("rate-outcome", |t| t.contains("感谢")).await?;
    // A second press within the cooldown is ignored.
    b.click("rate-dissatisfied").await?;
    settle(w, sql, before + 1).await?;
    let score = w
        .server
        .count("SELECT score FROM ratings ORDER BY id DESC LIMIT 1")
        .await?;
    let fast = w
        .server
        .count("SELECT tags LIKE '%fast%' FROM ratings ORDER BY id DESC LIMIT 1")
        .await?;
    if score != 5 || fast != 1 {
        return Err(format!(
            "stored rating has score {score} and tag fast {fast}; expected 5 and 1"
        )
        .into());
    }
    Ok(())
}

async fn lookup(w: &World) -> Result<()> {
    let b = &w.browser;
    b.start_kiosk(&w.server.url()).await?;
    let tracking = report_issue(
        w,
        "路灯坏了两个星期，晚上很黑",
        Some(("王建国", "13800138000")),
    )
    .await?;
    b.click("nav-lookup").await?;
    b.type_into("lookup-number", &tracking.to_lowercase())
        .await?;
    b.click("lookup-submit").await?;
    b.wait_text("lookup-status", |t| t == "已受理登记").await?;
    let page = b.client.source().await?;
    if page.contains("王建国") || page.contains("13800138000") {
        return Err("the status lookup shows personal data".into());
    }
    let stored = w
        .server
        .count(&format!(
            "SELECT COUNT(*) FROM issues WHERE tracking_no = '{tracking}' AND name = '王建国'"
        ))
        .await?;
    if stored != 1 {
        return Err("the consented contact was not stored with the issue".into());
    }
    // A mistyped digit is caught by the check digit, before the server is asked.
    let mut mistyped: Vec<char> = tracking.chars().collect();
    let last = mistyped.len() - 1;
    mistyped[last] = if mistyped[last] == '0' { '1' } else { '0' };
    let mistyped: String = mistyped.into_iter().collect();
    let field = b.testid("lookup-number").await?;
    field.clear().await?;
    field.send_keys(&mistyped).await?;
    b.click("lookup-submit").await?;
    let want = message("zh-CN", "lookup.typo")?;
    b.wait_text("lookup-typo", |t| t == want).await?;
    // A well-formed number nobody was given: the server answers 404, which Chromium logs.
    let unknown = omk_api::tracking::from_bits("OM", 1);
    b.expect_console_error(&format!(
        "/api/v1/issues/{unknown} - Failed to load resource: the server responded with a status of 404"
    ));
    let field = b.testid("lookup-number").await?;
    field.clear().await?;
    field.send_keys(&unknown).await?;
    b.click("lookup-submit").await?;
    let want = message("zh-CN", "lookup.not_found")?;
    b.wait_text("lookup-missing", |t| t == want).await?;
    Ok(())
}

async fn vote(w: &World) -> Result<()> {
    let b = &w.browser;
    let sql = "SELECT COUNT(*) FROM votes";
    let before = w.server.count(sql).await?;
    b.start_kiosk(&w.server.url()).await?;
    b.click("nav-vote").await?;
    b.wait_for("[data-testid=topic]").await?;
    let buttons = b
        .client
        .find_all(Locator::Css("[data-testid=vote-button]"))
        .await?;
    let first = buttons.first().ok_or("no vote buttons")?;
    first.click().await?;
    b.wait_text("vote-outcome", |t| t.contains("感谢投票"))
        .await?;
    b.wait_script(
        "return [...document.querySelectorAll('[data-testid=vote-button]')].every(x=>x.disabled);",
        |v| v == &serde_json::json!(true),
    )
    .await?;
    settle(w, sql, before + 1).await?;
    Ok(())
}

/// Ratings today as the server counts them, and the local day (UTC+8) it counted on.
async fn ratings_today(w: &World) -> Result<(i64, i64, i64)> {
    let metrics = w.api("/api/v1/metrics").await?;
    let figure = |key: &str| {
        metrics[key]
            .as_i64()
            .ok_or_else(|| format!("no {key} in {metrics}"))
    };
    Ok((
        figure("ratings_today")?,
        figure("ratings_total")?,
        omk_server::clock::local_day(figure("as_of")?),
    ))
}

async fn live_update(w: &World) -> Result<()> {
    let b = &w.browser;
    b.start_kiosk(&w.server.url()).await?;
    b.click("nav-figures").await?;
    let shown = b
        .wait_text("figure-ratings-today", |t| !t.is_empty())
        .await?;
    let (today, total, day) = ratings_today(w).await?;
    let (status, _) = http::post_json(
        w.server.addr(),
        "/api/v1/ratings",
        r#"{"level":"satisfied","tags":["clear"]}"#,
    )
    .await?;
    if status != 201 {
        return Err(format!("the other kiosk's rating got {status}").into());
    }
    let (today_after, total_after, day_after) = ratings_today(w).await?;
    // Past local midnight, today's count starts again from this rating.
    let want = if day_after == day { today + 1 } else { 1 };
    if total_after != total + 1 || today_after != want {
        return Err(format!(
            "one rating took the server from {today} today ({total} in all) to \
             {today_after} ({total_after}); expected {want} ({})",
            total + 1
        )
        .into());
    }
    let want = count(want);
    if shown == want {
        return Err(format!("the page showed {shown} before the rating was made").into());
    }
    b.wait_text("figure-ratings-today", |t| t == want).await?;
    Ok(())
}

async fn display_modes(w: &World) -> Result<()> {
    let b = &w.browser;
    b.start_kiosk(&w.server.url()).await?;
    for screen in [
        "nav-events",
        "nav-figures",
        "nav-rate",
        "nav-report",
        "nav-lookup",
        "nav-vote",
    ] {
        b.click(screen).await?;
        b.testid("toggle-seniors").await?;
        b.testid("toggle-contrast").await?;
        b.testid("lang-toggle").await?;
    }
    b.click("toggle-seniors").await?;
    let size = b
        .wait_script(
            "return parseFloat(getComputedStyle(document.querySelector('.omk')).fontSize);",
            |v| v.as_f64().is_some_and(|px| px >= 24.0),
        )
        .await?;
    b.click("toggle-contrast").await?;
    b.wait_script(
        "return getComputedStyle(document.querySelector('.omk')).backgroundColor;",
        |v| v == &serde_json::json!("rgb(255, 255, 255)"),
    )
    .await?;
    println!("  seniors' mode text size {size}px");
    Ok(())
}

/// Waits until the widget's idle guard shows `wanted` (`data-idle` on its root).
async fn expect_idle_guard(b: &omk_e2e::Browser, wanted: &str) -> Result<()> {
    let js = "const root = document.querySelector('[data-idle]');\
              return root ? root.dataset.idle : null;";
    b.wait_script(js, |v| v.as_str() == Some(wanted))
        .await
        .map(|_| ())
        .map_err(|e| format!("the idle guard never showed {wanted:?}: {e}").into())
}

async fn idle_reset(w: &World) -> Result<()> {
    let b = &w.browser;
    let private = "我家住在柳园街道幸福小区3号楼";
    b.start_kiosk(&format!("{}?idle=5&idle_warning_secs=4", w.server.url()))
        .await?;
    // A visitor's session on the kiosk is watched.
    expect_idle_guard(b, "armed").await?;
    b.click("nav-report").await?;
    b.type_into("report-description", private).await?;
    b.type_into("report-name", "赵秀英").await?;
    b.type_into("report-phone", "13912345678").await?;
    // The warning comes; "keep using" keeps what was typed.
    b.testid("idle-warning").await?;
    b.click("idle-stay").await?;
    b.wait_script(
        "return !document.querySelector('[data-testid=idle-warning]') && \
         document.querySelector('[data-testid=report-description]').value;",
        |v| v.as_str() == Some(private),
    )
    .await?;
    // Left alone, the kiosk warns again and then wipes everything.
    b.testid("idle-warning").await?;
    b.testid("attract").await?;
    // The attract screen has nothing to reset.
    expect_idle_guard(b, "off").await?;
    let leftovers = b
        .script(&format!(
            "const all = document.documentElement.outerHTML + JSON.stringify(localStorage) + JSON.stringify(sessionStorage);\
             return ['{private}','赵秀英','13912345678'].filter(s => all.includes(s));"
        ))
        .await?;
    if leftovers != serde_json::json!([]) {
        return Err(format!("personal data left after the reset: {leftovers}").into());
    }
    b.click("attract-start").await?;
    // The next visitor's session is watched again.
    expect_idle_guard(b, "armed").await?;
    b.click("nav-report").await?;
    b.wait_script(
        "return document.querySelector('[data-testid=report-description]').value;",
        |v| v.as_str() == Some(""),
    )
    .await?;
    Ok(())
}

/// The screens' chunk of the built widget: the one `split_*.wasm` file (its name carries a hash
/// of its content).
fn screens_chunk() -> Result<String> {
    let dist = omk_e2e::server::dist_dir()?;
    let chunks: Vec<String> = std::fs::read_dir(&dist)?
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter(|name| name.starts_with("split_") && name.ends_with(".wasm"))
        .collect();
    match chunks.as_slice() {
        [chunk] => Ok(chunk.clone()),
        _ => Err(format!(
            "expected one screens' chunk in {}, found {chunks:?}",
            dist.display()
        )
        .into()),
    }
}

/// With the screens' chunk unreachable from the start (the kiosk lost its network after the
/// first load), opening the session shows a message and a retry instead of a blank screen; once
/// it is reachable again, the retry opens it. Blocked before the page loads, the chunk cannot
/// have arrived by the kiosk's own prefetch, whenever that runs.
async fn unfetchable_screen(w: &World) -> Result<()> {
    let b = &w.browser;
    let chunk = screens_chunk()?;
    // The chunk loader logs each fetch that fails.
    b.expect_console_error("/__wasm_split.js * TypeError: Failed to fetch");
    b.cdp("Network.enable", json!({})).await?;
    b.cdp("Network.setCacheDisabled", json!({ "cacheDisabled": true }))
        .await?;
    b.cdp(
        "Network.setBlockedURLs",
        json!({ "urls": [format!("*/{chunk}")] }),
    )
    .await?;
    let outcome = async {
        b.open(&w.server.url()).await?;
        b.click("attract-start").await?;
        b.wait_for("[data-testid=screen-unavailable]").await?;
        let want = json!([
            message("zh-CN", "screen.unavailable")?,
            message("zh-CN", "screen.retry")?
        ]);
        let shown = b
            .script(
                "return [...document.querySelector('[data-testid=screen-unavailable]').children]\
                   .map(e => e.textContent);",
            )
            .await?;
        if shown != want {
            return Err(format!("the unavailable screen reads {shown}, not {want}").into());
        }
        if b.count("[data-testid=nav-events]").await? != 0 {
            return Err("the navigation showed although its code was not fetched".into());
        }
        b.cdp("Network.setBlockedURLs", json!({ "urls": [] }))
            .await?;
        b.click("screen-retry").await?;
        b.wait_for("[data-testid=nav-events]").await?;
        Ok(())
    }
    .await;
    b.cdp("Network.setBlockedURLs", json!({ "urls": [] }))
        .await?;
    b.cdp(
        "Network.setCacheDisabled",
        json!({ "cacheDisabled": false }),
    )
    .await?;
    b.cdp("Network.disable", json!({})).await?;
    outcome
}

/// With `refresh_after_resets=2`, the page stays through the first idle reset and reloads itself
/// right after the second, back on the attract screen.
async fn refresh_after_resets(w: &World) -> Result<()> {
    let b = &w.browser;
    let url = format!(
        "{}?idle=5&idle_warning_secs=1&refresh_after_resets=2",
        w.server.url()
    );
    b.open(&url).await?;
    b.wait_for("[data-testid=attract]").await?;
    b.script("window.omkSamePage = true; return null;").await?;
    for reset in 1..=2 {
        b.click("attract-start").await?;
        b.wait_for("[data-testid=nav-events]").await?;
        b.wait_script(
            "return !!document.querySelector('[data-testid=attract]');",
            |v| v == &json!(true),
        )
        .await?;
        let same = b.script("return window.omkSamePage === true;").await?;
        if reset == 1 && same != json!(true) {
            return Err("the page reloaded after the first reset".into());
        }
    }
    // The reload may be under way while the page is asked, so a failed script is a retry.
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let fresh = b
            .script("return window.omkSamePage === undefined && !!document.querySelector('[data-testid=attract]');")
            .await;
        if matches!(fresh, Ok(ref v) if v == &json!(true)) {
            return Ok(());
        }
        if Instant::now() > deadline {
            return Err("the page did not reload after the second reset".into());
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}
