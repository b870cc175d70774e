//! The program (admins): the open-month events with their seats, a form to add or change
//! one (times in Beijing time), cancelling after a confirmation, and importing a CSV or
//! JSON file, whose refusals name their lines.

pub mod form;

use gloo_net::http::Method;
use leptos::prelude::*;
use omk_api::{Entry, Event, EventInput, EventPage, FieldError, ImportReport};

use crate::client::{ApiError, Client};
use crate::feedback::{FieldMessage, FormFeedback, FormState};
use crate::format::{date_time, now};
use crate::i18n::use_i18n;
use crate::kit::{
    CheckField, Column, EditBar, Editor, EditorIds, Empty, Loaded, Paging, RowMarks, Submit, Table,
    TextField,
};
use crate::names::use_names;
use crate::screen::{ScreenHeading, focus_heading, focus_later, message};

use form::{EventForm, ProgramFilter, field_label, import_content_type, import_path};

/// What the form is editing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Editing {
    New,
    Event(i64),
}

/// What the screen's parts share: the list, the editor's target and draft, the notice.
#[derive(Clone, Copy)]
struct Program {
    events: LocalResource<Result<EventPage, ApiError>>,
    editing: RwSignal<Option<Editing>>,
    draft: RwSignal<EventForm>,
    notice: RwSignal<Option<String>>,
}

impl Program {
    /// Opens the editor on `target`, filled with `draft`.
    fn edit(self, target: Editing, draft: EventForm) {
        self.draft.set(draft);
        self.editing.set(Some(target));
        focus_later("event-title");
    }

