//! `/admin/cycles` and `/admin/proposals`: the operators' work on the month's cycle
//! (`ops::cycle`). Admins create a cycle, move it, set the weights, draw up the shortlist,
//! import the hotline's counts, issue representatives' codes, choose the topic and see a
//! proposal's phone (audited); moderators and admins moderate proposals; supervisors,
//! moderators and admins read the moderation queue.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use omk_api::cycle::{CycleCandidate, CycleMonth, ProposalCode};
use omk_api::{
    CandidateInput, CandidateView, Choice, ChoiceInput, CodeRequest, CycleInput, CycleView,
    IssuedCodes, ModeratedProposal, ProposalContact, ProposalModeration, ProposalStatus,
    SignalsReport, StageMove, Weights,
};

use super::cycle::month_in;
use crate::auth::{self, Actor};
use crate::error::AppError;
use crate::extract::ApiJson;
use crate::import;
use crate::openapi::{
    AdminLookup, CandidateEdit, ContactView, CycleCreate, CycleWrite, ProposalModerate,
    SignalsImport, StageChange, WeightsChange,
};
use crate::ops::cycle::{proposals, selection, signals};
use crate::ops::{Ops, cycle};
use crate::state::AppState;

/// The cycle's operator routes, relative to `/admin`, each behind the roles it names.
pub fn router() -> Router<AppState> {
    let admins = Router::new()
        .route("/cycles", post(create))
        .route("/cycles/{month}/stage", post(advance))
        .route("/cycles/{month}/weights", put(weights))
        .route("/cycles/{month}/candidates/{id}", put(candidate))
        .route("/cycles/{month}/signals", post(import_signals))
        .route("/cycles/{month}/codes", post(codes))
        .route("/cycles/{month}/choice", post(choose))
        .route("/proposals/{code}/contact", post(contact))
        .route_layer(axum::middleware::from_fn(auth::require_admin));
    let moderators = Router::new()
        .route("/proposals/{code}/moderation", post(moderate))
        .route_layer(axum::middleware::from_fn(auth::require_moderator));
    let readers = Router::new()
        .route("/cycles/{month}/proposals", get(queue))
        .route_layer(axum::middleware::from_fn(auth::require_moderation_reader));
    admins.merge(moderators).merge(readers)
}

/// Creates a month's cycle with the day planned for each stage; it starts at `soliciting`.
#[utoipa::path(post, path = "/api/v1/admin/cycles", tag = "admin", request_body = CycleInput,
    responses((status = 201, body = CycleView), CycleCreate))]
pub(crate) async fn create(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(input): ApiJson<CycleInput>,
) -> Result<(StatusCode, Json<CycleView>), AppError> {
    let view = cycle::create(Ops::of(&state), &actor, &input).await?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// Moves a month's cycle to its next stage (never back, never skipping one), once that
/// stage's requirements are met: `voting` needs at least two candidates and the weights,
/// `meeting` a chosen candidate (leaving voting freezes the scores; a choice that is not
/// the frozen top score needs its reason).
#[utoipa::path(post, path = "/api/v1/admin/cycles/{month}/stage", tag = "admin",
    params(CycleMonth), request_body = StageMove,
    responses((status = 200, body = CycleView), StageChange))]
pub(crate) async fn advance(
    State(state): State<AppState>,
    actor: Actor,
    Path(month): Path<String>,
    ApiJson(step): ApiJson<StageMove>,
) -> Result<Json<CycleView>, AppError> {
    let month = month_in(&month)?;
    let view = cycle::advance(Ops::of(&state), &actor, month, &step).await?;
    Ok(Json(view))
}

/// Sets the score's weights (whole percentages summing to 100), until voting opens.
#[utoipa::path(put, path = "/api/v1/admin/cycles/{month}/weights", tag = "admin",
    params(CycleMonth), request_body = Weights,
    responses((status = 200, body = Weights), WeightsChange))]
pub(crate) async fn weights(
    State(state): State<AppState>,
    actor: Actor,
    Path(month): Path<String>,
    ApiJson(input): ApiJson<Weights>,
) -> Result<Json<Weights>, AppError> {
    let month = month_in(&month)?;
    Ok(Json(
        selection::set_weights(Ops::of(&state), &actor, month, &input).await?,
    ))
}

/// Creates or replaces a candidate of the month's shortlist, while screening.
#[utoipa::path(put, path = "/api/v1/admin/cycles/{month}/candidates/{id}", tag = "admin",
    params(CycleCandidate), request_body = CandidateInput,
    responses((status = 200, body = CandidateView), CandidateEdit))]
pub(crate) async fn candidate(
    State(state): State<AppState>,
    actor: Actor,
    Path((month, id)): Path<(String, String)>,
    ApiJson(input): ApiJson<CandidateInput>,
) -> Result<Json<CandidateView>, AppError> {
    let month = month_in(&month)?;
    Ok(Json(
        selection::put_candidate(Ops::of(&state), &actor, month, &id, &input).await?,
    ))
}

