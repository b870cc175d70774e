//! What follows a month's choice over HTTP. Public: a registration looked up or cancelled
//! with its code (and its page's QR code), an attendee's opinion, visitors' evaluations. Operators (`/admin`): the
//! meeting, check-ins, the opinions' audited view, the decision and its measures
//! (`ops::outcome`).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post, put};
use axum::{Json, Router};
use omk_api::cycle::CycleMonth;
use omk_api::outcome::{MeasureId, RegistrationCode};
use omk_api::{
    CheckIn, CheckInReceipt, CycleStage, Decision, DecisionInput, EvaluationReceipt, MeasureInput,
    MeasureView, MeetingInput, MeetingView, NewEvaluation, NewOpinion, Opinion, OpinionReceipt,
    ProblemKind, ProgressInput, RegistrationState, RegistrationStatus, params,
};

use super::cycle::month_in;
use crate::auth::Actor;
use crate::db::registrations::RegistrationRow;
use crate::error::AppError;
use crate::extract::ApiJson;
use crate::idempotency::{self, Begun, IdempotencyKey};
use crate::openapi::{
    CheckinWrite, Evaluation, Handover, Lookup, OpinionWrite, OutcomeEdit, OutcomeRead,
    OutcomeWrite,
};
use crate::ops::{Ops, outcome};
use crate::public_url::PublicUrl;
use crate::state::AppState;
use crate::{db, qr};

/// The public routes, relative to `/api/v1`.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/registrations/{code}", get(registration).delete(cancel))
        .route("/registrations/{code}/opinion", post(opinion))
        .route("/registrations/{code}/qr.svg", get(qr_code))
        .route("/cycles/{month}/evaluations", post(evaluate))
}

/// The admins' routes, relative to `/admin` (behind `require_admin`).
pub fn admin_router() -> Router<AppState> {
    Router::new()
        .route("/cycles/{month}/meeting", put(set_meeting))
        .route("/checkins", post(check_in))
        .route("/cycles/{month}/decision", put(decide))
        .route("/cycles/{month}/measures", post(add_measure))
}

/// The admins' and supervisors' reads, relative to `/admin` (behind `require_reader`).
pub fn reader_router() -> Router<AppState> {
    Router::new().route("/cycles/{month}/opinions", get(opinions))
}

/// The measures' work, open to every operator; who may is judged per measure.
pub fn operator_router() -> Router<AppState> {
    Router::new()
        .route("/measures/{id}", put(edit_measure))
        .route("/measures/{id}/updates", post(add_progress))
}

/// The registration code in a path, normalised; 404 when it cannot be one.
fn code_in(path: &str) -> Result<String, AppError> {
    omk_api::tracking::parse("RG", path).map_err(|_| AppError::NotFound)
}

async fn status_of(
    conn: &mut sqlx::AnyConnection,
    row: RegistrationRow,
) -> Result<RegistrationStatus, AppError> {
    let waitlisted = row.state == RegistrationState::Waitlisted;
    let waitlist_position = if waitlisted {
        Some(db::registrations::waitlist_position(conn, row.event_id, row.id).await?)
    } else {
        None
    };
    Ok(RegistrationStatus {
        code: row.code,
        event_id: row.event_id,
        seats: u32::try_from(row.seats).unwrap_or(0),
        state: row.state,
        waitlist_position,
        checkin_code: if row.state == RegistrationState::Admitted {
            row.checkin_code
        } else {
            None
        },
        checked_in_at: row.checked_in_at,
    })
}

/// A registration by its code: admitted (with its check-in code at a meeting), waiting
/// (with its place) or cancelled.
#[utoipa::path(get, path = "/api/v1/registrations/{code}", tag = "events",
    operation_id = "registration", params(RegistrationCode),
    responses((status = 200, body = RegistrationStatus), Lookup))]
pub(crate) async fn registration(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<Json<RegistrationStatus>, AppError> {
    let code = code_in(&code)?;
    let mut conn = state.db.pool().acquire().await?;
    let row = db::registrations::find(&mut conn, &code)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Json(status_of(&mut conn, row).await?))
}

/// A QR code of the registration's page in the widget: it carries the code and nothing
/// personal, for its holder to follow a waitlist, show the check-in code at the door, cancel
/// or leave an opinion on a phone.
#[utoipa::path(get, path = "/api/v1/registrations/{code}/qr.svg", tag = "events",
    operation_id = "registration_qr_code", params(RegistrationCode),
    responses((status = 200, description = "A QR code (SVG) of `{public URL}/?view=events&registration={code}`", content_type = "image/svg+xml", body = String),
        Handover))]
