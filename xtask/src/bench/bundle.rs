//! `cargo xtask bench bundle`: the bytes a real Chromium receives from the product's server on a
//! first and a repeat visit of the kiosk, of every single-screen view and of the console, next
//! to an empty Leptos counter built clean in the same run and served the same way (its brotli-11
//! and gzip copies, by tower-http).

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use super::procs::{self, Server};
use super::report::{Better, Headline, Part, thousands, times};
use crate::error::{Error, Result};
use crate::progress::{self, Step};
use crate::{assets, console, tools, widget};

/// Where an empty counter's first load must fall, brotli over the wire (bytes). Outside it, the
/// counter was not built as the floor it stands for (inherited flags, a stale or debug build).
pub const COUNTER_RANGE: (u64, u64) = (15_000, 40_000);

/// The first load of the kiosk and of each single-screen view may be this many counters.
const FIRST_LOAD_BAR: f64 = 3.0;
/// The whole kiosk, once a visitor has started, may be this many counters.
const WHOLE_KIOSK_BAR: f64 = 5.0;
/// A repeat visit may transfer fewer bytes than this.
const REPEAT_BAR: f64 = 5_000.0;

/// One page the bench visits: its name, the URL path, what means "up", and an optional tap
/// (a `data-testid`) with what means that the tap's screen is up.
struct Visit {
    name: &'static str,
    path: &'static str,
    ready: &'static str,
    tap: Option<(&'static str, &'static str)>,
    /// The bar its first load is held to, in counters.
    bar: Option<f64>,
}

/// The kiosk, each single-screen view (as an iframe or a link opens it) and the console.
const VISITS: &[Visit] = &[
    Visit {
        name: "kiosk",
        path: "/",
        ready: "[data-testid=attract-start]",
        tap: None,
        bar: Some(FIRST_LOAD_BAR),
    },
    Visit {
        name: "kiosk after start",
        path: "/",
        ready: "[data-testid=attract-start]",
        tap: Some(("attract-start", "[data-testid=event-card]")),
        bar: Some(WHOLE_KIOSK_BAR),
    },
    Visit {
        name: "view=events",
        path: "/?view=events",
        ready: "[data-testid=event-card]",
        tap: None,
        bar: Some(FIRST_LOAD_BAR),
    },
    Visit {
        name: "view=figures",
        path: "/?view=figures",
        ready: "[data-testid=ranking-chart]",
        tap: None,
        bar: Some(FIRST_LOAD_BAR),
    },
    Visit {
        name: "view=report",
        path: "/?view=report",
        ready: "[data-testid=report-form]",
        tap: None,
        bar: Some(FIRST_LOAD_BAR),
    },
    Visit {
        name: "view=rate",
        path: "/?view=rate",
        ready: "[data-testid=rate-screen]",
        tap: None,
        bar: Some(FIRST_LOAD_BAR),
    },
    Visit {
        name: "view=vote",
        path: "/?view=vote",
        ready: "[data-testid=topic]",
        tap: None,
        bar: Some(FIRST_LOAD_BAR),
    },
    Visit {
        name: "view=lookup",
        path: "/?view=lookup",
        ready: "[data-testid=lookup-screen]",
        tap: None,
        bar: Some(FIRST_LOAD_BAR),
    },
    Visit {
        name: "console",
        path: "/console/",
        ready: "input[type=password]",
        tap: None,
        bar: None,
    },
];

