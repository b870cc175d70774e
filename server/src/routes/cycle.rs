//! `/cycle`, `/cycles` and `/proposals`: the month's public cycle as everyone sees it
//! (kiosk, phone, host page), the archive of every month's cycle, and visitors' writes on a
//! cycle: proposals while it is `soliciting`, representatives' votes while it is `voting`
//! (the public vote is `POST /votes` on a candidate).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Json, Router};
use omk_api::cycle::{CycleMonth, ProposalCode};
use omk_api::{
    CycleStage, CycleSummary, CycleView, List, Month, NewProposal, ProposalReceipt, ProposalState,
    ProposalStatus, PublicProposal, RepresentativeVote, RepresentativeVoteReceipt, params,
};

use crate::commit::Write;
use crate::db;
use crate::error::AppError;
use crate::extract::ApiJson;
use crate::idempotency::{self, Begun, IdempotencyKey};
use crate::live::Change;
use crate::openapi::{Lookup, PhoneLink, ProposalSubmit, Read, RepresentativeVoting};
use crate::ops::Ops;
use crate::ops::cycle::{proposals, selection, view};
use crate::state::AppState;
use crate::tracking;

/// How many fresh codes a proposal tries before giving up.
const CODE_ATTEMPTS: usize = 8;

/// The public cycle routes, relative to `/api/v1`.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/cycle", get(current))
        .route("/cycle/qr.svg", get(qr_code))
        .route("/cycles", get(archive))
        .route("/cycles/{month}", get(one))
        .route(
            "/cycles/{month}/proposals",
            get(public_proposals).post(propose),
        )
        .route("/cycles/{month}/representative-votes", post(represent))
        .route("/proposals/{code}", get(proposal))
}

/// The month in a path; 404 for anything that is not `YYYY-MM`.
pub(crate) fn month_in(path: &str) -> Result<Month, AppError> {
    Month::parse(path).ok_or(AppError::NotFound)
}

/// The current cycle: the one of the server's current month (UTC+8) if there is one, else
/// the latest one not closed; 404 when there is none.
#[utoipa::path(get, path = "/api/v1/cycle", tag = "cycle", operation_id = "current_cycle",
    responses((status = 200, body = CycleView), Lookup))]
pub(crate) async fn current(State(state): State<AppState>) -> Result<Json<CycleView>, AppError> {
    let found = view::current(Ops::of(&state)).await?;
    found.map(Json).ok_or(AppError::NotFound)
}

/// A QR code of the widget's page of the month's question, for a hall display.
#[utoipa::path(get, path = "/api/v1/cycle/qr.svg", tag = "cycle", operation_id = "cycle_qr_code",
    responses((status = 200, description = "A QR code (SVG) of `{public URL}/?view=vote`", content_type = "image/svg+xml", body = String),
        PhoneLink))]
pub(crate) async fn qr_code(public: crate::public_url::PublicUrl) -> Result<Response, AppError> {
    let svg = crate::qr::svg(&public.vote_page()).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(super::svg_response(svg))
}

/// Every month's cycle, newest month first: the archive.
#[utoipa::path(get, path = "/api/v1/cycles", tag = "cycle", operation_id = "list_cycles",
    responses((status = 200, body = Vec<CycleSummary>), Read))]
pub(crate) async fn archive(
    State(state): State<AppState>,
) -> Result<Json<Vec<CycleSummary>>, AppError> {
    Ok(Json(view::archive(Ops::of(&state)).await?))
}

/// One month's cycle; 404 for a month without one.
#[utoipa::path(get, path = "/api/v1/cycles/{month}", tag = "cycle", operation_id = "cycle",
    params(CycleMonth), responses((status = 200, body = CycleView), Lookup))]
pub(crate) async fn one(
    State(state): State<AppState>,
    Path(month): Path<String>,
) -> Result<Json<CycleView>, AppError> {
    let month = month_in(&month)?;
    let found = view::of(Ops::of(&state), month).await?;
    found.map(Json).ok_or(AppError::NotFound)
}

/// A month's proposals shown publicly (published, and merged into a published one), oldest
/// first; never a phone.
#[utoipa::path(get, path = "/api/v1/cycles/{month}/proposals", tag = "cycle",
    operation_id = "public_proposals", params(CycleMonth),
    responses((status = 200, body = Vec<PublicProposal>), Lookup))]
pub(crate) async fn public_proposals(
    State(state): State<AppState>,
    Path(month): Path<String>,
) -> Result<Json<Vec<PublicProposal>>, AppError> {
    let month = month_in(&month)?;
    let mut conn = state.db.pool().acquire().await?;
    if db::cycles::find(&mut conn, month).await?.is_none() {
        return Err(AppError::NotFound);
    }
    let rows = db::proposals::of_month(&mut conn, &month.to_string(), true).await?;
    Ok(Json(rows.iter().map(|row| row.public(&rows)).collect()))
}

/// Takes a visitor's proposal for the month's topic while the month's cycle is
/// `soliciting` (409 `proposals-closed` otherwise); 201 with the code to follow it by.
#[utoipa::path(post, path = "/api/v1/cycles/{month}/proposals", tag = "cycle",
    request_body = NewProposal, params(CycleMonth, params::IdempotencyKey),
    responses((status = 201, body = ProposalReceipt), ProposalSubmit))]
