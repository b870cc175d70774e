//! Idempotent POSTs: every write carries a client-made UUID key. The key is
//! claimed in the same transaction as the write and stored with the response,
//! so a retry replays the first answer and never makes a second record.
//!
//! A key is claimed under a hash of its request. A visitor's name and phone are hashed
//! apart from the rest, and erasing them drops their part of the claim: a phone number
//! cannot then be guessed and checked against it, and a retry of the same request still
//! replays its answer.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::{Any, Transaction};

use crate::clock;
use crate::db::{self, Db};
use crate::error::AppError;

/// How long keys are kept: twice the 24 hours clients may retry within.
pub const KEEP_SECONDS: i64 = 48 * 3600;

/// The header marking a replayed response.
pub const REPLAYED_HEADER: &str = "idempotent-replayed";

/// A validated `Idempotency-Key` header: a UUID, lower-cased.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotencyKey(pub String);

impl IdempotencyKey {
    /// Parses a UUID in its hyphenated form (any version).
    pub fn parse(value: &str) -> Option<IdempotencyKey> {
        let value = value.trim();
        let ok = value.len() == 36
            && value.char_indices().all(|(i, c)| match i {
                8 | 13 | 18 | 23 => c == '-',
                _ => c.is_ascii_hexdigit(),
            });
        ok.then(|| IdempotencyKey(value.to_ascii_lowercase()))
    }
}

impl<S: Send + Sync> FromRequestParts<S> for IdempotencyKey {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts
            .headers
            .get(omk_api::IDEMPOTENCY_HEADER)
            .and_then(|v| v.to_str().ok())
            .and_then(IdempotencyKey::parse)
            .ok_or(AppError::IdempotencyKeyMissing)
    }
}

/// How an idempotent request goes on.
#[derive(Debug)]
pub enum Begun {
    /// First use of the key: write inside this transaction, then commit it.
    Fresh(Write),
    /// The key was used before with the same request: send this again.
    Replay(Response),
}

/// A claimed key and the open transaction the write goes into.
#[derive(Debug)]
pub struct Write {
    pub tx: Transaction<'static, Any>,
    key: String,
}

/// Claims `key` for a request to `scope` (for example `issues`) with this body.
pub async fn begin(
    db: &Db,
    key: &IdempotencyKey,
    scope: &str,
    request: &impl Serialize,
) -> Result<Begun, AppError> {
    let hash = request_hash(scope, request)?;
    let mut tx = db.pool().begin().await?;
    let claimed = match db::idempotency::claim(&mut tx, &key.0, &hash, clock::now()).await {
        Ok(claimed) => claimed,
        Err(error) => {
            // Rolled back at once: a failed write must not keep its lock.
            let _ = tx.rollback().await;
            return Err(error.into());
        }
    };
    if claimed {
        return Ok(Begun::Fresh(Write {
            tx,
            key: key.0.clone(),
        }));
    }
    tx.rollback().await?;
    match db::idempotency::find(db, &key.0).await? {
        Some(stored) if !same_request(&stored.request_hash, &hash) => {
            Err(AppError::IdempotencyKeyReused)
        }
        Some(db::idempotency::Stored {
            response: Some((status, body)),
            ..
        }) => Ok(Begun::Replay(replay(status, body))),
        _ => Err(AppError::IdempotencyKeyInFlight),
    }
}

impl Write {
    /// Rolls the write back at once (a failed write must not keep its lock until the
    /// connection is next used), and returns `error`.
    pub async fn abandon(self, error: AppError) -> AppError {
        if let Err(rollback) = self.tx.rollback().await {
            tracing::warn!(%rollback, "a failed write could not be rolled back at once");
        }
        error
    }

    /// Stores the response with the key and commits the write.
    pub async fn commit(
        self,
        status: StatusCode,
        body: &impl Serialize,
    ) -> Result<Response, AppError> {
        self.commit_filed(status, body, None).await
    }

    /// Stores the response with the key, and what the write filed (an issue's tracking
    /// number, a letter's code: erasing its contact then drops the claim's contact part), and
    /// commits the write.
    pub async fn commit_filed(
        mut self,
        status: StatusCode,
        body: &impl Serialize,
        filed: Option<&str>,
    ) -> Result<Response, AppError> {
        let text = serde_json::to_string(body)?;
        if let Err(error) =
            db::idempotency::record(&mut self.tx, &self.key, status.as_u16(), &text, filed).await
        {
            return Err(self.abandon(error.into()).await);
        }
        self.tx.commit().await?;
        Ok(json_response(status, text))
    }
}

/// The fields of a request body that are personal data, hashed apart from the rest.
const PERSONAL_FIELDS: [&str; 2] = ["name", "phone"];

/// What a claim holds in place of its contact part once the contact details are erased.
const ERASED: &str = "erased";

