//! Reference data (admins): categories with the unit each is routed to, units, districts,
//! rating tags and the month's topics (voting opened and closed), each listed with its
//! retired entries and edited in a form.

pub mod form;

use gloo_net::http::Method;
use leptos::prelude::*;
use omk_api::{AdminCategory, Entry, Topic};
use omk_web::choices::{Choice, ChoiceGroup, Look, Marked};
use serde::de::IgnoredAny;

use crate::client::{ApiError, Client};
use crate::feedback::FormState;
use crate::i18n::use_i18n;
use crate::kit::{
    CheckField, Column, EditBar, EditButton, Editor, EditorIds, Loaded, RowMarks, Select, Submit,
    Table, TextField, Units, unit_choices,
};
use crate::names::use_names;
use crate::screen::{ScreenHeading, focus_later, message};

use form::{EntryForm, Kind, Row, topic_rows};

/// The lists, as toggles.
const LISTS: Look = Look {
    marked: Marked::Pressed,
    class: "toggles",
    button_class: "toggle",
};

/// Loads a whole list as table rows.
async fn load(client: Client, kind: Kind) -> Result<Vec<Row>, ApiError> {
    let path = kind.list_path();
    Ok(match kind {
        Kind::Categories => client
            .get::<Vec<AdminCategory>>(&path)
            .await?
            .into_iter()
            .map(Row::from)
            .collect(),
        Kind::List(_) => client
            .get::<Vec<Entry>>(&path)
            .await?
            .into_iter()
            .map(Row::from)
            .collect(),
        Kind::Topics => topic_rows(client.get::<Vec<Topic>>(&path).await?),
    })
}

/// The reference data screen.
#[component]
pub fn ReferenceScreen() -> impl IntoView {
    let i18n = use_i18n();
    let kind = RwSignal::new(Kind::Categories);
    view! {
        <ScreenHeading text=message("reference.heading") />
        <ChoiceGroup chosen=kind look=LISTS label="reference.lists" t=move |key| i18n.t(key) />
        {move || view! { <ListPanel kind=kind.get() /> }}
    }
}

/// One list: its entries and the form for a new or changed one.
#[component]
fn ListPanel(
    /// Which list.
    kind: Kind,
) -> impl IntoView {
    let i18n = use_i18n();
    let client = expect_context::<Client>();
    let rows = LocalResource::new(move || load(client, kind));
    let editing = RwSignal::new(None::<EntryForm>);
    let notice = RwSignal::new(None::<String>);
    let start_new = move || editing.set(Some(EntryForm::new_entry()));
    let table = move |found: Vec<Row>| {
        view! {
            <Table caption=kind.label_key() columns=entry_columns(kind, editing) items=found
                rows=RowMarks::testid("reference-row").with_data("data-id", |r: &Row| r.id.clone()) />
        }
    };
    view! {
        <section aria-labelledby="list-heading" class="panel" data-testid=format!("reference-{}", kind.slug())>
            <h2 id="list-heading">{move || i18n.t(kind.label_key())}</h2>
            <EditBar notice notice_testid="reference-notice" new_label="reference.new" new_testid="reference-new" on_new=start_new />
            {move || editing.get().map(|draft| view! { <EntryEditor kind draft editing rows notice /> })}
            <Loaded resource=rows show=table />
        </section>
    }
}

/// A list's columns: id, both names, position, state, a category's unit or a topic's
/// votes, and the edit button.
fn entry_columns(kind: Kind, editing: RwSignal<Option<EntryForm>>) -> Vec<Column<Row>> {
    let i18n = use_i18n();
    let names = use_names();
    let is_topic = kind == Kind::Topics;
    let mut columns = vec![
        Column::new(
            "reference.id",
            |r: &Row| view! { <code>{r.id.clone()}</code> },
        ),
        Column::new("reference.name_zh", |r: &Row| r.name_zh.clone()).lang("zh-CN"),
        Column::new("reference.name_en", |r: &Row| r.name_en.clone()).lang("en"),
        Column::new("reference.position", |r: &Row| r.position),
        Column::new("reference.state", move |r: &Row| {
            let key = match (is_topic, r.flag) {
                (true, true) => "reference.is_open",
                (true, false) => "reference.is_closed",
                (false, true) => "reference.is_active",
                (false, false) => "reference.is_retired",
            };
            move || i18n.t(key)
        }),
    ];
    if kind == Kind::Categories {
        columns.push(Column::new("reference.unit", move |r: &Row| {
            let unit = r.unit.clone();
            move || match &unit {
                Some(unit) => names.get().unit(unit, i18n.lang()),
                None => i18n.t("issue.no_unit").to_owned(),
            }
        }));
    }
    if is_topic {
        columns.push(Column::new("reference.votes", |r: &Row| {
            r.votes.unwrap_or_default()
        }));
    }
    columns.push(Column::new("common.actions", move |r: &Row| {
        let stored = StoredValue::new(r.clone());
        let edit = move || {
            editing.set(Some(EntryForm::from_row(&stored.get_value())));
            focus_later("entry-name-zh");
        };
        view! { <EditButton testid="reference-edit" name=r.id.clone() on_click=edit /> }
    }));
    columns
}

