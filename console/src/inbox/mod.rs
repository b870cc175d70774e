//! The inbox: the issues an operator works, newest first, with filters, their deadlines and
//! a flag (in words, not only colour) on those past one. Unit operators get their unit's only.

pub mod filter;

use leptos::prelude::*;
use omk_api::{InboxItem, InboxPage, IssueStatus};

use crate::client::Client;
use crate::feedback::{FieldMessage, FormState, LoadError};
use crate::format::now;
use crate::i18n::use_i18n;
use crate::labels::{age_text, deadline_text, overdue_key, status_key};
use crate::names::use_names;
use crate::screen::{HEADING_ID, Screen};
use crate::session::use_auth;
use crate::table::{Pager, Pages};

use filter::{InboxFilter, query_string};

/// The inbox screen.
#[component]
pub fn InboxScreen() -> impl IntoView {
    let i18n = use_i18n();
    let client = expect_context::<Client>();
    let filter = RwSignal::new(InboxFilter::default());
    let page = RwSignal::new(1u32);
    let issues = LocalResource::new(move || {
        let query = filter.with(|f| f.query(page.get()));
        async move {
            let query = query.unwrap_or_default();
            let path = format!("/admin/issues?{}", query_string(&query));
            client.get::<InboxPage>(&path).await
        }
    });
    let list = move || {
        issues.get().map(|result| match result {
            Ok(found) => {
                let pages = Pages {
                    page: page.get_untracked(),
                    per_page: InboxFilter::PER_PAGE,
                    total: found.total,
                };
                view! { <IssueTable found pages page /> }.into_any()
            }
            Err(error) => view! { <LoadError error /> }.into_any(),
        })
    };
    view! {
        <h1 id=HEADING_ID tabindex="-1">{move || i18n.t("inbox.heading")}</h1>
        <Filters filter page />
        <Transition fallback=move || view! { <p role="status">{move || i18n.t("common.loading")}</p> }>
            {list}
        </Transition>
    }
}

/// The filter form: every change applies at once and goes back to the first page.
#[component]
fn Filters(
    /// The filters.
    filter: RwSignal<InboxFilter>,
    /// The page shown.
    page: RwSignal<u32>,
) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let names = use_names();
    let form = FormState::new();
    let days = RwSignal::new(String::new());
    let apply = move |change: &dyn Fn(&mut InboxFilter)| {
        filter.update(|f| change(f));
        page.set(1);
    };
    let on_status = move |ev: leptos::ev::Event| {
        let status = IssueStatus::parse(&event_target_value(&ev));
        apply(&|f| f.status = status);
    };
    let on_category = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        apply(&|f| f.category = value.clone());
    };
    let on_unit = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        apply(&|f| f.unit = value.clone());
    };
    let on_days = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        days.set(value.clone());
        let candidate = InboxFilter {
            older_than_days: value.clone(),
            ..filter.get_untracked()
        };
        match candidate.query(1) {
            Ok(_) => {
                form.reset();
                apply(&|f| f.older_than_days = value.clone());
            }
            Err(error) => form.invalid(vec![error]),
        }
    };
    let on_overdue = move |ev: leptos::ev::Event| {
        let checked = event_target_checked(&ev);
        apply(&|f| f.overdue = checked);
    };
    let status_options = move || {
        IssueStatus::ALL
            .into_iter()
            .map(|status| {
                view! {
                    <option value=status.as_str() selected=move || filter.with(|f| f.status == Some(status))>
                        {move || i18n.t(status_key(status))}
                    </option>
                }
            })
            .collect_view()
    };
    let category_options = move || {
        let lang = i18n.lang();
        names
            .get()
            .categories
            .into_iter()
            .map(|c| {
                let id = c.id.clone();
                let selected = move || filter.with(|f| f.category == id);
                view! { <option value=c.id.clone() selected=selected>{c.name(lang).to_owned()}</option> }
            })
            .collect_view()
    };
    let unit_filter = move || {
        auth.is_admin().then(|| {
            let lang = i18n.lang();
            let options = names
                .get()
                .units
                .into_iter()
                .map(|u| {
                    let id = u.id.clone();
                    let selected = move || filter.with(|f| f.unit == id);
                    view! { <option value=u.id.clone() selected=selected>{u.name(lang).to_owned()}</option> }
                })
                .collect_view();
            view! {
                <div class="field">
                    <label for="inbox-unit">{move || i18n.t("inbox.filter.unit")}</label>
                    <select id="inbox-unit" on:change=on_unit data-testid="inbox-filter-unit">
                        <option value="">{move || i18n.t("inbox.filter.any_unit")}</option>
                        {options}
                    </select>
                </div>
            }
        })
    };
    view! {
        <form class="filters" role="search" aria-label=move || i18n.t("inbox.filter.label") on:submit=|ev| ev.prevent_default()>
            <div class="field">
                <label for="inbox-status">{move || i18n.t("inbox.filter.status")}</label>
                <select id="inbox-status" on:change=on_status data-testid="inbox-filter-status">
                    <option value="">{move || i18n.t("inbox.filter.any_status")}</option>
                    {status_options}
                </select>
            </div>
            <div class="field">
                <label for="inbox-category">{move || i18n.t("inbox.filter.category")}</label>
                <select id="inbox-category" on:change=on_category data-testid="inbox-filter-category">
                    <option value="">{move || i18n.t("inbox.filter.any_category")}</option>
                    {category_options}
                </select>
            </div>
            {unit_filter}
            <div class="field">
                <label for="inbox-days">{move || i18n.t("inbox.filter.older_than_days")}</label>
                <input
                    id="inbox-days"
                    type="number"
                    min="0"
                    inputmode="numeric"
                    prop:value=move || days.get()
                    on:change=on_days
                    aria-invalid=move || form.invalid_attr("older_than_days")
                    aria-describedby=move || form.described_by("older_than_days", "inbox-days")
                    data-testid="inbox-filter-days"
                />
                <FieldMessage form field="older_than_days" input_id="inbox-days" />
            </div>
            <div class="field check">
                <input
                    id="inbox-overdue"
                    type="checkbox"
                    prop:checked=move || filter.with(|f| f.overdue)
                    on:change=on_overdue
                    data-testid="inbox-filter-overdue"
                />
                <label for="inbox-overdue">{move || i18n.t("inbox.filter.overdue")}</label>
            </div>
        </form>
    }
}

