//! The meeting and what follows it: attaching the meeting (an event and its invited seats),
//! checking attendees in by code, reading the attendees' opinions (admins and supervisors;
//! each read is audited), and entering the decision.

use gloo_net::http::Method;
use leptos::prelude::*;
use omk_api::cycle::Month;
use omk_api::outcome::{
    CheckIn, CheckInReceipt, Decision, DecisionInput, MeetingInput, MeetingView, Opinion,
};

use crate::client::Client;
use crate::feedback::{FormFeedback, FormState};
use crate::format::date_time;
use crate::i18n::use_i18n;
use crate::kit::{
    ActionForm, Column, Empty, RowMarks, Select, Submit, Table, TextField, Units, unit_choices,
};
use crate::names::use_names;

use super::CycleResource;
use super::meeting_form::{check_in, decision_input, meeting_input};

/// The meeting and the decision as they stand, and the forms the operator may use.
#[component]
pub fn MeetingPanel(
    month: Month,
    meeting: Option<MeetingView>,
    decision: Option<Decision>,
    /// Whether the operator runs the cycle (admins).
    runs: bool,
    /// Whether the operator reads the opinions (admins, supervisors).
    reads_opinions: bool,
    cycle: CycleResource,
) -> impl IntoView {
    let i18n = use_i18n();
    let names = use_names();
    let facts = meeting.clone().map(|m| {
        view! {
            <dl class="facts" data-testid="meeting-facts">
                <dt>{move || i18n.t("meeting.event")}</dt>
                <dd>{m.title.clone()}" · "{m.place.clone()}" · "{date_time(m.starts_at)}</dd>
                <dt>{move || i18n.t("meeting.seats")}</dt>
                <dd>{move || i18n.format("meeting.seats_text", &[
                    ("taken", &m.public_taken.to_string()),
                    ("total", &m.public_total.to_string()),
                    ("invited", &m.invited_total.to_string()),
                    ("waitlist", &m.waitlist.to_string()),
                ])}</dd>
            </dl>
        }
    });
    let decided = decision.clone().map(|d| {
        let unit = d.lead_unit.clone();
        view! {
            <dl class="facts" data-testid="decision-facts">
                <dt>{move || i18n.t("decision.summary_zh")}</dt>
                <dd lang="zh-CN">{d.summary_zh.clone()}</dd>
                <dt>{move || i18n.t("decision.summary_en")}</dt>
                <dd lang="en">{d.summary_en.clone()}</dd>
                <dt>{move || i18n.t("decision.lead_unit")}</dt>
                <dd>{move || names.get().unit(&unit, i18n.lang())}</dd>
            </dl>
        }
    });
    let forms = runs.then(|| {
        view! {
            <MeetingForm month meeting=meeting.clone() cycle />
            <CheckInForm />
            <DecisionForm month decision cycle />
        }
    });
    view! {
        <section aria-labelledby="meeting-heading" class="panel">
            <h2 id="meeting-heading">{move || i18n.t("meeting.heading")}</h2>
            {facts}
            {decided}
            {forms}
            {reads_opinions.then(|| view! { <Opinions month /> })}
        </section>
    }
}

/// Attaches the meeting: an event that takes registrations, and its invited seats.
#[component]
fn MeetingForm(month: Month, meeting: Option<MeetingView>, cycle: CycleResource) -> impl IntoView {
    let client = expect_context::<Client>();
    let form = FormState::new();
    let event = RwSignal::new(
        meeting
            .as_ref()
            .map(|m| m.event.to_string())
            .unwrap_or_default(),
    );
    let invited = RwSignal::new(
        meeting
            .as_ref()
            .map(|m| m.invited_total.to_string())
            .unwrap_or_else(|| "0".to_owned()),
    );
    let send = Submit::new(
        form,
        |_| "meeting.saved",
        move |input: MeetingInput| async move {
            let path = format!("/admin/cycles/{month}/meeting");
            client
                .send::<_, MeetingView>(Method::PUT, &path, &input)
                .await
        },
        move |_, _| cycle.refetch(),
    );
    let check = move || meeting_input(&event.get_untracked(), &invited.get_untracked());
    view! {
        <ActionForm heading="meeting.attach" send=send.checked(check) label="common.save"
            testid="meeting-save" fields=&["event", "invited_seats"] feedback="meeting">
            <TextField form field="event" id="meeting-event" label="meeting.event_id" hint="meeting.event_hint"
                kind="number" min="1" value=event on_input=move |v| event.set(v) />
            <TextField form field="invited_seats" id="meeting-invited" label="meeting.invited" kind="number" min="0"
                value=invited on_input=move |v| invited.set(v) />
        </ActionForm>
    }
}

