//! `/admin/categories`: the reference data operators keep, here the issue categories.
//! Behind the admin token (mounted by [`super::admin::router`]).

use axum::extract::{Path, State};
use axum::routing::{get, put};
use axum::{Json, Router};
use omk_api::reference::valid_category_id;
use omk_api::{AdminCategory, CategoryInput};

use crate::db;
use crate::error::AppError;
use crate::extract::ApiJson;
use crate::state::AppState;

/// The reference-data routes, relative to `/admin`.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/categories", get(list_categories))
        .route("/categories/{id}", put(put_category))
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
    if !valid_category_id(&id) {
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