/// One page of issues as a table.
#[component]
fn IssueTable(
    /// The page of issues.
    found: InboxPage,
    /// Where the list stands.
    pages: Pages,
    /// The page signal the pager moves.
    page: RwSignal<u32>,
) -> impl IntoView {
    let i18n = use_i18n();
    let count = move || i18n.format("inbox.count", &[("n", &pages.total.to_string())]);
    let empty = found.items.is_empty();
    let rows = found
        .items
        .into_iter()
        .map(|item| view! { <IssueRow item /> })
        .collect_view();
    view! {
        <p role="status" data-testid="inbox-count">{count}</p>
        {if empty {
            view! { <p data-testid="inbox-empty">{move || i18n.t("inbox.empty")}</p> }.into_any()
        } else {
            view! {
                <div class="table-wrap">
                    <table class="data">
                        <caption class="visually-hidden">{move || i18n.t("inbox.caption")}</caption>
                        <thead>
                            <tr>
                                <th scope="col">{move || i18n.t("issue.tracking_no")}</th>
                                <th scope="col">{move || i18n.t("issue.category")}</th>
                                <th scope="col">{move || i18n.t("issue.unit")}</th>
                                <th scope="col">{move || i18n.t("issue.status")}</th>
                                <th scope="col">{move || i18n.t("issue.age")}</th>
                                <th scope="col">{move || i18n.t("issue.deadline")}</th>
                            </tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
                <Pager pages page testid="inbox" />
            }
            .into_any()
        }}
    }
}

/// One issue in the inbox.
#[component]
fn IssueRow(
    /// The issue.
    item: InboxItem,
) -> impl IntoView {
    let i18n = use_i18n();
    let names = use_names();
    let now = now();
    let InboxItem {
        tracking_no,
        category,
        unit,
        status,
        created_at,
        accept_due,
        resolve_due,
        overdue,
        hidden,
        ..
    } = item;
    let href = Screen::Issue(tracking_no.clone()).hash();
    let category_name = move || names.get().category(&category, i18n.lang());
    let unit_name = move || match &unit {
        Some(unit) => names.get().unit(unit, i18n.lang()),
        None => i18n.t("issue.no_unit").to_owned(),
    };
    let deadline = move || {
        deadline_text(i18n, status, accept_due, resolve_due, now)
            .unwrap_or_else(|| i18n.t("deadline.none").to_owned())
    };
    view! {
        <tr data-testid="inbox-row" data-tracking-no=tracking_no.clone() class:overdue=overdue.is_some()>
            <th scope="row"><a href=href data-testid="inbox-open">{tracking_no.clone()}</a></th>
            <td>{category_name}</td>
            <td>{unit_name}</td>
            <td data-testid="inbox-status">
                {move || i18n.t(status_key(status))}
                {hidden.then(|| view! { " " <span class="badge">{move || i18n.t("issue.hidden_badge")}</span> })}
            </td>
            <td>{move || age_text(i18n, created_at, now)}</td>
            <td>
                {overdue.map(|o| view! {
                    <strong class="flag-overdue" data-testid="inbox-overdue">
                        <span aria-hidden="true">"⚠ "</span>{move || i18n.t(overdue_key(o))}
                    </strong>
                    <br />
                })}
                {deadline}
            </td>
        </tr>
    }
}
