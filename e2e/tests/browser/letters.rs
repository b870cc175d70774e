//! The mayor's mailbox as people use it, on a city's fresh database: a visitor writes a
//! public and a private letter at the kiosk and follows both on a phone from the receipts'
//! QR codes; an admin accepts and routes them, the unit's operator replies, a moderator
//! publishes the public one as approved (the private one cannot be), the writer rates both
//! on the phone and the "not satisfied" one reaches the supervisor. Then a stranger, with no
//! code, sees the public letter as approved on the kiosk, a phone and the hall display, and
//! nothing of the private one or of either writer; and the month's figures on the kiosk are
//! what the letters' own history gives. The moderator also promotes the public letter to a
//! proposal for the month's topic in the console: the letter names the proposal, and the
//! proposals queue says it came from that letter (the public list, from a letter only); and
//! promotes a visitor's comment on an opinion collection, once published, the same way.

use std::time::Duration;

use omk_e2e::http::{request, sign_in};
use omk_e2e::phone::{expect_no_idle_guard, hold_phone, put_phone_away};
use omk_e2e::{Browser, Result, Suite, TestServer, qr};
use serde_json::{Value, json};

use crate::World;
use crate::a11y::AxeLog;
use crate::city::{ADMIN_TOKEN, PASSWORD, as_admin, console_sign_in, day_one, operator, put_all};
use crate::journeys::explained;

/// The console asks for its session before anyone signed in: 401, logged as a failed load.
const REFUSED_SESSION: &str = "/api/v1/session - Failed to load resource: *";

/// The unit both letters are routed to.
const UNIT: &str = "transport";

/// Operators by role: the admin reviews, the unit's operator replies, the moderator publishes,
/// the supervisor reads the supervision list.
const ADMIN: &str = "chief";
const UNIT_OPERATOR: &str = "zhao.transport";
const MODERATOR: &str = "mei.moderator";
const SUPERVISOR: &str = "sun.supervisor";

/// A day, in seconds.
const DAY: i64 = 86_400;
/// Days from writing to the reply: the public letter's and the private one's.
const PUBLIC_DAYS: i64 = 2;
const PRIVATE_DAYS: i64 = 5;

/// A letter as its writer types it at the kiosk.
struct Letter {
    kind: &'static str,
    title: &'static str,
    text: &'static str,
    name: &'static str,
    phone: &'static str,
    may_publish: bool,
    reply: &'static str,
}

/// The public letter: its text names its writer, so the moderator approves a text without.
const PUBLIC: Letter = Letter {
    kind: "suggestion",
    title: "建议增开东昌府区夜班公交线路",
    text: "我叫王建国，在开发区上夜班，晚上九点以后东昌府区没有公交车，下班只能步行回家。希望增开夜班线路。",
    name: "王建国",
    phone: "13800138000",
    may_publish: true,
    reply: "已规划K9夜班线路，自下月起每晚九点至十二点每半小时一班，途经开发区和东昌府区。",
};

/// The approved public version of the public letter: no name.
const PUBLIC_TITLE: &str = "建议增开夜班公交线路";
const PUBLIC_TEXT: &str =
    "在开发区上夜班的职工晚上九点以后没有公交车回东昌府区，只能步行回家，希望增开夜班线路。";

/// The private letter: its reply is its writer's, shown only with its code.
const PRIVATE: Letter = Letter {
    kind: "complaint",
    title: "12路公交车多次甩站不停靠",
    text: "我每天早上七点在柳园路口等12路公交车，本周有三次车辆不进站直接开走，导致上班迟到。",
    name: "赵秀英",
    phone: "13912345678",
    may_publish: false,
    reply: "已约谈12路公交公司，对相关司机进行处理，并在柳园路口站增设早高峰监督员。",
};

/// The district of the promoted proposal.
const DISTRICT: &str = "dongchangfu";

/// The proposal the moderator words for the public letter.
const PROPOSAL_TITLE: &str = "增开夜班公交线路";
const PROPOSAL_TEXT: &str = "开发区夜班职工晚上九点后无公交车回东昌府区，建议增开夜班公交线路。";

/// Why the private letter's writer is not satisfied.
const REASON: &str = "这周甩站仍然发生了两次，监督员也没有见到。";

/// What the walk leaves for the stranger's scenario: the letters' codes.
struct Walked {
    public: String,
    private: String,
}

