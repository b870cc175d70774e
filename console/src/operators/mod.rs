//! Operators' accounts (admins): who may sign in, as admin or for which unit, whether the
//! account is active, and setting a password.

pub mod form;

use gloo_net::http::Method;
use leptos::prelude::*;
use leptos::task::spawn_local;
use omk_api::events::encode_component;
use omk_api::{Operator, Role};

use crate::client::{ApiError, Client};
use crate::feedback::{FieldMessage, FormFeedback, FormState, LoadError};
use crate::fields::{CheckField, TextField};
use crate::i18n::use_i18n;
use crate::labels::role_key;
use crate::names::use_names;
use crate::screen::{HEADING_ID, focus_heading, focus_later};

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
    let start_new = move |_| {
        editing.set(Some(OperatorForm::new_account()));
        focus_later("operator-login");
    };
    let table = move || {
        accounts.get().map(|result| match result {
            Ok(found) => view! { <OperatorTable found editing /> }.into_any(),
            Err(error) => view! { <LoadError error /> }.into_any(),
        })
    };
    view! {
        <h1 id=HEADING_ID tabindex="-1">{move || i18n.t("operators.heading")}</h1>
        <p class="status" role="status" data-testid="operators-notice">{move || notice.get()}</p>
        <p>
            <button type="button" class="primary" on:click=start_new data-testid="operator-new">
                {move || i18n.t("operators.new")}
            </button>
        </p>
        {move || editing.get().map(|draft| view! { <OperatorEditor draft editing accounts notice /> })}
        <section aria-labelledby="accounts-heading" class="panel">
            <h2 id="accounts-heading">{move || i18n.t("operators.accounts")}</h2>
            <Transition fallback=move || view! { <p role="status">{move || i18n.t("common.loading")}</p> }>
                {table}
            </Transition>
        </section>
    }
}

