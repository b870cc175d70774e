//! The `omk-bench` binary: parses the command line and runs the library.

use std::process::ExitCode;

use clap::Parser;

#[tokio::main]
async fn main() -> ExitCode {
    match omk_bench::run(omk_bench::Cli::parse()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("omk-bench: {err}");
            ExitCode::FAILURE
        }
    }
}
