//! The running slice: events from the database, computed figures, an issue
//! submitted through the form and stored once, and the language switch.

use omk_e2e::{Result, Suite};

use crate::World;

pub async fn run(suite: &mut Suite, w: &World) {
    suite
        .run("events_render_from_the_server_database", events_render(w))
        .await;
    suite
        .run("figures_show_rates_computed_from_stored_issues", figures(w))
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
    let cards = b.count("[data-testid=event-card]").await?;
    if cards == 0 {
        return Err("no event cards".into());
    }
    let total = b.wait_text("events-total", |t| t.starts_with('共')).await?;
    println!("  {cards} cards on the first page; {total}");
    Ok(())
}

async fn figures(w: &World) -> Result<()> {
    let b = &w.browser;
    b.start_kiosk(&w.server.url()).await?;
    b.click("nav-figures").await?;
    b.wait_text("figure-resolution", |t| t == "88.1%").await?;
    b.wait_text("figure-collected", |t| t == "4,139").await?;
    b.wait_text("figure-solved", |t| t == "3,645").await?;
    b.wait_text("stream-state", |t| t.contains("实时")).await?;
    b.testid("ranking-chart").await?;
    b.testid("trend-chart").await?;
    Ok(())
}

async fn empty_form(w: &World) -> Result<()> {
    let b = &w.browser;
    b.start_kiosk(&w.server.url()).await?;
    b.click("nav-report").await?;
    b.click("report-submit").await?;
    b.wait_text("error-description", |t| t.contains("必须填写"))
        .await?;
    b.wait_text("error-category", |t| !t.is_empty()).await?;
    b.wait_text("error-place", |t| !t.is_empty()).await?;
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
    w.browser.testid("receipt-qr").await?;
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
    b.wait_text("events-total", |t| t.ends_with("events"))
        .await?;
    Ok(())
}
