//! The admins' tools around the vote: 12345 hotline counts (a CSV upload with its report),
//! representatives' codes (shown once, printable), and the choice of the topic.

use gloo_net::http::Method;
use leptos::prelude::*;
use omk_api::FieldError;
use omk_api::cycle::Month;
use omk_api::cycle::selection::{
    CandidateView, Choice as TopicChoice, ChoiceInput, CodeRequest, IssuedCodes, SignalsReport,
};

use crate::client::Client;
use crate::feedback::FormState;
use crate::i18n::use_i18n;
use crate::kit::{ActionForm, Choice, Select, Submit, TextField};

use super::CycleResource;
use super::choice::{FIELDS, choice_input, code_request};

/// The last import's report and its month: kept by the cycle screen, so that it outlives
/// the redraw of the cycle the import causes.
pub type ImportReport = RwSignal<Option<(Month, SignalsReport)>>;

/// The month's 12345 hotline counts, as a CSV file (`category,district,count`).
#[component]
pub fn SignalsImport(
    month: Month,
    cycle: CycleResource,
    /// Where the report of the import goes.
    report: ImportReport,
) -> impl IntoView {
    let i18n = use_i18n();
    let client = expect_context::<Client>();
    let form = FormState::new();
    let file_input = NodeRef::<leptos::html::Input>::new();
    let send = Submit::new(
        form,
        |_| "signals.imported",
        move |file: web_sys::File| async move {
            let path = format!("/admin/cycles/{month}/signals");
            client
                .upload::<SignalsReport>(&path, file.into(), "text/csv")
                .await
        },
        move |_, done: &SignalsReport| {
            report.set(Some((month, done.clone())));
            cycle.refetch();
        },
    );
    let chosen = move || {
        file_input
            .get_untracked()
            .and_then(|input| input.files())
            .and_then(|files| files.get(0))
            .ok_or_else(|| vec![FieldError::new("file", "required")])
    };
    view! {
        <ActionForm heading="signals.heading" send=send.checked(chosen) label="signals.import"
            testid="signals-import" fields=&["file"] feedback="signals">
            <p class="hint">{move || i18n.t("signals.hint")}</p>
            <div class="field">
                <label for="signals-file">{move || i18n.t("signals.file")}</label>
                <input id="signals-file" type="file" accept=".csv,text/csv" node_ref=file_input data-testid="signals-file" />
            </div>
            <p class="status" role="status" data-testid="signals-report">
                {move || report.get().filter(|(of, _)| *of == month).map(|(_, done)| i18n.format(
                    "signals.report",
                    &[("rows", &done.rows.to_string()), ("calls", &done.calls.to_string())],
                ))}
            </p>
        </ActionForm>
    }
}

/// Single-use codes for the month's representatives: shown once, in a printable list.
#[component]
pub fn CodesPanel(month: Month) -> impl IntoView {
    let i18n = use_i18n();
    let client = expect_context::<Client>();
    let form = FormState::new();
    let count = RwSignal::new(String::new());
    let issued = RwSignal::new(None::<IssuedCodes>);
    let send = Submit::new(
        form,
        |_| "codes.issued",
        move |request: CodeRequest| async move {
            let path = format!("/admin/cycles/{month}/codes");
            client
                .send::<_, IssuedCodes>(Method::POST, &path, &request)
                .await
        },
        move |_, done: &IssuedCodes| issued.set(Some(done.clone())),
    );
    let print = move |_| {
        if let Some(window) = web_sys::window() {
            let _ = window.print();
        }
    };
    let list = move || {
        issued.get().map(|done| {
            let codes = done
                .codes
                .into_iter()
                .map(|code| view! { <li data-testid="issued-code"><code>{code}</code></li> })
                .collect_view();
            view! {
                <p class="note">{move || i18n.t("codes.once")}</p>
                <ol class="codes printable">{codes}</ol>
                <button type="button" class="secondary" on:click=print data-testid="codes-print">
                    {move || i18n.t("codes.print")}
                </button>
            }
        })
    };
    view! {
        <ActionForm heading="codes.heading" send=send.checked(move || code_request(&count.get_untracked()))
            label="codes.issue" testid="codes-issue" fields=&["count"] feedback="codes">
            <TextField form field="count" id="codes-count" label="codes.count" kind="number" min="1"
                value=count on_input=move |v| count.set(v) />
            {list}
        </ActionForm>
    }
}

/// The choice of the month's topic among the candidates.
#[component]
pub fn ChoicePanel(
    month: Month,
    /// The shortlist, each with whether it has the top score.
    candidates: Vec<(CandidateView, bool)>,
    /// The choice already made.
    chosen: Option<TopicChoice>,
    cycle: CycleResource,
) -> impl IntoView {
    let i18n = use_i18n();
    let client = expect_context::<Client>();
    let form = FormState::new();
    let tops: Vec<String> = candidates
        .iter()
        .filter(|(_, top)| *top)
        .map(|(c, _)| c.id.clone())
        .collect();
    let options: Vec<(String, String, String)> = candidates
        .into_iter()
        .map(|(c, _)| (c.id, c.title_zh, c.title_en))
        .collect();
    let candidate = RwSignal::new(
        chosen
            .as_ref()
            .map(|c| c.candidate.clone())
            .unwrap_or_default(),
    );
    let reason = RwSignal::new(chosen.and_then(|c| c.reason).unwrap_or_default());
    let send = Submit::new(
        form,
        |_| "choice.saved",
        move |input: ChoiceInput| async move {
            let path = format!("/admin/cycles/{month}/choice");
            client
                .send::<_, TopicChoice>(Method::POST, &path, &input)
                .await
        },
        move |_, _| cycle.refetch(),
    );
    let choices = Signal::derive(move || {
        let lang = i18n.lang();
        options
            .iter()
            .map(|(id, zh, en)| {
                let title = if lang == omk_api::Lang::En { en } else { zh };
                Choice::new(id.clone(), title.clone())
            })
            .collect()
    });
    let check = move || choice_input(&candidate.get_untracked(), &reason.get_untracked(), &tops);
    view! {
        <ActionForm heading="choice.heading" send=send.checked(check) label="choice.choose"
            testid="choice-save" fields=&FIELDS feedback="choice">
            <Select form field="candidate" id="choice-candidate" label="choice.candidate" options=choices
                empty="choice.pick" value=candidate on_change=move |v| candidate.set(v) />
            <TextField form field="reason" id="choice-reason" label="choice.reason" hint="choice.reason_hint"
                multiline=true maxlength=ChoiceInput::REASON_MAX as u32 value=reason on_input=move |v| reason.set(v) />
        </ActionForm>
    }
}
