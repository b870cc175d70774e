//! What a benchmark hands back and where it goes: one Markdown and one JSON file per part under
//! `target/bench/`, and `summary.md`/`summary.json` gathered from every part's latest file.

use std::fmt::Write as _;
use std::fs;
use std::path::PathBuf;
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};

use crate::error::{Error, Result};
use crate::tools;

/// The parts in the order the summary lists them.
pub const PARTS: &[&str] = &["bundle", "tti", "live", "ingest", "soak"];

/// Which way a figure is better: a ratio (ours ÷ baseline) on the wrong side of 1 means the bare
/// baseline did worse than the product, which is suspect until explained.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Better {
    /// Bytes, latency: the baseline should be below ours.
    Lower,
    /// Throughput: the baseline should be above ours.
    Higher,
}

/// The mark a headline gets when its baseline came out worse than the product.
pub const SUSPECT: &str = "⚠ baseline worse than ours: suspect";

/// One figure of the summary: ours, the same-run baseline, and their ratio.
pub struct Headline {
    pub figure: String,
    pub ours: String,
    pub baseline: String,
    pub ratio: Option<f64>,
    pub note: String,
    better: Option<Better>,
}

impl Headline {
    pub fn new(figure: impl Into<String>, ours: impl Into<String>) -> Headline {
        Headline {
            figure: figure.into(),
            ours: ours.into(),
            baseline: "—".to_owned(),
            ratio: None,
            note: String::new(),
            better: None,
        }
    }

    /// Says which way the figure is better, so that a baseline worse than ours is flagged.
    pub fn better(mut self, better: Better) -> Headline {
        self.better = Some(better);
        self
    }

    /// Whether the bare baseline did worse than the product.
    pub fn suspect(&self) -> bool {
        match (self.better, self.ratio) {
            (Some(Better::Lower), Some(ratio)) => ratio < 1.0,
            (Some(Better::Higher), Some(ratio)) => ratio > 1.0,
            _ => false,
        }
    }

    /// The note with the suspect mark when it applies.
    fn full_note(&self) -> String {
        match (self.suspect(), self.note.is_empty()) {
            (false, _) => self.note.clone(),
            (true, true) => SUSPECT.to_owned(),
            (true, false) => format!("{SUSPECT}; {}", self.note),
        }
    }

    pub fn against(mut self, baseline: impl Into<String>, ratio: f64) -> Headline {
        self.baseline = baseline.into();
        self.ratio = ratio.is_finite().then_some(ratio);
        self
    }

    pub fn note(mut self, note: impl Into<String>) -> Headline {
        self.note = note.into();
        self
    }

    fn to_json(&self) -> Value {
        json!({
            "figure": self.figure,
            "ours": self.ours,
            "baseline": self.baseline,
            "ratio": self.ratio.map(|r| format!("{r:.3e}").parse::<f64>().unwrap_or(r)),
            "note": self.full_note(),
            "suspect": self.suspect(),
        })
    }
}

/// A finished part.
pub struct Part {
    pub name: &'static str,
    pub markdown: String,
    pub data: Value,
    pub headlines: Vec<Headline>,
}

/// `target/bench/`.
pub fn out_dir() -> PathBuf {
    tools::target_dir().join("bench")
}

/// Prints the part's Markdown and writes `<name>.md` and `<name>.json`.
pub fn write_part(part: &Part, quick: bool) -> Result<()> {
    let out = out_dir();
    fs::create_dir_all(&out).map_err(Error::io(&out))?;
    let mut markdown = part.markdown.clone();
    markdown.push_str(&headline_table(&part.headlines));
    println!();
    println!("{markdown}");
    let md_path = out.join(format!("{}.md", part.name));
    fs::write(&md_path, &markdown).map_err(Error::io(&md_path))?;
    let json = json!({
        "part": part.name,
        "quick": quick,
        "run_at_unix": now_unix(),
        "headline": part.headlines.iter().map(Headline::to_json).collect::<Vec<_>>(),
        "data": part.data,
    });
    let json_path = out.join(format!("{}.json", part.name));
    let text = serde_json::to_string_pretty(&json).unwrap_or_default();
    fs::write(&json_path, text + "\n").map_err(Error::io(&json_path))?;
    println!(
        "[bench] {} written to {} and {}",
        part.name,
        md_path.display(),
        json_path.display()
    );
    Ok(())
}

