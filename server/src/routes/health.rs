//! `/healthz` and `/readyz`: liveness and readiness for load balancers.

use axum::Router;
use axum::extract::State;
use axum::routing::get;

use crate::error::AppError;
use crate::openapi::Read;
use crate::state::AppState;

/// The health routes, mounted at the root.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
}

/// 200 while the process serves requests.
#[utoipa::path(get, path = "/healthz", tag = "health",
    responses((status = 200, body = String, content_type = "text/plain"), Read))]
pub(crate) async fn healthz() -> &'static str {
    "ok"
}

/// 200 when the database answers and can take a write, 503 otherwise (a full disk, a
/// read-only file).
#[utoipa::path(get, path = "/readyz", tag = "health",
    responses((status = 200, body = String, content_type = "text/plain"), Read))]
pub(crate) async fn readyz(State(state): State<AppState>) -> Result<&'static str, AppError> {
    state
        .db
        .ping()
        .await
        .map_err(|e| AppError::Unavailable(format!("database: {e}")))?;
    state
        .db
        .probe_write()
        .await
        .map_err(|e| AppError::Unavailable(format!("database cannot be written: {e}")))?;
    Ok("ready")
}
