//! `/admin/consultations`: opinion collections for admins (`ops::mailbox`): drafts and
//! their edits, publication, the moderation of each comment, and the adopted note.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use omk_api::mailbox::params::{CollectionId, CommentId};
use omk_api::{
    AdminCollection, AdoptedNote, Collection, CollectionInput, CommentModeration, Promotion,
    ProposalReceipt,
};

use crate::auth::{self, Actor};
use crate::error::AppError;
use crate::extract::ApiJson;
use crate::openapi::{
    AdminLookup, AdminRead, AdminWrite, CollectionChange, CollectionStep, PromotionWrite,
};
use crate::ops::cycle::promotion;
use crate::ops::{Ops, mailbox};
use crate::state::AppState;

/// The collection routes, relative to `/admin`; a comment's promotion behind the
/// moderators' role.
pub fn router() -> Router<AppState> {
    let moderators = Router::new()
        .route(
            "/consultations/{id}/comments/{comment}/promotion",
            post(promote),
        )
        .route_layer(axum::middleware::from_fn(auth::require_moderator));
    Router::new()
        .route("/consultations", get(list).post(draft))
        .route("/consultations/{id}", get(detail).put(edit))
        .route("/consultations/{id}/publication", post(publish))
        .route(
            "/consultations/{id}/comments/{comment}/moderation",
            post(moderate),
        )
        .route("/consultations/{id}/note", post(note))
        .merge(moderators)
}

/// A path's id; 404 for one that is no number.
fn id_of(id: &str) -> Result<i64, AppError> {
    id.parse().map_err(|_| AppError::NotFound)
}

/// Every collection, drafts included.
#[utoipa::path(get, path = "/api/v1/admin/consultations", tag = "admin",
    operation_id = "admin_consultations", responses((status = 200, body = Vec<Collection>), AdminRead))]
pub(crate) async fn list(
    State(state): State<AppState>,
    actor: Actor,
) -> Result<Json<Vec<Collection>>, AppError> {
    Ok(Json(mailbox::collections(Ops::of(&state), &actor).await?))
}

/// Drafts a collection: only operators see it until it is published.
#[utoipa::path(post, path = "/api/v1/admin/consultations", tag = "admin", operation_id = "draft_consultation", request_body = CollectionInput,
    responses((status = 201, body = AdminCollection), AdminWrite))]
pub(crate) async fn draft(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(input): ApiJson<CollectionInput>,
) -> Result<(StatusCode, Json<AdminCollection>), AppError> {
    let drafted = mailbox::draft(Ops::of(&state), &actor, &input).await?;
    Ok((StatusCode::CREATED, Json(drafted)))
}

/// One collection with every comment and its state.
#[utoipa::path(get, path = "/api/v1/admin/consultations/{id}", tag = "admin",
    operation_id = "admin_consultation", params(CollectionId),
    responses((status = 200, body = AdminCollection), AdminLookup))]
pub(crate) async fn detail(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
) -> Result<Json<AdminCollection>, AppError> {
    Ok(Json(
        mailbox::collection(Ops::of(&state), &actor, id_of(&id)?).await?,
    ))
}

/// Replaces a draft's title, text and days; 409 once it is published.
#[utoipa::path(put, path = "/api/v1/admin/consultations/{id}", tag = "admin", operation_id = "edit_consultation", params(CollectionId),
    request_body = CollectionInput, responses((status = 200, body = AdminCollection), CollectionChange))]
pub(crate) async fn edit(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<CollectionInput>,
) -> Result<Json<AdminCollection>, AppError> {
    let id = id_of(&id)?;
    Ok(Json(
        mailbox::edit(Ops::of(&state), &actor, id, &input).await?,
    ))
}

/// Publishes a draft; 409 when it is published already.
#[utoipa::path(post, path = "/api/v1/admin/consultations/{id}/publication", tag = "admin",
    operation_id = "publish_consultation", params(CollectionId),
    responses((status = 200, body = AdminCollection), CollectionStep))]
pub(crate) async fn publish(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
) -> Result<Json<AdminCollection>, AppError> {
    let id = id_of(&id)?;
    Ok(Json(
        mailbox::publish_collection(Ops::of(&state), &actor, id).await?,
    ))
}

/// Publishes or rejects a pending comment; 409 for one decided already.
#[utoipa::path(post, path = "/api/v1/admin/consultations/{id}/comments/{comment}/moderation",
    tag = "admin", operation_id = "moderate_comment", params(CommentId), request_body = CommentModeration,
    responses((status = 200, body = AdminCollection), CollectionChange))]
pub(crate) async fn moderate(
    State(state): State<AppState>,
    actor: Actor,
    Path((id, comment)): Path<(String, String)>,
    ApiJson(moderation): ApiJson<CommentModeration>,
) -> Result<Json<AdminCollection>, AppError> {
    let (id, comment) = (id_of(&id)?, id_of(&comment)?);
    let moderated = mailbox::moderate_comment(Ops::of(&state), &actor, id, comment, &moderation);
    Ok(Json(moderated.await?))
}

/// Publishes what was adopted, once, after the collection has closed (409 before).
#[utoipa::path(post, path = "/api/v1/admin/consultations/{id}/note", tag = "admin", operation_id = "adopted_note",
    params(CollectionId), request_body = AdoptedNote,
    responses((status = 200, body = AdminCollection), CollectionChange))]
pub(crate) async fn note(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<AdoptedNote>,
) -> Result<Json<AdminCollection>, AppError> {
    let id = id_of(&id)?;
    Ok(Json(
        mailbox::note(Ops::of(&state), &actor, id, &body).await?,
    ))
}

/// Promotes a published comment to a proposal of a month taking them (moderators and
/// admins): published at once, linked both ways; 409 for one promoted already.
#[utoipa::path(post, path = "/api/v1/admin/consultations/{id}/comments/{comment}/promotion",
    tag = "admin", operation_id = "promote_comment", params(CommentId), request_body = Promotion,
    responses((status = 201, body = ProposalReceipt), PromotionWrite))]
pub(crate) async fn promote(
    State(state): State<AppState>,
    actor: Actor,
    Path((id, comment)): Path<(String, String)>,
    ApiJson(input): ApiJson<Promotion>,
) -> Result<(StatusCode, Json<ProposalReceipt>), AppError> {
    let (id, comment) = (id_of(&id)?, id_of(&comment)?);
    let receipt = promotion::comment(Ops::of(&state), &actor, id, comment, &input).await?;
    Ok((StatusCode::CREATED, Json(receipt)))
}
