//! `cargo xtask build`: the widget's release bundle in `dist/`, built by Trunk, and skipped while
//! `dist/` is newer than every input; then made for the wire (`assets`). [`Bundle`] is what the
//! widget and the console share.

use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use crate::assets;
use crate::error::{Error, Result};
use crate::progress::{self, Step};
use crate::tools;

/// Files and folders (relative to the root) whose changes call for a new bundle.
const INPUTS: &[&str] = &[
    "src",
    "public",
    "style",
    "styles",
    "assets",
    "locales",
    "index.html",
    "Trunk.toml",
    "Cargo.toml",
    "Cargo.lock",
    "build.rs",
    "rust-toolchain.toml",
    ".cargo/config.toml",
    "api/src",
    "api/Cargo.toml",
    // Trunk's post-build hook, which splits the module.
    "xtask/src/split.rs",
];

/// Extensions of root-level files that are inputs too (style sheets next to index.html).
const ROOT_INPUT_EXTENSIONS: &[&str] = &["css", "scss", "sass"];

/// A release bundle that Trunk builds from its own folder into `dist/` there.
pub struct Bundle {
    /// Its name in progress lines, logs and the stamp.
    pub name: &'static str,
    /// The folder (relative to the root) holding its `Trunk.toml`; empty for the root.
    pub folder: &'static str,
    /// Files and folders (relative to the root) whose changes call for a new bundle.
    pub inputs: &'static [&'static str],
    /// Whether style sheets at the root are inputs too.
    pub root_styles: bool,
    /// `RUSTFLAGS` for its build, replacing those of `.cargo/config.toml`, when set.
    pub rustflags: Option<&'static str>,
    /// Whether xtask renames its modules and style sheets after their content (Trunk's own
    /// hashes are off where a loader outside the bundle must find the files).
    pub fingerprint: bool,
}

/// The widget, built at the root.
pub const WIDGET: Bundle = Bundle {
    name: "widget",
    folder: "",
    inputs: INPUTS,
    root_styles: true,
    rustflags: None,
    fingerprint: true,
};

impl Bundle {
    /// The folder Trunk runs in.
    pub fn folder_path(&self) -> PathBuf {
        tools::project_root().join(self.folder)
    }

    /// The output folder.
    pub fn dist_dir(&self) -> PathBuf {
        self.folder_path().join("dist")
    }

    /// `dist/` as messages name it.
    fn dist_name(&self) -> String {
        Path::new(self.folder).join("dist").display().to_string()
    }
}

/// The widget's output folder.
pub fn dist_dir() -> PathBuf {
    WIDGET.dist_dir()
}

/// Builds `dist/` with `trunk build --release --offline` unless it is up to date (or `force`).
pub fn build(force: bool) -> Result<PathBuf> {
    build_bundle(&WIDGET, force)
}

/// Builds a bundle's `dist/` with `trunk build --release --offline` in its folder, unless it
/// is up to date (or `force`).
pub fn build_bundle(bundle: &Bundle, force: bool) -> Result<PathBuf> {
    let root = tools::project_root();
    let dist = bundle.dist_dir();
    let stamp = tools::target_dir()
        .join("xtask")
        .join(format!("{}.stamp", bundle.name));
    if !force && is_fresh(&root, bundle, &dist, &stamp) {
        let why = format!("{}/ is newer than every input", bundle.dist_name());
        progress::skipped("build", bundle.name, &why);
        return Ok(dist);
    }
    // A failed build must not leave an old stamp that says the bundle is good.
    let _ = fs::remove_file(&stamp);
    let started = SystemTime::now();
    let step = Step::start(
        "build",
        bundle.name,
        "trunk build --release --offline (several minutes on a cold cache)",
    );
    let mut trunk = tools::command("trunk");
    trunk
        .args(["build", "--release", "--offline"])
        .current_dir(bundle.folder_path());
    if let Some(flags) = bundle.rustflags {
        trunk.env("RUSTFLAGS", flags);
    }
    let result = step
        .run(&mut trunk, &format!("build-{}", bundle.name))
        .and_then(|()| {
            let index = dist.join("index.html");
            if index.is_file() {
                Ok(())
            } else {
                Err(Error::MissingOutput(index))
            }
        })
        .and_then(|()| finish_for_the_wire(bundle, &dist))
        .and_then(|()| write_stamp(&stamp, &dist, started));
    step.finish(result)?;
    Ok(dist)
}

