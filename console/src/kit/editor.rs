//! The frame of a form that adds or changes one entry: its heading, the fields it is given,
//! the failure and success in live regions, and Save (busy while the request runs) and
//! Close buttons.

use leptos::prelude::*;

use crate::feedback::FormFeedback;
use crate::i18n::use_i18n;
use crate::kit::submit::Checked;

/// The ids an editor's parts carry.
#[derive(Debug, Clone, Copy)]
pub struct EditorIds {
    /// The heading's id, which names the section.
    pub heading: &'static str,
    /// The form's `data-testid`.
    pub form: &'static str,
    /// The Save button's `data-testid`, and the prefix of its feedback's
    /// (`{save}-error`, `{save}-done`).
    pub save: &'static str,
    /// The Close button's `data-testid`.
    pub close: &'static str,
}

/// An entry's form.
#[component]
pub fn Editor(
    /// Its ids.
    ids: EditorIds,
    /// The heading (tracked).
    #[prop(into)]
    heading: Signal<String>,
    /// What Save checks and sends.
    send: Checked,
    /// The fields the form shows next to their inputs.
    fields: &'static [&'static str],
    /// The message key of a field's name, for the errors no input shows.
    #[prop(optional)]
    field_label: Option<fn(&str) -> Option<&'static str>>,
    /// Called by Close.
    #[prop(into)]
    on_close: Callback<()>,
    /// Whether it stands inside a panel with its own heading (an `<h3>`, no panel frame).
    #[prop(optional)]
    nested: bool,
    /// The fields.
    children: Children,
) -> impl IntoView {
    let i18n = use_i18n();
    let form = send.form();
    let title = if nested {
        view! { <h3 id=ids.heading>{heading}</h3> }.into_any()
    } else {
        view! { <h2 id=ids.heading>{heading}</h2> }.into_any()
    };
    let feedback = match field_label {
        Some(field_label) => {
            view! { <FormFeedback form fields testid=ids.save field_label /> }.into_any()
        }
        None => view! { <FormFeedback form fields testid=ids.save /> }.into_any(),
    };
    view! {
        <section aria-labelledby=ids.heading class=if nested { "editor" } else { "panel editor" }>
            {title}
            <form class="form" on:submit=send.on_submit() novalidate data-testid=ids.form>
                {children()}
                {feedback}
                <div class="buttons">
                    <button type="submit" class="primary" disabled=move || send.busy() data-testid=ids.save>
                        {move || i18n.t("common.save")}
                    </button>
                    <button type="button" class="secondary" on:click=move |_| on_close.run(()) data-testid=ids.close>
                        {move || i18n.t("common.close")}
                    </button>
                </div>
            </form>
        </section>
    }
}

/// A form that does one thing to what the screen shows: its heading, its fields, the button
/// that sends it (busy while the request runs), and its failure and success in live regions.
#[component]
pub fn ActionForm(
    /// The message key of its heading.
    heading: &'static str,
    /// What the button checks and sends.
    send: Checked,
    /// The message key of the button's label.
    label: &'static str,
    /// The button's `data-testid`.
    testid: &'static str,
    /// The fields the form shows next to their inputs.
    fields: &'static [&'static str],
    /// The `data-testid` prefix of its feedback (`{feedback}-error`, `{feedback}-done`).
    feedback: &'static str,
    /// The fields.
    children: Children,
) -> impl IntoView {
    let i18n = use_i18n();
    let form = send.form();
    view! {
        <form class="action" on:submit=send.on_submit() novalidate>
            <h3>{move || i18n.t(heading)}</h3>
            {children()}
            <button type="submit" class="primary" disabled=move || send.busy() data-testid=testid>
                {move || i18n.t(label)}
            </button>
            <FormFeedback form fields testid=feedback />
        </form>
    }
}

/// Above a list whose entries are edited: what the last change did, in a status region,
/// and the button that starts a new entry.
#[component]
pub fn EditBar(
    /// What the last change did.
    notice: RwSignal<Option<String>>,
    /// The notice's `data-testid`.
    notice_testid: &'static str,
    /// The message key of the new-entry button's label.
    new_label: &'static str,
    /// The new-entry button's `data-testid`.
    new_testid: &'static str,
    /// Starts a new entry.
    #[prop(into)]
    on_new: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p class="status" role="status" data-testid=notice_testid>{move || notice.get()}</p>
        <p>
            <button type="button" class="primary" on:click=move |_| on_new.run(()) data-testid=new_testid>
                {move || i18n.t(new_label)}
            </button>
        </p>
    }
}
