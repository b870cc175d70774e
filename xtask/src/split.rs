//! `cargo xtask split-widget`: Trunk's post-build hook that cuts the widget's WebAssembly into
//! a first-load module and the screens' chunk (the `split` feature's `wasm_split` point).
//!
//! Trunk has already built and bound the whole module; the split needs the linker's relocations,
//! which wasm-bindgen drops, so it starts again from cargo's own output: split, bind the main
//! part, optimise every part, and replace Trunk's two files in the staging folder.

use std::env;
use std::fs;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::progress::{self, Step};
use crate::tools;

/// The widget binary's name, which is also the stem of Trunk's output files.
const STEM: &str = "open-month-kiosk";

/// The import module the split macros link against; present only in a module with split points.
const PLACEHOLDER: &[u8] = b"__wasm_split_placeholder__";

/// The loader module that fetches chunks; the main module imports it under this name.
const LINK_NAME: &str = "./__wasm_split.js";

/// WebAssembly features rustc enables for wasm32-unknown-unknown, which wasm-opt must accept.
const WASM_FEATURES: &[&str] = &[
    "--enable-bulk-memory",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-mutable-globals",
    "--enable-reference-types",
    "--enable-multivalue",
];

/// Runs the hook: reads Trunk's `TRUNK_STAGING_DIR` and `TRUNK_PROFILE`.
pub fn split_widget() -> Result<()> {
    let staging = env::var_os("TRUNK_STAGING_DIR")
        .map(PathBuf::from)
        .ok_or(Error::NotInTrunk)?;
    let release = env::var("TRUNK_PROFILE").is_ok_and(|p| p == "release");
    let profile = if release { "release" } else { "debug" };
    let raw = tools::target_dir()
        .join("wasm32-unknown-unknown")
        .join(profile)
        .join(format!("{STEM}.wasm"));
    let input = fs::read(&raw).map_err(Error::io(&raw))?;
    if !contains(&input, PLACEHOLDER) {
        progress::skipped("build", "split", "the module has no split points");
        return Ok(());
    }
    let work = tools::target_dir().join("xtask").join("split");
    if work.exists() {
        fs::remove_dir_all(&work).map_err(Error::io(&work))?;
    }
    fs::create_dir_all(&work).map_err(Error::io(&work))?;
    let step = Step::start(
        "build",
        "split",
        "the screens' chunk (wasm-split, wasm-bindgen, wasm-opt)",
    );
    let result = split_into(&input, &work, &staging, release);
    step.finish(result)
}

/// Splits `input` in `work`, binds the main part and puts every shipped file in `staging`.
fn split_into(input: &[u8], work: &Path, staging: &Path, release: bool) -> Result<()> {
    let main = work.join(format!("{STEM}.wasm"));
    let main_module = format!("./{STEM}.js");
    let mut options = wasm_split_cli_support::Options::new(input);
    options.output_dir = work;
    options.main_out_path = &main;
    options.main_module = &main_module;
    options.link_name = LINK_NAME;
    options.target.web();
    let split = wasm_split_cli_support::transform(options)
        .map_err(|err| Error::Split(format!("{err:#}")))?;

    let mut bindgen = tools::command("wasm-bindgen");
    bindgen
        .arg(&main)
        .args([
            "--target",
            "web",
            "--no-typescript",
            "--keep-lld-exports",
            "--out-name",
            STEM,
            "--out-dir",
        ])
        .arg(staging);
    Step::start("build", "split: bind", "wasm-bindgen on the main module")
        .run(&mut bindgen, "split-bindgen")?;

    let bound = staging.join(format!("{STEM}_bg.wasm"));
    optimise(&bound, &bound, release)?;
    for chunk in &split.split_modules {
        let name = chunk
            .file_name()
            .ok_or_else(|| Error::MissingOutput(chunk.clone()))?;
        optimise(chunk, &staging.join(name), release)?;
    }
    let link = work.join(LINK_NAME);
    let shipped = staging.join(LINK_NAME);
    fs::copy(&link, &shipped).map_err(Error::io(&link))?;
    progress::note(
        "build",
        &format!(
            "split: main module plus {} chunks",
            split.split_modules.len()
        ),
    );
    Ok(())
}

/// `wasm-opt -Oz` from `from` to `to` in release; a plain copy otherwise.
fn optimise(from: &Path, to: &Path, release: bool) -> Result<()> {
    if !release {
        if from != to {
            fs::copy(from, to).map_err(Error::io(from))?;
        }
        return Ok(());
    }
    let mut cmd = tools::command("wasm-opt");
    cmd.arg("-Oz")
        .args(WASM_FEATURES)
        .arg(from)
        .arg("-o")
        .arg(to);
    Step::start("build", "split: optimise", "wasm-opt -Oz").run(&mut cmd, "split-wasm-opt")
}

/// Whether `needle` occurs in `haystack`.
fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_placeholder_only_where_it_is() {
        assert!(contains(b"xx__wasm_split_placeholder__yy", PLACEHOLDER));
        assert!(!contains(b"__wasm_split_placeholder_", PLACEHOLDER));
    }
}
