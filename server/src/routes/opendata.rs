//! `/opendata/`: the open-data package, its Frictionless descriptor and its files, for
//! anyone to download and recompute every published figure from.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use bytes::Bytes;
use omk_api::opendata::{DESCRIPTOR, File};
use omk_api::params;

use crate::error::AppError;
use crate::openapi::{Lookup, PhoneLink, Read};
use crate::opendata::package::KEPT_FOR;
use crate::public_url::PublicUrl;
use crate::qr;
use crate::state::AppState;

/// The open-data routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/opendata/datapackage.json", get(descriptor))
        .route("/opendata/qr.svg", get(qr_code))
        .route("/opendata/{file}", get(file))
}

/// The Frictionless descriptor of the package: its licence, the moment its counts were read
/// (`created`), and each file with its schema, size (`bytes`) and `sha256:` hash. The
/// package is built again at most once a minute, so a descriptor and the files fetched with
/// it in that minute match.
#[utoipa::path(get, path = "/api/v1/opendata/datapackage.json", tag = "opendata",
    responses((status = 200, description = "A Frictionless Data Package descriptor", content_type = "application/json", body = Object), Read))]
pub(crate) async fn descriptor(State(state): State<AppState>) -> Result<Response, AppError> {
    let package = state.opendata.current(&state.db, state.clock.now()).await?;
    Ok(download(
        package.descriptor.clone(),
        "application/json",
        DESCRIPTOR,
    ))
}

/// A QR code of the package's descriptor, beside each figure's "how is this computed?".
#[utoipa::path(get, path = "/api/v1/opendata/qr.svg", tag = "opendata", operation_id = "opendata_qr_code",
    responses((status = 200, description = "A QR code (SVG) of `{public URL}/api/v1/opendata/datapackage.json`", content_type = "image/svg+xml", body = String),
        PhoneLink))]
pub(crate) async fn qr_code(public: PublicUrl) -> Result<Response, AppError> {
    let svg =
        qr::svg(&public.opendata_descriptor()).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(super::svg_response(svg))
}

/// A table of the package as CSV (a header row, then one row per cell of the count) or as
/// its JSON copy (an array of objects with the same fields).
#[utoipa::path(get, path = "/api/v1/opendata/{file}", tag = "opendata", operation_id = "opendata_file",
    params(params::OpenDataFile),
    responses((status = 200, description = "The table", content((String = "text/csv"), (Vec<Object> = "application/json"))), Lookup))]
pub(crate) async fn file(
    State(state): State<AppState>,
    Path(name): Path<String>,
) -> Result<Response, AppError> {
    let file = File::named(&name).ok_or(AppError::NotFound)?;
    let package = state.opendata.current(&state.db, state.clock.now()).await?;
    let media_type = match file.format {
        omk_api::opendata::Format::Csv => "text/csv; charset=utf-8",
        omk_api::opendata::Format::Json => "application/json",
    };
    Ok(download(package.file(file), media_type, &name))
}

/// A download of `bytes` named `name`, which caches may keep as long as the package stands.
fn download(bytes: Bytes, media_type: &'static str, name: &str) -> Response {
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(media_type));
    if let Ok(value) = HeaderValue::from_str(&format!("public, max-age={KEPT_FOR}")) {
        headers.insert(header::CACHE_CONTROL, value);
    }
    if let Ok(value) = HeaderValue::from_str(&format!("inline; filename=\"{name}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response
}
