//! `/topics` and `/votes`: "one month, one question".

use axum::extract::State;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Json, Router};
use omk_api::{NewVote, Topic, VoteReceipt, params};

use crate::commit::Write;
use crate::db;
use crate::error::AppError;
use crate::extract::ApiJson;
use crate::idempotency::IdempotencyKey;
use crate::live::Change;
use crate::openapi::{Read, Vote};
use crate::state::AppState;

/// The topic and vote routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/topics", get(list))
        .route("/votes", post(vote))
}

/// Every topic with its tally.
#[utoipa::path(get, path = "/api/v1/topics", tag = "topics", operation_id = "list_topics",
    responses((status = 200, body = Vec<Topic>), Read))]
pub(crate) async fn list(State(state): State<AppState>) -> Result<Json<Vec<Topic>>, AppError> {
    Ok(Json(db::topics::list(&state.db).await?))
}

/// Stores a vote and answers with the new tally.
#[utoipa::path(post, path = "/api/v1/votes", tag = "topics", request_body = NewVote,
    params(params::IdempotencyKey), responses((status = 201, body = VoteReceipt), Vote))]
pub(crate) async fn vote(
    State(state): State<AppState>,
    key: IdempotencyKey,
    ApiJson(vote): ApiJson<NewVote>,
) -> Result<Response, AppError> {
    let topic = vote.topic.trim();
    if topic.is_empty() {
        return Err(AppError::field("topic", "required"));
    }
    match db::topics::is_open(&state.db, topic).await? {
        None => return Err(AppError::field("topic", "unknown_topic")),
        Some(false) => return Err(AppError::VotingClosed),
        Some(true) => {}
    }
    let write = Write::Vote {
        topic: topic.to_owned(),
        at: state.clock.now(),
    };
    let committed = state.committer.submit(&key, "votes", &vote, write).await?;
    if !committed.is_replay() {
        state.changed(Change::Topics);
    }
    Ok(committed.into_response())
}
