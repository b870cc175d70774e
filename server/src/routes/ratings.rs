//! `/ratings`: a visitor's rating on the five-level scale; `/ratings/qr.svg` hands the
//! rating page to a phone.

use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::{get, post};
use omk_api::{List, NewRating, RatingReceipt, params};

use crate::commit::Write;

use crate::db;
use crate::db::ratings::RatingRow;
use crate::error::AppError;
use crate::extract::ApiJson;
use crate::idempotency::IdempotencyKey;
use crate::live::Change;
use crate::openapi::{PhoneLink, VisitorWrite};
use crate::public_url::PublicUrl;
use crate::qr;
use crate::state::AppState;

/// The rating routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/ratings", post(rate))
        .route("/ratings/qr.svg", get(qr_code))
}

/// A QR code of the widget's rating page, for a hall display's visitors' phones.
#[utoipa::path(get, path = "/api/v1/ratings/qr.svg", tag = "ratings", operation_id = "rate_qr_code",
    responses((status = 200, description = "A QR code (SVG) of `{public URL}/?view=rate`", content_type = "image/svg+xml", body = String),
        PhoneLink))]
pub(crate) async fn qr_code(public: PublicUrl) -> Result<Response, AppError> {
    let svg = qr::svg(&public.rate_page()).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(super::svg_response(svg))
}

/// Stores a rating; the unit, when given, must host an event.
#[utoipa::path(post, path = "/api/v1/ratings", tag = "ratings", request_body = NewRating,
    params(params::IdempotencyKey), responses((status = 201, body = RatingReceipt), VisitorWrite))]
pub(crate) async fn rate(
    State(state): State<AppState>,
    key: IdempotencyKey,
    ApiJson(rating): ApiJson<NewRating>,
) -> Result<Response, AppError> {
    rating.validate().map_err(AppError::Validation)?;
    if !rating.tags.is_empty() {
        let offered = db::lists::entries(&state.db, List::RatingTags, false).await?;
        if rating
            .tags
            .iter()
            .any(|tag| !offered.iter().any(|entry| entry.id == *tag))
        {
            return Err(AppError::field("tags", "unknown_tag"));
        }
    }
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
        created_at: state.clock.now(),
    };
    let committed = state
        .committer
        .submit(&key, "ratings", &rating, Write::Rating(row))
        .await?;
    if !committed.is_replay() {
        state.changed(Change::Metrics);
    }
    Ok(committed.into_response())
}
