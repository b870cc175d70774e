//! SQL for the `topics` and `votes` tables: the monthly question and its tally.

use omk_api::Topic;
use sqlx::{AssertSqlSafe, Row};

use super::Db;

/// A topic as stored.
#[derive(Debug, Clone)]
pub struct TopicRow {
    pub id: String,
    pub title_zh: String,
    pub title_en: String,
}

/// Every topic with its vote count, in display order.
pub async fn list(db: &Db) -> Result<Vec<Topic>, sqlx::Error> {
    let mut conn = db.pool().acquire().await?;
    list_in(&mut conn).await
}

/// Every topic with its vote count, read on `conn` (for example inside a transaction).
pub async fn list_in(conn: &mut sqlx::AnyConnection) -> Result<Vec<Topic>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT t.id, t.title_zh, t.title_en, t.open, \
         (SELECT COUNT(*) FROM votes v WHERE v.topic = t.id) AS votes \
         FROM topics t ORDER BY t.position, t.id",
    )
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Topic {
                id: r.try_get("id")?,
                title_zh: r.try_get("title_zh")?,
                title_en: r.try_get("title_en")?,
                votes: r.try_get("votes")?,
                open: r.try_get::<i64, _>("open")? != 0,
            })
        })
        .collect()
}

/// Whether the topic `id` takes votes: `None` when there is no such topic.
pub async fn is_open(db: &Db, id: &str) -> Result<Option<bool>, sqlx::Error> {
    let row = sqlx::query("SELECT open FROM topics WHERE id = $1")
        .bind(id.to_owned())
        .fetch_optional(db.pool())
        .await?;
    row.map(|r| r.try_get::<i64, _>("open").map(|open| open != 0))
        .transpose()
}

/// Creates the topic `id`, or replaces its titles, position and whether it takes votes.
pub async fn put(db: &Db, id: &str, input: &omk_api::TopicInput) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO topics (id, title_zh, title_en, position, open) \
         VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (id) DO UPDATE SET title_zh = excluded.title_zh, \
         title_en = excluded.title_en, position = excluded.position, open = excluded.open",
    )
    .bind(id.to_owned())
    .bind(input.title_zh.trim().to_owned())
    .bind(input.title_en.trim().to_owned())
    .bind(input.position)
    .bind(i64::from(input.open))
    .execute(db.pool())
    .await?;
    Ok(())
}

/// Stores one vote inside `tx`.
pub async fn vote(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    topic: &str,
    at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO votes (topic, created_at) VALUES ($1, $2)")
        .bind(topic.to_owned())
        .bind(at)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Inserts topics in order inside `tx`.
pub async fn insert_topics(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    topics: &[TopicRow],
) -> Result<(), sqlx::Error> {
    for (position, t) in topics.iter().enumerate() {
        sqlx::query(
            "INSERT INTO topics (id, title_zh, title_en, position) VALUES ($1, $2, $3, $4)",
        )
        .bind(t.id.clone())
        .bind(t.title_zh.clone())
        .bind(t.title_en.clone())
        .bind(i64::try_from(position).unwrap_or(i64::MAX))
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Inserts votes `(topic, created_at)` in batches inside `tx`.
pub async fn insert_votes(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    votes: &[(String, i64)],
) -> Result<(), sqlx::Error> {
    for chunk in votes.chunks(500) {
        let mut sql = String::from("INSERT INTO votes (topic, created_at) VALUES ");
        sql.push_str(&super::values_placeholders(tx, chunk.len(), 2));
        let mut query = sqlx::query(AssertSqlSafe(sql));
        for (topic, at) in chunk {
            query = query.bind(topic.clone()).bind(*at);
        }
        query.execute(&mut **tx).await?;
    }
    Ok(())
}

/// How many candidates (topics) `month`'s shortlist has, read on `conn`.
pub async fn count_in_month(
    conn: &mut sqlx::AnyConnection,
    month: &str,
) -> Result<i64, sqlx::Error> {
    let row = sqlx::query("SELECT COUNT(*) AS n FROM topics WHERE month = $1")
        .bind(month.to_owned())
        .fetch_one(&mut *conn)
        .await?;
    row.try_get("n")
}
