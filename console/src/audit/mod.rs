//! The audit log (admins): every operator action and every view of a visitor's contact
//! details, filtered by who, which issue and what, with a CSV export of the whole log.

pub mod query;

use leptos::prelude::*;
use omk_api::{AuditAction, AuditEntry, AuditPage};

use crate::client::Client;
use crate::feedback::LoadError;
use crate::format::date_time;
use crate::i18n::use_i18n;
use crate::labels::action_key;
use crate::screen::{HEADING_ID, Screen};
use crate::table::{Pager, Pages};

use query::{AuditFilter, EXPORT_URL, query_string};

/// The audit screen.
#[component]
pub fn AuditScreen() -> impl IntoView {
    let i18n = use_i18n();
    let client = expect_context::<Client>();
    let filter = RwSignal::new(AuditFilter::default());
    let page = RwSignal::new(1u32);
    let entries = LocalResource::new(move || {
        let path = format!(
            "/admin/audit?{}",
            query_string(&filter.with(|f| f.query(page.get())))
        );
        async move { client.get::<AuditPage>(&path).await }
    });
    let list = move || {
        entries.get().map(|result| match result {
            Ok(found) => {
                let pages = Pages {
                    page: page.get_untracked(),
                    per_page: AuditFilter::PER_PAGE,
                    total: found.total,
                };
                view! { <AuditTable found pages page /> }.into_any()
            }
            Err(error) => view! { <LoadError error /> }.into_any(),
        })
    };
    view! {
        <h1 id=HEADING_ID tabindex="-1">{move || i18n.t("audit.heading")}</h1>
        <p>
            <a href=EXPORT_URL download="omk-audit.csv" class="button-link" data-testid="audit-export">
                {move || i18n.t("audit.export")}
            </a>
        </p>
        <Filters filter page />
        <Transition fallback=move || view! { <p role="status">{move || i18n.t("common.loading")}</p> }>
            {list}
        </Transition>
    }
}

/// The filter form, applied on submit.
#[component]
fn Filters(filter: RwSignal<AuditFilter>, page: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let actor = RwSignal::new(String::new());
    let issue = RwSignal::new(String::new());
    let action = RwSignal::new(None::<AuditAction>);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        filter.set(AuditFilter {
            actor: actor.get_untracked(),
            issue: issue.get_untracked(),
            action: action.get_untracked(),
        });
        page.set(1);
    };
    let options = AuditAction::ALL
        .into_iter()
        .map(|a| {
            let key = action_key(a);
            view! { <option value=a.as_str()>{move || i18n.t_owned(&key)}</option> }
        })
        .collect_view();
    view! {
        <form class="filters" role="search" aria-label=move || i18n.t("audit.filter.label") on:submit=on_submit>
            <div class="field">
                <label for="audit-actor">{move || i18n.t("audit.actor")}</label>
                <input id="audit-actor" type="text" autocomplete="off" prop:value=move || actor.get()
                    on:input=move |ev| actor.set(event_target_value(&ev)) data-testid="audit-filter-actor" />
            </div>
            <div class="field">
                <label for="audit-issue">{move || i18n.t("audit.issue")}</label>
                <input id="audit-issue" type="text" autocomplete="off" prop:value=move || issue.get()
                    on:input=move |ev| issue.set(event_target_value(&ev)) data-testid="audit-filter-issue" />
            </div>
            <div class="field">
                <label for="audit-action">{move || i18n.t("audit.action")}</label>
                <select id="audit-action" on:change=move |ev| action.set(AuditAction::parse(&event_target_value(&ev)))
                    data-testid="audit-filter-action">
                    <option value="">{move || i18n.t("audit.filter.any_action")}</option>
                    {options}
                </select>
            </div>
            <button type="submit" class="primary" data-testid="audit-filter-apply">{move || i18n.t("audit.filter.apply")}</button>
        </form>
    }
}

/// One page of the log.
#[component]
fn AuditTable(found: AuditPage, pages: Pages, page: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let count = move || i18n.format("audit.count", &[("n", &pages.total.to_string())]);
    let rows = found
        .items
        .into_iter()
        .map(|entry| view! { <AuditRow entry /> })
        .collect_view();
    view! {
        <p role="status" data-testid="audit-count">{count}</p>
        <div class="table-wrap">
            <table class="data">
                <caption class="visually-hidden">{move || i18n.t("audit.heading")}</caption>
                <thead>
                    <tr>
                        <th scope="col">{move || i18n.t("audit.at")}</th>
                        <th scope="col">{move || i18n.t("audit.actor")}</th>
                        <th scope="col">{move || i18n.t("audit.action")}</th>
                        <th scope="col">{move || i18n.t("audit.issue")}</th>
                        <th scope="col">{move || i18n.t("audit.detail")}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        <Pager pages page testid="audit" />
    }
}

/// One entry of the log.
#[component]
fn AuditRow(entry: AuditEntry) -> impl IntoView {
    let i18n = use_i18n();
    let key = action_key(entry.action);
    let issue = entry.issue.map(|number| {
        let href = Screen::Issue(number.clone()).hash();
        view! { <a href=href>{number}</a> }
    });
    view! {
        <tr data-testid="audit-row" data-action=entry.action.as_str()>
            <td>{date_time(entry.at)}</td>
            <td>{entry.actor}</td>
            <td>{move || i18n.t_owned(&key)}</td>
            <td>{issue}</td>
            <td>{entry.detail}</td>
        </tr>
    }
}
