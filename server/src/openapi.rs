//! The OpenAPI 3 document of the public API, served at `/api/v1/openapi.json`.

use std::sync::OnceLock;

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use utoipa::OpenApi;

use crate::routes::{categories, events, health, issues, metrics, ratings, registrations, topics};

/// The public API's description, generated from the handlers and the wire types.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Open Month Kiosk API",
        description = "The open-month program, live satisfaction figures, issues, ratings \
                       and the monthly vote. Every error is RFC 9457 problem+json; every \
                       POST needs an Idempotency-Key."
    ),
    paths(
        events::list,
        events::one,
        events::facets,
        events::qr_code,
        events::calendar,
        registrations::register,
        categories::list,
        issues::submit,
        issues::status,
        issues::qr_code,
        ratings::rate,
        topics::list,
        topics::vote,
        metrics::snapshot,
        metrics::stream,
        health::healthz,
        health::readyz,
    ),
    components(schemas(
        omk_api::Problem,
        omk_api::FieldError,
        omk_api::IssueStatus,
        omk_api::Level
    ))
)]
pub struct ApiDoc;

/// The document as JSON, built once.
pub fn json() -> &'static str {
    static DOC: OnceLock<String> = OnceLock::new();
    DOC.get_or_init(|| {
        ApiDoc::openapi()
            .to_json()
            .unwrap_or_else(|_| "{}".to_owned())
    })
}

/// `GET /api/v1/openapi.json`.
pub async fn document() -> Response {
    let mut response = json().into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}
