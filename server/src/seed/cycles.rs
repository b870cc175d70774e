//! The demo's monthly cycles: the current month's at `voting` (proposals moderated, the
//! 12345 counts, a shortlist of three, public and representatives' votes under way), and the
//! two months before it as far as the selection goes: voting closed, the scores frozen from
//! the stored rows and the topic chosen (one of them over the top score, with its reason).
//! Every count shown comes from the rows written here.

use omk_api::{CandidateInput, CycleStage, Month};
use sqlx::{Any, Transaction};

use super::Prng;
use crate::clock::{DAY, local_day, local_day_start};
use crate::db;
use crate::db::cycles::CycleRow;
use crate::db::proposals::NewProposalRow;
use crate::db::signals::SignalRow;
use crate::db::topics::VoteRow;
use crate::ops::cycle::selection;

/// The planned days of a past month's stages, as offsets from its first day: proposals for
/// a week, screening, ten days of voting, the meeting, the decision, the work and the
/// evaluation.
const PAST_PLAN: [i64; 8] = [0, 7, 10, 20, 22, 24, 26, 27];

/// The current month's plan, as offsets from today: voting opened yesterday.
const CURRENT_PLAN: [i64; 8] = [-10, -4, -1, 6, 8, 10, 30, 40];

/// A candidate: slug, titles, lead unit, category, public and representatives' votes.
type Candidate = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    usize,
    usize,
);

/// Each month's shortlist, the current month's first.
const SHORTLISTS: [[Candidate; 3]; 3] = [
    [
        (
            "parking",
            "破解老城区停车难",
            "Ease parking in the old town",
            "urban_management",
            "parking",
            126,
            11,
        ),
        (
            "garbage",
            "推进垃圾分类进小区",
            "Garbage sorting in every estate",
            "urban_management",
            "garbage",
            88,
            7,
        ),
        (
            "wages",
            "根治拖欠农民工工资",
            "End unpaid migrant wages",
            "human_resources",
            "wages",
            54,
            4,
        ),
    ],
    [
        (
            "prepaid",
            "规范预付式消费",
            "Regulate prepaid cards",
            "market_regulation",
            "prepaid",
            140,
            12,
        ),
        (
            "roads",
            "修缮背街小巷道路",
            "Repair back-street roads",
            "housing",
            "urban_construction",
            97,
            9,
        ),
        (
            "farm",
            "畅通农产品销售",
            "Open sales for farm produce",
            "agriculture",
            "agriculture",
            61,
            3,
        ),
    ],
    [
        (
            "heating",
            "老旧小区供暖改造",
            "Heating in old estates",
            "housing",
            "urban_construction",
            152,
            6,
        ),
        (
            "wages",
            "根治拖欠农民工工资",
            "End unpaid migrant wages",
            "human_resources",
            "wages",
            77,
            14,
        ),
        (
            "parking",
            "学校周边停车治理",
            "Parking around schools",
            "urban_management",
            "parking",
            65,
            5,
        ),
    ],
];

/// Proposals of a month: title and text; each candidate takes up one, and a few more are
/// merged, rejected or still waiting.
const PROPOSALS: [(&str, &str); 6] = [
    (
        "老城区车位太少",
        "晚上回家找不到车位，希望利用空地建停车场。",
    ),
    ("小区垃圾分类没落实", "分类垃圾桶有了，但收运时又混在一起。"),
    ("工地欠薪问题", "希望建立工资专户，按月发放。"),
    ("车位被占", "小区周边车位被长期占用，停车更难。"),
    ("广告", "加微信领取优惠。"),
    ("希望增加公交线路", "新小区离公交站太远。"),
];

/// The moment `day` (a local day number) reaches 09:00.
fn nine_on(day: i64) -> i64 {
    local_day_start(day) + 9 * 3600
}

/// Writes the demo's cycles inside `tx`, laid out around `now`.
pub async fn seed(
    tx: &mut Transaction<'static, Any>,
    rng: &mut Prng,
    now: i64,
) -> Result<(), sqlx::Error> {
    let current = Month::of_moment(now);
    let today = local_day(now);
    let months = [current, current.previous(), current.previous().previous()];
    for (n, (month, shortlist)) in months.iter().zip(SHORTLISTS).enumerate() {
        let plan: Vec<i64> = if n == 0 {
            CURRENT_PLAN.iter().map(|d| today + d).collect()
        } else {
            PAST_PLAN.iter().map(|d| month.first_day() + d).collect()
        };
        month_cycle(tx, rng, *month, &plan, &shortlist, n, now).await?;
    }
    Ok(())
}

