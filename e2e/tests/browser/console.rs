//! The operators' console against the real server, as people use it: the closed loop
//! from a visitor's report at a kiosk to the unit operator's answer on the visitor's
//! phone, on a city's fresh database; the requests the console refuses (a forged
//! cross-origin post, an ended session, a burst of wrong passwords); keyboard-only use;
//! axe-core on every console screen in both languages; screenshots for the README.

use std::time::Duration;

use omk_e2e::http::{request, sign_in};
use omk_e2e::phone::{hold_phone, put_phone_away};
use omk_e2e::{Browser, Error, Result, Suite, TestServer, qr};
use serde_json::{Value, json};

use crate::World;
use crate::city::{
    PASSWORD, console_sign_in, console_sign_out, day_one, forget_cookies, operator, put_all,
    signed_out,
};
use crate::journeys::explained;

/// The console's own requests that answer 401 (nobody signed in yet, a session that
/// ended) or 429 (back-off): the browser logs them as failed loads.
const REFUSED_SESSION: &str = "/api/v1/session - Failed to load resource: *";
const REFUSED_ADMIN: &str = "/api/v1/admin/* - Failed to load resource: *";

pub async fn run(suite: &mut Suite, w: &World) {
    let city = match fresh_city().await {
        Ok(city) => city,
        Err(e) => {
            suite
                .run("a_fresh_city_is_set_up_through_the_api", async { Err(e) })
                .await;
            return;
        }
    };
    suite
        .run(
            "the_loop_from_kiosk_to_unit_operator_to_phone_is_closed_and_audited",
            explained(&w.browser, the_loop(w, &city)),
        )
        .await;
    suite
        .run(
            "the_console_refuses_forged_posts_ended_sessions_and_bursts_of_wrong_passwords",
            explained(&w.browser, refusals(w, &city)),
        )
        .await;
    suite
        .run(
            "the_console_is_usable_by_keyboard_alone",
            explained(&w.browser, keyboard(&w.browser, &city)),
        )
        .await;
    suite
        .run(
            "axe_finds_no_violations_on_any_console_screen",
            explained(&w.browser, axe_everywhere(&w.browser, &city)),
        )
        .await;
    suite
        .run(
            "the_console_editors_and_actions_save",
            explained(&w.browser, editors(&w.browser, &city)),
        )
        .await;
    put_phone_away(&w.browser).await.ok();
    let mut city = city;
    city.stop().await;
}

/// A city on day one: no demo data; a unit, a category routed to it, a second unit with
/// its own operator, and an admin, set up through the admin API.
async fn fresh_city() -> Result<TestServer> {
    let city = day_one().await?;
    put_all(
        &city,
        &[
            (
                "/api/v1/admin/units/urban".into(),
                json!({"name_zh": "聊城市城市管理局", "name_en": "Urban Management Bureau"}),
            ),
            (
                "/api/v1/admin/units/housing".into(),
                json!({"name_zh": "聊城市住房和城乡建设局", "name_en": "Housing Bureau"}),
            ),
            (
                "/api/v1/admin/categories/parking".into(),
                json!({"name_zh": "停车难", "name_en": "Parking difficulty", "unit": "urban"}),
            ),
            operator("li.urban", "unit", Some("urban")),
            operator("zhou.housing", "unit", Some("housing")),
            operator("wu.keys", "unit", Some("urban")),
            operator("gao.burst", "unit", Some("urban")),
            operator("chief", "admin", None),
        ],
    )
    .await?;
    Ok(city)
}

