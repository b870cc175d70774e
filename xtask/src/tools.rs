//! Where things are and what this machine is: the project's folders, the PATH every tool runs with, versions, root, CI.

use std::env;
use std::ffi::{OsStr, OsString};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::error::{Error, Result};

/// The repository root (the folder above `xtask/`).
pub fn project_root() -> PathBuf {
    let manifest_dir = env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    manifest_dir
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or(manifest_dir)
}

/// Cargo's target folder, shared by every package of the workspace.
pub fn target_dir() -> PathBuf {
    match env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => project_root().join(dir),
        None => project_root().join("target"),
    }
}

/// Where the output of child processes is kept, one file per step.
pub fn log_dir() -> PathBuf {
    target_dir().join("xtask-logs")
}

/// The project-local npm prefix that holds wasm-opt (binaryen).
pub fn node_prefix() -> PathBuf {
    project_root().join(".tools").join("node")
}

/// The folder of the project-local npm binaries.
pub fn node_bin() -> PathBuf {
    node_prefix().join("node_modules").join(".bin")
}

/// The project-local Python environment that holds schemathesis.
pub fn venv_dir() -> PathBuf {
    project_root().join(".tools").join("venv")
}

/// A program of the project-local Python environment, such as `st` or `python`.
pub fn venv_bin(program: &str) -> PathBuf {
    venv_dir().join("bin").join(program)
}

/// Where `cargo install` puts binaries.
fn cargo_bin() -> Option<PathBuf> {
    env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")))
        .map(|home| home.join("bin"))
}

/// PATH with the project-local node binaries first, then cargo's, then the caller's.
pub fn tool_path() -> OsString {
    let inherited = env::var_os("PATH").unwrap_or_default();
    let mut dirs = vec![node_bin()];
    dirs.extend(cargo_bin());
    dirs.extend(env::split_paths(&inherited));
    env::join_paths(dirs).unwrap_or(inherited)
}

/// The cargo that runs xtask, so children use the same toolchain.
pub fn cargo_program() -> OsString {
    env::var_os("CARGO").unwrap_or_else(|| OsString::from("cargo"))
}

/// A command that runs at the project root with the tool PATH and no standard input.
pub fn command(program: impl AsRef<OsStr>) -> Command {
    let mut cmd = Command::new(program);
    cmd.current_dir(project_root())
        .env("PATH", tool_path())
        .stdin(Stdio::null());
    cmd
}

/// `cargo` as a [`command`].
pub fn cargo() -> Command {
    command(cargo_program())
}

/// The path of `name` on the tool PATH, if it is there.
pub fn find_on_path(name: &str) -> Option<PathBuf> {
    env::split_paths(&tool_path())
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
}

/// What `program --version` prints (trimmed stdout), or `None` when it cannot run.
pub fn version_output(program: &str) -> Option<String> {
    let output = command(program)
        .arg("--version")
        .stderr(Stdio::null())
        .output()
        .ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

/// Whether xtask runs as root (effective uid 0).
pub fn is_root() -> bool {
    if let Ok(status) = fs::read_to_string("/proc/self/status")
        && let Some(line) = status.lines().find(|line| line.starts_with("Uid:"))
    {
        return line.split_whitespace().nth(2) == Some("0");
    }
    Command::new("id")
        .arg("-u")
        .stdin(Stdio::null())
        .output()
        .is_ok_and(|out| String::from_utf8_lossy(&out.stdout).trim() == "0")
}

/// Whether this is a CI run (`CI=true`, as CI services set it).
pub fn in_ci() -> bool {
    env::var("CI").is_ok_and(|value| matches!(value.as_str(), "true" | "1" | "yes"))
}

/// Every version of `package` that the lock file `lock` lists.
pub fn lock_versions(lock: &Path, package: &str) -> Result<Vec<String>> {
    let text = fs::read_to_string(lock).map_err(Error::io(lock))?;
    Ok(parse_lock_versions(&text, package))
}

/// The one version of `package` in `lock`, or an error when there are none or several.
pub fn lock_version(lock: &Path, package: &'static str) -> Result<String> {
    let mut versions = lock_versions(lock, package)?;
    if versions.len() == 1 {
        Ok(versions.remove(0))
    } else {
        Err(Error::LockVersion {
            lock: lock.to_path_buf(),
            package,
            count: versions.len(),
        })
    }
}

/// The versions of `package` in the text of a Cargo.lock (`[[package]]` tables of `name`/`version`).
fn parse_lock_versions(text: &str, package: &str) -> Vec<String> {
    let mut versions = Vec::new();
    let mut name: Option<&str> = None;
    for line in text.lines().map(str::trim) {
        if line == "[[package]]" {
            name = None;
        } else if let Some(value) = toml_string(line, "name") {
            name = Some(value);
        } else if let Some(value) = toml_string(line, "version")
            && name == Some(package)
        {
            versions.push(value.to_owned());
        }
    }
    versions
}

/// The value of `key = "value"`, when `line` is that.
fn toml_string<'a>(line: &'a str, key: &str) -> Option<&'a str> {
    let rest = line.strip_prefix(key)?.trim_start().strip_prefix('=')?;
    rest.trim().strip_prefix('"')?.strip_suffix('"')
}

/// The text of a command line, for messages and log headers.
pub fn display_command(cmd: &Command) -> String {
    let program = Path::new(cmd.get_program())
        .file_name()
        .unwrap_or(cmd.get_program())
        .to_string_lossy()
        .into_owned();
    let mut text = program;
    for arg in cmd.get_args() {
        text.push(' ');
        text.push_str(&arg.to_string_lossy());
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOCK: &str = r#"
version = 4

[[package]]
name = "wasm-bindgen"
version = "0.2.130"
source = "registry+https://github.com/rust-lang/crates.io-index"
dependencies = [
 "cfg-if",
]

[[package]]
name = "wasm-bindgen-backend"
version = "0.2.130"

[[package]]
name = "clap"
version = "4.6.9"
"#;

    #[test]
    fn lock_parsing_finds_exact_package_only() {
        assert_eq!(parse_lock_versions(LOCK, "wasm-bindgen"), ["0.2.130"]);
        assert_eq!(parse_lock_versions(LOCK, "clap"), ["4.6.9"]);
        assert!(parse_lock_versions(LOCK, "trunk").is_empty());
    }

    #[test]
    fn lock_format_version_is_not_a_package() {
        assert!(parse_lock_versions(LOCK, "").is_empty());
    }
}
