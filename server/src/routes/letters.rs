//! `/letters`: writing to the mayor's mailbox, following a letter by its code, rating its
//! reply, the published letters and the monthly figures. No answer here ever carries a
//! writer's name or phone; a private letter's reply is shown only to whoever has its code.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Json, Router};
use omk_api::mailbox::{self, params::LetterCode};
use omk_api::{
    FiguresQuery, LetterFigures, LetterRating, LetterReceipt, LetterView, NewLetter, PageQuery,
    PublishedPage, Satisfaction, params,
};

use crate::db::letters::LetterRow;
use crate::error::AppError;
use crate::extract::{ApiJson, ApiQuery};
use crate::idempotency::{self, Begun, IdempotencyKey};
use crate::openapi::{Handover, LetterRatingWrite, Listing, Lookup, PhoneLink, VisitorWrite};
use crate::public_url::PublicUrl;
use crate::state::AppState;
use crate::{db, qr, tracking};

/// How many fresh codes to try before giving up.
const CODE_ATTEMPTS: usize = 8;

/// The letter routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/letters", post(write).get(published))
        .route("/letters/figures", get(figures))
        .route("/letters/qr.svg", get(replies_qr_code))
        .route("/letters/{code}", get(view))
        .route("/letters/{code}/qr.svg", get(qr_code))
        .route("/letters/{code}/rating", post(rate))
}

/// Stores a letter awaiting review and answers with its code, the writer's only key to it.
/// The name and phone are required and private.
#[utoipa::path(post, path = "/api/v1/letters", operation_id = "write_letter", tag = "mailbox", request_body = NewLetter,
    params(params::IdempotencyKey), responses((status = 201, body = LetterReceipt), VisitorWrite))]
pub(crate) async fn write(
    State(state): State<AppState>,
    key: IdempotencyKey,
    ApiJson(letter): ApiJson<NewLetter>,
) -> Result<Response, AppError> {
    letter.validate().map_err(AppError::Validation)?;
    let mut write = match idempotency::begin(&state.db, &key, "letters", &letter).await? {
        Begun::Replay(response) => return Ok(response),
        Begun::Fresh(write) => write,
    };
    let now = state.clock.now();
    for _ in 0..CODE_ATTEMPTS {
        let code = tracking::generate_with_prefix(mailbox::CODE_PREFIX)
            .map_err(|e| AppError::Internal(format!("no randomness: {e}")))?;
        let row = LetterRow::received(letter.normalized(), code.clone(), now);
        if db::letters::insert(&mut write.tx, &row).await? {
            let receipt = LetterReceipt {
                state: row.state,
                code,
                created_at: now,
            };
            let filed = Some(receipt.code.as_str());
            return write
                .commit_filed(StatusCode::CREATED, &receipt, filed)
                .await;
        }
    }
    Err(write
        .abandon(AppError::Internal("no free letter code".into()))
        .await)
}

/// A letter by its code: its text, where it stands, the reply and the dates; never the
/// writer's contact.
#[utoipa::path(get, path = "/api/v1/letters/{code}", operation_id = "letter", tag = "mailbox", params(LetterCode),
    responses((status = 200, body = LetterView), Lookup))]
pub(crate) async fn view(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<Json<LetterView>, AppError> {
    let code = mailbox::normalise_code(&code).ok_or(AppError::NotFound)?;
    db::letters::view(&state.db, &code)
        .await?
        .map(Json)
        .ok_or(AppError::NotFound)
}

/// A QR code of the mailbox's public replies in the widget, for a hall display.
#[utoipa::path(get, path = "/api/v1/letters/qr.svg", tag = "mailbox", operation_id = "replies_qr_code",
    responses((status = 200, description = "A QR code (SVG) of `{public URL}/?view=mailbox&section=replies`", content_type = "image/svg+xml", body = String),
        PhoneLink))]
pub(crate) async fn replies_qr_code(public: PublicUrl) -> Result<Response, AppError> {
    let svg = qr::svg(&public.replies_page()).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(super::svg_response(svg))
}

/// A QR code of the letter's page in the widget: it carries the code and nothing personal,
/// for the writer to follow the letter on a phone.
#[utoipa::path(get, path = "/api/v1/letters/{code}/qr.svg", tag = "mailbox", operation_id = "letter_qr_code",
    params(LetterCode),
    responses((status = 200, description = "A QR code (SVG) of `{public URL}/?view=mailbox&letter={code}`", content_type = "image/svg+xml", body = String),
        Handover))]
