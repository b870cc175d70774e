//! The running slice: events from the database, computed figures, an issue
//! submitted through the form and stored once, and the language switch.

use omk_e2e::http::request;
use omk_e2e::{Result, Suite, message, qr};
use serde_json::{Value, json};

use crate::{World, count, rate};

pub async fn run(suite: &mut Suite, w: &World) {
    suite
        .run("events_render_from_the_server_database", events_render(w))
        .await;
    suite
        .run("figures_show_rates_computed_from_stored_issues", figures(w))
        .await;
    suite
        .run(
            "each_figure_says_how_it_is_computed_and_hands_the_open_data_to_a_phone",
            explained(w),
        )
        .await;
    suite
        .run("empty_form_explains_each_problem_in_words", empty_form(w))
        .await;
    suite
        .run(
            "submitted_issue_shows_receipt_and_is_stored_once",
            submit_issue(w),
        )
        .await;
    suite
        .run("language_switch_changes_every_text", language_switch(w))
        .await;
}

async fn events_render(w: &World) -> Result<()> {
    let b = &w.browser;
    b.start_kiosk(&w.server.url()).await?;
    b.wait_for("[data-testid=event-card]").await?;
    let answer = w.answer_to_page("/api/v1/events?").await?;
    let total = answer["total"]
        .as_i64()
        .ok_or("the events answer has no total")?;
    let items = answer["items"].as_array().map_or(0, Vec::len);
    let want = message("zh-CN", "events.total")?.replace("{n}", &count(total));
    let shown = b.wait_text("events-total", |t| t == want).await?;
    let cards = b.count("[data-testid=event-card]").await?;
    if items == 0 || cards != items {
        return Err(format!("{cards} cards shown for the server's {items} events").into());
    }
    println!("  {cards} cards on the first page; {shown}");
    Ok(())
}

/// What the charts of a metrics snapshot must show: each ranking bar's title and value, the
/// number of trend points, and the trend's first and last day.
fn charts_of(metrics: &Value) -> Value {
    let ranking: Vec<Value> = metrics["ranking"]
        .as_array()
        .into_iter()
        .flatten()
        .take(8)
        .map(|u| {
            let value = rate(&u["satisfaction_rate"]);
            json!([
                format!("{}: {value}", u["unit"].as_str().unwrap_or_default()),
                value
            ])
        })
        .collect();
    let known: Vec<&Value> = metrics["trend"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|d| d["satisfaction_rate"].is_number())
        .collect();
    let day = |d: Option<&&Value>| d.map_or(json!(""), |d| d["day"].clone());
    json!({
        "bars": ranking,
        "points": known.len(),
        "ends": [day(known.first()), day(known.last())],
    })
}

/// The same, as the page drew it.
const CHARTS_SHOWN: &str = "const r = document.querySelector('[data-testid=ranking-chart] svg');\
    const t = document.querySelector('[data-testid=trend-chart] svg');\
    if (!r || !t) return null;\
    const texts = [...t.querySelectorAll('text')].map(x => x.textContent);\
    return {\
      bars: [...r.querySelectorAll('g')].map(g => [g.querySelector('title').textContent,\
        g.querySelectorAll('text')[1].textContent]),\
      points: t.querySelector('polyline').getAttribute('points').split(' ').filter(p => p).length,\
      ends: texts.slice(-2),\
    };";

