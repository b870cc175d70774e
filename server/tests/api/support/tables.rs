//! What a test's database stores, read generically from the database's own catalog and
//! rows (no typed API answer in between): for checking that nothing changed, or that a
//! value is stored nowhere.

use omk_server::db::Backend;
use sqlx::{Column, Row};

use super::TestApp;

/// The names of the app's tables, sorted: every table of the database but the engine's
/// and sqlx's own bookkeeping (`sqlite_sequence`, `_sqlx_migrations`).
pub async fn table_names(app: &TestApp) -> Vec<String> {
    let sql = match app.state.db.backend() {
        Backend::Sqlite => {
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        }
        Backend::Postgres => {
            "SELECT CAST(tablename AS TEXT) AS name FROM pg_tables \
             WHERE schemaname = current_schema()"
        }
    };
    let rows = sqlx::query(sql)
        .fetch_all(app.state.db.pool())
        .await
        .expect("table names");
    let mut names: Vec<String> = rows
        .iter()
        .map(|r| r.try_get::<String, _>("name").expect("a name"))
        .filter(|name| name != "_sqlx_migrations")
        .collect();
    names.sort();
    names
}

/// Every row of `table`, each as text with its columns by name, sorted. Text is shown
/// whole (so a search finds what it holds); bytes that are not UTF-8 as bytes.
pub async fn table_rows(app: &TestApp, table: &str) -> Vec<String> {
    let sql = format!("SELECT * FROM {table}");
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .fetch_all(app.state.db.pool())
        .await
        .unwrap_or_else(|e| panic!("cannot read {table}: {e}"));
    let mut text: Vec<String> = rows
        .iter()
        .map(|row| {
            row.columns()
                .iter()
                .map(|column| {
                    let i = column.ordinal();
                    let value = row
                        .try_get::<Option<i64>, _>(i)
                        .map(|v| format!("{v:?}"))
                        .or_else(|_| {
                            row.try_get::<Option<String>, _>(i)
                                .map(|v| format!("{v:?}"))
                        })
                        .or_else(|_| row.try_get::<Option<f64>, _>(i).map(|v| format!("{v:?}")))
                        .or_else(|_| row.try_get::<Option<bool>, _>(i).map(|v| format!("{v:?}")))
                        .or_else(|_| {
                            row.try_get::<Option<Vec<u8>>, _>(i).map(|v| {
                                format!(
                                    "{:?}",
                                    v.map(|b| String::from_utf8(b).map_err(|e| e.into_bytes()))
                                )
                            })
                        })
                        .unwrap_or_else(|e| panic!("{table}.{}: {e}", column.name()));
                    format!("{}={value}", column.name())
                })
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    text.sort();
    text
}

/// Every table of the app with its rows (see [`table_names`] and [`table_rows`]).
pub async fn stored_rows(app: &TestApp) -> Vec<(String, Vec<String>)> {
    let mut all = Vec::new();
    for table in table_names(app).await {
        let rows = table_rows(app, &table).await;
        all.push((table, rows));
    }
    all
}
