//! The database: one pool over SQLite or PostgreSQL (sqlx's `Any` driver),
//! migrations chosen by backend, and every SQL statement, one file per table.
//!
//! All SQL is portable: `$1, $2…` placeholders, timestamps as BIGINT Unix
//! seconds, flags as 0/1 integers.

pub mod audit;
pub mod categories;
pub mod consultations;
pub mod cycles;
pub mod evaluations;
pub mod events;
pub mod idempotency;
pub mod issues;
pub mod letters;
pub mod lists;
pub mod measures;
pub mod meetings;
pub mod metrics;
pub mod notify;
pub mod opendata;
pub mod operators;
pub mod proposals;
pub mod ratings;
pub mod registrations;
pub mod signals;
pub mod topics;

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, Connection, Executor, Row};

/// Which database engine is behind the pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Why the database could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("unsupported database URL {0:?}: use sqlite://… or postgres://…")]
    UnsupportedUrl(String),
    #[error("cannot create the database folder {path}: {source}")]
    CreateDir {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot open the database: {0}")]
    Connect(#[source] sqlx::Error),
    #[error("cannot migrate the database: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("database error: {0}")]
    Query(#[from] sqlx::Error),
    #[error("{0}")]
    Unsupported(&'static str),
    #[error("the write-ahead log could not be emptied: a reader was still using it")]
    CheckpointBusy,
}

/// Vacuums the tables whose rows erasure changes (contact details, and the claims of
/// idempotency keys), so their old row versions go.
const ERASED_TABLES_VACUUM: &str = "VACUUM issues, letters, proposals, idempotency_keys";

/// The shared connection pool and the backend it talks to.
#[derive(Clone)]
pub struct Db {
    pool: AnyPool,
    backend: Backend,
    /// The URL it was opened with, for connections outside the pool (a
    /// PostgreSQL listener). Never printed: it may hold a password.
    url: std::sync::Arc<str>,
}

impl std::fmt::Debug for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Db")
            .field("backend", &self.backend)
            .finish_non_exhaustive()
    }
}

impl Db {
    /// Opens the database at `url`, creating a SQLite file (and its folder)
    /// when missing. SQLite runs in WAL mode with `synchronous=FULL`, so an
    /// acknowledged write survives a crash, and with `secure_delete`, so content
    /// it frees (an erased name, a deleted row) is overwritten with zeros.
    pub async fn connect(url: &str) -> Result<Db, DbError> {
        sqlx::any::install_default_drivers();
        let (backend, prepared) = prepare_url(url)?;
        let options = AnyConnectOptions::from_str(&prepared).map_err(DbError::Connect)?;
        let pool_options = match backend {
            Backend::Sqlite => {
                AnyPoolOptions::new()
                    .max_connections(8)
                    .after_connect(|conn, _meta| {
                        Box::pin(async move {
                            conn.execute(
                                "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
                             PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON; \
                             PRAGMA secure_delete = ON;",
                            )
                            .await?;
                            Ok(())
                        })
                    })
            }
            Backend::Postgres => AnyPoolOptions::new().max_connections(16),
        };
        let pool = pool_options
            .after_release(|conn, _meta| Box::pin(keeps_no_transaction(conn)))
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await
            .map_err(DbError::Connect)?;
        Ok(Db {
            pool,
            backend,
            url: prepared.into(),
        })
    }

    /// Applies every pending migration of this backend.
    pub async fn migrate(&self) -> Result<(), DbError> {
        match self.backend {
            Backend::Sqlite => {
                sqlx::migrate!("./migrations/sqlite")
                    .run(&self.pool)
                    .await?
            }
            Backend::Postgres => {
                sqlx::migrate!("./migrations/postgres")
                    .run(&self.pool)
                    .await?
            }
        }
        Ok(())
    }

    /// The pool, for the statements in this module's files.
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// The engine behind the pool.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Whether the database answers a trivial query.
    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        sqlx::query("SELECT 1")
            .execute(&self.pool)
            .await
            .map(|_| ())
    }

    /// Whether the database can take a write now: a row of a few pages, written and rolled
    /// back. A full disk or a read-only file makes it fail.
    pub async fn probe_write(&self) -> Result<(), sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        let written = sqlx::query("INSERT INTO write_probe (data) VALUES ($1)")
            .bind("x".repeat(16 * 1024))
            .execute(&mut *tx)
            .await;
        // Rolled back whatever happened, at once: a failed write must not keep its lock
        // until the connection is next used.
        let rolled_back = tx.rollback().await;
        written.map(|_| ())?;
        rolled_back
    }

    /// Copies the whole database into a new SQLite file at `path`, consistently, while
    /// it keeps serving (`VACUUM INTO`). PostgreSQL has `pg_dump` for this.
    pub async fn backup_to(&self, path: &Path) -> Result<(), DbError> {
        if self.backend != Backend::Sqlite {
            return Err(DbError::Unsupported(
                "backups of PostgreSQL are made with pg_dump",
            ));
        }
        let target = path.display().to_string();
        sqlx::query("VACUUM INTO $1")
            .bind(target)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Makes erased values leave the old copies the storage keeps of the tables erasure
    /// changes. SQLite has already zeroed the space they freed (`secure_delete`); the
    /// page images that still hold them in the write-ahead log are copied over in the
    /// database and the log is truncated to nothing (`wal_checkpoint(TRUNCATE)`).
    /// PostgreSQL keeps old row versions until a VACUUM, which this runs on those tables.
    /// Run outside any transaction, after the erasure is committed.
    pub async fn scrub_erased(&self) -> Result<(), DbError> {
        match self.backend {
            Backend::Sqlite => {
                let row = sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
                    .fetch_one(&self.pool)
                    .await?;
                let busy: i64 = row.try_get(0)?;
                if busy != 0 {
                    return Err(DbError::CheckpointBusy);
                }
            }
            Backend::Postgres => {
                sqlx::raw_sql(ERASED_TABLES_VACUUM)
                    .execute(&self.pool)
                    .await?;
            }
        }
        Ok(())
    }

    /// Closes every connection, waiting for those in use.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Works out the backend of a URL and, for SQLite, makes sure the file can be
/// created: its folder exists and the URL asks for `mode=rwc`.
fn prepare_url(url: &str) -> Result<(Backend, String), DbError> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return Ok((Backend::Postgres, url.to_owned()));
    }
    let Some(rest) = url.strip_prefix("sqlite:") else {
        return Err(DbError::UnsupportedUrl(url.to_owned()));
    };
    let rest = rest.strip_prefix("//").unwrap_or(rest);
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    if path != ":memory:"
        && !path.is_empty()
        && let Some(parent) = Path::new(path).parent()
        && !parent.as_os_str().is_empty()
    {
        std::fs::create_dir_all(parent).map_err(|source| DbError::CreateDir {
            path: parent.display().to_string(),
            source,
        })?;
    }
    let query = if query.split('&').any(|p| p.starts_with("mode=")) {
        query.to_owned()
    } else if query.is_empty() {
        "mode=rwc".to_owned()
    } else {
        format!("{query}&mode=rwc")
    };
    Ok((Backend::Sqlite, format!("sqlite://{path}?{query}")))
}