pub(crate) async fn qr_code(
    State(state): State<AppState>,
    Path(code): Path<String>,
    public: PublicUrl,
) -> Result<Response, AppError> {
    let code = mailbox::normalise_code(&code).ok_or(AppError::NotFound)?;
    let letter = db::letters::view(&state.db, &code)
        .await?
        .ok_or(AppError::NotFound)?;
    let svg = qr::svg(&public.letter_page(&letter.code))
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(super::svg_response(svg))
}

/// The writer's judgement of the reply, once, with the code: 409 before the reply or after
/// a first rating. A "not satisfied" with a reason goes to the supervision list.
#[utoipa::path(post, path = "/api/v1/letters/{code}/rating", operation_id = "rate_letter", tag = "mailbox",
    params(LetterCode, params::IdempotencyKey), request_body = LetterRating,
    responses((status = 200, body = LetterView), LetterRatingWrite))]
pub(crate) async fn rate(
    State(state): State<AppState>,
    Path(code): Path<String>,
    key: IdempotencyKey,
    ApiJson(rating): ApiJson<LetterRating>,
) -> Result<Response, AppError> {
    let code = mailbox::normalise_code(&code).ok_or(AppError::NotFound)?;
    rating.validate().map_err(AppError::Validation)?;
    let scope = format!("letters/{code}/rating");
    let mut write = match idempotency::begin(&state.db, &key, &scope, &rating).await? {
        Begun::Replay(response) => return Ok(response),
        Begun::Fresh(write) => write,
    };
    let Some(letter) = db::letters::claim(&mut write.tx, &code).await? else {
        return Err(write.abandon(AppError::NotFound).await);
    };
    // A reason is kept only with "not satisfied": it is what supervision follows up.
    let reason = match rating.satisfaction {
        Satisfaction::NotSatisfied => rating.reason(),
        Satisfaction::Satisfied => None,
    };
    let now = state.clock.now();
    if !letter.state.is_replied()
        || !db::letters::rate(&mut write.tx, &code, rating.satisfaction, reason, now).await?
    {
        return Err(write.abandon(AppError::WrongState).await);
    }
    let view = LetterView {
        rating: Some(rating.satisfaction),
        rated_at: Some(now),
        code: letter.code,
        kind: letter.kind,
        title: letter.title,
        text: letter.text,
        state: letter.state,
        decline_reason: letter.decline_reason,
        reply: letter.reply,
        may_publish: letter.may_publish,
        created_at: letter.created_at,
        reviewed_at: letter.reviewed_at,
        replied_at: letter.replied_at,
        published_at: letter.published_at,
        proposal: letter.proposal,
    };
    write.commit(StatusCode::OK, &view).await
}

/// The published letters, most recently published first: each as its approved public version
/// with the reply. A letter whose writer did not consent is never here.
#[utoipa::path(get, path = "/api/v1/letters", tag = "mailbox", operation_id = "list_letters",
    params(PageQuery), responses((status = 200, body = PublishedPage), Listing))]
pub(crate) async fn published(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<PageQuery>,
) -> Result<Json<PublishedPage>, AppError> {
    let (limit, offset) = query.limit_offset();
    let (items, total) = db::letters::published(&state.db, limit, offset).await?;
    Ok(Json(PublishedPage { items, total }))
}

/// The mailbox's figures for a month (the current one by default): letters received,
/// declined and replied, the reply rate, satisfaction and the median days to a reply, each
/// computed from the stored letters written that month, with its n.
#[utoipa::path(get, path = "/api/v1/letters/figures", operation_id = "letter_figures", tag = "mailbox", params(FiguresQuery),
    responses((status = 200, body = LetterFigures), Listing))]
pub(crate) async fn figures(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<FiguresQuery>,
) -> Result<Json<LetterFigures>, AppError> {
    let month = query
        .month
        .unwrap_or_else(|| mailbox::month_of(state.clock.now()));
    let (start, end) = mailbox::month_span(&month).ok_or(AppError::BadRequest)?;
    let rows = db::letters::written_between(&state.db, start, end).await?;
    Ok(Json(crate::ops::mailbox::figures(month, &rows)))
}