pub(crate) async fn propose(
    State(state): State<AppState>,
    Path(month): Path<String>,
    key: IdempotencyKey,
    ApiJson(proposal): ApiJson<NewProposal>,
) -> Result<Response, AppError> {
    let month = month_in(&month)?;
    proposal.validate().map_err(AppError::Validation)?;
    let district = proposal.district.trim();
    if !db::lists::is_active(state.db.pool(), List::Districts, district).await? {
        return Err(AppError::field("district", "unknown_district"));
    }
    let scope = format!("cycles/{month}/proposals");
    let mut write = match idempotency::begin(&state.db, &key, &scope, &proposal).await? {
        Begun::Replay(response) => return Ok(response),
        Begun::Fresh(write) => write,
    };
    let key_month = month.to_string();
    let stage = match db::cycles::stage_of_month(&mut write.tx, &key_month).await {
        Ok(stage) => stage,
        Err(error) => return Err(write.abandon(error.into()).await),
    };
    match stage {
        None => return Err(write.abandon(AppError::NotFound).await),
        Some(CycleStage::Soliciting) => {}
        Some(_) => {
            return Err(write
                .abandon(AppError::Refused(omk_api::ProblemKind::ProposalsClosed))
                .await);
        }
    }
    let now = state.clock.now();
    for _ in 0..CODE_ATTEMPTS {
        let code = match tracking::generate_with_prefix("PR") {
            Ok(code) => code,
            Err(e) => {
                let error = AppError::Internal(format!("no randomness: {e}"));
                return Err(write.abandon(error).await);
            }
        };
        let row = db::proposals::NewProposalRow {
            code: &code,
            month: &key_month,
            title: proposal.title.trim(),
            text: proposal.text.trim(),
            district,
            phone: proposal.phone(),
            created_at: now,
        };
        match db::proposals::insert(&mut write.tx, &row).await {
            Ok(true) => {
                let receipt = ProposalReceipt {
                    code,
                    month,
                    state: ProposalState::Received,
                    created_at: now,
                };
                return write.commit(StatusCode::CREATED, &receipt).await;
            }
            Ok(false) => {}
            Err(error) => return Err(write.abandon(error.into()).await),
        }
    }
    Err(write
        .abandon(AppError::Internal("no free proposal code".into()))
        .await)
}

/// A proposal followed by its code: its state and the public reason; never the phone.
#[utoipa::path(get, path = "/api/v1/proposals/{code}", tag = "cycle", operation_id = "proposal",
    params(ProposalCode), responses((status = 200, body = ProposalStatus), Lookup))]
pub(crate) async fn proposal(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<Json<ProposalStatus>, AppError> {
    let code = omk_api::tracking::parse("PR", &code).map_err(|_| AppError::NotFound)?;
    let mut conn = state.db.pool().acquire().await?;
    let row = db::proposals::find(&mut conn, &code)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Json(proposals::status(&row)?))
}

/// Counts a representative's vote while the month's cycle is `voting` (409
/// `voting-closed` otherwise), using up its printed code: an unknown code is 422
/// `code-unknown`, a used one 409 `code-used`. The vote keeps its day only, and nothing of
/// the code.
#[utoipa::path(post, path = "/api/v1/cycles/{month}/representative-votes", tag = "cycle",
    request_body = RepresentativeVote, params(CycleMonth, params::IdempotencyKey),
    responses((status = 201, body = RepresentativeVoteReceipt), RepresentativeVoting))]
pub(crate) async fn represent(
    State(state): State<AppState>,
    Path(month): Path<String>,
    key: IdempotencyKey,
    ApiJson(vote): ApiJson<RepresentativeVote>,
) -> Result<Response, AppError> {
    let month = month_in(&month)?;
    let key_month = month.to_string();
    let candidate = vote.candidate.trim();
    if candidate.is_empty() {
        return Err(AppError::field("candidate", "required"));
    }
    {
        let mut conn = state.db.pool().acquire().await?;
        match db::cycles::stage_of_month(&mut conn, &key_month).await? {
            None => return Err(AppError::NotFound),
            Some(CycleStage::Voting) => {}
            Some(_) => return Err(AppError::VotingClosed),
        }
        let candidates = db::topics::candidates(&mut conn, &key_month).await?;
        if !candidates.iter().any(|c| c.id == candidate) {
            return Err(AppError::field("candidate", "unknown_candidate"));
        }
    }
    let code = omk_api::tracking::parse(selection::CODE_PREFIX, &vote.code)
        .map_err(|_| AppError::Refused(omk_api::ProblemKind::CodeUnknown))?;
    let now = state.clock.now();
    let write = Write::RepresentativeVote {
        code_hash: selection::code_hash(&key_month, &code),
        month: key_month,
        topic: candidate.to_owned(),
        day_start: crate::clock::local_day_start(crate::clock::local_day(now)),
    };
    // The key is claimed on the candidate alone: nothing kept with it is derived from the
    // code, so no stored row links a code to the candidate it voted for.
    let scope = format!("cycles/{month}/representative-votes");
    let claimed = serde_json::json!({ "candidate": candidate });
    let committed = state
        .committer
        .submit(&key, &scope, &claimed, write)
        .await?;
    if !committed.is_replay() {
        state.changed(Change::Topics);
    }
    Ok(committed.into_response())
}
