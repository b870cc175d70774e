//! `/cycle` and `/cycles`: the month's public cycle as everyone sees it (kiosk, phone,
//! host page), the archive of every month's cycle, and visitors' writes on a cycle.

use axum::extract::{Path, State};
use axum::routing::get;
use axum::{Json, Router};
use omk_api::{CycleSummary, CycleView, Month, cycle::CycleMonth};

use crate::error::AppError;
use crate::openapi::{Lookup, Read};
use crate::ops::Ops;
use crate::ops::cycle::view;
use crate::state::AppState;

/// The public cycle routes, relative to `/api/v1`.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/cycle", get(current))
        .route("/cycles", get(archive))
        .route("/cycles/{month}", get(one))
}

/// The month in a path; 404 for anything that is not `YYYY-MM`.
pub(crate) fn month_in(path: &str) -> Result<Month, AppError> {
    Month::parse(path).ok_or(AppError::NotFound)
}

/// The current cycle: the one of the server's current month (UTC+8) if there is one, else
/// the latest one not closed; 404 when there is none.
#[utoipa::path(get, path = "/api/v1/cycle", tag = "cycle", operation_id = "current_cycle",
    responses((status = 200, body = CycleView), Lookup))]
pub(crate) async fn current(State(state): State<AppState>) -> Result<Json<CycleView>, AppError> {
    let found = view::current(Ops::of(&state)).await?;
    found.map(Json).ok_or(AppError::NotFound)
}

/// Every month's cycle, newest month first: the archive.
#[utoipa::path(get, path = "/api/v1/cycles", tag = "cycle", operation_id = "list_cycles",
    responses((status = 200, body = Vec<CycleSummary>), Read))]
pub(crate) async fn archive(
    State(state): State<AppState>,
) -> Result<Json<Vec<CycleSummary>>, AppError> {
    Ok(Json(view::archive(Ops::of(&state)).await?))
}

/// One month's cycle; 404 for a month without one.
#[utoipa::path(get, path = "/api/v1/cycles/{month}", tag = "cycle", operation_id = "cycle",
    params(CycleMonth), responses((status = 200, body = CycleView), Lookup))]
pub(crate) async fn one(
    State(state): State<AppState>,
    Path(month): Path<String>,
) -> Result<Json<CycleView>, AppError> {
    let month = month_in(&month)?;
    let found = view::of(Ops::of(&state), month).await?;
    found.map(Json).ok_or(AppError::NotFound)
}
