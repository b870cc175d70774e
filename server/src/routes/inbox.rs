//! `/admin/issues` and `/admin/figures`: the operators' inbox and the work on an issue
//! (`ops::issues`): accept, answer, resolve or close it, route it to another unit, hide
//! abusive text, and show the visitor's contact details. Unit operators reach only their
//! unit's issues and figures.

use axum::extract::{Path, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use omk_api::{
    Breakdown, Contact, InboxItem, InboxPage, InboxQuery, IssueDetail, IssueStatusView, Moderation,
    RouteChange, StatusChange, params,
};

use crate::auth::Actor;
use crate::clock::DAY;
use crate::db;
use crate::db::issues::{InboxFilter, StoredIssue};
use crate::error::AppError;
use crate::extract::{ApiJson, ApiQuery};
use crate::openapi::{ContactView, Inbox, IssueChange, IssueMove, IssueRead, OperatorRead};
use crate::ops::{Ops, issues};
use crate::state::AppState;

/// The inbox routes, relative to `/admin`.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/issues", get(list))
        .route("/issues/{tracking_no}", get(detail))
        .route("/issues/{tracking_no}/status", post(move_issue))
        .route("/issues/{tracking_no}/route", post(route))
        .route("/issues/{tracking_no}/moderation", post(moderate))
        .route("/issues/{tracking_no}/contact", post(contact))
        .route("/figures", get(figures))
}

/// The inbox form of a stored issue, with its deadlines as they stand at `now`.
fn item(state: &AppState, issue: StoredIssue, now: i64) -> InboxItem {
    let deadlines = state.config.issues.deadlines();
    InboxItem {
        accept_due: deadlines.accept_due(issue.created_at),
        resolve_due: deadlines.resolve_due(issue.created_at),
        overdue: deadlines.overdue(issue.status, issue.created_at, now),
        tracking_no: issue.tracking_no,
        category: issue.category,
        unit: issue.unit,
        status: issue.status,
        description: issue.description,
        place: issue.place,
        answer: issue.answer,
        created_at: issue.created_at,
        updated_at: issue.updated_at,
        has_contact: issue.has_contact,
        hidden: issue.hidden,
    }
}

/// A page of issues, newest first. Unit operators see only their unit's.
#[utoipa::path(get, path = "/api/v1/admin/issues", tag = "admin", operation_id = "list_issues",
    params(InboxQuery), responses((status = 200, body = InboxPage), Inbox))]
pub(crate) async fn list(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(query): ApiQuery<InboxQuery>,
) -> Result<Json<InboxPage>, AppError> {
    let now = state.clock.now();
    let deadlines = state.config.issues.deadlines();
    let unit = issues::reach(Ops::of(&state), &actor, query.unit.as_deref()).await?;
    let filter = InboxFilter {
        status: query.status,
        category: query.category.clone(),
        unit,
        created_before: query
            .older_than_days
            .map(|days| now - i64::from(days.min(36_500)) * DAY),
        overdue: query
            .overdue
            .filter(|o| *o)
            .map(|_| (deadlines.accept_cutoff(now), deadlines.resolve_cutoff(now))),
    };
    let per_page = i64::from(query.per_page.unwrap_or(50).clamp(1, 500));
    let offset = (i64::from(query.page.unwrap_or(1).clamp(1, 100_000)) - 1) * per_page;
    let (rows, total) = db::issues::inbox(&state.db, &filter, per_page, offset).await?;
    let items = rows.into_iter().map(|r| item(&state, r, now)).collect();
    Ok(Json(InboxPage { items, total }))
}

/// One issue with its history, oldest first.
#[utoipa::path(get, path = "/api/v1/admin/issues/{tracking_no}", tag = "admin",
    params(params::TrackingNumber), responses((status = 200, body = IssueDetail), IssueRead))]