/// A value bound to a dynamically built statement.
#[derive(Debug, Clone)]
pub(crate) enum Bind {
    Int(i64),
    Text(String),
}

/// Builds a WHERE clause with `$N` placeholders numbered in order.
#[derive(Debug, Default)]
pub(crate) struct Filter {
    clauses: Vec<String>,
    binds: Vec<Bind>,
}

impl Filter {
    /// Adds a condition; each `?` in `clause` becomes the next `$N`.
    pub(crate) fn push(&mut self, clause: &str, values: Vec<Bind>) {
        let mut out = String::with_capacity(clause.len() + 8);
        let mut values = values.into_iter();
        for ch in clause.chars() {
            if ch == '?' {
                if let Some(v) = values.next() {
                    self.binds.push(v);
                }
                out.push_str(&format!("${}", self.binds.len()));
            } else {
                out.push(ch);
            }
        }
        self.clauses.push(out);
    }

    /// ` WHERE a AND b`, or nothing when there are no conditions.
    pub(crate) fn where_sql(&self) -> String {
        if self.clauses.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", self.clauses.join(" AND "))
        }
    }

    /// The next placeholder number.
    pub(crate) fn next_placeholder(&self) -> usize {
        self.binds.len() + 1
    }

    /// The values, in placeholder order.
    pub(crate) fn binds(&self) -> &[Bind] {
        &self.binds
    }
}

/// Binds the filter values to a query in order.
pub(crate) fn bind_all<'q>(
    mut query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>,
    binds: &[Bind],
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments> {
    for bind in binds {
        query = match bind {
            Bind::Int(v) => query.bind(*v),
            Bind::Text(v) => query.bind(v.clone()),
        };
    }
    query
}