async fn the_loop(w: &World, city: &TestServer) -> Result<()> {
    let b = &w.browser;
    b.expect_console_error(REFUSED_SESSION);
    put_phone_away(b).await?;
    let kiosk_window = b.client.window().await?;

    // The kiosk shows the figures of a city with no issues yet.
    b.open(&format!("{}/?idle=900", city.origin())).await?;
    b.click("attract-start").await?;
    b.click("nav-figures").await?;
    let before = b.wait_text("figure-response", |t| !t.is_empty()).await?;

    // A visitor reports at the kiosk, leaving a phone number for a call-back.
    b.click("nav-report").await?;
    b.wait_for("[data-testid=report-category] option[value=parking]")
        .await?;
    b.testid("report-category")
        .await?
        .select_by_value("parking")
        .await?;
    let description = "小区门口违章停车严重，消防通道被堵";
    b.type_into("report-description", description).await?;
    b.type_into("report-place", "东昌府区柳园街道").await?;
    b.type_into("report-name", "王秀兰").await?;
    b.type_into("report-phone", "13800138000").await?;
    b.click("report-consent").await?;
    tokio::time::sleep(Duration::from_millis(2_100)).await;
    b.click("report-submit").await?;
    let tracking = b
        .wait_text("receipt-number", |t| t.starts_with("OM-"))
        .await?;
    let lookup = qr::scan(b, "[data-testid=receipt-qr]").await?;
    b.click("nav-figures").await?;
    let reported = b
        .wait_text("figure-response", |t| t != before && !t.is_empty())
        .await?;
    if reported != "0.0%" {
        return Err(format!("one unanswered issue shows a response rate of {reported}").into());
    }

    // The responsible unit's operator signs in, in another window, and works the issue.
    let console_window = b.client.new_window(false).await?.handle;
    b.client.switch_to_window(console_window.clone()).await?;
    console_sign_in(b, city, "li.urban").await?;
    b.wait_for(&format!(
        "[data-testid=inbox-row][data-tracking-no='{tracking}']"
    ))
    .await?;
    b.wait_for(&format!(
        "[data-testid=inbox-row][data-tracking-no='{tracking}'] [data-testid=inbox-open]"
    ))
    .await?
    .click()
    .await?;
    b.wait_text("issue-description", |t| t.contains(description))
        .await?;
    b.click("action-accept").await?;
    b.wait_text("issue-status", |t| t.contains("已受理"))
        .await?;
    let answer = "已安排城管队员清理占道车辆，并在门口增设禁停标志。";
    b.type_into("answer-input", answer).await?;
    b.click("action-answer").await?;
    b.wait_text("issue-status", |t| t.contains("公开答复"))
        .await?;
    b.click("contact-reveal").await?;
    b.wait_text("contact-phone", |t| t.contains("13800138000"))
        .await?;

    // Another unit's operator: not in their list, and 403 from the API.
    let (cookie, _) = sign_in(city.addr(), "zhou.housing", PASSWORD).await?;
    let (status, page) = request(
        city.addr(),
        "GET",
        "/api/v1/admin/issues",
        &[("Cookie", &cookie)],
        "",
    )
    .await?;
    if status != 200 || page.contains(&tracking) {
        return Err(format!("another unit's inbox ({status}) lists the issue: {page}").into());
    }
    let (status, _) = request(
        city.addr(),
        "GET",
        &format!("/api/v1/admin/issues/{tracking}"),
        &[("Cookie", &cookie)],
        "",
    )
    .await?;
    if status != 403 {
        return Err(format!("another unit's operator got {status}, not 403").into());
    }

    // The kiosk's figure changed while it stood there: no reload.
    b.client.switch_to_window(kiosk_window.clone()).await?;
    b.wait_text("figure-response", |t| t == "100.0%").await?;

    // The visitor's phone, opened at the receipt's QR code, shows the answer.
    b.client.switch_to_window(console_window.clone()).await?;
    hold_phone(b).await?;
    b.open(&lookup).await?;
    b.wait_text("lookup-answer", |t| t.contains(answer)).await?;
    b.wait_text("lookup-status", |t| t.contains("已答复"))
        .await?;
    put_phone_away(b).await?;

    // The admin reads each step in the audit log.
    console_sign_in(b, city, "chief").await?;
    b.client
        .goto(&format!("{}/console/#/audit", city.origin()))
        .await?;
    b.type_into("audit-filter-issue", &tracking).await?;
    b.click("audit-filter-apply").await?;
    let rows = b
        .wait_script(
            "return [...document.querySelectorAll('[data-testid=audit-row]')]\
             .map(r => r.innerText).join('\\n');",
            |v| {
                v.as_str()
                    .is_some_and(|t| t.matches("li.urban").count() >= 3)
            },
        )
        .await?;
    let rows = rows.as_str().unwrap_or_default();
    for step in ["visitor", "received → accepted", "accepted → answered"] {
        if !rows.contains(step) {
            return Err(format!("the audit log lacks {step:?}:\n{rows}").into());
        }
    }
    console_sign_out(b).await?;
    b.client.close_window().await?;
    b.client.switch_to_window(kiosk_window).await?;
    Ok(())
}

