//! The OpenAPI 3 document of the public API, served at `/api/v1/openapi.json`.

use std::sync::OnceLock;

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::routes::{
    admin, audit, categories, events, health, inbox, issues, metrics, operators, ratings,
    reference, registrations, session, topics,
};

/// The API's description, generated from the handlers and the wire types:
/// the public routes, and the operators' routes behind the bearer token.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Open Month Kiosk API",
        description = "The open-month program, live satisfaction figures, issues, ratings \
                       and the monthly vote. Every error is RFC 9457 problem+json; every \
                       public POST needs an Idempotency-Key. The admin routes need \
                       an operator's session cookie (from `POST /api/v1/session`, with \
                       the session's `X-CSRF-Token` on every write) or \
                       `Authorization: Bearer <service token>` (acting as an admin)."
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
        session::sign_in,
        session::current,
        session::sign_out,
        inbox::list,
        inbox::detail,
        inbox::move_issue,
        inbox::route,
        inbox::moderate,
        inbox::contact,
        inbox::figures,
        admin::create_event,
        admin::import_events,
        admin::update_event,
        admin::cancel_event,
        admin::export_issues,
        admin::export_ratings,
        reference::public_units,
        reference::public_districts,
        reference::public_rating_tags,
        reference::list_categories,
        reference::put_category,
        reference::put_topic,
        reference::list_entries,
        reference::put_entry,
        operators::list,
        operators::save,
        audit::page,
        audit::export,
    ),
    modifiers(&BearerScheme),
    components(schemas(
        omk_api::Problem,
        omk_api::FieldError,
        omk_api::IssueStatus,
        omk_api::Level
    ))
)]
pub struct ApiDoc;

/// Declares the `bearer` security scheme the admin routes name.
struct BearerScheme;

impl Modify for BearerScheme {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(utoipa::openapi::security::ApiKey::Cookie(
                utoipa::openapi::security::ApiKeyValue::with_description(
                    omk_api::operators::SESSION_COOKIE,
                    "An operator's session, set by POST /api/v1/session; writes also need the \
                     session's X-CSRF-Token header",
                ),
            )),
        );
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "The admin token given to the server in OMK_ADMIN_TOKEN or --admin-token-file",
                    ))
                    .build(),
            ),
        );
    }
}

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
