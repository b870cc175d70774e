//! What the kiosk's forms share: the draft (what was typed, which fields were left, and the
//! error to show on each, by the API's own rules first and then the server's answer), a
//! labelled field with its error in words, and the receipt with its code and QR code.

use leptos::prelude::*;
use omk_api::{FieldError, NewIssue, NewLetter, Problem};

use crate::i18n::use_i18n;

/// An input the API checks with its own rules, which the form applies before sending.
pub trait Checked {
    /// The errors of the input as it stands, if any.
    fn check(&self) -> Result<(), Vec<FieldError>>;
}

impl Checked for NewIssue {
    fn check(&self) -> Result<(), Vec<FieldError>> {
        self.validate()
    }
}

impl Checked for NewLetter {
    fn check(&self) -> Result<(), Vec<FieldError>> {
        self.validate()
    }
}

/// What the visitor has typed so far, and which fields they have left.
#[derive(Debug, Clone, PartialEq)]
pub struct FormDraft<T> {
    pub input: T,
    touched: Vec<&'static str>,
    submitted: bool,
    /// Errors the backend returned for the last attempt.
    server_errors: Vec<FieldError>,
}

impl<T: Checked> FormDraft<T> {
    /// A draft of `input`, nothing left and nothing tried yet.
    pub fn new(input: T) -> Self {
        FormDraft {
            input,
            touched: Vec::new(),
            submitted: false,
            server_errors: Vec::new(),
        }
    }

    /// Marks a field as visited, so its errors show.
    pub fn touch(&mut self, field: &'static str) {
        if !self.touched.contains(&field) {
            self.touched.push(field);
        }
    }

    /// Marks a submit attempt: from now on every error shows.
    pub fn attempt(&mut self) {
        self.submitted = true;
        self.server_errors.clear();
    }

    /// Records the backend's field errors from a problem answer.
    pub fn reject(&mut self, problem: &Problem) {
        self.server_errors = problem.errors.clone();
    }

    /// Clears everything typed, contact details included.
    pub fn reset(&mut self)
    where
        Self: Default,
    {
        *self = Self::default();
    }

    /// The message key of the error to show for `field` now, if any: the API's rules
    /// first, then what the backend said.
    pub fn error_for(&self, field: &str) -> Option<String> {
        if !(self.submitted || self.touched.contains(&field)) {
            return None;
        }
        let local = self.input.check().err().unwrap_or_default();
        local
            .iter()
            .chain(self.server_errors.iter())
            .find(|e| e.field == field)
            .map(FieldError::message_key)
    }

    /// Whether the draft passes the API's rules.
    pub fn is_valid(&self) -> bool {
        self.input.check().is_ok()
    }
}

/// A labelled field of form `form` (for example `report`) with its error underneath, in
/// words: the input is `omk-{form}-{name}`, its error `omk-{form}-error-{name}` (test id
/// `{form}-error-{name}`).
#[component]
pub fn Field<T>(
    /// The form's name in ids.
    form: &'static str,
    /// The form state, for this field's error.
    draft: RwSignal<FormDraft<T>>,
    /// The field name, as in the API.
    name: &'static str,
    /// Message key of the label.
    label: &'static str,
    /// The input itself.
    children: Children,
) -> impl IntoView
where
    T: Checked + Send + Sync + 'static,
{
    let i18n = use_i18n();
    let error = move || draft.with(|d| d.error_for(name));
    view! {
        <div class="omk-field" class:omk-invalid=move || error().is_some()>
            <label for=format!("omk-{form}-{name}")>{move || i18n.t(label)}</label>
            {children()}
            <p class="omk-field-error" id=format!("omk-{form}-error-{name}") data-testid=format!("{form}-error-{name}")>
                {move || error().map(|key| i18n.t_owned(&key))}
            </p>
        </div>
    }
}

/// The message keys of a receipt's words.
#[derive(Debug, Clone, Copy)]
pub struct ReceiptWords {
    pub heading: &'static str,
    /// What the code is, above it.
    pub code: &'static str,
    /// What to do with the code.
    pub hint: &'static str,
    pub qr_alt: &'static str,
    /// The button to start again.
    pub new: &'static str,
}

/// The test ids of a receipt's parts.
#[derive(Debug, Clone, Copy)]
pub struct ReceiptIds {
    pub card: &'static str,
    pub code: &'static str,
    pub qr: &'static str,
    pub new: &'static str,
}

/// A receipt: the code in large type, what to do with it, and the QR code that opens it
/// on a phone (`qr`, when there is a backend to draw it).
#[component]
pub fn ReceiptCard(
    words: ReceiptWords,
    ids: ReceiptIds,
    /// The code the visitor keeps.
    code: String,
    /// The QR code's image URL.
    qr: Option<String>,
    /// Called when the visitor wants to start again.
    on_new: impl Fn() + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="omk-receipt" role="status" data-testid=ids.card>
            <h3>{move || i18n.t(words.heading)}</h3>
            <p>{move || i18n.t(words.code)}</p>
            <p class="omk-tracking" data-testid=ids.code>{code}</p>
            <p class="omk-muted">{move || i18n.t(words.hint)}</p>
            {qr.map(|src| view! {
                <img src=src width="180" height="180" alt=move || i18n.t(words.qr_alt) data-testid=ids.qr />
            })}
            <button type="button" on:click=move |_| on_new() data-testid=ids.new>
                {move || i18n.t(words.new)}
            </button>
        </div>
    }
}
