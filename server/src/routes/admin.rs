//! `/admin`: the operators' API behind a bearer token: answering and moving
//! issues, managing the program and the reference data (`reference.rs`), and
//! open-data exports without personal data.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, Path, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post, put};
use axum::{Json, Router};
use omk_api::{Event, FieldError, IssueStatus, IssueStatusView};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::db::events::{NewEventRow, Updated};
use crate::db::issues::AdminIssue;
use crate::error::AppError;
use crate::extract::{ApiJson, ApiQuery};
use crate::import::{self, Format, ImportReport};
use crate::live::Change;
use crate::middleware::api_not_found;
use crate::opendata::Dataset;
use crate::state::AppState;
use crate::{clock, db, tracking};

/// The admin routes (nested under `/admin`), each behind the bearer token.
pub fn router(state: AppState) -> Router<AppState> {
    Router::new()
        .route("/issues", get(list_issues))
        .route("/issues/{tracking_no}/status", post(move_issue))
        .route("/events", post(create_event))
        .route(
            "/events/import",
            post(import_events).layer(DefaultBodyLimit::max(IMPORT_BODY_LIMIT)),
        )
        .route("/events/{id}", put(update_event).delete(cancel_event))
        .route("/export/issues.csv", get(export_issues))
        .route("/export/ratings.csv", get(export_ratings))
        .merge(super::reference::router())
        .route("/", any(api_not_found))
        .route("/{*rest}", any(api_not_found))
        .layer(axum::middleware::from_fn_with_state(state, require_token))
}

/// Refuses every request without `Authorization: Bearer <admin token>`.
async fn require_token(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let given = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    let allowed = match (&state.config.admin_token, given) {
        (Some(expected), Some(given)) if !expected.is_empty() => {
            // Compare digests so the time taken says nothing about the token.
            Sha256::digest(expected.as_bytes()) == Sha256::digest(given.as_bytes())
        }
        _ => false,
    };
    if allowed {
        next.run(request).await
    } else {
        AppError::Unauthorized.into_response()
    }
}

/// Which issues to list.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct IssueFilter {
    status: Option<IssueStatus>,
    page: Option<u32>,
    per_page: Option<u32>,
}

/// A page of issues for operators.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AdminIssuePage {
    pub items: Vec<AdminIssue>,
    pub total: i64,
}

/// A page of issues, newest first, with the contact details given with consent.
#[utoipa::path(get, path = "/api/v1/admin/issues", tag = "admin", security(("bearer" = [])),
    params(("status" = Option<omk_api::IssueStatus>, Query), ("page" = Option<u32>, Query), ("per_page" = Option<u32>, Query, description = "1–500, default 50")),
    responses((status = 200, body = AdminIssuePage), (status = 401, body = omk_api::Problem, content_type = "application/problem+json")))]
pub(crate) async fn list_issues(
    State(state): State<AppState>,
    ApiQuery(filter): ApiQuery<IssueFilter>,
) -> Result<Json<AdminIssuePage>, AppError> {
    let per_page = i64::from(filter.per_page.unwrap_or(50).clamp(1, 500));
    let offset = (i64::from(filter.page.unwrap_or(1).max(1)) - 1) * per_page;
    let (items, total) =
        db::issues::list_for_operators(&state.db, filter.status, per_page, offset).await?;
    Ok(Json(AdminIssuePage { items, total }))
}

/// A move of an issue to a later status, with a public answer.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct StatusChange {
    pub status: IssueStatus,
    #[serde(default)]
    pub answer: Option<String>,
}

/// The longest public answer.
const ANSWER_MAX: usize = 2000;

/// Moves an issue forward (received → accepted → in progress → resolved), with a public answer.
#[utoipa::path(post, path = "/api/v1/admin/issues/{tracking_no}/status", tag = "admin", security(("bearer" = [])),
    params(("tracking_no" = String, Path)), request_body = StatusChange,
    responses((status = 200, body = omk_api::IssueStatusView), (status = 401, body = omk_api::Problem, content_type = "application/problem+json"),
        (status = 404, body = omk_api::Problem, content_type = "application/problem+json"),
        (status = 409, description = "Moved meanwhile by someone else", body = omk_api::Problem, content_type = "application/problem+json"),
        (status = 422, body = omk_api::Problem, content_type = "application/problem+json")))]
