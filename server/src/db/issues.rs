//! SQL for the `issues` table: storing submissions, the public status view, and the
//! operators' inbox and actions (status, routing, moderation, contact details).

use omk_api::{IssueStatus, IssueStatusView, NewIssue};
use sqlx::{AssertSqlSafe, Row};

use super::{Bind, Db, Filter, bind_all};

/// An issue as stored, before it gets an id.
#[derive(Debug, Clone)]
pub struct IssueRow {
    pub tracking_no: String,
    pub category: String,
    pub description: String,
    pub place: String,
    pub name: Option<String>,
    pub phone: Option<String>,
    pub status: IssueStatus,
    pub answer: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    /// The unit it is routed to.
    pub unit: Option<String>,
}

impl IssueRow {
    /// A fresh submission, already validated and normalised, routed to `unit`. Name and
    /// phone are kept only with consent.
    pub fn received(
        issue: &NewIssue,
        tracking_no: String,
        unit: Option<String>,
        now: i64,
    ) -> IssueRow {
        let (name, phone) = if issue.consent {
            (issue.name.clone(), issue.phone.clone())
        } else {
            (None, None)
        };
        IssueRow {
            tracking_no,
            category: issue.category.clone(),
            description: issue.description.clone(),
            place: issue.place.clone(),
            name,
            phone,
            status: IssueStatus::Received,
            answer: None,
            created_at: now,
            updated_at: now,
            unit,
        }
    }
}

/// Stores one issue inside `tx`; `false` when the tracking number is taken.
pub async fn insert(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    row: &IssueRow,
) -> Result<bool, sqlx::Error> {
    let sql = format!(
        "{INSERT_ROWS}{} ON CONFLICT (tracking_no) DO NOTHING RETURNING id",
        super::values_placeholders(tx, 1, PER_ROW)
    );
    let inserted = bind_row(sqlx::query(AssertSqlSafe(sql)), row)
        .fetch_optional(&mut **tx)
        .await?;
    Ok(inserted.is_some())
}

/// The start of an INSERT of whole issue rows, up to `VALUES`.
const INSERT_ROWS: &str = "INSERT INTO issues (tracking_no, category, description, place, name, \
                           phone, status, answer, created_at, updated_at, unit) VALUES ";
/// The values of one issue row.
const PER_ROW: usize = 11;

/// `query` with the [`PER_ROW`] values of `row` bound, in [`INSERT_ROWS`]'s order.
fn bind_row<'q>(
    query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>,
    row: &IssueRow,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments> {
    query
        .bind(row.tracking_no.clone())
        .bind(row.category.clone())
        .bind(row.description.clone())
        .bind(row.place.clone())
        .bind(row.name.clone())
        .bind(row.phone.clone())
        .bind(row.status.as_str())
        .bind(row.answer.clone())
        .bind(row.created_at)
        .bind(row.updated_at)
        .bind(row.unit.clone())
}

/// Stores fresh submissions inside `tx`, a few statements for all; returns the tracking
/// numbers stored (a number already taken is left out, and its row not stored). Each
/// number must be listed once.
pub async fn insert_new(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    rows: &[IssueRow],
) -> Result<std::collections::HashSet<String>, sqlx::Error> {
    let mut stored = std::collections::HashSet::with_capacity(rows.len());
    for chunk in rows.chunks(200) {
        let mut sql = String::from(INSERT_ROWS);
        sql.push_str(&super::values_placeholders(tx, chunk.len(), PER_ROW));
        sql.push_str(" ON CONFLICT (tracking_no) DO NOTHING RETURNING tracking_no");
        let mut query = sqlx::query(AssertSqlSafe(sql));
        for row in chunk {
            query = bind_row(query, row);
        }
        for row in query.fetch_all(&mut **tx).await? {
            stored.insert(row.try_get("tracking_no")?);
        }
    }
    Ok(stored)
}

/// Inserts many issues in batches inside `tx`.
pub async fn insert_many(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    rows: &[IssueRow],
) -> Result<(), sqlx::Error> {
    for chunk in rows.chunks(200) {
        let mut sql = String::from(INSERT_ROWS);
        sql.push_str(&super::values_placeholders(tx, chunk.len(), PER_ROW));
        let mut query = sqlx::query(AssertSqlSafe(sql));
        for row in chunk {
            query = bind_row(query, row);
        }
        query.execute(&mut **tx).await?;
    }
    Ok(())
}