pub async fn run(suite: &mut Suite, w: &World) {
    let mut city = match fresh_city().await {
        Ok(city) => city,
        Err(e) => {
            suite
                .run("a_fresh_mailbox_city_is_set_up_through_the_api", async {
                    Err(e)
                })
                .await;
            return;
        }
    };
    let mut walked = None;
    suite
        .run(
            "a_public_and_a_private_letter_walk_from_kiosk_to_console_to_phone_and_supervision",
            explained(&w.browser, async {
                walked = Some(walk(&w.browser, &city).await?);
                Ok(())
            }),
        )
        .await;
    suite
        .run(
            "a_stranger_sees_the_approved_public_letter_and_the_month_s_letter_figures_only",
            explained(&w.browser, async {
                let walked = walked
                    .as_ref()
                    .ok_or("the letters' walk did not get this far")?;
                stranger(&w.browser, &city, walked).await
            }),
        )
        .await;
    suite
        .run(
            "a_published_comment_is_promoted_to_a_topic_proposal_like_a_letter",
            explained(&w.browser, comment(&w.browser, &city)),
        )
        .await;
    put_phone_away(&w.browser).await.ok();
    city.stop().await;
}

/// A city on day one: no demo data; a unit, a district, an operator of each role and the
/// month's cycle (taking proposals), set up through the admin API. Its clock stands still at
/// 10:00 (UTC+8) on the first day of a month to come, so that each step happens when the
/// test says and the month's figures are the test's own.
async fn fresh_city() -> Result<TestServer> {
    let city = day_one().await?;
    let clock = city.clock().ok_or("the city's server is not running")?;
    clock.stop();
    let later = omk_api::mailbox::month_of(clock.now() + 40 * DAY);
    let (first, _) = omk_api::mailbox::month_span(&later).ok_or("no such month")?;
    clock.advance(first + 10 * 3600 - clock.now());
    put_all(
        &city,
        &[
            (
                format!("/api/v1/admin/units/{UNIT}"),
                json!({"name_zh": "聊城市交通运输局", "name_en": "Transport Bureau"}),
            ),
            (
                format!("/api/v1/admin/districts/{DISTRICT}"),
                json!({"name_zh": "东昌府区", "name_en": "Dongchangfu"}),
            ),
            operator(ADMIN, "admin", None),
            operator(UNIT_OPERATOR, "unit", Some(UNIT)),
            operator(MODERATOR, "moderator", None),
            operator(SUPERVISOR, "supervisor", None),
        ],
    )
    .await?;
    // The month's cycle, soliciting proposals: a planned day for each stage, in order.
    let month = omk_api::mailbox::month_of(clock.now());
    let days = ["01", "08", "12", "20", "22", "25", "27", "28"];
    let plan: Vec<Value> = omk_api::cycle::CycleStage::ALL
        .iter()
        .zip(days)
        .map(|(stage, day)| json!({"stage": stage, "day": format!("{month}-{day}")}))
        .collect();
    as_admin(
        &city,
        "POST",
        "/api/v1/admin/cycles",
        &json!({"month": month, "plan": plan}),
    )
    .await?;
    Ok(city)
}

/// Moves the city's clock on.
fn later(city: &TestServer, days: i64) -> Result<()> {
    city.clock()
        .ok_or("the city's server is not running")?
        .advance(days * DAY);
    Ok(())
}

/// Signs in through the console's form and opens the letters screen.
async fn console_letters(b: &Browser, city: &TestServer, login: &str) -> Result<()> {
    console_sign_in(b, city, login).await?;
    b.click("nav-letters").await?;
    b.wait_for("[data-testid=letter-row]").await?;
    Ok(())
}

/// Opens a letter from the console's list and waits until its state reads `state`.
async fn open_letter(b: &Browser, code: &str, state: &str) -> Result<()> {
    b.wait_for(&format!(
        "[data-testid=letter-row][data-code='{code}'] [data-testid=letter-open]"
    ))
    .await?
    .click()
    .await?;
    b.wait_script(
        &format!(
            "const p = document.querySelector('[data-testid=letter-panel]');\
             return p && p.innerText.includes({code:?}) ? p.innerText : '';"
        ),
        |v| v.as_str().is_some_and(|t| !t.is_empty()),
    )
    .await?;
    b.wait_text("letter-detail-state", |t| t.contains(state))
        .await?;
    Ok(())
}

