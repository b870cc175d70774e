//! `cargo xtask bench soak`: one Chromium kiosk, never reloaded, through many visits (live
//! updates, idle resets, visitors walking every screen and the program's pages, ratings on the
//! spot), and how much its WebAssembly memory and JS heap after a forced GC grew from the 20th
//! visit to the last, against a bar of 5 %.

use std::fmt::Write as _;

use serde_json::Value;

use super::procs::{self, Server};
use super::report::{Headline, Part, mib};
use crate::error::Result;
use crate::progress::{self, Step};

/// Ratings per second posted from outside: each one a live update on the kiosk.
const RATE: &str = "20";

/// The visit growth is measured from.
const BASELINE: usize = 20;

/// Runs the visits (`visits`, or 500; 40 with `quick`) and reports the growth.
pub fn run(quick: bool, visits: Option<usize>) -> Result<Part> {
    let visits = visits
        .unwrap_or(if quick { 40 } else { 500 })
        .max(BASELINE + 1);
    let dir = procs::scratch("soak")?;
    let server = Server::omk(&procs::sqlite_copy(&dir)?, "bench-soak-server")?;
    let step = Step::start(
        "bench",
        "soak",
        &format!("{visits} kiosk visits in Chromium, never reloaded"),
    );
    let args: Vec<String> = [
        "soak",
        "--addr",
        &server.addr.to_string(),
        "--visits",
        &visits.to_string(),
        "--baseline",
        &BASELINE.to_string(),
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
    let met = data["bar_met"].as_bool().unwrap_or(false);
    let verdict = if met { "met" } else { "MISSED" };
    let bar = num(&data["bar_percent"]);
    // Each figure's own verdict, beside the joint one.
    let verdict_of = |key: &str| {
        if num(&growth[key]) < bar {
            "met"
        } else {
            "MISSED"
        }
    };
    let (wasm_verdict, heap_verdict) = (
        verdict_of("wasm_memory_percent"),
        verdict_of("js_heap_used_percent"),
    );
    let mut md = String::from("# Soak: a kiosk's memory over many visits\n\n");
    let _ = writeln!(
        md,
        "One headless Chromium kiosk (`?idle=5&idle_warning_secs=2&refresh_after_resets=0`): {} \
         visits in {:.0} s, each starting a session, walking all six screens (the program's \
         next page and an event's detail included) and ending in an idle reset (the page's \
         clock moved past the timeout); {} ratings on the spot; {} live updates ({RATE} \
         ratings/s posted from outside). Figures after `HeapProfiler.collectGarbage`, on the \
         attract screen, at visit {} and at visit {}.\n",
        data["visits"],
        num(&data["secs"]),
        data["submissions"],
        data["live_updates_posted"],
        data["baseline_visit"],
        end["visit"],
    );
    let _ = writeln!(
        md,
        "**Bar ({bar:.0} % growth of WebAssembly memory and of the JS heap after GC): {verdict}.**\n"
    );
    md.push_str("| figure | baseline | end | growth |\n| --- | ---: | ---: | ---: |\n");
    let _ = writeln!(
        md,
        "| WebAssembly memory | {} | {} | {:+.1} KiB ({:+.1}%) |",
        mib(num(&start["wasm_memory_bytes"])),
        mib(num(&end["wasm_memory_bytes"])),
        num(&growth["wasm_memory_bytes"]) / 1024.0,
        num(&growth["wasm_memory_percent"])
    );
    let _ = writeln!(
        md,
        "| JS heap used | {} | {} | {:+.1} KiB ({:+.1}%) |",
        mib(num(&start["js_heap_used_bytes"])),
        mib(num(&end["js_heap_used_bytes"])),
        num(&growth["js_heap_used_bytes"]) / 1024.0,
        num(&growth["js_heap_used_percent"])
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
    md.push_str("\nSamples:\n\n| visit | at | JS heap | wasm memory | nodes | in document | listeners |\n| ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for sample in data["samples"].as_array().into_iter().flatten() {
        let _ = writeln!(
            md,
            "| {} | {:.0} s | {} | {} | {} | {} | {} |",
            sample["visit"],
            num(&sample["at_secs"]),
            mib(num(&sample["js_heap_used_bytes"])),
            mib(num(&sample["wasm_memory_bytes"])),
            num(&sample["nodes"]),
            num(&sample["attached_nodes"]),
            num(&sample["js_event_listeners"])
        );
    }
    progress::note(
        "soak",
        &format!(
            "visit {} → {}: wasm memory {:+.1}%, JS heap after GC {:+.1}%; bar {bar:.0}%: {verdict}",
            data["baseline_visit"],
            end["visit"],
            num(&growth["wasm_memory_percent"]),
            num(&growth["js_heap_used_percent"])
        ),
    );
    let headlines = vec![
        Headline::new(
            "kiosk WebAssembly memory growth",
            format!(
                "{:+.1} KiB ({:+.1}%)",
                num(&growth["wasm_memory_bytes"]) / 1024.0,
                num(&growth["wasm_memory_percent"])
            ),
        )
        .against(
            format!(
                "{} at visit {BASELINE}",
                mib(num(&start["wasm_memory_bytes"]))
            ),
            f64::NAN,
        )
        .note(format!(
            "{} visits; bar: below {bar:.0}%: {wasm_verdict}",
            data["visits"]
        )),
        Headline::new(
            "kiosk JS heap growth after GC",
            format!(
                "{:+.1} KiB ({:+.1}%)",
                num(&growth["js_heap_used_bytes"]) / 1024.0,
                num(&growth["js_heap_used_percent"])
            ),
        )
        .against(
            format!(
                "{} at visit {BASELINE}",
                mib(num(&start["js_heap_used_bytes"]))
            ),
            f64::NAN,
        )
        .note(format!(
            "{:.0} s, {} updates, {} visits; bar: below {bar:.0}%: {heap_verdict}",
            num(&data["secs"]),
            data["live_updates_posted"],
            data["visits"]
        )),
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
                "{} / {} at visit {BASELINE}",
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
