//! `/ratings`: a visitor's rating on the five-level scale.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use axum::{Json, Router};
use omk_api::{NewRating, RatingReceipt};

use crate::db::ratings::RatingRow;
use crate::error::AppError;
use crate::extract::ApiJson;
use crate::live::Change;
use crate::state::AppState;
use crate::{clock, db};

/// The rating routes.
pub fn router() -> Router<AppState> {
    Router::new().route("/ratings", post(rate))
}

/// Stores a rating; the unit, when given, must host an event.
async fn rate(
    State(state): State<AppState>,
    ApiJson(rating): ApiJson<NewRating>,
) -> Result<(StatusCode, Json<RatingReceipt>), AppError> {
    rating.validate().map_err(AppError::Validation)?;
    let unit = rating
        .unit
        .as_deref()
        .map(str::trim)
        .filter(|u| !u.is_empty())
        .map(str::to_owned);
    if let Some(unit) = &unit
        && !db::events::unit_exists(&state.db, unit).await?
    {
        return Err(AppError::field("unit", "unknown_unit"));
    }
    let mut tags = rating.tags.clone();
    tags.sort();
    tags.dedup();
    let row = RatingRow {
        score: i64::from(rating.level.score()),
        tags: tags.join(","),
        unit,
        created_at: clock::now(),
    };
    let id = db::ratings::insert(&state.db, &row).await?;
    state.changed(Change::Metrics);
    Ok((
        StatusCode::CREATED,
        Json(RatingReceipt {
            id,
            created_at: row.created_at,
        }),
    ))
}
