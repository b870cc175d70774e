//! `cargo xtask run`: the widget and the operators' console built, the reference server built and
//! started on them, and a clean stop on Ctrl-C.

use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use signal_hook::consts::{SIGINT, SIGTERM};

use crate::error::{Error, Result};
use crate::progress::{self, Step};
use crate::{console, setup, tools, widget};

/// How long the server may take to answer `/healthz` (its first start creates and seeds the database).
const STARTUP_TIMEOUT: Duration = Duration::from_secs(90);
/// How long the server gets to stop by itself after Ctrl-C before it is sent SIGINT directly.
const STOP_GRACE: Duration = Duration::from_secs(3);
/// How long a graceful stop may take before the server is killed.
const STOP_TIMEOUT: Duration = Duration::from_secs(20);

/// The environment variable that tells omk-server where the built console is.
pub const CONSOLE_DIST_VAR: &str = "OMK_CONSOLE_DIST";

/// Flags of `cargo xtask run`.
#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// Port to listen on.
    #[arg(long, default_value_t = 8080)]
    port: u16,
    /// SQLite database file; created and seeded on first start [default: data/omk.db at the root].
    #[arg(long)]
    data: Option<PathBuf>,
    /// Address to listen on (an IP address; 0.0.0.0 for every interface).
    #[arg(long, default_value = "127.0.0.1")]
    listen_host: String,
    /// Use the existing dist/, console/dist/ and server binary as they are: no setup, no builds.
    #[arg(long)]
    no_build: bool,
}

/// Runs the kiosk until Ctrl-C.
pub fn run(args: &RunArgs) -> Result<()> {
    let root = tools::project_root();
    let (dist, console_dist) = if args.no_build {
        (widget::dist_dir(), console::dist_dir())
    } else {
        setup::setup(&[])?;
        (widget::build(false)?, console::build(false)?)
    };
    let server = tools::target_dir().join("debug").join("omk-server");
    if args.no_build && server.is_file() {
        progress::skipped(
            "build",
            "omk-server",
            "--no-build: using the existing binary",
        );
    } else {
        build_server()?;
    }

    let data = match &args.data {
        Some(path) if path.is_absolute() => path.clone(),
        Some(path) => std::env::current_dir().map_err(Error::io(path))?.join(path),
        None => root.join("data").join("omk.db"),
    };
    let listen = socket_address(&args.listen_host, args.port);

    // Ctrl-C reaches the whole process group: the server stops by itself, and xtask waits for it.
    let interrupted = Arc::new(AtomicBool::new(false));
    for signal in [SIGINT, SIGTERM] {
        signal_hook::flag::register(signal, Arc::clone(&interrupted)).map_err(Error::Signal)?;
    }

    println!(
        "[run] starting omk-server on {listen} (database {}, widget {}, console {})",
        data.display(),
        dist.display(),
        console_dist.display()
    );
    let mut child = Command::new(&server)
        .arg("serve")
        .arg("--listen")
        .arg(&listen)
        .arg("--database-url")
        .arg(format!("sqlite://{}", data.display()))
        .arg("--dist")
        .arg(&dist)
        // The embedded default shows the demo; a city's own `omk-server serve` never does.
        .arg("--demo")
        .env(CONSOLE_DIST_VAR, &console_dist)
        .current_dir(&root)
        .stdin(Stdio::null())
        .spawn()
        .map_err(|source| Error::Spawn {
            program: server.display().to_string(),
            source,
        })?;

    let probe = probe_address(&args.listen_host, args.port);
    match wait_until_healthy(&mut child, &probe, &interrupted) {
        Ok(true) => {
            println!();
            println!("Open Month Kiosk is running at http://{probe}/");
            println!("The operators' console is at {}", console_url(&probe));
            println!(
                "Its demo sign-ins (demo.admin, demo.unit, demo.moderator, demo.supervisor) are printed above the first time the \
                 demo is seeded; for a new password:"
            );
            println!(
                "  {} --database-url sqlite://{} operator add demo.admin --role admin",
                server.display(),
                data.display()
            );
            println!("  (it reads the password from standard input)");
            println!("Press Ctrl-C to stop.");
            println!();
        }
        Ok(false) => {}
        Err(err) => {
            stop(&mut child);
            return Err(err);
        }
    }

    loop {
        if let Some(status) = child.try_wait().map_err(wait_error)? {
            return if interrupted.load(Ordering::SeqCst) {
                println!("[run] omk-server stopped ({status})");
                Ok(())
            } else {
                Err(Error::ServerExited(status))
            };
        }
        if interrupted.load(Ordering::SeqCst) {
            let status = stop(&mut child);
            println!("[run] omk-server stopped ({})", describe(status));
            return Ok(());
        }
        thread::sleep(Duration::from_millis(200));
    }
}