/// Checks an attendee in by the code shown at the door.
#[component]
fn CheckInForm() -> impl IntoView {
    let i18n = use_i18n();
    let client = expect_context::<Client>();
    let form = FormState::new();
    let code = RwSignal::new(String::new());
    let last = RwSignal::new(None::<CheckInReceipt>);
    let send = Submit::new(
        form,
        |_| "checkin.done",
        move |input: CheckIn| async move {
            client
                .send::<_, CheckInReceipt>(Method::POST, "/admin/checkins", &input)
                .await
        },
        move |_, receipt: &CheckInReceipt| {
            last.set(Some(receipt.clone()));
            code.set(String::new());
        },
    );
    view! {
        <ActionForm heading="checkin.heading" send=send.checked(move || check_in(&code.get_untracked()))
            label="checkin.check_in" testid="checkin-send" fields=&["code"] feedback="checkin">
            <TextField form field="code" id="checkin-code" label="checkin.code" verbatim=true maxlength=40
                value=code on_input=move |v| code.set(v) />
            <p class="status" role="status" data-testid="checkin-result">
                {move || last.get().map(|r| i18n.format("checkin.seats", &[("seats", &r.seats.to_string())]))}
            </p>
        </ActionForm>
    }
}

/// Enters (or replaces) the decision.
#[component]
fn DecisionForm(month: Month, decision: Option<Decision>, cycle: CycleResource) -> impl IntoView {
    let client = expect_context::<Client>();
    let form = FormState::new();
    let zh = RwSignal::new(
        decision
            .as_ref()
            .map(|d| d.summary_zh.clone())
            .unwrap_or_default(),
    );
    let en = RwSignal::new(
        decision
            .as_ref()
            .map(|d| d.summary_en.clone())
            .unwrap_or_default(),
    );
    let unit = RwSignal::new(decision.map(|d| d.lead_unit).unwrap_or_default());
    let send = Submit::new(
        form,
        |_| "decision.saved",
        move |input: DecisionInput| async move {
            let path = format!("/admin/cycles/{month}/decision");
            client.send::<_, Decision>(Method::PUT, &path, &input).await
        },
        move |_, _| cycle.refetch(),
    );
    let check = move || {
        decision_input(
            &zh.get_untracked(),
            &en.get_untracked(),
            &unit.get_untracked(),
        )
    };
    let units = unit_choices(Units::ActiveBut(None));
    view! {
        <ActionForm heading="decision.heading" send=send.checked(check) label="common.save"
            testid="decision-save" fields=&["summary_zh", "summary_en", "lead_unit"] feedback="decision">
            <TextField form field="summary_zh" id="decision-zh" label="decision.summary_zh" multiline=true maxlength=600
                value=zh on_input=move |v| zh.set(v) />
            <TextField form field="summary_en" id="decision-en" label="decision.summary_en" multiline=true maxlength=600
                value=en on_input=move |v| en.set(v) />
            <Select form field="lead_unit" id="decision-unit" label="decision.lead_unit" options=units
                empty="action.choose_unit" value=unit on_change=move |v| unit.set(v) />
        </ActionForm>
    }
}

/// The attendees' opinions, read on request: each read is written to the audit log.
#[component]
fn Opinions(month: Month) -> impl IntoView {
    let i18n = use_i18n();
    let client = expect_context::<Client>();
    let shown = RwSignal::new(None::<Vec<Opinion>>);
    let read = Submit::new(
        FormState::new(),
        |_| "opinions.shown",
        move |()| async move {
            let path = format!("/admin/cycles/{month}/opinions");
            client.get::<Vec<Opinion>>(&path).await
        },
        move |_, found: &Vec<Opinion>| shown.set(Some(found.clone())),
    );
    let form = read.form();
    let table = move || {
        shown.get().map(|items| {
            let columns = vec![
                Column::new("opinions.received", |o: &Opinion| date_time(o.received_at)),
                Column::new("opinions.text", |o: &Opinion| o.text.clone()),
            ];
            view! {
                <Table caption="opinions.heading" columns items rows=RowMarks::testid("opinion-row")
                    empty=Empty { key: "opinions.none", testid: "opinions-none" } />
            }
        })
    };
    view! {
        <h3>{move || i18n.t("opinions.heading")}</h3>
        <p class="note">{move || i18n.t("opinions.audited")}</p>
        <button type="button" class="secondary" disabled=move || read.busy()
            on:click=move |_| read.run(Ok(())) data-testid="opinions-read">
            {move || i18n.t("opinions.read")}
        </button>
        <FormFeedback form fields=&[] testid="opinions" />
        {table}
    }
}