/// Writes `letter` at the kiosk's mailbox; its code, and the URL its receipt's QR code
/// carries.
async fn write(b: &Browser, letter: &Letter) -> Result<(String, String)> {
    b.wait_for(&format!(
        "[data-testid=letter-kind] option[value={}]",
        letter.kind
    ))
    .await?;
    b.testid("letter-kind")
        .await?
        .select_by_value(letter.kind)
        .await?;
    b.type_into("letter-title", letter.title).await?;
    b.type_into("letter-text", letter.text).await?;
    b.type_into("letter-name", letter.name).await?;
    b.type_into("letter-phone", letter.phone).await?;
    if letter.may_publish {
        b.click("letter-may-publish").await?;
    }
    b.click("letter-submit").await?;
    let code = b.wait_text("letter-code", |t| t.starts_with("ML-")).await?;
    let scanned = qr::scan(b, "[data-testid=letter-qr]").await?;
    Ok((code, scanned))
}

/// Opens a letter's link on the phone and waits until its state reads `state`.
async fn on_phone(b: &Browser, link: &str, code: &str, state: &str) -> Result<()> {
    hold_phone(b).await?;
    b.open(link).await?;
    expect_no_idle_guard(b).await?;
    b.wait_text("letter-code-shown", |t| t == code).await?;
    b.wait_text("letter-state", |t| t == state).await?;
    Ok(())
}

