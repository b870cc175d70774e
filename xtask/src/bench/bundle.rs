//! `cargo xtask bench bundle`: every file the widget's page loads, raw, `gzip -9` and
//! `brotli -q 11`, next to an empty Leptos counter built the same way in the same run.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::progress::{self, Step};
use crate::{setup, tools, widget};

/// Extensions of the files a page built by Trunk loads.
const LOADED: &[&str] = &["html", "wasm", "js", "css", "json"];

/// One file's sizes.
struct File {
    name: String,
    kind: String,
    raw: u64,
    gzip: u64,
    brotli: u64,
}

/// Sizes summed over several files.
#[derive(Clone, Copy, Default)]
struct Sizes {
    raw: u64,
    gzip: u64,
    brotli: u64,
}

impl Sizes {
    fn add(&mut self, file: &File) {
        self.raw += file.raw;
        self.gzip += file.gzip;
        self.brotli += file.brotli;
    }
}

/// The files of one build.
struct Bundle {
    label: &'static str,
    dir: PathBuf,
    files: Vec<File>,
}

impl Bundle {
    /// The sum over the files of `kind`, or over all files for `None`.
    fn total(&self, kind: Option<&str>) -> Sizes {
        let mut sizes = Sizes::default();
        for file in &self.files {
            if kind.is_none_or(|kind| file.kind == kind) {
                sizes.add(file);
            }
        }
        sizes
    }

    fn has_kind(&self, kind: &str) -> bool {
        self.files.iter().any(|file| file.kind == kind)
    }
}

/// One ratio row: widget over counter.
struct Ratio {
    what: String,
    raw: f64,
    gzip: f64,
    brotli: f64,
}

/// Builds both bundles, measures them, prints the comparison and writes
/// `target/bench/bundle.md` and `target/bench/bundle.json`.
pub fn run(quick: bool) -> Result<()> {
    setup::setup(&[setup::BROTLI])?;
    let widget_dist = widget::build(false)?;
    let counter_dist = build_counter(quick)?;

    let step = Step::start(
        "bench",
        "bundle",
        "compressing with gzip -9 and brotli -q 11",
    );
    let result = measure("widget", &widget_dist).and_then(|widget| {
        let counter = measure("counter", &counter_dist)?;
        Ok((widget, counter))
    });
    let (widget, counter) = step.finish(result)?;

    let ratios = ratios(&widget, &counter);
    let markdown = markdown(&widget, &counter, &ratios);
    println!();
    println!("{markdown}");

    let out = tools::target_dir().join("bench");
    fs::create_dir_all(&out).map_err(Error::io(&out))?;
    let md_path = out.join("bundle.md");
    fs::write(&md_path, &markdown).map_err(Error::io(&md_path))?;
    let json_path = out.join("bundle.json");
    fs::write(&json_path, json(&widget, &counter, &ratios)).map_err(Error::io(&json_path))?;
    println!(
        "[bench] bundle written to {} and {}",
        md_path.display(),
        json_path.display()
    );
    Ok(())
}

/// Builds the empty counter fixture with the widget's release settings, in its own target folder.
fn build_counter(quick: bool) -> Result<PathBuf> {
    let root = tools::project_root();
    let fixture = root.join("xtask").join("bench-fixtures").join("counter");
    let target = tools::target_dir().join("bench-counter");
    let dist = target.join("dist");
    if quick && has_wasm(&dist) {
        progress::skipped("bench", "counter", "--quick: reusing the earlier build");
        return Ok(dist);
    }

    let step = Step::start(
        "bench",
        "counter",
        "trunk build --release --offline of an empty Leptos counter",
    );
    let result = sync_wasm_bindgen(&step, &root, &fixture)
        .and_then(|()| {
            step.run(
                tools::cargo().arg("fetch").current_dir(&fixture),
                "bench-counter-fetch",
            )
        })
        .and_then(|()| {
            step.run(
                tools::command("trunk")
                    .args(["build", "--release", "--offline", "--dist"])
                    .arg(&dist)
                    .current_dir(&fixture)
                    .env("CARGO_TARGET_DIR", &target),
                "bench-counter-build",
            )
        })
        .and_then(|()| {
            if has_wasm(&dist) {
                Ok(())
            } else {
                Err(Error::MissingOutput(dist.join("*.wasm")))
            }
        });
    step.finish(result)?;
    Ok(dist)
}