/// Content-hashed names (where Trunk did not give them) and precompressed copies, for the
/// server's long-lived caching and brotli-11 transfers.
fn finish_for_the_wire(bundle: &Bundle, dist: &Path) -> Result<()> {
    if bundle.fingerprint {
        assets::fingerprint(dist)?;
    }
    assets::precompress(dist)
}

/// Whether `dist/` is still the one xtask built (no one rebuilt it since, say in debug) and was
/// built after the last change to any input.
fn is_fresh(root: &Path, bundle: &Bundle, dist: &Path, stamp: &Path) -> bool {
    let Some(built) = modified(stamp) else {
        return false;
    };
    let ours = fs::read_to_string(stamp)
        .is_ok_and(|text| text.lines().next() == Some(index_fingerprint(dist).as_str()));
    ours && newest_input(root, bundle).is_none_or(|newest| newest <= built)
}

/// The modification time of `dist/index.html` in nanoseconds, which Trunk rewrites on every build.
fn index_fingerprint(dist: &Path) -> String {
    modified(&dist.join("index.html"))
        .and_then(|time| time.duration_since(SystemTime::UNIX_EPOCH).ok())
        .map_or_else(|| "missing".to_owned(), |age| age.as_nanos().to_string())
}

/// The newest modification time among a bundle's inputs.
fn newest_input(root: &Path, bundle: &Bundle) -> Option<SystemTime> {
    let mut newest = None;
    for input in bundle.inputs {
        newest_in(&root.join(input), &mut newest);
    }
    if !bundle.root_styles {
        return newest;
    }
    if let Ok(entries) = fs::read_dir(root) {
        for entry in entries.flatten() {
            let path = entry.path();
            let is_style = path
                .extension()
                .and_then(|ext| ext.to_str())
                .is_some_and(|ext| ROOT_INPUT_EXTENSIONS.contains(&ext));
            if is_style {
                newest_in(&path, &mut newest);
            }
        }
    }
    newest
}

/// Folds the modification times of `path` (and everything under it) into `newest`.
fn newest_in(path: &Path, newest: &mut Option<SystemTime>) {
    let Ok(meta) = fs::metadata(path) else {
        return;
    };
    if let Ok(time) = meta.modified() {
        *newest = Some(newest.map_or(time, |current| current.max(time)));
    }
    if meta.is_dir()
        && let Ok(entries) = fs::read_dir(path)
    {
        for entry in entries.flatten() {
            newest_in(&entry.path(), newest);
        }
    }
}

/// The modification time of a file, if it exists.
fn modified(path: &Path) -> Option<SystemTime> {
    fs::metadata(path).and_then(|meta| meta.modified()).ok()
}

/// Writes the stamp: it names the `dist/index.html` this build wrote, and is dated to when the
/// build started, so that edits made during the build still count as newer.
fn write_stamp(stamp: &Path, dist: &Path, started: SystemTime) -> Result<()> {
    if let Some(dir) = stamp.parent() {
        fs::create_dir_all(dir).map_err(Error::io(dir))?;
    }
    let text = format!(
        "{}\n{} was built by `cargo xtask build` from the inputs as they were at this file's time\n",
        index_fingerprint(dist),
        dist.display()
    );
    fs::write(stamp, text).map_err(Error::io(stamp))?;
    File::options()
        .write(true)
        .open(stamp)
        .and_then(|file| file.set_modified(started))
        .map_err(Error::io(stamp))
}
