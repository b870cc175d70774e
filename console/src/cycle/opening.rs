//! The admins' form that opens a month's cycle with its planned days (a month that has one
//! already is refused by the server, and the problem shows here).

use gloo_net::http::Method;
use leptos::prelude::*;
use omk_api::cycle::{CycleInput, CycleStage, CycleView};

use crate::client::Client;
use crate::feedback::FormState;
use crate::i18n::use_i18n;
use crate::kit::{ActionForm, Submit, TextField};

use super::create::{CycleForm, FIELDS};

/// The ids of the planned days' inputs, in stage order.
const DAY_IDS: [&str; 8] = [
    "cycle-day-soliciting",
    "cycle-day-screening",
    "cycle-day-voting",
    "cycle-day-meeting",
    "cycle-day-decided",
    "cycle-day-implementing",
    "cycle-day-reviewing",
    "cycle-day-closed",
];

/// The new cycle form; `opened` is called with the month once the cycle exists.
#[component]
pub fn NewCycle(
    /// Called with the new cycle's month.
    #[prop(into)]
    opened: Callback<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let client = expect_context::<Client>();
    let form = FormState::new();
    let draft = RwSignal::new(CycleForm::default());
    let send = Submit::new(
        form,
        |_| "cycle.created",
        move |input: CycleInput| async move {
            client
                .send::<_, CycleView>(Method::POST, "/admin/cycles", &input)
                .await
        },
        move |_, made: &CycleView| opened.run(made.month.to_string()),
    );
    let days = CycleStage::ALL
        .into_iter()
        .zip(DAY_IDS)
        .enumerate()
        .map(|(place, (stage, id))| {
            let key = stage.message_key();
            view! {
                <div class="field">
                    <label for=id>{move || i18n.shared().text(key).to_owned()}</label>
                    <input id=id type="date" data-testid=id
                        prop:value=move || draft.with(|d| d.days[place].clone())
                        on:input=move |ev| { let v = event_target_value(&ev); draft.update(|d| d.days[place] = v) } />
                </div>
            }
        })
        .collect_view();
    view! {
        <ActionForm heading="cycle.new" send=send.checked(move || draft.with_untracked(CycleForm::to_input))
            label="cycle.create" testid="cycle-create" fields=&FIELDS feedback="cycle-create">
            <TextField form field="month" id="cycle-new-month" label="cycle.month" hint="cycle.month_hint"
                maxlength=7 value=Signal::derive(move || draft.with(|d| d.month.clone()))
                on_input=move |v| draft.update(|d| d.month = v) />
            <fieldset>
                <legend>{move || i18n.t("cycle.planned_days")}</legend>
                {days}
            </fieldset>
        </ActionForm>
    }
}
