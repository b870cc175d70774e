//! `/admin/categories` and `/admin/topics`: the reference data operators keep. Behind the
//! admin token (mounted by [`super::admin::router`]).

use axum::extract::{Path, State};
use axum::routing::{get, put};
use axum::{Json, Router};
use omk_api::reference::valid_slug;
use omk_api::{AdminCategory, CategoryInput, Topic, TopicInput};

use crate::db;
use crate::error::AppError;
use crate::extract::ApiJson;
use crate::live::Change;
use crate::state::AppState;

/// The reference-data routes, relative to `/admin`.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/categories", get(list_categories))
        .route("/categories/{id}", put(put_category))
        .route("/topics/{id}", put(put_topic))
}

/// Every category, retired ones included.
#[utoipa::path(get, path = "/api/v1/admin/categories", tag = "admin", security(("bearer" = [])),
    responses((status = 200, body = Vec<AdminCategory>),
        (status = 401, body = omk_api::Problem, content_type = "application/problem+json")))]
pub(crate) async fn list_categories(
    State(state): State<AppState>,
) -> Result<Json<Vec<AdminCategory>>, AppError> {
    Ok(Json(db::categories::list_all(&state.db).await?))
}

/// Creates the category `id` or replaces it; `active: false` retires it (visitors no longer
/// see it, and issues filed under it keep it).
#[utoipa::path(put, path = "/api/v1/admin/categories/{id}", tag = "admin", security(("bearer" = [])),
    params(("id" = String, Path, description = "A slug: lower-case letters, digits, - and _, starting with a letter")),
    request_body = CategoryInput,
    responses((status = 200, body = AdminCategory),
        (status = 401, body = omk_api::Problem, content_type = "application/problem+json"),
        (status = 422, body = omk_api::Problem, content_type = "application/problem+json")))]
pub(crate) async fn put_category(
    State(state): State<AppState>,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<CategoryInput>,
) -> Result<Json<AdminCategory>, AppError> {
    if !valid_slug(&id) {
        return Err(AppError::field("id", "invalid_value"));
    }
    input.validate().map_err(AppError::Validation)?;
    db::categories::put(&state.db, &id, &input).await?;
    Ok(Json(AdminCategory {
        id,
        name_zh: input.name_zh.trim().to_owned(),
        name_en: input.name_en.trim().to_owned(),
        position: input.position,
        active: input.active,
    }))
}

/// Creates the topic `id` or replaces it; `open: false` closes its voting, `true` opens it.
/// Answers with the topic and its tally.
#[utoipa::path(put, path = "/api/v1/admin/topics/{id}", tag = "admin", security(("bearer" = [])),
    params(("id" = String, Path, description = "A slug: lower-case letters, digits, - and _, starting with a letter")),
    request_body = TopicInput,
    responses((status = 200, body = Topic),
        (status = 401, body = omk_api::Problem, content_type = "application/problem+json"),
        (status = 422, body = omk_api::Problem, content_type = "application/problem+json")))]
pub(crate) async fn put_topic(
    State(state): State<AppState>,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<TopicInput>,
) -> Result<Json<Topic>, AppError> {
    if !valid_slug(&id) {
        return Err(AppError::field("id", "invalid_value"));
    }
    input.validate().map_err(AppError::Validation)?;
    db::topics::put(&state.db, &id, &input).await?;
    state.changed(Change::Topics);
    let topics = db::topics::list(&state.db).await?;
    topics
        .into_iter()
        .find(|t| t.id == id)
        .map(Json)
        .ok_or_else(|| AppError::Internal("a stored topic was not found".into()))
}