async fn refusals(w: &World, city: &TestServer) -> Result<()> {
    let b = &w.browser;
    b.expect_console_error(REFUSED_SESSION);
    b.expect_console_error(REFUSED_ADMIN);
    b.expect_console_error(&format!("{}/*", w.host.origin()));
    let receipt = submit(city).await?;

    // A page on another origin of the same site posts a form to the admin API while the
    // operator is signed in: the cookie goes along, the CSRF token cannot.
    console_sign_in(b, city, "li.urban").await?;
    b.client.goto(&w.host.origin()).await?;
    b.script(&format!(
        "const f = document.createElement('form');\
         f.method = 'POST'; f.enctype = 'text/plain';\
         f.action = '{}/api/v1/admin/issues/{receipt}/status';\
         const i = document.createElement('input');\
         i.name = '{{\"status\":\"closed\",\"x\":\"'; i.value = '\"}}';\
         f.appendChild(i); document.body.appendChild(f); f.submit();",
        city.origin()
    ))
    .await?;
    b.wait_script(
        "return document.body ? document.body.innerText : '';",
        |v| v.as_str().is_some_and(|t| t.contains("csrf-rejected")),
    )
    .await?;
    let (_, view) = request(
        city.addr(),
        "GET",
        &format!("/api/v1/issues/{receipt}"),
        &[],
        "",
    )
    .await?;
    if !view.contains("\"status\":\"received\"") {
        return Err(format!("the forged post changed the issue: {view}").into());
    }
    let (cookie, csrf) = sign_in(city.addr(), "li.urban", PASSWORD).await?;
    let path = format!("/api/v1/admin/issues/{receipt}/status");
    let (status, _) = request(
        city.addr(),
        "POST",
        &path,
        &[("Cookie", &cookie), ("Origin", &w.host.origin())],
        r#"{"status":"accepted"}"#,
    )
    .await?;
    if status != 403 {
        return Err(format!("a cross-origin post without the token got {status}").into());
    }

    // The session ends: the console says so and asks to sign in again.
    b.client
        .goto(&format!("{}/console/#/inbox", city.origin()))
        .await?;
    b.wait_for("[data-testid=inbox-row]").await?;
    let clock = city.clock().ok_or("the city's server is not running")?;
    let session_life = 8 * 3600 + 1;
    clock.advance(session_life);
    let ended = async {
        // The next thing the operator opens finds the session over.
        b.client
            .goto(&format!("{}/console/#/figures", city.origin()))
            .await?;
        b.wait_text("signin-notice", |t| {
            t.contains("会话已结束") || t.contains("重新登录")
        })
        .await?;
        let (status, _) = request(
            city.addr(),
            "POST",
            &path,
            &[("Cookie", &cookie), ("X-CSRF-Token", &csrf)],
            r#"{"status":"accepted"}"#,
        )
        .await?;
        if status != 401 {
            return Err::<(), Error>(format!("an ended session's write got {status}").into());
        }
        Ok(())
    }
    .await;
    clock.advance(-session_life);
    ended?;

    // A burst of wrong passwords: then even the right one waits.
    b.wait_for("[data-testid=signin-login]").await?;
    b.type_into("signin-login", "gao.burst").await?;
    for _ in 0..5 {
        let field = b.testid("signin-password").await?;
        field.clear().await?;
        field.send_keys("not-the-password").await?;
        b.click("signin-submit").await?;
        // Each attempt is answered before the next: a click on the busy button is lost.
        answered(b).await?;
        b.wait_for("[data-testid=signin-error]").await?;
    }
    // The wait after a burst is a second or two; the server's clock goes back half a minute
    // so that a slow machine cannot let it run out before the right password is tried.
    clock.advance(-30);
    let right = async {
        let field = b.testid("signin-password").await?;
        field.clear().await?;
        field.send_keys(PASSWORD).await?;
        b.click("signin-submit").await?;
        answered(b).await?;
        b.wait_text("signin-error", |t| {
            t.contains("尝试次数过多") || t.contains("秒")
        })
        .await?;
        Ok::<(), Error>(())
    }
    .await;
    clock.advance(30);
    right?;
    // The back-off counts per address too, and every scenario comes from this one: past the
    // wait, the right password signs in and forgives it, so nothing that follows waits.
    clock.advance(60);
    let forgiven = sign_in(city.addr(), "gao.burst", PASSWORD).await;
    clock.advance(-60);
    forgiven?;
    forget_cookies(b).await?;
    Ok(())
}

