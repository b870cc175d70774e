//! The program (admins): the open-month events with their seats, a form to add or change
//! one (times in Beijing time), cancelling after a confirmation, and importing a CSV or
//! JSON file, whose refusals name their lines.

pub mod form;

use gloo_net::http::Method;
use leptos::prelude::*;
use leptos::task::spawn_local;
use omk_api::{Entry, Event, EventPage, FieldError, ImportReport};

use crate::client::{ApiError, Client};
use crate::feedback::{FieldMessage, FormFeedback, FormState, LoadError};
use crate::fields::{CheckField, TextField};
use crate::format::{date_time, now};
use crate::i18n::use_i18n;
use crate::names::use_names;
use crate::screen::{HEADING_ID, focus_later};
use crate::table::{Pager, Pages};

use form::{EventForm, FIELDS, ProgramFilter, field_label, import_content_type, import_path};

/// What the form is editing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Editing {
    New,
    Event(i64),
}

/// The program screen.
#[component]
pub fn ProgramScreen() -> impl IntoView {
    let i18n = use_i18n();
    let client = expect_context::<Client>();
    let page = RwSignal::new(1u32);
    let filter = RwSignal::new(ProgramFilter::default());
    let events = LocalResource::new(move || {
        let query = filter.with(|f| f.query(page.get(), now()));
        let path = format!("/events?{}", query.to_query_string());
        async move { client.get::<EventPage>(&path).await }
    });
    let editing = RwSignal::new(None::<Editing>);
    let draft = RwSignal::new(EventForm::default());
    let notice = RwSignal::new(None::<String>);
    let start_new = move |_| {
        draft.set(EventForm::default());
        editing.set(Some(Editing::New));
        focus_later("event-title");
    };
    let list = move || {
        events.get().map(|result| match result {
            Ok(found) => {
                let pages = Pages {
                    page: page.get_untracked(),
                    per_page: ProgramFilter::PER_PAGE,
                    total: found.total,
                };
                view! { <EventTable found pages page editing draft events notice /> }.into_any()
            }
            Err(error) => view! { <LoadError error /> }.into_any(),
        })
    };
    view! {
        <h1 id=HEADING_ID tabindex="-1">{move || i18n.t("program.heading")}</h1>
        <p class="status" role="status" data-testid="program-notice">{move || notice.get()}</p>
        <p>
            <button type="button" class="primary" on:click=start_new data-testid="event-new">
                {move || i18n.t("program.new")}
            </button>
        </p>
        {move || editing.get().map(|target| view! { <EventEditor target draft editing events notice /> })}
        <section aria-labelledby="events-heading" class="panel">
            <h2 id="events-heading">{move || i18n.t("program.events")}</h2>
            <ProgramFilters filter page />
            <Transition fallback=move || view! { <p role="status">{move || i18n.t("common.loading")}</p> }>
                {list}
            </Transition>
        </section>
        <ImportPanel events />
    }
}

/// The search over the program, applied on submit, and whether past events show.
#[component]
fn ProgramFilters(filter: RwSignal<ProgramFilter>, page: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let q = RwSignal::new(String::new());
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        filter.update(|f| f.q = q.get_untracked());
        page.set(1);
    };
    let on_past = move |ev: leptos::ev::Event| {
        let past = event_target_checked(&ev);
        filter.update(|f| f.past = past);
        page.set(1);
    };
    view! {
        <form class="filters" role="search" aria-label=move || i18n.t("program.search_label") on:submit=on_submit>
            <div class="field">
                <label for="program-q">{move || i18n.t("program.search")}</label>
                <input id="program-q" type="search" autocomplete="off" prop:value=move || q.get()
                    on:input=move |ev| q.set(event_target_value(&ev)) data-testid="program-search" />
            </div>
            <div class="field check">
                <input id="program-past" type="checkbox" prop:checked=move || filter.with(|f| f.past)
                    on:change=on_past data-testid="program-past" />
                <label for="program-past">{move || i18n.t("program.include_past")}</label>
            </div>
            <button type="submit" class="primary" data-testid="program-search-apply">{move || i18n.t("program.search_apply")}</button>
        </form>
    }
}

