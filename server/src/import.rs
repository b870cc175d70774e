//! Bulk import of the program from a CSV or JSON file: every row is checked
//! first, every problem is reported with its line and field, and only a file
//! without problems is written, in one transaction.
//!
//! Both formats carry the same fields: `title`, `unit`, `district`, `theme`,
//! `place`, `starts_at`, `ends_at`, `capacity`, and optionally `registration`
//! (default yes) and `summary`. Times are Unix seconds or
//! `YYYY-MM-DD HH:MM[:SS]` in Beijing time (or with `Z` or an offset).

use std::collections::BTreeMap;
use std::path::Path;

use omk_api::{FieldError, Lang, Messages};
use serde_json::Value;
use serde_json::value::RawValue;

use crate::clock;
use crate::db::events::NewEventRow;
use crate::db::{self, Db};
use crate::ops::program::event_row;
use omk_api::events::{EventInput, ImportReport};

/// The most events one import may hold.
pub const MAX_ROWS: usize = 10_000;

/// The file formats an import reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Json,
}

impl Format {
    /// The format a `Content-Type` names, if it is one of them.
    pub fn from_content_type(content_type: &str) -> Option<Format> {
        let essence = content_type
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        match essence.as_str() {
            "text/csv" => Some(Format::Csv),
            "application/json" => Some(Format::Json),
            _ => None,
        }
    }

    /// The format of a file, by its extension, else by its first character.
    pub fn of_file(path: &Path, text: &str) -> Format {
        match path.extension().and_then(|e| e.to_str()) {
            Some(ext) if ext.eq_ignore_ascii_case("json") => Format::Json,
            Some(ext) if ext.eq_ignore_ascii_case("csv") => Format::Csv,
            _ if text
                .trim_start_matches('\u{feff}')
                .trim_start()
                .starts_with('[') =>
            {
                Format::Json
            }
            _ => Format::Csv,
        }
    }
}

/// Why an import wrote nothing: every problem found, each on its line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{} problem(s) in the file", .0.len())]
pub struct Rejected(pub Vec<FieldError>);

