//! `/session`: an operator signs in (a session cookie, HttpOnly and SameSite=Strict, and
//! a CSRF token for writes), asks who is signed in, and signs out.

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use omk_api::operators::SESSION_COOKIE;
use omk_api::{AuditAction, Session, SignIn, params};

use crate::auth::guard::Refusal;
use crate::auth::{self, digest, password};
use crate::client_addr::Client;
use crate::db;
use crate::db::audit::Record;
use crate::error::AppError;
use crate::extract::ApiJson;
use crate::openapi::{self, SessionRead, SignOut};
use crate::state::AppState;

/// The session routes.
pub fn router() -> Router<AppState> {
    Router::new().route("/session", post(sign_in).get(current).delete(sign_out))
}

/// The answer to an attempt the guard does not let through.
fn refusal(refusal: Refusal) -> AppError {
    match refusal {
        Refusal::Wait(seconds) => AppError::RateLimited(seconds),
        Refusal::Busy(seconds) => AppError::Overloaded(seconds),
    }
}

/// A fresh random secret: 32 bytes, hex.
fn secret() -> Result<String, AppError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| AppError::Internal(format!("no randomness: {e}")))?;
    Ok(hex::encode(bytes))
}

/// The `Set-Cookie` value of a session: `Secure` when the public address is https.
fn set_cookie(state: &AppState, value: &str, max_age: i64) -> Result<HeaderValue, AppError> {
    let secure = state
        .config
        .web
        .public_url
        .as_ref()
        .is_some_and(|u| u.as_str().starts_with("https://"));
    let text = format!(
        "{SESSION_COOKIE}={value}; Path=/api/v1; HttpOnly; SameSite=Strict; Max-Age={max_age}{}",
        if secure { "; Secure" } else { "" }
    );
    HeaderValue::from_str(&text).map_err(|e| AppError::Internal(format!("cookie: {e}")))
}

/// Signs an operator in. Wrong credentials get 401 (the same for an unknown login). After a
/// few failures from one client, or for one account from a client that has itself failed,
/// every attempt waits, doubling each time (429 with `Retry-After`), whatever the password
/// (see [`crate::auth::guard`]); when too many passwords are being checked at once, 503
/// with `Retry-After`. A failure is audited under the account's login, or `(unknown)`:
/// never what was typed.
#[utoipa::path(post, path = "/api/v1/session", tag = "operators", request_body = SignIn,
    responses((status = 200, body = Session, description = "Signed in; the session cookie is set"), openapi::SignIn))]
pub(crate) async fn sign_in(
    State(state): State<AppState>,
    Client(client): Client,
    ApiJson(sign_in): ApiJson<SignIn>,
) -> Result<Response, AppError> {
    let login = sign_in.login.trim().to_owned();
    if login.is_empty()
        || login.chars().count() > SignIn::LOGIN_MAX
        || sign_in.password.chars().count() > SignIn::PASSWORD_MAX
    {
        return Err(AppError::field("login", "invalid_value"));
    }
    state
        .sign_in
        .check_client(client)
        .map_err(AppError::RateLimited)?;
    let account = db::operators::credentials(&state.db, &login).await?;
    let known = account.as_ref().map(|a| a.operator.login.clone());
    let attempt = state
        .sign_in
        .attempt(client, known.as_deref())
        .map_err(refusal)?;
    let slot = match state.sign_in.verify_slot() {
        Ok(slot) => slot,
        Err(busy) => {
            attempt.withdraw();
            return Err(refusal(busy));
        }
    };
    let matches = password::verify(
        sign_in.password,
        account.as_ref().map(|a| a.password_hash.clone()),
    )
    .await?;
    drop(slot);
    let now = state.clock.now();
    let account = match account {
        Some(account) if matches && account.operator.active => account,
        _ => {
            attempt.failed();
            let record = Record {
                actor: known.as_deref().unwrap_or(auth::UNKNOWN_ACTOR),
                action: AuditAction::SignInFailed,
                issue: None,
                detail: String::new(),
            };
            db::audit::add(state.db.pool(), &record, state.clock.now()).await?;
            return Err(AppError::Unauthorized);
        }
    };
    attempt.succeeded();
    let token = secret()?;
    let csrf_token = secret()?;
    let lifetime = i64::from(state.config.operators.session_hours.max(1)) * 3600;
    let expires_at = now + lifetime;
    db::operators::open_session(
        &state.db,
        &digest(&token),
        account.id,
        &csrf_token,
        now,
        expires_at,
    )
    .await?;
    let record = Record {
        actor: &account.operator.login,
        action: AuditAction::SignedIn,
        issue: None,
        detail: String::new(),
    };
    db::audit::add(state.db.pool(), &record, state.clock.now()).await?;
    let session = Session {
        operator: account.operator,
        csrf_token,
        expires_at,
    };
    let mut response = Json(session).into_response();
    response
        .headers_mut()
        .insert(header::SET_COOKIE, set_cookie(&state, &token, lifetime)?);
    no_store(&mut response);
    Ok(response)
}

/// Who is signed in with this cookie, with the session's CSRF token; 401 when nobody
/// (or the session has ended).
#[utoipa::path(get, path = "/api/v1/session", tag = "operators", security(("session" = [])),
    responses((status = 200, body = Session), SessionRead))]
pub(crate) async fn current(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let cookie = auth::session_cookie(&headers).ok_or(AppError::Unauthorized)?;
    let live = db::operators::session(&state.db, &digest(&cookie), state.clock.now())
        .await?
        .ok_or(AppError::Unauthorized)?;
    let mut response = Json(Session {
        operator: live.operator,
        csrf_token: live.csrf_token,
        expires_at: live.expires_at,
    })
    .into_response();
    no_store(&mut response);
    Ok(response)
}

/// Signs out: the session ends and the cookie is cleared. Needs the CSRF token.
#[utoipa::path(delete, path = "/api/v1/session", tag = "operators", security(("session" = [])),
    params(params::CsrfToken), responses((status = 204, description = "Signed out"), SignOut))]
pub(crate) async fn sign_out(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let cookie = auth::session_cookie(&headers).ok_or(AppError::Unauthorized)?;
    let hash = digest(&cookie);
    let live = db::operators::session(&state.db, &hash, state.clock.now())
        .await?
        .ok_or(AppError::Unauthorized)?;
    if !auth::csrf_matches(&headers, &live.csrf_token) {
        let record = Record {
            actor: &live.operator.login,
            action: AuditAction::CsrfRejected,
            issue: None,
            detail: auth::attempted(&Method::DELETE, "/api/v1/session"),
        };
        db::audit::add(state.db.pool(), &record, state.clock.now()).await?;
        return Err(AppError::CsrfRejected);
    }
    db::operators::close_session(&state.db, &hash).await?;
    let record = Record {
        actor: &live.operator.login,
        action: AuditAction::SignedOut,
        issue: None,
        detail: String::new(),
    };
    db::audit::add(state.db.pool(), &record, state.clock.now()).await?;
    let mut response = StatusCode::NO_CONTENT.into_response();
    response
        .headers_mut()
        .insert(header::SET_COOKIE, set_cookie(&state, "", 0)?);
    Ok(response)
}

/// Session answers hold a CSRF token: no cache keeps them.
fn no_store(response: &mut Response) {
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
}
