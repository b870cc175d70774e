//! SQL for the `categories` table.

use omk_api::Category;
use sqlx::Row;

use super::Db;

/// Every category, in display order.
pub async fn list(db: &Db) -> Result<Vec<Category>, sqlx::Error> {
    let rows = sqlx::query("SELECT id, name_zh, name_en FROM categories ORDER BY position, id")
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

/// Whether a category with `id` exists.
pub async fn exists(db: &Db, id: &str) -> Result<bool, sqlx::Error> {
    let row = sqlx::query("SELECT COUNT(*) AS n FROM categories WHERE id = $1")
        .bind(id.to_owned())
        .fetch_one(db.pool())
        .await?;
    Ok(row.try_get::<i64, _>("n")? > 0)
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