/// The ids of the entry form.
const EDITOR: EditorIds = EditorIds {
    heading: "entry-form-heading",
    form: "reference-form",
    save: "reference-save",
    close: "reference-close",
};

/// The fields the entry form shows next to their inputs.
const FIELDS: [&str; 7] = [
    "id", "name_zh", "name_en", "title_zh", "title_en", "position", "unit",
];

/// The form for a new entry or a change to one.
#[component]
fn EntryEditor(
    kind: Kind,
    draft: EntryForm,
    editing: RwSignal<Option<EntryForm>>,
    rows: LocalResource<Result<Vec<Row>, ApiError>>,
    notice: RwSignal<Option<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let client = expect_context::<Client>();
    let names = use_names();
    let form = FormState::new();
    let is_new = draft.is_new;
    let stored_id = draft.id.clone();
    let entry = RwSignal::new(draft);
    let (name_zh_field, name_en_field) = kind.name_fields();
    // Each list takes its own input; all are checked the same way and sent as JSON.
    let check = move || {
        let current = entry.get_untracked();
        match kind {
            Kind::Categories => current
                .to_category_input()
                .and_then(|(id, input)| to_json(&input).map(|body| (id, body))),
            Kind::List(_) => current
                .to_entry_input()
                .and_then(|(id, input)| to_json(&input).map(|body| (id, body))),
            Kind::Topics => current
                .to_topic_input()
                .and_then(|(id, input)| to_json(&input).map(|body| (id, body))),
        }
    };
    let save = Submit::new(
        form,
        |_| "reference.saved",
        move |(id, body): (String, serde_json::Value)| async move {
            client
                .send::<_, IgnoredAny>(Method::PUT, &kind.entry_path(&id), &body)
                .await
        },
        move |(id, _), _| {
            notice.set(Some(i18n.format("reference.saved_one", &[("id", id)])));
            editing.set(None);
            rows.refetch();
            names.reload();
        },
    );
    let heading = Signal::derive(move || {
        if is_new {
            i18n.t("reference.new").to_owned()
        } else {
            i18n.format("reference.edit", &[("id", &stored_id)])
        }
    });
    let text = move |get: fn(&EntryForm) -> &String| {
        Signal::derive(move || entry.with(|e| get(e).clone()))
    };
    let unit_field = (kind == Kind::Categories).then(|| {
        view! {
            <Select form field="unit" id="entry-unit" label="reference.route_to" options=unit_choices(Units::ActiveBut(None))
                empty="issue.no_unit" value=text(|e| &e.unit) on_change=move |v| entry.update(|e| e.unit = v) />
        }
    });
    view! {
        <Editor ids=EDITOR heading send=save.checked(check) fields=&FIELDS on_close=move || editing.set(None) nested=true>
            {is_new.then(|| view! {
                <TextField form field="id" id="entry-id" label="reference.id" hint="reference.id_hint"
                    value=text(|e| &e.id) on_input=move |v| entry.update(|e| e.id = v) maxlength=32 />
            })}
            <TextField form field=name_zh_field id="entry-name-zh" label="reference.name_zh"
                value=text(|e| &e.name_zh) on_input=move |v| entry.update(|e| e.name_zh = v) />
            <TextField form field=name_en_field id="entry-name-en" label="reference.name_en"
                value=text(|e| &e.name_en) on_input=move |v| entry.update(|e| e.name_en = v) />
            <TextField form field="position" id="entry-position" label="reference.position" kind="number"
                value=text(|e| &e.position) on_input=move |v| entry.update(|e| e.position = v) />
            <CheckField form field="active" id="entry-flag" label=kind.flag_label_key()
                checked=Signal::derive(move || entry.with(|e| e.flag))
                on_change=move |v| entry.update(|e| e.flag = v) />
            {unit_field}
        </Editor>
    }
}

/// A body as JSON, so that the three inputs share one request.
fn to_json<T: serde::Serialize>(input: &T) -> Result<serde_json::Value, Vec<omk_api::FieldError>> {
    serde_json::to_value(input).map_err(|_| vec![omk_api::FieldError::new("", "invalid_value")])
}
