//! `cargo xtask bench soak`: one Chromium kiosk through a compressed day (live updates, idle
//! resets, visitors walking every screen, ratings on the spot), and how much its JS heap, DOM
//! and listeners grew between the start and the end, each read after a forced GC.

use std::fmt::Write as _;

use serde_json::Value;

use super::procs::{self, Server};
use super::report::{Headline, Part, mib};
use crate::error::Result;
use crate::progress::Step;

/// Ratings per second posted from outside: each one a live update on the kiosk.
const RATE: &str = "20";

/// Runs the day and reports the growth.
pub fn run(quick: bool) -> Result<Part> {
    let secs = if quick { "90" } else { "1800" };
    let dir = procs::scratch("soak")?;
    let server = Server::omk(&procs::sqlite_copy(&dir)?, "bench-soak-server")?;
    let step = Step::start(
        "bench",
        "soak",
        &format!("{secs} s of kiosk day in Chromium (idle 5 s + 2 s warning)"),
    );
    let args: Vec<String> = [
        "soak",
        "--addr",
        &server.addr.to_string(),
        "--secs",
        secs,
        "--rate",
        RATE,
        "--idle",
        "5",
        "--warning",
        "2",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    let result = procs::omk_bench(&step, &args, "bench-soak");
    let data = step.finish(result);
    server.stop();
    let data = data?;

    let num = |v: &Value| v.as_f64().unwrap_or(0.0);
    let (start, end, growth) = (&data["start"], &data["end"], &data["growth"]);
    let mut md = String::from("# Soak: a kiosk's memory over a compressed day\n\n");
    let _ = writeln!(
        md,
        "One headless Chromium kiosk (`?idle=5&idle_warning_secs=2`) for {:.0} s: {} live updates \
         ({RATE} ratings/s posted from outside), {} idle resets, each after a visitor who \
         started a session and walked all six screens, {} ratings on the spot. Figures after \
         `HeapProfiler.collectGarbage`, from `Performance.getMetrics`, after one warm-up \
         session and on the attract screen both times.\n",
        num(&data["secs"]),
        data["live_updates_posted"],
        data["idle_resets"],
        data["submissions"]
    );
    md.push_str("| figure | start | end | growth |\n| --- | ---: | ---: | ---: |\n");
    let _ = writeln!(
        md,
        "| JS heap used | {} | {} | {:+.1} KiB ({:+.1}%) |",
        mib(num(&start["js_heap_used_bytes"])),
        mib(num(&end["js_heap_used_bytes"])),
        num(&growth["js_heap_used_bytes"]) / 1024.0,
        num(&growth["js_heap_used_percent"])
    );
    let _ = writeln!(
        md,
        "| WebAssembly memory | {} | {} | {:+.1} KiB |",
        mib(num(&start["wasm_memory_bytes"])),
        mib(num(&end["wasm_memory_bytes"])),
        num(&growth["wasm_memory_bytes"]) / 1024.0
    );
    for (name, key) in [
        ("DOM nodes (alive, attached or not)", "nodes"),
        ("elements in the document", "attached_nodes"),
        ("JS event listeners", "js_event_listeners"),
    ] {
        let _ = writeln!(
            md,
            "| {name} | {} | {} | {:+} |",
            num(&start[key]),
            num(&end[key]),
            num(&growth[key])
        );
    }
    md.push_str("\nSamples (every fifth session):\n\n| at | JS heap | wasm memory | nodes | in document | listeners |\n| ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for sample in data["samples"].as_array().into_iter().flatten() {
        let _ = writeln!(
            md,
            "| {:.0} s | {} | {} | {} | {} | {} |",
            num(&sample["at_secs"]),
            mib(num(&sample["js_heap_used_bytes"])),
            mib(num(&sample["wasm_memory_bytes"])),
            num(&sample["nodes"]),
            num(&sample["attached_nodes"]),
            num(&sample["js_event_listeners"])
        );
    }
    let headlines = vec![
        Headline::new(
            "kiosk JS heap growth after GC",
            format!(
                "{:+.1} KiB ({:+.1}%)",
                num(&growth["js_heap_used_bytes"]) / 1024.0,
                num(&growth["js_heap_used_percent"])
            ),
        )
        .against(
            format!("{} at start", mib(num(&start["js_heap_used_bytes"]))),
            f64::NAN,
        )
        .note(format!(
            "{:.0} s, {} updates, {} idle resets; bar: flat",
            num(&data["secs"]),
            data["live_updates_posted"],
            data["idle_resets"]
        )),
        Headline::new(
            "kiosk WebAssembly memory growth",
            format!("{:+.1} KiB", num(&growth["wasm_memory_bytes"]) / 1024.0),
        )
        .against(
            format!("{} at start", mib(num(&start["wasm_memory_bytes"]))),
            f64::NAN,
        ),
        Headline::new(
            "kiosk DOM nodes / listeners growth",
            format!(
                "{:+} / {:+}",
                num(&growth["nodes"]),
                num(&growth["js_event_listeners"])
            ),
        )
        .against(
            format!(
                "{} / {} at start",
                num(&start["nodes"]),
                num(&start["js_event_listeners"])
            ),
            f64::NAN,
        ),
    ];
    Ok(Part {
        name: "soak",
        markdown: md,
        data,
        headlines,
    })
}
