//! `cargo xtask`: the project's own commands (setup, build, run, test, bench), written in Rust so
//! they behave the same on a laptop and in CI.

mod assets;
mod bench;
mod console;
mod contract;
mod error;
mod postgres;
mod progress;
mod run;
mod setup;
mod split;
mod test;
mod tools;
mod widget;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::error::Result;

/// Open Month Kiosk's development commands.
#[derive(Debug, Parser)]
#[command(name = "cargo xtask", bin_name = "cargo xtask", about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Task,
}

/// The tasks.
#[derive(Debug, Subcommand)]
enum Task {
    /// Install the Rust target, Trunk, wasm-bindgen-cli and wasm-opt (skips what is there).
    Setup {
        /// Also install the Debian packages the tests need (chromium, chromium-driver,
        /// postgresql, brotli); needs root.
        #[arg(long)]
        system: bool,
    },
    /// Build the widget into dist/ and the operators' console into console/dist/ (trunk build
    /// --release), each unless it is up to date.
    Build {
        /// Rebuild even when a dist/ looks up to date.
        #[arg(long)]
        force: bool,
    },
    /// Trunk's post-build hook: split the screens' chunk off the widget's module.
    #[command(hide = true)]
    SplitWidget,
    /// Build everything and run the kiosk and the operators' console with the reference server
    /// until Ctrl-C.
    Run(run::RunArgs),
    /// Run every check CI runs: fmt, clippy, the widget and console builds, native, end-to-end and
    /// browser tests, and the API against its OpenAPI contract (schemathesis).
    Test,
    /// Check the API against its OpenAPI document with schemathesis on a fresh server: the
    /// contract step of `test` alone.
    Contract,
    /// Measure against baselines run in the same run: bundle, tti, live, ingest, soak (all when
    /// none is named); tables and JSON in target/bench/.
    Bench(bench::BenchArgs),
}

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(err) => {
            eprintln!("xtask: error: {err}");
            ExitCode::FAILURE
        }
    }
}

/// Runs the task named on the command line.
fn run() -> Result<ExitCode> {
    let cli = Cli::parse();
    match cli.command {
        Task::Setup { system } => {
            let packages = if system { setup::TEST_PACKAGES } else { &[] };
            setup::setup(packages)?;
        }
        Task::Build { force } => {
            setup::setup(&[])?;
            widget::build(force)?;
            console::build(force)?;
        }
        Task::SplitWidget => split::split_widget()?,
        Task::Run(args) => run::run(&args)?,
        Task::Test => return test::test(),
        Task::Contract => println!("[contract] {}", contract::check()?),
        Task::Bench(args) => bench::bench(&args)?,
    }
    Ok(ExitCode::SUCCESS)
}
