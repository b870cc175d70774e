//! The decision's measures: the table (a unit operator's holds their unit's only), and for
//! those who act on them the editor (admins: every field, and new measures; a unit's
//! operators: status and percent) with its dated progress updates.

use gloo_net::http::Method;
use leptos::prelude::*;
use omk_api::cycle::Month;
use omk_api::outcome::{MeasureInput, MeasureStatus, MeasureView, ProgressInput};

use crate::client::Client;
use crate::feedback::FormState;
use crate::i18n::use_i18n;
use crate::kit::{
    ActionForm, CheckField, Choice, Column, EditBar, EditButton, Editor, EditorIds, Empty,
    RowMarks, Select, Submit, Table, TextField, Units, unit_choices,
};
use crate::names::use_names;
use crate::screen::focus_later;

use super::CycleResource;
use super::measure_form::{FIELDS, MeasureForm, visible};

/// Who works on the measures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeasureAccess {
    /// Whether the operator edits measures at all.
    pub edits: bool,
    /// Whether the operator is an admin (every field, new measures).
    pub admin: bool,
    /// A unit operator's unit.
    pub own_unit: Option<String>,
}

/// The measures of `month`.
#[component]
pub fn MeasuresPanel(
    /// The cycle's month.
    month: Month,
    /// The measures as loaded.
    measures: Vec<MeasureView>,
    /// Who works on them.
    access: MeasureAccess,
    /// Reloaded after a change.
    cycle: CycleResource,
) -> impl IntoView {
    let i18n = use_i18n();
    let editing = RwSignal::new(None::<MeasureForm>);
    let notice = RwSignal::new(None::<String>);
    let items = visible(&measures, access.own_unit.as_deref());
    let admin = access.admin;
    let bar = admin.then(|| {
        view! {
            <EditBar notice notice_testid="measures-notice" new_label="measures.new" new_testid="measure-new"
                on_new=move || { editing.set(Some(MeasureForm::new_measure())); focus_later("measure-title"); } />
        }
    });
    let editor = move || {
        editing
            .get()
            .map(|draft| view! { <MeasureEditor month draft admin editing notice cycle /> })
    };
    view! {
        <section aria-labelledby="measures-heading" class="panel">
            <h2 id="measures-heading">{move || i18n.t("measures.heading")}</h2>
            {bar}
            {editor}
            <Table caption="measures.heading" columns=columns(editing, access.edits) items
                rows=RowMarks::testid("measure-row").with_data("data-id", |m: &MeasureView| m.id.to_string())
                empty=Empty { key: "measures.none", testid: "measures-none" } />
        </section>
    }
}

/// The message key of a measure status.
pub fn status_key(status: MeasureStatus) -> &'static str {
    match status {
        MeasureStatus::NotStarted => "measures.status.not_started",
        MeasureStatus::InProgress => "measures.status.in_progress",
        MeasureStatus::Delayed => "measures.status.delayed",
        MeasureStatus::Done => "measures.status.done",
    }
}

/// The measures' columns.
fn columns(editing: RwSignal<Option<MeasureForm>>, edits: bool) -> Vec<Column<MeasureView>> {
    let i18n = use_i18n();
    let names = use_names();
    let mut columns = vec![
        Column::new("measures.title", |m: &MeasureView| m.title.clone()),
        Column::new("measures.owner", move |m: &MeasureView| {
            let unit = m.owner_unit.clone();
            move || names.get().unit(&unit, i18n.lang())
        }),
        Column::new("measures.due", |m: &MeasureView| m.due.clone()),
        Column::new("measures.status", move |m: &MeasureView| {
            let key = status_key(m.status);
            move || i18n.t(key)
        })
        .testid("measure-status"),
        Column::new("measures.percent", |m: &MeasureView| {
            format!("{}%", m.percent)
        }),
        Column::new("measures.updates", |m: &MeasureView| {
            let items = m
                .updates
                .iter()
                .map(|u| view! { <li>{u.day.clone()}": "{u.text.clone()}</li> })
                .collect_view();
            view! { <ul class="plain">{items}</ul> }
        }),
    ];
    if edits {
        columns.push(Column::new("common.actions", move |m: &MeasureView| {
            let stored = StoredValue::new(m.clone());
            let edit = move || {
                editing.set(Some(MeasureForm::from_view(&stored.get_value())));
                focus_later("measure-status");
            };
            view! { <EditButton testid="measure-edit" name=m.title.clone() on_click=edit /> }
        }));
    }
    columns
}

/// The ids of the measure form.
const EDITOR: EditorIds = EditorIds {
    heading: "measure-form-heading",
    form: "measure-form",
    save: "measure-save",
    close: "measure-close",
};