/// `cargo build -p omk-server` (dev profile, shared with the tests).
pub(crate) fn build_server() -> Result<()> {
    let step = Step::start("build", "omk-server", "cargo build -p omk-server");
    let result = step.run(
        tools::cargo().args(["build", "-p", "omk-server"]),
        "build-server",
    );
    step.finish(result)
}

/// Waits for `/healthz` to answer 200. `Ok(false)` when interrupted first.
pub(crate) fn wait_until_healthy(
    child: &mut Child,
    probe: &str,
    interrupted: &AtomicBool,
) -> Result<bool> {
    let started = Instant::now();
    while started.elapsed() < STARTUP_TIMEOUT {
        if let Some(status) = child.try_wait().map_err(wait_error)? {
            return Err(Error::ServerExited(status));
        }
        if interrupted.load(Ordering::SeqCst) {
            return Ok(false);
        }
        if healthz(probe) {
            return Ok(true);
        }
        thread::sleep(Duration::from_millis(250));
    }
    Err(Error::ServerTimeout {
        url: format!("http://{probe}/healthz"),
        secs: STARTUP_TIMEOUT.as_secs(),
    })
}

/// One plain HTTP/1.1 `GET /healthz`; true on a 200.
fn healthz(address: &str) -> bool {
    let Some(socket) = address
        .to_socket_addrs()
        .ok()
        .and_then(|mut all| all.next())
    else {
        return false;
    };
    let Ok(mut stream) = TcpStream::connect_timeout(&socket, Duration::from_secs(2)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let request = format!("GET /healthz HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n");
    if stream.write_all(request.as_bytes()).is_err() {
        return false;
    }
    let mut head = [0u8; 16];
    let mut read = 0;
    while read < head.len() {
        match stream.read(&mut head[read..]) {
            Ok(0) | Err(_) => break,
            Ok(n) => read += n,
        }
    }
    is_ok_status_line(&head[..read])
}

/// Whether a response starts with `HTTP/1.x 200`.
fn is_ok_status_line(head: &[u8]) -> bool {
    let text = String::from_utf8_lossy(head);
    let mut parts = text.split_whitespace();
    parts
        .next()
        .is_some_and(|version| version.starts_with("HTTP/"))
        && parts.next() == Some("200")
}

/// Stops the server: a grace period (it got Ctrl-C too), then SIGINT, then a kill.
fn stop(child: &mut Child) -> Option<ExitStatus> {
    let started = Instant::now();
    let mut signalled = false;
    loop {
        if let Ok(Some(status)) = child.try_wait() {
            return Some(status);
        }
        if !signalled && started.elapsed() >= STOP_GRACE {
            signalled = true;
            let _ = Command::new("kill")
                .args(["-INT", &child.id().to_string()])
                .stdin(Stdio::null())
                .status();
        }
        if started.elapsed() >= STOP_TIMEOUT {
            println!("[run] omk-server did not stop in time; killing it");
            let _ = child.kill();
            return child.wait().ok();
        }
        thread::sleep(Duration::from_millis(100));
    }
}

/// `HOST:PORT`, with brackets around an IPv6 host.
fn socket_address(host: &str, port: u16) -> String {
    if host.contains(':') && !host.starts_with('[') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    }
}

/// Where to reach a server listening on `host` from this machine (also the URL shown).
fn probe_address(host: &str, port: u16) -> String {
    match host {
        "0.0.0.0" => socket_address("127.0.0.1", port),
        "::" | "[::]" => socket_address("::1", port),
        _ => socket_address(host, port),
    }
}

/// The console's address on a server reached at `probe` (`HOST:PORT`).
fn console_url(probe: &str) -> String {
    format!("http://{probe}/console/")
}

/// For `map_err` on waiting for the server.
fn wait_error(source: std::io::Error) -> Error {
    Error::Wait {
        program: "omk-server",
        source,
    }
}

/// An exit status for a message.
fn describe(status: Option<ExitStatus>) -> String {
    status.map_or_else(|| "status unknown".to_owned(), |status| status.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn healthy_means_a_200_status_line() {
        assert!(is_ok_status_line(b"HTTP/1.1 200 OK\r\n"));
        assert!(!is_ok_status_line(b"HTTP/1.1 503 Service"));
        assert!(!is_ok_status_line(b""));
    }

    #[test]
    fn addresses_bracket_ipv6_and_probe_loopback() {
        assert_eq!(socket_address("127.0.0.1", 8080), "127.0.0.1:8080");
        assert_eq!(socket_address("::1", 8080), "[::1]:8080");
        assert_eq!(probe_address("0.0.0.0", 80), "127.0.0.1:80");
        assert_eq!(probe_address("::", 80), "[::1]:80");
        assert_eq!(
            console_url(&probe_address("0.0.0.0", 8080)),
            "http://127.0.0.1:8080/console/"
        );
    }
}
