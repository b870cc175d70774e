//! Who is calling the admin API: an operator signed in with a session cookie (whose
//! writes must carry the session's CSRF token), or a script with the service bearer
//! token (acting as an admin). Handlers take the [`Actor`]; admin-only routes sit
//! behind [`require_admin`].

pub mod guard;
pub mod password;

use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use omk_api::operators::{CSRF_HEADER, SESSION_COOKIE};
use omk_api::{Operator, Role};
use sha2::{Digest, Sha256};

use crate::db;
use crate::error::AppError;
use crate::state::AppState;

/// The actor audit entries name for the service bearer token.
pub const TOKEN_ACTOR: &str = "token";
/// The actor of background jobs.
pub const SYSTEM_ACTOR: &str = "system";
/// The actor of `omk-server` commands.
pub const CLI_ACTOR: &str = "cli";
/// The actor of a submission from a kiosk or a web page.
pub const VISITOR_ACTOR: &str = "visitor";

/// The caller of an admin route.
#[derive(Debug, Clone)]
pub struct Actor {
    pub login: String,
    pub role: Role,
    /// A unit operator's unit.
    pub unit: Option<String>,
}

impl Actor {
    fn of(operator: Operator) -> Actor {
        Actor {
            login: operator.login,
            role: operator.role,
            unit: operator.unit,
        }
    }

    /// Whether this caller may work an issue routed to `unit`: admins every issue, unit
    /// operators their own unit's.
    pub fn may_work(&self, unit: Option<&str>) -> bool {
        match self.role {
            Role::Admin => true,
            Role::Unit => unit.is_some() && unit == self.unit.as_deref(),
        }
    }

    /// Refuses with 403 unless this caller may work an issue routed to `unit`.
    pub fn check_work(&self, unit: Option<&str>) -> Result<(), AppError> {
        if self.may_work(unit) {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Actor {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Actor>()
            .cloned()
            .ok_or(AppError::Unauthorized)
    }
}

/// The SHA-256 of a secret, hex: how tokens are compared and session cookies stored.
pub fn digest(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// The session cookie's value, if the request carries one.
pub fn session_cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value.to_owned())
        .filter(|v| !v.is_empty())
}

/// Whether a method changes state (and so needs the CSRF token with a cookie).
fn is_write(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Works out the [`Actor`] of every admin request, or refuses it: 401 without a valid
/// token or live session, 403 for a cookie-authenticated write without the CSRF token.
pub async fn authenticate(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    match actor_of(&state, request.headers(), request.method()).await {
        Ok(actor) => {
            request.extensions_mut().insert(actor);
            next.run(request).await
        }
        Err(error) => error.into_response(),
    }
}

async fn actor_of(
    state: &AppState,
    headers: &HeaderMap,
    method: &Method,
) -> Result<Actor, AppError> {
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    if let Some(given) = bearer {
        return match &state.config.admin_token {
            // Compare digests so the time taken says nothing about the token.
            Some(expected) if !expected.is_empty() && digest(expected) == digest(given) => {
                Ok(Actor {
                    login: TOKEN_ACTOR.into(),
                    role: Role::Admin,
                    unit: None,
                })
            }
            _ => Err(AppError::Unauthorized),
        };
    }
    let cookie = session_cookie(headers).ok_or(AppError::Unauthorized)?;
    let session = db::operators::session(&state.db, &digest(&cookie), state.clock.now())
        .await?
        .ok_or(AppError::Unauthorized)?;
    if is_write(method) {
        let given = headers
            .get(CSRF_HEADER)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        if digest(given) != digest(&session.csrf_token) {
            return Err(AppError::CsrfRejected);
        }
    }
    Ok(Actor::of(session.operator))
}

/// Refuses every caller but an admin with 403.
pub async fn require_admin(request: Request, next: Next) -> Response {
    match request.extensions().get::<Actor>() {
        Some(actor) if actor.role == Role::Admin => next.run(request).await,
        Some(_) => AppError::Forbidden.into_response(),
        None => AppError::Unauthorized.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn the_session_cookie_is_found_among_others() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("theme=dark; omk_session=abc123; x=y"),
        );
        assert_eq!(session_cookie(&headers).as_deref(), Some("abc123"));
        headers.insert(header::COOKIE, HeaderValue::from_static("omk_session="));
        assert_eq!(session_cookie(&headers), None);
    }

    #[test]
    fn a_unit_operator_works_only_their_units_issues() {
        let operator = Actor {
            login: "li".into(),
            role: Role::Unit,
            unit: Some("housing".into()),
        };
        assert!(operator.may_work(Some("housing")));
        assert!(!operator.may_work(Some("traffic")));
        assert!(!operator.may_work(None));
        let admin = Actor {
            role: Role::Admin,
            unit: None,
            ..operator
        };
        assert!(admin.may_work(None));
    }
}
