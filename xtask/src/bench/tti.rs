//! `cargo xtask bench tti`: navigation start → first event card from the server in headless
//! Chromium, against the first contentful paint of an empty Leptos counter served statically.

use std::fmt::Write as _;

use serde_json::Value;

use super::bundle;
use super::procs::{self, Server};
use super::report::{Better, Headline, Part, ms, ratio};
use crate::error::Result;
use crate::progress::Step;

/// Loads the widget and the counter `N` times each, interleaved, and compares the medians.
pub fn run(quick: bool) -> Result<Part> {
    let loads = if quick { 5 } else { 15 };
    let counter_dist = bundle::build_counter()?;
    let dir = procs::scratch("tti")?;
    let server = Server::omk(&procs::sqlite_copy(&dir)?, "bench-tti-server")?;
    let counter = Server::baseline(
        &["static", &counter_dist.display().to_string()],
        "bench-tti-static",
    )?;
    let step = Step::start(
        "bench",
        "tti",
        &format!("{loads} cold loads each of the widget and the counter in headless Chromium"),
    );
    let args = [
        "tti".to_owned(),
        "--widget".to_owned(),
        format!("http://{}/?view=events", server.addr),
        "--counter".to_owned(),
        format!("http://{}/", counter.addr),
        "--loads".to_owned(),
        loads.to_string(),
    ];
    let result = procs::omk_bench(&step, &args, "bench-tti");
    let data = step.finish(result)?;
    server.stop();
    counter.stop();

    let widget = &data["widget"];
    let counter = &data["counter"];
    let mut md =
        String::from("# Time to interactive: the widget against an empty Leptos counter\n\n");
    let _ = writeln!(
        md,
        "Headless Chromium on loopback, browser cache cleared before every load, loads \
         interleaved; median of {loads}. Times from navigation start (`performance.now()`). \
         The widget counts as interactive when the first `[data-testid=event-card]` from the \
         server is in the DOM (`?view=events`); the counter when its button is.\n"
    );
    md.push_str("| page | interactive | first contentful paint | load event | transferred |\n| --- | ---: | ---: | ---: | ---: |\n");
    for (name, page) in [("widget", widget), ("counter", counter)] {
        let _ = writeln!(
            md,
            "| {name} | {} | {} | {} | {} B |",
            ms(&page["ready_ms"]["median"]),
            ms(&page["fcp_ms"]["median"]),
            ms(&page["load_event_ms"]),
            page["transfer_bytes"].as_f64().unwrap_or(0.0)
        );
    }
    let headlines = vec![
        Headline::new(
            "time to first event card (median)",
            ms(&widget["ready_ms"]["median"]),
        )
        .against(
            format!("{} (counter FCP)", ms(&counter["fcp_ms"]["median"])),
            ratio(&widget["ready_ms"]["median"], &counter["fcp_ms"]["median"]),
        )
        .better(Better::Lower),
        Headline::new(
            "first contentful paint (median)",
            ms(&widget["fcp_ms"]["median"]),
        )
        .against(
            ms(&counter["fcp_ms"]["median"]),
            ratio(&widget["fcp_ms"]["median"], &counter["fcp_ms"]["median"]),
        )
        .better(Better::Lower),
    ];
    Ok(Part {
        name: "tti",
        markdown: md,
        data: Value::clone(&data),
        headlines,
    })
}
