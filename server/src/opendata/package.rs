//! The open-data package: every table as CSV and as a JSON copy, and the Frictionless
//! `datapackage.json` that describes them with their sizes and SHA-256 hashes. A package is
//! built from one snapshot of the database and kept for [`KEPT_FOR`] seconds, so that a
//! descriptor and the files downloaded with it belong together.

use std::sync::Arc;

use bytes::Bytes;
use omk_api::opendata::{File, Format, Table};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use tokio::sync::Mutex;

use super::export::{csv_cell, csv_lines};
use super::schema::{description, fields, schema};
use crate::clock;
use crate::db::opendata::{Cell, Rows};
use crate::db::{self, Db};

/// How long a built package is served before it is built again, in seconds.
pub const KEPT_FOR: i64 = 60;

/// The licence the tables are published under.
const LICENCE: (&str, &str, &str) = (
    "CC-BY-4.0",
    "Creative Commons Attribution 4.0",
    "https://creativecommons.org/licenses/by/4.0/",
);

/// One built package.
#[derive(Debug)]
pub struct Package {
    /// The moment its snapshot was read (Unix seconds).
    pub created: i64,
    /// `datapackage.json`.
    pub descriptor: Bytes,
    files: Vec<(File, Bytes)>,
}

impl Package {
    /// The package of every row created up to and including `now`'s day, read at `now`.
    pub async fn build(db: &Db, now: i64) -> Result<Package, sqlx::Error> {
        let until = clock::local_day_start(clock::local_day(now) + 1);
        let tables = db::opendata::tables(db, until).await?;
        let mut files = Vec::new();
        for (table, rows) in &tables {
            files.push((
                File {
                    table: *table,
                    format: Format::Csv,
                },
                csv(*table, rows),
            ));
            files.push((
                File {
                    table: *table,
                    format: Format::Json,
                },
                json_copy(*table, rows),
            ));
        }
        let descriptor = descriptor(now, &files);
        Ok(Package {
            created: now,
            descriptor,
            files,
        })
    }

    /// The bytes of `file`.
    pub fn file(&self, file: File) -> Bytes {
        self.files
            .iter()
            .find(|(f, _)| *f == file)
            .map(|(_, bytes)| bytes.clone())
            .unwrap_or_default()
    }
}

/// The package being served, built again once it is [`KEPT_FOR`] seconds old or its day has
/// passed.
#[derive(Debug, Default)]
pub struct Packages {
    current: Mutex<Option<Arc<Package>>>,
}

impl Packages {
    /// The package to serve at `now`.
    pub async fn current(&self, db: &Db, now: i64) -> Result<Arc<Package>, sqlx::Error> {
        // Held while a package is built, so that a crowd of downloads builds it once.
        let mut current = self.current.lock().await;
        if let Some(package) = current.as_ref().filter(|p| fresh(p.created, now)) {
            return Ok(package.clone());
        }
        let package = Arc::new(Package::build(db, now).await?);
        *current = Some(package.clone());
        Ok(package)
    }
}

fn fresh(created: i64, now: i64) -> bool {
    (created..created + KEPT_FOR).contains(&now)
        && clock::local_day(created) == clock::local_day(now)
}

fn csv(table: Table, rows: &Rows) -> Bytes {
    let names: Vec<&str> = fields(table).iter().map(|f| f.name).collect();
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|row| {
            row.iter()
                .map(|cell| match cell {
                    Cell::Int(n) => n.to_string(),
                    Cell::Text(t) => csv_cell(t),
                    Cell::Missing => String::new(),
                })
                .collect()
        })
        .collect();
    Bytes::from(csv_lines(&names, rows.iter().map(Vec::as_slice)))
}

/// The JSON copy: an array of objects, each with the table's fields in their order.
fn json_copy(table: Table, rows: &Rows) -> Bytes {
    let names: Vec<Value> = fields(table).iter().map(|f| json!(f.name)).collect();
    let objects: Vec<String> = rows
        .iter()
        .map(|row| {
            let members: Vec<String> = names
                .iter()
                .zip(row)
                .map(|(name, cell)| {
                    let value = match cell {
                        Cell::Int(n) => json!(n),
                        Cell::Text(t) => json!(t),
                        Cell::Missing => Value::Null,
                    };
                    format!("{name}:{value}")
                })
                .collect();
            format!("{{{}}}", members.join(","))
        })
        .collect();
    Bytes::from(format!("[{}]\n", objects.join(",\n")))
}

/// `datapackage.json`: the package's licence and moment, and each file with its size and
/// hash; the CSV files as tables with their schemas, the JSON copies as plain files.
fn descriptor(now: i64, files: &[(File, Bytes)]) -> Bytes {
    let resources: Vec<Value> = files
        .iter()
        .map(|(file, bytes)| {
            let mut resource = json!({
                "name": format!("{}-{}", file.table.name(), file.format.extension()),
                "path": file.name(),
                "format": file.format.extension(),
                "mediatype": file.format.media_type(),
                "encoding": "utf-8",
                "bytes": bytes.len(),
                "hash": format!("sha256:{}", hex::encode(Sha256::digest(bytes))),
                "description": description(file.table),
            });
            match file.format {
                Format::Csv => {
                    resource["type"] = json!("table");
                    resource["profile"] = json!("tabular-data-resource");
                    resource["schema"] = schema(file.table);
                }
                Format::Json => {
                    resource["type"] = json!("file");
                }
            }
            resource
        })
        .collect();
    let (licence, title, path) = LICENCE;
    let descriptor = json!({
        "profile": "data-package",
        "name": "open-month-kiosk",
        "title": "Open Month Kiosk: issues, ratings, votes, registrations and letters by day",
        "description": "Counts behind every published figure, up to and including the day of `created` (Beijing time). No personal data, no free text; no cell is suppressed (see docs/opendata.md).",
        "created": clock::rfc3339_utc(now),
        "licenses": [{ "name": licence, "title": title, "path": path }],
        "resources": resources,
    });
    let mut text = serde_json::to_vec_pretty(&descriptor).unwrap_or_default();
    text.push(b'\n');
    Bytes::from(text)
}
