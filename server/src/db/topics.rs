//! SQL for the `topics` and `votes` tables: the monthly question and its tally. A topic with
//! a `month` is a candidate of that month's cycle: it takes public votes (through the same
//! committer path and per-client bound) only while that cycle is `voting`, and its tallies
//! are on the cycle view, not in the plain question's list and live tally. Votes have a
//! channel: `public` (kiosks and phones) or `representative` (a printed code).

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

/// Every topic of the plain monthly question with its vote count, read on `conn` (for
/// example inside a transaction). A month's candidates are not among them: their tallies,
/// per channel, are on the month's cycle view.
pub async fn list_in(conn: &mut sqlx::AnyConnection) -> Result<Vec<Topic>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT t.id, t.title_zh, t.title_en, t.open, \
         (SELECT COUNT(*) FROM votes v WHERE v.topic = t.id AND v.channel = 'public') AS votes \
         FROM topics t WHERE t.month IS NULL ORDER BY t.position, t.id",
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

/// Whether the topic `id` takes public votes: `None` when there is no such topic. A
/// candidate of a month takes them only while its cycle is `voting`.
pub async fn is_open(db: &Db, id: &str) -> Result<Option<bool>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT t.open, t.month, c.stage FROM topics t LEFT JOIN cycles c ON c.month = t.month \
         WHERE t.id = $1",
    )
    .bind(id.to_owned())
    .fetch_optional(db.pool())
    .await?;
    row.map(|r| {
        let open = r.try_get::<i64, _>("open")? != 0;
        let month: Option<String> = r.try_get("month")?;
        let stage: Option<String> = r.try_get("stage")?;
        Ok(open && (month.is_none() || stage.as_deref() == Some("voting")))
    })
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

/// Stores one public vote inside `tx`.
pub async fn vote(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    topic: &str,
    at: i64,
) -> Result<(), sqlx::Error> {
    vote_on(tx, topic, at, "public").await
}

/// Stores one vote of `channel` (`public` or `representative`) inside `tx`.
pub async fn vote_on(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    topic: &str,
    at: i64,
    channel: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO votes (topic, created_at, channel) VALUES ($1, $2, $3)")
        .bind(topic.to_owned())
        .bind(at)
        .bind(channel.to_owned())
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

/// A candidate of a month's shortlist as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CandidateRow {
    pub id: String,
    pub title_zh: String,
    pub title_en: String,
    pub lead_unit: String,
    pub category: String,
    pub position: i64,
}

/// The month a topic belongs to: `None` for no such topic, `Some(None)` for a topic of no
/// month (the plain monthly question).
pub async fn month_of(
    conn: &mut sqlx::AnyConnection,
    id: &str,
) -> Result<Option<Option<String>>, sqlx::Error> {
    let row = sqlx::query("SELECT month FROM topics WHERE id = $1")
        .bind(id.to_owned())
        .fetch_optional(&mut *conn)
        .await?;
    row.map(|r| r.try_get::<Option<String>, _>("month"))
        .transpose()
}

/// Creates the candidate `id` of `month` or replaces its details.
pub async fn put_candidate(
    conn: &mut sqlx::AnyConnection,
    month: &str,
    id: &str,
    input: &omk_api::CandidateInput,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO topics (id, title_zh, title_en, position, open, month, lead_unit, category) \
         VALUES ($1, $2, $3, $4, 1, $5, $6, $7) \
         ON CONFLICT (id) DO UPDATE SET title_zh = excluded.title_zh, \
         title_en = excluded.title_en, position = excluded.position, \
         lead_unit = excluded.lead_unit, category = excluded.category",
    )
    .bind(id.to_owned())
    .bind(input.title_zh.trim().to_owned())
    .bind(input.title_en.trim().to_owned())
    .bind(input.position)
    .bind(month.to_owned())
    .bind(input.lead_unit.trim().to_owned())
    .bind(input.category.trim().to_owned())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// `month`'s candidates in display order.
pub async fn candidates(
    conn: &mut sqlx::AnyConnection,
    month: &str,
) -> Result<Vec<CandidateRow>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT id, title_zh, title_en, lead_unit, category, position FROM topics \
         WHERE month = $1 ORDER BY position, id",
    )
    .bind(month.to_owned())
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(CandidateRow {
                id: r.try_get("id")?,
                title_zh: r.try_get("title_zh")?,
                title_en: r.try_get("title_en")?,
                lead_unit: r
                    .try_get::<Option<String>, _>("lead_unit")?
                    .unwrap_or_default(),
                category: r
                    .try_get::<Option<String>, _>("category")?
                    .unwrap_or_default(),
                position: r.try_get("position")?,
            })
        })
        .collect()
}

/// The votes on `month`'s candidates per channel: `(topic, channel, votes)`.
pub async fn tallies(
    conn: &mut sqlx::AnyConnection,
    month: &str,
) -> Result<Vec<(String, String, i64)>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT v.topic AS topic, v.channel AS channel, COUNT(*) AS n FROM votes v \
         JOIN topics t ON t.id = v.topic WHERE t.month = $1 GROUP BY v.topic, v.channel",
    )
    .bind(month.to_owned())
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| Ok((r.try_get("topic")?, r.try_get("channel")?, r.try_get("n")?)))
        .collect()
}

/// Stores a representative's vote inside `tx` under a random id (`id`, drawn by the caller
/// from 2^40 up, above any counted id), so its row says nothing of the order votes came in.
pub async fn representative_vote(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    id: i64,
    topic: &str,
    day_start: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "INSERT INTO votes (id, topic, created_at, channel) VALUES ($1, $2, $3, 'representative') \
         ON CONFLICT (id) DO NOTHING",
    )
    .bind(id)
    .bind(topic.to_owned())
    .bind(day_start)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// One vote to insert as it is: its id (a representative's random one, or `None` for the
/// next counted id), topic, moment and channel.
#[derive(Debug, Clone)]
pub struct VoteRow {
    pub id: Option<i64>,
    pub topic: String,
    pub at: i64,
    pub channel: &'static str,
}

/// Inserts votes as they are, on `conn` (the demo's).
pub async fn insert_vote_rows(
    conn: &mut sqlx::AnyConnection,
    votes: &[VoteRow],
) -> Result<(), sqlx::Error> {
    for vote in votes {
        match vote.id {
            Some(id) => {
                sqlx::query(
                    "INSERT INTO votes (id, topic, created_at, channel) VALUES ($1, $2, $3, $4)",
                )
                .bind(id)
                .bind(vote.topic.clone())
                .bind(vote.at)
                .bind(vote.channel)
                .execute(&mut *conn)
                .await?;
            }
            None => {
                sqlx::query("INSERT INTO votes (topic, created_at, channel) VALUES ($1, $2, $3)")
                    .bind(vote.topic.clone())
                    .bind(vote.at)
                    .bind(vote.channel)
                    .execute(&mut *conn)
                    .await?;
            }
        }
    }
    Ok(())
}