pub(crate) async fn qr_code(
    State(state): State<AppState>,
    Path(code): Path<String>,
    public: PublicUrl,
) -> Result<Response, AppError> {
    let code = code_in(&code)?;
    let mut conn = state.db.pool().acquire().await?;
    let row = db::registrations::find(&mut conn, &code)
        .await?
        .ok_or(AppError::NotFound)?;
    let svg = qr::svg(&public.registration_page(&row.code))
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(super::svg_response(svg))
}

/// Cancels a registration with its code (a second cancellation changes nothing): an
/// admitted one frees its seats, and the waitlist is promoted in order in the same
/// transaction.
#[utoipa::path(delete, path = "/api/v1/registrations/{code}", tag = "events",
    operation_id = "cancel_registration", params(RegistrationCode),
    responses((status = 200, body = RegistrationStatus), Lookup))]
pub(crate) async fn cancel(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<Json<RegistrationStatus>, AppError> {
    let code = code_in(&code)?;
    let mut tx = state.db.pool().begin().await?;
    if db::registrations::cancel(&mut tx, &code).await?.is_none() {
        return Err(AppError::NotFound);
    }
    let row = db::registrations::find(&mut tx, &code)
        .await?
        .ok_or(AppError::NotFound)?;
    let status = status_of(&mut tx, row).await?;
    tx.commit().await?;
    state.changed(crate::live::Change::Program);
    Ok(Json(status))
}

/// An attendee's opinion, once checked in, once: private (only admins and supervisors read
/// it, through an audited view); 409 `not-checked-in` otherwise.
#[utoipa::path(post, path = "/api/v1/registrations/{code}/opinion", tag = "events",
    request_body = NewOpinion, params(RegistrationCode, params::IdempotencyKey),
    responses((status = 201, body = OpinionReceipt), OpinionWrite))]
pub(crate) async fn opinion(
    State(state): State<AppState>,
    Path(code): Path<String>,
    key: IdempotencyKey,
    ApiJson(input): ApiJson<NewOpinion>,
) -> Result<Response, AppError> {
    let code = code_in(&code)?;
    input.validate().map_err(AppError::Validation)?;
    let scope = format!("registrations/{code}/opinion");
    let mut write = match idempotency::begin(&state.db, &key, &scope, &input).await? {
        Begun::Replay(response) => return Ok(response),
        Begun::Fresh(write) => write,
    };
    let now = state.clock.now();
    if db::registrations::find(&mut write.tx, &code)
        .await?
        .is_none()
    {
        return Err(write.abandon(AppError::NotFound).await);
    }
    if !db::registrations::leave_opinion(&mut write.tx, &code, &input.text, now).await? {
        return Err(write
            .abandon(AppError::Refused(ProblemKind::NotCheckedIn))
            .await);
    }
    write
        .commit(StatusCode::CREATED, &OpinionReceipt { received_at: now })
        .await
}

/// A visitor's evaluation of the month's result ("Was it solved?" and 1–5 stars), only
/// while the cycle is `reviewing` (409 `wrong-stage` otherwise); bounded per client like a
/// vote (the kiosk and the phone ask once per visit or session).
#[utoipa::path(post, path = "/api/v1/cycles/{month}/evaluations", tag = "cycle",
    request_body = NewEvaluation, params(CycleMonth, params::IdempotencyKey),
    responses((status = 201, body = EvaluationReceipt), Evaluation))]
pub(crate) async fn evaluate(
    State(state): State<AppState>,
    Path(month): Path<String>,
    key: IdempotencyKey,
    ApiJson(input): ApiJson<NewEvaluation>,
) -> Result<Response, AppError> {
    let month = month_in(&month)?;
    input.validate().map_err(AppError::Validation)?;
    let scope = format!("cycles/{month}/evaluations");
    let mut write = match idempotency::begin(&state.db, &key, &scope, &input).await? {
        Begun::Replay(response) => return Ok(response),
        Begun::Fresh(write) => write,
    };
    let now = state.clock.now();
    let key_month = month.to_string();
    match db::cycles::stage_of_month(&mut write.tx, &key_month).await? {
        None => return Err(write.abandon(AppError::NotFound).await),
        Some(CycleStage::Reviewing) => {}
        Some(_) => {
            return Err(write
                .abandon(AppError::Refused(ProblemKind::WrongStage))
                .await);
        }
    }
    let stars = i64::from(input.stars);
    db::evaluations::insert(&mut write.tx, &key_month, input.outcome, stars, now).await?;
    let receipt = EvaluationReceipt {
        outcome: input.outcome,
        stars: input.stars,
        created_at: now,
    };
    write.commit(StatusCode::CREATED, &receipt).await
}

