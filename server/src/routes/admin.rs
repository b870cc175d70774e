//! `/admin`: the operators' API. This file mounts it behind authentication and holds
//! the program (create, edit, cancel, import: `ops::program`) and the open-data exports;
//! the inbox, reference data, accounts and audit log have files of their own.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post, put};
use axum::{Json, Router};
use omk_api::events::{EventInput, ImportOptions, ImportReport};
use omk_api::{Event, params};
use tower_http::set_header::SetResponseHeaderLayer;

use crate::auth::{self, Actor};
use crate::error::AppError;
use crate::extract::{ApiJson, ApiQuery};
use crate::import::{self, Format};
use crate::middleware::api_not_found;
use crate::openapi::{AdminEdit, AdminRead, AdminRemoval, AdminWrite, Import};
use crate::opendata::Dataset;
use crate::ops::{Ops, program};
use crate::state::AppState;

/// The admin routes (nested under `/admin`): every caller must be an operator (session
/// cookie, with the CSRF token on writes) or hold the service token. The inbox and the
/// figures are open to every operator (a unit operator's to their unit; what each role may
/// do to an issue is [`Actor::may`]); the reference data, the exports and the audit log are
/// read by admins and supervisors; everything else only by admins. No answer is kept by a
/// cache: many carry personal data (a visitor's contact details, an issue's text,
/// operators' logins).
pub fn router(state: AppState) -> Router<AppState> {
    let readers = Router::new()
        .route("/export/issues.csv", get(export_issues))
        .route("/export/ratings.csv", get(export_ratings))
        .merge(super::reference::read_router())
        .merge(super::audit::router())
        .merge(super::outcome::reader_router())
        .route_layer(axum::middleware::from_fn(auth::require_reader));
    let admin_only = Router::new()
        .route("/events", post(create_event))
        .route(
            "/events/import",
            post(import_events).layer(DefaultBodyLimit::max(IMPORT_BODY_LIMIT)),
        )
        .route("/events/{id}", put(update_event).delete(cancel_event))
        .merge(super::reference::write_router())
        .merge(super::operators::router())
        .merge(super::outcome::admin_router())
        .route_layer(axum::middleware::from_fn(auth::require_admin));
    Router::new()
        .merge(super::inbox::router())
        .merge(super::outcome::operator_router())
        .merge(super::letters_admin::router())
        .merge(super::consultations_admin::router())
        .merge(readers)
        .merge(admin_only)
        .merge(super::cycle_admin::router())
        .route("/", any(api_not_found))
        .layer(axum::middleware::from_fn_with_state(
            state,
            auth::authenticate,
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
}

/// Adds one event to the program.
#[utoipa::path(post, path = "/api/v1/admin/events", tag = "admin", request_body = EventInput,
    responses((status = 201, body = Event), AdminWrite))]
pub(crate) async fn create_event(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(input): ApiJson<EventInput>,
) -> Result<(StatusCode, Json<Event>), AppError> {
    let event = program::create(Ops::of(&state), &actor, &input).await?;
    Ok((StatusCode::CREATED, Json(event)))
}

/// The largest program file the import route reads.
pub const IMPORT_BODY_LIMIT: usize = 4 * 1024 * 1024;

/// Imports a program file (CSV or JSON by Content-Type): all of it, or,
/// when any line has a problem, nothing, with a 422 listing each line's problems.
#[utoipa::path(post, path = "/api/v1/admin/events/import", tag = "admin", params(ImportOptions),
    request_body(description = "CSV with a header row (`text/csv`), or a JSON array of objects (`application/json`), with the fields title, unit, district, theme, place, starts_at, ends_at, capacity, and optionally registration and summary. Times are Unix seconds or `YYYY-MM-DD HH:MM` in Beijing time. Every line is checked before anything is written: a 422 lists each problem with its `line`, `field` and `code`, and nothing is written.",
        content((String = "text/csv"), (Vec<Object> = "application/json"))),
    responses((status = 200, body = ImportReport), Import))]
pub(crate) async fn import_events(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(options): ApiQuery<ImportOptions>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<ImportReport>, AppError> {
    let format = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(Format::from_content_type)
        .ok_or(AppError::UnsupportedMediaType)?;
    let body = body.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            AppError::TooLarge
        } else {
            AppError::Malformed
        }
    })?;
    let rows = import::read(format, &body).map_err(|rejected| AppError::Validation(rejected.0))?;
    let report = program::import(Ops::of(&state), &actor, &rows, options.replace).await?;
    Ok(Json(report))
}

/// Replaces an event's details, keeping its registrations.
#[utoipa::path(put, path = "/api/v1/admin/events/{id}", tag = "admin", params(params::EventId),
    request_body = EventInput, responses((status = 200, body = Event), AdminEdit))]
pub(crate) async fn update_event(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<EventInput>,
) -> Result<Json<Event>, AppError> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let event = program::edit(Ops::of(&state), &actor, id, &input).await?;
    Ok(Json(event))
}

/// Cancels an event: it leaves the program.
#[utoipa::path(delete, path = "/api/v1/admin/events/{id}", tag = "admin", params(params::EventId),
    responses((status = 204, description = "Cancelled"), AdminRemoval))]
pub(crate) async fn cancel_event(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
) -> Result<StatusCode, AppError> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    program::cancel(Ops::of(&state), &actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Every issue as open data (CSV): tracking number, category, status, times; no personal data or free text.
#[utoipa::path(get, path = "/api/v1/admin/export/issues.csv", tag = "admin",
    responses((status = 200, content_type = "text/csv", body = String), AdminRead))]
pub(crate) async fn export_issues(State(state): State<AppState>) -> Result<Response, AppError> {
    export(&state, Dataset::Issues).await
}

/// Every rating as open data (CSV): time, unit, score, tags.
#[utoipa::path(get, path = "/api/v1/admin/export/ratings.csv", tag = "admin",
    responses((status = 200, content_type = "text/csv", body = String), AdminRead))]
pub(crate) async fn export_ratings(State(state): State<AppState>) -> Result<Response, AppError> {
    export(&state, Dataset::Ratings).await
}

/// A CSV download of an open dataset.
async fn export(state: &AppState, dataset: Dataset) -> Result<Response, AppError> {
    let mut response = dataset.csv(&state.db).await?.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    let disposition = format!("attachment; filename=\"{}\"", dataset.file_name());
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}