pub(crate) async fn move_issue(
    State(state): State<AppState>,
    Path(tracking_no): Path<String>,
    ApiJson(change): ApiJson<StatusChange>,
) -> Result<Json<IssueStatusView>, AppError> {
    let tracking_no = tracking::normalise(&tracking_no).ok_or(AppError::NotFound)?;
    let answer = change
        .answer
        .as_deref()
        .map(str::trim)
        .filter(|a| !a.is_empty());
    if answer.is_some_and(|a| a.chars().count() > ANSWER_MAX) {
        return Err(AppError::field("answer", "too_long"));
    }
    let current = db::issues::status_view(&state.db, &tracking_no)
        .await?
        .ok_or(AppError::NotFound)?;
    if !current.status.can_move_to(change.status) {
        return Err(AppError::Validation(vec![FieldError::new(
            "status",
            "invalid_value",
        )]));
    }
    if !db::issues::move_status(
        &state.db,
        &tracking_no,
        current.status,
        change.status,
        answer,
        clock::now(),
    )
    .await?
    {
        return Err(AppError::Conflict);
    }
    state.changed(Change::Metrics);
    db::issues::status_view(&state.db, &tracking_no)
        .await?
        .map(Json)
        .ok_or(AppError::NotFound)
}

/// An event as operators enter it.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct EventInput {
    pub title: String,
    pub unit: String,
    pub district: String,
    pub theme: String,
    pub place: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub capacity: i64,
    #[serde(default = "yes")]
    pub registration: bool,
    #[serde(default)]
    pub summary: String,
}

fn yes() -> bool {
    true
}

impl EventInput {
    /// Checks every field, returning all problems at once as a 422 problem.
    pub fn validate(&self) -> Result<NewEventRow, AppError> {
        self.check().map_err(AppError::Validation)
    }

    /// Checks every field, returning all problems at once.
    pub fn check(&self) -> Result<NewEventRow, Vec<FieldError>> {
        let mut errors = Vec::new();
        for (field, value) in [
            ("title", &self.title),
            ("unit", &self.unit),
            ("district", &self.district),
            ("theme", &self.theme),
            ("place", &self.place),
        ] {
            let length = value.trim().chars().count();
            if length == 0 {
                errors.push(FieldError::new(field, "required"));
            } else if length > 200 {
                errors.push(FieldError::new(field, "too_long"));
            }
        }
        if self.summary.chars().count() > 2000 {
            errors.push(FieldError::new("summary", "too_long"));
        }
        if self.ends_at <= self.starts_at {
            errors.push(FieldError::new("ends_at", "invalid_value"));
        }
        if !(0..=100_000).contains(&self.capacity) {
            errors.push(FieldError::new("capacity", "invalid_value"));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(NewEventRow {
            title: self.title.trim().into(),
            unit: self.unit.trim().into(),
            district: self.district.trim().into(),
            theme: self.theme.trim().into(),
            place: self.place.trim().into(),
            starts_at: self.starts_at,
            ends_at: self.ends_at,
            capacity: self.capacity,
            registered: 0,
            registration: self.registration,
            summary: self.summary.trim().into(),
        })
    }
}

/// Adds one event to the program.
#[utoipa::path(post, path = "/api/v1/admin/events", tag = "admin", security(("bearer" = [])), request_body = EventInput,
    responses((status = 201, body = omk_api::Event), (status = 401, body = omk_api::Problem, content_type = "application/problem+json"),
        (status = 422, body = omk_api::Problem, content_type = "application/problem+json")))]
pub(crate) async fn create_event(
    State(state): State<AppState>,
    ApiJson(input): ApiJson<EventInput>,
) -> Result<(StatusCode, Json<Event>), AppError> {
    let row = input.validate()?;
    let event = db::events::insert_one(&state.db, &row).await?;
    state.changed(Change::Program);
    Ok((StatusCode::CREATED, Json(event)))
}