/// Builds the bundles and the counter, serves them and measures what Chromium receives.
pub fn run(_quick: bool) -> Result<Part> {
    widget::build(false)?;
    console::build(false)?;
    let counter_dist = build_counter()?;
    procs::build()?;
    let dir = procs::scratch("bundle")?;
    let server = Server::omk(&procs::sqlite_copy(&dir)?, "bench-bundle-server")?;
    let counter = Server::baseline(
        &["static", &counter_dist.display().to_string()],
        "bench-bundle-static",
    )?;
    let mut pages = vec![json!({
        "name": "counter",
        "url": format!("http://{}/", counter.addr),
        "ready": "button",
    })];
    for visit in VISITS {
        let mut page = json!({
            "name": visit.name,
            "url": format!("http://{}{}", server.addr, visit.path),
            "ready": visit.ready,
        });
        if let Some((tap, then)) = visit.tap {
            page["tap"] = json!(tap);
            page["then"] = json!(then);
        }
        pages.push(page);
    }
    let step = Step::start(
        "bench",
        "bundle",
        "a first and a repeat visit of every page in headless Chromium",
    );
    let args = [
        "transfer".to_owned(),
        "--pages".to_owned(),
        Value::Array(pages).to_string(),
    ];
    let result = procs::omk_bench(&step, &args, "bench-bundle");
    let data = step.finish(result)?;
    server.stop();
    counter.stop();

    let counter_bytes = first_bytes(&data, "counter")?;
    check_counter(counter_bytes as u64, "first load over the wire")?;
    let mut headlines = Vec::new();
    let mut rows = Vec::new();
    for visit in VISITS {
        let first = first_bytes(&data, visit.name)?;
        let repeat = data[visit.name]["repeat"]["bytes"]
            .as_f64()
            .ok_or_else(|| Error::BenchOutput(format!("{}: repeat bytes", visit.name)))?;
        let ratio = first / counter_bytes;
        // After a tap the chunk is fetched on purpose, once the module runs.
        let parallel = parallel_chunk(&data[visit.name]["first"]).filter(|_| visit.tap.is_none());
        let mut note = match visit.bar {
            Some(bar) if ratio <= bar => format!("bar ≤{bar}×: met"),
            Some(bar) => format!("bar ≤{bar}×: **missed**"),
            None => "no bar".to_owned(),
        };
        if let Some(parallel) = parallel {
            note.push_str(if parallel {
                "; chunk fetched beside the module"
            } else {
                "; chunk fetched after the module (**waterfall**)"
            });
        }
        headlines.push(
            Headline::new(
                format!("{}: first visit, over the wire", visit.name),
                format!("{} B", thousands(first as u64)),
            )
            .against(
                format!("{} B (empty counter)", thousands(counter_bytes as u64)),
                ratio,
            )
            .better(Better::Lower)
            .note(note),
        );
        if visit.tap.is_none() {
            let verdict = if repeat < REPEAT_BAR {
                "met"
            } else {
                "**missed**"
            };
            headlines.push(
                Headline::new(
                    format!("{}: repeat visit, over the wire", visit.name),
                    format!("{} B", thousands(repeat as u64)),
                )
                .note(format!(
                    "bar <{} B: {verdict}",
                    thousands(REPEAT_BAR as u64)
                )),
            );
        }
        rows.push((visit.name, first, repeat, ratio));
    }
    Ok(Part {
        name: "bundle",
        markdown: markdown(&data, counter_bytes, &rows),
        data,
        headlines,
    })
}

/// The bytes of a page's first visit.
fn first_bytes(data: &Value, page: &str) -> Result<f64> {
    data[page]["first"]["bytes"]
        .as_f64()
        .filter(|bytes| *bytes > 0.0)
        .ok_or_else(|| Error::BenchOutput(format!("{page}: first-visit bytes")))
}

/// Whether the screens' chunk (if the visit fetched it) was requested before the main module
/// had arrived: `None` when there was no chunk.
fn parallel_chunk(visit: &Value) -> Option<bool> {
    let requests = visit["requests"].as_array()?;
    let find = |needle: &str| {
        requests
            .iter()
            .find(|r| r["url"].as_str().is_some_and(|url| url.contains(needle)))
    };
    let chunk = find("/split_")?;
    let module = find("_bg-")?;
    let chunk_sent = chunk["sent_ms"].as_f64()?;
    let module_done = module["finished_ms"].as_f64()?;
    Some(chunk_sent < module_done)
}

