//! A data table driven by column definitions: a caption, a header row of `scope="col"`
//! cells, one row per item (its first cell a `scope="row"` header unless told otherwise),
//! and optionally an empty-list message instead of the table and a pager under it.

use leptos::attr::custom::custom_attribute;
use leptos::prelude::*;

use crate::i18n::use_i18n;
use crate::kit::pager::{Pager, Paging};

/// One column: the message key of its header and how to draw an item's cell.
pub struct Column<T> {
    header: &'static str,
    cell: Box<dyn Fn(&T) -> AnyView>,
    testid: Option<&'static str>,
    lang: Option<&'static str>,
}

impl<T> Column<T> {
    /// A column headed by the text of `header`, whose cells `cell` draws.
    pub fn new<V>(header: &'static str, cell: impl Fn(&T) -> V + 'static) -> Column<T>
    where
        V: IntoView + Send + 'static,
    {
        Column {
            header,
            cell: Box::new(move |item| cell(item).into_any()),
            testid: None,
            lang: None,
        }
    }

    /// Gives each of its cells this `data-testid`.
    pub fn testid(mut self, testid: &'static str) -> Column<T> {
        self.testid = Some(testid);
        self
    }

    /// Marks the language of its cells (names kept in one language).
    pub fn lang(mut self, lang: &'static str) -> Column<T> {
        self.lang = Some(lang);
        self
    }
}

/// A `data-*` attribute's name, and how to get an item's value of it.
pub type DataMark<T> = (&'static str, fn(&T) -> String);

/// What a row is marked with: its `data-testid`, a `data-*` attribute that names the item,
/// and a class.
#[derive(Debug, Clone, Copy)]
pub struct RowMarks<T> {
    pub testid: &'static str,
    /// The attribute's name and the item's value of it.
    pub data: Option<DataMark<T>>,
    pub class: Option<fn(&T) -> Option<&'static str>>,
}

impl<T> RowMarks<T> {
    /// Rows with this `data-testid` and no other mark.
    pub const fn testid(testid: &'static str) -> RowMarks<T> {
        RowMarks {
            testid,
            data: None,
            class: None,
        }
    }

    /// Rows that also carry `attr` with the item's `value`.
    pub const fn with_data(mut self, attr: &'static str, value: fn(&T) -> String) -> RowMarks<T> {
        self.data = Some((attr, value));
        self
    }

    /// Rows that also carry the class `class` gives the item.
    pub const fn with_class(mut self, class: fn(&T) -> Option<&'static str>) -> RowMarks<T> {
        self.class = Some(class);
        self
    }
}

/// What shows instead of an empty table.
#[derive(Debug, Clone, Copy)]
pub struct Empty {
    /// The message key.
    pub key: &'static str,
    pub testid: &'static str,
}

/// A table of `items`, one row each.
#[component]
pub fn Table<T: 'static>(
    /// The message key of the caption.
    caption: &'static str,
    /// Whether sighted readers see the caption too (else it is for screen readers).
    #[prop(optional)]
    caption_shown: bool,
    /// The columns, in order.
    columns: Vec<Column<T>>,
    /// The items.
    items: Vec<T>,
    /// How each row is marked.
    rows: RowMarks<T>,
    /// Whether every cell is a plain cell (no row header).
    #[prop(optional)]
    no_row_header: bool,
    /// What shows instead of the table when there is no item.
    #[prop(optional)]
    empty: Option<Empty>,
    /// The pager under the table.
    #[prop(optional)]
    paging: Option<Paging>,
) -> impl IntoView {
    let heads: Vec<Head> = columns
        .iter()
        .map(|c| Head {
            key: c.header,
            testid: c.testid,
            lang: c.lang,
        })
        .collect();
    let drawn = items
        .iter()
        .map(|item| DrawnRow {
            cells: columns.iter().map(|column| (column.cell)(item)).collect(),
            data: rows.data.map(|(attr, value)| (attr, value(item))),
            class: rows.class.and_then(|class| class(item)),
        })
        .collect();
    let look = Look {
        caption,
        caption_shown,
        row_testid: rows.testid,
        no_row_header,
        empty,
        paging,
    };
    draw(look, heads, drawn)
}

/// A column's header and what its cells carry.
struct Head {
    key: &'static str,
    testid: Option<&'static str>,
    lang: Option<&'static str>,
}

/// A row with its cells drawn and its marks read.
struct DrawnRow {
    cells: Vec<AnyView>,
    data: Option<(&'static str, String)>,
    class: Option<&'static str>,
}

/// How a table looks, whatever its items.
struct Look {
    caption: &'static str,
    caption_shown: bool,
    row_testid: &'static str,
    no_row_header: bool,
    empty: Option<Empty>,
    paging: Option<Paging>,
}

/// The table itself, once for every kind of item.
fn draw(look: Look, heads: Vec<Head>, rows: Vec<DrawnRow>) -> AnyView {
    let i18n = use_i18n();
    if let (true, Some(empty)) = (rows.is_empty(), look.empty) {
        return view! { <p data-testid=empty.testid>{move || i18n.t(empty.key)}</p> }.into_any();
    }
    let body = rows
        .into_iter()
        .map(|row| {
            let cells = row
                .cells
                .into_iter()
                .zip(&heads)
                .enumerate()
                .map(|(place, (content, head))| {
                    if place == 0 && !look.no_row_header {
                        view! { <th scope="row" data-testid=head.testid lang=head.lang>{content}</th> }
                            .into_any()
                    } else {
                        view! { <td data-testid=head.testid lang=head.lang>{content}</td> }
                            .into_any()
                    }
                })
                .collect_view();
            // Without a data mark the attribute has no value, and is left out.
            let data = match row.data {
                Some((attr, value)) => custom_attribute(attr, Some(value)),
                None => custom_attribute("data-id", None),
            };
            view! { <tr {..data} data-testid=look.row_testid class=row.class>{cells}</tr> }
        })
        .collect_view();
    let heads = heads
        .into_iter()
        .map(|head| view! { <th scope="col">{move || i18n.t(head.key)}</th> })
        .collect_view();
    let caption = look.caption;
    let caption_class = (!look.caption_shown).then_some("visually-hidden");
    view! {
        <div class="table-wrap">
            <table class="data">
                <caption class=caption_class>{move || i18n.t(caption)}</caption>
                <thead>
                    <tr>{heads}</tr>
                </thead>
                <tbody>{body}</tbody>
            </table>
        </div>
        {look.paging.map(|paging| view! { <Pager paging /> })}
    }
    .into_any()
}

/// A row's Edit button, naming the row's entry for screen readers.
#[component]
pub fn EditButton(
    /// The button's `data-testid`.
    testid: &'static str,
    /// What it edits.
    name: String,
    /// Opens the editor.
    #[prop(into)]
    on_click: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <button type="button" class="secondary" on:click=move |_| on_click.run(()) data-testid=testid>
            {move || i18n.t("common.edit")}
            <span class="visually-hidden">" "{name}</span>
        </button>
    }
}
