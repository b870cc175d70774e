//! `/events/{id}/registrations`: taking seats at an event, never more than it has; at a
//! month's meeting, waiting in line when its public seats are full.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::post;
use omk_api::{NewRegistration, RegistrationReceipt, RegistrationState, params};

use crate::db::registrations::Refusal;
use crate::error::AppError;
use crate::extract::ApiJson;
use crate::idempotency::{self, Begun, IdempotencyKey};
use crate::openapi::Registration;
use crate::state::AppState;
use crate::{db, tracking};

/// How many fresh codes to try before giving up.
const CODE_ATTEMPTS: usize = 8;

/// The registration routes.
pub fn router() -> Router<AppState> {
    Router::new().route("/events/{id}/registrations", post(register))
}

/// Takes seats if they are free: 201 with a door code, 409 when full or closed. At a month's
/// meeting a full event (or one with a waitlist) puts the registration on the waitlist
/// instead: 201 with its place (`waitlist_position`); an admitted one gets a single-use
/// `checkin_code`.
#[utoipa::path(post, path = "/api/v1/events/{id}/registrations", tag = "events",
    request_body = NewRegistration, params(params::EventId, params::IdempotencyKey),
    responses((status = 201, body = RegistrationReceipt), Registration))]
pub(crate) async fn register(
    State(state): State<AppState>,
    Path(id): Path<String>,
    key: IdempotencyKey,
    ApiJson(registration): ApiJson<NewRegistration>,
) -> Result<Response, AppError> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    registration.validate().map_err(AppError::Validation)?;
    let scope = format!("events/{id}/registrations");
    let mut write = match idempotency::begin(&state.db, &key, &scope, &registration).await? {
        Begun::Replay(response) => return Ok(response),
        Begun::Fresh(write) => write,
    };
    let now = state.clock.now();
    let seats = i64::from(registration.seats);
    // A month's meeting keeps a waitlist: when its public seats are full, or others already
    // wait, the registration waits in line (and is promoted when someone cancels).
    let meeting = db::meetings::is_meeting_event(&mut write.tx, id).await?;
    let waiting = meeting && db::registrations::waitlist_length(&mut write.tx, id).await? > 0;
    let taken = if waiting {
        Err(Refusal::Full)
    } else {
        db::registrations::take_seats(&mut write.tx, id, seats, now).await?
    };
    let (seats_left, state_now) = match taken {
        Ok(left) => (left, RegistrationState::Admitted),
        Err(Refusal::Full) if meeting => {
            match db::registrations::take_seats(&mut write.tx, id, 0, now).await? {
                // Still open (not ended, taking registrations): it waits.
                Ok(left) => (left, RegistrationState::Waitlisted),
                Err(Refusal::NotFound) => return Err(AppError::NotFound),
                Err(_) => return Err(AppError::RegistrationClosed),
            }
        }
        Err(Refusal::NotFound) => return Err(AppError::NotFound),
        Err(Refusal::Closed) => return Err(AppError::RegistrationClosed),
        Err(Refusal::Full) => return Err(AppError::EventFull),
    };
    for _ in 0..CODE_ATTEMPTS {
        let code = tracking::generate_with_prefix("RG")
            .map_err(|e| AppError::Internal(format!("no randomness: {e}")))?;
        let checkin = if meeting {
            Some(
                tracking::generate_with_prefix("CK")
                    .map_err(|e| AppError::Internal(format!("no randomness: {e}")))?,
            )
        } else {
            None
        };
        let inserted = db::registrations::insert(
            &mut write.tx,
            id,
            &code,
            seats,
            now,
            state_now,
            checkin.as_deref(),
        )
        .await?;
        if let Some(row_id) = inserted {
            let waitlisted = state_now == RegistrationState::Waitlisted;
            let waitlist_position = if waitlisted {
                Some(db::registrations::waitlist_position(&mut write.tx, id, row_id).await?)
            } else {
                None
            };
            let receipt = RegistrationReceipt {
                event_id: id,
                code,
                seats: registration.seats,
                seats_left: i32::try_from(seats_left).unwrap_or(0),
                created_at: now,
                waitlist_position,
                checkin_code: if waitlisted { None } else { checkin },
            };
            return write.commit(StatusCode::CREATED, &receipt).await;
        }
    }
    Err(AppError::Internal("no free registration code".into()))
}
