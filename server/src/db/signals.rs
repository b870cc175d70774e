//! SQL for the `hotline_signals` table: a month's 12345 hotline calls counted per category
//! and district (aggregates only, never a call).

use sqlx::{AnyConnection, Row};

/// One imported count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignalRow {
    pub category: String,
    pub district: String,
    pub count: i64,
}

/// Replaces `month`'s counts with `rows`.
pub async fn replace(
    conn: &mut AnyConnection,
    month: &str,
    rows: &[SignalRow],
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM hotline_signals WHERE month = $1")
        .bind(month.to_owned())
        .execute(&mut *conn)
        .await?;
    for row in rows {
        sqlx::query(
            "INSERT INTO hotline_signals (month, category, district, count) VALUES ($1, $2, $3, $4)",
        )
        .bind(month.to_owned())
        .bind(row.category.clone())
        .bind(row.district.clone())
        .bind(row.count)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// `month`'s calls per category, `(category, calls)`.
pub async fn by_category(
    conn: &mut AnyConnection,
    month: &str,
) -> Result<Vec<(String, i64)>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT category, CAST(SUM(count) AS BIGINT) AS n FROM hotline_signals WHERE month = $1 \
         GROUP BY category",
    )
    .bind(month.to_owned())
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| Ok((r.try_get("category")?, r.try_get("n")?)))
        .collect()
}
