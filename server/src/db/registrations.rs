//! SQL for the `registrations` table and the seat count it guards: a seat is
//! taken by one conditional UPDATE, so no event is ever overbooked.

use sqlx::{Any, Row, Transaction};

/// Why seats could not be taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    NotFound,
    Closed,
    Full,
}

/// Takes `seats` seats of event `id` if they are free and the event takes
/// registrations and has not ended; returns the seats left.
pub async fn take_seats(
    tx: &mut Transaction<'static, Any>,
    id: i64,
    seats: i64,
    now: i64,
) -> Result<Result<i64, Refusal>, sqlx::Error> {
    let row = sqlx::query(
        "UPDATE events SET registered = registered + $1 \
         WHERE id = $2 AND cancelled = 0 AND registration = 1 AND ends_at > $3 \
         AND registered + $1 <= capacity \
         RETURNING capacity - registered AS seats_left",
    )
    .bind(seats)
    .bind(id)
    .bind(now)
    .fetch_optional(&mut **tx)
    .await?;
    if let Some(row) = row {
        return Ok(Ok(row.try_get("seats_left")?));
    }
    let why = sqlx::query("SELECT cancelled, registration, ends_at FROM events WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?;
    Ok(Err(match why {
        None => Refusal::NotFound,
        Some(row) => {
            let cancelled: i64 = row.try_get("cancelled")?;
            let registration: i64 = row.try_get("registration")?;
            let ends_at: i64 = row.try_get("ends_at")?;
            if cancelled != 0 {
                Refusal::NotFound
            } else if registration == 0 || ends_at <= now {
                Refusal::Closed
            } else {
                Refusal::Full
            }
        }
    }))
}

/// Records a registration; `false` when the code is already taken.
pub async fn insert(
    tx: &mut Transaction<'static, Any>,
    event_id: i64,
    code: &str,
    seats: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let row = sqlx::query(
        "INSERT INTO registrations (event_id, code, seats, created_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (code) DO NOTHING RETURNING id",
    )
    .bind(event_id)
    .bind(code.to_owned())
    .bind(seats)
    .bind(now)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.is_some())
}
