//! The operators' work on the mayor's mailbox and on opinion collections, each one function
//! that checks, stores, audits and notifies. A letter action reads the letter inside the
//! transaction that acts on it (`db::letters::claim` holds the row), refuses there (403,
//! audited) a letter routed to another unit than a unit operator's, and writes itself to the
//! audit log in that transaction; an action on a letter at the wrong stage is refused (409)
//! with nothing changed. The audit log holds codes, states, units and reasons, never a name,
//! a phone or a letter's text.
//!
//! Who does what: reviewing (accept and route, or decline) and drafting, publishing and
//! closing opinion collections: admins; publishing a letter's public version and moderating
//! comments: moderators and admins; the supervision list: supervisors and admins; replying
//! and the contact view: the operators of the unit a letter is routed to, and admins;
//! reading letters and collections: every role that reads every unit's work, and a unit's
//! operators their unit's letters.

use omk_api::{
    AdminCollection, AdoptedNote, AuditAction, AuditEntry, Collection, CollectionInput,
    CollectionState, CommentModeration, CommentState, Contact, FieldError, LetterDetail,
    LetterItem, LetterPage, LetterPublication, LetterQuery, LetterReply, LetterReview, LetterState,
    List, Role,
};
use sqlx::{Any, Transaction};

use super::{OpError, Ops, abandon, finish};
use crate::auth::{Actor, Work};
use crate::clock::{self, DAY};
use crate::db;
use crate::db::audit::Record;
use crate::db::consultations::{CollectionFields, StoredCollection};
use crate::db::letters::LetterFilter;

/// Whether `actor` may review letters (accept and route, or decline).
fn may_review(actor: &Actor) -> bool {
    actor.role == Role::Admin
}

/// Whether `actor` may publish public text: letters' public versions and comments.
fn may_moderate(actor: &Actor) -> bool {
    matches!(actor.role, Role::Admin | Role::Moderator)
}

/// Whether `actor` may read the supervision list.
fn may_supervise(actor: &Actor) -> bool {
    matches!(actor.role, Role::Admin | Role::Supervisor)
}

/// Whether `actor` may draft, publish and close opinion collections.
fn may_collect(actor: &Actor) -> bool {
    actor.role == Role::Admin
}

/// The audit entry of `actor`'s `action` on the letter `code` (or on nothing).
fn entry<'a>(
    actor: &'a Actor,
    action: AuditAction,
    code: Option<&'a str>,
    detail: String,
) -> Record<'a> {
    Record {
        actor: &actor.login,
        action,
        issue: code,
        detail,
    }
}

/// Writes the refusal of what `actor` tried to the audit log: 403.
async fn refuse(ops: Ops<'_>, actor: &Actor, code: Option<&str>, tried: String) -> OpError {
    let record = entry(actor, AuditAction::Refused, code, tried);
    match db::audit::add(ops.db.pool(), &record, ops.clock.now()).await {
        Ok(()) => OpError::Forbidden,
        Err(err) => OpError::Db(err),
    }
}

/// The code of a path, normalised; 404 for one that cannot be a letter's.
fn code_of(code: &str) -> Result<String, OpError> {
    omk_api::mailbox::normalise_code(code).ok_or(OpError::NotFound)
}

/// Whether `actor` may do `work` on a letter: by the unit it is routed to (see [`Actor::may`]).
fn may(actor: &Actor, work: Work, letter: &LetterItem) -> bool {
    actor.may(work, letter.unit.as_deref())
}

/// Begins the transaction of `tried` on the letter, holding it: 404 when there is none, 403
/// (audited) when `allowed` says the actor may not.
async fn begin(
    ops: Ops<'_>,
    actor: &Actor,
    code: &str,
    tried: &str,
    allowed: impl Fn(&LetterItem) -> bool,
) -> Result<(Transaction<'static, Any>, LetterItem), OpError> {
    let code = code_of(code)?;
    let mut tx = ops.db.pool().begin().await?;
    match db::letters::claim(&mut tx, &code).await? {
        Some(letter) if allowed(&letter) => Ok((tx, letter)),
        Some(_) => {
            tx.rollback().await?;
            Err(refuse(ops, actor, Some(&code), format!("letter {tried}")).await)
        }
        None => Err(abandon(tx, OpError::NotFound).await),
    }
}

