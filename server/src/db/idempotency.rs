//! SQL for the `idempotency_keys` table: claiming a key inside the write's
//! transaction, storing the response (and the issue it filed), reading it back for
//! replays, and dropping what a claim holds of contact details once they are erased.

use std::collections::HashSet;

use sqlx::{Any, AnyConnection, AssertSqlSafe, Row, Transaction};

use super::Db;

/// Keys per statement of the many-key forms.
const CHUNK: usize = 500;

/// A key's stored outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    pub request_hash: String,
    /// `None` while the first request is still being written.
    pub response: Option<(u16, String)>,
}

/// Claims `key` inside `tx`. `false` when it was already claimed (by a
/// committed request: a concurrent one is waited for by the database).
pub async fn claim(
    tx: &mut Transaction<'static, Any>,
    key: &str,
    request_hash: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let row = sqlx::query(
        "INSERT INTO idempotency_keys (key, request_hash, created_at) VALUES ($1, $2, $3) \
         ON CONFLICT (key) DO NOTHING RETURNING key",
    )
    .bind(key.to_owned())
    .bind(request_hash.to_owned())
    .bind(now)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.is_some())
}

/// Claims many keys inside `tx`, a few statements for all; returns the keys claimed now.
/// Each key must be listed once.
pub async fn claim_many(
    tx: &mut Transaction<'static, Any>,
    claims: &[(&str, &str)],
    now: i64,
) -> Result<HashSet<String>, sqlx::Error> {
    let mut claimed = HashSet::with_capacity(claims.len());
    for chunk in claims.chunks(CHUNK) {
        let sql = format!(
            "INSERT INTO idempotency_keys (key, request_hash, created_at) VALUES {} \
             ON CONFLICT (key) DO NOTHING RETURNING key",
            super::values_placeholders(tx, chunk.len(), 3)
        );
        let mut query = sqlx::query(AssertSqlSafe(sql));
        for (key, request_hash) in chunk {
            query = query
                .bind((*key).to_owned())
                .bind((*request_hash).to_owned())
                .bind(now);
        }
        for row in query.fetch_all(&mut **tx).await? {
            claimed.insert(row.try_get("key")?);
        }
    }
    Ok(claimed)
}

/// A claimed key's answer, to record with it.
#[derive(Debug, Clone, Copy)]
pub struct Answer<'a> {
    pub key: &'a str,
    pub request_hash: &'a str,
    pub status: u16,
    pub response: &'a str,
    /// The tracking number of the issue the write filed, if it filed one.
    pub issue: Option<&'a str>,
}

/// Records the answers of many keys claimed in `tx`, a few statements for all. Each key
/// must be listed once.
pub async fn record_many(
    tx: &mut Transaction<'static, Any>,
    answers: &[Answer<'_>],
    now: i64,
) -> Result<(), sqlx::Error> {
    for chunk in answers.chunks(CHUNK) {
        let sql = format!(
            "INSERT INTO idempotency_keys (key, request_hash, created_at, status, response, \
             issue) VALUES {} ON CONFLICT (key) DO UPDATE SET status = excluded.status, \
             response = excluded.response, issue = excluded.issue",
            super::values_placeholders(tx, chunk.len(), 6)
        );
        let mut query = sqlx::query(AssertSqlSafe(sql));
        for answer in chunk {
            query = query
                .bind(answer.key.to_owned())
                .bind(answer.request_hash.to_owned())
                .bind(now)
                .bind(i64::from(answer.status))
                .bind(answer.response.to_owned())
                .bind(answer.issue.map(str::to_owned));
        }
        query.execute(&mut **tx).await?;
    }
    Ok(())
}

/// Records the response for a claimed key, and the issue its write filed if any, inside
/// the write's transaction.
pub async fn record(
    tx: &mut Transaction<'static, Any>,
    key: &str,
    status: u16,
    response: &str,
    issue: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE idempotency_keys SET status = $1, response = $2, issue = $3 WHERE key = $4",
    )
    .bind(i64::from(status))
    .bind(response.to_owned())
    .bind(issue.map(str::to_owned))
    .bind(key.to_owned())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Drops the contact part of every claim whose issue no longer has contact details,
/// inside the erasure's transaction; returns how many claims had one.
///
/// A claim with contact details is `<64 hex digits of the rest of the request>:<hash of
/// the contact details>` (see `crate::idempotency::request_hash`); it keeps its first
/// part and is marked `:erased`.
pub async fn forget_erased_contacts(
    tx: &mut Transaction<'static, Any>,
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE idempotency_keys SET request_hash = substr(request_hash, 1, 64) || ':erased' \
         WHERE length(request_hash) > 64 AND request_hash NOT LIKE '%:erased' \
         AND EXISTS (SELECT 1 FROM issues WHERE issues.tracking_no = idempotency_keys.issue \
         AND issues.name IS NULL AND issues.phone IS NULL)",
    )
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected())
}

/// What is stored for `key`, if anything.
pub async fn find(db: &Db, key: &str) -> Result<Option<Stored>, sqlx::Error> {
    let mut conn = db.pool().acquire().await?;
    find_in(&mut conn, key).await
}

/// What is stored for `key`, read on `conn` (for example inside the transaction that
/// just tried to claim it).
pub async fn find_in(conn: &mut AnyConnection, key: &str) -> Result<Option<Stored>, sqlx::Error> {
    let row =
        sqlx::query("SELECT request_hash, status, response FROM idempotency_keys WHERE key = $1")
            .bind(key.to_owned())
            .fetch_optional(&mut *conn)
            .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let status: Option<i64> = row.try_get("status")?;
    let response: Option<String> = row.try_get("response")?;
    Ok(Some(Stored {
        request_hash: row.try_get("request_hash")?,
        response: status.and_then(|s| u16::try_from(s).ok()).zip(response),
    }))
}

/// Deletes keys older than `before`; returns how many.
pub async fn purge(db: &Db, before: i64) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM idempotency_keys WHERE created_at < $1")
        .bind(before)
        .execute(db.pool())
        .await?;
    Ok(done.rows_affected())
}
