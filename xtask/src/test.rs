//! `cargo xtask test`: every check CI runs, in order, each timed and logged, closing with a
//! summary table and an `xtask: N passed, M failed` line. The API's check against its OpenAPI
//! document is `contract.rs`'s.

use std::fs;
use std::path::Path;
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use crate::error::Result;
use crate::postgres::{self, Availability};
use crate::progress::{self, Step};
use crate::{console, contract, run, setup, tools, widget};

/// The WebDriver the browser tests use.
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// The browser the end-to-end tests drive.
const CHROME_BIN: &str = "/usr/bin/chromium";
/// Seconds a wasm-bindgen browser test run may take.
const WASM_TEST_TIMEOUT: &str = "120";

/// How a step ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Status {
    Ok,
    Failed,
    Skipped,
}

/// One row of the summary.
struct Outcome {
    name: &'static str,
    status: Status,
    time: Duration,
    note: String,
}

/// A note for the summary.
type Note = String;

/// How a step that did not fail ended.
fn passed(note: impl Into<Note>) -> (Status, Note) {
    (Status::Ok, note.into())
}

/// The rows so far, and what the reader must not miss.
#[derive(Default)]
struct Report {
    outcomes: Vec<Outcome>,
    warnings: Vec<String>,
}

impl Report {
    /// Runs a step, printing a banner first, and records how it went.
    fn step(
        &mut self,
        name: &'static str,
        body: impl FnOnce() -> Result<(Status, Note)>,
    ) -> Status {
        println!();
        println!("==> {name}");
        let started = Instant::now();
        let (status, note) = match body() {
            Ok(done) => done,
            Err(err) => {
                eprintln!("[test] {name} failed: {err}");
                (Status::Failed, err.to_string())
            }
        };
        self.record(name, status, started.elapsed(), note);
        status
    }

    /// Records a step that did not run.
    fn skip(&mut self, name: &'static str, why: impl Into<String>) {
        let why = why.into();
        println!();
        println!("==> {name}: skipped ({why})");
        self.record(name, Status::Skipped, Duration::ZERO, why);
    }

    fn record(&mut self, name: &'static str, status: Status, time: Duration, note: String) {
        self.outcomes.push(Outcome {
            name,
            status,
            time,
            note,
        });
    }

    /// Adds a line shown in capitals above the count line.
    fn warn(&mut self, text: impl Into<String>) {
        self.warnings.push(text.into());
    }

    fn count(&self, status: Status) -> usize {
        self.outcomes.iter().filter(|o| o.status == status).count()
    }

    /// The summary table and the closing count line.
    fn render(&self) -> String {
        let width = self
            .outcomes
            .iter()
            .map(|o| o.name.len())
            .max()
            .unwrap_or(4)
            .max(4);
        let mut text = String::from("\nsummary\n");
        text.push_str(&format!(
            "  {:<width$}  {:<7}  {:>7}  note\n",
            "step", "result", "time"
        ));
        for outcome in &self.outcomes {
            let result = match outcome.status {
                Status::Ok => "ok",
                Status::Failed => "FAILED",
                Status::Skipped => "skipped",
            };
            let note = outcome.note.lines().next().unwrap_or_default();
            text.push_str(&format!(
                "  {:<width$}  {:<7}  {:>7}  {}\n",
                outcome.name,
                result,
                progress::format_duration(outcome.time),
                note
            ));
        }
        for warning in &self.warnings {
            text.push_str(&format!("WARNING: {warning}\n"));
        }
        text.push_str(&format!(
            "xtask: {} passed, {} failed",
            self.count(Status::Ok),
            self.count(Status::Failed)
        ));
        let skipped = self.count(Status::Skipped);
        if skipped > 0 {
            text.push_str(&format!(", {skipped} skipped"));
        }
        text
    }
}

