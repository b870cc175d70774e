//! `/issues`: submitting an issue, looking up its status by tracking number,
//! and a QR code that takes the lookup to a phone.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Json, Router};
use omk_api::{AuditAction, FieldError, IssueReceipt, IssueStatusView, NewIssue, params};

use crate::db::audit::Record;
use crate::db::issues::IssueRow;
use crate::error::AppError;
use crate::extract::ApiJson;
use crate::idempotency::{self, Begun, IdempotencyKey};
use crate::live::Change;
use crate::openapi::{Handover, Lookup, VisitorWrite};
use crate::public_url::PublicUrl;
use crate::state::AppState;
use crate::{auth, db, qr, tracking};

/// How many fresh tracking numbers to try before giving up.
const TRACKING_ATTEMPTS: usize = 8;

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
        Some(ms) if ms < state.config.min_fill_ms => {
            errors.push(FieldError::new("fill_ms", "too_fast"))
        }
        Some(_) => {}
    }
    let mut unit = None;
    if !normalized.category.is_empty() && !errors.iter().any(|e| e.field == "category") {
        match db::categories::route_of(&state.db, &normalized.category).await? {
            Some(routed_to) => unit = routed_to,
            None => errors.push(FieldError::new("category", "unknown_category")),
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let mut write = match idempotency::begin(&state.db, &key, "issues", &issue).await? {
        Begun::Replay(response) => return Ok(response),
        Begun::Fresh(write) => write,
    };
    let now = state.clock.now();
    for _ in 0..TRACKING_ATTEMPTS {
        let tracking_no =
            tracking::generate().map_err(|e| AppError::Internal(format!("no randomness: {e}")))?;
        let row = IssueRow::received(&normalized, tracking_no, unit.clone(), now);
        let inserted = match db::issues::insert(&mut write.tx, &row).await {
            Ok(inserted) => inserted,
            Err(error) => return Err(write.abandon(error.into()).await),
        };
        if inserted {
            let record = Record {
                actor: auth::VISITOR_ACTOR,
                action: AuditAction::IssueSubmitted,
                issue: Some(&row.tracking_no),
                detail: format!("{} → {}", row.category, row.unit.as_deref().unwrap_or("-")),
            };
            if let Err(error) = db::audit::add(&mut *write.tx, &record, now).await {
                return Err(write.abandon(error.into()).await);
            }
            let receipt = IssueReceipt {
                tracking_no: row.tracking_no,
                status: row.status,
                created_at: row.created_at,
            };
            let response = write.commit(StatusCode::CREATED, &receipt).await?;
            state.changed(Change::Metrics);
            return Ok(response);
        }
    }
    Err(AppError::Internal("no free tracking number".into()))
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