/// Waits until the sign-in form has its answer: its button is no longer busy.
async fn answered(b: &Browser) -> Result<()> {
    b.wait_script(
        "const button = document.querySelector('[data-testid=signin-submit]');\
         return !button || !button.disabled;",
        |v| v.as_bool() == Some(true),
    )
    .await?;
    Ok(())
}

/// An issue filed through the API, as a kiosk would; its tracking number.
async fn submit(city: &TestServer) -> Result<String> {
    let body = json!({"fill_ms": 5000, "category": "parking", "description": "路口两侧长期违停，公交车无法进站",
                      "place": "东昌府区古楼街道"});
    let (status, answer) = request(
        city.addr(),
        "POST",
        "/api/v1/issues",
        &[],
        &body.to_string(),
    )
    .await?;
    if status != 201 {
        return Err(format!("filing an issue answered {status}: {answer}").into());
    }
    let receipt: Value = serde_json::from_str(&answer)?;
    Ok(receipt["tracking_no"]
        .as_str()
        .ok_or("a receipt without a number")?
        .to_owned())
}

/// A key as the keyboard sends it (DevTools input events, so focus moves and buttons
/// activate as they do for a person).
#[derive(Clone, Copy)]
enum Key {
    Tab,
    Enter,
}

async fn press(b: &Browser, key: Key) -> Result<()> {
    let (name, code, text) = match key {
        Key::Tab => ("Tab", 9, ""),
        Key::Enter => ("Enter", 13, "\r"),
    };
    for kind in ["keyDown", "keyUp"] {
        let mut event = json!({"type": kind, "key": name, "code": name,
                               "windowsVirtualKeyCode": code, "nativeVirtualKeyCode": code});
        if kind == "keyDown" && !text.is_empty() {
            event["text"] = json!(text);
        }
        b.cdp("Input.dispatchKeyEvent", event).await?;
    }
    Ok(())
}

/// Types text into the focused field, key by key.
async fn type_focused(b: &Browser, text: &str) -> Result<()> {
    b.cdp("Input.insertText", json!({"text": text})).await?;
    Ok(())
}

/// The `data-testid` of the focused element.
async fn focused(b: &Browser) -> Result<Value> {
    b.script("return document.activeElement ? document.activeElement.dataset.testid || '' : '';")
        .await
}

/// Presses Tab until the focused element has `data-testid` = `id`.
async fn tab_to(b: &Browser, id: &str) -> Result<()> {
    for _ in 0..80 {
        if focused(b).await? == json!(id) {
            return Ok(());
        }
        press(b, Key::Tab).await?;
    }
    Err(format!("Tab never reached {id}").into())
}

async fn keyboard(b: &Browser, city: &TestServer) -> Result<()> {
    b.expect_console_error(REFUSED_SESSION);
    let receipt = submit(city).await?;
    signed_out(b, city).await?;
    tab_to(b, "signin-login").await?;
    type_focused(b, "wu.keys").await?;
    tab_to(b, "signin-password").await?;
    type_focused(b, PASSWORD).await?;
    press(b, Key::Enter).await?;
    b.wait_text("whoami", |t| t.contains("wu.keys")).await?;
    let row = format!("[data-testid=inbox-row][data-tracking-no='{receipt}']");
    b.wait_for(&row).await?;
    // The skip link comes first.
    b.script("document.activeElement && document.activeElement.blur();")
        .await?;
    press(b, Key::Tab).await?;
    if focused(b).await? != json!("skip-link") {
        return Err(format!(
            "the first Tab stop is {}, not the skip link",
            focused(b).await?
        )
        .into());
    }
    // Tab to the issue's link in the inbox and open it with Enter.
    let on_row =
        format!("return !!document.activeElement && !!document.activeElement.closest(\"{row}\");");
    let mut reached = false;
    for _ in 0..120 {
        if b.script(&on_row).await? == json!(true) {
            reached = true;
            break;
        }
        press(b, Key::Tab).await?;
    }
    if !reached {
        return Err("Tab never reached the issue's row".into());
    }
    press(b, Key::Enter).await?;
    b.wait_for("[data-testid=issue-detail]").await?;
    tab_to(b, "action-accept").await?;
    press(b, Key::Enter).await?;
    b.wait_text("issue-status", |t| t.contains("已受理"))
        .await?;
    tab_to(b, "sign-out").await?;
    press(b, Key::Enter).await?;
    b.wait_for("[data-testid=signin-login]").await?;
    Ok(())
}

