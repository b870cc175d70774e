//! SQL for the `operators` and `sessions` tables. Passwords are stored only as argon2id
//! hashes, and sessions only by the SHA-256 of their cookie.

use omk_api::{Operator, Role};
use sqlx::Row;

use super::Db;

/// An account with its password hash, for a sign-in.
#[derive(Clone)]
pub struct Credentials {
    pub id: i64,
    pub operator: Operator,
    pub password_hash: String,
}

fn operator(row: &sqlx::any::AnyRow) -> Result<Operator, sqlx::Error> {
    let role: String = row.try_get("role")?;
    Ok(Operator {
        login: row.try_get("login")?,
        role: Role::parse(&role)
            .ok_or_else(|| sqlx::Error::Decode(format!("unknown role {role:?}").into()))?,
        unit: row.try_get("unit")?,
        active: row.try_get::<i64, _>("active")? != 0,
    })
}

/// Every account, by login.
pub async fn list(db: &Db) -> Result<Vec<Operator>, sqlx::Error> {
    let rows = sqlx::query("SELECT login, role, unit, active FROM operators ORDER BY login")
        .fetch_all(db.pool())
        .await?;
    rows.iter().map(operator).collect()
}

/// The account `login` with its password hash.
pub async fn credentials(db: &Db, login: &str) -> Result<Option<Credentials>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT id, login, role, unit, active, password_hash FROM operators WHERE login = $1",
    )
    .bind(login.to_owned())
    .fetch_optional(db.pool())
    .await?;
    row.map(|r| {
        Ok(Credentials {
            id: r.try_get("id")?,
            operator: operator(&r)?,
            password_hash: r.try_get("password_hash")?,
        })
    })
    .transpose()
}

/// Creates the account `operator.login` with `password_hash`, or replaces its role, unit and
/// active flag (and its password when a hash is given). A disabled account's sessions end.
/// `false` when the account is new and no hash is given.
pub async fn put(
    db: &Db,
    operator: &Operator,
    password_hash: Option<&str>,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let mut tx = db.pool().begin().await?;
    let existing = sqlx::query("SELECT id FROM operators WHERE login = $1")
        .bind(operator.login.clone())
        .fetch_optional(&mut *tx)
        .await?;
    let id: i64 = match (existing, password_hash) {
        (Some(row), hash) => {
            let id: i64 = row.try_get("id")?;
            sqlx::query(
                "UPDATE operators SET role = $1, unit = $2, active = $3, \
                 password_hash = COALESCE($4, password_hash) WHERE id = $5",
            )
            .bind(operator.role.as_str())
            .bind(operator.unit.clone())
            .bind(i64::from(operator.active))
            .bind(hash.map(str::to_owned))
            .bind(id)
            .execute(&mut *tx)
            .await?;
            id
        }
        (None, Some(hash)) => sqlx::query(
            "INSERT INTO operators (login, password_hash, role, unit, active, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(operator.login.clone())
        .bind(hash.to_owned())
        .bind(operator.role.as_str())
        .bind(operator.unit.clone())
        .bind(i64::from(operator.active))
        .bind(now)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?,
        (None, None) => return Ok(false),
    };
    if !operator.active || password_hash.is_some() {
        sqlx::query("DELETE FROM sessions WHERE operator_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(true)
}

/// Starts a session for operator `id`.
pub async fn open_session(
    db: &Db,
    token_hash: &str,
    operator_id: i64,
    csrf_token: &str,
    now: i64,
    expires_at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
        .bind(now)
        .execute(db.pool())
        .await?;
    sqlx::query(
        "INSERT INTO sessions (token_hash, operator_id, csrf_token, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(token_hash.to_owned())
    .bind(operator_id)
    .bind(csrf_token.to_owned())
    .bind(now)
    .bind(expires_at)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// A live session: whose, its CSRF token and when it ends.
#[derive(Clone)]
pub struct LiveSession {
    pub operator: Operator,
    pub csrf_token: String,
    pub expires_at: i64,
}

/// The session with this cookie hash, if it has not expired and its account is active.
pub async fn session(
    db: &Db,
    token_hash: &str,
    now: i64,
) -> Result<Option<LiveSession>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT o.login, o.role, o.unit, o.active, s.csrf_token, s.expires_at \
         FROM sessions s JOIN operators o ON o.id = s.operator_id \
         WHERE s.token_hash = $1 AND s.expires_at > $2 AND o.active = 1",
    )
    .bind(token_hash.to_owned())
    .bind(now)
    .fetch_optional(db.pool())
    .await?;
    row.map(|r| {
        Ok(LiveSession {
            operator: operator(&r)?,
            csrf_token: r.try_get("csrf_token")?,
            expires_at: r.try_get("expires_at")?,
        })
    })
    .transpose()
}

/// Ends the session with this cookie hash.
pub async fn close_session(db: &Db, token_hash: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(token_hash.to_owned())
        .execute(db.pool())
        .await?;
    Ok(())
}

/// How many accounts there are.
pub async fn count(db: &Db) -> Result<i64, sqlx::Error> {
    sqlx::query("SELECT COUNT(*) AS n FROM operators")
        .fetch_one(db.pool())
        .await?
        .try_get("n")
}
