//! `cargo xtask setup`: installs what building and testing need, and skips whatever is already
//! there at the right version.

use std::process::Stdio;

use crate::error::{Error, Result};
use crate::progress::{self, Step};
use crate::tools;

/// The Trunk release the project builds with (0.22 needs a newer rustc than stable has here).
pub const TRUNK_VERSION: &str = "0.21.14";
/// The binaryen (wasm-opt) release from npm; Debian's is too old for current rustc output.
pub const BINARYEN_VERSION: &str = "132";
/// The axe-core release the accessibility tests inject into pages.
pub const AXE_VERSION: &str = "4.14.1";
/// The schemathesis release (PyPI) the contract check runs.
pub const SCHEMATHESIS_VERSION: &str = "4.32.5";
/// The Frictionless release (PyPI) the open data is validated with.
pub const FRICTIONLESS_VERSION: &str = "5.21.0";
/// The WebAssembly target of the widget.
const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// A Debian package that a task needs, and the program that shows it is there without dpkg.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SystemPackage {
    pub name: &'static str,
    program: &'static str,
}

pub const CHROMIUM: SystemPackage = SystemPackage {
    name: "chromium",
    program: "chromium",
};
pub const CHROMIUM_DRIVER: SystemPackage = SystemPackage {
    name: "chromium-driver",
    program: "chromedriver",
};
pub const POSTGRESQL: SystemPackage = SystemPackage {
    name: "postgresql",
    program: "pg_ctlcluster",
};
/// Python's `venv` module, for the project-local environment that holds schemathesis and
/// the Frictionless tools.
pub const PYTHON3_VENV: SystemPackage = SystemPackage {
    name: "python3-venv",
    program: "python3",
};
/// Chinese glyphs, so screenshots of the kiosk show text rather than boxes.
pub const CJK_FONT: SystemPackage = SystemPackage {
    name: "fonts-wqy-microhei",
    program: "fc-list",
};

/// What `cargo xtask test` needs from Debian.
pub const TEST_PACKAGES: &[SystemPackage] = &[
    CHROMIUM,
    CHROMIUM_DRIVER,
    POSTGRESQL,
    CJK_FONT,
    PYTHON3_VENV,
];

/// Installs the Rust target, Trunk, wasm-bindgen-cli and wasm-opt, then the given system packages
/// (and, with Python's `venv` among them, schemathesis and the Frictionless tools).
pub fn setup(packages: &[SystemPackage]) -> Result<()> {
    wasm_target()?;
    crates()?;
    trunk()?;
    wasm_bindgen()?;
    wasm_opt()?;
    if packages.contains(&CHROMIUM) {
        axe_core()?;
    }
    system_packages(packages)?;
    if packages.contains(&PYTHON3_VENV) {
        pip_tool(&SCHEMATHESIS)?;
        pip_tool(&FRICTIONLESS)?;
    }
    Ok(())
}

/// A Python tool installed with pip into the project's own environment, `.tools/venv`.
#[derive(Clone, Copy, Debug)]
pub struct PipTool {
    /// The PyPI package.
    package: &'static str,
    /// The release installed.
    version: &'static str,
    /// The program it puts in `.tools/venv/bin`, whose `--version` ends in `version`.
    program: &'static str,
}

/// schemathesis, for the contract check.
pub const SCHEMATHESIS: PipTool = PipTool {
    package: "schemathesis",
    version: SCHEMATHESIS_VERSION,
    program: "st",
};
/// The Frictionless tools, which the open-data test validates the package with.
pub const FRICTIONLESS: PipTool = PipTool {
    package: "frictionless",
    version: FRICTIONLESS_VERSION,
    program: "frictionless",
};

/// `python3 -m venv .tools/venv` and `pip install <package>==<version>` into it, unless the
/// tool is there at that release.
pub fn pip_tool(tool: &PipTool) -> Result<()> {
    let name = format!("{} {}", tool.package, tool.version);
    if pip_tool_is_wanted(tool) {
        progress::skipped("setup", &name, "already installed");
        return Ok(());
    }
    let step = Step::start("setup", name, "installing into .tools/venv (about 1 min)");
    let python = tools::venv_bin("python");
    let result = if python.is_file() {
        Ok(())
    } else {
        step.run(
            tools::command("python3")
                .args(["-m", "venv"])
                .arg(tools::venv_dir()),
            "setup-venv",
        )
    };
    let result = result
        .and_then(|()| {
            step.run(
                tools::command(&python).args([
                    "-m",
                    "pip",
                    "install",
                    "--disable-pip-version-check",
                    "--quiet",
                    &format!("{}=={}", tool.package, tool.version),
                ]),
                &format!("setup-{}", tool.package),
            )
        })
        .and_then(|()| {
            if pip_tool_is_wanted(tool) {
                Ok(())
            } else {
                let program = tools::venv_bin(tool.program);
                Err(Error::WrongVersion {
                    tool: tool.program,
                    wanted: tool.version.to_owned(),
                    found: tools::version_output(&program.to_string_lossy()).unwrap_or_default(),
                })
            }
        });
    step.finish(result)
}

