//! SQL for a month's executive meeting (`meetings`): which event it is, its invited seats,
//! its public seats and waitlist as counted from `registrations`, and the attendees'
//! opinions (read only by the audited view).

use omk_api::{MeetingView, Opinion};
use sqlx::{AnyConnection, Row};

/// Attaches `event` as `month`'s meeting (replacing an earlier one).
pub async fn put(
    conn: &mut AnyConnection,
    month: &str,
    event: i64,
    invited_seats: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO meetings (month, event_id, invited_seats, set_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (month) DO UPDATE SET event_id = excluded.event_id, \
         invited_seats = excluded.invited_seats, set_at = excluded.set_at",
    )
    .bind(month.to_owned())
    .bind(event)
    .bind(invited_seats)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Whether `event` exists, is not cancelled and takes registrations.
pub async fn event_takes_registrations(
    conn: &mut AnyConnection,
    event: i64,
) -> Result<bool, sqlx::Error> {
    let row =
        sqlx::query("SELECT id FROM events WHERE id = $1 AND cancelled = 0 AND registration = 1")
            .bind(event)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(row.is_some())
}

/// Whether `event` is some month's meeting.
pub async fn is_meeting_event(conn: &mut AnyConnection, event: i64) -> Result<bool, sqlx::Error> {
    let row = sqlx::query("SELECT month FROM meetings WHERE event_id = $1")
        .bind(event)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(row.is_some())
}

/// The meeting's event id and when it ends; `None` without a meeting.
pub async fn event_of(
    conn: &mut AnyConnection,
    month: &str,
) -> Result<Option<(i64, i64)>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT m.event_id, e.ends_at FROM meetings m JOIN events e ON e.id = m.event_id \
         WHERE m.month = $1",
    )
    .bind(month.to_owned())
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|r| Ok((r.try_get("event_id")?, r.try_get("ends_at")?)))
        .transpose()
}

/// The meeting as the public sees it: its event, public seats taken of all, invited seats
/// and the waitlist's length.
pub async fn view(
    conn: &mut AnyConnection,
    month: &str,
) -> Result<Option<MeetingView>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT m.event_id, m.invited_seats, e.title, e.place, e.starts_at, e.ends_at, \
         e.capacity, e.registered, \
         (SELECT COUNT(*) FROM registrations r WHERE r.event_id = m.event_id \
          AND r.state = 'waitlisted') AS waitlist \
         FROM meetings m JOIN events e ON e.id = m.event_id WHERE m.month = $1",
    )
    .bind(month.to_owned())
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|r| {
        Ok(MeetingView {
            event: r.try_get("event_id")?,
            title: r.try_get("title")?,
            place: r.try_get("place")?,
            starts_at: r.try_get("starts_at")?,
            ends_at: r.try_get("ends_at")?,
            public_taken: r.try_get("registered")?,
            public_total: r.try_get("capacity")?,
            invited_total: r.try_get("invited_seats")?,
            waitlist: r.try_get("waitlist")?,
        })
    })
    .transpose()
}

/// The opinions left at `month`'s meeting, oldest first.
pub async fn opinions(conn: &mut AnyConnection, month: &str) -> Result<Vec<Opinion>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT r.opinion, r.opinion_at FROM registrations r \
         JOIN meetings m ON m.event_id = r.event_id \
         WHERE m.month = $1 AND r.opinion IS NOT NULL ORDER BY r.opinion_at, r.id",
    )
    .bind(month.to_owned())
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(Opinion {
                text: r.try_get("opinion")?,
                received_at: r.try_get("opinion_at")?,
            })
        })
        .collect()
}

/// Adds the demo's meeting event (registrations on, no seat taken yet); returns its id.
pub async fn seed_event(
    conn: &mut AnyConnection,
    row: &crate::db::events::NewEventRow,
) -> Result<i64, sqlx::Error> {
    let inserted = sqlx::query(
        "INSERT INTO events (title, unit, district, theme, place, starts_at, ends_at, capacity, \
         registered, registration, summary) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0, 1, $9) \
         RETURNING id",
    )
    .bind(row.title.clone())
    .bind(row.unit.clone())
    .bind(row.district.clone())
    .bind(row.theme.clone())
    .bind(row.place.clone())
    .bind(row.starts_at)
    .bind(row.ends_at)
    .bind(row.capacity)
    .bind(row.summary.clone())
    .fetch_one(&mut *conn)
    .await?;
    inserted.try_get("id")
}

/// Counts the demo event's admitted seats from its registrations' rows.
pub async fn seed_count_seats(conn: &mut AnyConnection, event: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE events SET registered = (SELECT COALESCE(CAST(SUM(seats) AS BIGINT), 0) \
         FROM registrations WHERE event_id = $1 AND state = 'admitted') WHERE id = $1",
    )
    .bind(event)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Marks a demo registration checked in at `at`, with its attendee's opinion if any.
pub async fn seed_attended(
    conn: &mut AnyConnection,
    id: i64,
    at: i64,
    opinion: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE registrations SET checked_in_at = $2, opinion = $3, opinion_at = $4 WHERE id = $1",
    )
    .bind(id)
    .bind(at)
    .bind(opinion.map(str::to_owned))
    .bind(opinion.map(|_| at + 3600))
    .execute(&mut *conn)
    .await?;
    Ok(())
}
