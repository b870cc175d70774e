//! The stages after the choice on the month's question screen: the chosen topic, the
//! meeting with its seats and registration, the decision with its measures and progress,
//! "Was it solved?" with stars, the evaluation's figure with its n, and last month's result.

use leptos::prelude::*;
use omk_api::{
    CycleView, Entry, EvaluationFigure, EvaluationOutcome, EvaluationReceipt, Event, Lang, Month,
    NewEvaluation, ScorePart,
};

use super::plan::{self, FigureText};
use super::{CycleRefresh, in_lang};
use crate::client::Backend;
use crate::events::detail::EventDetail;
use crate::format;
use crate::i18n::use_i18n;
use crate::kiosk::use_session;
use crate::outbox::{Delivery, Pending, use_outbox};

/// The message key of an evaluation answer.
pub fn outcome_key(outcome: EvaluationOutcome) -> &'static str {
    match outcome {
        EvaluationOutcome::Solved => "cycle.evaluate.solved",
        EvaluationOutcome::Partly => "cycle.evaluate.partly",
        EvaluationOutcome::NotSolved => "cycle.evaluate.not_solved",
    }
}

/// The chosen candidate's title in `lang`, if the cycle has a choice.
pub fn chosen_title(cycle: &CycleView, lang: Lang) -> Option<String> {
    let choice = cycle.choice.as_ref()?;
    cycle
        .candidates
        .iter()
        .find(|c| c.id == choice.candidate)
        .map(|c| in_lang(lang, &c.title_zh, &c.title_en))
}

/// The chosen topic and, when it was not the top score, the public reason; the frozen score
/// table with its formula.
#[component]
pub fn ChoiceCard(
    /// The cycle.
    cycle: CycleView,
) -> impl IntoView {
    let i18n = use_i18n();
    let reason = cycle.choice.as_ref().and_then(|c| c.reason.clone());
    let table = cycle.clone();
    let title = move || chosen_title(&cycle, i18n.lang());
    view! {
        <section class="omk-cycle-part" aria-labelledby="omk-choice-heading" data-testid="choice">
            <h3 id="omk-choice-heading">{move || i18n.t("cycle.choice.heading")}</h3>
            <p class="omk-choice" data-testid="cycle-choice">
                {move || title().unwrap_or_else(|| i18n.t("cycle.choice.none").to_owned())}
            </p>
            {reason.map(|r| view! { <p data-testid="cycle-choice-reason">{r}</p> })}
            <ScoreTable cycle=table />
        </section>
    }
}

/// The meeting: its public seats, seats left and waitlist, and registration (the events
/// screen's detail, with its QR code).
#[component]
pub fn MeetingPart(
    /// The cycle.
    cycle: CycleView,
) -> impl IntoView {
    let i18n = use_i18n();
    let backend = expect_context::<Backend>();
    let Some(meeting) = cycle.outcome.meeting.clone() else {
        return view! { <p data-testid="meeting-none">{move || i18n.t("cycle.meeting.none")}</p> }
            .into_any();
    };
    let id = meeting.event;
    let event = LocalResource::new(move || {
        let backend = backend.clone();
        async move { backend.get::<Event>(&format!("/events/{id}")).await }
    });
    let left = plan::seats_left(meeting.public_taken, meeting.public_total).to_string();
    let total = meeting.public_total.to_string();
    let waitlist = meeting.waitlist.to_string();
    let invited = meeting.invited_total.to_string();
    let when = move || format::event_span(i18n.lang(), meeting.starts_at, meeting.ends_at);
    view! {
        <section class="omk-cycle-part" aria-labelledby="omk-meeting-heading" data-testid="meeting">
            <h3 id="omk-meeting-heading">{move || i18n.t("cycle.meeting.heading")}</h3>
            <p><strong>{meeting.title.clone()}</strong></p>
            <p>{when} " · " {meeting.place.clone()}</p>
            <p data-testid="meeting-seats">
                {move || i18n.format("cycle.meeting.seats", &[
                    ("left", &left), ("total", &total), ("waitlist", &waitlist), ("invited", &invited),
                ])}
            </p>
            {move || event.get().and_then(Result::ok).map(|e| view! { <EventDetail event=e on_back=|| {} waitlist=true /> })}
        </section>
    }
    .into_any()
}

