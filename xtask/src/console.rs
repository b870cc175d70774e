//! `cargo xtask build` (second half): the operators' console's release bundle in
//! `console/dist/`, built by Trunk in `console/` and served by omk-server at `/console/`.

use std::path::PathBuf;

use crate::error::Result;
use crate::widget::{self, Bundle};

/// Files and folders (relative to the root) whose changes call for a new console bundle.
const INPUTS: &[&str] = &[
    "console/src",
    "console/style",
    "console/index.html",
    "console/Trunk.toml",
    "console/Cargo.toml",
    "locales",
    "api/src",
    "api/Cargo.toml",
    "Cargo.toml",
    "Cargo.lock",
    "rust-toolchain.toml",
    ".cargo/config.toml",
    // The flags below.
    "xtask/src/console.rs",
];

/// The console's rustflags: the workspace's `--cfg erase_components` without its
/// `--emit-relocs`, which only the widget's split needs; relocation sections left in a
/// module keep wasm-opt from shrinking it (2.1 MB instead of 0.8 MB).
const RUSTFLAGS: &str = "--cfg erase_components";

/// The console, built in `console/`.
pub const CONSOLE: Bundle = Bundle {
    name: "console",
    folder: "console",
    inputs: INPUTS,
    root_styles: false,
    rustflags: Some(RUSTFLAGS),
    // Trunk already names its files after their content (`filehash`).
    fingerprint: false,
};

/// The console's output folder, `console/dist`.
pub fn dist_dir() -> PathBuf {
    CONSOLE.dist_dir()
}

/// Builds `console/dist/` unless it is up to date (or `force`).
pub fn build(force: bool) -> Result<PathBuf> {
    widget::build_bundle(&CONSOLE, force)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_console_is_built_in_its_own_folder_and_served_from_its_dist() {
        assert!(dist_dir().ends_with("console/dist"));
        let root = crate::tools::project_root();
        for input in INPUTS {
            assert!(root.join(input).exists(), "{input} does not exist");
        }
        // Every flag the workspace gives the wasm target, except --emit-relocs.
        let config = std::fs::read_to_string(root.join(".cargo/config.toml")).unwrap_or_default();
        assert!(config.contains("erase_components"));
        assert!(!RUSTFLAGS.contains("emit-relocs"));
    }
}
