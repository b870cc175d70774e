//! End-to-end scenarios in one headless Chromium session against the real
//! server: events from the database, computed figures, an issue submitted
//! through the form and stored exactly once, and the language switch.

use std::process::ExitCode;

use omk_e2e::{Browser, Result, Suite, TestServer};

fn main() -> ExitCode {
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("cannot start a runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async {
        let mut suite = Suite::from_args();
        let (server, browser) = match setup().await {
            Ok(pair) => pair,
            Err(e) => {
                eprintln!("end-to-end setup failed: {e}");
                println!("0 passed, 1 failed");
                return ExitCode::FAILURE;
            }
        };
        let (s, b) = (&server, &browser);
        suite
            .run(
                "events_render_from_the_server_database",
                events_render(s, b),
            )
            .await;
        suite
            .run(
                "figures_show_rates_computed_from_stored_issues",
                figures(s, b),
            )
            .await;
        suite
            .run(
                "empty_form_explains_each_problem_in_words",
                empty_form(s, b),
            )
            .await;
        suite
            .run(
                "submitted_issue_shows_receipt_and_is_stored_once",
                submit_issue(s, b),
            )
            .await;
        suite
            .run("language_switch_changes_every_text", language_switch(s, b))
            .await;
        let _ = browser.close().await;
        server.stop().await;
        suite.finish()
    })
}

async fn setup() -> Result<(TestServer, Browser)> {
    let server = TestServer::start().await?;
    let browser = Browser::start().await?;
    Ok((server, browser))
}

async fn events_render(server: &TestServer, browser: &Browser) -> Result<()> {
    browser.open(&server.url()).await?;
    browser.click("attract-start").await?;
    browser.wait_for("[data-testid=event-card]").await?;
    let cards = browser.count("[data-testid=event-card]").await?;
    if cards == 0 {
        return Err("no event cards".into());
    }
    let total = browser
        .wait_text("events-total", |t| t.starts_with('共'))
        .await?;
    println!("  {cards} cards on the first page; {total}");
    Ok(())
}

async fn figures(server: &TestServer, browser: &Browser) -> Result<()> {
    browser.open(&server.url()).await?;
    browser.click("attract-start").await?;
    browser.click("nav-figures").await?;
    browser
        .wait_text("figure-resolution", |t| t == "88.1%")
        .await?;
    browser
        .wait_text("figure-collected", |t| t == "4,139")
        .await?;
    browser.wait_text("figure-solved", |t| t == "3,645").await?;
    browser
        .wait_text("stream-state", |t| t.contains("实时"))
        .await?;
    Ok(())
}

async fn empty_form(server: &TestServer, browser: &Browser) -> Result<()> {
    browser.open(&server.url()).await?;
    browser.click("attract-start").await?;
    browser.click("nav-report").await?;
    browser.click("report-submit").await?;
    browser
        .wait_text("error-description", |t| t.contains("必须填写"))
        .await?;
    browser
        .wait_text("error-category", |t| !t.is_empty())
        .await?;
    browser.wait_text("error-place", |t| !t.is_empty()).await?;
    Ok(())
}

async fn submit_issue(server: &TestServer, browser: &Browser) -> Result<()> {
    let description = "聊城市东昌府区某小区门口长期违章停车，消防通道被堵";
    browser.open(&server.url()).await?;
    browser.click("attract-start").await?;
    browser.click("nav-report").await?;
    browser
        .wait_for("[data-testid=report-category] option[value=parking]")
        .await?;
    browser
        .testid("report-category")
        .await?
        .select_by_value("parking")
        .await?;
    browser.type_into("report-description", description).await?;
    browser
        .type_into("report-place", "东昌府区柳园街道")
        .await?;
    // People take a moment to read what they typed; the server refuses
    // forms sent faster than a person could fill them.
    tokio::time::sleep(std::time::Duration::from_millis(2_100)).await;
    browser.click("report-submit").await?;
    let tracking = browser
        .wait_text("receipt-number", |t| t.starts_with("OM-"))
        .await?;

    let db = server.db().await?;
    let rows: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM issues WHERE tracking_no = $1 AND description = $2",
    )
    .bind(&tracking)
    .bind(description)
    .fetch_one(&db)
    .await?;
    let same_text: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM issues WHERE description = $1")
        .bind(description)
        .fetch_one(&db)
        .await?;
    db.close().await;
    if rows != 1 || same_text != 1 {
        return Err(format!(
            "expected exactly one stored row, found {rows} ({same_text} with that text)"
        )
        .into());
    }
    println!("  receipt {tracking}, one row stored");
    Ok(())
}

async fn language_switch(server: &TestServer, browser: &Browser) -> Result<()> {
    browser.open(&server.url()).await?;
    browser.click("attract-start").await?;
    browser.wait_text("nav-events", |t| t == "开放活动").await?;
    browser.click("lang-toggle").await?;
    browser
        .wait_text("nav-events", |t| t == "Open events")
        .await?;
    browser.wait_text("lang-toggle", |t| t == "中文").await?;
    Ok(())
}
