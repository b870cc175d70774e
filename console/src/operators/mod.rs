//! Operators' accounts (admins): who may sign in, as admin or for which unit, whether the
//! account is active, and setting a password.

pub mod form;

use gloo_net::http::Method;
use leptos::prelude::*;
use omk_api::events::encode_component;
use omk_api::{Operator, OperatorInput, Role};

use crate::client::Client;
use crate::feedback::FormState;
use crate::i18n::use_i18n;
use crate::kit::{
    CheckField, Choice, Column, EditBar, EditButton, Editor, EditorIds, Loaded, RowMarks, Select,
    Submit, Table, TextField, Units, unit_choices,
};
use crate::labels::role_key;
use crate::names::use_names;
use crate::screen::{ScreenHeading, focus_heading, focus_later, message};

use form::{FIELDS, OperatorForm};

/// The operators screen.
#[component]
pub fn OperatorsScreen() -> impl IntoView {
    let i18n = use_i18n();
    let client = expect_context::<Client>();
    let accounts =
        LocalResource::new(
            move || async move { client.get::<Vec<Operator>>("/admin/operators").await },
        );
    let editing = RwSignal::new(None::<OperatorForm>);
    let notice = RwSignal::new(None::<String>);
    let start_new = move || {
        editing.set(Some(OperatorForm::new_account()));
        focus_later("operator-login");
    };
    let table = move |found: Vec<Operator>| {
        view! {
            <Table caption="operators.accounts" columns=operator_columns(editing) items=found
                rows=RowMarks::testid("operator-row").with_data("data-login", |o: &Operator| o.login.clone()) />
        }
    };
    view! {
        <ScreenHeading text=message("operators.heading") />
        <EditBar notice notice_testid="operators-notice" new_label="operators.new" new_testid="operator-new" on_new=start_new />
        {move || editing.get().map(|draft| view! { <OperatorEditor draft editing accounts notice /> })}
        <section aria-labelledby="accounts-heading" class="panel">
            <h2 id="accounts-heading">{move || i18n.t("operators.accounts")}</h2>
            <Loaded resource=accounts show=table />
        </section>
    }
}

/// The accounts' columns: login, role, unit, state and the edit button.
fn operator_columns(editing: RwSignal<Option<OperatorForm>>) -> Vec<Column<Operator>> {
    let i18n = use_i18n();
    let names = use_names();
    vec![
        Column::new("operators.login", |o: &Operator| o.login.clone()),
        Column::new("operators.role", move |o: &Operator| {
            let role = o.role;
            move || i18n.t(role_key(role))
        }),
        Column::new("operators.unit", move |o: &Operator| {
            let unit = o.unit.clone();
            move || unit.as_deref().map(|u| names.get().unit(u, i18n.lang()))
        }),
        Column::new("operators.state", move |o: &Operator| {
            let key = if o.active {
                "operators.active"
            } else {
                "operators.disabled"
            };
            move || i18n.t(key)
        }),
        Column::new("common.actions", move |o: &Operator| {
            let stored = StoredValue::new(o.clone());
            let edit = move || {
                editing.set(Some(OperatorForm::from_operator(&stored.get_value())));
                focus_later("operator-role");
            };
            view! { <EditButton testid="operator-edit" name=o.login.clone() on_click=edit /> }
        }),
    ]
}

/// The ids of the account form.
const EDITOR: EditorIds = EditorIds {
    heading: "operator-form-heading",
    form: "operator-form",
    save: "operator-save",
    close: "operator-close",
};

/// The form for a new account or a change to one.
#[component]
fn OperatorEditor(
    draft: OperatorForm,
    editing: RwSignal<Option<OperatorForm>>,
    accounts: LocalResource<Result<Vec<Operator>, crate::client::ApiError>>,
    notice: RwSignal<Option<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let client = expect_context::<Client>();
    let form = FormState::new();
    let is_new = draft.is_new;
    let stored_login = draft.login.clone();
    let account = RwSignal::new(draft);
    let save = Submit::new(
        form,
        |_| "operators.saved",
        move |(login, input): (String, OperatorInput)| async move {
            let path = format!("/admin/operators/{}", encode_component(&login));
            client.send::<_, Operator>(Method::PUT, &path, &input).await
        },
        move |_, saved: &Operator| {
            notice.set(Some(
                i18n.format("operators.saved_one", &[("login", &saved.login)]),
            ));
            editing.set(None);
            accounts.refetch();
            focus_heading();
        },
    );
    let heading = Signal::derive(move || {
        if is_new {
            i18n.t("operators.new").to_owned()
        } else {
            i18n.format("operators.edit", &[("login", &stored_login)])
        }
    });
    let roles = Signal::derive(move || {
        Role::ALL
            .into_iter()
            .map(|role| Choice::new(role.as_str(), i18n.t(role_key(role))))
            .collect()
    });
    let units = unit_choices(Units::ActiveBut(None));
    let unit_field = move || {
        account.with(|a| a.role.has_unit()).then(|| {
            view! {
                <Select form field="unit" id="operator-unit" label="operators.unit" options=units
                    empty="action.choose_unit" value=Signal::derive(move || account.with(|a| a.unit.clone()))
                    on_change=move |v| account.update(|a| a.unit = v) />
            }
        })
    };
    let password_hint = if is_new {
        "operators.password_hint_new"
    } else {
        "operators.password_hint_keep"
    };
    view! {
        <Editor ids=EDITOR heading send=save.checked(move || account.with_untracked(OperatorForm::to_input))
            fields=&FIELDS on_close=move || editing.set(None)>
            {is_new.then(|| view! {
                <TextField form field="login" id="operator-login" label="operators.login" hint="operators.login_hint"
                    value=Signal::derive(move || account.with(|a| a.login.clone()))
                    on_input=move |v| account.update(|a| a.login = v) maxlength=40 autocomplete="off" />
            })}
            <Select id="operator-role" label="operators.role" options=roles
                value=Signal::derive(move || account.with(|a| a.role.as_str().to_owned()))
                on_change=move |v: String| account.update(|a| a.role = Role::parse(&v).unwrap_or(Role::Unit)) />
            {unit_field}
            <CheckField form field="active" id="operator-active" label="operators.active_label"
                checked=Signal::derive(move || account.with(|a| a.active))
                on_change=move |v| account.update(|a| a.active = v) />
            <TextField form field="password" id="operator-password" label="operators.password" kind="password"
                hint=password_hint autocomplete="new-password" maxlength=200
                value=Signal::derive(move || account.with(|a| a.password.clone()))
                on_input=move |v| account.update(|a| a.password = v) />
        </Editor>
    }
}
