//! `/admin/issues` and `/admin/figures`: the operators' inbox and the work on an issue:
//! accept, answer, resolve or close it, route it to another unit, hide abusive text, and
//! show the visitor's contact details. Every action is written to the audit log in the
//! same transaction; unit operators reach only their unit's issues.

use axum::extract::{Path, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use omk_api::reference::List;
use omk_api::{
    AuditAction, Breakdown, Contact, FieldError, InboxItem, InboxPage, InboxQuery, IssueDetail,
    IssueStatusView, Moderation, Role, RouteChange, StatusChange, params,
};

use crate::auth::Actor;
use crate::clock::DAY;
use crate::db::audit::Record;
use crate::db::issues::{InboxFilter, StoredIssue};
use crate::error::AppError;
use crate::extract::{ApiJson, ApiQuery};
use crate::live::Change;
use crate::openapi::{ContactView, Inbox, IssueChange, IssueMove, IssueRead, OperatorRead};
use crate::state::AppState;
use crate::{db, tracking};

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
    let deadlines = state.config.deadlines();
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

/// The issue behind a path's tracking number, if this caller may work it: 404 when there is
/// no such issue, 403 when it belongs to another unit.
async fn workable(
    state: &AppState,
    actor: &Actor,
    tracking_no: &str,
) -> Result<StoredIssue, AppError> {
    let tracking_no = tracking::normalise(tracking_no).ok_or(AppError::NotFound)?;
    let issue = db::issues::one(&state.db, &tracking_no)
        .await?
        .ok_or(AppError::NotFound)?;
    actor.check_work(issue.unit.as_deref())?;
    Ok(issue)
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
    let deadlines = state.config.deadlines();
    let unit = match actor.role {
        Role::Admin => query.unit.clone(),
        Role::Unit => {
            if query
                .unit
                .as_ref()
                .is_some_and(|u| Some(u) != actor.unit.as_ref())
            {
                return Err(AppError::Forbidden);
            }
            Some(actor.unit.clone().ok_or(AppError::Forbidden)?)
        }
    };
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
    let issue = workable(&state, &actor, &tracking_no).await?;
    let history = db::audit::for_issue(&state.db, &issue.tracking_no).await?;
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
    let issue = workable(&state, &actor, &tracking_no).await?;
    let answer = change
        .answer
        .as_deref()
        .map(str::trim)
        .filter(|a| !a.is_empty());
    let mut errors = Vec::new();
    if answer.is_some_and(|a| a.chars().count() > StatusChange::ANSWER_MAX) {
        errors.push(FieldError::new("answer", "too_long"));
    }
    if !issue.status.can_move_to(change.status) {
        errors.push(FieldError::new("status", "invalid_value"));
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let now = state.clock.now();
    let mut tx = state.db.pool().begin().await?;
    if !db::issues::move_status(
        &mut tx,
        &issue.tracking_no,
        issue.status,
        change.status,
        answer,
        now,
    )
    .await?
    {
        return Err(AppError::Conflict);
    }
    let record = Record {
        actor: &actor.login,
        action: AuditAction::StatusChanged,
        issue: Some(&issue.tracking_no),
        detail: format!("{} → {}", issue.status.as_str(), change.status.as_str()),
    };
    db::audit::add(&mut *tx, &record, now).await?;
    tx.commit().await?;
    state.changed(Change::Metrics);
    db::issues::status_view(&state.db, &issue.tracking_no)
        .await?
        .map(Json)
        .ok_or(AppError::NotFound)
}

/// The reason an action is given, checked: present and not too long.
fn reason(text: &str) -> Result<String, AppError> {
    let text = text.trim();
    let length = text.chars().count();
    if length == 0 {
        Err(AppError::field("reason", "required"))
    } else if length > RouteChange::REASON_MAX {
        Err(AppError::field("reason", "too_long"))
    } else {
        Ok(text.to_owned())
    }
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
    let issue = workable(&state, &actor, &tracking_no).await?;
    let why = reason(&change.reason)?;
    let unit = change.unit.trim();
    if !db::lists::is_active(&state.db, List::Units, unit).await? {
        return Err(AppError::field("unit", "invalid_value"));
    }
    if issue.unit.as_deref() == Some(unit) {
        return Err(AppError::field("unit", "invalid_value"));
    }
    let now = state.clock.now();
    let mut tx = state.db.pool().begin().await?;
    if !db::issues::route(
        &mut tx,
        &issue.tracking_no,
        issue.unit.as_deref(),
        unit,
        now,
    )
    .await?
    {
        return Err(AppError::Conflict);
    }
    let record = Record {
        actor: &actor.login,
        action: AuditAction::Routed,
        issue: Some(&issue.tracking_no),
        detail: format!("{} → {unit}: {why}", issue.unit.as_deref().unwrap_or("-")),
    };
    db::audit::add(&mut *tx, &record, now).await?;
    tx.commit().await?;
    let moved = db::issues::one(&state.db, &issue.tracking_no)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Json(item(&state, moved, now)))
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
    let issue = workable(&state, &actor, &tracking_no).await?;
    let why = reason(&moderation.reason)?;
    let now = state.clock.now();
    let mut tx = state.db.pool().begin().await?;
    db::issues::set_hidden(&mut tx, &issue.tracking_no, moderation.hidden).await?;
    let record = Record {
        actor: &actor.login,
        action: if moderation.hidden {
            AuditAction::TextHidden
        } else {
            AuditAction::TextShown
        },
        issue: Some(&issue.tracking_no),
        detail: why,
    };
    db::audit::add(&mut *tx, &record, now).await?;
    tx.commit().await?;
    let moderated = db::issues::one(&state.db, &issue.tracking_no)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Json(item(&state, moderated, now)))
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
    let issue = workable(&state, &actor, &tracking_no).await?;
    let mut tx = state.db.pool().begin().await?;
    let (name, phone) = db::issues::contact(&mut tx, &issue.tracking_no)
        .await?
        .ok_or(AppError::NotFound)?;
    let record = Record {
        actor: &actor.login,
        action: AuditAction::ContactViewed,
        issue: Some(&issue.tracking_no),
        detail: String::new(),
    };
    db::audit::add(&mut *tx, &record, state.clock.now()).await?;
    tx.commit().await?;
    Ok(Json(Contact { name, phone }))
}

/// How issues stand by unit and by category, with those past a deadline now.
#[utoipa::path(get, path = "/api/v1/admin/figures", tag = "admin",
    responses((status = 200, body = Breakdown), OperatorRead))]
pub(crate) async fn figures(
    State(state): State<AppState>,
    _actor: Actor,
) -> Result<Json<Breakdown>, AppError> {
    let now = state.clock.now();
    let deadlines = state.config.deadlines();
    let cutoffs = (deadlines.accept_cutoff(now), deadlines.resolve_cutoff(now));
    Ok(Json(db::metrics::breakdown(&state.db, cutoffs).await?))
}
