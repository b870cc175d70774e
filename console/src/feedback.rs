//! How the console tells an operator what happened: a failed request in the current
//! language (from the problem's kind, never its type string), field errors tied to their
//! inputs, and status lines that screen readers announce.

use leptos::prelude::*;
use omk_api::{FieldError, ProblemKind};

use crate::client::ApiError;
use crate::i18n::{I18n, use_i18n};

/// What to tell the operator about a failed request (tracked).
pub fn error_text(i18n: I18n, error: &ApiError) -> String {
    match error {
        ApiError::Network => i18n.t("error.network").to_owned(),
        ApiError::Problem {
            problem,
            retry_after_secs,
        } => {
            let shared = i18n.shared();
            if problem.kind == ProblemKind::RateLimited
                && let Some(secs) = retry_after_secs
            {
                return i18n.format("error.retry_in", &[("n", &secs.to_string())]);
            }
            let mut parts = vec![shared.text(problem.kind.message_key())];
            parts.extend(problem.kind.detail_key().map(|key| shared.text(key)));
            parts.join(" ")
        }
        ApiError::Status(403) => i18n
            .shared()
            .text(ProblemKind::Forbidden.message_key())
            .to_owned(),
        ApiError::Status(404) => i18n
            .shared()
            .text(ProblemKind::NotFound.message_key())
            .to_owned(),
        ApiError::Status(_) | ApiError::Decode => i18n.t("error.server").to_owned(),
    }
}

/// What to tell the operator about one failing field (tracked): the shared catalogue's
/// `error.<code>`, else the server's own message, else a plain "not valid".
pub fn field_text(i18n: I18n, error: &FieldError) -> String {
    let key = error.message_key();
    let shared = i18n.shared();
    if shared.has(&key) {
        shared.text(&key).to_owned()
    } else if let Some(text) = local_field_key(&error.code) {
        i18n.t(text).to_owned()
    } else if !error.message.is_empty() {
        error.message.clone()
    } else {
        i18n.t("error.invalid").to_owned()
    }
}

/// Codes only the console itself produces, with its own words.
fn local_field_key(code: &str) -> Option<&'static str> {
    match code {
        "invalid_slug" => Some("error.invalid_slug"),
        "invalid_login" => Some("error.invalid_login"),
        "invalid_number" => Some("error.invalid_number"),
        "invalid_datetime" => Some("error.invalid_datetime"),
        "file_type" => Some("error.file_type"),
        _ => None,
    }
}

/// The field errors a form shows next to its inputs: from the form's own checks or from
/// the server's 422.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldErrors(pub Vec<FieldError>);

impl FieldErrors {
    /// The server's field errors in `error`.
    pub fn from_api(error: &ApiError) -> FieldErrors {
        FieldErrors(error.field_errors().to_vec())
    }

    /// The first error on `field`.
    pub fn get(&self, field: &str) -> Option<&FieldError> {
        self.0.iter().find(|e| e.field == field)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The errors on none of `fields`: shown with the form's alert instead.
    pub fn others(&self, fields: &[&str]) -> Vec<FieldError> {
        self.0
            .iter()
            .filter(|e| !fields.contains(&e.field.as_str()))
            .cloned()
            .collect()
    }
}

/// A form's state of sending: field errors, the last failure, a status to announce.
#[derive(Debug, Clone, Copy)]
pub struct FormState {
    pub errors: RwSignal<FieldErrors>,
    pub failure: RwSignal<Option<ApiError>>,
    /// The message key of the last success, announced in a status region.
    pub done: RwSignal<Option<&'static str>>,
    pub busy: RwSignal<bool>,
}

impl FormState {
    pub fn new() -> FormState {
        FormState {
            errors: RwSignal::new(FieldErrors::default()),
            failure: RwSignal::new(None),
            done: RwSignal::new(None),
            busy: RwSignal::new(false),
        }
    }

    /// Before sending: nothing to show.
    pub fn start(&self) {
        self.errors.set(FieldErrors::default());
        self.failure.set(None);
        self.done.set(None);
        self.busy.set(true);
    }

    /// The form's own checks failed: nothing is sent.
    pub fn invalid(&self, errors: Vec<FieldError>) {
        self.errors.set(FieldErrors(errors));
        self.failure.set(None);
        self.done.set(None);
        self.busy.set(false);
    }

