//! The `omk-server` binary: parses the command line and runs the library.

use std::process::ExitCode;

use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=warn")),
        )
        .init();
    let cli = match omk_server::secrets::cli_from_process() {
        Ok(cli) => cli,
        Err(omk_server::secrets::SecretError::Arguments(err)) => err.exit(),
        Err(err) => {
            eprintln!("omk-server: {err}");
            return ExitCode::FAILURE;
        }
    };
    match omk_server::run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("omk-server: {err}");
            ExitCode::FAILURE
        }
    }
}
