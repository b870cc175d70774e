//! The operators' accounts: one created, or its role, unit, active flag and password
//! replaced (a disabled account's or a new password's sessions end), written to the audit
//! log without the password.

use omk_api::operators::valid_login;
use omk_api::{AuditAction, FieldError, List, Operator, OperatorInput, Role};

use super::{OpError, Ops, check, given};
use crate::auth::{Actor, password};
use crate::db;

/// Checks an account as entered: the login, the fields, and the unit against the stored units.
async fn checked(ops: Ops<'_>, login: &str, input: &OperatorInput) -> Result<Operator, OpError> {
    let mut errors = input.validate().err().unwrap_or_default();
    if !valid_login(login) {
        errors.insert(0, FieldError::new("login", "invalid_value"));
    }
    let unit = given(input.unit.as_deref());
    if input.role == Role::Unit
        && let Some(unit) = &unit
        && !db::lists::is_active(ops.db.pool(), List::Units, unit).await?
    {
        errors.push(FieldError::new("unit", "invalid_value"));
    }
    check(errors)?;
    Ok(Operator {
        login: login.to_owned(),
        role: input.role,
        unit,
        active: input.active,
    })
}

/// Creates the account `login` or replaces it; a new account needs a password (422 on
/// `password` without one).
pub async fn save(
    ops: Ops<'_>,
    actor: &Actor,
    login: &str,
    input: OperatorInput,
) -> Result<Operator, OpError> {
    let operator = checked(ops, login, &input).await?;
    let hash = match input.password {
        Some(password) => Some(
            password::hash_async(password)
                .await
                .map_err(|e| OpError::Internal(e.to_string()))?,
        ),
        None => None,
    };
    if !db::operators::put(ops.db, &operator, hash.as_deref(), ops.clock.now()).await? {
        return Err(OpError::field("password", "required"));
    }
    let detail = format!(
        "{} {}{}{}",
        operator.login,
        operator.role.as_str(),
        operator
            .unit
            .as_deref()
            .map(|u| format!(" {u}"))
            .unwrap_or_default(),
        if operator.active { "" } else { " disabled" }
    );
    ops.done(actor, AuditAction::OperatorSaved, detail, None)
        .await?;
    Ok(operator)
}