/// The decision: its summary, lead unit, the measures with their owner unit, due day, status
/// (delayed shown as delayed), percent and dated updates, and the overall progress.
#[component]
pub fn DecisionPart(
    /// The cycle.
    cycle: CycleView,
) -> impl IntoView {
    let i18n = use_i18n();
    let backend = expect_context::<Backend>();
    let units = LocalResource::new(move || {
        let backend = backend.clone();
        async move { backend.get::<Vec<Entry>>("/units").await }
    });
    let unit = move |id: &str| {
        let lang = i18n.lang();
        units
            .get()
            .and_then(Result::ok)
            .and_then(|all| all.into_iter().find(|u| u.id == id))
            .map_or_else(|| id.to_owned(), |u| in_lang(lang, &u.name_zh, &u.name_en))
    };
    let Some(decision) = cycle.outcome.decision.clone() else {
        return view! { <p data-testid="decision-none">{move || i18n.t("cycle.decision.none")}</p> }
            .into_any();
    };
    let today = omk_api::civil::local_day((js_sys::Date::now() / 1000.0) as i64);
    let overall = plan::percent(cycle.outcome.progress);
    let lead = decision.lead_unit.clone();
    let summary = move || in_lang(i18n.lang(), &decision.summary_zh, &decision.summary_en);
    let measures = cycle
        .outcome
        .measures
        .iter()
        .map(|m| {
            let status = plan::shown_status(m, today);
            let owner = m.owner_unit.clone();
            let due = m.due.clone();
            let percent = m.percent.min(100);
            let updates = m
                .updates
                .iter()
                .map(|u| view! { <li><time>{u.day.clone()}</time> " " {u.text.clone()}</li> })
                .collect_view();
            view! {
                <li class="omk-measure" data-testid="measure" data-status=status.as_str()>
                    <strong>{m.title.clone()}</strong>
                    <p>
                        {move || i18n.format("cycle.measure.owner", &[("unit", &unit(&owner))])}
                        " · "
                        {move || i18n.format("cycle.measure.due", &[("day", &due)])}
                    </p>
                    <p class=format!("omk-status omk-status-{}", status.as_str())>
                        {move || i18n.t(plan::status_key(status))} " · " {format!("{percent}%")}
                    </p>
                    <progress max="100" value=percent.to_string()
                        aria-label=move || i18n.t("cycle.measure.progress")></progress>
                    <ul class="omk-updates">{updates}</ul>
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="omk-cycle-part" aria-labelledby="omk-decision-heading" data-testid="decision">
            <h3 id="omk-decision-heading">{move || i18n.t("cycle.decision.heading")}</h3>
            <p>{summary}</p>
            <p>{move || i18n.format("cycle.decision.lead", &[("unit", &unit(&lead))])}</p>
            <p data-testid="decision-progress">
                {move || match &overall {
                    Some(p) => i18n.format("cycle.decision.progress", &[("percent", p)]),
                    None => i18n.t("cycle.decision.no_progress").to_owned(),
                }}
            </p>
            <ul class="omk-measures">{measures}</ul>
        </section>
    }
    .into_any()
}

/// "Was it solved?" and 1–5 stars, once per visit (or phone session).
#[component]
pub fn EvaluateForm(
    /// The cycle's month.
    month: Month,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let outbox = use_outbox();
    let answer = RwSignal::new(None::<EvaluationOutcome>);
    let stars = RwSignal::new(0u8);
    let missing = RwSignal::new(false);
    let sent = RwSignal::new(None::<Pending<EvaluationReceipt>>);
    let refresh = use_context::<CycleRefresh>();
    Effect::new(move |_| match sent.get().map(|p| p.get()) {
        Some(Delivery::Refused(_)) => session.evaluated.set(false),
        Some(Delivery::Delivered(_)) => {
            if let Some(CycleRefresh(refresh)) = refresh {
                refresh.run(());
            }
        }
        Some(Delivery::Saved) | None => {}
    });
    let submit = move |_| {
        if session.evaluated.get_untracked() {
            return;
        }
        let Some(outcome) = answer.get_untracked() else {
            missing.set(true);
            return;
        };
        let evaluation = NewEvaluation {
            outcome,
            stars: stars.get_untracked(),
        };
        if evaluation.validate().is_err() {
            missing.set(true);
            return;
        }
        missing.set(false);
        session.evaluated.set(true);
        let path = format!("/cycles/{month}/evaluations");
        sent.set(Some(outbox.submit(&path, &evaluation)));
    };
    let choices = EvaluationOutcome::ALL
        .into_iter()
        .map(|o| {
            view! {
                <button type="button" class="omk-choice-button" aria-pressed=move || (answer.get() == Some(o)).to_string()
                    data-testid=format!("evaluate-{}", o.as_str()) on:click=move |_| answer.set(Some(o))>
                    {move || i18n.t(outcome_key(o))}
                </button>
            }
        })
        .collect_view();
    let star_buttons = (1..=5u8)
        .map(|n| {
            view! {
                <button type="button" class="omk-star" aria-pressed=move || (stars.get() == n).to_string()
                    aria-label=move || i18n.format("cycle.evaluate.stars_n", &[("n", &n.to_string())])
                    data-testid=format!("star-{n}") on:click=move |_| stars.set(n)>
                    {move || if stars.get() >= n { "★" } else { "☆" }}
                </button>
            }
        })
        .collect_view();
    let outcome = move || {
        if missing.get() {
            return Some(i18n.t("cycle.evaluate.missing").to_owned());
        }
        let Some(pending) = sent.get() else {
            return session
                .evaluated
                .get()
                .then(|| i18n.t("cycle.evaluate.thanks").to_owned());
        };
        Some(match pending.get() {
            Delivery::Refused(error) => i18n.t(error.message_key()).to_owned(),
            Delivery::Saved | Delivery::Delivered(_) => i18n.t("cycle.evaluate.thanks").to_owned(),
        })
    };
    view! {
        <section class="omk-cycle-part" aria-labelledby="omk-evaluate-heading" data-testid="evaluate">
            <h3 id="omk-evaluate-heading">{move || i18n.t("cycle.evaluate.heading")}</h3>
            <div role="group" aria-labelledby="omk-evaluate-heading" class="omk-choices">{choices}</div>
            <p id="omk-stars-label">{move || i18n.t("cycle.evaluate.stars")}</p>
            <div role="group" aria-labelledby="omk-stars-label" class="omk-stars">{star_buttons}</div>
            <button type="button" class="omk-primary" data-testid="evaluate-submit"
                disabled=move || session.evaluated.get() on:click=submit>
                {move || i18n.t("cycle.evaluate.submit")}
            </button>
            <p class="omk-outcome" role="status" data-testid="evaluate-outcome">{outcome}</p>
        </section>
    }
}

/// The evaluation's figure, always with its n.
#[component]
pub fn FigurePart(
    /// The server's figure.
    figure: EvaluationFigure,
    /// The id of its heading, unique on the page.
    heading: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    let text = FigureText::of(&figure);
    let n = text.n.to_string();
    let body = move || match (text.shares, text.stars.clone()) {
        (Some([solved, partly, not_solved]), stars) => i18n.format(
            "cycle.figure.shares",
            &[
                ("solved", &solved.to_string()),
                ("partly", &partly.to_string()),
                ("not_solved", &not_solved.to_string()),
                ("stars", stars.as_deref().unwrap_or("–")),
            ],
        ),
        (None, _) => i18n.t("cycle.figure.none").to_owned(),
    };
    view! {
        <section class="omk-cycle-part" aria-labelledby=heading data-testid="evaluation-figure">
            <h3 id=heading>{move || i18n.t("cycle.figure.heading")}</h3>
            <p data-testid="evaluation-figure-text">{body}</p>
            <p data-testid="evaluation-n">{move || i18n.format("cycle.figure.n", &[("n", &n)])}</p>
        </section>
    }
}

/// One row of the score table: a component's count, the shortlist's largest, the weight and
/// the points, written `count / largest × weight = points`.
pub fn score_cell(part: &ScorePart) -> String {
    format!(
        "{} / {} × {} = {:.2}",
        part.count, part.largest, part.weight, part.points
    )
}

/// The score table with its formula: each candidate's components written
/// `count / largest × weight = points`, and its total. Nothing before voting scores it.
#[component]
pub fn ScoreTable(
    /// The cycle.
    cycle: CycleView,
) -> impl IntoView {
    let i18n = use_i18n();
    if cycle.candidates.iter().all(|c| c.score.is_none()) {
        return ().into_any();
    }
    let rows = move || {
        let lang = i18n.lang();
        cycle
            .candidates
            .iter()
            .map(|c| {
                let title = in_lang(lang, &c.title_zh, &c.title_en);
                let cells = c.score.map(|s| {
                    view! {
                        <td>{score_cell(&s.representatives)}</td>
                        <td>{score_cell(&s.public)}</td>
                        <td>{score_cell(&s.hotline)}</td>
                        <td>{score_cell(&s.proposals)}</td>
                        <td data-testid="score-total"><strong>{format!("{:.2}", s.score)}</strong></td>
                    }
                });
                view! { <tr data-testid="score-row" data-id=c.id.clone()><th scope="row">{title}</th>{cells}</tr> }
            })
            .collect_view()
    };
    view! {
        <table class="omk-score-table" data-testid="score-table">
            <caption>{move || i18n.t("cycle.score.formula")}</caption>
            <thead><tr>
                <th scope="col">{move || i18n.t("cycle.score.topic")}</th>
                <th scope="col">{move || i18n.t("cycle.score.representatives")}</th>
                <th scope="col">{move || i18n.t("cycle.score.public")}</th>
                <th scope="col">{move || i18n.t("cycle.score.hotline")}</th>
                <th scope="col">{move || i18n.t("cycle.score.proposals")}</th>
                <th scope="col">{move || i18n.t("cycle.score.total")}</th>
            </tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
    .into_any()
}

/// Last month's result: the chosen topic, the score table with its formula, the decision
/// and the evaluation with its n.
#[component]
pub fn LastMonth(
    /// The month of the latest closed cycle.
    month: Month,
) -> impl IntoView {
    let i18n = use_i18n();
    let backend = expect_context::<Backend>();
    let cycle = LocalResource::new(move || {
        let backend = backend.clone();
        async move { backend.get::<CycleView>(&format!("/cycles/{month}")).await }
    });
    let body = move || {
        let cycle = cycle.get().and_then(Result::ok)?;
        let lang = i18n.lang();
        let chosen = chosen_title(&cycle, lang);
        let reason = cycle.choice.as_ref().and_then(|c| c.reason.clone());
        let decision = cycle
            .outcome
            .decision
            .as_ref()
            .map(|d| in_lang(lang, &d.summary_zh, &d.summary_en));
        let figure = cycle.outcome.evaluation.clone();
        Some(view! {
            <p data-testid="last-chosen"><strong>{chosen}</strong></p>
            {reason.map(|r| view! { <p>{r}</p> })}
            <ScoreTable cycle=cycle.clone() />
            {decision.map(|d| view! { <p>{d}</p> })}
            <FigurePart figure=figure heading="omk-last-figure-heading" />
        })
    };
    view! {
        <section class="omk-cycle-part omk-last-month" aria-labelledby="omk-last-heading" data-testid="last-month">
            <h3 id="omk-last-heading">
                {move || i18n.format("cycle.last.heading", &[("month", &month.to_string())])}
            </h3>
            {body}
        </section>
    }
}