/// A page of letters, newest first: every letter for an admin, a unit operator's unit's only.
pub async fn list(ops: Ops<'_>, actor: &Actor, query: &LetterQuery) -> Result<LetterPage, OpError> {
    let unit = if actor.role.sees_every_unit() {
        None
    } else {
        match &actor.unit {
            Some(unit) => Some(unit.clone()),
            None => return Err(refuse(ops, actor, None, "letters".into()).await),
        }
    };
    let filter = LetterFilter {
        state: query.state,
        unit,
        supervision: false,
    };
    page(ops, &filter, query).await
}

async fn page(
    ops: Ops<'_>,
    filter: &LetterFilter,
    query: &LetterQuery,
) -> Result<LetterPage, OpError> {
    let paging = omk_api::PageQuery {
        page: query.page,
        per_page: query.per_page,
    };
    let (limit, offset) = paging.limit_offset();
    let (items, total) = db::letters::list(ops.db, filter, limit, offset).await?;
    Ok(LetterPage { items, total })
}

/// The supervision list: letters whose writers were not satisfied and said why, newest first.
pub async fn supervision(
    ops: Ops<'_>,
    actor: &Actor,
    query: &LetterQuery,
) -> Result<LetterPage, OpError> {
    if !may_supervise(actor) {
        return Err(refuse(ops, actor, None, "letters supervision".into()).await);
    }
    let filter = LetterFilter {
        state: query.state,
        unit: None,
        supervision: true,
    };
    page(ops, &filter, query).await
}

/// One letter and what was done to it: 403 (audited) for another unit's.
pub async fn read(ops: Ops<'_>, actor: &Actor, code: &str) -> Result<LetterDetail, OpError> {
    let code = code_of(code)?;
    let letter = db::letters::one(ops.db, &code)
        .await?
        .ok_or(OpError::NotFound)?;
    if !may(actor, Work::Read, &letter) {
        return Err(refuse(ops, actor, Some(&code), "letter read".into()).await);
    }
    let history: Vec<AuditEntry> = db::audit::for_issue(ops.db, &code).await?;
    Ok(LetterDetail { letter, history })
}

/// The writer's name and phone; the view is written to the audit log in the transaction that
/// reads them, before they are answered. 404 once they are erased.
pub async fn contact(ops: Ops<'_>, actor: &Actor, code: &str) -> Result<Contact, OpError> {
    let (mut tx, letter) = begin(ops, actor, code, "contact", |l| may(actor, Work::Act, l)).await?;
    let found = db::letters::contact(&mut tx, &letter.code).await?;
    let Some((name, phone)) = found.filter(|(n, p)| n.is_some() || p.is_some()) else {
        return Err(abandon(tx, OpError::NotFound).await);
    };
    let record = entry(
        actor,
        AuditAction::ContactViewed,
        Some(&letter.code),
        String::new(),
    );
    finish(ops, tx, record, None).await?;
    Ok(Contact { name, phone })
}

/// Accepts a letter awaiting review and routes it to an active unit, or declines it with a
/// reason from the fixed list.
pub async fn review(
    ops: Ops<'_>,
    actor: &Actor,
    code: &str,
    review: &LetterReview,
) -> Result<LetterItem, OpError> {
    let (mut tx, letter) = begin(ops, actor, code, "review", |_| may_review(actor)).await?;
    let unit = review
        .unit
        .as_deref()
        .map(str::trim)
        .filter(|u| !u.is_empty());
    let mut errors = Vec::new();
    match (unit, review.decline) {
        (Some(_), Some(_)) => errors.push(FieldError::new("decline", "invalid_value")),
        (None, None) => errors.push(FieldError::new("unit", "required")),
        (Some(unit), None) if !db::lists::is_active(&mut *tx, List::Units, unit).await? => {
            errors.push(FieldError::new("unit", "invalid_value"));
        }
        _ => {}
    }
    if !errors.is_empty() {
        return Err(abandon(tx, OpError::Invalid(errors)).await);
    }
    if letter.state != LetterState::AwaitingReview {
        return Err(abandon(tx, OpError::WrongState).await);
    }
    let now = ops.clock.now();
    let (moved, detail) = match (unit, review.decline) {
        (Some(unit), _) => (
            db::letters::accept(&mut tx, &letter.code, unit, now).await?,
            format!("awaiting_review → accepted: {unit}"),
        ),
        (None, Some(reason)) => (
            db::letters::decline(&mut tx, &letter.code, reason, now).await?,
            format!("awaiting_review → declined: {}", reason.as_str()),
        ),
        (None, None) => (false, String::new()),
    };
    if !moved {
        return Err(abandon(tx, OpError::Conflict).await);
    }
    let record = entry(
        actor,
        AuditAction::LetterReviewed,
        Some(&letter.code),
        detail,
    );
    finish(ops, tx, record, None).await?;
    stored(ops, &letter.code).await
}

