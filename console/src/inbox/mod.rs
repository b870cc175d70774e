//! The inbox: the issues an operator works, newest first, with filters, their deadlines and
//! a flag (in words, not only colour) on those past one. Unit operators get their unit's only.

pub mod filter;

use leptos::prelude::*;
use omk_api::{InboxItem, InboxPage, IssueStatus};

use crate::client::Client;
use crate::feedback::FormState;
use crate::format::now;
use crate::i18n::use_i18n;
use crate::kit::{
    CheckField, Choice, Column, Empty, Loaded, Paging, RowMarks, Select, Table, TextField, Units,
    category_choices, unit_choices,
};
use crate::labels::{age_text, deadline_text, overdue_key, status_key};
use crate::names::use_names;
use crate::screen::{Screen, ScreenHeading, message};
use crate::session::use_auth;

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
    let list = move |found: InboxPage| {
        let paging = Paging::new(page, InboxFilter::PER_PAGE, found.total, "inbox");
        let count = move || i18n.format("inbox.count", &[("n", &found.total.to_string())]);
        view! {
            <p role="status" data-testid="inbox-count">{count}</p>
            <Table caption="inbox.caption" columns=issue_columns() items=found.items
                rows=ROWS empty=Empty { key: "inbox.empty", testid: "inbox-empty" } paging />
        }
    };
    view! {
        <ScreenHeading text=message("inbox.heading") />
        <Filters filter page />
        <Loaded resource=issues show=list />
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
    let form = FormState::new();
    let days = RwSignal::new(String::new());
    let apply = move |change: &dyn Fn(&mut InboxFilter)| {
        filter.update(|f| change(f));
        page.set(1);
    };
    let on_days = move |value: String| {
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
    let statuses = Signal::derive(move || {
        IssueStatus::ALL
            .into_iter()
            .map(|status| Choice::new(status.as_str(), i18n.t(status_key(status))))
            .collect()
    });
    let text = move |get: fn(&InboxFilter) -> &String| {
        Signal::derive(move || filter.with(|f| get(f).clone()))
    };
    let unit_filter = move || {
        auth.sees_every_unit().then(|| {
            view! {
                <Select id="inbox-unit" testid="inbox-filter-unit" label="inbox.filter.unit"
                    options=unit_choices(Units::All) empty="inbox.filter.any_unit" value=text(|f| &f.unit)
                    on_change=move |v: String| apply(&|f| f.unit = v.clone()) />
            }
        })
    };
    view! {
        <form class="filters" role="search" aria-label=move || i18n.t("inbox.filter.label") on:submit=|ev| ev.prevent_default()>
            <Select id="inbox-status" testid="inbox-filter-status" label="inbox.filter.status"
                options=statuses empty="inbox.filter.any_status"
                value=Signal::derive(move || filter.with(|f| f.status.map(|s| s.as_str().to_owned()).unwrap_or_default()))
                on_change=move |v: String| apply(&|f| f.status = IssueStatus::parse(&v)) />
            <Select id="inbox-category" testid="inbox-filter-category" label="inbox.filter.category"
                options=category_choices() empty="inbox.filter.any_category" value=text(|f| &f.category)
                on_change=move |v: String| apply(&|f| f.category = v.clone()) />
            {unit_filter}
            <TextField form field="older_than_days" id="inbox-days" testid="inbox-filter-days"
                label="inbox.filter.older_than_days" kind="number" min="0" on_commit=true
                value=days on_input=on_days />
            <CheckField id="inbox-overdue" testid="inbox-filter-overdue" label="inbox.filter.overdue"
                checked=Signal::derive(move || filter.with(|f| f.overdue))
                on_change=move |checked| apply(&|f| f.overdue = checked) />
        </form>
    }
}

/// How an issue's row is marked: by its number, and as overdue.
const ROWS: RowMarks<InboxItem> = RowMarks::testid("inbox-row")
    .with_data("data-tracking-no", |i: &InboxItem| i.tracking_no.clone())
    .with_class(|i: &InboxItem| i.overdue.map(|_| "overdue"));

/// The inbox's columns: number (a link to the issue), category, unit, status, age and
/// deadline, flagged in words when past.
fn issue_columns() -> Vec<Column<InboxItem>> {
    let i18n = use_i18n();
    let names = use_names();
    let now = now();
    vec![
        Column::new("issue.tracking_no", |item: &InboxItem| {
            let href = Screen::Issue(item.tracking_no.clone()).hash();
            view! { <a href=href data-testid="inbox-open">{item.tracking_no.clone()}</a> }
        }),
        Column::new("issue.category", move |item: &InboxItem| {
            let category = item.category.clone();
            move || names.get().category(&category, i18n.lang())
        }),
        Column::new("issue.unit", move |item: &InboxItem| {
            let unit = item.unit.clone();
            move || match &unit {
                Some(unit) => names.get().unit(unit, i18n.lang()),
                None => i18n.t("issue.no_unit").to_owned(),
            }
        }),
        Column::new("issue.status", move |item: &InboxItem| {
            let status = item.status;
            view! {
                {move || i18n.t(status_key(status))}
                {item.hidden.then(|| view! { " " <span class="badge">{move || i18n.t("issue.hidden_badge")}</span> })}
            }
        })
        .testid("inbox-status"),
        Column::new("issue.age", move |item: &InboxItem| {
            let created_at = item.created_at;
            move || age_text(i18n, created_at, now)
        }),
        Column::new("issue.deadline", move |item: &InboxItem| {
            let (status, accept_due, resolve_due) = (item.status, item.accept_due, item.resolve_due);
            let deadline = move || {
                deadline_text(i18n, status, accept_due, resolve_due, now)
                    .unwrap_or_else(|| i18n.t("deadline.none").to_owned())
            };
            view! {
                {item.overdue.map(|o| view! {
                    <strong class="flag-overdue" data-testid="inbox-overdue">
                        <span aria-hidden="true">"⚠ "</span>{move || i18n.t(overdue_key(o))}
                    </strong>
                    <br />
                })}
                {deadline}
            }
        }),
    ]
}
