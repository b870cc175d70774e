//! `cargo xtask bench`: measurements meant to be compared as ratios within one run, written to
//! `target/bench/`.

mod bundle;

use crate::error::Result;

/// Flags of `cargo xtask bench`.
#[derive(Debug, clap::Args)]
pub struct BenchArgs {
    /// The benchmarks to run; all of them when none is named.
    #[arg(value_enum)]
    which: Vec<Bench>,
    /// Reuse what an earlier run built instead of rebuilding it.
    #[arg(long)]
    quick: bool,
}

/// The benchmarks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Bench {
    /// The bytes the widget's page loads, raw, gzip and brotli, against an empty Leptos counter.
    Bundle,
}

/// Every benchmark there is, in the order `bench` runs them.
const ALL: &[Bench] = &[Bench::Bundle];

/// Runs the named benchmarks (or all).
pub fn bench(args: &BenchArgs) -> Result<()> {
    let which = if args.which.is_empty() {
        ALL
    } else {
        args.which.as_slice()
    };
    for bench in which {
        match bench {
            Bench::Bundle => bundle::run(args.quick)?,
        }
    }
    Ok(())
}
