//! SQL for the `categories` table. A category is retired, never deleted: the
//! issues filed under it keep pointing at it.

use omk_api::{AdminCategory, Category, CategoryInput};
use std::collections::HashMap;

use sqlx::Row;

use super::Db;

/// The categories visitors choose from (active ones), in display order.
pub async fn list(db: &Db) -> Result<Vec<Category>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT id, name_zh, name_en FROM categories WHERE active = 1 ORDER BY position, id",
    )
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Category {
                id: r.try_get("id")?,
                name_zh: r.try_get("name_zh")?,
                name_en: r.try_get("name_en")?,
            })
        })
        .collect()
}

/// Every category, retired ones included, as operators see them.
pub async fn list_all(db: &Db) -> Result<Vec<AdminCategory>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT id, name_zh, name_en, position, active, unit FROM categories \
         ORDER BY position, id",
    )
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(AdminCategory {
                id: r.try_get("id")?,
                name_zh: r.try_get("name_zh")?,
                name_en: r.try_get("name_en")?,
                position: r.try_get("position")?,
                active: r.try_get::<i64, _>("active")? != 0,
                unit: r.try_get("unit")?,
            })
        })
        .collect()
}

/// Creates the category `id`, or replaces its names, position, active flag and unit.
pub async fn put(db: &Db, id: &str, input: &CategoryInput) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO categories (id, name_zh, name_en, position, active, unit) \
         VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (id) DO UPDATE SET name_zh = excluded.name_zh, \
         name_en = excluded.name_en, position = excluded.position, active = excluded.active, \
         unit = excluded.unit",
    )
    .bind(id.to_owned())
    .bind(input.name_zh.trim().to_owned())
    .bind(input.name_en.trim().to_owned())
    .bind(input.position)
    .bind(i64::from(input.active))
    .bind(input.unit.clone())
    .execute(db.pool())
    .await?;
    Ok(())
}

/// Where a new issue of category `id` goes: `None` when visitors cannot file under it
/// (it does not exist or is retired), else the unit it is routed to, if any.
pub async fn route_of(db: &Db, id: &str) -> Result<Option<Option<String>>, sqlx::Error> {
    let row = sqlx::query("SELECT unit FROM categories WHERE id = $1 AND active = 1")
        .bind(id.to_owned())
        .fetch_optional(db.pool())
        .await?;
    row.map(|r| r.try_get("unit")).transpose()
}

/// [`route_of`] for each of `ids` visitors can file under, read on `conn` (for example
/// inside the transaction that stores the issues); a category left out cannot take them.
pub async fn routes_in(
    conn: &mut sqlx::AnyConnection,
    ids: &[&str],
) -> Result<HashMap<String, Option<String>>, sqlx::Error> {
    let mut routes = HashMap::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        let placeholders: Vec<String> = (1..=chunk.len()).map(|n| format!("${n}")).collect();
        let sql = format!(
            "SELECT id, unit FROM categories WHERE active = 1 AND id IN ({})",
            placeholders.join(",")
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for id in chunk {
            query = query.bind((*id).to_owned());
        }
        for row in query.fetch_all(&mut *conn).await? {
            routes.insert(row.try_get("id")?, row.try_get("unit")?);
        }
    }
    Ok(routes)
}

/// Routes the category `id` to `unit` (the demo's routing).
pub async fn set_unit(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    id: &str,
    unit: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE categories SET unit = $1 WHERE id = $2")
        .bind(unit.to_owned())
        .bind(id.to_owned())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Inserts categories in order inside `tx`.
pub async fn insert_many(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    categories: &[Category],
) -> Result<(), sqlx::Error> {
    for (position, c) in categories.iter().enumerate() {
        sqlx::query(
            "INSERT INTO categories (id, name_zh, name_en, position) VALUES ($1, $2, $3, $4)",
        )
        .bind(c.id.clone())
        .bind(c.name_zh.clone())
        .bind(c.name_en.clone())
        .bind(i64::try_from(position).unwrap_or(i64::MAX))
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}
