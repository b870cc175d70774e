//! What follows a month's choice, as operators do it: attaching the executive meeting,
//! checking attendees in and reading their opinions (audited), entering the decision and
//! its measures, updating a measure (admins, or the operators of the measure's unit,
//! judged inside the acting transaction), and the rules of the stages after the meeting
//! ([`may_enter`], called by the cycle's move). [`view`] builds the public `OutcomeView`.
//!
//! Decisions of this part: the meeting may be attached until the cycle is `decided`;
//! `decided` needs the meeting's event to have ended (the decision is taken there), a
//! decision and at least one measure; a measure is added from `meeting` to `reviewing`, a
//! follow-up one only in `reviewing`; measures and their progress may be updated until the
//! cycle is `closed`.

use omk_api::{
    AuditAction, CheckIn, CheckInReceipt, CycleStage, Decision, DecisionInput, List, MeasureInput,
    MeasureView, MeetingInput, MeetingView, Month, Opinion, OutcomeView, ProblemKind,
    ProgressInput, ProgressUpdate, outcome::mean,
};
use sqlx::{Any, AnyConnection, Transaction};

use super::{OpError, Ops, audited};
use crate::auth::{Actor, Work};
use crate::clock::{format_day, local_day};
use crate::db;
use crate::db::audit::Record;
use crate::db::cycles::CycleRow;
use crate::db::registrations::CheckinRefusal;
use crate::live::Change;

/// The rules of the stages after the meeting, checked inside the move's transaction:
/// `decided` needs the meeting's event to have ended, a decision and at least one measure;
/// `implementing` and `reviewing` need nothing more; `closed`, when "not solved"
/// evaluations outnumber "solved" ones, needs a follow-up measure created since the cycle
/// entered `reviewing`.
pub async fn may_enter(
    tx: &mut Transaction<'static, Any>,
    cycle: &CycleRow,
    stage: CycleStage,
    now: i64,
) -> Result<(), OpError> {
    let month = cycle.month.to_string();
    match stage {
        CycleStage::Decided => {
            let met = match db::meetings::event_of(tx, &month).await? {
                Some((_, ends_at)) => ends_at <= now,
                None => false,
            };
            let decided = db::measures::decision(tx, &month).await?.is_some();
            let measures = db::measures::list(tx, &month).await?;
            if met && decided && !measures.is_empty() {
                Ok(())
            } else {
                Err(not_ready())
            }
        }
        CycleStage::Closed => {
            let figure = db::evaluations::figure(tx, &month).await?;
            if figure.not_solved <= figure.solved {
                return Ok(());
            }
            let since = db::cycles::stages(tx, cycle.month)
                .await?
                .into_iter()
                .find(|s| s.stage == CycleStage::Reviewing)
                .and_then(|s| s.entered_at);
            match since {
                Some(since) if db::measures::follow_up_since(tx, &month, since).await? => Ok(()),
                _ => Err(not_ready()),
            }
        }
        _ => Ok(()),
    }
}

fn not_ready() -> OpError {
    OpError::Refused(ProblemKind::StageNotReady)
}

fn wrong_stage() -> OpError {
    OpError::Refused(ProblemKind::WrongStage)
}

/// The part of `month`'s public view after the choice, judged on `now` (a measure past due
/// and not done shows as delayed).
pub async fn view(
    conn: &mut AnyConnection,
    month: Month,
    now: i64,
) -> Result<OutcomeView, OpError> {
    let key = month.to_string();
    let today = local_day(now);
    let updates = db::measures::updates(conn, &key).await?;
    let measures: Vec<MeasureView> = db::measures::list(conn, &key)
        .await?
        .into_iter()
        .map(|m| measure_view(m, &updates, today))
        .collect();
    Ok(OutcomeView {
        meeting: db::meetings::view(conn, &key).await?,
        decision: db::measures::decision(conn, &key).await?,
        progress: mean(measures.iter().map(|m| i64::from(m.percent))),
        measures,
        evaluation: db::evaluations::figure(conn, &key).await?,
    })
}

fn measure_view(
    m: db::measures::MeasureRow,
    updates: &[db::measures::UpdateRow],
    today: i64,
) -> MeasureView {
    MeasureView {
        id: m.id,
        title: m.title,
        owner_unit: m.owner_unit,
        due: format_day(m.due_day),
        status: m.status.shown(m.due_day, today),
        percent: u8::try_from(m.percent).unwrap_or(0),
        follow_up: m.follow_up,
        created_at: m.created_at,
        updates: updates
            .iter()
            .filter(|u| u.measure_id == m.id)
            .map(|u| ProgressUpdate {
                day: format_day(u.day),
                text: u.body.clone(),
                at: u.created_at,
            })
            .collect(),
    }
}

/// Begins a transaction on `month`'s cycle: 404 without one, 409 `wrong-stage` when its
/// stage is not in `stages`.
async fn begin_on(
    ops: Ops<'_>,
    month: Month,
    stages: impl Fn(CycleStage) -> bool,
) -> Result<(Transaction<'static, Any>, CycleRow), OpError> {
    let mut tx = ops.db.pool().begin().await?;
    let cycle = db::cycles::find(&mut tx, month)
        .await?
        .ok_or(OpError::NotFound)?;
    if !stages(cycle.stage) {
        return Err(wrong_stage());
    }
    Ok((tx, cycle))
}

