//! The contract step of `cargo xtask test`: schemathesis, with every check and every phase
//! (stateful included), against a fresh server (a throwaway SQLite file with the demo data, the
//! admin token, no write limit). Whatever the API answers must be what its OpenAPI document
//! says; what the run generates and how long it may take is `xtask/schemathesis.toml`'s.

use std::fs;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::AtomicBool;
use std::time::{SystemTime, UNIX_EPOCH};

use crate::error::{Error, Result};
use crate::progress::{self, Step};
use crate::{run, setup, tools};

/// The settings of the run, beside this crate's manifest.
const CONFIG: &str = "xtask/schemathesis.toml";

/// A server for one run, stopped and its files removed when dropped.
struct Server {
    child: Child,
    dir: PathBuf,
}

impl Drop for Server {
    fn drop(&mut self) {
        // A throwaway server: nothing of it needs to be kept.
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = fs::remove_dir_all(&self.dir);
    }
}

/// Runs schemathesis against a fresh server; the note is its summary.
pub fn check() -> Result<String> {
    setup::pip_tool(&setup::SCHEMATHESIS)?;
    run::build_server()?;
    let token = admin_token();
    let (server, address) = start_server(&token)?;
    let step = Step::start(
        "test",
        "contract",
        "schemathesis --checks all against a fresh server",
    );
    let mut st = tools::command(tools::venv_bin("st"));
    st.arg("--config-file")
        .arg(tools::project_root().join(CONFIG))
        .arg("run")
        .arg(format!("http://{address}/api/v1/openapi.json"))
        .args(["--checks", "all", "--no-color"])
        .arg("-H")
        .arg(format!("Authorization: Bearer {token}"))
        // Whatever the run leaves (caches, reports) goes with the server's folder.
        .current_dir(&server.dir);
    let result = step.run_echoing(&mut st, "test-contract", is_progress_line);
    drop(server);
    let log = fs::read_to_string(progress::log_path("test-contract")).unwrap_or_default();
    let note = summary(&log);
    step.finish(result)?;
    Ok(note)
}

/// A token for this run only (the server wants at least 32 bytes).
fn admin_token() -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    format!(
        "contract-token-{}-{nanos:09}-0123456789abcdef",
        std::process::id()
    )
}

/// Starts `omk-server serve` on a free loopback port over a new SQLite file with the demo data,
/// and waits until it answers.
fn start_server(token: &str) -> Result<(Server, String)> {
    let dir = std::env::temp_dir().join(format!("omk-contract-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).map_err(Error::io(&dir))?;
    let port = free_port(&dir)?;
    let address = format!("127.0.0.1:{port}");
    let binary = tools::target_dir().join("debug").join("omk-server");
    let log_dir = tools::log_dir();
    fs::create_dir_all(&log_dir).map_err(Error::io(&log_dir))?;
    let log_path = progress::log_path("test-contract-server");
    let log = fs::File::create(&log_path).map_err(Error::io(&log_path))?;
    let log_err = log.try_clone().map_err(Error::io(&log_path))?;
    let child = Command::new(&binary)
        .arg("serve")
        .args(["--listen", &address])
        .arg("--database-url")
        .arg(format!("sqlite://{}", dir.join("omk.db").display()))
        .arg("--dist")
        .arg(dir.join("dist"))
        .arg("--demo")
        .args(["--writes-per-minute", "0", "--reads-per-minute", "0"])
        .args(["--lookups-per-minute", "0", "--votes-per-minute", "0"])
        .args(["--ratings-per-minute", "0", "--letters-per-minute", "0"])
        .env("OMK_ADMIN_TOKEN", token)
        .env_remove("OMK_ADMIN_TOKEN_FILE")
        .current_dir(&dir)
        .stdin(Stdio::null())
        .stdout(log)
        .stderr(log_err)
        .spawn()
        .map_err(|source| Error::Spawn {
            program: binary.display().to_string(),
            source,
        })?;
    let mut server = Server { child, dir };
    println!(
        "[test] contract server on {address} (log in {})",
        log_path.display()
    );
    run::wait_until_healthy(&mut server.child, &address, &AtomicBool::new(false))?;
    Ok((server, address))
}

/// A loopback port nothing listens on now.
fn free_port(dir: &Path) -> Result<u16> {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .map_err(Error::io(dir))
}

/// The lines of the run worth showing live: the phases and the closing line.
fn is_progress_line(line: &str) -> bool {
    let line = line.trim();
    ["Examples (", "Coverage (", "Fuzzing (", "Stateful ("]
        .iter()
        .any(|phase| line.contains(phase))
        || is_closing_line(line)
}

/// schemathesis' closing line: `==== 2543 passed, 3 warnings in 40.1s ====` and the like.
fn is_closing_line(line: &str) -> bool {
    let inner = line.trim().trim_matches('=').trim();
    line.trim().starts_with("==") && line.trim().ends_with("==") && inner.contains(" in ")
}

/// What the run found, from its log: the count of test cases and the closing line.
fn summary(log: &str) -> String {
    let cases = log
        .lines()
        .map(str::trim)
        .find(|line| line.contains(" generated, "))
        .unwrap_or_default();
    let closing = log
        .lines()
        .rev()
        .find(|line| is_closing_line(line))
        .map(|line| line.trim().trim_matches('=').trim())
        .unwrap_or("no summary");
    if cases.is_empty() {
        closing.to_owned()
    } else {
        format!("{cases}; {closing}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_is_the_case_count_and_the_closing_line() {
        let log = "Test cases:\n  2543 generated, 2543 passed, 57 skipped\n\nSeed: 1\n\n\
                   ============================ 3 warnings in 123.06s =============================\n";
        assert_eq!(
            summary(log),
            "2543 generated, 2543 passed, 57 skipped; 3 warnings in 123.06s"
        );
        assert!(is_progress_line(" ✅  Fuzzing (in 96.09s)"));
        assert!(!is_progress_line(
            "=================================== SUMMARY ==="
        ));
        assert_eq!(summary(""), "no summary");
    }
}
