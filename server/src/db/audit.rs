//! SQL for the `audit_log` table: one row per operator action or view of contact
//! details. Rows are only ever added.

use omk_api::{AuditAction, AuditEntry, AuditQuery};
use sqlx::Row;

use super::Db;

/// One action to record.
#[derive(Debug, Clone)]
pub struct Record<'a> {
    pub actor: &'a str,
    pub action: AuditAction,
    pub issue: Option<&'a str>,
    pub detail: String,
}

/// Adds `record` at `at`, on any connection or inside a transaction.
pub async fn add<'e, E>(executor: E, record: &Record<'_>, at: i64) -> Result<(), sqlx::Error>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    sqlx::query(
        "INSERT INTO audit_log (at, actor, action, issue, detail) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(at)
    .bind(record.actor.to_owned())
    .bind(record.action.as_str())
    .bind(record.issue.map(str::to_owned))
    .bind(record.detail.clone())
    .execute(executor)
    .await?;
    Ok(())
}

/// Adds many records inside `tx`, each at its own time, a few statements for all.
pub async fn add_many(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    records: &[(Record<'_>, i64)],
) -> Result<(), sqlx::Error> {
    for chunk in records.chunks(500) {
        let mut sql =
            String::from("INSERT INTO audit_log (at, actor, action, issue, detail) VALUES ");
        sql.push_str(&super::values_placeholders(tx, chunk.len(), 5));
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for (record, at) in chunk {
            query = query
                .bind(*at)
                .bind(record.actor.to_owned())
                .bind(record.action.as_str())
                .bind(record.issue.map(str::to_owned))
                .bind(record.detail.clone());
        }
        query.execute(&mut **tx).await?;
    }
    Ok(())
}

fn entry(row: &sqlx::any::AnyRow) -> Result<AuditEntry, sqlx::Error> {
    let action: String = row.try_get("action")?;
    Ok(AuditEntry {
        id: row.try_get("id")?,
        at: row.try_get("at")?,
        actor: row.try_get("actor")?,
        action: AuditAction::parse(&action).ok_or_else(|| {
            sqlx::Error::Decode(format!("unknown audit action {action:?}").into())
        })?,
        issue: row.try_get("issue")?,
        detail: row.try_get("detail")?,
    })
}

const WHERE: &str = "WHERE ($1 IS NULL OR actor = $1) AND ($2 IS NULL OR issue = $2) \
                     AND ($3 IS NULL OR action = $3)";

/// A page of entries matching `query`, newest first, and how many match in all.
pub async fn page(
    db: &Db,
    query: &AuditQuery,
    limit: i64,
    offset: i64,
) -> Result<(Vec<AuditEntry>, i64), sqlx::Error> {
    let action = query.action.map(|a| a.as_str().to_owned());
    let total: i64 = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT COUNT(*) AS n FROM audit_log {WHERE}"
    )))
    .bind(query.actor.clone())
    .bind(query.issue.clone())
    .bind(action.clone())
    .fetch_one(db.pool())
    .await?
    .try_get("n")?;
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT id, at, actor, action, issue, detail FROM audit_log {WHERE} \
         ORDER BY id DESC LIMIT $4 OFFSET $5"
    )))
    .bind(query.actor.clone())
    .bind(query.issue.clone())
    .bind(action)
    .bind(limit)
    .bind(offset)
    .fetch_all(db.pool())
    .await?;
    let items = rows.iter().map(entry).collect::<Result<_, _>>()?;
    Ok((items, total))
}

/// What was done to one issue, oldest first (refused attempts are in the log, not here).
pub async fn for_issue(db: &Db, tracking_no: &str) -> Result<Vec<AuditEntry>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT id, at, actor, action, issue, detail FROM audit_log \
         WHERE issue = $1 AND action <> 'refused' ORDER BY id",
    )
    .bind(tracking_no.to_owned())
    .fetch_all(db.pool())
    .await?;
    rows.iter().map(entry).collect()
}

/// The whole log, oldest first, for an export.
pub async fn all(db: &Db) -> Result<Vec<AuditEntry>, sqlx::Error> {
    let rows =
        sqlx::query("SELECT id, at, actor, action, issue, detail FROM audit_log ORDER BY id")
            .fetch_all(db.pool())
            .await?;
    rows.iter().map(entry).collect()
}
