//! The month's question ("one month, one question") stage by stage: the cycle's current
//! stage with what a visitor can do in it, the planned day of every stage, a QR code that
//! opens the same screen on a phone, last month's result and the archive.

pub mod outcome;
pub mod plan;
pub mod select;

use leptos::prelude::*;
use omk_api::{CycleSummary, CycleView, Lang, Month};

use crate::client::Backend;
use crate::i18n::use_i18n;
use plan::{Part, StepState};

/// Reads the shown cycle again, so that a counted write (a vote, an evaluation) shows in
/// its tallies; provided by [`CycleScreen`], absent where a cycle is shown as given.
#[derive(Clone, Copy)]
pub struct CycleRefresh(pub Callback<()>);

/// A title in the visitor's language.
pub fn in_lang(lang: Lang, zh: &str, en: &str) -> String {
    if lang == Lang::ZhCn || en.is_empty() {
        zh.to_owned()
    } else {
        en.to_owned()
    }
}

/// The month's question: fetches the current cycle (or an archived month the visitor
/// opened) and the archive. Renders nothing while there is no cycle, so the caller can show
/// what it showed before.
#[component]
pub fn CycleScreen(
    /// Set once the backend has said whether there is a cycle.
    has_cycle: RwSignal<Option<bool>>,
) -> impl IntoView {
    let backend = expect_context::<Backend>();
    // `None`: the current cycle; `Some(month)`: a month opened from the archive.
    let opened = RwSignal::new(None::<Month>);
    let cycle = {
        let backend = backend.clone();
        LocalResource::new(move || {
            let backend = backend.clone();
            let path = opened
                .get()
                .map_or_else(|| "/cycle".to_owned(), |m| format!("/cycles/{m}"));
            async move { backend.get::<CycleView>(&path).await }
        })
    };
    let archive = LocalResource::new(move || {
        let backend = backend.clone();
        async move { backend.get::<Vec<CycleSummary>>("/cycles").await }
    });
    provide_context(CycleRefresh(Callback::new(move |()| cycle.refetch())));
    Effect::new(move |_| {
        if let Some(result) = cycle.get() {
            has_cycle.set(Some(result.is_ok()));
        }
    });
    let archive_list = move || archive.get().and_then(Result::ok).unwrap_or_default();
    move || {
        let view = cycle.get().and_then(Result::ok)?;
        Some(view! {
            <CycleStagePanel cycle=view archive=Signal::derive(archive_list) opened=opened />
        })
    }
}

/// One cycle at its stage, with the stage strip, the phone's QR code, last month's result
/// and the archive.
#[component]
pub fn CycleStagePanel(
    /// The cycle to show.
    cycle: CycleView,
    /// Every month's cycle, newest first (may be empty).
    archive: Signal<Vec<CycleSummary>>,
    /// The archived month the visitor opened, `None` for the current cycle.
    opened: RwSignal<Option<Month>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let backend = expect_context::<Backend>();
    let qr = backend.url("/cycle/qr.svg");
    let stage = cycle.stage;
    let month = cycle.month;
    let is_archived = move || opened.get().is_some();
    let back = move |_| opened.set(None);
    let strip = cycle
        .stages
        .iter()
        .map(|plan| {
            let state = StepState::of(plan.stage, stage);
            let current = (state == StepState::Current).then_some("step");
            let key = plan.stage.message_key();
            view! {
                <li class=format!("omk-step omk-step-{}", state.as_str()) aria-current=current
                    data-testid="cycle-step" data-state=state.as_str()>
                    <span class="omk-step-name">{move || i18n.t(key)}</span>
                    <span class="omk-step-day">{plan.planned.clone()}</span>
                </li>
            }
        })
        .collect_view();
    let parts = plan::parts(stage)
        .iter()
        .map(|part| part_view(*part, &cycle))
        .collect_view();
    let current = cycle.clone();
    let last = move || {
        let archive = archive.get();
        plan::last_closed(&archive, Some(&current)).map(|c| c.month)
    };
    view! {
        <section class="omk-screen omk-cycle" aria-labelledby="omk-cycle-heading" data-testid="cycle"
            data-stage=stage.as_str()>
            <h2 id="omk-cycle-heading">
                {move || i18n.format("cycle.heading", &[("month", &month.to_string())])}
            </h2>
            <p class="omk-cycle-stage" data-testid="cycle-stage">
                {move || i18n.format("cycle.now", &[("stage", i18n.t(stage.message_key()))])}
            </p>
            <Show when=is_archived>
                <button type="button" class="omk-secondary" data-testid="cycle-back" on:click=back>
                    {move || i18n.t("cycle.back_to_current")}
                </button>
            </Show>
            <h3 class="omk-sr-only">{move || i18n.t("cycle.plan")}</h3>
            <ol class="omk-stage-strip" aria-label=move || i18n.t("cycle.plan")>{strip}</ol>
            {parts}
            <figure class="omk-qr omk-cycle-qr">
                <img src=qr width="160" height="160" alt=move || i18n.t("cycle.qr_alt") data-testid="cycle-qr" />
                <figcaption>{move || i18n.t("cycle.qr_hint")}</figcaption>
            </figure>
            {move || last().map(|m| view! { <outcome::LastMonth month=m /> })}
            <Archive archive=archive opened=opened />
        </section>
    }
}

fn part_view(part: Part, cycle: &CycleView) -> AnyView {
    let stage = cycle.stage;
    match part {
        Part::Propose => view! { <select::ProposeForm month=cycle.month /> }.into_any(),
        Part::Proposals => view! { <select::ProposalList month=cycle.month /> }.into_any(),
        Part::Shortlist => view! {
            <select::Shortlist cycle=cycle.clone() tallies=plan::shows_tallies(stage) />
        }
        .into_any(),
        Part::Vote => view! { <select::RepresentativeVoteForm cycle=cycle.clone() /> }.into_any(),
        Part::Choice => view! { <outcome::ChoiceCard cycle=cycle.clone() /> }.into_any(),
        Part::Meeting => view! { <outcome::MeetingPart cycle=cycle.clone() /> }.into_any(),
        Part::Decision => view! { <outcome::DecisionPart cycle=cycle.clone() /> }.into_any(),
        Part::Evaluate => view! { <outcome::EvaluateForm month=cycle.month /> }.into_any(),
        Part::Figure => {
            view! { <outcome::FigurePart figure=cycle.outcome.evaluation.clone() heading="omk-figure-heading" /> }.into_any()
        }
    }
}

/// The archive: every month's cycle; tapping one opens it here.
#[component]
fn Archive(
    /// Every month's cycle, newest first.
    archive: Signal<Vec<CycleSummary>>,
    /// Where an opened month goes.
    opened: RwSignal<Option<Month>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let rows = move || {
        let lang = i18n.lang();
        archive
            .get()
            .into_iter()
            .map(|c| {
                let month = c.month;
                let title = c
                    .chosen_title_zh
                    .as_deref()
                    .map(|zh| in_lang(lang, zh, c.chosen_title_en.as_deref().unwrap_or("")));
                let stage = c.stage;
                view! {
                    <li>
                        <button type="button" class="omk-secondary" data-testid="archive-month"
                            on:click=move |_| opened.set(Some(month))>
                            <strong>{month.to_string()}</strong>
                            " · "
                            {move || i18n.t(stage.message_key())}
                            {title.map(|t| format!(" · {t}"))}
                        </button>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <details class="omk-archive" data-testid="cycle-archive">
            <summary>{move || i18n.t("cycle.archive")}</summary>
            <ul>{rows}</ul>
        </details>
    }
}
