//! The work on one issue: move its status, route it to another unit, hide or show its
//! text, show the visitor's contact details. Each action reads the issue inside the
//! transaction that acts on it, refuses there (403) an issue routed to another unit than
//! the actor's, and writes itself to the audit log in the same transaction. A refusal is
//! written to the audit log too (who, `refused`, the issue number and what was tried).

use omk_api::{
    AuditAction, AuditEntry, Contact, FieldError, IssueStatusView, List, Moderation, RouteChange,
    StatusChange,
};
use sqlx::{Any, Transaction};

use super::{OpError, Ops, abandon, check, finish};
use crate::auth::{Actor, Work};
use crate::db;
use crate::db::audit::Record;
use crate::db::issues::StoredIssue;
use crate::live::Change;
use crate::tracking;

/// What an actor tried, as the refusal's audit entry names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Attempt {
    Read,
    Status,
    Route,
    Moderation,
    Contact,
}

impl Attempt {
    /// The kind of work the attempt is, as roles are granted it.
    fn work(self) -> Work {
        match self {
            Attempt::Read => Work::Read,
            Attempt::Moderation => Work::Moderate,
            Attempt::Status | Attempt::Route | Attempt::Contact => Work::Act,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            Attempt::Read => "read",
            Attempt::Status => "status",
            Attempt::Route => "route",
            Attempt::Moderation => "moderation",
            Attempt::Contact => "contact",
        }
    }
}

/// The audit entry of `actor`'s `action` on issue `tracking_no`.
fn entry<'a>(
    actor: &'a Actor,
    action: AuditAction,
    tracking_no: &'a str,
    detail: String,
) -> Record<'a> {
    Record {
        actor: &actor.login,
        action,
        issue: Some(tracking_no),
        detail,
    }
}

/// The tracking number of a path, normalised; 404 for one that cannot be.
fn number(tracking_no: &str) -> Result<String, OpError> {
    tracking::normalise(tracking_no).ok_or(OpError::NotFound)
}

/// Writes the refusal of what `actor` tried (on `issue`, when it concerns one) to the audit
/// log: 403.
async fn refuse(ops: Ops<'_>, actor: &Actor, issue: Option<&str>, tried: String) -> OpError {
    let record = Record {
        actor: &actor.login,
        action: AuditAction::Refused,
        issue,
        detail: tried,
    };
    match db::audit::add(ops.db.pool(), &record, ops.clock.now()).await {
        Ok(()) => OpError::Forbidden,
        Err(err) => OpError::Db(err),
    }
}

/// Ends the acting transaction, then writes the refusal: 403.
async fn refuse_after(
    tx: Transaction<'static, Any>,
    ops: Ops<'_>,
    actor: &Actor,
    tracking_no: &str,
    attempt: Attempt,
) -> OpError {
    match tx.rollback().await {
        Ok(()) => refuse(ops, actor, Some(tracking_no), attempt.as_str().into()).await,
        Err(err) => OpError::Db(err),
    }
}

/// Begins the transaction that does `attempt` on the issue, holding the issue for it: 404
/// when there is none, 403 (audited) when the actor may not work it.
async fn begin(
    ops: Ops<'_>,
    actor: &Actor,
    tracking_no: &str,
    attempt: Attempt,
) -> Result<(Transaction<'static, Any>, StoredIssue), OpError> {
    let tracking_no = number(tracking_no)?;
    let mut tx = ops.db.pool().begin().await?;
    let issue = db::issues::claim(&mut tx, &tracking_no).await?;
    let issue = match issue {
        Some(issue) if actor.may(attempt.work(), issue.unit.as_deref()) => issue,
        Some(_) => {
            let refused = refuse_after(tx, ops, actor, &tracking_no, attempt).await;
            return Err(refused);
        }
        None => return Err(abandon(tx, OpError::NotFound).await),
    };
    Ok((tx, issue))
}

/// The unit whose issues (and figures) a listing covers: for a caller who sees every unit,
/// the one `asked` for (every unit without one); for a unit operator, their own, and 403
/// (audited) when they ask for another.
pub async fn reach(
    ops: Ops<'_>,
    actor: &Actor,
    asked: Option<&str>,
) -> Result<Option<String>, OpError> {
    if actor.role.sees_every_unit() {
        return Ok(asked.map(str::to_owned));
    }
    match (actor.unit.as_deref(), asked) {
        (Some(own), None) => Ok(Some(own.to_owned())),
        (Some(own), Some(asked)) if asked == own => Ok(Some(own.to_owned())),
        (_, asked) => {
            let tried = format!("issues of unit {}", asked.unwrap_or("-"));
            Err(refuse(ops, actor, None, tried).await)
        }
    }
}

/// The issue and what was done to it, oldest first: 403 (audited) for another unit's.
pub async fn read(
    ops: Ops<'_>,
    actor: &Actor,
    tracking_no: &str,
) -> Result<(StoredIssue, Vec<AuditEntry>), OpError> {
    let tracking_no = number(tracking_no)?;
    let issue = db::issues::one(ops.db, &tracking_no)
        .await?
        .ok_or(OpError::NotFound)?;
    if !actor.may(Work::Read, issue.unit.as_deref()) {
        let tried = Attempt::Read.as_str().into();
        return Err(refuse(ops, actor, Some(&tracking_no), tried).await);
    }
    let history = db::audit::for_issue(ops.db, &issue.tracking_no).await?;
    Ok((issue, history))
}

