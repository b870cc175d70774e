//! The month's cycle: choose a month, see its stage strip, and (admins) move it to the next
//! stage and set the score's weights; everyone signed in reads the score table with its
//! formula. The server refuses wrong moves and late weights: the problem shows in the form.

pub mod archive;
pub mod candidate_form;
pub mod candidates;
pub mod choice;
pub mod create;
pub mod measure_form;
pub mod measures;
pub mod meeting;
pub mod meeting_form;
pub mod opening;
pub mod proposals;
pub mod queue;
pub mod rights;
pub mod score;
pub mod voting;
pub mod weights;

use gloo_net::http::Method;
use leptos::prelude::*;
use omk_api::cycle::selection::CandidateView;
use omk_api::cycle::{CycleStage, CycleView, Month, StageMove};
use omk_api::events::encode_component;
use omk_api::{FieldError, Weights};

use crate::client::{ApiError, Client};
use crate::feedback::FormState;
use crate::format::now;
use crate::i18n::use_i18n;
use crate::kit::{ActionForm, Column, Empty, Loaded, RowMarks, Submit, Table, TextField};
use crate::screen::{ScreenHeading, message};
use crate::session::use_auth;

use rights::CycleRights;
use weights::{FIELDS as WEIGHT_FIELDS, WeightsForm};

/// A loaded cycle, reloaded after each change.
pub type CycleResource = LocalResource<Result<CycleView, ApiError>>;

/// The cycle screen.
#[component]
pub fn CycleScreen() -> impl IntoView {
    let auth = use_auth();
    let client = expect_context::<Client>();
    // Empty until the screen knows which month to open: the cycle the kiosks show now (the
    // server's month, whatever the browser's clock says), else the browser's month.
    let month = RwSignal::new(String::new());
    let cycle: CycleResource = LocalResource::new(move || {
        let chosen = month.get();
        async move {
            if chosen.trim().is_empty() {
                let current = client.get::<CycleView>("/cycle").await;
                let opened = match &current {
                    Ok(found) => found.month.to_string(),
                    Err(_) => Month::of_moment(now()).to_string(),
                };
                month.set(opened);
                return current;
            }
            let path = format!("/cycles/{}", encode_component(chosen.trim()));
            client.get::<CycleView>(&path).await
        }
    });
    // Read once: a signed-in page keeps its operator until it is replaced. Tracked, a
    // sign-out would draw the cycle again for no one just before the page goes, and that
    // draw's requests would answer into a page already disposed.
    let (rights, own_unit) = untrack(|| (CycleRights::of(auth.role()), auth.own_unit()));
    let imported: voting::ImportReport = RwSignal::new(None);
    let show = move |found: CycleView| {
        let access = measures::MeasureAccess {
            edits: rights.edits_measures,
            admin: rights.runs_cycle,
            own_unit: own_unit.clone(),
        };
        view! { <CycleBody found rights access cycle imported /> }
    };
    let opening = rights.runs_cycle.then(|| {
        view! { <opening::NewCycle opened=move |m: String| month.set(m) /> }
    });
    view! {
        <ScreenHeading text=message("cycle.heading") />
        {opening}
        <TextField id="cycle-month" label="cycle.month" hint="cycle.month_hint" on_commit=true
            value=month on_input=move |v: String| month.set(v) maxlength=7 />
        <Loaded resource=cycle show />
        <archive::Archive month />
    }
}