    /// After a change: says what happened, reloads the list, and puts focus on the heading.
    fn changed(self, notice: String) {
        self.notice.set(Some(notice));
        self.events.refetch();
        focus_heading();
    }
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
    let program = Program {
        events,
        editing: RwSignal::new(None),
        draft: RwSignal::new(EventForm::default()),
        notice: RwSignal::new(None),
    };
    let list = move |found: EventPage| {
        let paging = Paging::new(page, ProgramFilter::PER_PAGE, found.total, "program");
        view! {
            <Table caption="program.events" columns=event_columns(program) items=found.items
                rows=RowMarks::testid("event-row").with_data("data-event-id", |e: &Event| e.id.to_string())
                empty=Empty { key: "program.empty", testid: "program-empty" } paging />
        }
    };
    view! {
        <ScreenHeading text=message("program.heading") />
        <EditBar notice=program.notice notice_testid="program-notice" new_label="program.new" new_testid="event-new"
            on_new=move || program.edit(Editing::New, EventForm::default()) />
        {move || program.editing.get().map(|target| view! { <EventEditor target program /> })}
        <section aria-labelledby="events-heading" class="panel">
            <h2 id="events-heading">{move || i18n.t("program.events")}</h2>
            <ProgramFilters filter page />
            <Loaded resource=events show=list />
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
    view! {
        <form class="filters" role="search" aria-label=move || i18n.t("program.search_label") on:submit=on_submit>
            <TextField id="program-q" testid="program-search" label="program.search" kind="search"
                value=q on_input=move |v| q.set(v) />
            <CheckField id="program-past" label="program.include_past"
                checked=Signal::derive(move || filter.with(|f| f.past))
                on_change=move |past| {
                    filter.update(|f| f.past = past);
                    page.set(1);
                } />
            <button type="submit" class="primary" data-testid="program-search-apply">{move || i18n.t("program.search_apply")}</button>
        </form>
    }
}

/// The events' columns: title, time, unit, district, seats, and the edit and cancel buttons.
fn event_columns(program: Program) -> Vec<Column<Event>> {
    let i18n = use_i18n();
    vec![
        Column::new("event.title", |e: &Event| e.title.clone()),
        Column::new("event.time", |e: &Event| {
            format!("{} – {}", date_time(e.starts_at), date_time(e.ends_at))
        }),
        Column::new("event.unit", |e: &Event| e.unit.clone()),
        Column::new("event.district", |e: &Event| e.district.clone()),
        Column::new("event.seats", move |e: &Event| {
            let seats = format!("{} / {}", e.registered, e.capacity);
            let registration = e.registration;
            move || {
                if registration {
                    seats.clone()
                } else {
                    i18n.t("event.no_registration").to_owned()
                }
            }
        }),
        Column::new("common.actions", move |e: &Event| {
            view! { <EventActions event=e.clone() program /> }
        }),
    ]
}

/// An event's buttons: edit, and cancel after a confirmation.
#[component]
fn EventActions(event: Event, program: Program) -> impl IntoView {
    let i18n = use_i18n();
    let client = expect_context::<Client>();
    let confirming = RwSignal::new(false);
    let id = event.id;
    let title = event.title.clone();
    let stored = StoredValue::new(event);
    let cancel = Submit::new(
        FormState::new(),
        |_| "program.cancelled",
        move |path: String| async move { client.send_no_content(Method::DELETE, &path).await },
        move |_, _| {
            let title = stored.with_value(|e| e.title.clone());
            if program.editing.get_untracked() == Some(Editing::Event(id)) {
                program.editing.set(None);
            }
            program.changed(i18n.format("program.cancelled_one", &[("title", &title)]));
        },
    );
    let form = cancel.form();
    let edit = move |_| {
        program.edit(
            Editing::Event(id),
            EventForm::from_event(&stored.get_value()),
        )
    };
    let ask = move |_| {
        confirming.set(true);
        focus_later(format!("event-cancel-keep-{id}"));
    };
    let keep = move |_| {
        confirming.set(false);
        focus_later(format!("event-cancel-open-{id}"));
    };
    let question_title = title.clone();
    let edit_title = title.clone();
    view! {
        <div class="buttons">
            <button type="button" class="secondary" on:click=edit data-testid="event-edit">
                {move || i18n.t("common.edit")}
                <span class="visually-hidden">" "{edit_title}</span>
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
                        <button type="button" class="danger" on:click=move |_| cancel.run(Ok(format!("/admin/events/{id}")))
                            disabled=move || cancel.busy() data-testid="event-cancel-confirm">
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
    }
}

/// The ids of the event form.
const EDITOR: EditorIds = EditorIds {
    heading: "event-form-heading",
    form: "event-form",
    save: "event-save",
    close: "event-form-close",
};

/// The form for a new event or a change to one.
#[component]
fn EventEditor(target: Editing, program: Program) -> impl IntoView {
    let i18n = use_i18n();
    let client = expect_context::<Client>();
    let names = use_names();
    let form = FormState::new();
    let draft = program.draft;
    let districts = LocalResource::new(move || async move {
        client
            .get::<Vec<Entry>>("/admin/districts")
            .await
            .unwrap_or_default()
    });
    let save = Submit::new(
        form,
        |_| "program.saved",
        move |input: EventInput| async move {
            match target {
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
            }
        },
        move |_, event: &Event| {
            program.editing.set(None);
            program.changed(i18n.format("program.saved_one", &[("title", &event.title)]));
        },
    );
    let heading = Signal::derive(move || match target {
        Editing::New => i18n.t("program.new").to_owned(),
        Editing::Event(_) => i18n.format(
            "program.edit",
            &[("title", &draft.with(|d| d.title.clone()))],
        ),
    });
    let text = move |get: fn(&EventForm) -> &String| {
        Signal::derive(move || draft.with(|d| get(d).clone()))
    };
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
        <Editor ids=EDITOR heading send=save.checked(move || draft.with_untracked(EventForm::to_input))
            fields=&EventInput::FIELDS field_label=field_label on_close=move || program.editing.set(None)>
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
        </Editor>
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
    let import = Submit::new(
        form,
        |_| "program.imported",
        move |(file, content_type): (web_sys::File, &'static str)| async move {
            let path = import_path(replace.get_untracked());
            client
                .upload::<ImportReport>(path, file.into(), content_type)
                .await
        },
        move |_, done: &ImportReport| {
            // The report below says it all, once.
            form.done.set(None);
            report.set(Some(done.clone()));
            events.refetch();
        },
    );
    let chosen = move || {
        let file = file_input
            .get_untracked()
            .and_then(|input| input.files())
            .and_then(|files| files.get(0))
            .ok_or_else(|| vec![FieldError::new("file", "required")])?;
        let content_type = import_content_type(&file.name()).map_err(|error| vec![error])?;
        Ok((file, content_type))
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        report.set(None);
        import.run(chosen());
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
                <button type="submit" class="primary" disabled=move || import.busy() data-testid="import-submit">
                    {move || i18n.t("program.import_submit")}
                </button>
            </form>
        </section>
    }
}
