//! End-to-end scenarios in one headless Chromium session against the real
//! server: the kiosk flows, the outbox across network cuts and reloads, and
//! accessibility. Runs as one program so the browser starts once.

mod a11y;
mod embed;
mod flows;
mod journeys;
mod logs;
mod outbox;
mod slice;

use std::process::ExitCode;

use omk_e2e::{Browser, Result, StaticHost, Suite, TestServer};

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
        slice::run(&mut suite, &world).await;
        flows::run(&mut suite, &world).await;
        a11y::run(&mut suite, &world).await;
        embed::run(&mut suite, &world).await;
        journeys::run(&mut suite, &world).await;
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
        config.frame_ancestors = format!("'self' {origin}");
        config.cors_origins = vec![origin];
        config.admin_token = Some(journeys::ADMIN_TOKEN.to_owned());
    })
    .await?;
    let browser = Browser::start().await?;
    Ok(World {
        server,
        host,
        browser,
    })
}
