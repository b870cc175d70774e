//! The open data: after a mixed history on top of the demo (ratings and issues over several
//! days, status changes, votes, an erasure), the package downloaded file by file is what its
//! descriptor says (the Frictionless tools validate it, and catch a changed byte), holds no
//! personal data or free text, and every live figure recomputed from its tables is exactly
//! `/api/v1/metrics`, as the mailbox's monthly figures are `/api/v1/letters/figures`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use omk_api::{DayPoint, LetterFigures, Metrics, UnitScore};
use serde_json::{Value, json};

use crate::on_every_backend;
use crate::support::{TestApp, csv_rows, run_binary, seeded_at_demo_moment};

on_every_backend!(the_open_data_validates_and_recomputes_every_live_figure);

/// The Frictionless command line, installed into the project's Python environment by
/// `cargo xtask setup` (and `cargo xtask test`).
fn frictionless() -> PathBuf {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../.tools/venv/bin/frictionless");
    assert!(
        path.is_file(),
        "{} is missing: `cargo xtask setup` installs the Frictionless tools",
        path.display()
    );
    path
}

/// A small deterministic generator, so that a failure can be replayed.
struct Dice(u64);

impl Dice {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

/// What the history wrote that must never reach the open data.
const NAME: &str = "欧阳开放";
const PHONE: &str = "13800138017";
const DESCRIPTION: &str = "开放数据测试：路灯不亮已经三天";
const PLACE: &str = "东昌府区柳园街道开放里";

async fn the_open_data_validates_and_recomputes_every_live_figure() {
    let app = seeded_at_demo_moment().await;
    let numbers = mixed_history(&app).await;

    let dir = tempfile::tempdir().expect("folder");
    let descriptor = download(&app, dir.path()).await;
    for file in std::fs::read_dir(dir.path()).expect("files") {
        let path = file.expect("file").path();
        let bytes = std::fs::read(&path).expect("read");
        let text = String::from_utf8_lossy(&bytes);
        for private in [NAME, PHONE, DESCRIPTION, PLACE] {
            assert!(
                !text.contains(private),
                "{private} is in {}",
                path.display()
            );
        }
        for number in &numbers {
            assert!(
                !text.contains(number.as_str()),
                "{number} is in {}",
                path.display()
            );
        }
    }

    let valid = validate(dir.path()).await;
    assert!(valid.0, "frictionless validate: {}", valid.1);
    // The validation reads the bytes: one changed count is caught by the size or the hash.
    let tampered = tempfile::tempdir().expect("folder");
    for file in std::fs::read_dir(dir.path()).expect("files") {
        let path = file.expect("file").path();
        let to = tampered.path().join(path.file_name().expect("name"));
        std::fs::copy(&path, to).expect("copied");
    }
    let ratings = tampered.path().join("ratings.json");
    let text = std::fs::read_to_string(&ratings).expect("read");
    let changed = text.replacen("\"ratings\":1}", "\"ratings\":2}", 1);
    assert!(text != changed, "a rating cell of 1 to change");
    std::fs::write(&ratings, changed).expect("written");
    let invalid = validate(tampered.path()).await;
    assert!(!invalid.0, "a changed file passed: {}", invalid.1);

    // Compared as the bytes the API sends: a float read back from text may be a step off.
    let now = app.state.clock.now();
    let live = app.get("/api/v1/metrics").await.text();
    let recomputed = serde_json::to_string(&recompute(dir.path(), now)).expect("json");
    assert_eq!(recomputed, live, "recomputed from the open data, then live");

    // The mailbox's figures of every month with letters, from the letters table alone.
    let letters = table(dir.path(), "letters");
    let months: std::collections::BTreeSet<String> =
        letters.iter().map(|r| r["day"][..7].to_owned()).collect();
    assert!(
        months.len() >= 2,
        "the demo's letters span months: {months:?}"
    );
    for month in months {
        let live = app
            .get(&format!("/api/v1/letters/figures?month={month}"))
            .await
            .text();
        let recomputed = serde_json::to_string(&letter_figures(&letters, &month)).expect("json");
        assert_eq!(
            recomputed, live,
            "{month}: recomputed from the open data, then live"
        );
    }
    assert_eq!(
        descriptor["created"],
        json!(omk_server::clock::rfc3339_utc(now)),
        "the package's moment"
    );
}

/// Ratings, issues and votes over three days, issues moved on, one visitor's contact erased;
/// the issues' tracking numbers.
async fn mixed_history(app: &TestApp) -> Vec<String> {
    let mut dice = Dice(20_261_206);
    let categories: Value = app.get("/api/v1/categories").await.json();
    let categories: Vec<String> = categories
        .as_array()
        .expect("categories")
        .iter()
        .map(|c| c["id"].as_str().expect("id").to_owned())
        .collect();
    // Units hosting events are the ones a rating may name; the demo's are all ranked.
    let metrics: Value = app.get("/api/v1/metrics").await.json();
    let units: Vec<Value> = metrics["ranking"]
        .as_array()
        .expect("ranking")
        .iter()
        .map(|u| u["unit"].clone())
        .chain([Value::Null])
        .collect();
    let topics: Value = app.get("/api/v1/topics").await.json();
    let topics: Vec<String> = topics
        .as_array()
        .expect("topics")
        .iter()
        .filter(|t| t["open"] != false)
        .map(|t| t["id"].as_str().expect("id").to_owned())
        .collect();
    let levels = [
        "very_satisfied",
        "satisfied",
        "basically_satisfied",
        "dissatisfied",
        "very_dissatisfied",
    ];
    let mut numbers: Vec<(String, usize)> = Vec::new();
    let forward = ["accepted", "answered", "resolved"];
    for _ in 0..60 {
        match dice.below(5) {
            0 | 1 => {
                let level = levels[dice.below(levels.len())];
                let unit = &units[dice.below(units.len())];
                let reply = app
                    .post_json("/api/v1/ratings", &json!({"level": level, "unit": unit}))
                    .await;
                assert_eq!(reply.status.as_u16(), 201, "{}", reply.text());
            }
            2 => {
                let category = &categories[dice.below(categories.len())];
                let reply = app
                    .post_json(
                        "/api/v1/issues",
                        &json!({"fill_ms": 5000, "category": category, "description": DESCRIPTION,
                                "place": PLACE, "name": NAME, "phone": PHONE, "consent": true}),
                    )
                    .await;
                assert_eq!(reply.status.as_u16(), 201, "{}", reply.text());
                let number: Value = reply.json();
                numbers.push((
                    number["tracking_no"].as_str().expect("number").to_owned(),
                    0,
                ));
            }
            3 if !numbers.is_empty() => {
                let n = dice.below(numbers.len());
                let (number, reached) = &mut numbers[n];
                if *reached < forward.len() {
                    let step = *reached + dice.below(forward.len() - *reached);
                    app.move_issue(
                        number,
                        &json!({"status": forward[step], "answer": "已处理。"}),
                    )
                    .await;
                    *reached = step + 1;
                }
            }
            _ if !topics.is_empty() => {
                let topic = &topics[dice.below(topics.len())];
                let reply = app
                    .post_json("/api/v1/votes", &json!({"topic": topic}))
                    .await;
                assert_eq!(reply.status.as_u16(), 201, "{}", reply.text());
            }
            _ => {}
        }
        // Between twenty minutes and three hours: the history spans days.
        let minutes = 20 + dice.below(160) as i64;
        app.state.clock.advance(minutes * 60);
    }
    let (erased, _) = numbers.first().expect("an issue was submitted");
    let output = run_binary(&app.database_url, &["erase", erased]).await;
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    numbers.into_iter().map(|(number, _)| number).collect()
}

/// Downloads the descriptor and every file it lists into `dir`, as a portal's harvester
/// would; the descriptor.
async fn download(app: &TestApp, dir: &Path) -> Value {
    let reply = app.get("/api/v1/opendata/datapackage.json").await;
    assert_eq!(reply.status.as_u16(), 200, "{}", reply.text());
    assert!(reply.content_type().starts_with("application/json"));
    std::fs::write(dir.join("datapackage.json"), &reply.body).expect("written");
    let descriptor: Value = reply.json();
    let resources = descriptor["resources"].as_array().expect("resources");
    assert_eq!(resources.len(), 10, "five tables, each as CSV and JSON");
    for resource in resources {
        let path = resource["path"].as_str().expect("path");
        let reply = app.get(&format!("/api/v1/opendata/{path}")).await;
        assert_eq!(reply.status.as_u16(), 200, "{path}: {}", reply.text());
        std::fs::write(dir.join(path), &reply.body).expect("written");
    }
    descriptor
}

/// `frictionless validate datapackage.json` in `dir`: whether it passed, and what it said.
async fn validate(dir: &Path) -> (bool, String) {
    let output = tokio::process::Command::new(frictionless())
        .arg("validate")
        .arg("datapackage.json")
        .current_dir(dir)
        .output()
        .await
        .expect("frictionless runs");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned()
            + &String::from_utf8_lossy(&output.stderr),
    )
}

