//! The hall display's panel of the month's question (`/cycle`): what it shows follows the
//! stage, as plain data first: the proposals while soliciting, the shortlist while
//! screening, the tallies (public and representatives apart) while voting, the meeting, the
//! decision, the measures' progress while implementing, and the evaluation with its n while
//! reviewing and once closed.

use leptos::prelude::*;
use omk_api::{CycleStage, CycleView, Lang, MeasureStatus};

use crate::client::Fresh;
use crate::format;
use crate::i18n::use_i18n;

use super::panels::{PhoneCode, Sources};

/// Candidates or measures the panel names: few enough to read from across a hall.
const LISTED: usize = 4;

/// What the stage panel shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StageFocus {
    /// How many proposals are public so far.
    Proposals,
    /// The shortlisted topics.
    Shortlist,
    /// Each candidate's votes, public and representatives' apart.
    Tallies,
    /// The chosen topic and its public meeting.
    Meeting,
    /// The decision and its lead unit.
    Decision,
    /// The measures and their mean progress.
    Progress,
    /// The evaluation figure with its n.
    Evaluation,
}

/// What the panel shows at `stage`.
pub fn focus(stage: CycleStage) -> StageFocus {
    match stage {
        CycleStage::Soliciting => StageFocus::Proposals,
        CycleStage::Screening => StageFocus::Shortlist,
        CycleStage::Voting => StageFocus::Tallies,
        CycleStage::Meeting => StageFocus::Meeting,
        CycleStage::Decided => StageFocus::Decision,
        CycleStage::Implementing => StageFocus::Progress,
        CycleStage::Reviewing | CycleStage::Closed => StageFocus::Evaluation,
    }
}

/// A candidate's line while voting: its title and both tallies, formatted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TallyLine {
    pub title: String,
    pub public: String,
    pub representatives: String,
}

/// The candidates' lines in display order, titles in `lang`.
pub fn tallies(view: &CycleView, lang: Lang) -> Vec<TallyLine> {
    view.candidates
        .iter()
        .take(LISTED)
        .map(|c| TallyLine {
            title: pick(lang, &c.title_zh, &c.title_en),
            public: format::count(c.public_votes),
            representatives: format::count(c.representative_votes),
        })
        .collect()
}

/// The chosen topic's title in `lang`, once chosen.
pub fn chosen_title(view: &CycleView, lang: Lang) -> Option<String> {
    let id = &view.choice.as_ref()?.candidate;
    view.candidates
        .iter()
        .find(|c| c.id == *id)
        .map(|c| pick(lang, &c.title_zh, &c.title_en))
}

/// A progress in percent (0–100) as shown, for example `63%`; `None` without measures.
pub fn percent(progress: Option<f64>) -> Option<String> {
    progress.map(|p| format!("{}%", p.round() as i64))
}

/// A mean of stars as shown, for example `4.2 / 5`; `None` without evaluations.
pub fn stars(mean: Option<f64>) -> Option<String> {
    mean.map(|m| format!("{m:.1} / 5"))
}

/// The message key of a measure's status.
pub fn measure_key(status: MeasureStatus) -> &'static str {
    match status {
        MeasureStatus::NotStarted => "display.measure.not_started",
        MeasureStatus::InProgress => "display.measure.in_progress",
        MeasureStatus::Delayed => "display.measure.delayed",
        MeasureStatus::Done => "display.measure.done",
    }
}

fn pick(lang: Lang, zh: &str, en: &str) -> String {
    match lang {
        Lang::ZhCn => zh.to_owned(),
        Lang::En if en.trim().is_empty() => zh.to_owned(),
        Lang::En => en.to_owned(),
    }
}

/// Whether the panel has a cycle to show.
pub fn ready(s: &Sources) -> bool {
    s.cycle.with(Option::is_some)
}

/// The panel's body: the stage's name and month, what the stage shows, and a QR code to
/// take part on a phone.
pub fn panel(s: &Sources) -> AnyView {
    let i18n = use_i18n();
    let Some(Fresh { value, stored_at }) = s.cycle.get_untracked() else {
        return ().into_any();
    };
    let now = s.now;
    let saved = stored_at.map(|at| {
        view! {
            <p class="omk-hall-saved" data-testid="display-cycle-saved">
                {move || i18n.format("display.saved", &[("age", &format::age(i18n.lang(), now.get() - at))])}
            </p>
        }
    });
    let stage = value.stage;
    let month = value.month.to_string();
    let shown = focus(stage);
    let body = move || body(&value, shown, i18n.lang());
    let qr = s.backend.url("/cycle/qr.svg");
    view! {
        <div class="omk-hall-body">
            <div class="omk-hall-content" data-testid="display-stage" data-focus=format!("{shown:?}")>
                <p class="omk-hall-lead">
                    {month}" · "<span data-testid="display-stage-name">{move || i18n.t(stage.message_key())}</span>
                </p>
                {body}
                {saved}
            </div>
            <PhoneCode src=qr caption="display.scan_question" />
        </div>
    }
    .into_any()
}

