//! The month's public cycle: a month (`YYYY-MM`, UTC+8), its stages from soliciting
//! proposals to closing, the day planned for each stage, and the public view of a cycle.
//! The selection part (proposals, hotline signals, candidates, votes, the score, the
//! choice) has its submodules here; later stages (meeting, decision, evaluation) add
//! theirs in `outcome` and their parts to [`CycleView`].

pub mod promotion;
pub mod proposals;
pub mod score;
pub mod selection;

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::FieldError;
use crate::civil;

/// A month of the service's calendar (UTC+8), written `YYYY-MM`: the key of a cycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    year: u16,
    month: u8,
}

impl Month {
    /// The JSON Schema pattern of a month.
    pub const PATTERN: &'static str = "^[0-9]{4}-(0[1-9]|1[0-2])$";

    /// The month of `year` and `month` (1–12), years 1000–9999.
    pub fn new(year: i64, month: u32) -> Option<Month> {
        let year = u16::try_from(year)
            .ok()
            .filter(|y| (1000..=9999).contains(y))?;
        let month = u8::try_from(month).ok().filter(|m| (1..=12).contains(m))?;
        Some(Month { year, month })
    }

    /// Reads `YYYY-MM` exactly (no spaces, two-digit month).
    pub fn parse(text: &str) -> Option<Month> {
        let (year, month) = text.split_once('-')?;
        let year = civil::digits(year, 4)?;
        let month = civil::digits(month, 2)?;
        Month::new(year, u32::try_from(month).ok()?)
    }

    /// The month a moment (Unix seconds) falls in, in UTC+8.
    pub fn of_moment(at: i64) -> Month {
        let local = civil::CivilTime::local(at);
        Month::new(local.year, local.month).unwrap_or(Month {
            year: 1970,
            month: 1,
        })
    }

    /// The month before this one.
    pub fn previous(self) -> Month {
        if self.month == 1 {
            Month::new(i64::from(self.year) - 1, 12).unwrap_or(self)
        } else {
            Month {
                year: self.year,
                month: self.month - 1,
            }
        }
    }

    pub fn year(self) -> i64 {
        i64::from(self.year)
    }

    pub fn month(self) -> u32 {
        u32::from(self.month)
    }

    /// The local day number of the month's first day.
    pub fn first_day(self) -> i64 {
        civil::days_from_civil(self.year(), self.month(), 1).unwrap_or(0)
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl Serialize for Month {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Month {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
        Month::parse(&text)
            .ok_or_else(|| serde::de::Error::custom(format!("not a month YYYY-MM: {text:?}")))
    }
}

#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for Month {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, Type};
        ObjectBuilder::new()
            .schema_type(Type::String)
            .pattern(Some(Month::PATTERN))
            .description(Some(
                "A month of the service's calendar (UTC+8), `YYYY-MM`.",
            ))
            .examples(["2026-05"])
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for Month {}

/// A month's cycle in a path; anything but `YYYY-MM`, or a month without a cycle, is 404.
#[cfg(feature = "openapi")]
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
pub struct CycleMonth {
    /// `YYYY-MM`, for example `2026-05`.
    #[param(pattern = "^[0-9]{4}-(0[1-9]|1[0-2])$")]
    pub month: String,
}

/// A proposal by its tracking code; an unknown one is 404.
#[cfg(feature = "openapi")]
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
pub struct ProposalCode {
    /// For example `PR-7K3F-9QX2-M4TB-6`.
    pub code: String,
}

/// A candidate of a month's shortlist.
#[cfg(feature = "openapi")]
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
pub struct CycleCandidate {
    /// `YYYY-MM`, for example `2026-05`; a month without a cycle is 404.
    #[param(pattern = "^[0-9]{4}-(0[1-9]|1[0-2])$")]
    pub month: String,
    /// 1 to 32 lower-case ASCII letters, digits, `-` or `_`, starting with a letter (else 422
    /// naming `id`).
    #[param(pattern = "^[a-z][a-z0-9_-]{0,31}$")]
    pub id: String,
}

/// Where a cycle is. An admin moves it only to the [`CycleStage::next`] stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CycleStage {
    /// Visitors send proposals.
    Soliciting,
    /// Admins draw up the shortlist of candidates.
    Screening,
    /// The public and the representatives vote on the candidates.
    Voting,
    /// The chosen topic is discussed at a public meeting.
    Meeting,
    /// The decision and its measures are published.
    Decided,
    /// The measures are carried out.
    Implementing,
    /// Visitors evaluate the result.
    Reviewing,
    /// The cycle is over and archived.
    Closed,
}

impl CycleStage {
    /// Every stage, in order.
    pub const ALL: [CycleStage; 8] = [
        CycleStage::Soliciting,
        CycleStage::Screening,
        CycleStage::Voting,
        CycleStage::Meeting,
        CycleStage::Decided,
        CycleStage::Implementing,
        CycleStage::Reviewing,
        CycleStage::Closed,
    ];

