//! The processes a benchmark runs: the binaries built with the `bench-server` profile, servers
//! started on free loopback ports and stopped again, and `omk-bench` runs whose JSON is read back.

use std::fs::{self, File};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::error::{Error, Result};
use crate::progress::{self, Step};
use crate::tools;

/// The cargo profile the measured binaries are built with.
const PROFILE: &str = "bench-server";
/// How long a server may take to answer.
const STARTUP_TIMEOUT: Duration = Duration::from_secs(90);

/// Where the measured binaries are.
pub fn bin(name: &str) -> PathBuf {
    tools::target_dir().join(PROFILE).join(name)
}

/// Scratch space of one benchmark, emptied first.
pub fn scratch(name: &str) -> Result<PathBuf> {
    let dir = tools::target_dir().join("bench").join("tmp").join(name);
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).map_err(Error::io(&dir))?;
    Ok(dir)
}

/// The server and the bench tools in the `bench-server` profile.
pub fn build() -> Result<()> {
    progress::command_step(
        "bench",
        "binaries",
        tools::cargo().args([
            "build",
            "--profile",
            PROFILE,
            "-p",
            "omk-server",
            "-p",
            "omk-bench",
        ]),
        "bench-build",
    )
}

/// A demo database made once per run and copied for every server, so no measured server spends
/// its time (or its memory peak) seeding.
pub fn sqlite_template() -> Result<PathBuf> {
    let dir = tools::target_dir().join("bench").join("tmp");
    let db = dir.join("template.db");
    if db.is_file() && fs::metadata(&db).is_ok_and(|m| m.len() > 0) {
        return Ok(db);
    }
    fs::create_dir_all(&dir).map_err(Error::io(&dir))?;
    seed(&format!("sqlite://{}", db.display()), "bench-seed-sqlite")?;
    Ok(db)
}

/// `omk-server seed-demo` into `database_url`.
pub fn seed(database_url: &str, log: &str) -> Result<()> {
    let step = Step::start("bench", "demo data", "omk-server seed-demo");
    let result = step.run(
        // A PostgreSQL URL carries a password: the server takes it only from the environment.
        tools::command(bin("omk-server"))
            .arg("seed-demo")
            .env("DATABASE_URL", database_url),
        log,
    );
    step.finish(result)
}

/// A fresh copy of the template database in `dir`; its `sqlite://` URL.
pub fn sqlite_copy(dir: &Path) -> Result<String> {
    let template = sqlite_template()?;
    let db = dir.join("omk.db");
    fs::copy(&template, &db).map_err(Error::io(&db))?;
    Ok(format!("sqlite://{}", db.display()))
}

/// A server process, stopped on drop.
pub struct Server {
    pub addr: SocketAddr,
    child: Child,
    name: &'static str,
}

impl Server {
    /// Starts `omk-server serve` on a free port over `database_url`, with the per-client limits
    /// off: every simulated visitor comes from this one machine.
    pub fn omk(database_url: &str, log: &str) -> Result<Server> {
        let addr = free_addr()?;
        let mut cmd = tools::command(bin("omk-server"));
        cmd.arg("serve")
            .args(["--listen", &addr.to_string()])
            .env("DATABASE_URL", database_url)
            .arg("--dist")
            .arg(crate::widget::dist_dir())
            .arg("--console-dist")
            .arg(crate::console::dist_dir())
            .args(["--writes-per-minute", "0", "--min-fill-ms", "0"])
            .args(["--reads-per-minute", "0", "--lookups-per-minute", "0"])
            .args(["--votes-per-minute", "0", "--ratings-per-minute", "0"])
            .args(["--streams-per-client", "100000", "--max-streams", "100000"])
            .args(["--max-connections", "100000"])
            .env("RUST_LOG", "warn");
        Server::spawn(cmd, addr, "omk-server", log, true)
    }

    /// Starts an `omk-bench baseline` server of `kind` (e.g. `["hello"]`).
    pub fn baseline(kind: &[&str], log: &str) -> Result<Server> {
        let addr = free_addr()?;
        let mut cmd = tools::command(bin("omk-bench"));
        cmd.args(["baseline", "--listen", &addr.to_string()])
            .args(kind);
        Server::spawn(cmd, addr, "omk-bench", log, false)
    }

    fn spawn(
        mut cmd: Command,
        addr: SocketAddr,
        name: &'static str,
        log: &str,
        health: bool,
    ) -> Result<Server> {
        let log_path = progress::log_path(log);
        fs::create_dir_all(tools::log_dir()).map_err(Error::io(&tools::log_dir()))?;
        let file = File::create(&log_path).map_err(Error::io(&log_path))?;
        let err = file.try_clone().map_err(Error::io(&log_path))?;
        let child = cmd
            .stdout(Stdio::from(file))
            .stderr(Stdio::from(err))
            .spawn()
            .map_err(|source| Error::Spawn {
                program: name.to_owned(),
                source,
            })?;
        let mut server = Server { addr, child, name };
        server.wait_ready(health)?;
        Ok(server)
    }