/// Replies to an accepted letter: its unit's operators or an admin; another unit's letter
/// is refused (403, audited) inside the acting transaction.
pub async fn reply(
    ops: Ops<'_>,
    actor: &Actor,
    code: &str,
    reply: &LetterReply,
) -> Result<LetterItem, OpError> {
    let (mut tx, letter) = begin(ops, actor, code, "reply", |l| may(actor, Work::Act, l)).await?;
    if let Err(errors) = reply.validate() {
        return Err(abandon(tx, OpError::Invalid(errors)).await);
    }
    if letter.state != LetterState::Accepted {
        return Err(abandon(tx, OpError::WrongState).await);
    }
    let now = ops.clock.now();
    if !db::letters::reply(&mut tx, &letter.code, reply.reply.trim(), now).await? {
        return Err(abandon(tx, OpError::Conflict).await);
    }
    let detail = format!(
        "accepted → replied: {}",
        letter.unit.as_deref().unwrap_or("-")
    );
    let record = entry(
        actor,
        AuditAction::LetterReplied,
        Some(&letter.code),
        detail,
    );
    finish(ops, tx, record, None).await?;
    stored(ops, &letter.code).await
}

/// Publishes a replied letter with its approved public version: only with the writer's
/// consent (422 `may_publish` `consent_required` without it).
pub async fn publish(
    ops: Ops<'_>,
    actor: &Actor,
    code: &str,
    publication: &LetterPublication,
) -> Result<LetterItem, OpError> {
    let (mut tx, letter) = begin(ops, actor, code, "publication", |_| may_moderate(actor)).await?;
    let mut errors = publication.validate().err().unwrap_or_default();
    if !letter.may_publish {
        errors.push(FieldError::new("may_publish", "consent_required"));
    }
    if !errors.is_empty() {
        return Err(abandon(tx, OpError::Invalid(errors)).await);
    }
    if letter.state != LetterState::Replied {
        return Err(abandon(tx, OpError::WrongState).await);
    }
    let (title, text) = (publication.title.trim(), publication.text.trim());
    if !db::letters::publish(&mut tx, &letter.code, title, text, ops.clock.now()).await? {
        return Err(abandon(tx, OpError::Conflict).await);
    }
    let detail = "replied → published".to_owned();
    let record = entry(
        actor,
        AuditAction::LetterPublished,
        Some(&letter.code),
        detail,
    );
    finish(ops, tx, record, None).await?;
    stored(ops, &letter.code).await
}

async fn stored(ops: Ops<'_>, code: &str) -> Result<LetterItem, OpError> {
    db::letters::one(ops.db, code)
        .await?
        .ok_or(OpError::NotFound)
}

/// The public form of a stored collection, as of `now`.
pub fn public_form(c: &StoredCollection, now: i64) -> Collection {
    let last_day = clock::local_day(c.closes_at) - 1;
    Collection {
        id: c.id,
        title: c.title.clone(),
        text: c.text.clone(),
        opens_on: clock::format_day(clock::local_day(c.opens_at)),
        closes_on: clock::format_day(last_day),
        state: CollectionState::at(c.published, c.opens_at, c.closes_at, now),
        comments_published: c.comments_published,
        adopted_note: c.adopted_note.clone(),
        published_at: c.published_at,
        noted_at: c.noted_at,
    }
}