/// One month's cycle.
#[component]
fn CycleBody(
    /// The cycle as loaded.
    found: CycleView,
    /// What the operator may do.
    rights: CycleRights,
    /// Who works on the measures.
    access: measures::MeasureAccess,
    /// The cycle's resource, reloaded after a change.
    cycle: CycleResource,
    /// The last hotline import's report.
    imported: voting::ImportReport,
) -> impl IntoView {
    let month = found.month;
    let measures = found.outcome.measures.clone();
    let meeting = found.outcome.meeting.clone();
    let decision = found.outcome.decision.clone();
    let i18n = use_i18n();
    let next = found.stage.next();
    let weights = found.weights;
    let marks = score::top_marks(&found.candidates.iter().map(|c| c.score).collect::<Vec<_>>());
    let marked: Vec<(CandidateView, bool)> = found.candidates.iter().cloned().zip(marks).collect();
    let chosen = found.choice.clone();
    let admin = rights.runs_cycle.then(|| {
        view! {
            <section aria-labelledby="cycle-admin-heading" class="panel">
                <h2 id="cycle-admin-heading">{move || i18n.t("cycle.admin")}</h2>
                <NextStage month next cycle />
                <WeightsEditor month weights cycle />
                <candidates::CandidatesPanel month candidates=found.candidates.clone() cycle />
                <voting::SignalsImport month cycle report=imported />
                <voting::CodesPanel month />
                <voting::ChoicePanel month candidates=marked chosen cycle />
            </section>
        }
    });
    view! {
        <StageStrip found=found.clone() />
        {admin}
        <ScoreTable candidates=found.candidates weights=found.weights frozen=found.scores_frozen />
        {rights.sees_proposals.then(|| view! { <queue::ProposalsQueue month moderates=rights.moderates_proposals /> })}
        <meeting::MeetingPanel month meeting decision runs=rights.runs_cycle reads_opinions=rights.reads_opinions cycle />
        <measures::MeasuresPanel month measures access cycle />
    }
}

/// The stages in order, the current one marked, each with its planned day.
#[component]
fn StageStrip(
    /// The cycle.
    found: CycleView,
) -> impl IntoView {
    let i18n = use_i18n();
    let steps = found
        .stages
        .into_iter()
        .map(|plan| {
            let current = (plan.stage == found.stage).then_some("step");
            let key = plan.stage.message_key();
            view! {
                <li aria-current=current data-testid="cycle-stage" data-stage=plan.stage.as_str()>
                    <span>{move || i18n.shared().text(key).to_owned()}</span>
                    " "
                    <span class="hint">{plan.planned}</span>
                </li>
            }
        })
        .collect_view();
    view! {
        <section aria-labelledby="cycle-stages-heading" class="panel">
            <h2 id="cycle-stages-heading">{move || i18n.t("cycle.stages")}</h2>
            <ol class="stage-strip">{steps}</ol>
        </section>
    }
}

/// The move to the next stage (none after the last).
#[component]
fn NextStage(
    /// The cycle's month.
    month: Month,
    /// The stage after the current one.
    next: Option<CycleStage>,
    /// Reloaded after the move.
    cycle: CycleResource,
) -> impl IntoView {
    let i18n = use_i18n();
    let client = expect_context::<Client>();
    let send = Submit::new(
        FormState::new(),
        |_| "cycle.moved",
        move |to: CycleStage| async move {
            let path = format!("/admin/cycles/{month}/stage");
            client
                .send::<_, CycleView>(Method::POST, &path, &StageMove { to })
                .await
        },
        move |_, _| cycle.refetch(),
    );
    let check = move || next.ok_or_else(|| vec![FieldError::new("to", "invalid_value")]);
    let target = move || {
        next.map(|stage| {
            i18n.format(
                "cycle.next_is",
                &[("stage", i18n.shared().text(stage.message_key()))],
            )
        })
    };
    view! {
        <ActionForm heading="cycle.next_stage" send=send.checked(check) label="cycle.move"
            testid="cycle-move" fields=&["to"] feedback="cycle-move">
            <p>{target}</p>
        </ActionForm>
    }
}

