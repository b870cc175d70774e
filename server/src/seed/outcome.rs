//! The demo's outcomes, after the selection's months (`cycles.rs`): the month before last
//! is `closed` (its meeting held with a waitlist, its decision carried out, evaluated, a
//! follow-up measure where "not solved" outnumbered "solved"), and last month is
//! `reviewing` (measures under way, one of them past due, visitors' evaluations coming in).
//! Every figure shown (seats, waitlist, progress, delays, counts, stars) is computed from
//! the rows written here.

use omk_api::{
    CycleStage, DecisionInput, EvaluationOutcome, MeasureInput, MeasureStatus, Month,
    RegistrationState,
};
use sqlx::{Any, Transaction};

use super::Prng;
use crate::clock::local_day_start;
use crate::db;
use crate::db::events::NewEventRow;

/// The planned days of a past month's stages (as in `cycles.rs`): meeting, decided,
/// implementing, reviewing and closed, as offsets from its first day.
const MEETING: i64 = 20;
const DECIDED: i64 = 22;
const IMPLEMENTING: i64 = 24;
const REVIEWING: i64 = 26;
const CLOSED: i64 = 27;

/// A measure: title, owner unit, due day's offset from the decision, stored status, percent.
type Measure = (&'static str, &'static str, i64, MeasureStatus, u8);

const MEASURES: [Measure; 3] = [
    (
        "制定专项整治方案并公布时间表",
        "lead",
        5,
        MeasureStatus::Done,
        100,
    ),
    (
        "首批重点区域整改完成",
        "lead",
        8,
        MeasureStatus::InProgress,
        60,
    ),
    (
        "建立长效巡查和投诉回访机制",
        "urban_management",
        60,
        MeasureStatus::NotStarted,
        0,
    ),
];

const OPINIONS: [&str; 3] = [
    "希望整改时间表每周在政府网站更新",
    "建议邀请居民代表参与验收",
    "会上答复很具体，期待落实",
];

fn nine_on(day: i64) -> i64 {
    local_day_start(day) + 9 * 3600
}

/// Writes the outcomes of the two months before `now`'s, which the selection left at
/// `meeting`.
pub async fn seed(
    tx: &mut Transaction<'static, Any>,
    rng: &mut Prng,
    now: i64,
) -> Result<(), sqlx::Error> {
    let current = Month::of_moment(now);
    let last = current.previous();
    month_outcome(tx, rng, last, CycleStage::Reviewing, now).await?;
    month_outcome(tx, rng, last.previous(), CycleStage::Closed, now).await?;
    Ok(())
}

