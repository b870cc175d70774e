//! `/categories`: the issue categories a visitor chooses from.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use omk_api::Category;

use crate::db;
use crate::error::AppError;
use crate::openapi::Read;
use crate::state::AppState;

/// The category routes.
pub fn router() -> Router<AppState> {
    Router::new().route("/categories", get(list))
}

/// Every category, in display order.
#[utoipa::path(get, path = "/api/v1/categories", tag = "issues", operation_id = "list_categories",
    responses((status = 200, body = Vec<Category>), Read))]
pub(crate) async fn list(State(state): State<AppState>) -> Result<Json<Vec<Category>>, AppError> {
    Ok(Json(db::categories::list(&state.db).await?))
}