/// Attaches the month's executive meeting: an event of the program (its capacity is the
/// public seats) and the invited seats; until the cycle is `decided`.
#[utoipa::path(put, path = "/api/v1/admin/cycles/{month}/meeting", tag = "admin",
    params(CycleMonth), request_body = MeetingInput,
    responses((status = 200, body = MeetingView), OutcomeWrite))]
pub(crate) async fn set_meeting(
    State(state): State<AppState>,
    actor: Actor,
    Path(month): Path<String>,
    ApiJson(input): ApiJson<MeetingInput>,
) -> Result<Json<MeetingView>, AppError> {
    let month = month_in(&month)?;
    Ok(Json(
        outcome::set_meeting(Ops::of(&state), &actor, month, &input).await?,
    ))
}

/// Checks an attendee in with a single-use code: an unknown code is 422 `checkin-unknown`,
/// a used one 409 `checkin-used`; every attempt is audited.
#[utoipa::path(post, path = "/api/v1/admin/checkins", tag = "admin", request_body = CheckIn,
    responses((status = 200, body = CheckInReceipt), CheckinWrite))]
pub(crate) async fn check_in(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(input): ApiJson<CheckIn>,
) -> Result<Json<CheckInReceipt>, AppError> {
    Ok(Json(
        outcome::check_in(Ops::of(&state), &actor, &input).await?,
    ))
}

/// The opinions left at the month's meeting, oldest first; each view is audited.
#[utoipa::path(get, path = "/api/v1/admin/cycles/{month}/opinions", tag = "admin",
    params(CycleMonth), responses((status = 200, body = Vec<Opinion>), OutcomeRead))]
pub(crate) async fn opinions(
    State(state): State<AppState>,
    actor: Actor,
    Path(month): Path<String>,
) -> Result<Json<Vec<Opinion>>, AppError> {
    let month = month_in(&month)?;
    Ok(Json(
        outcome::opinions(Ops::of(&state), &actor, month).await?,
    ))
}

/// Enters (or replaces) the month's decision: a summary in both languages and the lead unit;
/// from `meeting` to `reviewing`.
#[utoipa::path(put, path = "/api/v1/admin/cycles/{month}/decision", tag = "admin",
    params(CycleMonth), request_body = DecisionInput,
    responses((status = 200, body = Decision), OutcomeWrite))]
pub(crate) async fn decide(
    State(state): State<AppState>,
    actor: Actor,
    Path(month): Path<String>,
    ApiJson(input): ApiJson<DecisionInput>,
) -> Result<Json<Decision>, AppError> {
    let month = month_in(&month)?;
    Ok(Json(
        outcome::decide(Ops::of(&state), &actor, month, &input).await?,
    ))
}

/// Adds a measure to the month's decision, from `meeting` to `reviewing` (a follow-up
/// measure only in `reviewing`).
#[utoipa::path(post, path = "/api/v1/admin/cycles/{month}/measures", tag = "admin",
    params(CycleMonth), request_body = MeasureInput,
    responses((status = 201, body = MeasureView), OutcomeWrite))]
pub(crate) async fn add_measure(
    State(state): State<AppState>,
    actor: Actor,
    Path(month): Path<String>,
    ApiJson(input): ApiJson<MeasureInput>,
) -> Result<(StatusCode, Json<MeasureView>), AppError> {
    let month = month_in(&month)?;
    let view = outcome::add_measure(Ops::of(&state), &actor, month, &input).await?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// Changes a measure: admins any, a unit's operators only their own unit's (403, audited,
/// for another's); until the cycle is closed.
#[utoipa::path(put, path = "/api/v1/admin/measures/{id}", tag = "admin",
    params(MeasureId), request_body = MeasureInput,
    responses((status = 200, body = MeasureView), OutcomeEdit))]
pub(crate) async fn edit_measure(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<MeasureInput>,
) -> Result<Json<MeasureView>, AppError> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    Ok(Json(
        outcome::edit_measure(Ops::of(&state), &actor, id, &input).await?,
    ))
}

/// Adds a progress update, dated today, to a measure; who may is as for changing it.
#[utoipa::path(post, path = "/api/v1/admin/measures/{id}/updates", tag = "admin",
    params(MeasureId), request_body = ProgressInput,
    responses((status = 201, body = MeasureView), OutcomeEdit))]
pub(crate) async fn add_progress(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<ProgressInput>,
) -> Result<(StatusCode, Json<MeasureView>), AppError> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let view = outcome::add_progress(Ops::of(&state), &actor, id, &input).await?;
    Ok((StatusCode::CREATED, Json(view)))
}
