//! The mayor's mailbox for operators: the letters list (a unit operator's holds only the
//! letters routed to their unit, the server filters), filtered by state and paged, and the
//! chosen letter with the actions the operator's role may take on it.

pub mod actions;
pub mod form;
pub mod rights;

use leptos::prelude::*;
use omk_api::mailbox::{LetterItem, LetterPage, LetterState};

use crate::client::Client;
use crate::format::date_time;
use crate::i18n::use_i18n;
use crate::kit::{Choice, Column, Empty, Loaded, Paging, RowMarks, Select, Table};
use crate::names::use_names;
use crate::screen::{ScreenHeading, focus_later, message};
use crate::session::use_auth;

use actions::LetterPanel;
use rights::LetterRights;

/// Letters on a page.
const PER_PAGE: u32 = 20;

/// Which list the screen shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LetterList {
    /// Every letter the operator may see.
    All,
    /// Replied letters whose writers were not satisfied and said why.
    Supervision,
}

impl LetterList {
    /// The list's path with its query.
    pub fn path(self, state: &str, page: u32) -> String {
        let base = match self {
            LetterList::All => "/admin/letters",
            LetterList::Supervision => "/admin/letters/supervision",
        };
        let mut query = format!("?page={page}&per_page={PER_PAGE}");
        if self == LetterList::All && LetterState::ALL.iter().any(|s| s.as_str() == state) {
            query.push_str(&format!("&state={state}"));
        }
        format!("{base}{query}")
    }
}

/// The letters screen.
#[component]
pub fn LettersScreen() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let client = expect_context::<Client>();
    let list = RwSignal::new(LetterList::All);
    let state = RwSignal::new(String::new());
    let page = RwSignal::new(1u32);
    let chosen = RwSignal::new(None::<String>);
    let letters = LocalResource::new(move || {
        let path = list.get().path(&state.get(), page.get());
        async move { client.get::<LetterPage>(&path).await }
    });
    let rights = move || LetterRights::of(auth.role());
    let states = Signal::derive(move || {
        LetterState::ALL
            .into_iter()
            .map(|s| Choice::new(s.as_str(), i18n.shared().text(s.message_key())))
            .collect()
    });
    let switch = move |to: LetterList| {
        list.set(to);
        page.set(1);
        chosen.set(None);
    };
    let supervision = move || {
        rights().supervises.then(|| {
            view! {
                <p class="buttons">
                    <button type="button" class="secondary" aria-pressed=move || (list.get() == LetterList::All).to_string()
                        on:click=move |_| switch(LetterList::All) data-testid="letters-all">
                        {move || i18n.t("letters.all")}
                    </button>
                    <button type="button" class="secondary" aria-pressed=move || (list.get() == LetterList::Supervision).to_string()
                        on:click=move |_| switch(LetterList::Supervision) data-testid="letters-supervision">
                        {move || i18n.t("letters.supervision")}
                    </button>
                </p>
            }
        })
    };
    let table = move |found: LetterPage| {
        let paging = Paging::new(page, PER_PAGE, found.total, "letters-pager");
        view! {
            <Table caption="letters.list" columns=letter_columns(chosen) items=found.items
                rows=RowMarks::testid("letter-row").with_data("data-code", |l: &LetterItem| l.code.clone())
                empty=Empty { key: "letters.none", testid: "letters-none" } paging />
        }
    };
    let panel = move || {
        chosen
            .get()
            .map(|code| view! { <LetterPanel code rights=rights() letters chosen /> })
    };
    view! {
        <ScreenHeading text=message("letters.heading") />
        {supervision}
        <Select id="letters-state" label="letters.state" options=states empty="letters.any_state"
            value=state on_change=move |v| { state.set(v); page.set(1); } />
        {panel}
        <section aria-labelledby="letters-list-heading" class="panel">
            <h2 id="letters-list-heading">{move || i18n.t("letters.list")}</h2>
            <Loaded resource=letters show=table />
        </section>
    }
}

/// The letters' columns: code (opens the letter), title, kind, state, unit, written.
fn letter_columns(chosen: RwSignal<Option<String>>) -> Vec<Column<LetterItem>> {
    let i18n = use_i18n();
    let names = use_names();
    vec![
        Column::new("letters.code", move |l: &LetterItem| {
            let code = l.code.clone();
            let open = {
                let code = code.clone();
                move |_| {
                    chosen.set(Some(code.clone()));
                    focus_later("letter-heading");
                }
            };
            view! { <button type="button" class="link" on:click=open data-testid="letter-open">{code}</button> }
        }),
        Column::new("letters.title", |l: &LetterItem| l.title.clone()),
        Column::new("letters.kind", move |l: &LetterItem| {
            let key = l.kind.message_key();
            move || i18n.shared().text(key).to_owned()
        }),
        Column::new("letters.state", move |l: &LetterItem| {
            let key = l.state.message_key();
            move || i18n.shared().text(key).to_owned()
        })
        .testid("letter-state"),
        Column::new("letters.unit", move |l: &LetterItem| {
            let unit = l.unit.clone();
            move || unit.as_deref().map(|u| names.get().unit(u, i18n.lang()))
        }),
        Column::new("letters.written", |l: &LetterItem| date_time(l.created_at)),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_path_carries_its_page_and_only_a_known_state() {
        assert_eq!(
            LetterList::All.path("accepted", 2),
            "/admin/letters?page=2&per_page=20&state=accepted"
        );
        assert_eq!(
            LetterList::All.path("bogus", 1),
            "/admin/letters?page=1&per_page=20"
        );
        assert_eq!(
            LetterList::Supervision.path("accepted", 1),
            "/admin/letters/supervision?page=1&per_page=20"
        );
    }
}