    /// The stage after this one; `None` after `closed`.
    pub fn next(self) -> Option<CycleStage> {
        let at = CycleStage::ALL.iter().position(|s| *s == self)?;
        CycleStage::ALL.get(at + 1).copied()
    }

    /// The stored and wire form, for example `soliciting`.
    pub fn as_str(self) -> &'static str {
        match self {
            CycleStage::Soliciting => "soliciting",
            CycleStage::Screening => "screening",
            CycleStage::Voting => "voting",
            CycleStage::Meeting => "meeting",
            CycleStage::Decided => "decided",
            CycleStage::Implementing => "implementing",
            CycleStage::Reviewing => "reviewing",
            CycleStage::Closed => "closed",
        }
    }

    /// Parses the stored form.
    pub fn parse(text: &str) -> Option<CycleStage> {
        CycleStage::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// The message key of the stage's name, for example `cycle.stage.voting`.
    pub fn message_key(self) -> &'static str {
        match self {
            CycleStage::Soliciting => "cycle.stage.soliciting",
            CycleStage::Screening => "cycle.stage.screening",
            CycleStage::Voting => "cycle.stage.voting",
            CycleStage::Meeting => "cycle.stage.meeting",
            CycleStage::Decided => "cycle.stage.decided",
            CycleStage::Implementing => "cycle.stage.implementing",
            CycleStage::Reviewing => "cycle.stage.reviewing",
            CycleStage::Closed => "cycle.stage.closed",
        }
    }
}

/// One stage of a cycle as the public sees it: the day planned for it and, once it has
/// begun, the moment it was entered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StagePlan {
    pub stage: CycleStage,
    /// The planned day, `YYYY-MM-DD` (UTC+8).
    pub planned: String,
    /// When the cycle entered the stage (Unix seconds); null until then.
    pub entered_at: Option<i64>,
}

/// The planned day of one stage, as an admin gives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlannedDay {
    pub stage: CycleStage,
    /// `YYYY-MM-DD` (UTC+8).
    #[cfg_attr(feature = "openapi", schema(pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"))]
    pub day: String,
}

/// A new cycle: `POST /admin/cycles`. It starts at `soliciting`, entered at once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CycleInput {
    pub month: Month,
    /// One planned day for every stage, each stage once, in stage order, the days never
    /// going back (two stages may share a day). A month that already has a cycle is
    /// refused (409 `conflict`).
    #[cfg_attr(feature = "openapi", schema(min_items = 8, max_items = 8))]
    pub plan: Vec<PlannedDay>,
}

impl CycleInput {
    /// The planned days as day numbers in stage order, or every problem: a stage missing,
    /// twice or out of order (`plan`, `invalid_value`), a day that is no date
    /// (`plan`, `invalid_date`) or earlier than the stage before (`plan`, `out_of_order`).
    pub fn validate(&self) -> Result<Vec<i64>, Vec<FieldError>> {
        let stages: Vec<CycleStage> = self.plan.iter().map(|p| p.stage).collect();
        if stages != CycleStage::ALL {
            return Err(vec![FieldError::new("plan", "invalid_value")]);
        }
        let mut days = Vec::with_capacity(self.plan.len());
        for planned in &self.plan {
            let Some(day) = civil::parse_date(planned.day.trim()) else {
                return Err(vec![FieldError::new("plan", "invalid_date")]);
            };
            if days.last().is_some_and(|before| day < *before) {
                return Err(vec![FieldError::new("plan", "out_of_order")]);
            }
            days.push(day);
        }
        Ok(days)
    }
}

/// A move of a cycle: `POST /admin/cycles/{month}/stage`. `to` must be the stage after the
/// cycle's current one (409 `wrong-stage` otherwise: no move back, none skipped), and the
/// stage's requirements must be met (409 `stage-not-ready`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StageMove {
    pub to: CycleStage,
}

