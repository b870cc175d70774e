//! SQL for a month's decision (`decisions`) and its measures (`measures`) with their dated
//! progress updates (`measure_updates`).

use omk_api::{Decision, DecisionInput, MeasureInput, MeasureStatus};
use sqlx::{AnyConnection, AssertSqlSafe, Row};

/// A measure as stored (its status as set, not as shown).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeasureRow {
    pub id: i64,
    pub month: String,
    pub title: String,
    pub owner_unit: String,
    pub due_day: i64,
    pub status: MeasureStatus,
    pub percent: i64,
    pub follow_up: bool,
    pub created_at: i64,
}

/// A progress update as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpdateRow {
    pub measure_id: i64,
    pub day: i64,
    pub body: String,
    pub created_at: i64,
}

const MEASURE_COLUMNS: &str =
    "id, month, title, owner_unit, due_day, status, percent, follow_up, created_at";

fn measure_of(row: &sqlx::any::AnyRow) -> Result<MeasureRow, sqlx::Error> {
    let status: String = row.try_get("status")?;
    Ok(MeasureRow {
        id: row.try_get("id")?,
        month: row.try_get("month")?,
        title: row.try_get("title")?,
        owner_unit: row.try_get("owner_unit")?,
        due_day: row.try_get("due_day")?,
        status: MeasureStatus::parse(&status).ok_or_else(|| {
            sqlx::Error::Decode(format!("unknown measure status {status:?}").into())
        })?,
        percent: row.try_get("percent")?,
        follow_up: row.try_get::<i64, _>("follow_up")? != 0,
        created_at: row.try_get("created_at")?,
    })
}

/// Enters or replaces `month`'s decision.
pub async fn put_decision(
    conn: &mut AnyConnection,
    month: &str,
    input: &DecisionInput,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO decisions (month, summary_zh, summary_en, lead_unit, decided_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (month) DO UPDATE SET \
         summary_zh = excluded.summary_zh, summary_en = excluded.summary_en, \
         lead_unit = excluded.lead_unit, decided_at = excluded.decided_at",
    )
    .bind(month.to_owned())
    .bind(input.summary_zh.trim().to_owned())
    .bind(input.summary_en.trim().to_owned())
    .bind(input.lead_unit.clone())
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// `month`'s decision, if entered.
pub async fn decision(
    conn: &mut AnyConnection,
    month: &str,
) -> Result<Option<Decision>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT summary_zh, summary_en, lead_unit, decided_at FROM decisions WHERE month = $1",
    )
    .bind(month.to_owned())
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|r| {
        Ok(Decision {
            summary_zh: r.try_get("summary_zh")?,
            summary_en: r.try_get("summary_en")?,
            lead_unit: r.try_get("lead_unit")?,
            decided_at: r.try_get("decided_at")?,
        })
    })
    .transpose()
}

/// Adds a measure to `month`; returns its id.
pub async fn insert(
    conn: &mut AnyConnection,
    month: &str,
    input: &MeasureInput,
    due_day: i64,
    now: i64,
) -> Result<i64, sqlx::Error> {
    let row = sqlx::query(
        "INSERT INTO measures (month, title, owner_unit, due_day, status, percent, follow_up, \
         created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id",
    )
    .bind(month.to_owned())
    .bind(input.title.trim().to_owned())
    .bind(input.owner_unit.clone())
    .bind(due_day)
    .bind(input.status.as_str())
    .bind(i64::from(input.percent))
    .bind(i64::from(input.follow_up))
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    row.try_get("id")
}

/// Measure `id`, held for the rest of the transaction (a no-op write takes its row lock on
/// PostgreSQL and the write lock on SQLite); `None` when there is none.
pub async fn hold(conn: &mut AnyConnection, id: i64) -> Result<Option<MeasureRow>, sqlx::Error> {
    let row = sqlx::query(AssertSqlSafe(format!(
        "UPDATE measures SET updated_at = updated_at WHERE id = $1 RETURNING {MEASURE_COLUMNS}"
    )))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    row.as_ref().map(measure_of).transpose()
}

/// Changes measure `id` (its follow-up flag stays as created).
pub async fn update(
    conn: &mut AnyConnection,
    id: i64,
    input: &MeasureInput,
    due_day: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE measures SET title = $2, owner_unit = $3, due_day = $4, status = $5, \
         percent = $6, updated_at = $7 WHERE id = $1",
    )
    .bind(id)
    .bind(input.title.trim().to_owned())
    .bind(input.owner_unit.clone())
    .bind(due_day)
    .bind(input.status.as_str())
    .bind(i64::from(input.percent))
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Adds a dated progress update to measure `id`.
pub async fn add_update(
    conn: &mut AnyConnection,
    id: i64,
    day: i64,
    text: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO measure_updates (measure_id, day, body, created_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(id)
    .bind(day)
    .bind(text.trim().to_owned())
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// `month`'s measures, oldest first.
pub async fn list(conn: &mut AnyConnection, month: &str) -> Result<Vec<MeasureRow>, sqlx::Error> {
    let rows = sqlx::query(AssertSqlSafe(format!(
        "SELECT {MEASURE_COLUMNS} FROM measures WHERE month = $1 ORDER BY id"
    )))
    .bind(month.to_owned())
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(measure_of).collect()
}

/// The progress updates of `month`'s measures, oldest first.
pub async fn updates(conn: &mut AnyConnection, month: &str) -> Result<Vec<UpdateRow>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT u.measure_id, u.day, u.body, u.created_at FROM measure_updates u \
         JOIN measures m ON m.id = u.measure_id WHERE m.month = $1 ORDER BY u.id",
    )
    .bind(month.to_owned())
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(UpdateRow {
                measure_id: r.try_get("measure_id")?,
                day: r.try_get("day")?,
                body: r.try_get("body")?,
                created_at: r.try_get("created_at")?,
            })
        })
        .collect()
}

/// Whether `month` has a follow-up measure created at or after `since`.
pub async fn follow_up_since(
    conn: &mut AnyConnection,
    month: &str,
    since: i64,
) -> Result<bool, sqlx::Error> {
    let row = sqlx::query(
        "SELECT id FROM measures WHERE month = $1 AND follow_up = 1 AND created_at >= $2",
    )
    .bind(month.to_owned())
    .bind(since)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.is_some())
}