    /// Waits for the port to accept connections (and `/healthz` to answer 200, for `health`).
    fn wait_ready(&mut self, health: bool) -> Result<()> {
        let started = Instant::now();
        while started.elapsed() < STARTUP_TIMEOUT {
            if let Some(status) = self.child.try_wait().map_err(|source| Error::Wait {
                program: self.name,
                source,
            })? {
                return Err(Error::ServerExited(status));
            }
            if let Ok(mut stream) =
                TcpStream::connect_timeout(&self.addr, Duration::from_millis(500))
                && (!health || healthz(&mut stream, self.addr))
            {
                return Ok(());
            }
            thread::sleep(Duration::from_millis(100));
        }
        Err(Error::ServerTimeout {
            url: format!("http://{}/healthz", self.addr),
            secs: STARTUP_TIMEOUT.as_secs(),
        })
    }

    /// The process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The process's peak resident memory so far (`VmHWM`), in bytes.
    pub fn peak_rss(&self) -> Option<u64> {
        status_kib(self.child.id(), "VmHWM").map(|kib| kib * 1024)
    }

    /// Stops the server: SIGINT, then a kill after a few seconds.
    pub fn stop(mut self) {
        self.halt();
    }

    fn halt(&mut self) {
        if matches!(self.child.try_wait(), Ok(Some(_))) {
            return;
        }
        let _ = Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .stdin(Stdio::null())
            .status();
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(5) {
            if matches!(self.child.try_wait(), Ok(Some(_))) {
                return;
            }
            thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.halt();
    }
}

/// One `GET /healthz`; true on a 200.
fn healthz(stream: &mut TcpStream, addr: SocketAddr) -> bool {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let request = format!("GET /healthz HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    if stream.write_all(request.as_bytes()).is_err() {
        return false;
    }
    let mut head = [0u8; 12];
    let mut read = 0;
    while read < head.len() {
        match stream.read(&mut head[read..]) {
            Ok(0) | Err(_) => break,
            Ok(n) => read += n,
        }
    }
    head[..read].starts_with(b"HTTP/1.1 200")
}

/// Raises this process's open-file limit to at least `needed` (up to the hard limit); the
/// servers and load generators started afterwards inherit it.
pub fn raise_open_files(needed: u64) -> Result<()> {
    use rustix::process::{Resource, Rlimit, getrlimit, setrlimit};
    let limit = getrlimit(Resource::Nofile);
    let hard = limit.maximum.unwrap_or(u64::MAX);
    if hard < needed {
        return Err(Error::OpenFiles {
            needed,
            limit: hard,
        });
    }
    if let Some(soft) = limit.current.filter(|soft| *soft < needed) {
        let raised = Rlimit {
            current: Some(hard.min(needed.max(65_536))),
            maximum: limit.maximum,
        };
        setrlimit(Resource::Nofile, raised).map_err(|_| Error::OpenFiles {
            needed,
            limit: soft,
        })?;
    }
    Ok(())
}

/// A loopback address with a port nobody listens on right now.
pub fn free_addr() -> Result<SocketAddr> {
    let here = Path::new("127.0.0.1:0");
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map_err(Error::io(here))
}

/// A `kB` field of `/proc/<pid>/status`, in KiB.
fn status_kib(pid: u32, field: &str) -> Option<u64> {
    let text = fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    parse_status_kib(&text, field)
}

/// `VmHWM:  123456 kB` → 123456.
fn parse_status_kib(text: &str, field: &str) -> Option<u64> {
    text.lines()
        .find_map(|line| line.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
}

/// Runs `omk-bench ARGS --out FILE` as a step and returns the JSON it wrote.
pub fn omk_bench(step: &Step, args: &[String], log: &str) -> Result<Value> {
    let out = tools::target_dir()
        .join("bench")
        .join("tmp")
        .join(format!("{log}.json"));
    if let Some(dir) = out.parent() {
        fs::create_dir_all(dir).map_err(Error::io(dir))?;
    }
    let _ = fs::remove_file(&out);
    step.run(
        tools::command(bin("omk-bench"))
            .args(args)
            .arg("--out")
            .arg(&out)
            .env("CHROMEDRIVER", "/usr/bin/chromedriver"),
        log,
    )?;
    read_json(&out)
}

/// A JSON file.
pub fn read_json(path: &Path) -> Result<Value> {
    let text = fs::read_to_string(path).map_err(Error::io(path))?;
    serde_json::from_str(&text).map_err(|e| Error::Io {
        path: path.to_path_buf(),
        source: std::io::Error::new(std::io::ErrorKind::InvalidData, e),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn peak_memory_is_read_from_proc_status() {
        let text =
            "Name:\tomk-server\nVmPeak:\t  900000 kB\nVmHWM:\t   51234 kB\nVmRSS:\t   40000 kB\n";
        assert_eq!(parse_status_kib(text, "VmHWM"), Some(51_234));
        assert_eq!(parse_status_kib(text, "VmRSS"), Some(40_000));
        assert_eq!(parse_status_kib(text, "VmSwap"), None);
    }
}