/// The moments a collection's days span: from the first day's start to the end of the last.
fn span(input: &CollectionInput) -> Result<(i64, i64), OpError> {
    let (first, last) = input.validate().map_err(OpError::Invalid)?;
    let start = omk_api::civil::local_day_start(first);
    Ok((start, omk_api::civil::local_day_start(last) + DAY))
}

/// Refuses (403, audited) an actor who may not work collections.
async fn collector(ops: Ops<'_>, actor: &Actor, tried: &str) -> Result<(), OpError> {
    if may_collect(actor) {
        Ok(())
    } else {
        Err(refuse(ops, actor, None, format!("collection {tried}")).await)
    }
}

/// Refuses (403, audited) an actor who does not read every unit's work.
async fn reader(ops: Ops<'_>, actor: &Actor, tried: &str) -> Result<(), OpError> {
    if actor.role.sees_every_unit() {
        Ok(())
    } else {
        Err(refuse(ops, actor, None, format!("collection {tried}")).await)
    }
}

/// Every collection, drafts included, for operators.
pub async fn collections(ops: Ops<'_>, actor: &Actor) -> Result<Vec<Collection>, OpError> {
    reader(ops, actor, "list").await?;
    let now = ops.clock.now();
    let all = db::consultations::list(ops.db, false).await?;
    Ok(all.iter().map(|c| public_form(c, now)).collect())
}

/// One collection with every comment, for operators.
pub async fn collection(ops: Ops<'_>, actor: &Actor, id: i64) -> Result<AdminCollection, OpError> {
    reader(ops, actor, "read").await?;
    admin_form(ops, id).await
}

async fn admin_form(ops: Ops<'_>, id: i64) -> Result<AdminCollection, OpError> {
    let stored = db::consultations::one(ops.db, id)
        .await?
        .ok_or(OpError::NotFound)?;
    let comments = db::consultations::all_comments(ops.db, id).await?;
    Ok(AdminCollection {
        collection: public_form(&stored, ops.clock.now()),
        comments,
    })
}

/// Drafts a collection.
pub async fn draft(
    ops: Ops<'_>,
    actor: &Actor,
    input: &CollectionInput,
) -> Result<AdminCollection, OpError> {
    collector(ops, actor, "draft").await?;
    let (opens_at, closes_at) = span(input)?;
    let fields = CollectionFields {
        title: input.title.trim(),
        text: input.text.trim(),
        opens_at,
        closes_at,
    };
    let mut tx = ops.db.pool().begin().await?;
    let id = db::consultations::insert(&mut tx, &fields, ops.clock.now()).await?;
    let record = entry(
        actor,
        AuditAction::CollectionSaved,
        None,
        format!("collection {id} drafted"),
    );
    finish(ops, tx, record, None).await?;
    admin_form(ops, id).await
}

/// Begins the transaction of an action on collection `id`, holding it: 404 without one.
async fn begin_collection(
    ops: Ops<'_>,
    id: i64,
) -> Result<(Transaction<'static, Any>, StoredCollection), OpError> {
    let mut tx = ops.db.pool().begin().await?;
    match db::consultations::claim(&mut tx, id).await? {
        Some(found) => Ok((tx, found)),
        None => Err(abandon(tx, OpError::NotFound).await),
    }
}

/// Replaces a draft's title, text and days; a published collection is refused (409).
pub async fn edit(
    ops: Ops<'_>,
    actor: &Actor,
    id: i64,
    input: &CollectionInput,
) -> Result<AdminCollection, OpError> {
    collector(ops, actor, "edit").await?;
    let (opens_at, closes_at) = span(input)?;
    let (mut tx, found) = begin_collection(ops, id).await?;
    if found.published {
        return Err(abandon(tx, OpError::WrongState).await);
    }
    let fields = CollectionFields {
        title: input.title.trim(),
        text: input.text.trim(),
        opens_at,
        closes_at,
    };
    if !db::consultations::edit_draft(&mut tx, id, &fields).await? {
        return Err(abandon(tx, OpError::Conflict).await);
    }
    let record = entry(
        actor,
        AuditAction::CollectionSaved,
        None,
        format!("collection {id} edited"),
    );
    finish(ops, tx, record, None).await?;
    admin_form(ops, id).await
}