/// The score's weights, accepted until voting opens.
#[component]
fn WeightsEditor(
    /// The cycle's month.
    month: Month,
    /// The weights already set.
    weights: Option<Weights>,
    /// Reloaded after saving.
    cycle: CycleResource,
) -> impl IntoView {
    let client = expect_context::<Client>();
    let form = FormState::new();
    let draft = RwSignal::new(WeightsForm::from_weights(weights.as_ref()));
    let send = Submit::new(
        form,
        |_| "cycle.weights_saved",
        move |input: Weights| async move {
            let path = format!("/admin/cycles/{month}/weights");
            client.send::<_, Weights>(Method::PUT, &path, &input).await
        },
        move |_, _| cycle.refetch(),
    );
    let field = move |id: &'static str, name: &'static str, label: &'static str| {
        let get = move |f: &WeightsForm| match name {
            "representatives" => f.representatives.clone(),
            "public" => f.public.clone(),
            "hotline" => f.hotline.clone(),
            _ => f.proposals.clone(),
        };
        let set = move |f: &mut WeightsForm, v: String| match name {
            "representatives" => f.representatives = v,
            "public" => f.public = v,
            "hotline" => f.hotline = v,
            _ => f.proposals = v,
        };
        view! {
            <TextField form field=name id label kind="number" min="0"
                value=Signal::derive(move || draft.with(get))
                on_input=move |v| draft.update(|f| set(f, v)) />
        }
    };
    view! {
        <ActionForm heading="cycle.weights" send=send.checked(move || draft.with_untracked(WeightsForm::to_input))
            label="common.save" testid="cycle-weights-save" fields=&WEIGHT_FIELDS feedback="cycle-weights">
            {field("weight-representatives", "representatives", "cycle.weight.representatives")}
            {field("weight-public", "public", "cycle.weight.public")}
            {field("weight-hotline", "hotline", "cycle.weight.hotline")}
            {field("weight-proposals", "proposals", "cycle.weight.proposals")}
        </ActionForm>
    }
}

/// The shortlist with its counts and, from voting on, each score as its formula.
#[component]
fn ScoreTable(
    /// The candidates in display order.
    candidates: Vec<CandidateView>,
    /// The weights, once set.
    weights: Option<Weights>,
    /// Whether the scores are final.
    frozen: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let marks = score::top_marks(&candidates.iter().map(|c| c.score).collect::<Vec<_>>());
    let items: Vec<(CandidateView, bool)> = candidates.into_iter().zip(marks).collect();
    let formula = move || {
        weights.map(|w| {
            i18n.format(
                "cycle.formula",
                &[
                    ("representatives", &w.representatives.to_string()),
                    ("public", &w.public.to_string()),
                    ("hotline", &w.hotline.to_string()),
                    ("proposals", &w.proposals.to_string()),
                ],
            )
        })
    };
    let state = move || {
        i18n.t(if frozen {
            "cycle.scores_frozen"
        } else {
            "cycle.scores_provisional"
        })
    };
    view! {
        <section aria-labelledby="cycle-score-heading" class="panel">
            <h2 id="cycle-score-heading">{move || i18n.t("cycle.score")}</h2>
            <p data-testid="cycle-formula">{formula}</p>
            <p>{state}</p>
            <Table caption="cycle.score" columns=score_columns() items
                rows=RowMarks::testid("candidate-row")
                    .with_data("data-id", |(c, _): &(CandidateView, bool)| c.id.clone())
                    .with_class(|(_, top): &(CandidateView, bool)| top.then_some("top"))
                empty=Empty { key: "cycle.no_candidates", testid: "cycle-no-candidates" } />
        </section>
    }
}

/// The score table's columns.
fn score_columns() -> Vec<Column<(CandidateView, bool)>> {
    let i18n = use_i18n();
    let part = |pick: fn(&omk_api::Score) -> &omk_api::ScorePart| {
        move |(c, _): &(CandidateView, bool)| c.score.as_ref().map(|s| score::part(pick(s)))
    };
    vec![
        Column::new("cycle.candidate", move |(c, _): &(CandidateView, bool)| {
            let (zh, en) = (c.title_zh.clone(), c.title_en.clone());
            move || match i18n.lang() {
                omk_api::Lang::ZhCn => zh.clone(),
                omk_api::Lang::En => en.clone(),
            }
        }),
        Column::new("cycle.weight.representatives", part(|s| &s.representatives)),
        Column::new("cycle.weight.public", part(|s| &s.public)),
        Column::new("cycle.weight.hotline", part(|s| &s.hotline)),
        Column::new("cycle.weight.proposals", part(|s| &s.proposals)),
        Column::new("cycle.total", |(c, top): &(CandidateView, bool)| {
            let total = c.score.as_ref().map(|s| score::points(s.score));
            let top = *top;
            view! { {total} {top.then_some(" ★")} }
        })
        .testid("candidate-score"),
    ]
}
