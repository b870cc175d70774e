//! Labelled form inputs that show their own error: each input is tied to its label, its
//! hint and its error message (`aria-describedby`), and its `data-testid` is its id.

use leptos::prelude::*;

use crate::feedback::{FieldMessage, FormState, error_id};
use crate::i18n::use_i18n;

/// The ids that describe an input: its hint, then its error when it has one (tracked).
fn described_by(
    form: FormState,
    field: &'static str,
    id: &'static str,
    hint: bool,
) -> Option<String> {
    let mut ids = Vec::new();
    if hint {
        ids.push(format!("{id}-hint"));
    }
    if form.errors.with(|e| e.get(field).is_some()) {
        ids.push(error_id(id));
    }
    (!ids.is_empty()).then(|| ids.join(" "))
}

/// A labelled text input (or text area) with its hint and error.
#[component]
pub fn TextField(
    /// The form's state.
    form: FormState,
    /// The field's name in the API.
    field: &'static str,
    /// The input's id and `data-testid`.
    id: &'static str,
    /// The message key of the label.
    label: &'static str,
    /// The text.
    #[prop(into)]
    value: Signal<String>,
    /// Called with the new text on every keystroke.
    #[prop(into)]
    on_input: Callback<String>,
    /// The input's `type`.
    #[prop(default = "text")]
    kind: &'static str,
    /// The id of a `<datalist>` of suggestions.
    #[prop(optional)]
    list: Option<&'static str>,
    /// The message key of a hint under the label.
    #[prop(optional)]
    hint: Option<&'static str>,
    /// A text area rather than a one-line input.
    #[prop(optional)]
    multiline: bool,
    /// The `autocomplete` token.
    #[prop(default = "off")]
    autocomplete: &'static str,
    /// The longest text, in characters.
    #[prop(optional)]
    maxlength: Option<u32>,
) -> impl IntoView {
    let i18n = use_i18n();
    let hint_view = hint.map(|key| {
        view! { <p class="hint" id=format!("{id}-hint")>{move || i18n.t_owned(key)}</p> }
    });
    let has_hint = hint.is_some();
    let input = if multiline {
        view! {
            <textarea
                id=id
                rows="3"
                maxlength=maxlength
                aria-invalid=move || form.invalid_attr(field)
                aria-describedby=move || described_by(form, field, id, has_hint)
                prop:value=move || value.get()
                on:input=move |ev| on_input.run(event_target_value(&ev))
                data-testid=id
            ></textarea>
        }
        .into_any()
    } else {
        view! {
            <input
                id=id
                type=kind
                list=list
                autocomplete=autocomplete
                maxlength=maxlength
                aria-invalid=move || form.invalid_attr(field)
                aria-describedby=move || described_by(form, field, id, has_hint)
                prop:value=move || value.get()
                on:input=move |ev| on_input.run(event_target_value(&ev))
                data-testid=id
            />
        }
        .into_any()
    };
    view! {
        <div class="field">
            <label for=id>{move || i18n.t_owned(label)}</label>
            {hint_view}
            {input}
            <FieldMessage form field input_id=id />
        </div>
    }
}

/// A labelled checkbox with its error.
#[component]
pub fn CheckField(
    /// The form's state.
    form: FormState,
    /// The field's name in the API.
    field: &'static str,
    /// The input's id and `data-testid`.
    id: &'static str,
    /// The message key of the label.
    label: &'static str,
    /// Whether it is ticked.
    #[prop(into)]
    checked: Signal<bool>,
    /// Called when it changes.
    #[prop(into)]
    on_change: Callback<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="field check">
            <input
                id=id
                type="checkbox"
                aria-invalid=move || form.invalid_attr(field)
                aria-describedby=move || described_by(form, field, id, false)
                prop:checked=move || checked.get()
                on:change=move |ev| on_change.run(event_target_checked(&ev))
                data-testid=id
            />
            <label for=id>{move || i18n.t_owned(label)}</label>
            <FieldMessage form field input_id=id />
        </div>
    }
}
