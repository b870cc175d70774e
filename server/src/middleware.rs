//! Layers around every route: problem localisation, the API's 404 and 405, a time
//! limit on every request that is not a live stream, and turning a panic into a 500
//! problem.

use std::any::Any;

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::{AppError, ProblemSpec};
use crate::extract::ClientLang;

/// Re-renders any problem response in the language the request asked for.
pub async fn localise_problems(request: Request, next: Next) -> Response {
    let lang = ClientLang::of(request.headers());
    let mut response = next.run(request).await;
    if lang != omk_api::Lang::default()
        && let Some(spec) = response.extensions_mut().remove::<ProblemSpec>()
    {
        let headers = std::mem::take(response.headers_mut());
        let mut localised = spec.render(lang);
        for (name, value) in headers.iter() {
            if name != axum::http::header::CONTENT_LENGTH {
                localised.headers_mut().insert(name, value.clone());
            }
        }
        return localised;
    }
    response
}

/// Answers a request that takes longer than `limit` (reading its body included) with a
/// 408 problem. Live streams are meant to last and are left alone.
pub async fn time_limit(
    axum::extract::State(limit): axum::extract::State<std::time::Duration>,
    request: Request,
    next: Next,
) -> Response {
    if request.uri().path().ends_with("/stream") {
        return next.run(request).await;
    }
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => AppError::TimedOut.into_response(),
    }
}

/// The answer for a path the API does not have.
pub async fn api_not_found() -> AppError {
    AppError::NotFound
}

/// The answer for a method the path does not take.
pub async fn method_not_allowed() -> AppError {
    AppError::MethodNotAllowed
}

/// Turns a caught panic into a 500 problem; the panic text is logged only.
pub fn panic_response(payload: Box<dyn Any + Send + 'static>) -> Response {
    let text = payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
        .unwrap_or_else(|| "unknown panic".to_owned());
    AppError::Internal(format!("handler panicked: {text}")).into_response()
}