/// The visitor writes both letters at the kiosk and follows them on the phone; operators
/// review, reply and publish in the console; the writer rates on the phone; the supervisor
/// reads the "not satisfied" one.
async fn walk(b: &Browser, city: &TestServer) -> Result<Walked> {
    b.expect_console_error(REFUSED_SESSION);
    put_phone_away(b).await?;
    let text = |key: &str| omk_e2e::message("zh-CN", key);

    // At the kiosk: one letter that may be published, one that may not.
    b.start_kiosk(&format!("{}/?idle=900", city.origin()))
        .await?;
    b.click("nav-mailbox").await?;
    b.wait_for("[data-testid=letter-form]").await?;
    let axe = AxeLog::new()?;
    // An empty letter is refused in words before anything is sent.
    b.click("letter-submit").await?;
    b.wait_text("letter-failure", |t| !t.is_empty()).await?;
    axe.check(b, "kiosk letter refused").await?;
    let (public, public_link) = write(b, &PUBLIC).await?;
    axe.check(b, "kiosk letter receipt").await?;
    b.click("letter-new").await?;
    b.wait_for("[data-testid=letter-form]").await?;
    let (private, private_link) = write(b, &PRIVATE).await?;
    for (code, link) in [(&public, &public_link), (&private, &private_link)] {
        let expected = format!("{}/?view=mailbox&letter={code}", city.origin());
        if *link != expected {
            return Err(format!("the receipt's QR code says {link}, not {expected}").into());
        }
    }

    // On the phone, from each QR code: the letter, awaiting review.
    let awaiting = text("letter.state.awaiting_review")?;
    on_phone(b, &public_link, &public, &awaiting).await?;
    axe.check(b, "phone letter awaiting review").await?;
    on_phone(b, &private_link, &private, &awaiting).await?;
    if b.count("[data-testid=letter-rate]").await? != 0 {
        return Err("a letter awaiting review can be rated".into());
    }
    put_phone_away(b).await?;

    // The admin accepts both and routes them to the unit.
    console_letters(b, city, ADMIN).await?;
    let accepted = text("letter.state.accepted")?;
    for code in [&public, &private] {
        open_letter(b, code, &awaiting).await?;
        b.wait_for(&format!("[data-testid=letter-unit] option[value={UNIT}]"))
            .await?;
        b.testid("letter-unit").await?.select_by_value(UNIT).await?;
        b.click("letter-review").await?;
        b.wait_text("letter-detail-state", |t| t == accepted)
            .await?;
        b.click("letter-close").await?;
    }

    // The unit's operator replies to the public letter two days after it was written, and
    // to the private one five days after.
    let replied = text("letter.state.replied")?;
    for (code, letter, days) in [
        (&public, &PUBLIC, PUBLIC_DAYS),
        (&private, &PRIVATE, PRIVATE_DAYS - PUBLIC_DAYS),
    ] {
        later(city, days)?;
        console_letters(b, city, UNIT_OPERATOR).await?;
        open_letter(b, code, &accepted).await?;
        b.type_into("letter-reply-text", letter.reply).await?;
        b.click("letter-reply-send").await?;
        b.wait_text("letter-detail-state", |t| t == replied).await?;
        b.wait_text("letter-reply", |t| t == letter.reply).await?;
    }

    // The moderator publishes the public letter as approved: its title and a text without
    // the writer's name. The private one offers no publication, and the API refuses it.
    console_letters(b, city, MODERATOR).await?;
    open_letter(b, &private, &replied).await?;
    if b.count("[data-testid=letter-publish]").await? != 0 {
        return Err("the console offers to publish a letter whose writer did not consent".into());
    }
    if b.count("[data-testid=letter-reply-send]").await? != 0
        || b.count("[data-testid=letter-review]").await? != 0
    {
        return Err("the console offers a moderator to reply or review".into());
    }
    b.click("letter-close").await?;
    let (cookie, csrf) = sign_in(city.addr(), MODERATOR, PASSWORD).await?;
    let body = json!({"title": PRIVATE.title, "text": PRIVATE.text}).to_string();
    let (status, answer) = request(
        city.addr(),
        "POST",
        &format!("/api/v1/admin/letters/{private}/publication"),
        &[("Cookie", &cookie), ("X-CSRF-Token", &csrf)],
        &body,
    )
    .await?;
    if status != 422 || !answer.contains("may_publish") {
        return Err(format!("publishing the private letter answered {status}: {answer}").into());
    }
    open_letter(b, &public, &replied).await?;
    let title = b.testid("letter-public-title").await?;
    title.clear().await?;
    title.send_keys(PUBLIC_TITLE).await?;
    let body = b.testid("letter-public-text").await?;
    body.clear().await?;
    body.send_keys(PUBLIC_TEXT).await?;
    b.click("letter-publish").await?;
    let published = text("letter.state.published")?;
    b.wait_text("letter-detail-state", |t| t == published)
        .await?;
    let proposal = promote(b, city, &public).await?;

    // The writer, on the phone with each code, reads each reply and the proposal the
    // public letter became, and rates each reply.
    on_phone(b, &public_link, &public, &published).await?;
    b.wait_text("letter-reply", |t| t == PUBLIC.reply).await?;
    let promoted = text("mailbox.promoted")?.replace("{code}", &proposal);
    b.wait_text("letter-proposal", |t| t == promoted).await?;
    b.click("letter-satisfied").await?;
    let satisfied = text("mailbox.rated_satisfied")?;
    b.wait_text("letter-rating", |t| t == satisfied).await?;
    on_phone(b, &private_link, &private, &replied).await?;
    b.wait_text("letter-reply", |t| t == PRIVATE.reply).await?;
    axe.check(b, "phone letter replied, to rate").await?;
    b.type_into("letter-reason", REASON).await?;
    b.click("letter-not-satisfied").await?;
    let not_satisfied = text("mailbox.rated_not_satisfied")?;
    b.wait_text("letter-rating", |t| t == not_satisfied).await?;
    b.outbox_drained().await?;
    // Rated once: the phone, opened again, shows the judgement and no buttons.
    on_phone(b, &private_link, &private, &replied).await?;
    b.wait_for("[data-testid=letter-rating]").await?;
    if b.count("[data-testid=letter-rate]").await? != 0 {
        return Err("a rated letter can be rated again".into());
    }
    put_phone_away(b).await?;

    // The supervisor finds the private letter, with its reason, in the supervision list; the
    // satisfied one is not there.
    console_letters(b, city, SUPERVISOR).await?;
    b.click("letters-supervision").await?;
    b.wait_script(
        "return [...document.querySelectorAll('[data-testid=letter-row]')].map(r => r.dataset.code);",
        |v| v == &json!([private]),
    )
    .await
    .map_err(|e| format!("the supervision list is not the private letter alone: {e}"))?;
    open_letter(b, &private, &replied).await?;
    b.wait_text("letter-rating-reason", |t| t.contains(REASON))
        .await?;
    b.click("sign-out").await?;
    b.wait_for("[data-testid=signin-login]").await?;
    axe.verdict()?;
    Ok(Walked { public, private })
}