/// Attaches `input.event` as `month`'s executive meeting (until the cycle is `decided`): an
/// event that does not take registrations is refused (422 `unknown_event`).
pub async fn set_meeting(
    ops: Ops<'_>,
    actor: &Actor,
    month: Month,
    input: &MeetingInput,
) -> Result<MeetingView, OpError> {
    input.validate().map_err(OpError::Invalid)?;
    let now = ops.clock.now();
    let (mut tx, _) = begin_on(ops, month, |s| s < CycleStage::Decided).await?;
    if !db::meetings::event_takes_registrations(&mut tx, input.event).await? {
        return Err(OpError::field("event", "unknown_event"));
    }
    let key = month.to_string();
    let invited = i64::from(input.invited_seats);
    db::meetings::put(&mut tx, &key, input.event, invited, now).await?;
    let detail = format!(
        "{month}: event {} with {invited} invited seats",
        input.event
    );
    audited(&mut tx, actor, AuditAction::MeetingSet, detail, now).await?;
    let view = db::meetings::view(&mut tx, &key).await?;
    tx.commit().await?;
    ops.changed(Change::Program).await;
    view.ok_or(OpError::NotFound)
}

/// Checks an attendee in with the single-use code of an admitted registration; an unknown
/// code is 422 `checkin-unknown`, a used one 409 `checkin-used`; both are audited (never
/// the code).
pub async fn check_in(
    ops: Ops<'_>,
    actor: &Actor,
    input: &CheckIn,
) -> Result<CheckInReceipt, OpError> {
    let now = ops.clock.now();
    let code = input.code.trim().to_ascii_uppercase();
    let mut tx = ops.db.pool().begin().await?;
    match db::registrations::check_in(&mut tx, &code, now).await? {
        Ok(row) => {
            let detail = format!("event {}: {} seats", row.event_id, row.seats);
            audited(&mut tx, actor, AuditAction::CheckedIn, detail, now).await?;
            tx.commit().await?;
            Ok(CheckInReceipt {
                event_id: row.event_id,
                seats: u32::try_from(row.seats).unwrap_or(0),
                checked_in_at: now,
            })
        }
        Err(why) => {
            tx.rollback().await?;
            let (detail, kind) = match why {
                CheckinRefusal::Unknown => ("unknown code", ProblemKind::CheckinUnknown),
                CheckinRefusal::Used => ("used code", ProblemKind::CheckinUsed),
            };
            let record = Record {
                actor: &actor.login,
                action: AuditAction::CheckinRefused,
                issue: None,
                detail: detail.into(),
            };
            db::audit::add(ops.db.pool(), &record, now).await?;
            Err(OpError::Refused(kind))
        }
    }
}

