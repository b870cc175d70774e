//! SQL for the `registrations` table and the seat count it guards: a seat is
//! taken by one conditional UPDATE, so no event is ever overbooked. A meeting's
//! registration may wait on a list (promoted in order, in the cancelling transaction),
//! carries a single-use check-in code, and once checked in a private opinion.

use omk_api::RegistrationState;
use sqlx::{Any, AnyConnection, AssertSqlSafe, Row, Transaction};

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

/// Records a registration; `None` when the code (or check-in code) is already taken, else
/// its id.
pub async fn insert(
    tx: &mut Transaction<'static, Any>,
    event_id: i64,
    code: &str,
    seats: i64,
    now: i64,
    state: RegistrationState,
    checkin_code: Option<&str>,
) -> Result<Option<i64>, sqlx::Error> {
    let row = sqlx::query(
        "INSERT INTO registrations (event_id, code, seats, created_at, state, checkin_code) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING id",
    )
    .bind(event_id)
    .bind(code.to_owned())
    .bind(seats)
    .bind(now)
    .bind(state.as_str())
    .bind(checkin_code.map(str::to_owned))
    .fetch_optional(&mut **tx)
    .await?;
    row.map(|r| r.try_get("id")).transpose()
}

/// Records the demo's registration as it stands (admitted, waiting or cancelled); its id.
pub async fn seed_insert(
    conn: &mut AnyConnection,
    event_id: i64,
    code: &str,
    seats: i64,
    at: i64,
    state: RegistrationState,
    checkin_code: Option<&str>,
) -> Result<Option<i64>, sqlx::Error> {
    let row = sqlx::query(
        "INSERT INTO registrations (event_id, code, seats, created_at, state, checkin_code) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING id",
    )
    .bind(event_id)
    .bind(code.to_owned())
    .bind(seats)
    .bind(at)
    .bind(state.as_str())
    .bind(checkin_code.map(str::to_owned))
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|r| r.try_get("id")).transpose()
}

/// A registration as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistrationRow {
    pub id: i64,
    pub event_id: i64,
    pub code: String,
    pub seats: i64,
    pub state: RegistrationState,
    pub checkin_code: Option<String>,
    pub checked_in_at: Option<i64>,
}

const COLUMNS: &str = "id, event_id, code, seats, state, checkin_code, checked_in_at";

fn row_of(row: &sqlx::any::AnyRow) -> Result<RegistrationRow, sqlx::Error> {
    let state: String = row.try_get("state")?;
    Ok(RegistrationRow {
        id: row.try_get("id")?,
        event_id: row.try_get("event_id")?,
        code: row.try_get("code")?,
        seats: row.try_get("seats")?,
        state: RegistrationState::parse(&state).ok_or_else(|| {
            sqlx::Error::Decode(format!("unknown registration state {state:?}").into())
        })?,
        checkin_code: row.try_get("checkin_code")?,
        checked_in_at: row.try_get("checked_in_at")?,
    })
}

/// The registration with `code`.
pub async fn find(
    conn: &mut AnyConnection,
    code: &str,
) -> Result<Option<RegistrationRow>, sqlx::Error> {
    let row = sqlx::query(AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM registrations WHERE code = $1"
    )))
    .bind(code.to_owned())
    .fetch_optional(&mut *conn)
    .await?;
    row.as_ref().map(row_of).transpose()
}

/// How many registrations of `event_id` wait for seats.
pub async fn waitlist_length(conn: &mut AnyConnection, event_id: i64) -> Result<i64, sqlx::Error> {
    let row = sqlx::query(
        "SELECT COUNT(*) AS n FROM registrations WHERE event_id = $1 AND state = 'waitlisted'",
    )
    .bind(event_id)
    .fetch_one(&mut *conn)
    .await?;
    row.try_get("n")
}

/// The place of waitlisted registration `id` on its event's list (1 = next).
pub async fn waitlist_position(
    conn: &mut AnyConnection,
    event_id: i64,
    id: i64,
) -> Result<i64, sqlx::Error> {
    let row = sqlx::query(
        "SELECT COUNT(*) AS n FROM registrations WHERE event_id = $1 AND state = 'waitlisted' \
         AND id <= $2",
    )
    .bind(event_id)
    .bind(id)
    .fetch_one(&mut *conn)
    .await?;
    row.try_get("n")
}

