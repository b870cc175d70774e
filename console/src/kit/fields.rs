//! Labelled form inputs that show their own error: each input is tied to its label, its
//! hint and its error message (`aria-describedby`), and its `data-testid` is its id unless
//! told otherwise. Filters use them without a form state: then no error shows.

use leptos::prelude::*;

use crate::feedback::{FieldMessage, FormState, error_id};
use crate::i18n::use_i18n;

/// The ids that describe an input: its hint, then its error when it has one (tracked).
pub fn described_by(
    form: Option<FormState>,
    field: &'static str,
    id: &'static str,
    hint: bool,
) -> Option<String> {
    let mut ids = Vec::new();
    if hint {
        ids.push(format!("{id}-hint"));
    }
    if form.is_some_and(|form| form.errors.with(|e| e.get(field).is_some())) {
        ids.push(error_id(id));
    }
    (!ids.is_empty()).then(|| ids.join(" "))
}

/// `aria-invalid` for the field, when there is a form (tracked).
pub fn invalid_attr(form: Option<FormState>, field: &'static str) -> Option<&'static str> {
    form.and_then(|form| form.invalid_attr(field))
}

/// The error message under an input, when there is a form.
pub fn field_message(
    form: Option<FormState>,
    field: &'static str,
    input_id: &'static str,
) -> impl IntoView {
    form.map(|form| view! { <FieldMessage form field input_id /> })
}

/// A labelled text input (or text area) with its hint and error.
#[component]
pub fn TextField(
    /// The form's state; none for a filter.
    #[prop(optional)]
    form: Option<FormState>,
    /// The field's name in the API.
    #[prop(optional)]
    field: &'static str,
    /// The input's id, and its `data-testid` unless `testid` is given.
    id: &'static str,
    /// The input's `data-testid`, when not its id.
    #[prop(optional)]
    testid: Option<&'static str>,
    /// The message key of the label.
    label: &'static str,
    /// The text.
    #[prop(into)]
    value: Signal<String>,
    /// Called with the new text on every keystroke, or only when the operator is done
    /// with the field (`on_commit`).
    #[prop(into)]
    on_input: Callback<String>,
    /// Whether `on_input` waits for the field's `change` (Enter, or leaving it).
    #[prop(optional)]
    on_commit: bool,
    /// The smallest number, for a number input.
    #[prop(optional)]
    min: Option<&'static str>,
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
    /// The text area's height, in lines.
    #[prop(default = 3)]
    rows: u32,
    /// The `autocomplete` token.
    #[prop(default = "off")]
    autocomplete: &'static str,
    /// The input's `name`, for a browser that fills in or saves what was typed (a sign-in).
    #[prop(optional)]
    name: Option<&'static str>,
    /// Whether the field must be filled in (`required`).
    #[prop(optional)]
    required: bool,
    /// Text kept exactly as typed: no capital letter first, no spelling check (a login).
    #[prop(optional)]
    verbatim: bool,
    /// The longest text, in characters.
    #[prop(optional)]
    maxlength: Option<u32>,
) -> impl IntoView {
    let i18n = use_i18n();
    let hint_view = hint.map(|key| {
        view! { <p class="hint" id=format!("{id}-hint")>{move || i18n.t_owned(key)}</p> }
    });
    let has_hint = hint.is_some();
    let testid = testid.unwrap_or(id);
    let input = if multiline {
        view! {
            <textarea
                id=id
                rows=rows
                maxlength=maxlength
                aria-invalid=move || invalid_attr(form, field)
                aria-describedby=move || described_by(form, field, id, has_hint)
                prop:value=move || value.get()
                on:input=move |ev| on_input.run(event_target_value(&ev))
                data-testid=testid
            ></textarea>
        }
        .into_any()
    } else {
        view! {
            <input
                id=id
                type=kind
                name=name
                list=list
                autocomplete=autocomplete
                autocapitalize=verbatim.then_some("none")
                spellcheck=verbatim.then_some("false")
                required=required
                min=min
                inputmode=(kind == "number").then_some("numeric")
                maxlength=maxlength
                aria-invalid=move || invalid_attr(form, field)
                aria-describedby=move || described_by(form, field, id, has_hint)
                prop:value=move || value.get()
                on:input=move |ev| {
                    if !on_commit {
                        on_input.run(event_target_value(&ev));
                    }
                }
                on:change=move |ev| {
                    if on_commit {
                        on_input.run(event_target_value(&ev));
                    }
                }
                data-testid=testid
            />
        }
        .into_any()
    };
    view! {
        <div class="field">
            <label for=id>{move || i18n.t_owned(label)}</label>
            {hint_view}
            {input}
            {field_message(form, field, id)}
        </div>
    }
}

/// A labelled checkbox with its error.
#[component]
pub fn CheckField(
    /// The form's state; none for a filter.
    #[prop(optional)]
    form: Option<FormState>,
    /// The field's name in the API.
    #[prop(optional)]
    field: &'static str,
    /// The input's id, and its `data-testid` unless `testid` is given.
    id: &'static str,
    /// The input's `data-testid`, when not its id.
    #[prop(optional)]
    testid: Option<&'static str>,
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
                aria-invalid=move || invalid_attr(form, field)
                aria-describedby=move || described_by(form, field, id, false)
                prop:checked=move || checked.get()
                on:change=move |ev| on_change.run(event_target_checked(&ev))
                data-testid=testid.unwrap_or(id)
            />
            <label for=id>{move || i18n.t_owned(label)}</label>
            {field_message(form, field, id)}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use omk_api::FieldError;

    use super::*;

    #[test]
    fn an_input_is_described_by_its_hint_then_its_error() {
        let form = FormState::new();
        let described = |form, hint| described_by(form, "title", "event-title", hint);
        assert_eq!(described(None, true).as_deref(), Some("event-title-hint"));
        assert_eq!(described(Some(form), false), None);
        assert_eq!(invalid_attr(Some(form), "title"), None);
        form.invalid(vec![FieldError::new("title", "required")]);
        assert_eq!(
            described(Some(form), true).as_deref(),
            Some("event-title-hint event-title-error")
        );
        assert_eq!(invalid_attr(Some(form), "title"), Some("true"));
        // A filter has no form: never invalid.
        assert_eq!(invalid_attr(None, "title"), None);
        assert_eq!(described(None, false), None);
    }
}
