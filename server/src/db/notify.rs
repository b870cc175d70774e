//! PostgreSQL notifications between instances that share one database: a
//! `NOTIFY` after each change, and a listener connection for the others'.

use sqlx::postgres::PgListener;

use super::Db;

/// The channel every instance notifies and listens on.
pub const CHANNEL: &str = "omk_changes";

/// Sends `payload` to every listening instance. The payload must be made of
/// ASCII letters, digits, spaces and hyphens: `NOTIFY` takes no parameters.
pub async fn notify(db: &Db, payload: &str) -> Result<(), sqlx::Error> {
    if !payload
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == ' ' || c == '-')
    {
        return Err(sqlx::Error::Protocol(format!(
            "notification payload {payload:?} has characters NOTIFY cannot take inline"
        )));
    }
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "NOTIFY {CHANNEL}, '{payload}'"
    )))
    .execute(db.pool())
    .await?;
    Ok(())
}

/// A fresh connection listening on [`CHANNEL`]; only for PostgreSQL.
pub async fn listener(db: &Db) -> Result<PgListener, sqlx::Error> {
    let mut listener = PgListener::connect(&db.url).await?;
    listener.listen(CHANNEL).await?;
    Ok(listener)
}
