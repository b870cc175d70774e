//! Journeys that leave the kiosk: a QR code scanned by a phone, a deep link opened on it,
//! and refusals the visitor must be told about in words. Each walks the way a person does:
//! the QR code is decoded from what the kiosk's screen shows, and its URL is opened on a
//! phone-sized, touch page.

use omk_e2e::http::request;
use omk_e2e::phone::{expect_no_idle_guard, hold_phone, put_phone_away};
use omk_e2e::{Browser, Result, Suite, qr};
use serde_json::{Value, json};

use crate::World;
use crate::city::as_admin;
use crate::slice::report_issue;

/// Every journey scenario.
pub async fn run(suite: &mut Suite, w: &World) {
    suite
        .run(
            "receipt_qr_opens_the_issue_on_a_phone_and_shows_the_answer",
            explained(&w.browser, receipt_qr(w)),
        )
        .await;
    suite
        .run(
            "event_qr_opens_the_event_on_a_phone_with_its_calendar_entry",
            explained(&w.browser, event_qr(w)),
        )
        .await;
    suite
        .run(
            "phone_program_is_one_column_with_filters_behind_a_disclosure",
            explained(&w.browser, phone_program(w)),
        )
        .await;
    suite
        .run(
            "registration_answers_update_the_seats_and_full_is_said_in_both_languages",
            explained(&w.browser, full_event(w)),
        )
        .await;
    suite
        .run("closed_registration_has_its_own_message", closed_event(w))
        .await;
    put_phone_away(&w.browser).await.ok();
}

/// The scenario's outcome; a failure also says what the page showed then.
pub(crate) async fn explained(
    b: &Browser,
    scenario: impl std::future::Future<Output = Result<()>>,
) -> Result<()> {
    let Err(error) = scenario.await else {
        return Ok(());
    };
    let shown = b
        .script("return document.body ? document.body.innerText.slice(0, 600) : '';")
        .await
        .unwrap_or_default();
    Err(format!("{error}\n  the page showed: {shown}").into())
}

/// The visitor at the kiosk reports an issue, scans the receipt's QR code, and follows it
/// on the phone until an operator has answered.
async fn receipt_qr(w: &World) -> Result<()> {
    let b = &w.browser;
    put_phone_away(b).await?;
    b.start_kiosk(&w.server.origin()).await?;
    let tracking = match report_issue(w, "柳园街道路灯坏了三盏，夜里行人看不清路", None).await
    {
        Ok(tracking) => tracking,
        Err(e) => {
            let page = b.script("return document.body.innerText;").await?;
            return Err(format!("{e}; the page said {page}").into());
        }
    };
    let scanned = qr::scan(b, "[data-testid=receipt-qr]").await?;
    let expected = format!("{}/?view=lookup&number={tracking}", w.server.origin());
    if scanned != expected {
        return Err(format!("the receipt's QR code says {scanned:?}, not {expected:?}").into());
    }

    hold_phone(b).await?;
    b.open(&scanned).await?;
    b.wait_text("lookup-status", |t| t == "已受理登记").await?;
    b.wait_text("lookup-number-shown", |t| t == tracking)
        .await?;
    b.wait_text("lookup-created", |t| t.starts_with("提交时间："))
        .await?;
    expect_phone_page(b).await?;
    if b.count("[data-testid=lookup-answer]").await? != 0 {
        return Err("an answer is shown before any operator answered".into());
    }

    let answer = "已安排市政维修，三日内修复";
    operator_moves(w, &tracking, "accepted", None).await?;
    operator_moves(w, &tracking, "answered", Some(answer)).await?;
    b.client.refresh().await?;
    b.wait_text("lookup-status", |t| t == "已答复").await?;
    b.wait_text("lookup-answer", |t| t == answer).await?;

    // Another number, typed on the same page: an unknown one is said in words.
    b.expect_console_error("/api/v1/issues/OM-");
    b.type_into("lookup-number", "OM-0000-0000").await?;
    b.click("lookup-submit").await?;
    b.wait_text("lookup-missing", |t| t == "没有找到这个编号，请核对后再试")
        .await?;
    b.click("lang-toggle").await?;
    b.wait_text("lookup-missing", |t| {
        t == "No issue has this number; please check it and try again"
    })
    .await?;

    // A phone page is not a kiosk: even asked for a short idle time, no idle guard watches
    // it, so nobody's session is reset under them.
    b.open(&format!("{scanned}&idle=5&idle_warning_secs=1"))
        .await?;
    b.wait_text("lookup-answer", |t| t == answer).await?;
    expect_no_idle_guard(b).await?;
    put_phone_away(b).await?;
    println!("  {tracking}: received, then answered, on a 390×844 touch page");
    Ok(())
}

