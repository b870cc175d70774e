//! SQL for visitors' evaluations of a month's result (`evaluations`): one row each, and the
//! counts and star sum the public figure is computed from.

use omk_api::outcome::mean_of;
use omk_api::{EvaluationFigure, EvaluationOutcome};
use sqlx::{AnyConnection, Row};

/// Stores one evaluation.
pub async fn insert(
    conn: &mut AnyConnection,
    month: &str,
    outcome: EvaluationOutcome,
    stars: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO evaluations (month, outcome, stars, created_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(month.to_owned())
    .bind(outcome.as_str())
    .bind(stars)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The public figure of `month`'s evaluations: counts per outcome and the mean of the stars.
pub async fn figure(
    conn: &mut AnyConnection,
    month: &str,
) -> Result<EvaluationFigure, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT outcome, COUNT(*) AS n, CAST(SUM(stars) AS BIGINT) AS stars FROM evaluations WHERE month = $1 \
         GROUP BY outcome",
    )
    .bind(month.to_owned())
    .fetch_all(&mut *conn)
    .await?;
    let mut figure = EvaluationFigure::default();
    let mut stars = 0_i64;
    for row in rows {
        let n: i64 = row.try_get("n")?;
        stars += row.try_get::<i64, _>("stars")?;
        figure.n += n;
        match EvaluationOutcome::parse(&row.try_get::<String, _>("outcome")?) {
            Some(EvaluationOutcome::Solved) => figure.solved += n,
            Some(EvaluationOutcome::Partly) => figure.partly += n,
            Some(EvaluationOutcome::NotSolved) => figure.not_solved += n,
            None => {}
        }
    }
    figure.mean_stars = mean_of(stars, figure.n);
    Ok(figure)
}