/// The rows of a table's CSV file, each a map from its header's names.
fn table(dir: &Path, name: &str) -> Vec<BTreeMap<String, String>> {
    let text = std::fs::read_to_string(dir.join(format!("{name}.csv"))).expect("table");
    assert!(!text.contains('"'), "{name}.csv has only plain cells");
    let mut rows = csv_rows(&text).into_iter();
    let header = rows.next().expect("header");
    rows.map(|row| header.iter().cloned().zip(row).collect())
        .collect()
}

fn count(row: &BTreeMap<String, String>, field: &str) -> i64 {
    row[field].parse().expect("a count")
}

/// A part over a whole, none when there is no whole: the rates' one definition.
fn rate(part: i64, whole: i64) -> Option<f64> {
    (whole != 0).then(|| part as f64 / whole as f64)
}

/// `/api/v1/letters/figures?month=` `month`, by this test's own arithmetic from the letters
/// table alone.
fn letter_figures(letters: &[BTreeMap<String, String>], month: &str) -> LetterFigures {
    let of_month: Vec<_> = letters
        .iter()
        .filter(|r| r["day"].starts_with(month))
        .collect();
    let sum = |keep: &dyn Fn(&BTreeMap<String, String>) -> bool| -> i64 {
        of_month
            .iter()
            .filter(|r| keep(r))
            .map(|r| count(r, "letters"))
            .sum()
    };
    let replied_state =
        |r: &BTreeMap<String, String>| r["state"] == "replied" || r["state"] == "published";
    let received = sum(&|_| true);
    let declined = sum(&|r| r["state"] == "declined");
    let replied = sum(&|r| replied_state(r));
    let rated = sum(&|r| replied_state(r) && !r["rating"].is_empty());
    let satisfied = sum(&|r| replied_state(r) && r["rating"] == "satisfied");
    let mut days: Vec<f64> = of_month
        .iter()
        .filter(|r| replied_state(r) && !r["reply_seconds"].is_empty())
        .flat_map(|r| {
            let seconds: i64 = r["reply_seconds"].parse().expect("seconds");
            std::iter::repeat_n(seconds as f64 / 86_400.0, count(r, "letters") as usize)
        })
        .collect();
    days.sort_by(f64::total_cmp);
    let median = match days.len() {
        0 => None,
        n if n % 2 == 1 => Some(days[n / 2]),
        n => Some((days[n / 2 - 1] + days[n / 2]) / 2.0),
    };
    LetterFigures {
        month: month.to_owned(),
        received,
        declined,
        replied,
        reply_rate: rate(replied, received - declined),
        reply_rate_n: received - declined,
        rated,
        satisfied,
        satisfaction_rate: rate(satisfied, rated),
        median_days_to_reply: median,
    }
}

