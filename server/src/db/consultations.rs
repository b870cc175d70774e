//! SQL for the `consultations` (opinion collections) and `consultation_comments` tables:
//! drafts and their edits, publication, comments and their moderation, the adopted note.

use omk_api::{AdminComment, CommentState, PublicComment};
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

use super::Db;

/// A collection as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredCollection {
    pub id: i64,
    pub title: String,
    pub text: String,
    /// The first moment comments are taken.
    pub opens_at: i64,
    /// The first moment they are no longer taken.
    pub closes_at: i64,
    pub published: bool,
    pub adopted_note: Option<String>,
    pub created_at: i64,
    pub published_at: Option<i64>,
    pub noted_at: Option<i64>,
    /// Comments published so far.
    pub comments_published: i64,
}

const COLUMNS: &str = "c.id, c.title, c.body, c.opens_at, c.closes_at, c.published, \
     c.adopted_note, c.created_at, c.published_at, c.noted_at, (SELECT COUNT(*) FROM \
     consultation_comments m WHERE m.consultation_id = c.id AND m.state = 'published') AS shown";

fn collection(row: &AnyRow) -> Result<StoredCollection, sqlx::Error> {
    Ok(StoredCollection {
        id: row.try_get("id")?,
        title: row.try_get("title")?,
        text: row.try_get("body")?,
        opens_at: row.try_get("opens_at")?,
        closes_at: row.try_get("closes_at")?,
        published: row.try_get::<i64, _>("published")? != 0,
        adopted_note: row.try_get("adopted_note")?,
        created_at: row.try_get("created_at")?,
        published_at: row.try_get("published_at")?,
        noted_at: row.try_get("noted_at")?,
        comments_published: row.try_get("shown")?,
    })
}

/// What an admin sets of a collection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CollectionFields<'a> {
    pub title: &'a str,
    pub text: &'a str,
    pub opens_at: i64,
    pub closes_at: i64,
}

/// Stores a new draft; answers with its id.
pub async fn insert(
    tx: &mut Transaction<'static, Any>,
    fields: &CollectionFields<'_>,
    now: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query(
        "INSERT INTO consultations (title, body, opens_at, closes_at, published, created_at) \
         VALUES ($1, $2, $3, $4, 0, $5) RETURNING id",
    )
    .bind(fields.title.to_owned())
    .bind(fields.text.to_owned())
    .bind(fields.opens_at)
    .bind(fields.closes_at)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?
    .try_get("id")
}

/// Replaces a draft's fields; `false` when it is no draft (any more).
pub async fn edit_draft(
    tx: &mut Transaction<'static, Any>,
    id: i64,
    fields: &CollectionFields<'_>,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE consultations SET title = $1, body = $2, opens_at = $3, closes_at = $4 \
         WHERE id = $5 AND published = 0",
    )
    .bind(fields.title.to_owned())
    .bind(fields.text.to_owned())
    .bind(fields.opens_at)
    .bind(fields.closes_at)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The collection, read inside the transaction that acts on it and held for it.
pub async fn claim(
    tx: &mut Transaction<'static, Any>,
    id: i64,
) -> Result<Option<StoredCollection>, sqlx::Error> {
    let held = sqlx::query("UPDATE consultations SET id = id WHERE id = $1 RETURNING id")
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?;
    if held.is_none() {
        return Ok(None);
    }
    let sql = format!("SELECT {COLUMNS} FROM consultations c WHERE c.id = $1");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?
        .as_ref()
        .map(collection)
        .transpose()
}

/// Publishes a draft; `false` when it was published already.
pub async fn publish(
    tx: &mut Transaction<'static, Any>,
    id: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE consultations SET published = 1, published_at = $1 WHERE id = $2 AND published = 0",
    )
    .bind(now)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Publishes what was adopted; `false` when a note was published already.
pub async fn note(
    tx: &mut Transaction<'static, Any>,
    id: i64,
    note: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE consultations SET adopted_note = $1, noted_at = $2 \
         WHERE id = $3 AND adopted_note IS NULL",
    )
    .bind(note.to_owned())
    .bind(now)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// One collection, published or not.
pub async fn one(db: &Db, id: i64) -> Result<Option<StoredCollection>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM consultations c WHERE c.id = $1");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(db.pool())
        .await?
        .as_ref()
        .map(collection)
        .transpose()
}