async fn figures(w: &World) -> Result<()> {
    let b = &w.browser;
    b.start_kiosk(&w.server.url()).await?;
    b.click("nav-figures").await?;
    b.wait_text("figure-resolution", |t| t == "88.1%").await?;
    b.wait_text("figure-collected", |t| t == "4,139").await?;
    b.wait_text("figure-solved", |t| t == "3,645").await?;
    b.wait_text("stream-state", |t| t.contains("实时")).await?;
    let metrics = w.api("/api/v1/metrics").await?;
    let figure = |key: &str| metrics[key].clone();
    for (id, want) in [
        ("figure-satisfaction", rate(&figure("satisfaction_rate"))),
        ("figure-response", rate(&figure("response_rate"))),
        ("figure-resolution", rate(&figure("resolution_rate"))),
        ("figure-bad-review", rate(&figure("bad_review_rate"))),
        (
            "figure-collected",
            count(figure("issues_collected").as_i64().unwrap_or(-1)),
        ),
        (
            "figure-solved",
            count(figure("issues_solved").as_i64().unwrap_or(-1)),
        ),
        (
            "figure-ratings-today",
            count(figure("ratings_today").as_i64().unwrap_or(-1)),
        ),
    ] {
        b.wait_text(id, |t| t == want).await?;
    }
    let want = charts_of(&metrics);
    if want["bars"].as_array().is_none_or(Vec::is_empty) || want["points"] == json!(0) {
        return Err(format!("the seeded figures have nothing to chart: {want}").into());
    }
    b.wait_script(CHARTS_SHOWN, |shown| shown == &want)
        .await
        .map_err(|e| format!("the charts do not show the server's figures {want}: {e}"))?;
    Ok(())
}

/// A visitor opens "How is this computed?" under every figure and chart and reads the counts behind
/// it, which are the server's; a phone scanning its QR code gets the open data, whose ratings
/// table gives the satisfaction figure's counts again. axe finds nothing with it open.
async fn explained(w: &World) -> Result<()> {
    let b = &w.browser;
    b.start_kiosk(&w.server.url()).await?;
    b.click("nav-figures").await?;
    b.wait_text("figure-collected", |t| t == "4,139").await?;
    let metrics = w.api("/api/v1/metrics").await?;
    let n = |key: &str| count(metrics[key].as_i64().unwrap_or(-1));
    let ratio = |part: &str, whole: &str| format!("计数：{} ÷ {}", n(part), n(whole));
    let sum = |chart: &str| -> i64 {
        metrics[chart]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|entry| entry["ratings"].as_i64())
            .sum()
    };
    for (figure, counts) in [
        ("satisfaction", ratio("ratings_satisfied", "ratings_total")),
        ("bad-review", ratio("ratings_bad", "ratings_total")),
        ("response", ratio("issues_responded", "issues_collected")),
        ("resolution", ratio("issues_solved", "issues_collected")),
        ("collected", format!("计数：{}", n("issues_collected"))),
        ("solved", format!("计数：{}", n("issues_solved"))),
        ("ratings-today", format!("计数：{}", n("ratings_today"))),
        ("ranking-chart", format!("计数：{}", count(sum("ranking")))),
        ("trend-chart", format!("计数：{}", count(sum("trend")))),
    ] {
        let disclosure = format!("[data-testid=explain-{figure}]");
        b.wait_for(&format!("{disclosure} summary"))
            .await?
            .click()
            .await?;
        b.wait_script(
            &format!(
                "const d = document.querySelector('{disclosure}');\
                 return d && d.open ? d.querySelector('[data-testid=explain-basis]').innerText : null;"
            ),
            |shown| shown.as_str() == Some(counts.as_str()),
        )
        .await
        .map_err(|e| format!("{figure} does not show {counts}: {e}"))?;
    }
    crate::a11y::AxeLog::new()?
        .check(b, "figures, each explained")
        .await?;

    let link = qr::scan(
        b,
        "[data-testid=explain-satisfaction] [data-testid=opendata-qr]",
    )
    .await?;
    let want = format!("{}/api/v1/opendata/datapackage.json", w.server.origin());
    if link != want {
        return Err(format!("the open data's QR code carries {link}, not {want}").into());
    }
    let path = link.trim_start_matches(&w.server.origin()).to_owned();
    let package = w.api(&path).await?;
    if package["resources"].as_array().map(Vec::len) != Some(10) {
        return Err(format!("the package lists {}", package["resources"]).into());
    }
    let (status, ratings) = request(
        w.server.addr(),
        "GET",
        "/api/v1/opendata/ratings.csv",
        &[],
        "",
    )
    .await?;
    if status != 200 {
        return Err(format!("ratings.csv answered {status}").into());
    }
    let satisfied: i64 = ratings
        .lines()
        .skip(1)
        .filter_map(|line| {
            let cells: Vec<&str> = line.split(',').collect();
            let level: i64 = cells.get(2)?.parse().ok()?;
            (level >= 4)
                .then(|| cells.get(3)?.parse::<i64>().ok())
                .flatten()
        })
        .sum();
    if count(satisfied) != n("ratings_satisfied") {
        return Err(format!(
            "the open data counts {satisfied} satisfied ratings, the kiosk {}",
            n("ratings_satisfied")
        )
        .into());
    }
    Ok(())
}

