//! `cargo xtask bench bundle`: every file the widget's page loads first, raw, `gzip -9` and
//! `brotli -q 11`, next to an empty Leptos counter built the same way in the same run; and the
//! screens' chunk fetched later, on first use.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use super::report::{Headline, Part, thousands};
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
    /// WebAssembly chunks the first load does not fetch (the screens, fetched on first use).
    later: Vec<File>,
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

    /// The sum over the chunks fetched after the first load.
    fn later_total(&self) -> Sizes {
        let mut sizes = Sizes::default();
        for file in &self.later {
            sizes.add(file);
        }
        sizes
    }
}

/// One ratio row: widget over counter.
struct Ratio {
    what: String,
    raw: f64,
    gzip: f64,
    brotli: f64,
}

/// Builds both bundles, measures them and returns the comparison (every file the page loads:
/// html, wasm, js, css and config.json).
pub fn run(quick: bool) -> Result<Part> {
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
    let (w, c) = (widget.total(None), counter.total(None));
    let everything = ratios.last();
    let mut headlines = vec![
        Headline::new(
            "first load, every file, brotli",
            format!("{} B", thousands(w.brotli)),
        )
        .against(
            format!("{} B (empty counter)", thousands(c.brotli)),
            everything.map_or(f64::NAN, |r| r.brotli),
        ),
        Headline::new(
            "first load, every file, gzip",
            format!("{} B", thousands(w.gzip)),
        )
        .against(
            format!("{} B (empty counter)", thousands(c.gzip)),
            everything.map_or(f64::NAN, |r| r.gzip),
        )
        .note("bar: within 3×"),
    ];
    let later = widget.later_total();
    if later.raw > 0 {
        headlines.push(Headline::new(
            "screens' chunk, fetched on first use, brotli",
            format!(
                "{} B in {} files",
                thousands(later.brotli),
                widget.later.len()
            ),
        ));
    }
    Ok(Part {
        name: "bundle",
        markdown: markdown(&widget, &counter, &ratios),
        data: json(&widget, &counter, &ratios),
        headlines,
    })
}

/// Builds the empty counter fixture with the widget's release settings, in its own target folder.
pub(super) fn build_counter(quick: bool) -> Result<PathBuf> {
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

/// The loaded files of a dist folder, each raw and compressed: `index.html`, what it names, the
/// modules those scripts import, and the `config.json` the widget fetches at start. Other
/// WebAssembly files are the chunks fetched later; the rest (an embed loader, examples) is not
/// part of the kiosk page's load at all.
fn measure(label: &'static str, dir: &Path) -> Result<Bundle> {
    let index_path = dir.join("index.html");
    let index = fs::read_to_string(&index_path).map_err(Error::io(&index_path))?;
    let mut paths: Vec<PathBuf> = fs::read_dir(dir)
        .map_err(Error::io(dir))?
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.is_file() && kind_of(path).is_some())
        .collect();
    paths.sort();
    // Scripts import scripts: follow the imports until no new script turns up.
    let mut naming = index;
    let mut read: Vec<&Path> = Vec::new();
    while let Some(path) = paths.iter().find(|path| {
        kind_of(path) == Some("js") && is_loaded(path, &naming) && !read.contains(&path.as_path())
    }) {
        let script = fs::read_to_string(path).map_err(Error::io(path))?;
        naming.extend(static_imports(&script));
        read.push(path);
    }
    let (first, rest): (Vec<PathBuf>, Vec<PathBuf>) =
        paths.into_iter().partition(|path| is_loaded(path, &naming));
    let later = rest
        .into_iter()
        .filter(|path| kind_of(path) == Some("wasm"));
    Ok(Bundle {
        label,
        dir: dir.to_path_buf(),
        files: first
            .iter()
            .map(|path| sizes_of(path))
            .collect::<Result<_>>()?,
        later: later.map(|path| sizes_of(&path)).collect::<Result<_>>()?,
    })
}