/// Stops the bench when the counter is not the floor it stands for.
pub fn check_counter(bytes: u64, what: &str) -> Result<()> {
    let (low, high) = COUNTER_RANGE;
    if (low..=high).contains(&bytes) {
        return Ok(());
    }
    Err(Error::BaselineOutOfRange {
        what: format!("the empty Leptos counter's {what} (brotli)"),
        value: format!("{} B", thousands(bytes)),
        range: format!("{} – {} B", thousands(low), thousands(high)),
        hint: "was it built with inherited RUSTFLAGS, in debug, or from a stale folder?",
    })
}

/// Builds the empty counter fixture of this checkout with the widget's release profile and no
/// inherited flags, always from scratch of its `dist/`, and writes its precompressed copies.
pub(super) fn build_counter() -> Result<PathBuf> {
    build_counter_in(&tools::project_root())
}

/// Builds the counter fixture of the checkout at `root` (this one, or a fresh clone).
pub fn build_counter_in(root: &Path) -> Result<PathBuf> {
    let fixture = root.join("xtask").join("bench-fixtures").join("counter");
    let target = tools::target_dir().join("bench-counter");
    let dist = target.join("dist");
    if dist.exists() {
        fs::remove_dir_all(&dist).map_err(Error::io(&dist))?;
    }
    let step = Step::start(
        "bench",
        "counter",
        "trunk build --release --offline of an empty Leptos counter, no inherited RUSTFLAGS",
    );
    let result = sync_wasm_bindgen(&step, root, &fixture)
        .and_then(|()| {
            step.run(
                tools::cargo().arg("fetch").current_dir(&fixture),
                "bench-counter-fetch",
            )
        })
        .and_then(|()| {
            // The fixture sits inside the repository, so cargo would apply the widget's
            // `.cargo/config.toml` flags (relocations kept for the split, erased component
            // types) to it too; an empty CARGO_ENCODED_RUSTFLAGS overrides every other source.
            step.run(
                tools::command("trunk")
                    .args(["build", "--release", "--offline", "--dist"])
                    .arg(&dist)
                    .current_dir(&fixture)
                    .env("CARGO_TARGET_DIR", &target)
                    .env("CARGO_ENCODED_RUSTFLAGS", "")
                    .env_remove("RUSTFLAGS"),
                "bench-counter-build",
            )
        })
        .and_then(|()| assets::precompress(&dist));
    step.finish(result)?;
    let brotli = brotli_size(&dist)?;
    progress::note(
        "bench",
        &format!("counter: {} B brotli on disk", thousands(brotli)),
    );
    check_counter(brotli, "files on disk")?;
    Ok(dist)
}

/// The brotli copies of the counter's page, scripts and module, summed.
pub fn brotli_size(dist: &Path) -> Result<u64> {
    let mut total = 0;
    let mut found_wasm = false;
    for entry in fs::read_dir(dist).map_err(Error::io(dist))?.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(original) = name.strip_suffix(".br") else {
            continue;
        };
        if [".html", ".js", ".wasm"]
            .iter()
            .any(|ext| original.ends_with(ext))
        {
            found_wasm |= original.ends_with(".wasm");
            total += entry.metadata().map_err(Error::io(&entry.path()))?.len();
        }
    }
    if found_wasm {
        Ok(total)
    } else {
        Err(Error::MissingOutput(dist.join("*.wasm.br")))
    }
}