/// Locks the fixture to the widget's wasm-bindgen version: Trunk only uses the installed
/// wasm-bindgen CLI when the versions match exactly.
fn sync_wasm_bindgen(step: &Step, root: &Path, fixture: &Path) -> Result<()> {
    let wanted = tools::lock_version(&root.join("Cargo.lock"), "wasm-bindgen")?;
    let lock = fixture.join("Cargo.lock");
    if !lock.is_file() {
        step.run(
            tools::cargo().arg("generate-lockfile").current_dir(fixture),
            "bench-counter-lock",
        )?;
    }
    if tools::lock_versions(&lock, "wasm-bindgen")? == [wanted.as_str()] {
        return Ok(());
    }
    step.run(
        tools::cargo()
            .args(["update", "-p", "wasm-bindgen", "--precise", &wanted])
            .current_dir(fixture),
        "bench-counter-lock",
    )
}

/// Whether a folder holds a `.wasm` file.
fn has_wasm(dir: &Path) -> bool {
    fs::read_dir(dir).is_ok_and(|entries| {
        entries
            .flatten()
            .any(|entry| entry.path().extension().is_some_and(|ext| ext == "wasm"))
    })
}

/// The loaded files of a dist folder, each raw and compressed.
fn measure(label: &'static str, dir: &Path) -> Result<Bundle> {
    let mut paths: Vec<PathBuf> = fs::read_dir(dir)
        .map_err(Error::io(dir))?
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.is_file() && kind_of(path).is_some())
        .collect();
    paths.sort();
    let mut files = Vec::new();
    for path in paths {
        let raw = fs::metadata(&path).map_err(Error::io(&path))?.len();
        files.push(File {
            name: path
                .file_name()
                .map(|name| name.to_string_lossy().into_owned())
                .unwrap_or_default(),
            kind: kind_of(&path).unwrap_or_default().to_owned(),
            raw,
            gzip: compressed_size(tools::command("gzip").args(["-9", "-c"]).arg(&path))?,
            brotli: compressed_size(tools::command("brotli").args(["-q", "11", "-c"]).arg(&path))?,
        });
    }
    Ok(Bundle {
        label,
        dir: dir.to_path_buf(),
        files,
    })
}

/// The kind of a loaded file (its extension), or `None` for files the page does not load.
fn kind_of(path: &Path) -> Option<&'static str> {
    let ext = path.extension()?.to_str()?;
    LOADED.iter().copied().find(|kind| *kind == ext)
}

/// The number of bytes a compressor writes to stdout.
fn compressed_size(cmd: &mut std::process::Command) -> Result<u64> {
    let program = cmd.get_program().to_string_lossy().into_owned();
    let output = cmd.output().map_err(|source| Error::Spawn {
        program: program.clone(),
        source,
    })?;
    if !output.status.success() {
        return Err(Error::CommandFailed {
            command: tools::display_command(cmd),
            status: output.status,
            log: PathBuf::from("(stderr not kept)"),
        });
    }
    Ok(output.stdout.len() as u64)
}

/// Widget over counter for each kind both have, and for everything loaded.
fn ratios(widget: &Bundle, counter: &Bundle) -> Vec<Ratio> {
    let mut rows = Vec::new();
    for kind in LOADED {
        if widget.has_kind(kind) && counter.has_kind(kind) {
            rows.push(ratio(
                (*kind).to_owned(),
                widget.total(Some(kind)),
                counter.total(Some(kind)),
            ));
        }
    }
    rows.push(ratio(
        "everything loaded".to_owned(),
        widget.total(None),
        counter.total(None),
    ));
    rows
}

fn ratio(what: String, widget: Sizes, counter: Sizes) -> Ratio {
    let div = |a: u64, b: u64| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    Ratio {
        what,
        raw: div(widget.raw, counter.raw),
        gzip: div(widget.gzip, counter.gzip),
        brotli: div(widget.brotli, counter.brotli),
    }
}

