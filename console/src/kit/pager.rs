//! What the console's long lists share: pages of results and the pager under them.

use leptos::prelude::*;

use crate::i18n::use_i18n;

/// Where a paged list stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pages {
    /// From 1.
    pub page: u32,
    pub per_page: u32,
    /// Items in all pages.
    pub total: i64,
}

impl Pages {
    /// The number of the last page (1 for an empty list).
    pub fn last(&self) -> u32 {
        let per_page = i64::from(self.per_page.max(1));
        let pages = (self.total.max(0) + per_page - 1) / per_page;
        u32::try_from(pages).unwrap_or(u32::MAX).max(1)
    }

    pub fn has_previous(&self) -> bool {
        self.page > 1
    }

    pub fn has_next(&self) -> bool {
        self.page < self.last()
    }
}

/// A paged list's pager: where the list stands, the page signal it moves, and its
/// `data-testid` prefix (`{prefix}-previous`, `{prefix}-next`).
#[derive(Debug, Clone, Copy)]
pub struct Paging {
    pub pages: Pages,
    pub page: RwSignal<u32>,
    pub testid: &'static str,
}

impl Paging {
    /// The pager of a list showing `page` (read untracked) of `total` items.
    pub fn new(page: RwSignal<u32>, per_page: u32, total: i64, testid: &'static str) -> Paging {
        Paging {
            pages: Pages {
                page: page.get_untracked(),
                per_page,
                total,
            },
            page,
            testid,
        }
    }
}

/// Previous and next buttons, and where the list stands.
#[component]
pub fn Pager(
    /// The list and its page signal.
    paging: Paging,
) -> impl IntoView {
    let i18n = use_i18n();
    let Paging {
        pages,
        page,
        testid,
    } = paging;
    let position = move || {
        i18n.format(
            "table.page_of",
            &[
                ("page", &pages.page.to_string()),
                ("pages", &pages.last().to_string()),
                ("total", &pages.total.to_string()),
            ],
        )
    };
    view! {
        <div class="pager">
            <button
                type="button"
                class="secondary"
                disabled=!pages.has_previous()
                on:click=move |_| page.update(|p| *p = p.saturating_sub(1).max(1))
                data-testid=format!("{testid}-previous")
            >
                {move || i18n.t("table.previous")}
            </button>
            <span>{position}</span>
            <button
                type="button"
                class="secondary"
                disabled=!pages.has_next()
                on:click=move |_| page.update(|p| *p += 1)
                data-testid=format!("{testid}-next")
            >
                {move || i18n.t("table.next")}
            </button>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_round_up_and_an_empty_list_has_one() {
        let pages = |page, total| Pages {
            page,
            per_page: 50,
            total,
        };
        assert_eq!(pages(1, 0).last(), 1);
        assert_eq!(pages(1, 50).last(), 1);
        assert_eq!(pages(1, 51).last(), 2);
        assert!(!pages(1, 51).has_previous());
        assert!(pages(1, 51).has_next());
        assert!(!pages(2, 51).has_next());
    }

    #[test]
    fn a_pager_stands_at_the_page_shown() {
        let page = RwSignal::new(3);
        let paging = Paging::new(page, 50, 120, "audit");
        assert_eq!((paging.pages.page, paging.pages.last()), (3, 3));
        assert!(paging.pages.has_previous() && !paging.pages.has_next());
    }
}