pub(crate) async fn detail(
    State(state): State<AppState>,
    actor: Actor,
    Path(tracking_no): Path<String>,
) -> Result<Json<IssueDetail>, AppError> {
    let (issue, history) = issues::read(Ops::of(&state), &actor, &tracking_no).await?;
    let issue = item(&state, issue, state.clock.now());
    Ok(Json(IssueDetail { issue, history }))
}

/// Moves an issue forward (received → accepted → answered → resolved or closed), with a
/// public answer.
#[utoipa::path(post, path = "/api/v1/admin/issues/{tracking_no}/status", tag = "admin",
    params(params::TrackingNumber), request_body = StatusChange,
    responses((status = 200, body = IssueStatusView), IssueMove))]
pub(crate) async fn move_issue(
    State(state): State<AppState>,
    actor: Actor,
    Path(tracking_no): Path<String>,
    ApiJson(change): ApiJson<StatusChange>,
) -> Result<Json<IssueStatusView>, AppError> {
    let view = issues::move_status(Ops::of(&state), &actor, &tracking_no, &change).await?;
    Ok(Json(view))
}

/// Hands an issue to another unit, with the reason; the new unit's operators see it, and
/// a unit operator who routes it away no longer does.
#[utoipa::path(post, path = "/api/v1/admin/issues/{tracking_no}/route", tag = "admin",
    params(params::TrackingNumber), request_body = RouteChange,
    responses((status = 200, body = InboxItem), IssueMove))]
pub(crate) async fn route(
    State(state): State<AppState>,
    actor: Actor,
    Path(tracking_no): Path<String>,
    ApiJson(change): ApiJson<RouteChange>,
) -> Result<Json<InboxItem>, AppError> {
    let moved = issues::route(Ops::of(&state), &actor, &tracking_no, &change).await?;
    Ok(Json(item(&state, moved, state.clock.now())))
}

/// Hides the issue's text from every public view, or shows it again. The text is kept,
/// for operators and the audit trail.
#[utoipa::path(post, path = "/api/v1/admin/issues/{tracking_no}/moderation", tag = "admin",
    params(params::TrackingNumber), request_body = Moderation,
    responses((status = 200, body = InboxItem), IssueChange))]
pub(crate) async fn moderate(
    State(state): State<AppState>,
    actor: Actor,
    Path(tracking_no): Path<String>,
    ApiJson(moderation): ApiJson<Moderation>,
) -> Result<Json<InboxItem>, AppError> {
    let moderated = issues::moderate(Ops::of(&state), &actor, &tracking_no, &moderation).await?;
    Ok(Json(item(&state, moderated, state.clock.now())))
}

/// The visitor's name and phone, given with consent. Each view is written to the audit
/// log before the details are sent.
#[utoipa::path(post, path = "/api/v1/admin/issues/{tracking_no}/contact", tag = "admin",
    params(params::TrackingNumber), responses((status = 200, body = Contact), ContactView))]
pub(crate) async fn contact(
    State(state): State<AppState>,
    actor: Actor,
    Path(tracking_no): Path<String>,
) -> Result<Json<Contact>, AppError> {
    let contact = issues::contact(Ops::of(&state), &actor, &tracking_no).await?;
    Ok(Json(contact))
}

/// How issues stand by unit and by category, with those past a deadline now: every issue
/// for an admin, a unit operator's unit's issues only for them.
#[utoipa::path(get, path = "/api/v1/admin/figures", tag = "admin",
    responses((status = 200, body = Breakdown), OperatorRead))]
pub(crate) async fn figures(
    State(state): State<AppState>,
    actor: Actor,
) -> Result<Json<Breakdown>, AppError> {
    let now = state.clock.now();
    let deadlines = state.config.issues.deadlines();
    let cutoffs = (deadlines.accept_cutoff(now), deadlines.resolve_cutoff(now));
    let unit = issues::reach(Ops::of(&state), &actor, None).await?;
    let figures = db::metrics::breakdown(&state.db, cutoffs, unit.as_deref()).await?;
    Ok(Json(figures))
}
