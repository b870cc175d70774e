//! The operators' export: every issue and rating as a row of CSV, without personal data
//! or free text, for the admin API and the `export` command alike.

use crate::db::{self, Db};

/// What can be exported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Dataset {
    /// Every issue: tracking number, category, status, created and updated times.
    Issues,
    /// Every rating: time, unit, score and reason tags.
    Ratings,
}

impl Dataset {
    /// The file name a download gets.
    pub fn file_name(self) -> &'static str {
        match self {
            Dataset::Issues => "issues.csv",
            Dataset::Ratings => "ratings.csv",
        }
    }

    /// The whole dataset as CSV text.
    pub async fn csv(self, db: &Db) -> Result<String, sqlx::Error> {
        Ok(match self {
            Dataset::Issues => csv_text(
                &[
                    "tracking_no",
                    "category",
                    "status",
                    "created_at",
                    "updated_at",
                ],
                db::issues::export_rows(db)
                    .await?
                    .iter()
                    .map(|r| r.as_slice()),
            ),
            Dataset::Ratings => csv_text(
                &["created_at", "unit", "score", "tags"],
                db::ratings::export_rows(db)
                    .await?
                    .iter()
                    .map(|r| r.as_slice()),
            ),
        })
    }
}

/// CSV text (RFC 4180, CRLF, UTF-8 with a byte-order mark for spreadsheets).
pub fn csv_text<'a>(header_row: &[&str], rows: impl Iterator<Item = &'a [String]>) -> String {
    let mut out = String::from("\u{feff}");
    out.push_str(&csv_lines(header_row, rows));
    out
}

/// CSV lines (RFC 4180, CRLF) without a byte-order mark: a header row, then `rows`.
pub fn csv_lines<'a>(header_row: &[&str], rows: impl Iterator<Item = &'a [String]>) -> String {
    let mut out = header_row.join(",");
    out.push_str("\r\n");
    for row in rows {
        let cells: Vec<String> = row.iter().map(|c| csv_cell(c)).collect();
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    }
    out
}

/// One CSV cell, quoted when it needs to be; a leading formula sign is
/// neutralised so spreadsheets do not run it.
pub fn csv_cell(value: &str) -> String {
    let value = if value.starts_with(['\t', '\r'])
        || (value.starts_with(['=', '+', '-', '@']) && value.parse::<f64>().is_err())
    {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_are_quoted_and_formulas_neutralised() {
        assert_eq!(csv_cell("plain"), "plain");
        assert_eq!(csv_cell("a,b"), "\"a,b\"");
        assert_eq!(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_cell("=1+1"), "'=1+1");
        assert_eq!(csv_cell("-5"), "-5");
        assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_cell("\tcmd"), "'\tcmd");
        assert_eq!(csv_cell("\rx"), "\"'\rx\"");
        assert_eq!(csv_cell("-2+3"), "'-2+3");
    }

    #[test]
    fn csv_text_has_a_bom_a_header_and_crlf_rows() {
        let rows = [vec!["a".to_owned(), "b,c".to_owned()]];
        let text = csv_text(&["x", "y"], rows.iter().map(|r| r.as_slice()));
        assert_eq!(text, "\u{feff}x,y\r\na,\"b,c\"\r\n");
    }
}
