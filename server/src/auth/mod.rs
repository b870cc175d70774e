//! Who is calling the admin API: an operator signed in with a session cookie (whose
//! writes must carry the session's CSRF token), or a script with the service bearer
//! token (acting as an admin). Handlers take the [`Actor`]; admin-only routes sit
//! behind [`require_admin`], read-only routes supervisors share behind [`require_reader`],
//! and the work on one issue asks [`Actor::may`]. A wrong token goes through the same
//! per-address back-off as a wrong password ([`guard`]); a wrong token, a write without the
//! CSRF token and a 403 from a role check are each written to the audit log (the method and
//! path, never a token or a body).

pub mod guard;
pub mod password;

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts, OriginalUri, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use omk_api::operators::{CSRF_HEADER, SESSION_COOKIE};
use omk_api::{AuditAction, Operator, Role};
use sha2::{Digest, Sha256};

use crate::client_addr::ClientKey;
use crate::clock::Clock;
use crate::db::audit::Record;
use crate::db::{self, Db};
use crate::error::AppError;
use crate::state::AppState;

use self::guard::{Refusal, TokenVerdict};

/// The actor audit entries name for the service bearer token.
pub const TOKEN_ACTOR: &str = "token";
/// The actor of background jobs.
pub const SYSTEM_ACTOR: &str = "system";
/// The actor of `omk-server` commands.
pub const CLI_ACTOR: &str = "cli";
/// The actor of a submission from a kiosk or a web page.
pub const VISITOR_ACTOR: &str = "visitor";
/// The actor of a failed sign-in with no such account, or of a wrong service token: what
/// was typed is never stored (it may be a password). No login can be spelt like this.
pub const UNKNOWN_ACTOR: &str = "(unknown)";

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

    /// Whether this caller may do `work` on something routed to `unit`: admins anything,
    /// unit operators anything of their own unit's, moderators read and moderate every
    /// unit's, supervisors only read.
    pub fn may(&self, work: Work, unit: Option<&str>) -> bool {
        let granted = match work {
            Work::Read => true,
            Work::Moderate => self.role.moderates(),
            Work::Act => self.role.acts(),
        };
        granted && (self.role.sees_every_unit() || unit.is_some() && unit == self.unit.as_deref())
    }
}

/// What a caller does to something a unit owns (an issue, and what later routes to units).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Work {
    /// Read it, without its contact details.
    Read,
    /// Hide or show its public text.
    Moderate,
    /// Move, route or answer it, or see its contact details.
    Act,
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

/// What a refused request tried, for its audit entry: the method and path, never the query
/// or the body.
pub fn attempted(method: &Method, path: &str) -> String {
    format!("{method} {path}")
}

/// The client of a request, as the rate limiter counts it.
pub fn client_of(state: &AppState, request: &Request) -> ClientKey {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0);
    ClientKey::of_request(
        request.headers(),
        peer,
        state.config.limits.trust_forwarded_for,
    )
}

/// Writes a refusal to the audit log; the refusal is answered only once it is recorded.
async fn audit_refusal(
    db: &Db,
    clock: &Clock,
    actor: &str,
    action: AuditAction,
    detail: String,
) -> Result<(), AppError> {
    let record = Record {
        actor,
        action,
        issue: None,
        detail,
    };
    db::audit::add(db.pool(), &record, clock.now()).await?;
    Ok(())
}

/// Where [`require_admin`] writes its refusals: put on the request by [`authenticate`].
#[derive(Debug, Clone)]
struct RefusalLog {
    db: Db,
    clock: Clock,
}

/// Works out the [`Actor`] of every admin request, or refuses it: 401 without a valid
/// token or live session (429 while the client backs off after wrong tokens or passwords),
/// 403 for a cookie-authenticated write without the CSRF token.
pub async fn authenticate(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let client = client_of(&state, &request);
    let path = request
        .extensions()
        .get::<OriginalUri>()
        .map_or_else(|| request.uri().path().to_owned(), |u| u.path().to_owned());
    let tried = attempted(request.method(), &path);
    match actor_of(&state, request.headers(), request.method(), client, tried).await {
        Ok(actor) => {
            request.extensions_mut().insert(actor);
            request.extensions_mut().insert(RefusalLog {
                db: state.db.clone(),
                clock: state.clock.clone(),
            });
            next.run(request).await
        }
        Err(error) => error.into_response(),
    }
}