/// The moderator, on the public letter's panel, promotes it to a proposal for the month's
/// topic; the letter then names the proposal, and the month's proposals queue says it came
/// from the letter. The public list says "from a letter" and names none.
async fn promote(b: &Browser, city: &TestServer, letter: &str) -> Result<String> {
    let month = omk_api::mailbox::month_of(
        city.clock()
            .ok_or("the city's server is not running")?
            .now(),
    );
    b.click("letter-promote").await?;
    b.wait_text("promotion-month", |t| t.contains(&month))
        .await?;
    let axe = crate::a11y::axe_source()?;
    let mut found = crate::a11y::axe(b, &axe).await?;
    fill_promotion(b, PROPOSAL_TITLE, PROPOSAL_TEXT).await?;
    let proposal = b
        .wait_text("letter-proposal", |t| t.starts_with("PR-"))
        .await?;
    if b.count("[data-testid=letter-promote]").await? != 0 {
        return Err("a promoted letter offers to be promoted again".into());
    }

    // The month's proposals queue, in the console's cycle screen. The screen opens on the
    // browser's month, which has no cycle (the city's clock is ahead), and asks again as the
    // month is typed: 404s until it is the city's.
    b.expect_console_error("/api/v1/cycles/* - Failed to load resource: *404");
    b.click("nav-cycle").await?;
    let field = b.testid("cycle-month").await?;
    field.clear().await?;
    field.send_keys(&format!("{month}\u{e007}")).await?;
    let origin =
        format!("[data-testid=proposal-row][data-code='{proposal}'] [data-testid=proposal-origin]");
    b.wait_for(&origin).await?;
    let said = b
        .wait_script(
            &format!("return document.querySelector({origin:?}).innerText;"),
            |v| v.as_str().is_some_and(|t| t.contains(letter)),
        )
        .await
        .map_err(|e| format!("the queue does not say the proposal came from {letter}: {e}"))?;
    let expected =
        omk_e2e::message("console.zh-CN", "proposals.from_letter")?.replace("{code}", letter);
    if said != json!(expected) {
        return Err(format!("the queue says the proposal came from {said}").into());
    }
    found.extend(crate::a11y::axe(b, &axe).await?);
    if !found.is_empty() {
        return Err(format!("axe, on the promotion and the queue: {found:?}").into());
    }

    // Everyone sees the proposal, and that it came from a letter, never which one.
    let (_, listed) = request(
        city.addr(),
        "GET",
        &format!("/api/v1/cycles/{month}/proposals"),
        &[],
        "",
    )
    .await?;
    let proposals: Value = serde_json::from_str(&listed)?;
    let shown = &proposals[0];
    if proposals.as_array().map(Vec::len) != Some(1)
        || shown["code"] != json!(proposal)
        || shown["title"] != json!(PROPOSAL_TITLE)
        || shown["origin"] != json!({"kind": "letter"})
        || listed.contains(letter)
        || listed.contains(PUBLIC.name)
    {
        return Err(format!("the public proposals are {listed}").into());
    }
    Ok(proposal)
}

/// Fills the console's promotion form (title, text, the district) and sends it.
async fn fill_promotion(b: &Browser, title: &str, text: &str) -> Result<()> {
    b.type_into("promotion-title", title).await?;
    b.type_into("promotion-text", text).await?;
    b.wait_for(&format!(
        "[data-testid=promotion-district] option[value={DISTRICT}]"
    ))
    .await?;
    b.testid("promotion-district")
        .await?
        .select_by_value(DISTRICT)
        .await?;
    b.click("promotion-send").await?;
    Ok(())
}

/// Forgets everything the walk left in the browser: cookies, local and session storage.
async fn as_a_stranger(b: &Browser, city: &TestServer) -> Result<()> {
    put_phone_away(b).await?;
    b.client.goto("about:blank").await?;
    b.cdp("Network.clearBrowserCookies", json!({})).await?;
    b.cdp(
        "Storage.clearDataForOrigin",
        json!({"origin": city.origin(), "storageTypes": "all"}),
    )
    .await?;
    Ok(())
}

/// What must show nowhere a stranger looks: the writers' names and phones, the codes, and
/// the private letter's words, its reply and its writer's reason.
fn secrets(walked: &Walked) -> Vec<&str> {
    vec![
        PUBLIC.name,
        PUBLIC.phone,
        PUBLIC.text,
        PRIVATE.name,
        PRIVATE.phone,
        PRIVATE.title,
        PRIVATE.text,
        PRIVATE.reply,
        REASON,
        &walked.public,
        &walked.private,
    ]
}

