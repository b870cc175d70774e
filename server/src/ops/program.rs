//! The program: an event created, edited or cancelled, or a whole file imported. Each is
//! written to the audit log by event id (or by counts) and tells the live feed.

use omk_api::events::{EventInput, ImportReport};
use omk_api::{AuditAction, Event, FieldError};

use super::{OpError, Ops};
use crate::auth::Actor;
use crate::db;
use crate::db::events::{NewEventRow, Updated};
use crate::import;
use crate::live::Change;

/// The stored form of an event as an operator entered it, every field checked.
pub fn event_row(input: &EventInput) -> Result<NewEventRow, Vec<FieldError>> {
    input.check()?;
    Ok(NewEventRow {
        title: input.title.trim().into(),
        unit: input.unit.trim().into(),
        district: input.district.trim().into(),
        theme: input.theme.trim().into(),
        place: input.place.trim().into(),
        starts_at: input.starts_at,
        ends_at: input.ends_at,
        capacity: input.capacity,
        registered: 0,
        registration: input.registration,
        summary: input.summary.trim().into(),
    })
}

/// Adds one event to the program.
pub async fn create(ops: Ops<'_>, actor: &Actor, input: &EventInput) -> Result<Event, OpError> {
    let row = event_row(input).map_err(OpError::Invalid)?;
    let event = db::events::insert_one(ops.db, &row).await?;
    changed(ops, actor, AuditAction::EventCreated, event.id.to_string()).await?;
    Ok(event)
}

/// Replaces event `id`'s details, keeping its registrations.
pub async fn edit(
    ops: Ops<'_>,
    actor: &Actor,
    id: i64,
    input: &EventInput,
) -> Result<Event, OpError> {
    let row = event_row(input).map_err(OpError::Invalid)?;
    let event = match db::events::update(ops.db, id, &row).await? {
        Updated::Done(event) => event,
        Updated::NotFound => return Err(OpError::NotFound),
        Updated::BelowRegistered => return Err(OpError::field("capacity", "invalid_value")),
    };
    changed(ops, actor, AuditAction::EventUpdated, id.to_string()).await?;
    Ok(event)
}

/// Cancels event `id`: it leaves the program.
pub async fn cancel(ops: Ops<'_>, actor: &Actor, id: i64) -> Result<(), OpError> {
    if !db::events::cancel(ops.db, id).await? {
        return Err(OpError::NotFound);
    }
    changed(ops, actor, AuditAction::EventCancelled, id.to_string()).await
}

/// Stores a program file's events, read and checked by [`import::read`], in one
/// transaction; with `replace`, the events already in the program are cancelled first.
pub async fn import(
    ops: Ops<'_>,
    actor: &Actor,
    rows: &[NewEventRow],
    replace: bool,
) -> Result<ImportReport, OpError> {
    let report = import::store(ops.db, rows, replace).await?;
    let (imported, cancelled) = (report.imported, report.cancelled);
    let detail = format!("imported {imported}, cancelled {cancelled}");
    changed(ops, actor, AuditAction::ProgramImported, detail).await?;
    Ok(report)
}

/// Records a change of the program and tells the live feed.
async fn changed(
    ops: Ops<'_>,
    actor: &Actor,
    action: AuditAction,
    detail: String,
) -> Result<(), OpError> {
    ops.done(actor, action, detail, Some(Change::Program)).await
}
