//! `/admin/letters`: the operators' mailbox (`ops::mailbox`): the letters (a unit operator
//! sees their unit's), one letter with its history, the audited contact view, the review
//! (accept and route, or decline with a reason), the reply, the publication of an approved
//! public version, and the supervision list.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use omk_api::mailbox::params::LetterCode;
use omk_api::{
    Contact, LetterDetail, LetterItem, LetterPage, LetterPublication, LetterQuery, LetterReply,
    LetterReview, Promotion, ProposalReceipt,
};

use crate::auth::{self, Actor};
use crate::error::AppError;
use crate::extract::{ApiJson, ApiQuery};
use crate::openapi::{AdminListing, ContactView, Inbox, IssueRead, LetterMove, PromotionWrite};
use crate::ops::cycle::promotion;
use crate::ops::{Ops, mailbox};
use crate::state::AppState;

/// The letter routes, relative to `/admin`.
pub fn router() -> Router<AppState> {
    let moderators = Router::new()
        .route("/letters/{code}/promotion", post(promote))
        .route_layer(axum::middleware::from_fn(auth::require_moderator));
    Router::new()
        .route("/letters", get(list))
        .route("/letters/supervision", get(supervision))
        .route("/letters/{code}", get(detail))
        .route("/letters/{code}/contact", post(contact))
        .route("/letters/{code}/review", post(review))
        .route("/letters/{code}/reply", post(reply))
        .route("/letters/{code}/publication", post(publish))
        .merge(moderators)
}

/// A page of letters, newest first: an admin's every letter, a unit operator's their unit's.
#[utoipa::path(get, path = "/api/v1/admin/letters", tag = "admin", operation_id = "admin_letters",
    params(LetterQuery), responses((status = 200, body = LetterPage), Inbox))]
pub(crate) async fn list(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(query): ApiQuery<LetterQuery>,
) -> Result<Json<LetterPage>, AppError> {
    Ok(Json(mailbox::list(Ops::of(&state), &actor, &query).await?))
}

/// The supervision list: replied letters whose writers were not satisfied and said why
/// (admins).
#[utoipa::path(get, path = "/api/v1/admin/letters/supervision", tag = "admin", operation_id = "letter_supervision",
    params(LetterQuery), responses((status = 200, body = LetterPage), AdminListing))]
pub(crate) async fn supervision(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(query): ApiQuery<LetterQuery>,
) -> Result<Json<LetterPage>, AppError> {
    Ok(Json(
        mailbox::supervision(Ops::of(&state), &actor, &query).await?,
    ))
}

/// One letter with its history, oldest first; another unit's is 403 (audited).
#[utoipa::path(get, path = "/api/v1/admin/letters/{code}", tag = "admin", operation_id = "admin_letter",
    params(LetterCode), responses((status = 200, body = LetterDetail), IssueRead))]
pub(crate) async fn detail(
    State(state): State<AppState>,
    actor: Actor,
    Path(code): Path<String>,
) -> Result<Json<LetterDetail>, AppError> {
    Ok(Json(mailbox::read(Ops::of(&state), &actor, &code).await?))
}

/// The writer's name and phone. Each view is written to the audit log before they are sent;
/// 404 once they are erased.
#[utoipa::path(post, path = "/api/v1/admin/letters/{code}/contact", tag = "admin",
    operation_id = "letter_contact", params(LetterCode),
    responses((status = 200, body = Contact), ContactView))]
pub(crate) async fn contact(
    State(state): State<AppState>,
    actor: Actor,
    Path(code): Path<String>,
) -> Result<Json<Contact>, AppError> {
    Ok(Json(
        mailbox::contact(Ops::of(&state), &actor, &code).await?,
    ))
}

/// Accepts a letter awaiting review and routes it to a unit, or declines it with a reason
/// (admins); 409 for a letter reviewed already.
#[utoipa::path(post, path = "/api/v1/admin/letters/{code}/review", tag = "admin", operation_id = "review_letter",
    params(LetterCode), request_body = LetterReview,
    responses((status = 200, body = LetterItem), LetterMove))]
pub(crate) async fn review(
    State(state): State<AppState>,
    actor: Actor,
    Path(code): Path<String>,
    ApiJson(body): ApiJson<LetterReview>,
) -> Result<Json<LetterItem>, AppError> {
    Ok(Json(
        mailbox::review(Ops::of(&state), &actor, &code, &body).await?,
    ))
}

/// Replies to an accepted letter: its unit's operators or an admin; 409 for a letter not
/// accepted or replied already.
#[utoipa::path(post, path = "/api/v1/admin/letters/{code}/reply", tag = "admin", operation_id = "reply_letter",
    params(LetterCode), request_body = LetterReply,
    responses((status = 200, body = LetterItem), LetterMove))]
pub(crate) async fn reply(
    State(state): State<AppState>,
    actor: Actor,
    Path(code): Path<String>,
    ApiJson(body): ApiJson<LetterReply>,
) -> Result<Json<LetterItem>, AppError> {
    Ok(Json(
        mailbox::reply(Ops::of(&state), &actor, &code, &body).await?,
    ))
}

/// Publishes a replied letter as its approved public version (admins): only when its writer
/// consented (422 `may_publish` otherwise); 409 for a letter not replied, or published
/// already.
#[utoipa::path(post, path = "/api/v1/admin/letters/{code}/publication", tag = "admin", operation_id = "publish_letter",
    params(LetterCode), request_body = LetterPublication,
    responses((status = 200, body = LetterItem), LetterMove))]
pub(crate) async fn publish(
    State(state): State<AppState>,
    actor: Actor,
    Path(code): Path<String>,
    ApiJson(body): ApiJson<LetterPublication>,
) -> Result<Json<LetterItem>, AppError> {
    Ok(Json(
        mailbox::publish(Ops::of(&state), &actor, &code, &body).await?,
    ))
}

/// Promotes a letter to a proposal of a month taking them (moderators and admins), worded
/// by the moderator: published at once, linked both ways; 409 for one promoted already.
#[utoipa::path(post, path = "/api/v1/admin/letters/{code}/promotion", tag = "admin",
    operation_id = "promote_letter", params(LetterCode), request_body = Promotion,
    responses((status = 201, body = ProposalReceipt), PromotionWrite))]
pub(crate) async fn promote(
    State(state): State<AppState>,
    actor: Actor,
    Path(code): Path<String>,
    ApiJson(input): ApiJson<Promotion>,
) -> Result<(StatusCode, Json<ProposalReceipt>), AppError> {
    let code = omk_api::mailbox::normalise_code(&code).ok_or(AppError::NotFound)?;
    let receipt = promotion::letter(Ops::of(&state), &actor, &code, &input).await?;
    Ok((StatusCode::CREATED, Json(receipt)))
}
