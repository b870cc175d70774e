//! The reference data: a category (routed to a unit), an entry of a plain list (units,
//! districts, rating tags) or a topic, created or replaced by id. Each change is written to
//! the audit log as `<list>/<id>`; a topic's also tells the live feed (its tally frame).

use omk_api::reference::valid_slug;
use omk_api::{
    AdminCategory, AuditAction, CategoryInput, Entry, EntryInput, FieldError, List, Topic,
    TopicInput,
};

use super::{OpError, Ops, check, given};
use crate::auth::Actor;
use crate::db;
use crate::live::Change;

/// The id's problem first, then the entry's own.
fn with_id(id: &str, validation: Result<(), Vec<FieldError>>) -> Vec<FieldError> {
    let mut errors = validation.err().unwrap_or_default();
    if !valid_slug(id) {
        errors.insert(0, FieldError::new("id", "invalid_value"));
    }
    errors
}

/// Records a change of reference data as `<list>/<id>`, and tells of `change`.
async fn saved(
    ops: Ops<'_>,
    actor: &Actor,
    what: String,
    change: Option<Change>,
) -> Result<(), OpError> {
    ops.done(actor, AuditAction::ReferenceSaved, what, change)
        .await
}

/// Creates the category `id` or replaces it; its unit must be an active one.
pub async fn set_category(
    ops: Ops<'_>,
    actor: &Actor,
    id: &str,
    mut input: CategoryInput,
) -> Result<AdminCategory, OpError> {
    input.unit = given(input.unit.as_deref());
    let mut errors = with_id(id, input.validate());
    if let Some(unit) = &input.unit
        && !db::lists::is_active(ops.db.pool(), List::Units, unit).await?
    {
        errors.push(FieldError::new("unit", "invalid_value"));
    }
    check(errors)?;
    db::categories::put(ops.db, id, &input).await?;
    saved(ops, actor, format!("categories/{id}"), None).await?;
    Ok(AdminCategory {
        id: id.to_owned(),
        name_zh: input.name_zh.trim().to_owned(),
        name_en: input.name_en.trim().to_owned(),
        position: input.position,
        active: input.active,
        unit: input.unit,
    })
}

/// Creates the entry `id` of `list` or replaces it.
pub async fn set_entry(
    ops: Ops<'_>,
    actor: &Actor,
    list: List,
    id: &str,
    input: &EntryInput,
) -> Result<Entry, OpError> {
    check(with_id(id, input.validate()))?;
    let entry = db::lists::put(ops.db, list, id, input).await?;
    saved(ops, actor, format!("{}/{id}", list.segment()), None).await?;
    Ok(entry)
}

/// Creates the topic `id` or replaces it, opening or closing its voting; answers with the
/// topic and its tally.
pub async fn set_topic(
    ops: Ops<'_>,
    actor: &Actor,
    id: &str,
    input: &TopicInput,
) -> Result<Topic, OpError> {
    check(with_id(id, input.validate()))?;
    if !db::topics::put(ops.db, id, input).await? {
        // A candidate of a month's cycle changes through its cycle.
        return Err(OpError::Conflict);
    }
    saved(ops, actor, format!("topics/{id}"), Some(Change::Topics)).await?;
    db::topics::list(ops.db)
        .await?
        .into_iter()
        .find(|t| t.id == id)
        .ok_or_else(|| OpError::Internal("a stored topic was not found".into()))
}
