//! A month's shortlist with its counts: each candidate's votes per channel, its 12345
//! calls (the month's calls in its category, all districts) and its proposals (linked, and
//! merged into those), from stored rows; and its score by `omk_api::cycle::score`.

use std::collections::HashMap;

use omk_api::{Components, CycleStage, Score, Weights, cycle::score};
use sqlx::AnyConnection;

use crate::db;
use crate::db::cycles::CycleRow;
use crate::db::topics::CandidateRow;

/// One candidate with what it counts.
#[derive(Debug, Clone)]
pub struct Counted {
    pub candidate: CandidateRow,
    /// The proposals linked to it.
    pub proposals: Vec<String>,
    pub counts: Components,
}

/// The month's candidates in display order, counted now.
pub async fn counted(conn: &mut AnyConnection, month: &str) -> Result<Vec<Counted>, sqlx::Error> {
    let candidates = db::topics::candidates(conn, month).await?;
    let hotline: HashMap<String, i64> = db::signals::by_category(conn, month)
        .await?
        .into_iter()
        .collect();
    let proposal_counts: HashMap<String, i64> = db::proposals::counts_by_topic(conn, month)
        .await?
        .into_iter()
        .collect();
    let mut public = HashMap::new();
    let mut representatives = HashMap::new();
    for (topic, channel, n) in db::topics::tallies(conn, month).await? {
        match channel.as_str() {
            "representative" => representatives.insert(topic, n),
            _ => public.insert(topic, n),
        };
    }
    let linked = db::proposals::of_month(conn, month, false).await?;
    Ok(candidates
        .into_iter()
        .map(|candidate| {
            let id = candidate.id.clone();
            Counted {
                proposals: linked
                    .iter()
                    .filter(|p| p.topic.as_deref() == Some(id.as_str()))
                    .map(|p| p.code.clone())
                    .collect(),
                counts: Components {
                    representatives: representatives.get(&id).copied().unwrap_or(0),
                    public: public.get(&id).copied().unwrap_or(0),
                    hotline: hotline.get(&candidate.category).copied().unwrap_or(0),
                    proposals: proposal_counts.get(&id).copied().unwrap_or(0),
                },
                candidate,
            }
        })
        .collect())
}

/// The scores of the shortlist as the cycle shows them: none before voting, provisional
/// (from `counted`) while voting, and the frozen counts once voting has closed.
pub async fn scores(
    conn: &mut AnyConnection,
    cycle: &CycleRow,
    counted: &[Counted],
) -> Result<Option<Vec<Score>>, sqlx::Error> {
    let Some(weights) = cycle.weights.and_then(Weights::from_array) else {
        return Ok(None);
    };
    if cycle.stage < CycleStage::Voting {
        return Ok(None);
    }
    if cycle.stage == CycleStage::Voting {
        let counts: Vec<Components> = counted.iter().map(|c| c.counts).collect();
        return Ok(Some(score::scores(&weights, &counts)));
    }
    let frozen: HashMap<String, Components> = db::cycles::frozen_scores(conn, cycle.month)
        .await?
        .into_iter()
        .map(|f| (f.topic, f.counts))
        .collect();
    let counts: Vec<Components> = counted
        .iter()
        .map(|c| frozen.get(&c.candidate.id).copied().unwrap_or_default())
        .collect();
    Ok(Some(score::scores(&weights, &counts)))
}