/// The comparison as Markdown tables (also what is printed).
fn markdown(widget: &Bundle, counter: &Bundle, ratios: &[Ratio]) -> String {
    let mut text = String::from("# Bundle size: the widget against an empty Leptos counter\n\n");
    text.push_str(
        "Both built with `trunk build --release --offline` (opt-level \"z\", LTO, one codegen \
         unit, panic abort, wasm-opt -Oz). Bytes; gzip is `gzip -9`, brotli is `brotli -q 11`.\n",
    );
    for bundle in [widget, counter] {
        let _ = write!(
            text,
            "\n## {} ({})\n\n| file | kind | raw | gzip | brotli |\n| --- | --- | ---: | ---: | ---: |\n",
            bundle.label,
            bundle.dir.display()
        );
        for file in &bundle.files {
            let _ = writeln!(
                text,
                "| {} | {} | {} | {} | {} |",
                file.name,
                file.kind,
                thousands(file.raw),
                thousands(file.gzip),
                thousands(file.brotli)
            );
        }
        let total = bundle.total(None);
        let _ = writeln!(
            text,
            "| **total** | | **{}** | **{}** | **{}** |",
            thousands(total.raw),
            thousands(total.gzip),
            thousands(total.brotli)
        );
    }
    text.push_str(
        "\n## Widget ÷ counter\n\n| what | raw | gzip | brotli |\n| --- | ---: | ---: | ---: |\n",
    );
    for row in ratios {
        let _ = writeln!(
            text,
            "| {} | {:.2}× | {:.2}× | {:.2}× |",
            row.what, row.raw, row.gzip, row.brotli
        );
    }
    text
}

/// The comparison as JSON, for tools.
fn json(widget: &Bundle, counter: &Bundle, ratios: &[Ratio]) -> String {
    let bundle_json = |bundle: &Bundle| {
        let files: Vec<String> = bundle
            .files
            .iter()
            .map(|file| {
                format!(
                    "      {{\"file\": {}, \"kind\": {}, \"raw\": {}, \"gzip\": {}, \"brotli\": {}}}",
                    json_string(&file.name),
                    json_string(&file.kind),
                    file.raw,
                    file.gzip,
                    file.brotli
                )
            })
            .collect();
        let total = bundle.total(None);
        format!(
            "{{\n    \"dir\": {},\n    \"files\": [\n{}\n    ],\n    \"total\": {{\"raw\": {}, \"gzip\": {}, \"brotli\": {}}}\n  }}",
            json_string(&bundle.dir.display().to_string()),
            files.join(",\n"),
            total.raw,
            total.gzip,
            total.brotli
        )
    };
    let ratio_rows: Vec<String> = ratios
        .iter()
        .map(|row| {
            format!(
                "    {}: {{\"raw\": {:.4}, \"gzip\": {:.4}, \"brotli\": {:.4}}}",
                json_string(&row.what),
                row.raw,
                row.gzip,
                row.brotli
            )
        })
        .collect();
    format!(
        "{{\n  \"widget\": {},\n  \"counter\": {},\n  \"ratios\": {{\n{}\n  }}\n}}\n",
        bundle_json(widget),
        bundle_json(counter),
        ratio_rows.join(",\n")
    )
}

/// A JSON string literal.
fn json_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for ch in text.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            ch if u32::from(ch) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", u32::from(ch));
            }
            ch => out.push(ch),
        }
    }
    out.push('"');
    out
}

/// `69950` → `69,950`.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_get_thousands_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(69_950), "69,950");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }

    #[test]
    fn json_strings_are_escaped() {
        assert_eq!(json_string("a\"b\\c\n"), "\"a\\\"b\\\\c\\n\"");
    }

    #[test]
    fn only_loaded_files_count() {
        assert_eq!(kind_of(Path::new("dist/app_bg.wasm")), Some("wasm"));
        assert_eq!(kind_of(Path::new("dist/config.json")), Some("json"));
        assert_eq!(kind_of(Path::new("dist/icon.png")), None);
        assert_eq!(kind_of(Path::new("dist/LICENSE")), None);
    }
}