/// A visitor opens an event at the kiosk, scans its QR code, and has it on the phone.
async fn event_qr(w: &World) -> Result<()> {
    let b = &w.browser;
    let event = create_event(w, "市政务服务中心开放日：走进12345热线", 40).await?;
    let id = event["id"].as_i64().ok_or("the created event has no id")?;
    put_phone_away(b).await?;
    b.open(&format!("{}/?view=events&event={id}", w.server.origin()))
        .await?;
    b.wait_text("event-title", |t| {
        t == "市政务服务中心开放日：走进12345热线"
    })
    .await?;
    let scanned = qr::scan(b, "[data-testid=event-qr]").await?;
    let expected = format!("{}/?view=events&event={id}", w.server.origin());
    if scanned != expected {
        return Err(format!("the event's QR code says {scanned:?}, not {expected:?}").into());
    }

    hold_phone(b).await?;
    b.open(&scanned).await?;
    b.wait_text("event-title", |t| {
        t == "市政务服务中心开放日：走进12345热线"
    })
    .await?;
    b.wait_text("event-seats", |t| t == "剩余 40 个名额")
        .await?;
    expect_phone_page(b).await?;
    let calendar = b
        .script("return document.querySelector('[data-testid=event-calendar]').href;")
        .await?;
    let calendar = calendar.as_str().unwrap_or_default().to_owned();
    let path = calendar
        .strip_prefix(&w.server.origin())
        .ok_or_else(|| format!("the calendar link {calendar:?} leaves the server"))?;
    if path != format!("/api/v1/events/{id}/calendar.ics") {
        return Err(format!("the calendar link is {path:?}").into());
    }
    let (status, body) = request(w.server.addr(), "GET", path, &[], "").await?;
    if status != 200 || !body.contains("SUMMARY:市政务服务中心开放日：走进12345热线")
    {
        return Err(format!("the calendar entry answered {status}: {body}").into());
    }
    let register = b.testid("event-register").await?;
    if register.text().await? != "我要报名" || !register.is_enabled().await? {
        return Err("the phone page offers no registration".into());
    }

    // An event that is not there is said in words, above the whole program.
    b.expect_console_error("/api/v1/events/999999");
    b.open(&format!("{}/?view=events&event=999999", w.server.origin()))
        .await?;
    b.wait_text("event-missing", |t| {
        t == "没有找到这场活动，可能已被取消。以下是全部活动。"
    })
    .await?;
    b.wait_for("[data-testid=event-card]").await?;
    put_phone_away(b).await?;
    println!("  event {id}: QR code → {scanned}");
    Ok(())
}

