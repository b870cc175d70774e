//! `/admin/operators`: admins keep the operators' accounts (role, unit, active flag,
//! password). Passwords are stored as argon2id hashes; disabling an account or setting a
//! new password ends its sessions.

use axum::extract::{Path, State};
use axum::routing::{get, put};
use axum::{Json, Router};
use omk_api::{Operator, OperatorInput, params};

use crate::auth::Actor;
use crate::db;
use crate::error::AppError;
use crate::extract::ApiJson;
use crate::openapi::{AdminRead, AdminWrite};
use crate::ops::{Ops, operators};
use crate::state::AppState;

/// The account routes, relative to `/admin` (admins only).
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/operators", get(list))
        .route("/operators/{login}", put(save))
}

/// Every account, by login (never a password hash).
#[utoipa::path(get, path = "/api/v1/admin/operators", tag = "admin", operation_id = "list_operators",
    responses((status = 200, body = Vec<Operator>), AdminRead))]
pub(crate) async fn list(State(state): State<AppState>) -> Result<Json<Vec<Operator>>, AppError> {
    Ok(Json(db::operators::list(&state.db).await?))
}

/// Creates the account `login` or replaces its role, unit and active flag, and its password
/// when one is given (required for a new account).
#[utoipa::path(put, path = "/api/v1/admin/operators/{login}", tag = "admin", params(params::Login),
    request_body = OperatorInput, responses((status = 200, body = Operator), AdminWrite))]
pub(crate) async fn save(
    State(state): State<AppState>,
    actor: Actor,
    Path(login): Path<String>,
    ApiJson(input): ApiJson<OperatorInput>,
) -> Result<Json<Operator>, AppError> {
    let operator = operators::save(Ops::of(&state), &actor, &login, input).await?;
    Ok(Json(operator))
}
