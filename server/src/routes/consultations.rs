//! `/consultations`: the public's opinion collections (published ones only, with their
//! published comments) and a visitor's comment on an open one.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Json, Router};
use omk_api::mailbox::params::CollectionId;
use omk_api::{Collection, CollectionDetail, CommentReceipt, CommentState, NewComment, params};

use crate::db;
use crate::error::AppError;
use crate::extract::ApiJson;
use crate::idempotency::{self, Begun, IdempotencyKey};
use crate::openapi::{CommentWrite, Lookup, Read};
use crate::ops::mailbox::public_form;
use crate::state::AppState;

/// The public collection routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/consultations", get(list))
        .route("/consultations/{id}", get(detail))
        .route("/consultations/{id}/comments", post(comment))
}

/// Every published collection, the latest to open first.
#[utoipa::path(get, path = "/api/v1/consultations", tag = "mailbox", operation_id = "list_consultations",
    responses((status = 200, body = Vec<Collection>), Read))]
pub(crate) async fn list(State(state): State<AppState>) -> Result<Json<Vec<Collection>>, AppError> {
    let now = state.clock.now();
    let all = db::consultations::list(&state.db, true).await?;
    Ok(Json(all.iter().map(|c| public_form(c, now)).collect()))
}

/// A published collection and its published comments, oldest first.
#[utoipa::path(get, path = "/api/v1/consultations/{id}", tag = "mailbox", operation_id = "consultation",
    params(CollectionId), responses((status = 200, body = CollectionDetail), Lookup))]
pub(crate) async fn detail(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<CollectionDetail>, AppError> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let found = db::consultations::one(&state.db, id)
        .await?
        .filter(|c| c.published)
        .ok_or(AppError::NotFound)?;
    let comments = db::consultations::published_comments(&state.db, id).await?;
    Ok(Json(CollectionDetail {
        collection: public_form(&found, state.clock.now()),
        comments,
    }))
}

/// A comment on an open collection: stored pending, public once a moderator publishes it.
/// No contact is asked. 409 when the collection is not open.
#[utoipa::path(post, path = "/api/v1/consultations/{id}/comments", operation_id = "comment_consultation", tag = "mailbox",
    params(CollectionId, params::IdempotencyKey), request_body = NewComment,
    responses((status = 201, body = CommentReceipt), CommentWrite))]
pub(crate) async fn comment(
    State(state): State<AppState>,
    Path(id): Path<String>,
    key: IdempotencyKey,
    ApiJson(comment): ApiJson<NewComment>,
) -> Result<Response, AppError> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    comment.validate().map_err(AppError::Validation)?;
    let scope = format!("consultations/{id}/comments");
    let mut write = match idempotency::begin(&state.db, &key, &scope, &comment).await? {
        Begun::Replay(response) => return Ok(response),
        Begun::Fresh(write) => write,
    };
    let now = state.clock.now();
    match db::consultations::is_open(&mut write.tx, id, now).await? {
        None => return Err(write.abandon(AppError::NotFound).await),
        Some(false) => return Err(write.abandon(AppError::CollectionClosed).await),
        Some(true) => {}
    }
    let state_now = CommentState::Pending;
    let stored =
        db::consultations::add_comment(&mut write.tx, id, comment.text.trim(), state_now, now)
            .await?;
    let receipt = CommentReceipt {
        id: stored,
        state: state_now,
        created_at: now,
    };
    write.commit(StatusCode::CREATED, &receipt).await
}