/// Whether `.tools/venv/bin/<program> --version` ends in the wanted release
/// (`st, version 4.32.5`, `5.21.0`).
fn pip_tool_is_wanted(tool: &PipTool) -> bool {
    tools::version_output(&tools::venv_bin(tool.program).to_string_lossy())
        .is_some_and(|text| text.split_whitespace().last() == Some(tool.version))
}

/// `npm install --prefix .tools/node axe-core@…`, for the accessibility tests.
pub fn axe_core() -> Result<()> {
    let name = format!("axe-core {AXE_VERSION}");
    let manifest = tools::node_prefix().join("node_modules/axe-core/package.json");
    let wanted = format!("\"version\": \"{AXE_VERSION}\"");
    if std::fs::read_to_string(&manifest).is_ok_and(|text| text.contains(&wanted)) {
        progress::skipped("setup", &name, "already installed");
        return Ok(());
    }
    let step = Step::start("setup", name, "installing into .tools/node");
    let result = step.run(
        tools::command("npm")
            .arg("install")
            .arg("--prefix")
            .arg(tools::node_prefix())
            .args([
                "--no-audit",
                "--no-fund",
                "--loglevel=error",
                &format!("axe-core@{AXE_VERSION}"),
            ]),
        "setup-axe-core",
    );
    step.finish(result)
}

/// `rustup target add wasm32-unknown-unknown`, unless it is installed.
fn wasm_target() -> Result<()> {
    let name = format!("rust target {WASM_TARGET}");
    let installed = tools::command("rustup")
        .args(["target", "list", "--installed"])
        .stderr(Stdio::null())
        .output()
        .is_ok_and(|out| {
            String::from_utf8_lossy(&out.stdout)
                .lines()
                .any(|line| line.trim() == WASM_TARGET)
        });
    if installed {
        progress::skipped("setup", &name, "already installed");
        return Ok(());
    }
    let step = Step::start("setup", name, "installing");
    let result = step.run(
        tools::command("rustup").args(["target", "add", WASM_TARGET]),
        "setup-wasm-target",
    );
    step.finish(result)
}

/// `cargo fetch`: brings Cargo.lock up to date and downloads every crate, so that the
/// `--offline` builds that follow find them.
fn crates() -> Result<()> {
    let step = Step::start("setup", "crates", "cargo fetch");
    let result = step.run(tools::cargo().arg("fetch"), "setup-cargo-fetch");
    step.finish(result)
}

/// `cargo install --locked trunk@0.21.14`, unless that version is on PATH.
fn trunk() -> Result<()> {
    let name = format!("trunk {TRUNK_VERSION}");
    if installed_version("trunk").as_deref() == Some(TRUNK_VERSION) {
        progress::skipped("setup", &name, "already installed");
        return Ok(());
    }
    let step = Step::start("setup", name, "installing (about 7 min)");
    let result = step
        .run(
            tools::cargo().args([
                "install",
                "--locked",
                "--force",
                &format!("trunk@{TRUNK_VERSION}"),
            ]),
            "setup-trunk",
        )
        .and_then(|()| expect_version("trunk", TRUNK_VERSION));
    step.finish(result)
}

/// `cargo install wasm-bindgen-cli` at exactly the version of `wasm-bindgen` in Cargo.lock.
///
/// Not `--locked`: the CLI's own lock pins a crate version that registries may lack.
fn wasm_bindgen() -> Result<()> {
    let version = tools::lock_version(&tools::project_root().join("Cargo.lock"), "wasm-bindgen")?;
    let name = format!("wasm-bindgen-cli {version}");
    let runner_present = tools::find_on_path("wasm-bindgen-test-runner").is_some();
    if runner_present && installed_version("wasm-bindgen").as_deref() == Some(version.as_str()) {
        progress::skipped("setup", &name, "already installed");
        return Ok(());
    }
    let step = Step::start("setup", name, "installing (about 4 min)");
    let result = step
        .run(
            tools::cargo().args([
                "install",
                "--force",
                "wasm-bindgen-cli",
                "--version",
                &version,
            ]),
            "setup-wasm-bindgen",
        )
        .and_then(|()| expect_version("wasm-bindgen", &version));
    step.finish(result)
}

