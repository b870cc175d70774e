//! SQL for the `ratings` table.

use sqlx::{AssertSqlSafe, Row};

use super::Backend;

/// A rating as stored, before it gets an id.
#[derive(Debug, Clone)]
pub struct RatingRow {
    /// 5 (very satisfied) down to 1 (very dissatisfied).
    pub score: i64,
    /// Reason tags, comma-separated.
    pub tags: String,
    pub unit: Option<String>,
    pub created_at: i64,
}

/// Stores one rating inside `tx` and returns its id.
pub async fn insert(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    row: &RatingRow,
) -> Result<i64, sqlx::Error> {
    sqlx::query(
        "INSERT INTO ratings (score, tags, unit, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(row.score)
    .bind(row.tags.clone())
    .bind(row.unit.clone())
    .bind(row.created_at)
    .fetch_one(&mut **tx)
    .await?
    .try_get("id")
}

/// Stores ratings inside `tx`, a few statements for all, and returns their ids in order.
///
/// The ids are taken before the rows are written, so each is known without relying on
/// the order a multi-row `RETURNING` answers in: from the sequence on PostgreSQL, after
/// the highest id on SQLite. The SQLite form needs `tx` to have written already (it then
/// holds the database's write lock, so no other connection adds a rating first).
pub async fn insert_batch(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    backend: Backend,
    rows: &[&RatingRow],
) -> Result<Vec<i64>, sqlx::Error> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let count = i64::try_from(rows.len()).unwrap_or(i64::MAX);
    let ids: Vec<i64> = match backend {
        Backend::Sqlite => {
            let highest: i64 = sqlx::query("SELECT COALESCE(MAX(id), 0) AS id FROM ratings")
                .fetch_one(&mut **tx)
                .await?
                .try_get("id")?;
            (1..=count).map(|n| highest + n).collect()
        }
        Backend::Postgres => sqlx::query(
            "SELECT nextval(pg_get_serial_sequence('ratings', 'id')) AS id \
             FROM generate_series(1, $1)",
        )
        .bind(count)
        .fetch_all(&mut **tx)
        .await?
        .iter()
        .map(|row| row.try_get("id"))
        .collect::<Result<_, _>>()?,
    };
    if ids.len() != rows.len() {
        return Err(sqlx::Error::Protocol(format!(
            "asked for {} rating ids, got {}",
            rows.len(),
            ids.len()
        )));
    }
    for (chunk, chunk_ids) in rows.chunks(500).zip(ids.chunks(500)) {
        let mut sql =
            String::from("INSERT INTO ratings (id, score, tags, unit, created_at) VALUES ");
        sql.push_str(&super::values_placeholders(tx, chunk.len(), 5));
        let mut query = sqlx::query(AssertSqlSafe(sql));
        for (row, id) in chunk.iter().zip(chunk_ids) {
            query = query
                .bind(*id)
                .bind(row.score)
                .bind(row.tags.clone())
                .bind(row.unit.clone())
                .bind(row.created_at);
        }
        query.execute(&mut **tx).await?;
    }
    Ok(ids)
}

/// Inserts many ratings in batches inside `tx`.
pub async fn insert_many(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    rows: &[RatingRow],
) -> Result<(), sqlx::Error> {
    for chunk in rows.chunks(500) {
        let mut sql = String::from("INSERT INTO ratings (score, tags, unit, created_at) VALUES ");
        sql.push_str(&super::values_placeholders(tx, chunk.len(), 4));
        let mut query = sqlx::query(AssertSqlSafe(sql));
        for row in chunk {
            query = query
                .bind(row.score)
                .bind(row.tags.clone())
                .bind(row.unit.clone())
                .bind(row.created_at);
        }
        query.execute(&mut **tx).await?;
    }
    Ok(())
}

/// Every rating, oldest first, for open data: created_at, unit, score, tags.
pub async fn export_rows(db: &super::Db) -> Result<Vec<[String; 4]>, sqlx::Error> {
    let rows =
        sqlx::query("SELECT created_at, unit, score, tags FROM ratings ORDER BY created_at, id")
            .fetch_all(db.pool())
            .await?;
    rows.iter()
        .map(|r| {
            Ok([
                r.try_get::<i64, _>("created_at")?.to_string(),
                r.try_get::<Option<String>, _>("unit")?.unwrap_or_default(),
                r.try_get::<i64, _>("score")?.to_string(),
                r.try_get("tags")?,
            ])
        })
        .collect()
}
