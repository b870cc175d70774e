//! `cargo xtask bench`: measurements compared as ratios with baselines built or run in the same
//! run, written to `target/bench/` (one Markdown and one JSON file per part, and a summary).
//! Benchmarks assert nothing about time; they are not part of `cargo xtask test`.

mod bundle;
mod ingest;
mod live;
mod procs;
mod report;
mod soak;
mod tti;

pub use bundle::counter_from_fresh_clone;

use crate::error::Result;
use crate::progress;

/// Flags of `cargo xtask bench`.
#[derive(Debug, clap::Args)]
pub struct BenchArgs {
    /// The parts to run; all of them when none is named.
    #[arg(value_enum)]
    which: Vec<Bench>,
    /// Short runs (everything in a few minutes once `cargo xtask test` has built things). Every
    /// baseline is still built and checked in full.
    #[arg(long)]
    quick: bool,
    /// Stream clients of the live part, one run per value (e.g. `--live-clients 10000`); by
    /// default 1,000 and 10,000 (1,000 with `--quick`).
    #[arg(long = "live-clients")]
    live_clients: Vec<usize>,
    /// Visits in the soak (500 by default, 40 with `--quick`).
    #[arg(long)]
    visits: Option<usize>,
}

/// The parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Bench {
    /// The bytes Chromium receives on a first and a repeat visit of the kiosk, each single-screen
    /// view and the console, against an empty Leptos counter built clean in the same run.
    Bundle,
    /// Time to the first event card in headless Chromium, against the counter's first paint.
    Tti,
    /// Rating posted → live event at 1,000 (and 10,000) stream clients and in a real kiosk,
    /// against a bare axum broadcast.
    Live,
    /// Sustained ratings/s and issues/s over SQLite and PostgreSQL, against a bare "hello".
    Ingest,
    /// A kiosk's WebAssembly memory and JS heap over many visits, never reloaded.
    Soak,
}

/// Every part, in the order `bench` runs them.
const ALL: &[Bench] = &[
    Bench::Bundle,
    Bench::Tti,
    Bench::Live,
    Bench::Ingest,
    Bench::Soak,
];

/// Runs the named parts (or all), then writes the summary.
pub fn bench(args: &BenchArgs) -> Result<()> {
    let which = if args.which.is_empty() {
        ALL
    } else {
        args.which.as_slice()
    };
    crate::setup::setup(&[])?;
    crate::widget::build(false)?;
    procs::build()?;
    // A fresh template each run, so the demo data follows the current seed.
    let _ = std::fs::remove_file(report::out_dir().join("tmp").join("template.db"));
    let mut failed = Vec::new();
    for bench in which {
        let part = match bench {
            Bench::Bundle => bundle::run(args.quick),
            Bench::Tti => tti::run(args.quick),
            Bench::Live => live::run(args.quick, &args.live_clients),
            Bench::Ingest => ingest::run(args.quick),
            Bench::Soak => soak::run(args.quick, args.visits),
        };
        match part {
            Ok(part) => report::write_part(&part, args.quick)?,
            Err(err) => {
                eprintln!("[bench] {bench:?} failed: {err}");
                failed.push(err);
            }
        }
    }
    let table = report::write_summary()?;
    if failed.is_empty() && args.which.is_empty() {
        report::write_readme(&table, args.quick)?;
        progress::note("bench", "README.md's Performance table is this run's");
    }
    match failed.into_iter().next() {
        Some(err) => {
            progress::note(
                "bench",
                "some parts failed; the summary keeps their last results",
            );
            Err(err)
        }
        None => Ok(()),
    }
}
