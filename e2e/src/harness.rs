//! A tiny runner that plays named scenarios one after another in one browser
//! session, checks the browser's console after each, and ends with a
//! `N passed, M failed` line. A run in which no scenario ran fails.

use std::future::Future;
use std::time::Instant;

use crate::Result;
use crate::browser::Console;

/// Collects scenario outcomes.
#[derive(Default)]
pub struct Suite {
    passed: usize,
    failed: Vec<String>,
    filters: Vec<String>,
    console: Option<Console>,
}

impl Suite {
    /// A suite that runs only scenarios whose name contains one of the free command-line
    /// arguments, if any are given (as `cargo test -- NAME OTHER` does).
    pub fn from_args() -> Suite {
        let filters = std::env::args()
            .skip(1)
            .filter(|a| !a.starts_with('-'))
            .collect();
        Suite {
            filters,
            ..Suite::default()
        }
    }

    /// Checks `console` after every scenario from now on: a console error the scenario did not
    /// declare with [`Browser::expect_console_error`](crate::Browser::expect_console_error)
    /// fails it.
    pub fn check_console(&mut self, console: Console) {
        self.console = Some(console);
    }

    /// Runs one scenario and records its outcome.
    pub async fn run<F: Future<Output = Result<()>>>(&mut self, name: &str, scenario: F) {
        if !self.filters.is_empty() && !self.filters.iter().any(|f| name.contains(f.as_str())) {
            return;
        }
        let started = Instant::now();
        let mut outcome = scenario.await.map_err(|e| e.to_string());
        if let Some(console) = &self.console {
            let problem = match console.finish_scenario().await {
                Ok(errors) if errors.is_empty() => None,
                Ok(errors) => Some(format!(
                    "{} unexpected console error(s):\n    {}",
                    errors.len(),
                    errors.join("\n    ")
                )),
                Err(e) => Some(format!("cannot read the browser console: {e}")),
            };
            if let Some(problem) = problem {
                outcome = match outcome {
                    Ok(()) => Err(problem),
                    Err(e) => Err(format!("{e}\n  and {problem}")),
                };
            }
        }
        match outcome {
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

    /// Prints the summary and turns failures, or a run with no scenario, into an exit code.
    pub fn finish(self) -> std::process::ExitCode {
        println!();
        if !self.failed.is_empty() {
            println!("failed scenarios: {}", self.failed.join(", "));
        }
        let ran = self.passed + self.failed.len();
        if ran == 0 {
            if self.filters.is_empty() {
                println!("no scenario ran");
            } else {
                println!("no scenario name contains any of {:?}", self.filters);
            }
        }
        println!("{} passed, {} failed", self.passed, self.failed.len());
        if self.failed.is_empty() && ran > 0 {
            std::process::ExitCode::SUCCESS
        } else {
            std::process::ExitCode::FAILURE
        }
    }
}
