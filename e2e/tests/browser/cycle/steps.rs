//! What the cycle journey's people do and read: a visitor's steps at the kiosk and on the
//! phone, an operator's in the console, and what the journey reads back.

use super::*;

// --- steps a person takes ---

/// The kiosk's question screen at `stage`, from a fresh visit.
pub(super) async fn kiosk_question(b: &Browser, city: &TestServer, stage: &str) -> Result<()> {
    b.start_kiosk(&format!("{}/?idle=900", city.origin()))
        .await?;
    b.click("nav-vote").await?;
    b.wait_for(&format!("[data-testid=cycle][data-stage={stage}]"))
        .await?;
    let now = say(
        "cycle.now",
        &[("stage", &say(&format!("cycle.stage.{stage}"), &[]))],
    );
    b.wait_text("cycle-stage", |t| t == now).await?;
    Ok(())
}

/// The phone page a QR code opened shows the question at `stage`.
pub(super) async fn phone_stage(b: &Browser, stage: &str) -> Result<()> {
    b.wait_for(&format!("[data-testid=cycle][data-stage={stage}]"))
        .await?;
    if b.count("[data-testid=nav-events]").await? != 0 {
        return Err("the phone page shows the kiosk's navigation".into());
    }
    Ok(())
}

/// Fills and sends the proposal form; returns the tracking code on the receipt.
pub(super) async fn propose(
    b: &Browser,
    title: &str,
    text: &str,
    phone: Option<&str>,
) -> Result<String> {
    b.type_into("proposal-title", title).await?;
    b.type_into("proposal-text", text).await?;
    b.wait_for("[data-testid=proposal-district] option[value=dongchangfu]")
        .await?;
    choose(b, "[data-testid=proposal-district]", "dongchangfu").await?;
    if let Some(phone) = phone {
        b.wait_for("#omk-proposal-phone")
            .await?
            .send_keys(phone)
            .await?;
        b.wait_for("[data-testid=propose] input[type=checkbox]")
            .await?
            .click()
            .await?;
    }
    b.click("proposal-submit").await?;
    let done = b
        .wait_text("proposal-outcome", |t| t.contains("PR-"))
        .await?;
    let code = done
        .rsplit('：')
        .next()
        .map(str::trim)
        .filter(|c| c.starts_with("PR-"))
        .ok_or_else(|| format!("no code in {done:?}"))?;
    Ok(code.to_owned())
}

/// Votes for candidate `id` on the shortlist.
pub(super) async fn public_vote(b: &Browser, id: &str) -> Result<()> {
    b.wait_for(&format!(
        "[data-testid=topic]:has([data-testid=tallies-{id}]) [data-testid=vote-button]"
    ))
    .await?
    .click()
    .await?;
    b.wait_text("vote-outcome", |t| t == say("vote.thanks", &[]))
        .await?;
    Ok(())
}

/// Casts a representative's vote with a printed `code`.
pub(super) async fn represent(b: &Browser, code: &str, candidate: &str) -> Result<()> {
    b.wait_for("#omk-represent-code")
        .await?
        .send_keys(code)
        .await?;
    choose(b, "#omk-represent-candidate", candidate).await?;
    b.wait_for("[data-testid=represent] button[type=submit]")
        .await?
        .click()
        .await?;
    Ok(())
}

/// Answers "Was it solved?" with `stars`.
pub(super) async fn evaluate(b: &Browser, outcome: &str, stars: u8) -> Result<()> {
    b.click(&format!("evaluate-{outcome}")).await?;
    b.click(&format!("star-{stars}")).await?;
    b.click("evaluate-submit").await?;
    b.wait_text("evaluate-outcome", |t| {
        t == say("cycle.evaluate.thanks", &[])
    })
    .await?;
    Ok(())
}

/// Decodes the question's QR code, brought into view, as a phone's camera would.
pub(super) async fn scan_question(b: &Browser) -> Result<String> {
    b.wait_for("[data-testid=cycle-qr]").await?;
    b.script(
        "document.querySelector('[data-testid=cycle-qr]').scrollIntoView({block: 'center'}); return true;",
    )
    .await?;
    qr::scan(b, "[data-testid=cycle-qr]").await
}

// --- the console ---

/// Opens a console screen by its address.
pub(super) async fn console_screen(b: &Browser, city: &TestServer, screen: &str) -> Result<()> {
    b.client
        .goto(&format!("{}/console/#/{screen}", city.origin()))
        .await?;
    b.client.refresh().await?;
    b.wait_for("[data-testid=whoami]").await?;
    if screen == "cycle" {
        // The month's cycle, or the word that it has none yet.
        b.wait_script(
            "return !!document.querySelector('[data-testid=cycle-stage], [data-testid=load-error]');",
            |v| v == &json!(true),
        )
        .await?;
    }
    Ok(())
}

/// Waits until the console's stage strip marks `stage` as the current one.
pub(super) async fn console_stage(b: &Browser, stage: &str) -> Result<()> {
    b.wait_for(&format!(
        "[data-testid=cycle-stage][data-stage={stage}][aria-current=step]"
    ))
    .await?;
    Ok(())
}

