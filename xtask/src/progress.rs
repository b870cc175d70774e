//! How a step reports: one line when it starts, one when it ends with its time, a heartbeat every
//! 30 s while a child runs, and the child's output kept in `target/xtask-logs/` (its tail printed
//! only on failure).

use std::fs::{self, File};
use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread;
use std::time::{Duration, Instant};

use crate::error::{Error, Result};
use crate::tools;

/// How often a running child gets a "still running" line.
const HEARTBEAT: Duration = Duration::from_secs(30);
/// How many lines of a failed child's log are printed.
const TAIL_LINES: usize = 60;

/// How many lines of one failed test's output a failure shows.
const FAILURE_LINES: usize = 40;

/// One timed step of a task, e.g. `[setup] trunk 0.21.14`.
pub struct Step {
    scope: &'static str,
    name: String,
    started: Instant,
}

/// Runs one command as a whole step, its line showing the command as written once here:
/// `[scope] name … cargo clippy …`, the output in the log `log`.
pub fn command_step(scope: &'static str, name: &str, cmd: &mut Command, log: &str) -> Result<()> {
    let step = Step::start(scope, name, &tools::display_command(cmd));
    let result = step.run(cmd, log);
    step.finish(result)
}

impl Step {
    /// Prints `[scope] name … doing` and starts the clock.
    pub fn start(scope: &'static str, name: impl Into<String>, doing: &str) -> Step {
        let name = name.into();
        println!("[{scope}] {name} … {doing}");
        Step {
            scope,
            name,
            started: Instant::now(),
        }
    }

    /// Time since the step started.
    pub fn elapsed(&self) -> Duration {
        self.started.elapsed()
    }

    /// Prints the closing line, ✓ or ✗ with the time, and hands `result` back.
    pub fn finish<T>(self, result: Result<T>) -> Result<T> {
        let mark = if result.is_ok() { "✓" } else { "✗" };
        println!(
            "[{}] {} {mark} {}",
            self.scope,
            self.name,
            format_duration(self.elapsed())
        );
        result
    }

    /// Runs `cmd` with its output going to `target/xtask-logs/<log>.log`.
    pub fn run(&self, cmd: &mut Command, log: &str) -> Result<()> {
        self.run_echoing(cmd, log, |_| false)
    }

    /// Like [`Step::run`], and also prints every output line for which `echo` is true.
    pub fn run_echoing(&self, cmd: &mut Command, log: &str, echo: fn(&str) -> bool) -> Result<()> {
        let log_path = log_path(log);
        let status = self.run_to_log(cmd, &log_path, echo)?;
        if status.success() {
            Ok(())
        } else {
            print_tail(&log_path);
            Err(Error::CommandFailed {
                command: tools::display_command(cmd),
                status,
                log: log_path,
            })
        }
    }

    /// Spawns `cmd`, copies its stdout and stderr into `log_path`, beats every 30 s, and
    /// returns its exit status.
    fn run_to_log(
        &self,
        cmd: &mut Command,
        log_path: &Path,
        echo: fn(&str) -> bool,
    ) -> Result<ExitStatus> {
        let log_dir = tools::log_dir();
        fs::create_dir_all(&log_dir).map_err(Error::io(&log_dir))?;
        let mut file = File::create(log_path).map_err(Error::io(log_path))?;
        let header = format!("$ {}\n", tools::display_command(cmd));
        file.write_all(header.as_bytes())
            .map_err(Error::io(log_path))?;
        let file = Arc::new(Mutex::new(file));

        let mut child = cmd
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|source| Error::Spawn {
                program: cmd.get_program().to_string_lossy().into_owned(),
                source,
            })?;
        let mut copiers = Vec::new();
        if let Some(stdout) = child.stdout.take() {
            copiers.push(copy_lines(stdout, Arc::clone(&file), echo));
        }
        if let Some(stderr) = child.stderr.take() {
            copiers.push(copy_lines(stderr, Arc::clone(&file), echo));
        }

        let mut next_beat = HEARTBEAT;
        let status = loop {
            match child.try_wait() {
                Ok(Some(status)) => break status,
                Ok(None) => {}
                Err(source) => {
                    return Err(Error::Io {
                        path: log_path.to_path_buf(),
                        source,
                    });
                }
            }
            if self.elapsed() >= next_beat {
                println!(
                    "[{}] {} … still running ({})",
                    self.scope,
                    self.name,
                    format_duration(self.elapsed())
                );
                next_beat += HEARTBEAT;
            }
            thread::sleep(Duration::from_millis(200));
        };
        // A daemon started by the child (a database server, say) may hold the pipes open:
        // give the copiers a moment to drain, then leave them.
        let drain_until = Instant::now() + Duration::from_secs(5);
        while copiers.iter().any(|copier| !copier.is_finished()) && Instant::now() < drain_until {
            thread::sleep(Duration::from_millis(20));
        }
        for copier in copiers.into_iter().filter(|copier| copier.is_finished()) {
            // A copier only fails when the log cannot be written; the status still stands.
            let _ = copier.join();
        }
        Ok(status)
    }
}

/// Prints `[scope] name ✓ why` for a step with nothing to do.
pub fn skipped(scope: &'static str, name: &str, why: &str) {
    println!("[{scope}] {name} ✓ {why}");
}

/// Prints a notice that needs the reader's attention but does not stop anything.
pub fn note(scope: &'static str, text: &str) {
    println!("[{scope}] note: {text}");
}

/// The log file of a step.
pub fn log_path(name: &str) -> PathBuf {
    tools::log_dir().join(format!("{name}.log"))
}

