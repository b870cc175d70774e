//! Reference data (admins): categories with the unit each is routed to, units, districts,
//! rating tags and the month's topics (voting opened and closed), each listed with its
//! retired entries and edited in a form.

pub mod form;

use gloo_net::http::Method;
use leptos::prelude::*;
use leptos::task::spawn_local;
use omk_api::{AdminCategory, Entry, Topic};
use serde::de::IgnoredAny;

use crate::client::{ApiError, Client};
use crate::feedback::{FormFeedback, FormState, LoadError};
use crate::fields::{CheckField, TextField};
use crate::i18n::use_i18n;
use crate::names::use_names;
use crate::screen::HEADING_ID;

use form::{EntryForm, Kind, Row, topic_rows};

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
    let tabs = Kind::ALL
        .into_iter()
        .map(|k| {
            view! {
                <button
                    type="button"
                    class="toggle"
                    aria-pressed=move || if kind.get() == k { "true" } else { "false" }
                    on:click=move |_| kind.set(k)
                    data-testid=format!("reference-kind-{}", k.slug())
                >
                    {move || i18n.t(k.label_key())}
                </button>
            }
        })
        .collect_view();
    view! {
        <h1 id=HEADING_ID tabindex="-1">{move || i18n.t("reference.heading")}</h1>
        <div class="toggles" role="group" aria-label=move || i18n.t("reference.lists")>{tabs}</div>
        {move || {
            let k = kind.get();
            view! { <ListPanel kind=k /> }
        }}
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
    let start_new = move |_| editing.set(Some(EntryForm::new_entry()));
    let table = move || {
        rows.get().map(|result| match result {
            Ok(found) => view! { <EntryTable kind found editing /> }.into_any(),
            Err(error) => view! { <LoadError error /> }.into_any(),
        })
    };
    view! {
        <section aria-labelledby="list-heading" class="panel" data-testid=format!("reference-{}", kind.slug())>
            <h2 id="list-heading">{move || i18n.t(kind.label_key())}</h2>
            <p class="status" role="status" data-testid="reference-notice">{move || notice.get()}</p>
            <p>
                <button type="button" class="primary" on:click=start_new data-testid="reference-new">
                    {move || i18n.t("reference.new")}
                </button>
            </p>
            {move || editing.get().map(|draft| view! { <EntryEditor kind draft editing rows notice /> })}
            <Transition fallback=move || view! { <p role="status">{move || i18n.t("common.loading")}</p> }>
                {table}
            </Transition>
        </section>
    }
}

