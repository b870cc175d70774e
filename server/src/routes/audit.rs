//! `/admin/audit`: admins read the audit log, page by page or filtered by operator, issue
//! or action, and export it whole as CSV (the export is itself recorded).

use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use omk_api::{AuditAction, AuditPage, AuditQuery};

use crate::auth::Actor;
use crate::db;
use crate::db::audit::Record;
use crate::error::AppError;
use crate::extract::ApiQuery;
use crate::openapi::{AdminListing, AdminRead};
use crate::state::AppState;

/// The audit routes, relative to `/admin` (admins only).
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/audit", get(page))
        .route("/audit.csv", get(export))
}

/// A page of the audit log, newest first.
#[utoipa::path(get, path = "/api/v1/admin/audit", tag = "admin", params(AuditQuery),
    responses((status = 200, body = AuditPage), AdminListing))]
pub(crate) async fn page(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<AuditQuery>,
) -> Result<Json<AuditPage>, AppError> {
    let per_page = i64::from(query.per_page.unwrap_or(100).clamp(1, 1000));
    let offset = (i64::from(query.page.unwrap_or(1).clamp(1, 100_000)) - 1) * per_page;
    let (items, total) = db::audit::page(&state.db, &query, per_page, offset).await?;
    Ok(Json(AuditPage { items, total }))
}

/// The whole audit log as CSV, oldest first: id, time (UTC, RFC 3339), actor, action,
/// issue, detail.
#[utoipa::path(get, path = "/api/v1/admin/audit.csv", tag = "admin",
    responses((status = 200, content_type = "text/csv", body = String), AdminRead))]
pub(crate) async fn export(
    State(state): State<AppState>,
    actor: Actor,
) -> Result<Response, AppError> {
    let record = Record {
        actor: &actor.login,
        action: AuditAction::AuditExported,
        issue: None,
        detail: String::new(),
    };
    db::audit::add(state.db.pool(), &record, state.clock.now()).await?;
    let rows: Vec<[String; 6]> = db::audit::all(&state.db)
        .await?
        .into_iter()
        .map(|entry| {
            [
                entry.id.to_string(),
                crate::clock::rfc3339_utc(entry.at),
                entry.actor,
                entry.action.as_str().to_owned(),
                entry.issue.unwrap_or_default(),
                entry.detail,
            ]
        })
        .collect();
    let body = crate::opendata::csv_text(
        &["id", "at", "actor", "action", "issue", "detail"],
        rows.iter().map(|r| r.as_slice()),
    );
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    headers.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment; filename=\"audit-log.csv\""),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}