impl Rejected {
    /// One line per problem, for a terminal: `line 3, starts_at: <why> (invalid_time)`.
    pub fn report(&self, lang: Lang) -> String {
        let messages = Messages::get(lang);
        self.0
            .iter()
            .map(|e| {
                let field = if e.field.is_empty() {
                    String::new()
                } else {
                    format!(", {}", e.field)
                };
                format!(
                    "line {}{field}: {} ({})",
                    e.line.unwrap_or(0),
                    messages.text(&e.message_key()),
                    e.code
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// The file's bytes as UTF-8 text, or the line holding the first invalid byte.
pub fn decode(bytes: &[u8]) -> Result<&str, Rejected> {
    std::str::from_utf8(bytes).map_err(|err| {
        let newlines = bytes[..err.valid_up_to()]
            .iter()
            .filter(|b| **b == b'\n')
            .count();
        let line = u32::try_from(newlines + 1).unwrap_or(u32::MAX);
        Rejected(vec![FieldError::new("", "unreadable").at_line(line)])
    })
}

/// Reads and checks every event in `text`; all problems at once when any.
pub fn parse(format: Format, text: &str) -> Result<Vec<NewEventRow>, Rejected> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (records, mut errors) = match format {
        Format::Csv => csv_records(text)?,
        Format::Json => json_records(text)?,
    };
    if records.is_empty() && errors.is_empty() {
        return Err(Rejected(vec![FieldError::new("", "no_rows").at_line(1)]));
    }
    if let Some((line, _)) = records.get(MAX_ROWS) {
        return Err(Rejected(vec![
            FieldError::new("", "too_many_rows").at_line(*line),
        ]));
    }
    let mut rows = Vec::with_capacity(records.len());
    for (line, cells) in &records {
        match check_record(cells) {
            Ok(row) => rows.push(row),
            Err(found) => errors.extend(found.into_iter().map(|e| e.at_line(*line))),
        }
    }
    // Stable: within a line, the fields keep their column order.
    errors.sort_by_key(|e| e.line);
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(Rejected(errors))
    }
}

/// The file's events, every one checked: what [`parse`] makes of [`decode`]'s text.
pub fn read(format: Format, bytes: &[u8]) -> Result<Vec<NewEventRow>, Rejected> {
    parse(format, decode(bytes)?)
}

/// Stores the checked events in one transaction; with `replace`, the events
/// already in the program are cancelled first.
pub async fn store(
    db: &Db,
    rows: &[NewEventRow],
    replace: bool,
) -> Result<ImportReport, sqlx::Error> {
    let mut tx = db.pool().begin().await?;
    let cancelled = if replace {
        db::events::cancel_all(&mut tx).await?
    } else {
        0
    };
    db::events::insert_many(&mut tx, rows).await?;
    tx.commit().await?;
    Ok(ImportReport {
        imported: u64::try_from(rows.len()).unwrap_or(u64::MAX),
        cancelled,
    })
}

/// One record: its line in the file and its cells by column name.
type Record = (u32, BTreeMap<String, String>);

/// The records that could be read, and the problems of those that could not.
/// A file whose shape cannot be read at all is rejected at once.
type Records = (Vec<Record>, Vec<FieldError>);

fn csv_records(text: &str) -> Result<Records, Rejected> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = match reader.headers() {
        Ok(headers) => headers.iter().map(|h| h.trim().to_lowercase()).collect(),
        Err(_) => return Err(Rejected(vec![FieldError::new("", "unreadable").at_line(1)])),
    };
    let mut errors = columns_problems(&headers);
    if !errors.is_empty() {
        return Err(Rejected(errors));
    }
    let mut records = Vec::new();
    for result in reader.records() {
        let record = match result {
            Ok(record) => record,
            Err(err) => {
                let line = err.position().map_or(0, |p| line_number(p.line()));
                errors.push(FieldError::new("", "unreadable").at_line(line));
                // A broken quote leaves nothing after it worth reading.
                break;
            }
        };
        let line = record.position().map_or(0, |p| line_number(p.line()));
        if record.iter().all(str::is_empty) {
            continue;
        }
        if record.len() != headers.len() {
            errors.push(FieldError::new("", "column_count").at_line(line));
            continue;
        }
        let cells = headers
            .iter()
            .cloned()
            .zip(record.iter().map(str::to_owned))
            .collect();
        records.push((line, cells));
        if records.len() > MAX_ROWS {
            break;
        }
    }
    Ok((records, errors))
}

fn line_number(line: u64) -> u32 {
    u32::try_from(line).unwrap_or(u32::MAX)
}

/// Problems with a header row: unknown, repeated or missing columns.
fn columns_problems(headers: &[String]) -> Vec<FieldError> {
    let mut errors = Vec::new();
    for (i, name) in headers.iter().enumerate() {
        if !EventInput::is_field(name) {
            errors.push(FieldError::new(name, "unknown_column").at_line(1));
        } else if headers[..i].contains(name) {
            errors.push(FieldError::new(name, "invalid_value").at_line(1));
        }
    }
    for name in EventInput::required_fields() {
        if !headers.iter().any(|h| h == name) {
            errors.push(FieldError::new(name, "required").at_line(1));
        }
    }
    errors
}

fn json_records(text: &str) -> Result<Records, Rejected> {
    let items: Vec<&RawValue> = serde_json::from_str(text).map_err(|err| {
        Rejected(vec![
            FieldError::new("", "unreadable").at_line(line_number(err.line() as u64).max(1)),
        ])
    })?;
    let mut records = Vec::with_capacity(items.len());
    let mut errors = Vec::new();
    for item in items.into_iter().take(MAX_ROWS + 1) {
        let line = line_of(text, item.get());
        let object: serde_json::Map<String, Value> = match serde_json::from_str(item.get()) {
            Ok(object) => object,
            Err(_) => {
                errors.push(FieldError::new("", "unreadable").at_line(line));
                continue;
            }
        };
        let mut cells = BTreeMap::new();
        for (key, value) in object {
            let name = key.trim().to_lowercase();
            if !EventInput::is_field(&name) {
                errors.push(FieldError::new(&key, "unknown_column").at_line(line));
                continue;
            }
            let text = match value {
                Value::Null => String::new(),
                Value::String(s) => s.trim().to_owned(),
                Value::Bool(b) => b.to_string(),
                Value::Number(n) => n.to_string(),
                Value::Array(_) | Value::Object(_) => {
                    errors.push(FieldError::new(&name, "invalid_value").at_line(line));
                    continue;
                }
            };
            cells.insert(name, text);
        }
        records.push((line, cells));
    }
    Ok((records, errors))
}

/// The line (from 1) on which `part`, a slice of `text`, starts.
fn line_of(text: &str, part: &str) -> u32 {
    let offset = (part.as_ptr() as usize)
        .saturating_sub(text.as_ptr() as usize)
        .min(text.len());
    let newlines = text.as_bytes()[..offset]
        .iter()
        .filter(|b| **b == b'\n')
        .count();
    u32::try_from(newlines + 1).unwrap_or(u32::MAX)
}

/// Checks one record's cells and turns them into a row.
fn check_record(cells: &BTreeMap<String, String>) -> Result<NewEventRow, Vec<FieldError>> {
    let text = |name: &str| cells.get(name).cloned().unwrap_or_default();
    let mut errors = Vec::new();
    let mut time = |name: &str| {
        let value = text(name);
        if value.is_empty() {
            errors.push(FieldError::new(name, "required"));
            None
        } else {
            let parsed = clock::parse_time(&value);
            if parsed.is_none() {
                errors.push(FieldError::new(name, "invalid_time"));
            }
            parsed
        }
    };
    let starts_at = time("starts_at");
    let ends_at = time("ends_at");
    let capacity = match text("capacity").as_str() {
        "" => {
            errors.push(FieldError::new("capacity", "required"));
            None
        }
        value => {
            let parsed = value.parse::<i64>().ok();
            if parsed.is_none() {
                errors.push(FieldError::new("capacity", "invalid_value"));
            }
            parsed
        }
    };
    let registration = match text("registration").to_lowercase().as_str() {
        "" | "1" | "true" | "yes" | "y" | "是" => true,
        "0" | "false" | "no" | "n" | "否" => false,
        _ => {
            errors.push(FieldError::new("registration", "invalid_value"));
            true
        }
    };
    let input = EventInput {
        title: text("title"),
        unit: text("unit"),
        district: text("district"),
        theme: text("theme"),
        place: text("place"),
        starts_at: starts_at.unwrap_or(0),
        ends_at: ends_at.unwrap_or(1),
        capacity: capacity.unwrap_or(0),
        registration,
        summary: text("summary"),
    };
    match event_row(&input) {
        Ok(row) if errors.is_empty() => Ok(row),
        Ok(_) => Err(errors),
        Err(found) => {
            let times_read = starts_at.is_some() && ends_at.is_some();
            for error in found {
                let already = errors.iter().any(|e| e.field == error.field);
                let from_placeholder = error.field == "ends_at" && !times_read
                    || error.field == "capacity" && capacity.is_none();
                if !already && !from_placeholder {
                    errors.push(error);
                }
            }
            errors.sort_by_key(|e| field_order(&e.field));
            Err(errors)
        }
    }
}

/// Errors are listed in the order of the columns.
fn field_order(field: &str) -> usize {
    EventInput::FIELDS
        .iter()
        .position(|f| *f == field)
        .unwrap_or(usize::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str =
        "title,unit,district,theme,place,starts_at,ends_at,capacity,registration,summary";

    fn codes(result: Result<Vec<NewEventRow>, Rejected>) -> Vec<(u32, String, String)> {
        match result {
            Ok(_) => Vec::new(),
            Err(Rejected(errors)) => errors
                .into_iter()
                .map(|e| (e.line.unwrap_or(0), e.field, e.code))
                .collect(),
        }
    }

    #[test]
    fn a_good_csv_becomes_rows_with_local_times() {
        let csv = format!(
            "\u{feff}{HEADER}\r\n走进市图书馆,聊城市文化和旅游局,东昌府区,走进机关,\"聊城市图书馆, 3 楼\",2026-09-01 09:30,2026-09-01 11:00,40,是,参观古籍修复室\r\n\
             听证会,聊城市发展和改革委员会,东昌府区,听证会,市政务服务中心,1788000000,1788003600,100,no,\r\n"
        );
        let rows = parse(Format::Csv, &csv).unwrap_or_default();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].place, "聊城市图书馆, 3 楼");
        assert_eq!(
            rows[0].starts_at,
            clock::parse_time("2026-09-01T01:30:00Z").unwrap_or(0)
        );
        assert!(rows[0].registration);
        assert!(!rows[1].registration);
        assert_eq!(rows[1].summary, "");
    }

    #[test]
    fn every_bad_csv_line_is_reported_with_its_field() {
        let csv = format!(
            "{HEADER}\n\
             ok,单位,东昌府区,主题,地点,2026-09-01 09:30,2026-09-01 11:00,40,,\n\
             ,单位,东昌府区,主题,地点,tomorrow,2026-09-01 11:00,forty,maybe,\n\
             ok,单位,东昌府区,主题,地点,2026-09-01 12:00,2026-09-01 11:00,40,,\n\
             too,few,columns\n"
        );
        assert_eq!(
            codes(parse(Format::Csv, &csv)),
            vec![
                (3, "title".into(), "required".into()),
                (3, "starts_at".into(), "invalid_time".into()),
                (3, "capacity".into(), "invalid_value".into()),
                (3, "registration".into(), "invalid_value".into()),
                (4, "ends_at".into(), "invalid_value".into()),
                (5, "".into(), "column_count".into()),
            ]
        );
    }

    #[test]
    fn header_problems_are_on_line_1() {
        assert_eq!(
            codes(parse(Format::Csv, "title,unit,colour\nx,y,z\n")),
            vec![
                (1, "colour".into(), "unknown_column".into()),
                (1, "district".into(), "required".into()),
                (1, "theme".into(), "required".into()),
                (1, "place".into(), "required".into()),
                (1, "starts_at".into(), "required".into()),
                (1, "ends_at".into(), "required".into()),
                (1, "capacity".into(), "required".into()),
            ]
        );
        assert_eq!(
            codes(parse(Format::Csv, &format!("{HEADER}\n"))),
            vec![(1, "".into(), "no_rows".into())]
        );
    }

    #[test]
    fn json_errors_carry_the_line_each_object_starts_on() {
        let json = r#"[
  {"title": "走进市图书馆", "unit": "聊城市文化和旅游局", "district": "东昌府区", "theme": "走进机关",
   "place": "聊城市图书馆", "starts_at": "2026-09-01 09:30", "ends_at": 1788230000, "capacity": 40},
  {"title": "", "unit": "u", "district": "d", "theme": "t", "place": "p",
   "starts_at": 1788220000, "ends_at": 1788230000, "capacity": "40", "colour": "red"}
]"#;
        assert_eq!(
            codes(parse(Format::Json, json)),
            vec![
                (4, "colour".into(), "unknown_column".into()),
                (4, "title".into(), "required".into())
            ]
        );
        let fixed = json.replace(r#", "colour": "red""#, "");
        assert_eq!(
            codes(parse(Format::Json, &fixed)),
            vec![(4, "title".into(), "required".into())]
        );
        assert_eq!(
            codes(parse(Format::Json, "[\n{\"title\": }\n]")),
            vec![(2, "".into(), "unreadable".into())]
        );
    }

    #[test]
    fn the_terminal_report_names_line_field_and_reason() {
        let rejected = Rejected(vec![
            FieldError::new("starts_at", "invalid_time").at_line(3),
        ]);
        let text = rejected.report(Lang::En);
        assert!(
            text.starts_with("line 3, starts_at: Not a date and time"),
            "{text}"
        );
        assert!(text.ends_with("(invalid_time)"));
    }

    #[test]
    fn formats_come_from_the_content_type_or_the_file() {
        assert_eq!(
            Format::from_content_type("text/csv; charset=utf-8"),
            Some(Format::Csv)
        );
        assert_eq!(
            Format::from_content_type("application/json"),
            Some(Format::Json)
        );
        assert_eq!(Format::from_content_type("text/plain"), None);
        assert_eq!(Format::of_file(Path::new("p.JSON"), ""), Format::Json);
        assert_eq!(Format::of_file(Path::new("program"), " [ ]"), Format::Json);
        assert_eq!(
            Format::of_file(Path::new("program.txt"), "title,unit"),
            Format::Csv
        );
    }
}