/// The events of one page, each with its edit and cancel buttons.
#[component]
fn EventTable(
    found: EventPage,
    pages: Pages,
    page: RwSignal<u32>,
    editing: RwSignal<Option<Editing>>,
    draft: RwSignal<EventForm>,
    events: LocalResource<Result<EventPage, ApiError>>,
    notice: RwSignal<Option<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    if found.items.is_empty() {
        return view! { <p data-testid="program-empty">{move || i18n.t("program.empty")}</p> }
            .into_any();
    }
    let rows = found
        .items
        .into_iter()
        .map(|event| view! { <EventRow event editing draft events notice /> })
        .collect_view();
    view! {
        <div class="table-wrap">
            <table class="data">
                <caption class="visually-hidden">{move || i18n.t("program.events")}</caption>
                <thead>
                    <tr>
                        <th scope="col">{move || i18n.t("event.title")}</th>
                        <th scope="col">{move || i18n.t("event.time")}</th>
                        <th scope="col">{move || i18n.t("event.unit")}</th>
                        <th scope="col">{move || i18n.t("event.district")}</th>
                        <th scope="col">{move || i18n.t("event.seats")}</th>
                        <th scope="col">{move || i18n.t("common.actions")}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        <Pager pages page testid="program" />
    }
    .into_any()
}

/// One event, with a confirmation before it is cancelled.
#[component]
fn EventRow(
    event: Event,
    editing: RwSignal<Option<Editing>>,
    draft: RwSignal<EventForm>,
    events: LocalResource<Result<EventPage, ApiError>>,
    notice: RwSignal<Option<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let client = expect_context::<Client>();
    let confirming = RwSignal::new(false);
    let form = FormState::new();
    let id = event.id;
    let title = event.title.clone();
    let stored = StoredValue::new(event.clone());
    let edit = move |_| {
        draft.set(EventForm::from_event(&stored.get_value()));
        editing.set(Some(Editing::Event(id)));
        focus_later("event-title");
    };
    let ask = move |_| {
        confirming.set(true);
        focus_later(format!("event-cancel-keep-{id}"));
    };
    let keep = move |_| {
        confirming.set(false);
        focus_later(format!("event-cancel-open-{id}"));
    };
    let cancel = move |_| {
        form.start();
        let path = format!("/admin/events/{id}");
        let title = stored.with_value(|e| e.title.clone());
        spawn_local(async move {
            let result = client.send_no_content(Method::DELETE, &path).await;
            form.finish(&result, "program.cancelled");
            if result.is_ok() {
                notice.set(Some(
                    i18n.format("program.cancelled_one", &[("title", &title)]),
                ));
                if editing.get_untracked() == Some(Editing::Event(id)) {
                    editing.set(None);
                }
                events.refetch();
                crate::screen::focus_heading();
            }
        });
    };
    let seats = if event.registration {
        format!("{} / {}", event.registered, event.capacity)
    } else {
        String::new()
    };
    let registration = event.registration;
    let question_title = title.clone();
    view! {
        <tr data-testid="event-row" data-event-id=id>
            <th scope="row">{title.clone()}</th>
            <td>{date_time(event.starts_at)}" – "{date_time(event.ends_at)}</td>
            <td>{event.unit}</td>
            <td>{event.district}</td>
            <td>
                {if registration {
                    seats.into_any()
                } else {
                    (move || i18n.t("event.no_registration")).into_any()
                }}
            </td>
            <td>
                <div class="buttons">
                    <button type="button" class="secondary" on:click=edit data-testid="event-edit">
                        {move || i18n.t("common.edit")}
                        <span class="visually-hidden">" "{title.clone()}</span>
                    </button>
                    {move || (!confirming.get()).then(|| view! {
                        <button type="button" class="danger" id=format!("event-cancel-open-{id}") on:click=ask data-testid="event-cancel">
                            {move || i18n.t("program.cancel")}
                            <span class="visually-hidden">" "{title.clone()}</span>
                        </button>
                    })}
                </div>
                {move || confirming.get().then(|| {
                    let question = i18n.format("program.cancel_question", &[("title", &question_title)]);
                    view! {
                        <div class="confirm" role="group" aria-label=question.clone() data-testid="event-cancel-confirmation">
                            <p>{question.clone()}</p>
                            <div class="buttons">
                                <button type="button" class="danger" on:click=cancel disabled=move || form.busy.get() data-testid="event-cancel-confirm">
                                    {move || i18n.t("program.cancel_confirm")}
                                </button>
                                <button type="button" class="secondary" id=format!("event-cancel-keep-{id}") on:click=keep data-testid="event-cancel-keep">
                                    {move || i18n.t("program.cancel_keep")}
                                </button>
                            </div>
                            <FormFeedback form fields=&[] testid="event-cancel" />
                        </div>
                    }
                })}
            </td>
        </tr>
    }
}

