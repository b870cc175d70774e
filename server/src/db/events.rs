//! SQL for the `events` table: the filtered, paged program and its facets.

use omk_api::{Event, EventFacets, EventQuery};
use sqlx::any::AnyRow;
use sqlx::{AssertSqlSafe, Row};

use super::{Bind, Db, Filter, bind_all, contains_pattern};

const COLUMNS: &str = "id, title, unit, district, theme, place, starts_at, ends_at, \
                       capacity, registered, registration, summary";

/// An event as stored, before it gets an id.
#[derive(Debug, Clone)]
pub struct NewEventRow {
    pub title: String,
    pub unit: String,
    pub district: String,
    pub theme: String,
    pub place: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub capacity: i64,
    pub registered: i64,
    pub registration: bool,
    pub summary: String,
}

fn event_from_row(row: &AnyRow) -> Result<Event, sqlx::Error> {
    Ok(Event {
        id: row.try_get("id")?,
        title: row.try_get("title")?,
        unit: row.try_get("unit")?,
        district: row.try_get("district")?,
        theme: row.try_get("theme")?,
        place: row.try_get("place")?,
        starts_at: row.try_get("starts_at")?,
        ends_at: row.try_get("ends_at")?,
        capacity: to_i32(row.try_get("capacity")?),
        registered: to_i32(row.try_get("registered")?),
        registration: row.try_get::<i64, _>("registration")? != 0,
        summary: row.try_get("summary")?,
    })
}

fn to_i32(v: i64) -> i32 {
    i32::try_from(v).unwrap_or(if v < 0 { i32::MIN } else { i32::MAX })
}

fn filter_for(query: &EventQuery) -> Filter {
    let mut f = Filter::default();
    f.push("cancelled = 0", vec![]);
    let text = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    if let Some(unit) = text(&query.unit) {
        f.push("unit = ?", vec![Bind::Text(unit)]);
    }
    if let Some(district) = text(&query.district) {
        f.push("district = ?", vec![Bind::Text(district)]);
    }
    if let Some(theme) = text(&query.theme) {
        f.push("theme = ?", vec![Bind::Text(theme)]);
    }
    if let Some(from) = query.from {
        f.push("ends_at >= ?", vec![Bind::Int(from)]);
    }
    if let Some(to) = query.to {
        f.push("starts_at < ?", vec![Bind::Int(to)]);
    }
    if let Some(after) = query.after {
        f.push("starts_at >= ?", vec![Bind::Int(after)]);
    }
    if let Some(before) = query.before {
        f.push("ends_at < ?", vec![Bind::Int(before)]);
    }
    if let Some(q) = text(&query.q) {
        let p = contains_pattern(&q);
        f.push(
            "(LOWER(title) LIKE ? ESCAPE '\\' OR LOWER(unit) LIKE ? ESCAPE '\\' \
             OR LOWER(place) LIKE ? ESCAPE '\\' OR LOWER(theme) LIKE ? ESCAPE '\\')",
            vec![
                Bind::Text(p.clone()),
                Bind::Text(p.clone()),
                Bind::Text(p.clone()),
                Bind::Text(p),
            ],
        );
    }
    f
}

/// One page of the events matching `query`, ordered by start, and the total.
pub async fn list(db: &Db, query: &EventQuery) -> Result<(Vec<Event>, i64), sqlx::Error> {
    let f = filter_for(query);
    let where_sql = f.where_sql();
    let count_sql = format!("SELECT COUNT(*) AS n FROM events{where_sql}");
    let total: i64 = bind_all(sqlx::query(AssertSqlSafe(count_sql)), f.binds())
        .fetch_one(db.pool())
        .await?
        .try_get("n")?;
    let per_page = i64::from(query.per_page());
    let offset = (i64::from(query.page()) - 1) * per_page;
    let n = f.next_placeholder();
    let list_sql = format!(
        "SELECT {COLUMNS} FROM events{where_sql} ORDER BY starts_at, id LIMIT ${} OFFSET ${}",
        n,
        n + 1
    );
    let rows = bind_all(sqlx::query(AssertSqlSafe(list_sql)), f.binds())
        .bind(per_page)
        .bind(offset)
        .fetch_all(db.pool())
        .await?;
    let items = rows.iter().map(event_from_row).collect::<Result<_, _>>()?;
    Ok((items, total))
}

/// The event with `id`, unless it is missing or cancelled.
pub async fn get(db: &Db, id: i64) -> Result<Option<Event>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM events WHERE id = $1 AND cancelled = 0");
    let row = sqlx::query(AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(db.pool())
        .await?;
    row.as_ref().map(event_from_row).transpose()
}