/// The path and query of a URL the page requested, to ask the server the same.
fn path_of(url: &str) -> Result<String> {
    let url = url::Url::parse(url)?;
    Ok(match url.query() {
        Some(query) => format!("{}?{query}", url.path()),
        None => url.path().to_owned(),
    })
}

/// Fails if the page's text, or any answer of the server to what the page asked of the API,
/// holds one of `secrets`; `at` names the page.
async fn nothing_private(b: &Browser, city: &TestServer, secrets: &[&str], at: &str) -> Result<()> {
    let shown = b.script("return document.body.innerText;").await?;
    let shown = shown.as_str().unwrap_or_default();
    let mut found: Vec<String> = secrets
        .iter()
        .filter(|s| shown.contains(**s))
        .map(|s| format!("{at} shows {s:?}"))
        .collect();
    let asked = b
        .script(
            "return performance.getEntriesByType('resource').map(e => e.name)\
               .filter(n => n.includes('/api/v1/'));",
        )
        .await?;
    let asked: Vec<String> = serde_json::from_value(asked)?;
    if asked.is_empty() {
        return Err(format!("{at} asked the API nothing").into());
    }
    for url in asked.iter().filter(|u| !u.contains("stream")) {
        let path = path_of(url)?;
        let (_, answer) = request(city.addr(), "GET", &path, &[], "").await?;
        found.extend(
            secrets
                .iter()
                .filter(|s| answer.contains(**s))
                .map(|s| format!("{at}: GET {path} carries {s:?}")),
        );
    }
    if found.is_empty() {
        Ok(())
    } else {
        Err(found.join("\n  ").into())
    }
}

