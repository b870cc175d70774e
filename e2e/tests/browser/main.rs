//! End-to-end scenarios in one headless Chromium session against the real
//! server: the kiosk flows, the outbox across network cuts and reloads,
//! accessibility and the hall display. Runs as one program so the browser starts once.

mod a11y;
mod city;
mod console;
mod cycle;
mod display;
mod embed;
mod flows;
mod journeys;
mod letters;
mod logs;
mod outbox;
mod slice;

use std::process::ExitCode;

use omk_e2e::{Browser, Result, StaticHost, Suite, TestServer, http};
use serde_json::Value;

/// Everything the scenarios share.
pub struct World {
    pub server: TestServer,
    /// Serves the built widget from a second origin.
    pub host: StaticHost,
    pub browser: Browser,
}

fn main() -> ExitCode {
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("cannot start a runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let captured = logs::capture();
    runtime.block_on(async {
        let mut suite = Suite::from_args();
        let mut world = match setup().await {
            Ok(world) => world,
            Err(e) => {
                eprintln!("end-to-end setup failed: {e}");
                println!("0 passed, 1 failed");
                return ExitCode::FAILURE;
            }
        };
        suite.check_console(world.browser.console());
        slice::run(&mut suite, &world).await;
        flows::run(&mut suite, &world).await;
        a11y::run(&mut suite, &world).await;
        embed::run(&mut suite, &world).await;
        journeys::run(&mut suite, &world).await;
        console::run(&mut suite, &world).await;
        cycle::run(&mut suite, &world).await;
        letters::run(&mut suite, &world).await;
        display::run(&mut suite, &mut world).await;
        outbox::run(&mut suite, &mut world).await;
        suite
            .run(
                "server_logs_carry_no_personal_data",
                logs::no_personal_data(&captured),
            )
            .await;
        let World {
            mut server,
            browser,
            ..
        } = world;
        let _ = browser.close().await;
        server.stop().await;
        suite.finish()
    })
}

async fn setup() -> Result<World> {
    let host = StaticHost::start().await?;
    let origin = host.origin();
    let server = TestServer::start_with(|config| {
        config.web.frame_ancestors = format!("'self' {origin}");
        config.web.cors_origins = vec![origin];
        config.operators.admin_token = Some(city::ADMIN_TOKEN.to_owned());
    })
    .await?;
    let browser = Browser::start().await?;
    Ok(World {
        server,
        host,
        browser,
    })
}

impl World {
    /// The server's answer to `path` (with its query), for example `/api/v1/metrics`.
    pub async fn api(&self, path: &str) -> Result<Value> {
        http::get_json(self.server.addr(), path).await
    }

    /// The server's answer to the page's latest request to `part`: what the page shows now
    /// should be exactly this.
    pub async fn answer_to_page(&self, part: &str) -> Result<Value> {
        let url = url::Url::parse(&self.browser.last_request(part).await?)?;
        let path = match url.query() {
            Some(query) => format!("{}?{query}", url.path()),
            None => url.path().to_owned(),
        };
        self.api(&path).await
    }
}

/// A count as the widget shows it: `4139` → `4,139`.
pub fn count(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::from(if n < 0 { "-" } else { "" });
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A rate (0–1, or null) as the widget shows it: `0.8807` → `88.1%`, null → `—`.
pub fn rate(value: &Value) -> String {
    match value.as_f64() {
        Some(r) => {
            let tenths = (r * 1000.0).round() as i64;
            format!("{}.{}%", tenths / 10, tenths % 10)
        }
        None => "—".to_owned(),
    }
}