/// The public view of the issue with this (normalised) tracking number.
pub async fn status_view(
    db: &Db,
    tracking_no: &str,
) -> Result<Option<IssueStatusView>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT tracking_no, category, status, created_at, updated_at, answer, description, \
         hidden FROM issues WHERE tracking_no = $1",
    )
    .bind(tracking_no.to_owned())
    .fetch_optional(db.pool())
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let status = status_of(&row)?;
    let hidden = row.try_get::<i64, _>("hidden")? != 0;
    Ok(Some(IssueStatusView {
        tracking_no: row.try_get("tracking_no")?,
        category: row.try_get("category")?,
        status,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
        answer: row.try_get("answer")?,
        description: (!hidden).then_some(row.try_get("description")?),
        hidden,
    }))
}

/// How many issues there are.
pub async fn count(db: &Db) -> Result<i64, sqlx::Error> {
    sqlx::query("SELECT COUNT(*) AS n FROM issues")
        .fetch_one(db.pool())
        .await?
        .try_get("n")
}

/// An issue as stored, for operators: its contact details only as a flag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredIssue {
    pub tracking_no: String,
    pub category: String,
    pub unit: Option<String>,
    pub status: IssueStatus,
    pub description: String,
    pub place: String,
    pub answer: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    pub has_contact: bool,
    pub hidden: bool,
}

fn status_of(row: &sqlx::any::AnyRow) -> Result<IssueStatus, sqlx::Error> {
    let status: String = row.try_get("status")?;
    IssueStatus::parse(&status)
        .ok_or_else(|| sqlx::Error::Decode(format!("unknown issue status {status:?}").into()))
}

const STORED_COLUMNS: &str = "tracking_no, category, unit, status, description, place, answer, \
     created_at, updated_at, hidden, (name IS NOT NULL OR phone IS NOT NULL) AS has_contact";

fn stored(row: &sqlx::any::AnyRow) -> Result<StoredIssue, sqlx::Error> {
    Ok(StoredIssue {
        tracking_no: row.try_get("tracking_no")?,
        category: row.try_get("category")?,
        unit: row.try_get("unit")?,
        status: status_of(row)?,
        description: row.try_get("description")?,
        place: row.try_get("place")?,
        answer: row.try_get("answer")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
        hidden: row.try_get::<i64, _>("hidden")? != 0,
        has_contact: flag(row, "has_contact")?,
    })
}

/// A boolean expression's value: SQLite gives an integer, PostgreSQL a boolean.
fn flag(row: &sqlx::any::AnyRow, column: &str) -> Result<bool, sqlx::Error> {
    row.try_get::<bool, _>(column)
        .or_else(|_| row.try_get::<i64, _>(column).map(|v| v != 0))
}

/// Which issues an inbox lists; every condition optional.
#[derive(Debug, Clone, Default)]
pub struct InboxFilter {
    pub status: Option<IssueStatus>,
    pub category: Option<String>,
    pub unit: Option<String>,
    /// Submitted at or before this moment.
    pub created_before: Option<i64>,
    /// Only those past a deadline: received ones submitted at or before the first
    /// moment, and unsettled ones at or before the second.
    pub overdue: Option<(i64, i64)>,
}

impl InboxFilter {
    fn sql(&self) -> Filter {
        let mut f = Filter::default();
        if let Some(status) = self.status {
            f.push("status = ?", vec![Bind::Text(status.as_str().into())]);
        }
        if let Some(category) = &self.category {
            f.push("category = ?", vec![Bind::Text(category.clone())]);
        }
        if let Some(unit) = &self.unit {
            f.push("unit = ?", vec![Bind::Text(unit.clone())]);
        }
        if let Some(before) = self.created_before {
            f.push("created_at <= ?", vec![Bind::Int(before)]);
        }
        if let Some((accept, resolve)) = self.overdue {
            f.push(
                "((status = 'received' AND created_at <= ?) OR \
                 (status NOT IN ('resolved', 'closed') AND created_at <= ?))",
                vec![Bind::Int(accept), Bind::Int(resolve)],
            );
        }
        f
    }
}

/// A page of the inbox, newest first, and how many issues match in all.
pub async fn inbox(
    db: &Db,
    filter: &InboxFilter,
    limit: i64,
    offset: i64,
) -> Result<(Vec<StoredIssue>, i64), sqlx::Error> {
    let f = filter.sql();
    let count_sql = format!("SELECT COUNT(*) AS n FROM issues{}", f.where_sql());
    let total: i64 = bind_all(sqlx::query(AssertSqlSafe(count_sql)), f.binds())
        .fetch_one(db.pool())
        .await?
        .try_get("n")?;
    let n = f.next_placeholder();
    let sql = format!(
        "SELECT {STORED_COLUMNS} FROM issues{} ORDER BY created_at DESC, id DESC \
         LIMIT ${n} OFFSET ${}",
        f.where_sql(),
        n + 1
    );
    let rows = bind_all(sqlx::query(AssertSqlSafe(sql)), f.binds())
        .bind(limit)
        .bind(offset)
        .fetch_all(db.pool())
        .await?;
    let items = rows.iter().map(stored).collect::<Result<_, _>>()?;
    Ok((items, total))
}

