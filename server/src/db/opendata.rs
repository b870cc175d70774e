//! SQL for the open data: every table of the package counted from stored rows, all in one
//! snapshot of the database, so that the tables agree with each other and with the figures.

use omk_api::opendata::Table;
use sqlx::{AssertSqlSafe, Row};

use super::{Backend, Db};
use crate::clock;

/// One cell: a count, a label, or nothing (an issue no unit has taken yet).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    Int(i64),
    Text(String),
    Missing,
}

/// The rows of one table, each as many cells as the table has fields.
pub type Rows = Vec<Vec<Cell>>;

/// Every table, counted from the rows created before `until` (Unix seconds), read from one
/// snapshot of the database.
pub async fn tables(db: &Db, until: i64) -> Result<Vec<(Table, Rows)>, sqlx::Error> {
    let mut tx = db.pool().begin().await?;
    if db.backend() == Backend::Postgres {
        sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            .execute(&mut *tx)
            .await?;
    }
    let mut tables = Vec::new();
    for table in Table::ALL {
        let sql = AssertSqlSafe(query(table));
        let rows = sqlx::query(sql).bind(until).fetch_all(&mut *tx).await?;
        let mut cells = rows
            .iter()
            .map(|row| cells(table, row))
            .collect::<Result<Rows, sqlx::Error>>()?;
        cells.sort_by(|a, b| order(a).cmp(&order(b)));
        tables.push((table, cells));
    }
    tx.rollback().await?;
    Ok(tables)
}

/// The statement counting `table`; `$1` is the moment it counts up to (excluded).
fn query(table: Table) -> String {
    // The offset and day length are constants of the service, not input.
    let day = format!("(created_at + {}) / {}", clock::LOCAL_OFFSET, clock::DAY);
    match table {
        Table::Issues => format!(
            "SELECT {day} AS day, unit, category, status, COUNT(*) AS n FROM issues \
             WHERE created_at < $1 GROUP BY {day}, unit, category, status"
        ),
        Table::Ratings => format!(
            "SELECT {day} AS day, unit, CAST(score AS BIGINT) AS level, COUNT(*) AS n FROM ratings \
             WHERE created_at < $1 GROUP BY {day}, unit, score"
        ),
        Table::Votes => "SELECT topic, channel, COUNT(*) AS n FROM votes \
             WHERE created_at < $1 GROUP BY topic, channel"
            .to_owned(),
        Table::Registrations => {
            "SELECT CAST(event_id AS BIGINT) AS event_id, state, COUNT(*) AS n, \
             CAST(SUM(seats) AS BIGINT) AS seats FROM registrations \
             WHERE created_at < $1 GROUP BY event_id, state"
                .to_owned()
        }
        Table::Letters => format!(
            "SELECT {day} AS day, kind, state, rating, \
             CAST(replied_at - created_at AS BIGINT) AS reply_seconds, COUNT(*) AS n \
             FROM letters WHERE created_at < $1 \
             GROUP BY {day}, kind, state, rating, replied_at - created_at"
        ),
    }
}

/// A row of `table` as its cells, in the order of the table's fields.
fn cells(table: Table, row: &sqlx::any::AnyRow) -> Result<Vec<Cell>, sqlx::Error> {
    let day = |row: &sqlx::any::AnyRow| -> Result<Cell, sqlx::Error> {
        Ok(Cell::Text(clock::format_day(row.try_get("day")?)))
    };
    let text = |row: &sqlx::any::AnyRow, column: &str| -> Result<Cell, sqlx::Error> {
        Ok(row
            .try_get::<Option<String>, _>(column)?
            .map_or(Cell::Missing, Cell::Text))
    };
    let int = |row: &sqlx::any::AnyRow, column: &str| -> Result<Cell, sqlx::Error> {
        Ok(Cell::Int(row.try_get::<i64, _>(column)?))
    };
    Ok(match table {
        Table::Issues => vec![
            day(row)?,
            text(row, "unit")?,
            text(row, "category")?,
            text(row, "status")?,
            int(row, "n")?,
        ],
        Table::Ratings => vec![
            day(row)?,
            text(row, "unit")?,
            int(row, "level")?,
            int(row, "n")?,
        ],
        Table::Votes => vec![text(row, "topic")?, text(row, "channel")?, int(row, "n")?],
        Table::Registrations => vec![
            int(row, "event_id")?,
            text(row, "state")?,
            int(row, "n")?,
            int(row, "seats")?,
        ],
        Table::Letters => vec![
            day(row)?,
            text(row, "kind")?,
            text(row, "state")?,
            text(row, "rating")?,
            row.try_get::<Option<i64>, _>("reply_seconds")?
                .map_or(Cell::Missing, Cell::Int),
            int(row, "n")?,
        ],
    })
}

/// A row's place in its table: by its cells in order, a missing label before any other.
fn order(row: &[Cell]) -> Vec<(u8, i64, &str)> {
    row.iter()
        .map(|cell| match cell {
            Cell::Missing => (0, 0, ""),
            Cell::Int(n) => (1, *n, ""),
            Cell::Text(t) => (2, 0, t.as_str()),
        })
        .collect()
}