/// The reason an action is given, checked: present and not too long.
fn reason(text: &str) -> Result<String, OpError> {
    let text = text.trim();
    let length = text.chars().count();
    if length == 0 {
        Err(OpError::field("reason", "required"))
    } else if length > RouteChange::REASON_MAX {
        Err(OpError::field("reason", "too_long"))
    } else {
        Ok(text.to_owned())
    }
}

/// Moves the issue forward (received → accepted → answered → resolved or closed), with a
/// public answer; answers with its public view.
pub async fn move_status(
    ops: Ops<'_>,
    actor: &Actor,
    tracking_no: &str,
    change: &StatusChange,
) -> Result<IssueStatusView, OpError> {
    let answer = change
        .answer
        .as_deref()
        .map(str::trim)
        .filter(|a| !a.is_empty());
    let (mut tx, issue) = begin(ops, actor, tracking_no, Attempt::Status).await?;
    let mut errors = Vec::new();
    if answer.is_some_and(|a| a.chars().count() > StatusChange::ANSWER_MAX) {
        errors.push(FieldError::new("answer", "too_long"));
    }
    if !issue.status.can_move_to(change.status) {
        errors.push(FieldError::new("status", "invalid_value"));
    }
    if let Err(invalid) = check(errors) {
        return Err(abandon(tx, invalid).await);
    }
    let now = ops.clock.now();
    let tracking_no = issue.tracking_no.as_str();
    if !db::issues::move_status(
        &mut tx,
        tracking_no,
        issue.status,
        change.status,
        answer,
        now,
    )
    .await?
    {
        return Err(abandon(tx, OpError::Conflict).await);
    }
    let detail = format!("{} → {}", issue.status.as_str(), change.status.as_str());
    let record = entry(actor, AuditAction::StatusChanged, tracking_no, detail);
    finish(ops, tx, record, Some(Change::Metrics)).await?;
    db::issues::status_view(ops.db, tracking_no)
        .await?
        .ok_or(OpError::NotFound)
}

/// Hands the issue to another (active) unit, with the reason; answers with the issue as it
/// is now.
pub async fn route(
    ops: Ops<'_>,
    actor: &Actor,
    tracking_no: &str,
    change: &RouteChange,
) -> Result<StoredIssue, OpError> {
    let (mut tx, issue) = begin(ops, actor, tracking_no, Attempt::Route).await?;
    let unit = change.unit.trim();
    let why = match reason(&change.reason) {
        Ok(why) if issue.unit.as_deref() != Some(unit) => why,
        Ok(_) => return Err(abandon(tx, OpError::field("unit", "invalid_value")).await),
        Err(invalid) => return Err(abandon(tx, invalid).await),
    };
    if !db::lists::is_active(&mut *tx, List::Units, unit).await? {
        return Err(abandon(tx, OpError::field("unit", "invalid_value")).await);
    }
    let from = issue.unit.as_deref();
    let tracking_no = issue.tracking_no.as_str();
    if !db::issues::route(&mut tx, tracking_no, from, unit, ops.clock.now()).await? {
        return Err(abandon(tx, OpError::Conflict).await);
    }
    let detail = format!("{} → {unit}: {why}", from.unwrap_or("-"));
    let record = entry(actor, AuditAction::Routed, tracking_no, detail);
    finish(ops, tx, record, None).await?;
    stored(ops, tracking_no).await
}

/// Hides the issue's text from every public view, or shows it again (the text is kept);
/// answers with the issue as it is now.
pub async fn moderate(
    ops: Ops<'_>,
    actor: &Actor,
    tracking_no: &str,
    moderation: &Moderation,
) -> Result<StoredIssue, OpError> {
    let (mut tx, issue) = begin(ops, actor, tracking_no, Attempt::Moderation).await?;
    let why = match reason(&moderation.reason) {
        Ok(why) => why,
        Err(invalid) => return Err(abandon(tx, invalid).await),
    };
    let tracking_no = issue.tracking_no.as_str();
    db::issues::set_hidden(&mut tx, tracking_no, moderation.hidden).await?;
    let action = if moderation.hidden {
        AuditAction::TextHidden
    } else {
        AuditAction::TextShown
    };
    let record = entry(actor, action, tracking_no, why);
    finish(ops, tx, record, None).await?;
    stored(ops, tracking_no).await
}

/// The visitor's name and phone, given with consent; the view is written to the audit log
/// in the transaction that reads them, before they are answered.
pub async fn contact(ops: Ops<'_>, actor: &Actor, tracking_no: &str) -> Result<Contact, OpError> {
    let (mut tx, issue) = begin(ops, actor, tracking_no, Attempt::Contact).await?;
    let tracking_no = issue.tracking_no.as_str();
    let Some((name, phone)) = db::issues::contact(&mut tx, tracking_no).await? else {
        return Err(abandon(tx, OpError::NotFound).await);
    };
    let record = entry(
        actor,
        AuditAction::ContactViewed,
        tracking_no,
        String::new(),
    );
    finish(ops, tx, record, None).await?;
    Ok(Contact { name, phone })
}

/// The issue as stored now.
async fn stored(ops: Ops<'_>, tracking_no: &str) -> Result<StoredIssue, OpError> {
    db::issues::one(ops.db, tracking_no)
        .await?
        .ok_or(OpError::NotFound)
}