    /// The request ended.
    pub fn finish<T>(&self, result: &Result<T, ApiError>, done_key: &'static str) {
        self.busy.set(false);
        match result {
            Ok(_) => self.done.set(Some(done_key)),
            Err(error) => {
                self.errors.set(FieldErrors::from_api(error));
                self.failure.set(Some(error.clone()));
            }
        }
    }

    /// Clears everything (a new entry is being edited).
    pub fn reset(&self) {
        self.errors.set(FieldErrors::default());
        self.failure.set(None);
        self.done.set(None);
        self.busy.set(false);
    }

    /// The id of the error message of the input `input_id`, when its field has an error
    /// (for `aria-describedby`; tracked).
    pub fn described_by(&self, field: &'static str, input_id: &'static str) -> Option<String> {
        self.errors
            .with(|e| e.get(field).is_some())
            .then(|| error_id(input_id))
    }

    /// `aria-invalid` for the field (tracked).
    pub fn invalid_attr(&self, field: &'static str) -> Option<&'static str> {
        self.errors
            .with(|e| e.get(field).is_some())
            .then_some("true")
    }
}

impl Default for FormState {
    fn default() -> Self {
        FormState::new()
    }
}

/// The id of the error message of an input.
pub fn error_id(input_id: &str) -> String {
    format!("{input_id}-error")
}

/// The error message under one input, tied to it by [`FormState::described_by`].
#[component]
pub fn FieldMessage(
    /// The form's state.
    form: FormState,
    /// The field's name in the API.
    field: &'static str,
    /// The id of the input.
    input_id: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        form.errors.with(|errors| {
            errors.get(field).map(|error| {
                let text = field_text(i18n, error);
                view! {
                    <p class="field-error" id=error_id(input_id) role="alert" data-testid="field-error">
                        {text}
                    </p>
                }
            })
        })
    }
}

/// A form's failure (with the field errors no input shows) and its success, each in a live
/// region.
#[component]
pub fn FormFeedback(
    /// The form's state.
    form: FormState,
    /// The fields the form shows next to their inputs.
    fields: &'static [&'static str],
    /// The `data-testid` prefix: `{prefix}-error` and `{prefix}-done`.
    testid: &'static str,
    /// The message key of a field's name, for the errors listed in the alert.
    #[prop(optional)]
    field_label: Option<fn(&str) -> Option<&'static str>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let name = move |field: &str| match field_label.and_then(|label| label(field)) {
        Some(key) => i18n.t(key).to_owned(),
        None => field.to_owned(),
    };
    let failure = move || {
        form.failure.get().map(|error| {
            let others = form.errors.with(|e| e.others(fields));
            view! {
                <div class="alert" role="alert" data-testid=format!("{testid}-error")>
                    <p>{error_text(i18n, &error)}</p>
                    {(!others.is_empty()).then(|| view! {
                        <ul>
                            {others.into_iter().map(|e| {
                                let field = name(&e.field);
                                let message = field_text(i18n, &e);
                                let text = match e.line {
                                    Some(line) => i18n.format("error.on_line", &[("line", &line.to_string()), ("field", &field), ("message", &message)]),
                                    None => i18n.format("error.on_field", &[("field", &field), ("message", &message)]),
                                };
                                view! { <li>{text}</li> }
                            }).collect_view()}
                        </ul>
                    })}
                </div>
            }
        })
    };
    view! {
        {failure}
        <p class="status" role="status" data-testid=format!("{testid}-done")>
            {move || form.done.get().map(|key| i18n.t_owned(key))}
        </p>
    }
}

/// A failed load, in an alert.
#[component]
pub fn LoadError(
    /// What failed.
    error: ApiError,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p class="alert" role="alert" data-testid="load-error">{move || error_text(i18n, &error)}</p>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_no_input_shows_go_with_the_alert() {
        let errors = FieldErrors(vec![
            FieldError::new("reason", "required"),
            FieldError::new("title", "too_long").at_line(3),
        ]);
        assert_eq!(
            errors.get("reason").map(|e| e.code.as_str()),
            Some("required")
        );
        let others = errors.others(&["reason"]);
        assert_eq!(others.len(), 1);
        assert_eq!(others[0].line, Some(3));
    }

    #[test]
    fn console_codes_have_console_words() {
        for code in [
            "invalid_slug",
            "invalid_login",
            "invalid_number",
            "invalid_datetime",
            "file_type",
        ] {
            let key = local_field_key(code).unwrap_or("none");
            for lang in omk_api::Lang::ALL {
                assert!(crate::i18n::catalogue(lang).has(key), "{code}");
            }
        }
    }
}