/// Every account.
#[component]
fn OperatorTable(found: Vec<Operator>, editing: RwSignal<Option<OperatorForm>>) -> impl IntoView {
    let i18n = use_i18n();
    let names = use_names();
    let rows = found
        .into_iter()
        .map(|operator| {
            let stored = StoredValue::new(operator.clone());
            let edit = move |_| {
                editing.set(Some(OperatorForm::from_operator(&stored.get_value())));
                focus_later("operator-role");
            };
            let role = operator.role;
            let unit = operator.unit.clone();
            let unit_name = move || unit.as_deref().map(|u| names.get().unit(u, i18n.lang()));
            let active = operator.active;
            let login = operator.login.clone();
            view! {
                <tr data-testid="operator-row" data-login=operator.login.clone()>
                    <th scope="row">{operator.login.clone()}</th>
                    <td>{move || i18n.t(role_key(role))}</td>
                    <td>{unit_name}</td>
                    <td>{move || if active { i18n.t("operators.active") } else { i18n.t("operators.disabled") }}</td>
                    <td>
                        <button type="button" class="secondary" on:click=edit data-testid="operator-edit">
                            {move || i18n.t("common.edit")}
                            <span class="visually-hidden">" "{login.clone()}</span>
                        </button>
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap">
            <table class="data">
                <caption class="visually-hidden">{move || i18n.t("operators.accounts")}</caption>
                <thead>
                    <tr>
                        <th scope="col">{move || i18n.t("operators.login")}</th>
                        <th scope="col">{move || i18n.t("operators.role")}</th>
                        <th scope="col">{move || i18n.t("operators.unit")}</th>
                        <th scope="col">{move || i18n.t("operators.state")}</th>
                        <th scope="col">{move || i18n.t("common.actions")}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

/// The form for a new account or a change to one.
#[component]
fn OperatorEditor(
    draft: OperatorForm,
    editing: RwSignal<Option<OperatorForm>>,
    accounts: LocalResource<Result<Vec<Operator>, ApiError>>,
    notice: RwSignal<Option<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let client = expect_context::<Client>();
    let names = use_names();
    let form = FormState::new();
    let is_new = draft.is_new;
    let stored_login = draft.login.clone();
    let account = RwSignal::new(draft);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (login, input) = match account.with_untracked(OperatorForm::to_input) {
            Ok(found) => found,
            Err(errors) => {
                form.invalid(errors);
                return;
            }
        };
        form.start();
        let path = format!("/admin/operators/{}", encode_component(&login));
        spawn_local(async move {
            let result = client.send::<_, Operator>(Method::PUT, &path, &input).await;
            form.finish(&result, "operators.saved");
            if let Ok(saved) = result {
                notice.set(Some(
                    i18n.format("operators.saved_one", &[("login", &saved.login)]),
                ));
                editing.set(None);
                accounts.refetch();
                focus_heading();
            }
        });
    };
    let close = move |_| editing.set(None);
    let heading = move || {
        if is_new {
            i18n.t("operators.new").to_owned()
        } else {
            i18n.format("operators.edit", &[("login", &stored_login)])
        }
    };
    let on_role = move |ev: leptos::ev::Event| {
        let role = Role::parse(&event_target_value(&ev)).unwrap_or(Role::Unit);
        account.update(|a| a.role = role);
    };
    let role_options = Role::ALL
        .into_iter()
        .map(|role| {
            view! {
                <option value=role.as_str() selected=move || account.with(|a| a.role == role)>
                    {move || i18n.t(role_key(role))}
                </option>
            }
        })
        .collect_view();
    let unit_field = move || {
        account.with(|a| a.role == Role::Unit).then(|| {
            let lang = i18n.lang();
            let options = names
                .get()
                .active_units()
                .into_iter()
                .map(|u| {
                    let id = u.id.clone();
                    let selected = move || account.with(|a| a.unit == id);
                    view! { <option value=u.id.clone() selected=selected>{u.name(lang).to_owned()}</option> }
                })
                .collect_view();
            view! {
                <div class="field">
                    <label for="operator-unit">{move || i18n.t("operators.unit")}</label>
                    <select
                        id="operator-unit"
                        on:change=move |ev| account.update(|a| a.unit = event_target_value(&ev))
                        aria-invalid=move || form.invalid_attr("unit")
                        aria-describedby=move || form.described_by("unit", "operator-unit")
                        data-testid="operator-unit"
                    >
                        <option value="" selected=move || account.with(|a| a.unit.is_empty())>{move || i18n.t("action.choose_unit")}</option>
                        {options}
                    </select>
                    <FieldMessage form field="unit" input_id="operator-unit" />
                </div>
            }
        })
    };
    let password_hint = if is_new {
        "operators.password_hint_new"
    } else {
        "operators.password_hint_keep"
    };
    view! {
        <section aria-labelledby="operator-form-heading" class="panel editor">
            <h2 id="operator-form-heading">{heading}</h2>
            <form class="form" on:submit=on_submit novalidate data-testid="operator-form">
                {is_new.then(|| view! {
                    <TextField form field="login" id="operator-login" label="operators.login" hint="operators.login_hint"
                        value=Signal::derive(move || account.with(|a| a.login.clone()))
                        on_input=move |v| account.update(|a| a.login = v) maxlength=40 autocomplete="off" />
                })}
                <div class="field">
                    <label for="operator-role">{move || i18n.t("operators.role")}</label>
                    <select id="operator-role" on:change=on_role data-testid="operator-role">{role_options}</select>
                </div>
                {unit_field}
                <CheckField form field="active" id="operator-active" label="operators.active_label"
                    checked=Signal::derive(move || account.with(|a| a.active))
                    on_change=move |v| account.update(|a| a.active = v) />
                <TextField form field="password" id="operator-password" label="operators.password" kind="password"
                    hint=password_hint autocomplete="new-password" maxlength=200
                    value=Signal::derive(move || account.with(|a| a.password.clone()))
                    on_input=move |v| account.update(|a| a.password = v) />
                <FormFeedback form fields=&FIELDS testid="operator-save" />
                <div class="buttons">
                    <button type="submit" class="primary" disabled=move || form.busy.get() data-testid="operator-save">
                        {move || i18n.t("common.save")}
                    </button>
                    <button type="button" class="secondary" on:click=close data-testid="operator-close">
                        {move || i18n.t("common.close")}
                    </button>
                </div>
            </form>
        </section>
    }
}