/// The opinions left at `month`'s meeting, for admins and supervisors: the view is written
/// to the audit log in its own transaction before the answer.
pub async fn opinions(ops: Ops<'_>, actor: &Actor, month: Month) -> Result<Vec<Opinion>, OpError> {
    let now = ops.clock.now();
    let mut tx = ops.db.pool().begin().await?;
    db::cycles::find(&mut tx, month)
        .await?
        .ok_or(OpError::NotFound)?;
    let found = db::meetings::opinions(&mut tx, &month.to_string()).await?;
    audited(
        &mut tx,
        actor,
        AuditAction::OpinionsViewed,
        month.to_string(),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(found)
}

/// Enters (or replaces) `month`'s decision, from `meeting` to `reviewing`; the lead unit
/// must be a unit of the reference list (422 `unknown_unit`).
pub async fn decide(
    ops: Ops<'_>,
    actor: &Actor,
    month: Month,
    input: &DecisionInput,
) -> Result<Decision, OpError> {
    input.validate().map_err(OpError::Invalid)?;
    let now = ops.clock.now();
    let (mut tx, _) = begin_on(ops, month, in_work).await?;
    known_unit(&mut tx, "lead_unit", &input.lead_unit).await?;
    let key = month.to_string();
    db::measures::put_decision(&mut tx, &key, input, now).await?;
    let detail = format!("{month}: lead unit {}", input.lead_unit);
    audited(&mut tx, actor, AuditAction::DecisionSaved, detail, now).await?;
    let decision = db::measures::decision(&mut tx, &key).await?;
    tx.commit().await?;
    decision.ok_or(OpError::NotFound)
}

/// Refuses a unit that is not an active unit of the reference list (422 `unknown_unit`).
async fn known_unit(conn: &mut AnyConnection, field: &str, unit: &str) -> Result<(), OpError> {
    if db::lists::is_active(&mut *conn, List::Units, unit).await? {
        Ok(())
    } else {
        Err(OpError::field(field, "unknown_unit"))
    }
}

/// From the meeting until the review, the decision and measures are worked on.
fn in_work(stage: CycleStage) -> bool {
    (CycleStage::Meeting..=CycleStage::Reviewing).contains(&stage)
}

/// Adds a measure to `month` (admins), from `meeting` to `reviewing`; a follow-up measure
/// only while `reviewing` (422 `follow_up_in_review`).
pub async fn add_measure(
    ops: Ops<'_>,
    actor: &Actor,
    month: Month,
    input: &MeasureInput,
) -> Result<MeasureView, OpError> {
    let due = input.validate().map_err(OpError::Invalid)?;
    let now = ops.clock.now();
    let (mut tx, cycle) = begin_on(ops, month, in_work).await?;
    if input.follow_up && cycle.stage != CycleStage::Reviewing {
        return Err(OpError::field("follow_up", "follow_up_in_review"));
    }
    known_unit(&mut tx, "owner_unit", &input.owner_unit).await?;
    let key = month.to_string();
    let id = db::measures::insert(&mut tx, &key, input, due, now).await?;
    let detail = measure_detail(id, input);
    audited(&mut tx, actor, AuditAction::MeasureSaved, detail, now).await?;
    let view = one_measure(&mut tx, &key, id, now).await?;
    tx.commit().await?;
    Ok(view)
}

fn measure_detail(id: i64, input: &MeasureInput) -> String {
    format!(
        "measure {id} of {}: {} {}%",
        input.owner_unit,
        input.status.as_str(),
        input.percent
    )
}

async fn one_measure(
    conn: &mut AnyConnection,
    month: &str,
    id: i64,
    now: i64,
) -> Result<MeasureView, OpError> {
    let updates = db::measures::updates(conn, month).await?;
    db::measures::list(conn, month)
        .await?
        .into_iter()
        .find(|m| m.id == id)
        .map(|m| measure_view(m, &updates, local_day(now)))
        .ok_or(OpError::NotFound)
}

/// Begins the transaction that works on measure `id`, holding it: 404 when there is none,
/// 409 `wrong-stage` once its cycle is closed, 403 (audited, nothing changed) unless the
/// actor may act on the units in `units` besides the measure's own.
async fn begin_measure(
    ops: Ops<'_>,
    actor: &Actor,
    id: i64,
    also: Option<&str>,
    tried: String,
) -> Result<(Transaction<'static, Any>, db::measures::MeasureRow), OpError> {
    let mut tx = ops.db.pool().begin().await?;
    let measure = db::measures::hold(&mut tx, id)
        .await?
        .ok_or(OpError::NotFound)?;
    let allowed = actor.may(Work::Act, Some(&measure.owner_unit))
        && also.is_none_or(|unit| actor.may(Work::Act, Some(unit)));
    if !allowed {
        tx.rollback().await?;
        let record = Record {
            actor: &actor.login,
            action: AuditAction::Refused,
            issue: None,
            detail: tried,
        };
        db::audit::add(ops.db.pool(), &record, ops.clock.now()).await?;
        return Err(OpError::Forbidden);
    }
    let stage = db::cycles::stage_of_month(&mut tx, &measure.month).await?;
    if stage == Some(CycleStage::Closed) {
        return Err(wrong_stage());
    }
    Ok((tx, measure))
}

/// Changes measure `id`: admins any, a unit's operators only their unit's (and not to
/// another unit); anyone else 403, audited, decided inside the acting transaction.
pub async fn edit_measure(
    ops: Ops<'_>,
    actor: &Actor,
    id: i64,
    input: &MeasureInput,
) -> Result<MeasureView, OpError> {
    let due = input.validate().map_err(OpError::Invalid)?;
    let now = ops.clock.now();
    let tried = format!("PUT /api/v1/admin/measures/{id}");
    let (mut tx, measure) = begin_measure(ops, actor, id, Some(&input.owner_unit), tried).await?;
    known_unit(&mut tx, "owner_unit", &input.owner_unit).await?;
    db::measures::update(&mut tx, id, input, due, now).await?;
    audited(
        &mut tx,
        actor,
        AuditAction::MeasureSaved,
        measure_detail(id, input),
        now,
    )
    .await?;
    let view = one_measure(&mut tx, &measure.month, id, now).await?;
    tx.commit().await?;
    Ok(view)
}

/// Adds a progress update, dated today (UTC+8), to measure `id`; who may is as for
/// [`edit_measure`].
pub async fn add_progress(
    ops: Ops<'_>,
    actor: &Actor,
    id: i64,
    input: &ProgressInput,
) -> Result<MeasureView, OpError> {
    input.validate().map_err(OpError::Invalid)?;
    let now = ops.clock.now();
    let tried = format!("POST /api/v1/admin/measures/{id}/updates");
    let (mut tx, measure) = begin_measure(ops, actor, id, None, tried).await?;
    db::measures::add_update(&mut tx, id, local_day(now), &input.text, now).await?;
    let detail = format!("measure {id} of {}", measure.owner_unit);
    audited(&mut tx, actor, AuditAction::ProgressAdded, detail, now).await?;
    let view = one_measure(&mut tx, &measure.month, id, now).await?;
    tx.commit().await?;
    Ok(view)
}
