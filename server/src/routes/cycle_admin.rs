//! `/admin/cycles`: the admins' work on the month's cycle (`ops::cycle`): creating a cycle
//! with its plan and moving it to its next stage.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::post;
use axum::{Json, Router};
use omk_api::{CycleInput, CycleView, StageMove, cycle::CycleMonth};

use super::cycle::month_in;
use crate::auth::Actor;
use crate::error::AppError;
use crate::extract::ApiJson;
use crate::openapi::{CycleCreate, StageChange};
use crate::ops::{Ops, cycle};
use crate::state::AppState;

/// The admins' cycle routes, relative to `/admin` (behind `require_admin`).
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/cycles", post(create))
        .route("/cycles/{month}/stage", post(advance))
}

/// Creates a month's cycle with the day planned for each stage; it starts at `soliciting`.
#[utoipa::path(post, path = "/api/v1/admin/cycles", tag = "admin", request_body = CycleInput,
    responses((status = 201, body = CycleView), CycleCreate))]
pub(crate) async fn create(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(input): ApiJson<CycleInput>,
) -> Result<(StatusCode, Json<CycleView>), AppError> {
    let view = cycle::create(Ops::of(&state), &actor, &input).await?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// Moves a month's cycle to its next stage (never back, never skipping one), once that
/// stage's requirements are met: `voting` needs at least two candidates and the weights,
/// `meeting` a chosen candidate.
#[utoipa::path(post, path = "/api/v1/admin/cycles/{month}/stage", tag = "admin",
    params(CycleMonth), request_body = StageMove,
    responses((status = 200, body = CycleView), StageChange))]
pub(crate) async fn advance(
    State(state): State<AppState>,
    actor: Actor,
    Path(month): Path<String>,
    ApiJson(step): ApiJson<StageMove>,
) -> Result<Json<CycleView>, AppError> {
    let month = month_in(&month)?;
    let view = cycle::advance(Ops::of(&state), &actor, month, &step).await?;
    Ok(Json(view))
}