/// The test of the bench itself: clones this repository's last commit into a temporary folder,
/// builds the counter fixture there as the bench does (so the clone's own `.cargo/config.toml`
/// is in reach, as on any fresh checkout) and checks its size against [`COUNTER_RANGE`].
pub fn counter_from_fresh_clone() -> Result<String> {
    let root = tools::project_root();
    let clone = tools::target_dir().join("xtask").join("counter-clone");
    if clone.exists() {
        fs::remove_dir_all(&clone).map_err(Error::io(&clone))?;
    }
    let step = Step::start("test", "bench baseline", "git clone of this commit");
    let result = step.run(
        tools::command("git")
            .args(["clone", "-q", "--no-local"])
            .arg(&root)
            .arg(&clone),
        "bench-counter-clone",
    );
    step.finish(result)?;
    let dist = build_counter_in(&clone)?;
    let brotli = brotli_size(&dist)?;
    let _ = fs::remove_dir_all(&clone);
    Ok(format!(
        "empty counter from a fresh clone: {} B brotli (range {} – {} B)",
        thousands(brotli),
        thousands(COUNTER_RANGE.0),
        thousands(COUNTER_RANGE.1)
    ))
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

/// The comparison as Markdown: one row per page, then every request of the kiosk's first visit.
fn markdown(data: &Value, counter: f64, rows: &[(&str, f64, f64, f64)]) -> String {
    let mut text = String::from("# Bytes over the wire: what a visitor's browser receives\n\n");
    text.push_str(
        "Headless Chromium, counted from its network events (headers and compressed bodies as \
         received). Chromium counts an open event stream's compressed bytes only once it ends, \
         so the live stream is counted by making its request again with the same encoding and \
         counting headers, framing and body until it has brought as much event data as the \
         browser got. A first visit starts with an empty cache and no stored data; a repeat visit \
         follows it in the same browser. A page counts as loaded when its ready element is there \
         and the network has been quiet for 1 s. The counter is an empty Leptos 0.8 counter \
         built in the same run with the widget's release profile and no inherited flags, \
         served with its brotli-11 copies by tower-http.\n\n\
         | page | first visit | ÷ counter | repeat visit |\n| --- | ---: | ---: | ---: |\n",
    );
    let _ = writeln!(
        text,
        "| counter | {} B | 1.00× | {} B |",
        thousands(counter as u64),
        thousands(data["counter"]["repeat"]["bytes"].as_f64().unwrap_or(0.0) as u64)
    );
    for (name, first, repeat, ratio) in rows {
        let _ = writeln!(
            text,
            "| {name} | {} B | {} | {} B |",
            thousands(*first as u64),
            times(*ratio),
            thousands(*repeat as u64)
        );
    }
    for page in ["kiosk", "view=events"] {
        let _ = write!(
            text,
            "\n## {page}: every request of the first visit\n\n| request | type | encoding | bytes | sent | finished |\n| --- | --- | --- | ---: | ---: | ---: |\n"
        );
        for request in data[page]["first"]["requests"]
            .as_array()
            .into_iter()
            .flatten()
        {
            let url = request["url"].as_str().unwrap_or("");
            let path = url.splitn(4, '/').nth(3).unwrap_or(url);
            let _ = writeln!(
                text,
                "| /{} | {} | {} | {} | {} ms | {} |",
                path,
                request["type"].as_str().unwrap_or(""),
                request["encoding"].as_str().unwrap_or(""),
                thousands(request["bytes"].as_f64().unwrap_or(0.0) as u64),
                request["sent_ms"].as_f64().unwrap_or(0.0),
                request["finished_ms"]
                    .as_f64()
                    .map_or_else(|| "open".to_owned(), |ms| format!("{ms} ms")),
            );
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_counter_outside_its_range_stops_the_bench() {
        assert!(check_counter(30_200, "x").is_ok());
        assert!(matches!(
            check_counter(171_943, "x"),
            Err(Error::BaselineOutOfRange { .. })
        ));
        assert!(check_counter(900, "x").is_err());
    }

    #[test]
    fn a_chunk_requested_before_the_module_arrived_is_parallel() {
        let visit = |chunk_sent: f64| {
            json!({ "requests": [
                { "url": "http://h/open-month-kiosk_bg-0123456789abcdef.wasm", "sent_ms": 5.0, "finished_ms": 40.0 },
                { "url": "http://h/split_omk_screens-0123456789abcdef.wasm", "sent_ms": chunk_sent, "finished_ms": 60.0 },
            ]})
        };
        assert_eq!(parallel_chunk(&visit(6.0)), Some(true));
        assert_eq!(parallel_chunk(&visit(41.0)), Some(false));
        assert_eq!(parallel_chunk(&json!({ "requests": [] })), None);
    }
}
