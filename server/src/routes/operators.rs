//! `/admin/operators`: admins keep the operators' accounts (role, unit, active flag,
//! password). Passwords are stored as argon2id hashes; disabling an account or setting a
//! new password ends its sessions.

use axum::extract::{Path, State};
use axum::routing::{get, put};
use axum::{Json, Router};
use omk_api::operators::valid_login;
use omk_api::reference::List;
use omk_api::{AuditAction, FieldError, Operator, OperatorInput, Role, params};

use crate::auth::{Actor, password};
use crate::db;
use crate::db::audit::Record;
use crate::error::AppError;
use crate::extract::ApiJson;
use crate::openapi::{AdminRead, AdminWrite};
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

/// Checks an account as entered: the login, the fields, and the unit against the stored units.
pub async fn check(
    db_: &db::Db,
    login: &str,
    input: &OperatorInput,
) -> Result<Operator, Vec<FieldError>> {
    let mut errors = input.validate().err().unwrap_or_default();
    if !valid_login(login) {
        errors.insert(0, FieldError::new("login", "invalid_value"));
    }
    let unit = input
        .unit
        .as_deref()
        .map(str::trim)
        .filter(|u| !u.is_empty())
        .map(str::to_owned);
    if input.role == Role::Unit
        && let Some(unit) = &unit
        && !db::lists::is_active(db_, List::Units, unit)
            .await
            .unwrap_or(false)
    {
        errors.push(FieldError::new("unit", "invalid_value"));
    }
    if errors.is_empty() {
        Ok(Operator {
            login: login.to_owned(),
            role: input.role,
            unit,
            active: input.active,
        })
    } else {
        Err(errors)
    }
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
    let operator = check(&state.db, &login, &input)
        .await
        .map_err(AppError::Validation)?;
    let hash = match input.password {
        Some(password) => Some(password::hash_async(password).await?),
        None => None,
    };
    if !db::operators::put(&state.db, &operator, hash.as_deref(), state.clock.now()).await? {
        return Err(AppError::field("password", "required"));
    }
    let record = Record {
        actor: &actor.login,
        action: AuditAction::OperatorSaved,
        issue: None,
        detail: format!(
            "{} {}{}{}",
            operator.login,
            operator.role.as_str(),
            operator
                .unit
                .as_deref()
                .map(|u| format!(" {u}"))
                .unwrap_or_default(),
            if operator.active { "" } else { " disabled" }
        ),
    };
    db::audit::add(state.db.pool(), &record, state.clock.now()).await?;
    Ok(Json(operator))
}