async fn actor_of(
    state: &AppState,
    headers: &HeaderMap,
    method: &Method,
    client: ClientKey,
    tried: String,
) -> Result<Actor, AppError> {
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    if let Some(given) = bearer {
        let expected = state
            .config
            .operators
            .admin_token
            .as_deref()
            .unwrap_or_default();
        // Compare digests so the time taken says nothing about the token.
        let verdict = state.sign_in.token(client, || {
            !expected.is_empty() && digest(expected) == digest(given)
        });
        return match verdict {
            TokenVerdict::Accepted => Ok(Actor {
                login: TOKEN_ACTOR.into(),
                role: Role::Admin,
                unit: None,
            }),
            TokenVerdict::Wrong => {
                audit_refusal(
                    &state.db,
                    &state.clock,
                    UNKNOWN_ACTOR,
                    AuditAction::TokenRejected,
                    tried,
                )
                .await?;
                Err(AppError::Unauthorized)
            }
            TokenVerdict::Refused(Refusal::Wait(wait)) => Err(AppError::RateLimited(wait)),
            TokenVerdict::Refused(Refusal::Busy(wait)) => Err(AppError::Overloaded(wait)),
        };
    }
    let cookie = session_cookie(headers).ok_or(AppError::Unauthorized)?;
    let session = db::operators::session(&state.db, &digest(&cookie), state.clock.now())
        .await?
        .ok_or(AppError::Unauthorized)?;
    if is_write(method) && !csrf_matches(headers, &session.csrf_token) {
        audit_refusal(
            &state.db,
            &state.clock,
            &session.operator.login,
            AuditAction::CsrfRejected,
            tried,
        )
        .await?;
        return Err(AppError::CsrfRejected);
    }
    Ok(Actor::of(session.operator))
}

/// Whether the request's CSRF header carries `expected` (digests compared, so the time
/// taken says nothing about the token).
pub fn csrf_matches(headers: &HeaderMap, expected: &str) -> bool {
    let given = headers
        .get(CSRF_HEADER)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    digest(given) == digest(expected)
}

/// Refuses every caller but an admin with 403, writing the refusal to the audit log.
pub async fn require_admin(request: Request, next: Next) -> Response {
    require(&[Role::Admin], request, next).await
}

/// Refuses every caller but an admin or a supervisor with 403 (audited): the read-only
/// routes a supervisor shares with admins.
pub async fn require_reader(request: Request, next: Next) -> Response {
    require(&[Role::Admin, Role::Supervisor], request, next).await
}

/// Refuses every caller whose role is not in `roles` with 403, writing the refusal to the
/// audit log.
async fn require(roles: &[Role], request: Request, next: Next) -> Response {
    match request.extensions().get::<Actor>() {
        Some(actor) if roles.contains(&actor.role) => next.run(request).await,
        Some(actor) => {
            let Some(log) = request.extensions().get::<RefusalLog>() else {
                return AppError::Internal("no audit log for a refusal".into()).into_response();
            };
            let path = request
                .extensions()
                .get::<OriginalUri>()
                .map_or_else(|| request.uri().path().to_owned(), |u| u.path().to_owned());
            let tried = attempted(request.method(), &path);
            match audit_refusal(
                &log.db,
                &log.clock,
                &actor.login,
                AuditAction::Refused,
                tried,
            )
            .await
            {
                Ok(()) => AppError::Forbidden.into_response(),
                Err(error) => error.into_response(),
            }
        }
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
    fn each_role_does_what_it_may_and_nothing_more() {
        let operator = Actor {
            login: "li".into(),
            role: Role::Unit,
            unit: Some("housing".into()),
        };
        for work in [Work::Read, Work::Moderate, Work::Act] {
            assert!(operator.may(work, Some("housing")));
            assert!(!operator.may(work, Some("traffic")));
            assert!(!operator.may(work, None));
        }
        let as_role = |role| Actor {
            role,
            unit: None,
            ..operator.clone()
        };
        let table = [
            (Role::Admin, [true, true, true]),
            (Role::Moderator, [true, true, false]),
            (Role::Supervisor, [true, false, false]),
        ];
        for (role, allowed) in table {
            let actor = as_role(role);
            for (work, allowed) in [Work::Read, Work::Moderate, Work::Act]
                .into_iter()
                .zip(allowed)
            {
                assert_eq!(
                    actor.may(work, Some("traffic")),
                    allowed,
                    "{role:?} {work:?}"
                );
                assert_eq!(actor.may(work, None), allowed, "{role:?} {work:?}");
            }
        }
    }
}