/// `npm install --prefix .tools/node binaryen@132`, unless that wasm-opt is there.
fn wasm_opt() -> Result<()> {
    let name = format!("wasm-opt (binaryen {BINARYEN_VERSION})");
    let wasm_opt = tools::node_bin().join("wasm-opt");
    if wasm_opt.is_file() && wasm_opt_is_wanted() {
        progress::skipped("setup", &name, "already installed");
        return Ok(());
    }
    let step = Step::start("setup", name, "installing into .tools/node (about 1 min)");
    let prefix = tools::node_prefix();
    let result = step
        .run(
            tools::command("npm")
                .arg("install")
                .arg("--prefix")
                .arg(&prefix)
                .args([
                    "--no-audit",
                    "--no-fund",
                    "--loglevel=error",
                    &format!("binaryen@{BINARYEN_VERSION}"),
                ]),
            "setup-wasm-opt",
        )
        .and_then(|()| {
            if wasm_opt_is_wanted() {
                Ok(())
            } else {
                Err(Error::WrongVersion {
                    tool: "wasm-opt",
                    wanted: BINARYEN_VERSION.to_owned(),
                    found: tools::version_output("wasm-opt").unwrap_or_default(),
                })
            }
        });
    step.finish(result)
}

/// Whether the wasm-opt first on the tool PATH is binaryen's wanted release
/// (`wasm-opt version 132 (version_132)`).
fn wasm_opt_is_wanted() -> bool {
    tools::version_output("wasm-opt").is_some_and(|text| {
        text.split_whitespace()
            .any(|word| word == BINARYEN_VERSION || word == format!("(version_{BINARYEN_VERSION})"))
    })
}

/// Installs missing Debian packages with apt-get when root; otherwise says which to install.
///
/// Outside CI, a missing PostgreSQL is not an error for a non-root user: its tests are
/// skipped instead.
pub fn system_packages(packages: &[SystemPackage]) -> Result<()> {
    if packages.is_empty() {
        return Ok(());
    }
    let names: Vec<&str> = packages.iter().map(|package| package.name).collect();
    let name = format!("system packages ({})", names.join(", "));
    let missing: Vec<SystemPackage> = packages
        .iter()
        .copied()
        .filter(|package| !is_installed(*package))
        .collect();
    if missing.is_empty() {
        progress::skipped("setup", &name, "already installed");
        return Ok(());
    }
    let missing_names: Vec<&str> = missing.iter().map(|package| package.name).collect();
    if !tools::is_root() {
        let (optional, required): (Vec<SystemPackage>, Vec<SystemPackage>) = missing
            .iter()
            .partition(|package| **package == POSTGRESQL && !tools::in_ci());
        if !optional.is_empty() {
            progress::note(
                "setup",
                "postgresql is not installed and this user cannot install it: \
                 the PostgreSQL tests will be skipped",
            );
        }
        if required.is_empty() {
            return Ok(());
        }
        let required: Vec<&str> = required.iter().map(|package| package.name).collect();
        return Err(Error::MissingPackages(required.join(" ")));
    }

    let step = Step::start("setup", "apt-get update", "refreshing the package lists");
    let result = step.run(
        tools::command("apt-get")
            .arg("update")
            .env("DEBIAN_FRONTEND", "noninteractive"),
        "setup-apt-update",
    );
    step.finish(result)?;

    let step = Step::start(
        "setup",
        format!("apt-get install {}", missing_names.join(" ")),
        "installing (a few minutes)",
    );
    let result = step.run(
        tools::command("apt-get")
            .args(["install", "-y"])
            .args(&missing_names)
            .env("DEBIAN_FRONTEND", "noninteractive"),
        "setup-apt-install",
    );
    step.finish(result)
}

/// Whether a Debian package is installed (dpkg's view; the program on PATH where there is no dpkg).
fn is_installed(package: SystemPackage) -> bool {
    match tools::command("dpkg-query")
        .args(["--show", "--showformat=${Status}", package.name])
        .stderr(Stdio::null())
        .output()
    {
        Ok(out) => String::from_utf8_lossy(&out.stdout).trim() == "install ok installed",
        Err(_) => tools::find_on_path(package.program).is_some(),
    }
}

/// The version a tool reports, from `tool --version` printing `tool 1.2.3`.
fn installed_version(tool: &str) -> Option<String> {
    let text = tools::version_output(tool)?;
    text.split_whitespace().nth(1).map(str::to_owned)
}

/// An error unless `tool --version` reports `wanted` (after an install, to catch PATH shadowing).
fn expect_version(tool: &'static str, wanted: &str) -> Result<()> {
    match installed_version(tool) {
        Some(found) if found == wanted => Ok(()),
        found => Err(Error::WrongVersion {
            tool,
            wanted: wanted.to_owned(),
            found: found.unwrap_or_else(|| "nothing".to_owned()),
        }),
    }
}
