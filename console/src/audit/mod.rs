//! The audit log (admins): every operator action and every view of a visitor's contact
//! details, filtered by who, which issue and what, with a CSV export of the whole log.

pub mod query;

use leptos::prelude::*;
use omk_api::{AuditAction, AuditEntry, AuditPage};

use crate::client::Client;
use crate::format::date_time;
use crate::i18n::use_i18n;
use crate::kit::{Choice, Column, Loaded, Paging, RowMarks, Select, Table, TextField};
use crate::labels::action_key;
use crate::screen::{Screen, ScreenHeading, message};

use query::{AuditFilter, EXPORT_URL, query_string};

/// The columns of audit entries: when, who, what, on which issue (`with_issue`), and the
/// detail. The issue screen's history shares them.
pub fn audit_columns(with_issue: bool) -> Vec<Column<AuditEntry>> {
    let i18n = use_i18n();
    let mut columns = vec![
        Column::new("audit.at", |e: &AuditEntry| date_time(e.at)),
        Column::new("audit.actor", |e: &AuditEntry| e.actor.clone()),
        Column::new("audit.action", move |e: &AuditEntry| {
            let key = action_key(e.action);
            move || i18n.t_owned(&key)
        }),
    ];
    if with_issue {
        columns.push(Column::new("audit.issue", |e: &AuditEntry| {
            e.issue.clone().map(|number| {
                let href = Screen::Issue(number.clone()).hash();
                view! { <a href=href>{number}</a> }
            })
        }));
    }
    columns.push(Column::new("audit.detail", |e: &AuditEntry| {
        e.detail.clone()
    }));
    columns
}

/// The `data-action` of an entry's row.
pub fn action_of(entry: &AuditEntry) -> String {
    entry.action.as_str().to_owned()
}

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
    let list = move |found: AuditPage| {
        let paging = Paging::new(page, AuditFilter::PER_PAGE, found.total, "audit");
        let count = move || i18n.format("audit.count", &[("n", &found.total.to_string())]);
        view! {
            <p role="status" data-testid="audit-count">{count}</p>
            <Table caption="audit.heading" columns=audit_columns(true) items=found.items
                rows=RowMarks::testid("audit-row").with_data("data-action", action_of) no_row_header=true paging />
        }
    };
    view! {
        <ScreenHeading text=message("audit.heading") />
        <p>
            <a href=EXPORT_URL download="omk-audit.csv" class="button-link" data-testid="audit-export">
                {move || i18n.t("audit.export")}
            </a>
        </p>
        <Filters filter page />
        <Loaded resource=entries show=list />
    }
}

/// The filter form, applied on submit.
#[component]
fn Filters(filter: RwSignal<AuditFilter>, page: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let draft = RwSignal::new(AuditFilter::default());
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        filter.set(draft.get_untracked());
        page.set(1);
    };
    let actions = Signal::derive(move || {
        AuditAction::ALL
            .into_iter()
            .map(|a| Choice::new(a.as_str(), i18n.t_owned(&action_key(a))))
            .collect()
    });
    let action = Signal::derive(move || {
        draft.with(|d| d.action.map(|a| a.as_str().to_owned()).unwrap_or_default())
    });
    view! {
        <form class="filters" role="search" aria-label=move || i18n.t("audit.filter.label") on:submit=on_submit>
            <TextField id="audit-actor" testid="audit-filter-actor" label="audit.actor"
                value=Signal::derive(move || draft.with(|d| d.actor.clone()))
                on_input=move |v| draft.update(|d| d.actor = v) />
            <TextField id="audit-issue" testid="audit-filter-issue" label="audit.issue"
                value=Signal::derive(move || draft.with(|d| d.issue.clone()))
                on_input=move |v| draft.update(|d| d.issue = v) />
            <Select id="audit-action" testid="audit-filter-action" label="audit.action"
                options=actions empty="audit.filter.any_action" value=action
                on_change=move |v: String| draft.update(|d| d.action = AuditAction::parse(&v)) />
            <button type="submit" class="primary" data-testid="audit-filter-apply">{move || i18n.t("audit.filter.apply")}</button>
        </form>
    }
}