/// The entries of a list.
#[component]
fn EntryTable(kind: Kind, found: Vec<Row>, editing: RwSignal<Option<EntryForm>>) -> impl IntoView {
    let i18n = use_i18n();
    let names = use_names();
    let is_category = kind == Kind::Categories;
    let is_topic = kind == Kind::Topics;
    let rows = found
        .into_iter()
        .map(|row| {
            let stored = StoredValue::new(row.clone());
            let edit = move |_| {
                editing.set(Some(EntryForm::from_row(&stored.get_value())));
                crate::screen::focus_later("entry-name-zh");
            };
            let flag = row.flag;
            let flag_text = move || match (is_topic, flag) {
                (true, true) => i18n.t("reference.is_open"),
                (true, false) => i18n.t("reference.is_closed"),
                (false, true) => i18n.t("reference.is_active"),
                (false, false) => i18n.t("reference.is_retired"),
            };
            let unit = row.unit.clone();
            let unit_name = move || match &unit {
                Some(unit) => names.get().unit(unit, i18n.lang()),
                None => i18n.t("issue.no_unit").to_owned(),
            };
            let id = row.id.clone();
            view! {
                <tr data-testid="reference-row" data-id=row.id.clone()>
                    <th scope="row"><code>{row.id.clone()}</code></th>
                    <td lang="zh-CN">{row.name_zh.clone()}</td>
                    <td lang="en">{row.name_en.clone()}</td>
                    <td>{row.position}</td>
                    <td>{flag_text}</td>
                    {is_category.then(|| view! { <td>{unit_name}</td> })}
                    {is_topic.then(|| view! { <td>{row.votes.unwrap_or_default()}</td> })}
                    <td>
                        <button type="button" class="secondary" on:click=edit data-testid="reference-edit">
                            {move || i18n.t("common.edit")}
                            <span class="visually-hidden">" "{id.clone()}</span>
                        </button>
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap">
            <table class="data">
                <caption class="visually-hidden">{move || i18n.t(kind.label_key())}</caption>
                <thead>
                    <tr>
                        <th scope="col">{move || i18n.t("reference.id")}</th>
                        <th scope="col">{move || i18n.t("reference.name_zh")}</th>
                        <th scope="col">{move || i18n.t("reference.name_en")}</th>
                        <th scope="col">{move || i18n.t("reference.position")}</th>
                        <th scope="col">{move || i18n.t("reference.state")}</th>
                        {is_category.then(|| view! { <th scope="col">{move || i18n.t("reference.unit")}</th> })}
                        {is_topic.then(|| view! { <th scope="col">{move || i18n.t("reference.votes")}</th> })}
                        <th scope="col">{move || i18n.t("common.actions")}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

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
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let current = entry.get_untracked();
        // Each list takes its own input; all are checked the same way.
        let checked = match kind {
            Kind::Categories => current
                .to_category_input()
                .and_then(|(id, input)| to_json(&input).map(|body| (id, body))),
            Kind::List(_) => current
                .to_entry_input()
                .and_then(|(id, input)| to_json(&input).map(|body| (id, body))),
            Kind::Topics => current
                .to_topic_input()
                .and_then(|(id, input)| to_json(&input).map(|body| (id, body))),
        };
        let (id, body) = match checked {
            Ok(found) => found,
            Err(errors) => {
                form.invalid(errors);
                return;
            }
        };
        form.start();
        let path = kind.entry_path(&id);
        spawn_local(async move {
            let result = client
                .send::<_, IgnoredAny>(Method::PUT, &path, &body)
                .await;
            form.finish(&result, "reference.saved");
            if result.is_ok() {
                notice.set(Some(i18n.format("reference.saved_one", &[("id", &id)])));
                editing.set(None);
                rows.refetch();
                names.reload();
            }
        });
    };
    let close = move |_| editing.set(None);
    let heading = move || {
        if is_new {
            i18n.t("reference.new").to_owned()
        } else {
            i18n.format("reference.edit", &[("id", &stored_id)])
        }
    };
    let text =
        |get: fn(&EntryForm) -> &String| Signal::derive(move || entry.with(|e| get(e).clone()));
    let unit_field = (kind == Kind::Categories).then(|| {
        let options = move || {
            let lang = i18n.lang();
            names
                .get()
                .active_units()
                .into_iter()
                .map(|u| {
                    let id = u.id.clone();
                    let selected = move || entry.with(|e| e.unit == id);
                    view! { <option value=u.id.clone() selected=selected>{u.name(lang).to_owned()}</option> }
                })
                .collect_view()
        };
        view! {
            <div class="field">
                <label for="entry-unit">{move || i18n.t("reference.route_to")}</label>
                <select
                    id="entry-unit"
                    on:change=move |ev| entry.update(|e| e.unit = event_target_value(&ev))
                    aria-invalid=move || form.invalid_attr("unit")
                    aria-describedby=move || form.described_by("unit", "entry-unit")
                    data-testid="entry-unit"
                >
                    <option value="" selected=move || entry.with(|e| e.unit.is_empty())>{move || i18n.t("issue.no_unit")}</option>
                    {options}
                </select>
                <crate::feedback::FieldMessage form field="unit" input_id="entry-unit" />
            </div>
        }
    });
    view! {
        <section aria-labelledby="entry-form-heading" class="editor">
            <h3 id="entry-form-heading">{heading}</h3>
            <form class="form" on:submit=on_submit novalidate data-testid="reference-form">
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
                <FormFeedback form fields=&["id", "name_zh", "name_en", "title_zh", "title_en", "position", "unit"] testid="reference-save" />
                <div class="buttons">
                    <button type="submit" class="primary" disabled=move || form.busy.get() data-testid="reference-save">
                        {move || i18n.t("common.save")}
                    </button>
                    <button type="button" class="secondary" on:click=close data-testid="reference-close">
                        {move || i18n.t("common.close")}
                    </button>
                </div>
            </form>
        </section>
    }
}

/// A body as JSON, so that the three inputs share one request.
fn to_json<T: serde::Serialize>(input: &T) -> Result<serde_json::Value, Vec<omk_api::FieldError>> {
    serde_json::to_value(input).map_err(|_| vec![omk_api::FieldError::new("", "invalid_value")])
}