/// Waits until the console's form `feedback` says it refused: its alert, or a field's error.
pub(super) async fn refused(b: &Browser, feedback: &str) -> Result<()> {
    b.wait_for(&format!(
        "[data-testid={feedback}-error], [data-testid=field-error]"
    ))
    .await?;
    Ok(())
}

/// Moves the cycle on to `stage` with the console's button.
pub(super) async fn move_stage(b: &Browser, stage: &str) -> Result<()> {
    b.click("cycle-move").await?;
    console_stage(b, stage).await
}

/// Moderates proposal `code` in the console's queue.
pub(super) async fn moderate(
    b: &Browser,
    code: &str,
    action: &str,
    into: Option<&str>,
    reason: Option<&str>,
) -> Result<()> {
    b.wait_for(&format!(
        "[data-testid=proposal-row][data-code='{code}'] [data-testid=proposal-moderate]"
    ))
    .await?
    .click()
    .await?;
    choose(b, "#proposal-action", action).await?;
    if let Some(into) = into {
        b.wait_for(&format!("#proposal-into option[value='{into}']"))
            .await?;
        choose(b, "#proposal-into", into).await?;
    }
    if let Some(reason) = reason {
        set_value(b, "#proposal-reason", reason).await?;
    }
    b.click("proposal-moderation-save").await?;
    b.wait_script(
        &format!(
            "return !document.querySelector('#proposal-action') &&\
               !!document.querySelector(\"[data-testid=proposal-row][data-code='{code}']\");"
        ),
        |v| v == &json!(true),
    )
    .await?;
    Ok(())
}

/// Sets an input's value as typing does (an `input` event), also for date inputs whose
/// typing order depends on the browser's locale.
pub(super) async fn set_value(b: &Browser, css: &str, value: &str) -> Result<()> {
    b.wait_for(css).await?;
    b.script(&format!(
        "const e = document.querySelector({css:?});\
         e.value = {value:?};\
         e.dispatchEvent(new Event('input', {{ bubbles: true }}));\
         e.dispatchEvent(new Event('change', {{ bubbles: true }}));\
         return true;"
    ))
    .await?;
    Ok(())
}

/// Chooses `value` in the select `css`, once it is offered.
pub(super) async fn choose(b: &Browser, css: &str, value: &str) -> Result<()> {
    b.wait_for(&format!("{css} option[value='{value}']"))
        .await?;
    b.wait_for(css).await?.select_by_value(value).await?;
    Ok(())
}

// --- reading ---

impl Walk<'_> {
    /// Runs axe on the screen shown now, in both languages and every display mode.
    pub(super) async fn axe(&self, screen: &str) -> Result<()> {
        self.axe.check(self.b, screen).await
    }

    /// Waits until the server's public answer to `path` satisfies `check`; returns it.
    pub(super) async fn until(&self, path: &str, check: impl Fn(&Value) -> bool) -> Result<Value> {
        for _ in 0..100 {
            let answer = self.api(path).await?;
            if check(&answer) {
                return Ok(answer);
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        Err(format!("{path} never showed what the console saved").into())
    }

    /// The server's public answer to `path`.
    pub(super) async fn api(&self, path: &str) -> Result<Value> {
        omk_e2e::http::get_json(self.city.addr(), path).await
    }
}

/// The candidates of a cycle as the API gives them.
pub(super) fn candidates(cycle: &Value) -> impl Iterator<Item = &Value> {
    cycle["candidates"].as_array().into_iter().flatten()
}

/// Everything the page shows as text.
pub(super) async fn page_text(b: &Browser) -> Result<String> {
    Ok(b.script("return document.body.innerText;")
        .await?
        .as_str()
        .unwrap_or_default()
        .to_owned())
}

/// The widget's Chinese message `key` with its `{name}` parts filled in.
pub(super) fn say(key: &str, parts: &[(&str, &str)]) -> String {
    let mut text = message("zh-CN", key).unwrap_or_else(|e| format!("<{e}>"));
    for (name, value) in parts {
        text = text.replace(&format!("{{{name}}}"), value);
    }
    text
}

/// A score by this test's own arithmetic, to the hundredth: each count over the largest,
/// times its weight.
#[allow(clippy::too_many_arguments)]
pub(super) fn score(
    reps: i64,
    reps_max: i64,
    public: i64,
    public_max: i64,
    calls: i64,
    calls_max: i64,
    proposals: i64,
    proposals_max: i64,
) -> f64 {
    let part = |n: i64, max: i64, weight: i64| weight as f64 * n as f64 / max as f64;
    let raw = part(reps, reps_max, WEIGHTS[0].1)
        + part(public, public_max, WEIGHTS[1].1)
        + part(calls, calls_max, WEIGHTS[2].1)
        + part(proposals, proposals_max, WEIGHTS[3].1);
    (raw * 100.0).round() / 100.0
}

/// `YYYY-MM-DD` of a moment, in Beijing time (UTC+8), as the city counts days.
pub(super) fn day_of(at: i64) -> String {
    let (year, month, day) = omk_api::civil::civil_from_days(omk_api::civil::local_day(at));
    format!("{year:04}-{month:02}-{day:02}")
}