/// Runs axe on every console screen, signed out and as an admin, in both languages, and
/// saves the README's console screenshots.
async fn axe_everywhere(b: &Browser, city: &TestServer) -> Result<()> {
    b.expect_console_error(REFUSED_SESSION);
    let axe = crate::a11y::axe_source()?;
    let receipt = submit(city).await?;
    let shots = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/screenshots");
    std::fs::create_dir_all(&shots)?;
    let mut found = Vec::new();
    signed_out(b, city).await?;
    for line in crate::a11y::axe(b, &axe).await? {
        found.push(format!("sign-in: {line}"));
    }
    console_sign_in(b, city, "chief").await?;
    for lang in ["zh-CN", "en"] {
        if lang == "en" {
            b.click("lang-switch").await?;
            b.wait_script("return document.documentElement.lang;", |v| v == "en")
                .await?;
        }
        for (name, hash, ready) in [
            ("inbox", "#/inbox".to_owned(), "[data-testid=inbox-row]"),
            (
                "issue",
                format!("#/issues/{receipt}"),
                "[data-testid=issue-detail]",
            ),
            (
                "figures",
                "#/figures".to_owned(),
                "[data-testid=figures-as-of]",
            ),
            ("program", "#/program".to_owned(), "[data-testid=event-new]"),
            (
                "reference",
                "#/reference".to_owned(),
                "[data-testid=reference-row]",
            ),
            (
                "operators",
                "#/operators".to_owned(),
                "[data-testid=operator-row]",
            ),
            ("audit", "#/audit".to_owned(), "[data-testid=audit-row]"),
        ] {
            b.client
                .goto(&format!("{}/console/{hash}", city.origin()))
                .await?;
            b.wait_for(ready).await?;
            for line in crate::a11y::axe(b, &axe).await? {
                found.push(format!("{name} ({lang}): {line}"));
            }
            if matches!(name, "inbox" | "issue" | "figures") {
                std::fs::write(
                    shots.join(format!("console-{name}-{lang}.png")),
                    b.client.screenshot().await?,
                )?;
            }
        }
    }
    b.click("lang-switch").await?;
    console_sign_out(b).await?;
    if found.is_empty() {
        Ok(())
    } else {
        Err(format!("axe found:\n  {}", found.join("\n  ")).into())
    }
}

async fn set_value(b: &Browser, id: &str, value: &str) -> Result<()> {
    b.script(&format!(
        "const e = document.querySelector('[data-testid={id}]');\
         e.value = '{value}'; e.dispatchEvent(new Event('input', {{bubbles: true}}));"
    ))
    .await?;
    Ok(())
}