/// A stranger at the kiosk, on a phone and before the hall display: the public letter as
/// approved with its reply; nothing of the private one, no writer, no code; a code they
/// guess is answered in words; and the month's figures are those of the letters' history.
async fn stranger(b: &Browser, city: &TestServer, walked: &Walked) -> Result<()> {
    let secrets = secrets(walked);
    let text = |key: &str| omk_e2e::message("zh-CN", key);
    // The city runs no month's cycle: the widget asks for it and finds none.
    b.expect_console_error("/api/v1/cycle - Failed to load resource: *404");
    as_a_stranger(b, city).await?;

    // The kiosk's public replies: the approved title, text and reply, and only those.
    b.start_kiosk(&format!("{}/?idle=900", city.origin()))
        .await?;
    b.click("nav-mailbox").await?;
    b.click("mailbox-replies").await?;
    b.wait_text("published-reply", |t| t == PUBLIC.reply)
        .await?;
    let axe = AxeLog::new()?;
    axe.check(b, "kiosk public replies").await?;
    let listed = b
        .script(
            "return [...document.querySelectorAll('[data-testid=published-letter]')]\
               .map(l => l.innerText);",
        )
        .await?;
    let listed: Vec<String> = serde_json::from_value(listed)?;
    match listed.as_slice() {
        [one] if one.contains(PUBLIC_TITLE) && one.contains(PUBLIC_TEXT) => {}
        _ => return Err(format!("the public replies are {listed:?}").into()),
    }
    nothing_private(b, city, &secrets, "the kiosk's public replies").await?;

    // The month's figures, from the letters' history: both received and replied, one of the
    // two ratings satisfied, replies after two and five days.
    b.click("mailbox-figures").await?;
    let received = 2;
    let replied = 2;
    let satisfied = 1;
    let rated = 2;
    let median = (PUBLIC_DAYS + PRIVATE_DAYS) as f64 / 2.0;
    let expected = [
        ("letters-received", received.to_string()),
        ("letters-replied", replied.to_string()),
        ("letters-reply-rate", "100.0%".to_owned()),
        ("letters-satisfaction", "50.0%".to_owned()),
        ("letters-median-days", format!("{median:.1}")),
    ];
    for (id, value) in &expected {
        b.wait_text(id, |t| t == value).await?;
    }
    let asked = path_of(&b.last_request("/letters/figures").await?)?;
    let figures = omk_e2e::http::get_json(city.addr(), &asked).await?;
    let month = omk_api::mailbox::month_of(
        city.clock()
            .ok_or("the city's server is not running")?
            .now(),
    );
    let answer = json!({
        "month": month, "received": received, "declined": 0, "replied": replied,
        "reply_rate": 1.0, "reply_rate_n": received, "rated": rated, "satisfied": satisfied,
        "satisfaction_rate": 0.5, "median_days_to_reply": median,
    });
    if figures != answer {
        return Err(format!("the API's figures are {figures}, the history's {answer}").into());
    }
    for (id, shown) in [
        ("letters-reply-rate", crate::rate(&figures["reply_rate"])),
        (
            "letters-satisfaction",
            crate::rate(&figures["satisfaction_rate"]),
        ),
    ] {
        b.wait_text(id, |t| t == shown).await?;
    }
    nothing_private(b, city, &secrets, "the kiosk's letter figures").await?;
    axe.check(b, "kiosk letter figures").await?;

    // A guessed code: a mistyped one is caught before asking; one that names no letter is
    // said in words.
    b.expect_console_error("/api/v1/letters/ML-* - Failed to load resource: *404*");
    b.click("mailbox-follow").await?;
    let mut typo = walked.private.clone();
    let last = typo.pop().ok_or("an empty code")?;
    typo.push(if last == '7' { '8' } else { '7' });
    if omk_api::tracking::parse("ML", &typo) != Err(omk_api::tracking::Typo::Check) {
        return Err(format!("{typo} is not a mistyped code").into());
    }
    b.type_into("letter-code-input", &typo).await?;
    b.click("letter-code-submit").await?;
    let said = text("lookup.typo")?;
    b.wait_text("letter-typo", |t| t == said).await?;
    let unknown = omk_api::tracking::from_bits("ML", 0x0123_4567_89AB_CDEF);
    if [&walked.public, &walked.private].contains(&&unknown) {
        return Err("the guessed code is a letter's".into());
    }
    let field = b.testid("letter-code-input").await?;
    field.clear().await?;
    field.send_keys(&unknown).await?;
    b.click("letter-code-submit").await?;
    let said = text("mailbox.not_found")?;
    b.wait_text("letter-missing", |t| t == said).await?;
    if b.count("[data-testid=letter-result]").await? != 0 {
        return Err("a guessed code shows a letter".into());
    }
    axe.check(b, "kiosk letter lookup, no such letter").await?;
    nothing_private(b, city, &secrets, "the kiosk's letter lookup").await?;

    // A phone opening the public replies.
    hold_phone(b).await?;
    b.open(&format!("{}/?view=mailbox&section=replies", city.origin()))
        .await?;
    b.wait_text("published-reply", |t| t == PUBLIC.reply)
        .await?;
    nothing_private(b, city, &secrets, "the phone's public replies").await?;
    axe.check(b, "phone public replies").await?;
    put_phone_away(b).await?;

    // The hall display's replies panel: the approved title.
    b.client
        .goto(&format!("{}/?view=display&dwell=5", city.origin()))
        .await?;
    b.wait_script_within(
        "const d = document.querySelector('[data-testid=display]');\
         return !!d && d.dataset.panel === 'replies'\
           && [...d.querySelectorAll('[data-testid=display-reply]')].map(r => r.innerText);",
        |v| v.is_array(),
        Duration::from_secs(90),
    )
    .await
    .map_err(|e| format!("the display never showed the replies panel: {e}"))?;
    let shown = b
        .script(
            "return [...document.querySelectorAll('[data-testid=display-reply]')]\
               .map(r => r.innerText);",
        )
        .await?;
    let shown: Vec<String> = serde_json::from_value(shown)?;
    match shown.as_slice() {
        [one] if one.contains(PUBLIC_TITLE) => {}
        _ => return Err(format!("the display's replies are {shown:?}").into()),
    }
    nothing_private(b, city, &secrets, "the hall display").await?;
    axe.verdict()
}