/// One issue for operators.
pub async fn one(db: &Db, tracking_no: &str) -> Result<Option<StoredIssue>, sqlx::Error> {
    let sql = format!("SELECT {STORED_COLUMNS} FROM issues WHERE tracking_no = $1");
    sqlx::query(AssertSqlSafe(sql))
        .bind(tracking_no.to_owned())
        .fetch_optional(db.pool())
        .await?
        .as_ref()
        .map(stored)
        .transpose()
}

/// The issue, read inside the transaction that acts on it and held for it: the read is a
/// write of the row (to itself), so PostgreSQL locks the row and SQLite the database until
/// the transaction ends, and no other write (a re-route) comes between the check and the act.
pub async fn claim(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    tracking_no: &str,
) -> Result<Option<StoredIssue>, sqlx::Error> {
    let sql = format!(
        "UPDATE issues SET tracking_no = tracking_no WHERE tracking_no = $1 \
         RETURNING {STORED_COLUMNS}"
    );
    sqlx::query(AssertSqlSafe(sql))
        .bind(tracking_no.to_owned())
        .fetch_optional(&mut **tx)
        .await?
        .as_ref()
        .map(stored)
        .transpose()
}

/// The name and phone given with the issue, read inside the transaction that records the view.
pub async fn contact(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    tracking_no: &str,
) -> Result<Option<(Option<String>, Option<String>)>, sqlx::Error> {
    let row = sqlx::query("SELECT name, phone FROM issues WHERE tracking_no = $1")
        .bind(tracking_no.to_owned())
        .fetch_optional(&mut **tx)
        .await?;
    row.map(|r| Ok((r.try_get("name")?, r.try_get("phone")?)))
        .transpose()
}

/// Hands the issue from unit `from` to unit `to`; `false` when it was moved meanwhile.
pub async fn route(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    tracking_no: &str,
    from: Option<&str>,
    to: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE issues SET unit = $1, updated_at = $2 WHERE tracking_no = $3 \
         AND ((unit IS NULL AND $4 IS NULL) OR unit = $4)",
    )
    .bind(to.to_owned())
    .bind(now)
    .bind(tracking_no.to_owned())
    .bind(from.map(str::to_owned))
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Hides the issue's text from every public view, or shows it again; the text is kept.
pub async fn set_hidden(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    tracking_no: &str,
    hidden: bool,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE issues SET hidden = $1 WHERE tracking_no = $2")
        .bind(i64::from(hidden))
        .bind(tracking_no.to_owned())
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Moves an issue from `from` to `to` with a public answer (kept when `None`).
/// `false` when the issue is no longer in `from` (someone else moved it).
pub async fn move_status(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    tracking_no: &str,
    from: IssueStatus,
    to: IssueStatus,
    answer: Option<&str>,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE issues SET status = $1, answer = COALESCE($2, answer), updated_at = $3 \
         WHERE tracking_no = $4 AND status = $5",
    )
    .bind(to.as_str())
    .bind(answer.map(str::to_owned))
    .bind(now)
    .bind(tracking_no.to_owned())
    .bind(from.as_str())
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Every issue without personal data or free text, oldest first, for open data.
pub async fn export_rows(db: &Db) -> Result<Vec<[String; 5]>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT tracking_no, category, status, created_at, updated_at FROM issues \
         ORDER BY created_at, id",
    )
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|r| {
            Ok([
                r.try_get("tracking_no")?,
                r.try_get("category")?,
                r.try_get("status")?,
                r.try_get::<i64, _>("created_at")?.to_string(),
                r.try_get::<i64, _>("updated_at")?.to_string(),
            ])
        })
        .collect()
}

/// Erases the name and phone of the issue `tracking_no`; `false` when there is no such issue.
pub async fn erase_contact(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    tracking_no: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE issues SET name = NULL, phone = NULL WHERE tracking_no = $1")
        .bind(tracking_no.to_owned())
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// Erases the name and phone of every issue resolved or closed before `before`; returns the
/// tracking numbers of those that had any.
pub async fn erase_contacts_settled_before(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    before: i64,
) -> Result<Vec<String>, sqlx::Error> {
    let rows = sqlx::query(
        "UPDATE issues SET name = NULL, phone = NULL \
         WHERE status IN ('resolved', 'closed') AND updated_at < $1 \
         AND (name IS NOT NULL OR phone IS NOT NULL) RETURNING tracking_no",
    )
    .bind(before)
    .fetch_all(&mut **tx)
    .await?;
    rows.iter().map(|r| r.try_get("tracking_no")).collect()
}