/// The headline rows as a Markdown table.
fn headline_table(rows: &[Headline]) -> String {
    let mut text = String::from(
        "\n## Headline\n\n| figure | ours | same-run baseline | ratio | note |\n| --- | ---: | ---: | ---: | --- |\n",
    );
    for row in rows {
        let _ = writeln!(
            text,
            "| {} | {} | {} | {} | {} |",
            row.figure,
            row.ours,
            row.baseline,
            row.ratio
                .map_or_else(|| "—".to_owned(), |r| format!("{r:.2}×")),
            row.full_note()
        );
    }
    text
}

/// The lines of README.md between which a full run writes its table.
const README_BEGIN: &str = "<!-- bench table: written by `cargo xtask bench` -->";
const README_END: &str = "<!-- end of bench table -->";

/// Puts the summary table of a full run (every part, in this one run) into README.md between
/// its markers, with the run's date, so the README never mixes figures of different runs.
pub fn write_readme(table: &str, quick: bool) -> Result<()> {
    let path = tools::project_root().join("README.md");
    let text = fs::read_to_string(&path).map_err(Error::io(&path))?;
    let (Some(begin), Some(end)) = (text.find(README_BEGIN), text.find(README_END)) else {
        return Ok(());
    };
    if end < begin {
        return Ok(());
    }
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let command = if quick {
        "cargo xtask bench --quick"
    } else {
        "cargo xtask bench"
    };
    let (year, month, day) = omk_api::civil::civil_from_days((now_unix() / 86_400) as i64);
    let mut section = format!(
        "{README_BEGIN}\nOne run of `{command}` on a {cores}-core machine on \
         {year}-{month:02}-{day:02} (UTC); each ratio is against a baseline built or run in that \
         same run.\n\n"
    );
    section.push_str(table.trim_end());
    section.push('\n');
    let updated = format!("{}{section}{}", &text[..begin], &text[end..]);
    fs::write(&path, updated).map_err(Error::io(&path))
}

/// Gathers every part's latest JSON into `summary.md` and `summary.json`, and prints the table.
pub fn write_summary() -> Result<String> {
    let out = out_dir();
    let mut parts = Vec::new();
    for name in PARTS {
        let path = out.join(format!("{name}.json"));
        if let Ok(text) = fs::read_to_string(&path)
            && let Ok(value) = serde_json::from_str::<Value>(&text)
        {
            parts.push(value);
        }
    }
    let mut md = String::from(
        "# Benchmarks: where we stand\n\nEvery figure is compared with a baseline built or run in the same run \
         on the same machine; only the ratios carry over between machines. Produced by \
         `cargo xtask bench`; each part's details are in its own file next to this one.\n\n\
         | part | figure | ours | same-run baseline | ratio | note |\n| --- | --- | ---: | ---: | ---: | --- |\n",
    );
    for part in &parts {
        let name = part["part"].as_str().unwrap_or("?");
        let mode = if part["quick"] == Value::Bool(true) {
            " (quick)"
        } else {
            ""
        };
        for row in part["headline"].as_array().into_iter().flatten() {
            let ratio = row["ratio"].as_f64().map_or_else(|| "—".to_owned(), times);
            let _ = writeln!(
                md,
                "| {name}{mode} | {} | {} | {} | {ratio} | {} |",
                row["figure"].as_str().unwrap_or(""),
                row["ours"].as_str().unwrap_or(""),
                row["baseline"].as_str().unwrap_or(""),
                row["note"].as_str().unwrap_or("")
            );
        }
    }
    println!();
    println!("{md}");
    fs::create_dir_all(&out).map_err(Error::io(&out))?;
    let md_path = out.join("summary.md");
    fs::write(&md_path, &md).map_err(Error::io(&md_path))?;
    let json_path = out.join("summary.json");
    let summary = json!({ "generated_at_unix": now_unix(), "parts": parts });
    let text = serde_json::to_string_pretty(&summary).unwrap_or_default();
    fs::write(&json_path, text + "\n").map_err(Error::io(&json_path))?;
    println!(
        "[bench] summary written to {} and {}",
        md_path.display(),
        json_path.display()
    );
    Ok(md
        .lines()
        .skip_while(|line| !line.starts_with("| part |"))
        .collect::<Vec<_>>()
        .join("\n"))
}