async fn empty_form(w: &World) -> Result<()> {
    let b = &w.browser;
    b.start_kiosk(&w.server.url()).await?;
    b.click("nav-report").await?;
    b.click("report-submit").await?;
    let required = message("zh-CN", "error.required")?;
    for field in [
        "report-error-category",
        "report-error-description",
        "report-error-place",
    ] {
        b.wait_text(field, |t| t == required).await?;
    }
    Ok(())
}

/// Fills and sends the report form; returns the tracking number shown.
pub async fn report_issue(
    w: &World,
    description: &str,
    contact: Option<(&str, &str)>,
) -> Result<String> {
    let b = &w.browser;
    b.click("nav-report").await?;
    b.wait_for("[data-testid=report-category] option[value=parking]")
        .await?;
    b.testid("report-category")
        .await?
        .select_by_value("parking")
        .await?;
    b.type_into("report-description", description).await?;
    b.type_into("report-place", "东昌府区柳园街道").await?;
    if let Some((name, phone)) = contact {
        b.type_into("report-name", name).await?;
        b.type_into("report-phone", phone).await?;
        b.click("report-consent").await?;
    }
    // People take a moment to read what they typed; the server refuses
    // forms sent faster than a person could fill them.
    tokio::time::sleep(std::time::Duration::from_millis(2_100)).await;
    b.click("report-submit").await?;
    b.wait_text("receipt-number", |t| t.starts_with("OM-"))
        .await
}

async fn submit_issue(w: &World) -> Result<()> {
    let description = "聊城市东昌府区某小区门口长期违章停车，消防通道被堵";
    w.browser.start_kiosk(&w.server.url()).await?;
    let tracking = report_issue(w, description, None).await?;
    let rows = w
        .server
        .count(&format!(
            "SELECT COUNT(*) FROM issues WHERE tracking_no = '{tracking}' AND description = '{description}'"
        ))
        .await?;
    let same_text = w
        .server
        .count(&format!(
            "SELECT COUNT(*) FROM issues WHERE description = '{description}'"
        ))
        .await?;
    if rows != 1 || same_text != 1 {
        return Err(format!(
            "expected exactly one stored row, found {rows} ({same_text} with that text)"
        )
        .into());
    }
    let qr = w.browser.loaded_image("receipt-qr").await?;
    let want = format!("{}/api/v1/issues/{tracking}/qr.svg", w.server.origin());
    if qr != want {
        return Err(format!("the receipt's QR code is {qr}, not {want}").into());
    }
    println!("  receipt {tracking}, one row stored");
    Ok(())
}

async fn language_switch(w: &World) -> Result<()> {
    let b = &w.browser;
    b.start_kiosk(&w.server.url()).await?;
    b.wait_text("nav-events", |t| t == "开放活动").await?;
    b.click("lang-toggle").await?;
    b.wait_text("nav-events", |t| t == "Open events").await?;
    b.wait_text("lang-toggle", |t| t == "中文").await?;
    let answer = w.answer_to_page("/api/v1/events?").await?;
    let total = answer["total"]
        .as_i64()
        .ok_or("the events answer has no total")?;
    let want = message("en", "events.total")?.replace("{n}", &count(total));
    b.wait_text("events-total", |t| t == want).await?;
    Ok(())
}