/// Every collection (only published ones when `published_only`), the latest to open first.
pub async fn list(db: &Db, published_only: bool) -> Result<Vec<StoredCollection>, sqlx::Error> {
    let filter = if published_only {
        " WHERE c.published = 1"
    } else {
        ""
    };
    let sql = format!(
        "SELECT {COLUMNS} FROM consultations c{filter} ORDER BY c.opens_at DESC, c.id DESC"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .fetch_all(db.pool())
        .await?;
    rows.iter().map(collection).collect()
}

/// Stores a pending comment on collection `id` inside `tx`; answers with its id.
pub async fn add_comment(
    tx: &mut Transaction<'static, Any>,
    id: i64,
    text: &str,
    state: CommentState,
    now: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query(
        "INSERT INTO consultation_comments (consultation_id, body, state, created_at) \
         VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(id)
    .bind(text.to_owned())
    .bind(state.as_str())
    .bind(now)
    .fetch_one(&mut **tx)
    .await?
    .try_get("id")
}

/// Whether collection `id` is published and open at `now`, read inside `tx`: `None` when
/// there is no published collection `id`.
pub async fn is_open(
    tx: &mut Transaction<'static, Any>,
    id: i64,
    now: i64,
) -> Result<Option<bool>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT opens_at, closes_at FROM consultations WHERE id = $1 AND published = 1",
    )
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?;
    row.map(|r| {
        let opens: i64 = r.try_get("opens_at")?;
        let closes: i64 = r.try_get("closes_at")?;
        Ok(opens <= now && now < closes)
    })
    .transpose()
}

fn comment_state(row: &AnyRow) -> Result<CommentState, sqlx::Error> {
    let state: String = row.try_get("state")?;
    CommentState::parse(&state)
        .ok_or_else(|| sqlx::Error::Decode(format!("unknown comment state {state:?}").into()))
}

/// The published comments of collection `id`, oldest first.
pub async fn published_comments(db: &Db, id: i64) -> Result<Vec<PublicComment>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT id, body, created_at, proposal FROM consultation_comments \
         WHERE consultation_id = $1 AND state = 'published' ORDER BY created_at, id",
    )
    .bind(id)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(PublicComment {
                id: r.try_get("id")?,
                text: r.try_get("body")?,
                created_at: r.try_get("created_at")?,
                proposal: r.try_get("proposal")?,
            })
        })
        .collect()
}

/// Every comment of collection `id`, oldest first, for moderators.
pub async fn all_comments(db: &Db, id: i64) -> Result<Vec<AdminComment>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT id, body, state, created_at, moderated_at, proposal FROM consultation_comments \
         WHERE consultation_id = $1 ORDER BY created_at, id",
    )
    .bind(id)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(AdminComment {
                id: r.try_get("id")?,
                text: r.try_get("body")?,
                state: comment_state(r)?,
                created_at: r.try_get("created_at")?,
                moderated_at: r.try_get("moderated_at")?,
                proposal: r.try_get("proposal")?,
            })
        })
        .collect()
}

/// Decides a pending comment of collection `id`: `None` when there is no such comment,
/// `Some(false)` when it was decided already.
pub async fn moderate(
    tx: &mut Transaction<'static, Any>,
    id: i64,
    comment: i64,
    state: CommentState,
    now: i64,
) -> Result<Option<bool>, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE consultation_comments SET state = $1, moderated_at = $2 \
         WHERE id = $3 AND consultation_id = $4 AND state = 'pending'",
    )
    .bind(state.as_str())
    .bind(now)
    .bind(comment)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    if done.rows_affected() == 1 {
        return Ok(Some(true));
    }
    let exists =
        sqlx::query("SELECT id FROM consultation_comments WHERE id = $1 AND consultation_id = $2")
            .bind(comment)
            .bind(id)
            .fetch_optional(&mut **tx)
            .await?;
    Ok(exists.map(|_| false))
}

/// Links the published comment `comment` of collection `id` to the proposal it was promoted
/// to: `None` when there is no such published comment, `Some(false)` when it was promoted
/// already.
pub async fn promote(
    tx: &mut Transaction<'static, Any>,
    id: i64,
    comment: i64,
    proposal: &str,
) -> Result<Option<bool>, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE consultation_comments SET proposal = $1 \
         WHERE id = $2 AND consultation_id = $3 AND state = 'published' AND proposal IS NULL",
    )
    .bind(proposal.to_owned())
    .bind(comment)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    if done.rows_affected() == 1 {
        return Ok(Some(true));
    }
    let exists = sqlx::query(
        "SELECT 1 AS one FROM consultation_comments \
         WHERE id = $1 AND consultation_id = $2 AND state = 'published'",
    )
    .bind(comment)
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(exists.map(|_| false))
}
