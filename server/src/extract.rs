//! Request extractors whose rejections are problem+json: JSON bodies, query
//! strings and the client's language.

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::header::ACCEPT_LANGUAGE;
use axum::http::request::Parts;
use omk_api::Lang;
use serde::de::DeserializeOwned;

use crate::error::AppError;

/// A JSON body; broken JSON, a wrong content type or an oversized body become problems.
#[derive(Debug, Clone)]
pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(value)) => Ok(ApiJson(value)),
            Err(rejection) => Err(json_rejection(&rejection)),
        }
    }
}

fn json_rejection(rejection: &JsonRejection) -> AppError {
    match rejection {
        JsonRejection::MissingJsonContentType(_) => AppError::UnsupportedMediaType,
        JsonRejection::JsonDataError(_) | JsonRejection::JsonSyntaxError(_) => AppError::Malformed,
        other if other.status() == StatusCode::PAYLOAD_TOO_LARGE => AppError::TooLarge,
        other => {
            tracing::debug!(rejection = %other.body_text(), "unreadable body");
            AppError::Malformed
        }
    }
}

/// A query string; unreadable parameters become a 400 problem.
#[derive(Debug, Clone)]
pub struct ApiQuery<T>(pub T);

impl<S, T> FromRequestParts<S> for ApiQuery<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(value)) => Ok(ApiQuery(value)),
            Err(QueryRejection::FailedToDeserializeQueryString(e)) => {
                tracing::debug!(rejection = %e.body_text(), "unreadable query");
                Err(AppError::BadRequest)
            }
            Err(_) => Err(AppError::BadRequest),
        }
    }
}

/// The client's language, from `Accept-Language` (zh-CN when absent).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientLang(pub Lang);

impl ClientLang {
    /// The language asked for by a request's headers.
    pub fn of(headers: &axum::http::HeaderMap) -> Lang {
        headers
            .get(ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .map(Lang::from_accept_language)
            .unwrap_or_default()
    }
}

impl<S: Send + Sync> FromRequestParts<S> for ClientLang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientLang(ClientLang::of(&parts.headers)))
    }
}