/// The distinct units, districts and themes of the program.
pub async fn facets(db: &Db) -> Result<EventFacets, sqlx::Error> {
    let distinct = |column: &'static str| async move {
        let sql =
            format!("SELECT DISTINCT {column} AS v FROM events WHERE cancelled = 0 ORDER BY v");
        let rows = sqlx::query(AssertSqlSafe(sql)).fetch_all(db.pool()).await?;
        rows.iter()
            .map(|r| r.try_get::<String, _>("v"))
            .collect::<Result<Vec<_>, _>>()
    };
    Ok(EventFacets {
        units: distinct("unit").await?,
        districts: distinct("district").await?,
        themes: distinct("theme").await?,
    })
}

/// Whether any event is hosted by `unit`.
pub async fn unit_exists(db: &Db, unit: &str) -> Result<bool, sqlx::Error> {
    let row = sqlx::query("SELECT COUNT(*) AS n FROM events WHERE unit = $1")
        .bind(unit.to_owned())
        .fetch_one(db.pool())
        .await?;
    Ok(row.try_get::<i64, _>("n")? > 0)
}

/// Inserts events in batches inside `tx`.
pub async fn insert_many(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    events: &[NewEventRow],
) -> Result<(), sqlx::Error> {
    const PER_ROW: usize = 11;
    for chunk in events.chunks(200) {
        let mut sql = String::from(
            "INSERT INTO events (title, unit, district, theme, place, starts_at, ends_at, \
             capacity, registered, registration, summary) VALUES ",
        );
        sql.push_str(&super::values_placeholders(tx, chunk.len(), PER_ROW));
        let mut query = sqlx::query(AssertSqlSafe(sql));
        for e in chunk {
            query = query
                .bind(e.title.clone())
                .bind(e.unit.clone())
                .bind(e.district.clone())
                .bind(e.theme.clone())
                .bind(e.place.clone())
                .bind(e.starts_at)
                .bind(e.ends_at)
                .bind(e.capacity)
                .bind(e.registered)
                .bind(i64::from(e.registration))
                .bind(e.summary.clone());
        }
        query.execute(&mut **tx).await?;
    }
    Ok(())
}

/// How many events there are, cancelled ones included.
pub async fn count(db: &Db) -> Result<i64, sqlx::Error> {
    sqlx::query("SELECT COUNT(*) AS n FROM events")
        .fetch_one(db.pool())
        .await?
        .try_get("n")
}

/// Stores one event and returns it with its id.
pub async fn insert_one(db: &Db, e: &NewEventRow) -> Result<Event, sqlx::Error> {
    let id: i64 = sqlx::query(
        "INSERT INTO events (title, unit, district, theme, place, starts_at, ends_at, capacity, \
         registered, registration, summary) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
         RETURNING id",
    )
    .bind(e.title.clone())
    .bind(e.unit.clone())
    .bind(e.district.clone())
    .bind(e.theme.clone())
    .bind(e.place.clone())
    .bind(e.starts_at)
    .bind(e.ends_at)
    .bind(e.capacity)
    .bind(e.registered)
    .bind(i64::from(e.registration))
    .bind(e.summary.clone())
    .fetch_one(db.pool())
    .await?
    .try_get("id")?;
    get(db, id).await?.ok_or(sqlx::Error::RowNotFound)
}

/// What an update did.
#[derive(Debug, PartialEq)]
pub enum Updated {
    Done(Event),
    NotFound,
    /// The new capacity is below the seats already taken.
    BelowRegistered,
}

/// Replaces an event's details, keeping its registrations.
pub async fn update(db: &Db, id: i64, e: &NewEventRow) -> Result<Updated, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE events SET title = $1, unit = $2, district = $3, theme = $4, place = $5, \
         starts_at = $6, ends_at = $7, capacity = $8, registration = $9, summary = $10 \
         WHERE id = $11 AND cancelled = 0 AND registered <= $8",
    )
    .bind(e.title.clone())
    .bind(e.unit.clone())
    .bind(e.district.clone())
    .bind(e.theme.clone())
    .bind(e.place.clone())
    .bind(e.starts_at)
    .bind(e.ends_at)
    .bind(e.capacity)
    .bind(i64::from(e.registration))
    .bind(e.summary.clone())
    .bind(id)
    .execute(db.pool())
    .await?;
    if done.rows_affected() == 1 {
        return Ok(get(db, id).await?.map_or(Updated::NotFound, Updated::Done));
    }
    Ok(match get(db, id).await? {
        Some(_) => Updated::BelowRegistered,
        None => Updated::NotFound,
    })
}

/// Cancels an event: it leaves the program. `false` when there is no such event.
pub async fn cancel(db: &Db, id: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE events SET cancelled = 1 WHERE id = $1 AND cancelled = 0")
        .bind(id)
        .execute(db.pool())
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Cancels every event still in the program, inside `tx`; how many there were.
pub async fn cancel_all(tx: &mut sqlx::Transaction<'_, sqlx::Any>) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("UPDATE events SET cancelled = 1 WHERE cancelled = 0")
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected())
}