/// On a phone the program comes first, in one column, with the filters folded away.
async fn phone_program(w: &World) -> Result<()> {
    let b = &w.browser;
    hold_phone(b).await?;
    b.open(&format!("{}/?view=events", w.server.origin()))
        .await?;
    b.wait_for("[data-testid=event-card]").await?;
    expect_phone_page(b).await?;
    let layout = b
        .script(
            "const cards = [...document.querySelectorAll('[data-testid=event-card]')];
             const lefts = new Set(cards.map(c => Math.round(c.getBoundingClientRect().left)));
             const panel = document.querySelector('[data-testid=filters-panel]');
             return { cards: cards.length, columns: lefts.size,
                      panel: getComputedStyle(panel).display,
                      subtitle: getComputedStyle(document.querySelector('.omk-subtitle')).display };",
        )
        .await?;
    if layout["columns"] != json!(1) || layout["panel"] != json!("none") {
        return Err(format!("not one column with folded filters: {layout}").into());
    }
    if layout["subtitle"] != json!("none") {
        return Err(format!("the header is not compact: {layout}").into());
    }
    b.wait_text("filter-toggle", |t| t == "筛选").await?;
    b.click("filter-toggle").await?;
    b.wait_script(
        "return getComputedStyle(document.querySelector('[data-testid=filters-panel]')).display;",
        |v| v != "none",
    )
    .await?;
    b.click("when-past").await?;
    b.wait_text("filter-toggle", |t| t == "筛选 · 已选 1 项")
        .await?;
    b.click("days-today").await?;
    b.wait_text("filter-toggle", |t| t == "筛选 · 已选 2 项")
        .await?;

    // The seniors' mode and high contrast hold on a phone too: bigger targets, one column.
    b.click("toggle-seniors").await?;
    b.click("toggle-contrast").await?;
    b.wait_script(
        "const o = document.querySelector('.omk');
         return o.classList.contains('omk-seniors') && o.classList.contains('omk-contrast');",
        |v| v == true,
    )
    .await?;
    expect_phone_page(b).await?;
    let target = b
        .script(
            "return document.querySelector('[data-testid=filter-toggle]').getBoundingClientRect().height;",
        )
        .await?;
    if target.as_f64().unwrap_or_default() < 64.0 {
        return Err(format!("seniors' targets are {target} px high on a phone").into());
    }
    b.click("toggle-seniors").await?;
    b.click("toggle-contrast").await?;
    put_phone_away(b).await?;
    Ok(())
}

/// Registering: the receipt sets the seats; when someone else took the last ones, the
/// visitor is told the event is fully booked, in either language.
async fn full_event(w: &World) -> Result<()> {
    let b = &w.browser;
    let event = create_event(w, "东昌府区法院庭审旁听", 3).await?;
    let id = event["id"].as_i64().ok_or("the created event has no id")?;
    let url = format!("{}/?view=events&event={id}", w.server.origin());
    put_phone_away(b).await?;
    b.open(&url).await?;
    b.wait_text("event-seats", |t| t == "剩余 3 个名额").await?;
    b.click("event-register").await?;
    b.wait_text("register-outcome", |t| {
        t.starts_with("报名成功！入场码 RG-")
    })
    .await?;
    b.wait_text("event-seats", |t| t == "剩余 2 个名额").await?;

    b.client.refresh().await?;
    b.wait_text("event-seats", |t| t == "剩余 2 个名额").await?;
    // Meanwhile, another kiosk takes the last two seats.
    let (status, body) = request(
        w.server.addr(),
        "POST",
        &format!("/api/v1/events/{id}/registrations"),
        &[],
        r#"{"seats":2}"#,
    )
    .await?;
    if status != 201 {
        return Err(format!("the other kiosk's registration answered {status}: {body}").into());
    }
    b.expect_console_error(&format!("/api/v1/events/{id}/registrations"));
    b.click("event-register").await?;
    b.wait_text("register-outcome", |t| t == "该活动名额已满")
        .await?;
    b.wait_text("event-register", |t| t == "名额已满").await?;
    b.wait_text("event-seats", |t| t == "名额已满").await?;
    if b.testid("event-register").await?.is_enabled().await? {
        return Err("a fully booked event still offers registration".into());
    }
    b.click("lang-toggle").await?;
    b.wait_text("register-outcome", |t| t == "This event is fully booked")
        .await?;
    b.wait_text("event-register", |t| t == "Fully booked")
        .await?;
    b.wait_text("event-seats", |t| t == "Fully booked").await?;
    b.click("lang-toggle").await?;
    Ok(())
}

