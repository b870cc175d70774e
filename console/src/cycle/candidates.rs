//! The shortlist's candidates for admins: each with its proposed lead unit, category and
//! linked proposals, and the editor that adds or changes one.

use gloo_net::http::Method;
use leptos::prelude::*;
use omk_api::cycle::Month;
use omk_api::cycle::selection::{CandidateInput, CandidateView};
use omk_api::events::encode_component;

use crate::client::Client;
use crate::feedback::FormState;
use crate::i18n::use_i18n;
use crate::kit::{
    Column, EditBar, EditButton, Editor, EditorIds, Empty, RowMarks, Select, Submit, Table,
    TextField, Units, category_choices, unit_choices,
};
use crate::names::use_names;
use crate::screen::focus_later;

use super::CycleResource;
use super::candidate_form::{CandidateForm, FIELDS};

/// The candidates and their editor.
#[component]
pub fn CandidatesPanel(
    month: Month,
    candidates: Vec<CandidateView>,
    cycle: CycleResource,
) -> impl IntoView {
    let i18n = use_i18n();
    let names = use_names();
    let editing = RwSignal::new(None::<CandidateForm>);
    let notice = RwSignal::new(None::<String>);
    let count = candidates.len();
    let items: Vec<(usize, CandidateView)> = candidates.into_iter().enumerate().collect();
    let columns = vec![
        Column::new("candidates.id", |(_, c): &(usize, CandidateView)| {
            c.id.clone()
        }),
        Column::new("candidates.titles", |(_, c): &(usize, CandidateView)| {
            format!("{} / {}", c.title_zh, c.title_en)
        }),
        Column::new(
            "candidates.lead_unit",
            move |(_, c): &(usize, CandidateView)| {
                let unit = c.lead_unit.clone();
                move || names.get().unit(&unit, i18n.lang())
            },
        ),
        Column::new(
            "candidates.category",
            move |(_, c): &(usize, CandidateView)| {
                let category = c.category.clone();
                move || names.get().category(&category, i18n.lang())
            },
        ),
        Column::new("candidates.proposals", |(_, c): &(usize, CandidateView)| {
            c.proposals.join(", ")
        }),
        Column::new(
            "common.actions",
            move |(place, c): &(usize, CandidateView)| {
                let form = CandidateForm::from_view(c, *place);
                let edit = move || {
                    editing.set(Some(form.clone()));
                    focus_later("candidate-title-zh");
                };
                view! { <EditButton testid="candidate-edit" name=c.id.clone() on_click=edit /> }
            },
        ),
    ];
    let editor = move || {
        editing
            .get()
            .map(|draft| view! { <CandidateEditor month draft editing notice cycle /> })
    };
    view! {
        <h3>{move || i18n.t("candidates.heading")}</h3>
        <EditBar notice notice_testid="candidates-notice" new_label="candidates.new" new_testid="candidate-new"
            on_new=move || { editing.set(Some(CandidateForm::new_candidate(count))); focus_later("candidate-id"); } />
        {editor}
        <Table caption="candidates.heading" columns items
            rows=RowMarks::testid("shortlist-row").with_data("data-id", |(_, c): &(usize, CandidateView)| c.id.clone())
            empty=Empty { key: "cycle.no_candidates", testid: "shortlist-none" } />
    }
}

/// The ids of the candidate form.
const EDITOR: EditorIds = EditorIds {
    heading: "candidate-form-heading",
    form: "candidate-form",
    save: "candidate-save",
    close: "candidate-close",
};

/// A new candidate or a change to one.
#[component]
fn CandidateEditor(
    month: Month,
    draft: CandidateForm,
    editing: RwSignal<Option<CandidateForm>>,
    notice: RwSignal<Option<String>>,
    cycle: CycleResource,
) -> impl IntoView {
    let i18n = use_i18n();
    let client = expect_context::<Client>();
    let form = FormState::new();
    let is_new = draft.is_new;
    let draft = RwSignal::new(draft);
    let save = Submit::new(
        form,
        |_| "candidates.saved",
        move |(id, input): (String, CandidateInput)| async move {
            let path = format!("/admin/cycles/{month}/candidates/{}", encode_component(&id));
            client
                .send::<_, CandidateView>(Method::PUT, &path, &input)
                .await
        },
        move |_, saved: &CandidateView| {
            notice.set(Some(
                i18n.format("candidates.saved_one", &[("id", &saved.id)]),
            ));
            editing.set(None);
            cycle.refetch();
        },
    );
    let heading = Signal::derive(move || {
        i18n.t(if is_new {
            "candidates.new"
        } else {
            "candidates.edit"
        })
        .to_owned()
    });
    let text = move |get: fn(&CandidateForm) -> &String| {
        Signal::derive(move || draft.with(|d| get(d).clone()))
    };
    let units = unit_choices(Units::ActiveBut(None));
    let categories = category_choices();
    view! {
        <Editor ids=EDITOR heading send=save.checked(move || draft.with_untracked(CandidateForm::to_input))
            fields=&FIELDS on_close=move || editing.set(None) nested=true>
            {is_new.then(|| view! {
                <TextField form field="id" id="candidate-id" label="candidates.id" hint="candidates.id_hint" maxlength=32
                    verbatim=true value=text(|d| &d.id) on_input=move |v| draft.update(|d| d.id = v) />
            })}
            <TextField form field="title_zh" id="candidate-title-zh" label="candidates.title_zh" maxlength=80
                value=text(|d| &d.title_zh) on_input=move |v| draft.update(|d| d.title_zh = v) />
            <TextField form field="title_en" id="candidate-title-en" label="candidates.title_en" maxlength=80
                value=text(|d| &d.title_en) on_input=move |v| draft.update(|d| d.title_en = v) />
            <Select form field="lead_unit" id="candidate-unit" label="candidates.lead_unit" options=units
                empty="action.choose_unit" value=text(|d| &d.lead_unit) on_change=move |v| draft.update(|d| d.lead_unit = v) />
            <Select form field="category" id="candidate-category" label="candidates.category" options=categories
                empty="candidates.choose_category" value=text(|d| &d.category) on_change=move |v| draft.update(|d| d.category = v) />
            <TextField form field="position" id="candidate-position" label="candidates.position" kind="number" min="0"
                value=text(|d| &d.position) on_input=move |v| draft.update(|d| d.position = v) />
            <TextField form field="proposals" id="candidate-proposals" label="candidates.proposals" hint="candidates.proposals_hint"
                multiline=true value=text(|d| &d.proposals) on_input=move |v| draft.update(|d| d.proposals = v) />
        </Editor>
    }
}