/// The form of a new measure (admins) or a change to one, with its progress updates.
#[component]
fn MeasureEditor(
    month: Month,
    draft: MeasureForm,
    admin: bool,
    editing: RwSignal<Option<MeasureForm>>,
    notice: RwSignal<Option<String>>,
    cycle: CycleResource,
) -> impl IntoView {
    let i18n = use_i18n();
    let client = expect_context::<Client>();
    let form = FormState::new();
    let id = draft.id;
    let measure = RwSignal::new(draft);
    let save = Submit::new(
        form,
        |_| "measures.saved",
        move |(id, input): (Option<i64>, MeasureInput)| async move {
            match id {
                Some(id) => {
                    let path = format!("/admin/measures/{id}");
                    client
                        .send::<_, MeasureView>(Method::PUT, &path, &input)
                        .await
                }
                None => {
                    let path = format!("/admin/cycles/{month}/measures");
                    client
                        .send::<_, MeasureView>(Method::POST, &path, &input)
                        .await
                }
            }
        },
        move |_, saved: &MeasureView| {
            notice.set(Some(
                i18n.format("measures.saved_one", &[("title", &saved.title)]),
            ));
            editing.set(None);
            cycle.refetch();
        },
    );
    let heading = Signal::derive(move || {
        i18n.t(if id.is_none() {
            "measures.new"
        } else {
            "measures.edit"
        })
        .to_owned()
    });
    let statuses = Signal::derive(move || {
        MeasureStatus::ALL
            .into_iter()
            .map(|s| Choice::new(s.as_str(), i18n.t(status_key(s))))
            .collect()
    });
    let units = unit_choices(Units::ActiveBut(None));
    let text = move |get: fn(&MeasureForm) -> &String| {
        Signal::derive(move || measure.with(|m| get(m).clone()))
    };
    let admin_fields = admin.then(|| {
        view! {
            <TextField form field="title" id="measure-title" label="measures.title" maxlength=60
                value=text(|m| &m.title) on_input=move |v| measure.update(|m| m.title = v) />
            <Select form field="owner_unit" id="measure-owner" label="measures.owner" options=units empty="action.choose_unit"
                value=text(|m| &m.owner_unit) on_change=move |v| measure.update(|m| m.owner_unit = v) />
            <TextField form field="due" id="measure-due" label="measures.due" kind="date"
                value=text(|m| &m.due) on_input=move |v| measure.update(|m| m.due = v) />
            <CheckField form field="follow_up" id="measure-follow-up" label="measures.follow_up"
                checked=Signal::derive(move || measure.with(|m| m.follow_up))
                on_change=move |v| measure.update(|m| m.follow_up = v) />
        }
    });
    let progress = id.map(|id| view! { <Progress id cycle /> });
    view! {
        <Editor ids=EDITOR heading send=save.checked(move || measure.with_untracked(MeasureForm::to_input))
            fields=&FIELDS on_close=move || editing.set(None)>
            {admin_fields}
            <Select form field="status" id="measure-status" label="measures.status" options=statuses
                value=Signal::derive(move || measure.with(|m| m.status.as_str().to_owned()))
                on_change=move |v: String| measure.update(|m| m.status = MeasureStatus::parse(&v).unwrap_or(m.status)) />
            <TextField form field="percent" id="measure-percent" label="measures.percent" kind="number" min="0"
                value=text(|m| &m.percent) on_input=move |v| measure.update(|m| m.percent = v) />
        </Editor>
        {progress}
    }
}

/// A progress update, dated today by the server.
#[component]
fn Progress(id: i64, cycle: CycleResource) -> impl IntoView {
    let client = expect_context::<Client>();
    let form = FormState::new();
    let text = RwSignal::new(String::new());
    let send = Submit::new(
        form,
        |_| "measures.progress_added",
        move |input: ProgressInput| async move {
            let path = format!("/admin/measures/{id}/updates");
            client
                .send::<_, MeasureView>(Method::POST, &path, &input)
                .await
        },
        move |_, _| {
            text.set(String::new());
            cycle.refetch();
        },
    );
    let check = move || {
        let input = ProgressInput {
            text: text.get_untracked().trim().to_owned(),
        };
        input.validate().map(|()| input)
    };
    view! {
        <ActionForm heading="measures.progress" send=send.checked(check) label="measures.progress_add"
            testid="measure-progress-add" fields=&["text"] feedback="measure-progress">
            <TextField form field="text" id="measure-progress-text" label="measures.progress_text" multiline=true
                maxlength=600 value=text on_input=move |v| text.set(v) />
        </ActionForm>
    }
}
