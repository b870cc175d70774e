//! The one error type of xtask: each variant says what went wrong and where to look next.

use std::io;
use std::path::{Path, PathBuf};
use std::process::ExitStatus;

/// Everything that can stop a task.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A program could not be started at all (usually: not installed, or not on PATH).
    #[error("could not start `{program}`: {source}")]
    Spawn {
        program: String,
        #[source]
        source: io::Error,
    },
    /// Waiting for a running program failed.
    #[error("could not wait for `{program}`: {source}")]
    Wait {
        program: &'static str,
        #[source]
        source: io::Error,
    },
    /// A program ran and exited unsuccessfully; its output is in the log.
    #[error("`{command}` failed ({status}); full output in {}", shown(log))]
    CommandFailed {
        command: String,
        status: ExitStatus,
        log: PathBuf,
    },
    /// Reading or writing a file failed.
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    /// A tool is on PATH, but not at the version the project needs.
    #[error("{tool} {wanted} is needed, but `{tool} --version` says {found:?} (check PATH order)")]
    WrongVersion {
        tool: &'static str,
        wanted: String,
        found: String,
    },
    /// Cargo.lock does not name exactly one version of a package.
    #[error("{} lists {count} versions of `{package}`; expected exactly one", lock.display())]
    LockVersion {
        lock: PathBuf,
        package: &'static str,
        count: usize,
    },
    /// Debian packages are missing and this user cannot install them.
    #[error(
        "missing system packages: {0}; install them as root with `apt-get update && apt-get install -y {0}`"
    )]
    MissingPackages(String),
    /// A build finished but its output is not where it should be.
    #[error("{} is missing after the build", .0.display())]
    MissingOutput(PathBuf),
    /// PostgreSQL is needed (CI) but cannot be had.
    #[error("PostgreSQL is required in CI, but {0}")]
    PostgresRequired(String),
    /// A signal handler could not be installed.
    #[error("could not install the Ctrl-C handler: {0}")]
    Signal(#[source] io::Error),
    /// The server process ended on its own.
    #[error("the server stopped unexpectedly ({0})")]
    ServerExited(ExitStatus),
    /// `split-widget` runs as Trunk's post-build hook only.
    #[error(
        "split-widget is Trunk's post-build hook: run `trunk build` (TRUNK_STAGING_DIR is not set)"
    )]
    NotInTrunk,
    /// The module could not be split into chunks.
    #[error("splitting the widget's module failed: {0}")]
    Split(String),
    /// A benchmark's baseline came out where it cannot honestly be: a ratio against it would
    /// mean nothing, so the bench stops.
    #[error("baseline out of its known range: {what} is {value}, expected {range}; {hint}")]
    BaselineOutOfRange {
        what: String,
        value: String,
        range: String,
        hint: &'static str,
    },
    /// A measurement could not be read from a benchmark's output.
    #[error("benchmark output lacks {0}")]
    BenchOutput(String),
    /// A bare baseline lost frames, so it is no figure to compare with.
    #[error(
        "the bare broadcast at {clients} clients is unsound: only {complete} clients saw every post"
    )]
    UnsoundBaseline { clients: usize, complete: u64 },
    /// The open-file limit cannot hold the connections a benchmark needs.
    #[error(
        "{needed} open files are needed, but the hard limit is {limit}; raise it (`ulimit -Hn`) as root"
    )]
    OpenFiles { needed: u64, limit: u64 },
    /// The server never answered its health check.
    #[error("the server did not answer {url} within {secs} s")]
    ServerTimeout { url: String, secs: u64 },
}

impl Error {
    /// For `map_err`: an I/O error about `path`.
    pub fn io(path: &Path) -> impl FnOnce(io::Error) -> Error + '_ {
        move |source| Error::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

/// A path as messages show it: relative to the project root when it is inside it.
fn shown(path: &Path) -> String {
    let root = crate::tools::project_root();
    path.strip_prefix(&root)
        .unwrap_or(path)
        .display()
        .to_string()
}

/// xtask's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
