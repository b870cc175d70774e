//! The OpenAPI 3 document of the API, served at `/api/v1/openapi.json`: generated from the
//! handlers' annotations, the wire types of `omk-api` (with the constraints their validation
//! enforces) and the refusal sets of [`refusals`], which say every status a route can give.

mod refusals;

use std::sync::OnceLock;

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use utoipa::openapi::security::{
    ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme,
};
use utoipa::{Modify, OpenApi};

pub use refusals::*;

use crate::routes::{
    admin, audit, categories, consultations, consultations_admin, cycle, cycle_admin, events,
    health, inbox, issues, letters, letters_admin, metrics, opendata, operators, outcome, ratings,
    reference, registrations, session, topics,
};

/// The API's description, generated from the handlers and the wire types:
/// the public routes, and the operators' routes behind the bearer token or a session.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Open Month Kiosk API",
        description = "The open-month program, live satisfaction figures, issues, ratings \
                       and the monthly vote. Every error is RFC 9457 problem+json, and every \
                       operation lists the problems it can answer with. Every visitor's POST \
                       needs an Idempotency-Key. Text fields are judged trimmed of white \
                       space. The admin routes need an operator's session cookie (from `POST \
                       /api/v1/session`, with the session's `X-CSRF-Token` on every write) or \
                       `Authorization: Bearer <service token>` (acting as an admin)."
    ),
    paths(
        document,
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
        ratings::qr_code,
        topics::list,
        topics::vote,
        metrics::snapshot,
        metrics::stream,
        metrics::qr_code,
        opendata::descriptor,
        opendata::file,
        opendata::qr_code,
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
        cycle::current,
        cycle::qr_code,
        cycle::archive,
        cycle::one,
        cycle::public_proposals,
        cycle::propose,
        cycle::proposal,
        cycle::represent,
        cycle_admin::create,
        cycle_admin::advance,
        cycle_admin::weights,
        cycle_admin::candidate,
        cycle_admin::import_signals,
        cycle_admin::codes,
        cycle_admin::choose,
        cycle_admin::queue,
        cycle_admin::moderate,
        cycle_admin::contact,
        outcome::registration,
        outcome::qr_code,
        outcome::cancel,
        outcome::opinion,
        outcome::evaluate,
        outcome::set_meeting,
        outcome::check_in,
        outcome::opinions,
        outcome::decide,
        outcome::add_measure,
        outcome::edit_measure,
        outcome::add_progress,
        letters::write,
        letters::view,
        letters::rate,
        letters::published,
        letters::figures,
        letters::replies_qr_code,
        letters::qr_code,
        consultations::list,
        consultations::detail,
        consultations::comment,
        letters_admin::list,
        letters_admin::supervision,
        letters_admin::detail,
        letters_admin::contact,
        letters_admin::review,
        letters_admin::reply,
        letters_admin::publish,
        letters_admin::promote,
        consultations_admin::list,
        consultations_admin::draft,
        consultations_admin::detail,
        consultations_admin::edit,
        consultations_admin::publish,
        consultations_admin::moderate,
        consultations_admin::note,
        consultations_admin::promote,
    ),
    modifiers(&OperatorsOnly),
    components(schemas(
        omk_api::Problem,
        omk_api::FieldError,
        omk_api::ProblemKind,
        omk_api::IssueStatus,
        omk_api::Level,
        omk_api::List,
        omk_api::MetricsUpdate,
        omk_api::Headline,
        omk_api::LetterState,
        omk_api::DeclineReason,
        omk_api::CollectionState,
    ))
)]
pub struct ApiDoc;

/// The prefix of the routes that only operators reach.
const ADMIN_PREFIX: &str = "/api/v1/admin";

/// Declares the `session` and `bearer` schemes, and puts every route under `/admin` behind
/// them, as the router puts them behind its authentication.
struct OperatorsOnly;

impl Modify for OperatorsOnly {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                omk_api::operators::SESSION_COOKIE,
                "An operator's session, set by POST /api/v1/session; writes also need the \
                 session's X-CSRF-Token header",
            ))),
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
        let either = || {
            vec![
                SecurityRequirement::new("bearer", Vec::<String>::new()),
                SecurityRequirement::new("session", Vec::<String>::new()),
            ]
        };
        for (path, item) in openapi.paths.paths.iter_mut() {
            if !path.starts_with(ADMIN_PREFIX) {
                continue;
            }
            for operation in [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
                &mut item.patch,
            ]
            .into_iter()
            .flatten()
            {
                operation.security = Some(either());
            }
        }
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

/// This document.
#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "meta", operation_id = "openapi",
    responses((status = 200, description = "This OpenAPI document", body = Object), Read))]
pub async fn document() -> Response {
    let mut response = json().into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}