/// Cancels the registration with `code` (once): an admitted one gives its seats back and the
/// waitlist is promoted in order, each first in line taking seats while they are enough
/// (a party that does not fit yet keeps its place, and those behind it wait). Returns the
/// registration as it was; `None` for an unknown code.
pub async fn cancel(
    tx: &mut Transaction<'static, Any>,
    code: &str,
) -> Result<Option<RegistrationRow>, sqlx::Error> {
    let Some(found) = find(tx, code).await? else {
        return Ok(None);
    };
    let changed = sqlx::query(
        "UPDATE registrations SET state = 'cancelled' WHERE id = $1 AND state = $2 RETURNING id",
    )
    .bind(found.id)
    .bind(found.state.as_str())
    .fetch_optional(&mut **tx)
    .await?;
    if changed.is_none() || found.state != RegistrationState::Admitted {
        return Ok(Some(found));
    }
    sqlx::query("UPDATE events SET registered = registered - $1 WHERE id = $2")
        .bind(found.seats)
        .bind(found.event_id)
        .execute(&mut **tx)
        .await?;
    promote(tx, found.event_id).await?;
    Ok(Some(found))
}

/// Admits the waitlist of `event_id` in order while the first in line fits.
async fn promote(tx: &mut Transaction<'static, Any>, event_id: i64) -> Result<(), sqlx::Error> {
    loop {
        let first = sqlx::query(
            "SELECT id, seats FROM registrations WHERE event_id = $1 AND state = 'waitlisted' \
             ORDER BY id LIMIT 1",
        )
        .bind(event_id)
        .fetch_optional(&mut **tx)
        .await?;
        let Some(first) = first else { return Ok(()) };
        let (id, seats): (i64, i64) = (first.try_get("id")?, first.try_get("seats")?);
        let taken = sqlx::query(
            "UPDATE events SET registered = registered + $1 WHERE id = $2 \
             AND registered + $1 <= capacity RETURNING id",
        )
        .bind(seats)
        .bind(event_id)
        .fetch_optional(&mut **tx)
        .await?;
        if taken.is_none() {
            return Ok(());
        }
        sqlx::query("UPDATE registrations SET state = 'admitted' WHERE id = $1")
            .bind(id)
            .execute(&mut **tx)
            .await?;
    }
}

/// Why a check-in code was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckinRefusal {
    /// No admitted registration has it.
    Unknown,
    /// Already used.
    Used,
}

/// Checks in the admitted registration with `checkin_code`, once.
pub async fn check_in(
    tx: &mut Transaction<'static, Any>,
    checkin_code: &str,
    now: i64,
) -> Result<Result<RegistrationRow, CheckinRefusal>, sqlx::Error> {
    let row = sqlx::query(AssertSqlSafe(format!(
        "UPDATE registrations SET checked_in_at = $2 WHERE checkin_code = $1 \
         AND state = 'admitted' AND checked_in_at IS NULL RETURNING {COLUMNS}"
    )))
    .bind(checkin_code.to_owned())
    .bind(now)
    .fetch_optional(&mut **tx)
    .await?;
    if let Some(row) = row {
        return Ok(Ok(row_of(&row)?));
    }
    let used = sqlx::query(
        "SELECT id FROM registrations WHERE checkin_code = $1 AND state = 'admitted' \
         AND checked_in_at IS NOT NULL",
    )
    .bind(checkin_code.to_owned())
    .fetch_optional(&mut **tx)
    .await?;
    Ok(Err(if used.is_some() {
        CheckinRefusal::Used
    } else {
        CheckinRefusal::Unknown
    }))
}

/// Stores the opinion of the checked-in registration with `code`, once; `false` when it is
/// not checked in or already left one.
pub async fn leave_opinion(
    tx: &mut Transaction<'static, Any>,
    code: &str,
    text: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let row = sqlx::query(
        "UPDATE registrations SET opinion = $2, opinion_at = $3 WHERE code = $1 \
         AND state = 'admitted' AND checked_in_at IS NOT NULL AND opinion IS NULL RETURNING id",
    )
    .bind(code.to_owned())
    .bind(text.trim().to_owned())
    .bind(now)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.is_some())
}
