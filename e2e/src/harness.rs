//! A tiny runner that plays named scenarios one after another in one browser
//! session and ends with a `N passed, M failed` line.

use std::future::Future;
use std::time::Instant;

use crate::Result;

/// Collects scenario outcomes.
#[derive(Default)]
pub struct Suite {
    passed: usize,
    failed: Vec<String>,
    filter: Option<String>,
}

impl Suite {
    /// A suite that runs only scenarios whose name contains the first free
    /// command-line argument, if one is given (as `cargo test -- NAME` does).
    pub fn from_args() -> Suite {
        let filter = std::env::args().skip(1).find(|a| !a.starts_with('-'));
        Suite {
            filter,
            ..Suite::default()
        }
    }

    /// Runs one scenario and records its outcome.
    pub async fn run<F: Future<Output = Result<()>>>(&mut self, name: &str, scenario: F) {
        if self.filter.as_deref().is_some_and(|f| !name.contains(f)) {
            return;
        }
        let started = Instant::now();
        match scenario.await {
            Ok(()) => {
                self.passed += 1;
                println!("scenario {name} ... ok ({:.1?})", started.elapsed());
            }
            Err(e) => {
                println!(
                    "scenario {name} ... FAILED ({:.1?}): {e}",
                    started.elapsed()
                );
                self.failed.push(name.to_owned());
            }
        }
    }

    /// Prints the summary and turns failures into an exit code.
    pub fn finish(self) -> std::process::ExitCode {
        println!();
        if !self.failed.is_empty() {
            println!("failed scenarios: {}", self.failed.join(", "));
        }
        println!("{} passed, {} failed", self.passed, self.failed.len());
        if self.failed.is_empty() {
            std::process::ExitCode::SUCCESS
        } else {
            std::process::ExitCode::FAILURE
        }
    }
}
