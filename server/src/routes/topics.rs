//! `/topics` and `/votes`: "one month, one question".

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use omk_api::{NewVote, Topic, VoteReceipt};

use crate::error::AppError;
use crate::extract::ApiJson;
use crate::live::Change;
use crate::state::AppState;
use crate::{clock, db};

/// The topic and vote routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/topics", get(list))
        .route("/votes", post(vote))
}

/// Every topic with its tally.
async fn list(State(state): State<AppState>) -> Result<Json<Vec<Topic>>, AppError> {
    Ok(Json(db::topics::list(&state.db).await?))
}

/// Stores a vote and answers with the new tally.
async fn vote(
    State(state): State<AppState>,
    ApiJson(vote): ApiJson<NewVote>,
) -> Result<(StatusCode, Json<VoteReceipt>), AppError> {
    let topic = vote.topic.trim();
    if topic.is_empty() {
        return Err(AppError::field("topic", "required"));
    }
    if !db::topics::exists(&state.db, topic).await? {
        return Err(AppError::field("topic", "unknown_topic"));
    }
    db::topics::vote(&state.db, topic, clock::now()).await?;
    state.changed(Change::Topics);
    let topics = db::topics::list(&state.db).await?;
    Ok((StatusCode::CREATED, Json(VoteReceipt { topics })))
}
