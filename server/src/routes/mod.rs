//! The HTTP API under `/api/v1`: one module per resource, each with its `router()`.

pub mod admin;
pub mod audit;
pub mod categories;
pub mod consultations;
pub mod consultations_admin;
pub mod cycle;
pub mod cycle_admin;
pub mod events;
pub mod health;
pub mod inbox;
pub mod issues;
pub mod letters;
pub mod letters_admin;
pub mod metrics;
pub mod opendata;
pub mod operators;
pub mod outcome;
pub mod ratings;
pub mod reference;
pub mod registrations;
pub mod session;
pub mod topics;

use axum::Router;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

use crate::middleware::{api_not_found, method_not_allowed};
use crate::state::AppState;

/// Every `/api/v1` route, relative to that prefix.
pub fn api_router(state: AppState) -> Router<AppState> {
    Router::new()
        .route(
            "/openapi.json",
            axum::routing::get(crate::openapi::document),
        )
        .nest("/admin", admin::router(state))
        .merge(events::router())
        .merge(categories::router())
        .merge(reference::public_router())
        .merge(session::router())
        .merge(issues::router())
        .merge(ratings::router())
        .merge(registrations::router())
        .merge(topics::router())
        .merge(cycle::router())
        .merge(outcome::router())
        .merge(metrics::router())
        .merge(opendata::router())
        .merge(letters::router())
        .merge(consultations::router())
        .fallback(api_not_found)
        .method_not_allowed_fallback(method_not_allowed)
}

/// An SVG image that caches may keep for an hour.
pub(crate) fn svg_response(svg: String) -> Response {
    let mut response = svg.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("image/svg+xml"),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=3600"),
    );
    response
}