/// The form for a new event or a change to one.
#[component]
fn EventEditor(
    target: Editing,
    draft: RwSignal<EventForm>,
    editing: RwSignal<Option<Editing>>,
    events: LocalResource<Result<EventPage, ApiError>>,
    notice: RwSignal<Option<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let client = expect_context::<Client>();
    let names = use_names();
    let form = FormState::new();
    let districts = LocalResource::new(move || async move {
        client
            .get::<Vec<Entry>>("/admin/districts")
            .await
            .unwrap_or_default()
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = match draft.with_untracked(EventForm::to_input) {
            Ok(input) => input,
            Err(errors) => {
                form.invalid(errors);
                return;
            }
        };
        form.start();
        spawn_local(async move {
            let result = match target {
                Editing::New => {
                    client
                        .send::<_, Event>(Method::POST, "/admin/events", &input)
                        .await
                }
                Editing::Event(id) => {
                    client
                        .send::<_, Event>(Method::PUT, &format!("/admin/events/{id}"), &input)
                        .await
                }
            };
            form.finish(&result, "program.saved");
            if let Ok(event) = result {
                notice.set(Some(
                    i18n.format("program.saved_one", &[("title", &event.title)]),
                ));
                editing.set(None);
                events.refetch();
                crate::screen::focus_heading();
            }
        });
    };
    let close = move |_| editing.set(None);
    let heading = move || match target {
        Editing::New => i18n.t("program.new").to_owned(),
        Editing::Event(_) => i18n.format(
            "program.edit",
            &[("title", &draft.with(|d| d.title.clone()))],
        ),
    };
    let text =
        |get: fn(&EventForm) -> &String| Signal::derive(move || draft.with(|d| get(d).clone()));
    let unit_options = move || {
        names
            .get()
            .active_units()
            .into_iter()
            .map(|u| view! { <option value=u.name_zh.clone()></option> })
            .collect_view()
    };
    let district_options = move || {
        districts
            .get()
            .unwrap_or_default()
            .into_iter()
            .filter(|d| d.active)
            .map(|d| view! { <option value=d.name_zh.clone()></option> })
            .collect_view()
    };
    view! {
        <section aria-labelledby="event-form-heading" class="panel editor">
            <h2 id="event-form-heading">{heading}</h2>
            <form class="form" on:submit=on_submit novalidate data-testid="event-form">
                <TextField form field="title" id="event-title" label="event.title" value=text(|d| &d.title)
                    on_input=move |v| draft.update(|d| d.title = v) maxlength=200 />
                <TextField form field="unit" id="event-unit" label="event.unit" value=text(|d| &d.unit)
                    on_input=move |v| draft.update(|d| d.unit = v) list="event-unit-list" maxlength=200 />
                <datalist id="event-unit-list">{unit_options}</datalist>
                <TextField form field="district" id="event-district" label="event.district" value=text(|d| &d.district)
                    on_input=move |v| draft.update(|d| d.district = v) list="event-district-list" maxlength=200 />
                <datalist id="event-district-list">{district_options}</datalist>
                <TextField form field="theme" id="event-theme" label="event.theme" value=text(|d| &d.theme)
                    on_input=move |v| draft.update(|d| d.theme = v) maxlength=200 />
                <TextField form field="place" id="event-place" label="event.place" value=text(|d| &d.place)
                    on_input=move |v| draft.update(|d| d.place = v) maxlength=200 />
                <TextField form field="starts_at" id="event-starts" label="event.starts_at" kind="datetime-local"
                    hint="event.time_hint" value=text(|d| &d.starts_at) on_input=move |v| draft.update(|d| d.starts_at = v) />
                <TextField form field="ends_at" id="event-ends" label="event.ends_at" kind="datetime-local"
                    hint="event.time_hint" value=text(|d| &d.ends_at) on_input=move |v| draft.update(|d| d.ends_at = v) />
                <TextField form field="capacity" id="event-capacity" label="event.capacity" kind="number"
                    value=text(|d| &d.capacity) on_input=move |v| draft.update(|d| d.capacity = v) />
                <CheckField form field="registration" id="event-registration" label="event.registration"
                    checked=Signal::derive(move || draft.with(|d| d.registration))
                    on_change=move |v| draft.update(|d| d.registration = v) />
                <TextField form field="summary" id="event-summary" label="event.summary" multiline=true
                    value=text(|d| &d.summary) on_input=move |v| draft.update(|d| d.summary = v) maxlength=2000 />
                <FormFeedback form fields=&FIELDS testid="event-save" field_label=field_label />
                <div class="buttons">
                    <button type="submit" class="primary" disabled=move || form.busy.get() data-testid="event-save">
                        {move || i18n.t("common.save")}
                    </button>
                    <button type="button" class="secondary" on:click=close data-testid="event-form-close">
                        {move || i18n.t("common.close")}
                    </button>
                </div>
            </form>
        </section>
    }
}

/// Importing a program file: all of it or, when a line is wrong, none of it.
#[component]
fn ImportPanel(events: LocalResource<Result<EventPage, ApiError>>) -> impl IntoView {
    let i18n = use_i18n();
    let client = expect_context::<Client>();
    let form = FormState::new();
    let replace = RwSignal::new(false);
    let file_input = NodeRef::<leptos::html::Input>::new();
    let report = RwSignal::new(None::<ImportReport>);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        report.set(None);
        let file = file_input
            .get_untracked()
            .and_then(|input| input.files())
            .and_then(|files| files.get(0));
        let Some(file) = file else {
            form.invalid(vec![FieldError::new("file", "required")]);
            return;
        };
        let content_type = match import_content_type(&file.name()) {
            Ok(content_type) => content_type,
            Err(error) => {
                form.invalid(vec![error]);
                return;
            }
        };
        form.start();
        let path = import_path(replace.get_untracked());
        spawn_local(async move {
            let result = client
                .upload::<ImportReport>(path, file.into(), content_type)
                .await;
            form.finish(&result, "program.imported");
            if let Ok(done) = result {
                // The report below says it all, once.
                form.done.set(None);
                report.set(Some(done));
                events.refetch();
            }
        });
    };
    view! {
        <section aria-labelledby="import-heading" class="panel">
            <h2 id="import-heading">{move || i18n.t("program.import_heading")}</h2>
            <p class="hint" id="import-file-hint">{move || i18n.t("program.import_hint")}</p>
            <form class="form" on:submit=on_submit novalidate>
                <div class="field">
                    <label for="import-file">{move || i18n.t("program.import_file")}</label>
                    <input
                        id="import-file"
                        type="file"
                        accept=".csv,.json,text/csv,application/json"
                        node_ref=file_input
                        aria-invalid=move || form.invalid_attr("file")
                        aria-describedby=move || {
                            let error = form.described_by("file", "import-file");
                            Some(match error {
                                Some(error) => format!("import-file-hint {error}"),
                                None => "import-file-hint".to_owned(),
                            })
                        }
                        data-testid="import-file"
                    />
                    <FieldMessage form field="file" input_id="import-file" />
                </div>
                <CheckField form field="replace" id="import-replace" label="program.import_replace"
                    checked=replace on_change=move |v| replace.set(v) />
                <FormFeedback form fields=&["file"] testid="import" field_label=field_label />
                <p class="status" role="status" data-testid="import-result">
                    {move || report.get().map(|done| i18n.format(
                        "program.import_report",
                        &[("imported", &done.imported.to_string()), ("cancelled", &done.cancelled.to_string())],
                    ))}
                </p>
                <button type="submit" class="primary" disabled=move || form.busy.get() data-testid="import-submit">
                    {move || i18n.t("program.import_submit")}
                </button>
            </form>
        </section>
    }
}
