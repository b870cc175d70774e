//! The 12345 hotline's counts for a month, imported by an admin as CSV
//! (`category,district,count`, aggregates only): every line checked before anything is
//! written, then the month's earlier import replaced in one transaction, audited.

use std::collections::HashSet;

use omk_api::{AuditAction, CycleStage, FieldError, List, Month, ProblemKind, SignalsReport};

use crate::auth::Actor;
use crate::db;
use crate::db::audit::Record;
use crate::db::signals::SignalRow;
use crate::import::Rejected;
use crate::ops::{OpError, Ops};

/// The most lines one import takes.
pub const MAX_ROWS: usize = 5000;

/// The columns, in any order.
const COLUMNS: [&str; 3] = ["category", "district", "count"];

/// Reads `text` as `category,district,count` rows, checking each against the known
/// categories and districts (retired ones included: last month's calls may name them);
/// every problem with its line, or the rows.
pub fn parse(
    text: &str,
    categories: &HashSet<String>,
    districts: &HashSet<String>,
) -> Result<Vec<SignalRow>, Rejected> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = match reader.headers() {
        Ok(headers) => headers.iter().map(|h| h.trim().to_lowercase()).collect(),
        Err(_) => return Err(Rejected(vec![FieldError::new("", "unreadable").at_line(1)])),
    };
    let mut errors = Vec::new();
    for (i, name) in headers.iter().enumerate() {
        if !COLUMNS.contains(&name.as_str()) {
            errors.push(FieldError::new(name, "unknown_column").at_line(1));
        } else if headers[..i].contains(name) {
            errors.push(FieldError::new(name, "invalid_value").at_line(1));
        }
    }
    for name in COLUMNS {
        if !headers.iter().any(|h| h == name) {
            errors.push(FieldError::new(name, "required").at_line(1));
        }
    }
    if !errors.is_empty() {
        return Err(Rejected(errors));
    }
    let at = |name: &str| headers.iter().position(|h| h == name).unwrap_or(0);
    let (category_at, district_at, count_at) = (at("category"), at("district"), at("count"));
    let mut rows = Vec::new();
    let mut seen = HashSet::new();
    for result in reader.records() {
        let record = match result {
            Ok(record) => record,
            Err(err) => {
                let line = err.position().map_or(0, |p| p.line());
                errors.push(
                    FieldError::new("", "unreadable").at_line(u32::try_from(line).unwrap_or(0)),
                );
                break;
            }
        };
        let line = u32::try_from(record.position().map_or(0, |p| p.line())).unwrap_or(0);
        if record.iter().all(str::is_empty) {
            continue;
        }
        if record.len() != headers.len() {
            errors.push(FieldError::new("", "column_count").at_line(line));
            continue;
        }
        let category = record.get(category_at).unwrap_or_default().to_owned();
        let district = record.get(district_at).unwrap_or_default().to_owned();
        let count = record.get(count_at).unwrap_or_default();
        let mut fine = true;
        if !categories.contains(&category) {
            errors.push(FieldError::new("category", "unknown_category").at_line(line));
            fine = false;
        }
        if !districts.contains(&district) {
            errors.push(FieldError::new("district", "unknown_district").at_line(line));
            fine = false;
        }
        let count = match count.parse::<i64>() {
            Ok(n) if n >= 0 => n,
            _ => {
                errors.push(FieldError::new("count", "bad_count").at_line(line));
                fine = false;
                0
            }
        };
        if fine && !seen.insert((category.clone(), district.clone())) {
            errors.push(FieldError::new("district", "invalid_value").at_line(line));
            fine = false;
        }
        if fine {
            rows.push(SignalRow {
                category,
                district,
                count,
            });
        }
        if rows.len() + errors.len() > MAX_ROWS {
            errors.push(FieldError::new("", "too_many_rows").at_line(line));
            break;
        }
    }
    if rows.is_empty() && errors.is_empty() {
        errors.push(FieldError::new("", "no_rows").at_line(2));
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(Rejected(errors))
    }
}

/// Replaces `month`'s hotline counts with those of `text`: all of it or, when any line has
/// a problem, nothing. Refused once voting has closed (409 `wrong-stage`): the scores are
/// frozen then.
pub async fn import(
    ops: Ops<'_>,
    actor: &Actor,
    month: Month,
    text: &str,
) -> Result<SignalsReport, OpError> {
    let categories: HashSet<String> = db::categories::list_all(ops.db)
        .await?
        .into_iter()
        .map(|c| c.id)
        .collect();
    let districts: HashSet<String> = db::lists::entries(ops.db, List::Districts, true)
        .await?
        .into_iter()
        .map(|e| e.id)
        .collect();
    let rows = parse(text, &categories, &districts).map_err(|r| OpError::Invalid(r.0))?;
    let now = ops.clock.now();
    let mut tx = ops.db.pool().begin().await?;
    let cycle = db::cycles::find(&mut tx, month)
        .await?
        .ok_or(OpError::NotFound)?;
    if cycle.stage > CycleStage::Voting {
        return Err(OpError::Refused(ProblemKind::WrongStage));
    }
    let key = month.to_string();
    db::signals::replace(&mut tx, &key, &rows).await?;
    let calls: i64 = rows.iter().map(|r| r.count).sum();
    let report = SignalsReport {
        month,
        rows: i64::try_from(rows.len()).unwrap_or(i64::MAX),
        calls,
    };
    let record = Record {
        actor: &actor.login,
        action: AuditAction::SignalsImported,
        issue: None,
        detail: format!("{key}: {} rows, {calls} calls", report.rows),
    };
    db::audit::add(&mut *tx, &record, now).await?;
    tx.commit().await?;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(items: &[&str]) -> HashSet<String> {
        items.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn every_bad_line_is_named_and_good_lines_are_read() {
        let categories = set(&["parking", "heating"]);
        let districts = set(&["dongchangfu", "linqing"]);
        let good = "category,district,count\nparking,dongchangfu,12\nheating,linqing,0\n";
        let rows = parse(good, &categories, &districts).unwrap_or_default();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].count, 12);
        let bad = "district,category,count\nlinqing,noise,3\ndongchangfu,parking,-1\n\
                   dongchangfu,parking,2\ndongchangfu,parking,4\n";
        let problems: Vec<(u32, String, String)> = parse(bad, &categories, &districts)
            .err()
            .map(|r| r.0)
            .unwrap_or_default()
            .into_iter()
            .map(|e| (e.line.unwrap_or(0), e.field, e.code))
            .collect();
        let want = [
            (2, "category", "unknown_category"),
            (3, "count", "bad_count"),
            (5, "district", "invalid_value"),
        ];
        let want: Vec<(u32, String, String)> = want
            .iter()
            .map(|(l, f, c)| (*l, (*f).to_owned(), (*c).to_owned()))
            .collect();
        assert_eq!(problems, want);
        assert!(parse("category,district\n", &categories, &districts).is_err());
        assert!(parse("category,district,count\n", &categories, &districts).is_err());
    }
}
