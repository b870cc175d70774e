//! `/issues`: submitting an issue, looking up its status by tracking number,
//! and a QR code that takes the lookup to a phone.

use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Json, Router};
use omk_api::{FieldError, IssueReceipt, IssueStatusView, NewIssue, params};

use crate::commit::Write;
use crate::error::AppError;
use crate::extract::ApiJson;
use crate::idempotency::IdempotencyKey;
use crate::live::Change;
use crate::openapi::{Handover, Lookup, VisitorWrite};
use crate::public_url::PublicUrl;
use crate::state::AppState;
use crate::{db, qr, tracking};

/// The issue routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/issues", post(submit))
        .route("/issues/{tracking_no}", get(status))
        .route("/issues/{tracking_no}/qr.svg", get(qr_code))
}

/// Validates and stores a submission, answering with its receipt.
#[utoipa::path(post, path = "/api/v1/issues", tag = "issues", request_body = NewIssue,
    params(params::IdempotencyKey), responses((status = 201, body = IssueReceipt), VisitorWrite))]
pub(crate) async fn submit(
    State(state): State<AppState>,
    key: IdempotencyKey,
    ApiJson(issue): ApiJson<NewIssue>,
) -> Result<Response, AppError> {
    let mut errors = issue.validate().err().unwrap_or_default();
    let normalized = issue.normalized();
    if normalized.website.is_some() {
        errors.push(FieldError::new("website", "invalid_value"));
    }
    // The widget always says how long its form was open; a submission that does not
    // comes from a script.
    match normalized.fill_ms {
        None => errors.push(FieldError::new("fill_ms", "required")),
        Some(ms) if ms < state.config.issues.min_fill_ms => {
            errors.push(FieldError::new("fill_ms", "too_fast"))
        }
        Some(_) => {}
    }
    if !errors.is_empty() {
        // Listed with the other refusals: whether the category takes issues. A valid
        // submission's category is checked in the transaction that stores it.
        if !normalized.category.is_empty()
            && !errors.iter().any(|e| e.field == "category")
            && db::categories::route_of(&state.db, &normalized.category)
                .await?
                .is_none()
        {
            errors.push(FieldError::new("category", "unknown_category"));
        }
        return Err(AppError::Validation(errors));
    }
    let write = Write::Issue {
        issue: normalized,
        at: state.clock.now(),
    };
    let committed = state
        .committer
        .submit(&key, "issues", &issue, write)
        .await?;
    if !committed.is_replay() {
        state.changed(Change::Metrics);
    }
    Ok(committed.into_response())
}

/// The public status of an issue; never personal data.
#[utoipa::path(get, path = "/api/v1/issues/{tracking_no}", tag = "issues", params(params::TrackingNumber),
    responses((status = 200, body = IssueStatusView), Lookup))]
pub(crate) async fn status(
    State(state): State<AppState>,
    Path(tracking_no): Path<String>,
) -> Result<Json<IssueStatusView>, AppError> {
    let tracking_no = tracking::normalise(&tracking_no).ok_or(AppError::NotFound)?;
    db::issues::status_view(&state.db, &tracking_no)
        .await?
        .map(Json)
        .ok_or(AppError::NotFound)
}

/// A QR code of the issue's status page in the widget: it carries the
/// tracking number and nothing personal.
#[utoipa::path(get, path = "/api/v1/issues/{tracking_no}/qr.svg", tag = "issues", operation_id = "issue_qr_code",
    params(params::TrackingNumber),
    responses((status = 200, description = "A QR code (SVG) of `{public URL}/?view=lookup&number={tracking_no}`", content_type = "image/svg+xml", body = String),
        Handover))]
pub(crate) async fn qr_code(
    State(state): State<AppState>,
    Path(tracking_no): Path<String>,
    public: PublicUrl,
) -> Result<Response, AppError> {
    let tracking_no = tracking::normalise(&tracking_no).ok_or(AppError::NotFound)?;
    let view = db::issues::status_view(&state.db, &tracking_no)
        .await?
        .ok_or(AppError::NotFound)?;
    let svg = qr::svg(&public.lookup_page(&view.tracking_no))
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(super::svg_response(svg))
}