/// One month's cycle: the `n`th before the current one (0 for the current month, at
/// `voting`; earlier ones chosen and frozen at `meeting`).
async fn month_cycle(
    tx: &mut Transaction<'static, Any>,
    rng: &mut Prng,
    month: Month,
    plan: &[i64],
    shortlist: &[Candidate; 3],
    n: usize,
    now: i64,
) -> Result<(), sqlx::Error> {
    let key = month.to_string();
    let entered = |stage: usize| nine_on(plan[stage]);
    db::cycles::insert(tx, month, plan, entered(0)).await?;
    sqlx::query("UPDATE cycles SET w_representatives = 40, w_public = 30, w_hotline = 20, w_proposals = 10 WHERE month = $1")
        .bind(key.clone())
        .execute(&mut **tx)
        .await?;

    // Proposals over the soliciting week, then moderated.
    let mut codes = Vec::new();
    for (i, (title, text)) in PROPOSALS.iter().enumerate() {
        let code = omk_api::tracking::from_bits("PR", rng.next_u64());
        let at = entered(0) + 3600 + rng.range(0, 5 * DAY);
        let district = super::data::DISTRICT_ENTRIES[i % super::data::DISTRICT_ENTRIES.len()].0;
        let row = NewProposalRow {
            code: &code,
            month: &key,
            title,
            text,
            district,
            phone: None,
            created_at: at,
        };
        db::proposals::insert(tx, &row).await?;
        codes.push(code);
    }
    let moderated = entered(1) - 3600;
    let published = omk_api::ProposalState::Published;
    let received = omk_api::ProposalState::Received;
    for code in &codes[..3] {
        db::proposals::moderate(tx, code, received, published, None, None, moderated).await?;
    }
    db::proposals::moderate(
        tx,
        &codes[3],
        received,
        omk_api::ProposalState::Merged,
        Some("与“老城区车位太少”相同"),
        Some(&codes[0]),
        moderated,
    )
    .await?;
    db::proposals::moderate(
        tx,
        &codes[4],
        received,
        omk_api::ProposalState::Rejected,
        Some("广告信息，不予公开"),
        None,
        moderated,
    )
    .await?;

    // The 12345 hotline's counts of the month.
    let mut signals = Vec::new();
    for (category, _, _) in super::data::CATEGORIES {
        for (district, _, _) in super::data::DISTRICT_ENTRIES.iter().take(5) {
            signals.push(SignalRow {
                category: (*category).to_owned(),
                district: (*district).to_owned(),
                count: rng.range(3, 60),
            });
        }
    }
    db::signals::replace(tx, &key, &signals).await?;

    // The shortlist, each candidate taking up one proposal.
    db::cycles::seed_stage(tx, month, CycleStage::Screening, entered(1)).await?;
    let ids: Vec<String> = shortlist
        .iter()
        .map(|c| format!("c{}{:02}-{}", month.year(), month.month(), c.0))
        .collect();
    for (position, ((_, zh, en, unit, category, _, _), id)) in
        shortlist.iter().zip(&ids).enumerate()
    {
        let input = CandidateInput {
            title_zh: (*zh).to_owned(),
            title_en: (*en).to_owned(),
            lead_unit: (*unit).to_owned(),
            category: (*category).to_owned(),
            position: i64::try_from(position).unwrap_or(0),
            proposals: vec![codes[position].clone()],
        };
        db::topics::put_candidate(tx, &key, id, &input).await?;
        db::proposals::link(tx, &key, id, &input.proposals).await?;
    }

    // Voting: the public's votes since it opened, and representatives' codes (some unused).
    db::cycles::seed_stage(tx, month, CycleStage::Voting, entered(2)).await?;
    let closes = if n == 0 { now } else { entered(3) - 3600 };
    let mut votes = Vec::new();
    let mut hashes = Vec::new();
    let mut used = Vec::new();
    for ((_, _, _, _, _, public, representatives), id) in shortlist.iter().zip(&ids) {
        for _ in 0..*public {
            votes.push(VoteRow {
                id: None,
                topic: id.clone(),
                at: rng.range(entered(2), closes.max(entered(2) + 1)),
                channel: "public",
            });
        }
        for _ in 0..*representatives {
            let code = omk_api::tracking::from_bits(selection::CODE_PREFIX, rng.next_u64());
            let hash = selection::code_hash(&key, &code);
            hashes.push(hash.clone());
            used.push(hash);
            votes.push(VoteRow {
                id: Some((1i64 << 40) + i64::try_from(rng.next_u64() >> 2).unwrap_or(0)),
                topic: id.clone(),
                at: local_day_start(local_day(rng.range(entered(2), closes.max(entered(2) + 1)))),
                channel: "representative",
            });
        }
    }
    for _ in 0..5 {
        let code = omk_api::tracking::from_bits(selection::CODE_PREFIX, rng.next_u64());
        hashes.push(selection::code_hash(&key, &code));
    }
    // Public votes in the order they came; representatives' rows keep their random ids.
    votes.sort_by_key(|v| (v.id.is_some(), v.at));
    db::topics::insert_vote_rows(tx, &votes).await?;
    db::cycles::insert_codes(tx, month, &hashes).await?;
    for hash in &used {
        db::cycles::seed_used_code(tx, hash).await?;
    }
    if n == 0 {
        return Ok(());
    }

    // Chosen and frozen: the month before last chose its second candidate, with a reason.
    let (chosen, reason) = if n == 2 {
        (&ids[1], Some("欠薪关系群众切身利益，且已列入年度重点"))
    } else {
        (&ids[0], None)
    };
    db::cycles::set_choice(
        tx,
        month,
        CycleStage::Voting,
        chosen,
        reason,
        entered(3) - 1800,
    )
    .await?;
    db::cycles::seed_stage(tx, month, CycleStage::Meeting, entered(3)).await?;
    let cycle: CycleRow = db::cycles::find(tx, month)
        .await?
        .ok_or(sqlx::Error::RowNotFound)?;
    if let Err(err) = selection::freeze(tx, &cycle).await {
        return Err(sqlx::Error::Protocol(format!(
            "the demo's scores did not freeze: {err}"
        )));
    }
    Ok(())
}