/// Replaces the month's 12345 hotline counts with a CSV file (`category,district,count`,
/// aggregates only), until voting closes: all of it, or, when any line has a problem,
/// nothing, with a 422 listing each line's problems.
#[utoipa::path(post, path = "/api/v1/admin/cycles/{month}/signals", tag = "admin",
    params(CycleMonth),
    request_body(description = "CSV with a header row `category,district,count` (`text/csv`): the month's calls to the 12345 hotline per category (an id of the categories list) and district (an id of the districts list), a whole number from 0. Every line is checked before anything is written: a 422 lists each problem with its `line`, `field` and `code`, and nothing is written.",
        content((String = "text/csv"))),
    responses((status = 200, body = SignalsReport), SignalsImport))]
pub(crate) async fn import_signals(
    State(state): State<AppState>,
    actor: Actor,
    Path(month): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<SignalsReport>, AppError> {
    let month = month_in(&month)?;
    let is_csv = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim().to_ascii_lowercase().starts_with("text/csv"));
    if !is_csv {
        return Err(AppError::UnsupportedMediaType);
    }
    let body = body.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            AppError::TooLarge
        } else {
            AppError::Malformed
        }
    })?;
    let text = import::decode(&body).map_err(|rejected| AppError::Validation(rejected.0))?;
    Ok(Json(
        signals::import(Ops::of(&state), &actor, month, text).await?,
    ))
}

/// Issues single-use codes for the month's representatives, until voting closes. The codes
/// are in this answer only: the server keeps their hashes.
#[utoipa::path(post, path = "/api/v1/admin/cycles/{month}/codes", tag = "admin",
    params(CycleMonth), request_body = CodeRequest,
    responses((status = 201, body = IssuedCodes), CycleWrite))]
pub(crate) async fn codes(
    State(state): State<AppState>,
    actor: Actor,
    Path(month): Path<String>,
    ApiJson(request): ApiJson<CodeRequest>,
) -> Result<(StatusCode, Json<IssuedCodes>), AppError> {
    let month = month_in(&month)?;
    let issued = selection::issue_codes(Ops::of(&state), &actor, month, &request).await?;
    Ok((StatusCode::CREATED, Json(issued)))
}

/// Chooses the month's topic among its candidates while voting; a candidate other than the
/// top score needs a public reason (422 naming `reason`).
#[utoipa::path(post, path = "/api/v1/admin/cycles/{month}/choice", tag = "admin",
    params(CycleMonth), request_body = ChoiceInput,
    responses((status = 200, body = Choice), CycleWrite))]
pub(crate) async fn choose(
    State(state): State<AppState>,
    actor: Actor,
    Path(month): Path<String>,
    ApiJson(input): ApiJson<ChoiceInput>,
) -> Result<Json<Choice>, AppError> {
    let month = month_in(&month)?;
    Ok(Json(
        selection::choose(Ops::of(&state), &actor, month, &input).await?,
    ))
}

/// Every proposal of the month with its state and whether it left a phone (never the phone
/// itself): the moderation queue.
#[utoipa::path(get, path = "/api/v1/admin/cycles/{month}/proposals", tag = "admin",
    operation_id = "moderation_queue", params(CycleMonth),
    responses((status = 200, body = Vec<ModeratedProposal>), AdminLookup))]
pub(crate) async fn queue(
    State(state): State<AppState>,
    Path(month): Path<String>,
) -> Result<Json<Vec<ModeratedProposal>>, AppError> {
    let month = month_in(&month)?;
    Ok(Json(
        proposals::for_moderation(Ops::of(&state), month).await?,
    ))
}

/// Publishes a proposal, merges it into another published one of the month (both then show
/// the link), or rejects it with a public reason.
#[utoipa::path(post, path = "/api/v1/admin/proposals/{code}/moderation", tag = "admin",
    operation_id = "moderate_proposal", params(ProposalCode), request_body = ProposalModeration,
    responses((status = 200, body = ProposalStatus), ProposalModerate))]
pub(crate) async fn moderate(
    State(state): State<AppState>,
    actor: Actor,
    Path(code): Path<String>,
    ApiJson(input): ApiJson<ProposalModeration>,
) -> Result<Json<ProposalStatus>, AppError> {
    let code = omk_api::tracking::parse("PR", &code).map_err(|_| AppError::NotFound)?;
    Ok(Json(
        proposals::moderate(Ops::of(&state), &actor, &code, &input).await?,
    ))
}

/// Shows a proposal's phone to an admin; the view is written to the audit log first.
#[utoipa::path(post, path = "/api/v1/admin/proposals/{code}/contact", tag = "admin",
    operation_id = "proposal_contact", params(ProposalCode),
    responses((status = 200, body = ProposalContact), ContactView))]
pub(crate) async fn contact(
    State(state): State<AppState>,
    actor: Actor,
    Path(code): Path<String>,
) -> Result<Json<ProposalContact>, AppError> {
    let code = omk_api::tracking::parse("PR", &code).map_err(|_| AppError::NotFound)?;
    Ok(Json(
        proposals::contact(Ops::of(&state), &actor, &code).await?,
    ))
}