/// Registration closed by an operator while the detail is open is said as closed, not full.
async fn closed_event(w: &World) -> Result<()> {
    let b = &w.browser;
    let event = create_event(w, "市生态环境局开放日", 30).await?;
    let id = event["id"].as_i64().ok_or("the created event has no id")?;
    put_phone_away(b).await?;
    b.open(&format!("{}/?view=events&event={id}", w.server.origin()))
        .await?;
    b.wait_text("event-seats", |t| t == "剩余 30 个名额")
        .await?;
    let mut closed = event_input("市生态环境局开放日", 30);
    closed["registration"] = json!(false);
    as_admin(
        &w.server,
        "PUT",
        &format!("/api/v1/admin/events/{id}"),
        &closed,
    )
    .await?;
    b.expect_console_error(&format!("/api/v1/events/{id}/registrations"));
    b.click("event-register").await?;
    b.wait_text("register-outcome", |t| t == "该活动目前不接受报名")
        .await?;
    b.wait_text("event-register", |t| t == "报名已截止").await?;
    b.click("lang-toggle").await?;
    b.wait_text("register-outcome", |t| {
        t == "This event does not take registrations now"
    })
    .await?;
    b.wait_text("event-register", |t| t == "Registration closed")
        .await?;
    b.click("lang-toggle").await?;
    Ok(())
}

/// What every phone page must be: no attract screen, no kiosk navigation, nothing wider
/// than the phone.
async fn expect_phone_page(b: &Browser) -> Result<()> {
    let page = b
        .script(
            "return { attract: document.querySelectorAll('[data-testid=attract]').length,
                      nav: document.querySelectorAll('[data-testid=nav-events]').length,
                      width: window.innerWidth,
                      scroll: document.documentElement.scrollWidth,
                      wide: [...document.querySelectorAll('.omk *')]
                          .filter(e => e.getBoundingClientRect().right > 391)
                          .slice(0, 5)
                          .map(e => e.tagName + '.' + e.className + ' ' + (e.dataset.testid || '') + ' '
                                    + Math.round(e.getBoundingClientRect().right)) };",
        )
        .await?;
    if page["attract"] != json!(0) || page["nav"] != json!(0) {
        return Err(format!("a phone page shows kiosk parts: {page}").into());
    }
    expect_no_idle_guard(b).await?;
    if page["width"] != json!(390) || page["scroll"].as_i64() > page["width"].as_i64() {
        return Err(format!("the page is wider than the phone: {page}").into());
    }
    Ok(())
}

/// The fields of an upcoming event that takes registrations.
fn event_input(title: &str, capacity: i64) -> Value {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default();
    json!({
        "title": title,
        "unit": "聊城市人民政府办公室",
        "district": "东昌府区",
        "theme": "政务公开",
        "place": "聊城市政务服务中心三楼",
        "starts_at": now + 2 * 86_400,
        "ends_at": now + 2 * 86_400 + 7_200,
        "capacity": capacity,
        "registration": true,
        "summary": "市民走进政府机关，面对面交流。",
    })
}

/// Creates an event through the admin API, as an operator loading the program.
async fn create_event(w: &World, title: &str, capacity: i64) -> Result<Value> {
    as_admin(
        &w.server,
        "POST",
        "/api/v1/admin/events",
        &event_input(title, capacity),
    )
    .await
}

/// Moves an issue through the admin API, as the unit that answers it.
async fn operator_moves(
    w: &World,
    tracking: &str,
    status: &str,
    answer: Option<&str>,
) -> Result<()> {
    let body = json!({ "status": status, "answer": answer });
    as_admin(
        &w.server,
        "POST",
        &format!("/api/v1/admin/issues/{tracking}/status"),
        &body,
    )
    .await
    .map(drop)
}
