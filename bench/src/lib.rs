//! The benchmarks' load generators and browser drivers, and the bare servers they are compared
//! with. `cargo xtask bench` starts the servers, runs these and writes the tables; each command
//! here prints one JSON object.

pub mod baseline;
pub mod browser;
pub mod conn;
pub mod ingest;
pub mod live;
pub mod replay;
pub mod soak;
pub mod stats;
pub mod transfer;
pub mod tti;
pub mod wire;

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// Open Month Kiosk's benchmark tools (run through `cargo xtask bench`).
#[derive(Debug, Parser)]
#[command(name = "omk-bench", about)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Also write the JSON result to this file.
    #[arg(long, global = true)]
    out: Option<PathBuf>,
}

/// The tools.
#[derive(Debug, Subcommand)]
enum Command {
    /// Serve a bare axum baseline until interrupted.
    Baseline {
        #[arg(long)]
        listen: SocketAddr,
        #[command(subcommand)]
        kind: baseline::Baseline,
    },
    /// Time to interactive of the widget and of an empty counter in headless Chromium.
    Tti(tti::TtiArgs),
    /// Bytes a first and a repeat visit of each page receive in headless Chromium.
    Transfer(transfer::TransferArgs),
    /// Live-update latency with many event-stream subscribers.
    Live(live::LiveArgs),
    /// Sustained POSTs per second at a fixed concurrency.
    Ingest(ingest::IngestArgs),
    /// A compressed kiosk day in Chromium, with the JS heap at the start and the end.
    Soak(soak::SoakArgs),
}

/// Runs the command on the command line.
pub async fn run(cli: Cli) -> Result<(), String> {
    let result = match &cli.command {
        Command::Baseline { listen, kind } => {
            return baseline::serve(*listen, kind.clone()).await;
        }
        Command::Tti(args) => tti::run(args).await?,
        Command::Transfer(args) => transfer::run(args).await?,
        Command::Live(args) => live::run(args).await?,
        Command::Ingest(args) => ingest::run(args).await?,
        Command::Soak(args) => soak::run(args).await?,
    };
    let text = serde_json::to_string_pretty(&result).map_err(|e| e.to_string())?;
    if let Some(out) = &cli.out {
        std::fs::write(out, &text).map_err(|e| format!("{}: {e}", out.display()))?;
    }
    println!("{text}");
    Ok(())
}
