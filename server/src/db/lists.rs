//! SQL for the plain reference lists: `units`, `districts` and `rating_tags`. An entry is
//! retired, never deleted: what refers to it keeps it.

use omk_api::{Entry, EntryInput, List};
use sqlx::{AssertSqlSafe, Row};

use super::Db;

/// The table behind a list (a fixed name, never from input).
fn table(list: List) -> &'static str {
    match list {
        List::Units => "units",
        List::Districts => "districts",
        List::RatingTags => "rating_tags",
    }
}

/// The entries of `list`, in display order; only the active ones unless `all`.
pub async fn entries(db: &Db, list: List, all: bool) -> Result<Vec<Entry>, sqlx::Error> {
    let filter = if all { "" } else { "WHERE active = 1 " };
    let sql = format!(
        "SELECT id, name_zh, name_en, position, active FROM {} {filter}ORDER BY position, id",
        table(list)
    );
    let rows = sqlx::query(AssertSqlSafe(sql)).fetch_all(db.pool()).await?;
    rows.iter()
        .map(|r| {
            Ok(Entry {
                id: r.try_get("id")?,
                name_zh: r.try_get("name_zh")?,
                name_en: r.try_get("name_en")?,
                position: r.try_get("position")?,
                active: r.try_get::<i64, _>("active")? != 0,
            })
        })
        .collect()
}

/// Creates the entry `id` of `list`, or replaces its names, position and active flag.
pub async fn put(db: &Db, list: List, id: &str, input: &EntryInput) -> Result<Entry, sqlx::Error> {
    let sql = format!(
        "INSERT INTO {} (id, name_zh, name_en, position, active) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (id) DO UPDATE SET name_zh = excluded.name_zh, \
         name_en = excluded.name_en, position = excluded.position, active = excluded.active",
        table(list)
    );
    let entry = Entry {
        id: id.to_owned(),
        name_zh: input.name_zh.trim().to_owned(),
        name_en: input.name_en.trim().to_owned(),
        position: input.position,
        active: input.active,
    };
    sqlx::query(AssertSqlSafe(sql))
        .bind(entry.id.clone())
        .bind(entry.name_zh.clone())
        .bind(entry.name_en.clone())
        .bind(entry.position)
        .bind(i64::from(entry.active))
        .execute(db.pool())
        .await?;
    Ok(entry)
}

/// Whether `id` is an active entry of `list`, on any connection or inside a transaction.
pub async fn is_active<'e, E>(executor: E, list: List, id: &str) -> Result<bool, sqlx::Error>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let sql = format!(
        "SELECT COUNT(*) AS n FROM {} WHERE id = $1 AND active = 1",
        table(list)
    );
    let row = sqlx::query(AssertSqlSafe(sql))
        .bind(id.to_owned())
        .fetch_one(executor)
        .await?;
    Ok(row.try_get::<i64, _>("n")? > 0)
}

/// Inserts entries in order inside `tx` (the demo's lists).
pub async fn insert_many(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    list: List,
    entries: &[(String, String, String)],
) -> Result<(), sqlx::Error> {
    let sql = format!(
        "INSERT INTO {} (id, name_zh, name_en, position) VALUES ($1, $2, $3, $4)",
        table(list)
    );
    for (position, (id, zh, en)) in entries.iter().enumerate() {
        sqlx::query(AssertSqlSafe(sql.clone()))
            .bind(id.clone())
            .bind(zh.clone())
            .bind(en.clone())
            .bind(i64::try_from(position).unwrap_or(i64::MAX))
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}