/// What the stage shows, in `lang`.
fn body(view: &CycleView, shown: StageFocus, lang: Lang) -> AnyView {
    let i18n = use_i18n();
    match shown {
        StageFocus::Proposals => {
            let n = format::count(view.public_proposals);
            view! { <p data-testid="display-proposals">{move || i18n.format("display.proposals_n", &[("n", &n)])}</p> }
                .into_any()
        }
        StageFocus::Shortlist => {
            let items = tallies(view, lang)
                .into_iter()
                .map(|t| view! { <li><strong>{t.title}</strong></li> })
                .collect_view();
            view! { <ul class="omk-hall-events">{items}</ul> }.into_any()
        }
        StageFocus::Tallies => {
            let items = tallies(view, lang)
                .into_iter()
                .map(|t| {
                    let (public, reps) = (t.public, t.representatives);
                    view! {
                        <li data-testid="display-tally">
                            <strong>{t.title}</strong>
                            <span>
                                {move || i18n.format("display.votes_public", &[("n", &public)])}" · "
                                {move || i18n.format("display.votes_representatives", &[("n", &reps)])}
                            </span>
                        </li>
                    }
                })
                .collect_view();
            view! { <ul class="omk-hall-events">{items}</ul> }.into_any()
        }
        StageFocus::Meeting => {
            let chosen = chosen_title(view, lang).unwrap_or_default();
            let meeting = view.outcome.meeting.clone().map(|m| {
                let (start, end) = (m.starts_at, m.ends_at);
                view! {
                    <p>{move || format::event_span(i18n.lang(), start, end)}</p>
                    <p>{m.place}</p>
                }
            });
            view! { <p class="omk-hall-lead" data-testid="display-chosen">{chosen}</p> {meeting} }
                .into_any()
        }
        StageFocus::Decision => {
            let chosen = chosen_title(view, lang).unwrap_or_default();
            let decision = view.outcome.decision.clone().map(|d| {
                let summary = pick(lang, &d.summary_zh, &d.summary_en);
                view! { <p data-testid="display-decision">{summary}</p> <p>{d.lead_unit}</p> }
            });
            view! { <p class="omk-hall-lead" data-testid="display-chosen">{chosen}</p> {decision} }
                .into_any()
        }
        StageFocus::Progress => {
            let overall = percent(view.outcome.progress);
            let items = view
                .outcome
                .measures
                .iter()
                .take(LISTED)
                .map(|m| {
                    let (status, done) = (m.status, format!("{}%", m.percent));
                    view! {
                        <li data-testid="display-measure">
                            <strong>{m.title.clone()}</strong>
                            <span>{m.owner_unit.clone()}" · "{move || i18n.t(measure_key(status))}" · "{done}</span>
                        </li>
                    }
                })
                .collect_view();
            view! {
                <p class="omk-hall-rate" data-testid="display-progress">
                    {move || overall.clone().unwrap_or_else(|| i18n.t("figures.no_data").to_owned())}
                </p>
                <ul class="omk-hall-events">{items}</ul>
            }
            .into_any()
        }
        StageFocus::Evaluation => {
            let e = view.outcome.evaluation.clone();
            let mean = stars(e.mean_stars);
            let n = format::count(e.n);
            let parts = [
                ("display.eval.solved", format::count(e.solved)),
                ("display.eval.partly", format::count(e.partly)),
                ("display.eval.not_solved", format::count(e.not_solved)),
            ]
            .into_iter()
            .map(|(key, count)| view! { <li>{move || i18n.format(key, &[("n", &count)])}</li> })
            .collect_view();
            view! {
                <p class="omk-hall-rate" data-testid="display-evaluation">
                    {move || mean.clone().unwrap_or_else(|| i18n.t("figures.no_data").to_owned())}
                </p>
                <p data-testid="display-evaluation-n">{move || i18n.format("display.eval.n", &[("n", &n)])}</p>
                <ul class="omk-hall-parts">{parts}</ul>
            }
            .into_any()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_stage_shows_what_matters_then() {
        assert_eq!(focus(CycleStage::Voting), StageFocus::Tallies);
        assert_eq!(focus(CycleStage::Implementing), StageFocus::Progress);
        assert_eq!(focus(CycleStage::Reviewing), StageFocus::Evaluation);
        assert_eq!(focus(CycleStage::Closed), StageFocus::Evaluation);
        assert_eq!(focus(CycleStage::Soliciting), StageFocus::Proposals);
    }

    #[test]
    fn progress_and_stars_round_and_none_is_no_data() {
        assert_eq!(percent(Some(62.5)).as_deref(), Some("63%"));
        assert_eq!(percent(None), None);
        assert_eq!(stars(Some(4.25)).as_deref(), Some("4.2 / 5"));
        assert_eq!(stars(None), None);
    }
}