/// One file's sizes: raw, `gzip -9` and `brotli -q 11`.
fn sizes_of(path: &Path) -> Result<File> {
    Ok(File {
        name: path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default(),
        kind: kind_of(path).unwrap_or_default().to_owned(),
        raw: fs::metadata(path).map_err(Error::io(path))?.len(),
        gzip: compressed_size(tools::command("gzip").args(["-9", "-c"]).arg(path))?,
        brotli: compressed_size(tools::command("brotli").args(["-q", "11", "-c"]).arg(path))?,
    })
}

/// Whether the page loads `path` at start: the page itself, a file the page (or a script it
/// loads) names, or `config.json`.
fn is_loaded(path: &Path, naming: &str) -> bool {
    let Some(name) = path.file_name().and_then(|name| name.to_str()) else {
        return false;
    };
    name == "index.html" || name == "config.json" || naming.contains(&format!("/{name}"))
}

/// The static `import … from "…"` lines of a script: modules loaded with it, unlike the chunks a
/// loader only names for later.
fn static_imports(script: &str) -> impl Iterator<Item = &str> {
    script
        .lines()
        .filter(|line| line.trim_start().starts_with("import ") && line.contains(" from "))
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
            "| **first load** | | **{}** | **{}** | **{}** |",
            thousands(total.raw),
            thousands(total.gzip),
            thousands(total.brotli)
        );
        if !bundle.later.is_empty() {
            let later = bundle.later_total();
            let _ = writeln!(
                text,
                "| later: {} chunk file(s), fetched when a visitor first leaves the attract screen | wasm | {} | {} | {} |",
                bundle.later.len(),
                thousands(later.raw),
                thousands(later.gzip),
                thousands(later.brotli)
            );
        }
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
fn json(widget: &Bundle, counter: &Bundle, ratios: &[Ratio]) -> Value {
    let bundle_json = |bundle: &Bundle| {
        let total = bundle.total(None);
        json!({
            "dir": bundle.dir.display().to_string(),
            "files": bundle.files.iter().map(|file| json!({
                "file": file.name,
                "kind": file.kind,
                "raw": file.raw,
                "gzip": file.gzip,
                "brotli": file.brotli,
            })).collect::<Vec<_>>(),
            "total": { "raw": total.raw, "gzip": total.gzip, "brotli": total.brotli },
            "later": bundle.later.iter().map(|file| json!({
                "file": file.name,
                "raw": file.raw,
                "gzip": file.gzip,
                "brotli": file.brotli,
            })).collect::<Vec<_>>(),
        })
    };
    let ratio_rows: serde_json::Map<String, Value> = ratios
        .iter()
        .map(|row| {
            (
                row.what.clone(),
                json!({ "raw": row.raw, "gzip": row.gzip, "brotli": row.brotli }),
            )
        })
        .collect();
    json!({
        "widget": bundle_json(widget),
        "counter": bundle_json(counter),
        "ratios": ratio_rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loaded_files_count() {
        assert_eq!(kind_of(Path::new("dist/app_bg.wasm")), Some("wasm"));
        assert_eq!(kind_of(Path::new("dist/config.json")), Some("json"));
        assert_eq!(kind_of(Path::new("dist/icon.png")), None);
        assert_eq!(kind_of(Path::new("dist/LICENSE")), None);
    }

    #[test]
    fn files_the_page_does_not_name_are_left_out() {
        let index = "<script type=module>import init from '/app-1.js';</script>\
                     <link href=/main-2.css rel=stylesheet>";
        assert!(is_loaded(Path::new("dist/app-1.js"), index));
        assert!(is_loaded(Path::new("dist/main-2.css"), index));
        assert!(is_loaded(Path::new("dist/config.json"), index));
        assert!(is_loaded(Path::new("dist/index.html"), index));
        assert!(!is_loaded(Path::new("dist/embed.js"), index));
    }

    #[test]
    fn modules_a_script_imports_load_with_it_but_chunks_it_names_do_not() {
        let script = "import * as import1 from \"./__wasm_split.js\"\n\
                      const src = fetch(new URL(\"./split_omk_vote.wasm\", import.meta.url));";
        let naming: String = static_imports(script).collect();
        assert!(is_loaded(Path::new("dist/__wasm_split.js"), &naming));
        assert!(!is_loaded(Path::new("dist/split_omk_vote.wasm"), &naming));
    }
}
