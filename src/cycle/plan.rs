//! What the month's question screen shows at each stage of the cycle, and how its figures
//! read (tallies per channel, progress, the evaluation with its n), as plain data.

use omk_api::outcome::{EvaluationFigure, MeasureView};
use omk_api::{CycleStage, CycleView, MeasureStatus};

/// One part of the month's question screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// The call for topics with its "Propose" form.
    Propose,
    /// The published proposals.
    Proposals,
    /// The shortlist, with tallies per channel once voting has opened.
    Shortlist,
    /// The public vote (one per visit) and a representative's vote by printed code.
    Vote,
    /// The chosen topic.
    Choice,
    /// The meeting with its public seats, waitlist and registration.
    Meeting,
    /// The decision, its lead unit and its measures with their progress.
    Decision,
    /// "Was it solved?" with 1–5 stars.
    Evaluate,
    /// The evaluation's figure with its n.
    Figure,
}

/// The parts shown at `stage`, in screen order. Last month's result and the archive are
/// shown at every stage besides these.
pub fn parts(stage: CycleStage) -> &'static [Part] {
    match stage {
        CycleStage::Soliciting => &[Part::Propose, Part::Proposals],
        CycleStage::Screening => &[Part::Shortlist, Part::Proposals],
        CycleStage::Voting => &[Part::Shortlist, Part::Vote],
        CycleStage::Meeting => &[Part::Choice, Part::Meeting],
        CycleStage::Decided | CycleStage::Implementing => &[Part::Choice, Part::Decision],
        CycleStage::Reviewing => &[Part::Evaluate, Part::Figure, Part::Decision],
        CycleStage::Closed => &[Part::Choice, Part::Decision, Part::Figure],
    }
}

/// Whether the shortlist shows its tallies: from voting on (before, there are none).
pub fn shows_tallies(stage: CycleStage) -> bool {
    stage >= CycleStage::Voting
}

/// Where a stage of the strip stands against the cycle's current stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepState {
    Done,
    Current,
    Ahead,
}

impl StepState {
    /// How `step` stands when the cycle is at `current`.
    pub fn of(step: CycleStage, current: CycleStage) -> StepState {
        match step.cmp(&current) {
            std::cmp::Ordering::Less => StepState::Done,
            std::cmp::Ordering::Equal => StepState::Current,
            std::cmp::Ordering::Greater => StepState::Ahead,
        }
    }

    /// The CSS class and `data-state` of the step.
    pub fn as_str(self) -> &'static str {
        match self {
            StepState::Done => "done",
            StepState::Current => "current",
            StepState::Ahead => "ahead",
        }
    }
}

/// A whole percentage written for people: `42%`; a progress the server has not computed
/// (no measures yet) is `None`, never 0 %.
pub fn percent(value: Option<f64>) -> Option<String> {
    value
        .filter(|v| v.is_finite())
        .map(|v| format!("{}%", v.clamp(0.0, 100.0).round() as i64))
}

/// The status a measure shows today (a UTC+8 day number): past its due day and not done,
/// it is delayed whatever was stored. A due day that cannot be read keeps the stored status.
pub fn shown_status(measure: &MeasureView, today: i64) -> MeasureStatus {
    match omk_api::civil::parse_date(&measure.due) {
        Some(due) => measure.status.shown(due, today),
        None => measure.status,
    }
}

/// The message key of a measure's status.
pub fn status_key(status: MeasureStatus) -> &'static str {
    match status {
        MeasureStatus::NotStarted => "cycle.measure.not_started",
        MeasureStatus::InProgress => "cycle.measure.in_progress",
        MeasureStatus::Delayed => "cycle.measure.delayed",
        MeasureStatus::Done => "cycle.measure.done",
    }
}

/// The evaluation's figure as it reads: each answer's share in whole percent and the mean
/// of the stars, always beside n. Without evaluations there are no shares at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FigureText {
    pub n: i64,
    /// Solved, partly, not solved, in whole percent of n; `None` when n is 0.
    pub shares: Option<[i64; 3]>,
    /// The mean of the stars to one decimal, for example `4.2`.
    pub stars: Option<String>,
}

impl FigureText {
    /// Reads the server's figure.
    pub fn of(figure: &EvaluationFigure) -> FigureText {
        let n = figure.n.max(0);
        let share = |part: i64| crate::vote::share_percent(part, n);
        FigureText {
            n,
            shares: (n > 0).then(|| {
                [
                    share(figure.solved),
                    share(figure.partly),
                    share(figure.not_solved),
                ]
            }),
            stars: figure
                .mean_stars
                .filter(|s| n > 0 && s.is_finite())
                .map(|s| format!("{s:.1}")),
        }
    }
}

/// The public seats left at the meeting (never below 0).
pub fn seats_left(taken: i64, total: i64) -> i64 {
    (total - taken).max(0)
}

/// The latest closed cycle of the archive (newest month first) other than `current`.
pub fn last_closed<'a>(
    archive: &'a [omk_api::CycleSummary],
    current: Option<&CycleView>,
) -> Option<&'a omk_api::CycleSummary> {
    archive
        .iter()
        .filter(|c| c.stage == CycleStage::Closed)
        .find(|c| current.is_none_or(|v| v.month != c.month))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_stage_shows_what_a_visitor_can_do_then() {
        assert_eq!(parts(CycleStage::Soliciting)[0], Part::Propose);
        assert!(parts(CycleStage::Voting).contains(&Part::Vote));
        assert!(parts(CycleStage::Reviewing).contains(&Part::Evaluate));
        for stage in CycleStage::ALL {
            let propose = parts(stage).contains(&Part::Propose);
            assert_eq!(propose, stage == CycleStage::Soliciting, "{stage:?}");
            let vote = parts(stage).contains(&Part::Vote);
            assert_eq!(vote, stage == CycleStage::Voting, "{stage:?}");
        }
    }

    #[test]
    fn progress_is_whole_percent_or_nothing() {
        assert_eq!(percent(Some(41.6)).as_deref(), Some("42%"));
        assert_eq!(percent(Some(120.0)).as_deref(), Some("100%"));
        assert_eq!(percent(None), None);
    }

    #[test]
    fn every_key_the_cycle_screen_names_is_in_both_catalogues() {
        use omk_api::{Lang, Messages};
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/cycle");
        let mut seen = 0;
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
            let code = text.split("#[cfg(test)]").next().unwrap_or_default();
            let keys = code.split('"').skip(1).step_by(2).filter(|s| {
                ["cycle.", "vote.", "error."]
                    .iter()
                    .any(|p| s.starts_with(p))
                    && s.chars()
                        .all(|c| c.is_ascii_lowercase() || c == '_' || c == '.')
            });
            for key in keys {
                seen += 1;
                for lang in [Lang::ZhCn, Lang::En] {
                    assert!(Messages::get(lang).has(key), "{lang:?} lacks {key}");
                }
            }
        }
        assert!(seen > 50, "only {seen} keys found");
    }

    #[test]
    fn no_evaluation_gives_no_shares() {
        let none = FigureText::of(&EvaluationFigure::default());
        assert_eq!(none.n, 0);
        assert_eq!(none.shares, None);
        assert_eq!(none.stars, None);
    }
}
