//! The operators' operations, each one function that checks its input, stores it, writes it
//! to the audit log and tells the live feed: the HTTP handlers (`routes/`) and the
//! `omk-server` commands (`cli/`) both call them, with the [`Actor`] who acts.

pub mod cycle;
pub mod issues;
pub mod mailbox;
pub mod operators;
pub mod outcome;
pub mod program;
pub mod reference;

use omk_api::{AuditAction, FieldError};

use crate::auth::Actor;
use crate::clock::Clock;
use crate::db::audit::Record;
use crate::db::{self, Backend, Db};
use crate::error::AppError;
use crate::fanout::Fanout;
use crate::live::{Change, Live};
use crate::state::AppState;

/// What an operation needs: the database, the clock it is judged by, and who hears of it.
#[derive(Debug, Clone, Copy)]
pub struct Ops<'a> {
    pub db: &'a Db,
    pub clock: &'a Clock,
    pub notify: Notify<'a>,
}

/// Who is told of a change.
#[derive(Debug, Clone, Copy)]
pub enum Notify<'a> {
    /// This server's live feed, which recomputes and, over PostgreSQL, tells the other
    /// instances.
    Live(&'a Live),
    /// A command outside any server: over PostgreSQL, the running instances are told with a
    /// notification; a SQLite file has no listener to tell.
    Instances,
}

impl<'a> Ops<'a> {
    /// The operations of a running server.
    pub fn of(state: &'a AppState) -> Ops<'a> {
        Ops {
            db: &state.db,
            clock: &state.clock,
            notify: Notify::Live(&state.live),
        }
    }

    /// Tells whoever follows the data that it changed.
    pub async fn changed(&self, change: Change) {
        match self.notify {
            Notify::Live(live) => live.changed(change),
            Notify::Instances => {
                if self.db.backend() == Backend::Postgres {
                    match Fanout::new() {
                        Ok(fanout) => fanout.announce(self.db, change).await,
                        Err(err) => tracing::warn!(%err, "cannot tell the running instances"),
                    }
                }
            }
        }
    }

    /// The last steps of an operation stored outside a transaction of its own: the audit
    /// entry, then the notification (when `change` says something followed changed).
    async fn done(
        &self,
        actor: &Actor,
        action: AuditAction,
        detail: String,
        change: Option<Change>,
    ) -> Result<(), OpError> {
        let record = Record {
            actor: &actor.login,
            action,
            issue: None,
            detail,
        };
        db::audit::add(self.db.pool(), &record, self.clock.now()).await?;
        if let Some(change) = change {
            self.changed(change).await;
        }
        Ok(())
    }
}

/// Why an operation did nothing.
#[derive(Debug, thiserror::Error)]
pub enum OpError {
    /// The input broke the rules; every problem is listed.
    #[error("{}", fields(.0))]
    Invalid(Vec<FieldError>),
    /// No such event, issue or account.
    #[error("not found")]
    NotFound,
    /// The actor may not do this (already written to the audit log).
    #[error("forbidden")]
    Forbidden,
    /// Someone else changed the same thing meanwhile.
    #[error("changed meanwhile")]
    Conflict,
    /// The thing is not at a stage that allows this.
    #[error("not at this stage")]
    WrongState,
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    /// Anything else (a password that cannot be hashed).
    #[error("{0}")]
    Internal(String),
    /// A refusal with a kind of its own (the month's cycle: a wrong stage, a used code…).
    #[error("refused: {0:?}")]
    Refused(omk_api::ProblemKind),
}

impl OpError {
    /// One problem with one field.
    pub fn field(field: &str, code: &str) -> OpError {
        OpError::Invalid(vec![FieldError::new(field, code)])
    }
}

/// Ends the transaction of an action that does not go ahead, at once (its lock must not
/// outlive the request), and gives why.
pub(crate) async fn abandon(tx: sqlx::Transaction<'static, sqlx::Any>, why: OpError) -> OpError {
    match tx.rollback().await {
        Ok(()) => why,
        Err(err) => OpError::Db(err),
    }
}

/// Writes the action to the audit log in its transaction, commits, and tells the live feed
/// of `change`.
pub(crate) async fn finish(
    ops: Ops<'_>,
    mut tx: sqlx::Transaction<'static, sqlx::Any>,
    record: Record<'_>,
    change: Option<Change>,
) -> Result<(), OpError> {
    db::audit::add(&mut *tx, &record, ops.clock.now()).await?;
    tx.commit().await?;
    if let Some(change) = change {
        ops.changed(change).await;
    }
    Ok(())
}

/// Writes `actor`'s `action` to the audit log inside the acting transaction `tx`.
pub(crate) async fn audited(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    actor: &Actor,
    action: AuditAction,
    detail: String,
    at: i64,
) -> Result<(), OpError> {
    let record = Record {
        actor: &actor.login,
        action,
        issue: None,
        detail,
    };
    db::audit::add(&mut **tx, &record, at).await?;
    Ok(())
}

/// Every problem as `field (code)`, comma-separated.
pub fn fields(errors: &[FieldError]) -> String {
    errors
        .iter()
        .map(|e| format!("{} ({})", e.field, e.code))
        .collect::<Vec<_>>()
        .join(", ")
}

/// An optional id as given, trimmed; `None` when blank.
fn given(id: Option<&str>) -> Option<String> {
    id.map(str::trim)
        .filter(|id| !id.is_empty())
        .map(str::to_owned)
}

/// Fails with every problem in `errors`, if there is one.
fn check(errors: Vec<FieldError>) -> Result<(), OpError> {
    if errors.is_empty() {
        Ok(())
    } else {
        Err(OpError::Invalid(errors))
    }
}

impl From<OpError> for AppError {
    fn from(err: OpError) -> AppError {
        match err {
            OpError::Invalid(errors) => AppError::Validation(errors),
            OpError::NotFound => AppError::NotFound,
            OpError::Forbidden => AppError::Forbidden,
            OpError::Conflict => AppError::Conflict,
            OpError::WrongState => AppError::WrongState,
            OpError::Db(err) => AppError::from(err),
            OpError::Internal(why) => AppError::Internal(why),
            OpError::Refused(kind) => AppError::Refused(kind),
        }
    }
}
