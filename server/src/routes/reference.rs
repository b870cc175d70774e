//! The reference data operators keep: categories (each routed to a unit), units,
//! districts, rating reason tags, and the month's topics. Only admins read the full lists
//! (`/admin/...`, retired entries included) and change them (`ops::reference`); everyone
//! reads the active entries at `/units`, `/districts` and `/rating-tags`.

use axum::extract::{Path, State};
use axum::routing::{get, put};
use axum::{Json, Router};
use omk_api::{AdminCategory, CategoryInput, Entry, EntryInput, List, Topic, TopicInput, params};

use crate::auth::Actor;
use crate::db;
use crate::error::AppError;
use crate::extract::ApiJson;
use crate::openapi::{AdminEdit, AdminLookup, AdminRead, AdminWrite, Read};
use crate::ops::{Ops, reference};
use crate::state::AppState;

/// The public lists, relative to `/api/v1`.
pub fn public_router() -> Router<AppState> {
    Router::new()
        .route("/units", get(public_units))
        .route("/districts", get(public_districts))
        .route("/rating-tags", get(public_rating_tags))
}

/// The full lists, retired entries included, relative to `/admin` (admins only).
pub fn read_router() -> Router<AppState> {
    Router::new()
        .route("/categories", get(list_categories))
        .route("/{list}", get(list_entries))
}

/// The changes, relative to `/admin` (admins only).
pub fn write_router() -> Router<AppState> {
    Router::new()
        .route("/categories/{id}", put(put_category))
        .route("/topics/{id}", put(put_topic))
        .route("/{list}/{id}", put(put_entry))
}

/// The active units.
#[utoipa::path(get, path = "/api/v1/units", tag = "reference",
    responses((status = 200, body = Vec<Entry>), Read))]
pub(crate) async fn public_units(
    State(state): State<AppState>,
) -> Result<Json<Vec<Entry>>, AppError> {
    Ok(Json(
        db::lists::entries(&state.db, List::Units, false).await?,
    ))
}

/// The active districts.
#[utoipa::path(get, path = "/api/v1/districts", tag = "reference",
    responses((status = 200, body = Vec<Entry>), Read))]
pub(crate) async fn public_districts(
    State(state): State<AppState>,
) -> Result<Json<Vec<Entry>>, AppError> {
    Ok(Json(
        db::lists::entries(&state.db, List::Districts, false).await?,
    ))
}

/// The reasons a rating may give (active ones), in display order.
#[utoipa::path(get, path = "/api/v1/rating-tags", tag = "reference",
    responses((status = 200, body = Vec<Entry>), Read))]
pub(crate) async fn public_rating_tags(
    State(state): State<AppState>,
) -> Result<Json<Vec<Entry>>, AppError> {
    Ok(Json(
        db::lists::entries(&state.db, List::RatingTags, false).await?,
    ))
}

/// The list a path segment names; 404 for any other segment.
fn list_of(segment: &str) -> Result<List, AppError> {
    List::from_segment(segment).ok_or(AppError::NotFound)
}

/// Every entry of a list (`units`, `districts` or `rating-tags`), retired ones included.
#[utoipa::path(get, path = "/api/v1/admin/{list}", tag = "admin", params(params::ListName),
    responses((status = 200, body = Vec<Entry>), AdminLookup))]
pub(crate) async fn list_entries(
    State(state): State<AppState>,
    Path(segment): Path<String>,
) -> Result<Json<Vec<Entry>>, AppError> {
    let list = list_of(&segment)?;
    Ok(Json(db::lists::entries(&state.db, list, true).await?))
}

/// Creates the entry `id` of a list or replaces it; `active: false` retires it (it is no
/// longer offered; what refers to it keeps it).
#[utoipa::path(put, path = "/api/v1/admin/{list}/{id}", tag = "admin", params(params::ListEntry),
    request_body = EntryInput, responses((status = 200, body = Entry), AdminEdit))]
pub(crate) async fn put_entry(
    State(state): State<AppState>,
    actor: Actor,
    Path((segment, id)): Path<(String, String)>,
    ApiJson(input): ApiJson<EntryInput>,
) -> Result<Json<Entry>, AppError> {
    let list = list_of(&segment)?;
    let entry = reference::set_entry(Ops::of(&state), &actor, list, &id, &input).await?;
    Ok(Json(entry))
}

/// Every category, retired ones included, with the unit each is routed to.
#[utoipa::path(get, path = "/api/v1/admin/categories", tag = "admin", operation_id = "list_all_categories",
    responses((status = 200, body = Vec<AdminCategory>), AdminRead))]
pub(crate) async fn list_categories(
    State(state): State<AppState>,
) -> Result<Json<Vec<AdminCategory>>, AppError> {
    Ok(Json(db::categories::list_all(&state.db).await?))
}

/// Creates the category `id` or replaces it; `active: false` retires it (visitors no longer
/// see it, and issues filed under it keep it); `unit` is where its new issues go.
#[utoipa::path(put, path = "/api/v1/admin/categories/{id}", tag = "admin", params(params::Slug),
    request_body = CategoryInput, responses((status = 200, body = AdminCategory), AdminWrite))]
pub(crate) async fn put_category(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<CategoryInput>,
) -> Result<Json<AdminCategory>, AppError> {
    let category = reference::set_category(Ops::of(&state), &actor, &id, input).await?;
    Ok(Json(category))
}

/// Creates the topic `id` or replaces it; `open: false` closes its voting, `true` opens it.
/// Answers with the topic and its tally.
#[utoipa::path(put, path = "/api/v1/admin/topics/{id}", tag = "admin", params(params::Slug),
    request_body = TopicInput, responses((status = 200, body = Topic), AdminWrite))]
pub(crate) async fn put_topic(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<TopicInput>,
) -> Result<Json<Topic>, AppError> {
    let topic = reference::set_topic(Ops::of(&state), &actor, &id, &input).await?;
    Ok(Json(topic))
}
