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