/// A LIKE pattern matching `text` anywhere, with `%`, `_` and `\` escaped.
pub(crate) fn contains_pattern(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('%');
    for ch in text.to_lowercase().chars() {
        if matches!(ch, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(ch);
    }
    out.push('%');
    out
}

/// `($1,$2),($3,$4)…` for a multi-row INSERT of `rows` rows of `per_row` values over
/// `conn`. SQLite gets `(?,?),(?,?)…`, the same values in the same order: SQLite finds a
/// numbered parameter's name by scanning all of them, so binding thousands of `$N` took
/// time in proportion to their square.
pub(crate) fn values_placeholders(
    conn: &sqlx::AnyConnection,
    rows: usize,
    per_row: usize,
) -> String {
    let numbered = conn.backend_name() != <sqlx::Sqlite as sqlx::Database>::NAME;
    (0..rows)
        .map(|r| {
            let cells: Vec<String> = (1..=per_row)
                .map(|c| match numbered {
                    true => format!("${}", r * per_row + c),
                    false => "?".to_owned(),
                })
                .collect();
            format!("({})", cells.join(","))
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// Whether an error says the database cannot take writes now (the disk is full, the
/// file is read-only, the server is in read-only mode): the service is unavailable, the
/// request was not wrong.
pub fn is_unwritable(error: &sqlx::Error) -> bool {
    let sqlx::Error::Database(db) = error else {
        return false;
    };
    let code = db.code().unwrap_or_default();
    // SQLite: SQLITE_FULL (13), SQLITE_READONLY (8) and its extended codes, SQLITE_IOERR
    // (10) and its extended codes. PostgreSQL: disk_full, read_only_sql_transaction,
    // insufficient_resources.
    let sqlite_primary = code.parse::<i64>().ok().map(|c| c & 0xff);
    matches!(sqlite_primary, Some(13 | 8 | 10))
        || matches!(code.as_ref(), "53100" | "25006" | "53000")
}

/// Whether a connection given back to the pool may be used again: it must hold no
/// transaction. SQLite rolls a whole transaction back by itself on some errors (a full
/// disk among them); the ROLLBACK that follows then fails and the connection is left
/// counting a transaction it no longer has. Used again, its next transaction would be a
/// savepoint that a "commit" only releases, so an acknowledged write would never be
/// committed. Such a connection is closed and a fresh one opened in its place.
async fn keeps_no_transaction(conn: &mut sqlx::AnyConnection) -> Result<bool, sqlx::Error> {
    // Runs after any rollback a dropped transaction queued on this connection.
    conn.ping().await?;
    if conn.is_in_transaction() {
        tracing::warn!("a connection that lost track of its transaction was closed");
        return Ok(false);
    }
    Ok(true)
}

/// Deletes every row of every table, children first.
pub async fn clear_all(tx: &mut sqlx::Transaction<'_, sqlx::Any>) -> Result<(), sqlx::Error> {
    for table in [
        "cycle_scores",
        "vote_codes",
        "hotline_signals",
        "proposals",
        "cycle_stages",
        "consultation_comments",
        "consultations",
        "letters",
        "votes",
        "topics",
        "cycles",
        "ratings",
        "issues",
        "categories",
        "events",
        "units",
        "districts",
        "rating_tags",
    ] {
        sqlx::query(sqlx::AssertSqlSafe(format!("DELETE FROM {table}")))
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_urls_ask_to_create_the_file() {
        let dir = std::env::temp_dir().join("omk-url-test");
        let url = format!("sqlite://{}/sub/x.db", dir.display());
        let (backend, prepared) = prepare_url(&url).unwrap_or((Backend::Postgres, String::new()));
        assert_eq!(backend, Backend::Sqlite);
        assert!(prepared.ends_with("x.db?mode=rwc"));
        assert!(dir.join("sub").is_dir());
        assert!(matches!(
            prepare_url("mysql://x"),
            Err(DbError::UnsupportedUrl(_))
        ));
    }

    #[test]
    fn filter_numbers_placeholders_in_order() {
        let mut f = Filter::default();
        f.push("unit = ?", vec![Bind::Text("a".into())]);
        f.push(
            "(x LIKE ? OR y LIKE ?)",
            vec![Bind::Text("p".into()), Bind::Text("p".into())],
        );
        assert_eq!(
            f.where_sql(),
            " WHERE unit = $1 AND (x LIKE $2 OR y LIKE $3)"
        );
        assert_eq!(f.next_placeholder(), 4);
    }

    #[test]
    fn like_patterns_escape_wildcards() {
        assert_eq!(contains_pattern("50%_a"), "%50\\%\\_a%");
    }
}
