//! `/events`: the open-month program, one event, and the filter facets.

use axum::extract::{Path, State};
use axum::routing::get;
use axum::{Json, Router};
use omk_api::{Event, EventFacets, EventPage, EventQuery};

use crate::db;
use crate::error::AppError;
use crate::extract::ApiQuery;
use crate::state::AppState;

/// The event routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/events", get(list))
        .route("/events/facets", get(facets))
        .route("/events/{id}", get(one))
}

/// A page of events matching the filters, ordered by start.
#[utoipa::path(get, path = "/api/v1/events", tag = "events", params(omk_api::EventQuery),
    responses((status = 200, body = omk_api::EventPage), (status = 400, body = omk_api::Problem, content_type = "application/problem+json")))]
pub(crate) async fn list(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<EventQuery>,
) -> Result<Json<EventPage>, AppError> {
    let (items, total) = db::events::list(&state.db, &query).await?;
    Ok(Json(EventPage {
        items,
        total,
        page: query.page(),
        per_page: query.per_page(),
    }))
}

/// One event by id.
#[utoipa::path(get, path = "/api/v1/events/{id}", tag = "events", params(("id" = i64, Path)),
    responses((status = 200, body = omk_api::Event), (status = 404, body = omk_api::Problem, content_type = "application/problem+json")))]
pub(crate) async fn one(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Event>, AppError> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    db::events::get(&state.db, id)
        .await?
        .map(Json)
        .ok_or(AppError::NotFound)
}

/// The distinct units, districts and themes.
#[utoipa::path(get, path = "/api/v1/events/facets", tag = "events",
    responses((status = 200, body = omk_api::EventFacets)))]
pub(crate) async fn facets(State(state): State<AppState>) -> Result<Json<EventFacets>, AppError> {
    Ok(Json(db::events::facets(&state.db).await?))
}