/// The largest program file the import route reads.
pub const IMPORT_BODY_LIMIT: usize = 4 * 1024 * 1024;

/// How an import treats the program already stored.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct ImportOptions {
    /// Cancel every event already in the program, in the same transaction.
    replace: bool,
}

/// Imports a program file (CSV or JSON by Content-Type): all of it, or,
/// when any line has a problem, nothing, with a 422 listing each line's problems.
#[utoipa::path(post, path = "/api/v1/admin/events/import", tag = "admin", security(("bearer" = [])),
    params(("replace" = Option<bool>, Query, description = "Cancel the events already in the program, in the same transaction")),
    request_body(description = "CSV with a header row (`text/csv`), or a JSON array of objects (`application/json`), with the fields title, unit, district, theme, place, starts_at, ends_at, capacity, and optionally registration and summary. Times are Unix seconds or `YYYY-MM-DD HH:MM` in Beijing time.",
        content((String = "text/csv"), (Vec<EventInput> = "application/json"))),
    responses((status = 200, body = ImportReport), (status = 401, body = omk_api::Problem, content_type = "application/problem+json"),
        (status = 413, body = omk_api::Problem, content_type = "application/problem+json"),
        (status = 415, body = omk_api::Problem, content_type = "application/problem+json"),
        (status = 422, description = "Nothing was written; each error names its `line`, `field` and `code`", body = omk_api::Problem, content_type = "application/problem+json")))]
pub(crate) async fn import_events(
    State(state): State<AppState>,
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
    let text = import::decode(&body).map_err(|rejected| AppError::Validation(rejected.0))?;
    let rows = import::parse(format, text).map_err(|rejected| AppError::Validation(rejected.0))?;
    let report = import::store(&state.db, &rows, options.replace).await?;
    state.changed(Change::Program);
    Ok(Json(report))
}

/// Replaces an event's details, keeping its registrations.
#[utoipa::path(put, path = "/api/v1/admin/events/{id}", tag = "admin", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = EventInput,
    responses((status = 200, body = omk_api::Event), (status = 401, body = omk_api::Problem, content_type = "application/problem+json"),
        (status = 404, body = omk_api::Problem, content_type = "application/problem+json"),
        (status = 422, body = omk_api::Problem, content_type = "application/problem+json")))]
pub(crate) async fn update_event(
    State(state): State<AppState>,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<EventInput>,
) -> Result<Json<Event>, AppError> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let row = input.validate()?;
    match db::events::update(&state.db, id, &row).await? {
        Updated::Done(event) => {
            state.changed(Change::Program);
            Ok(Json(event))
        }
        Updated::NotFound => Err(AppError::NotFound),
        Updated::BelowRegistered => Err(AppError::field("capacity", "invalid_value")),
    }
}

/// Cancels an event: it leaves the program.
#[utoipa::path(delete, path = "/api/v1/admin/events/{id}", tag = "admin", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 204, description = "Cancelled"), (status = 401, body = omk_api::Problem, content_type = "application/problem+json"),
        (status = 404, body = omk_api::Problem, content_type = "application/problem+json")))]
pub(crate) async fn cancel_event(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<StatusCode, AppError> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    if db::events::cancel(&state.db, id).await? {
        state.changed(Change::Program);
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(AppError::NotFound)
    }
}

/// Every issue as open data (CSV): tracking number, category, status, times; no personal data or free text.
#[utoipa::path(get, path = "/api/v1/admin/export/issues.csv", tag = "admin", security(("bearer" = [])),
    responses((status = 200, content_type = "text/csv", body = String), (status = 401, body = omk_api::Problem, content_type = "application/problem+json")))]
pub(crate) async fn export_issues(State(state): State<AppState>) -> Result<Response, AppError> {
    export(&state, Dataset::Issues).await
}

/// Every rating as open data (CSV): time, unit, score, tags.
#[utoipa::path(get, path = "/api/v1/admin/export/ratings.csv", tag = "admin", security(("bearer" = [])),
    responses((status = 200, content_type = "text/csv", body = String), (status = 401, body = omk_api::Problem, content_type = "application/problem+json")))]
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