/// A cycle as the public sees it: `GET /api/v1/cycle`, `GET /api/v1/cycles/{month}`.
///
/// Each part of the cycle adds its own field here: the selection part the weights, the
/// candidates with their tallies and scores and the choice; the later stages (meeting,
/// decision, evaluation) add theirs beside them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CycleView {
    pub month: Month,
    pub stage: CycleStage,
    /// Every stage in order, with its planned day and when it was entered.
    pub stages: Vec<StagePlan>,
    /// The score's weights, once set.
    pub weights: Option<score::Weights>,
    /// The shortlist, in display order, with tallies per channel and (from voting on)
    /// scores.
    pub candidates: Vec<selection::CandidateView>,
    /// Whether the scores are final: frozen when voting closed.
    pub scores_frozen: bool,
    /// The chosen topic, once chosen.
    pub choice: Option<selection::Choice>,
    /// How many proposals are shown publicly (published and merged).
    pub public_proposals: i64,
    /// What follows the choice: the meeting, the decision with its measures and progress,
    /// and the evaluation (`omk_api::outcome`).
    #[serde(default)]
    pub outcome: crate::outcome::OutcomeView,
}

/// A cycle in the archive list: `GET /api/v1/cycles`, newest month first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CycleSummary {
    pub month: Month,
    pub stage: CycleStage,
    /// The chosen candidate's id and titles, once chosen.
    pub chosen: Option<String>,
    pub chosen_title_zh: Option<String>,
    pub chosen_title_en: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Lang, Messages};

    #[test]
    fn months_are_read_strictly_and_written_alike() {
        assert_eq!(
            Month::parse("2026-05").map(|m| m.to_string()),
            Some("2026-05".into())
        );
        for bad in [
            "2026-5",
            "2026-13",
            "2026-00",
            "26-05",
            "2026-05-01",
            " 2026-05",
            "",
        ] {
            assert_eq!(Month::parse(bad), None, "{bad}");
        }
        let json = serde_json::to_string(&Month::parse("2026-12")).unwrap_or_default();
        assert_eq!(json, "\"2026-12\"");
        assert!(serde_json::from_str::<Month>("\"2026-1\"").is_err());
        assert_eq!(
            Month::parse("2026-01").map(Month::previous),
            Month::parse("2025-12")
        );
    }

    #[test]
    fn a_month_is_judged_in_beijing_time() {
        // 2026-04-30 16:00 UTC is 2026-05-01 00:00 in Beijing.
        let at = civil::local_day_start(civil::days_from_civil(2026, 5, 1).unwrap_or(0));
        assert_eq!(Month::of_moment(at).to_string(), "2026-05");
        assert_eq!(Month::of_moment(at - 1).to_string(), "2026-04");
    }

    #[test]
    fn stages_go_forward_one_at_a_time_and_have_words() {
        assert_eq!(CycleStage::Soliciting.next(), Some(CycleStage::Screening));
        assert_eq!(CycleStage::Reviewing.next(), Some(CycleStage::Closed));
        assert_eq!(CycleStage::Closed.next(), None);
        for stage in CycleStage::ALL {
            assert_eq!(CycleStage::parse(stage.as_str()), Some(stage));
            let json = serde_json::to_string(&stage).unwrap_or_default();
            assert_eq!(json, format!("\"{}\"", stage.as_str()));
            for lang in [Lang::ZhCn, Lang::En] {
                assert!(
                    Messages::get(lang).has(stage.message_key()),
                    "{lang:?} {stage:?}"
                );
            }
        }
    }

    fn plan(days: [&str; 8]) -> CycleInput {
        CycleInput {
            month: Month::parse("2026-05").unwrap_or(Month {
                year: 2026,
                month: 5,
            }),
            plan: CycleStage::ALL
                .iter()
                .zip(days)
                .map(|(stage, day)| PlannedDay {
                    stage: *stage,
                    day: day.into(),
                })
                .collect(),
        }
    }

    #[test]
    fn a_plan_names_every_stage_once_in_order_on_days_that_never_go_back() {
        let days = [
            "2026-05-01",
            "2026-05-08",
            "2026-05-12",
            "2026-05-20",
            "2026-05-20",
            "2026-05-25",
            "2026-06-20",
            "2026-06-30",
        ];
        let good = plan(days);
        assert_eq!(good.validate().map(|d| d.len()), Ok(8));
        let mut back = days;
        back[3] = "2026-05-10";
        assert_eq!(
            crate::refusals(&plan(back).validate()),
            [("plan", "out_of_order")]
        );
        let mut bad = days;
        bad[0] = "2026-02-30";
        assert_eq!(
            crate::refusals(&plan(bad).validate()),
            [("plan", "invalid_date")]
        );
        let mut short = plan(days);
        short.plan.pop();
        assert_eq!(
            crate::refusals(&short.validate()),
            [("plan", "invalid_value")]
        );
        let mut swapped = plan(days);
        swapped.plan.swap(1, 2);
        assert_eq!(
            crate::refusals(&swapped.validate()),
            [("plan", "invalid_value")]
        );
    }
}
