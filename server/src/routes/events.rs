//! `/events`: the open-month program, one event, the filter facets, and the
//! hand-over to a phone: a QR code of the event's page and a calendar entry.

use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use omk_api::{Event, EventFacets, EventPage, EventQuery, params};

use super::svg_response;
use crate::error::AppError;
use crate::extract::ApiQuery;
use crate::openapi::{Handover, Listing, Lookup, Read};
use crate::public_url::PublicUrl;
use crate::state::AppState;
use crate::{db, ics, qr};

/// The event routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/events", get(list))
        .route("/events/facets", get(facets))
        .route("/events/{id}", get(one))
        .route("/events/{id}/qr.svg", get(qr_code))
        .route("/events/{id}/calendar.ics", get(calendar))
}

/// A page of events matching the filters, ordered by start.
#[utoipa::path(get, path = "/api/v1/events", tag = "events", operation_id = "list_events",
    params(EventQuery), responses((status = 200, body = EventPage), Listing))]
pub(crate) async fn list(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<EventQuery>,
) -> Result<Json<EventPage>, AppError> {
    let query = query.at(state.clock.now());
    let (items, total) = db::events::list(&state.db, &query).await?;
    Ok(Json(EventPage {
        items,
        total,
        page: query.page(),
        per_page: query.per_page(),
    }))
}

/// One event by id.
#[utoipa::path(get, path = "/api/v1/events/{id}", tag = "events", params(params::EventId),
    responses((status = 200, body = Event), Lookup))]
pub(crate) async fn one(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Event>, AppError> {
    find(&state, &id).await.map(Json)
}

/// The event with this path id, or 404 when it is unknown or cancelled.
async fn find(state: &AppState, id: &str) -> Result<Event, AppError> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    db::events::get(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)
}

/// A QR code of the event's page in the widget, for a visitor's phone.
#[utoipa::path(get, path = "/api/v1/events/{id}/qr.svg", tag = "events", operation_id = "event_qr_code",
    params(params::EventId),
    responses((status = 200, description = "A QR code (SVG) of `{public URL}/?view=events&event={id}`", content_type = "image/svg+xml", body = String),
        Handover))]
pub(crate) async fn qr_code(
    State(state): State<AppState>,
    Path(id): Path<String>,
    public: PublicUrl,
) -> Result<Response, AppError> {
    let event = find(&state, &id).await?;
    let svg =
        qr::svg(&public.event_page(event.id)).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(svg_response(svg))
}

/// The event as a calendar entry (RFC 5545), to add to a phone's calendar.
#[utoipa::path(get, path = "/api/v1/events/{id}/calendar.ics", tag = "events", params(params::EventId),
    responses((status = 200, description = "An iCalendar file with one VEVENT, times in UTC", content_type = "text/calendar", body = String),
        Handover))]
pub(crate) async fn calendar(
    State(state): State<AppState>,
    Path(id): Path<String>,
    public: PublicUrl,
) -> Result<Response, AppError> {
    let event = find(&state, &id).await?;
    let text = ics::event_calendar(
        &event,
        &public.event_page(event.id),
        public.host(),
        state.clock.now(),
    );
    let mut response = text.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/calendar; charset=utf-8"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    if let Ok(value) =
        HeaderValue::from_str(&format!("attachment; filename=\"event-{}.ics\"", event.id))
    {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}

/// The distinct units, districts and themes.
#[utoipa::path(get, path = "/api/v1/events/facets", tag = "events",
    responses((status = 200, body = EventFacets), Read))]
pub(crate) async fn facets(State(state): State<AppState>) -> Result<Json<EventFacets>, AppError> {
    Ok(Json(db::events::facets(&state.db).await?))
}