/// The hash a request is claimed under: its scope and its body as the server reads it.
/// A body with a name or phone gets `<hash of the rest>:<hash of the name and phone>`, so
/// that erasure can drop the second part (`db::idempotency::forget_erased_contacts`).
pub fn request_hash(scope: &str, request: &impl Serialize) -> Result<String, AppError> {
    let mut body = serde_json::to_value(request)?;
    let mut personal = serde_json::Map::new();
    if let serde_json::Value::Object(fields) = &mut body {
        for field in PERSONAL_FIELDS {
            match fields.remove(field) {
                Some(serde_json::Value::Null) | None => {}
                Some(value) => {
                    personal.insert(field.to_owned(), value);
                }
            }
        }
    }
    if personal.is_empty() {
        return Ok(sha256_hex(scope, &serde_json::to_vec(request)?));
    }
    Ok(format!(
        "{}:{}",
        sha256_hex(scope, &serde_json::to_vec(&body)?),
        sha256_hex(scope, &serde_json::to_vec(&personal)?)
    ))
}

/// Whether a request hashed to `incoming` is the one a key was claimed with (`stored`).
/// Once its contact details are erased, a claim matches any request with the same rest
/// and some contact details: a retry of the erased request still gets its answer.
pub fn same_request(stored: &str, incoming: &str) -> bool {
    if stored == incoming {
        return true;
    }
    match (stored.split_once(':'), incoming.split_once(':')) {
        (Some((rest, ERASED)), Some((incoming_rest, _))) => rest == incoming_rest,
        _ => false,
    }
}

fn sha256_hex(scope: &str, body: &[u8]) -> String {
    let mut hasher = Sha256::new();
    hasher.update(scope.as_bytes());
    hasher.update(b"\n");
    hasher.update(body);
    hex::encode(hasher.finalize())
}

pub(crate) fn json_response(status: StatusCode, body: String) -> Response {
    let mut response = (status, body).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

pub(crate) fn replay(status: u16, body: String) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
    let mut response = json_response(status, body);
    response
        .headers_mut()
        .insert(REPLAYED_HEADER, HeaderValue::from_static("true"));
    response
}

/// Deletes expired keys now and then, until the feed closes.
pub async fn purge_expired(db: Db, mut closed: tokio::sync::watch::Receiver<bool>) {
    let mut every = tokio::time::interval(std::time::Duration::from_secs(3600));
    loop {
        tokio::select! {
            _ = every.tick() => {}
            _ = closed.wait_for(|c| *c) => return,
        }
        match db::idempotency::purge(&db, clock::now() - KEEP_SECONDS).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(n, "purged expired idempotency keys"),
            Err(err) => tracing::warn!(%err, "cannot purge idempotency keys"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_hyphenated_uuids_are_keys() {
        let key = IdempotencyKey::parse("3F2504E0-4F89-11D3-9A0C-0305E82C3301");
        assert_eq!(
            key.map(|k| k.0).as_deref(),
            Some("3f2504e0-4f89-11d3-9a0c-0305e82c3301")
        );
        assert!(IdempotencyKey::parse("").is_none());
        assert!(IdempotencyKey::parse("not-a-uuid").is_none());
        assert!(IdempotencyKey::parse("3f2504e04f8911d39a0c0305e82c3301").is_none());
        assert!(IdempotencyKey::parse("3f2504e0-4f89-11d3-9a0c-0305e82c330g").is_none());
    }

    #[test]
    fn the_hash_depends_on_scope_and_body() {
        let a = request_hash("issues", &serde_json::json!({"a": 1})).unwrap_or_default();
        let b = request_hash("ratings", &serde_json::json!({"a": 1})).unwrap_or_default();
        let c = request_hash("issues", &serde_json::json!({"a": 2})).unwrap_or_default();
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        assert_ne!(a, c);
    }

    #[test]
    fn contact_details_are_hashed_apart_and_an_erased_claim_keeps_the_rest() {
        let with = |phone: &str| {
            request_hash(
                "issues",
                &serde_json::json!({"place": "x", "name": "王", "phone": phone}),
            )
            .unwrap_or_default()
        };
        let (mine, theirs) = (with("13800138000"), with("13900139000"));
        let none = request_hash("issues", &serde_json::json!({"place": "x", "name": null}))
            .unwrap_or_default();
        assert_eq!(mine.len(), 64 + 1 + 64);
        assert_eq!(none.len(), 64);
        assert_eq!(mine[..64], theirs[..64]);
        assert!(!same_request(&mine, &theirs));
        let erased = format!("{}:{ERASED}", &mine[..64]);
        assert!(same_request(&erased, &mine));
        assert!(same_request(&erased, &theirs));
        assert!(!same_request(&erased, &none));
        assert!(!same_request(&none, &erased));
    }
}