/// A collection open today, published, with one visitor's comment awaiting moderation
/// (through the API, as a kiosk would send it): the collection's and the comment's ids.
async fn commented(city: &TestServer) -> Result<(i64, i64)> {
    let today = omk_server::clock::local_day(
        city.clock()
            .ok_or("the city's server is not running")?
            .now(),
    );
    let day = omk_server::clock::format_day;
    let bearer = format!("Bearer {ADMIN_TOKEN}");
    let admin = [("Authorization", bearer.as_str())];
    let input = json!({"title": "夜班公交线路意见征集", "text": "请对夜班公交线路提出意见。",
                       "opens_on": day(today - 1), "closes_on": day(today + 5)});
    let made = as_admin(city, "POST", "/api/v1/admin/consultations", &input).await?;
    let id = made["collection"]["id"]
        .as_i64()
        .ok_or("a collection without an id")?;
    let path = format!("/api/v1/admin/consultations/{id}/publication");
    let (status, answer) = request(city.addr(), "POST", &path, &admin, "").await?;
    if status != 200 {
        return Err(format!("publishing the collection answered {status}: {answer}").into());
    }
    let (status, sent) = request(
        city.addr(),
        "POST",
        &format!("/api/v1/consultations/{id}/comments"),
        &[],
        &json!({"text": COMMENT}).to_string(),
    )
    .await?;
    if status != 201 {
        return Err(format!("commenting answered {status}: {sent}").into());
    }
    let sent: Value = serde_json::from_str(&sent)?;
    let comment = sent["id"].as_i64().ok_or("a comment without an id")?;
    Ok((id, comment))
}

/// A visitor's comment on the collection.
const COMMENT: &str = "建议夜班公交延伸到开发区东区，方便工厂职工下班。";

/// The moderator publishes a visitor's comment in the console and promotes it to a
/// proposal: the comment names the proposal, and the queue says which comment it came from.
async fn comment(b: &Browser, city: &TestServer) -> Result<()> {
    b.expect_console_error(REFUSED_SESSION);
    b.expect_console_error("/api/v1/cycles/* - Failed to load resource: *404");
    let (collection, comment) = commented(city).await?;
    let month = omk_api::mailbox::month_of(
        city.clock()
            .ok_or("the city's server is not running")?
            .now(),
    );
    console_sign_in(b, city, MODERATOR).await?;
    b.click("nav-collections").await?;
    b.wait_for(&format!(
        "[data-testid=collection-row][data-id='{collection}'] [data-testid=collection-open]"
    ))
    .await?
    .click()
    .await?;
    let row = format!("[data-testid=comment-row][data-id='{comment}']");
    if b.count(&format!("{row} [data-testid=comment-promote]"))
        .await?
        != 0
    {
        return Err("a comment awaiting moderation offers to be promoted".into());
    }
    b.wait_for(&format!("{row} [data-testid=comment-publish]"))
        .await?
        .click()
        .await?;
    b.wait_for(&format!("{row} [data-testid=comment-promote]"))
        .await?
        .click()
        .await?;
    b.wait_text("promotion-month", |t| t.contains(&month))
        .await?;
    fill_promotion(b, "延伸夜班公交到开发区东区", COMMENT).await?;
    let proposal = b
        .wait_script(
            &format!(
                "const p = document.querySelector(\"{row} [data-testid=comment-proposal]\");\
                 return p ? p.innerText : '';"
            ),
            |v| v.as_str().is_some_and(|t| t.starts_with("PR-")),
        )
        .await?;
    let proposal = proposal.as_str().unwrap_or_default().to_owned();
    if b.count("[data-testid=comment-promote]").await? != 0 {
        return Err("a promoted comment offers to be promoted again".into());
    }

    b.click("nav-cycle").await?;
    let field = b.testid("cycle-month").await?;
    field.clear().await?;
    field.send_keys(&format!("{month}\u{e007}")).await?;
    let origin =
        format!("[data-testid=proposal-row][data-code='{proposal}'] [data-testid=proposal-origin]");
    b.wait_for(&origin).await?;
    let expected = omk_e2e::message("console.zh-CN", "proposals.from_comment")?
        .replace("{collection}", &collection.to_string())
        .replace("{comment}", &comment.to_string());
    b.wait_script(
        &format!("return document.querySelector({origin:?}).innerText;"),
        |v| v == &json!(expected),
    )
    .await
    .map_err(|e| format!("the queue does not say the proposal came from the comment: {e}"))?;

    // The kiosk's opinion collections, and the open one with its comment form.
    b.start_kiosk(&format!("{}/?idle=900", city.origin()))
        .await?;
    b.click("nav-mailbox").await?;
    b.click("mailbox-collections").await?;
    b.wait_for("[data-testid=collection-item]").await?;
    let axe = AxeLog::new()?;
    axe.check(b, "kiosk opinion collections").await?;
    b.click("collection-open").await?;
    b.wait_for("[data-testid=comment-form]").await?;
    axe.check(b, "kiosk collection with its comment form")
        .await?;
    axe.verdict()
}