/// Runs every check; the exit code is non-zero when any failed.
pub fn test() -> Result<ExitCode> {
    let mut report = Report::default();

    // Missing system packages fail this step, but the build tools may still be fine.
    let mut tools_ready = false;
    report.step("setup", || {
        setup::setup(&[])?;
        tools_ready = true;
        setup::axe_core()?;
        setup::system_packages(setup::TEST_PACKAGES)?;
        // The open-data test validates the package with the Frictionless tools.
        setup::pip_tool(&setup::FRICTIONLESS).map(|()| passed(""))
    });

    report.step("fmt", || {
        progress::command_step(
            "test",
            "fmt",
            tools::cargo().args(["fmt", "--all", "--", "--check"]),
            "test-fmt",
        )
        .map(|()| passed(""))
    });

    report.step("clippy", || {
        progress::command_step(
            "test",
            "clippy",
            tools::cargo().args([
                "clippy",
                "--workspace",
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ]),
            "test-clippy",
        )
        .map(|()| passed(""))
    });

    // Code behind `cfg(target_arch = "wasm32")` is only linted for that target: the widget's
    // (with its split) and the console's.
    report.step("clippy (wasm)", || {
        progress::command_step(
            "test",
            "clippy (wasm)",
            tools::cargo().args([
                "clippy",
                "-p",
                "open-month-kiosk",
                "-p",
                "omk-console",
                "--target",
                "wasm32-unknown-unknown",
                "--all-targets",
                "--features",
                "open-month-kiosk/split",
                "--",
                "-D",
                "warnings",
            ]),
            "test-clippy-wasm",
        )
        .map(|()| passed(""))
    });

    if tools_ready {
        report.step("widget build", || widget::build(false).map(|_| passed("")));
        report.step("console build", || {
            console::build(false).map(|_| passed(""))
        });
    } else {
        report.skip("widget build", "setup failed");
        report.skip("console build", "setup failed");
    }

    let mut postgres_url = None;
    let mut postgres_skipped = None;
    report.step("postgres", || {
        let step = Step::start(
            "test",
            "postgres",
            "starting the cluster, role and database",
        );
        let result = postgres::prepare(&step);
        let result = step.finish(result)?;
        match result {
            Availability::Ready(url) => {
                println!("[test] {}={url}", postgres::URL_VAR);
                postgres_url = Some(url);
                Ok(passed(format!("{} set", postgres::URL_VAR)))
            }
            Availability::Unavailable(reason) if tools::in_ci() => {
                Err(crate::error::Error::PostgresRequired(reason))
            }
            Availability::Unavailable(reason) => {
                progress::note(
                    "test",
                    &format!(
                        "PostgreSQL tests are skipped ({}=1): {reason}",
                        postgres::SKIP_VAR
                    ),
                );
                // Outside CI, a database that cannot be had is a skip, not a failure.
                postgres_skipped = Some(reason.clone());
                Ok((Status::Skipped, reason))
            }
        }
    });
    if let Some(reason) = &postgres_skipped {
        report.warn(format!(
            "THE POSTGRESQL TESTS DID NOT RUN ({}=1): {reason}; CI runs them",
            postgres::SKIP_VAR
        ));
    }

    let dist = widget::dist_dir();
    let console_dist = console::dist_dir();
    report.step("cargo test", || {
        let step = Step::start(
            "test",
            "cargo test",
            "cargo test --workspace --no-fail-fast",
        );
        let mut cmd = tools::cargo();
        cmd.args(["test", "--workspace", "--no-fail-fast"])
            .env("OMK_DIST", &dist)
            .env(run::CONSOLE_DIST_VAR, &console_dist)
            .env("CHROMEDRIVER", CHROMEDRIVER)
            .env("CHROME_BIN", CHROME_BIN);
        // Only this step decides how the tests meet PostgreSQL: with a URL, skipped on
        // purpose (outside CI, when none could be had), or neither, and then they fail.
        cmd.env_remove(postgres::URL_VAR)
            .env_remove(postgres::SKIP_VAR);
        if let Some(url) = &postgres_url {
            cmd.env(postgres::URL_VAR, url);
        } else if postgres_skipped.is_some() {
            cmd.env(postgres::SKIP_VAR, "1");
        }
        let result = step.run_echoing(&mut cmd, "test-cargo-test", is_test_progress_line);
        let log = fs::read_to_string(progress::log_path("test-cargo-test")).unwrap_or_default();
        let counts = TestCounts::from_text(&log);
        let scenarios = ScenarioCounts::from_text(&log);
        let mut note = format!(
            "{}; browser scenarios: {}",
            counts.note(),
            scenarios.map_or_else(|| "no summary".to_owned(), |s| s.note())
        );
        if postgres_skipped.is_some() {
            note.push_str("; PostgreSQL tests SKIPPED");
        }
        println!("[test] cargo test: {note}");
        step.finish(result)?;
        // A suite that ran nothing passes nothing.
        Ok(match scenarios {
            Some(s) if s.passed > 0 => (Status::Ok, note),
            _ => (
                Status::Failed,
                format!("no browser scenario passed: {note}"),
            ),
        })
    });

    report.step("contract", || contract::check().map(passed));

    if tools_ready {
        report.step("wasm tests", || {
            let step = Step::start(
                "test",
                "wasm tests",
                "cargo test -p open-month-kiosk --target wasm32-unknown-unknown (headless Chromium)",
            );
            let result = step.run_echoing(&mut wasm_test_command(), "test-wasm", is_test_progress_line);
            let counts = TestCounts::from_log(&progress::log_path("test-wasm"));
            step.finish(result)?;
            println!("[test] wasm tests: {}", counts.note());
            // Zero tests run is a runner or build problem, not a pass.
            Ok(if counts.ran() == 0 {
                (
                    Status::Failed,
                    "no wasm test ran (tests/*.rs with #[wasm_bindgen_test])".to_owned(),
                )
            } else {
                passed(counts.note())
            })
        });
    } else {
        report.skip("wasm tests", "setup failed");
    }

    if tools_ready {
        report.step("bench baseline", || {
            crate::bench::counter_from_fresh_clone().map(passed)
        });
    } else {
        report.skip("bench baseline", "setup failed");
    }

    println!("{}", report.render());
    Ok(if report.count(Status::Failed) == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// The browser component tests (the widget's and the console's), run by
/// wasm-bindgen-test-runner in headless Chromium.
fn wasm_test_command() -> Command {
    let root = tools::project_root();
    let mut cmd = tools::cargo();
    cmd.args([
        "test",
        "-p",
        "open-month-kiosk",
        "-p",
        "omk-console",
        "--target",
        "wasm32-unknown-unknown",
    ])
    .env("CHROMEDRIVER", CHROMEDRIVER)
    .env("WASM_BINDGEN_TEST_TIMEOUT", WASM_TEST_TIMEOUT)
    // The runner reads webdriver.json from its working folder (the crate root); this
    // makes the choice explicit for runners that take the path from the environment.
    .env(
        "WASM_BINDGEN_TEST_WEBDRIVER_JSON",
        root.join("webdriver.json"),
    );
    cmd
}

/// The lines of test output worth showing live: results, failures, compile errors.
fn is_test_progress_line(line: &str) -> bool {
    let trimmed = line.trim_start();
    trimmed.starts_with("test result:")
        || trimmed.starts_with("Running ")
        || trimmed.starts_with("error[")
        || trimmed.starts_with("error:")
        || trimmed.starts_with("no tests to run")
        || (trimmed.starts_with("test ") && trimmed.ends_with("FAILED"))
        || (trimmed.starts_with("scenario ") && trimmed.contains("... FAILED"))
        || ScenarioCounts::from_line(trimmed).is_some()
}

/// The browser suite's closing `N passed, M failed` line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct ScenarioCounts {
    passed: u64,
    failed: u64,
}

impl ScenarioCounts {
    /// The last summary line of a log, if the suite printed one.
    fn from_text(text: &str) -> Option<ScenarioCounts> {
        text.lines().rev().find_map(ScenarioCounts::from_line)
    }

    /// `3 passed, 1 failed`, and nothing else on the line.
    fn from_line(line: &str) -> Option<ScenarioCounts> {
        let (passed, failed) = line.trim().split_once(" passed, ")?;
        Some(ScenarioCounts {
            passed: passed.parse().ok()?,
            failed: failed.strip_suffix(" failed")?.parse().ok()?,
        })
    }

    fn note(&self) -> Note {
        format!("{} passed, {} failed", self.passed, self.failed)
    }
}

/// Test counts summed over every `test result:` line of a log.
#[derive(Debug, Default, PartialEq, Eq)]
struct TestCounts {
    passed: u64,
    failed: u64,
    ignored: u64,
}

impl TestCounts {
    fn from_log(path: &Path) -> TestCounts {
        fs::read_to_string(path)
            .map(|text| TestCounts::from_text(&text))
            .unwrap_or_default()
    }

    /// Sums `test result: ok. 3 passed; 0 failed; 1 ignored; …` lines.
    fn from_text(text: &str) -> TestCounts {
        let mut counts = TestCounts::default();
        for line in text.lines() {
            let Some(rest) = line.trim_start().strip_prefix("test result:") else {
                continue;
            };
            for part in rest.split(';') {
                let mut words = part.split_whitespace().rev();
                let (Some(label), Some(number)) = (words.next(), words.next()) else {
                    continue;
                };
                let Ok(number) = number.parse::<u64>() else {
                    continue;
                };
                match label {
                    "passed" => counts.passed += number,
                    "failed" => counts.failed += number,
                    "ignored" => counts.ignored += number,
                    _ => {}
                }
            }
        }
        counts
    }

    fn ran(&self) -> u64 {
        self.passed + self.failed
    }

    fn note(&self) -> Note {
        format!(
            "{} passed, {} failed, {} ignored",
            self.passed, self.failed, self.ignored
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_counts_sum_every_result_line() {
        let text = "running 2 tests\n\
                    test result: ok. 2 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.01s\n\
                    test result: FAILED. 3 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out\n";
        assert_eq!(
            TestCounts::from_text(text),
            TestCounts {
                passed: 5,
                failed: 1,
                ignored: 1
            }
        );
        assert_eq!(TestCounts::from_text("no tests to run!\n").ran(), 0);
    }

    #[test]
    fn scenario_counts_come_from_the_suite_line_only() {
        let text = "scenario a ... ok (1.0s)\n\
                    test result: ok. 4 passed; 0 failed; 0 ignored\n\
                    \n\
                    12 passed, 1 failed\n";
        assert_eq!(
            ScenarioCounts::from_text(text),
            Some(ScenarioCounts {
                passed: 12,
                failed: 1
            })
        );
        assert_eq!(
            ScenarioCounts::from_text("0 passed, 0 failed\n").map(|s| s.passed),
            Some(0)
        );
        assert_eq!(
            ScenarioCounts::from_text("xtask: 3 passed, 0 failed\n"),
            None
        );
        assert_eq!(
            ScenarioCounts::from_text("test result: ok. 2 passed; 0 failed\n"),
            None
        );
    }

    #[test]
    fn summary_ends_with_the_count_line() {
        let mut report = Report::default();
        report.record("fmt", Status::Ok, Duration::from_secs(2), String::new());
        report.record(
            "clippy",
            Status::Failed,
            Duration::from_secs(70),
            "1 warning".to_owned(),
        );
        let text = report.render();
        assert_eq!(text.lines().last(), Some("xtask: 1 passed, 1 failed"));
        assert!(text.contains("FAILED"));
        report.record(
            "postgres",
            Status::Skipped,
            Duration::ZERO,
            "not root".to_owned(),
        );
        assert_eq!(
            report.render().lines().last(),
            Some("xtask: 1 passed, 1 failed, 1 skipped")
        );
        report.warn("THE POSTGRESQL TESTS DID NOT RUN");
        let text = report.render();
        let mut last = text.lines().rev();
        assert_eq!(last.next(), Some("xtask: 1 passed, 1 failed, 1 skipped"));
        assert_eq!(
            last.next(),
            Some("WARNING: THE POSTGRESQL TESTS DID NOT RUN")
        );
    }
}