async fn editors(b: &Browser, city: &TestServer) -> Result<()> {
    b.expect_console_error(REFUSED_SESSION);
    let receipt = submit(city).await?;
    console_sign_in(b, city, "chief").await?;
    // Operators: a new account, refused empty, then saved; then changed to an admin.
    b.client
        .goto(&format!("{}/console/#/operators", city.origin()))
        .await?;
    b.wait_for("[data-testid=operator-row]").await?;
    b.click("operator-new").await?;
    b.click("operator-save").await?;
    b.wait_for("[data-testid=operator-form] [data-testid=field-error]")
        .await?;
    let axe = crate::a11y::axe_source()?;
    let mut found = crate::a11y::axe(b, &axe).await?;
    b.type_into("operator-login", "new.op").await?;
    b.testid("operator-unit")
        .await?
        .select_by_value("urban")
        .await?;
    b.type_into("operator-password", PASSWORD).await?;
    b.click("operator-save").await?;
    b.wait_text("operators-notice", |t| t.contains("new.op"))
        .await?;
    b.wait_for("[data-testid=operator-row][data-login='new.op']")
        .await?;
    b.wait_for("[data-testid=operator-row][data-login='new.op'] [data-testid=operator-edit]")
        .await?
        .click()
        .await?;
    b.testid("operator-role")
        .await?
        .select_by_value("admin")
        .await?;
    if b.count("[data-testid=operator-unit]").await? != 0 {
        return Err("an admin's form still asks for a unit".into());
    }
    b.click("operator-save").await?;
    b.wait_script(
        "const r = document.querySelector(\"[data-testid=operator-row][data-login='new.op']\");\
         return r ? r.innerText : '';",
        |v| v.as_str().is_some_and(|t| t.contains("管理员")),
    )
    .await?;
    // Reference: a new category routed to a unit.
    b.client
        .goto(&format!("{}/console/#/reference", city.origin()))
        .await?;
    b.wait_for("[data-testid=reference-row]").await?;
    b.click("reference-new").await?;
    b.type_into("entry-id", "Bad Id").await?;
    b.click("reference-save").await?;
    b.wait_for("[data-testid=reference-form] [data-testid=field-error]")
        .await?;
    found.extend(crate::a11y::axe(b, &axe).await?);
    b.testid("entry-id").await?.clear().await?;
    b.type_into("entry-id", "noise").await?;
    b.type_into("entry-name-zh", "噪音扰民").await?;
    b.type_into("entry-name-en", "Noise").await?;
    b.testid("entry-unit")
        .await?
        .select_by_value("housing")
        .await?;
    b.click("reference-save").await?;
    b.wait_text("reference-notice", |t| t.contains("noise"))
        .await?;
    b.wait_for("[data-testid=reference-row][data-id=noise]")
        .await?;
    // Program: a new event, refused empty, saved, then cancelled after the question.
    b.client
        .goto(&format!("{}/console/#/program", city.origin()))
        .await?;
    b.wait_for("[data-testid=event-new]").await?;
    b.click("event-new").await?;
    b.click("event-save").await?;
    b.wait_for("[data-testid=event-form] [data-testid=field-error]")
        .await?;
    found.extend(crate::a11y::axe(b, &axe).await?);
    b.type_into("event-title", "开放日测试").await?;
    b.type_into("event-unit", "聊城市城市管理局").await?;
    b.type_into("event-district", "东昌府区").await?;
    b.type_into("event-theme", "城管").await?;
    b.type_into("event-place", "局机关").await?;
    set_value(b, "event-starts", "2030-09-01T09:30").await?;
    set_value(b, "event-ends", "2030-09-01T11:30").await?;
    b.testid("event-capacity").await?.clear().await?;
    b.type_into("event-capacity", "20").await?;
    b.click("event-save").await?;
    b.wait_text("program-notice", |t| t.contains("开放日测试"))
        .await?;
    b.wait_for("[data-testid=event-row] [data-testid=event-cancel]")
        .await?
        .click()
        .await?;
    b.click("event-cancel-confirm").await?;
    b.wait_text("program-notice", |t| {
        t.contains("取消") || t.contains("cancel")
    })
    .await?;
    b.wait_for("[data-testid=program-empty]").await?;
    // The issue: handed to another unit, then its text hidden.
    b.client
        .goto(&format!("{}/console/#/issues/{receipt}", city.origin()))
        .await?;
    b.wait_for("[data-testid=issue-detail]").await?;
    b.click("action-route").await?;
    b.wait_for("[data-testid=field-error]").await?;
    found.extend(crate::a11y::axe(b, &axe).await?);
    b.testid("route-unit")
        .await?
        .select_by_value("housing")
        .await?;
    b.type_into("route-reason", "属于住建部门职责").await?;
    b.click("action-route").await?;
    b.wait_text("issue-unit", |t| t.contains("住房")).await?;
    b.wait_text("issue-notice", |t| !t.is_empty()).await?;
    b.type_into("moderation-reason", "含有个人信息").await?;
    b.click("action-hide").await?;
    b.wait_for("[data-testid=issue-hidden]").await?;
    if !found.is_empty() {
        return Err(format!("axe: {found:?}").into());
    }
    // The inbox filters by the new unit.
    b.client
        .goto(&format!("{}/console/#/inbox", city.origin()))
        .await?;
    b.wait_for("[data-testid=inbox-row]").await?;
    b.testid("inbox-filter-unit")
        .await?
        .select_by_value("housing")
        .await?;
    b.wait_for(&format!(
        "[data-testid=inbox-row][data-tracking-no='{receipt}']"
    ))
    .await?;
    b.type_into("inbox-filter-days", "x").await.ok();
    console_sign_out(b).await?;
    Ok(())
}