/// Publishes a draft: the public sees it, and it takes comments on its days.
pub async fn publish_collection(
    ops: Ops<'_>,
    actor: &Actor,
    id: i64,
) -> Result<AdminCollection, OpError> {
    collector(ops, actor, "publication").await?;
    let (mut tx, found) = begin_collection(ops, id).await?;
    if found.published || !db::consultations::publish(&mut tx, id, ops.clock.now()).await? {
        return Err(abandon(tx, OpError::WrongState).await);
    }
    let record = entry(
        actor,
        AuditAction::CollectionPublished,
        None,
        format!("collection {id}"),
    );
    finish(ops, tx, record, None).await?;
    admin_form(ops, id).await
}

/// Publishes or rejects a pending comment; a decided one is refused (409).
pub async fn moderate_comment(
    ops: Ops<'_>,
    actor: &Actor,
    id: i64,
    comment: i64,
    moderation: &CommentModeration,
) -> Result<AdminCollection, OpError> {
    if !may_moderate(actor) {
        return Err(refuse(
            ops,
            actor,
            None,
            format!("collection {id} comment {comment}"),
        )
        .await);
    }
    if moderation.state == CommentState::Pending {
        return Err(OpError::field("state", "invalid_value"));
    }
    let (mut tx, _) = begin_collection(ops, id).await?;
    match db::consultations::moderate(&mut tx, id, comment, moderation.state, ops.clock.now())
        .await?
    {
        None => return Err(abandon(tx, OpError::NotFound).await),
        Some(false) => return Err(abandon(tx, OpError::WrongState).await),
        Some(true) => {}
    }
    let detail = format!(
        "collection {id} comment {comment}: pending → {}",
        moderation.state.as_str()
    );
    let record = entry(actor, AuditAction::CommentModerated, None, detail);
    finish(ops, tx, record, None).await?;
    admin_form(ops, id).await
}

/// Publishes what was adopted, once, after the collection has closed (409 before).
pub async fn note(
    ops: Ops<'_>,
    actor: &Actor,
    id: i64,
    note: &AdoptedNote,
) -> Result<AdminCollection, OpError> {
    collector(ops, actor, "note").await?;
    note.validate().map_err(OpError::Invalid)?;
    let (mut tx, found) = begin_collection(ops, id).await?;
    let now = ops.clock.now();
    let state = CollectionState::at(found.published, found.opens_at, found.closes_at, now);
    if state != CollectionState::Closed
        || !db::consultations::note(&mut tx, id, note.note.trim(), now).await?
    {
        return Err(abandon(tx, OpError::WrongState).await);
    }
    let record = entry(
        actor,
        AuditAction::AdoptedNotePublished,
        None,
        format!("collection {id}"),
    );
    finish(ops, tx, record, None).await?;
    admin_form(ops, id).await
}

/// The month's public figures from its letters' rows (see [`omk_api::LetterFigures`]).
pub fn figures(month: String, rows: &[db::letters::FigureRow]) -> omk_api::LetterFigures {
    use omk_api::mailbox::{median, rate};
    let count = |keep: &dyn Fn(&db::letters::FigureRow) -> bool| {
        i64::try_from(rows.iter().filter(|r| keep(r)).count()).unwrap_or(i64::MAX)
    };
    let received = count(&|_| true);
    let declined = count(&|r| r.state == LetterState::Declined);
    let replied = count(&|r| r.state.is_replied());
    let rated = count(&|r| r.state.is_replied() && r.rating.is_some());
    let satisfied =
        count(&|r| r.state.is_replied() && r.rating == Some(omk_api::Satisfaction::Satisfied));
    let mut delays: Vec<f64> = rows
        .iter()
        .filter(|r| r.state.is_replied())
        .filter_map(|r| {
            r.replied_at
                .map(|at| (at - r.created_at) as f64 / DAY as f64)
        })
        .collect();
    omk_api::LetterFigures {
        month,
        received,
        declined,
        replied,
        reply_rate: rate(replied, received - declined),
        reply_rate_n: received - declined,
        rated,
        satisfied,
        satisfaction_rate: rate(satisfied, rated),
        median_days_to_reply: median(&mut delays),
    }
}
