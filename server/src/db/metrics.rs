//! SQL for the live figures: every count behind `Metrics`, read from stored rows.

use omk_api::metrics::rate;
use omk_api::{DayPoint, Metrics, UnitScore};
use sqlx::{AssertSqlSafe, Row};

use super::{Backend, Db};
use crate::clock;

/// A connection inside the read transaction every figure of one snapshot is read in.
type Reader = sqlx::AnyConnection;

/// How many local days the trend covers.
pub const TREND_DAYS: i64 = 30;

/// Computes every figure as of `now` (Unix seconds), all read from one snapshot of the
/// database: figures read one statement at a time could each see a different set of rows
/// (PostgreSQL's READ COMMITTED gives each statement its own), so a headline could count a
/// rating that today's point of the trend does not.
pub async fn snapshot(db: &Db, now: i64) -> Result<Metrics, sqlx::Error> {
    let mut tx = db.pool().begin().await?;
    if db.backend() == Backend::Postgres {
        sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            .execute(&mut *tx)
            .await?;
    }
    // SQLite (WAL) keeps the snapshot its first read takes until the transaction ends.
    let metrics = read_snapshot(&mut tx, now).await;
    tx.rollback().await?;
    metrics
}

async fn read_snapshot(tx: &mut Reader, now: i64) -> Result<Metrics, sqlx::Error> {
    let issues = sqlx::query(
        "SELECT COUNT(*) AS collected, \
         CAST(COALESCE(SUM(CASE WHEN status <> 'received' THEN 1 ELSE 0 END), 0) AS BIGINT) AS responded, \
         CAST(COALESCE(SUM(CASE WHEN status = 'resolved' THEN 1 ELSE 0 END), 0) AS BIGINT) AS solved \
         FROM issues",
    )
    .fetch_one(&mut *tx)
    .await?;
    let collected: i64 = issues.try_get("collected")?;
    let responded: i64 = issues.try_get("responded")?;
    let solved: i64 = issues.try_get("solved")?;

    let today = clock::local_day(now);
    let ratings = sqlx::query(
        "SELECT COUNT(*) AS total, \
         CAST(COALESCE(SUM(CASE WHEN score >= 4 THEN 1 ELSE 0 END), 0) AS BIGINT) AS satisfied, \
         CAST(COALESCE(SUM(CASE WHEN score <= 2 THEN 1 ELSE 0 END), 0) AS BIGINT) AS bad, \
         CAST(COALESCE(SUM(CASE WHEN created_at >= $1 THEN 1 ELSE 0 END), 0) AS BIGINT) AS today \
         FROM ratings",
    )
    .bind(clock::local_day_start(today))
    .fetch_one(&mut *tx)
    .await?;
    let total: i64 = ratings.try_get("total")?;
    let satisfied: i64 = ratings.try_get("satisfied")?;
    let bad: i64 = ratings.try_get("bad")?;
    let ratings_today: i64 = ratings.try_get("today")?;

    Ok(Metrics {
        satisfaction_rate: rate(satisfied, total),
        bad_review_rate: rate(bad, total),
        response_rate: rate(responded, collected),
        resolution_rate: rate(solved, collected),
        issues_collected: collected,
        issues_solved: solved,
        ratings_total: total,
        ratings_today,
        ratings_satisfied: satisfied,
        ratings_bad: bad,
        issues_responded: responded,
        ranking: ranking(tx).await?,
        trend: trend(tx, today).await?,
        as_of: now,
    })
}