async fn month_outcome(
    tx: &mut Transaction<'static, Any>,
    rng: &mut Prng,
    month: Month,
    until: CycleStage,
    now: i64,
) -> Result<(), sqlx::Error> {
    let key = month.to_string();
    let first = month.first_day();
    let Some(cycle) = db::cycles::find(tx, month).await? else {
        return Ok(());
    };
    let candidates = db::topics::candidates(tx, &key).await?;
    let Some(chosen) = candidates
        .iter()
        .find(|c| Some(&c.id) == cycle.chosen.as_ref())
    else {
        return Ok(());
    };

    // The meeting: 30 public seats, 12 invited; 34 asked, 2 cancelled (so 2 promoted), 2
    // still waiting; most admitted came.
    let starts = nine_on(first + MEETING) + 5400;
    let event = db::meetings::seed_event(
        tx,
        &NewEventRow {
            title: format!("“{}”执行会议", chosen.title_zh),
            unit: "聊城市人民政府".into(),
            district: "东昌府区".into(),
            theme: "走进机关".into(),
            place: "市政府第一会议室".into(),
            starts_at: starts,
            ends_at: starts + 7200,
            capacity: 30,
            registered: 0,
            registration: true,
            summary: "月度议题执行会议：公众代表与利益相关方共同参会。".into(),
        },
    )
    .await?;
    db::meetings::put(tx, &key, event, 12, nine_on(first + MEETING) - 86_400 * 5).await?;
    let mut admitted = Vec::new();
    for n in 0..34_i64 {
        let state = match n {
            3 | 9 => RegistrationState::Cancelled,
            32 | 33 => RegistrationState::Waitlisted,
            _ => RegistrationState::Admitted,
        };
        let code = omk_api::tracking::from_bits("RG", rng.next_u64());
        let checkin = omk_api::tracking::from_bits("CK", rng.next_u64());
        let at = starts - 86_400 * 4 + n * 1800;
        if let Some(id) =
            db::registrations::seed_insert(tx, event, &code, 1, at, state, Some(&checkin)).await?
            && state == RegistrationState::Admitted
        {
            admitted.push(id);
        }
    }
    db::meetings::seed_count_seats(tx, event).await?;
    for (i, id) in admitted.iter().enumerate() {
        if i % 7 == 6 {
            continue;
        }
        let opinion = OPINIONS.get(i).copied();
        db::meetings::seed_attended(
            tx,
            *id,
            starts - 600 + i64::try_from(i).unwrap_or(0) * 20,
            opinion,
        )
        .await?;
    }

    // The decision and its measures, with progress updates along the way.
    let decided_at = nine_on(first + DECIDED);
    let decision = DecisionInput {
        summary_zh: format!(
            "围绕“{}”，由牵头单位制定方案、限期整改并建立长效机制。",
            chosen.title_zh
        ),
        summary_en: format!(
            "{}: the lead unit plans, fixes within set dates and keeps it fixed.",
            chosen.title_en
        ),
        lead_unit: chosen.lead_unit.clone(),
    };
    db::measures::put_decision(tx, &key, &decision, decided_at).await?;
    let closing = until == CycleStage::Closed;
    for (title, unit, due, status, percent) in MEASURES {
        let owner = if unit == "lead" {
            chosen.lead_unit.clone()
        } else {
            unit.to_owned()
        };
        // The month before last finished what it could; last month's second measure is
        // behind (past due, not done: shown as delayed).
        let (status, percent) = if closing {
            (MeasureStatus::Done, 100)
        } else {
            (status, percent)
        };
        let due_day = first + DECIDED + due;
        let input = MeasureInput {
            title: title.into(),
            owner_unit: owner,
            due: crate::clock::format_day(due_day),
            status,
            percent,
            follow_up: false,
        };
        let id = db::measures::insert(tx, &key, &input, due_day, decided_at).await?;
        for (k, text) in ["已召开推进会，明确责任人", "完成现场排查并建立台账"]
            .iter()
            .enumerate()
        {
            let day = first + DECIDED + 1 + i64::try_from(k).unwrap_or(0) * 2;
            if nine_on(day) < now {
                db::measures::add_update(tx, id, day, text, nine_on(day)).await?;
            }
        }
    }
    db::cycles::seed_stage(tx, month, CycleStage::Decided, decided_at).await?;
    db::cycles::seed_stage(
        tx,
        month,
        CycleStage::Implementing,
        nine_on(first + IMPLEMENTING),
    )
    .await?;
    let reviewing_at = nine_on(first + REVIEWING);
    db::cycles::seed_stage(tx, month, CycleStage::Reviewing, reviewing_at).await?;

    // Visitors' evaluations since the review opened (before `now`).
    let total = if closing { 46 } else { 23 };
    let mut not_solved = 0;
    let mut solved = 0;
    for n in 0..total {
        let roll = rng.below(100);
        let (outcome, stars) = if closing {
            match roll {
                0..45 => (EvaluationOutcome::NotSolved, 1 + rng.below(2)),
                45..75 => (EvaluationOutcome::Solved, 4 + rng.below(2)),
                _ => (EvaluationOutcome::Partly, 3),
            }
        } else {
            match roll {
                0..50 => (EvaluationOutcome::Solved, 4 + rng.below(2)),
                50..80 => (EvaluationOutcome::Partly, 2 + rng.below(2)),
                _ => (EvaluationOutcome::NotSolved, 1 + rng.below(2)),
            }
        };
        match outcome {
            EvaluationOutcome::NotSolved => not_solved += 1,
            EvaluationOutcome::Solved => solved += 1,
            EvaluationOutcome::Partly => {}
        }
        let at = (reviewing_at + n * 1800).min(now - 60);
        let stars = i64::try_from(stars).unwrap_or(3);
        db::evaluations::insert(tx, &key, outcome, stars, at).await?;
    }
    if !closing {
        return Ok(());
    }
    // "Not solved" outnumbering "solved": a follow-up measure before closing.
    if not_solved > solved {
        let follow_up = MeasureInput {
            title: "回头看：对未解决的投诉逐一回访整改".into(),
            owner_unit: chosen.lead_unit.clone(),
            due: crate::clock::format_day(first + CLOSED + 30),
            status: MeasureStatus::InProgress,
            percent: 20,
            follow_up: true,
        };
        let due = first + CLOSED + 30;
        db::measures::insert(tx, &key, &follow_up, due, reviewing_at + 86_400 / 2).await?;
    }
    db::cycles::seed_stage(tx, month, CycleStage::Closed, nine_on(first + CLOSED)).await?;
    Ok(())
}