/// `4s`, `6m52s`, `1h02m`.
pub fn format_duration(duration: Duration) -> String {
    let secs = duration.as_secs();
    match secs {
        0..60 => format!("{secs}s"),
        60..3600 => format!("{}m{:02}s", secs / 60, secs % 60),
        _ => format!("{}h{:02}m", secs / 3600, (secs % 3600) / 60),
    }
}

/// Copies the lines of `from` into the shared log file, echoing the ones `echo` picks.
fn copy_lines(
    from: impl Read + Send + 'static,
    log: Arc<Mutex<File>>,
    echo: fn(&str) -> bool,
) -> thread::JoinHandle<io::Result<()>> {
    thread::spawn(move || {
        let mut reader = BufReader::new(from);
        let mut line = Vec::new();
        loop {
            line.clear();
            if reader.read_until(b'\n', &mut line)? == 0 {
                return Ok(());
            }
            if !line.ends_with(b"\n") {
                line.push(b'\n');
            }
            log.lock()
                .unwrap_or_else(PoisonError::into_inner)
                .write_all(&line)?;
            let text = String::from_utf8_lossy(&line);
            let text = text.trim_end();
            if echo(text) {
                println!("  {text}");
            }
        }
    })
}

/// Prints what each failed test printed, then the last lines of a log, for a step that
/// failed: a test's panic message may sit far above the tail.
fn print_tail(log_path: &Path) {
    let Ok(text) = fs::read_to_string(log_path) else {
        return;
    };
    for (name, output) in failed_tests(&text) {
        eprintln!("---- {name} failed ----");
        for line in output.iter().take(FAILURE_LINES) {
            eprintln!("  {line}");
        }
    }
    let lines: Vec<&str> = text
        .lines()
        .filter(|line| !is_cargo_progress(line))
        .collect();
    let start = lines.len().saturating_sub(TAIL_LINES);
    eprintln!(
        "---- last {} lines of {} (cargo's progress lines left out) ----",
        lines.len() - start,
        log_path.display()
    );
    for line in &lines[start..] {
        eprintln!("  {line}");
    }
    eprintln!("----");
}

/// Each failed test's name and the lines it printed, from libtest's `---- name stdout ----`
/// blocks, and each failed browser scenario's `scenario name ... FAILED (time): why` line
/// with the lines of its reason that follow.
fn failed_tests(log: &str) -> Vec<(&str, Vec<&str>)> {
    let mut failed: Vec<(&str, Vec<&str>)> = Vec::new();
    let mut open = false;
    let mut scenario = false;
    for line in log.lines() {
        if let Some((name, why)) = line
            .strip_prefix("scenario ")
            .and_then(|rest| rest.split_once(" ... FAILED"))
        {
            failed.push((name, vec![why.trim_start()]));
            (open, scenario) = (true, true);
        } else if line.starts_with("scenario ") || scenario && line.trim().is_empty() {
            (open, scenario) = (false, false);
        } else if let Some(name) = line
            .strip_prefix("---- ")
            .and_then(|rest| rest.strip_suffix(" stdout ----"))
        {
            failed.push((name, Vec::new()));
            (open, scenario) = (true, false);
        } else if line == "failures:" || line.starts_with("test result:") {
            open = false;
        } else if open && let Some((_, output)) = failed.last_mut() {
            output.push(line);
        }
    }
    failed
}

/// Whether a line is cargo's per-crate progress (`   Compiling foo v1.0`), noise in a failure's tail.
fn is_cargo_progress(line: &str) -> bool {
    const VERBS: &[&str] = &[
        "Compiling ",
        "Checking ",
        "Downloaded ",
        "Downloading ",
        "Blocking ",
        "Locking ",
        "Adding ",
        "Updating ",
        "Fresh ",
        "Documenting ",
    ];
    let trimmed = line.trim_start();
    line.len() > trimmed.len() && VERBS.iter().any(|verb| trimmed.starts_with(verb))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failed_tests_are_found_with_what_they_printed() {
        let log = "running 2 tests\ntest a ... ok\ntest b::c ... FAILED\n\nfailures:\n\n\
                   ---- b::c stdout ----\n\nthread 'b::c' panicked at x.rs:1:1:\nnot ready\n\n\
                   failures:\n    b::c\n\ntest result: FAILED. 1 passed; 1 failed\n";
        let failed = failed_tests(log);
        assert_eq!(failed.len(), 1);
        assert_eq!(failed[0].0, "b::c");
        assert!(failed[0].1.contains(&"not ready"));
        assert!(!failed[0].1.iter().any(|line| line.contains("test result")));
        assert!(failed_tests("test result: ok. 3 passed").is_empty());
    }

    #[test]
    fn failed_browser_scenarios_are_found_with_their_reason() {
        let log = "scenario a ... ok (1.0s)\nscenario b ... FAILED (2.0s): no such element\n  \
                   and a console error\nscenario c ... ok (1.0s)\n\n1 passed, 1 failed\n";
        let failed = failed_tests(log);
        assert_eq!(failed.len(), 1);
        assert_eq!(failed[0].0, "b");
        assert_eq!(
            failed[0].1,
            vec!["(2.0s): no such element", "  and a console error"]
        );
    }

    #[test]
    fn cargo_progress_lines_are_recognised() {
        assert!(is_cargo_progress("   Compiling serde v1.0.0"));
        assert!(is_cargo_progress(
            "    Checking xtask v0.1.0 (/work/main/xtask)"
        ));
        assert!(!is_cargo_progress("error: could not compile `x`"));
        assert!(!is_cargo_progress("Compiling is what I was doing"));
    }

    #[test]
    fn durations_read_like_a_clock() {
        assert_eq!(format_duration(Duration::from_millis(4_900)), "4s");
        assert_eq!(format_duration(Duration::from_secs(412)), "6m52s");
        assert_eq!(format_duration(Duration::from_secs(3_720)), "1h02m");
    }
}