/// Units that have ratings, by satisfaction (best first), then by ratings and name.
async fn ranking(tx: &mut Reader) -> Result<Vec<UnitScore>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT unit, COUNT(*) AS ratings, \
         CAST(SUM(CASE WHEN score >= 4 THEN 1 ELSE 0 END) AS BIGINT) AS satisfied \
         FROM ratings WHERE unit IS NOT NULL GROUP BY unit",
    )
    .fetch_all(&mut *tx)
    .await?;
    let mut scores = rows
        .iter()
        .map(|r| {
            let ratings: i64 = r.try_get("ratings")?;
            let satisfied: i64 = r.try_get("satisfied")?;
            Ok(UnitScore {
                unit: r.try_get("unit")?,
                ratings,
                satisfaction_rate: rate(satisfied, ratings).unwrap_or(0.0),
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    scores.sort_by(|a, b| {
        b.satisfaction_rate
            .total_cmp(&a.satisfaction_rate)
            .then(b.ratings.cmp(&a.ratings))
            .then(a.unit.cmp(&b.unit))
    });
    Ok(scores)
}

/// One point per local day for the last `TREND_DAYS` days up to `today`.
async fn trend(tx: &mut Reader, today: i64) -> Result<Vec<DayPoint>, sqlx::Error> {
    let first = today - (TREND_DAYS - 1);
    // The offset and day length are constants of the service, not input.
    let day_expr = format!("(created_at + {}) / {}", clock::LOCAL_OFFSET, clock::DAY);
    let sql = format!(
        "SELECT {day_expr} AS day, COUNT(*) AS ratings, \
         CAST(SUM(CASE WHEN score >= 4 THEN 1 ELSE 0 END) AS BIGINT) AS satisfied \
         FROM ratings WHERE created_at >= $1 GROUP BY {day_expr}"
    );
    let rows = sqlx::query(AssertSqlSafe(sql))
        .bind(clock::local_day_start(first))
        .fetch_all(&mut *tx)
        .await?;
    let mut per_day = std::collections::HashMap::new();
    for r in &rows {
        let day: i64 = r.try_get("day")?;
        let ratings: i64 = r.try_get("ratings")?;
        let satisfied: i64 = r.try_get("satisfied")?;
        per_day.insert(day, (ratings, satisfied));
    }
    Ok((first..=today)
        .map(|day| {
            let (ratings, satisfied) = per_day.get(&day).copied().unwrap_or((0, 0));
            DayPoint {
                day: clock::format_day(day),
                ratings,
                satisfaction_rate: rate(satisfied, ratings),
            }
        })
        .collect())
}

/// How issues stand grouped by `unit` or by `category`, only those of `unit` when given;
/// `cutoffs` are the latest submission times past the accept and the resolve deadline now.
async fn grouped(
    db: &Db,
    column: &'static str,
    cutoffs: (i64, i64),
    unit: Option<&str>,
) -> Result<Vec<omk_api::BreakdownRow>, sqlx::Error> {
    let only = if unit.is_some() {
        " WHERE unit = $3"
    } else {
        ""
    };
    let sql = format!(
        "SELECT {column} AS id, COUNT(*) AS issues, \
         CAST(SUM(CASE WHEN status <> 'received' THEN 1 ELSE 0 END) AS BIGINT) AS responded, \
         CAST(SUM(CASE WHEN status = 'resolved' THEN 1 ELSE 0 END) AS BIGINT) AS resolved, \
         CAST(SUM(CASE WHEN (status = 'received' AND created_at <= $1) \
             OR (status NOT IN ('resolved', 'closed') AND created_at <= $2) \
             THEN 1 ELSE 0 END) AS BIGINT) AS overdue \
         FROM issues{only} GROUP BY {column} ORDER BY {column}"
    );
    let mut query = sqlx::query(AssertSqlSafe(sql))
        .bind(cutoffs.0)
        .bind(cutoffs.1);
    if let Some(unit) = unit {
        query = query.bind(unit.to_owned());
    }
    let rows = query.fetch_all(db.pool()).await?;
    rows.iter()
        .map(|r| {
            Ok(omk_api::BreakdownRow {
                id: r.try_get("id")?,
                issues: r.try_get("issues")?,
                responded: r.try_get("responded")?,
                resolved: r.try_get("resolved")?,
                overdue: r.try_get("overdue")?,
            })
        })
        .collect()
}

/// The issues split by unit and by category: all of them, or only those routed to `unit`.
pub async fn breakdown(
    db: &Db,
    cutoffs: (i64, i64),
    unit: Option<&str>,
) -> Result<omk_api::Breakdown, sqlx::Error> {
    Ok(omk_api::Breakdown {
        by_unit: grouped(db, "unit", cutoffs, unit).await?,
        by_category: grouped(db, "category", cutoffs, unit).await?,
    })
}