fn now_unix() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// A ratio for a table, with three significant digits: `2.70×`, `0.0139×`.
pub fn times(ratio: f64) -> String {
    let decimals = if ratio >= 10.0 {
        1
    } else if ratio >= 1.0 || ratio == 0.0 {
        2
    } else {
        (2 - ratio.log10().floor() as i32).max(2) as usize
    };
    format!("{ratio:.decimals$}×")
}

/// Milliseconds for a table: `12.3 ms`.
pub fn ms(value: &Value) -> String {
    value
        .as_f64()
        .map_or_else(|| "—".to_owned(), |v| format!("{v:.1} ms"))
}

/// A ratio of two JSON numbers, NaN when either is missing or the divisor is zero.
pub fn ratio(ours: &Value, baseline: &Value) -> f64 {
    match (ours.as_f64(), baseline.as_f64()) {
        (Some(a), Some(b)) if b != 0.0 => a / b,
        _ => f64::NAN,
    }
}

/// Bytes as MiB for a table: `48.2 MiB`.
pub fn mib(bytes: f64) -> String {
    format!("{:.1} MiB", bytes / 1024.0 / 1024.0)
}

/// `69950` → `69,950`.
pub fn thousands(n: u64) -> String {
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
    fn ratios_keep_three_significant_digits() {
        assert_eq!(times(2.7043), "2.70×");
        assert_eq!(times(0.013_91), "0.0139×");
        assert_eq!(times(0.35), "0.350×");
        assert_eq!(times(12.34), "12.3×");
    }

    #[test]
    fn ratios_need_both_numbers() {
        assert_eq!(ratio(&json!(30.0), &json!(10.0)), 3.0);
        assert!(ratio(&json!(30.0), &json!(0.0)).is_nan());
        assert!(ratio(&Value::Null, &json!(1.0)).is_nan());
    }

    #[test]
    fn a_baseline_worse_than_ours_is_flagged() {
        let bytes = Headline::new("first load", "138 KB").against("172 KB", 0.81);
        assert!(!bytes.suspect());
        let bytes = bytes.better(Better::Lower);
        assert!(bytes.suspect());
        assert!(headline_table(&[bytes]).contains(SUSPECT));
        let rate = Headline::new("ratings/s", "2,000/s").against("1,000/s", 2.0);
        assert!(rate.better(Better::Higher).suspect());
        let fair = Headline::new("ratings/s", "2,000/s").against("100,000/s", 0.02);
        assert!(!fair.better(Better::Higher).suspect());
    }

    #[test]
    fn headline_tables_show_missing_ratios_as_dashes() {
        let table = headline_table(&[
            Headline::new("p99", "20.0 ms").against("10.0 ms", 2.0),
            Headline::new("heap growth", "+1.0 MiB"),
        ]);
        assert!(table.contains("| p99 | 20.0 ms | 10.0 ms | 2.00× |"));
        assert!(table.contains("| heap growth | +1.0 MiB | — | — |"));
    }
}