/// `/api/v1/metrics` at `now`, by this test's own arithmetic from the issues and ratings
/// tables alone.
fn recompute(dir: &Path, now: i64) -> Metrics {
    let issues = table(dir, "issues");
    let sum = |keep: &dyn Fn(&BTreeMap<String, String>) -> bool| -> i64 {
        issues
            .iter()
            .filter(|r| keep(r))
            .map(|r| count(r, "issues"))
            .sum()
    };
    let collected = sum(&|_| true);
    let responded = sum(&|r| r["status"] != "received");
    let solved = sum(&|r| r["status"] == "resolved");

    let ratings = table(dir, "ratings");
    let level = |r: &BTreeMap<String, String>| count(r, "level");
    let total: i64 = ratings.iter().map(|r| count(r, "ratings")).sum();
    let satisfied = |rows: &mut dyn Iterator<Item = &BTreeMap<String, String>>| -> i64 {
        rows.filter(|r| level(r) >= 4)
            .map(|r| count(r, "ratings"))
            .sum()
    };
    let bad: i64 = ratings
        .iter()
        .filter(|r| level(r) <= 2)
        .map(|r| count(r, "ratings"))
        .sum();
    let today = omk_server::clock::local_day(now);
    let day_name = |day: i64| omk_server::clock::format_day(day);
    let on = |day: String| ratings.iter().filter(move |r| r["day"] == day);

    let mut by_unit: BTreeMap<&str, (i64, i64)> = BTreeMap::new();
    for r in ratings.iter().filter(|r| !r["unit"].is_empty()) {
        let entry = by_unit.entry(r["unit"].as_str()).or_default();
        entry.0 += count(r, "ratings");
        if level(r) >= 4 {
            entry.1 += count(r, "ratings");
        }
    }
    let mut ranking: Vec<(&str, i64, f64)> = by_unit
        .into_iter()
        .map(|(unit, (n, good))| (unit, n, good as f64 / n as f64))
        .collect();
    ranking.sort_by(|a, b| b.2.total_cmp(&a.2).then(b.1.cmp(&a.1)).then(a.0.cmp(b.0)));

    let trend = (today - 29..=today)
        .map(|day| {
            let name = day_name(day);
            let n: i64 = on(name.clone()).map(|r| count(r, "ratings")).sum();
            let good = satisfied(&mut on(name.clone()));
            DayPoint {
                day: name,
                ratings: n,
                satisfaction_rate: rate(good, n),
            }
        })
        .collect();
    Metrics {
        satisfaction_rate: rate(satisfied(&mut ratings.iter()), total),
        bad_review_rate: rate(bad, total),
        response_rate: rate(responded, collected),
        resolution_rate: rate(solved, collected),
        issues_collected: collected,
        issues_solved: solved,
        ratings_total: total,
        ratings_today: on(day_name(today)).map(|r| count(r, "ratings")).sum(),
        ratings_satisfied: satisfied(&mut ratings.iter()),
        ratings_bad: bad,
        issues_responded: responded,
        ranking: ranking
            .into_iter()
            .map(|(unit, ratings, satisfaction_rate)| UnitScore {
                unit: unit.to_owned(),
                ratings,
                satisfaction_rate,
            })
            .collect(),
        trend,
        as_of: now,
    }
}
