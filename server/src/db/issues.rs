//! SQL for the `issues` table: storing submissions and the public status view.

use omk_api::{IssueStatus, IssueStatusView, NewIssue};
use sqlx::{AssertSqlSafe, Row};

use super::Db;

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
}

impl IssueRow {
    /// A fresh submission, already validated and normalised. Name and phone
    /// are kept only with consent.
    pub fn received(issue: &NewIssue, tracking_no: String, now: i64) -> IssueRow {
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
        }
    }
}

/// Stores one issue inside `tx`; `false` when the tracking number is taken.
pub async fn insert(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    row: &IssueRow,
) -> Result<bool, sqlx::Error> {
    let inserted = sqlx::query(
        "INSERT INTO issues (tracking_no, category, description, place, name, phone, status, \
         answer, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
         ON CONFLICT (tracking_no) DO NOTHING RETURNING id",
    )
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
    .fetch_optional(&mut **tx)
    .await?;
    Ok(inserted.is_some())
}

/// Inserts many issues in batches inside `tx`.
pub async fn insert_many(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    rows: &[IssueRow],
) -> Result<(), sqlx::Error> {
    const PER_ROW: usize = 10;
    for chunk in rows.chunks(200) {
        let mut sql = String::from(
            "INSERT INTO issues (tracking_no, category, description, place, name, phone, \
             status, answer, created_at, updated_at) VALUES ",
        );
        sql.push_str(&super::values_placeholders(chunk.len(), PER_ROW));
        let mut query = sqlx::query(AssertSqlSafe(sql));
        for row in chunk {
            query = query
                .bind(row.tracking_no.clone())
                .bind(row.category.clone())
                .bind(row.description.clone())
                .bind(row.place.clone())
                .bind(row.name.clone())
                .bind(row.phone.clone())
                .bind(row.status.as_str())
                .bind(row.answer.clone())
                .bind(row.created_at)
                .bind(row.updated_at);
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
        "SELECT tracking_no, category, status, created_at, updated_at, answer \
         FROM issues WHERE tracking_no = $1",
    )
    .bind(tracking_no.to_owned())
    .fetch_optional(db.pool())
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let status: String = row.try_get("status")?;
    let status = IssueStatus::parse(&status)
        .ok_or_else(|| sqlx::Error::Decode(format!("unknown issue status {status:?}").into()))?;
    Ok(Some(IssueStatusView {
        tracking_no: row.try_get("tracking_no")?,
        category: row.try_get("category")?,
        status,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
        answer: row.try_get("answer")?,
    }))
}

/// How many issues there are.
pub async fn count(db: &Db) -> Result<i64, sqlx::Error> {
    sqlx::query("SELECT COUNT(*) AS n FROM issues")
        .fetch_one(db.pool())
        .await?
        .try_get("n")
}

/// An issue as operators see it, with the contact details given with consent.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct AdminIssue {
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
}

fn status_of(row: &sqlx::any::AnyRow) -> Result<IssueStatus, sqlx::Error> {
    let status: String = row.try_get("status")?;
    IssueStatus::parse(&status)
        .ok_or_else(|| sqlx::Error::Decode(format!("unknown issue status {status:?}").into()))
}

/// A page of issues, newest first, optionally of one status; and the total.
pub async fn list_for_operators(
    db: &Db,
    status: Option<IssueStatus>,
    limit: i64,
    offset: i64,
) -> Result<(Vec<AdminIssue>, i64), sqlx::Error> {
    let status = status.map(|s| s.as_str().to_owned());
    let total: i64 =
        sqlx::query("SELECT COUNT(*) AS n FROM issues WHERE ($1 IS NULL OR status = $1)")
            .bind(status.clone())
            .fetch_one(db.pool())
            .await?
            .try_get("n")?;
    let rows = sqlx::query(
        "SELECT tracking_no, category, description, place, name, phone, status, answer, \
         created_at, updated_at FROM issues WHERE ($1 IS NULL OR status = $1) \
         ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3",
    )
    .bind(status)
    .bind(limit)
    .bind(offset)
    .fetch_all(db.pool())
    .await?;
    let items = rows
        .iter()
        .map(|r| {
            Ok(AdminIssue {
                tracking_no: r.try_get("tracking_no")?,
                category: r.try_get("category")?,
                description: r.try_get("description")?,
                place: r.try_get("place")?,
                name: r.try_get("name")?,
                phone: r.try_get("phone")?,
                status: status_of(r)?,
                answer: r.try_get("answer")?,
                created_at: r.try_get("created_at")?,
                updated_at: r.try_get("updated_at")?,
            })
        })
        .collect::<Result<_, sqlx::Error>>()?;
    Ok((items, total))
}

/// Moves an issue from `from` to `to` with a public answer (kept when `None`).
/// `false` when the issue is no longer in `from` (someone else moved it).
pub async fn move_status(
    db: &Db,
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
    .execute(db.pool())
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
pub async fn erase_contact(db: &Db, tracking_no: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE issues SET name = NULL, phone = NULL WHERE tracking_no = $1")
        .bind(tracking_no.to_owned())
        .execute(db.pool())
        .await?;
    Ok(done.rows_affected() > 0)
}

/// Erases the name and phone of every issue resolved or closed before `before`; returns how
/// many had any.
pub async fn erase_contacts_settled_before(db: &Db, before: i64) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE issues SET name = NULL, phone = NULL \
         WHERE status IN ('resolved', 'closed') AND updated_at < $1 \
         AND (name IS NOT NULL OR phone IS NOT NULL)",
    )
    .bind(before)
    .execute(db.pool())
    .await?;
    Ok(done.rows_affected())
}
